"""core.goalseek for a result where less is better (the materials cost per kWh): the target is a
maximum, judged as -y >= -target so needed values equal core.solve_for's to 1e-9, and every
sentence words it as a maximum ('≤ 90 USD/kWh', 'it is at least …'); a curve with no value
anywhere says it is undefined; the items without a price are named."""
from __future__ import annotations

import json

import numpy as np
import pytest

import core
from core import goalseek as g
from core.model import LOWER_IS_BETTER, PARAMETERS
from core.model.cost import unpriced
from core_testlib import design

COST = "cost_USD_kWh"


def judge(d, name, key, target, current=None):
    p = PARAMETERS[name]
    x = g.search_grid(p.lo, p.hi, p.log, p.integer)
    y = core.sweep(d, name, x)[key]
    return g.statement(x, y, target, integer=p.integer, current=current, lower=key in LOWER_IS_BETTER,
                       refine=lambda xs: core.sweep(d, name, xs)[key])


def test_a_maximum_is_the_negated_minimum():
    x = np.linspace(0.0, 4.0, 41)
    f = lambda t: 10 - (t - 2.0) ** 2  # noqa: E731
    for target in (9.0, 12.0, 3.0, -50.0):
        lo = g.statement(x, -f(x), -target, refine=lambda t: -f(t), current=3.5)
        st = g.statement(x, f(x), target, refine=f, current=3.5, lower=True)
        assert st.lower and not lo.lower
        assert (st.kind, st.value, st.at_least, st.ranges, st.crossings, st.flat) == \
               (lo.kind, lo.value, lo.at_least, lo.ranges, lo.crossings, lo.flat)
        assert st.target == target
        assert st.best == (None if lo.best is None else -lo.best)
    # met at or below 9 away from the hump's top (|t - 2| >= 1): both ends, the nearer one named
    st = g.statement(x, f(x), 9.0, refine=f, current=3.5, lower=True)
    assert st.kind == "threshold" and st.at_least and st.value == pytest.approx(3.0, abs=1e-9)
    assert all(f(v) <= 9.0 + 1e-9 for v in np.linspace(st.value, 4.0, 20))


def test_statements_mix_minimum_and_maximum_curves_in_one_call():
    x = np.linspace(1.0, 10.0, 91)
    calls = []

    def ev(xs):
        calls.append(xs.size)
        return {"e": 10 * xs ** 2, "c": 100 / xs ** 2}

    # (curves of another shape than (a + b x) / (c + d x): those are read off the curve itself)
    out = g.statements(x, {"e": (10 * x ** 2, 250.0), "c": (100 / x ** 2, 6.25, True)}, evaluate=ev)
    assert out["e"].kind == "threshold" and out["e"].at_least and not out["e"].lower
    assert out["e"].value == pytest.approx(5.0, rel=1e-12)
    assert out["c"].kind == "threshold" and out["c"].at_least and out["c"].lower
    assert out["c"].value == pytest.approx(4.0, rel=1e-12)
    assert len(calls) == g.REFINE_PASSES   # one model call per pass for both curves
    # a straight line and a hyperbola: exact with no model call
    calls.clear()
    out = g.statements(x, {"e": (10 * x, 50.0), "c": (100 / x, 25.0, True)}, evaluate=ev)
    assert out["e"].value == pytest.approx(5.0, rel=1e-15) and out["c"].value == pytest.approx(4.0, rel=1e-15)
    assert calls == []


@pytest.mark.parametrize("preset", ["review-baseline-nmc811-li3incl6-li", "review-li-s-baseline",
                                    "graphite-nmc811-li6ps5cl", "anode-free-nmc811-li6ps5cl"])
def test_cost_statements_agree_with_solve_for(preset):
    d = core.load_preset(preset)
    now = core.evaluate(d).values[COST]
    checked = 0
    for name in core.available_parameters(d):
        if PARAMETERS[name].integer:
            continue
        for target in (0.97 * now, 1.1 * now, 90.0):
            sol = core.solve_for(d, name, COST, target)
            st = judge(d, name, COST, target, core.parameter_value(d, name))
            assert sol.statement.lower and st.lower
            assert st.kind == sol.statement.kind, (name, target)
            if sol.ok:
                assert st.value == pytest.approx(sol.value, rel=1e-9)
                assert st.at_least == sol.at_least
                v = core.evaluate(core.with_parameter(d, name, sol.value * (1.001 if sol.at_least else 0.999)))
                assert v.values[COST] <= target
                checked += 1
            elif st.best is not None:   # everywhere / nowhere: the same bound
                assert st.best == pytest.approx(sol.statement.best, rel=1e-12)
            else:
                assert np.ravel(st.ranges) == pytest.approx(np.ravel(sol.statement.ranges), rel=1e-9)
    assert checked >= 2


def test_words_for_a_maximum():
    d = core.load_preset()
    unit, runit, what = "µm", "USD/kWh", "Materials cost"
    st = judge(d, "anode.thickness_um", COST, 360, 40.0)
    assert st.kind == "threshold" and not st.at_least
    assert st.describe("Anode thickness", unit, runit, what) == "Anode thickness ≤ 30.7 µm for ≤ 360 USD/kWh"
    assert st.short("Anode thickness", unit, runit) == "Anode thickness ≤ 30.7 µm for ≤ 360 USD/kWh"
    sol = core.solve_for(d, "anode.thickness_um", COST, 360)
    assert sol.describe() == "Anode thickness <= 30.7 µm for <= 360 USD/kWh"

    st = judge(d, "anode.thickness_um", COST, 90, 40.0)
    assert st.kind == "nowhere" and st.best == pytest.approx(331, rel=0.01) and st.best_at == 0.1
    text = st.describe("Anode thickness", unit, runit, what)
    assert text == ("Materials cost ≤ 90 USD/kWh is out of reach by anode thickness alone: it is at least "
                    "331 USD/kWh (at 0.1 µm) over 0.1–2000 µm")
    assert st.short("Anode thickness", unit, runit) == \
        "≤ 90 USD/kWh out of reach by anode thickness alone (at least 331 USD/kWh)"
    reason = core.solve_for(d, "anode.thickness_um", COST, 90).reason
    assert reason == text.replace("≤", "<=").replace("–", "-")   # one code path, ASCII signs

    st = judge(d, "stacking.unit_cells", COST, 1000, 20.0)
    assert st.kind == "everywhere" and not st.flat
    text = st.describe("Unit cells", "unit cells", runit, what)
    assert text.startswith("Materials cost ≤ 1000 USD/kWh is met over the whole range of unit cells "
                           "(1–1000 unit cells): it is at most ")
    assert st.best == max(core.sweep(d, "stacking.unit_cells", np.arange(1.0, 1001.0))[COST])
    assert "met everywhere (at most" in st.short("Unit cells", "unit cells", runit)

    st = judge(d, "operation.c_rate", COST, 90, 0.2)   # the cost does not depend on the C-rate
    assert st.kind == "nowhere" and st.flat
    assert st.describe("C-rate", "C", runit, what).endswith(
        "out of reach by C-rate alone: materials cost does not depend on it (it stays 369 USD/kWh)")
    assert "(stays 369 USD/kWh)" in st.short("C-rate", "C", runit)

    x = np.linspace(0.0, 4.0, 41)
    f = lambda t: 10 + (t - 2.0) ** 2  # noqa: E731 - at or below 11 only for |t - 2| <= 1
    st = g.statement(x, f(x), 11.0, refine=f, lower=True)
    assert st.kind == "ranges"
    assert st.describe("Lever", "mm", runit, what) == \
        "Materials cost ≤ 11 USD/kWh is met only at lever 1–3 mm, and from no value on"
    assert st.short("Lever", "mm", runit) == "≤ 11 USD/kWh only at 1–3 mm (from no value on)"
    for s in (st.describe("Lever", "mm", runit, what), st.short("Lever", "mm", runit)):
        assert "nan" not in s.lower() and "inf" not in s.lower()


def test_no_value_anywhere_is_undefined_not_nan():
    x = np.linspace(1.0, 5.0, 9)
    st = g.statement(x, np.full(9, np.nan), 90.0, lower=True)
    assert st.kind == "nowhere" and st.undefined and not st.ok and st.best is None
    text = st.describe("Separator thickness", "µm", "USD/kWh", "Materials cost")
    assert text == "Materials cost is undefined over the whole range of separator thickness (1–5 µm)"
    assert st.short("Separator thickness", "µm", "USD/kWh") == "USD/kWh undefined over the whole range"
    st = g.statement(x, np.full(9, np.inf), 400.0)
    assert st.undefined and "nan" not in st.describe("Lever", "mm", "Wh/kg").lower()


def test_labels_keep_element_symbols_and_formulas():
    assert g.label_lower("Li foil thickness") == "Li foil thickness"
    assert g.label_lower("Li2S content") == "Li2S content"
    assert g.label_lower("Separator thickness") == "separator thickness"
    assert g.label_lower("N/P ratio") == "N/P ratio" and g.label_lower("S content") == "S content"


def test_unpriced_items_are_named():
    d = core.load_preset()
    assert unpriced(core.evaluate(d).warnings) == ""
    raw = json.loads(core.io.design_json(d))
    raw["materials"] = {"MySSE": {"density_g_cm3": 2.0}}
    sep = [layer for layer in raw["unit_cell"] if layer["role"] == "separator"][0]
    sep["material"] = "MySSE"
    r = core.evaluate(design(raw))
    assert "MySSE" in unpriced(r.warnings)
    assert unpriced(r.warnings) in r.warnings[[w.startswith("No price known for") for w in r.warnings].index(True)]
