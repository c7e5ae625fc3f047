"""Contour lines of the design map (gui.plots.contour): fields whose level curves are known."""
from __future__ import annotations

import numpy as np
import pytest

from gui.plots.contour import contour_lines


def polylines(xs, ys):
    """Split NaN-separated arrays into a list of (n, 2) point arrays."""
    out, cur = [], []
    for x, y in zip(xs, ys):
        if np.isnan(x):
            out.append(np.array(cur))
            cur = []
        else:
            cur.append((x, y))
    out.append(np.array(cur))
    return [p for p in out if len(p)]


def test_circle_is_one_closed_loop_on_the_circle():
    x = np.linspace(-2, 2, 61)
    y = np.linspace(-1.5, 2.5, 47)          # uneven on purpose: x and y grids differ
    z = x[:, None] ** 2 + y[None, :] ** 2
    xs, ys = contour_lines(x, y, z, 1.0)
    lines = polylines(xs, ys)
    assert len(lines) == 1
    loop = lines[0]
    assert np.allclose(loop[0], loop[-1])                     # closed
    r = np.hypot(loop[:, 0], loop[:, 1])
    assert np.abs(r - 1).max() < 0.01                         # linear interpolation on a fine grid
    # it goes all the way round: every quadrant is visited
    angles = np.arctan2(loop[:, 1], loop[:, 0])
    assert np.histogram(angles, bins=4, range=(-np.pi, np.pi))[0].min() > 3


def test_plane_gives_one_straight_line_across_the_map():
    x = np.linspace(0, 10, 21)
    y = np.linspace(0, 5, 11)
    z = 2 * x[:, None] + y[None, :]        # z = 8 on the line y = 8 - 2x
    xs, ys = contour_lines(x, y, z, 8.0)
    lines = polylines(xs, ys)
    assert len(lines) == 1
    pts = lines[0]
    assert np.allclose(2 * pts[:, 0] + pts[:, 1], 8.0)       # exact for a linear field
    assert {round(pts[0, 1], 9), round(pts[-1, 1], 9)} == {0.0, 5.0}   # from edge to edge


def test_level_not_crossed_gives_nothing():
    x = np.linspace(0, 1, 5)
    z = np.ones((5, 5))
    for level in (0.5, 2.0):
        xs, ys = contour_lines(x, x, z, level)
        assert xs.size == 0 and ys.size == 0


def test_nan_cells_count_as_below_and_the_line_closes_around_them():
    x = np.linspace(0, 1, 11)
    z = np.full((11, 11), 5.0)
    z[4:7, 4:7] = np.nan
    xs, ys = contour_lines(x, x, z, 1.0)
    lines = polylines(xs, ys)
    assert len(lines) == 1 and np.allclose(lines[0][0], lines[0][-1])
    inner = lines[0]
    assert inner[:, 0].min() > 0.3 - 1e-9 and inner[:, 0].max() < 0.7 + 1e-9


@pytest.mark.parametrize("center, expect_pairs", [(1.0, "bottom-right and top-left"),
                                                   (-1.0, "bottom-left and top-right")])
def test_saddle_is_resolved_by_the_cell_mean(center, expect_pairs):
    """One cell with corners +1 (bottom-left, top-right) and -1: with a positive mean the
    positive corners join through the middle, so the lines cut off the negative corners."""
    x = np.array([0.0, 1.0])
    z = np.array([[1.0, -1.0], [-1.0, 1.0]]) + center * 0.1   # [i, j]: (0,0)=BL (1,0)=BR (0,1)=TL
    xs, ys = contour_lines(x, x, z, 0.0)
    lines = polylines(xs, ys)
    assert len(lines) == 2 and all(len(p) == 2 for p in lines)
    mids = sorted(tuple(np.round(p.mean(axis=0), 2)) for p in lines)
    if expect_pairs.startswith("bottom-right"):
        # cut off BR (near (1, 0)) and TL (near (0, 1))
        assert mids[0][0] < 0.5 < mids[0][1] and mids[1][0] > 0.5 > mids[1][1]
    else:
        # cut off BL (near (0, 0)) and TR (near (1, 1))
        assert mids[0][0] < 0.5 and mids[0][1] < 0.5 and mids[1][0] > 0.5 and mids[1][1] > 0.5


def test_random_fields_every_point_is_on_a_crossed_edge_at_the_level():
    """Fields with NaN holes and saddles: each point lies on a grid edge the level crosses,
    where the edge's linear interpolation gives the level, and every crossing cell adds its
    segments (one, or two for a saddle) to the lines."""
    rng = np.random.default_rng(7)
    for trial in range(60):
        nx, ny = (int(v) for v in rng.integers(2, 30, 2))
        x = np.cumsum(rng.random(nx) + 0.1)
        y = np.cumsum(rng.random(ny) + 0.1)
        z = rng.normal(size=(nx, ny))
        z[rng.random(z.shape) < 0.08] = np.nan
        f = np.where(np.isfinite(z), z, -1.0)
        xs, ys = contour_lines(x, y, z, 0.0)
        above = f > 0
        n_cells_seg = 0
        for i in range(nx - 1):
            for j in range(ny - 1):
                k = int(above[i, j]) + int(above[i + 1, j]) + int(above[i, j + 1]) + int(above[i + 1, j + 1])
                crossings = (int(above[i, j] != above[i + 1, j]) + int(above[i, j + 1] != above[i + 1, j + 1])
                             + int(above[i, j] != above[i, j + 1]) + int(above[i + 1, j] != above[i + 1, j + 1]))
                if 0 < k < 4:
                    n_cells_seg += crossings // 2
        lines = polylines(xs, ys)
        assert sum(len(p) - 1 for p in lines) == n_cells_seg, trial
        for p in lines:
            for px, py in p:
                i = np.flatnonzero(np.isclose(x, px, rtol=0, atol=1e-12))
                j = np.flatnonzero(np.isclose(y, py, rtol=0, atol=1e-12))
                if j.size:   # on an edge along x at y[j]
                    jj = int(j[0])
                    ii = int(np.searchsorted(x, px, side="right") - 1)
                    ii = min(ii, nx - 2)
                    a, b = f[ii, jj], f[ii + 1, jj]
                    t = (px - x[ii]) / (x[ii + 1] - x[ii])
                else:        # on an edge along y at x[i]
                    assert i.size, (trial, px, py)
                    ii = int(i[0])
                    jj = min(int(np.searchsorted(y, py, side="right") - 1), ny - 2)
                    a, b = f[ii, jj], f[ii, jj + 1]
                    t = (py - y[jj]) / (y[jj + 1] - y[jj])
                assert (a > 0) != (b > 0)
                assert a + t * (b - a) == pytest.approx(0.0, abs=1e-9)
