"""The crossing labels' placement cost (gui.plots.sensitivity._label_costs) against a plain
count, box by box and point by point: the faster counting must score every candidate the same."""
import math

import numpy as np

from gui.plots.sensitivity import _label_costs


def _reference(cand, w, h, taken, cx, cy):
    out = []
    for bx, by, ax, ay in cand:
        cost = 0.5 * (abs(bx - ax) + abs(by - ay))
        for tx, ty, tw, th in taken:
            dx = min(bx + w, tx + tw) - max(bx, tx)
            dy = min(by + h, ty + th) - max(by, ty)
            if dx > 0 and dy > 0:
                cost += dx * dy
        under = 0
        for row in cy:
            for x, y in zip(cx, row):
                if bx - 1 <= x <= bx + w + 1 and not math.isnan(y) and by - 1 <= y <= by + h + 1:
                    under += 1
        out.append(cost + 40.0 * under)
    return out


def test_label_costs_equal_a_plain_count():
    rng = np.random.default_rng(11)
    W, H = 220.0, 170.0
    cx = np.linspace(0, W, 201)
    cy = np.array([80 + 60 * np.sin(cx / 40), 100 + 50 * np.cos(cx / 50)])
    cy[1, 50:60] = np.nan
    scored_points = 0
    for _ in range(300):
        w, h = rng.uniform(20, 90), rng.uniform(10, 20)
        px, py = rng.uniform(-10, W + 10), rng.uniform(-10, H + 10)
        cand = []
        for shift in (0.0, 1.0, 2.0):
            for ax, ay in ((0, 1), (1, 1), (0, 0), (1, 0)):
                want_x = px - ax * w + (4 if ax == 0 else -4)
                want_y = py - ay * h + (shift * h if ay == 0 else -shift * h)
                cand.append((min(max(want_x, 0.0), max(W - w, 0.0)), min(max(want_y, 0.0), max(H - h, 0.0)),
                             px - ax * w, py - ay * h))
        taken = [(*rng.uniform(0, 200, 2), 16.0, 16.0) for _ in range(int(rng.integers(0, 4)))]
        got = _label_costs(cand, w, h, taken, cx, cy)
        want = _reference(cand, w, h, taken, cx, cy)
        assert got.tolist() == want
        scored_points += sum(1 for v in want if v >= 40)
    assert scored_points > 100   # curve points were under many boxes
    assert _label_costs([(1.0, 2.0, 1.0, 2.0)], 10, 5, [], np.zeros(0), np.zeros((0, 0))).tolist() == [0.0]
