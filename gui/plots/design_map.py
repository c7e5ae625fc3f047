"""A 2-D design map: energy density (or materials cost per kWh) over two parameters as an
image with a colour bar, target contour lines (contour.contour_lines: Wh/kg, Wh/L and the
USD/kWh maximum) and the current design marked.

The grid is one vectorised core.model.sweep2 call, at a coarse live resolution on every edit
and at full resolution on demand."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

import core
from core.model import PARAMETERS
from core.model.sweep import LazyMap, sweep2_lazy

from ..fence import wrap_key
from . import common as c
from .contour import contour_lines

LIVE_RESOLUTION = 60
FULL_RESOLUTION = 200
COST = "USD_kWh"                       # the colour-by / contour name of the materials cost
MAP_METRICS = c.METRICS + (COST,)
CONTOUR_COLORS = {"Wh_kg": "#ff3030", "Wh_L": "#ffffff", COST: "#ff4fd8"}
CONTOUR_STYLES = {"Wh_kg": Qt.PenStyle.SolidLine, "Wh_L": Qt.PenStyle.DashLine, COST: Qt.PenStyle.DashDotLine}
# the footer's line samples and colours (readable on the panel, unlike the map's white)
LEGEND = {"Wh_kg": ("━", "#d01818"), "Wh_L": ("╍", "#555555"), COST: ("-·-", "#a0208a")}


def metric_key(settings: c.PlotSettings, metric: str) -> str:
    """The result key a map metric shows: the level's Wh/kg or Wh/L, or the materials cost
    per kWh (one value for every level)."""
    return c.COST_KEY if metric == COST else settings.key(metric)


def log_ticks(lo: float, hi: float) -> list | None:
    """Ticks for a colour bar over log10 values lo..hi: 1-2-5 values (1 to 9 when that gives
    fewer than three) as [(log10 v, 'v'), ...], in pyqtgraph's setTicks form."""
    def values(mantissas):
        out = []
        for e in range(math.floor(lo), math.ceil(hi) + 1):
            for m in mantissas:
                v = m * 10.0 ** e
                if lo - 1e-9 <= math.log10(v) <= hi + 1e-9:
                    out.append(v)
        return out
    vals = values((1, 2, 5))
    if len(vals) < 3:
        vals = values(range(1, 10))
    return [[(math.log10(v), c.fmt(v)) for v in vals], []]


def metric_unit(metric: str) -> str:
    return c.COST_UNIT if metric == COST else c.METRIC_UNITS[metric]


def metric_target(settings: c.PlotSettings, metric: str) -> float | None:
    return settings.target_USD_kWh if metric == COST else settings.target(metric)


def compute_grid(design: core.Design, p1: str, x: np.ndarray, p2: str, y: np.ndarray,
                 keys: tuple[str, ...]) -> LazyMap:
    """key -> array of shape (len(x), len(y)) (image order: x first): the design with p1 = x[i]
    and p2 = y[j], in one vectorised core.model.sweep2 call. DesignError if the pair is unusable
    (e.g. two amounts of the same electrode)."""
    grid = sweep2_lazy(design, p1, x, p2, y)   # (only the arrays read are made)
    # each key's array made when first read: the cost per kWh (the model's cost stage over the
    # whole grid) only when it is shown, traced or exported
    return LazyMap(keys, lambda k: np.ascontiguousarray(grid[k].T))


GRIDS_KEPT = 4   # live grids kept for designs shown again (a 60 x 60 grid holds about 1.4 MB)


def map_key(design: core.Design, p1: str, p2: str) -> core.Design:
    """The design with both map parameters set to fixed values: equal for two designs that
    differ only in those two values, whose maps over them are the same."""
    return c.lever_key(c.lever_key(design, p1), p2)


class DesignMapWidget(QFrame):
    """Map of the chosen level's Wh/kg or Wh/L, or the materials cost per kWh, over two
    parameters."""

    sig_parameters_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.p1, self.p2 = c.DEFAULT_MAP
        self.color_metric = "Wh_kg"
        self.resolution = LIVE_RESOLUTION
        self.design: core.Design | None = None
        self.result: core.Result | None = None
        self.settings = c.PlotSettings()
        self.x = np.array([])
        self.y = np.array([])
        self.z: dict[str, np.ndarray] = {}
        self._avail: tuple = ()
        self._grid_key: tuple | None = None   # what the grid shown was computed for
        self._drawn: tuple | None = None      # ... and what its image and contours show
        self._grids: list = []                # the last grids: (key, grid, contour lines traced)
        self._isos: dict = {}                 # the shown grid's contour lines, by (metric, target)
        self._build()
        c.adopt_plot_menus(self, self.graphics)

    def _build(self):
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 3, 4, 3)
        lay.setSpacing(2)
        head = QHBoxLayout()
        head.setSpacing(4)
        self.x_combo, self.y_combo = QComboBox(), QComboBox()
        for cb, tip in ((self.x_combo, "Parameter on the x axis"), (self.y_combo, "Parameter on the y axis")):
            cb.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            cb.setMinimumContentsLength(8)
            cb.setToolTip(tip)
            cb.currentIndexChanged.connect(self._on_axes)
        self.metric_combo = QComboBox()
        self.metric_combo.addItem("Wh/kg", "Wh_kg")
        self.metric_combo.addItem("Wh/L", "Wh_L")
        self.metric_combo.addItem("USD/kWh", COST)
        self.metric_combo.setToolTip("Colour the map by gravimetric or volumetric energy density, or "
                                     "by materials cost per kWh (materials only; lower is better)")
        self.metric_combo.currentIndexChanged.connect(self._on_metric)
        self.full_btn = QPushButton("Full res.")
        self.full_btn.setToolTip(f"Compute the map at {FULL_RESOLUTION} × {FULL_RESOLUTION} "
                                 f"(edits go back to {LIVE_RESOLUTION} × {LIVE_RESOLUTION})")
        self.full_btn.clicked.connect(self.compute_full)
        self.export_btn = c.make_export_button(self, "design map")
        head.addWidget(QLabel("x"))
        head.addWidget(self.x_combo, 1)
        head.addWidget(QLabel("y"))
        head.addWidget(self.y_combo, 1)
        head.addWidget(self.metric_combo)
        head.addWidget(self.full_btn)
        head.addWidget(self.export_btn)
        lay.addLayout(head)

        self.graphics = c.graphics_layout()
        c.menu_on_right_click(self.graphics, self.export_btn)
        self.graphics.setBackground(c.BACKGROUND)
        self.graphics.ci.setContentsMargins(2, 2, 2, 2)
        self.plot = self.graphics.addPlot(row=0, col=0, axisItems=c.axes("left", "bottom"))
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.vb.disableAutoRange()
        c.style_axes(self.plot, ("left", "bottom"))
        self.plot.getAxis("left").setWidth(48)
        self.image = c.MapImage(axisOrder="col-major")   # drawn from RGB32, not indexed colours
        self.plot.addItem(self.image)
        self.cmap = pg.colormap.get("viridis")
        # cost: the same map reversed, so the better end (low cost) is yellow as for energy
        # (a copy: pyqtgraph hands out one shared object per name)
        self.cost_cmap = pg.ColorMap(*self.cmap.getStops())
        self.cost_cmap.reverse()
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap=self.cmap, interactive=False, width=14,
                                   colorMapMenu=False)
        self.bar.setImageItem(self.image, insert_in=self.plot)
        # the scale's axis lays its ticks out with c.Axis (it changes with the map's levels):
        # set up as ColorBarItem sets up its own
        axis = c.Axis("right")
        self.bar.setAxisItems({"right": axis})
        self.bar.axis = axis
        axis.setZValue(0.5)
        axis.setStyle(showValues=True)
        axis.unlinkFromView()
        axis.setRange(*self.bar.levels())
        c.style_axes(self.bar, ("right",))
        # room for five-digit tick labels beside the title (pyqtgraph fixes the bar's axis at
        # 45 px, where '1000' and the title drew over each other)
        fm = QFontMetrics(self.bar.getAxis("right").style.get("tickFont") or self.font())
        self.bar.getAxis("right").setWidth(fm.horizontalAdvance("00000") + fm.height() + 14)
        self.isos: dict[str, c.PathCurve] = {}   # drawn by Qt (a PlotCurveItem paints in Python)
        for m in MAP_METRICS:
            iso = c.PathCurve(c.pen(CONTOUR_COLORS[m], 2.2, CONTOUR_STYLES[m]))
            iso.level = None  # the target it traces
            iso.setZValue(5)
            iso.attach(self.plot.vb)
            self.isos[m] = iso
        self.marker = c.PointMarker("star", 16, pen=pg.mkPen("k", width=1.2), brush=pg.mkBrush("w"))
        self.marker.setZValue(10)
        self.plot.addItem(self.marker, ignoreBounds=True)
        self.note = pg.TextItem("", color="#8a1c1c", anchor=(0.5, 0.5))
        self.plot.addItem(self.note, ignoreBounds=True)
        lay.addWidget(self.graphics, 1)
        self.footer = c.text_label()
        # a fixed height (no relayout on edits): two lines, more only while the text needs them
        self._footer_min_h = 2 * self.footer.fontMetrics().lineSpacing() + 2
        self.footer.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # in a holder of its own: a label given a new text on every edit, laid out in this
        # widget's layout, re-laid out the whole plots panel on every edit
        self.footer_box = c.Fence(self.footer, self._footer_min_h)
        lay.addWidget(self.footer_box)
        self._apply_theme()

    def changeEvent(self, ev):  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_theme()

    def _apply_theme(self):
        """The map follows the window's palette (background, axes and colour bar)."""
        c.theme_view(self.graphics, [(self.plot, ("left", "bottom")), (self.bar, ("right",))], self)
        _bg, fg = c.plot_colors(self)
        self.marker.setPen(pg.mkPen(fg, width=1.2))

    # ------------------------------------------------------------------ controls
    def _sync_combos(self, design: core.Design, avail: list[str]):
        key = tuple(avail) + (self.p1, self.p2, c.chemistry(design))
        if key == self._avail:
            return
        self._avail = key
        for cb, cur in ((self.x_combo, self.p1), (self.y_combo, self.p2)):
            cb.blockSignals(True)
            cb.clear()
            names = list(avail) + ([cur] if cur not in avail else [])
            for n in names:
                cb.addItem(c.parameter_label(n, design) + ("" if n in avail else " (n/a)"), n)
            cb.setCurrentIndex(names.index(cur))
            cb.blockSignals(False)

    def _on_axes(self, _i=None):
        p1, p2 = self.x_combo.currentData(), self.y_combo.currentData()
        if p1 and p2:
            self.set_parameters(p1, p2)

    def _on_metric(self, _i=None):
        self.color_metric = self.metric_combo.currentData()
        self._held_levels = None   # a new quantity: its own colour scale
        self.redraw()

    def set_parameters(self, p1: str, p2: str):
        for p in (p1, p2):
            if p not in PARAMETERS:
                raise ValueError(f"parameter: unknown parameter {p!r}")
        self.p1, self.p2 = p1, p2
        self._avail = ()
        self.sig_parameters_changed.emit()
        self.redraw()

    def set_metric(self, metric: str):
        """'Wh_kg', 'Wh_L' or 'USD_kWh' (materials cost per kWh)."""
        if metric not in MAP_METRICS:
            raise ValueError(f"metric: must be one of {', '.join(MAP_METRICS)}, got {metric!r}")
        self.metric_combo.setCurrentIndex(self.metric_combo.findData(metric))

    def redraw(self):
        """Compute the map again and draw it (a new choice of parameters or colour)."""
        self._grid_key = None
        self._grids = []
        if self.design is not None:
            self.update_plot(self.design, self.result, self.settings)

    def compute_full(self):
        """Recompute at full resolution (until the next edit)."""
        if self.design is not None:
            self.update_plot(self.design, self.result, self.settings, resolution=FULL_RESOLUTION)

    # ------------------------------------------------------------------ update
    def _clear(self, text: str):
        self.image.clear()
        for iso in self.isos.values():
            iso.level = None
            iso.setData([], [])
        self.marker.setData([], [])
        self.z = {}
        self._grid_key = self._drawn = None
        self.note.setText(text)
        self.plot.vb.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self._view = None
        self.note.setPos(0.5, 0.5)
        self.note.show()
        self.footer.setText(f'<span style="color:#8a1c1c">{c.html_escape(text)}</span>')
        self._fit_footer()

    def _levels(self, lo: float, hi: float) -> tuple[float, float]:
        """Colour scale for data lo..hi: kept while the data fills most of it (no colour-bar
        axis redrawn on every small edit), else fitted to the data."""
        if hi - lo < 1e-9:
            hi = lo + 1.0
        held = getattr(self, "_held_levels", None)
        if held is not None and held[0] <= lo and hi <= held[1] and (hi - lo) >= 0.8 * (held[1] - held[0]):
            return held
        self._held_levels = (lo, hi)
        return lo, hi

    def axis_values(self, design: core.Design, name: str, current, n: int) -> np.ndarray:
        lo, hi = c.default_range(name, design, current)
        return c.value_grid(name, lo, hi, design, n)

    def update_plot(self, design: core.Design, result: core.Result | None, settings: c.PlotSettings,
                    resolution: int = LIVE_RESOLUTION):
        self.design, self.result, self.settings = design, result, settings
        avail = core.available_parameters(design)
        self._sync_combos(design, avail)
        p1, p2 = self.p1, self.p2
        c.set_axis_label(self.plot, "bottom", c.axis_label(p1, design))
        c.set_axis_label(self.plot, "left", c.axis_label(p2, design))
        key = metric_key(settings, self.color_metric)
        cmap = self.cost_cmap if self.color_metric == COST else self.cmap
        if self.bar.colorMap() is not cmap:
            self.bar.setColorMap(cmap)
        self._bar_label(key, log=self.color_metric == COST)   # (cost: linear if a cost is 0)
        missing = [c.parameter_label(p, design) for p in (p1, p2) if p not in avail]
        if missing:
            self._clear(f"Not available for this design: {', '.join(missing)}")
            return
        if p1 == p2:
            self._clear("Choose two different parameters")
            return
        cur1 = core.parameter_value(design, p1, result)
        cur2 = core.parameter_value(design, p2, result)
        x = self.axis_values(design, p1, cur1, resolution)
        y = self.axis_values(design, p2, cur2, resolution)
        keys = tuple(metric_key(settings, m) for m in MAP_METRICS)
        # the map over (p1, p2) does not depend on the design's own values of p1 and p2 (every
        # cell sets both, as a sensitivity curve sets its lever): an edit of either keeps the
        # grid, and the image and contours drawn from it; only the star moves
        # (the last few grids are kept: undo, redo and a design shown again reuse theirs)
        grid_key = (p1, p2, keys, x.tobytes(), y.tobytes(), map_key(design, p1, p2))
        if grid_key == self._grid_key and self.z:
            z = self.z
        else:
            kept = next((i for i, e in enumerate(self._grids) if e[0] == grid_key), None)
            if kept is not None:
                entry = self._grids.pop(kept)
            else:
                try:
                    entry = (grid_key, compute_grid(design, p1, x, p2, y, keys), {})
                except core.DesignError as e:
                    self._clear(str(e))
                    return
            if resolution == LIVE_RESOLUTION:   # (a full-resolution grid, 15 MB, is not kept)
                self._grids.insert(0, entry)
                del self._grids[GRIDS_KEPT:]
            z = entry[1]
            self._grid_key, self._drawn, self._isos = grid_key, None, entry[2]
        if not np.isfinite(z[key]).any():
            self._clear("Materials cost per kWh is undefined over this map: " + c.undefined_reason(key)
                        if key == c.COST_KEY else "The model gives no values over this map")
            return
        self.note.hide()
        self.resolution = resolution
        self.x, self.y, self.z = x, y, z
        img = z[key]
        # cost per kWh runs up steeply where there is little energy (thin cathodes): a log
        # colour scale keeps the low-cost region readable; the bar's ticks are USD/kWh
        log = self.color_metric == COST and bool(np.nanmin(img) > 0)
        if log:
            with np.errstate(invalid="ignore"):
                img = np.log10(img)
        self._bar_label(key, log)
        drawn = (grid_key, key, log, tuple(metric_target(settings, m) for m in MAP_METRICS))
        redraw = drawn != self._drawn
        self._drawn = drawn
        dx = (x[-1] - x[0]) / max(x.size - 1, 1) if x.size > 1 else 1.0
        dy = (y[-1] - y[0]) / max(y.size - 1, 1) if y.size > 1 else 1.0
        if redraw:
            lo, hi = self._levels(float(np.nanmin(img)), float(np.nanmax(img)))
            self.image.setImage(img, autoLevels=False, levels=(lo, hi))
            self._set_bar_ticks(log_ticks(lo, hi) if log else None)
            self.image.setRect(QRectF(x[0] - dx / 2, y[0] - dy / 2, x[-1] - x[0] + dx, y[-1] - y[0] + dy))
            if tuple(self.bar.levels()) != (lo, hi):
                self.bar.setLevels((lo, hi))   # re-lays its axis out: only when the scale moves
        parts = []
        for m in MAP_METRICS:
            target = metric_target(settings, m)
            iso = self.isos[m]
            data = z[metric_key(settings, m)] if target is not None else None
            if target is None or not np.isfinite(data).any():
                iso.level = None
                if redraw:
                    iso.setData([], [])
                if target is not None:   # a target with nothing to judge it on
                    parts.append(self._legend(m, target, "undefined on this map: "
                                              + c.undefined_reason(metric_key(settings, m))))
                continue
            fin = data[np.isfinite(data)]
            iso.level = target
            if redraw:   # (the lines traced on a kept grid are kept with it)
                line = self._isos.get((m, target))
                if line is None:   # a maximum (cost) is traced on -cost: a cell without a value counts as not met
                    line = self._isos[(m, target)] = (contour_lines(x, y, -data, -target) if m == COST
                                                       else contour_lines(x, y, data, target))
                iso.setData(*line)
            if m == COST:
                met_all, met_none = fin.max() <= target, fin.min() > target
                best = f"lowest {c.fmt(float(fin.min()))} {metric_unit(m)}"
            else:
                met_all, met_none = fin.min() >= target, fin.max() < target
                best = f"highest {c.fmt(float(fin.max()))} {metric_unit(m)}"
            parts.append(self._legend(m, target, "met everywhere on this map" if met_all else
                                      f"not reached on this map: {best}" if met_none else ""))
        if self.color_metric == COST or settings.target_USD_kWh is not None:
            note = c.cost_note(result)
            if note:
                parts.append(f'<span style="color:#8a5a00">{c.html_escape(note)}</span>')
        self.marker.setData([cur1], [cur2])
        view = ((x[0] - dx / 2, x[-1] + dx / 2), (y[0] - dy / 2, y[-1] + dy / 2))
        if getattr(self, "_view", None) != view:   # re-lays both axes out: only on a change
            self._view = view
            self.plot.vb.setRange(xRange=view[0], yRange=view[1], padding=0)
            c.fit_ticks(self.plot)
        parts.append("☆ current design")
        parts.append(f'<span style="color:#666">{x.size} × {y.size}'
                     f'{" (live)" if resolution == LIVE_RESOLUTION else ""}</span>')
        self.footer.setText(" &nbsp; ".join(parts))
        self._fit_footer()

    def _fit_footer(self):
        """Grow the footer to the lines its text wraps to (a missing price, a target out of
        reach and a narrow panel can need a third), back to two when they fit; only on a change."""
        w = self.footer.width()
        font = self.footer.font()
        # (a new text that differs only in digits wraps as the last one did: not measured again;
        # the legend's markup is colour spans alone, no bold or sizes, whose digits would matter)
        key = (wrap_key(self.footer.text(), font), w, font.key())
        if w < 50 or key == getattr(self, "_footer_fit", None):
            return
        self._footer_fit = key
        # measured on a text document like the label's (its own heightForWidth never goes
        # below the fixed height, so it cannot tell when the text would fit in two lines again)
        doc = getattr(self, "_footer_doc", None)
        if doc is None:
            doc = self._footer_doc = QTextDocument()
            doc.setDocumentMargin(0)
        doc.setDefaultFont(self.footer.font())
        doc.setHtml(self.footer.text())
        doc.setTextWidth(w)
        h = max(self._footer_min_h, math.ceil(doc.size().height()) + 2)
        if h != self.footer_box.maximumHeight():
            self.footer_box.setFixedHeight(h)

    def resizeEvent(self, ev):  # noqa: N802 - Qt override
        super().resizeEvent(ev)
        self._fit_footer()

    def _bar_label(self, key: str, log: bool):
        if self.color_metric == COST:   # short: it runs along a bar as tall as the map
            text = f"Materials {c.COST_UNIT}{' (log scale)' if log else ''}"
        else:
            text = f"{c.result_label(key)} ({metric_unit(self.color_metric)})"
        c.set_axis_label(self.bar, "right", text)

    def _set_bar_ticks(self, ticks):
        """The colour bar's tick labels: USD/kWh values at their log10 places, or automatic."""
        if getattr(self, "_bar_ticks", None) != ticks:
            self._bar_ticks = ticks
            self.bar.getAxis("right").setTicks(ticks)

    @staticmethod
    def _legend(metric: str, target: float, remark: str) -> str:
        """'━ 400 Wh/kg target', '-·- ≤ 90 USD/kWh target (not reached on this map: …)'."""
        glyph, col = LEGEND[metric]
        most = "≤ " if metric == COST else ""
        tail = f" ({remark})" if remark else ""
        return (f'<span style="color:{col}">{glyph} {most}{target:g} {metric_unit(metric)} target'
                f'{c.html_escape(tail)}</span>')

    # ------------------------------------------------------------------ export
    def export_csv(self, path):
        s = self.settings
        headers = [c.axis_label(self.p1, self.design), c.axis_label(self.p2, self.design)] + \
                  [f"{c.result_label(metric_key(s, m))} ({metric_unit(m)})" for m in MAP_METRICS]
        rows = []
        cols = [self.z.get(metric_key(s, m)) for m in MAP_METRICS]
        for j, yv in enumerate(self.y):
            for i, xv in enumerate(self.x):
                rows.append([float(xv), float(yv)] + [float(col[i, j]) if col is not None else None
                                                      for col in cols])
        return c.write_csv(path, headers, rows)

    def export_png(self, path, width: int = c.EXPORT_SIZE[0], height: int = c.EXPORT_SIZE[1],
                   dpi: int = c.EXPORT_DPI):
        key = metric_key(self.settings, self.color_metric)
        title = (f"{c.result_label(key)} over {c.parameter_label(self.p1, self.design)} and "
                 f"{c.parameter_label(self.p2, self.design)}")
        return c.export_png(self.graphics, path, width, height, dpi, title=title,
                            subtitle=c.figure_subtitle(self.design, self.settings),
                            legend_html=self.footer._raw)

    def export_svg(self, path):
        return c.export_svg(self.graphics, path)
