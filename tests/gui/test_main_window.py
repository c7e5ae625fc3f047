"""The main window: live results, undo, files, unsaved-changes prompts, integration API."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

import core
from core.design import Component, Layer, Stacking, Tab
from gui import settings
from gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def temp_settings(tmp_path, monkeypatch):
    """Settings in a temp folder; no real dialog may ever block a test."""
    settings.use_folder(tmp_path / "settings")
    asked = []

    def question(*args, **kwargs):
        asked.append(args)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: asked.append(("exec", self.text(),
                                                                        self.informativeText())) or 0)
    yield asked
    settings.use_folder(None)


@pytest.fixture
def window(qtbot):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    return w


def baseline():
    return core.load_preset(core.DEFAULT_PRESET)


def values_match(window, expected_design):
    """The window shows what core.evaluate says for the expected design (whose name may have
    followed its materials: a preset's name does, issue 14)."""
    from core.document import auto_name
    got_design = window.current_design()
    assert got_design.name in (expected_design.name, auto_name(expected_design))
    assert replace(got_design, name=expected_design.name) == expected_design
    want = core.evaluate(expected_design).values
    got = window.current_result().values
    for k, v in want.items():
        assert got[k] == pytest.approx(v) if v is not None else got[k] is None, k
    return got


# --------------------------------------------------------------------------- opening
def test_opens_default_preset_with_title_and_results(window):
    assert window.current_design() == baseline()
    assert window.current_path() is None
    title = window.windowTitle()
    assert "Untitled[*]" in title and "SSB Pouch Designer" in title and core.__version__ in title
    assert not window.isWindowModified()
    r = window.current_result()
    # review baseline by hand: 26 mg/cm2 x 0.85 x 200 mAh/g = 4.42 mAh/cm2; x 3.8 V x 100 cm2 x 20
    assert r.areal_capacity_mAh_cm2 == pytest.approx(26 * 0.85 * 200 / 1000)
    assert r.energy_Wh == pytest.approx(4.42 * 3.8 * 100 * 20 / 1000)
    texts = window.results.value_texts()
    assert texts["tile:gravimetric_Wh_kg"] == f"{r.gravimetric_Wh_kg:.0f}"
    assert texts["pouch:mass_g"] == f"{r.mass_g:.4g}"


def test_run_app_bad_file_keeps_default(qtbot, tmp_path, temp_settings, monkeypatch):
    from PySide6.QtWidgets import QApplication

    import gui.app as app_mod
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "ssb-pouch-design", "schema_version": 1, "name": "x"}', encoding="utf-8")
    opened = []
    monkeypatch.setattr(QApplication, "exec", lambda self=None: opened.append(
        [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]) or 0)
    assert app_mod.run_app(str(bad)) == 0
    win = opened[0][-1]
    assert win.current_design() == baseline()
    shown = [a for a in temp_settings if a and a[0] == "exec"]
    assert shown and "bad.json" in shown[-1][1] and "electrode" in shown[-1][2]
    assert QApplication.instance().applicationName() == settings.APP_NAME
    win.close()


# --------------------------------------------------------------------------- live results
def test_edit_restarts_timer_and_updates_all_views(qtbot):
    w = MainWindow(recalc_delay_ms=30)
    qtbot.addWidget(w)
    seen = []
    w.sig_result_changed.connect(lambda d, r: seen.append((d, r)))
    w.layer_stack.select_row(2)
    w.layer_editor.film_thickness.setValue(20.0)
    assert w._timer.isActive() and not seen            # not yet: one short single-shot timer
    w.layer_editor.film_thickness.setValue(25.0)       # restarts the same timer
    with qtbot.waitSignal(w.sig_result_changed, timeout=2000):
        pass
    assert len(seen) == 1
    design, result = seen[0]
    assert design.unit_cell[2].thickness_um == 25.0
    assert result.values == core.evaluate(design).values
    assert w.cross_section._result is result
    assert w.results.value_texts()["stack:stack_gravimetric_Wh_kg"] == f"{result.stack_gravimetric_Wh_kg:.0f}"


def test_current_result_is_never_stale(qtbot):
    w = MainWindow(recalc_delay_ms=10000)
    qtbot.addWidget(w)
    w.apply_parameter("cathode.loading_mg_cm2", 30)
    assert w.current_result().cathode_loading_mg_cm2 == pytest.approx(30)


# --------------------------------------------------------------------------- each kind of field
def _edit_cases():
    b = baseline()
    uc = b.unit_cell
    cat, sep, an = uc[1], uc[2], uc[3]
    return {
        "cathode loading": (lambda w: (w.layer_stack.select_row(1),
                                       w.layer_editor.amount_spin["loading_mg_cm2"].setValue(30.0)),
                            b.replace_layer(1, replace(cat, loading_mg_cm2=30.0))),
        "component fraction rescales the others": (
            lambda w: (w.layer_stack.select_row(1), w.layer_editor._rows[0].spin.setValue(90.0)),
            b.replace_layer(1, replace(cat, components=(Component("NMC811", 0.9), Component("Li3InCl6", 0.1))))),
        "component material": (
            lambda w: (w.layer_stack.select_row(1), w.layer_editor._rows[0].combo.setCurrentIndex(
                w.layer_editor._rows[0].combo.findData("NMC622"))),
            b.replace_layer(1, replace(cat, components=(Component("NMC622", 0.85), Component("Li3InCl6", 0.15))))),
        "composite density": (lambda w: (w.layer_stack.select_row(1), w.layer_editor.density_spin.setValue(3.6)),
                              b.replace_layer(1, replace(cat, density_g_cm3=3.6))),
        "separator thickness": (lambda w: (w.layer_stack.select_row(2), w.layer_editor.film_thickness.setValue(20.0)),
                                b.replace_layer(2, replace(sep, thickness_um=20.0))),
        "separator porosity": (lambda w: (w.layer_stack.select_row(2), w.layer_editor.porosity_spin.setValue(10.0)),
                               b.replace_layer(2, replace(sep, porosity=0.1))),
        "anode thickness": (lambda w: (w.layer_stack.select_row(3),
                                       w.layer_editor.amount_spin["thickness_um"].setValue(20.0)),
                            b.replace_layer(3, replace(an, thickness_um=20.0))),
        "overhang": (lambda w: (w.layer_stack.select_row(2), w.layer_editor.overhang.setValue(2.5)),
                     b.replace_layer(2, replace(sep, overhang_mm=2.5))),
        "unit cells": (lambda w: w.stacking_editor.count.setValue(10),
                       replace(b, stacking=replace(b.stacking, unit_cells=10))),
        "electrode width": (lambda w: w.cell_editor.width_spin.setValue(80.0), replace(b, electrode_width_mm=80.0)),
        "laminate thickness": (lambda w: w.cell_editor.lam_t.setValue(150.0),
                               replace(b, packaging=replace(b.packaging, laminate_thickness_um=150.0))),
        "seal width": (lambda w: w.cell_editor.seal.setValue(8.0),
                       replace(b, packaging=replace(b.packaging, seal_width_mm=8.0))),
        "volume basis": (lambda w: w.cell_editor.basis.setCurrentIndex(w.cell_editor.basis.findData("stack")),
                         replace(b, packaging=replace(b.packaging, volume_basis="stack"))),
        "volume state": (lambda w: w.cell_editor.state.setCurrentIndex(w.cell_editor.state.findData("charged")),
                         replace(b, volume_state="charged")),
        "voltage override": (lambda w: (w.cell_editor.v_check.setChecked(True), w.cell_editor.v_spin.setValue(3.7)),
                             replace(b, nominal_voltage_V=3.7)),
        "tab thickness": (lambda w: w.cell_editor._tab_rows[1].thickness.setValue(100.0),
                          replace(b, packaging=replace(b.packaging, tabs=(Tab("Al"), Tab("Ni", thickness_um=100.0))))),
        "bipolar": (lambda w: w.stacking_editor.type_combo.setCurrentIndex(1),
                    replace(b, stacking=Stacking("bipolar", 20, "shared", None,
                                                 Layer("bipolar_plate", material="SS", thickness_um=10.0)))),
        "separate cells with spacer": (
            lambda w: (w.stacking_editor.sharing.setCurrentIndex(w.stacking_editor.sharing.findData("none")),
                       w.stacking_editor.spacer_check.setChecked(True)),
            replace(b, stacking=Stacking("parallel", 20, "none", Layer("spacer", material="PET", thickness_um=40.0)))),
    }


@pytest.mark.parametrize("case", list(_edit_cases()))
def test_each_kind_of_edit_changes_results_as_core_says(window, case):
    action, expected = _edit_cases()[case]
    before = window.current_result().values
    action(window)
    got = values_match(window, expected)
    assert got != before
    assert window.isWindowModified()


def test_loading_edit_by_hand(window):
    window.layer_stack.select_row(1)
    window.layer_editor.amount_spin["loading_mg_cm2"].setValue(30.0)
    info = window.current_result().layers[1]
    assert info.areal_capacity_mAh_cm2 == pytest.approx(30 * 0.85 * 200 / 1000)   # 5.1 mAh/cm2
    assert info.thickness_um == pytest.approx(30 / (3.4 * 0.1))                     # 88.2 um
    # the other amounts are shown as derived values
    assert window.layer_editor.amount_derived["thickness_um"].text() == "88.24 µm"
    assert window.layer_editor.amount_derived["areal_capacity_mAh_cm2"].text() == "5.1 mAh/cm²"


def test_switching_the_given_amount_keeps_the_numbers(window):
    window.layer_stack.select_row(1)
    before = window.current_result().values
    window.layer_editor.amount_radio["thickness_um"].setChecked(True)
    cat = window.current_design().unit_cell[1]
    assert cat.amount()[0] == "thickness_um" and cat.loading_mg_cm2 is None
    assert cat.thickness_um == pytest.approx(26 / 0.34, rel=1e-6)
    assert window.current_result().gravimetric_Wh_kg == pytest.approx(before["gravimetric_Wh_kg"], rel=1e-5)
    window.layer_stack.select_row(3)
    window.layer_editor.amount_radio["np_ratio"].setChecked(True)
    an = window.current_design().unit_cell[3]
    assert an.np_ratio == pytest.approx(40 * 0.1 * 0.534 * 3860 / 1000 / 4.42, rel=1e-5)


def test_mass_fractions_keep_summing_to_one(window):
    window.layer_stack.select_row(1)
    ed = window.layer_editor
    ed.change_add_component()
    comps = window.current_design().unit_cell[1].components
    assert len(comps) == 3 and sum(c.mass_fraction for c in comps) == pytest.approx(1, abs=1e-9)
    assert comps[0].mass_fraction / comps[1].mass_fraction == pytest.approx(85 / 15)
    ed._rows[2].spin.setValue(10.0)
    comps = window.current_design().unit_cell[1].components
    assert comps[2].mass_fraction == pytest.approx(0.1)
    assert comps[0].mass_fraction == pytest.approx(0.9 * 0.85)
    ed.change_remove_component(2)
    comps = window.current_design().unit_cell[1].components
    assert [c.mass_fraction for c in comps] == pytest.approx([0.85, 0.15])


# --------------------------------------------------------------------------- undo
def test_n_edits_then_n_undos_restore_the_design(window):
    d0 = window.current_design()
    for action, _expected in list(_edit_cases().values())[:12]:
        action(window)
        window.controller.seal()
    window.layer_stack.select_row(2)
    window.layer_stack.change_duplicate()
    window.layer_stack.change_add("interlayer")
    window.apply_parameter("anode.thickness_um", 25)
    final = window.current_design()
    n = window.undo_stack.count()
    assert n >= 15
    for _ in range(n):
        window.undo_stack.undo()
    assert window.current_design() == d0
    assert window.current_result().values == core.evaluate(d0).values
    assert not window.isWindowModified()
    for _ in range(n):
        window.undo_stack.redo()
    assert window.current_design() == final


def test_dragging_a_spin_box_is_one_undo_step(window):
    window.layer_stack.select_row(2)
    sb = window.layer_editor.film_thickness
    for v in (31, 32, 33, 34, 35):
        sb.setValue(v)
    assert window.undo_stack.count() == 1
    assert window.current_design().unit_cell[2].thickness_um == 35
    sb.editingFinished.emit()          # Return / focus out closes the step
    sb.setValue(36)
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.current_design() == baseline()


def test_apply_parameter_pushes_one_command_and_emits(window, qtbot):
    with qtbot.waitSignal(window.sig_result_changed, timeout=2000) as blocker:
        assert window.apply_parameter("separator.thickness_um", 20.0)
    design, result = blocker.args
    assert design.unit_cell[2].thickness_um == 20.0
    assert result.values == core.evaluate(design).values
    assert window.apply_parameter("separator.thickness_um", 21.0)
    assert window.undo_stack.count() == 2        # never merged
    window.undo_stack.undo()
    assert window.current_design().unit_cell[2].thickness_um == 20.0
    assert not window.apply_parameter("stacking.unit_cells", 2.5)   # refused, nothing pushed
    assert window.undo_stack.index() == 1 and window.undo_stack.count() == 2
    assert "whole number" in window.status_message.text()


# --------------------------------------------------------------------------- invalid input
def test_invalid_entries_cannot_reach_the_core(window):
    d0 = window.current_design()
    window.layer_stack.select_row(2)
    sb = window.layer_editor.film_thickness
    sb.setValue(-5.0)                        # clamped by the spin box range
    assert window.current_design().unit_cell[2].thickness_um == sb.minimum() > 0
    window.undo_stack.undo()
    # a material without capacity as the only cathode component is refused by core.validate
    window.layer_stack.select_row(1)
    ed = window.layer_editor
    ed.change_remove_component(1)
    window.controller.seal()
    before = window.current_design()
    ed._rows[0].combo.setCurrentIndex(ed._rows[0].combo.findData("Al"))
    assert window.current_design() == before
    assert "unit_cell[1]" in window.status_message.text() and "active" in window.status_message.text()
    assert ed._rows[0].combo.currentData() == "NMC811"     # the editor shows the document again
    window.undo_stack.undo()
    assert window.current_design() == d0
    for design in (window.current_design(),):
        assert core.validate(design) == []


def test_refused_stack_edits_say_why(window):
    stack = window.layer_stack
    stack.select_row(1)
    stack.change_remove()
    assert "cathode" in window.status_message.text().lower()
    assert not stack.act_remove.isEnabled() and "Not possible" in stack.act_remove.toolTip()
    stack.select_row(3)                       # anode above the separator: refused
    stack.change_move(-1)
    assert "after every separator" in window.status_message.text()
    stack.select_row(2)
    stack.change_remove()                     # the only separator
    assert "at least one" in window.status_message.text()
    stack.change_add("anode")
    assert "already has an anode" in window.status_message.text()
    window.stacking_editor.sharing.setCurrentIndex(window.stacking_editor.sharing.findData("bicell"))
    window.stacking_editor.count.setValue(21)
    assert "even" in window.status_message.text()
    assert window.current_design().stacking.unit_cells == 20
    assert window.undo_stack.count() == 1


def test_drag_drop_moves_through_the_undo_stack(window):
    window.layer_stack.select_row(3)
    window.layer_stack.change_add("interlayer")          # after the selected anode
    roles = [l.role for l in window.current_design().unit_cell]
    assert roles == ["positive_collector", "cathode", "separator", "anode", "interlayer",
                     "negative_collector"]
    model = window.layer_model
    data = model.mimeData([model.index(4)])
    hints = []
    model.sig_drop_hint.connect(hints.append)
    assert model.canDropMimeData(data, model.supportedDropActions(), 3, 0, model.index(-1).parent())
    assert model.dropMimeData(data, model.supportedDropActions(), 3, 0, model.index(-1).parent()) is False
    assert [l.role for l in window.current_design().unit_cell][3] == "interlayer"
    assert window.undo_stack.count() == 2
    # QListView's internal move goes through moveRows: also one undoable command
    assert model.moveRow(model.index(-1).parent(), 3, model.index(-1).parent(), 5)
    assert [l.role for l in window.current_design().unit_cell][4] == "interlayer"
    assert window.undo_stack.count() == 3 and window.layer_stack.current_row() == 4
    assert not model.moveRow(model.index(-1).parent(), 4, model.index(-1).parent(), 0)
    assert window.undo_stack.count() == 3
    # dropping the anode above the cathode is refused, with the reason as a live hint
    data = model.mimeData([model.index(4)])
    assert not model.canDropMimeData(data, model.supportedDropActions(), 1, 0, model.index(-1).parent())
    assert hints[-1].startswith("Cannot move here")


# --------------------------------------------------------------------------- files
def test_open_edit_save_reopen_round_trip(window, qtbot, tmp_path):
    path = tmp_path / "cell.json"
    window.apply_parameter("cathode.areal_capacity_mAh_cm2", 5.0)
    window.layer_stack.select_row(2)
    window.layer_stack.change_add("interlayer")
    window.cell_editor.v_check.setChecked(True)
    assert window.isWindowModified()
    assert window.save_to(path)
    assert not window.isWindowModified() and window.windowTitle().startswith("cell.json[*]")
    assert window.current_path() == str(path.resolve())
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["format"] == "ssb-pouch-design" and saved["unit_cell"][1]["areal_capacity_mAh_cm2"] == 5
    assert settings.recent_files()[0] == str(path.resolve())

    other = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(other)
    assert other.open_path(str(path))
    assert other.current_design() == window.current_design()
    assert other.current_result().values == window.current_result().values
    other.layer_stack.select_row(2)
    other.layer_editor.film_thickness.setValue(22.0)
    assert other.save()
    assert core.load_design(path) == other.current_design()


def test_bad_file_is_explained_and_the_design_kept(window, tmp_path, temp_settings):
    window.apply_parameter("separator.thickness_um", 20.0)
    edited = window.current_design()
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    assert not window.open_path(str(bad), ask=False)
    assert window.current_design() == edited
    msg = [a for a in temp_settings if a and a[0] == "exec"][-1]
    assert "broken.json" in msg[1] and "not valid JSON" in msg[2]


def test_new_from_preset_menu_lists_every_preset(window):
    names = [a.data() for a in window.new_menu.actions()]
    assert names == core.preset_names()
    assert window.new_from_preset("bipolar-4s-nmc811-li6ps5cl-li")
    assert window.current_design() == core.load_preset("bipolar-4s-nmc811-li6ps5cl-li")
    assert window.undo_stack.count() == 0 and window.current_path() is None


def test_closing_with_unsaved_changes_asks(qtbot, monkeypatch, tmp_path):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    w.show()
    answers = []

    def ask(answer):
        def question(*args, **kwargs):
            answers.append(args[2])
            return answer
        monkeypatch.setattr(QMessageBox, "question", staticmethod(question))

    assert w.close()                          # clean: closes without asking
    assert answers == []
    w.show()
    w.apply_parameter("separator.thickness_um", 20.0)
    ask(QMessageBox.StandardButton.Cancel)
    assert not w.close() and w.isVisible()
    assert len(answers) == 1 and "Save" in answers[0]
    ask(QMessageBox.StandardButton.Cancel)
    assert not w.open_path(str(tmp_path / "whatever.json"))   # opening asks too
    assert not w.new_from_preset()
    assert len(answers) == 3
    path = tmp_path / "kept.json"
    monkeypatch.setattr("gui.main_window.QFileDialog.getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    ask(QMessageBox.StandardButton.Save)
    assert w.close()
    assert core.load_design(path).unit_cell[2].thickness_um == 20.0
    w.show()
    w.apply_parameter("separator.thickness_um", 25.0)
    ask(QMessageBox.StandardButton.Discard)
    assert w.close()


# --------------------------------------------------------------------------- integration API
def test_integration_points(window):
    assert isinstance(window.file_menu, QMenu) and isinstance(window.tools_menu, QMenu)
    n = window.panels.count()
    panel = QWidget()
    assert window.add_panel("Plots", panel) == n
    assert window.panels.tabText(n) == "Plots" and window.panels.widget(n) is panel
    assert window.undo_stack.count() == 0
    texts = [a.text() for a in window.menuBar().actions()]
    assert texts[:4] == ["&File", "&Edit", "&View", "&Tools"]


def test_dark_theme_is_stored(window):
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    old = app.palette()
    try:
        window.act_dark.setChecked(True)
        assert settings.dark_theme() is True
        assert app.palette().color(app.palette().ColorRole.Window).lightness() < 128
        window.act_dark.setChecked(False)
        assert settings.dark_theme() is False
    finally:
        app.setPalette(old)


def test_history_and_materials_windows_open(window):
    window.show_history()
    assert window._history.isVisible()
    window.show_materials()
    assert window._materials_dialog.isVisible()
    window._history.close()
    window._materials_dialog.close()


def test_warnings_are_shown_in_the_strip(window):
    # no warnings: the strip says so (it keeps its one-line height: nothing below it moves)
    assert window.warnings.warnings() == [] and window.warnings.shown_text().startswith("No warnings")
    height = window.warnings.height()
    window.new_from_preset("graphite-nmc811-li6ps5cl")
    window.layer_stack.select_row(3)
    window.layer_editor.amount_radio["np_ratio"].setChecked(True)
    window.layer_editor.amount_spin["np_ratio"].setValue(0.8)
    r = window.current_result()
    assert r.warnings and window.warnings.warnings() == list(r.warnings)
    assert not window.warnings.isHidden() and "N/P" in window.warnings.shown_text()
    assert window.warnings.height() == height   # a warning coming re-lays nothing out
    assert window.warnings.text.toolTip() == "\n\n".join(r.warnings)


def test_component_rows_of_the_layer_left_are_not_drawn(window):
    """Switching layers removes the last layer's component rows from the screen at once, not
    when their deferred delete runs (a paint in between drew them over the new rows)."""
    from gui.editors.layer_editor import ComponentRow
    window.layer_stack.select_row(1)            # the cathode: two components
    window.layer_stack.select_row(2)            # the separator: one
    shown = [r for r in window.layer_editor.findChildren(ComponentRow) if not r.isHidden()]
    assert len(shown) == len(window.layer_editor._rows) == 1


def test_stack_actions_follow_the_design_at_the_same_row(window):
    """The layer actions' states are worked out once per design and row (an edit asks twice)
    and again for every new design, the row staying the same."""
    stack = window.layer_stack
    sep = window.current_design().index_of("separator")
    stack.select_row(sep)
    assert not stack.act_remove.isEnabled()            # the only separator
    calls = []
    import gui.editors.layer_stack as ls
    original = ls.why_not_remove
    ls.why_not_remove = lambda *a: calls.append(a) or original(*a)
    try:
        stack.update_actions()
        assert calls == []                             # same design and row: nothing to redo
        window.layer_editor.film_thickness.setValue(window.layer_editor.film_thickness.value() + 1)
        assert stack.current_row() == sep and len(calls) == 1   # a new design: once
        assert not stack.act_remove.isEnabled()
        stack.change_duplicate()                       # a second separator
        stack.select_row(sep)
        assert stack.act_remove.isEnabled()            # now one of two: removable
    finally:
        ls.why_not_remove = original
