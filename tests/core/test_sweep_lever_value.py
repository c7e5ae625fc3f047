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


@pytest.mark.parametrize("preset", core.preset_names())
def test_the_stages_after_the_energy_add_results_and_change_none(preset):
    """compute(keys=...) stops after the energy when the results asked for are made by then:
    right only while the later stages (system, rate, cost) change no earlier result."""
    from core.model import results as R
    from core.model.context import Ctx
    design = core.load_preset(preset)
    over = {"separator.thickness_um": np.linspace(10.0, 60.0, 7)} if design.layer("separator") else {}
    ctx = Ctx(design, dict(over))
    for stage in R.STAGES:
        stage(ctx)
    R._energy(ctx)
    before = {k: None if v is None else np.array(v, dtype=float) for k, v in ctx.values.items()}
    for stage in R.AFTER_ENERGY:
        stage(ctx)
    for k, v in before.items():
        after = ctx.values[k]
        assert (v is None) == (after is None), k
        if v is not None:
            np.testing.assert_array_equal(np.asarray(after, dtype=float), v, err_msg=k)
    early = R.compute(design, over=dict(over), keys=("stack_gravimetric_Wh_kg", "volumetric_Wh_L"))
    assert "cost_USD_kWh" not in early.values
    full = R.compute(design, over=dict(over), keys=("stack_gravimetric_Wh_kg", "cost_USD_kWh"))
    assert "cost_USD_kWh" in full.values
