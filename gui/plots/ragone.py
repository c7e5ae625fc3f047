"""Ragone plot (MODEL.md step 11, issue 12): pouch Wh/kg at rate against W/kg over C-rates
(log axes), from C = 0.05 to the C-rate where the ohmic drop is half the voltage
(core.model.ragone), for the current design and, in the comparison window, for each compared
design (one colour each, named in the legend). It is an ohmic estimate: the footer names what
it leaves out. The plot follows the window's palette (light or dark)."""
from __future__ import annotations

import textwrap

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

import core
from core.model import ragone

from ..compare_life import c_rate_text, why_missing
from ..report.charts import DESIGN_COLORS
from . import common as c
from .block_base import BlockPlotWidget

COLORS = DESIGN_COLORS  # the comparison report draws its Ragone figure in the same colours
C_MARKS = (0.1, 1.0, 10.0)
FOOTER_LINES = 6  # designs named in the footer; the legend and the CSV export have them all
NAME_LIMIT = 48


def curve_style(i: int) -> tuple[str, Qt.PenStyle]:
    """(colour, line style) of design `i`: the first (the design, or the comparison's reference)
    solid, the others dashed; past the palette's eight colours the style changes again, so no
    two curves look alike."""
    if i == 0:
        return COLORS[0], Qt.PenStyle.SolidLine
    styles = (Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine)
    return COLORS[i % len(COLORS)], styles[(i // len(COLORS)) % len(styles)]


def short_name(name: str, limit: int = NAME_LIMIT) -> str:
    return name if len(name) <= limit else name[:limit - 1].rstrip() + "…"


def legend_name(name: str, width: int = 40) -> str:
    """A design's whole name for the legend (HTML), broken into lines of about `width`
    characters: two designs must be told apart, so a name is never cut off there."""
    return "<br>".join(c.html_escape(line) for line in textwrap.wrap(name, width) or [""])


def _points(design):
    """(c_rate, W_kg, Wh_kg, raw) of the Ragone curve, finite positive points only (log axes)."""
    rg = ragone(design)
    ok = np.isfinite(rg["W_kg"]) & np.isfinite(rg["Wh_kg"]) & (rg["W_kg"] > 0) & (rg["Wh_kg"] > 0)
    return rg["c_rate"][ok], rg["W_kg"][ok], rg["Wh_kg"][ok], rg


class RagonePlotWidget(BlockPlotWidget):
    TITLE = "ragone"
    STAGES = ("rate",)

    def __init__(self, parent=None):
        super().__init__(parent, log_x=True, log_y=True)
        self.plot.setLabel("bottom", "Specific power at rate (W/kg, pouch cell)")
        self.plot.setLabel("left", "Specific energy at rate (Wh/kg, pouch cell)")
        # bottom left: a Ragone curve runs from high energy at low power (top left) down to
        # the right, so that corner stays clear of the curves
        self.legend.anchor(itemPos=(0, 1), parentPos=(0, 1), offset=(10, -10))
        self.curves: list[pg.PlotDataItem] = []
        self.marks: list[pg.ScatterPlotItem] = []
        self.texts: list[pg.TextItem] = []
        self.designs: list[tuple[str, core.Design]] = []
        self.data: list[dict] = []
        self.values: list[dict] = []  # core.evaluate(design).values per design
        self.skipped: list[tuple[str, str]] = []  # (name, why) of designs that draw no curve
        self._apply_theme()

    # ------------------------------------------------------------------ theme
    def _apply_theme(self):
        """Background, axes, legend, curves and labels from the window's palette (the curves'
        colours are the designs' own, so they are set here rather than by the base)."""
        self._themed = True
        dark = c.is_dark(self)
        bg, fg = c.plot_colors(self)
        c.theme_view(self.graphics, [(self.plot, ("left", "bottom"))], self)
        fill = QColor(bg)
        fill.setAlpha(215)
        self.legend.setBrush(pg.mkBrush(fill))
        self.legend.setPen(pg.mkPen(QColor(fg).darker(160) if not dark else QColor(fg).darker(200)))
        self.legend.setLabelTextColor(fg)
        for i, (curve, mark) in enumerate(zip(self.curves, self.marks)):
            col, style = curve_style(i)
            col = c.themed(col, dark)
            curve.setPen(c.pen(col, 2.4 if i == 0 else 2.0, style))
            mark.setPen(pg.mkPen(fg, width=1.2))
            mark.setBrush(pg.mkBrush(col))
        for t in self.texts:
            t.setColor(c.themed(COLORS[0], dark))

    def _ensure(self, n: int):
        while len(self.curves) < n:
            curve = pg.PlotDataItem()
            mark = pg.ScatterPlotItem(size=10, symbol="o")
            mark.setZValue(20)
            self.plot.addItem(curve)
            self.plot.addItem(mark)
            self.curves.append(curve)
            self.marks.append(mark)
        for i, (curve, mark) in enumerate(zip(self.curves, self.marks)):
            curve.setVisible(i < n)
            mark.setVisible(i < n)
        self._apply_theme()

    # ------------------------------------------------------------------ data
    def update_plot(self, design, result, settings):
        self.design, self.result, self.settings = design, result, settings
        self.set_designs([(design.name, design)])

    def set_designs(self, designs, skipped=()):
        """Curves for [(name, design)], the first solid (the current design or the reference).
        `skipped`: [(name, reason)] of designs left out (e.g. ones that cannot be evaluated);
        the footer names them."""
        self.designs = list(designs)
        self._ensure(len(self.designs))
        self.legend.clear()
        for t in self.texts:
            self.plot.removeItem(t)
        self.texts = []
        self.data, self.values = [], []
        self.skipped = list(skipped)
        dark = c.is_dark(self)
        lines = []
        xs, ys = [], []
        for i, (name, d) in enumerate(self.designs):
            col, style = curve_style(i)
            cr, w, e, raw = _points(d)
            self.data.append(raw)
            self.curves[i].setData(w, e)
            self.legend.addItem(self.curves[i], legend_name(name))
            r = core.evaluate(d).values
            self.values.append(r)
            wh, wk, c_op = r["gravimetric_Wh_kg_at_rate"], r["gravimetric_W_kg_at_rate"], r["c_rate"]
            # scatter items are not put in log mode by the plot: give log10 coordinates
            if wh is not None and wk is not None and wh > 0 and wk > 0:
                self.marks[i].setData([np.log10(wk)], [np.log10(wh)])
            else:
                self.marks[i].setData([], [])
            if i == 0:
                for cm in C_MARKS:
                    if cr.size and cr[0] <= cm <= cr[-1]:
                        we = np.interp(np.log(cm), np.log(cr), np.log(w))
                        ee = np.interp(np.log(cm), np.log(cr), np.log(e))
                        # the label hangs under the curve (anchor: its top left corner)
                        t = pg.TextItem(f"{cm:g} C", color=c.themed(COLORS[0], dark), anchor=(0, 0))
                        t.setPos(we / np.log(10), ee / np.log(10))
                        self.plot.addItem(t, ignoreBounds=True)
                        self.texts.append(t)
            xs += list(w)
            ys += list(e)
            sym = "━" if style == Qt.PenStyle.SolidLine else "╍" if style == Qt.PenStyle.DashLine else "┅"
            head = f'<span style="color:{col}">{sym} {c.html_escape(short_name(name))}</span>'
            if not cr.size:
                lines.append(f"{head}: no curve, the design has no energy at rate from 0.05 C on (no voltage "
                             f"or reversible capacity, or an ohmic drop beyond the voltage)")
                continue
            c10 = r["c_rate_at_10pct_drop"]
            c10_text = (f"10 % drop at {c.fmt(c10)} C" if c10 is not None else
                        f"10 % drop: – ({c.html_escape(why_missing('c_rate_at_10pct_drop', d, r))})")
            lines.append(f"{head}: at {c_rate_text(c_op)} {c.fmt(wh)} Wh/kg, {c.fmt(wk)} W/kg; "
                         f"ASR {c.fmt(r['asr_ohm_cm2'])} Ω·cm², {c10_text}")
        if xs:
            x, y = np.log10(xs), np.log10(ys)
            self.plot.setXRange(x.min(), x.max(), padding=0.04)
            self.plot.setYRange(y.min(), y.max(), padding=0.08)
        self.title.setText("<b>Ragone plot</b>: Wh/kg against W/kg from 0.05 C to half the voltage lost "
                           "(● operating C-rate); ohmic estimate")
        self.csv_headers = ["Design", "C-rate (1/h)", "W/kg", "Wh/kg"]
        self.csv_data = [(name, float(cc), float(pw), float(en)) for (name, _d), raw in zip(self.designs, self.data)
                         for cc, pw, en in zip(raw["c_rate"], raw["W_kg"], raw["Wh_kg"])
                         if np.isfinite(pw) and np.isfinite(en)]
        if len(lines) > FOOTER_LINES:
            lines = lines[:FOOTER_LINES] + [f"… and {len(lines) - FOOTER_LINES} more (all in the legend "
                                            f"and the CSV export)"]
        for name, why in self.skipped:
            lines.append(f"{c.html_escape(short_name(name))}: not drawn, {c.html_escape(why)}")
        self.set_footer(lines)
