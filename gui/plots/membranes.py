"""The literature membranes on the separator plot (MODEL.md step 11, issue 12): each membrane of
resources/data/membranes.csv with a conductivity, as a point at its thickness (both ends of a
reported range) whose height is this design's energy density AT RATE with that membrane as the
separator (thickness and measured conductivity, ASR = t / σ). A filled point meets the target
at rate, a hollow one does not. Ohmic estimate only (core.model.ASSUMPTIONS["rate"])."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import numpy as np
import pyqtgraph as pg

import core
from core import literature
from core.design import DesignError
from core.model import ASSUMPTIONS
from core.model.results import compute

from . import common as c

PARAMETER = "separator.thickness_um"
CONDUCTIVITY = "separator.ionic_conductivity_S_cm"
RATIO = {"Wh_kg": ("gravimetric_Wh_kg_at_rate", "gravimetric_Wh_kg"),
         "Wh_L": ("volumetric_Wh_L_at_rate", "volumetric_Wh_L")}


@dataclass(frozen=True)
class Membrane:
    name: str
    thickness_um: float
    sigma_S_cm: float
    tooltip: str


_MADE: list = [None, []]   # [the table's rows, the membranes made from them]


def membranes() -> list[Membrane]:
    """The membranes with a conductivity, one per reported thickness (made once per table: the
    separator plot asks on every edit)."""
    try:
        rows = literature.table("membranes")
    except (OSError, KeyError):
        return []
    if _MADE[0] is not rows:
        _MADE[:] = [rows, _membranes(rows)]
    return _MADE[1]


def _membranes(rows) -> list[Membrane]:
    out = []
    for r in rows:
        sigma = c.finite_number(r.get("conductivity_S_cm"))
        ends = [t for t in (c.finite_number(r.get(k)) for k in ("thickness_min_um", "thickness_max_um"))
                if t is not None]
        if not ends or sigma is None or sigma <= 0:
            continue
        t_c = r.get("temperature_C")
        tip = (f"{r.get('electrolyte', '?')} ({r.get('binder_or_solvent', '')}), {r.get('method', '')}: "
               f"{sigma:.2g} S/cm" + (f" at {t_c} °C" if t_c else "") + "\n"
               + literature.citation(r.get("source_ref", "")))
        for t in sorted(set(ends)):
            out.append(Membrane(str(r.get("electrolyte", "")), t, sigma, tip))
    return out


# the points of the last designs: they do not depend on the design's own separator thickness
# and conductivity (every point sets both), so editing those keeps them
_POINTS: list = []


def membrane_points(design: core.Design, settings: c.PlotSettings) -> dict | None:
    """{metric: y array} at rate for each membrane, plus 'x', 'asr' and 'membranes'; None if the
    design has no separator. One vectorised compute over (thickness, conductivity) pairs."""
    ms = membranes()
    if not ms or design.layer("separator") is None:
        return None
    key = c.lever_key(c.lever_key(design, PARAMETER), CONDUCTIVITY)
    keys = tuple(settings.key(m) for m in c.METRICS)
    for entry in _POINTS:
        if entry[1] == keys and entry[0] == key:
            return entry[2]
    out = _membrane_points(design, settings, ms)
    _POINTS.insert(0, (key, keys, out))
    del _POINTS[16:]
    return out


def _membrane_points(design: core.Design, settings: c.PlotSettings, ms) -> dict | None:
    t = np.array([m.thickness_um for m in ms])
    s = np.array([m.sigma_S_cm for m in ms])
    try:
        with np.errstate(all="ignore"):
            ctx = compute(design, over={PARAMETER: t, CONDUCTIVITY: s})
    except DesignError:
        return None
    out = {"x": t, "asr_separator": t * 1e-4 / s, "membranes": ms}
    v = ctx.values
    with np.errstate(all="ignore"):
        for m in c.METRICS:
            at_rate, rest = RATIO[m]
            ratio = np.asarray(v[at_rate], dtype=float) / np.asarray(v[rest], dtype=float)
            out[m] = np.broadcast_to(np.asarray(v[settings.key(m)], dtype=float) * ratio, t.shape).copy()
    return out


def _tip(mem: Membrane, asr: float, key: str, metric: str, c_rate: float, y: float,
         target: float | None, meets: bool) -> str:
    """A membrane symbol's tooltip: the membrane, the model's value at rate, the source."""
    return (f"{mem.name}, {mem.thickness_um:g} µm: separator ASR {asr:.3g} Ω·cm²\n"
            f"{c.result_label(key)} at {c_rate:.3g} C: {y:.4g} {c.METRIC_UNITS[metric]}"
            + ("" if target is None else f" ({'meets' if meets else 'misses'} {target:g})")
            + f"\n{mem.tooltip}\n{ASSUMPTIONS['rate']}")


class MembraneOverlay:
    """Points on a SensitivityPlotWidget when its parameter is the separator thickness."""

    def __init__(self, widget):
        self.w = widget
        self.data: dict | None = None
        self.points = {}
        vbs = {"Wh_kg": widget.plot.vb, "Wh_L": widget.vb2}
        # one pen and two brushes per metric, made once (a symbol is re-brushed only when its
        # brush changes)
        self._pen = pg.mkPen(c.LIT_COLOR, width=1.6)
        self._brushes = {m: (pg.mkBrush(c.METRIC_COLORS[m]), pg.mkBrush("w")) for m in c.METRICS}
        self._empty = True
        self._shown: dict = {}   # metric -> what its points show (set again only on a change)
        for m in c.METRICS:   # drawn by Qt, each with its citation as a hover tooltip
            self.points[m] = c.MarkerSet(vbs[m], "t", 9, self._pen, z=18)

    def update(self):
        w = self.w
        data = None
        if w.parameter == PARAMETER and w.design is not None and w.x.size:
            data = membrane_points(w.design, w.settings)
        self.data = data
        if data is None:
            if not self._empty:   # clear once, not on every edit of a plot without membranes
                for sp in self.points.values():
                    sp.setData([], [])
                self._empty = True
                self._shown = {}
            return
        self._empty = False
        lo, hi = float(w.x[0]), float(w.x[-1])
        inside = (data["x"] >= lo) & (data["x"] <= hi)
        c_rate = w.design.operation.c_rate if w.design.operation is not None else 1.0 / 3.0
        for m, sp in self.points.items():
            target = w.settings.target(m)
            # the points do not move when the separator itself is edited (each membrane sets
            # its own thickness and conductivity): nothing to redo then
            shown = (data["membranes"], target, c_rate, w.settings.key(m), inside.tobytes(),
                     data[m].tobytes(), data["x"].tobytes(), data["asr_separator"].tobytes())
            if self._shown.get(m) == shown:
                continue
            self._shown[m] = shown
            meets_brush, miss_brush = self._brushes[m]
            xs, ys, brushes, tips = [], [], [], []
            for i, mem in enumerate(data["membranes"]):
                y = data[m][i]
                if not inside[i] or not math.isfinite(y):
                    continue
                meets = target is not None and y >= target
                # (worded when hovered, not on every edit)
                tips.append(partial(_tip, mem, float(data["asr_separator"][i]), w.settings.key(m), m,
                                    c_rate, float(y), target, meets))
                xs.append(mem.thickness_um)
                ys.append(y)
                brushes.append(meets_brush if meets else miss_brush)
            sp.setData(x=xs, y=ys, data=tips, brush=brushes, pen=self._pen)
