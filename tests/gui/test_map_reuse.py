"""The design map keeps its grid, image and contours while one of its own two parameters is
edited (only the star moves), and computes them again for any other edit; what it shows is
always the grid of the design shown."""
import numpy as np

import core
from gui.plots import design_map as dm


def _fresh(m, design):
    keys = tuple(dm.metric_key(m.settings, k) for k in dm.MAP_METRICS)
    return dm.compute_grid(design, m.p1, m.x, m.p2, m.y, keys)


def test_map_keeps_its_grid_for_its_own_parameters(plots_panel, monkeypatch):
    d = core.load_preset()
    plots_panel.set_design(d, core.evaluate(d))
    m = plots_panel.design_map
    calls = []
    real = dm.compute_grid
    monkeypatch.setattr(dm, "compute_grid", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    z0, path0 = m.z, {k: iso.path() for k, iso in m.isos.items()}
    cur2 = core.parameter_value(d, m.p2)
    d2 = core.with_parameter(d, m.p2, cur2 * 1.03)          # the map's y parameter
    plots_panel.set_design(d2, core.evaluate(d2))
    # (the y range holds the new value: the same grid)
    assert np.array_equal(m.y, m.axis_values(d, m.p2, cur2, m.resolution))
    assert not calls and m.z is z0
    assert all(m.isos[k].path() == path0[k] for k in path0)
    assert m.marker.getData()[1][0] == core.parameter_value(d2, m.p2)
    fresh = _fresh(m, d2)
    for key in fresh:
        np.testing.assert_allclose(m.z[key], fresh[key], rtol=1e-12, equal_nan=True)
    # another parameter: computed again
    calls.clear()
    d3 = core.with_parameter(d2, "anode.thickness_um", 33.0)
    plots_panel.set_design(d3, core.evaluate(d3))
    assert calls and m.z is not z0
    fresh = _fresh(m, d3)
    for key in fresh:
        np.testing.assert_allclose(m.z[key], fresh[key], rtol=1e-12, equal_nan=True)
    # a redraw asked for (new parameters, colour, resolution) computes again
    calls.clear()
    m.redraw()
    assert calls


def test_map_shown_again_reuses_its_grid_and_lines(plots_panel, monkeypatch):
    """Undo / redo: a design shown a moment ago gets its grid and contour lines back (the
    same arrays), the map equal to a fresh one."""
    d = core.load_preset()
    plots_panel.set_design(d, core.evaluate(d))
    m = plots_panel.design_map
    z_a = m.z
    lines_a = {k: iso.getData() for k, iso in m.isos.items()}
    d2 = core.with_parameter(d, "anode.thickness_um", 31.0)
    plots_panel.set_design(d2, core.evaluate(d2))
    assert m.z is not z_a
    calls = []
    real = dm.compute_grid
    monkeypatch.setattr(dm, "compute_grid", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    plots_panel.set_design(d, core.evaluate(d))   # back (undo)
    assert not calls and m.z is z_a
    for k, (xs, ys) in lines_a.items():
        gx, gy = m.isos[k].getData()
        np.testing.assert_array_equal(gx, xs)
        np.testing.assert_array_equal(gy, ys)
    fresh = _fresh(m, d)
    for key in fresh:
        np.testing.assert_allclose(m.z[key], fresh[key], rtol=1e-12, equal_nan=True)
