"""The checks and layer numbers kept on the design's records (core.memo) never give another
design's answer: a record shared by designs with other materials, another electrode size or
another position gets its own; an edit sequence gives exactly what a rebuilt design gives."""
from __future__ import annotations

import dataclasses
import random

import pytest

import core
from core.design import design_from_dict, design_to_dict, validate
from core.memo import memo
from core.model import available_parameters, parameter_value, with_parameter
from core.rules import rule_warnings


def rebuilt(d: core.Design) -> core.Design:
    """The same design from its file form: every record new, nothing kept on any of them."""
    return design_from_dict(design_to_dict(d))


def same_result(a: core.Result, b: core.Result):
    assert a.values == b.values
    assert a.warnings == b.warnings
    assert a.breakdown == b.breakdown
    assert a.layers == b.layers


@pytest.mark.parametrize("name", core.preset_names())
def test_edit_sequences_equal_rebuilt_designs(name):
    """Random edits one after the other (the app's way: most records shared with the previous
    design) give the same result, warnings and problems as the same design built afresh."""
    rng = random.Random(7)
    d = core.load_preset(name)
    params = [p for p in available_parameters(d) if not p.startswith("stacking.")] + ["stacking.unit_cells"]
    seen = [d]
    for _ in range(25):
        p = rng.choice(params)
        cur = parameter_value(d, p, core.evaluate(d))
        if cur is None:
            continue
        factor = rng.choice([0.5, 0.8, 1.25, 2.0])
        v = max(1, round(cur * factor)) if p == "stacking.unit_cells" else cur * factor
        if p == "stacking.unit_cells" and d.stacking.collector_sharing == "bicell":
            v = 2 * max(1, round(v / 2))
        try:
            nd = with_parameter(d, p, v)
            core.evaluate(nd)
        except core.DesignError:
            continue
        d = nd
        seen.append(d)
        same_result(core.evaluate(d), core.evaluate(rebuilt(d)))
    # and every earlier design still gives its own result (nothing overwritten by later ones)
    for old in seen[::5]:
        same_result(core.evaluate(old), core.evaluate(rebuilt(old)))


def test_a_layer_shared_by_designs_with_other_materials_is_checked_for_each():
    base = core.load_preset(core.DEFAULT_PRESET)
    i = base.index_of("separator")
    sep = dataclasses.replace(base.unit_cell[i], material="MySSE", density_g_cm3=2.0)
    with_mat = dataclasses.replace(base.replace_layer(i, sep),
                                   materials={"MySSE": {"density_g_cm3": 2.5, "category": "electrolyte",
                                                        "ionic_conductivity_S_cm": 0.001}})
    core.evaluate(with_mat)                                   # valid, and its answers kept
    without = dataclasses.replace(with_mat, materials={})     # the same layer object, no MySSE
    assert without.unit_cell[i] is with_mat.unit_cell[i]
    with pytest.raises(core.DesignError, match=r"unit_cell\[\d\]\.material: unknown material"):
        core.evaluate(without)
    # the density rule follows the materials too: the same layer is denser than its solids
    # once the material's density is overridden below the layer's
    light = dataclasses.replace(with_mat, materials={"MySSE": {"density_g_cm3": 1.5, "category": "electrolyte",
                                                               "ionic_conductivity_S_cm": 0.001}})
    assert not any("pore-free density" in w for w in core.evaluate(with_mat).warnings)
    assert any("pore-free density" in w for w in core.evaluate(light).warnings)
    assert rule_warnings(light, core.evaluate(light)) == rule_warnings(rebuilt(light), core.evaluate(light))


def test_a_layer_shared_by_designs_of_other_sizes_gives_each_its_own_numbers():
    a = core.load_preset(core.DEFAULT_PRESET)
    b = dataclasses.replace(a, electrode_width_mm=a.electrode_width_mm * 1.7)
    assert all(x is y for x, y in zip(a.unit_cell, b.unit_cell))
    ra1, rb, ra2 = core.evaluate(a), core.evaluate(b), core.evaluate(a)
    assert rb.values["energy_Wh"] == pytest.approx(1.7 * ra1.values["energy_Wh"], rel=1e-12)
    same_result(ra1, ra2)
    same_result(rb, core.evaluate(rebuilt(b)))
    # one answer per kind on a record: a drag over many widths does not pile up answers
    for k in range(50):
        core.evaluate(dataclasses.replace(a, electrode_width_mm=50.0 + k))
    store = a.unit_cell[0].__dict__["_ssb_memo"]
    assert len(store) <= 3


def test_the_same_layer_at_two_positions_is_named_at_each():
    d = core.load_preset(core.DEFAULT_PRESET)
    i = d.index_of("separator")
    bad = dataclasses.replace(d.unit_cell[i], thickness_um=-1.0)
    cells = list(d.unit_cell)
    cells[i] = bad
    cells.insert(i, bad)                     # one record, two places in the unit cell
    two = dataclasses.replace(d, unit_cell=tuple(cells))
    problems = validate(two)
    assert any(p.startswith(f"unit_cell[{i}].thickness_um") for p in problems)
    assert any(p.startswith(f"unit_cell[{i + 1}].thickness_um") for p in problems)


def test_kept_answers_stay_out_of_the_file_and_equality():
    d = core.load_preset(core.DEFAULT_PRESET)
    fresh = rebuilt(d)
    core.evaluate(d)
    assert "_ssb_memo" in d.__dict__
    assert "_ssb_memo" not in dataclasses.replace(d).__dict__   # an edit's new record starts empty
    assert d == fresh and repr(d) == repr(fresh)
    assert design_to_dict(d) == design_to_dict(fresh)


def test_memo_recomputes_for_other_materials_and_args():
    class Rec:
        pass
    r, calls = Rec(), []

    def f():
        calls.append(1)
        return len(calls)
    m1, m2 = {"a": {}}, {"a": {}}
    assert memo(r, "k", f, m1, (1,)) == 1
    assert memo(r, "k", f, m1, (1,)) == 1        # kept
    assert memo(r, "k", f, m2, (1,)) == 2        # an equal but other mapping: not the same materials
    assert memo(r, "k", f, m2, (2,)) == 3        # other args
    assert memo(r, "k", f, None, (2,)) == 4      # no materials
    assert memo(r, "k", f, {}, (2,)) == 4        # empty materials = none

