"""pyqtgraph's GraphicsWidget bounds are answered by Qt in C++ (gui.plots.items.
use_qt_widget_bounds): the same rectangle pyqtgraph computes, for every widget item the
window shows, on every page and plot tab."""
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsView, QGraphicsWidget


def test_widget_items_have_pyqtgraphs_bounds(plots_window, qtbot):
    w = plots_window
    assert pg.GraphicsWidget.boundingRect is QGraphicsWidget.boundingRect, "the Qt bounds are in use"
    seen = 0
    for i in range(w.panels.count()):
        w.panels.setCurrentIndex(i)
        qtbot.wait(20)
        tabs = getattr(w.panels.currentWidget(), "tabs", None)
        for j in range(tabs.count() if tabs is not None else 0):
            tabs.setCurrentIndex(j)
            qtbot.wait(20)
            for view in w.findChildren(QGraphicsView):
                for item in view.scene().items():
                    if not isinstance(item, pg.GraphicsWidget) or isinstance(item, pg.AxisItem):
                        continue
                    # pyqtgraph's own answer: the geometry mapped into the item (ViewBox: + 0.5 px)
                    expected = item.mapRectFromParent(item.geometry()).normalized()
                    if isinstance(item, pg.ViewBox):
                        expected = expected.adjusted(0, 0, 0.5, 0.5)
                    assert item.boundingRect() == expected, type(item).__name__
                    assert item.shape().boundingRect() == item.mapRectFromParent(item.geometry()).normalized()
                    seen += 1
    assert seen > 50, seen
