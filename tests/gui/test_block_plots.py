"""The plots of the optional blocks (issues 10-13): each curve is core.sweep's, the band is
monte_carlo's, the confidence tab's share is share_meeting's, and the tolerances editor
edits through the undo stack."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import core
from core.design import Fixture, Lithium, Operation, Tolerance
from core.model import UNCERTAIN_KEYS, monte_carlo, ragone
from gui.plots import common as c
from gui.plots.bands import band
from gui.plots.life import CycleLifePlot, RequiredFoilPlot, plot_design
from gui.plots.membranes import membrane_points, membranes
from gui.plots.pressure import CELLS, PressurePlotWidget, pressure_design
from gui.plots.ragone import RagonePlotWidget
from gui.plots.sensitivity import SensitivityPlotWidget
from gui.plots.uncertainty import ConfidencePanel, share_text

TOL = 1e-9


@pytest.fixture
def base():
    d = core.load_preset(core.DEFAULT_PRESET)
    return replace(d, lithium=Lithium(0.97, 0.9995, 0.8, 1000), operation=Operation(c_rate=1.0))


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=TOL, atol=0, equal_nan=True)


@pytest.mark.parametrize("preset", [core.DEFAULT_PRESET, "anode-free-nmc811-li6ps5cl"])
def test_life_curves_are_core_sweep(qtbot, preset):
    d = core.load_preset(preset)
    w1, w2 = RequiredFoilPlot(), CycleLifePlot()
    for w in (w1, w2):
        qtbot.addWidget(w)
        w.update_plot(d, core.evaluate(d), c.PlotSettings())
    used, notes = plot_design(d)
    li = d.lithium
    assumed = li is None or li.coulombic_efficiency >= 1 or not li.cycle_target
    assert bool(notes) == assumed  # a preset that sets no CE or target: the plots say what they assume
    assert w1.used_design == used
    close(w1.y, core.sweep(used, "lithium.coulombic_efficiency", w1.x)["required_li_foil_um"])
    x, y = w1.curve.getData()
    close(y, w1.y)
    if d.layer("anode") is not None:
        close(w2.y, core.sweep(used, "anode.thickness_um", w2.x)["cycle_life"])
    else:
        assert w2.x.size == 0   # anode-free: no foil to vary, said in the note
    assert "Lithium over life" in w1.footer.toolTip()


def test_required_foil_is_zero_for_anode_free_above_the_ce_that_meets_the_target(qtbot):
    d = core.load_preset("anode-free-nmc811-li6ps5cl")
    w = RequiredFoilPlot()
    qtbot.addWidget(w)
    w.update_plot(d, core.evaluate(d), c.PlotSettings())
    ce_need = 0.8 ** (1 / 1000)   # MODEL.md step 8: R0 = 0, rho^(1/n_t)
    assert np.all(w.y[w.x > ce_need + 1e-7] == 0) and np.all(w.y[w.x < ce_need - 1e-7] > 0)
    assert "99.978" in w.footer.text()


@pytest.mark.parametrize("fixture", [None, Fixture(pressure_MPa=2.0, cells_per_fixture=10)])
def test_pressure_curves_are_core_sweep(qtbot, base, fixture):
    d = replace(base, fixture=fixture)
    w = PressurePlotWidget()
    qtbot.addWidget(w)
    w.update_plot(d, core.evaluate(d), c.PlotSettings())
    for m in CELLS:
        s = core.sweep(pressure_design(d, m), "fixture.pressure_MPa", w.x)
        close(w.y[m]["Wh_kg"], s["system_gravimetric_Wh_kg"])
        close(w.y[m]["Wh_L"], s["system_volumetric_Wh_L"])
        assert w.used_designs[m].fixture.cells_per_fixture == m
    assert w.x[0] == pytest.approx(0.1) and w.x[-1] == pytest.approx(50)
    assert ("default" in w.footer.text()) == (fixture is None)
    assert "Doux" in " ".join(lit.source for lit in __import__("gui.plots.pressure", fromlist=["x"]).LITERATURE)


def test_ragone_curves_are_core_ragone(qtbot, base):
    w = RagonePlotWidget()
    qtbot.addWidget(w)
    others = [(n, core.load_preset(n)) for n in core.preset_names()[:3]]
    w.set_designs([("this", base)] + others)
    for (name, d), raw in zip(w.designs, w.data):
        ref = ragone(d)
        close(raw["Wh_kg"], ref["Wh_kg"])
        close(raw["W_kg"], ref["W_kg"])
    assert "ohmic" in w.footer.toolTip()


def test_membrane_points_are_the_model_at_each_membranes_thickness_and_conductivity(base):
    s = c.PlotSettings(level="stack")
    pts = membrane_points(base, s)
    assert pts is not None and len(pts["membranes"]) == len(membranes()) > 3
    for i, m in enumerate(pts["membranes"]):
        d = core.with_parameter(core.with_parameter(base, "separator.thickness_um", m.thickness_um),
                                "separator.ionic_conductivity_S_cm", m.sigma_S_cm)
        r = core.evaluate(d).values
        assert pts["Wh_kg"][i] == pytest.approx(
            r["stack_gravimetric_Wh_kg"] * r["gravimetric_Wh_kg_at_rate"] / r["gravimetric_Wh_kg"], rel=TOL)
        assert pts["asr_separator"][i] == pytest.approx(m.thickness_um * 1e-4 / m.sigma_S_cm, rel=TOL)


def test_band_is_monte_carlo_at_the_design_value_and_absent_without_other_tolerances(base):
    d = replace(base, tolerances=(Tolerance("cathode.loading_mg_cm2", "normal", 0.5),
                                  Tolerance("positive_collector.thickness_um", "uniform", 1.0)))
    x0 = core.parameter_value(d, "separator.thickness_um")
    x = np.array([10.0, x0, 60.0])
    b = band(d, "separator.thickness_um", x, ("gravimetric_Wh_kg",), samples=3000, seed=7)
    u = monte_carlo(d, 3000, seed=7, tornado=False)
    p5, p50, p95 = u.percentiles["gravimetric_Wh_kg"]
    assert b["gravimetric_Wh_kg"][0][1] == pytest.approx(p5, rel=TOL)
    assert b["gravimetric_Wh_kg"][2][1] == pytest.approx(p95, rel=TOL)
    assert np.all(b["gravimetric_Wh_kg"][0] < b["gravimetric_Wh_kg"][2])
    # no tolerance, or only the plotted parameter's own: no band (the curve is the nominal)
    assert band(base, "separator.thickness_um", x, ("gravimetric_Wh_kg",)) is None
    only_own = replace(base, tolerances=(Tolerance("separator.thickness_um", "normal", 2.0),))
    assert band(only_own, "separator.thickness_um", x, ("gravimetric_Wh_kg",)) is None


def test_zero_width_band_equals_the_curve(base):
    # a tolerance far below the model's resolution gives a band of zero width on the curve
    d = replace(base, tolerances=(Tolerance("positive_collector.thickness_um", "normal", 1e-300),))
    x = np.linspace(10, 60, 11)
    b = band(d, "separator.thickness_um", x, ("gravimetric_Wh_kg",), samples=200)
    curve = core.sweep(d, "separator.thickness_um", x)["gravimetric_Wh_kg"]
    close(b["gravimetric_Wh_kg"][0], curve)
    close(b["gravimetric_Wh_kg"][2], curve)


def test_sensitivity_band_hook_draws_after_edits_settle(qtbot, base):
    d = replace(base, tolerances=(Tolerance("cathode.loading_mg_cm2", "normal", 0.5),))
    w = SensitivityPlotWidget("separator.thickness_um")
    qtbot.addWidget(w)
    w.update_plot(d, core.evaluate(d), c.PlotSettings())
    assert w.band.data is None and w.band.timer.isActive()   # not on the edit's path
    qtbot.waitUntil(lambda: w.band.data is not None, timeout=3000)
    ref = band(d, "separator.thickness_um", w.x, (c.PlotSettings().key("Wh_kg"),))
    close(w.band.data["Wh_kg"][0], ref[c.PlotSettings().key("Wh_kg")][0])
    assert w.membrane_points.data is not None
    w.update_plot(base, core.evaluate(base), c.PlotSettings())   # no tolerances: band hidden
    assert w.band.data is None and not w.band.timer.isActive()


def test_confidence_panel_share_and_tornado(qtbot, base):
    d = replace(base, tolerances=(Tolerance("cathode.loading_mg_cm2", "normal", 0.5),
                                  Tolerance("separator.thickness_um", "uniform", 3.0)))
    w = ConfidencePanel()
    qtbot.addWidget(w)
    s = c.PlotSettings(level="stack", target_Wh_kg=400.0, target_Wh_L=1000.0)
    w.update_plot(d, core.evaluate(d), s)
    w.samples.setValue(4000)
    w.run_now()
    u = monte_carlo(d, 4000, 0)
    assert share_text(u, "stack_gravimetric_Wh_kg", 400.0) in w.summary.text()
    assert "% of designs meet it" in w.summary.text()
    key = w.key_combo.currentData()
    assert key == "stack_gravimetric_Wh_kg"
    assert [r["parameter"] for r in w.tornado.rows] == [r["parameter"] for r in u.tornado[key]]
    assert w.histogram.counts.sum() == np.isfinite(u.values[key]).sum()
    w.key_combo.setCurrentIndex(w.key_combo.findData("cost_USD_kWh"))
    assert w.tornado.rows == u.tornado["cost_USD_kWh"]
    assert set(UNCERTAIN_KEYS) == {w.key_combo.itemData(i) for i in range(w.key_combo.count())}


def test_tolerances_editor_is_undoable(qtbot):
    from gui.main_window import MainWindow
    d = core.load_preset(core.DEFAULT_PRESET)
    mw = MainWindow(d, recalc_delay_ms=0)
    qtbot.addWidget(mw)
    ed = mw.tolerances_editor
    assert ed.add_tolerance("separator.thickness_um", "uniform", 2.0)
    assert mw.current_design().tolerances == (Tolerance("separator.thickness_um", "uniform", 2.0),)
    assert ed.table.rowCount() == 1
    assert ed.set_tolerance(0, width=3.0, merge=True) and ed.set_tolerance(0, width=4.0, merge=True)
    mw.controller.seal()
    assert ed.set_tolerance(0, distribution="normal")
    assert mw.current_design().tolerances[0] == Tolerance("separator.thickness_um", "normal", 4.0)
    assert ed.add_tolerance()   # the first free parameter, sd 5 % of its value
    assert len(mw.current_design().tolerances) == 2
    assert ed.remove_tolerance(0)
    assert [t.parameter for t in mw.current_design().tolerances] != ["separator.thickness_um"]
    for _ in range(4):          # remove, add, distribution, the merged widths
        mw.undo_stack.undo()
    assert mw.current_design().tolerances == (Tolerance("separator.thickness_um", "uniform", 2.0),)
    mw.undo_stack.undo()
    assert mw.current_design().tolerances == ()
    assert ed.table.rowCount() == 0
    assert not ed.set_tolerance(5, width=1.0)
    mw.undo_stack.setClean()


def test_block_plots_follow_a_dark_palette_and_back(qtbot, base):
    """Background, axes, legend labels and items' colours in the dark palette (lightened from
    the light one), and exactly the light ones again after switching back."""
    import pyqtgraph as pg
    from gui.main_window import dark_palette, light_palette
    d = replace(base, fixture=Fixture(pressure_MPa=1.0, plate_material="SS", cells_per_fixture=20))
    w = PressurePlotWidget()
    qtbot.addWidget(w)
    w.update_plot(d, core.evaluate(d), c.PlotSettings())
    w.show()

    def texts():
        return {t.toPlainText(): t.color.name() for t in w.plot.vb.childGroup.childItems()
                if isinstance(t, pg.TextItem)}
    light = texts()
    light_pen = w.curves[1][0].opts["pen"].color().name()
    assert light["10×"] == c.KG_COLOR and light_pen == c.KG_COLOR
    w.setPalette(dark_palette())
    dark = texts()
    assert w.graphics.backgroundBrush().color() == dark_palette().color(dark_palette().ColorRole.Base)
    assert dark["10×"] == c.readable_on_dark(c.KG_COLOR)
    assert w.curves[1][0].opts["pen"].color().name() == c.readable_on_dark(c.KG_COLOR)
    assert all(dark[k] == c.readable_on_dark(v) for k, v in light.items())
    w.setPalette(light_palette())
    assert texts() == light and w.curves[1][0].opts["pen"].color().name() == light_pen


def test_membrane_symbols_show_the_points_with_their_citations(qtbot, base):
    """The literature membranes on the separator plot (drawn by Qt, not a scatter): one
    symbol per membrane inside the plotted range, at the model's value, filled where it meets
    the target, its tooltip naming the membrane and shown on hover."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip
    w = SensitivityPlotWidget("separator.thickness_um")
    qtbot.addWidget(w)
    w.resize(700, 420)
    w.show()
    qtbot.waitExposed(w)
    s = c.PlotSettings(target_Wh_kg=300.0)
    w.update_plot(base, core.evaluate(base), s)
    pts = w.membrane_points.data
    lo, hi = float(w.x[0]), float(w.x[-1])
    for m, key in (("Wh_kg", s.key("Wh_kg")), ("Wh_L", s.key("Wh_L"))):
        inside = [i for i, t in enumerate(pts["x"]) if lo <= t <= hi and np.isfinite(pts[m][i])]
        xs, ys = w.membrane_points.points[m].getData()
        assert len(inside) > 3
        np.testing.assert_allclose(xs, pts["x"][inside], rtol=0, atol=0)
        np.testing.assert_allclose(ys, pts[m][inside], rtol=0, atol=0)
        tips = w.membrane_points.points[m].tips()
        for i, tip in zip(inside, tips):
            assert tip.startswith(f"{pts['membranes'][i].name}, {pts['membranes'][i].thickness_um:g} µm")
    # filled (the metric's colour) where the point meets 300 Wh/kg, white where it misses
    kg = w.membrane_points.points["Wh_kg"]
    shown = [mk for mk in kg.markers if mk.isVisible()]
    meets = [y >= 300.0 for y in kg.getData()[1]]
    assert any(meets) and not all(meets)
    for mk, ok in zip(shown, meets):
        assert (mk.brush().color().name() == "#ffffff") != ok
    # hovering a symbol shows its tooltip
    qtbot.wait(20)   # (the view's new scale applied)
    every = [mk for m in ("Wh_kg", "Wh_L") for mk in w.membrane_points.points[m].markers if mk.isVisible()]

    def clearance(mk):   # how far the nearest other symbol is (a symbol is 9 px)
        p = mk.scenePos()
        return min((o.scenePos() - p).manhattanLength() for o in every if o is not mk)
    wh_l = set(w.membrane_points.points["Wh_L"].markers)
    hovered = set()
    for mk in every:   # a Wh/L symbol too (its view box lies under the main one's spans)
        if clearance(mk) <= 12:
            continue
        hovered.add(mk in wh_l)
        view = w.graphics
        at = view.mapFromScene(mk.scenePos())
        QApplication.sendEvent(view.viewport(), QHelpEvent(QHelpEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at)))
        assert QToolTip.isVisible() and QToolTip.text() == mk.tip_text() != ""
    assert hovered == {True, False}
    QToolTip.hideText()
    # another lever: the symbols go
    w.set_parameter("cathode.loading_mg_cm2")
    w.update_plot(base, core.evaluate(base), s)
    assert all(not mk.isVisible() for m in ("Wh_kg", "Wh_L") for mk in w.membrane_points.points[m].markers)
