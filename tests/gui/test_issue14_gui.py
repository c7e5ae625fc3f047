"""Issue 14 in the real window: undo from the field just edited, honest refusals of typed
values, the legend after a move, Add > Interlayer, the design name, the materials dialog."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

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



def test_ctrl_z_sent_to_the_focused_spin_box_undoes(window, qtbot):
    """The keys go to the focus widget, the spin box itself (not its inner line edit): the
    design's undo takes Ctrl+Z there too, and Ctrl+Shift+Z redoes."""
    window.editor_tabs.setCurrentIndex(1)
    sb = window.stacking_editor.count
    n0 = window.current_design().stacking.unit_cells
    sb.setFocus()
    assert sb.hasFocus()
    sb.setValue(n0 + 2)
    assert window.current_design().stacking.unit_cells == n0 + 2
    qtbot.keyClick(sb, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current_design().stacking.unit_cells == n0
    qtbot.keyClick(sb, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_design().stacking.unit_cells == n0 + 2

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


@pytest.mark.parametrize("size", [(1024, 700), (1280, 720), (1366, 768), (1920, 1080)])
def test_layout_at_common_screen_sizes(window, qtbot, size):
    from PySide6.QtWidgets import QScrollArea
    window.resize(*size)
    window.reset_layout()
    qtbot.wait(50)
    assert window.width() == size[0]
    # results column: its content fits its viewport (no clipped columns)
    sc = window.results_scroll
    assert window.results.width() <= sc.viewport().width()
    assert window.results.minimumSizeHint().width() <= sc.viewport().width()
    # the editor column's content fits too
    for area in window.editor_tabs.findChildren(QScrollArea):
        inner = area.widget()
        if inner is not None and inner.isVisible():
            assert inner.minimumSizeHint().width() <= area.viewport().width() + 1, type(inner).__name__
    # the three columns sit side by side inside the window, none overlapping another
    geos = [window.splitter.widget(i).geometry() for i in range(3)]
    for a, b in zip(geos, geos[1:]):
        assert a.right() < b.left()
    assert geos[-1].right() <= window.splitter.width()
    if size[0] >= 1920:  # a wide screen gives the results room, not the cross-section white space
        assert window.splitter.sizes()[2] >= 0.25 * size[0]
        assert window.splitter.sizes()[1] <= 0.5 * size[0]


def test_minimum_window_size_is_enforced(window):
    window.resize(600, 400)
    assert window.width() >= 1000 and window.height() >= 600
    assert window.minimumWidth() <= 1024  # a 1024 px screen still fits it


def test_levels_table_one_unit_and_one_precision_per_row(window):
    from gui.results_panel import AMOUNT_ROWS, LEVEL_ROWS
    texts = window.results.value_texts()
    r = window.current_result()
    # the energy-density row: the same precision at every level (not 402.4 / 399 / 376.9)
    row = [texts["unit_cell:unit_cell_gravimetric_Wh_kg"], texts["stack:stack_gravimetric_Wh_kg"],
           texts["pouch:gravimetric_Wh_kg"]]
    assert row == [f"{r.unit_cell_gravimetric_Wh_kg:.0f}", f"{r.stack_gravimetric_Wh_kg:.0f}",
                   f"{r.gravimetric_Wh_kg:.0f}"]
    # no row mixes a per-area unit with absolute amounts
    for label, unit, *_ in LEVEL_ROWS + AMOUNT_ROWS:
        assert "/cm²" not in unit
    assert all(not t.endswith("cm²") for t in texts.values())
    assert "per cm² of cathode" in window.results.unit_cell_line.text()
    assert texts["pouch:voltage_V"] == "3.800"


def test_collector_note_is_true_for_the_stacking(window):
    assert "shared" in window.results.unit_note.text()
    window._set_document(core.load_preset("bipolar-4s-nmc811-li6ps5cl-li"), None)
    note = window.results.unit_note.text()
    assert "shared" not in note and "bipolar plate" in note


def test_preset_departure_is_shown_beside_the_numbers(window):
    window._set_document(core.load_preset("review-li-s-baseline"), None)
    note = window.results.source_note
    assert note.isVisible() and note.property("departs")
    assert "500 Wh/kg" in note.text() and "697 Wh/kg" in note.text() and "+39 %" in note.text()
    assert "no lithium mass" in note.text()
    window._set_document(core.load_preset("graphite-nmc811-li6ps5cl"), None)
    assert not window.results.source_note.isVisible()


def test_literature_table_ranks_the_design(window):
    rows = window.results.literature.rows()
    mine = [r for r in rows if r[3]]
    assert len(mine) == 1 and mine[0][1] == f"{window.current_result().gravimetric_Wh_kg:.0f}"
    assert any("Samsung" in r[0] and r[2] == ">900" for r in rows)
    kg = [float(r[1]) for r in rows if r[1] not in ("—",)]
    assert kg == sorted(kg, reverse=True)
    assert "Above" in window.results.literature.note.text()


def test_material_lists_offer_fitting_materials_first(window):
    d = window.current_design()
    window.layer_stack.select_row(d.index_of("separator"))
    combo = window.layer_editor._rows[0].combo
    names = [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]
    electrolytes = [n for n in names if n in ("Li6PS5Cl", "Li3InCl6", "LLZO")]
    assert names.index("Cu") > max(names.index(n) for n in electrolytes)
    assert "not for this layer" in combo.itemText(combo.findData("Cu"))
    window.layer_stack.select_row(d.index_of("negative_collector"))
    combo = window.layer_editor._rows[0].combo
    names = [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]
    assert names[0] in ("Ag", "Al", "Cu", "Ni", "SS", "Ti")
    assert names.index("Li6PS5Cl") > names.index("Cu")


@pytest.mark.parametrize("width", [340, 640, 900])
def test_cross_section_legend_labels_never_run_into_thicknesses(qtbot, width):
    """'Cathode compo76.47 um' at the default size: the label now leaves room."""
    from gui.cross_section import CrossSectionWidget
    cs = CrossSectionWidget()
    qtbot.addWidget(cs)
    d = core.load_preset()
    cs.set_data(d, core.evaluate(d))
    cs.set_selected_row(1)  # bold: wider text
    cs.resize(width, 600)
    cs.grab()
    assert cs.legend_layout
    for shown, label_right, thick_left in cs.legend_layout:
        assert label_right + 4 <= thick_left, (shown, label_right, thick_left)


def test_rule_warnings_reach_the_warnings_strip(window):
    from dataclasses import replace as _r
    d = window.current_design()
    i = d.index_of("separator")
    assert window.controller.edit_layer(i, _r(d.unit_cell[i], material="Cu"), "material", "material")
    window.current_result()
    assert any(w.startswith("unit_cell[2] (SSE separator, Cu)") for w in window.warnings.warnings())


def test_ctrl_z_after_renaming_a_layer_undoes_the_rename(window, qtbot):
    le = window.layer_editor.label_edit
    le.setFocus()
    qtbot.keyClicks(le, "My cathode")
    qtbot.keyClick(le, Qt.Key.Key_Return)
    qtbot.wait(10)
    assert window.current_design().unit_cell[1].label == "My cathode"
    qtbot.keyClick(le, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current_design().unit_cell[1].label is None
