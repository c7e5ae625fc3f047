"""Issue 14 in the report: the app's targets and level, a Wh/L target, an N/P section, the
design's departures from its source, the literature table, rule warnings, and the package."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

import core
from gui.report import ReportOptions, export_report


def _text(path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


@pytest.fixture(scope="module")
def custom_pdf(qapp, tmp_path_factory):
    out = tmp_path_factory.mktemp("rep") / "custom.pdf"
    export_report([(core.load_preset(), None)], out,
                  options=ReportOptions(target_Wh_kg=450, target_Wh_L=900, level="pouch"))
    return _text(out)


def test_report_states_the_apps_targets_and_level(custom_pdf):
    t = custom_pdf
    assert "450 Wh/kg and 900 Wh/L at pouch cell level" in t
    assert "Needed for 450 Wh/kg (pouch cell)" in t and "for 900 Wh/L" in t
    assert "Needs for 900 Wh/L (pouch cell)" in t
    assert "Needed for 400" not in t and "Needs for 400" not in t and "target 400" not in t


def test_report_has_an_np_section_and_the_literature(custom_pdf):
    t = custom_pdf
    assert "N/P ratio" in t and "Excess lithium" in t and "Anode areal capacity" in t
    assert "Among reported cells" in t and "Samsung SAIT" in t and "Nat. Energy 2020" in t


def test_report_says_where_a_preset_departs_from_its_source(qapp, tmp_path):
    out = tmp_path / "lis.pdf"
    export_report([(core.load_preset("review-li-s-baseline"), None)], out)
    t = _text(out)
    assert "departs from its source" in t
    assert re.search(r"500 Wh/kg 697 Wh/kg \+39 %", t), t[:3000]
    assert "carries no lithium mass" in t


def test_report_lists_rule_warnings(qapp, tmp_path):
    d = core.load_preset()
    i = d.index_of("separator")
    bad = d.replace_layer(i, replace(d.unit_cell[i], material="Cu"))
    out = tmp_path / "cu.pdf"
    export_report([(bad, None)], out)
    assert "unit_cell[2] (SSE separator, Cu)" in _text(out)


def test_the_window_passes_its_targets(qtbot, tmp_path, monkeypatch):
    from gui import settings
    settings.use_folder(tmp_path / "s")
    from gui.main_window import MainWindow
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    w.plots.set_level("pouch")
    w.plots.set_targets(450, 950)
    opts = w.report_options()
    assert (opts.target_Wh_kg, opts.target_Wh_L, opts.level) == (450, 950, "pouch")
    seen = {}
    import gui.report as rep
    monkeypatch.setattr(rep, "export_report", lambda designs, path, size, options=None: seen.update(o=options)
                        or rep.ReportInfo(str(path), "pdf", 1, 1, 0.0))
    w.export_report(tmp_path / "x.pdf")
    assert seen["o"] == opts
    settings.use_folder(None)


def test_report_package_keeps_the_api():
    import gui.report as rep
    for name in ("export_report", "build_report", "install_cli", "ReportInfo", "ReportOptions"):
        assert hasattr(rep, name)
    from pathlib import Path
    gui_dir = Path(rep.__file__).resolve().parents[1]
    assert not list(gui_dir.glob("report*.py")), "report modules live in gui/report/"


def test_key_figures_lead_with_the_system_when_a_fixture_is_set(qapp, tmp_path):
    from core.design import Fixture
    from gui.report.document import _key_figures
    d = core.load_preset()
    plain = _key_figures(core.evaluate(d))
    assert "system" not in plain
    r = core.evaluate(replace(d, fixture=Fixture(pressure_MPa=1.0, plate_material="SS", cells_per_fixture=20)))
    html = _key_figures(r)
    values = re.findall(r'class="kfv[^"]*">([^<]+)</span><br/><span class="kfl">([^<]+)<', html)
    assert values[0] == (f"{r.values['system_gravimetric_Wh_kg']:.0f}", "Wh/kg system")
    assert values[1] == (f"{r.values['system_volumetric_Wh_L']:.0f}", "Wh/L system")
    assert len(values) == 9
