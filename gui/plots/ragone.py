"""Ragone plot (MODEL.md step 11, issue 12): pouch Wh/kg at rate against W/kg over C-rates
(log axes), from C = 0.05 to the C-rate where the ohmic drop is half the voltage
(core.model.ragone), for the current design and, in the comparison, for each compared design.
It is an ohmic estimate: the footer names what it leaves out."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

import core
from core.model import ragone

from . import common as c
from .block_base import BlockPlotWidget

COLORS = ("#1f5fa8", "#c8551a", "#3f7f35", "#7a3fa0", "#a0522d", "#2b8c8c", "#b03060", "#555555")
C_MARKS = (0.1, 1.0, 10.0)


def _points(design):
    """(c_rate, W_kg, Wh_kg) of the Ragone curve, finite points only."""
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
        self.curves: list[pg.PlotDataItem] = []
        self.marks: list[pg.ScatterPlotItem] = []
        self.texts: list[pg.TextItem] = []
        self.designs: list[tuple[str, core.Design]] = []
        self.data: list[dict] = []

    def _ensure(self, n: int):
        while len(self.curves) < n:
            i = len(self.curves)
            col = COLORS[i % len(COLORS)]
            curve = pg.PlotDataItem(pen=c.pen(col, 2.4 if i == 0 else 2.0,
                                              Qt.PenStyle.SolidLine if i == 0 else Qt.PenStyle.DashLine))
            mark = pg.ScatterPlotItem(size=10, symbol="o", pen=pg.mkPen(c.DESIGN_EDGE, width=1.2), brush=pg.mkBrush(col))
            mark.setZValue(20)
            self.plot.addItem(curve)
            self.plot.addItem(mark)
            self.curves.append(curve)
            self.marks.append(mark)
        for i, (curve, mark) in enumerate(zip(self.curves, self.marks)):
            curve.setVisible(i < n)
            mark.setVisible(i < n)

    def update_plot(self, design, result, settings):
        self.design, self.result, self.settings = design, result, settings
        self.set_designs([(design.name, design)])

    def set_designs(self, designs):
        """Curves for [(name, design)], the first solid (the current design or the reference)."""
        self.designs = list(designs)
        self._ensure(len(self.designs))
        self.legend.clear()
        for t in self.texts:
            self.plot.removeItem(t)
        self.texts = []
        self.data = []
        lines = []
        xs, ys = [], []
        for i, (name, d) in enumerate(self.designs):
            cr, w, e, raw = _points(d)
            self.data.append(raw)
            self.curves[i].setData(w, e)
            self.legend.addItem(self.curves[i], name if len(name) <= 40 else name[:39] + "…")
            r = core.evaluate(d).values
            c_op = (d.operation.c_rate if d.operation is not None else 1.0 / 3.0)
            wh, wk = r["gravimetric_Wh_kg_at_rate"], r.get("gravimetric_W_kg_at_rate")
            if wk is None and wh is not None:
                wk = wh * c_op
            # scatter items are not put in log mode by the plot: give log10 coordinates
            if wh and wk and wh > 0 and wk > 0:
                self.marks[i].setData([np.log10(wk)], [np.log10(wh)])
            else:
                self.marks[i].setData([], [])
            if i == 0:
                for cm in C_MARKS:
                    if cr.size and cr[0] <= cm <= cr[-1]:
                        we = np.interp(np.log(cm), np.log(cr), np.log(w))
                        ee = np.interp(np.log(cm), np.log(cr), np.log(e))
                        t = pg.TextItem(f"{cm:g} C", color=COLORS[0], anchor=(0, 1))
                        t.setPos(we / np.log(10), ee / np.log(10))
                        self.plot.addItem(t, ignoreBounds=True)
                        self.texts.append(t)
            xs += list(w)
            ys += list(e)
            lines.append(f'<span style="color:{COLORS[i % len(COLORS)]}">{"━" if i == 0 else "╍"} '
                         f'{c.html_escape(name)}</span>: at {c_op:.3g} C {c.fmt(wh)} Wh/kg, {c.fmt(wk)} W/kg; '
                         f'ASR {c.fmt(r["asr_ohm_cm2"])} Ω·cm², 10 % drop at {c.fmt(r["c_rate_at_10pct_drop"])} C')
        if xs:
            x, y = np.log10(xs), np.log10(ys)
            self.plot.setXRange(x.min(), x.max(), padding=0.04)
            self.plot.setYRange(y.min(), y.max(), padding=0.08)
        self.title.setText("<b>Ragone plot</b>: Wh/kg against W/kg from 0.05 C to half the voltage lost "
                           "(● operating C-rate)")
        self.csv_headers = ["Design", "C-rate (1/h)", "W/kg", "Wh/kg"]
        self.csv_data = [(name, float(cc), float(pw), float(en)) for (name, _d), raw in zip(self.designs, self.data)
                         for cc, pw, en in zip(raw["c_rate"], raw["W_kg"], raw["Wh_kg"])]
        self.set_footer(lines[:6] + (["…"] if len(lines) > 6 else []))
