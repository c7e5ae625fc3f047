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
