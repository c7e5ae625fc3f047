"""One sensitivity panel: Wh/kg (left axis) and Wh/L (right axis) of the chosen level against one
lever, the current design marked, target lines with the value needed labelled where a curve
crosses them (core.solve_for), and literature data on the axes where it applies.

Every plot item is made once; `update_plot` only calls setData / setPos on them."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFrame, QGraphicsItem, QHBoxLayout, QLabel,
                               QSizePolicy, QToolButton, QVBoxLayout)

import core
from core.goalseek import Statement
from core.model import PARAMETERS, Solution
from core.model.sweep import LazyMap

from . import common as c
from .bands import BandOverlay  # Monte-Carlo P5-P95 band
from .membranes import MembraneOverlay  # literature membranes at rate

STRIP_HEIGHT = 58
Y_PADDING = 0.08                   # fraction of the data span left above and below
CURVE_BAND = 0.35                  # Wh/kg drawn in the upper, Wh/L in the lower part (span fraction)
LABEL_LANES = (0.20, 0.47, 0.74)   # label baselines in the strip (y from 0 to 1)
BAR_LANES = (0.36, 0.58, 0.80)     # membrane thickness bars


class LiteratureStrip:
    """A thin x-linked plot above the main one: literature values as ticks (electrodes, with
    material labels) or thickness bars (membranes), with citations in hover tooltips."""

    def __init__(self, layout: pg.GraphicsLayout, main: pg.PlotItem):
        self.layout = layout
        self.plot = pg.PlotItem()
        self.plot.setMaximumHeight(STRIP_HEIGHT)
        self.plot.setMinimumHeight(STRIP_HEIGHT)
        self.plot.setXLink(main)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        # (a margin under 0: the ticks and their hover points end a few pixels above the
        # main plot, so that a repaint at the main plot's top edge does not repaint them)
        self.plot.vb.setYRange(-0.06, 1, padding=0)
        self.plot.vb.disableAutoRange()
        for name in ("left", "right"):
            self.plot.showAxis(name)
            ax = self.plot.getAxis(name)
            ax.setStyle(showValues=False, tickLength=0)
            ax.setPen(pg.mkPen(None))
            ax.setWidth(54)
            ax.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # as the main plot's
        self.plot.hideAxis("bottom")
        # "lit." sits in the corner of the strip's (empty) left axis, not as an axis title: a
        # title is centred on the strip and the main plot's long left title ran into it
        from PySide6.QtWidgets import QGraphicsSimpleTextItem
        self.tag = QGraphicsSimpleTextItem("lit.", self.plot.getAxis("left"))
        self.tag.setBrush(pg.mkBrush(c.LIT_COLOR))
        self.tag.setPos(4, 2)
        # drawn by Qt (pyqtgraph's PlotDataItem, ScatterPlotItem and TextItem painted in
        # Python whenever a repaint of the plot reached the strip, issue 15): ticks and bars as
        # segment pairs, see-through hover points with the citations, plain labels
        self.bars = c.PathCurve(c.pen(c.LIT_COLOR + "aa", 4))
        self.ticks = c.PathCurve(c.pen(c.LIT_COLOR, 1.5))
        for item in (self.bars, self.ticks):
            item.attach(self.plot.vb)
        self.points = c.MarkerSet(self.plot.vb, "o", 10, pg.mkPen(None), z=5,
                                  brush=pg.mkBrush(0, 0, 0, 0), hover_brush=pg.mkBrush(c.LIT_COLOR))
        self.labels: list[tuple[float, c.PlainLabel]] = []
        self.kind: str | None = None
        self.range = (0.0, 1.0)
        self.shown = False
        self.plot.vb.sigResized.connect(self._layout_labels)

    def show(self, on: bool):
        if on == self.shown:
            return
        if on:
            self.layout.addItem(self.plot, row=0, col=0)
        else:
            self.layout.removeItem(self.plot)
        self.shown = on

    def set_kind(self, kind: str | None, lo: float, hi: float):
        """Fill the strip for `kind` ('electrodes' / 'membranes') over the x range lo..hi."""
        self.kind = kind
        self.range = (lo, hi)
        for _x, t in self.labels:
            self.plot.removeItem(t)
        self.labels = []
        if kind == "electrodes":
            pts = [p for p in c.literature_electrodes() if lo <= p.x <= hi]
            tx, ty = [], []
            for p in pts:
                tx += [p.x, p.x]
                ty += [0.0, 0.16]
            self.ticks.setData(*c.pairs(tx, ty))
            self.bars.setData([], [])
            self.points.setData([p.x for p in pts], [0.08] * len(pts), data=[p.tooltip for p in pts])
            groups: dict[float, list] = {}
            for p in sorted(pts, key=lambda p: p.x):
                groups.setdefault(p.x, []).append(p)
            for x, ps in groups.items():
                text = "/".join(p.label if len(p.label) <= 9 else p.label[:8] + "…" for p in ps)
                item = c.PlainLabel(color=c.LIT_COLOR, anchor=(0.5, 1.0))
                item.setText(text)
                font = item.font()
                font.setPointSizeF(7.5)
                item.setFont(font)
                item.setToolTip("\n\n".join(p.tooltip for p in ps))
                self.plot.addItem(item)
                self.labels.append((x, item))
            self._layout_labels()
        elif kind == "membranes":
            spans = [s for s in c.literature_membranes() if s.hi >= lo and s.lo <= hi]
            singles = [s for s in spans if s.hi - s.lo <= 1e-9]
            ranges = sorted((s for s in spans if s.hi - s.lo > 1e-9), key=lambda s: s.lo)
            tx, ty = [], []
            for s in singles:
                tx += [s.lo, s.lo]
                ty += [0.0, 0.2]
            self.ticks.setData(*c.pairs(tx, ty))
            ends: list[float] = []
            bx, by, px, py, pdata = [], [], [], [], []
            for s in ranges:
                lane = next((i for i, end in enumerate(ends) if s.lo > end), None)
                if lane is None and len(ends) < len(BAR_LANES):
                    ends.append(s.hi)
                    lane = len(ends) - 1
                elif lane is None:
                    lane = int(np.argmin(ends))
                ends[lane] = max(ends[lane], s.hi)
                y = BAR_LANES[lane]
                bx += [s.lo, s.hi]
                by += [y, y]
                px.append(0.5 * (s.lo + s.hi))
                py.append(y)
                pdata.append(s.tooltip)
            self.bars.setData(*c.pairs(bx, by))
            self.points.setData(px + [s.lo for s in singles], py + [0.1] * len(singles),
                                data=pdata + [s.tooltip for s in singles])
        else:
            self.ticks.setData([], [])
            self.bars.setData([], [])
            self.points.setData([], [])

    def _layout_labels(self):
        """Put each label in the lowest lane where it overlaps no other; hide it if none is free."""
        if not self.labels:
            return
        lo, hi = self.range
        per_px = (hi - lo) / max(self.plot.vb.width(), 80.0)
        ends = [-math.inf] * len(LABEL_LANES)
        for x, item in self.labels:
            half = 0.5 * (item.textItem.boundingRect().width() + 6) * per_px
            xc = min(max(x, lo + half), hi - half) if hi - lo > 2 * half else x  # keep it inside
            lane = next((i for i, e in enumerate(ends) if xc - half > e), None)
            item.setVisible(lane is not None)  # no room: the tick and its tooltip remain
            if lane is not None:
                ends[lane] = xc + half
                item.setPos(xc, LABEL_LANES[lane])


def _root(a: np.ndarray) -> np.ndarray:
    """The array that owns a view's data (a curve is a view of a kept sweep's array)."""
    while isinstance(getattr(a, "base", None), np.ndarray):
        a = a.base
    return a


def _label_costs(cand, w: float, h: float, taken, cx: np.ndarray, cy: np.ndarray) -> np.ndarray:
    """The cost of each candidate box (x, y, corner x, corner y) for a w x h label: how far it
    slid from its corner, its area over the boxes taken (markers, labels placed), and 40 per
    curve point under it (cx ascending; cy a row of pixel y per curve; a point is under a box
    when within 1 px of it). The boxes share a few x positions: the points under each x span
    are sorted once and counted for all its boxes with two binary searches."""
    # (comparisons instead of min/max, and the arrays' own methods: half the time of a call)
    cost = [0.5 * (abs(bx - ax) + abs(by - ay)) for bx, by, ax, ay in cand]
    for tx, ty, tw, th in taken:
        tx1, ty1 = tx + tw, ty + th
        for j, (bx, by, _ax, _ay) in enumerate(cand):
            dx = (bx + w if bx + w < tx1 else tx1) - (bx if bx > tx else tx)
            if dx > 0:
                dy = (by + h if by + h < ty1 else ty1) - (by if by > ty else ty)
                if dy > 0:
                    cost[j] += dx * dy
    if cx.size:
        columns: dict[float, list[int]] = {}
        for j, box in enumerate(cand):
            columns.setdefault(box[0], []).append(j)
        for bx, js in columns.items():
            i0 = int(cx.searchsorted(bx - 1, "left"))
            i1 = int(cx.searchsorted(bx + w + 1, "right"))
            if i1 <= i0:
                continue
            ys = cy[:, i0:i1].flatten()   # (a copy, sorted in place)
            ys.sort()                     # (a point with no y, NaN, sorts last: under no box)
            lo = ys.searchsorted([cand[j][1] - 1 for j in js], "left").tolist()
            hi = ys.searchsorted([cand[j][1] + h + 1 for j in js], "right").tolist()
            for j, a, b in zip(js, lo, hi):
                if b > a:
                    cost[j] += 40.0 * (b - a)
    return np.array(cost)


class SensitivityPlotWidget(QFrame):
    """Wh/kg and Wh/L against one parameter, for the level in the PlotSettings."""

    sig_remove = Signal(object)            # self
    sig_parameter_changed = Signal(object)  # self: parameter or range changed, needs an update
    sig_apply_parameter = Signal(str, float)

    def __init__(self, parameter: str, parent=None):
        super().__init__(parent)
        self.parameter = parameter
        self.custom_range: tuple[float, float] | None = None
        self.auto_range: tuple[float, float] | None = None
        self.solutions: dict[str, Solution | None] = {"Wh_kg": None, "Wh_L": None}
        self.statements: dict[str, Statement | None] = {"Wh_kg": None, "Wh_L": None}
        self._apply_key: tuple = ()
        self.x = np.array([])
        self.y = {"Wh_kg": np.array([]), "Wh_L": np.array([])}
        self.current: float | None = None
        self.design: core.Design | None = None
        self.result: core.Result | None = None
        self.settings = c.PlotSettings()
        self.message = ""
        self._avail: tuple[str, ...] = ()
        self._lit_key: tuple | None = None
        self._x_range: tuple | None = None
        self._fine_x: tuple | None = None
        self._placed: dict = {}     # the crossing labels' anchors for situations seen before
        self._drawn_both = None     # the sweep the curves show, and each curve's result key
        self._drawn_keys: dict[str, str] = {}
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(250)
        self.setMinimumWidth(260)
        self._build()
        c.adopt_plot_menus(self, self.graphics, self.strip.plot)   # (the strip: in the scene when shown)

    # ------------------------------------------------------------------ construction
    def _build(self):
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 3, 4, 3)
        lay.setSpacing(2)
        head = QHBoxLayout()
        head.setSpacing(4)
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.combo.setToolTip("The parameter on the x axis")
        self.combo.currentIndexChanged.connect(self._on_combo)
        self.lo_spin, self.hi_spin = QDoubleSpinBox(), QDoubleSpinBox()
        for sp, tip in ((self.lo_spin, "Lowest value plotted"), (self.hi_spin, "Highest value plotted")):
            sp.setKeyboardTracking(False)
            sp.setToolTip(tip)
            sp.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
            sp.setMaximumWidth(58)
            sp.editingFinished.connect(self._on_range_edited)
        self.menu_btn = c.make_export_button(self, "sensitivity", "⋯")
        self.menu_btn.setToolTip("Range, export (PNG, SVG, CSV) and the values that reach the targets")
        self.apply_menu = self.menu_btn.menu()
        first = self.apply_menu.actions()[0]
        self.auto_action = QAction("Automatic range (around the design's value)", self)
        self.auto_action.triggered.connect(self._on_auto_range)
        self.apply_menu.insertAction(first, self.auto_action)
        self.apply_menu.insertSeparator(first)
        self.apply_menu.addSeparator()
        self._apply_actions = []
        self._apply_items: list = []
        # the "Apply ..." entries are worded when the menu opens, not on every edit
        self.apply_menu.aboutToShow.connect(self._sync_apply_actions)
        self.remove_btn = QToolButton()
        self.remove_btn.setText("✕")
        self.remove_btn.setAutoRaise(True)
        self.remove_btn.setToolTip("Remove this plot")
        self.remove_btn.clicked.connect(lambda: self.sig_remove.emit(self))
        head.addWidget(self.combo, 1)
        head.addWidget(self.lo_spin)
        head.addWidget(QLabel("–"))
        head.addWidget(self.hi_spin)
        head.addWidget(self.menu_btn)
        head.addWidget(self.remove_btn)
        lay.addLayout(head)

        self.graphics = c.graphics_layout()
        c.menu_on_right_click(self.graphics, self.menu_btn)
        self.graphics.setBackground(c.BACKGROUND)
        self.graphics.ci.setContentsMargins(2, 2, 2, 2)
        self.graphics.ci.setSpacing(0)
        self.graphics.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.plot = pg.PlotItem(axisItems=c.axes("left", "bottom", "right"))  # (an axis given is shown)
        self.graphics.ci.addItem(self.plot, row=1, col=0)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=False, y=False)
        self.plot.vb.disableAutoRange()
        self.plot.showAxis("right")
        c.style_axes(self.plot, ("left", "bottom", "right"))
        for name in ("left", "right"):
            self.plot.getAxis(name).setWidth(54)
        for name in ("left", "bottom", "right"):
            # the axes overlap the view box by a few pixels, so every repaint of the curves
            # repainted them too (Python paint code): drawn from a pixmap while unchanged
            self.plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plot.getAxis("left").setPen(pg.mkPen(c.KG_COLOR))
        self.plot.getAxis("left").setTextPen(pg.mkPen(c.KG_COLOR))
        self.plot.getAxis("right").setPen(pg.mkPen(c.L_COLOR))
        self.plot.getAxis("right").setTextPen(pg.mkPen(c.L_COLOR))
        # Wh/L lives in a second view box sharing x, drawn over the first (pyqtgraph recipe)
        self.vb2 = pg.ViewBox(enableMouse=False, enableMenu=False)   # (the plot's own menu instead)
        self.vb2.disableAutoRange()
        self.graphics.scene().addItem(self.vb2)
        self.plot.getAxis("right").linkToView(self.vb2)
        self.vb2.setXLink(self.plot.vb)
        self.plot.vb.sigResized.connect(self._sync_views)
        self.strip = LiteratureStrip(self.graphics.ci, self.plot)

        vb = {"Wh_kg": self.plot.vb, "Wh_L": self.vb2}
        style = {"Wh_kg": Qt.PenStyle.SolidLine, "Wh_L": Qt.PenStyle.DashLine}
        sym = {"Wh_kg": "o", "Wh_L": "s"}
        self.spans: list[c.SpanRect] = []
        self.curves, self.markers, self.target_lines = {}, {}, {}
        self.cross_lines, self.cross_points, self.cross_labels = {}, {}, {}
        # curves, lines and spans drawn by Qt (c.PathCurve, c.RuleLine, c.SpanRect): pyqtgraph's
        # PlotCurveItem, InfiniteLine and LinearRegionItem paint in Python on every repaint
        self.design_line = c.RuleLine(90, c.pen("#555555", 1, Qt.PenStyle.DotLine))
        self.design_line.attach(self.plot.vb)
        for m in c.METRICS:
            col = c.METRIC_COLORS[m]
            curve = c.PathCurve(c.pen(col, 2.2, style[m]))
            # (1 px: Qt draws a 1-pixel dashed line directly and strokes a wider one as an
            # outline first, 25 us a line; at 1.2 px it was a pixel wide nearly everywhere)
            tline = c.RuleLine(0, c.pen(col, 1, Qt.PenStyle.DashDotLine))
            xline = c.RuleLine(90, c.pen(col, 1, Qt.PenStyle.DotLine))
            xpoint = c.PointMarker("d", 9, pen=pg.mkPen(col, width=1.5), brush=pg.mkBrush("w"))
            label = c.LabelBox(color=col, fill=pg.mkBrush(255, 255, 255, 215), anchor=(0, 1))
            marker = c.PointMarker(sym[m], 10, pen=pg.mkPen(c.DESIGN_EDGE, width=1.5), brush=pg.mkBrush(col))
            marker.setZValue(20)
            xpoint.setZValue(18)
            label.setZValue(15)
            for item in (xpoint, marker, label):
                vb[m].addItem(item, ignoreBounds=True)
            curve.attach(vb[m])
            tline.attach(vb[m])
            xline.attach(vb[m])
            self.curves[m], self.target_lines[m], self.markers[m] = curve, tline, marker
            self.cross_lines[m], self.cross_points[m], self.cross_labels[m] = xline, xpoint, label
        self.note = pg.TextItem("", color="#8a1c1c", anchor=(0.5, 0.5))
        self.plot.vb.addItem(self.note, ignoreBounds=True)
        # overlays: P5-P95 band (bands.py) and literature membranes at rate (membranes.py)
        self.band = BandOverlay(self)
        self.membrane_points = MembraneOverlay(self)
        lay.addWidget(self.graphics, 1)

        # drawn lines (c.LineText), not a rich-text label, at a fixed height in a holder of
        # its own: a footer that grows or shrinks with its text, or only asks for a new
        # layout, would re-lay the plot out on edits
        self.footer = c.LineText(0.9)
        lay.addWidget(c.Fence(self.footer, 4 * self.footer.fontMetrics().lineSpacing() + 2))
        self._apply_theme()

    def _sync_views(self):
        self.vb2.setGeometry(self.plot.vb.sceneBoundingRect())
        self.vb2.linkedViewChanged(self.plot.vb, self.vb2.XAxis)
        c.fit_ticks(self.plot)
        self._place_labels()

    # ------------------------------------------------------------------ theme
    def changeEvent(self, ev):  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_theme()

    def _apply_theme(self):
        """Plots follow the window's palette: background, axes, curves, labels."""
        dark = c.is_dark(self)
        bg, fg = c.plot_colors(self)
        c.theme_view(self.graphics, [(self.plot, ("left", "bottom", "right")), (self.strip.plot, ("left", "right"))],
                     self, {(id(self.plot), "left"): c.KG_COLOR, (id(self.plot), "right"): c.L_COLOR})
        style = {"Wh_kg": Qt.PenStyle.SolidLine, "Wh_L": Qt.PenStyle.DashLine}
        fill = QColor(bg)
        fill.setAlpha(215)
        for m in c.METRICS:
            col = c.themed(c.METRIC_COLORS[m], dark)
            self.curves[m].setPen(c.pen(col, 2.2, style[m]))
            self.target_lines[m].setPen(c.pen(col, 1, Qt.PenStyle.DashDotLine))
            self.cross_lines[m].setPen(c.pen(col, 1, Qt.PenStyle.DotLine))
            self.cross_points[m].setPen(pg.mkPen(col, width=1.5))
            self.cross_points[m].setBrush(pg.mkBrush(bg))
            self.markers[m].setPen(pg.mkPen(fg, width=1.5))
            self.markers[m].setBrush(pg.mkBrush(col))
            self.cross_labels[m].fill = pg.mkBrush(fill)
            self.cross_labels[m].setColor(col)
        self.design_line.setPen(c.pen(QColor(fg).darker(150) if not dark else QColor(fg).darker(130), 1,
                                      Qt.PenStyle.DotLine))
        self.note.setColor(c.themed("#8a1c1c", dark))
        self.strip.tag.setBrush(pg.mkBrush(c.themed(c.LIT_COLOR, dark)))

    # ------------------------------------------------------------------ user actions
    def _on_combo(self, _i):
        name = self.combo.currentData()
        if name and name != self.parameter:
            self.set_parameter(name)

    def set_parameter(self, name: str, lo: float | None = None, hi: float | None = None):
        """Show another parameter (optionally over lo..hi) and redraw with the last design."""
        if name not in PARAMETERS:
            raise ValueError(f"parameter: unknown parameter {name!r}")
        self.parameter = name
        self.custom_range = None
        self.auto_range = None
        self._lit_key = None
        if lo is not None and hi is not None:
            self.set_range(lo, hi, redraw=False)
        self.sig_parameter_changed.emit(self)
        self.redraw()

    def set_range(self, lo: float, hi: float, redraw: bool = True) -> str:
        """Plot over lo..hi. Returns '' or a message naming the problem (the range is kept)."""
        p = PARAMETERS[self.parameter]
        msg = ""
        if not (math.isfinite(lo) and math.isfinite(hi)):
            msg = "Range: give finite numbers"
        elif lo >= hi:
            msg = f"Range: the lowest value ({c.fmt(lo)}) must be below the highest ({c.fmt(hi)})"
        elif lo < p.lo or hi > max(p.hi, self.current or 0.0):
            msg = f"Range: {p.label} must stay within {c.fmt(p.lo)}–{c.fmt(p.hi)} {p.unit}"
        elif self.parameter == "cathode.active_fraction" and hi > 1:
            msg = "Range: a mass fraction cannot exceed 1"
        if msg:
            self.message = msg
            if redraw:
                self.redraw()
            return msg
        self.message = ""
        self.custom_range = (float(lo), float(hi))
        if redraw:
            self.redraw()
        return ""

    def _on_range_edited(self):
        lo, hi = self.lo_spin.value(), self.hi_spin.value()
        cur = self.current_range()
        if cur is not None and (lo, hi) == tuple(round(v, self.lo_spin.decimals()) for v in cur):
            return
        self.set_range(lo, hi)

    def _on_auto_range(self):
        self.custom_range = None
        self.auto_range = None
        self.message = ""
        self.redraw()

    def current_range(self) -> tuple[float, float] | None:
        return self.custom_range or self.auto_range

    def redraw(self):
        if self.design is not None:
            self.update_plot(self.design, self.result, self.settings)

    # ------------------------------------------------------------------ update
    def _sync_combo(self, design: core.Design, avail: list[str]):
        key = tuple(avail) + (self.parameter, c.chemistry(design))
        if key == self._avail:
            return
        self._avail = key
        self.combo.blockSignals(True)
        self.combo.clear()
        names = list(avail) + ([self.parameter] if self.parameter not in avail else [])
        for n in names:
            text = c.axis_label(n, design) if n in avail else f"{c.axis_label(n, design)} (n/a)"
            self.combo.addItem(text, n)
        self.combo.setCurrentIndex(names.index(self.parameter))
        self.combo.blockSignals(False)

    def _sync_spins(self, lo: float, hi: float):
        key = (self.parameter, lo, hi)
        if getattr(self, "_spins_key", None) == key:  # a spin box repaints on every setValue
            return
        self._spins_key = key
        p = PARAMETERS[self.parameter]
        dec = 0 if p.integer else (3 if hi <= 2 else (2 if hi < 20 else 1))
        for sp, v in ((self.lo_spin, lo), (self.hi_spin, hi)):
            sp.blockSignals(True)
            sp.setDecimals(dec)
            top = min(p.hi, 1.0) if self.parameter == "cathode.active_fraction" else max(p.hi, hi)
            sp.setRange(p.lo, top)   # the boxes can always show the range plotted
            sp.setValue(v)
            sp.blockSignals(False)

    def _clear(self, text: str):
        for m in c.METRICS:
            self.curves[m].setData([], [])
            self.markers[m].setData([], [])
            for item in (self.target_lines[m], self.cross_lines[m], self.cross_points[m], self.cross_labels[m]):
                item.hide()
        self.design_line.hide()
        self.x = np.array([])
        self.y = {m: np.array([]) for m in c.METRICS}
        self._drawn_both = None
        self.solutions = {m: None for m in c.METRICS}
        self.statements = {m: None for m in c.METRICS}
        self._apply_items = []   # (no "Apply ..." entries left from the design before)
        self._x_range = None
        self.plot.vb.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        self.note.setText(text)
        self.note.setPos(0.5, 0.5)
        self.note.show()
        self.footer.setText(f'<span style="color:#8a1c1c">{c.html_escape(text)}</span>')
        self.band.schedule()            # hides the band
        self.membrane_points.update()   # hides the points

    def update_plot(self, design: core.Design, result: core.Result | None, settings: c.PlotSettings):
        """Recompute the curves for `design` and move every item; nothing is re-created."""
        self.design, self.result, self.settings = design, result, settings
        name = self.parameter
        p = PARAMETERS[name]
        avail = _available(design)
        self._sync_combo(design, avail)
        c.set_axis_label(self.plot, "bottom", c.axis_label(name, design))
        dark = c.is_dark(self)
        c.set_axis_label(self.plot, "left", c.result_label(settings.key("Wh_kg")), c.themed(c.KG_COLOR, dark))
        c.set_axis_label(self.plot, "right", c.result_label(settings.key("Wh_L")), c.themed(c.L_COLOR, dark))
        if name not in avail:
            role = name.split(".")[0].replace("_", " ")
            why = (f"{c.parameter_label(name, design)}: not available for this design "
                   + (f"(it has no {role})" if design.index_of(name.split('.')[0]) is None and
                      role not in ("stacking", "electrode") else "(the cathode has a single component)"))
            self._clear(why)
            self.strip.show(False)
            return
        try:
            cur = core.parameter_value(design, name, result)
        except core.DesignError as e:
            self._clear(str(e))
            return
        self.current = cur
        # the range: the user's, else a default one that widens (never shrinks) to keep the
        # design's value inside while the user edits
        if self.custom_range is None:
            lo, hi = self.auto_range or (math.inf, -math.inf)
            lo0, hi0 = c.default_range(name, design, cur)
            if self.auto_range is not None and (hi - lo) > 4 * (hi0 - lo0):
                self.auto_range = None   # the value came back from far out: a range for it again
            if cur is None or not (lo <= cur <= hi) or self.auto_range is None:
                lo, hi = (lo0, hi0) if self.auto_range is None else (min(lo, lo0), max(hi, hi0))
            self.auto_range = (lo, hi)
        else:
            lo, hi = self.custom_range
        self._sync_spins(lo, hi)
        x = c.value_grid(name, lo, hi, design)
        x_all = c.search_grid(name, design)
        try:
            # one model pass per edit: the plotted points and the lever's whole range (what the
            # needed values are read off) together
            # (each result's array is made when read: the plot reads two, the needed values
            # one per target)
            # (kept: a design drawn before, or differing only in this lever's value, reuses it)
            both, memo = c.lever_sweep(design, name, x, x_all)
        except core.DesignError as e:
            self._clear(str(e))
            return
        n = x.size
        keys = [k for k in both if k not in ("breakdown_mass_g", "breakdown_cost_USD")]
        data = LazyMap(keys, lambda k: both[k][:n])
        c.remember_sweep(design, name, x_all, LazyMap(keys, lambda k: both[k][n:]), memo.judged)
        c.set_visible(self.note, False)
        # the same sweep on the same grid (a design drawn before, or the lever's own value
        # edited): the curves stay as they are, not set again (a new path and a repaint)
        same = both is self._drawn_both and self.x.size == x.size and np.array_equal(self.x, x)
        if same:
            x = self.x
        self._drawn_both = both
        self.x = x
        vbs = {"Wh_kg": self.plot.vb, "Wh_L": self.vb2}
        footer, tips = [], []
        apply_items = []
        targets = {settings.key(m): settings.target(m) for m in c.METRICS if settings.target(m) is not None}
        judged = c.judge(design, name, targets, cur, refined=memo.refined) if targets else {}
        for m in c.METRICS:
            key = settings.key(m)
            if same and self._drawn_keys.get(m) == key:
                y = self.y[m]
            else:
                y = data[key]
                self.curves[m].setData(x, y)
            self._drawn_keys[m] = key
            self.y[m] = y
            ycur = result.values[key] if result is not None else None
            self.markers[m].set_point(cur, ycur)
            target = settings.target(m)
            items = (self.target_lines[m], self.cross_lines[m], self.cross_points[m], self.cross_labels[m])
            if target is None:
                for item in items:
                    c.set_visible(item, False)
                self.solutions[m] = None
                self.statements[m] = None
                self._fit_y(vbs[m], y, ycur, None, m)
                continue
            if self.target_lines[m].value() != target:
                self.target_lines[m].setPos(target)
            c.set_visible(self.target_lines[m], True)
            st = judged[key]
            sol = c.to_solution(st, name, key, design)
            self.statements[m] = st
            self.solutions[m] = sol
            col = c.METRIC_COLORS[m]
            text = c.statement_short(st, name, key, design)
            # the marked crossing: the needed value, or the first place where the target is met
            xc = st.value if st.ok else (st.crossings[0] if st.kind == "ranges" and st.crossings else None)
            if xc is not None:
                inside = lo <= xc <= hi
                c.set_text(self.cross_labels[m], c.statement_label(st, name))
                self.cross_labels[m].setPos(xc, target)
                if self.cross_lines[m].value() != xc:
                    self.cross_lines[m].setPos(xc)
                self.cross_points[m].set_point(xc, target)
                for item in items[1:]:
                    c.set_visible(item, inside)
                if not inside and st.ok:
                    text += " (outside the plotted range)"
                if st.ok:
                    apply_items.append((m, sol))
            else:
                for item in items[1:]:
                    c.set_visible(item, False)
            footer.append(f'<span style="color:{col}">{"●" if st.ok else "○"} {_esc(text)}</span>')
            tips.append(c.statement_text(st, name, key, design))
            self._fit_y(vbs[m], y, ycur, target, m)
        if cur is not None:
            if self.design_line.value() != cur:
                self.design_line.setPos(cur)
            c.set_visible(self.design_line, True)
        else:
            c.set_visible(self.design_line, False)
        if self._x_range != (lo, hi):  # setXRange re-lays the axis out even for the same range
            self._x_range = (lo, hi)
            self.plot.vb.setXRange(lo, hi, padding=0.02)
        c.fit_ticks(self.plot)   # sets the spacing only when it changes
        self._place_labels()
        self._apply_items = apply_items   # (the menu's entries: made when it opens)
        if self.message:
            footer.insert(0, f'<span style="color:#8a1c1c">{_esc(self.message)}</span>')
        elif cur is not None and not (lo <= cur <= hi):
            footer.insert(0, f'<span style="color:#555">Design value {c.fmt(cur)} {p.unit} is outside '
                             f'the plotted range</span>')
        text, tip = "<br>".join(footer), "\n".join(tips)
        self.footer.setText(text)   # (repainted only when the text changes)
        if self.footer.toolTip() != tip:
            self.footer.setToolTip(tip)
        self._update_literature(lo, hi)
        self.band.schedule()            # band recomputed after edits settle
        self.membrane_points.update()   # membranes on the separator plot

    def _place_labels(self):
        """Anchor the two crossing labels so that they stay inside the plot and off each other
        and off the design's markers."""
        vbs = {"Wh_kg": self.plot.vb, "Wh_L": self.vb2}
        W, H = self.plot.vb.width(), self.plot.vb.height()
        if W < 1 or H < 1:  # not laid out yet
            return
        (x0, x1), _ = self.plot.vb.viewRange()

        def to_px(x: float, y: float, m: str) -> tuple[float, float]:
            """Data (x, y) of metric m's view box -> pixels from the plot's top-left corner."""
            (y0, y1) = vbs[m].viewRange()[1]
            return (x - x0) / ((x1 - x0) or 1) * W, (1 - (y - y0) / ((y1 - y0) or 1)) * H

        taken = []
        for m in c.METRICS:  # the current-design markers (about 12 px) are not to be covered
            mx, my = self.markers[m].getData()
            if mx is not None and len(mx):
                px, py = to_px(mx[0], my[0], m)
                taken.append((px - 8, py - 8, 16, 16))
        shown = [m for m in c.METRICS if self.cross_labels[m].isVisible()]
        if not shown:
            return
        # the same situation as one placed before (a design drawn before: undo, a value
        # tried again): the same anchors, without scoring the candidates again
        labels = [self.cross_labels[m] for m in shown]
        sig = (W, H, x0, x1, tuple(tuple(vbs[m].viewRange()[1]) for m in c.METRICS), tuple(taken),
               tuple((m, getattr(lab, "_ssb_text", None), lab.pos().x(), lab.pos().y()) for m, lab in zip(shown, labels)),
               tuple(id(_root(self.y[m])) for m in c.METRICS), self.x.tobytes())
        placed = self._placed.get(sig)
        if placed is not None:
            for lab, anchor in zip(labels, placed[0]):
                if (lab.anchor.x(), lab.anchor.y()) != anchor:
                    lab.setAnchor(anchor)
            return
        # the curves themselves, as pixel points every few px: a label must not hide them
        n = self.x.size
        cx, cy = np.zeros(0), np.zeros((0, 0))   # x of the points (ascending); y, a row per curve
        if n:
            # the plotted points themselves when they are at most 3 px apart (201 points on a
            # plot of usual size), else points interpolated between them about 2 px apart
            per = max(1, math.ceil(W / max(n - 1, 1) / 2.0)) if W / max(n - 1, 1) > 3.0 else 1
            fine = self._fine_x   # the x of those points: made again only for a new grid
            if fine is None or fine[2] != per or not (fine[0] is self.x or np.array_equal(fine[0], self.x)):
                xs = self.x if per == 1 else np.interp(np.linspace(0, n - 1, per * (n - 1) + 1),
                                                         np.arange(n), self.x)
                fine = self._fine_x = (self.x, xs, per, bool(xs.size < 2 or (np.diff(xs) >= 0).all()))
            xs, ascending = fine[1], fine[3]
            rows = []
            for m in c.METRICS:
                if self.y[m].size == n:
                    (y0, y1) = vbs[m].viewRange()[1]
                    ys = self.y[m] if per == 1 else np.interp(xs, self.x, self.y[m])
                    rows.append((1 - (ys - y0) / ((y1 - y0) or 1)) * H)
            if rows:
                cx, cy = (xs - x0) / ((x1 - x0) or 1) * W, np.array(rows)
                if not (ascending and x1 > x0):   # (pixels ascend with x on a usual axis)
                    order = np.argsort(cx, kind="stable")
                    cx, cy = cx[order], cy[:, order]
        # (a point with no y, NaN, is under no label: every comparison with it is false)

        prefs = {"Wh_kg": ((0, 1), (1, 1), (0, 0), (1, 0)), "Wh_L": ((0, 0), (1, 0), (0, 1), (1, 1))}
        for m in shown:
            label = self.cross_labels[m]
            pos = label.pos()
            px, py = to_px(pos.x(), pos.y(), m)
            w, h = label.box_size()
            w += 4
            # the candidates in order of preference: the four corners at the crossing, then the
            # same a label height further out, each slid into the plot if it would stick out
            cand = []
            for shift in (0.0, 1.0, 2.0):
                for ax, ay in prefs[m]:
                    want_x = px - ax * w + (4 if ax == 0 else -4)
                    want_y = py - ay * h + (shift * h if ay == 0 else -shift * h)
                    cand.append((min(max(want_x, 0.0), max(W - w, 0.0)),
                                 min(max(want_y, 0.0), max(H - h, 0.0)), px - ax * w, py - ay * h))
            # the nearest corners first: further out only while nothing near is clear of
            # markers, labels and curves (all twelve scored at once: a call costs about the
            # same for four)
            cost = _label_costs(cand, w, h, taken, cx, cy)
            for k, shift in enumerate((0.0, 1.0, 2.0)):
                i = int(np.argmin(cost[:4 * (k + 1)]))
                if cost[i] < 0.5 * shift * h + 8:
                    break
            box = (float(cand[i][0]), float(cand[i][1]), w, h)
            anchor = ((px - box[0]) / w, (py - box[1]) / h)
            if (label.anchor.x(), label.anchor.y()) != anchor:   # setAnchor re-positions the text
                label.setAnchor(anchor)
            taken.append(box)
        if len(self._placed) >= 16:
            self._placed.pop(next(iter(self._placed)))
        # (the curves are kept with the anchors: while the entry lasts, their ids in its key
        # cannot be another array's)
        self._placed[sig] = ([(lab.anchor.x(), lab.anchor.y()) for lab in labels],
                             [_root(self.y[m]) for m in c.METRICS])

    def _fit_y(self, vb: pg.ViewBox, y: np.ndarray, ycur, target, metric: str = "Wh_kg"):
        finite = y[np.isfinite(y)]
        vals = list(finite[[0, -1]]) if finite.size else []
        if finite.size:
            vals += [float(finite.min()), float(finite.max())]
        if ycur is not None and math.isfinite(ycur):
            vals.append(ycur)
        if not vals:
            vb.setYRange(0, 1)
            return
        ymin, ymax = min(vals), max(vals)
        span = max(ymax - ymin, 1e-9 + 0.05 * abs(ymax))
        if ymax - ymin < span:  # a flat curve: show it flat, not its rounding noise blown up
            mid = 0.5 * (ymin + ymax)
            ymin, ymax = mid - span / 2, mid + span / 2
        if target is not None and ymin - 0.6 * span <= target <= ymax + 0.6 * span:
            ymin, ymax = min(ymin, target), max(ymax, target)
        # Wh/kg keeps the upper part of the plot and Wh/L the lower one: two curves of the same
        # shape (separator thickness: both fall as 1/(a + b t)) would otherwise lie exactly on
        # top of each other, each scaled to its own axis
        extra = CURVE_BAND * (ymax - ymin)
        lo_t, hi_t = (ymin - extra, ymax) if metric == "Wh_kg" else (ymin, ymax + extra)
        # keep the axis still while the data fits it well: no jumping scale while a spin box
        # is dragged, and no axis repaint on every edit
        (v0, v1) = vb.viewRange()[1]
        keep_lo = ymin - 0.5 * extra if metric == "Wh_kg" else ymin
        keep_hi = ymax if metric == "Wh_kg" else ymax + 0.5 * extra
        if v0 <= keep_lo and keep_hi <= v1 and (hi_t - lo_t) >= 0.7 * (v1 - v0) / (1 + 2 * Y_PADDING):
            return
        vb.setYRange(lo_t, hi_t, padding=Y_PADDING)

    def apply_actions(self) -> list:
        """The menu's "Apply ..." entries for the needed values shown (made up to date)."""
        self._sync_apply_actions()
        return list(self._apply_actions)

    def _sync_apply_actions(self):
        """One "Apply ..." menu entry per needed value shown; the entries are kept and re-worded
        (made or dropped only when their number changes)."""
        items = self._apply_items
        key = tuple((m, sol.parameter, c.apply_value(sol), sol.target) for m, sol in items)
        if key == self._apply_key:
            return
        self._apply_key = key
        while len(self._apply_actions) > len(items):
            act = self._apply_actions.pop()
            self.apply_menu.removeAction(act)
            act.deleteLater()
        while len(self._apply_actions) < len(items):
            act = self.apply_menu.addAction("")
            act.triggered.connect(lambda _=False, a=act: self.sig_apply_parameter.emit(*a._ssb_apply))
            self._apply_actions.append(act)
        for act, (m, sol) in zip(self._apply_actions, items):
            value = c.apply_value(sol)
            p = PARAMETERS[sol.parameter]
            text = f"Apply {p.label.lower()} = {c.fmt(value, 4)} {p.unit} ({sol.target:g} {c.METRIC_UNITS[m]})"
            if act.text() != text:
                act.setText(text)
            act._ssb_apply = (sol.parameter, value)

    def _update_literature(self, lo: float, hi: float):
        kind = c.LITERATURE_AXES.get(self.parameter)
        key = (kind, lo, hi)
        if key == self._lit_key:
            return
        self._lit_key = key
        self.strip.show(kind is not None)
        self.strip.set_kind(kind, lo, hi)
        for s in self.spans:
            s.detach()
        self.spans = []
        if kind == "membranes":
            for s in c.literature_membranes():
                if s.hi - s.lo > 1e-9 and s.hi >= lo and s.lo <= hi:
                    reg = c.SpanRect(s.lo, s.hi, (63, 127, 53, 22))
                    reg.setZValue(-20)
                    reg.setToolTip(s.tooltip)
                    reg.attach(self.plot.vb)
                    self.spans.append(reg)

    # ------------------------------------------------------------------ export
    def csv_rows(self):
        headers = [c.axis_label(self.parameter, self.design),
                   f"{result_label_for(self.settings, 'Wh_kg')} (Wh/kg)",
                   f"{result_label_for(self.settings, 'Wh_L')} (Wh/L)"]
        rows = [(float(x), float(a), float(b)) for x, a, b in zip(self.x, self.y["Wh_kg"], self.y["Wh_L"])]
        return headers, rows

    def export_csv(self, path):
        headers, rows = self.csv_rows()
        return c.write_csv(path, headers, rows)

    def export_png(self, path, width: int = c.EXPORT_SIZE[0], height: int = c.EXPORT_SIZE[1],
                   dpi: int = c.EXPORT_DPI):
        return c.export_png(self.graphics, path, width, height, dpi, title=self.figure_title(),
                            subtitle=c.figure_subtitle(self.design, self.settings),
                            legend_html=self.legend_html())

    def figure_title(self) -> str:
        return (f"{c.result_label(self.settings.key('Wh_kg'))} and "
                f"{c.result_label(self.settings.key('Wh_L'))} vs {c.axis_label(self.parameter, self.design)}")

    def legend_html(self) -> str:
        """The legend of an exported figure: the two curves, the design, targets and the
        needed values (the footer's sentences)."""
        kg, wl = (c.result_label(self.settings.key(m)) for m in c.METRICS)
        parts = [f'<span style="color:{c.KG_COLOR}">━━ {kg} (left axis)</span>',
                 f'<span style="color:{c.L_COLOR}">╍╍ {wl} (right axis)</span>',
                 "● ■ current design", "-·- target, ◇ value needed"]
        if self.strip.shown:
            parts.append(f'<span style="color:{c.LIT_COLOR}">▮ literature</span>')
        return " &nbsp; ".join(parts) + "<br>" + self.footer._raw

    def export_svg(self, path):
        return c.export_svg(self.graphics, path)


def result_label_for(settings: c.PlotSettings, metric: str) -> str:
    return c.result_label(settings.key(metric))


_esc = c.html_escape
_AVAIL: list = [None, None]   # [design, its available parameters]: the four plots ask in turn


def _available(design: core.Design) -> list[str]:
    if _AVAIL[0] is not design:
        _AVAIL[:] = [design, core.available_parameters(design)]
    return _AVAIL[1]

