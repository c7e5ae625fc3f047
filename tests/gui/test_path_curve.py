"""gui.plots.items.PathCurve makes the path pyqtgraph's arrayToQPath makes (connect="finite"),
point for point, through its faster route for all-finite data and pyqtgraph's for gaps."""
import numpy as np
import pyqtgraph as pg

from gui.plots.items import PathCurve


def _elements(path):
    return [(path.elementAt(i).x, path.elementAt(i).y, path.elementAt(i).type)
            for i in range(path.elementCount())]


def test_path_curve_path_equals_pyqtgraph(qapp):
    rng = np.random.default_rng(0)
    curve = PathCurve(pg.mkPen("b"))
    checked = 0
    for n in (0, 1, 2, 3, 201, 1002):
        for gaps in (False, True):
            x = np.sort(rng.uniform(-1e3, 1e3, n))
            y = rng.normal(size=n) * 1e2
            if gaps and n > 3:
                y[n // 3] = np.nan
                x[n // 2] = np.inf
            curve.setData(x, y)
            ref = pg.arrayToQPath(x, y, connect="finite") if n else None
            got = _elements(curve.path())
            assert got == (_elements(ref) if ref is not None else []), (n, gaps)
            checked += len(got)
    assert checked > 2000


def _draw_curve(x, y, pen, thin: bool):
    """A PathCurve in a scene drawn as on screen (a widget given: the four thin lines when
    `thin`) into an image; returns the set pixels."""
    import numpy as np
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QGraphicsScene, QStyleOptionGraphicsItem, QWidget
    from gui.plots import items
    curve = items.PathCurve(pen)
    curve.setData(x, y)
    img = QImage(330, 240, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0xffffffff)
    p = QPainter(img)
    old = items.THIN_LINES
    items.THIN_LINES = thin
    try:
        host = QWidget()
        curve.paint(p, QStyleOptionGraphicsItem(), host)
    finally:
        items.THIN_LINES = old
        p.end()
    return np.frombuffer(img.constBits(), np.uint32).reshape(240, 330) != 0xffffffff


def test_wide_curve_as_thin_lines_has_the_strokes_pixels(qtbot):
    """A 2.2 px cosmetic curve drawn as four 1-px lines sets the pixels Qt's stroke sets, but
    for a few at the edges; dashed: about as many pixels (dashes of the same length)."""
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    rng = np.random.default_rng(3)
    ratios = []
    for k in range(12):
        x = np.linspace(10, 320, int(rng.integers(20, 400)))
        # smooth, as the model's curves are, with a kink (a limit reached) in some
        y = 120 + rng.uniform(5, 100) * np.sin(x / rng.uniform(15, 80)) + (k % 3) * np.abs(x - 160) * 0.3
        solid = pg.mkPen("#1f77b4", width=2.2)
        a, b = _draw_curve(x, y, solid, False), _draw_curve(x, y, solid, True)
        ratios.append((a ^ b).sum() / a.sum())
        assert (a ^ b).sum() <= 0.15 * a.sum(), k
        assert abs(int(a.sum()) - int(b.sum())) <= 0.05 * a.sum(), k
        dashed = pg.mkPen("#d62728", width=2.2, style=Qt.PenStyle.DashLine)
        a, b = _draw_curve(x, y, dashed, False), _draw_curve(x, y, dashed, True)
        assert abs(int(a.sum()) - int(b.sum())) <= 0.1 * a.sum(), k
    print('edge pixels differing, share of the stroke:', [round(float(r), 3) for r in ratios])


def test_export_and_other_pens_keep_qts_stroke(qtbot):
    """No widget (SVG, PDF, an exported image) or a pen outside 1.5-2.5 px: Qt's own stroke."""
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QGraphicsPathItem, QStyleOptionGraphicsItem
    from gui.plots import items
    x = np.linspace(10, 320, 201)
    y = 120 + 80 * np.sin(x / 25)
    for pen, widget in ((pg.mkPen("#1f77b4", width=2.2), None), (pg.mkPen("#1f77b4", width=4.0), True)):
        curve = items.PathCurve(pen)
        curve.setData(x, y)
        imgs = []
        for paint in (items.PathCurve.paint, QGraphicsPathItem.paint):
            img = QImage(330, 240, QImage.Format.Format_ARGB32_Premultiplied)
            img.fill(0xffffffff)
            p = QPainter(img)
            from PySide6.QtWidgets import QWidget
            host = QWidget() if widget else None
            paint(curve, p, QStyleOptionGraphicsItem(), host)
            p.end()
            imgs.append(img)
        assert imgs[0] == imgs[1]
