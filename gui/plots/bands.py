"""Monte-Carlo bands on the sensitivity curves (MODEL.md step 12, issue 13).

For a sensitivity plot over parameter P, the band at each x is the P5-P95 spread of the result
when every OTHER toleranced parameter is drawn from its tolerance (P itself is the x axis).
One vectorised call: core.model.compute over an (x grid) x (samples) broadcast, the samples
drawn as core.model.monte_carlo draws them (same seed, same order), so at the design's own x
the band is exactly monte_carlo's P5 / P95 when P carries no tolerance.

The band is computed after edits settle (a single-shot timer), never on the per-edit path."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer

import core
from core.design import DesignError
from core.model.params import check_pair, sweep_values
from core.model.results import compute
from core.model.uncertainty import sample

from . import common as c

BAND_SAMPLES = 400
BAND_SEED = 0
SETTLE_MS = 250


def band_tolerances(design: core.Design, parameter: str) -> tuple:
    """The tolerances that spread a curve over `parameter`: all but its own and any that set
    the same electrode amount (they cannot vary together)."""
    out = []
    for t in design.tolerances:
        if t.parameter == parameter:
            continue
        try:
            check_pair(parameter, t.parameter)
        except DesignError:
            continue
        out.append(t)
    return tuple(out)


def band(design: core.Design, parameter: str, x, keys, samples: int = BAND_SAMPLES,
         seed: int = BAND_SEED) -> dict | None:
    """{key: (p5, p50, p95)} arrays over x, or None when no other parameter has a tolerance."""
    tols = band_tolerances(design, parameter)
    if not tols:
        return None
    over, _clipped = sample(replace(design, tolerances=tols), int(samples), int(seed))
    xv = sweep_values(design, parameter, x)
    over = {p: v[None, :] for p, v in over.items()}
    over[parameter] = xv[:, None]
    with np.errstate(all="ignore"):
        ctx = compute(design, over=over)
        out = {}
        shape = (xv.size, int(samples))
        for k in keys:
            v = ctx.values[k]
            a = np.full(shape, np.nan) if v is None else np.broadcast_to(np.asarray(v, dtype=float), shape).copy()
            a[~np.isfinite(a)] = np.nan
            p = np.nanpercentile(a, [5, 50, 95], axis=1) if np.isfinite(a).any() else np.full((3, xv.size), np.nan)
            out[k] = (p[0], p[1], p[2])
    return out


class BandOverlay:
    """P5-P95 fills under a SensitivityPlotWidget's two curves, updated after edits settle."""

    def __init__(self, widget):
        self.w = widget
        self.timer = QTimer(widget)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self.compute_now)
        self.data: dict | None = None
        self.items = {}
        vbs = {"Wh_kg": widget.plot.vb, "Wh_L": widget.vb2}
        for m in c.METRICS:
            col = pg.mkColor(c.METRIC_COLORS[m])
            col.setAlpha(90)
            edge = c.pen(col, 1)
            lo, hi = pg.PlotCurveItem(pen=edge), pg.PlotCurveItem(pen=edge)   # a curve needs a pen to have a path
            col = pg.mkColor(c.METRIC_COLORS[m])
            col.setAlpha(50)
            fill = pg.FillBetweenItem(lo, hi, brush=pg.mkBrush(col))
            fill.setZValue(-10)
            for it in (lo, hi, fill):
                vbs[m].addItem(it, ignoreBounds=True)
            fill.setToolTip("P5–P95 band: the other parameters drawn from their tolerances "
                            f"({BAND_SAMPLES} seeded samples)")
            for it in (lo, hi, fill):
                it.hide()
            self.items[m] = (lo, hi, fill)

    def schedule(self):
        """Called by update_plot: hide a stale band at once, recompute after edits settle."""
        w = self.w
        if w.design is None or not w.x.size or not band_tolerances(w.design, w.parameter):
            self.timer.stop()
            self.clear()
            return
        self.timer.start()

    def clear(self):
        self.data = None
        for lo, hi, fill in self.items.values():
            for it in (lo, hi, fill):
                it.hide()

    def compute_now(self):
        w = self.w
        if w.design is None or not w.x.size:
            return self.clear()
        keys = {m: w.settings.key(m) for m in c.METRICS}
        try:
            data = band(w.design, w.parameter, w.x, tuple(keys.values()))
        except DesignError:
            data = None
        if data is None:
            return self.clear()
        self.data = {m: data[k] for m, k in keys.items()}
        for m, (lo, hi, fill) in self.items.items():
            p5, _p50, p95 = self.data[m]
            ok = np.isfinite(p5) & np.isfinite(p95)
            lo.setData(w.x[ok], p5[ok])
            hi.setData(w.x[ok], p95[ok])
            for it in (lo, hi, fill):
                it.show()
