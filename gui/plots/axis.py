"""An axis that lays its ticks and labels out faster, with the same result as pyqtgraph's.

pyqtgraph's AxisItem.generateDrawSpecs (run whenever an axis's range or size changes) makes a
pyqtgraph Point object for both ends of every tick (about 40 per axis with the sub-minor
ticks) and asks the painter to measure every tick label's text again, although the same few
strings come back edit after edit. With the plots panel's four plots and the colour bar, that
was about 2 ms of an edit that changes the axes' ranges (issue 15). `Axis` returns the same
specs (tests/gui/test_axis.py compares them with pyqtgraph's for many ranges, sizes and
orientations) with plain QPointF ends and the text sizes kept per font and string.

The code follows pyqtgraph 0.13/0.14's AxisItem.generateDrawSpecs (MIT licence, copyright
the pyqtgraph developers), with the paths our plots do not take (a grid, stopAxisAtTick,
fixed tick levels) left to pyqtgraph's own method."""
from __future__ import annotations

from bisect import bisect_left
from math import ceil

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPen

_ALIGN = {
    "left": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    "right": Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    "top": Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
    "bottom": Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
}
_MEASURE_RECT = QRectF(0, 0, 100, 100)
_TEXT_SIZES: dict[tuple[str, str], tuple[float, float]] = {}   # (font key, text) -> (w, h)


def _text_size(painter, font_key: str, text: str) -> tuple[float, float]:
    """The width and (0.8 x) height pyqtgraph gives a tick label, measured once per font."""
    size = _TEXT_SIZES.get((font_key, text))
    if size is None:
        br = painter.boundingRect(_MEASURE_RECT, Qt.AlignmentFlag.AlignCenter, text)
        br.setHeight(br.height() * 0.8)   # as pyqtgraph: the bounding rect is a bit too large
        size = (br.width(), br.height())
        if len(_TEXT_SIZES) > 4096:
            _TEXT_SIZES.clear()
        _TEXT_SIZES[(font_key, text)] = size
    return size


def axes(*names: str) -> dict[str, "Axis"]:
    """Axis items for pg.PlotItem(axisItems=...) / addPlot(axisItems=...)."""
    return {n: Axis(n) for n in names}


class Axis(pg.AxisItem):
    """pg.AxisItem with a faster generateDrawSpecs and tickValues (the same specs, the same
    values)."""

    def boundingRect(self):  # noqa: N802 - Qt override
        """pyqtgraph's bounds (the axis's rectangle plus a margin for the text that flows
        past its ends), kept for its geometry and style: Qt asks for them about 50 times per
        edit with four plots shown, and pyqtgraph works them out again each time."""
        if self.grid is not False:   # (a grid reaches over the linked view: its bounds too)
            return super().boundingRect()
        style = self.style
        key = (self.geometry(), style["tickLength"], style["hideOverlappingLabels"], self.orientation)
        kept = getattr(self, "_bounds_kept", None)
        if kept is None or kept[0] != key:
            kept = self._bounds_kept = (key, super().boundingRect())
        return QRectF(kept[1])

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph override
        """pyqtgraph's tick values in plain Python: its method builds numpy arrays and an
        all-pairs np.isclose per level to drop the ticks a coarser level has (about 0.12 ms of
        an axis's 0.3 ms layout, run on every change of its range). The same floats: each
        value is (i * spacing + start) / scale, as numpy computes them, and a tick is dropped
        when a coarser tick lies within spacing / 100 of it (np.isclose with rtol = 0)."""
        if self.logMode:
            return super().tickValues(minVal, maxVal, size)
        minVal, maxVal = sorted((minVal, maxVal))
        scale = self.scale
        minVal *= scale
        maxVal *= scale
        ticks = []
        seen: list[float] = []   # the values of the coarser levels, sorted
        for spacing, offset in self.tickSpacing(minVal, maxVal, size):
            start = (ceil((minVal - offset) / spacing) * spacing) + offset
            num = int((maxVal - start) / spacing) + 1
            atol = spacing / scale * 0.01
            values = []
            for i in range(max(num, 0)):
                v = (i * spacing + start) / scale
                k = bisect_left(seen, v - atol)
                if k < len(seen) and abs(seen[k] - v) <= atol:
                    continue
                if k > 0 and abs(seen[k - 1] - v) <= atol:
                    continue
                values.append(v)
            seen = sorted(seen + values)
            ticks.append((spacing / scale, values))
        return ticks

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph override
        style = self.style
        if (self.grid is not False or self._tickLevels is not None
                or style["stopAxisAtTick"][0] or style["stopAxisAtTick"][1]
                or not isinstance(style["tickAlpha"], (type(None), int))):
            return super().generateDrawSpecs(p)
        if style["tickFont"] is not None:
            p.setFont(style["tickFont"])
        bounds = self.mapRectFromParent(self.geometry())
        tickBounds = bounds   # (no grid)
        orient = self.orientation
        if orient == "left":
            span = (bounds.topRight() + QPointF(-1.0, -1.0), bounds.bottomRight() + QPointF(-1.0, 1.0))
            tickStart, tickStop, tickDir, axis = tickBounds.right(), bounds.right(), -1, 0
        elif orient == "right":
            span = (bounds.topLeft() + QPointF(1.0, -1.0), bounds.bottomLeft() + QPointF(1.0, 1.0))
            tickStart, tickStop, tickDir, axis = tickBounds.left(), bounds.left(), 1, 0
        elif orient == "top":
            span = (bounds.bottomLeft() + QPointF(-1.0, -1.0), bounds.bottomRight() + QPointF(1.0, -1.0))
            tickStart, tickStop, tickDir, axis = tickBounds.bottom(), bounds.bottom(), -1, 1
        elif orient == "bottom":
            span = (bounds.topLeft() + QPointF(-1.0, 1.0), bounds.topRight() + QPointF(1.0, 1.0))
            tickStart, tickStop, tickDir, axis = tickBounds.top(), bounds.top(), 1, 1
        else:
            raise ValueError("self.orientation must be in {'left', 'right', 'top', 'bottom'}")
        points = [self.mapToDevice(s) for s in span]
        if None in points:
            return None
        lengthInPixels = pg.Point(points[1] - points[0]).length()
        if lengthInPixels == 0:
            return None

        tickLevels = self.tickValues(self.range[0], self.range[1], lengthInPixels)
        r0, r1 = self.range
        dif = r1 - r0
        if dif == 0:
            xScale, offset = 1, 0
        elif axis == 0:
            xScale = -bounds.height() / dif
            offset = r0 * xScale - bounds.height()
        else:
            xScale = bounds.width() / dif
            offset = r0 * xScale
        xRange = [r0 * xScale - offset, r1 * xScale - offset]
        xMin, xMax = min(xRange), max(xRange)

        tickPositions = []
        tickSpecs = []
        for i, (_spacing, ticks) in enumerate(tickLevels):
            positions = []
            tickPositions.append(positions)
            tickLength = style["tickLength"] / ((i * 0.5) + 1.0)
            lineAlpha = style["tickAlpha"]
            if lineAlpha is None:
                lineAlpha = 255 / (i + 1)
            elif lineAlpha > 255 or lineAlpha < 0:
                raise ValueError("lineAlpha should be [0..255]")
            tickPen = self.tickPen()
            if tickPen.brush().style() == Qt.BrushStyle.SolidPattern:
                tickPen = QPen(tickPen)
                color = QColor(tickPen.color())
                color.setAlpha(int(lineAlpha))
                tickPen.setColor(color)
            stop = tickStop + tickLength * tickDir   # (tickStart == tickStop: no grid)
            for v in ticks:
                x = (v * xScale) - offset
                if x < xMin or x > xMax:
                    positions.append(None)
                    continue
                positions.append(x)
                if axis == 0:
                    tickSpecs.append((tickPen, QPointF(tickStart, x), QPointF(stop, x)))
                else:
                    tickSpecs.append((tickPen, QPointF(x, tickStart), QPointF(x, stop)))

        axisSpec = (self.pen(), span[0], span[1])
        textOffset = style["tickTextOffset"][axis]
        textSize2 = 0
        lastTextSize2 = 0
        textSizes: list[tuple[float, float]] = []
        textSpecs = []
        if not style["showValues"]:
            return (axisSpec, tickSpecs, textSpecs)

        font_key = p.font().key()
        flags = _ALIGN[orient] | Qt.TextFlag.TextDontClip
        offset_px = max(0, style["tickLength"]) + textOffset
        br = self.boundingRect()
        for i in range(min(len(tickLevels), style["maxTextLevel"] + 1)):
            spacing, values = tickLevels[i]
            strings = self.tickStrings(values, self.autoSIPrefixScale * self.scale, spacing)
            if len(strings) == 0:
                continue
            positions = tickPositions[i]
            sizes = []
            for j, s in enumerate(strings):
                if positions[j] is None:
                    strings[j] = s = None
                if s is None:
                    sizes.append(None)
                else:
                    size = _text_size(p, font_key, s)
                    sizes.append(size)
                    textSizes.append(size)
            if textSizes:
                if axis == 0:
                    textSize = sum(h for _w, h in textSizes)
                    textSize2 = max(w for w, _h in textSizes)
                else:
                    textSize = sum(w for w, _h in textSizes)
                    textSize2 = max(h for _w, h in textSizes)
            else:
                textSize = textSize2 = 0
            if i > 0:   # always draw the top level; stop when the text gets crowded
                textFillRatio = float(textSize) / lengthInPixels
                if any(len(textSpecs) >= nTexts and textFillRatio >= limit
                       for nTexts, limit in style["textFillLimits"]):
                    break
            lastTextSize2 = textSize2
            for j, vstr in enumerate(strings):
                if vstr is None:
                    continue
                x = positions[j]
                width, height = sizes[j]
                if orient == "left":
                    rect = QRectF(tickStop - offset_px - width, x - (height / 2), width, height)
                elif orient == "right":
                    rect = QRectF(tickStop + offset_px, x - (height / 2), width, height)
                elif orient == "top":
                    rect = QRectF(x - width / 2., tickStop - offset_px - height, width, height)
                else:
                    rect = QRectF(x - width / 2., tickStop + offset_px, width, height)
                if br & rect != rect:
                    continue
                textSpecs.append((rect, flags, vstr))
        self._updateMaxTextSize(lastTextSize2)
        return axisSpec, tickSpecs, textSpecs
