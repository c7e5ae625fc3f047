"""Issue 14 in the real window: undo from the field just edited, honest refusals of typed
values, the legend after a move, Add > Interlayer, the design name, the materials dialog."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

import core
from gui import settings
from gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def temp_settings(tmp_path, monkeypatch):
    settings.use_folder(tmp_path / "settings")
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    yield
    settings.use_folder(None)


@pytest.fixture
def window(qtbot):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


def test_ctrl_z_in_the_field_just_edited_undoes(window, qtbot):
    window.editor_tabs.setCurrentIndex(1)
    sb = window.stacking_editor.count
    n0 = window.current_design().stacking.unit_cells
    sb.setFocus()
    le = sb.lineEdit()
    le.selectAll()
    qtbot.keyClicks(le, "6")
    qtbot.keyClick(le, Qt.Key.Key_Return)
    assert window.current_design().stacking.unit_cells == 6
    assert sb.hasFocus()
    qtbot.keyClick(le, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current_design().stacking.unit_cells == n0
    assert sb.value() == n0


def _film_spin(window, role="separator"):
    row = window.current_design().index_of(role)
    window.editor_tabs.setCurrentIndex(0)
    window.layer_stack.select_row(row)
    return row, window.layer_editor.film_thickness


@pytest.mark.parametrize("typed", ["-5", "0"])
def test_out_of_range_typing_is_refused_with_a_message(window, qtbot, typed):
    """'-5' used to become 5 silently (the sign was swallowed) and '0' vanished silently."""
    row, sb = _film_spin(window)
    before = window.current_design().unit_cell[row].thickness_um
    sb.setFocus()
    sb.lineEdit().selectAll()
    qtbot.keyClicks(sb.lineEdit(), typed)
    qtbot.keyClick(sb.lineEdit(), Qt.Key.Key_Return)
    assert window.current_design().unit_cell[row].thickness_um == before  # nothing committed
    msg = window.status_message.text()
    assert "Thickness" in msg and f"{float(typed):g} µm" in msg and "allowed 0.01 to 5000.00 µm" in msg, msg
    assert f"kept {before:.2f} µm" in msg


def test_in_range_typing_still_commits(window, qtbot):
    row, sb = _film_spin(window)
    sb.setFocus()
    sb.lineEdit().selectAll()
    qtbot.keyClicks(sb.lineEdit(), "25")
    qtbot.keyClick(sb.lineEdit(), Qt.Key.Key_Return)
    assert window.current_design().unit_cell[row].thickness_um == 25


def test_add_interlayer_goes_on_the_anode_side(window):
    window.layer_stack.select_row(1)  # the cathode selected, as after opening
    window.layer_stack.change_add("interlayer")
    roles = [layer.role for layer in window.current_design().unit_cell]
    i = roles.index("interlayer")
    assert roles[i - 1] == "separator", roles
    assert roles.index("separator") < i < roles.index("anode")


def test_legend_follows_a_moved_layer(window, qtbot):
    window._set_document(core.load_preset("anode-free-nmc811-li6ps5cl"), None)
    window.set_recalc_delay(150)
    cs = window.cross_section
    window.layer_stack.select_row(3)
    cs.grab()
    window.layer_stack.act_up.trigger()
    cs.grab()  # painted at once, before the delayed recompute
    roles = [layer.role for layer in window.current_design().unit_cell]
    assert [e[0] for e in cs.legend_entries()][:len(roles)] == roles
    qtbot.wait(250)
    cs.grab()
    assert [e[0] for e in cs.legend_entries()][:len(roles)] == roles


def test_materials_filter_leaves_no_hidden_selection_and_no_stale_status(window, monkeypatch):
    window.show_materials()
    dlg = window._materials_dialog
    dlg.select_name("NMC811")
    assert dlg.selected_name() == "NMC811"
    dlg.filter.setText("LLZ")  # NMC811 is filtered out
    assert dlg.selected_name() is None
    assert not dlg.edit_btn.isEnabled()
    opened = []
    from gui import materials_dialog
    monkeypatch.setattr(materials_dialog.MaterialFormDialog, "exec", lambda self: opened.append(self) or 0)
    dlg.edit_selected()
    assert opened == []  # Override… opens nothing for a material that is not shown
    assert dlg.source.text() == ""
    # a status line about the last design's edit does not survive opening another design
    dlg.filter.setText("")
    assert dlg.add_or_override("NMC811", {"specific_capacity_mAh_g": 210.0})
    assert "done" in dlg.info.text()
    window.new_from_preset("graphite-nmc811-li6ps5cl")
    assert "done" not in dlg.info.text()


def test_design_name_follows_the_materials_until_named(window):
    from dataclasses import replace as _r
    d = window.current_design()
    assert d.name == "NMC811 | Li3InCl6 | Li, review baseline"
    i = d.index_of("separator")
    window.controller.edit_layer(i, _r(d.unit_cell[i], material="Li6PS5Cl"), "material", "material")
    assert window.current_design().name == "NMC811 | Li6PS5Cl | Li"
    window.undo_stack.undo()
    assert window.current_design().name == d.name  # one undo step for both
    # once the user names it, the name is theirs
    window.controller.change_fields("Rename design", name="My cell")
    window.controller.edit_layer(i, _r(d.unit_cell[i], material="Li6PS5Cl"), "material", "material")
    assert window.current_design().name == "My cell"


def test_compare_columns_show_whole_names(qtbot):
    from gui.compare import CompareWidget
    base = core.load_preset()
    a = "NMC811 | Li3InCl6 | Li, review baseline, variant with thinner separator A"
    b = "NMC811 | Li3InCl6 | Li, review baseline, variant with thinner separator B"
    from dataclasses import replace as _r
    w = CompareWidget()
    qtbot.addWidget(w)
    w.resize(700, 500)
    w.set_designs([(a, _r(base, name=a)), (b, _r(base, name=b))])
    w.show()
    qtbot.waitExposed(w)
    t = w.results_table
    hh = t.horizontalHeader()
    assert hh.textElideMode() == Qt.TextElideMode.ElideNone
    for col, name in enumerate((a, b)):
        text = t.horizontalHeaderItem(col).text()
        assert text.replace("\n", " ").endswith(name)
        widest = max(hh.fontMetrics().horizontalAdvance(line) for line in text.splitlines())
        assert t.columnWidth(col) >= widest
