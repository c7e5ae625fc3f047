"""Shared pieces of the plots panel: levels, targets, default levers by chemistry, parameter
ranges and labels, the literature overlay data, and PNG / SVG / CSV export."""
from __future__ import annotations

import csv
import errno
import html
import io
import math
import re
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, QObject, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (QApplication, QFileDialog, QGraphicsItem, QGraphicsView, QLabel, QLayout, QMenu,
                               QMessageBox, QToolButton, QToolTip, QWidget)

import core
from core import goalseek, literature
from core.goalseek import Statement
from core.io import atomic_write_bytes, atomic_write_text
from core.model import LOWER_IS_BETTER, PARAMETERS, RESULT_LABELS, Solution
from core.model.cost import unpriced
from core.model.params import sweep_values
from core.model.sweep import fast_keys, sweep_lazy

# (used through this module by the plot widgets: c.Fence, c.PathCurve, ...)
from ..fence import Fence  # noqa: F401
from .axis import Axis, axes  # noqa: F401
from .items import (LabelBox, MapImage, MarkerSet, PathCurve, PlainLabel, PointMarker, RuleLine,  # noqa: F401
                    SpanRect, SymbolLine, pairs)

# --------------------------------------------------------------------------- look
KG_COLOR = "#1f5fa8"      # Wh/kg: blue, solid, left axis
L_COLOR = "#c8551a"       # Wh/L: orange, dashed, right axis
LIT_COLOR = "#3f7f35"     # literature overlay: green
DESIGN_EDGE = "#000000"
PARALLEL_COLOR = "#1f5fa8"
BIPOLAR_COLOR = "#c8551a"
BACKGROUND = "w"
FOREGROUND = "#202020"


def pen(color, width=2.0, style=Qt.PenStyle.SolidLine):
    p = pg.mkPen(color, width=width, style=style)
    p.setCosmetic(True)
    return p


def style_axes(plot: pg.PlotItem, names=("left", "bottom", "right", "top")):
    """Dark text and lines on the white background (per item: no global pyqtgraph config)."""
    for name in names:
        ax = plot.getAxis(name)
        ax.setPen(pg.mkPen(FOREGROUND))
        ax.setTextPen(pg.mkPen(FOREGROUND))
        ax.enableAutoSIPrefix(False)  # units are in the titles; no "(x0.001)" scaling
        # drawn from a pixmap while unchanged: an axis overlaps its view box by a few pixels,
        # so every repaint of what moves inside (curves, the map's image) repainted it too
        ax.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


class FlowLayout(QLayout):
    """Items left to right, wrapping to a new row when the next one does not fit at its size
    hint: nothing is squeezed ('Def...ots') or drawn over its neighbour, at any width."""

    _items: list | tuple = ()   # (what Qt reads while the layout is being taken apart)

    def __init__(self, parent=None, spacing: int = 6):
        super().__init__(parent)
        self._items = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item):  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self):
        return len(self._items)

    def itemAt(self, i):  # noqa: N802 - Qt override
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i):  # noqa: N802 - Qt override
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def expandingDirections(self):  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self):  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width):  # noqa: N802 - Qt override
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect):  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self):  # noqa: N802 - Qt override
        w = sum(i.sizeHint().width() for i in self._items) + self.spacing() * max(len(self._items) - 1, 0)
        h = max((i.sizeHint().height() for i in self._items), default=0)
        return QSize(w, h)

    def minimumSize(self):  # noqa: N802 - Qt override
        w = max((i.minimumSize().width() for i in self._items), default=0)
        return QSize(w, self.heightForWidth(max(w, 1)))

    def _arrange(self, rect, apply: bool) -> int:
        x, y, row_h = rect.x(), rect.y(), 0
        sp = self.spacing()
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, row_h = rect.x(), y + row_h + sp, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + sp
            row_h = max(row_h, hint.height())
        return y + row_h - rect.y()


def set_text(item: pg.TextItem, text: str) -> None:
    """TextItem.setText only when the text changes (it re-lays the document out and repaints)."""
    if getattr(item, "_ssb_text", None) != text:
        item._ssb_text = text
        item.setText(text)


def set_visible(item, on: bool) -> None:
    if item.isVisible() != on:
        item.setVisible(on)


_INLINE_COLOR = re.compile(r"color:\s*(#[0-9a-fA-F]{3,8})")


def readable_on_dark(color: str) -> str:
    """A colour picked for a light background, lightened enough to read on a dark one."""
    col = QColor(color)
    h, s, lightness, a = col.getHslF()
    if lightness < 0.66:
        col.setHslF(max(h, 0.0), s, 0.66, a)
    return col.name()


def themed_markup(text: str, dark: bool) -> str:
    """Markup whose inline colours were picked for a light background, lightened on a dark one."""
    if not dark:
        return text
    return _INLINE_COLOR.sub(lambda m: "color:" + readable_on_dark(m.group(1)), text)


class ThemedLabel(QLabel):
    """A rich-text label whose inline colours (chosen for a light background: the plots are
    drawn on white) are lightened when the window's palette is dark, and re-rendered when
    the user switches theme, so coloured notes and legends stay readable in both."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self._raw = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self._raw = text
        super().setText(self._themed(text))

    def _themed(self, text: str) -> str:
        return themed_markup(text, is_dark(self))

    def changeEvent(self, ev):  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            super().setText(self._themed(self._raw))


_SPAN = re.compile(r'<span style="color:\s*(#[0-9a-fA-F]{3,8})">(.*?)</span>', re.S)
_TAG = re.compile(r"<[^>]+>")


class LineText(QWidget):
    """Lines of coloured text drawn with QPainter: the sensitivity plots' footers, which
    change with every edit (a rich-text label lays its HTML out as a document each time,
    most of what a new footer cost). It takes the markup those labels took (lines of
    <span style="color:#...">text</span> joined by <br>), gives it back from text() with
    the colours lightened on a dark palette, as ThemedLabel does, and wraps each line to the
    width. Its context menu copies the text."""

    def __init__(self, font_scale: float = 1.0, parent=None):
        super().__init__(parent)
        self._raw = ""
        self._lines: list[tuple[str | None, str]] = []
        if font_scale != 1.0:
            f = self.font()
            f.setPointSizeF(f.pointSizeF() * font_scale)
            self.setFont(f)

    def setText(self, text: str) -> None:  # noqa: N802 - the QLabel call
        if text == self._raw:
            return
        self._raw = text
        lines = []
        for part in text.split("<br>"):
            m = _SPAN.fullmatch(part.strip())
            if m:
                lines.append((m.group(1), html.unescape(_TAG.sub("", m.group(2)))))
            elif part.strip():
                lines.append((None, html.unescape(_TAG.sub("", part))))
        self._lines = lines
        self.update()

    def text(self) -> str:
        return themed_markup(self._raw, is_dark(self))

    def plain_text(self) -> str:
        return "\n".join(t for _c, t in self._lines)

    def paintEvent(self, ev):  # noqa: N802 - Qt override
        p = QPainter(self)
        dark = is_dark(self)
        default = self.palette().color(QPalette.ColorRole.WindowText)
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        y, w = 0.0, float(self.width())
        for color, line in self._lines:
            p.setPen(default if color is None else QColor(readable_on_dark(color) if dark else color))
            y = p.drawText(QRectF(0.0, y, w, 10000.0), flags, line).bottom()   # (its bounding rect)
        p.end()

    def changeEvent(self, ev):  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                         QEvent.Type.FontChange):
            self.update()

    def contextMenuEvent(self, ev):  # noqa: N802 - Qt override
        menu = QMenu(self)
        menu.addAction("Copy text").triggered.connect(
            lambda: QApplication.clipboard().setText(self.plain_text()))
        menu.exec(ev.globalPos())
        menu.deleteLater()   # (a child of the footer: one left behind per right-click otherwise)


def text_label(font_scale: float = 1.0, selectable: bool = False) -> ThemedLabel:
    """The plots' notes, footers and answers: rich text that wraps and follows the palette,
    in a font `font_scale` times the window's, selectable for copying if asked."""
    label = ThemedLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if font_scale != 1.0:
        f = label.font()
        f.setPointSizeF(f.pointSizeF() * font_scale)
        label.setFont(f)
    return label


_VIEWS: "weakref.WeakSet[pg.GraphicsView]" = weakref.WeakSet()


def graphics_layout() -> pg.GraphicsLayoutWidget:
    """A pyqtgraph view for a plot widget, known to `shown_scenes` (the main window draws
    their changes in its one paint per edit)."""
    view = pg.GraphicsLayoutWidget()
    # one rectangle around what changed is repainted, not the exact region: an edit changes
    # many small pieces of a plot (curves, lines, labels, markers), and painting the scene
    # clipped to a region of many rectangles cost about 0.6 ms more per plot (issue 15)
    view.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
    # the exposed areas are not widened for antialiasing: the items' bounds carry that margin
    # themselves (gui/plots/items.py pads them by a few pixels), and the widening cost up to
    # 1.8 ms per drag step in the main window
    view.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
    _VIEWS.add(view)
    view.viewport().installEventFilter(_SYMBOL_TIPS)
    return view


def menu_on_right_click(view: QGraphicsView, button: QToolButton) -> None:
    """A right-click on the plot opens the plot's own menu (its ⋯ or Export button's: the
    exports, and on a sensitivity plot the needed values to apply). pyqtgraph's view and plot
    menus are off on every view box: they offered axis and mouse settings the plots manage."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    button.setToolTip(f"{button.toolTip()} (also on a right-click on the plot)")
    view.customContextMenuRequested.connect(
        lambda pos: button.menu().popup(view.viewport().mapToGlobal(pos)))


def adopt_plot_menus(owner: QWidget, view: pg.GraphicsView, *more: pg.PlotItem) -> None:
    """Give the "Plot Options" menu pyqtgraph makes for each PlotItem of `view` and each of
    `more` (plots not in the scene yet) to `owner`: made with no parent (and never shown
    here, the plots' menus are off), it was deleted whenever Python's garbage collector freed
    the plot's wrapper (in the middle of a paint, or of making another plot); now it is
    deleted with the widget, when Qt deletes it."""
    for item in [*view.scene().items(), *more]:
        menu = getattr(item, "ctrlMenu", None) if isinstance(item, pg.PlotItem) else None
        if menu is not None and menu.parent() is None:
            menu.setParent(owner, menu.windowFlags())


class _SymbolTips(QObject):
    """A symbol's tooltip before a shaded span's: Qt shows the tooltip of the topmost item
    under the pointer, and the Wh/L view box (with its literature symbols) lies under the
    main one (with the membranes' thickness spans), so hovering a Wh/L symbol named the span."""

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt override
        if ev.type() == QEvent.Type.ToolTip:
            view = obj.parent()
            for item in view.items(ev.pos()):
                text = item.tip_text() if isinstance(item, PointMarker) else ""
                if text:
                    QToolTip.showText(ev.globalPos(), text, obj)
                    return True
        return False


_SYMBOL_TIPS = _SymbolTips()


def shown_scenes(window: QWidget) -> list:
    """The scenes of the plot views shown in `window`."""
    out = []
    for view in list(_VIEWS):
        if shiboken6.isValid(view) and view.isVisible() and view.window() is window:
            out.append(view.scene())
    return out


def flush_scenes(window: QWidget) -> None:
    """Process the changed items of every plot shown in `window` now, at the window's paint
    request: Qt's graphics view otherwise asks for a paint of the whole window per scene,
    right when the scene gets to it (one paint per plot and edit instead of one per edit).
    Call it from the window's event() on QEvent.UpdateRequest, before the paint."""
    for scene in shown_scenes(window):
        QCoreApplication.sendPostedEvents(scene, QEvent.Type.MetaCall)


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def themed(color: str, dark: bool) -> str:
    """A line or text colour for the current palette (lightened on dark backgrounds)."""
    return readable_on_dark(color) if dark else color


def plot_colors(widget: QWidget) -> tuple[QColor, QColor]:
    """(background, foreground) for plots inside `widget`: its palette's Base and Text."""
    pal = widget.palette()
    return pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)


def theme_view(view: pg.GraphicsView, plots, widget: QWidget,
               colored: dict | None = None) -> None:
    """Background and axis colours of one graphics view from the widget's palette; axes in
    `colored` ((plot, axis name) -> colour) keep their colour, lightened on a dark palette."""
    bg, fg = plot_colors(widget)
    dark = is_dark(widget)
    view.setBackground(bg)
    for plot, names in plots:
        for name in names:
            ax = plot.getAxis(name)
            col = (colored or {}).get((id(plot), name))
            col = QColor(themed(col, dark)) if col else fg
            ax.setPen(pg.mkPen(col))
            ax.setTextPen(pg.mkPen(col))
            lab = getattr(ax, "_ssb_label", None)
            if lab is not None:   # the title's colour follows the theme too
                ax._ssb_label = None
                set_axis_label(plot, name, lab[0], col.name() if lab[1] else None)


def fit_ticks(plot: pg.PlotItem, name: str = "bottom") -> None:
    """Major tick spacing on a horizontal axis wide enough that labels never run together
    ('500010000'): at least one label width plus a gap between two ticks."""
    ax = plot.getAxis(name)
    (x0, x1) = plot.vb.viewRange()[0]
    width = ax.width() if name in ("left", "right") else plot.vb.width()
    if width < 10 or not (math.isfinite(x0) and math.isfinite(x1)) or x1 <= x0:
        return
    font = ax.style.get("tickFont") or QFont()
    fit_key = (x0, x1, width, font.key())
    if getattr(ax, "_ssb_fit", None) == fit_key:   # the same range, width and font: the same ticks
        return
    ax._ssb_fit = fit_key
    fm = QFontMetrics(font)
    span = x1 - x0
    mag = 10 ** math.floor(math.log10(span / 20))
    major = span
    for step in (m * mag * 10 ** k for k in range(0, 4) for m in (1, 2, 2.5, 5)):
        first = math.ceil(x0 / step) * step
        ticks = np.arange(first, x1 + 1e-9 * span, step)
        if ticks.size == 0:
            continue
        label_px = max(fm.horizontalAdvance(f"{round(t / step) * step:.10g}") for t in ticks[[0, -1]])
        if ticks.size * (label_px + 12) <= width:   # every label with a gap: none run together
            major = step
            break
    key = (major,)
    if getattr(ax, "_ssb_ticks", None) != key:
        ax._ssb_ticks = key
        ax.setTickSpacing(major, major / 5)


def set_axis_label(plot: pg.PlotItem, name: str, text: str, color: str | None = None):
    """Set an axis title only when it changes: setLabel re-lays the plot out (and repaints)."""
    ax = plot.getAxis(name)
    key = (text, color)
    if getattr(ax, "_ssb_label", None) != key:
        ax._ssb_label = key
        ax.setLabel(text, **({"color": color} if color else {}))


# --------------------------------------------------------------------------- levels and targets
@dataclass(frozen=True)
class Level:
    name: str
    label: str
    gravimetric: str
    volumetric: str


LEVELS = {
    "unit_cell": Level("unit_cell", "Unit cell", "unit_cell_gravimetric_Wh_kg", "unit_cell_volumetric_Wh_L"),
    "stack": Level("stack", "Stack", "stack_gravimetric_Wh_kg", "stack_volumetric_Wh_L"),
    "pouch": Level("pouch", "Pouch cell", "gravimetric_Wh_kg", "volumetric_Wh_L"),
    "system": Level("system", "System (pouch + fixture)", "system_gravimetric_Wh_kg", "system_volumetric_Wh_L"),
}
DEFAULT_LEVEL = "stack"
METRICS = ("Wh_kg", "Wh_L")
METRIC_UNITS = {"Wh_kg": "Wh/kg", "Wh_L": "Wh/L"}
METRIC_COLORS = {"Wh_kg": KG_COLOR, "Wh_L": L_COLOR}

# materials cost per kWh of the pouch cell's energy (one value for every level): less is better
COST_KEY = "cost_USD_kWh"
COST_UNIT = "USD/kWh"
COST_LABEL = "Materials cost"
DEFAULT_COST_TARGET = 90.0   # the example "Li thickness for <= 90 USD/kWh"; no source


@dataclass(frozen=True)
class PlotSettings:
    """What every plot shows: the level and the user's targets (None: target off). The cost
    target is a maximum (USD/kWh of materials at or below it)."""
    level: str = DEFAULT_LEVEL
    target_Wh_kg: float | None = 400.0
    target_Wh_L: float | None = 1000.0
    target_USD_kWh: float | None = DEFAULT_COST_TARGET

    def key(self, metric: str) -> str:
        lv = LEVELS[self.level]
        return lv.gravimetric if metric == "Wh_kg" else lv.volumetric

    def target(self, metric: str) -> float | None:
        return self.target_Wh_kg if metric == "Wh_kg" else self.target_Wh_L


def result_label(key: str) -> str:
    """'Stack Wh/kg' style label for a result key."""
    return RESULT_LABELS.get(key, (key, ""))[0]


def result_unit(key: str) -> str:
    return RESULT_LABELS.get(key, (key, ""))[1]


# --------------------------------------------------------------------------- chemistry
def _active_material(layer, lib):
    best, best_q = None, -1.0
    for c in layer.component_list():
        m = lib.get(c.material)
        if m is None:
            continue
        q = c.mass_fraction * m.specific_capacity_mAh_g
        if q > best_q:
            best, best_q = m, q
    return best


_CHEMISTRY: list = [None, None]   # the last design asked about and its answer


def chemistry(design: core.Design) -> str:
    """'anode_free', 'conversion' (S / Li2S / TiS2-type cathode), 'li_metal' or 'li_ion'.
    (Asked by every view of an edit about the same design object: kept for it.)"""
    if _CHEMISTRY[0] is design:
        return _CHEMISTRY[1]
    kind = _chemistry(design)
    _CHEMISTRY[:] = [design, kind]
    return kind


def _chemistry(design: core.Design) -> str:
    lib = design.library()
    cathode = design.layer("cathode")
    anode = design.layer("anode")
    if anode is None:
        return "anode_free"
    act = _active_material(cathode, lib) if cathode is not None else None
    if act is not None and (not act.lithiated or act.specific_capacity_mAh_g >= 500):
        return "conversion"
    an = [lib[c.material] for c in anode.component_list() if c.material in lib]
    an = [m for m in an if m.is_active]
    if an and all(m.is_li_metal for m in an):
        return "li_metal"
    return "li_ion"


CHEMISTRY_LABELS = {"anode_free": "anode-free", "conversion": "conversion (Li-S) cathode",
                    "li_metal": "Li-metal anode", "li_ion": "Li-ion anode"}

DEFAULT_PANELS = {
    "li_metal": ("cathode.areal_capacity_mAh_cm2", "separator.thickness_um", "anode.thickness_um",
                 "anode.np_ratio"),
    "conversion": ("cathode.active_fraction", "cathode.loading_mg_cm2", "cathode.areal_capacity_mAh_cm2",
                   "separator.thickness_um"),
    "li_ion": ("cathode.areal_capacity_mAh_cm2", "separator.thickness_um", "anode.np_ratio"),
    "anode_free": ("cathode.areal_capacity_mAh_cm2", "separator.thickness_um", "stacking.unit_cells"),
}
DEFAULT_MAP = ("cathode.areal_capacity_mAh_cm2", "separator.thickness_um")


def default_parameters(design: core.Design) -> list[str]:
    """The levers worth a panel for this design's chemistry (MODEL.md), where they apply."""
    avail = core.available_parameters(design)
    out = [p for p in DEFAULT_PANELS[chemistry(design)] if p in avail]
    if not out:  # a design where none applies still gets something useful
        out = [p for p in ("separator.thickness_um", "stacking.unit_cells") if p in avail]
    return out


def default_targets(design: core.Design) -> tuple[float, float]:
    """(Wh/kg, Wh/L) research targets: 500 Wh/kg for Li-S, 400 Wh/kg and 1000 Wh/L otherwise."""
    if chemistry(design) == "conversion":
        return 500.0, 1000.0
    return 400.0, 1000.0


# --------------------------------------------------------------------------- ranges and grids
BASE_RANGES = {
    "cathode.loading_mg_cm2": (2.0, 60.0),
    "cathode.areal_capacity_mAh_cm2": (0.5, 10.0),
    "cathode.thickness_um": (10.0, 300.0),
    "cathode.active_fraction": (0.2, 0.95),
    "cathode.density_g_cm3": (1.0, 5.0),
    "separator.thickness_um": (5.0, 150.0),
    "anode.thickness_um": (5.0, 200.0),
    "anode.np_ratio": (0.2, 4.0),
    "positive_collector.thickness_um": (2.0, 30.0),
    "negative_collector.thickness_um": (2.0, 30.0),
    "stacking.unit_cells": (1.0, 40.0),
    "electrode.width_mm": (20.0, 300.0),
}
CONVERSION_RANGES = {
    "cathode.loading_mg_cm2": (1.0, 25.0),
    "cathode.areal_capacity_mAh_cm2": (0.5, 15.0),
}
N_POINTS = 201


def bicell(design: core.Design) -> bool:
    st = design.stacking
    return st.type == "parallel" and st.collector_sharing == "bicell"


def default_range(name: str, design: core.Design, current: float | None) -> tuple[float, float]:
    """A plotting range for a parameter that holds the design's value with room on both sides."""
    p = PARAMETERS[name]
    lo, hi = BASE_RANGES.get(name, (p.lo, p.hi))
    if chemistry(design) == "conversion":
        lo, hi = CONVERSION_RANGES.get(name, (lo, hi))
    if current is not None and math.isfinite(current) and current > 0:
        lo = min(lo, current / 1.5)
        hi = max(hi, current * 1.5)
    lo, hi = max(lo, p.lo), min(hi, p.hi)
    if p.max_value is not None:        # fractions and efficiencies stop at their bound
        hi = min(hi, p.max_value)
    if p.integer:
        lo, hi = float(max(1, math.floor(lo))), float(math.ceil(hi))
        if name == "stacking.unit_cells" and current is not None:
            # room above the design's count, but never past the lever's range (or the
            # design's own count when it is beyond it): what the range boxes can show
            hi = float(min(max(hi, 2 * current), max(p.hi, current)))
    return lo, hi


_VALUE_GRIDS: dict[tuple, np.ndarray] = {}


def value_grid(name: str, lo: float, hi: float, design: core.Design, n: int = N_POINTS) -> np.ndarray:
    """Sample points for a sweep: n evenly spaced values, or the whole numbers (even ones for
    bicell stacking) for an integer parameter. Read-only, and the same array for the same
    grid (a plot whose range holds keeps its grid, and what is keyed on it, edit after edit)."""
    p = PARAMETERS[name]
    step = 2 if (p.integer and name == "stacking.unit_cells" and bicell(design)) else 1
    key = (name, float(lo), float(hi), n, step)
    x = _VALUE_GRIDS.get(key)
    if x is None:
        x = _value_grid(p, lo, hi, n, step)
        x.flags.writeable = False
        if len(_VALUE_GRIDS) > 256:
            _VALUE_GRIDS.clear()
        _VALUE_GRIDS[key] = x
    return x


def _value_grid(p, lo: float, hi: float, n: int, step: int) -> np.ndarray:
    if p.integer:
        start = max(step, int(math.ceil(lo / step)) * step)
        x = np.arange(start, int(math.floor(hi)) + 1, step, dtype=float)
        if x.size > n:  # keep it cheap for huge ranges
            x = np.unique(np.round(np.linspace(x[0], x[-1], n) / step) * step)
        return x if x.size else np.array([float(start)])
    return np.linspace(lo, hi, n)


def parameter_label(name: str, design: core.Design | None = None) -> str:
    """Short name of a lever, e.g. 'S content' or 'Li foil thickness'."""
    p = PARAMETERS[name]
    if design is not None:
        lib = design.library()
        if name == "cathode.active_fraction" and design.layer("cathode") is not None:
            act = _active_material(design.layer("cathode"), lib)
            if act is not None:
                return f"{act.name} content"
        if name == "anode.thickness_um" and design.layer("anode") is not None:
            anode = design.layer("anode")
            if anode.material == "Li":
                return "Li foil thickness"
    return p.label


def parameter_unit(name: str) -> str:
    p = PARAMETERS[name]
    if name == "anode.np_ratio":
        return "anode/cathode capacity"
    if name == "stacking.unit_cells":
        return "count"
    return p.unit


def axis_label(name: str, design: core.Design | None = None) -> str:
    """Axis title with its unit in parentheses (dimensionless levers say what they count)."""
    return f"{parameter_label(name, design)} ({parameter_unit(name)})"


def html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def fmt(v: float | None, digits: int = 3) -> str:
    if v is None or not math.isfinite(v):
        return "–"
    if abs(v) >= 10 ** digits:
        return f"{v:.0f}"
    return f"{v:.{digits}g}"


def apply_value(solution: Solution) -> float:
    """The value the goal seek applies: the solution rounded to 4 significant digits on the
    side that still meets the target (>= rounds up, <= rounds down)."""
    p = PARAMETERS[solution.parameter]
    v = float(solution.value)
    if p.integer:
        return float(round(v))
    if v == 0:
        return v
    scale = 10.0 ** (math.floor(math.log10(abs(v))) - 3)
    q = v / scale
    q = math.ceil(q - 1e-9) if solution.at_least else math.floor(q + 1e-9)
    out = float(f"{q * scale:.12g}")
    out = min(max(out, p.lo), p.hi)
    if solution.parameter == "cathode.active_fraction":
        out = min(out, 1.0)
    return out


def needed_value_text(solution: Solution) -> str:
    """'≥ 4.45 mAh/cm²': the side of the crossing that meets the target (a reachable solution)."""
    p = PARAMETERS[solution.parameter]
    unit = "" if p.unit in ("", "mass fraction") else f" {p.unit}"
    return f"{'≥' if solution.at_least else '≤'} {fmt(solution.value)}{unit}"


def solution_text(solution: Solution, design: core.Design | None = None) -> str:
    """'Li foil thickness ≤ 38 µm for 400 Wh/kg': the needed value in the words and signs the
    plots use (the lever named as on its axis for this design)."""
    _label, runit = RESULT_LABELS.get(solution.result_key, (solution.result_key, ""))
    most = "≤ " if solution.result_key in LOWER_IS_BETTER else ""   # a cost target is a maximum
    return (f"{parameter_label(solution.parameter, design)} {needed_value_text(solution)} "
            f"for {most}{solution.target:g} {runit}").rstrip()


def short_solution(solution: Solution, design: core.Design | None = None) -> str:
    """One line for a panel footer: solution_text() when reachable, else the first clause
    of the reason ('400 Wh/kg is out of reach by separator thickness alone')."""
    if solution.ok:
        return solution_text(solution, design)
    reason = solution.reason
    if ": " not in reason:
        return reason
    head = reason.split(": ")[0]
    m = re.search(r" is (at most|at least) (\S+) (\S+)", reason)
    return f"{head} ({m.group(1)} {m.group(2)} {m.group(3)})" if m else head


# --------------------------------------------------------------------------- statements
# What a lever needs is read off the curve the plot computed over the lever's whole range
# (core.goalseek), refined with two small model calls for all crossings together: one model
# pass per plot and edit instead of a core.solve_for per target.
_SWEEPS: dict = {"design": None, "data": {}}   # lever -> (x, data, statements judged on it)


_GRIDS: dict = {}


def search_grid(name: str, design: core.Design) -> np.ndarray:
    """The values core.solve_for judges a lever at (its whole range); made once per lever and
    step, read-only."""
    p = PARAMETERS[name]
    step = 2 if (name == "stacking.unit_cells" and bicell(design)) else 1
    key = (name, p.lo, p.hi, p.log, p.integer, step)
    grid = _GRIDS.get(key)
    if grid is None:
        grid = _GRIDS[key] = goalseek.search_grid(p.lo, p.hi, p.log, p.integer, step)
        grid.flags.writeable = False
    return grid


# the last sweeps of the levers, for edits that come back to a design already drawn (undo,
# redo, a value tried twice) and for the lever being edited itself: the curve over a lever
# does not depend on the lever's own value in the design, so the design with that value set
# aside (`lever_key`) keys it. Most recent first.
_LEVER_SWEEPS: dict[str, list] = {}   # lever -> [(key, grid, data, SweepMemo)]
LEVER_SWEEPS_KEPT = 12   # per lever (about 0.35 MB each)


class SweepMemo:
    """What is worked out on one kept sweep: its refinement's model calls (`refined`: points
    and keys -> results) and the statements judged on its whole-range part (`judged`, see
    `judge`). Both depend on the curve alone, so a design that reuses the sweep (the lever's
    own value edited, a design drawn before) reuses them too."""

    __slots__ = ("refined", "judged")

    def __init__(self):
        self.refined: dict = {}
        self.judged: dict = {}


def lever_key(design: core.Design, name: str) -> core.Design:
    """The design with lever `name` set to one fixed value (its range's lower end): equal for
    two designs that differ only in that lever's value, whose curves over it are the same
    (a sweep replaces the lever's value at every point)."""
    try:
        return core.with_parameter(design, name, float(search_grid(name, design)[0]))
    except core.DesignError:
        return design


def lever_sweep(design: core.Design, name: str, x: np.ndarray, x_all: np.ndarray):
    """(data over x then x_all, a lazy core.sweep map; its SweepMemo): computed once per
    design (lever value set aside), lever and grid."""
    key = lever_key(design, name)
    grid = (x.tobytes(), x_all.tobytes())
    kept = _LEVER_SWEEPS.setdefault(name, [])
    for i, entry in enumerate(kept):
        if entry[1] == grid and entry[0] == key:
            if i:
                kept.insert(0, kept.pop(i))
            return entry[2], entry[3]
    both = sweep_lazy(design, name, np.concatenate([x, x_all]))
    kept.insert(0, (key, grid, both, SweepMemo()))
    del kept[LEVER_SWEEPS_KEPT:]
    return both, kept[0][3]


def remember_sweep(design: core.Design, name: str, x: np.ndarray, data: dict,
                   judged: dict | None = None) -> None:
    """Keep the whole-range sweep of the design being shown (goal seek reuses a plot's), with
    the statements judged on it (`judged`: a SweepMemo's, for a kept sweep)."""
    if _SWEEPS["design"] is not design:
        _SWEEPS["design"], _SWEEPS["data"] = design, {}
    _SWEEPS["data"][name] = (x, data, {} if judged is None else judged)


def _shown_sweep(design: core.Design, name: str) -> tuple[np.ndarray, dict, dict]:
    """(x, data, statements judged on it) of full_sweep."""
    if _SWEEPS["design"] is not design or name not in _SWEEPS["data"]:
        x = search_grid(name, design)
        remember_sweep(design, name, x, sweep_lazy(design, name, x))   # (arrays made as read)
    return _SWEEPS["data"][name]


def full_sweep(design: core.Design, name: str) -> tuple[np.ndarray, dict]:
    """(x, core.sweep data) over search_grid(name): from a plot of this design, else computed."""
    return _shown_sweep(design, name)[:2]


def judge(design: core.Design, name: str, targets: dict[str, float], current: float | None,
          sweep: tuple[np.ndarray, dict] | None = None, refined: dict | None = None) -> dict[str, Statement]:
    """result key -> core.goalseek.Statement for reaching each target with lever `name`
    (a maximum for a result where less is better, as core.solve_for judges it). `refined`:
    a cache of the refinement's model calls for this sweep (a SweepMemo's). On the design's
    whole-range sweep (no `sweep` given), a statement judged before on the same curve (the
    same result and target: a sensitivity plot's, asked for again by goal seek, or the plot's
    own of a design that differs only in its lever's value) is given again: each key's
    statement depends only on its own curve and, where the target is met at both ends of
    the range, on the current value (which end is nearer)."""
    if sweep is not None:
        return _judge(design, name, targets, current, *sweep, refined)
    x, data, judged = _shown_sweep(design, name)
    out = {}
    for k, t in targets.items():
        st = judged.get((k, float(t)))
        out[k] = st if st is not None else judged.get((k, float(t), current))
    todo = {k: t for k, t in targets.items() if out[k] is None}
    if todo:
        if len(judged) > 64:   # (a drag along a lever whose statements follow its value)
            judged.clear()
        for k, st in _judge(design, name, todo, current, x, data, refined).items():
            t = float(todo[k])
            judged[(k, t, current) if st.chosen_by_current else (k, t)] = out[k] = st
    return out


def _judge(design, name, targets, current, x, data, refined) -> dict[str, Statement]:
    keys = tuple(targets)

    # the crossings are refined with only the results judged (the design was checked by the
    # sweep that made the curve)
    def evaluate(xs):
        k = (xs.tobytes(), keys)
        out = None if refined is None else refined.get(k)
        if out is None:
            out = fast_keys(design, name, sweep_values(design, name, xs), keys)
            if refined is not None:
                if len(refined) > 32:
                    refined.clear()
                refined[k] = out
        return out
    return goalseek.statements(
        x, {k: (data[k], t, k in LOWER_IS_BETTER) for k, t in targets.items()},
        integer=PARAMETERS[name].integer, current=current, evaluate=evaluate)


def statement_unit(name: str) -> str:
    """The unit a statement puts after a lever's value ('unit cells' for the count)."""
    if name == "stacking.unit_cells":
        return "unit cells"
    u = PARAMETERS[name].unit
    return "" if u in ("", "mass fraction") else u


def statement_text(st: Statement, name: str, key: str, design: core.Design | None = None) -> str:
    """The full sentence: 'Li foil thickness ≤ 38 µm for 400 Wh/kg', or where the target is
    met, or that it is met everywhere / nowhere, or why the result is undefined."""
    text = st.describe(parameter_label(name, design), statement_unit(name), result_unit(key),
                       result_label(key))
    return f"{text}: {undefined_reason(key)}" if st.undefined else text


def undefined_reason(key: str) -> str:
    """Why a result has no value anywhere (a statement of kind 'nowhere', undefined)."""
    if key == COST_KEY:
        return "there is no energy to divide the materials cost by"
    return "the model gives no value for it here"


def cost_note(result: core.Result | None) -> str:
    """'No price for MyAdd composite: not counted in this cost' when a price is missing, else ''."""
    names = unpriced(result.warnings) if result is not None else ""
    return f"No price for {names}: not counted in this cost" if names else ""


def statement_short(st: Statement, name: str, key: str, design: core.Design | None = None) -> str:
    return st.short(parameter_label(name, design), statement_unit(name), result_unit(key))


def statement_label(st: Statement, name: str) -> str:
    """The text beside the crossing on a plot: '≥ 4.45 mAh/cm²', or 'only at 21, 23 and 25'."""
    unit = statement_unit(name)
    if st.kind == "threshold":
        u = "" if name == "stacking.unit_cells" else unit
        return f"{'≥' if st.at_least else '≤'} {fmt(st.value)}{' ' + u if u else ''}"
    if st.kind == "ranges":
        return "only " + goalseek.format_ranges(st.ranges, st.integer, "", max_items=3)
    return ""


def to_solution(st: Statement, name: str, key: str, design: core.Design | None = None) -> Solution:
    """The core.model.Solution for a statement: a value for a threshold, else the reason."""
    if st.kind == "threshold":
        return Solution(name, key, st.target, float(st.value), at_least=bool(st.at_least),
                        crossings=tuple(st.crossings))
    return Solution(name, key, st.target, None, reason=statement_text(st, name, key, design))


# --------------------------------------------------------------------------- literature
def finite_number(v) -> float | None:
    """A table cell as a finite float, else None (empty, text, inf, NaN)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


@dataclass(frozen=True)
class LitPoint:
    x: float
    label: str
    tooltip: str


@dataclass(frozen=True)
class LitSpan:
    lo: float
    hi: float
    label: str
    tooltip: str


def literature_electrodes() -> list[LitPoint]:
    """Positive-electrode areal capacities reported for solid-state cells (electrodes.csv)."""
    try:
        rows = literature.table("electrodes")
    except (OSError, KeyError):
        return []
    out = []
    for r in rows:
        if r.get("side") != "positive":
            continue
        q = finite_number(r.get("areal_capacity_mAh_cm2"))
        if q is None:
            continue
        bits = [f"{r.get('material', '?')}: {q:g} mAh/cm²"]
        j, cyc, t = (finite_number(r.get(k)) for k in ("current_density_mA_cm2", "cycles", "temperature_C"))
        if j is not None:
            bits.append(f"at {j:g} mA/cm²")
        if cyc is not None:
            bits.append(f"{cyc:g} cycles")
        if t is not None:
            bits.append(f"{t:g} °C")
        tip = ", ".join(bits) + "\n" + literature.citation(r.get("source_ref", ""))
        out.append(LitPoint(q, str(r.get("material", "")), tip))
    return out


def literature_membranes() -> list[LitSpan]:
    """Thin SSE membranes (membranes.csv): thickness range of each, min = max for one value."""
    try:
        rows = literature.table("membranes")
    except (OSError, KeyError):
        return []
    out = []
    for r in rows:
        lo, hi = finite_number(r.get("thickness_min_um")), finite_number(r.get("thickness_max_um"))
        if lo is None and hi is None:
            continue
        lo = hi if lo is None else lo
        hi = lo if hi is None else hi
        lo, hi = min(lo, hi), max(lo, hi)
        sigma, t = finite_number(r.get("conductivity_S_cm")), finite_number(r.get("temperature_C"))
        thick = f"{lo:g} µm" if lo == hi else f"{lo:g}–{hi:g} µm"
        bits = [f"{r.get('electrolyte', '?')} ({r.get('binder_or_solvent', '')}): {thick}"]
        if sigma is not None:
            bits.append(f"{sigma:.2g} S/cm" + (f" at {t:g} °C" if t is not None else ""))
        if r.get("method"):
            bits.append(str(r["method"]))
        tip = ", ".join(bits) + "\n" + literature.citation(r.get("source_ref", ""))
        out.append(LitSpan(lo, hi, str(r.get("electrolyte", "")), tip))
    return out


LITERATURE_AXES = {"cathode.areal_capacity_mAh_cm2": "electrodes", "separator.thickness_um": "membranes"}


# --------------------------------------------------------------------------- export
EXPORT_SIZE = (1600, 1000)   # default PNG size in pixels
EXPORT_DPI = 150


def export_png(widget: pg.GraphicsView, path, width: int = EXPORT_SIZE[0], height: int = EXPORT_SIZE[1],
               dpi: int = EXPORT_DPI, title: str = "", subtitle: str = "", legend_html: str = "") -> Path:
    """A figure as PNG at width x height pixels and `dpi`: a title, a subtitle (the design's
    name), the plot laid out afresh at that size (fonts and lines at `dpi`, not a scaled
    screenshot) and a legend under it."""
    from PySide6.QtGui import QImage, QTextDocument
    path = Path(path)
    width, height = int(width), int(height)
    if width < 100 or height < 100:
        raise OSError(f"image size {width} x {height} px is too small (at least 100 x 100)")
    dpr = max(dpi, 10) / 96.0
    lw, lh = width / dpr, height / dpr           # logical size the plot is laid out at
    img = QImage(width, height, QImage.Format.Format_ARGB32)
    img.setDevicePixelRatio(dpr)   # fonts and lines scale by dpr; the dpi is stamped on at the end
    bg = widget.backgroundBrush().color() if widget.backgroundBrush().style() != Qt.BrushStyle.NoBrush \
        else QColor("white")
    img.fill(bg)
    fg = QColor("white") if bg.lightness() < 128 else QColor(FOREGROUND)
    painter = QPainter(img)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    y = 6.0
    try:
        for text, scale, bold in ((title, 1.35, True), (subtitle, 1.0, False)):
            if not text:
                continue
            f = QFont(widget.font())
            f.setPointSizeF(f.pointSizeF() * scale)
            f.setBold(bold)
            painter.setFont(f)
            painter.setPen(fg)
            h = QFontMetrics(f).lineSpacing()
            painter.drawText(QRectF(8, y, lw - 16, h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             text)
            y += h + 2
        doc = None
        legend_h = 0.0
        if legend_html:
            doc = QTextDocument()
            doc.setDefaultFont(widget.font())
            doc.setDefaultStyleSheet(f"body {{ color: {fg.name()}; }}")
            doc.setHtml(f"<body>{legend_html}</body>")
            doc.setTextWidth(lw - 16)
            legend_h = doc.size().height() + 4
        plot_rect = QRectF(0, y, lw, max(lh - y - legend_h, 50))
        # lay the plot out at the export size, render it, and give the view its size back
        old = widget.size()
        _layout_view(widget, int(plot_rect.width()), int(plot_rect.height()))
        try:
            src = widget.mapToScene(widget.viewport().rect()).boundingRect()
            widget.scene().render(painter, plot_rect, src)
        finally:
            _layout_view(widget, old.width(), old.height())
        if doc is not None:
            painter.translate(8, plot_rect.bottom() + 2)
            doc.drawContents(painter)
    finally:
        painter.end()
    img.setDotsPerMeterX(round(dpi / 0.0254))
    img.setDotsPerMeterY(round(dpi / 0.0254))
    data = QByteArray()       # rendered to memory, then written atomically, every step checked
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if img.isNull() or not img.save(buf, "PNG"):
        raise OSError(errno.EIO, "the image could not be rendered", str(path))
    buf.close()
    atomic_write_bytes(path, bytes(data.data()))
    return path


def _layout_view(widget: pg.GraphicsView, w: int, h: int) -> None:
    """Resize a graphics view and lay its scene out now (axes, view boxes, view matrices)."""
    widget.resize(w, h)
    ci = getattr(widget, "ci", None)
    if ci is not None:
        ci.setGeometry(QRectF(0, 0, widget.viewport().width(), widget.viewport().height()))
        ci.layout.activate()
    widget.scene().prepareForPaint()


def ask_png_options(owner: QWidget) -> tuple[int, int, int] | None:
    """Width, height (px) and resolution (dpi) for a PNG export, or None if cancelled."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox
    dlg = QDialog(owner)
    dlg.setWindowTitle("Image size")
    form = QFormLayout(dlg)
    spins = []
    for label, lo, hi, v, suffix in (("Width", 200, 10000, EXPORT_SIZE[0], " px"),
                                     ("Height", 150, 10000, EXPORT_SIZE[1], " px"),
                                     ("Resolution", 50, 1200, EXPORT_DPI, " dpi")):
        sp = QSpinBox()
        sp.setRange(lo, hi)
        sp.setValue(v)
        sp.setSuffix(suffix)
        form.addRow(label, sp)
        spins.append(sp)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dlg.accept)
    buttons.rejected.connect(dlg.reject)
    form.addRow(buttons)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return spins[0].value(), spins[1].value(), spins[2].value()


def figure_subtitle(design: core.Design | None, settings: "PlotSettings") -> str:
    name = (getattr(design, "name", "") or "Untitled design") if design is not None else ""
    return f"{name} — {LEVELS[settings.level].label.lower()} level" if name else ""


def export_svg(widget: pg.GraphicsView, path, title: str = "SSB Pouch Designer plot") -> Path:
    """Render a pyqtgraph view (the whole scene) to SVG, vector paths and text.

    Drawn through QSvgGenerator: pyqtgraph 0.14's SVGExporter fails under Qt 6.12 on every
    clipped ViewBox (Qt now closes the clip path with "Z", which its path parser rejects)."""
    path = Path(path)
    view = widget.viewport().rect()
    source = widget.mapToScene(view).boundingRect()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(QSize(view.width(), view.height()))
    gen.setViewBox(QRectF(0, 0, view.width(), view.height()))
    gen.setResolution(widget.logicalDpiX())  # pyqtgraph replays QPictures: same DPI or they scale
    gen.setTitle(title)
    gen.setDescription("Exported from SSB Pouch Designer")
    painter = QPainter()
    if not painter.begin(gen):
        raise OSError(errno.EIO, "the SVG could not be started", str(path))
    try:
        target = QRectF(0, 0, view.width(), view.height())
        painter.fillRect(target, QColor("white"))
        widget.scene().render(painter, target, source)
    finally:
        ended = painter.end()
    # the generator points at the buffer: it goes first (Python would free them in any order)
    del painter, gen
    buf.close()
    svg = bytes(data.data())
    del buf
    if not ended or not svg.rstrip().endswith(b"</svg>"):
        raise OSError(errno.EIO, "the SVG could not be rendered", str(path))
    atomic_write_bytes(path, svg)  # a full disk raises and leaves any earlier file intact
    return path


def write_csv(path, headers: list[str], rows) -> Path:
    """A plain CSV: one header row (names with units), then the rows; blanks for no value."""
    path = Path(path)
    fh = io.StringIO(newline="")
    w = csv.writer(fh)
    w.writerow(headers)
    for row in rows:
        w.writerow(["" if (v is None or (isinstance(v, float) and not math.isfinite(v)))
                    else (f"{v:.10g}" if isinstance(v, float) else v) for v in row])
    atomic_write_text(path, fh.getvalue())  # written whole or not at all
    return path


def make_export_button(owner: QWidget, title: str, text: str = "Export") -> QToolButton:
    """A tool button whose menu has PNG / SVG / CSV entries that call owner.export_png /
    export_svg / export_csv after a file dialog. Owners may add entries to `button.menu()`."""
    btn = QToolButton(owner)
    btn.setText(text)
    btn.setToolTip(f"Save {title} as PNG or SVG, or its data as CSV")
    btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    btn.setAutoRaise(True)
    menu = QMenu(btn)
    stem = "".join(c if c.isalnum() else "_" for c in title.lower()).strip("_") or "plot"
    for text, ext, method in (("Save image (PNG)…", "png", "export_png"),
                              ("Save vector image (SVG)…", "svg", "export_svg"),
                              ("Save data (CSV)…", "csv", "export_csv")):
        def run(_=False, ext=ext, method=method, text=text):
            opts = {}
            if ext == "png":
                size = ask_png_options(owner)
                if size is None:
                    return
                opts = dict(zip(("width", "height", "dpi"), size))
            path, _f = QFileDialog.getSaveFileName(owner, text.rstrip("…"), f"{stem}.{ext}",
                                                   f"{ext.upper()} files (*.{ext})")
            if not path:
                return
            try:
                getattr(owner, method)(path, **opts)
            except OSError as e:
                QMessageBox.warning(owner, "Export failed", f"Could not write {path}:\n{e}")
        act = menu.addAction(text, run)
        act.setObjectName(f"export_{ext}")
    btn.setMenu(menu)
    return btn
