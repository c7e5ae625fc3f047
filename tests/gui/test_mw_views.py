"""Views of the main window: item model, cross-section, breakdown, materials, settings."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

import core
from core.design import Layer
from core.document import DesignDocument
from gui import settings
from gui.cross_section import Band, CrossSectionWidget, Gap, build_bands, stack_groups
from gui.layer_model import LayerListModel, RoleNameRole, ThicknessRole
from gui.main_window import MainWindow
from gui.results_panel import ResultsPanel


@pytest.fixture(autouse=True)
def temp_settings(tmp_path, monkeypatch):
    settings.use_folder(tmp_path / "settings")
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    yield
    settings.use_folder(None)


# --------------------------------------------------------------------------- item model
def test_layer_model_passes_qtmodeltester(qtmodeltester):
    doc = DesignDocument(core.load_preset(core.DEFAULT_PRESET))
    model = LayerListModel(doc)
    qtmodeltester.check(model)
    model.set_result(core.evaluate(doc.design))
    doc.insert_layer(3, Layer("interlayer", material="Carbon", thickness_um=5.0))
    doc.move_layer(3, 2)
    doc.remove_layer(2)
    doc.set_design(core.load_preset("anode-free-nmc811-li6ps5cl"))
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    assert model.data(model.index(3), RoleNameRole) == "interlayer"
    assert model.data(model.index(0), Qt.ItemDataRole.DisplayRole).startswith("Positive collector")
    assert model.rowCount(model.index(0)) == 0
    assert not model.flags(model.index(1)) & Qt.ItemFlag.ItemIsDragEnabled     # cathode is fixed
    assert model.flags(model.index(2)) & Qt.ItemFlag.ItemIsDragEnabled


def test_model_signals_follow_the_document(qtbot):
    doc = DesignDocument(core.load_preset(core.DEFAULT_PRESET))
    model = LayerListModel(doc)
    with qtbot.waitSignal(model.rowsInserted, timeout=500) as ins:
        doc.insert_layer(4, Layer("interlayer", material="Carbon", thickness_um=5.0))
    assert ins.args[1:] == [4, 4]
    with qtbot.waitSignal(model.rowsMoved, timeout=500) as mv:
        doc.move_layer(4, 2)
    assert mv.args[1:3] == [4, 4] and mv.args[4] == 2
    with qtbot.waitSignal(model.rowsMoved, timeout=500) as mv:
        doc.move_layer(2, 4)       # moving down: Qt counts the destination before the move
    assert mv.args[4] == 5
    with qtbot.waitSignal(model.dataChanged, timeout=500) as ch:
        doc.replace_layer(2, replace(doc.design.unit_cell[2], thickness_um=50.0))
    assert ch.args[0].row() == 2
    model.set_result(core.evaluate(doc.design))
    assert model.data(model.index(1), ThicknessRole) == pytest.approx(26 / 0.34)  # derived, not given


# --------------------------------------------------------------------------- cross-section
def _count(bands, kind):
    return sum(1 for b in bands if isinstance(b, Band) and b.kind == kind)


@pytest.mark.parametrize("sharing, n", [("shared", 3), ("shared", 4), ("bicell", 4), ("none", 3)])
def test_drawn_stack_matches_the_model_counts(sharing, n):
    d = core.load_preset(core.DEFAULT_PRESET)
    spacer = Layer("spacer", material="PET", thickness_um=40.0) if sharing != "shared" else None
    d = replace(d, stacking=replace(d.stacking, unit_cells=n, collector_sharing=sharing, spacer=spacer))
    r = core.evaluate(d)
    bands = [b for g in stack_groups(d, r) for b in g]
    assert _count(bands, "cathode") == n and _count(bands, "anode") == n
    assert _count(bands, "positive_collector") == r.counts["positive_collector"]
    assert _count(bands, "negative_collector") == r.counts["negative_collector"]
    assert _count(bands, "spacer") == r.counts["spacer"]
    # to scale: the drawn bands add up to the model's stack thickness
    assert sum(b.thickness_um for b in bands) == pytest.approx(r.stack_thickness_mm * 1000)


def test_bipolar_and_many_cells_use_plates_and_an_ellipsis():
    d = core.load_preset("bipolar-4s-nmc811-li6ps5cl-li")
    r = core.evaluate(d)
    bands = [b for g in stack_groups(d, r) for b in g]
    assert _count(bands, "bipolar_plate") == 3
    assert _count(bands, "positive_collector") == 1 and _count(bands, "negative_collector") == 1
    assert sum(b.thickness_um for b in bands) == pytest.approx(r.stack_thickness_mm * 1000)
    base = core.load_preset(core.DEFAULT_PRESET)
    r = core.evaluate(base)
    items, unit = build_bands(base, r, max_groups=3)
    gaps = [it for it in items if isinstance(it, Gap)]
    assert len(gaps) == 1 and unit == "unit cell"
    shown = {b.cell for b in items if isinstance(b, Band) and b.cell is not None}
    assert len(shown) + gaps[0].cells == 20
    total = sum(it.thickness_um for it in items)
    assert total == pytest.approx(r.thickness_mm * 1000)          # stack + 2 laminates


def test_charged_state_draws_plated_lithium_in_every_cell():
    d = core.load_preset("samsung-0.6Ah-bicell")
    r = core.evaluate(d)
    bands = [b for g in stack_groups(d, r) for b in g]
    assert _count(bands, "plated_li") == 2
    assert sum(b.thickness_um for b in bands) == pytest.approx(r.stack_thickness_mm * 1000)


@pytest.mark.parametrize("preset", core.preset_names())
def test_cross_section_and_results_render_every_preset(qtbot, preset):
    d = core.load_preset(preset)
    r = core.evaluate(d)
    cs = CrossSectionWidget()
    qtbot.addWidget(cs)
    cs.resize(600, 420)
    cs.set_data(d, r)
    cs.set_selected_row(1)
    img = cs.grab().toImage()
    assert img.width() == 600 and not img.isNull()
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.set_result(d, r)
    rows = panel.chart.rows()
    assert sum(m for _l, m, _v in rows) == pytest.approx(100.0)
    assert sum(v for _l, _m, v in rows) == pytest.approx(100.0)


def test_clicking_a_band_selects_its_layer(qtbot):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    cs = w.cross_section
    cs.grab()                      # paints, which records the clickable bands
    rect, row = next((r, row) for r, row in cs._hit if row == 2)
    qtbot.mouseClick(cs, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert w.layer_stack.current_row() == 2
    assert w.layer_editor.title.text().startswith("SSE separator")


# --------------------------------------------------------------------------- materials
def test_materials_library_add_override_undo(qtbot):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    w.show_materials()
    dlg = w._materials_dialog
    assert dlg.table.rowCount() == len(core.load_preset(core.DEFAULT_PRESET).library())
    names = [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())]
    row = names.index("NMC811")
    assert "10.1002/adma.202209074" in dlg.table.item(row, 8).text()     # its source is shown
    assert dlg.add_or_override("NMC811", {"specific_capacity_mAh_g": 210.0})
    r = w.current_result()
    assert r.cathode_areal_capacity_mAh_cm2 == pytest.approx(26 * 0.85 * 210 / 1000)
    assert dlg.add_or_override("MyLi", {"density_g_cm3": 0.534, "specific_capacity_mAh_g": 3860.0,
                                        "average_voltage_V": 0.0, "lithiated": True, "category": "anode"})
    names = [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())]
    assert "MyLi" in names
    # a material used by a layer cannot be removed: refused with the reason
    w.layer_stack.select_row(3)
    ed = w.layer_editor
    ed._rows[0].combo.setCurrentIndex(ed._rows[0].combo.findData("MyLi"))
    assert w.current_design().unit_cell[3].material == "MyLi"
    dlg.select_name("MyLi")
    dlg.remove_selected()
    assert "MyLi" in w.current_design().materials and "unknown material" in w.status_message.text()
    for _ in range(3):
        w.undo_stack.undo()
    assert w.current_design() == core.load_preset(core.DEFAULT_PRESET)
    # the editors' combos follow the library: MyLi gone after undo
    assert ed._rows[0].combo.findData("MyLi") == -1


def test_invalid_material_override_is_refused(qtbot):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    w.show_materials()
    assert not w._materials_dialog.add_or_override("NMC811", {"specific_capacity_mAh_g": 0.0,
                                                               "average_voltage_V": None})
    assert w.current_design().materials == {}


# --------------------------------------------------------------------------- settings
def test_settings_live_in_the_temp_folder(tmp_path):
    assert settings.settings_file().startswith(str(tmp_path))
    assert settings.recent_files() == []
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    settings.add_recent_file(a)
    assert settings.recent_files() == [str(a.resolve())]      # one entry survives the INI round trip
    settings.add_recent_file(b)
    settings.add_recent_file(a)
    assert settings.recent_files() == [str(a.resolve()), str(b.resolve())]
    for i in range(12):
        settings.add_recent_file(tmp_path / f"f{i}.json")
    assert len(settings.recent_files()) == settings.MAX_RECENT
    settings.set_dark_theme(True)
    assert settings.dark_theme() is True
    assert settings.get("recalc_delay_ms") == settings.DEFAULTS["recalc_delay_ms"]


def test_recent_files_menu_opens_and_prunes(qtbot, tmp_path):
    path = tmp_path / "r.json"
    core.save_design(core.load_preset("bipolar-4s-nmc811-li6ps5cl-li"), path)
    settings.add_recent_file(path)
    settings.add_recent_file(tmp_path / "gone.json")
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    w._fill_recent_menu()
    acts = [a for a in w.recent_menu.actions() if a.toolTip().endswith(".json")]
    assert [a.text() for a in acts] == ["gone.json", "r.json"]
    acts[0].trigger()
    assert "no longer exists" in w.status_message.text()
    assert str((tmp_path / "gone.json").resolve()) not in settings.recent_files()
    acts[1].trigger()
    assert w.current_path() == str(path.resolve())
    assert w.current_design().stacking.type == "bipolar"
