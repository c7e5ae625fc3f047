"""Parallel vs bipolar stacking of the current unit cell: voltage, capacity and energy density
as the number of unit cells changes."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

import core
from core import Layer

from . import common as c

DEFAULT_PLATE = Layer(role="bipolar_plate", material="SS", thickness_um=10.0)
QUANTITIES = (("voltage_V", "Cell voltage (V)"), ("capacity_Ah", "Cell capacity (Ah)"),
              ("Wh_kg", "Wh/kg"), ("Wh_L", "Wh/L"))


def compare_designs(design: core.Design) -> tuple[core.Design, core.Design, str]:
    """(parallel design, bipolar design, plate note) built from the design's unit cell.
    Parallel keeps the design's collector sharing (shared if the design is bipolar); bipolar
    keeps the design's plate or uses a 10 µm stainless-steel plate."""
    st = design.stacking
    if st.type == "parallel":
        par = design
    else:
        par = replace(design, stacking=replace(st, type="parallel", collector_sharing="shared", plate=None))
    plate = st.plate
    if plate is None:
        plate = DEFAULT_PLATE
        note = "10 µm SS plate, assumed: the design has none"
    else:
        note = f"{plate.display_name()} plate {c.fmt(plate.thickness_um)} µm"
    bip = replace(design, stacking=replace(st, type="bipolar", plate=plate, spacer=None,
                                           collector_sharing="shared"))
    return par, bip, note


def zigzag_note(par: core.Design, data: dict | None, settings: c.PlotSettings) -> str:
    """Why the parallel curve zig-zags between odd and even counts (shared collectors: an even
    count needs one more collector of one kind), with the numbers; '' when it does not."""
    if data is None or par.stacking.collector_sharing != "shared" or data["x"].size < 4:
        return ""
    x, y = data["x"], data["Wh_kg"]
    d = np.diff(y)
    flips = np.sum(np.sign(d[:-1]) * np.sign(d[1:]) < 0)
    if flips < 2:
        return ""
    n0 = int(x[int(np.argmax(y))])
    n0 = max(2, n0 - (n0 % 2))   # an even count and the odd one after it, near the top
    try:
        r_even = core.evaluate(core.with_parameter(par, "stacking.unit_cells", float(n0)))
        r_odd = core.evaluate(core.with_parameter(par, "stacking.unit_cells", float(n0 + 1)))
    except core.DesignError:
        return ""
    ce, co = r_even.counts, r_odd.counts
    key = settings.key("Wh_kg")
    return (f"Parallel Wh/kg zig-zags between odd and even counts: with shared collectors "
            f"{n0} unit cells need {ce['positive_collector']:.0f} positive + "
            f"{ce['negative_collector']:.0f} negative collectors, {n0 + 1} need "
            f"{co['positive_collector']:.0f} + {co['negative_collector']:.0f} (an even count ends on "
            f"{'negative' if ce['negative_collector'] > ce['positive_collector'] else 'positive'} "
            f"collectors on both outer faces), so {n0}: {r_even.values[key]:.1f} Wh/kg, "
            f"{n0 + 1}: {r_odd.values[key]:.1f} Wh/kg. A needed count is only stated where every "
            f"count from it on meets the target.")


def _sharing_text(design: core.Design) -> str:
    return {"shared": "shared collectors", "bicell": "bi-cells", "none": "separate cells"}.get(
        design.stacking.collector_sharing, design.stacking.collector_sharing)


class StackingCompareWidget(QFrame):
    """Four small plots (V, Ah, Wh/kg, Wh/L) of parallel and bipolar stacks vs unit cells."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.design: core.Design | None = None
        self.result: core.Result | None = None
        self.settings = c.PlotSettings()
        self.data: dict[str, dict] = {}
        self.plate_note = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 3, 4, 3)
        head = QHBoxLayout()
        self.legend = c.ThemedLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        head.addWidget(self.legend, 1)
        self.export_btn = c.make_export_button(self, "parallel vs bipolar")
        head.addWidget(self.export_btn)
        lay.addLayout(head)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(c.BACKGROUND)
        lay.addWidget(self.graphics, 1)
        self.summary = c.ThemedLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.summary)
        self.plots, self.curves, self.markers = {}, {}, {}
        for i, (q, title) in enumerate(QUANTITIES):
            p = self.graphics.addPlot(row=i // 2, col=i % 2)
            p.setMouseEnabled(x=False, y=False)
            p.hideButtons()
            p.setMenuEnabled(False)
            p.showGrid(x=False, y=False)
            c.style_axes(p, ("left", "bottom"))
            p.getAxis("left").setWidth(52)
            p.getAxis("left").setLabel(title)
            p.getAxis("bottom").setLabel("Unit cells (count)")
            self.plots[q] = p
            for kind, col, style, sym in (("parallel", c.PARALLEL_COLOR, Qt.PenStyle.SolidLine, "o"),
                                          ("bipolar", c.BIPOLAR_COLOR, Qt.PenStyle.DashLine, "s")):
                # a symbol at every whole count: the model is only defined there, and with
                # shared collectors odd and even counts zig-zag
                dots = kind == "parallel" and q in ("Wh_kg", "Wh_L")
                curve = pg.PlotDataItem(pen=c.pen(col, 2.2, style), connect="finite",
                                        **(dict(symbol="o", symbolSize=4, symbolPen=None,
                                                symbolBrush=pg.mkBrush(col)) if dots else {}))
                mk = pg.ScatterPlotItem(size=10, symbol=sym, pen=pg.mkPen("k", width=1.5), brush=pg.mkBrush(col))
                mk.setZValue(10)
                p.addItem(curve)
                p.addItem(mk)
                self.curves[(q, kind)] = curve
                self.markers[(q, kind)] = mk
        self.zigzag_note = ""
        self._apply_theme()

    def changeEvent(self, ev):  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_theme()

    def _apply_theme(self):
        c.theme_view(self.graphics, [(p, ("left", "bottom")) for p in self.plots.values()], self)

    def update_plot(self, design: core.Design, result: core.Result | None, settings: c.PlotSettings):
        self.design, self.result, self.settings = design, result, settings
        par, bip, note = compare_designs(design)
        self.plate_note = note
        n = design.stacking.unit_cells
        n_max = int(max(30, 2 * n))
        lv = c.LEVELS[settings.level]
        c.set_axis_label(self.plots["Wh_kg"], "left", f"{lv.label} Wh/kg")
        c.set_axis_label(self.plots["Wh_L"], "left", f"{lv.label} Wh/L")
        self.data = {}
        for kind, d in (("parallel", par), ("bipolar", bip)):
            x = c.value_grid("stacking.unit_cells", 1, n_max, d, n=10_000)
            try:
                s = core.sweep(d, "stacking.unit_cells", x)
            except core.DesignError as e:
                self.summary.setText(f'<span style="color:#8a1c1c">{kind}: {e}</span>')
                for q, _t in QUANTITIES:
                    self.curves[(q, kind)].setData([], [])
                    self.markers[(q, kind)].setData([], [])
                continue
            ys = {"voltage_V": s["voltage_V"], "capacity_Ah": s["capacity_Ah"],
                  "Wh_kg": s[settings.key("Wh_kg")], "Wh_L": s[settings.key("Wh_L")]}
            self.data[kind] = {"x": x, **ys}
            i = np.nonzero(x == n)[0]
            for q, _t in QUANTITIES:
                self.curves[(q, kind)].setData(x, ys[q])
                if i.size:
                    self.markers[(q, kind)].setData([float(n)], [float(ys[q][i[0]])])
                else:
                    self.markers[(q, kind)].setData([], [])
        for q, _t in QUANTITIES:
            p = self.plots[q]
            vals = [v for kind in self.data for v in self.data[kind][q][np.isfinite(self.data[kind][q])]]
            p.vb.setXRange(1, n_max, padding=0.03)
            c.fit_ticks(p)
            if vals:
                lo, hi = min(vals), max(vals)
                if q in ("voltage_V", "capacity_Ah"):
                    lo = 0.0
                p.vb.setYRange(lo, hi if hi > lo else lo + 1, padding=0.06)
        par_text = f"parallel ({_sharing_text(par)})"
        self.legend.setText(
            f'<span style="color:{c.PARALLEL_COLOR}">━━ {par_text}</span> &nbsp;&nbsp; '
            f'<span style="color:{c.BIPOLAR_COLOR}">╍╍ bipolar ({note})</span> &nbsp;&nbsp; '
            f'● ■ the design\'s {n} unit cells')
        lines = []
        for kind in ("parallel", "bipolar"):
            dd = self.data.get(kind)
            if dd is None:
                continue
            i = np.nonzero(dd["x"] == n)[0]
            if not i.size:
                continue
            i = i[0]
            lines.append(f"{kind}: {c.fmt(dd['voltage_V'][i])} V, {c.fmt(dd['capacity_Ah'][i])} Ah, "
                         f"{c.fmt(dd['Wh_kg'][i])} Wh/kg, {c.fmt(dd['Wh_L'][i])} Wh/L")
        self.zigzag_note = zigzag_note(par, self.data.get("parallel"), settings)
        if lines:
            self.summary.setText(f"At {n} unit cells ({lv.label.lower()} level) — " + "; ".join(lines) +
                                 ". Same energy either way; bipolar stacks the cells in series "
                                 "(voltage × N) and replaces inner collector pairs by plates."
                                 + (f"<br>{c.html_escape(self.zigzag_note)}" if self.zigzag_note else ""))

    # ------------------------------------------------------------------ export
    def export_csv(self, path):
        lv = c.LEVELS[self.settings.level].label
        units = {"voltage_V": "voltage (V)", "capacity_Ah": "capacity (Ah)",
                 "Wh_kg": f"{lv} Wh/kg (Wh/kg)", "Wh_L": f"{lv} Wh/L (Wh/L)"}
        headers = ["Unit cells (count)"] + [f"{kind} {units[q]}" for kind in ("parallel", "bipolar")
                                            for q, _t in QUANTITIES]
        xs = sorted(set().union(*[set(d["x"].tolist()) for d in self.data.values()])) if self.data else []
        rows = []
        for xv in xs:
            row = [int(xv)]
            for kind in ("parallel", "bipolar"):
                d = self.data.get(kind)
                i = np.nonzero(d["x"] == xv)[0] if d is not None else np.array([])
                for q, _t in QUANTITIES:
                    row.append(float(d[q][i[0]]) if i.size else None)
            rows.append(row)
        return c.write_csv(path, headers, rows)

    def export_png(self, path, width: int = c.EXPORT_SIZE[0], height: int = c.EXPORT_SIZE[1],
                   dpi: int = c.EXPORT_DPI):
        return c.export_png(self.graphics, path, width, height, dpi,
                            title="Parallel vs bipolar stacking: voltage, capacity and energy density "
                                  "vs unit cells",
                            subtitle=c.figure_subtitle(self.design, self.settings),
                            legend_html=self.legend._raw + "<br>" + self.summary._raw)

    def export_svg(self, path):
        return c.export_svg(self.graphics, path)
