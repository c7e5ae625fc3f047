"""Goal seek reads a statement a sensitivity plot of the same edit judged (the same lever,
result, target and curve) instead of judging it again; it is the statement a fresh judgement
gives, and a new design, target or curve is judged anew."""
import core
from core import goalseek
from gui.plots import common as c


def test_goal_seek_reuses_the_plots_statement(plots_panel, monkeypatch):
    d0 = core.load_preset()
    plots_panel.set_design(d0, core.evaluate(d0))   # (the first design sets the plots up)
    d = core.with_parameter(d0, "cathode.loading_mg_cm2", 24.7)
    calls = []
    real = goalseek.statements
    monkeypatch.setattr(goalseek, "statements", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    plots_panel.set_design(d, core.evaluate(d))
    gs = plots_panel.goal_seek
    name = gs.param_combo.currentData()
    assert name in [w.parameter for w in plots_panel.sensitivity_panels]
    n_plots = len(plots_panel.sensitivity_panels)
    assert len(calls) == n_plots          # one judgement per plot; goal seek judged none
    key = gs.key_combo.currentData()
    c._SWEEPS["design"] = None            # forget: a fresh sweep and judgement
    fresh = c.judge(d, name, {key: gs.target_spin.value()}, core.parameter_value(d, name))[key]
    assert gs.statement == fresh
    # another target is judged anew
    calls.clear()
    gs.set_goal(target=gs.target_spin.value() + 17.0)
    assert len(calls) == 1
    # and a new design
    calls.clear()
    d2 = core.with_parameter(d, "cathode.loading_mg_cm2", 25.1)
    plots_panel.set_design(d2, core.evaluate(d2))
    assert len(calls) == n_plots + 1      # (goal seek's own target now differs from the plot's)
    c._SWEEPS["design"] = None
    assert gs.statement == c.judge(d2, name, {key: gs.target_spin.value()}, core.parameter_value(d2, name))[key]
