"""The comparison widget and dialog: deltas against the reference, differences with their
effect alone, reference choice, adding files and presets, exporting the comparison."""
from __future__ import annotations

from dataclasses import replace

import pytest

import core
from gui.compare import CompareDialog, CompareWidget, tag
from gui.report.compare import COMPARE_ROWS
from gui.report.data import fmt, fmt_delta

BASELINE = "review-baseline-nmc811-li3incl6-li"


@pytest.fixture
def baseline():
    return core.load_preset(BASELINE)


def _row(key):
    return [k for k, _, _ in COMPARE_ROWS].index(key)


def test_design_against_itself_shows_zero_deltas(qtbot, baseline):
    w = CompareWidget()
    qtbot.addWidget(w)
    w.set_designs([("A", baseline), ("A again", baseline)])
    t = w.results_table
    assert t.columnCount() == 2 and t.rowCount() == len(COMPARE_ROWS)
    for r, (key, _, _) in enumerate(COMPARE_ROWS):
        assert "Δ 0" in t.item(r, 1).text(), key
    assert w.diff_table.rowCount() == 0
    assert "No differences" in w.summary.text()


def test_results_deltas_and_differences(qtbot, baseline):
    sep = baseline.index_of("separator")
    thin = baseline.replace_layer(sep, replace(baseline.unit_cell[sep], thickness_um=20.0))
    w = CompareWidget()
    qtbot.addWidget(w)
    w.set_designs([("ref", baseline), ("thin separator", thin, "/tmp/thin.json")])
    r0, r1 = core.evaluate(baseline), core.evaluate(thin)
    cell = w.results_table.item(_row("gravimetric_Wh_kg"), 1).text()
    assert fmt(r1.gravimetric_Wh_kg) in cell
    assert fmt_delta(r1.gravimetric_Wh_kg - r0.gravimetric_Wh_kg) in cell
    assert w.results_table.item(_row("gravimetric_Wh_kg"), 0).text() == fmt(r0.gravimetric_Wh_kg)
    assert w.diff_table.rowCount() == 1
    assert w.diff_table.item(0, 0).text() == "SSE separator"
    assert "30 µm → 20 µm" in w.diff_table.item(0, 2).text()
    assert w.diff_table.item(0, 3).text() == fmt_delta(r1.gravimetric_Wh_kg - r0.gravimetric_Wh_kg)
    assert w.designs()[1][2] == "/tmp/thin.json"


def test_reference_choice_add_and_remove(qtbot, baseline):
    w = CompareWidget()
    qtbot.addWidget(w)
    free = core.load_preset("anode-free-nmc811-li6ps5cl")
    with qtbot.waitSignal(w.sig_designs_changed):
        w.set_designs([("base", baseline), ("free", free)])
    w.add_design("samsung", core.load_preset("samsung-0.6Ah-bicell"))
    assert w.results_table.columnCount() == 3 and w.other_combo.count() == 2
    assert w.results_table.horizontalHeaderItem(2).text() == f"{tag(2)}: samsung"
    w.set_reference(2)
    assert [n for n, _, _ in w.designs()] == ["samsung", "base", "free"]
    assert w.results_table.horizontalHeaderItem(0).text().startswith("Ref.: samsung")
    w.other_combo.setCurrentIndex(1)  # free vs samsung
    comp = w.comparison(2)
    assert comp.other_name == "free" and w.diff_table.rowCount() == len(comp.attributions)
    w.remove_design(0)
    assert [n for n, _, _ in w.designs()] == ["base", "free"]
    w.set_designs([])
    assert w.empty_label.isVisibleTo(w) and w.results_table.columnCount() == 0


def test_invalid_design_does_not_crash(qtbot, baseline):
    bad = baseline.replace_layer(2, replace(baseline.unit_cell[2], thickness_um=-5.0))
    w = CompareWidget()
    qtbot.addWidget(w)
    w.set_designs([("base", baseline), ("bad", bad)])
    item = w.results_table.item(0, 1)
    assert item.text() == "invalid" and "thickness_um" in item.toolTip()
    assert "cannot be evaluated" in w.summary.text()
    assert "nan" not in w.results_table.item(0, 0).text().lower()


def test_dialog_adds_files_and_presets_and_exports(qtbot, tmp_path, baseline, monkeypatch):
    warnings = []
    monkeypatch.setattr("gui.compare.QMessageBox.warning", lambda *a, **k: warnings.append(a[2]))
    dlg = CompareDialog(None, [(baseline.name, baseline)])
    qtbot.addWidget(dlg)
    dlg.add_preset("anode-free-nmc811-li6ps5cl")
    good = tmp_path / "si.json"
    core.save_design(core.load_preset("silicon-nmc811-li6ps5cl"), good)
    assert dlg.add_file(str(good))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert not dlg.add_file(str(bad))
    assert warnings and "bad.json" in warnings[0]
    assert dlg.design_list.count() == 3
    assert dlg.design_list.item(0).text().startswith("Ref.: ")
    dlg.design_list.setCurrentRow(2)
    assert dlg.reference_button.isEnabled()
    dlg.reference_button.click()
    assert dlg.design_list.item(0).text() == "Ref.: " + core.load_preset("silicon-nmc811-li6ps5cl").name
    assert dlg.compare_widget.designs()[0][2] == str(good)
    info = dlg.export(str(tmp_path / "cmp.pdf"), "A4")
    assert info.pages >= 3 and (tmp_path / "cmp.pdf").read_bytes().startswith(b"%PDF-")


def test_colours_say_better_or_worse_not_up_or_down(qtbot, baseline):
    """Colour marks merit: energy densities up are green, down red. Mass, thickness, capacity
    changing is a sizing choice and stays uncoloured (it used to be red for a lighter cell)."""
    from gui.compare import NEGATIVE, POSITIVE
    sep = baseline.index_of("separator")
    thin = baseline.replace_layer(sep, replace(baseline.unit_cell[sep], thickness_um=20.0))
    fewer = replace(baseline, stacking=replace(baseline.stacking, unit_cells=10))
    w = CompareWidget()
    qtbot.addWidget(w)
    w.set_designs([("ref", baseline), ("thin separator", thin), ("10 cells", fewer)])

    def colour(key, col):
        return w.results_table.item(_row(key), col).foreground().color()

    for key in ("gravimetric_Wh_kg", "volumetric_Wh_L", "stack_volumetric_Wh_L", "unit_cell_gravimetric_Wh_kg"):
        assert colour(key, 1) == POSITIVE, key
    for key in ("gravimetric_Wh_kg", "volumetric_Wh_L"):
        assert colour(key, 2) == NEGATIVE, key        # fewer cells: more packaging per cell
    assert colour("unit_cell_gravimetric_Wh_kg", 2) not in (POSITIVE, NEGATIVE)   # the repeat unit: no change
    for key in ("mass_g", "thickness_mm", "volume_cm3", "capacity_Ah", "energy_Wh"):
        for col in (1, 2):
            assert colour(key, col) not in (POSITIVE, NEGATIVE), (key, col)
