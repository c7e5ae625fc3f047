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


def _cell_texts(table):
    return [[lab.text() for lab in row] for row in table._labels]


def test_twin_table_grid_shows_the_twins(plots_panel):
    from gui.plots import common as c
    d = core.load_preset()
    st = _show(plots_panel, d)
    par, bip, _note = st_mod.compare_designs(d)
    cells = _cell_texts(st.table)
    assert cells[0][0] == "<b>At 20 unit cells</b>" and "ohmic estimate" in cells[0][2]
    vp, vb = core.evaluate(par).values, core.evaluate(bip).values
    keys = ("voltage_V", "capacity_Ah", "energy_Wh", "stack_gravimetric_Wh_kg", "stack_volumetric_Wh_L",
            "voltage_at_rate_V", "energy_Wh_at_rate", "gravimetric_Wh_kg_at_rate")
    assert cells[2] == ["parallel"] + [c.fmt(vp[k], 4) for k in keys]
    assert cells[3] == ["bipolar"] + [c.fmt(vb[k], 4) for k in keys]
    # the HTML (export legend) is the same table
    html = st.table.text()
    assert html.startswith('<table cellspacing="0">') and f">{c.fmt(vb['voltage_at_rate_V'], 4)}<" in html
    # every label of the grid is shown and the scroll area holds the whole table
    assert all(lab.isVisible() for row in st.table._labels for lab in row)
    assert st.table_area.height() >= st.table.sizeHint().height() > 3 * st.table.fontMetrics().height()


def test_twin_table_follows_a_new_shape_and_numbers(plots_panel):
    d = core.load_preset()
    st = _show(plots_panel, d)
    labels_before = [lab for row in st.table._labels for lab in row]
    h0 = st.table_area.height()
    d2 = core.with_parameter(d, "cathode.loading_mg_cm2", 29.0)
    plots_panel.set_design(d2, core.evaluate(d2))
    assert [lab for row in st.table._labels for lab in row] == labels_before   # the same labels
    from gui.plots import common as c
    assert st.table._labels[2][4].text() == c.fmt(st.twins["parallel"]["stack_gravimetric_Wh_kg"], 4)
    # a twin that cannot be evaluated: its row becomes one cell that says why
    st.twins.pop("bipolar")
    st.twin_errors["bipolar"] = "no room for the plate"
    st.table.set_cells(st.twin_cells(20, "Stack"))
    st._fit_table()
    row = st.table._labels[3]
    assert len(row) == 2 and row[1].text() == "– (cannot be evaluated: no room for the plate)"
    assert row[1].isVisible() and st.table_area.height() >= h0 - 2


def test_twin_table_names_follow_the_theme(plots_panel, qapp):
    from PySide6.QtGui import QPalette
    from gui.plots import common as c
    st = _show(plots_panel, core.load_preset())
    name = st.table._labels[2][0]
    assert name.palette().color(QPalette.ColorRole.WindowText).name() == c.PARALLEL_COLOR.lower()
    dark = QPalette(qapp.palette())
    dark.setColor(QPalette.ColorRole.Window, dark.color(QPalette.ColorRole.Window).darker(400))
    st.table.setPalette(dark)
    assert name.palette().color(QPalette.ColorRole.WindowText).name() == \
        c.themed(c.PARALLEL_COLOR, True).lower()
