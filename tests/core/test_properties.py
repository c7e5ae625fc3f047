"""Property tests (hypothesis): invariants of the model over generated designs, and hostile
design files that must only ever raise DesignError and never give NaN or infinity.

GENERATED counts every generated input that reached a test body (printed at the end of the
module with `pytest -s`; `--hypothesis-show-statistics` gives hypothesis's own counts)."""
from __future__ import annotations

import collections
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import core
from core.model import NUMERIC_KEYS, PARAMETERS
from core_testlib import design, preset_dicts

GENERATED: collections.Counter = collections.Counter()
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    total = sum(v for k, v in GENERATED.items() if "refused" not in k)
    print(f"\nhypothesis inputs run: {dict(GENERATED)}; total {total}")


# ---------------------------------------------------------------- generated valid designs
def fl(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


LITHIATED = ["NMC811", "NMC9055", "NMC622", "LCO", "LFP", "Li2S"]
UNLITHIATED = ["S", "TiS2"]
ELECTROLYTES = ["Li6PS5Cl", "Li3InCl6", "Li10GeP2S12", "LLZO", "Li3YCl6", "beta-Li3PS4"]


@st.composite
def fractions(draw, n):
    """n mass fractions in (0, 1] summing to 1 (the last one takes the rest)."""
    raw = [draw(fl(0.05, 1.0)) for _ in range(n)]
    total = sum(raw)
    ws = [round(w / total, 6) for w in raw[:-1]]
    ws.append(1.0 - sum(ws))
    assume(all(w > 0 for w in ws))
    return ws


@st.composite
def electrode_body(draw, actives, fillers, amount_keys, amount_ranges):
    active = draw(st.sampled_from(actives))
    n_fill = draw(st.integers(0, 2))
    mats = [active] + draw(st.lists(st.sampled_from(fillers), min_size=n_fill, max_size=n_fill, unique=True))
    body: dict = {}
    if len(mats) == 1 and draw(st.booleans()):
        body["material"] = active
    else:
        body["components"] = [{"material": m, "mass_fraction": w} for m, w in zip(mats, draw(fractions(len(mats))))]
    how = draw(st.sampled_from(["density", "porosity", "neither"]))
    if how == "density":
        body["density_g_cm3"] = draw(fl(0.5, 6.0))
    elif how == "porosity":
        body["porosity"] = draw(fl(0.0, 0.6))
    key = draw(st.sampled_from(amount_keys))
    body[key] = draw(fl(*amount_ranges[key]))
    return body


@st.composite
def film(draw, materials, t_range=(0.5, 200.0)):
    body = {"material": draw(st.sampled_from(materials)), "thickness_um": draw(fl(*t_range))}
    if draw(st.booleans()):
        body["porosity"] = draw(fl(0.0, 0.5))
    return body


CATHODE_AMOUNTS = {"loading_mg_cm2": (0.5, 80.0), "thickness_um": (2.0, 400.0),
                   "areal_capacity_mAh_cm2": (0.1, 15.0)}
ANODE_AMOUNTS = {"loading_mg_cm2": (0.1, 40.0), "thickness_um": (0.5, 300.0),
                 "areal_capacity_mAh_cm2": (0.1, 20.0), "np_ratio": (0.1, 5.0)}


@st.composite
def design_dicts(draw, anode_kind=None, lithiated_cathode=None):
    """A valid design-file dict covering every stacking mode, amount key and option."""
    if lithiated_cathode is None:
        lithiated_cathode = draw(st.booleans()) or draw(st.booleans())   # 3:1 lithiated
    actives = LITHIATED if lithiated_cathode else UNLITHIATED
    cathode = draw(electrode_body(actives, ELECTROLYTES + ["Carbon", "PVDF"],
                                  list(CATHODE_AMOUNTS), CATHODE_AMOUNTS))
    seps = [{"role": "separator", **draw(film(ELECTROLYTES)),
             "overhang_mm": draw(fl(0.0, 3.0))} for _ in range(draw(st.integers(1, 2)))]
    if draw(st.booleans()):
        seps.append({"role": "interlayer", "label": "Ag-C",
                     "components": [{"material": "Ag", "mass_fraction": 0.25},
                                    {"material": "Carbon", "mass_fraction": 0.75}],
                     "porosity": 0.5, "thickness_um": draw(fl(0.5, 20.0))})
    kind = anode_kind or draw(st.sampled_from(["li", "li", "none", "graphite", "si"]))
    anode = None
    if kind == "li":
        key = draw(st.sampled_from(["thickness_um", "np_ratio", "areal_capacity_mAh_cm2", "loading_mg_cm2"]))
        anode = {"role": "anode", "material": "Li", key: draw(fl(*ANODE_AMOUNTS[key]))}
    elif kind in ("graphite", "si"):
        anode = {"role": "anode", **draw(electrode_body(["Graphite"] if kind == "graphite" else ["Si"],
                                                       ELECTROLYTES + ["Carbon"], list(ANODE_AMOUNTS),
                                                       ANODE_AMOUNTS))}
    if anode is not None:
        anode["overhang_mm"] = draw(fl(0.0, 2.0))
    unit_cell = [{"role": "positive_collector", **draw(film(["Al", "Ti", "SS"], (1.0, 40.0)))},
                 {"role": "cathode", **cathode}, *seps, *([anode] if anode else []),
                 {"role": "negative_collector", **draw(film(["Cu", "Ni", "SS"], (1.0, 40.0))),
                  "overhang_mm": draw(fl(0.0, 4.0))}]
    mode = draw(st.sampled_from(["shared", "bicell", "none", "bipolar"]))
    if mode == "bipolar":
        n = draw(st.integers(1, 12))
        stacking = {"type": "bipolar", "unit_cells": n}
        if n > 1 or draw(st.booleans()):
            stacking["plate"] = draw(film(["SS", "Al", "Cu", "Ni"], (1.0, 50.0)))
    else:
        n = draw(st.integers(1, 25)) * (2 if mode == "bicell" else 1)
        stacking = {"type": "parallel", "unit_cells": n, "collector_sharing": mode}
        if mode != "shared" and draw(st.booleans()):
            stacking["spacer"] = draw(film(["PET", "PP"], (1.0, 100.0)))
    d = {"format": "ssb-pouch-design", "schema_version": 1, "name": "generated",
         "electrode": {"width_mm": draw(fl(5.0, 300.0)), "height_mm": draw(fl(5.0, 300.0))},
         "unit_cell": unit_cell, "stacking": stacking,
         "volume_state": draw(st.sampled_from(["discharged", "charged"]))}
    if draw(st.booleans()):
        d["packaging"] = {
            "laminate_thickness_um": draw(fl(0.0, 200.0)), "laminate_density_g_cm3": draw(fl(0.8, 2.5)),
            "seal_width_mm": draw(fl(0.0, 10.0)), "volume_basis": draw(st.sampled_from(["outline", "stack"])),
            "tabs": [{"material": draw(st.sampled_from(["Al", "Ni", "Cu"])), "width_mm": draw(fl(1.0, 30.0)),
                      "length_mm": draw(fl(1.0, 50.0)), "thickness_um": draw(fl(10.0, 400.0))}
                     for _ in range(draw(st.integers(0, 2)))]}
    if draw(st.integers(0, 3)) == 0:
        d["nominal_voltage_V"] = draw(fl(0.5, 5.0))
    return d


def designs(**kw):
    return design_dicts(**kw).map(design)


LEVELS = ("unit_cell_gravimetric_Wh_kg", "stack_gravimetric_Wh_kg", "gravimetric_Wh_kg")


def not_above(new, old):
    return new <= old + 1e-9 * max(1.0, abs(old))


# ---------------------------------------------------------------- invariants
@settings(max_examples=120, **SETTINGS)
@given(designs(), fl(1.0001, 20.0))
def test_thicker_separator_never_raises_energy_density(d, factor):
    GENERATED["thicker separator"] += 1
    r0 = core.evaluate(d)
    t0 = core.parameter_value(d, "separator.thickness_um", r0)
    r1 = core.evaluate(core.with_parameter(d, "separator.thickness_um", t0 * factor))
    for k in LEVELS + ("unit_cell_volumetric_Wh_L", "stack_volumetric_Wh_L", "volumetric_Wh_L"):
        assert not_above(r1.values[k], r0.values[k]), k
    assert r1.mass_g > r0.mass_g
    assert r1.energy_Wh == pytest.approx(r0.energy_Wh, rel=1e-12)


@settings(max_examples=120, **SETTINGS)
@given(designs(anode_kind="li", lithiated_cathode=True), fl(1.0001, 20.0))
def test_thicker_li_never_raises_energy_density(d, factor):
    """With a lithiated cathode the Li foil is a plating host: more Li is only more mass."""
    GENERATED["thicker Li"] += 1
    r0 = core.evaluate(d)
    t0 = core.parameter_value(d, "anode.thickness_um", r0)
    r1 = core.evaluate(core.with_parameter(d, "anode.thickness_um", t0 * factor))
    for k in LEVELS:
        assert not_above(r1.values[k], r0.values[k]), k


@settings(max_examples=60, **SETTINGS)
@given(designs(anode_kind="li", lithiated_cathode=False), fl(1.0001, 20.0))
def test_thicker_li_with_sulfur_only_helps_while_the_foil_limits(d, factor):
    """S / TiS2 take their lithium from the foil: a thicker foil raises Wh/kg only while the foil
    limits the capacity (N/P < 1); once N/P >= 1 it is only mass again."""
    GENERATED["thicker Li (unlithiated cathode)"] += 1
    r0 = core.evaluate(d)
    t0 = core.parameter_value(d, "anode.thickness_um", r0)
    r1 = core.evaluate(core.with_parameter(d, "anode.thickness_um", t0 * factor))
    if r0.np_ratio >= 1:
        for k in LEVELS:
            assert not_above(r1.values[k], r0.values[k]), k
    else:
        assert r1.areal_capacity_mAh_cm2 > r0.areal_capacity_mAh_cm2


@settings(max_examples=150, **SETTINGS)
@given(designs())
def test_breakdown_sums_and_finite_results(d):
    GENERATED["breakdown / finite"] += 1
    r = core.evaluate(d)
    assert sum(b.mass_g for b in r.breakdown) == pytest.approx(r.mass_g, rel=1e-9)
    assert sum(b.mass_g for b in r.breakdown if b.item not in ("laminate", "tabs")) == \
        pytest.approx(r.stack_mass_g, rel=1e-9)
    assert all(b.mass_g >= 0 and b.volume_cm3 >= 0 for b in r.breakdown)
    assert_finite(r.to_dict())
    assert r.stack_gravimetric_Wh_kg >= r.gravimetric_Wh_kg - 1e-9
    json.dumps(r.to_dict(), allow_nan=False)


def assert_finite(obj, path="result"):
    if isinstance(obj, dict):
        for k, v in obj.items():
            assert_finite(v, f"{path}.{k}")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            assert_finite(v, f"{path}[{i}]")
    elif isinstance(obj, float):
        assert math.isfinite(obj), f"{path} = {obj}"
    else:
        assert obj is None or isinstance(obj, (str, int)), f"{path}: {obj!r}"


def sample_values(d, name, current, draw):
    if name == "stacking.unit_cells":
        step = 2 if d.stacking.type == "parallel" and d.stacking.collector_sharing == "bicell" else 1
        hi = 1 if (d.stacking.type == "bipolar" and d.stacking.plate is None) else 40
        return [float(step * draw(st.integers(1, max(1, hi // step)))) for _ in range(3)]
    if name == "cathode.active_fraction":
        return [draw(fl(0.05, 0.99)) for _ in range(3)]
    if PARAMETERS[name].integer:
        return [current] + [float(draw(st.integers(1, 60))) for _ in range(2)]
    cap = PARAMETERS[name].max_value
    if cap is not None:
        return [current] + [draw(fl(min(current, cap) / 5, cap)) for _ in range(2)]
    # around the design's own value (which may lie outside PARAMETERS' plotting range)
    return [current] + [draw(fl(current / 5, current * 5)) for _ in range(2)]


@settings(max_examples=40, **SETTINGS)
@given(designs(), st.data())
def test_sweep_equals_evaluate_with_parameter(d, data):
    """For every parameter the design supports, sweep agrees with evaluate(with_parameter)
    point by point, for every numeric key and every breakdown mass."""
    r0 = core.evaluate(d)
    names = core.available_parameters(d)
    assert set(names) <= set(PARAMETERS)
    for name in names:
        GENERATED["sweep vs evaluate (parameter)"] += 1
        xs = sample_values(d, name, core.parameter_value(d, name, r0), data.draw)
        s = core.sweep(d, name, xs)
        for i, x in enumerate(xs):
            r = core.evaluate(core.with_parameter(d, name, x))
            for k in NUMERIC_KEYS:
                want = r.values[k]
                got = s[k][i]
                if want is None:
                    assert np.isnan(got), (name, k)
                else:
                    assert got == pytest.approx(want, rel=1e-9, abs=1e-12), (name, x, k)
            masses = {b.item: b.mass_g for b in r.breakdown}
            for item, arr in s["breakdown_mass_g"].items():
                assert arr[i] == pytest.approx(masses.get(item, 0.0), rel=1e-9, abs=1e-12), (name, item)


def _conflict(p1, p2):
    amounts = ("loading_mg_cm2", "thickness_um", "areal_capacity_mAh_cm2", "np_ratio")
    r1, k1 = p1.split(".", 1)
    r2, k2 = p2.split(".", 1)
    return p1 == p2 or (r1 == r2 and r1 in ("cathode", "anode") and k1 in amounts and k2 in amounts)


@settings(max_examples=40, **SETTINGS)
@given(designs(), st.data())
def test_sweep2_equals_row_by_row_sweeps(d, data):
    """The design map: sweep2 over (p1, p2) equals sweep(with_parameter(d, p2, b), p1, ...)
    for each row b, for every numeric key (shape: len(v2) rows x len(v1) columns)."""
    GENERATED["sweep2 vs sweeps"] += 1
    names = core.available_parameters(d)
    p1 = data.draw(st.sampled_from(names))
    p2 = data.draw(st.sampled_from([n for n in names if not _conflict(p1, n)]))
    r0 = core.evaluate(d)
    v1 = sample_values(d, p1, core.parameter_value(d, p1, r0), data.draw)
    v2 = sample_values(d, p2, core.parameter_value(d, p2, r0), data.draw)[:2]
    m = core.model.sweep2(d, p1, v1, p2, v2)
    assert m["gravimetric_Wh_kg"].shape == (len(v2), len(v1))
    np.testing.assert_array_equal(m[p1][0], v1)
    np.testing.assert_array_equal(m[p2][:, 0], v2)
    for j, b in enumerate(v2):
        row = core.sweep(core.with_parameter(d, p2, b), p1, v1)
        for k in NUMERIC_KEYS:
            np.testing.assert_allclose(m[k][j], row[k], rtol=1e-9, atol=1e-12, err_msg=f"{p1} x {p2}: {k}")
        for item, arr in row["breakdown_mass_g"].items():
            np.testing.assert_allclose(m["breakdown_mass_g"][item][j], arr, rtol=1e-9, atol=1e-12)


def test_sweep2_refuses_conflicting_parameters():
    d = core.load_preset()
    for p1, p2 in [("separator.thickness_um", "separator.thickness_um"),
                   ("cathode.loading_mg_cm2", "cathode.thickness_um"),
                   ("anode.thickness_um", "anode.np_ratio")]:
        with pytest.raises(core.DesignError, match="^p2: "):
            core.sweep2(d, p1, [1, 2], p2, [1, 2])
    with pytest.raises(core.DesignError, match="must be > 0"):
        core.sweep2(d, "cathode.loading_mg_cm2", [10, 20], "separator.thickness_um", [0, 20])
    m = core.sweep2(d, "cathode.loading_mg_cm2", np.linspace(10, 40, 200),
                    "separator.thickness_um", np.linspace(10, 100, 150))
    assert m["stack_gravimetric_Wh_kg"].shape == (150, 200)
    z = m["stack_gravimetric_Wh_kg"]
    assert np.all(np.diff(z, axis=0) < 0)          # thicker separator: lower, row after row
    assert np.all(np.diff(z, axis=1) > 0)          # more loading: higher, along each row


SOLVE_KEYS = ("stack_gravimetric_Wh_kg", "gravimetric_Wh_kg", "volumetric_Wh_L",
              "unit_cell_gravimetric_Wh_kg", "energy_Wh")


@settings(max_examples=60, **SETTINGS)
@given(designs(lithiated_cathode=True), st.data())
def test_solve_for_reaches_its_target(d, data):
    """The target is a value the result takes inside the parameter's range; the solution,
    applied with with_parameter, must give it back."""
    GENERATED["solve_for"] += 1
    names = [n for n in core.available_parameters(d) if not PARAMETERS[n].integer]
    name = data.draw(st.sampled_from(names))
    key = data.draw(st.sampled_from(SOLVE_KEYS))
    p = PARAMETERS[name]
    hi = min(p.hi, 0.99) if name == "cathode.active_fraction" else p.hi
    u = data.draw(fl(0.02, 0.98))
    x0 = float(np.exp(np.log(p.lo) + u * (np.log(hi) - np.log(p.lo)))) if p.log else p.lo + u * (hi - p.lo)
    target = float(core.sweep(d, name, [x0])[key][0])
    grid = core.sweep(d, name, np.geomspace(p.lo, p.hi, 400) if p.log else np.linspace(p.lo, p.hi, 400))[key]
    assume(np.nanmax(grid) - np.nanmin(grid) > 1e-9 * max(1.0, abs(target)))
    sol = core.solve_for(d, name, key, target)
    assert sol.describe()
    if sol.ok:
        points = [sol.value]
    else:   # the target holds only in a window (no value from which on it holds): say where
        assert sol.statement.kind == "ranges", sol.reason
        assert "is met only at" in sol.reason
        points = list(sol.statement.crossings)
    for x in points:
        reached = core.evaluate(core.with_parameter(d, name, x)).values[key]
        assert reached == pytest.approx(target, rel=1e-6, abs=1e-9), (name, key, sol)


def test_solve_for_integer_unit_cells():
    """Whole numbers: a 4-cell bipolar NMC|Li stack gives 15.2 V; 30 V needs 8 cells (7.9)."""
    d = core.load_preset("bipolar-4s-nmc811-li6ps5cl-li")
    sol = core.solve_for(d, "stacking.unit_cells", "voltage_V", 30)
    assert sol.ok and sol.at_least and sol.value == 8
    assert core.evaluate(core.with_parameter(d, "stacking.unit_cells", 8)).voltage_V >= 30
    assert core.evaluate(core.with_parameter(d, "stacking.unit_cells", 7)).voltage_V < 30


def test_sweep_refuses_plates_it_does_not_have():
    """A one-cell bipolar design without a plate cannot be swept to more cells (evaluate of
    the same design refuses it too)."""
    import dataclasses
    d = core.load_preset("bipolar-4s-nmc811-li6ps5cl-li")
    d = dataclasses.replace(d, stacking=dataclasses.replace(d.stacking, unit_cells=1, plate=None))
    core.evaluate(d)
    with pytest.raises(core.DesignError, match="stacking.plate"):
        core.sweep(d, "stacking.unit_cells", [1, 2, 3])
    with pytest.raises(core.DesignError, match="stacking.plate"):
        core.evaluate(core.with_parameter(d, "stacking.unit_cells", 2))


# ---------------------------------------------------------------- hostile design files
EXTREME = [None, True, False, "", "text", "NaN", [], {}, 0, -1, 0.0, -0.0, 1, 2, 1e-7, 0.999999,
           1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 10 ** 400, 2 ** 63, float("inf"),
           float("-inf"), float("nan"), 1e-300, 123456789, 0.5]


NUMERIC_EXTREME = [0, -1, 5e-324, 1e-320, 1e-300, 1e-30, 1e30, 1e300, 1.7976931348623157e308,
                   10 ** 400, 0.9999999, 1.0000001, 2 ** 63, -5e-324]


def paths(obj, prefix=()):
    """Every (container, key) location in a JSON tree."""
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.append(prefix + (k,))
            out.extend(paths(v, prefix + (k,)))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.append(prefix + (i,))
            out.extend(paths(v, prefix + (i,)))
    return out


def get_parent(obj, path):
    for k in path[:-1]:
        obj = obj[k]
    return obj


@st.composite
def mutated(draw):
    if draw(st.booleans()):
        base = draw(st.sampled_from(sorted(PRESETS.items())))[1]
        base = json.loads(json.dumps(base))
    else:
        base = draw(design_dicts())
    for _ in range(draw(st.integers(1, 4))):
        ps = paths(base)
        if not ps:
            break
        path = ps[draw(st.integers(0, len(ps) - 1))]
        parent = get_parent(base, path)
        key = path[-1]
        kind = draw(st.sampled_from(["delete", "extreme", "extreme", "float", "retype", "duplicate",
                                     "number", "number"]))
        if kind == "number":   # an extreme value in place of a number the design really uses
            numeric = [q for q in ps if isinstance(get_parent(base, q)[q[-1]], (int, float))
                       and not isinstance(get_parent(base, q)[q[-1]], bool)]
            if numeric:
                path = numeric[draw(st.integers(0, len(numeric) - 1))]
                parent, key = get_parent(base, path), path[-1]
            parent[key] = draw(st.sampled_from(NUMERIC_EXTREME))
        elif kind == "delete":
            del parent[key]
        elif kind == "extreme":
            parent[key] = draw(st.sampled_from(EXTREME))
        elif kind == "float":
            parent[key] = draw(st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10 ** 30, 10 ** 30))
        elif kind == "retype":
            v = parent[key]
            parent[key] = (str(v) if isinstance(v, (int, float)) else
                           [v] if isinstance(v, (str, dict)) else {"x": v})
        elif isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(parent[key], allow_nan=True)))
        else:
            parent[key] = json.loads(json.dumps(parent[key], allow_nan=True))
    return base


PRESETS = preset_dicts()


@settings(max_examples=3000, **SETTINGS)
@given(mutated(), st.booleans())
def test_mutated_files_only_raise_design_error(d, via_text):
    GENERATED["mutated files"] += 1
    try:
        if via_text:
            des = core.parse_design_text(json.dumps(d, allow_nan=True))
        else:
            des = core.design_from_dict(d)
        r = core.evaluate(des)
    except core.DesignError as e:
        assert e.problems and all(isinstance(p, str) and p for p in e.problems)
        assert "\n" not in str(e)
        GENERATED["mutated files refused"] += 1
        return
    assert_finite(r.to_dict())
    assert isinstance(core.design_to_dict(des), dict)
    json.dumps(core.design_to_dict(des), allow_nan=False)     # a loaded design always saves


@settings(max_examples=150, **SETTINGS)
@given(designs(), st.data())
def test_sweeps_of_valid_designs_stay_finite(d, data):
    """Over each parameter's own range (PARAMETERS lo..hi), a sweep of a valid design gives
    finite numbers (np_ratio and anode thickness may be NaN = "no anode")."""
    GENERATED["sweep finite"] += 1
    name = data.draw(st.sampled_from(core.available_parameters(d)))
    p = PARAMETERS[name]
    if p.integer:
        step = 2 if d.stacking.type == "parallel" and d.stacking.collector_sharing == "bicell" else 1
        x = np.arange(step, 200, step, dtype=float)
        if d.stacking.type == "bipolar" and d.stacking.plate is None:
            x = x[:1]
    else:
        hi = min(p.hi, 0.99) if name == "cathode.active_fraction" else p.hi
        x = np.geomspace(p.lo, hi, 50) if p.log else np.linspace(p.lo, hi, 50)
    s = core.sweep(d, name, x)
    # null where they do not apply (FORMAT.md): no fixture, a cycle life at CE = 1 or with no
    # lithium, no resistance known, no energy to divide the cost by
    nullable = {"cycles_at_full_capacity", "cycle_life", "required_li_foil_um", "c_rate_at_10pct_drop",
                "cost_USD_kWh", "fixture_plate_thickness_mm", "fixture_mass_g", "fixture_volume_cm3",
                "fixture_clamp_force_kN", "fixture_rod_area_mm2"}
    for k in NUMERIC_KEYS:
        assert not np.any(np.isinf(s[k])), (name, k)
        if k in ("np_ratio", "anode_thickness_um") and d.layer("anode") is None:
            assert np.all(np.isnan(s[k]))
        elif k not in nullable:
            assert np.all(np.isfinite(s[k])), (name, k)


@pytest.mark.parametrize("where, value", [
    (("unit_cell", 1, "density_g_cm3"), 5e-324), (("unit_cell", 1, "loading_mg_cm2"), 5e-324),
    (("unit_cell", 2, "thickness_um"), 1e308), (("electrode", "width_mm"), 5e-324),
    (("electrode", "width_mm"), 1e308), (("packaging", "seal_width_mm"), 1e308),
])
def test_extreme_but_valid_numbers_raise_design_error(where, value):
    """Values that pass validation (> 0, finite) but under- or overflow inside the model give a
    DesignError, never ZeroDivisionError/OverflowError and never inf or NaN."""
    d = json.loads(json.dumps(PRESETS[core.DEFAULT_PRESET]))
    get_parent(d, where)[where[-1]] = value
    with pytest.raises(core.DesignError):
        core.evaluate(core.design_from_dict(d))


def test_extreme_material_override_raises_design_error():
    d = json.loads(json.dumps(PRESETS[core.DEFAULT_PRESET]))
    d["materials"] = {"NMC811": {"specific_capacity_mAh_g": 5e-324}}
    with pytest.raises(core.DesignError):
        core.evaluate(core.design_from_dict(d))
