"""gui.plots.axis.Axis lays its ticks and labels out as pyqtgraph's AxisItem does (issue 15:
the faster layout must draw the same axis)."""
import itertools
from contextlib import contextmanager

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage, QPainter, QPicture

from gui.plots.axis import Axis, axes

SIDES = ("left", "bottom", "right", "top")
RANGES = [(0.0, 1.0), (-70.7, 571.2), (104.4, 506.3), (0.124, 4.076), (339.88, 404.45),
          (2.1, 152.9), (1e-6, 3e-6), (-1.0, -0.5), (9.999e4, 1.0001e5), (0.0, 0.0), (5.0, 1.0)]
SIZES = [(260, 150), (520, 300), (900, 420), (180, 90)]


def _pen(pen):
    return (pen.color().rgba(), pen.widthF(), pen.style(), pen.isCosmetic())


def _specs(specs):
    """The specs as plain tuples (points and rects by value, pens by what they draw with)."""
    if specs is None:
        return None
    (apen, a1, a2), ticks, texts = specs
    return ((_pen(apen), (a1.x(), a1.y()), (a2.x(), a2.y())),
            [(_pen(pen), (p1.x(), p1.y()), (p2.x(), p2.y())) for pen, p1, p2 in ticks],
            [((r.x(), r.y(), r.width(), r.height()), int(flags), text) for r, flags, text in texts])


@pytest.fixture
def plot(qtbot):
    win = pg.GraphicsLayoutWidget()
    qtbot.addWidget(win)
    item = win.addPlot(axisItems=axes(*SIDES))
    for side in SIDES:
        item.showAxis(side)
    win.show()
    qtbot.waitExposed(win)
    return win, item


@contextmanager
def _painter():
    """A painter on a picture, as AxisItem.paint gives generateDrawSpecs."""
    pic = QPicture()
    painter = QPainter(pic)
    try:
        yield painter
    finally:
        painter.end()


def _compare(item, side, painter):
    ax = item.getAxis(side)
    assert isinstance(ax, Axis)
    if ax.style["tickFont"] is not None:
        painter.setFont(ax.style["tickFont"])
    ours = _specs(ax.generateDrawSpecs(painter))
    theirs = _specs(pg.AxisItem.generateDrawSpecs(ax, painter))
    assert ours == theirs, (side, ax.range, ax.geometry())
    return ours


def test_same_specs_as_pyqtgraph(qtbot, plot):
    win, item = plot
    ticks_seen = texts_seen = 0
    with _painter() as painter:
        for (w, h), (lo, hi) in itertools.product(SIZES, RANGES):
            win.resize(w, h)
            qtbot.wait(1)
            item.vb.setRange(xRange=(lo, hi), yRange=(lo, hi), padding=0)
            item.vb.prepareForPaint()
            for side in SIDES:
                specs = _compare(item, side, painter)
                if specs is not None:
                    ticks_seen += len(specs[1])
                    texts_seen += len(specs[2])
    assert ticks_seen > 500 and texts_seen > 100   # the comparison saw real axes


def test_same_specs_with_a_tick_font_and_styles(qtbot, plot):
    """The app's axes set a tick font, tick text offsets and text pens."""
    from PySide6.QtGui import QFont
    win, item = plot
    font = QFont()
    font.setPointSizeF(7.5)
    for side in SIDES:
        item.getAxis(side).setStyle(tickFont=font, tickTextOffset=4, tickLength=-6)
        item.getAxis(side).setTextPen(pg.mkPen("#3060a0"))
    with _painter() as painter:
        for (lo, hi) in RANGES:
            item.vb.setRange(xRange=(lo, hi), yRange=(hi, hi + 3 * abs(hi - lo) + 1), padding=0)
            item.vb.prepareForPaint()
            for side in SIDES:
                _compare(item, side, painter)


def test_falls_back_to_pyqtgraph_for_a_grid(qtbot, plot):
    """With a grid (which our fast path does not lay out) pyqtgraph's own method runs."""
    win, item = plot
    item.showGrid(x=True, y=True, alpha=0.3)
    item.vb.setRange(xRange=(0, 10), yRange=(-5, 5), padding=0)
    item.vb.prepareForPaint()
    with _painter() as painter:
        for side in SIDES:
            _compare(item, side, painter)


def test_drawn_axis_pixels_equal_pyqtgraph(qtbot, plot):
    """The whole plot drawn with our axes and with pyqtgraph's layout: the same pixels."""
    win, item = plot
    win.resize(420, 260)
    item.vb.setRange(xRange=(-70.7, 571.2), yRange=(0.124, 4.076), padding=0)
    qtbot.wait(5)

    def grab(use_pyqtgraph: bool) -> QImage:
        for side in SIDES:
            ax = item.getAxis(side)
            if use_pyqtgraph:
                ax.generateDrawSpecs = lambda p, ax=ax: pg.AxisItem.generateDrawSpecs(ax, p)
            else:
                ax.__dict__.pop("generateDrawSpecs", None)
            ax.picture = None
            ax.update()
        return win.grab().toImage()

    ours, theirs = grab(False), grab(True)
    assert ours.size() == theirs.size()
    assert ours == theirs


def test_the_plots_show_the_axes_they_showed(plots_panel):
    """Giving PlotItem an axis item shows that axis: the plots pass only the sides they show
    (a top axis appeared over every plot when all four were given)."""
    import core
    panel = plots_panel
    panel.set_design(core.load_preset())

    def shown(plot):
        return {side for side in SIDES if plot.getAxis(side).isVisible()}
    for w in panel.sensitivity_panels:
        assert shown(w.plot) == {"left", "bottom", "right"}
        assert all(isinstance(w.plot.getAxis(s), Axis) for s in ("left", "bottom", "right"))
    assert shown(panel.design_map.plot) == {"left", "bottom"}
    bar = panel.design_map.bar   # the colour scale's axis follows the map's levels
    assert isinstance(bar.getAxis("right"), Axis) and bar.axis is bar.getAxis("right")
    assert bar.getAxis("right").isVisible() and list(bar.axis.range) == list(bar.levels())
    assert bar.levels() != (0, 1)
    for p in panel.stacking.plots.values():
        assert shown(p) == {"left", "bottom"}


def test_same_tick_values_as_pyqtgraph(qtbot, plot):
    """Axis.tickValues (plain Python) gives pyqtgraph's values, float for float, over many
    ranges (tiny, huge, negative, reversed, off-zero), lengths and scales."""
    _win, item = plot
    ax = item.getAxis("left")
    rng = __import__("numpy").random.default_rng(7)
    cases = list(RANGES) + [(float(a), float(a + w)) for a, w in
                            zip(rng.uniform(-1e3, 1e3, 200), 10.0 ** rng.uniform(-7, 5, 200))]
    compared = 0
    for (lo, hi), size, scale in itertools.product(cases, (37.0, 150.0, 271.5, 900.0), (1.0, 1e-3, 1e3)):
        ax.setScale(scale)
        ours = ax.tickValues(lo, hi, size)
        theirs = pg.AxisItem.tickValues(ax, lo, hi, size)
        assert [(s, list(v)) for s, v in ours] == [(s, list(v)) for s, v in theirs], (lo, hi, size, scale)
        compared += sum(len(v) for _s, v in ours)
    ax.setScale(1.0)
    assert compared > 10000


def test_kept_bounds_follow_geometry_and_style(qtbot):
    """Axis.boundingRect keeps pyqtgraph's answer per geometry and style: the same rectangle
    after a resize, a new tick length and a change of the overlapping-label margin."""
    import pyqtgraph as pg
    from PySide6.QtCore import QRectF
    from gui.plots.axis import Axis
    for orient in ("left", "right", "top", "bottom"):
        ax = Axis(orient)
        for geo, style in [((0, 0, 50, 200), {}), ((3, 4, 60, 180), {}), ((3, 4, 60, 180), {"tickLength": -8}),
                           ((3, 4, 60, 180), {"hideOverlappingLabels": True}), ((0, 0, 40, 40), {"hideOverlappingLabels": 7})]:
            ax.setGeometry(QRectF(*geo))
            if style:
                ax.setStyle(**style)
            assert ax.boundingRect() == pg.AxisItem.boundingRect(ax), (orient, geo, style)
            assert ax.boundingRect() == pg.AxisItem.boundingRect(ax)   # (the kept one)
