"""Issue 15: an edit is drawn in one paint of the window, with every view up to date, and the
views repaint only what changed."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QGraphicsView

from gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("discard_on_close")


class Recorder(QObject):
    """Counts the events of some kinds per watched object and keeps the paint regions."""

    def __init__(self, kinds):
        super().__init__()
        self.kinds = set(kinds)
        self.seen: list[tuple[QObject, QEvent.Type, object]] = []

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt override
        if ev.type() in self.kinds:
            region = ev.region() if ev.type() == QEvent.Type.Paint else None
            self.seen.append((obj, ev.type(), region))
        return False

    def count(self, obj, kind) -> int:
        return sum(1 for o, k, _r in self.seen if o is obj and k == kind)


def _settle(qtbot, w, before):
    qtbot.waitUntil(lambda: w._result is not before, timeout=2000)
    qtbot.wait(30)


def test_an_edit_is_one_paint_of_the_window_with_every_plot_updated(plots_window, qtbot):
    w = plots_window
    views = [p.graphics for p in w.plots.sensitivity_panels]
    assert len(views) == 4 and all(v.isVisible() for v in views)
    rec = Recorder([QEvent.Type.UpdateRequest, QEvent.Type.Paint])
    w.installEventFilter(rec)
    for v in views:
        v.viewport().installEventFilter(rec)
    before = w._result
    w.layer_editor.film_thickness.setValue(w.layer_editor.film_thickness.value() + 3.0)
    _settle(qtbot, w, before)
    # one paint request of the window served the edit: the recalculation ran before it, and
    # the four plot scenes' changes were drawn in it (Qt's graphics view would otherwise ask
    # for a paint of the window per scene)
    assert rec.count(w, QEvent.Type.UpdateRequest) == 1
    for v in views:
        assert rec.count(v.viewport(), QEvent.Type.Paint) == 1
    # and what was painted is the new design
    x = w.current_design().unit_cell[w.current_design().index_of("separator")].thickness_um
    sep = next(p for p in w.plots.sensitivity_panels if p.parameter == "separator.thickness_um")
    assert sep.current == pytest.approx(x)


def test_the_layer_list_repaints_the_edited_row_only(plots_window, qtbot):
    w = plots_window
    view = w.layer_stack.view
    rec = Recorder([QEvent.Type.Paint])
    view.viewport().installEventFilter(rec)
    row = w.current_design().index_of("separator")
    rect = view.visualRect(w.layer_model.index(row))
    before = w._result
    w.layer_editor.film_thickness.setValue(w.layer_editor.film_thickness.value() + 3.0)
    _settle(qtbot, w, before)
    paints = [r for o, _k, r in rec.seen]
    assert paints, "the edited row was not repainted"
    for region in paints:   # the separator's row, not the whole list (QListView's re-layout)
        assert region.boundingRect().height() <= rect.height() + 2
        assert region.boundingRect().intersects(rect)


def test_views_added_to_the_window_later_are_in_the_one_paint(plots_window, qtbot):
    """A plot added while the app runs (Add plot) is part of the same single paint."""
    w = plots_window
    w.plots.add_panel("cathode.density_g_cm3")
    qtbot.wait(50)
    views = [p.graphics for p in w.plots.sensitivity_panels if p.isVisible()]
    assert len(w.plots.sensitivity_panels) == 5
    rec = Recorder([QEvent.Type.UpdateRequest])
    w.installEventFilter(rec)
    before = w._result
    w.layer_editor.film_thickness.setValue(w.layer_editor.film_thickness.value() + 2.0)
    _settle(qtbot, w, before)
    assert rec.count(w, QEvent.Type.UpdateRequest) == 1
    assert views and all(isinstance(v, QGraphicsView) for v in views)
    new = w.plots.sensitivity_panels[-1]
    assert new.design is w.current_design()


def test_a_section_out_of_sight_is_up_to_date_when_scrolled_to(plots_window, qtbot):
    """The results column updates the blocks in sight on an edit, and the others when they
    come into sight: what the user sees is always the current design's."""
    import core
    from gui.results_sections import fmt
    w = plots_window
    bar = w.results_scroll.verticalScrollBar()
    bar.setValue(0)
    qtbot.wait(20)
    cost = w.results.cost
    assert cost.visibleRegion().isEmpty()           # below the fold at 1366 x 768
    shown_before = cost.labels["cost_USD_kWh"].text()
    before = w._result
    w.layer_editor.film_thickness.setValue(w.layer_editor.film_thickness.value() + 20.0)
    _settle(qtbot, w, before)
    r = core.evaluate(w.current_design())
    expect = fmt(r.values["cost_USD_kWh"])
    assert expect != shown_before                    # the edit changes the figure
    assert w.results.states.labels  # in sight: up to date at once
    bar.setValue(bar.maximum())                      # scroll to the cost section
    qtbot.wait(20)
    assert not cost.visibleRegion().isEmpty()
    assert cost.labels["cost_USD_kWh"].text() == expect
    # and the literature table (further down) ranks the new design
    rows = w.results.literature.rows()
    mine = [row for row in rows if row[3]]
    assert mine and mine[0][1] == f"{r.values['gravimetric_Wh_kg']:.0f}"


def test_a_figure_of_the_same_width_lays_nothing_out(qtbot):
    """NumberLabel: a new text of the same size repaints the label only; a longer one
    re-sizes it, so the text is never clipped."""
    from PySide6.QtWidgets import QGridLayout, QWidget
    from gui.results_sections import NumberLabel
    host = QWidget()
    grid = QGridLayout(host)
    lab = NumberLabel("402")
    grid.addWidget(lab, 0, 0, NumberLabel.ALIGN)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    qtbot.wait(20)   # the layout of the first show settled
    rec = Recorder([QEvent.Type.LayoutRequest])
    host.installEventFilter(rec)
    lab.setText("377")
    qtbot.wait(20)
    assert rec.count(host, QEvent.Type.LayoutRequest) == 0
    lab.setText("12 377.5")
    qtbot.wait(20)
    assert rec.count(host, QEvent.Type.LayoutRequest) >= 1
    assert lab.width() >= lab.fontMetrics().horizontalAdvance("12 377.5")


def _pixels(image):
    import numpy as np
    from PySide6.QtGui import QImage
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    ptr = img.constBits()
    return np.frombuffer(ptr, dtype=np.uint8).reshape(img.height(), img.bytesPerLine())[:, :img.width() * 4].copy()


def test_what_is_on_screen_after_edits_is_a_fresh_drawing(plots_window, qtbot):
    """The partial repaints (only what changed) leave nothing stale behind: after edits that
    move every curve, marker and label, the window's pixels equal a drawing of it from
    scratch."""
    import random
    from PySide6.QtWidgets import QApplication
    w = plots_window
    rnd = random.Random(7)
    for k in range(24):
        if k == 8:   # a new size: the plots' scales change
            w.resize(1200, 700)
            qtbot.wait(40)
        if k == 16:  # a drag of the cathode loading: every plot, marker and label moves
            w.layer_stack.select_row(w.current_design().index_of("cathode"))
            qtbot.wait(20)
        if k < 16:
            sb, value = w.layer_editor.film_thickness, rnd.choice([10.0, 20.0, 25.0, 40.0, 60.0, 90.0])
        else:
            sb, value = w.layer_editor.amount_spin["loading_mg_cm2"], 24.0 + 0.37 * (k - 16)
        if value == sb.value():
            continue
        before = w._result
        sb.setValue(value)
        _settle(qtbot, w, before)
    on_screen = QApplication.primaryScreen().grabWindow(w.winId()).toImage()
    fresh = w.grab().toImage()
    a, b = _pixels(on_screen), _pixels(fresh)
    assert a.shape == b.shape
    assert (a != b).sum() == 0


def test_the_plots_panel_on_screen_after_edits_is_a_fresh_drawing(plots_panel, qtbot):
    """The same for the plots panel on its own (with the design map and goal seek): designs
    that move every curve, label, contour and the map's colour scale leave nothing stale."""
    import core
    from PySide6.QtWidgets import QApplication
    panel = plots_panel
    d = core.load_preset()
    for k in range(12):
        name, value = (("separator.thickness_um", 12.0 + 9.0 * k) if k % 2 else
                       ("cathode.areal_capacity_mAh_cm2", 2.5 + 0.4 * k))
        d2 = core.with_parameter(d, name, value)
        panel.set_design(d2, core.evaluate(d2))
        qtbot.wait(5)
    qtbot.wait(30)
    a = _pixels(QApplication.primaryScreen().grabWindow(panel.winId()).toImage())
    b = _pixels(panel.grab().toImage())
    assert a.shape == b.shape
    assert (a != b).sum() == 0


def test_fenced_lines_take_the_height_their_text_needs(plots_window, qtbot):
    """The word-wrapped lines in holders of their own (results column, layer editor) are as
    tall as their text needs at every width and follow a longer text: nothing is clipped."""
    from gui.fence import WrapFence
    w = plots_window
    fences = [f for f in w.findChildren(WrapFence) if f.isVisible()]
    assert len(fences) >= 5

    def check():
        for f in fences:
            if f.isVisible():
                need = f.label.heightForWidth(f.width())
                assert f.height() == need or (f.sticky and f.height() > need), f.label.text()[:60]
                assert f.label.geometry() == f.rect()
    check()
    for width in (1100, 1600, 1366):
        w.resize(width, 768)
        qtbot.wait(40)
        check()
    line = w.results.unit_cell_line
    h0 = line.parentWidget().height()
    line.setText(line.text() + " · and a sentence long enough to need another line of its own here")
    qtbot.wait(40)
    assert line.parentWidget().height() > h0
    check()


def test_an_edit_is_evaluated_once(plots_window, qtbot, monkeypatch):
    """The edit's check evaluates the new design; the recalculation after it uses that result
    (the same numbers as a fresh core.evaluate) instead of evaluating again."""
    import core
    w = plots_window
    calls = []
    real = core.evaluate
    monkeypatch.setattr(core, "evaluate", lambda d, *a, **k: calls.append(d) or real(d, *a, **k))
    before = w._result
    w.layer_editor.film_thickness.setValue(w.layer_editor.film_thickness.value() + 4.0)
    _settle(qtbot, w, before)
    assert len(calls) == 1
    assert w._result.values == real(w.current_design()).values


def test_membrane_points_do_not_depend_on_the_designs_own_separator(qtbot):
    """The membranes' points are kept while the separator's thickness or conductivity is
    edited: right because every point sets both (checked against a fresh computation)."""
    import numpy as np
    import core
    from gui.plots import common as c
    from gui.plots import membranes as mb
    d = core.load_preset()
    s = c.PlotSettings()
    ms = mb.membranes()
    base = mb._membrane_points(d, s, ms)
    for other in (core.with_parameter(d, mb.PARAMETER, 55.0),
                  core.with_parameter(d, mb.CONDUCTIVITY, 0.0123),
                  core.with_parameter(core.with_parameter(d, mb.PARAMETER, 12.0), mb.CONDUCTIVITY, 3e-4)):
        fresh = mb._membrane_points(other, s, ms)
        for m in c.METRICS:
            np.testing.assert_allclose(fresh[m], base[m], rtol=1e-12, equal_nan=True)
        kept = mb.membrane_points(other, s)
        for m in c.METRICS:
            np.testing.assert_allclose(kept[m], base[m], rtol=1e-12, equal_nan=True)
    # a change elsewhere moves them
    moved = mb.membrane_points(core.with_parameter(d, "cathode.areal_capacity_mAh_cm2", 2.0), s)
    assert not np.allclose(moved["Wh_kg"], base["Wh_kg"], equal_nan=True)


def test_labels_placed_again_sit_where_a_fresh_placement_puts_them(plots_window, qtbot):
    """Going back to a design drawn before reuses the crossing labels' anchors: the same
    anchors as scoring the candidates afresh."""
    w = plots_window
    sb = w.layer_editor.film_thickness
    v0 = sb.value()
    for v in (v0 + 5.0, v0, v0 + 5.0, v0):
        before = w._result
        sb.setValue(v)
        _settle(qtbot, w, before)
    for p in w.plots.sensitivity_panels:
        kept = {m: (lab.anchor.x(), lab.anchor.y()) for m, lab in p.cross_labels.items()}
        p._placed.clear()
        p._place_labels()
        fresh = {m: (lab.anchor.x(), lab.anchor.y()) for m, lab in p.cross_labels.items()}
        assert kept == fresh, p.parameter


def test_the_source_note_keeps_its_height_while_a_value_is_dragged_across_the_limit(plots_window, qtbot):
    """The note about departing from the source grows when the design departs and keeps that
    height when it agrees again (the figures below do not jump on every step of a drag); its
    text is always the current one; another design gives it its own height again."""
    import core
    w = plots_window
    note, fence = w.results.source_note, w.results.source_fence
    levels = w.results.level_labels[(0, 2)]
    sb = w.layer_editor.film_thickness

    def set_value(v):
        if sb.value() == v:
            return
        before = w._result
        sb.setValue(v)
        _settle(qtbot, w, before)

    set_value(30.0)
    assert "departs" not in note.text()
    short = fence.height()
    set_value(20.0)
    assert "departs" in note.text()
    tall = fence.height()
    assert tall > short
    y_levels = levels.mapTo(w.results, levels.rect().topLeft()).y()
    set_value(30.0)
    assert "departs" not in note.text()                 # the text follows the design
    assert fence.height() == tall                        # the height does not
    assert levels.mapTo(w.results, levels.rect().topLeft()).y() == y_levels
    assert note.height() >= note.heightForWidth(note.width())   # nothing clipped
    w.new_from_preset(core.DEFAULT_PRESET)                       # another document: released
    qtbot.wait(40)
    assert fence.height() == note.heightForWidth(fence.width()) or not note.isVisible()


def test_the_plots_panel_on_its_own_paints_once_per_design(plots_panel, qtbot):
    """Shown as a window of its own (as the plots benchmark does), the panel draws all its
    plots' changes in one paint too."""
    import core
    panel = plots_panel
    d = core.load_preset()
    for t in (None, 27.0):   # the first design makes the plots for its chemistry and lays them out
        d1 = d if t is None else core.with_parameter(d, "separator.thickness_um", t)
        panel.set_design(d1, core.evaluate(d1))
        qtbot.wait(150)
    rec = Recorder([QEvent.Type.UpdateRequest])
    panel.installEventFilter(rec)
    d2 = core.with_parameter(d, "separator.thickness_um", 41.0)
    panel.set_design(d2, core.evaluate(d2))
    qtbot.wait(150)
    assert rec.count(panel, QEvent.Type.UpdateRequest) == 1


def test_the_plots_panel_lays_nothing_out_above_its_holders_on_an_edit(plots_panel, qtbot):
    """The design map's legend and the goal-seek button change their text on every edit; in
    holders of their own, they do not re-lay the map, the goal seek or the panel out (and
    the panel repaints the changed widgets only: not its tab bar)."""
    import core
    from PySide6.QtWidgets import QApplication
    panel = plots_panel
    d = core.load_preset()
    panel.set_design(d, core.evaluate(d))
    qtbot.wait(200)
    rec = Recorder([QEvent.Type.LayoutRequest, QEvent.Type.Paint])
    app = QApplication.instance()
    heights = (panel.design_map.footer_box.height(), panel.goal_seek.answer_box.height())
    app.installEventFilter(rec)
    try:
        for q in (3.4, 4.1):   # the goal-seek value changes with the cathode's capacity
            before = panel.goal_seek.apply_btn.text()
            d2 = core.with_parameter(d, "cathode.areal_capacity_mAh_cm2", q)
            panel.set_design(d2, core.evaluate(d2))
            qtbot.wait(50)
            assert panel.goal_seek.apply_btn.text() != before
    finally:
        app.removeEventFilter(rec)
    # (a legend that needs another line grows its holder, and that is laid out: not here)
    assert (panel.design_map.footer_box.height(), panel.goal_seek.answer_box.height()) == heights
    for w in (panel, panel.design_map, panel.goal_seek, panel.tabs):
        assert rec.count(w, QEvent.Type.LayoutRequest) == 0, type(w).__name__
    assert rec.count(panel.tabs.tabBar(), QEvent.Type.Paint) == 0
    # the footer and the button still fill their holders
    assert panel.design_map.footer.geometry() == panel.design_map.footer_box.rect()
    btn = panel.goal_seek.apply_btn
    assert btn.geometry() == btn.parentWidget().rect() and btn.width() > 200


def test_a_drag_of_the_loading_lays_the_layer_editor_out_no_more(plots_window, qtbot):
    """The derived amounts (thickness, areal capacity) follow every step of a loading drag in
    figures that keep their size, and the component rows are not given their range and value
    again: the editor and its scroll area are not laid out again on each step."""
    from PySide6.QtWidgets import QApplication
    w = plots_window
    w.layer_stack.select_row(w.current_design().index_of("cathode"))
    qtbot.wait(30)
    ed = w.layer_editor
    spin = ed.amount_spin["loading_mg_cm2"]
    before = w._result
    spin.setValue(24.1)   # (a figure of another width, 75 -> 70.9 µm, re-sizes: not counted)
    _settle(qtbot, w, before)
    rec = Recorder([QEvent.Type.LayoutRequest, QEvent.Type.Paint])
    app = QApplication.instance()
    watched = [ed] + [r for r in ed._rows] + [r.spin for r in ed._rows]
    app.installEventFilter(rec)
    try:
        for v in (24.3, 24.9):
            before = w._result
            spin.setValue(v)
            _settle(qtbot, w, before)
            layer = w.current_design().unit_cell[w.current_design().index_of("cathode")]
            info = w._result.values
            assert ed.amount_derived["thickness_um"].text().startswith(f"{ed._info().thickness_um:.4g}")
            assert ed.amount_derived["areal_capacity_mAh_cm2"].text().startswith(
                f"{ed._info().areal_capacity_mAh_cm2:.4g}")
            assert layer.amount() == ("loading_mg_cm2", pytest.approx(v)) and info
    finally:
        app.removeEventFilter(rec)
    for obj in watched:
        assert rec.count(obj, QEvent.Type.LayoutRequest) == 0, type(obj).__name__
    for r in ed._rows:   # the fractions did not change: their boxes were not repainted
        assert rec.count(r.spin, QEvent.Type.Paint) == 0
        assert rec.count(r.spin.lineEdit(), QEvent.Type.Paint) == 0


def test_editors_on_hidden_tabs_catch_up_when_shown(plots_window, qtbot):
    """While the window is shown, an edit refreshes the editor in sight; the editors on the
    other tabs show the current design as soon as their tab is shown."""
    w = plots_window
    w.editor_tabs.setCurrentIndex(0)
    n = w.current_design().stacking.unit_cells + 2
    before = w._result
    w.apply_parameter("stacking.unit_cells", float(n))
    _settle(qtbot, w, before)
    assert w.current_design().stacking.unit_cells == n
    w.editor_tabs.setCurrentIndex(1)
    qtbot.wait(20)
    assert w.stacking_editor.count.value() == n
    assert w.stacking_editor not in w._stale_editors
    w.editor_tabs.setCurrentIndex(2)
    qtbot.wait(20)
    assert w.cell_editor not in w._stale_editors


def test_fenced_lines_fill_their_holders_in_a_second_window_after_a_theme_change(qtbot):
    """A label shown before its holder had sized it took its own size hint (one line of text,
    the rest cut off): seen in a second window opened after switching to the dark theme."""
    from PySide6.QtWidgets import QApplication
    from gui.fence import WrapFence
    from gui.main_window import apply_theme
    app = QApplication.instance()
    try:
        for dark in (False, True):
            apply_theme(app, dark)
            w = MainWindow(recalc_delay_ms=0)
            qtbot.addWidget(w)
            w.resize(1366, 768)
            w.show()
            qtbot.waitExposed(w)
            w.reset_layout()
            w.panels.setCurrentWidget(w.plots)
            w.layer_stack.select_row(1)
            for v in (27.0, 25.5):
                before = w._result
                w.layer_editor.amount_spin["loading_mg_cm2"].setValue(v)
                _settle(qtbot, w, before)
            if not dark:
                bar = w.results_scroll.verticalScrollBar()
                bar.setValue(bar.maximum())
                qtbot.wait(20)
                bar.setValue(0)
                qtbot.wait(20)
            for f in w.findChildren(WrapFence):
                if f.isVisible():
                    assert f.label.geometry() == f.rect(), (dark, f.label.text()[:50])
            w.undo_stack.setClean()
            w.close()
    finally:
        apply_theme(app, False)


def test_a_view_that_fails_while_updating_does_not_stop_the_window_painting(plots_window, qtbot, monkeypatch):
    """The recalculation runs at the window's paint request: an error in a view's update is
    reported (as any error is) and the window still paints, then and afterwards."""
    import sys
    w = plots_window
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: seen.append(a[1]))
    real = w.results.set_result
    monkeypatch.setattr(w.results, "set_result", lambda *a: (_ for _ in ()).throw(RuntimeError("broken view")))
    rec = Recorder([QEvent.Type.Paint])
    view = w.plots.sensitivity_panels[0].graphics.viewport()
    view.installEventFilter(rec)
    w.layer_editor.film_thickness.setValue(w.layer_editor.film_thickness.value() + 1.0)
    qtbot.wait(100)
    assert any("broken view" in str(e) for e in seen)
    monkeypatch.setattr(w.results, "set_result", real)
    n = len(rec.seen)
    before = w._result
    w.layer_editor.film_thickness.setValue(w.layer_editor.film_thickness.value() + 1.0)
    _settle(qtbot, w, before)
    assert len(rec.seen) > n    # still painting


def test_set_spin_leaves_a_box_alone_only_when_it_shows_the_value(qtbot):
    """set_spin: the same value, shown, is not set again (no repaint); a text typed and not
    committed, or a value the box rounds differently, is replaced by the value."""
    from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox
    from gui.editors import set_spin, shows
    sb = QDoubleSpinBox()
    sb.setDecimals(2)
    sb.setRange(0, 100)
    qtbot.addWidget(sb)
    set_spin(sb, 25.5)
    assert sb.value() == 25.5 and shows(sb, 25.5) and shows(sb, 25.501)
    sb.lineEdit().setText("31")                 # typed, not committed
    assert not shows(sb, 25.5)
    set_spin(sb, 25.5)
    assert sb.cleanText() == sb.textFromValue(25.5)
    set_spin(sb, 25.56)
    assert sb.value() == 25.56
    assert not shows(sb, 250.0)                  # outside the range: set (and clamped) as before
    ib = QSpinBox()
    ib.setRange(1, 99)
    qtbot.addWidget(ib)
    set_spin(ib, 20)
    assert shows(ib, 20) and not shows(ib, 20.0) and ib.value() == 20


def test_the_map_legend_fits_its_text_and_is_measured_again_only_when_more_than_digits_change(plots_panel, qtbot):
    """The design map's legend ("not reached on this map: highest 512 Wh/kg") is measured for
    its height when its text changes by more than digits; its holder always has the height a
    fresh measure gives."""
    import math

    import core
    from PySide6.QtGui import QTextDocument
    panel = plots_panel
    dm = panel.design_map
    panel.set_targets(900.0, 3000.0)          # out of reach on the map: the legend has figures
    d = core.load_preset()
    panel.set_design(d, core.evaluate(d))
    qtbot.wait(100)
    measured = []

    class Counting(QTextDocument):
        def setHtml(self, html):  # noqa: N802 - Qt override
            measured.append(html)
            super().setHtml(html)
    dm._footer_doc = Counting()
    dm._footer_doc.setDocumentMargin(0)
    texts = []
    for i in range(12):
        # (not one of the map's two levers: the grid, and the highest value on it, change)
        d2 = core.with_parameter(d, "anode.thickness_um", 30.0 + 1.7 * i)
        assert "anode.thickness_um" not in (dm.p1, dm.p2)
        panel.set_design(d2, core.evaluate(d2))
        qtbot.wait(20)
        texts.append(dm.footer.text())
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(dm.footer.font())
        doc.setHtml(dm.footer.text())
        doc.setTextWidth(dm.footer.width())
        assert dm.footer_box.height() == max(dm._footer_min_h, math.ceil(doc.size().height()) + 2)
    assert "highest" in texts[-1]
    changed = sum(a != b for a, b in zip(texts, texts[1:]))
    assert changed >= 8                       # the figures changed on (nearly) every step
    assert len(measured) < changed            # digits-only changes were not measured again
