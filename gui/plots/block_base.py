"""Shared frame of the plots of the optional blocks (life, pressure, rate, confidence): a
pyqtgraph plot on white, a header line, a footer that states the model's simplifications
(core.model.ASSUMPTIONS) and PNG / SVG / CSV export. Every plot item is made once;
`update_plot(design, result, settings)` only moves them."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout

import core
from core.model import ASSUMPTIONS

from . import common as c


def assumptions_html(*stages: str) -> str:
    """The simplification labels of the given model stages ('lithium', 'fixture', 'rate', ...)."""
    return "<br>".join(c.html_escape(ASSUMPTIONS[s]) for s in stages if s in ASSUMPTIONS)


def assumptions_text(*stages: str) -> str:
    return "\n".join(ASSUMPTIONS[s] for s in stages if s in ASSUMPTIONS)


class LogTicksAxis(pg.AxisItem):
    """A log axis whose labels read as plain numbers (0.1, 1, 10) rather than 10^x: 1, 2 and 5
    of each decade, and every one of 1-9 where the axis spans less than a decade (so a narrow
    range still reads)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph override
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        lo, hi = self.range
        labelled = tuple(range(1, 10)) if abs(hi - lo) < 1.0 else (1, 2, 5)
        out = []
        for v in values:
            x = 10.0 ** v
            mant = x / 10.0 ** np.floor(np.log10(x) + 1e-9)
            if not any(abs(mant - m) < 1e-6 for m in labelled):
                out.append("")      # over a decade or more, 3, 4, 6-9 unlabelled (no crowding)
            elif x >= 1000:
                out.append(f"{x:,.0f}")
            else:
                out.append(f"{x:.3g}")
        return out


class BlockPlotWidget(QFrame):
    """Base: title/status label, one plot, a footer with the assumptions."""

    TITLE = "plot"
    STAGES: tuple[str, ...] = ()

    def __init__(self, parent=None, log_x: bool = False, log_y: bool = False, right_axis: bool = False):
        super().__init__(parent)
        self.design: core.Design | None = None
        self.result: core.Result | None = None
        self.settings = c.PlotSettings()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 3, 4, 3)
        lay.setSpacing(2)
        head = QHBoxLayout()
        self.title = c.ThemedLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.export_btn = c.make_export_button(self, self.TITLE, "⋯")
        head.addWidget(self.export_btn)
        lay.addLayout(head)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(c.BACKGROUND)
        self.graphics.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        axes = self.make_axes()
        if log_x:
            axes["bottom"] = LogTicksAxis("bottom")
        if log_y:
            axes["left"] = LogTicksAxis("left")
        self.plot = pg.PlotItem(axisItems=axes)
        self.graphics.ci.addItem(self.plot)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.setLogMode(x=log_x, y=log_y)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        names = ("left", "bottom") + (("right",) if right_axis else ())
        if right_axis:
            self.plot.showAxis("right")
        c.style_axes(self.plot, names)
        self.vb2 = None
        if right_axis:
            self.vb2 = pg.ViewBox(enableMouse=False)
            self.graphics.scene().addItem(self.vb2)
            self.plot.getAxis("right").linkToView(self.vb2)
            self.vb2.setXLink(self.plot.vb)
            self.plot.vb.sigResized.connect(self._sync_views)
        self.legend = self.plot.addLegend(offset=(-8, 8), labelTextColor=c.FOREGROUND,
                                          brush=pg.mkBrush(255, 255, 255, 215), pen=pg.mkPen("#bbbbbb"))
        self.note = pg.TextItem("", color="#8a1c1c", anchor=(0.5, 0.5))
        lay.addWidget(self.graphics, 1)
        self.footer = c.ThemedLabel()
        self.footer.setWordWrap(True)
        self.footer.setTextFormat(Qt.TextFormat.RichText)
        self.footer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        f = self.footer.font()
        f.setPointSizeF(f.pointSizeF() * 0.85)
        self.footer.setFont(f)
        lay.addWidget(self.footer)
        self.csv_headers: list[str] = []
        self.csv_data: list[tuple] = []

    def make_axes(self) -> dict:
        """Custom axis items by name (subclasses); log axes are added by the constructor."""
        return {}

    def _sync_views(self):
        self.vb2.setGeometry(self.plot.vb.sceneBoundingRect())
        self.vb2.linkedViewChanged(self.plot.vb, self.vb2.XAxis)

    def set_footer(self, lines: list[str]):
        """Footer: the plot's own notes, then the model's simplifications (also as tooltip)."""
        text = "<br>".join(lines + [f'<span style="color:#666">{assumptions_html(*self.STAGES)}</span>'])
        self.footer.setText(text)
        self.footer.setToolTip(assumptions_text(*self.STAGES))
        self.graphics.setToolTip(assumptions_text(*self.STAGES))

    def update_plot(self, design: core.Design, result: core.Result | None, settings: c.PlotSettings):
        raise NotImplementedError

    # ------------------------------------------------------------------ export
    def export_csv(self, path):
        return c.write_csv(path, self.csv_headers, self.csv_data)

    def export_png(self, path):
        return c.export_png(self.graphics, path)

    def export_svg(self, path):
        return c.export_svg(self.graphics, path)


def finite(a) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    return a[np.isfinite(a)]
