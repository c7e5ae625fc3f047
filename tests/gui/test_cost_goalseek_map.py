"""Materials cost per kWh in the plots (issue 13): the goal seek offers it as a maximum and
agrees with core.solve_for to 1e-9; the design map colours by it (the core.sweep2 grid, on a
log scale) and draws the cost target's isoline where the grid crosses it; the footer says
whether it is reached; the CSV has the column; a missing price or an undefined cost is said
in words, never as nan."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest

import core
from core.goalseek import statement
from gui.plots import PlotsPanel
from gui.plots import common as c
from gui.plots.design_map import COST

KEY = "cost_USD_kWh"


@pytest.fixture
def panel(qtbot):
    p = PlotsPanel()
    qtbot.addWidget(p)
    p.resize(1200, 800)
    d = core.load_preset()
    p.set_design(d, core.evaluate(d))
    return p


def _unpriced_design():
    raw = json.loads(core.io.design_json(core.load_preset()))
    raw["materials"] = {"MySSE": {"density_g_cm3": 2.0}}
    next(layer for layer in raw["unit_cell"] if layer["role"] == "separator")["material"] = "MySSE"
    return core.parse_design_text(json.dumps(raw))


# ------------------------------------------------------------------ goal seek
@pytest.mark.parametrize("name,target", [("anode.thickness_um", 360), ("separator.thickness_um", 400),
                                         ("cathode.areal_capacity_mAh_cm2", 300),
                                         ("anode.thickness_um", 90), ("cathode.density_g_cm3", 400),
                                         ("stacking.unit_cells", 400)])
def test_goal_seek_on_cost_agrees_with_solve_for(panel, name, target):
    d = panel.design
    gs = panel.goal_seek
    gs.set_goal(name, KEY, target)
    sol = core.solve_for(d, name, KEY, target)
    st = gs.statement
    assert st.lower and st.target == target
    assert st.kind == sol.statement.kind
    assert gs.solution.ok == sol.ok
    answer = gs.answer.text()
    assert "nan" not in answer.lower() and " inf" not in answer.lower()
    if sol.ok:
        assert st.value == pytest.approx(sol.value, rel=1e-9)
        assert st.at_least == sol.at_least
        assert gs.apply_btn.isEnabled()
        # the value applied still keeps the cost at or below the target
        v = core.evaluate(core.with_parameter(d, name, gs.value)).values[KEY]
        assert v <= target
        assert f"for ≤ {target:g} USD/kWh" in answer
        assert c.html_escape(c.solution_text(gs.solution, d)) in answer
    else:
        assert not gs.apply_btn.isEnabled()
        assert c.html_escape(c.statement_text(st, name, KEY, d)) in answer


def test_goal_seek_words_and_target_field(panel):
    gs = panel.goal_seek
    gs.set_goal("anode.thickness_um", KEY)
    # the plots' cost target is the starting point; the field says it is a maximum
    assert gs.target_spin.value() == panel.settings.target_USD_kWh == c.DEFAULT_COST_TARGET
    assert gs.target_spin.prefix() == "≤ " and gs.target_spin.suffix() == " USD/kWh"
    assert ("Materials cost ≤ 90 USD/kWh is out of reach by Li foil thickness alone: it is at least "
            "331 USD/kWh (at 0.1 µm) over 0.1–2000 µm") in gs.answer.text()
    gs.set_goal(target=360)
    assert "<b>Li foil thickness ≤ 30.7 µm for ≤ 360 USD/kWh</b>" in gs.answer.text()
    # back to an energy density: its own target and unit, not 360 Wh/kg; and back again
    gs.set_goal(result_key="stack_gravimetric_Wh_kg")
    assert gs.target_spin.value() == 400 and gs.target_spin.prefix() == ""
    assert gs.target_spin.suffix() == " Wh/kg"
    gs.set_goal(result_key=KEY)
    assert gs.target_spin.value() == 360
    gs.set_goal("cathode.density_g_cm3", KEY, 400)
    assert "met over the whole range of cathode composite density" in gs.answer.text()
    assert "it stays 369 USD/kWh" in gs.answer.text()


def test_goal_seek_default_follows_the_panel_cost_target(panel):
    panel.set_targets(400, 1000, 300)
    assert panel.settings.target_USD_kWh == 300
    panel.goal_seek.set_goal("separator.thickness_um", KEY)
    assert panel.goal_seek.target_spin.value() == 300
    panel.set_targets(400, 1000, None)
    assert panel.settings.target_USD_kWh is None
    # the goal seek still needs a target: the default one, as for Wh/kg and Wh/L
    assert panel.goal_seek.target_spin.value() == c.DEFAULT_COST_TARGET


def test_a_missing_price_is_named(panel):
    d = _unpriced_design()
    panel.set_design(d, core.evaluate(d))
    panel.goal_seek.set_goal("separator.thickness_um", KEY, 360)
    assert "No price for MySSE" in panel.goal_seek.answer.text()
    m = panel.design_map
    m.set_metric(COST)
    assert "No price for MySSE" in m.footer.text() and "nan" not in m.footer.text().lower()
    # a priced design has no such note
    d = core.load_preset()
    panel.set_design(d, core.evaluate(d))
    assert "No price" not in panel.goal_seek.answer.text() and "No price" not in m.footer.text()


def test_undefined_cost_gives_a_reason():
    x = np.linspace(1.0, 100.0, 11)
    st = statement(x, np.full(x.size, np.nan), 90.0, lower=True)
    text = c.statement_text(st, "separator.thickness_um", KEY)
    assert text == ("Materials cost is undefined over the whole range of separator thickness (1–100 µm): "
                    "there is no energy to divide the materials cost by")
    sol = c.to_solution(st, "separator.thickness_um", KEY)
    assert not sol.ok and "nan" not in sol.reason.lower()


# ------------------------------------------------------------------ design map
def _interp_on_grid(m, z, xs, ys):
    """The grid linearly interpolated along the grid edge each contour point lies on."""
    out = []
    for px, py in zip(xs, ys):
        j = np.nonzero(np.isclose(m.y, py, rtol=0, atol=1e-12 * max(1, abs(py))))[0]
        if j.size:
            out.append(np.interp(px, m.x, z[:, j[0]]))
            continue
        i = np.nonzero(np.isclose(m.x, px, rtol=0, atol=1e-12 * max(1, abs(px))))[0]
        assert i.size, (px, py)
        out.append(np.interp(py, m.y, z[i[0], :]))
    return np.array(out)


def test_map_coloured_by_cost_is_the_sweep2_grid(panel):
    m = panel.design_map
    m.set_metric(COST)
    assert m.metric_combo.currentText() == "USD/kWh"
    d = panel.design
    want = core.sweep2(d, m.p1, m.x, m.p2, m.y)[KEY].T
    assert m.z[KEY].shape == (m.x.size, m.y.size)
    np.testing.assert_allclose(m.z[KEY], want, rtol=1e-9)
    # drawn on a log scale (cost runs up steeply at thin cathodes); the bar says so
    np.testing.assert_array_equal(m.image.image, np.log10(m.z[KEY]))
    assert m.bar.getAxis("right").labelText == "Materials USD/kWh (log scale)"
    assert m.bar.colorMap() is m.cost_cmap
    lo, hi = m.bar.levels()
    ticks = m._bar_ticks[0]
    assert all(lo - 1e-9 <= t <= hi + 1e-9 for t, _s in ticks) and len(ticks) >= 3
    assert all(float(s) == pytest.approx(10 ** t, rel=1e-9) for t, s in ticks)
    # a point of the grid equals core.evaluate
    i, j = m.x.size // 3, m.y.size // 2
    one = core.with_parameter(core.with_parameter(d, m.p2, m.y[j]), m.p1, m.x[i])
    assert m.z[KEY][i, j] == pytest.approx(core.evaluate(one).values[KEY], rel=1e-9)
    # back to Wh/kg: its own map, linear, automatic ticks
    m.set_metric("Wh_kg")
    assert m.bar.colorMap() is m.cmap and m._bar_ticks is None
    np.testing.assert_array_equal(m.image.image, m.z[panel.settings.key("Wh_kg")])


def test_cost_isoline_lies_where_the_grid_crosses_the_target(panel):
    m = panel.design_map
    panel.set_targets(400, 1000, 300)
    iso = m.isos[COST]
    assert iso.level == 300
    xs, ys = iso.getData()
    ok = np.isfinite(xs)
    assert ok.sum() > 10
    z = m.z[KEY]
    along = _interp_on_grid(m, z, xs[ok], ys[ok])
    np.testing.assert_allclose(along, 300, rtol=1e-9)
    d = panel.design
    for k in np.linspace(0, ok.sum() - 1, 5).astype(int):
        one = core.with_parameter(core.with_parameter(d, m.p2, ys[ok][k]), m.p1, xs[ok][k])
        assert core.evaluate(one).values[KEY] == pytest.approx(300, rel=0.01)
    text = m.footer.text()
    assert "≤ 300 USD/kWh target" in text and "not reached" not in text


def test_footer_says_whether_the_cost_target_is_reached(panel):
    m = panel.design_map
    fin = m.z[KEY][np.isfinite(m.z[KEY])]
    assert fin.min() > 90   # the baseline's map: the 90 USD/kWh is out of reach here
    text = m.footer.text()
    assert f"≤ 90 USD/kWh target (not reached on this map: lowest {c.fmt(float(fin.min()))} USD/kWh)" in text
    assert m.isos[COST].level == 90 and m.isos[COST].getData()[0].size == 0
    # a map where every cell meets it
    m.set_parameters("anode.thickness_um", "separator.thickness_um")
    top = float(np.nanmax(m.z[KEY]))
    panel.set_targets(400, 1000, float(np.ceil(top) + 10))
    assert "USD/kWh target (met everywhere on this map)" in m.footer.text()
    # switched off: no line, no legend entry
    panel.set_targets(400, 1000, None)
    assert m.isos[COST].level is None and "USD/kWh" not in m.footer.text()


def test_map_csv_has_the_cost_column(panel, tmp_path):
    m = panel.design_map
    m.export_csv(tmp_path / "map.csv")
    with open(tmp_path / "map.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][-1] == "Materials cost (USD/kWh)"
    assert len(rows) - 1 == m.x.size * m.y.size
    col = np.array([float(r[-1]) for r in rows[1:]]).reshape(m.y.size, m.x.size).T
    np.testing.assert_allclose(col, m.z[KEY], rtol=1e-9)


def test_map_with_no_cost_anywhere_says_why(panel, monkeypatch):
    from gui.plots import design_map as dm
    real = dm.compute_grid

    def no_cost(*a, **k):
        z = dict(real(*a, **k))   # (compute_grid gives a read-only lazy mapping)
        z[KEY] = np.full_like(z[KEY], np.nan)
        return z

    monkeypatch.setattr(dm, "compute_grid", no_cost)
    m = panel.design_map
    m.redraw()   # coloured by Wh/kg
    assert "≤ 90 USD/kWh target (undefined on this map: there is no energy to divide the materials cost by)" \
        in m.footer.text()
    m.set_metric(COST)
    text = m.footer.text()
    assert "Materials cost per kWh is undefined over this map" in text and "nan" not in text.lower()


# ------------------------------------------------------------------ the panel's cost target
def test_panel_cost_target_field(panel):
    assert c.PlotSettings().target_USD_kWh == c.DEFAULT_COST_TARGET
    assert panel.cost_check.isChecked() and panel.cost_spin.value() == c.DEFAULT_COST_TARGET
    assert panel.cost_spin.prefix() == "≤ " and panel.cost_spin.suffix() == " USD/kWh"
    panel.cost_spin.setValue(250)
    assert panel.settings.target_USD_kWh == 250 and panel.design_map.isos[COST].level == 250
    panel.cost_check.setChecked(False)
    assert panel.settings.target_USD_kWh is None and panel.design_map.isos[COST].level is None
    # set_targets leaves the cost target alone unless it is given
    panel.cost_check.setChecked(True)
    panel.set_targets(450, 950)
    assert (panel.settings.target_Wh_kg, panel.settings.target_Wh_L, panel.settings.target_USD_kWh) == \
        (450, 950, 250)
    panel.reset_defaults()
    assert panel.settings.target_USD_kWh == c.DEFAULT_COST_TARGET


def test_a_long_footer_is_not_cut_off(qtbot):
    p = PlotsPanel()
    qtbot.addWidget(p)
    p.resize(1120, 768)
    p.show()
    qtbot.waitExposed(p)
    d = _unpriced_design()
    p.set_design(d, core.evaluate(d))
    p.set_targets(2000, 3000, 90)   # three targets out of reach and a missing price
    m = p.design_map
    qtbot.wait(20)
    f = m.footer
    assert "No price for MySSE" in f.text() and f.text().count("not reached on this map") == 3
    assert f.heightForWidth(f.width()) <= f.height()
    assert f.height() > 2 * f.fontMetrics().lineSpacing() + 2   # it grew past its two lines
    p.set_targets(400, 1000, None)
    qtbot.wait(20)
    assert f.height() == 2 * f.fontMetrics().lineSpacing() + 2   # and back


def test_goal_seek_target_shows_the_target_solved_for_after_an_uncommitted_text(qtbot):
    """A target typed but not committed (no Return, focus kept) is replaced when the next
    design is shown, even though the target solved for is the value the box held: the box
    shows what the answer is solved for (from a review of the skip of unchanged values)."""
    from gui.plots.goal_seek import GoalSeekWidget
    gs = GoalSeekWidget()
    qtbot.addWidget(gs)
    d = core.load_preset()
    gs.update_plot(d, core.evaluate(d), c.PlotSettings(target_Wh_kg=400.0), "separator.thickness_um")
    assert gs.target_spin.value() == 400.0
    gs.target_spin.lineEdit().setText("450")          # typed, not committed
    assert gs.target_spin.value() == 400.0
    d2 = core.with_parameter(d, "cathode.areal_capacity_mAh_cm2", 3.9)   # an edit elsewhere
    gs.update_plot(d2, core.evaluate(d2), c.PlotSettings(target_Wh_kg=400.0), "separator.thickness_um")
    assert gs.target_spin.value() == 400.0
    assert gs.target_spin.cleanText() == gs.target_spin.textFromValue(400.0)
