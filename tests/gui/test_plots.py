"""Plots panel: plotted data equals the core model, crossings equal core.solve_for, live updates
reuse the plot items, default levers by chemistry, goal seek, parallel vs bipolar."""
from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

import core
from core.model import PARAMETERS
from gui.plots import PlotsPanel
from gui.plots import common as c
from gui.plots.stacking import compare_designs

# Review baseline by hand (MODEL.md, preset file): NMC811 200 mAh/g x 0.85 at 26 mg/cm2,
# 3.80 V; per cm2 of cathode: separator 30 um x 2.69 g/cm3 over (102/100)^2, Li 40 um x 0.534,
# half of 12 um Al and of 8 um Cu (shared collectors).
Q_MAH_CM2 = 26 * 0.85 * 200 / 1000                       # 4.42
SEP_MG = 30 * 2.69 * 0.1 * 1.02 ** 2
REST_MG = 40 * 0.534 * 0.1 + 12 * 2.70 * 0.1 / 2 + 8 * 8.96 * 0.1 / 2
UNIT_CELL_WH_KG = Q_MAH_CM2 * 3.80 / (26 + SEP_MG + REST_MG) * 1000  # about 402


@pytest.fixture
def baseline():
    d = core.load_preset()
    return d, core.evaluate(d)


@pytest.fixture
def panel(qtbot):
    p = PlotsPanel()
    qtbot.addWidget(p)
    p.resize(1200, 800)
    return p


def show(design, panel):
    panel.set_design(design, core.evaluate(design))
    return {w.parameter: w for w in panel.sensitivity_panels}


def test_default_panels_and_targets_follow_the_chemistry(panel):
    expect = {
        "review-baseline-nmc811-li3incl6-li": ["cathode.areal_capacity_mAh_cm2", "separator.thickness_um",
                                               "anode.thickness_um", "anode.np_ratio"],
        "review-li-s-baseline": ["cathode.active_fraction", "cathode.loading_mg_cm2",
                                 "cathode.areal_capacity_mAh_cm2", "separator.thickness_um"],
        "graphite-nmc811-li6ps5cl": ["cathode.areal_capacity_mAh_cm2", "separator.thickness_um",
                                     "anode.np_ratio"],
        "silicon-nmc811-li6ps5cl": ["cathode.areal_capacity_mAh_cm2", "separator.thickness_um",
                                    "anode.np_ratio"],
        "anode-free-nmc811-li6ps5cl": ["cathode.areal_capacity_mAh_cm2", "separator.thickness_um",
                                       "stacking.unit_cells"],
    }
    for preset, params in expect.items():
        show(core.load_preset(preset), panel)
        assert [w.parameter for w in panel.sensitivity_panels] == params, preset
        li_s = preset == "review-li-s-baseline"
        assert panel.settings.target_Wh_kg == (500 if li_s else 400)
        assert panel.settings.target_Wh_L == 1000


@pytest.mark.parametrize("level", ["unit_cell", "stack", "pouch"])
def test_curves_equal_core_sweep_and_mark_the_design(panel, baseline, level):
    d, r = baseline
    panel.set_level(level)
    show(d, panel)
    lv = c.LEVELS[level]
    assert len(panel.sensitivity_panels) == 4
    for w in panel.sensitivity_panels:
        ref_cur = core.parameter_value(d, w.parameter, r)
        for m, key in (("Wh_kg", lv.gravimetric), ("Wh_L", lv.volumetric)):
            x, y = w.curves[m].getData()
            assert x.size >= 20
            assert x.min() <= ref_cur <= x.max()
            assert y == pytest.approx(core.sweep(d, w.parameter, x)[key], rel=1e-12)
            mx, my = w.markers[m].getData()
            assert (mx[0], my[0]) == (pytest.approx(ref_cur), pytest.approx(r.values[key]))
    if level == "unit_cell":  # the marker sits at the hand-computed unit-cell figure
        w = panel.sensitivity_panels[1]
        assert w.markers["Wh_kg"].getData()[1][0] == pytest.approx(UNIT_CELL_WH_KG, rel=1e-6)


def test_crossing_labels_equal_solve_for(panel, baseline):
    d, r = baseline
    panel.set_level("unit_cell")
    panels = show(d, panel)
    for w in panels.values():
        for m in c.METRICS:
            key = panel.settings.key(m)
            sol = core.solve_for(d, w.parameter, key, panel.settings.target(m))
            got = w.solutions[m]
            assert got.ok == sol.ok
            if sol.ok:
                assert got.value == pytest.approx(sol.value)
                assert c.html_escape(c.solution_text(sol, d)) in w.footer.text()
                lo, hi = w.current_range()
                if lo <= sol.value <= hi:
                    assert w.cross_labels[m].isVisible()
                    assert w.cross_labels[m].pos().x() == pytest.approx(sol.value)
                    assert w.cross_points[m].getData()[0][0] == pytest.approx(sol.value)
    # by hand: 3.80 V x 4.42 mAh/cm2 / (33.34 mg + t x 0.269 x 1.0404) = 0.4 Wh/g -> t = 30.9 um
    t_hand = (Q_MAH_CM2 * 3.80 / 0.400 - 26 - REST_MG) / (2.69 * 0.1 * 1.02 ** 2)
    sep = panels["separator.thickness_um"].solutions["Wh_kg"]
    assert sep.value == pytest.approx(t_hand, rel=2e-3)
    assert sep.at_least is False
    assert "Separator thickness <= 30.9 µm for 400 Wh/kg" in sep.describe()
    assert "≤ 30.9 µm" in panels["separator.thickness_um"].cross_labels["Wh_kg"].textItem.toPlainText()


def test_unreachable_target_says_so_and_targets_can_be_switched_off(panel, baseline):
    d, _r = baseline
    show(d, panel)
    panel.set_targets(2000, None)
    w = panel.sensitivity_panels[1]
    assert panel.settings.target_Wh_kg == 2000 and panel.settings.target_Wh_L is None
    assert not w.solutions["Wh_kg"].ok
    assert "out of reach" in w.footer.text()
    assert not w.cross_labels["Wh_kg"].isVisible()
    assert w.target_lines["Wh_kg"].value() == 2000
    assert not w.target_lines["Wh_L"].isVisible()
    assert w.solutions["Wh_L"] is None


def test_edit_updates_existing_items_with_setdata(panel, baseline):
    d, _r = baseline
    panels = show(d, panel)
    w = panels["separator.thickness_um"]
    items = (w.curves["Wh_kg"], w.markers["Wh_kg"], w.cross_labels["Wh_kg"], w.plot, w.vb2)
    n_items = len(w.plot.vb.addedItems)
    map_items = (panel.design_map.image, panel.design_map.isos["Wh_kg"], panel.design_map.marker)
    y_before = w.curves["Wh_kg"].getData()[1].copy()
    d2 = core.with_parameter(d, "cathode.loading_mg_cm2", 20.0)
    panel.set_design(d2, core.evaluate(d2))
    assert panel.sensitivity_panels[1] is w
    assert (w.curves["Wh_kg"], w.markers["Wh_kg"], w.cross_labels["Wh_kg"], w.plot, w.vb2) == items
    assert len(w.plot.vb.addedItems) == n_items
    assert (panel.design_map.image, panel.design_map.isos["Wh_kg"], panel.design_map.marker) == map_items
    x, y = w.curves["Wh_kg"].getData()
    assert not np.allclose(y, y_before)
    assert y == pytest.approx(core.sweep(d2, "separator.thickness_um", x)["stack_gravimetric_Wh_kg"])
    # the areal-capacity marker follows the edit: 20 mg/cm2 x 0.17 mAh/mg
    mx = panels["cathode.areal_capacity_mAh_cm2"].markers["Wh_kg"].getData()[0]
    assert mx[0] == pytest.approx(20 * 0.85 * 0.200)


def test_add_choose_range_and_remove_panels(panel, baseline):
    d, _r = baseline
    show(d, panel)
    w = panel.add_panel("cathode.loading_mg_cm2", 5, 40)
    x, y = w.curves["Wh_kg"].getData()
    assert (x[0], x[-1]) == (5, 40)
    assert y == pytest.approx(core.sweep(d, "cathode.loading_mg_cm2", x)["stack_gravimetric_Wh_kg"])
    # MODEL.md: over 5-40 mg/cm2 the stack crosses 400 Wh/kg near 4 mAh/cm2 (26 mg/cm2 here)
    assert w.solutions["Wh_kg"].value * 0.17 == pytest.approx(4.4, abs=0.3)
    msg = w.set_range(40, 5)
    assert "must be below" in msg and "40" in msg
    assert w.current_range() == (5, 40)
    assert "must be below" in w.footer.text()
    assert "within" in w.set_range(0.01, 10)  # below the parameter's allowed range
    w.combo.setCurrentIndex(w.combo.findData("separator.thickness_um"))
    assert w.parameter == "separator.thickness_um"
    x, y = w.curves["Wh_L"].getData()
    assert y == pytest.approx(core.sweep(d, "separator.thickness_um", x)["stack_volumetric_Wh_L"])
    n = len(panel.sensitivity_panels)
    panel.remove_panel(w)
    assert len(panel.sensitivity_panels) == n - 1
    with pytest.raises(ValueError, match="parameter"):
        panel.add_panel("separator.colour")
    panel.reset_defaults()
    assert len(panel.sensitivity_panels) == 4


def test_unavailable_parameter_and_invalid_design_do_not_crash(panel, baseline):
    d, _r = baseline
    show(d, panel)
    w = panel.add_panel("anode.thickness_um")  # a user's choice is kept across designs
    af = core.load_preset("anode-free-nmc811-li6ps5cl")
    show(af, panel)
    assert w in panel.sensitivity_panels
    assert "no anode" in w.footer.text()
    assert w.curves["Wh_kg"].getData()[0] is None or len(w.curves["Wh_kg"].getData()[0]) == 0
    bad = d.replace_layer(2, replace(d.unit_cell[2], thickness_um=-5.0))
    panel.set_design(bad, None)
    assert "unit_cell[2].thickness_um" in panel.status.text()
    assert "nan" not in panel.status.text().lower()


def test_goal_seek_emits_a_value_that_meets_the_target(panel, baseline, qtbot):
    from PySide6.QtCore import Qt
    d, _r = baseline
    show(d, panel)
    gs = panel.goal_seek
    gs.set_goal("separator.thickness_um", "stack_gravimetric_Wh_kg", 400)
    sol = core.solve_for(d, "separator.thickness_um", "stack_gravimetric_Wh_kg", 400)
    assert gs.apply_btn.isEnabled()
    assert c.html_escape(c.solution_text(sol, d)) in gs.answer.text()
    assert "Separator thickness ≤ 29.6 µm for 400 Wh/kg" in gs.answer.text()
    with qtbot.waitSignal(panel.sig_apply_parameter, timeout=1000) as blocker:
        qtbot.mouseClick(gs.apply_btn, Qt.MouseButton.LeftButton)
    name, value = blocker.args
    assert name == "separator.thickness_um"
    assert value == pytest.approx(sol.value, rel=1e-3)
    assert value <= sol.value  # "<=": rounded to the side that still reaches 400 Wh/kg
    assert core.evaluate(core.with_parameter(d, name, value)).stack_gravimetric_Wh_kg >= 400
    # an "at least" lever rounds up; an unreachable target cannot be applied
    gs.set_goal("cathode.areal_capacity_mAh_cm2", "unit_cell_volumetric_Wh_L", 1100)
    sol = core.solve_for(d, "cathode.areal_capacity_mAh_cm2", "unit_cell_volumetric_Wh_L", 1100)
    assert sol.at_least and gs.value >= sol.value
    assert gs.value == pytest.approx(sol.value, rel=1e-3)
    gs.set_goal(target=4000)
    assert not gs.apply_btn.isEnabled()
    assert "out of reach" in gs.answer.text()


def test_panel_menu_applies_a_crossing(panel, baseline, qtbot):
    d, _r = baseline
    panels = show(d, panel)
    w = panels["anode.thickness_um"]
    sol = w.solutions["Wh_kg"]
    assert sol.ok and sol.at_least is False
    w.apply_menu.aboutToShow.emit()   # (the entries are worded when the menu opens)
    act = w._apply_actions[0]
    assert w.apply_actions() == w._apply_actions
    with qtbot.waitSignal(panel.sig_apply_parameter, timeout=1000) as blocker:
        act.trigger()
    assert blocker.args[0] == "anode.thickness_um"
    assert blocker.args[1] == pytest.approx(sol.value, rel=1e-3)


def test_parallel_vs_bipolar(panel, baseline):
    d, _r = baseline
    panel.tabs.setCurrentWidget(panel.stacking)
    show(d, panel)
    st = panel.stacking
    par, bip, note = compare_designs(d)
    assert "10 µm SS plate" in note and "10 µm SS plate" in st.legend.text()
    assert bip.stacking.type == "bipolar" and bip.stacking.plate.material == "SS"
    for kind, dd in (("parallel", par), ("bipolar", bip)):
        x, y = st.curves[("Wh_kg", kind)].getData()
        assert y == pytest.approx(core.sweep(dd, "stacking.unit_cells", x)["stack_gravimetric_Wh_kg"])
    n = d.stacking.unit_cells
    # by hand at 20 cells: bipolar 20 x 3.80 V, parallel 20 x 4.42 mAh/cm2 x 100 cm2
    assert st.markers[("voltage_V", "bipolar")].getData()[1][0] == pytest.approx(n * 3.80)
    assert st.markers[("capacity_Ah", "parallel")].getData()[1][0] == pytest.approx(n * Q_MAH_CM2 * 100 / 1000)
    assert st.markers[("capacity_Ah", "bipolar")].getData()[1][0] == pytest.approx(Q_MAH_CM2 * 100 / 1000)
    # a design that has a plate keeps it
    b4 = core.load_preset("bipolar-4s-nmc811-li6ps5cl-li")
    _p, _b, note = compare_designs(b4)
    assert "assumed" not in note and "SS" in note


def test_hidden_tab_updates_when_shown(panel, baseline):
    d, _r = baseline
    show(d, panel)  # the sensitivity page is current: the stacking page waits
    assert panel.stacking.design is None
    panel.tabs.setCurrentWidget(panel.stacking)
    assert panel.stacking.design is d
    d2 = core.with_parameter(d, "stacking.unit_cells", 10.0)
    panel.set_design(d2, core.evaluate(d2))
    assert panel.stacking.markers[("voltage_V", "bipolar")].getData()[0][0] == 10


def test_literature_overlay_on_matching_axes(panel, baseline):
    d, _r = baseline
    panels = show(d, panel)
    w = panels["cathode.areal_capacity_mAh_cm2"]
    lo, hi = w.current_range()
    expect = sorted(r["areal_capacity_mAh_cm2"] for r in core.literature.table("electrodes")
                    if r["side"] == "positive" and lo <= r["areal_capacity_mAh_cm2"] <= hi)
    assert w.strip.shown and expect
    assert sorted(w.strip.points.getData()[0]) == pytest.approx(expect)
    tips = w.strip.points.tips()
    assert any("Nat. Energy 2022" in t for t in tips)  # ref. 16, LiCoO2 / NMC85 at 4 mAh/cm2
    labels = [t.textItem.toPlainText() for _x, t in w.strip.labels]
    assert any("NMC811" in s for s in labels)
    s = panels["separator.thickness_um"]
    lo, hi = s.current_range()
    ranges = [r for r in core.literature.table("membranes")
              if r["thickness_max_um"] > r["thickness_min_um"] and r["thickness_max_um"] >= lo
              and r["thickness_min_um"] <= hi]
    assert len(s.spans) == len(ranges) > 0
    assert sorted(sp.getRegion() for sp in s.spans) == sorted(
        (r["thickness_min_um"], r["thickness_max_um"]) for r in ranges)
    assert not panels["anode.np_ratio"].strip.shown


def test_apply_value_rounds_to_the_safe_side():
    sol = core.Solution("separator.thickness_um", "stack_gravimetric_Wh_kg", 400, 29.62687, at_least=False)
    assert c.apply_value(sol) == 29.62
    sol = core.Solution("cathode.areal_capacity_mAh_cm2", "stack_gravimetric_Wh_kg", 400, 4.44512, at_least=True)
    assert c.apply_value(sol) == 4.446
    sol = core.Solution("stacking.unit_cells", "stack_gravimetric_Wh_kg", 400, 5.0, at_least=True)
    assert c.apply_value(sol) == 5.0


def test_default_ranges_hold_the_design_value():
    d = core.load_preset()
    for name in core.available_parameters(d):
        cur = core.parameter_value(d, name)
        lo, hi = c.default_range(name, d, cur)
        p = PARAMETERS[name]
        assert p.lo <= lo < cur <= hi <= p.hi, name
        assert cur < hi or cur == p.max_value, name      # CE = 1 sits at its bound


def test_a_flat_curve_is_drawn_flat(panel):
    """Bi-cells with no spacer: stack Wh/kg does not depend on the count. The y axis must not blow
    the rounding noise (~1e-13) up into a zigzag over the whole panel."""
    d = core.load_preset("samsung-0.6Ah-bicell")
    w = show(d, panel)["stacking.unit_cells"]
    for m, vb in (("Wh_kg", w.plot.vb), ("Wh_L", w.vb2)):
        _x, y = w.curves[m].getData()
        assert np.ptp(y) < 1e-9 * abs(y.mean())
        y0, y1 = vb.viewRange()[1]
        assert y1 - y0 >= 0.05 * abs(y.mean())
        assert y0 < y.mean() < y1


def test_y_axis_holds_still_for_small_edits_and_follows_big_ones(panel, baseline):
    """Dragging a spin box must not make the scale jump; a curve that leaves the view rescales it."""
    d, _r = baseline
    w = show(d, panel)["separator.thickness_um"]
    before = w.plot.vb.viewRange()[1]
    show(core.with_parameter(d, "anode.thickness_um", 41.0), panel)
    assert w.plot.vb.viewRange()[1] == before
    show(core.with_parameter(d, "cathode.loading_mg_cm2", 8.0), panel)  # Wh/kg falls far
    y0, y1 = w.plot.vb.viewRange()[1]
    _x, y = w.curves["Wh_kg"].getData()
    assert (y0, y1) != before and y0 <= y.min() and y.max() <= y1


def test_footer_names_the_lever_as_its_axis_does(panel, baseline):
    """The Li foil panel's footer says 'Li foil thickness ≤ 38 µm', not 'Anode thickness <= ...'."""
    d, _r = baseline
    w = show(d, panel)["anode.thickness_um"]
    sol = w.solutions["Wh_kg"]
    text = w.footer.text()
    assert f"Li foil thickness ≤ {c.fmt(sol.value)} µm for 400 Wh/kg" in text
    assert "<=" not in text and "&lt;=" not in text


@pytest.mark.parametrize("preset", ["review-baseline-nmc811-li3incl6-li", "samsung-0.6Ah-bicell",
                                    "review-li-s-baseline"])
def test_crossing_labels_stay_inside_small_plots(qtbot, preset):
    """In cramped panels a 'needed value' label slides into the plot rather than being clipped."""
    p = PlotsPanel()
    qtbot.addWidget(p)
    p.resize(620, 560)   # plots about 180 x 90 px, as in a 1366 x 768 window
    p.show()
    qtbot.waitExposed(p)
    d = core.load_preset(preset)
    p.set_design(d, core.evaluate(d))
    qtbot.wait(10)
    checked = 0
    for w in p.sensitivity_panels:
        w._place_labels()
        view = w.plot.vb.sceneBoundingRect()
        for m in c.METRICS:
            label = w.cross_labels[m]
            if not label.isVisible():
                continue
            box = label.scene_box()
            assert view.adjusted(-1, -1, 1, 1).contains(box), (preset, w.parameter, m)
            checked += 1
    assert checked >= 2


def test_coloured_notes_stay_readable_in_the_dark_theme(qtbot, baseline):
    """Footers and legends carry colours picked for white; on a dark palette they are lightened
    (contrast), live when the theme changes, and back to the originals in the light theme."""
    from PySide6.QtGui import QColor, QPalette
    from gui.main_window import dark_palette, light_palette
    d, r = baseline
    p = PlotsPanel()
    qtbot.addWidget(p)
    p.set_design(d, r)
    w = p.sensitivity_panels[0]
    light_text = w.footer.text()
    assert f"color:{c.KG_COLOR}" in light_text
    p.setPalette(dark_palette())
    dark_text = w.footer.text()
    assert f"color:{c.KG_COLOR}" not in dark_text
    bg = dark_palette().color(QPalette.ColorRole.Window)
    for hex_color in re.findall(r"color:(#[0-9a-fA-F]{6})", dark_text):
        assert QColor(hex_color).lightness() - bg.lightness() > 100, hex_color   # plain contrast
    assert re.sub(r"color:#\w+", "", dark_text) == re.sub(r"color:#\w+", "", light_text)  # same words
    p.setPalette(light_palette())
    assert w.footer.text() == light_text


def test_panel_menu_has_no_stale_apply_entries(panel, baseline):
    """A plot that can no longer be drawn for the design offers none of the values it showed
    for the design before."""
    d, _r = baseline
    w = show(d, panel)["anode.thickness_um"]
    assert w.apply_actions()   # a needed Li thickness
    af = core.load_preset("anode-free-nmc811-li6ps5cl")
    w.update_plot(af, core.evaluate(af), panel.settings)   # no anode: nothing to plot
    assert w.message or "not available" in w.footer.text()
    assert w.apply_actions() == []


def test_literature_hover_points_fill_while_hovered(panel, baseline):
    """The strip's citation points are see-through until the pointer is over one (as
    pyqtgraph's hoverable scatter was), and say their citation in the tooltip."""
    from PySide6.QtWidgets import QGraphicsSceneHoverEvent
    from PySide6.QtCore import QEvent
    d, _r = baseline
    w = show(d, panel)["cathode.areal_capacity_mAh_cm2"]
    marker = next(m for m in w.strip.points.markers if m.isVisible())
    assert marker.acceptHoverEvents() and marker.brush().color().alpha() == 0
    marker.hoverEnterEvent(QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverEnter))
    assert marker.brush().color().name() == c.LIT_COLOR.lower()[:7] and marker.brush().color().alpha() > 0
    marker.hoverLeaveEvent(QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverLeave))
    assert marker.brush().color().alpha() == 0
    assert marker.tip_text() in w.strip.points.tips() and marker.tip_text()
