"""The parallel-vs-bipolar page drawn by Qt's items (issue 15): the lines, their symbols and
the design's markers show core.sweep's numbers; the twin that is the design shows its own
result."""
import numpy as np
import pytest

import core
from gui.plots import stacking as st_mod
from gui.plots.items import Dots


def _show(panel, design):
    panel.tabs.setCurrentWidget(panel.stacking)
    panel.set_design(design, core.evaluate(design))
    return panel.stacking


def test_lines_symbols_and_markers_are_the_sweep(plots_panel):
    d = core.with_parameter(core.load_preset(), "stacking.unit_cells", 13.0)
    st = _show(plots_panel, d)
    par, bip, _note = st_mod.compare_designs(d)
    for kind, dd in (("parallel", par), ("bipolar", bip)):
        x, y = st.curves[("Wh_kg", kind)].getData()
        ref = core.sweep(dd, "stacking.unit_cells", x)
        np.testing.assert_allclose(y, ref["stack_gravimetric_Wh_kg"], rtol=1e-12)
        mx, my = st.markers[("Wh_kg", kind)].getData()
        assert mx.tolist() == [13.0]
        assert my[0] == pytest.approx(float(ref["stack_gravimetric_Wh_kg"][x == 13.0][0]), rel=1e-12)
    line = st.curves[("Wh_L", "parallel")]
    assert line.opts["symbol"] == "o"
    dots = line.dots
    assert isinstance(dots, Dots)
    dx, dy = dots.getData()
    x, y = line.getData()
    ok = np.isfinite(y)
    assert dx.tolist() == x[ok].tolist() and dy.tolist() == y[ok].tolist()
    # one circle per count, 4 px across on screen at the plot's present scale
    assert dots.path().toSubpathPolygons().__len__() == dx.size
    view = st.graphics
    first = dots.path().toSubpathPolygons()[0]
    box = dots.deviceTransform(view.viewportTransform()).map(first).boundingRect()
    assert box.width() == pytest.approx(4.0, abs=0.05) and box.height() == pytest.approx(4.0, abs=0.05)


def test_twin_that_is_the_design_shows_its_result(plots_panel):
    d = core.load_preset()                      # parallel: the parallel twin is the design
    r = core.evaluate(d)
    plots_panel.tabs.setCurrentWidget(plots_panel.stacking)
    plots_panel.set_design(d, r)
    st = plots_panel.stacking
    assert st.twins["parallel"] is r.values
    _par, bip, _note = st_mod.compare_designs(d)
    assert st.twins["bipolar"] == core.evaluate(bip).values
    b4 = core.load_preset("bipolar-4s-nmc811-li6ps5cl-li")
    _par, bip4, _n = st_mod.compare_designs(b4)
    r4 = core.evaluate(b4)
    plots_panel.set_design(b4, r4)
    assert st.twins["bipolar"] == core.evaluate(bip4).values
    assert (st.twins["bipolar"] is r4.values) == (bip4 == b4)
