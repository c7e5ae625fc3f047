"""Lithium for the cycle target (MODEL.md step 8, issue 10): the Li foil a cycle target needs
against the Coulombic efficiency (CE axis in "nines": 99 %, 99.9 %, 99.99 %, 99.999 %), with
anode-free (0 µm) and the design's foil and CE marked; and cycle life against the Li foil.

Curves are core.sweep over `lithium.coulombic_efficiency` and `anode.thickness_um` of
`plot_design(design)`: the design itself, or, when it sets no CE or no cycle target, the
design with an illustrative CE 99.9 % and 1000 cycles (the plot says so)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

import core
from core.design import Lithium

from . import common as c
from .block_base import BlockPlotWidget

ASSUMED_CE = 0.999
ASSUMED_TARGET = 1000
NINES = (2.0, 5.0)          # CE from 99 % (1 - 1e-2) to 99.999 % (1 - 1e-5)
N_POINTS = 161
DESIGN_COLOR = "#000000"
AF_COLOR = "#7a3fa0"


def plot_design(design: core.Design) -> tuple[core.Design, list[str]]:
    """The design the life plots use, and what was assumed to make it (empty if nothing)."""
    li = design.lithium or Lithium()
    notes = []
    if li.coulombic_efficiency >= 1.0:
        li = replace(li, coulombic_efficiency=ASSUMED_CE)
        notes.append(f"CE {ASSUMED_CE * 100:g} % assumed (the design sets none: every cycle would return all its Li)")
    if li.cycle_target <= 0:
        li = replace(li, cycle_target=ASSUMED_TARGET)
        notes.append(f"cycle target {ASSUMED_TARGET} assumed (the design sets none)")
    return (design if not notes else replace(design, lithium=li)), notes


def nines(ce) -> np.ndarray:
    """CE -> -log10(1 - CE): 99 % -> 2, 99.9 % -> 3."""
    return -np.log10(1.0 - np.asarray(ce, dtype=float))


def ce_grid() -> np.ndarray:
    return 1.0 - 10.0 ** -np.linspace(NINES[0], NINES[1], N_POINTS)


def li_foil_um(design: core.Design) -> float | None:
    """The design's Li-metal foil (µm); 0 for anode-free; None for a non-Li anode."""
    anode = design.layer("anode")
    if anode is None:
        return 0.0
    if c.chemistry(design) in ("li_metal", "conversion") and anode.material == "Li":
        return core.parameter_value(design, "anode.thickness_um")
    return None


class NinesAxis(pg.AxisItem):
    """x = -log10(1 - CE), labelled as CE in %."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph override
        out = []
        for v in values:
            ce = 100.0 * (1.0 - 10.0 ** -v)
            out.append(f"{ce:.{max(0, int(round(v)) - 2)}f} %" if abs(v - round(v)) < 1e-6 else f"{ce:.4g} %")
        return out


class RequiredFoilPlot(BlockPlotWidget):
    TITLE = "Li foil for the cycle target"
    STAGES = ("lithium",)

    def make_axes(self):
        axis = NinesAxis("bottom")
        axis.setStyle(hideOverlappingLabels=False)
        ticks = [2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0]
        axis.setTicks([[(v, axis.tickStrings([v], 1, 1)[0]) for v in ticks[::2]],
                       [(v, "") for v in ticks[1::2]]])
        return {"bottom": axis}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.curve = pg.PlotDataItem(pen=c.pen(c.KG_COLOR, 2.4), name="Li foil needed")
        self.af_line = pg.InfiniteLine(angle=0, pos=0.0, movable=False, pen=c.pen(AF_COLOR, 1.5, Qt.PenStyle.DashLine),
                                       label="anode-free (0 µm)", labelOpts={"position": 0.98, "color": AF_COLOR,
                                                                            # under the line at the right: the
                                                                            # curve comes down to it from the left
                                                                            "anchors": [(1, 0), (1, 0)]})
        self.af_ce = pg.InfiniteLine(angle=90, movable=False, pen=c.pen(AF_COLOR, 1, Qt.PenStyle.DotLine))
        self.foil_line = pg.InfiniteLine(angle=0, movable=False, pen=c.pen("#555555", 1, Qt.PenStyle.DotLine))
        self.ce_line = pg.InfiniteLine(angle=90, movable=False, pen=c.pen("#555555", 1, Qt.PenStyle.DotLine))
        self.marker = pg.ScatterPlotItem(size=11, symbol="o", pen=pg.mkPen(c.DESIGN_EDGE, width=1.5),
                                         brush=pg.mkBrush(c.KG_COLOR), name="this design (CE, foil)")
        self.marker.setZValue(20)
        self.plot.addItem(self.curve)
        for item in (self.af_line, self.af_ce, self.foil_line, self.ce_line):
            self.plot.addItem(item, ignoreBounds=True)
        self.plot.addItem(self.marker)
        self.plot.setLabel("left", "Li foil needed (µm)")
        self.plot.setLabel("bottom", "Coulombic efficiency (Li plating/stripping)")
        self.x = np.array([])
        self.y = np.array([])
        self.used_design: core.Design | None = None

    def update_plot(self, design, result, settings):
        self.design, self.result, self.settings = design, result, settings
        d, notes = plot_design(design)
        self.used_design = d
        ce = ce_grid()
        data = core.sweep(d, "lithium.coulombic_efficiency", ce)
        y = data["required_li_foil_um"]
        self.x, self.y = ce, y
        self.curve.setData(nines(ce), y)
        li = d.lithium
        ce_d = li.coulombic_efficiency
        foil = li_foil_um(design)
        x_d = float(nines(min(ce_d, 1 - 10 ** -NINES[1])))
        self.ce_line.setPos(x_d)
        lines = []
        if foil is not None:
            self.foil_line.setPos(foil)
            self.foil_line.show()
            self.marker.setData([x_d], [foil])
        else:
            self.foil_line.hide()
            self.marker.setData([], [])
            lines.append("This design's anode is not Li metal: the curve is the Li (as foil) its reservoir would need.")
        zero = np.flatnonzero(np.isfinite(y) & (y <= 1e-9))
        if zero.size:
            self.af_ce.setPos(float(nines(ce[zero[0]])))
            self.af_ce.show()
            lines.append(f'<span style="color:{AF_COLOR}">Anode-free meets {li.cycle_target} cycles from CE ≥ '
                         f'{ce[zero[0]] * 100:.4f} %.</span>')
        else:
            self.af_ce.hide()
            lines.append(f'<span style="color:{AF_COLOR}">Anode-free never meets {li.cycle_target} cycles '
                         f'on this CE range (formation loss or too few nines).</span>')
        need = core.evaluate(d).values["required_li_foil_um"]
        lines.insert(0, f"<b>{li.cycle_target} cycles to {li.end_of_life_retention:.0%}</b>: at CE "
                        f"{ce_d * 100:.3f} % the cell needs {c.fmt(need)} µm of Li foil"
                        + (f"; it has {c.fmt(foil)} µm" if foil is not None else "") + ".")
        if notes:
            lines.insert(1, f'<span style="color:#8a5a00">{c.html_escape("; ".join(notes))}.</span>')
        fy = y[np.isfinite(y)]
        top = max([1.0] + list(fy[:1]) + ([foil * 1.2] if foil else []))
        top = min(top, max(5 * (need or 1), (foil or 0) * 1.5, 10))
        self.plot.setXRange(NINES[0] - 0.08, NINES[1] + 0.08, padding=0)
        self.plot.setYRange(-0.08 * top, top, padding=0.02)
        self.title.setText("<b>Li foil for the cycle target</b> against Coulombic efficiency")
        self.csv_headers = ["Coulombic efficiency", "Li foil needed (µm)"]
        self.csv_data = [(float(a), float(b)) for a, b in zip(ce, y)]
        self.set_footer(lines)


class CycleLifePlot(BlockPlotWidget):
    TITLE = "Cycle life against Li foil"
    STAGES = ("lithium",)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.curve = pg.PlotDataItem(pen=c.pen(c.KG_COLOR, 2.4), name="cycle life", connect="finite")
        self.target_line = pg.InfiniteLine(angle=0, movable=False, pen=c.pen(c.L_COLOR, 1.3, Qt.PenStyle.DashDotLine),
                                           label="cycle target", labelOpts={"position": 0.85, "color": c.L_COLOR,
                                                                            "anchors": [(1, 1), (1, 1)]})
        self.need_line = pg.InfiniteLine(angle=90, movable=False, pen=c.pen(c.L_COLOR, 1, Qt.PenStyle.DotLine))
        self.design_line = pg.InfiniteLine(angle=90, movable=False, pen=c.pen("#555555", 1, Qt.PenStyle.DotLine))
        self.marker = pg.ScatterPlotItem(size=11, symbol="o", pen=pg.mkPen(c.DESIGN_EDGE, width=1.5),
                                         brush=pg.mkBrush(c.KG_COLOR), name="this design")
        self.marker.setZValue(20)
        self.plot.addItem(self.curve)
        for item in (self.target_line, self.need_line, self.design_line):
            self.plot.addItem(item, ignoreBounds=True)
        self.plot.addItem(self.marker)
        self.plot.addItem(self.note, ignoreBounds=True)
        self.plot.setLabel("left", "Cycle life (cycles)")
        self.plot.setLabel("bottom", "Li foil thickness (µm)")
        self.x = np.array([])
        self.y = np.array([])
        self.used_design: core.Design | None = None

    def update_plot(self, design, result, settings):
        self.design, self.result, self.settings = design, result, settings
        d, notes = plot_design(design)
        self.used_design = d
        li = d.lithium
        r = core.evaluate(d).values
        foil = li_foil_um(design)
        need = r["required_li_foil_um"]
        lines = []
        self.title.setText(f"<b>Cycle life</b> against Li foil thickness at CE {li.coulombic_efficiency * 100:.3f} %")
        if foil is None or "anode.thickness_um" not in core.available_parameters(d) or design.layer("anode") is None:
            self.curve.setData([], [])
            self.x = self.y = np.array([])
            life = r["cycle_life"]
            self.marker.setData([0.0], [life] if life is not None else [])
            why = ("an anode-free design has no Li foil to vary" if design.layer("anode") is None
                   else "this design's anode is not a Li-metal foil")
            lines.append(f"Cycle life {c.fmt(life)} cycles; {why}. Add a Li-metal anode to see the curve.")
            self.note.setText(why)
            self.note.setPos(0.5 * max(need or 1, 1), (life or 1) * 1.2)
            self.note.show()
            for item in (self.need_line, self.design_line):
                item.hide()
            self.target_line.setPos(li.cycle_target)
            self.plot.setXRange(0, max(need or 1, 1) * 1.5, padding=0.02)
            self.plot.setYRange(0, max(life or 1, li.cycle_target) * 1.5, padding=0.02)
            self.csv_headers, self.csv_data = [], []
            self.set_footer(lines + ([c.html_escape("; ".join(notes))] if notes else []))
            return
        self.note.hide()
        hi = max(50.0, 2.0 * (need or 0), 2.0 * foil)
        x = np.linspace(0.5, hi, N_POINTS)
        data = core.sweep(d, "anode.thickness_um", x)
        y = data["cycle_life"]
        self.x, self.y = x, y
        self.curve.setData(x, y)
        life = r["cycle_life"]
        self.marker.setData([foil], [life] if life is not None else [np.nan])
        self.target_line.setPos(li.cycle_target)
        self.design_line.setPos(foil)
        self.design_line.show()
        if need is not None and math.isfinite(need):
            self.need_line.setPos(need)
            self.need_line.setVisible(0 < need <= hi)
        lines.append(f"This design: {c.fmt(foil)} µm → {c.fmt(life)} cycles; {li.cycle_target} cycles need "
                     f"≥ {c.fmt(need)} µm.")
        if notes:
            lines.append(f'<span style="color:#8a5a00">{c.html_escape("; ".join(notes))}.</span>')
        fy = y[np.isfinite(y)]
        top = max([li.cycle_target * 1.3] + ([float(fy.max())] if fy.size else []))
        self.plot.setXRange(0, hi, padding=0.02)
        self.plot.setYRange(0, top, padding=0.03)
        self.csv_headers = ["Li foil thickness (µm)", "Cycle life (cycles)"]
        self.csv_data = [(float(a), float(b)) for a, b in zip(x, y)]
        self.set_footer(lines)


class LifePlotsWidget(QWidget):
    """The two life plots side by side (the plots panel's "Lithium over life" tab)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.required = RequiredFoilPlot()
        self.life = CycleLifePlot()
        lay.addWidget(self.required, 1)
        lay.addWidget(self.life, 1)

    def update_plot(self, design, result, settings):
        self.required.update_plot(design, result, settings)
        self.life.update_plot(design, result, settings)
