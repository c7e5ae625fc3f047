"""The curve over a lever does not depend on the lever's own value in the design: a sweep
replaces it at every point. The plots rely on this to keep a lever's curve while its value is
edited (gui.plots.common.lever_key sets the value aside), so it is checked here for every
preset and every lever, against the value the plots set it to and a value in between."""
from __future__ import annotations

import numpy as np
import pytest

import core
from core import goalseek
from core.model import PARAMETERS
from core.model.params import available_parameters
from core.model.sweep import ARRAY_KEYS, sweep

CASES = [(preset, name) for preset in core.preset_names()
         for name in available_parameters(core.load_preset(preset))]


def _grid(name):
    p = PARAMETERS[name]
    return goalseek.search_grid(p.lo, p.hi, p.log, p.integer, 1, n=41)


@pytest.mark.parametrize("preset,name", CASES)
def test_a_levers_curve_is_the_same_whatever_its_value_in_the_design(preset, name):
    design = core.load_preset(preset)
    xs = _grid(name)
    if name == "stacking.unit_cells" and design.stacking.collector_sharing == "bicell":
        xs = xs[xs % 2 == 0]
    try:
        base = sweep(design, name, xs)
    except core.DesignError:
        pytest.skip(f"{name} cannot be swept for {preset}")
    for v in (float(xs[0]), float(xs[len(xs) // 3])):
        try:
            other = core.with_parameter(design, name, v)
        except core.DesignError:
            continue
        got = sweep(other, name, xs)
        for key in ARRAY_KEYS:
            if key.startswith("breakdown"):
                for item in base[key]:
                    np.testing.assert_allclose(got[key][item], base[key][item], rtol=1e-12, atol=1e-12,
                                               err_msg=f"{preset} {name}={v} {key}.{item}")
            else:
                np.testing.assert_allclose(got[key], base[key], rtol=1e-12, atol=1e-12,
                                           equal_nan=True, err_msg=f"{preset} {name}={v} {key}")
