"""Random sequences of edits made through the window's own widgets: after every edit the window
shows exactly what core.evaluate says for its design (finite numbers only); undoing every step
gives back the original design and redoing them all gives back the final one.

The sequences come from fixed seeds, so a failure is reproducible: the assertion names the seed
and the steps taken. Values are drawn wider than the widgets allow (negative, huge) on purpose:
the spin boxes must clamp them, never pass them to the core."""
from __future__ import annotations

import math
import random

import pytest
from PySide6.QtWidgets import QMessageBox

import core
from gui import settings
from gui.main_window import MainWindow

SEEDS = range(12)
STEPS = 30


@pytest.fixture(autouse=True)
def no_dialogs(tmp_path, monkeypatch):
    settings.use_folder(tmp_path / "settings")
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    yield
    settings.use_folder(None)


def _wild(rng: random.Random, lo: float, hi: float) -> float:
    """Mostly a plausible value, sometimes one far outside what the field accepts."""
    r = rng.random()
    if r < 0.1:
        return -rng.uniform(0, 100)
    if r < 0.2:
        return rng.uniform(1e4, 1e9)
    return rng.uniform(lo, hi)


def _select(w: MainWindow, role: str) -> bool:
    i = w.current_design().index_of(role)
    if i is None:
        return False
    w.layer_stack.select_row(i)
    return True


def _combo_pick(rng: random.Random, combo) -> None:
    if combo.count():
        combo.setCurrentIndex(rng.randrange(combo.count()))


def _actions():
    """(name, action(window, rng)) pairs, each one user edit through a widget or a menu action."""
    def amount(role, key, lo, hi):
        def act(w, rng):
            if _select(w, role):
                spin = w.layer_editor.amount_spin[key]
                w.layer_editor.change_amount_key(key)
                spin.setValue(_wild(rng, lo, hi))
        return act

    def film(role, lo, hi):
        def act(w, rng):
            if _select(w, role):
                w.layer_editor.film_thickness.setValue(_wild(rng, lo, hi))
        return act

    def fraction(w, rng):
        if _select(w, "cathode") and w.layer_editor._rows:
            row = w.layer_editor._rows[rng.randrange(len(w.layer_editor._rows))]
            row.spin.setValue(_wild(rng, 1, 99))

    def component_material(w, rng):
        if _select(w, "cathode") and w.layer_editor._rows:
            _combo_pick(rng, w.layer_editor._rows[rng.randrange(len(w.layer_editor._rows))].combo)

    def add_remove_component(w, rng):
        if _select(w, "cathode"):
            rows = w.layer_editor._rows
            if len(rows) > 2 and rng.random() < 0.5:
                w.layer_editor.change_remove_component(len(rows) - 1)
            else:
                w.layer_editor.change_add_component()

    def density(w, rng):
        if _select(w, rng.choice(["cathode", "anode"])):
            w.layer_editor.density_spin.setValue(_wild(rng, 1.0, 5.0))

    def porosity(w, rng):
        if _select(w, rng.choice(["separator", "cathode"])):
            w.layer_editor.porosity_spin.setValue(_wild(rng, 0, 40))

    def overhang(w, rng):
        if _select(w, rng.choice(["separator", "anode", "negative_collector"])):
            w.layer_editor.overhang.setValue(_wild(rng, 0, 3))

    def layer_op(w, rng):
        st = w.layer_stack
        st.select_row(rng.randrange(len(w.current_design().unit_cell)))
        op = rng.choice(["add_interlayer", "add_separator", "duplicate", "remove", "up", "down"])
        if op == "add_interlayer":
            st.change_add("interlayer")
        elif op == "add_separator":
            st.change_add("separator")
        elif op == "duplicate":
            st.change_duplicate()
        elif op == "remove":
            st.change_remove()
        else:
            st.change_move(-1 if op == "up" else 1)

    def stacking(w, rng):
        se = w.stacking_editor
        op = rng.choice(["type", "count", "sharing", "spacer", "plate"])
        if op == "type":
            _combo_pick(rng, se.type_combo)
        elif op == "count":
            se.count.setValue(int(_wild(rng, 1, 60)) if rng.random() < 0.9 else 0)
        elif op == "sharing":
            _combo_pick(rng, se.sharing)
        elif op == "spacer":
            se.spacer_check.setChecked(not se.spacer_check.isChecked())
        elif se.plate_thickness.isEnabled():
            se.plate_thickness.setValue(_wild(rng, 5, 50))

    def cell(w, rng):
        ce = w.cell_editor
        op = rng.choice(["width", "height", "laminate", "seal", "basis", "state", "voltage", "tab"])
        if op in ("width", "height"):
            getattr(ce, f"{op}_spin").setValue(_wild(rng, 20, 300))
        elif op == "laminate":
            ce.lam_t.setValue(_wild(rng, 0, 200))
        elif op == "seal":
            ce.seal.setValue(_wild(rng, 0, 15))
        elif op == "basis":
            _combo_pick(rng, ce.basis)
        elif op == "state":
            _combo_pick(rng, ce.state)
        elif op == "voltage":
            ce.v_check.setChecked(True)
            ce.v_spin.setValue(_wild(rng, 1, 5))
        elif ce._tab_rows:
            ce._tab_rows[0].thickness.setValue(_wild(rng, 50, 400))

    def goal_seek_apply(w, rng):
        name = rng.choice(core.available_parameters(w.current_design()))
        w.apply_parameter(name, _wild(rng, 0.5, 50))

    return [("cathode loading", amount("cathode", "loading_mg_cm2", 2, 60)),
            ("cathode areal capacity", amount("cathode", "areal_capacity_mAh_cm2", 0.5, 12)),
            ("cathode thickness", amount("cathode", "thickness_um", 10, 300)),
            ("anode thickness", amount("anode", "thickness_um", 1, 200)),
            ("separator thickness", film("separator", 3, 200)),
            ("collector thickness", film("negative_collector", 2, 30)),
            ("mass fraction", fraction), ("component material", component_material),
            ("add/remove component", add_remove_component), ("density", density),
            ("porosity", porosity), ("overhang", overhang), ("layer add/remove/move", layer_op),
            ("stacking", stacking), ("cell and pouch", cell), ("apply parameter", goal_seek_apply)]


ACTIONS = _actions()


def _assert_shows_core(w: MainWindow, where: str) -> None:
    design = w.current_design()
    assert core.validate(design) == [], where
    got = w.current_result().to_dict()
    want = core.evaluate(design).to_dict()
    assert got == want, where
    for k, v in want.items():
        if isinstance(v, float):
            assert math.isfinite(v), f"{where}: {k} = {v}"


@pytest.mark.parametrize("seed", SEEDS)
def test_random_edits_show_core_results_and_undo_restores(qtbot, seed):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    rng = random.Random(seed)
    d0 = w.current_design()
    steps = []
    for i in range(STEPS):
        name, act = ACTIONS[rng.randrange(len(ACTIONS))]
        steps.append(name)
        act(w, rng)
        w.controller.seal()   # what Return / focus-out does: the next edit is its own undo step
        _assert_shows_core(w, f"seed {seed}, step {i} ({name}); steps {steps}")
    final = w.current_design()
    n = w.undo_stack.index()
    print(f"seed {seed}: {STEPS} edits, {n} undo steps, {len(set(steps))} kinds")
    assert n >= STEPS // 2 and final != d0   # the edits really changed the design
    for _ in range(n):
        w.undo_stack.undo()
    assert w.current_design() == d0, f"seed {seed}: undo of {n} steps {steps}"
    _assert_shows_core(w, f"seed {seed}, after undo")
    assert not w.isWindowModified()
    for _ in range(n):
        w.undo_stack.redo()
    assert w.current_design() == final, f"seed {seed}: redo of {n} steps {steps}"
    _assert_shows_core(w, f"seed {seed}, after redo")
