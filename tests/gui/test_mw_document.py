"""core.document: the evented design document and the unit cell's role rules (no Qt)."""
from __future__ import annotations

from dataclasses import replace

import pytest

import core
from core.design import Component, Layer
from core.document import (DesignDocument, LayerRuleError, insert_position, normalized,
                           rescale_fractions, role_order_problem, why_not_insert, why_not_move,
                           why_not_remove)


def base():
    return core.load_preset(core.DEFAULT_PRESET)


def test_events_before_and_after_each_change():
    doc = DesignDocument(base())
    seen = []
    unsubscribe = doc.subscribe(lambda ev: seen.append((ev.kind, ev.index, ev.dest,
                                                        len(doc.design.unit_cell))))
    sep = Layer("separator", material="LLZO", thickness_um=10.0)
    doc.insert_layer(3, sep)
    assert seen == [("about_to_insert", 3, None, 5), ("inserted", 3, None, 6), ("changed", 3, None, 6)]
    seen.clear()
    doc.move_layer(3, 2)
    assert [s[0] for s in seen] == ["about_to_move", "moved", "changed"]
    assert doc.design.unit_cell[2] == sep
    seen.clear()
    assert doc.remove_layer(2) == sep
    assert [s[0] for s in seen] == ["about_to_remove", "removed", "changed"]
    assert doc.design == base()
    seen.clear()
    doc.replace_layer(2, replace(doc.design.unit_cell[2], thickness_um=20.0))
    assert [s[0] for s in seen] == ["layer_changed", "changed"]
    seen.clear()
    doc.set_design(core.load_preset("anode-free-nmc811-li6ps5cl"))   # other roles: a reset
    assert [s[0] for s in seen] == ["about_to_reset", "reset", "changed"]
    unsubscribe()
    doc.set_design(base())
    assert len(seen) == 3


@pytest.mark.parametrize("roles, ok", [
    (["positive_collector", "cathode", "separator", "anode", "negative_collector"], True),
    (["positive_collector", "cathode", "interlayer", "separator", "interlayer", "anode", "interlayer",
      "negative_collector"], True),
    (["positive_collector", "cathode", "separator", "separator", "negative_collector"], True),
    (["cathode", "positive_collector", "separator", "negative_collector"], False),
    (["positive_collector", "cathode", "anode", "separator", "negative_collector"], False),
    (["positive_collector", "cathode", "interlayer", "negative_collector"], False),
    (["positive_collector", "cathode", "separator", "anode", "anode", "negative_collector"], False),
    (["positive_collector", "cathode", "separator", "negative_collector", "anode"], False),
])
def test_role_rules_agree_with_validation(roles, ok):
    assert (role_order_problem(roles) is None) == ok


def test_refusals_say_why_and_change_nothing():
    doc = DesignDocument(base())
    d = doc.design
    assert "cannot be removed" in why_not_remove(d, 1)
    assert "only separator" in why_not_remove(d, 2)
    assert why_not_remove(d, 3) is None                      # an anode-free cell is fine
    assert "fixed as the first" in why_not_move(d, 0, 2)
    assert "after every separator" in why_not_move(d, 3, 2)
    assert "already has an anode" in why_not_insert(d, 3, "anode")
    assert why_not_insert(d, 3, "separator") is None
    for op in (lambda: doc.remove_layer(1), lambda: doc.move_layer(3, 2),
               lambda: doc.insert_layer(0, Layer("separator", material="LLZO", thickness_um=5.0)),
               lambda: doc.replace_layer(2, Layer("anode", material="Li", thickness_um=5.0))):
        with pytest.raises(LayerRuleError):
            op()
    assert doc.design == d


def test_insert_position_finds_an_allowed_row():
    d = base()
    assert insert_position(d, "anode") is None
    assert insert_position(d, "interlayer", preferred=4) == 4
    assert insert_position(d, "interlayer", preferred=0) == 2
    af = core.load_preset("anode-free-nmc811-li6ps5cl")
    pos = insert_position(af, "anode")
    roles = [l.role for l in af.unit_cell]
    roles.insert(pos, "anode")
    assert role_order_problem(roles) is None


def test_insert_position_matches_asking_row_by_row():
    """The linear-time insert_position picks the row the row-by-row search picked, for
    random unit cells (valid and not), every middle role and every preferred row."""
    import random
    from core.document import _insert_position_row_by_row
    rng = random.Random(17)
    films = {"separator": Layer("separator", material="LLZO", thickness_um=5.0),
             "interlayer": Layer("interlayer", material="LLZO", thickness_um=1.0),
             "anode": Layer("anode", material="Li", thickness_um=5.0)}
    d0 = base()
    checked = 0
    for _ in range(300):
        middle = [rng.choice(("separator", "separator", "interlayer", "anode")) for _ in range(rng.randint(0, 7))]
        if rng.random() < 0.8:  # mostly valid cells: one anode at most, after the separators
            middle = [r for r in middle if r != "anode"] or ["separator"]
            if rng.random() < 0.5:
                middle.append("anode")
        cells = (d0.unit_cell[0], d0.unit_cell[1], *(films[r] for r in middle), d0.unit_cell[-1])
        d = replace(d0, unit_cell=cells)
        for role in ("separator", "interlayer", "anode"):
            for preferred in (None, *range(-1, len(cells) + 2)):
                assert insert_position(d, role, preferred) == _insert_position_row_by_row(d, role, preferred), \
                    ([l.role for l in cells], role, preferred)
                checked += 1
    assert checked > 5000


def test_rescaled_fractions_sum_to_one_and_keep_ratios():
    comps = (Component("NMC811", 0.7), Component("Li6PS5Cl", 0.2), Component("Carbon", 0.1))
    out = rescale_fractions(comps, 0, 0.8)
    assert out[0].mass_fraction == 0.8
    assert out[1].mass_fraction == pytest.approx(0.2 * 0.2 / 0.3)
    assert out[1].mass_fraction / out[2].mass_fraction == pytest.approx(2.0)
    assert sum(c.mass_fraction for c in out) == pytest.approx(1.0, abs=1e-10)
    with pytest.raises(ValueError):
        rescale_fractions(comps, 0, 1.0)
    assert [c.mass_fraction for c in normalized([Component("A", 2), Component("B", 6)])] == [0.25, 0.75]
