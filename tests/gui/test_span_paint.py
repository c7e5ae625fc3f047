"""gui.plots.items.SpanRect draws its translucent band as an image on whole pixels (issue 15):
the same pixels as Qt's own fill of the rectangle, on screen and in images; Qt's own fill
(a vector rectangle) in an SVG."""
import random

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QTransform
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene, QStyleOptionGraphicsItem

from gui.plots.items import SpanRect

COLOR = QColor(63, 127, 53, 22)


def _render(item, transform: QTransform, clip: QRectF | None) -> QImage:
    img = QImage(300, 250, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0xFFF0F4FA)
    p = QPainter(img)
    if clip is not None:
        p.setClipRect(clip)
    p.setTransform(transform)
    item.paint(p, QStyleOptionGraphicsItem(), None)
    p.end()
    return img


def test_span_pixels_equal_qt_fill(qapp):
    rng = random.Random(5)
    span = SpanRect(0.0, 1.0, COLOR)
    ref = QGraphicsRectItem()
    ref.setPen(QPen(pg.mkPen(None)))
    ref.setBrush(QBrush(COLOR))
    for k in range(400):
        rect = QRectF(rng.uniform(-5, 10), rng.uniform(-30, 5), rng.uniform(0.01, 5), rng.uniform(1, 60))
        if k % 4 == 0:   # edges on half pixels: rounded as the rasteriser rounds them
            rect = QRectF(rng.randint(0, 150) + 0.5, rng.randint(0, 150) + 0.5, rng.randint(1, 40) + 0.5, 20.5)
            tr = QTransform()
        else:
            tr = QTransform(rng.uniform(0.5, 40), 0, 0, -rng.uniform(0.5, 40), rng.uniform(0, 100), rng.uniform(100, 240))
        clip = None if k % 3 == 0 else QRectF(rng.uniform(20, 60.5), rng.uniform(20, 60.5),
                                              rng.uniform(100, 200.5), rng.uniform(100, 170.5))
        span.setRect(rect)
        ref.setRect(rect)
        assert _render(span, tr, clip) == _render(ref, tr, clip), (rect, tr, clip)


def test_span_in_svg_is_a_vector_rectangle(qapp):
    span = SpanRect(0.0, 1.0, COLOR)
    span.setRect(QRectF(10, 10, 40, 80))
    scene = QGraphicsScene()
    scene.addItem(span)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(QSize(100, 100))
    p = QPainter(gen)
    scene.render(p, QRectF(0, 0, 100, 100), QRectF(0, 0, 100, 100))
    p.end()
    svg = bytes(data).decode()
    assert "<image" not in svg and ("<rect" in svg or "<path" in svg)


def test_span_far_beyond_the_pixels_falls_back_quietly(qapp, capfd):
    """A band 1e12 px wide (an extreme zoom) is left to Qt's own fill: the same pixels as
    Qt's, no integer overflow, no crash."""
    span = SpanRect(0.0, 1.0, COLOR)
    ref = QGraphicsRectItem()
    ref.setPen(QPen(pg.mkPen(None)))
    ref.setBrush(QBrush(COLOR))
    for rect in (QRectF(-1e6, -5.0, 2e6, 10.0), QRectF(0.5, -1e9, 1.0, 2e9)):
        span.setRect(rect)
        ref.setRect(rect)
        tr = QTransform(1e6, 0, 0, -10.0, 150, 125)
        assert _render(span, tr, QRectF(20, 20, 200, 150)) == _render(ref, tr, QRectF(20, 20, 200, 150))
    assert "Overflow" not in capfd.readouterr().err
