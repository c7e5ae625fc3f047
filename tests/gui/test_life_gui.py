"""GUI and report side of MODEL.md steps 8-12: the Life & use editors, the layer's ionic
conductivity, the results panel's new sections and system level, the cross-section's end
plates, the comparison rows and the report sections."""
from __future__ import annotations

import os
import re
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QApplication

import core
from core.design import Fixture, Lithium, Operation

app = QApplication.instance() or QApplication([])

from gui.cross_section import build_bands  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.results_panel import ResultsPanel, fmt_row  # noqa: E402
from gui.results_sections import fmt  # noqa: E402

BLOCKS = dict(lithium=Lithium(formation_efficiency=0.95, coulombic_efficiency=0.999, cycle_target=1000),
              fixture=Fixture(pressure_MPa=1.0, cells_per_fixture=20),
              operation=Operation(c_rate=1.0, interface_asr_ohm_cm2=10.0))
BAD = re.compile(r"\b(nan|NaN|inf|None)\b")


@pytest.fixture
def win():
    w = MainWindow(recalc_delay_ms=0)
    yield w
    w.undo_stack.setClean()
    w.close()
    w.deleteLater()


def _undo_all(w):
    while w.undo_stack.canUndo():
        w.undo_stack.undo()


# --------------------------------------------------------------------------- editors
def test_lithium_editor_edits_and_undo_restores(win):
    e = win.operation_editor
    d0 = win.current_design()
    assert d0.lithium is None and not e.ce.isEnabled()
    e.li_check.setChecked(True)
    assert win.current_design().lithium == Lithium()
    e.ce.setValue(99.9)
    e.target.setValue(1000)
    e.formation.setValue(95.0)
    li = win.current_design().lithium
    assert li.coulombic_efficiency == pytest.approx(0.999) and li.cycle_target == 1000
    assert li.formation_efficiency == pytest.approx(0.95)
    r = win.current_result()
    texts = e.derived_texts()
    assert fmt(r.cycle_life, 5) in texts["lithium"]
    assert f"{r.required_li_foil_um:.4g}" in texts["lithium"]
    _undo_all(win)
    assert win.current_design() == d0
    assert not e.li_check.isChecked()


def test_cycle_target_warning_shown_in_editor(win):
    af = core.load_preset("anode-free-nmc811-li6ps5cl")
    win.controller.change_design(replace(af, lithium=Lithium(coulombic_efficiency=0.999, cycle_target=1000)), "af")
    win.current_result()
    w = win.operation_editor.derived_texts()["warning"]
    assert "Cycle target not met" in w and "99.97" in w


def test_unchecking_a_block_removes_it_undoably(win):
    e = win.operation_editor
    win.controller.change_fields("blocks", **BLOCKS)
    with_blocks = win.current_design()
    assert e.li_check.isChecked() and e.fx_check.isChecked() and e.op_check.isChecked()
    e.fx_check.setChecked(False)
    assert win.current_design().fixture is None
    e.li_check.setChecked(False)
    assert win.current_design().lithium is None
    win.undo_stack.undo()
    win.undo_stack.undo()
    assert win.current_design() == with_blocks
    # checking again brings back the block last removed
    e.fx_check.setChecked(False)
    e.fx_check.setChecked(True)
    assert win.current_design().fixture == BLOCKS["fixture"]


def test_fixture_editor(win):
    e = win.operation_editor
    d0 = win.current_design()
    e.fx_check.setChecked(True)
    names = [e.plate_material.itemData(i) for i in range(e.plate_material.count())]
    lib = d0.library()
    assert names and all(lib[n].yield_strength_MPa for n in names) and "Al" not in names
    e.pressure.setValue(2.0)
    e.cells.setValue(20)
    e.safety.setValue(2.5)
    e.plate_material.setCurrentIndex(names.index("Ti-6Al-4V"))
    fx = win.current_design().fixture
    assert (fx.pressure_MPa, fx.cells_per_fixture, fx.safety_factor, fx.plate_material) == (2.0, 20, 2.5, "Ti-6Al-4V")
    r = win.current_result()
    t = e.derived_texts()["fixture"]
    assert f"{r.fixture_plate_thickness_mm:.3g} mm" in t and f"{r.fixture_clamp_force_kN:.4g} kN" in t
    assert f"{r.fixture_mass_g:.4g} g" in t
    e.fixed_check.setChecked(True)
    assert win.current_design().fixture.plate_thickness_mm == pytest.approx(round(r.fixture_plate_thickness_mm, 2))
    e.plate_t.setValue(3.0)
    assert win.current_design().fixture.plate_thickness_mm == 3.0
    e.fixed_check.setChecked(False)
    assert win.current_design().fixture.plate_thickness_mm is None
    _undo_all(win)
    assert win.current_design() == d0


def test_operation_editor(win):
    e = win.operation_editor
    d0 = win.current_design()
    e.op_check.setChecked(True)
    e.c_rate.setValue(2.0)
    e.interface.setValue(15.0)
    assert win.current_design().operation == Operation(c_rate=2.0, interface_asr_ohm_cm2=15.0)
    r = win.current_result()
    assert f"{r.asr_ohm_cm2:.4g}" in e.derived_texts()["operation"]
    win.undo_stack.undo()
    assert win.current_design().operation == Operation(c_rate=2.0)
    _undo_all(win)
    assert win.current_design() == d0


def test_layer_conductivity_override_and_clear(win):
    d0 = win.current_design()
    sep = d0.index_of("separator")
    win.layer_stack.select_row(sep)
    box = win.layer_editor.conductivity
    assert box.isVisibleTo(win.layer_editor)
    assert "2 mS/cm" in box.note.text() and "Li3InCl6" in box.note.text()
    box.override.setChecked(True)
    assert win.current_design().unit_cell[sep].ionic_conductivity_S_cm == pytest.approx(2e-3)
    box.spin.setValue(0.5)
    assert win.current_design().unit_cell[sep].ionic_conductivity_S_cm == pytest.approx(5e-4)
    assert win.current_result().asr_separator_ohm_cm2 == pytest.approx(30e-4 / 5e-4)
    box.override.setChecked(False)
    assert win.current_design().unit_cell[sep].ionic_conductivity_S_cm is None
    _undo_all(win)
    assert win.current_design() == d0
    # the cathode composite shows its Bruggeman value; collectors have no field
    win.layer_stack.select_row(d0.index_of("cathode"))
    win.current_result()
    assert "Bruggeman" in box.note.text()
    win.layer_stack.select_row(0)
    assert not box.isVisibleTo(win.layer_editor)


# --------------------------------------------------------------------------- results panel
def _designs():
    for name in core.preset_names():
        d = core.load_preset(name)
        yield f"{name}", d
        yield f"{name}+blocks", replace(d, **BLOCKS)
        yield f"{name}-none", replace(d, lithium=None, fixture=None, operation=None)


@pytest.mark.parametrize("name,design", list(_designs()), ids=[n for n, _ in _designs()])
def test_results_panel_equals_evaluate_and_never_shows_nan(name, design):
    r = core.evaluate(design)
    p = ResultsPanel()
    p.set_result(design, r)
    texts = p.value_texts()
    for key, shown in texts.items():
        sec, _, k = key.partition(":")
        if sec in ("states", "lithium", "fixture", "rate", "cost"):
            v = r.values.get(k)
            assert shown == (fmt(v) if v is not None else "—"), key
    for k in ("cycle_life", "volumetric_Wh_L_charged", "volumetric_Wh_L_discharged", "asr_ohm_cm2",
              "materials_cost_USD", "cost_USD_kWh", "c_rate_at_10pct_drop", "reversible_areal_capacity_mAh_cm2"):
        key = next(x for x in texts if x.endswith(":" + k))
        assert texts[key] == fmt(r.values[k]) if r.values[k] is not None else texts[key] == "—"
    for t in p.all_texts() + [lab.toolTip() for lab in p.findChildren(type(p.cost.title))]:
        assert not BAD.search(t), (name, t)
    assert ("system:gravimetric_Wh_kg" in texts) == (design.fixture is not None)
    if design.fixture is not None:
        assert texts["tile:gravimetric_Wh_kg"] == f"{r.system_gravimetric_Wh_kg:.0f}"
        assert texts["system:gravimetric_Wh_kg"] == fmt_row(r.system_gravimetric_Wh_kg, "Wh/kg")
        assert "System" in p.grav.caption.text()
    else:
        assert texts["tile:gravimetric_Wh_kg"] == f"{r.gravimetric_Wh_kg:.0f}"
    assert len(p.chart.costs()) == len([b for b in r.breakdown if b.mass_g > 0 or b.volume_cm3 > 0])
    p.deleteLater()


def test_unbounded_cycle_life_shows_dash_with_reason():
    d = replace(core.load_preset(core.DEFAULT_PRESET), lithium=Lithium(cycle_target=100))
    p = ResultsPanel()
    p.set_result(d, core.evaluate(d))
    lab = p.lithium.labels["cycle_life"]
    assert lab.text() == "—" and "CE = 100 %" in lab.toolTip() and "unbounded" in lab.toolTip()
    assert any("Ohmic estimate: diffusion, charge transfer and temperature not modelled" in n.text()
               for n in p.rate.notes)
    assert any("Materials only" in n.text() for n in p.cost.notes)


def test_system_level_and_end_plates_when_fixture_set(win):
    assert not win.results.system_headers[0].isVisibleTo(win.results)
    d0 = win.current_design()
    items, _ = build_bands(d0, win.current_result())
    assert not any(getattr(b, "kind", "") == "end_plate" for b in items)
    win.operation_editor.fx_check.setChecked(True)
    r = win.current_result()
    assert win.results.system_headers[0].isVisibleTo(win.results)
    assert win.results.value_texts()["system:volumetric_Wh_L"] == fmt_row(r.system_volumetric_Wh_L, "Wh/L")
    items, _ = build_bands(win.current_design(), r)
    plates = [b for b in items if getattr(b, "kind", "") == "end_plate"]
    assert len(plates) == 2 and plates[0].thickness_um == pytest.approx(r.fixture_plate_thickness_mm * 1000)
    assert items[0].kind == items[-1].kind == "end_plate"


# --------------------------------------------------------------------------- comparison and report
def test_comparison_has_system_cost_life_and_rate():
    from gui.report.compare import ATTRIBUTION_KEYS, COMPARE_ROWS, compare
    keys = [k for k, _, _ in COMPARE_ROWS]
    for k in ("system_gravimetric_Wh_kg", "cost_USD_kWh", "cycle_life", "asr_ohm_cm2", "gravimetric_Wh_kg_at_rate",
              "volumetric_Wh_L_charged", "volumetric_Wh_L_discharged"):
        assert k in keys
    for k in ("system_gravimetric_Wh_kg", "cost_USD_kWh", "cycle_life", "gravimetric_Wh_kg_at_rate"):
        assert k in ATTRIBUTION_KEYS
    ref = core.load_preset(core.DEFAULT_PRESET)
    other = replace(ref, **BLOCKS)
    c = compare(ref, other)
    items = {a.difference.item: a for a in c.attributions}
    assert {"Lithium over life", "Stack pressure fixture", "Operation"} <= set(items)
    fx = items["Stack pressure fixture"]
    assert fx.deltas["system_gravimetric_Wh_kg"] < 0 and fx.deltas["gravimetric_Wh_kg"] == 0
    assert items["Lithium over life"].deltas["cycle_life"] is None  # unbounded before: no number


def test_compare_widget_shows_new_rows(qtbot=None):
    from gui.compare import CompareWidget
    from gui.report.compare import COMPARE_ROWS
    ref = core.load_preset(core.DEFAULT_PRESET)
    w = CompareWidget()
    w.set_designs([("ref", ref), ("blocks", replace(ref, **BLOCKS))])
    keys = [k for k, _, _ in COMPARE_ROWS]
    r = keys.index("cycle_life")
    assert w.results_table.item(r, 0).text().startswith("–")
    assert "CE = 100 %" in w.results_table.item(r, 0).toolTip()
    rs = keys.index("system_gravimetric_Wh_kg")
    assert "Δ" in w.results_table.item(rs, 1).text()
    w.deleteLater()


def test_report_has_the_new_sections_with_numbers(tmp_path):
    from gui.report import export_report
    from gui.report.data import fmt as rfmt
    from gui.report.life import SECTIONS
    d = replace(core.load_preset(core.DEFAULT_PRESET), **BLOCKS)
    r = core.evaluate(d)
    out = tmp_path / "r.html"
    export_report([(d, None)], out)
    html = out.read_text(encoding="utf-8")
    for s in SECTIONS:
        assert f">{s}<" in html, s
    for k in ("cycle_life", "reversible_areal_capacity_mAh_cm2", "volumetric_Wh_L_charged",
              "volumetric_Wh_L_discharged", "system_gravimetric_Wh_kg", "fixture_plate_thickness_mm",
              "asr_ohm_cm2", "voltage_at_rate_V", "materials_cost_USD", "cost_USD_kWh"):
        assert rfmt(r.values[k]) in html, k
    for text in core.model.ASSUMPTIONS.values():
        assert text.split(":")[0] in html
    assert "diffusion, charge transfer and temperature not modelled" in html
    # a comparison: the side-by-side table of the new figures
    out2 = tmp_path / "c.html"
    export_report([(core.load_preset(core.DEFAULT_PRESET), None), (d, None)], out2)
    html2 = out2.read_text(encoding="utf-8")
    assert "Lithium, volume states, stack pressure, rate and cost side by side" in html2
    assert "CE = 100 %: no lithium is lost" in html2
    assert not BAD.search(re.sub(r"<[^>]+>", " ", html2))
