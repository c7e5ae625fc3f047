"""Plot items drawn by Qt in C++ (issue 15). pyqtgraph's own items (PlotCurveItem,
InfiniteLine, LinearRegionItem, a one-point ScatterPlotItem, TextItem) paint
and compute their bounds in Python on every repaint of a plot; these keep the calls the plots
make of those items and leave the drawing to Qt. Bounds are given in pixels at the view's
scale and kept inside the view box, so a repaint stays where the item is."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsLineItem, QGraphicsPathItem, QGraphicsRectItem,
                               QGraphicsSimpleTextItem, QGraphicsWidget, QWidget)


def use_qt_widget_bounds() -> None:
    """pyqtgraph's GraphicsWidget (the base of PlotItem, LabelItem, ViewBox and GraphicsLayout)
    answers Qt's boundingRect() and shape() in Python, with mapRectFromParent(geometry()):
    for a widget item with no transform of its own (none of ours has one; test_qt_bounds
    checks every one in the window) that is the rectangle QGraphicsWidget itself returns, in
    C++. Qt asks for it about 40 times per edit with four plots shown. ViewBox's half-pixel
    margin is kept (it calls the base); AxisItem keeps its own (its bounds reach past it)."""
    pg.GraphicsWidget.boundingRect = QGraphicsWidget.boundingRect
    pg.GraphicsWidget.shape = QGraphicsWidget.shape
    pg.GraphicsLayout.boundingRect = QGraphicsWidget.boundingRect


use_qt_widget_bounds()


class PointMarker(QGraphicsPathItem):
    """One symbol at one data point, drawn by Qt in C++ at a fixed pixel size.

    A pyqtgraph ScatterPlotItem rebuilds its spot table on every setData and paints and
    computes its bounds in Python; for the one-point design markers and crossing diamonds
    that was most of the cost of moving them. This item is moved with setPos (data
    coordinates of its view box) and keeps the ScatterPlotItem calls the plots use
    (setData / getData) so callers and tests read it the same way."""

    def __init__(self, symbol: str = "o", size: float = 10, pen=None, brush=None):
        super().__init__(QTransform.fromScale(size, size).map(Symbols[symbol]))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        if pen is not None:
            self.setPen(pen)
        if brush is not None:
            self.setBrush(brush)
        self._xy: tuple[float, float] | None = None
        self._tip = None
        self.hide()

    def set_tip(self, tip) -> None:
        """A hover tooltip: a text, or a callable made into one only when it is shown (the
        plots' views show it: gui.plots.common's symbol-tip filter)."""
        self._tip = tip

    def tip_text(self) -> str:
        tip = self._tip
        return str(tip()) if callable(tip) else (tip or self.toolTip())

    def set_point(self, x: float | None, y: float | None = None) -> None:
        if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
            self._xy = None
            self.hide()
            return
        xy = (float(x), float(y))
        if xy != self._xy:
            self._xy = xy
            self.setPos(*xy)
        if not self.isVisible():
            self.show()

    def setData(self, x=(), y=()):  # noqa: N802 - the ScatterPlotItem call
        x, y = list(x), list(y)
        self.set_point(x[0] if x else None, y[0] if y else None)

    def getData(self):  # noqa: N802 - the ScatterPlotItem call
        if self._xy is None:
            return np.array([]), np.array([])
        return np.array([self._xy[0]]), np.array([self._xy[1]])


class HoverMarker(PointMarker):
    """A PointMarker drawn with `brush` (see-through, say) and with `hover_brush` while the
    pointer is over it: pyqtgraph's hoverable scatter spot, drawn by Qt."""

    def __init__(self, symbol: str, size: float, pen, brush, hover_brush):
        super().__init__(symbol, size, pen=pen, brush=brush)
        self._brushes = (pg.mkBrush(brush), pg.mkBrush(hover_brush))
        self.setAcceptHoverEvents(True)

    def hoverEnterEvent(self, ev):  # noqa: N802 - Qt override
        self.setBrush(self._brushes[1])
        super().hoverEnterEvent(ev)

    def hoverLeaveEvent(self, ev):  # noqa: N802 - Qt override
        self.setBrush(self._brushes[0])
        super().hoverLeaveEvent(ev)


class MarkerSet:
    """A few symbols in one view box, each with its own brush and hover tooltip: a
    ScatterPlotItem's calls for the literature points (setData with brushes and tips: texts,
    or callables that make the text when it is shown), drawn by Qt as PointMarkers. The
    scatter painted its spots in Python on every repaint of the plot; these are moved and
    re-brushed only when that changes."""

    def __init__(self, view_box, symbol: str, size: float, pen, z: float = 18, brush=None,
                 hover_brush=None):
        self._vb, self._symbol, self._size, self._pen, self._z = view_box, symbol, size, pen, z
        # with a hover brush: symbols drawn with `brush` (see-through: hover points) that take
        # the hover brush while the pointer is over them
        self._hover = None if hover_brush is None else (brush, hover_brush)
        self.markers: list[PointMarker] = []

    def setData(self, x=(), y=(), data=(), brush=(), pen=None):  # noqa: N802 - the scatter's call
        x, y, data, brush = list(x), list(y), list(data), list(brush)
        if pen is not None:
            self._pen = pen
        while len(self.markers) < len(x):
            if self._hover is not None:
                m = HoverMarker(self._symbol, self._size, self._pen, *self._hover)
            else:
                m = PointMarker(self._symbol, self._size, pen=self._pen)
            m.setZValue(self._z)
            self._vb.addItem(m, ignoreBounds=True)
            self.markers.append(m)
        for i, m in enumerate(self.markers):
            if i >= len(x):
                m.set_point(None)
                continue
            if m.pen() != self._pen:
                m.setPen(self._pen)
            b = brush[i] if i < len(brush) else None
            if b is not None and m.brush() != b:
                m.setBrush(b)
            m.set_tip(data[i] if i < len(data) else None)
            m.set_point(x[i], y[i])

    def getData(self):  # noqa: N802 - the scatter's call
        shown = [m.getData() for m in self.markers if m.isVisible()]
        return (np.array([float(a[0]) for a, _b in shown]), np.array([float(b[0]) for _a, b in shown]))

    def tips(self) -> list[str]:
        """The tooltips of the symbols shown, in order."""
        return [m.tip_text() for m in self.markers if m.isVisible()]


class _KeptBounds:
    """Bounds made when the item or its view's scale change and kept (Qt asks for them many
    times per paint): a box padded by PAD_PX pixels at the view's scale (Qt pads a pen in data
    units), within the view box `_vb` when there is one."""

    PAD_PX = 3.0

    def _keep_bounds(self, box: QRectF | None) -> None:
        self.prepareGeometryChange()
        if box is None:
            self._bounds = QRectF()
            return
        t = self.sceneTransform()
        px, py = self.PAD_PX / (abs(t.m11()) or 1.0), self.PAD_PX / (abs(t.m22()) or 1.0)
        out = box.adjusted(-px, -py, px, py)
        vb = getattr(self, "_vb", None)
        self._bounds = out if vb is None else out.intersected(vb.viewRect())

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._bounds

    def shape(self) -> QPainterPath:  # noqa: N802 - Qt override
        out = QPainterPath()
        out.addRect(self._bounds)
        return out

    def _on_scale(self, *_args) -> None:   # the pixel padding follows the view's scale
        self._update_bounds()


class _InView:
    """Mixin: an item added to a view box with attach(vb), told when the view's range
    (_on_range) or its scale (_on_scale: a new range or size) changes."""

    _vb = None

    def attach(self, vb: pg.ViewBox) -> None:
        self._vb = vb
        vb.addItem(self, ignoreBounds=True)
        vb.sigRangeChanged.connect(self._on_range)
        vb.sigTransformChanged.connect(self._on_scale)
        self._on_range()
        self._on_scale()

    def detach(self) -> None:
        vb, self._vb = self._vb, None
        if vb is not None:
            vb.sigRangeChanged.disconnect(self._on_range)
            vb.sigTransformChanged.disconnect(self._on_scale)
            vb.removeItem(self)

    def _on_range(self, *_args) -> None:
        pass

    def _on_scale(self, *_args) -> None:
        pass


class _AcrossView(_InView):
    """Mixin: an item that reaches across its view box (a line at a value, a band between two
    values), drawn by Qt in C++. Its far ends are set from the view's range, two ranges
    beyond each side, again whenever the range changes (pg.InfiniteLine and LinearRegionItem
    paint and compute their bounds in Python on every repaint of the plot)."""

    def _far(self, axis: int) -> tuple[float, float]:
        lo, hi = self._vb.viewRange()[axis]
        span = (hi - lo) or 1.0
        return lo - 2 * span, hi + 2 * span

    def _on_range(self, *_args) -> None:
        self._place()


class RuleLine(_KeptBounds, _AcrossView, QGraphicsLineItem):
    """A vertical (angle 90: x = value) or horizontal (angle 0: y = value) line across its view
    box. Keeps the pg.InfiniteLine calls the plots use: value(), setPos(v), setPen(pen)."""

    def __init__(self, angle: int, pen=None):
        QGraphicsLineItem.__init__(self)
        self.angle = angle
        self._value = 0.0
        self._bounds = QRectF()
        if pen is not None:
            self.setPen(pen)

    def setPen(self, pen) -> None:  # noqa: N802 - the InfiniteLine call
        QGraphicsLineItem.setPen(self, pg.mkPen(pen))

    def value(self) -> float:
        return self._value

    def setPos(self, value) -> None:  # noqa: N802 - the InfiniteLine call (a value, not a point)
        self._value = float(value)
        self._place()

    def _place(self) -> None:
        if self._vb is None:
            return
        v = self._value
        if self.angle == 90:
            y0, y1 = self._far(1)
            self.setLine(v, y0, v, y1)
        else:
            x0, x1 = self._far(0)
            self.setLine(x0, v, x1, v)
        self._update_bounds()

    def _update_bounds(self, *_args) -> None:
        ln = self.line()
        self._keep_bounds(QRectF(ln.p1(), ln.p2()).normalized())


_AXIS_ALIGNED = (QTransform.TransformationType.TxNone, QTransform.TransformationType.TxTranslate,
                 QTransform.TransformationType.TxScale)


class SpanRect(_AcrossView, QGraphicsRectItem):
    """A band between two values of x across its view box (a literature span): no outline, a
    fill, a tooltip. Drawn by Qt (the pg.LinearRegionItem it replaces painted in Python)."""

    def __init__(self, lo: float, hi: float, brush):
        QGraphicsRectItem.__init__(self)
        self._lo, self._hi = float(lo), float(hi)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setBrush(pg.mkBrush(brush))

    def _place(self) -> None:
        if self._vb is None:
            return
        y0, y1 = self._far(1)
        self.setRect(QRectF(self._lo, y0, self._hi - self._lo, y1 - y0))

    def paint(self, painter, option, widget=None):  # noqa: D102 - Qt override
        """The band as a premultiplied image drawn 1:1 on whole pixels: Qt's raster engine
        blends an image of a translucent colour about 15 x faster than it fills a rectangle
        with it (0.06 ms for a 40 x 170 px band, 0.1 ms once clipped), with the same pixels
        (the rectangle's edges rounded as the rasteriser rounds them: floor(v + 0.5)). On
        other devices (SVG, PDF, printers), a transform that rotates, a pen or a pattern, or
        a band too large to hold as an image: Qt's own fill."""
        t = painter.transform()
        brush = self.brush()
        # (painter.device(), not painter.paintEngine(): PySide deletes the engine it wraps)
        if (not isinstance(painter.device(), (QWidget, QImage, QPixmap))
                or t.type() not in _AXIS_ALIGNED
                or brush.style() != Qt.BrushStyle.SolidPattern or self.pen().style() != Qt.PenStyle.NoPen):
            super().paint(painter, option, widget)
            return
        try:
            box = self._device_box(painter, t)
        except Exception:   # (an exception raised out of a paint would end the application)
            box = None
        if box is None or box.width() * box.height() > 4_000_000:
            super().paint(painter, option, widget)
            return
        if box.isEmpty():
            return
        key = (brush.color().rgba(), box.width(), box.height())
        if getattr(self, "_tile_key", None) != key:
            tile = QImage(box.width(), box.height(), QImage.Format.Format_ARGB32_Premultiplied)
            tile.fill(brush.color())
            self._tile_key, self._tile = key, tile
        painter.resetTransform()
        painter.drawImage(box.topLeft(), self._tile)
        painter.setTransform(t)

    def _device_box(self, painter, t: QTransform) -> QRect | None:
        """The whole pixels the rectangle fills, within the painter's clip (plus a pixel);
        None where Qt's own fill is to draw it."""
        dev = t.mapRect(self.rect())
        if not max(abs(dev.left()), abs(dev.right()), abs(dev.top()), abs(dev.bottom())) < 1e9:
            return None   # (beyond a QRect's integers, or NaN: Qt's own fill)
        x1, x2 = math.floor(dev.left() + 0.5), math.floor(dev.right() + 0.5)
        y1, y2 = math.floor(dev.top() + 0.5), math.floor(dev.bottom() + 0.5)
        box = QRect(x1, y1, x2 - x1, y2 - y1)
        if painter.hasClipping():   # (the clip itself still applies, as to the fill)
            clip = t.mapRect(painter.clipBoundingRect()).toAlignedRect()
            box = box.intersected(clip.adjusted(-1, -1, 1, 1))
        return box

    def getRegion(self) -> tuple[float, float]:  # noqa: N802 - the LinearRegionItem call
        return self._lo, self._hi


class PathCurve(_KeptBounds, _InView, QGraphicsPathItem):
    """A curve y(x) in a view box, drawn by Qt in C++ (a pyqtgraph PlotCurveItem paints and
    computes its bounds in Python: most of a plot's repaint). NaN values leave gaps. Keeps
    the PlotCurveItem calls the plots use: setData, getData, setPen, opts["pen"]."""

    PAD_PX = 4.0   # the bounds' margin around the points, in pixels: half the pen and antialiasing

    def __init__(self, pen=None):
        super().__init__()
        self._x = self._y = np.zeros(0)
        self._rect = QRectF()
        self._bounds = QRectF()
        self.opts = {"pen": None}
        if pen is not None:
            self.setPen(pen)

    def setPen(self, pen) -> None:  # noqa: N802 - the PlotCurveItem call
        pen = pg.mkPen(pen)
        self.opts["pen"] = pen
        super().setPen(pen)

    def setData(self, x=(), y=()) -> None:  # noqa: N802 - the PlotCurveItem call
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        self._x, self._y = x, y
        xs, _ys, self._rect = _finite(x, y)
        if xs.size:
            whole = xs.size == x.size > 1   # (every point finite: one polyline)
            self.setPath(_polyline_path(x, y) if whole else pg.arrayToQPath(x, y, connect="finite"))
        else:
            self.setPath(QPainterPath())
        self._update_bounds()

    def getData(self):  # noqa: N802 - the PlotCurveItem call
        return self._x, self._y

    def paint(self, painter, option, widget=None):  # noqa: D102 - Qt override
        """On screen, a curve's 2-pixel line (a cosmetic pen 1.5 to 2.5 px wide, solid or
        dashed, not antialiased: the sensitivity curves) is drawn as four 1-pixel lines half a
        pixel around it, dashes as long as the wide pen's: Qt's raster engine draws a 1-pixel
        line with its fast line drawer and strokes a wider one as an outline first, nine times
        slower (85 against 9 us for a 201-point curve; 0.2-0.3 ms of a drag step's repaint).
        A solid line sets the same pixels but for about a tenth of them, along its edges; a
        dashed one, dashes as long, placed along the curve within a pixel or two
        (test_path_curve). Elsewhere (SVG, PDF, an exported image: no widget), and for
        any other pen, Qt's own stroke."""
        pen = self.pen()
        if (not THIN_LINES or widget is None or not 1.5 <= pen.widthF() <= 2.5 or not pen.isCosmetic()
                or pen.style() not in _THIN_STYLES
                or painter.testRenderHint(QPainter.RenderHint.Antialiasing)):
            super().paint(painter, option, widget)
            return
        thin = getattr(self, "_thin", None)
        if thin is None or thin[0] != pen:
            thin = self._thin = (QPen(pen), thin_pen(pen))
        t = painter.transform()
        painter.setPen(thin[1])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = self.path()
        for shift in _HALF_PIXEL:
            painter.setTransform(t * shift)
            painter.drawPath(path)
        painter.setTransform(t)

    def _update_bounds(self, *_args) -> None:
        """The points' box (a margin of PAD_PX pixels, within the view box once attached: a
        repaint of the curve never reaches the plot's neighbours): made when the data or the
        view's scale change."""
        self._keep_bounds(None if (self._rect.isNull() and not self._x.size) else self._rect)


THIN_LINES = True   # (test_path_curve switches it off to compare with Qt's own stroke)
_THIN_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine,
                Qt.PenStyle.DashDotLine, Qt.PenStyle.DashDotDotLine, Qt.PenStyle.CustomDashLine)


def thin_pen(pen: QPen) -> QPen:
    """The 1-pixel pen of PathCurve's four lines for a wide cosmetic `pen`: the same colour,
    and the same dashes in pixels (Qt measures a dash pattern in pen widths)."""
    one = QPen(pen)
    one.setWidthF(1.0)
    if pen.style() != Qt.PenStyle.SolidLine:
        # a wide pen's dash reaches past its ends by its caps (half the width each side, but
        # for flat caps), a 1-pixel pen's by half a pixel: the dashes longer by the difference
        w = pen.widthF()
        ext = 0.0 if pen.capStyle() == Qt.PenCapStyle.FlatCap else w - 1.0
        one.setDashPattern([d * w + (ext if i % 2 == 0 else -ext) for i, d in enumerate(pen.dashPattern())])
        one.setDashOffset(pen.dashOffset() * w)
    return one


_HALF_PIXEL = tuple(QTransform.fromTranslate(dx, dy) for dx, dy in ((-0.5, -0.5), (0.5, -0.5), (-0.5, 0.5), (0.5, 0.5)))


def _finite(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, QRectF]:
    """The points where both x and y are finite, and their box (null when there are none)."""
    ok = np.isfinite(x) & np.isfinite(y)
    xs, ys = x[ok], y[ok]
    if not xs.size:
        return xs, ys, QRectF()
    x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
    return xs, ys, QRectF(x0, y0, x1 - x0, y1 - y0)


def pairs(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Points taken two by two as separate segments (pyqtgraph's connect="pairs"), for a
    PathCurve: NaN after each pair."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = x.size // 2
    out_x, out_y = np.full(3 * n, np.nan), np.full(3 * n, np.nan)
    out_x[0::3], out_x[1::3] = x[0:2 * n:2], x[1:2 * n:2]
    out_y[0::3], out_y[1::3] = y[0:2 * n:2], y[1:2 * n:2]
    return out_x, out_y


def _polyline_path(x: np.ndarray, y: np.ndarray) -> QPainterPath:
    """The path through points that are all finite: one polygon filled in place from numpy
    (the path pg.arrayToQPath makes, in half its time)."""
    poly = pg.functions.create_qpolygonf(x.size)
    arr = pg.functions.ndarray_from_qpolygonf(poly)
    arr[:, 0] = x
    arr[:, 1] = y
    path = QPainterPath()
    path.addPolygon(poly)
    return path


class _Text(QGraphicsSimpleTextItem):
    """Simple text that answers QGraphicsTextItem's toPlainText (no Qt method overridden:
    nothing of it runs in Python while painting)."""

    def toPlainText(self) -> str:  # noqa: N802 - the QGraphicsTextItem call
        return self.text()


class LabelBox(QGraphicsRectItem):
    """A label at a data point: one line of text on a filled box, with a MARGIN of 4 px
    around the text, placed so that the point sits at `anchor` (fractions of the box's
    width and height, as pg.TextItem's anchor), drawn by Qt at a fixed pixel size.

    It keeps the pg.TextItem calls the plots make (setText, setAnchor, anchor, setColor,
    fill, textItem.toPlainText) without TextItem's Python paint, its transform update on
    every change of the view and its Python bounds (issue 15)."""

    MARGIN = 4.0

    def __init__(self, color=None, fill=None, anchor=(0.0, 0.0)):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.textItem = _Text(self)
        self.anchor = QPointF(*anchor)
        if fill is not None:
            self.fill = fill
        if color is not None:
            self.setColor(color)
        self._layout()

    @property
    def fill(self):
        return self.brush()

    @fill.setter
    def fill(self, brush) -> None:
        self.setBrush(pg.mkBrush(brush))

    def setColor(self, color) -> None:  # noqa: N802 - the pg.TextItem call
        self.textItem.setBrush(pg.mkBrush(color))

    def setText(self, text: str) -> None:  # noqa: N802 - the pg.TextItem call
        self.textItem.setText(text)
        self._layout()

    def setAnchor(self, anchor) -> None:  # noqa: N802 - the pg.TextItem call
        self.anchor = QPointF(*anchor)
        self._layout()

    def box_size(self) -> tuple[float, float]:
        """The box's width and height in pixels (the text and its margins)."""
        r = self.textItem.boundingRect()
        return r.width() + 2 * self.MARGIN, r.height() + 2 * self.MARGIN

    def scene_box(self) -> QRectF:
        """The box in scene coordinates (a pyqtgraph view's scene is in its pixels; Qt's own
        sceneBoundingRect does not apply ItemIgnoresTransformations)."""
        return self.rect().translated(self.scenePos())

    def _layout(self) -> None:
        w, h = self.box_size()
        x, y = -w * self.anchor.x(), -h * self.anchor.y()
        rect = QRectF(x, y, w, h)
        if rect != self.rect():
            self.setRect(rect)
            self.textItem.setPos(x + self.MARGIN, y + self.MARGIN)


class PlainLabel(LabelBox):
    """A label with no box and no margin around its text (the literature strip's material
    names), with the pg.TextItem calls made of it (setFont among them)."""

    MARGIN = 0.0

    def setFont(self, font) -> None:  # noqa: N802 - the pg.TextItem call
        self.textItem.setFont(font)
        self._layout()

    def font(self):
        return self.textItem.font()


_OPAQUE_RGB = QImage.Format.Format_RGB32
_PREMULTIPLIED = QImage.Format.Format_ARGB32_Premultiplied


class MapImage(pg.ImageItem):
    """pg.ImageItem whose rendered image is kept in a format the raster engine draws directly.

    pyqtgraph renders a colour-mapped image as an 8-bit indexed QImage; every repaint then
    converted and scaled it pixel by pixel through the indexed path (about 0.5 ms for the 60 x 60
    design map drawn at 350 x 420 px, against 0.06 ms for the same image in RGB32). The image
    is converted once per render: to RGB32 when every colour is opaque, else to premultiplied
    ARGB (a map with NaN cells, shown see-through). The same colours reach the screen."""

    def render(self):
        super().render()
        q = self.qimage
        if q is None or self._unrenderable:
            return
        # (an indexed image has an alpha channel when a colour of its table is not opaque)
        want = _PREMULTIPLIED if q.hasAlphaChannel() else _OPAQUE_RGB
        if q.format() != want:
            self.qimage = q.convertToFormat(want)


class Dots(_KeptBounds, _InView, QGraphicsPathItem):
    """Filled circles `size` pixels across at data points (the symbols of a line), as one path
    drawn by Qt, antialiased as pyqtgraph draws its symbols. A pg.PlotDataItem with symbols
    rebuilt a ScatterPlotItem on every setData and painted it in Python. The circles are made
    again when the points or the view's scale change."""

    def __init__(self, size: float, brush):
        super().__init__()
        self.size = float(size)
        self.PAD_PX = self.size / 2 + 2
        self._x = self._y = np.zeros(0)
        self._rect = QRectF()
        self._bounds = QRectF()
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setBrush(pg.mkBrush(brush))

    def setData(self, x=(), y=()) -> None:  # noqa: N802 - the PlotDataItem call
        self._x, self._y, self._rect = _finite(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        self._rebuild()

    def getData(self):  # noqa: N802 - the PlotDataItem call
        return self._x, self._y

    def _on_scale(self, *_args) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        path = QPainterPath()
        t = self.sceneTransform()
        rx = 0.5 * self.size / (abs(t.m11()) or 1.0)
        ry = 0.5 * self.size / (abs(t.m22()) or 1.0)
        for x, y in zip(self._x.tolist(), self._y.tolist()):
            path.addEllipse(QPointF(x, y), rx, ry)
        self.setPath(path)
        self._keep_bounds(self._rect if self._x.size else None)

    def paint(self, painter, option, widget=None):  # noqa: D102 - Qt override
        aa = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        super().paint(painter, option, widget)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, aa)


class SymbolLine:
    """A line with a symbol at every point (PathCurve + Dots), with the pg.PlotDataItem calls
    the stacking plots make: setData, getData, opts['symbol'] / opts['pen']."""

    def __init__(self, view_box, pen, symbol_size: float, symbol_brush):
        self.curve = PathCurve(pen)
        self.dots = Dots(symbol_size, symbol_brush)
        self.curve.attach(view_box)
        self.dots.attach(view_box)
        self.opts = {"pen": self.curve.opts["pen"], "symbol": "o", "symbolSize": symbol_size}

    def setData(self, x=(), y=()) -> None:  # noqa: N802 - the PlotDataItem call
        self.curve.setData(x, y)
        self.dots.setData(x, y)

    def getData(self):  # noqa: N802 - the PlotDataItem call
        return self.curve.getData()
