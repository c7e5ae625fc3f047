"""The report's "Confidence" section (MODEL.md step 12, issue 13): for a design with
tolerances, the Monte-Carlo's P5 / P50 / P95 of every energy and cost result, the share of
sampled designs meeting the targets, a histogram and a tornado chart. Hooked into the
report by one line; a design without tolerances adds nothing."""
from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPen

from core.model import RESULT_LABELS, UNCERTAIN_KEYS, monte_carlo, result_title
from core.model.uncertainty import LABEL as CONFIDENCE_LABEL

from .charts import DPI, _canvas, _finish
from .layout import Column, Figure, Heading, Html, Table

SAMPLES = 10_000
SEED = 0
LOW, HIGH, BAR = QColor("#c8551a"), QColor("#1f5fa8"), QColor("#9db8da")


def _fmt(v, d=4) -> str:
    if v is None or not np.isfinite(v):
        return "–"
    return f"{v:.0f}" if abs(v) >= 10 ** d else f"{v:.{d}g}"


def _label(key: str) -> str:
    return result_title(key)


def _font(pt: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSizeF(pt)
    f.setBold(bold)
    return f


def draw_histogram(u, key: str, target: float | None, width_mm: float = 84, height_mm: float = 60):
    img, p, w, h = _canvas(width_mm, height_mm)
    v = u.values[key]
    v = v[np.isfinite(v)]
    L, R, T, B = 34.0, 8.0, 18.0, 26.0
    plot = QRectF(L, T, w - L - R, h - T - B)
    p.setFont(_font(7.5, True))
    p.setPen(QColor("#202020"))
    p.drawText(QRectF(0, 2, w, 14), Qt.AlignmentFlag.AlignCenter, f"Histogram: {_label(key)}")
    if v.size:
        lo, hi = float(v.min()), float(v.max())
        if target is not None and lo - (hi - lo) <= target <= hi + (hi - lo):
            lo, hi = min(lo, target), max(hi, target)
        if hi <= lo:
            lo, hi = lo - 1, hi + 1
        counts, edges = np.histogram(v, bins=36, range=(lo, hi))
        top = counts.max() * 1.1
        X = lambda x: plot.left() + (x - lo) / (hi - lo) * plot.width()  # noqa: E731
        Y = lambda y: plot.bottom() - y / top * plot.height()  # noqa: E731
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(BAR)
        for a, b, n in zip(edges[:-1], edges[1:], counts):
            p.drawRect(QRectF(X(a), Y(n), X(b) - X(a), plot.bottom() - Y(n)))
        p.setFont(_font(6.5))
        for name, x, col in (("P5", u.percentiles[key][0], "#555555"), ("P50", u.percentiles[key][1], "#000000"),
                             ("P95", u.percentiles[key][2], "#555555"), ("target", target, "#c8551a")):
            if x is None or not np.isfinite(x):
                continue
            pen = QPen(QColor(col), 0.8, Qt.PenStyle.SolidLine if name == "P50" else Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(X(x), plot.top()), QPointF(X(x), plot.bottom()))
            y_t = plot.top() + (8 if name != "target" else 16)
            if X(x) > plot.right() - 30:   # near the right edge: the label goes left of the line
                p.drawText(QRectF(X(x) - 42, y_t - 8, 40, 10), Qt.AlignmentFlag.AlignRight, name)
            else:
                p.drawText(QPointF(X(x) + 1.5, y_t), name)
        p.setPen(QColor("#202020"))
        for t in np.linspace(lo, hi, 5):
            p.drawText(QRectF(X(t) - 20, plot.bottom() + 2, 40, 10), Qt.AlignmentFlag.AlignCenter, _fmt(t, 3))
    p.setPen(QPen(QColor("#202020"), 0.6))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())
    p.drawLine(plot.bottomLeft(), plot.topLeft())
    p.setFont(_font(6.5))
    p.drawText(QRectF(0, h - 12, w, 10), Qt.AlignmentFlag.AlignCenter, _label(key))
    p.save()
    p.translate(9, plot.center().y())
    p.rotate(-90)
    p.drawText(QRectF(-40, -6, 80, 10), Qt.AlignmentFlag.AlignCenter, "sampled designs")
    p.restore()
    return _finish(img, p, DPI)


def draw_tornado(u, key: str, width_mm: float = 88, height_mm: float = 60):
    img, p, w, h = _canvas(width_mm, height_mm)
    rows = u.tornado.get(key) or []
    nom = u.nominal.get(key)
    L, R, T, B = 100.0, 8.0, 18.0, 26.0
    plot = QRectF(L, T, w - L - R, h - T - B)
    p.setFont(_font(7.5, True))
    p.setPen(QColor("#202020"))
    p.drawText(QRectF(0, 2, w, 14), Qt.AlignmentFlag.AlignCenter, f"Tornado: {_label(key)}")
    if rows and nom is not None:
        vals = [nom] + [r["result_at_low"] for r in rows] + [r["result_at_high"] for r in rows]
        span = max(abs(x - nom) for x in vals) or 1.0
        lo, hi = nom - 1.1 * span, nom + 1.1 * span
        X = lambda x: plot.left() + (x - lo) / (hi - lo) * plot.width()  # noqa: E731
        n = len(rows)
        step = plot.height() / n
        p.setFont(_font(6.5))
        for i, r in enumerate(rows):
            y = plot.top() + i * step + 0.2 * step
            for x, col in ((r["result_at_low"], LOW), (r["result_at_high"], HIGH)):
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(col)
                p.drawRect(QRectF(min(X(x), X(nom)), y, abs(X(x) - X(nom)), 0.6 * step))
            p.setPen(QColor("#202020"))
            p.drawText(QRectF(2, y, L - 6, 0.6 * step), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       r["parameter"])
        p.setPen(QPen(QColor("#000000"), 0.8))
        p.drawLine(QPointF(X(nom), plot.top()), QPointF(X(nom), plot.bottom()))
        p.setPen(QColor("#202020"))
        for t in np.linspace(lo, hi, 5):
            p.drawText(QRectF(X(t) - 20, plot.bottom() + 2, 40, 10), Qt.AlignmentFlag.AlignCenter, _fmt(t, 3))
    p.setPen(QPen(QColor("#202020"), 0.6))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())
    p.setFont(_font(6.5))
    p.drawText(QRectF(0, h - 12, w, 10), Qt.AlignmentFlag.AlignCenter,
               "each tolerance alone: orange 5th, blue 95th percentile")
    return _finish(img, p, DPI)


def confidence_blocks(design, targets: tuple[float | None, float | None] = (400.0, 1000.0)) -> list:
    """The report blocks of the Confidence section; [] for a design without tolerances."""
    if not design.tolerances:
        return []
    u = monte_carlo(design, SAMPLES, SEED)
    tol = "; ".join(f"{t.parameter} {t.distribution} "
                    f"{'sd' if t.distribution == 'normal' else '± half width'} {t.width:g}" for t in design.tolerances)
    kg, wl = targets
    shares = []
    for key, tgt in (("stack_gravimetric_Wh_kg", kg), ("gravimetric_Wh_kg", kg), ("stack_volumetric_Wh_L", wl),
                     ("volumetric_Wh_L", wl)):
        if tgt is not None:
            shares.append(f"{escape(RESULT_LABELS[key][0])} {tgt:g} {RESULT_LABELS[key][1]}: "
                          f"<b>{u.share_meeting(key, tgt) * 100:.0f} % of designs meet it</b>")
    blocks = [Heading(text="Confidence"),
              Html(fragment=f"<p>{SAMPLES} seeded designs (seed {SEED}) drawn from the tolerances: "
                            f"{escape(tol)}.</p><p>{'<br/>'.join(shares)}</p>", space_before_pt=2)]
    rows = [[escape(_label(k)), _fmt(u.nominal.get(k)), *(_fmt(x) for x in u.percentiles[k])]
            for k in UNCERTAIN_KEYS]
    blocks.append(Table(columns=[Column("Result", width_pct=46), Column("Nominal", True, 13.5),
                                 Column("P5", True, 13.5), Column("P50", True, 13.5), Column("P95", True, 13.5)],
                        rows=rows, min_rows=len(rows), space_before_pt=3))
    from .charts import side_by_side
    key = "gravimetric_Wh_kg"
    img = side_by_side([draw_histogram(u, key, kg), draw_tornado(u, key)], gap_mm=4)
    blocks.append(Figure(image=img, width_mm=172, alt="Histogram and tornado of the pouch Wh/kg",
                         caption=escape(CONFIDENCE_LABEL), space_before_pt=4))
    return blocks
