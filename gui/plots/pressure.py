"""Stack pressure (MODEL.md step 10, issue 11): system-level Wh/kg (left axis) and Wh/L (right
axis) against the stack pressure, 0.1-50 MPa on a log axis, for 1, 10 and 100 pouch cells per
fixture, with the pressures the literature reports marked and their sources named.

Curves are core.sweep over `fixture.pressure_MPa` of `pressure_design(design, M)`: the design
with `cells_per_fixture` = M; a design without a fixture gets the default one (SS plates,
safety factor 2), and the plot says so."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

import core
from core.design import Fixture

from . import common as c
from .block_base import BlockPlotWidget

P_RANGE = (0.1, 50.0)
N_POINTS = 121
CELLS = (1, 10, 100)
WIDTHS = {1: 1.4, 10: 2.0, 100: 2.8}
REGION_LAB = (40, 90, 160, 40)
REGION_PACK = (63, 127, 53, 45)


@dataclass(frozen=True)
class LitPressure:
    lo: float
    hi: float
    label: str
    source: str
    assumption: bool = False


# What the literature says about stack pressure. Numbers with a source are the sources' own;
# the ones marked as an assumption could not be tied to a citable number and say so.
LITERATURE = (
    LitPressure(5.0, 5.0, "5 MPa: Li-metal ASSB cycles reliably",
                "Doux et al., Adv. Energy Mater. 2020, 10, 1903253 (arXiv:1910.02118): Li | Li6PS5Cl "
                "symmetric cells > 1000 h and a Li | Li6PS5Cl | NCA full cell > 200 cycles at 5 MPa, "
                "room temperature."),
    LitPressure(5.0, 70.0, "lab cells 5–70 MPa",
                "Range of stack pressures in lab ASSB cells. Low end: Doux et al. 2020 (5 MPa). The high end "
                "(tens of MPa, up to about 70) is an assumption taken from the range named in issue 11 and in "
                "lab-press application notes (e.g. kinteksolution.com FAQ pages, which quote 15-100 MPa); it is "
                "not tied to one peer-reviewed source here.", assumption=True),
    LitPressure(0.1, 1.0, "pack: ≤ 1 MPa",
                "What a pack can hold: assumption of at most about 1 MPa over a cell's face. Packs of liquid "
                "cells hold about 0.01-0.1 MPa (kinteksolution.com, 'pack-admissible pressure fixtures'); "
                "Wang, Kazyak, Dasgupta, Sakamoto, Joule 2021, 5, 1371 discuss why lab pressures do not carry "
                "over to packs.", assumption=True),
)


def pressure_design(design: core.Design, cells: int) -> core.Design:
    fx = design.fixture or Fixture()
    return replace(design, fixture=replace(fx, cells_per_fixture=int(cells)))


def pressure_grid() -> np.ndarray:
    return np.geomspace(P_RANGE[0], P_RANGE[1], N_POINTS)


class PressurePlotWidget(BlockPlotWidget):
    TITLE = "pressure"
    STAGES = ("fixture",)
    AXIS_COLORS = {"left": c.KG_COLOR, "right": c.L_COLOR}

    def __init__(self, parent=None):
        super().__init__(parent, log_x=True, right_axis=True)
        self.plot.getAxis("left").setPen(pg.mkPen(c.KG_COLOR))
        self.plot.getAxis("left").setTextPen(pg.mkPen(c.KG_COLOR))
        self.plot.getAxis("right").setPen(pg.mkPen(c.L_COLOR))
        self.plot.getAxis("right").setTextPen(pg.mkPen(c.L_COLOR))
        c.set_axis_label(self.plot, "left", "System Wh/kg", c.KG_COLOR)
        c.set_axis_label(self.plot, "right", "System Wh/L", c.L_COLOR)
        self.plot.setLabel("bottom", "Stack pressure (MPa)")
        self.regions = []
        for lit in LITERATURE:
            tip = f"{lit.label}\n{lit.source}" + ("\n(assumption)" if lit.assumption else "")
            if lit.hi > lit.lo:
                reg = pg.LinearRegionItem((np.log10(lit.lo), np.log10(lit.hi)), movable=False,
                                          pen=pg.mkPen(None),
                                          brush=pg.mkBrush(*(REGION_PACK if "pack" in lit.label else REGION_LAB)))
                reg.setZValue(-20)
                reg.setToolTip(tip)
                self.plot.addItem(reg, ignoreBounds=True)
                label = pg.TextItem(lit.label + (" *" if lit.assumption else ""),
                                    color="#3f7f35" if "pack" in lit.label else "#283c90", anchor=(0, 0))
                label.setToolTip(tip)
                self.plot.addItem(label, ignoreBounds=True)
                self.regions.append((reg, label, lit))
            else:
                line = pg.InfiniteLine(angle=90, pos=np.log10(lit.lo), movable=False,
                                       pen=c.pen("#283c90", 1.2, Qt.PenStyle.DashLine))
                line.setToolTip(tip)
                self.plot.addItem(line, ignoreBounds=True)
        self.curves = {}
        for m in CELLS:
            kg = pg.PlotDataItem(pen=c.pen(c.KG_COLOR, WIDTHS[m]), name=f"{m} cell{'s' if m > 1 else ''} per fixture")
            wl = pg.PlotDataItem(pen=c.pen(c.L_COLOR, WIDTHS[m], Qt.PenStyle.DashLine))
            self.plot.addItem(kg)
            self.vb2.addItem(wl)
            self.curves[m] = (kg, wl)
        self.labels = {m: pg.TextItem(f"{m}×", color=c.KG_COLOR, anchor=(1, 1)) for m in CELLS}
        for t in self.labels.values():
            self.plot.addItem(t, ignoreBounds=True)
        self.marker = pg.ScatterPlotItem(size=11, symbol="o", pen=pg.mkPen(c.DESIGN_EDGE, width=1.5),
                                         brush=pg.mkBrush(c.KG_COLOR), name="this design")
        self.marker.setZValue(20)
        self.plot.addItem(self.marker)
        # the key is in the footer and the "1×, 10×, 100×" labels at the curves' ends: a legend
        # box in the plot covered the pouch-cell line's label and the literature bands' labels
        self.legend.setVisible(False)
        self.pouch_line = pg.InfiniteLine(angle=0, movable=False, pen=c.pen("#555555", 1, Qt.PenStyle.DotLine),
                                          label="pouch cell, no fixture", labelOpts={
                                              "position": 0.5, "color": "#555555", "anchors": [(0.5, 1), (0.5, 1)]})
        self.plot.addItem(self.pouch_line, ignoreBounds=True)
        self.x = pressure_grid()
        self.y: dict[int, dict[str, np.ndarray]] = {}
        self.used_designs: dict[int, core.Design] = {}

    def update_plot(self, design, result, settings):
        self.design, self.result, self.settings = design, result, settings
        x = self.x
        lines = []
        default = design.fixture is None
        fx = design.fixture or Fixture()
        kmax, kmin, lmax, lmin = 0.0, np.inf, 0.0, np.inf
        for m in CELLS:
            d = pressure_design(design, m)
            self.used_designs[m] = d
            data = core.sweep(d, "fixture.pressure_MPa", x)
            kg, wl = data["system_gravimetric_Wh_kg"], data["system_volumetric_Wh_L"]
            self.y[m] = {"Wh_kg": kg, "Wh_L": wl}
            self.curves[m][0].setData(x, kg)
            self.curves[m][1].setData(np.log10(x), wl)
            self.labels[m].setPos(np.log10(x[-1]), kg[-1])
            kmax, kmin = max(kmax, np.nanmax(kg)), min(kmin, np.nanmin(kg))
            lmax, lmin = max(lmax, np.nanmax(wl)), min(lmin, np.nanmin(wl))
        pouch_kg = (result or core.evaluate(design)).values["gravimetric_Wh_kg"]
        self.pouch_line.setPos(pouch_kg)
        self.plot.setXRange(np.log10(P_RANGE[0]), np.log10(P_RANGE[1]), padding=0.02)
        self.plot.setYRange(0, max(kmax, pouch_kg) * 1.08, padding=0)
        self.vb2.setYRange(0, lmax * 1.05, padding=0)
        for reg, label, lit in self.regions:
            label.setPos(np.log10(lit.lo), max(kmax, pouch_kg) * (0.99 if "pack" in lit.label else 0.93))
        if default:
            self.marker.setData([], [])
            lines.append('<span style="color:#8a5a00">This design has no fixture: the curves use the default '
                         'one (SS plates, safety factor 2, plates sized on strength).</span>')
        else:
            r = result or core.evaluate(design)
            # scatter items are not put in log mode by the plot: the x is given as log10
            self.marker.setData([np.log10(fx.pressure_MPa)], [r.values["system_gravimetric_Wh_kg"]])
            lines.append(f"This design: {c.fmt(fx.pressure_MPa)} MPa, {fx.cells_per_fixture} cell(s) per fixture, "
                         f"{fx.plate_material} plates → {c.fmt(r.values['system_gravimetric_Wh_kg'])} Wh/kg, "
                         f"{c.fmt(r.values['system_volumetric_Wh_L'])} Wh/L (system).")
        marker = "" if default else f'; <span style="color:{c.KG_COLOR}">●</span> this design'
        lines.append(f"Pouch cell without fixture (dotted): {c.fmt(pouch_kg)} Wh/kg. Solid: Wh/kg; dashed: Wh/L; "
                     f"thin to thick: 1, 10, 100 cells per fixture (1×, 10×, 100× at the right){marker}. "
                     f"Shaded: literature pressures (hover for sources; * = assumption).")
        self.title.setText("<b>System energy density against stack pressure</b> "
                           f"({fx.plate_material} plates, safety factor {fx.safety_factor:g})")
        self.csv_headers = ["Stack pressure (MPa)"] + [f"System {u} ({m} per fixture)" for m in CELLS
                                                       for u in ("Wh/kg", "Wh/L")]
        self.csv_data = [tuple([float(p)] + [float(self.y[m][k][i]) for m in CELLS for k in ("Wh_kg", "Wh_L")])
                         for i, p in enumerate(x)]
        self.set_footer(lines)
