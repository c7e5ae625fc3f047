"""Every plot's right-click opens the plot's own menu (its exports, and on a sensitivity plot the
needed values to apply), never pyqtgraph's view-box menu: that one offered axis, mouse-mode and
range settings the plots manage themselves (the Wh/L view box of a sensitivity plot still had it)."""
import pyqtgraph as pg
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QGraphicsView, QToolButton


def test_no_view_box_offers_pyqtgraph_menus(plots_window):
    w = plots_window
    boxes = [it for v in w.findChildren(QGraphicsView) for it in v.scene().items() if isinstance(it, pg.ViewBox)]
    assert len(boxes) >= 10
    assert [b for b in boxes if b.menuEnabled()] == []


def test_right_click_opens_the_plot_menu(plots_window, qtbot):
    w = plots_window
    from gui.plots.block_base import BlockPlotWidget
    blocks = w.findChildren(BlockPlotWidget)
    widgets = list(w.plots.sensitivity_panels) + [w.plots.design_map, w.plots.stacking] + blocks
    assert len(widgets) >= 10
    for pw in widgets:
        button = getattr(pw, "menu_btn", None) or pw.export_btn
        menu = button.menu()
        view = pw.graphics
        center = view.viewport().rect().center()
        QApplication.sendEvent(view.viewport(), QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, center, view.viewport().mapToGlobal(center)))
        qtbot.waitUntil(menu.isVisible, timeout=2000)
        names = [a.objectName() for a in menu.actions()]
        assert "export_png" in names and "export_csv" in names, type(pw).__name__
        if pw in w.plots.sensitivity_panels:   # the needed values' entries are worded on opening
            assert any(a.text().startswith("Apply") for a in menu.actions()), pw.parameter
        menu.close()
        qtbot.waitUntil(lambda: not menu.isVisible(), timeout=2000)
