"""The "Confidence" tab (MODEL.md step 12, issue 13): a seeded Monte-Carlo over the design's
tolerances (core.model.monte_carlo): the share of sampled designs that meets each target
("400 Wh/kg: 71 % of designs meet it"), P5 / P50 / P95 of the chosen level's results, a
histogram of a chosen result and a tornado chart (each tolerance alone at its 5th and 95th
percentile, sorted by swing). The run happens after edits settle (single-shot timer)."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QSpinBox, QSplitter, QVBoxLayout, QWidget)

import core
from core.design import DesignError
from core.model import RESULT_LABELS, UNCERTAIN_KEYS, monte_carlo, result_title
from core.model.uncertainty import LABEL as CONFIDENCE_LABEL

from . import common as c
from .block_base import BlockPlotWidget

SETTLE_MS = 300
BINS = 40
LOW_COLOR = "#c8551a"
HIGH_COLOR = "#1f5fa8"


def result_text(key: str) -> str:
    return result_title(key)


def target_for(key: str, settings: c.PlotSettings) -> float | None:
    """The user's Wh/kg or Wh/L target applies to every energy-density result of that unit."""
    unit = RESULT_LABELS.get(key, (key, ""))[1]
    return settings.target_Wh_kg if unit == "Wh/kg" else settings.target_Wh_L if unit == "Wh/L" else None


def share_text(u, key: str, target: float) -> str:
    share = u.share_meeting(key, target)
    return f"{target:g} {RESULT_LABELS[key][1]}: {share * 100:.0f} % of designs meet it"


class HistogramPlot(BlockPlotWidget):
    TITLE = "histogram"
    STAGES = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.hist = pg.PlotDataItem(stepMode="center", fillLevel=0, pen=c.pen(c.KG_COLOR, 1.5),
                                    brush=pg.mkBrush(31, 95, 168, 70))
        self.plot.addItem(self.hist)
        self.lines = {}
        self.legend.hide()
        for name, col, style, at in (("P5", "#555555", Qt.PenStyle.DashLine, 0.95),
                                     ("P50", "#000000", Qt.PenStyle.SolidLine, 0.88),
                                     ("P95", "#555555", Qt.PenStyle.DashLine, 0.95),
                                     ("target", c.L_COLOR, Qt.PenStyle.DashDotLine, 0.80)):
            ln = pg.InfiniteLine(angle=90, movable=False, pen=c.pen(col, 1.4, style), label=name,
                                 labelOpts={"position": at, "color": col, "anchors": [(0, 0), (0, 0)]})
            self.plot.addItem(ln, ignoreBounds=True)
            ln.hide()   # until the first Monte-Carlo run places it
            self.lines[name] = ln
        self.plot.setLabel("left", "Sampled designs (%)")
        self.counts = np.array([])
        self.edges = np.array([])

    def show_result(self, u, key: str, target: float | None):
        v = u.values[key]
        v = v[np.isfinite(v)]
        self.title.setText(f"<b>Histogram</b>: {c.html_escape(result_text(key))}, {u.samples} samples")
        self.plot.setLabel("bottom", result_text(key))
        if v.size == 0:
            self.hist.setData([0, 1], [0])
            for ln in self.lines.values():
                ln.hide()
            self.set_footer(["No finite value in any sample (e.g. an unbounded cycle life at CE = 100 %)."])
            self.csv_headers, self.csv_data = [], []
            return
        lo, hi = float(v.min()), float(v.max())
        if hi - lo < 1e-12 * max(1.0, abs(hi)):
            lo, hi = lo - 0.5 * max(abs(lo) * 1e-3, 1e-9), hi + 0.5 * max(abs(hi) * 1e-3, 1e-9)
        counts, edges = np.histogram(v, bins=BINS, range=(lo, hi))
        self.counts, self.edges = counts, edges
        self.hist.setData(edges, counts * 100.0 / u.samples)
        p5, p50, p95 = u.percentiles[key]
        for name, x in (("P5", p5), ("P50", p50), ("P95", p95), ("target", target)):
            ln = self.lines[name]
            if x is not None and math.isfinite(x):
                ln.setPos(x)
                ln.show()
            else:
                ln.hide()
        xs = [lo, hi] + ([target] if target is not None and lo - (hi - lo) <= target <= hi + (hi - lo) else [])
        self.plot.setXRange(min(xs), max(xs), padding=0.05)
        self.plot.setYRange(0, counts.max() * 100.0 / u.samples * 1.15, padding=0)
        lines = [f"P5 {c.fmt(p5, 4)} · P50 {c.fmt(p50, 4)} · P95 {c.fmt(p95, 4)} · nominal "
                 f"{c.fmt(u.nominal.get(key), 4)}"]
        if target is not None:
            lines.append(f'<b style="color:{c.L_COLOR}">{c.html_escape(share_text(u, key, target))}</b>')
        self.csv_headers = ["bin low", "bin high", "share of samples (%)"]
        self.csv_data = [(float(a), float(b), float(n * 100.0 / u.samples)) for a, b, n in zip(edges[:-1], edges[1:], counts)]
        self.set_footer(lines)


class TornadoPlot(BlockPlotWidget):
    TITLE = "tornado"
    STAGES = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.low = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[], brush=pg.mkBrush(LOW_COLOR), pen=None)
        self.high = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[], brush=pg.mkBrush(HIGH_COLOR), pen=None)
        self.plot.addItem(self.low)
        self.plot.addItem(self.high)
        self.nominal = pg.InfiniteLine(angle=90, movable=False, pen=c.pen("#000000", 1.2))
        self.plot.addItem(self.nominal, ignoreBounds=True)
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        self.plot.getAxis("left").setWidth(120)
        self.plot.getAxis("left").setStyle(hideOverlappingLabels=False)
        self.legend.hide()
        self.rows: list[dict] = []

    def show_result(self, u, key: str, design: core.Design):
        rows = list(u.tornado.get(key) or [])
        self.rows = rows
        nom = u.nominal.get(key)
        self.title.setText(f"<b>Tornado</b>: {c.html_escape(result_text(key))}, each tolerance alone at its "
                           f"5th (<span style='color:{LOW_COLOR}'>■ low</span>) and 95th "
                           f"(<span style='color:{HIGH_COLOR}'>■ high</span>) percentile")
        self.plot.setLabel("bottom", result_text(key))
        if not rows or nom is None:
            self.low.setOpts(x0=[], y=[], width=[])
            self.high.setOpts(x0=[], y=[], width=[])
            self.plot.getAxis("left").setTicks([[]])
            self.set_footer(["No tolerance moves this result." if nom is not None else "No nominal value."])
            self.csv_headers, self.csv_data = [], []
            return
        n = len(rows)
        ys = np.arange(n)[::-1].astype(float)        # the largest swing on top
        lo = np.array([r["result_at_low"] for r in rows])
        hi = np.array([r["result_at_high"] for r in rows])
        self.low.setOpts(x0=np.minimum(lo, nom), width=np.abs(lo - nom), y=ys)
        self.high.setOpts(x0=np.minimum(hi, nom), width=np.abs(hi - nom), y=ys)
        self.nominal.setPos(nom)
        ticks = []
        for y, r in zip(ys, rows):
            p = core.PARAMETERS[r["parameter"]]
            unit = f" {p.unit}" if p.unit and p.unit != "mass fraction" else ""
            ticks.append((y, f"{c.parameter_label(r['parameter'], design)} "
                             f"{c.fmt(r['low_value'])}–{c.fmt(r['high_value'])}{unit}"))
        fm = QFontMetrics(self.plot.getAxis("left").style.get("tickFont") or self.font())
        room = max(120.0, 0.45 * self.width())
        if max(fm.horizontalAdvance(t) for _y, t in ticks) + 16 > room:   # narrow: the name only
            ticks = [(y, c.parameter_label(r["parameter"], design)) for y, r in zip(ys, rows)]
        need = max(fm.horizontalAdvance(t) for _y, t in ticks) + 16
        self.plot.getAxis("left").setTicks([ticks])
        self.plot.getAxis("left").setWidth(int(min(need, room)))
        span = max(float(np.max(np.abs(np.r_[lo, hi] - nom))), 1e-9 * max(1.0, abs(nom)))
        self.plot.setXRange(nom - span, nom + span, padding=0.08)
        self.plot.setYRange(-0.6, n - 0.4, padding=0)
        self.csv_headers = ["parameter", "low value", "high value", "result at low", "result at high", "swing"]
        self.csv_data = [(r["parameter"], r["low_value"], r["high_value"], r["result_at_low"], r["result_at_high"],
                          r["swing"]) for r in rows]
        self.set_footer([f"Nominal {c.fmt(nom, 4)}; largest swing: {c.html_escape(rows[0]['parameter'])} "
                         f"({c.fmt(rows[0]['swing'])})."])


class ConfidencePanel(QWidget):
    """Monte-Carlo over the design's tolerances: targets met, percentiles, histogram, tornado."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.design: core.Design | None = None
        self.result: core.Result | None = None
        self.settings = c.PlotSettings()
        self.u = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self.run_now)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        bar = QHBoxLayout()
        self.key_combo = QComboBox()
        for k in UNCERTAIN_KEYS:
            self.key_combo.addItem(result_text(k), k)
        self.key_combo.setToolTip("The result shown in the histogram and the tornado")
        self.key_combo.currentIndexChanged.connect(lambda _i: self._show())
        self.samples = QSpinBox()
        self.samples.setRange(100, 200_000)
        self.samples.setSingleStep(1000)
        self.samples.setValue(10_000)
        self.samples.setKeyboardTracking(False)
        self.samples.setToolTip("Sampled designs (one vectorised pass through the model)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2 ** 31 - 1)
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("Random seed: the same seed gives the same numbers")
        for sp in (self.samples, self.seed):
            sp.valueChanged.connect(lambda _v: self.run_now())
        bar.addWidget(QLabel("Result"))
        bar.addWidget(self.key_combo)
        bar.addSpacing(8)
        bar.addWidget(QLabel("Samples"))
        bar.addWidget(self.samples)
        bar.addWidget(QLabel("Seed"))
        bar.addWidget(self.seed)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.summary = c.ThemedLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.histogram = HistogramPlot()
        self.tornado = TornadoPlot()
        split.addWidget(self.histogram)
        split.addWidget(self.tornado)
        split.setSizes([500, 600])
        lay.addWidget(split, 1)
        self.note = c.ThemedLabel()
        self.note.setWordWrap(True)
        f = self.note.font()
        f.setPointSizeF(f.pointSizeF() * 0.85)
        self.note.setFont(f)
        self.note.setText(f'<span style="color:#666">{c.html_escape(CONFIDENCE_LABEL)}</span>')
        lay.addWidget(self.note)

    def update_plot(self, design, result, settings):
        """Called after edits: the Monte-Carlo runs once they settle."""
        self.design, self.result, self.settings = design, result, settings
        lv = c.LEVELS[settings.level]
        i = self.key_combo.findData(lv.gravimetric)
        if self.u is None and i >= 0:
            self.key_combo.blockSignals(True)
            self.key_combo.setCurrentIndex(i)
            self.key_combo.blockSignals(False)
        self.timer.start()

    def run_now(self):
        self.timer.stop()
        if self.design is None:
            return
        try:
            self.u = monte_carlo(self.design, self.samples.value(), self.seed.value())
        except DesignError as e:
            self.u = None
            self.summary.setText(f'<span style="color:#8a1c1c">{c.html_escape(str(e))}</span>')
            return
        self._show()

    def summary_html(self) -> str:
        u, s = self.u, self.settings
        lv = c.LEVELS[s.level]
        if not self.design.tolerances:
            head = ('<span style="color:#8a5a00">This design has no tolerances: every sample is the nominal '
                    'design. Add tolerances in the editor\'s "Tolerances" tab.</span><br>')
        else:
            head = (f"{u.samples} sampled designs over {len(self.design.tolerances)} tolerance"
                    f"{'s' if len(self.design.tolerances) != 1 else ''} (seed {u.seed}).<br>")
        cells = []
        for key, tgt in ((lv.gravimetric, s.target_Wh_kg), (lv.volumetric, s.target_Wh_L)):
            p5, p50, p95 = u.percentiles[key]
            txt = f"<b>{c.html_escape(result_text(key))}</b> P5 {c.fmt(p5, 4)} · P50 {c.fmt(p50, 4)} · P95 {c.fmt(p95, 4)}"
            if tgt is not None:
                txt += f' — <b style="color:{c.L_COLOR}">{c.html_escape(share_text(u, key, tgt))}</b>'
            cells.append(txt)
        return head + "<br>".join(cells)

    def _show(self):
        if self.u is None or self.design is None:
            return
        key = self.key_combo.currentData()
        self.summary.setText(self.summary_html())
        self.histogram.show_result(self.u, key, target_for(key, self.settings))
        self.tornado.show_result(self.u, key, self.design)
