"""Issue 12, rate in the comparison: the comparison window's Ragone plot (one curve per compared
design, the core's numbers, following designs added, removed and the reference), the
comparison report's Ragone figure, the rate rows of the results table, and the parallel vs
bipolar view at the design's operating C-rate (the twins' core values; bipolar = N x the unit
cell's voltage at rate)."""
from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt

import core
from core.design import Operation
from core.model import ragone
from gui.compare import NEGATIVE, POSITIVE, CompareWidget, tag
from gui.compare_life import c_rate_text
from gui.plots import common as c
from gui.plots.ragone import COLORS, curve_style
from gui.plots.stacking import StackingCompareWidget, compare_designs
from gui.report.compare import COMPARE_ROWS, compare_results, delta_merit

BASELINE = "review-baseline-nmc811-li3incl6-li"
FREE = "anode-free-nmc811-li6ps5cl"
BIPOLAR = "bipolar-4s-nmc811-li6ps5cl-li"
TOL = 1e-9


def _designs(*names):
    return [(core.load_preset(n).name, core.load_preset(n)) for n in names]


def _drawn(w):
    """[(x, y)] of the visible curves of a RagonePlotWidget, in data units (W/kg, Wh/kg; the
    plot's log mode maps only what it draws)."""
    return [(curve.xData, curve.yData) for curve in w.curves if curve.isVisible()]


def _legend_names(w):
    return [label.text.replace("<br>", " ") for _sample, label in w.legend.items]


def _same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=TOL, atol=0)


def _core_curve(design):
    rg = ragone(design)
    ok = np.isfinite(rg["W_kg"]) & np.isfinite(rg["Wh_kg"]) & (rg["W_kg"] > 0) & (rg["Wh_kg"] > 0)
    return rg["W_kg"][ok], rg["Wh_kg"][ok]


# --------------------------------------------------------------------------- comparison Ragone
def test_comparison_ragone_draws_one_curve_per_design_with_core_numbers(qtbot):
    entries = _designs(BASELINE, FREE, BIPOLAR)
    w = CompareWidget()
    qtbot.addWidget(w)
    w.set_designs(entries)
    rg = w.ragone
    assert w.tabs.indexOf(rg) >= 0
    drawn = _drawn(rg)
    assert len(drawn) == 3
    for i, ((name, d), (x, y)) in enumerate(zip(entries, drawn)):
        wk, wh = _core_curve(d)
        _same(x, wk)
        _same(y, wh)
        v = core.evaluate(d).values
        mx, my = rg.marks[i].getData()   # the operating point, in log10 coordinates
        assert 10 ** mx[0] == pytest.approx(v["gravimetric_W_kg_at_rate"], rel=TOL)
        assert 10 ** my[0] == pytest.approx(v["gravimetric_Wh_kg_at_rate"], rel=TOL)
    assert _legend_names(rg) == [f"{tag(i)}: {name}" for i, (name, _d) in enumerate(entries)]
    # distinct colours, the reference solid, the others dashed
    pens = [curve.opts["pen"] for curve in rg.curves[:3]]
    assert len({p.color().name() for p in pens}) == 3
    assert pens[0].style() == Qt.PenStyle.SolidLine
    assert all(p.style() != Qt.PenStyle.SolidLine for p in pens[1:])
    # an ohmic estimate, and it says what it leaves out
    assert "ohmic estimate" in rg.title.text()
    foot = rg.footer.text()
    for word in ("ohmic", "diffusion", "temperature"):
        assert word in foot.lower()
    assert not re.search(r"\b(nan|inf)\b", foot.lower())


def test_comparison_ragone_follows_removal_and_reference(qtbot):
    entries = _designs(BASELINE, FREE, BIPOLAR)
    w = CompareWidget()
    qtbot.addWidget(w)
    w.set_designs(entries)
    w.remove_design(1)                      # the anode-free design goes
    drawn = _drawn(w.ragone)
    assert len(drawn) == 2
    names = _legend_names(w.ragone)
    assert not any(entries[1][0] in n for n in names)
    _same(drawn[1][0], _core_curve(entries[2][1])[0])
    w.set_reference(1)                      # the bipolar design becomes the reference
    drawn = _drawn(w.ragone)
    _same(drawn[0][1], _core_curve(entries[2][1])[1])
    assert _legend_names(w.ragone)[0] == f"Ref.: {entries[2][0]}"
    assert w.ragone.curves[0].opts["pen"].style() == Qt.PenStyle.SolidLine
    w.add_design(*entries[1])
    assert len(_drawn(w.ragone)) == 3
    w.set_designs([])
    assert _drawn(w.ragone) == [] and not w.tabs.isVisibleTo(w)


def test_comparison_ragone_names_a_design_it_cannot_draw(qtbot):
    base = core.load_preset(BASELINE)
    bad = base.replace_layer(2, replace(base.unit_cell[2], thickness_um=-5.0))
    w = CompareWidget()
    qtbot.addWidget(w)
    w.set_designs([("base", base), ("bad", bad)])
    assert len(_drawn(w.ragone)) == 1
    assert "B: bad: not drawn, it cannot be evaluated" in w.ragone.footer.text()


def test_comparison_ragone_follows_the_palette(qtbot):
    from gui.main_window import dark_palette, light_palette
    w = CompareWidget()
    qtbot.addWidget(w)
    w.set_designs(_designs(BASELINE, FREE))
    rg = w.ragone
    assert rg.graphics.backgroundBrush().color().lightness() > 200
    assert rg.curves[1].opts["pen"].color().name() == COLORS[1]
    w.setPalette(dark_palette())
    assert rg.graphics.backgroundBrush().color().lightness() < 100
    assert rg.plot.getAxis("bottom").textPen().color().lightness() > 150
    assert rg.curves[1].opts["pen"].color().name() == c.readable_on_dark(COLORS[1])
    assert rg.legend.opts["labelTextColor"].lightness() > 150
    w.setPalette(light_palette())
    assert rg.graphics.backgroundBrush().color().lightness() > 200


def test_curve_styles_stay_distinct_past_the_palette():
    styles = {curve_style(i) for i in range(20)}
    assert len(styles) == 20


def _no_resistance():
    """The baseline with an electrolyte whose conductivity nobody knows: ASR 0, so no C-rate
    ever drops the voltage by 10 %."""
    from core.design import Component
    d = core.load_preset(BASELINE)
    cells = list(d.unit_cell)
    cells[1] = replace(cells[1], components=(Component("NMC811", 0.85), Component("NoSigma", 0.15)))
    cells[2] = replace(cells[2], material="NoSigma")
    return replace(d, unit_cell=tuple(cells), materials={"NoSigma": {"density_g_cm3": 2.69}})


def test_ragone_gives_a_reason_where_the_10pct_rate_is_missing(qtbot):
    from gui.plots.ragone import RagonePlotWidget
    from gui.report import ensure_qt_app
    from gui.report.life import ragone_figure
    d = _no_resistance()
    r = core.evaluate(d)
    assert r.values["asr_ohm_cm2"] == 0 and r.values["c_rate_at_10pct_drop"] is None
    w = RagonePlotWidget()
    qtbot.addWidget(w)
    w.set_designs([("no R", d)])
    foot = w.footer.text()
    assert "10 % drop: – (No resistance known (ASR 0)" in foot
    assert "nan" not in foot.lower()
    ensure_qt_app()
    fig = ragone_figure(["no R"], [d], [r])
    assert "no R: no resistance known (ASR 0), its curve is drawn to 100 C without a voltage drop" in fig.caption


def test_c_rate_text():
    assert c_rate_text(1 / 3) == "C/3"
    assert c_rate_text(1.0) == "1C"
    assert c_rate_text(2.0) == "2C"
    assert c_rate_text(0.15) == "0.15C"
    assert c_rate_text(None) == "–" and c_rate_text(float("nan")) == "–"


# --------------------------------------------------------------------------- results table
RATE_KEYS = ("voltage_at_rate_V", "energy_Wh_at_rate", "gravimetric_Wh_kg_at_rate", "volumetric_Wh_L_at_rate",
             "c_rate_at_10pct_drop")
MERIT_KEYS = ("gravimetric_Wh_kg_at_rate", "volumetric_Wh_L_at_rate", "c_rate_at_10pct_drop")


def test_results_table_has_the_rate_rows_coloured_higher_is_better(qtbot):
    keys = [k for k, _, _ in COMPARE_ROWS]
    for k in RATE_KEYS + ("c_rate", "asr_ohm_cm2"):
        assert k in keys, k
    for k in MERIT_KEYS:
        assert delta_merit(k, +1.0) == 1 and delta_merit(k, -1.0) == -1, k
    assert delta_merit("c_rate", 1.0) == 0      # the operating point is a choice, not a merit
    # voltage and energy follow the cell's size and stacking, at rate as at rest: not coloured
    for k in ("voltage_at_rate_V", "energy_Wh_at_rate", "voltage_V", "energy_Wh", "materials_cost_USD"):
        assert delta_merit(k, 1.0) == 0 and delta_merit(k, -1.0) == 0, k
    base = core.load_preset(BASELINE)
    lossy = replace(base, operation=Operation(c_rate=1 / 3, interface_asr_ohm_cm2=20.0))
    w = CompareWidget()
    qtbot.addWidget(w)
    w.set_designs([("ref", base), ("interface 20", lossy)])
    r0, r1 = core.evaluate(base).values, core.evaluate(lossy).values
    rows = {row.key: row for row in compare_results([core.evaluate(base), core.evaluate(lossy)])}
    for k in RATE_KEYS:
        item = w.results_table.item(keys.index(k), 1)
        if k in MERIT_KEYS:
            assert item.foreground().color() == NEGATIVE, k      # more resistance: less at rate
        assert rows[k].deltas[1] == pytest.approx(r1[k] - r0[k], rel=TOL, abs=1e-12)
        assert not re.search(r"\b(nan|inf)\b", item.text().lower())
    w.set_designs([("interface 20", lossy), ("ref", base)])
    for k in MERIT_KEYS:
        assert w.results_table.item(keys.index(k), 1).foreground().color() == POSITIVE, k


# --------------------------------------------------------------------------- parallel vs bipolar
@pytest.mark.parametrize("name", [BASELINE, BIPOLAR])
def test_stacking_view_at_rate_is_core_of_the_twins(qtbot, name):
    d = core.load_preset(name)
    d = replace(d, operation=Operation(c_rate=1.0, interface_asr_ohm_cm2=5.0))
    w = StackingCompareWidget()
    qtbot.addWidget(w)
    settings = c.PlotSettings()
    w.update_plot(d, core.evaluate(d), settings)
    par, bip, _note = compare_designs(d)
    vp, vb = core.evaluate(par).values, core.evaluate(bip).values
    for k in ("voltage_at_rate_V", "energy_Wh_at_rate", "gravimetric_Wh_kg_at_rate", "voltage_V", "energy_Wh"):
        assert w.twins["parallel"][k] == pytest.approx(vp[k], rel=TOL), k
        assert w.twins["bipolar"][k] == pytest.approx(vb[k], rel=TOL), k
    n = d.stacking.unit_cells
    # bipolar: the unit cells in series, so N x one unit cell's voltage at rate (a parallel
    # stack's voltage is one unit cell's)
    assert vb["voltage_at_rate_V"] == pytest.approx(n * vp["voltage_at_rate_V"], rel=TOL)
    assert vp["voltage_at_rate_V"] < vp["voltage_V"]
    table = w.table.text()
    assert "at 1C</b>, ohmic estimate" in table
    for k in ("voltage_at_rate_V", "energy_Wh_at_rate", "gravimetric_Wh_kg_at_rate"):
        assert f">{c.fmt(vp[k], 4)}<" in table and f">{c.fmt(vb[k], 4)}<" in table, k
    summary = w.summary.text()
    assert f"{c.fmt(vb['voltage_at_rate_V'], 4)} V = {n} × {c.fmt(vp['voltage_at_rate_V'], 4)} V" in summary
    assert "ohmic only" in summary
    for text in (table, summary):
        assert not re.search(r"\b(nan|inf)\b", text.lower())


def test_stacking_csv_has_the_columns_at_rate(qtbot, tmp_path):
    import csv
    d = core.load_preset(BASELINE)
    w = StackingCompareWidget()
    qtbot.addWidget(w)
    w.update_plot(d, core.evaluate(d), c.PlotSettings())
    out = w.export_csv(tmp_path / "s.csv")
    rows = list(csv.reader(open(out, encoding="utf-8-sig")))
    head = rows[0]
    col = head.index("bipolar voltage at C/3 (ohmic estimate) (V)")
    n = d.stacking.unit_cells
    row = next(r for r in rows[1:] if r[0] == str(n))
    assert float(row[col]) == pytest.approx(core.evaluate(compare_designs(d)[1]).values["voltage_at_rate_V"],
                                            rel=1e-6)


# --------------------------------------------------------------------------- report
def test_comparison_report_has_the_ragone_figure(tmp_path):
    from gui.report import ensure_qt_app
    from gui.report.layout import Figure, Heading
    from gui.report.life import life_comparison_blocks, rate_blocks
    ensure_qt_app()
    designs = [core.load_preset(n) for n in (BASELINE, FREE, BIPOLAR)]
    results = [core.evaluate(d) for d in designs]
    blocks = life_comparison_blocks(designs, results, ["Ref.", "B", "C"])
    heads = [b.text for b in blocks if isinstance(b, Heading)]
    assert any("Ragone" in h for h in heads)
    fig = next(b for b in blocks if isinstance(b, Figure))
    assert fig.image is not None and not fig.image.isNull()
    assert "Ohmic estimate" in fig.caption and "diffusion" in fig.caption
    for r in results:
        assert c.fmt(r.values["gravimetric_Wh_kg_at_rate"]) in fig.caption or \
            f"{r.values['gravimetric_Wh_kg_at_rate']:.4g}" in fig.caption
    # every design's colour is in the picture
    img = fig.image
    found = set()
    for y in range(0, img.height(), 3):
        for x in range(0, img.width(), 3):
            name = img.pixelColor(x, y).name()
            if name in COLORS[:3]:
                found.add(name)
    assert found == set(COLORS[:3])
    single = [b for b in rate_blocks(designs[0], results[0]) if isinstance(b, Figure)]
    assert len(single) == 1


def test_log_ticks():
    from gui.report.charts import log_ticks
    assert log_ticks(12, 13000, 10) == [20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
    t = log_ticks(183, 383)
    assert 4 <= len(t) <= 7 and all(183 <= v <= 383 for v in t)
    assert all(math.isfinite(v) for v in log_ticks(0.05, 50))
