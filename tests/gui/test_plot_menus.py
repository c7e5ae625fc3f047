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
    assert len(widgets) == 12   # 4 sensitivity plots, the map, parallel vs bipolar, 6 block plots
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


def test_a_removed_plot_takes_its_pyqtgraph_menus_with_it(plots_window, qtbot):
    """pyqtgraph's "Plot Options" menus (no parent of their own) belong to the plot widgets:
    a plot removed from the panel takes them with it when Qt deletes it, not whenever the
    garbage collector frees the plot's wrapper."""
    import gc

    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent
    w = plots_window
    for view in w.findChildren(QGraphicsView):
        plots = [it for it in view.scene().items() if isinstance(it, pg.PlotItem)]
        assert plots
        assert all(p.ctrlMenu.parent() is not None for p in plots)
    panel = w.plots.sensitivity_panels[0]
    menus = [it.ctrlMenu for it in panel.graphics.scene().items() if isinstance(it, pg.PlotItem)]
    assert len(menus) == 2   # the plot and the literature strip above it
    gc.disable()
    try:
        w.plots.remove_panel(panel)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not any(shiboken6.isValid(m) for m in menus)   # deleted with the widget, no GC run
    finally:
        gc.enable()
