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


@pytest.mark.parametrize("preset", core.preset_names())
def test_a_lazy_sweep_runs_the_later_stages_only_when_read_and_equals_the_eager_run(preset, monkeypatch):
    """sweep_lazy / sweep2_lazy stop after the energy and run the system, rate and cost stages
    when one of their results is first read: reading energy results runs them not at all, and
    every key (read in any order) equals a run of every stage at once."""
    import importlib
    from core.model import results as R
    S = importlib.import_module("core.model.sweep")   # (core.model.sweep is also a function)
    design = core.load_preset(preset)
    name = "separator.thickness_um" if design.layer("separator") else available_parameters(design)[0]
    x = _grid(name)
    runs = []
    real_finish = S.finish
    monkeypatch.setattr(S, "finish", lambda ctx: (runs.append(1), real_finish(ctx)))
    lazy = S.sweep_lazy(design, name, x)
    lazy["stack_gravimetric_Wh_kg"], lazy["volumetric_Wh_L"]
    assert runs == []
    eager = R.compute(design, over={name: S.sweep_values(design, name, x)})
    keys = list(ARRAY_KEYS)
    for k in reversed(keys):   # the later stages' results first, then the earlier ones
        got = lazy[k]
        if isinstance(got, dict):
            continue
        want = S._array(eager.values[k], (x.size,))
        np.testing.assert_array_equal(got, want, err_msg=k)
    assert runs == [1]
    # the design map's two-lever sweep
    other = next(p for p in available_parameters(design) if p != name)
    try:
        lazy2 = S.sweep2_lazy(design, name, x[:7], other, _grid(other)[:5])
    except core.DesignError:
        return   # (a pair the map does not offer)
    runs.clear()
    lazy2["stack_gravimetric_Wh_kg"]
    assert runs == []
    assert np.isfinite(lazy2["cost_USD_kWh"]).any() or "cost_USD_kWh" in lazy2
    assert runs == [1]


def _pairs(design):
    """Pairs of the first five continuous levers that can be mapped together (not, say, two
    amounts of one electrode)."""
    from core.model.params import check_pair
    names = [n for n in available_parameters(design) if not PARAMETERS[n].integer][:5]
    out = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            try:
                check_pair(a, b)
            except core.DesignError:
                continue
            out.append((a, b))
    return out


PAIR_CASES = [(preset, a, b) for preset in core.preset_names()
              for a, b in _pairs(core.load_preset(preset))]


@pytest.mark.parametrize("preset,p1,p2", PAIR_CASES)
def test_a_maps_grid_is_the_same_whatever_its_two_values_in_the_design(preset, p1, p2):
    """The design map keeps its grid while either of its two parameters is edited (every cell
    sets both: gui.plots.design_map.map_key sets them aside)."""
    from core.model.sweep import sweep2
    design = core.load_preset(preset)
    g1, g2 = _grid(p1)[::4], _grid(p2)[::4]
    try:
        base = sweep2(design, p1, g1, p2, g2)
    except core.DesignError:
        pytest.skip(f"{p1} x {p2} cannot be mapped for {preset}")
    checked = 0
    for v1, v2 in ((float(g1[1]), float(g2[-2])), (float(g1[-3]), float(g2[2]))):
        try:
            other = core.with_parameter(core.with_parameter(design, p1, v1), p2, v2)
        except core.DesignError:
            continue
        got = sweep2(other, p1, g1, p2, g2)
        for key in ("stack_gravimetric_Wh_kg", "stack_volumetric_Wh_L", "gravimetric_Wh_kg",
                    "volumetric_Wh_L", "cost_USD_kWh"):
            np.testing.assert_allclose(got[key], base[key], rtol=1e-12, atol=1e-12, equal_nan=True,
                                       err_msg=f"{preset} {p1}={v1} {p2}={v2} {key}")
        checked += 1
    assert checked or pytest.skip("no other values of the pair are valid")
