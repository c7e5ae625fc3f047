"""The plots panel wired into the main window as the lead engineer will wire it."""
from __future__ import annotations

import pytest

import core

main_window = pytest.importorskip("gui.main_window")


def test_goal_seek_round_trip_through_the_main_window(qtbot):
    from gui.plots import PlotsPanel
    win = main_window.MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(win)
    panel = PlotsPanel()
    index = win.add_panel("Plots", panel)
    win.panels.setCurrentIndex(index)   # the user looks at it
    win.sig_result_changed.connect(panel.set_design)
    panel.sig_apply_parameter.connect(win.apply_parameter)
    win.recompute()
    assert panel.design is win.current_design()
    panel.goal_seek.set_goal("separator.thickness_um", "stack_gravimetric_Wh_kg", 400)
    value = panel.goal_seek.value
    panel.goal_seek.apply()
    win.current_result()  # flush the pending recompute
    assert core.parameter_value(win.current_design(), "separator.thickness_um") == pytest.approx(value)
    assert win.current_result().stack_gravimetric_Wh_kg >= 400
    # the plots followed the edit: the separator marker sits at the applied value
    w = next(w for w in panel.sensitivity_panels if w.parameter == "separator.thickness_um")
    assert w.markers["Wh_kg"].getData()[0][0] == pytest.approx(value)
    win.undo_stack.undo()  # one undoable edit
    win.current_result()
    assert core.parameter_value(win.current_design(), "separator.thickness_um") == pytest.approx(30)
    assert w.markers["Wh_kg"].getData()[0][0] == pytest.approx(30)


def test_hidden_plots_wait_and_catch_up_when_shown(qtbot):
    """Plots on a tab the user is not looking at are not recomputed on every edit (that cost
    every edit ~30 ms); showing the tab brings them up to date with the current design."""
    win = main_window.MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(win)
    win.resize(1600, 900)
    win.show()
    qtbot.waitExposed(win)
    win.panels.setCurrentWidget(win.plots)
    w = next(w for w in win.plots.sensitivity_panels if w.parameter == "separator.thickness_um")
    assert w.markers["Wh_kg"].getData()[0][0] == pytest.approx(30)
    win.panels.setCurrentWidget(win.cross_section)
    calls = []
    w.update_plot = lambda *a, _orig=w.update_plot, **k: (calls.append(a), _orig(*a, **k))
    win.apply_parameter("separator.thickness_um", 20.0)
    win.current_result()
    assert calls == [] and w.markers["Wh_kg"].getData()[0][0] == pytest.approx(30)
    win.panels.setCurrentWidget(win.plots)
    assert len(calls) == 1 and w.markers["Wh_kg"].getData()[0][0] == pytest.approx(20)
    assert w.curves["Wh_kg"].getData()[1] == pytest.approx(
        core.sweep(win.current_design(), w.parameter, w.curves["Wh_kg"].getData()[0])["stack_gravimetric_Wh_kg"])
    win.undo_stack.setClean()  # closing asks about unsaved changes otherwise
