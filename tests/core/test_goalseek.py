"""core.goalseek: a needed value only where the target holds from there on, the places where it
is met otherwise, 'met everywhere', integer levers at whole numbers, and agreement with
core.solve_for (to 1e-9) wherever solve_for's crossing is a true needed value."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import core
from core import goalseek as g
from core.model import PARAMETERS
from core.model.params import sweep_values

KEY = "stack_gravimetric_Wh_kg"


def judge(design, name, key, target, current=None):
    p = PARAMETERS[name]
    step = 2 if (design.stacking.type == "parallel" and design.stacking.collector_sharing == "bicell"
                 and name == "stacking.unit_cells") else 1
    x = g.search_grid(p.lo, p.hi, p.log, p.integer, step)
    y = core.sweep(design, name, x)[key]
    return g.statement(x, y, target, integer=p.integer, current=current,
                       refine=lambda xs: core.sweep(design, name, xs)[key])


def test_zigzag_states_the_count_from_which_every_count_meets_the_target():
    d = core.load_preset()   # shared collectors: odd counts 400.1, 22 -> 399.3, 24 -> 399.6 ...
    st = judge(d, "stacking.unit_cells", KEY, 400)
    ys = {n: core.evaluate(core.with_parameter(d, "stacking.unit_cells", n)).values[KEY] for n in range(19, 40)}
    assert ys[21] >= 400 > ys[22]          # the zig-zag the old 'Unit cells >= 21' hid
    assert st.kind == "threshold" and st.at_least
    n0 = int(st.value)
    assert all(ys[n] >= 400 for n in range(n0, 40)) and ys[n0 - 1] < 400
    assert 21.0 in st.values and 22.0 not in st.values
    assert st.also and st.also[0][0] == 21
    text = st.describe("Unit cells", "unit cells", "Wh/kg")
    assert text.startswith(f"Unit cells ≥ {n0} for 400 Wh/kg (also met at 21, 23")
    assert "unit cells unit cells" not in text and "≥ 21 " not in text


def test_met_everywhere_is_not_out_of_reach():
    af = core.load_preset("anode-free-nmc811-li6ps5cl")
    st = judge(af, "stacking.unit_cells", "stack_volumetric_Wh_L", 1000)
    assert st.kind == "everywhere" and st.best >= 1000
    text = st.describe("Unit cells", "unit cells", "Wh/L", "Stack Wh/L")
    assert "met over the whole range" in text and "out of reach" not in text
    assert "1–1000 unit cells" in text
    # a baseline whose anode is deleted (the cell plates its Li): the same answer
    d = core.load_preset()
    no_anode = replace(d, unit_cell=tuple(layer for layer in d.unit_cell if layer.role != "anode"))
    core.evaluate(no_anode)
    st = judge(no_anode, "stacking.unit_cells", "unit_cell_gravimetric_Wh_kg", 400)
    assert st.kind == "everywhere" and st.flat and st.best > 400
    assert "met over the whole range" in st.describe("Unit cells", "unit cells", "Wh/kg")


def test_out_of_reach_names_units_and_keeps_acronyms():
    d = core.load_preset("graphite-nmc811-li6ps5cl")
    st = judge(d, "stacking.unit_cells", KEY, 400)
    text = st.describe("Unit cells", "unit cells", "Wh/kg", "Stack Wh/kg")
    assert st.kind == "nowhere"
    assert "(at 999 unit cells) over 1–1000 unit cells" in text
    assert "( at" not in text and " )" not in text and not text.endswith(" ")
    st = judge(core.load_preset(), "anode.np_ratio", KEY, 2000)
    assert "by N/P ratio alone" in st.describe("N/P ratio", "", "Wh/kg", "Stack Wh/kg")


@pytest.mark.parametrize("preset", ["review-baseline-nmc811-li3incl6-li", "review-li-s-baseline",
                                    "graphite-nmc811-li6ps5cl", "anode-free-nmc811-li6ps5cl"])
def test_monotone_levers_agree_with_solve_for(preset):
    d = core.load_preset(preset)
    checked = 0
    for name in core.available_parameters(d):
        if PARAMETERS[name].integer:
            continue
        for key, target in ((KEY, 400), ("stack_volumetric_Wh_L", 1000), ("unit_cell_gravimetric_Wh_kg", 450),
                            (KEY, 250)):
            sol = core.solve_for(d, name, key, target)
            st = judge(d, name, key, target, core.parameter_value(d, name))
            if sol.ok and len(sol.crossings) == 1:
                assert st.kind == "threshold"
                assert st.value == pytest.approx(sol.value, rel=1e-9)
                assert st.at_least == sol.at_least
                checked += 1
    assert checked >= 1


def test_a_hump_is_listed_not_stated():
    """Graphite anode: stack Wh/kg peaks near N/P 1, so 250 Wh/kg is met only between two N/P
    ratios; solve_for named one crossing as if it held from there on."""
    d = core.load_preset("graphite-nmc811-li6ps5cl")
    sol = core.solve_for(d, "anode.np_ratio", KEY, 250)
    assert len(sol.crossings) == 2
    st = judge(d, "anode.np_ratio", KEY, 250, core.parameter_value(d, "anode.np_ratio"))
    assert st.kind == "ranges" and not st.ok
    (a, b), = st.ranges
    for v, met in ((0.5 * (a + b), True), (a * 0.98, False), (b * 1.02, False)):
        r = core.evaluate(core.with_parameter(d, "anode.np_ratio", v))
        assert (r.values[KEY] >= 250) is met


def test_ranges_without_a_needed_value_and_refinement():
    x = np.linspace(0.0, 4.0, 41)
    f = lambda t: 10 - (t - 2.0) ** 2  # noqa: E731 - met for |t - 2| <= 1
    st = g.statement(x, f(x), 9.0, refine=f)
    assert st.kind == "ranges" and st.value is None and not st.ok
    (a, b), = st.ranges
    assert (a, b) == (pytest.approx(1.0, abs=1e-9), pytest.approx(3.0, abs=1e-9))
    assert "met only at" in st.describe("Lever", "mm", "Wh/kg") and "1–3 mm" in st.describe("Lever", "mm", "Wh/kg")
    # met at both ends: the end nearer the design is the needed value, the other is listed
    st = g.statement(x, -f(x), -9.0, refine=lambda t: -f(t), current=3.5)
    assert st.kind == "threshold" and st.at_least and st.value == pytest.approx(3.0, abs=1e-9)
    assert st.also == ((0.0, pytest.approx(1.0, abs=1e-9)),)
    # (which end is named depends on the current value; a statement that is not of this kind
    # does not)
    other = g.statement(x, -f(x), -9.0, refine=lambda t: -f(t), current=0.5)
    assert not other.at_least and other.value == pytest.approx(1.0, abs=1e-9)
    assert st.chosen_by_current and other.chosen_by_current
    assert not g.statement(x, f(x), 9.0, refine=f, current=3.5).chosen_by_current
    assert not g.statement(x, 10 * x, 20.0, current=3.5).chosen_by_current


def test_goalseek_is_pure_numpy():
    import ast
    import inspect
    tree = ast.parse(inspect.getsource(g))
    names = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
             for a in n.names} | {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any("Qt" in str(n) or "PySide" in str(n) or n in ("model", ".model") for n in names)


@pytest.mark.parametrize("name,key", [(n, KEY) for n in ("separator.thickness_um", "cathode.areal_capacity_mAh_cm2",
                                                           "anode.np_ratio", "cathode.active_fraction")]
                         # (the energy at a C-rate is not a ratio of affine functions of these
                         # levers: its crossings are refined with the model)
                         + [(n, "gravimetric_Wh_kg_at_rate") for n in ("cathode.active_fraction",
                                                                      "cathode.loading_mg_cm2")])
def test_the_crossing_is_the_models_own_to_2e_12(name, key):
    """The crossing (read off the curve where it is a ratio of affine functions of the lever,
    else refined with the model) lies within 2e-12 (relative) of the crossing of the model
    itself, found here by bisecting core.evaluate of single designs to machine precision."""
    d = core.load_preset()
    if name not in core.available_parameters(d):
        pytest.skip(f"{name} not in the default design")
    r0 = core.evaluate(d).values[key]
    checked = 0
    for f in (0.93, 1.04):
        target = r0 * f
        st = judge(d, name, key, target)
        crossings = [x for x in (st.crossings or ()) if x is not None]
        if not crossings:
            continue
        x = crossings[0]
        p = PARAMETERS[name]
        grid = g.search_grid(p.lo, p.hi, p.log, p.integer)
        i = int(np.searchsorted(grid, x))
        a, b = float(grid[max(i - 1, 0)]), float(grid[min(i, grid.size - 1)])
        assert x == pytest.approx(_model_crossing(d, name, key, target, a, b), rel=2e-12, abs=0)
        checked += 1
    assert checked


def _model_crossing(d, name, key, target, a, b) -> float:
    """The crossing of `target` by `key` between lever values a and b, bisecting core.evaluate
    of single designs to machine precision."""
    val = lambda v: core.evaluate(core.with_parameter(d, name, v)).values[key] - target  # noqa: E731
    fa = val(a)
    assert fa * val(b) <= 0
    for _ in range(200):
        m = 0.5 * (a + b)
        if m in (a, b):
            break
        fm = val(m)
        if (fm > 0) == (fa > 0):
            a, fa = m, fm
        else:
            b = m
    return 0.5 * (a + b)


def test_a_crossing_on_a_steep_curved_stretch_is_read_off_the_refined_points():
    """The energy at rate against a low cathode density (a curve of no simple form, steep and
    bent): refined with the model, then read off the refined points by the same fit with the
    looser check, within 1e-13 of the model's own crossing (a straight line between the two
    refined points around it was 5e-10 off)."""
    d = core.load_preset("silicon-nmc811-li6ps5cl")
    name, key = "cathode.density_g_cm3", "gravimetric_Wh_kg_at_rate"
    p = PARAMETERS[name]
    x = sweep_values(d, name, g.search_grid(p.lo, p.hi, p.log, p.integer))
    y = core.sweep(d, name, x)[key]
    target = float(np.nanmin(y) + 0.15 * (np.nanmax(y) - np.nanmin(y)))
    sol = core.solve_for(d, name, key, target)
    (xc,) = sol.statement.crossings
    i = int(np.searchsorted(x, xc))
    assert g._local_root(x, y, i - 1, target) is None   # (not of the simple form there)
    assert xc == pytest.approx(_model_crossing(d, name, key, target, float(x[i - 1]), float(x[i])),
                               rel=1e-13, abs=0)


def test_a_crossing_on_a_curve_of_the_affine_ratio_form_needs_no_model_call():
    """(a + b x) / (c + d x) around the crossing: the root of the curve itself, exact to
    rounding, without calling evaluate; near a kink, or on a curve of another shape, the
    crossing is refined with the model as before."""
    x = np.linspace(5.0, 100.0, 801)
    ratio = lambda t: (300.0 + 2.0 * t) / (1.0 + 0.01 * t)  # noqa: E731 - falls from 300 to 250
    calls = []

    def ev(key_fn):
        return lambda xs: (calls.append(xs.size), {"y": key_fn(xs)})[1]
    target = 270.0   # (300 + 2t) = 270 (1 + 0.01 t): t = 30 / 0.7
    st = g.statements(x, {"y": (ratio(x), target, True)}, evaluate=ev(ratio))["y"]
    assert st.value == pytest.approx(30.0 / 0.7, rel=1e-14) and calls == []
    # a kink inside the crossing's interval (slope 1, then 3): refined with the model
    kink = 42.0 + 0.5 * (x[300] - x[299])   # (between two grid points)
    bent = lambda t: np.where(t < kink, t, kink + 3.0 * (t - kink))  # noqa: E731
    target = float(bent(np.array([kink + 0.01]))[0])
    st = g.statements(x, {"y": (bent(x), target)}, evaluate=ev(bent))["y"]
    assert len(calls) == 1 and st.value == pytest.approx(kink + 0.01, rel=1e-12)
    assert g._local_root(x, bent(x), int(np.searchsorted(x, kink)) - 1, target) is None
    # a kink just past the interval (between its end and the check point after it): the check
    # fails, so no reading either; three points further, the curve is read again
    i = int(np.searchsorted(x, kink))   # x[i - 1] < kink < x[i]
    assert g._local_root(x, bent(x), i - 2, float(bent(x)[i - 2]) + 1e-6) is None
    assert g._local_root(x, bent(x), i - 3, float(bent(x)[i - 3]) + 1e-6) == pytest.approx(
        float(x[i - 3]) + 1e-6, rel=1e-13)
    # too near the range's end for the check points
    assert g._local_root(x, ratio(x), 1, float(ratio(x)[1]) - 1e-6) is None
