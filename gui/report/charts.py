"""Charts for the report, drawn with QPainter into QImages (no widgets, works offscreen):
line charts for the sensitivity sweeps (target line, this design, needed value), horizontal
bar charts for the mass / volume breakdown and for the attribution of a comparison, and a
to-scale cross-section of the unit cell.

Coordinates are in typographic points; the image is rendered at `dpi` for print."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath,
                           QPen)

DPI = 220
PT_PER_MM = 72.0 / 25.4
FONT_FAMILY = "DejaVu Sans"  # falls back to the platform's sans serif where missing

INK = QColor("#222222")
GRID = QColor("#e3e6ea")
AXIS = QColor("#555555")
TARGET = QColor("#c0392b")
CURRENT = QColor("#444444")
# one colour per design where several are drawn together (the Ragone plot of a comparison,
# in the window and in the report)
DESIGN_COLORS = ("#1f5fa8", "#c8551a", "#3f7f35", "#7a3fa0", "#a0522d", "#2b8c8c", "#b03060", "#555555")
LEVEL_COLORS = {"pouch": QColor("#1f4e79"), "stack": QColor("#d9822b"), "unit": QColor("#5b8c3a")}
ITEM_COLORS = {
    "cathode": "#1f4e79", "separator": "#d9822b", "interlayer": "#8e6bb5", "anode": "#7f8c8d",
    "positive_collector": "#a3b8cc", "negative_collector": "#c49a6c", "bipolar_plate": "#5d6d7e",
    "spacer": "#b7c9a8", "plated_li": "#95a5a6", "laminate": "#5b8c3a", "tabs": "#b03a2e",
    "edge_space": "#d5d8dc",
}
ROLE_COLORS = {"positive_collector": "#a3b8cc", "cathode": "#1f4e79", "separator": "#d9822b",
               "interlayer": "#8e6bb5", "anode": "#7f8c8d", "negative_collector": "#c49a6c",
               "bipolar_plate": "#5d6d7e", "spacer": "#b7c9a8", "plated_li": "#95a5a6"}


def _font(size_pt: float, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPointSizeF(size_pt)
    f.setBold(bold)
    return f


def _canvas(width_mm: float, height_mm: float, dpi: int = DPI) -> tuple[QImage, QPainter, float, float]:
    """A white image and a painter whose units are points (fonts in pt render at their size)."""
    scale = dpi / 72.0
    w_pt, h_pt = width_mm * PT_PER_MM, height_mm * PT_PER_MM
    img = QImage(max(1, round(w_pt * scale)), max(1, round(h_pt * scale)), QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(round(72 / 0.0254))  # 1 pt = 1 px before the painter's scale
    img.setDotsPerMeterY(round(72 / 0.0254))
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(scale, scale)
    return img, p, w_pt, h_pt


def _finish(img: QImage, p: QPainter, dpi: int) -> QImage:
    p.end()
    img.setDotsPerMeterX(round(dpi / 0.0254))
    img.setDotsPerMeterY(round(dpi / 0.0254))
    return img


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5, 5 × 10^k steps) covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(1, n)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.ceil(lo / step - 1e-9) * step
    ticks = []
    v = start
    while v <= hi + 1e-9 * step:
        ticks.append(0.0 if abs(v) < 1e-12 * step else v)
        v += step
    return ticks


def _tick_text(v: float, step: float) -> str:
    if step >= 1 or v == 0:
        return f"{v:.0f}"
    digits = max(0, -int(math.floor(math.log10(step))) + (1 if (step / 10 ** math.floor(math.log10(step))) % 1 else 0))
    return f"{v:.{digits}f}"


# --------------------------------------------------------------------------- line chart
@dataclass
class Series:
    x: np.ndarray
    y: np.ndarray
    label: str
    color: QColor
    dashed: bool = False


@dataclass
class Marker:
    x: float
    y: float
    label: str
    color: QColor
    shape: str = "circle"  # circle / diamond


@dataclass
class LineChart:
    title: str
    xlabel: str
    ylabel: str
    series: list[Series]
    hline: tuple[float, str] | None = None  # (y, label): the target
    vline: tuple[float, str] | None = None  # (x, label): this design
    markers: list[Marker] = field(default_factory=list)
    integer_x: bool = False


def _draw_frame(p: QPainter, chart, plot: QRectF, W: float, H: float, fonts, left: float,
                y_ticks, x_ticks) -> None:
    """Title, grid lines with their tick labels ((pixel, text) pairs), the frame and the axis
    labels: what every chart of the report draws around its data."""
    f_title, f_tick, f_lab = fonts
    p.setFont(f_title)
    p.setPen(INK)
    p.drawText(QRectF(0, 2, W, 14), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, chart.title)
    p.setFont(f_tick)
    for y, text in y_ticks:
        p.setPen(QPen(GRID, 0.5))
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        p.setPen(AXIS)
        p.drawText(QRectF(0, y - 5, left - 3, 10), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
    for x, text in x_ticks:
        p.setPen(QPen(GRID, 0.5))
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        p.setPen(AXIS)
        p.drawText(QRectF(x - 20, plot.bottom() + 2, 40, 9), Qt.AlignmentFlag.AlignHCenter, text)
    p.setPen(QPen(AXIS, 0.7))
    p.drawRect(plot)
    p.setFont(f_lab)
    p.setPen(INK)
    p.drawText(QRectF(plot.left(), H - 12, plot.width(), 11), Qt.AlignmentFlag.AlignHCenter, chart.xlabel)
    p.save()
    p.translate(3, plot.center().y())
    p.rotate(-90)
    p.drawText(QRectF(-plot.height() / 2, 0, plot.height(), 10), Qt.AlignmentFlag.AlignHCenter, chart.ylabel)
    p.restore()


def draw_line_chart(chart: LineChart, width_mm: float = 84, height_mm: float = 62, dpi: int = DPI) -> QImage:
    img, p, W, H = _canvas(width_mm, height_mm, dpi)
    f_title, f_tick, f_lab, f_leg = _font(8.2, True), _font(6.6), _font(7.0), _font(6.4)
    fm_tick = QFontMetricsF(f_tick, img)

    xs = np.concatenate([s.x for s in chart.series]) if chart.series else np.array([0.0, 1.0])
    ys = np.concatenate([s.y[np.isfinite(s.y)] for s in chart.series]) if chart.series else np.array([0.0, 1.0])
    x0, x1 = float(np.nanmin(xs)), float(np.nanmax(xs))
    extra_y = [chart.hline[0]] if chart.hline else []
    extra_y += [m.y for m in chart.markers]
    y_lo = min([0.0] + list(ys) + extra_y) if ys.size else 0.0
    y_hi = max(list(ys) + extra_y + [1e-9]) if ys.size else 1.0
    y_hi = y_hi * 1.08 if y_hi > 1e-6 else 1.0  # all-zero curves (no lithium source): a plain 0-1 axis
    if x1 <= x0:
        x1 = x0 + 1.0
    xt = nice_ticks(x0, x1, 5)
    yt = nice_ticks(y_lo, y_hi, 5)
    if yt and yt[-1] < y_hi:
        y_hi = yt[-1] + (yt[1] - yt[0] if len(yt) > 1 else 1)
        yt = nice_ticks(y_lo, y_hi, 5)
    y_hi = max(y_hi, yt[-1])

    ylabel_w = max(fm_tick.horizontalAdvance(_tick_text(v, yt[1] - yt[0] if len(yt) > 1 else 1)) for v in yt)
    left = 14 + ylabel_w + 4
    right, top, bottom = 8, 18, 28
    plot = QRectF(left, top, W - left - right, H - top - bottom)

    def X(v):
        return plot.left() + (v - x0) / (x1 - x0) * plot.width()

    def Y(v):
        return plot.bottom() - (v - y_lo) / (y_hi - y_lo) * plot.height()

    ystep = yt[1] - yt[0] if len(yt) > 1 else 1.0
    xstep = xt[1] - xt[0] if len(xt) > 1 else 1.0
    _draw_frame(p, chart, plot, W, H, (f_title, f_tick, f_lab), left,
                [(Y(v), _tick_text(v, ystep)) for v in yt],
                [(X(v), _tick_text(v, xstep)) for v in xt
                 if plot.left() - 0.1 <= X(v) <= plot.right() + 0.1])

    p.save()
    p.setClipRect(plot)
    # target line
    if chart.hline:
        pen = QPen(TARGET, 0.9, Qt.PenStyle.DashLine)
        p.setPen(pen)
        y = Y(chart.hline[0])
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
    # this design
    if chart.vline and x0 <= chart.vline[0] <= x1:
        p.setPen(QPen(CURRENT, 0.8, Qt.PenStyle.DotLine))
        x = X(chart.vline[0])
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
    # curves
    for s in chart.series:
        pen = QPen(s.color, 1.3, Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        path = QPainterPath()
        started = False
        for xv, yv in zip(s.x, s.y):
            if not math.isfinite(yv):
                started = False
                continue
            pt = QPointF(X(xv), Y(yv))
            if started:
                path.lineTo(pt)
            else:
                path.moveTo(pt)
                started = True
        p.drawPath(path)
    p.restore()
    # markers (drawn unclipped so a point on the frame stays whole)
    for m in chart.markers:
        if not (x0 <= m.x <= x1):
            continue
        c = QPointF(X(m.x), Y(m.y))
        p.setPen(QPen(QColor("white"), 0.6))
        p.setBrush(QBrush(m.color))
        if m.shape == "diamond":
            r = 3.0
            path = QPainterPath()
            path.moveTo(c.x(), c.y() - r)
            path.lineTo(c.x() + r, c.y())
            path.lineTo(c.x(), c.y() + r)
            path.lineTo(c.x() - r, c.y())
            path.closeSubpath()
            p.drawPath(path)
        else:
            p.drawEllipse(c, 2.4, 2.4)
    p.setBrush(Qt.BrushStyle.NoBrush)
    # labels of the target and of this design
    p.setFont(f_leg)
    fm = QFontMetricsF(f_leg, img)
    pts = [QPointF(X(x), Y(y)) for s in chart.series for x, y in zip(s.x, s.y) if math.isfinite(y)]
    if chart.hline and y_lo <= chart.hline[0] <= y_hi:
        t = chart.hline[1]
        w = fm.horizontalAdvance(t) + 4
        y = Y(chart.hline[0])
        cands = [QRectF(plot.right() - w - 2, y - 10, w, 8.5), QRectF(plot.right() - w - 2, y + 1.5, w, 8.5),
                 QRectF(plot.left() + 2, y - 10, w, 8.5), QRectF(plot.left() + 2, y + 1.5, w, 8.5)]
        cands = [c for c in cands if plot.contains(c)] or cands[:1]
        r = min(cands, key=lambda c: sum(1 for q in pts if c.adjusted(-2, -2, 2, 2).contains(q)))
        p.fillRect(r, QColor(255, 255, 255, 215))
        p.setPen(TARGET)
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, t)
    if chart.vline and x0 <= chart.vline[0] <= x1:
        t = chart.vline[1]
        w = fm.horizontalAdvance(t) + 4
        x = X(chart.vline[0])
        rx = x + 2 if x + 2 + w < plot.right() else x - 2 - w
        r = QRectF(rx, plot.bottom() - 10, w, 8.5)
        p.fillRect(r, QColor(255, 255, 255, 215))
        p.setPen(CURRENT)
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, t)
    _legend(p, chart, plot, X, Y, f_leg)
    return _finish(img, p, dpi)


def log_ticks(lo: float, hi: float, most: int = 7) -> list[float]:
    """Tick values of a log axis over [lo, hi] (both > 0): the sparsest of 1, 1-2-5, 1-9 and
    1-9 with halves (× 10^k) that puts at least four ticks in the range and at most `most`;
    failing that, the densest with at most `most`."""
    k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    fallback: list[float] = []
    for mants in ((1,), (1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9),
                  (1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9)):
        ticks = [m * 10.0 ** k for k in range(k0, k1 + 1) for m in mants]
        ticks = [v for v in ticks if lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9)]
        if len(ticks) > most:
            break
        if len(ticks) >= 4:
            return ticks
        if len(ticks) >= len(fallback):
            fallback = ticks
    return fallback if len(fallback) >= 2 else [lo, hi]


def _log_tick_text(v: float) -> str:
    return f"{v:,.0f}" if v >= 1000 else f"{v:.3g}"


def draw_loglog_chart(chart: LineChart, width_mm: float = 170, height_mm: float = 95, dpi: int = DPI) -> QImage:
    """A line chart on log-log axes (the Ragone plot): only finite points above 0 are drawn;
    the frame is the data's range with a little room, labelled at 1-2-5 values."""
    img, p, W, H = _canvas(width_mm, height_mm, dpi)
    f_title, f_tick, f_lab, f_leg = _font(8.2, True), _font(6.6), _font(7.0), _font(6.4)
    fm_tick = QFontMetricsF(f_tick, img)

    def ok(s: Series):
        x, y = np.asarray(s.x, dtype=float), np.asarray(s.y, dtype=float)
        m = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
        return x[m], y[m]

    data = [ok(s) for s in chart.series]
    xs = np.concatenate([x for x, _ in data] + [np.array([m.x for m in chart.markers if m.x > 0 and m.y > 0])])
    ys = np.concatenate([y for _, y in data] + [np.array([m.y for m in chart.markers if m.x > 0 and m.y > 0])])
    if not xs.size:
        xs, ys = np.array([1.0, 10.0]), np.array([1.0, 10.0])

    def span(v):
        a, b = math.log10(float(v.min())), math.log10(float(v.max()))
        if b - a < 0.2:
            a, b = (a + b) / 2 - 0.1, (a + b) / 2 + 0.1
        pad = (b - a) * 0.05
        return a - pad, b + pad

    lx0, lx1 = span(xs)
    ly0, ly1 = span(ys)
    xt = log_ticks(10 ** lx0, 10 ** lx1, 10)
    yt = log_ticks(10 ** ly0, 10 ** ly1, 7)
    ylabel_w = max(fm_tick.horizontalAdvance(_log_tick_text(v)) for v in yt)
    left = 14 + ylabel_w + 4
    right, top, bottom = 8, 18, 28
    plot = QRectF(left, top, W - left - right, H - top - bottom)

    def X(v):
        return plot.left() + (math.log10(v) - lx0) / (lx1 - lx0) * plot.width()

    def Y(v):
        return plot.bottom() - (math.log10(v) - ly0) / (ly1 - ly0) * plot.height()

    _draw_frame(p, chart, plot, W, H, (f_title, f_tick, f_lab), left,
                [(Y(v), _log_tick_text(v)) for v in yt], [(X(v), _log_tick_text(v)) for v in xt])

    p.save()
    p.setClipRect(plot)
    for s, (x, y) in zip(chart.series, data):
        pen = QPen(s.color, 1.3, Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        path = QPainterPath()
        for j, (xv, yv) in enumerate(zip(x, y)):
            pt = QPointF(X(xv), Y(yv))
            if j:
                path.lineTo(pt)
            else:
                path.moveTo(pt)
        p.drawPath(path)
    p.restore()
    for m in chart.markers:
        if not (m.x > 0 and m.y > 0):
            continue
        p.setPen(QPen(QColor("white"), 0.6))
        p.setBrush(QBrush(m.color))
        p.drawEllipse(QPointF(X(m.x), Y(m.y)), 2.4, 2.4)
    p.setBrush(Qt.BrushStyle.NoBrush)
    shown = LineChart(chart.title, chart.xlabel, chart.ylabel,
                      [Series(x, y, s.label, s.color, s.dashed) for s, (x, y) in zip(chart.series, data)],
                      markers=chart.markers)
    _legend(p, shown, plot, X, Y, f_leg)
    return _finish(img, p, dpi)


def _legend(p: QPainter, chart: LineChart, plot: QRectF, X, Y, font: QFont):
    entries = [(s.label, s.color, s.dashed, None) for s in chart.series]
    seen = set()
    for m in chart.markers:
        if m.label and m.label not in seen:
            seen.add(m.label)
            entries.append((m.label, m.color, False, m.shape))
    if not entries:
        return
    fm = QFontMetricsF(font, p.device())
    line_h = 8.5
    w = max(fm.horizontalAdvance(e[0]) for e in entries) + 20
    h = line_h * len(entries) + 4
    # the plot corner with the fewest curve points
    pts = [(X(x), Y(y)) for s in chart.series for x, y in zip(s.x, s.y) if math.isfinite(y)]
    corners = [QRectF(plot.left() + 3, plot.top() + 3, w, h), QRectF(plot.right() - 3 - w, plot.top() + 3, w, h),
               QRectF(plot.right() - 3 - w, plot.bottom() - 13 - h, w, h),
               QRectF(plot.left() + 3, plot.bottom() - 13 - h, w, h)]
    best = min(corners, key=lambda r: sum(1 for x, y in pts if r.adjusted(-3, -3, 3, 3).contains(QPointF(x, y))))
    p.fillRect(best, QColor(255, 255, 255, 225))
    p.setPen(QPen(GRID, 0.5))
    p.drawRect(best)
    p.setFont(font)
    for i, (label, color, dashed, shape) in enumerate(entries):
        y = best.top() + 2 + line_h * (i + 0.5)
        if shape is None:
            p.setPen(QPen(color, 1.3, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine))
            p.drawLine(QPointF(best.left() + 3, y), QPointF(best.left() + 15, y))
        else:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(color))
            c = QPointF(best.left() + 9, y)
            if shape == "diamond":
                path = QPainterPath()
                path.moveTo(c.x(), c.y() - 3)
                path.lineTo(c.x() + 3, c.y())
                path.lineTo(c.x(), c.y() + 3)
                path.lineTo(c.x() - 3, c.y())
                path.closeSubpath()
                p.drawPath(path)
            else:
                p.drawEllipse(c, 2.4, 2.4)
            p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(INK)
        p.drawText(QRectF(best.left() + 18, y - line_h / 2, w - 18, line_h),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)


# --------------------------------------------------------------------------- bar charts
@dataclass
class Bar:
    label: str
    value: float
    color: QColor
    text: str  # printed beside the bar


def draw_bar_panels(title: str, panels: list[tuple[str, list[Bar]]], width_mm: float = 174,
                    dpi: int = DPI, signed: bool = False, row_mm: float = 5.2) -> QImage:
    """Horizontal bars, one panel per (heading, bars), sharing the row labels of the first.
    `signed`: bars grow left (negative) or right (positive) from a zero line."""
    n = max(len(b) for _, b in panels)
    height_mm = (24 + n * row_mm * PT_PER_MM + 3) / PT_PER_MM
    img, p, W, H = _canvas(width_mm, height_mm, dpi)
    f_title, f_lab, f_val = _font(8.2, True), _font(6.8), _font(6.4)
    fm_lab, fm_val = QFontMetricsF(f_lab, img), QFontMetricsF(f_val, img)
    labels = [b.label for b in panels[0][1]]
    lab_w = min(W * 0.35, max(fm_lab.horizontalAdvance(t) for t in labels) + 6)
    p.setFont(f_title)
    p.setPen(INK)
    p.drawText(QRectF(0, 1, W, 11), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    row_h = row_mm * PT_PER_MM
    top = 24
    p.setFont(f_lab)
    for i, t in enumerate(labels):
        y = top + i * row_h
        p.drawText(QRectF(0, y, lab_w - 4, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                   fm_lab.elidedText(t, Qt.TextElideMode.ElideRight, lab_w - 4))
    gap = 10
    panel_w = (W - lab_w - gap * (len(panels) - 1)) / len(panels)
    for k, (heading, bars) in enumerate(panels):
        x0 = lab_w + k * (panel_w + gap)
        text_w = max((fm_val.horizontalAdvance(b.text) for b in bars), default=0) + 4
        p.setFont(_font(7.0, True))
        p.setPen(INK)
        p.drawText(QRectF(x0, 12, panel_w, 10), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, heading)
        vmax = max((abs(b.value) for b in bars), default=0.0) or 1.0
        if signed:
            neg = any(b.value < 0 for b in bars)
            pos = any(b.value > 0 for b in bars)
            if neg and pos:
                half = (panel_w - 2 * text_w) / 2
                zero = x0 + text_w + half
            elif neg:
                half, zero = panel_w - text_w, x0 + panel_w
            else:
                half, zero = panel_w - text_w, x0
            p.setPen(QPen(AXIS, 0.6))
            p.drawLine(QPointF(zero, top - 2), QPointF(zero, top + n * row_h))
        else:
            zero, half = x0, panel_w - text_w
        p.setFont(f_val)
        for i, b in enumerate(bars):
            y = top + i * row_h
            length = abs(b.value) / vmax * half
            if b.value >= 0:
                r = QRectF(zero, y + row_h * 0.18, length, row_h * 0.64)
                tr = QRectF(zero + length + 2, y, text_w, row_h)
                align = Qt.AlignmentFlag.AlignLeft
            else:
                r = QRectF(zero - length, y + row_h * 0.18, length, row_h * 0.64)
                tr = QRectF(zero - length - 2 - text_w, y, text_w, row_h)
                align = Qt.AlignmentFlag.AlignRight
            p.fillRect(r, b.color)
            p.setPen(INK)
            p.drawText(tr, align | Qt.AlignmentFlag.AlignVCenter, b.text)
    return _finish(img, p, dpi)


# --------------------------------------------------------------------------- cross-section
@dataclass
class Band:
    label: str  # e.g. "Cathode composite"
    detail: str  # e.g. "NMC811 85 %, Li3InCl6 15 % · 76.5 µm"
    thickness_um: float
    color: QColor
    share: str = ""  # e.g. "½ per unit cell"


def draw_cross_section(title: str, bands: list[Band], width_mm: float = 174, dpi: int = DPI,
                       min_band_pt: float = 10.0, scale_pt_per_um: float | None = None) -> QImage:
    """The unit cell's layers drawn to scale in thickness (thin films get a minimum height,
    said in the caption), positive collector on top."""
    total = sum(b.thickness_um for b in bands) or 1.0
    if scale_pt_per_um is None:
        scale_pt_per_um = min(1.0, 110.0 / total)
    heights = [max(min_band_pt, b.thickness_um * scale_pt_per_um) for b in bands]
    height_mm = (16 + sum(heights) + 4) / PT_PER_MM
    img, p, W, H = _canvas(width_mm, height_mm, dpi)
    p.setFont(_font(8.2, True))
    p.setPen(INK)
    p.drawText(QRectF(0, 1, W, 11), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    bx, bw = 4, W * 0.30
    y = 16
    f_lab, f_det = _font(6.9, True), _font(6.6)
    for b, h in zip(bands, heights):
        r = QRectF(bx, y, bw, h)
        p.fillRect(r, b.color)
        p.setPen(QPen(QColor("white"), 0.6))
        p.drawLine(QPointF(bx, y), QPointF(bx + bw, y))
        tx = bx + bw + 8
        p.setPen(INK)
        p.setFont(f_lab)
        lab_w = QFontMetricsF(f_lab, img).horizontalAdvance(b.label)
        p.drawText(QRectF(tx, y, lab_w + 2, h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, b.label)
        p.setFont(f_det)
        p.setPen(AXIS)
        det = b.detail + (f"  ({b.share})" if b.share else "")
        p.drawText(QRectF(tx + lab_w + 8, y, W - tx - lab_w - 10, h),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   QFontMetricsF(f_det, img).elidedText(det, Qt.TextElideMode.ElideRight, W - tx - lab_w - 10))
        y += h
    p.setPen(QPen(AXIS, 0.6))
    p.drawRect(QRectF(bx, 16, bw, y - 16))
    return _finish(img, p, dpi)


def side_by_side(images: list[QImage], gap_mm: float = 4, dpi: int = DPI) -> QImage:
    """Images of equal height placed in one row (one figure in the report)."""
    gap = round(gap_mm / 25.4 * dpi)
    w = sum(i.width() for i in images) + gap * (len(images) - 1)
    h = max(i.height() for i in images)
    out = QImage(w, h, QImage.Format.Format_RGB32)
    out.fill(QColor("white"))
    p = QPainter(out)
    x = 0
    for i in images:
        p.drawImage(x, 0, i)
        x += i.width() + gap
    p.end()
    out.setDotsPerMeterX(round(dpi / 0.0254))
    out.setDotsPerMeterY(round(dpi / 0.0254))
    return out
