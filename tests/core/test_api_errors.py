"""The scripting API refuses bad arguments with a DesignError naming the argument (never a raw
ValueError, OverflowError or ZeroDivisionError): issue "Nothing lost, round two", items 7-8, 11."""
from __future__ import annotations

import json

import numpy as np
import pytest

import core
from core_testlib import design


def _tiny_second_component():
    d = json.loads(core.io.design_json(core.load_preset()))
    d["unit_cell"][1]["components"] = [{"material": "NMC811", "mass_fraction": 1 - 1e-7},
                                       {"material": "Li3InCl6", "mass_fraction": 1e-7}]
    return design(d)


def test_active_fraction_with_a_near_zero_rest_is_finite():
    d = _tiny_second_component()
    d2 = core.with_parameter(d, "cathode.active_fraction", 0.8)
    fr = [c.mass_fraction for c in d2.layer("cathode").components]
    assert fr == pytest.approx([0.8, 0.2])
    r = core.evaluate(d2)
    assert np.isfinite(r.stack_gravimetric_Wh_kg)
    s = core.sweep(d, "cathode.active_fraction", [0.5, 0.8, 0.95])
    assert np.all(np.isfinite(s["stack_gravimetric_Wh_kg"]))
    assert s["stack_gravimetric_Wh_kg"][1] == pytest.approx(r.stack_gravimetric_Wh_kg)
    sol = core.solve_for(d, "cathode.active_fraction", "stack_gravimetric_Wh_kg", 350)
    assert sol.ok


@pytest.mark.parametrize("kw, field", [
    ({"lo": 0}, "lo"), ({"hi": float("inf")}, "hi"), ({"lo": 1e-320, "hi": 1e308}, "hi"),
    ({"lo": 50, "hi": 10}, "hi"), ({"lo": "a"}, "lo"), ({"hi": 1j}, "hi"), ({"lo": 10 ** 400}, "lo"),
])
def test_solve_for_bad_ranges_name_the_argument(kw, field):
    with pytest.raises(core.DesignError) as e:
        core.solve_for(core.load_preset(), "separator.thickness_um", "stack_gravimetric_Wh_kg", 400, **kw)
    assert str(e.value).startswith(f"{field}:")


@pytest.mark.parametrize("values", [["a"], [1j, 2j], [[1, 2], [3]], []])
def test_sweep_bad_values_name_the_parameter(values):
    with pytest.raises(core.DesignError):
        core.sweep(core.load_preset(), "separator.thickness_um", values)


def test_solve_for_bad_target_and_parameter():
    with pytest.raises(core.DesignError, match="^target:"):
        core.solve_for(core.load_preset(), "separator.thickness_um", "stack_gravimetric_Wh_kg", float("nan"))
    with pytest.raises(core.DesignError, match="^parameter:"):
        core.solve_for(core.load_preset(), ["x"], "stack_gravimetric_Wh_kg", 400)


@pytest.mark.parametrize("param, values", [("electrode.width_mm", [1e300, 1e305, 1.7e308]),
                                           ("cathode.loading_mg_cm2", [1e-320, 1e-300, 1])])
def test_extreme_sweeps_hold_no_inf(param, values):
    s = core.sweep(core.load_preset(), param, values)
    for k in core.model.NUMERIC_KEYS:
        assert not np.any(np.isinf(s[k])), k
