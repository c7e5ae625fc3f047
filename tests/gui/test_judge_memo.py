"""Goal seek reads a statement a sensitivity plot of the same edit judged (the same lever,
result, target and curve) instead of judging it again; it is the statement a fresh judgement
gives, and a new design, target or curve is judged anew. A plot whose curve an edit left as
it was (its lever's own value edited) is not judged again either, unless the current value
chose its statement (a target met at both ends of the range: the nearer end is named)."""
import numpy as np
import pytest

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
    # one judgement per plot whose curve changed (the areal capacity's does not: the loading
    # edited is its lever's value); goal seek judged none
    changed = [w.parameter for w in plots_panel.sensitivity_panels
               if c.lever_key(d, w.parameter) != c.lever_key(d0, w.parameter)]
    assert 0 < len(changed) < n_plots and "cathode.areal_capacity_mAh_cm2" not in changed
    assert len(calls) == len(changed)
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
    assert len(calls) == len(changed) + 1   # (goal seek's own target now differs from the plot's)
    c._SWEEPS["design"] = None
    assert gs.statement == c.judge(d2, name, {key: gs.target_spin.value()}, core.parameter_value(d2, name))[key]


def test_a_statement_the_current_value_chose_is_judged_again_for_another_value(monkeypatch):
    """Met at both ends (a hump below the target, here on made-up curves): the end nearer the
    current value is the needed value, so each current value gets its own statement; a
    statement that does not depend on it is given again for any current value."""
    x = np.linspace(0.0, 4.0, 41)
    hump = lambda t: 10 - (t - 2.0) ** 2  # noqa: E731 - at most 9 for |t - 2| >= 1
    calls = []

    def fake_judge(design, name, targets, current, x_, data, refined):
        calls.append(current)
        return {k: goalseek.statement(x, -hump(x) if k == "both" else hump(x), -t if k == "both" else t,
                                      refine=(lambda s: -hump(s)) if k == "both" else hump,
                                      current=current) for k, t in targets.items()}
    monkeypatch.setattr(c, "_judge", fake_judge)
    monkeypatch.setattr(c, "_SWEEPS", {"design": None, "data": {}})   # (nothing left behind)
    d = core.load_preset()
    name = "anode.np_ratio"
    c.remember_sweep(d, name, x, {}, {})
    first = c.judge(d, name, {"both": 9.0, "middle": 9.0}, 3.5)
    assert first["both"].kind == "threshold" and first["both"].value == pytest.approx(3.0, abs=1e-9)
    assert first["middle"].kind == "ranges"
    assert first["both"].chosen_by_current and not first["middle"].chosen_by_current
    assert calls == [3.5]
    again = c.judge(d, name, {"both": 9.0, "middle": 9.0}, 3.6)   # the nearer end is the same
    assert calls == [3.5, 3.6] and again["middle"] is first["middle"]
    other_end = c.judge(d, name, {"both": 9.0, "middle": 9.0}, 0.4)
    assert other_end["both"].value == pytest.approx(1.0, abs=1e-9) and not other_end["both"].at_least
    assert c.judge(d, name, {"both": 9.0}, 3.5)["both"] is first["both"]   # (kept for 3.5)
    assert calls == [3.5, 3.6, 0.4]
