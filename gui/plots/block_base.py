"""Shared frame of the plots of the optional blocks (life, pressure, rate, confidence): a
pyqtgraph plot that follows the window's palette (light or dark), a header line, a footer that states the model's simplifications
(core.model.ASSUMPTIONS) and PNG / SVG / CSV export. Every plot item is made once;
`update_plot(design, result, settings)` only moves them."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QPen
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


def _on_dark(color: QColor) -> QColor:
    """A colour chosen for a white plot, lightened to read on a dark one (alpha kept)."""
    out = QColor(c.readable_on_dark(color.name()))
    out.setAlpha(color.alpha())
    return out


class BlockPlotWidget(QFrame):
    """Base: title/status label, one plot, a footer with the assumptions.

    The plot follows the window's palette: background and axes, the legend, and every item's
    pen, brush and text colour (chosen for a white plot; lightened on a dark one). Subclasses
    whose items change colour on every update restyle them in `_apply_theme` themselves."""

    TITLE = "plot"
    STAGES: tuple[str, ...] = ()
    AXIS_COLORS: dict[str, str] = {}   # axis name -> colour of an axis that names a curve

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
        self.graphics = c.graphics_layout()
        c.menu_on_right_click(self.graphics, self.export_btn)
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
            self.vb2 = pg.ViewBox(enableMouse=False, enableMenu=False)
            self.graphics.scene().addItem(self.vb2)
            self.plot.getAxis("right").linkToView(self.vb2)
            self.vb2.setXLink(self.plot.vb)
            self.plot.vb.sigResized.connect(self._sync_views)
        self.legend = self.plot.addLegend(offset=(-8, 8), labelTextColor=c.FOREGROUND,
                                          brush=pg.mkBrush(255, 255, 255, 215), pen=pg.mkPen("#bbbbbb"))
        self.note = pg.TextItem("", color="#8a1c1c", anchor=(0.5, 0.5))
        lay.addWidget(self.graphics, 1)
        self.footer = c.text_label(0.85, selectable=True)
        lay.addWidget(self.footer)
        self.csv_headers: list[str] = []
        self.csv_data: list[tuple] = []
        c.adopt_plot_menus(self, self.graphics)

    # ------------------------------------------------------------------ theme
    def showEvent(self, ev):  # noqa: N802 - Qt override
        if not getattr(self, "_themed", False):   # the first time: the palette it is shown in
            self._apply_theme()
        super().showEvent(ev)

    def changeEvent(self, ev):  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_theme()

    def _apply_theme(self):
        """Background, axes and legend from the window's palette, then the items' colours."""
        self._themed = True
        dark = c.is_dark(self)
        bg, fg = c.plot_colors(self)
        names = ("left", "bottom") + (("right",) if self.vb2 is not None else ())
        c.theme_view(self.graphics, [(self.plot, names)], self,
                     {(id(self.plot), k): v for k, v in self.AXIS_COLORS.items()})
        fill = QColor(bg)
        fill.setAlpha(215)
        self.legend.setBrush(pg.mkBrush(fill))
        self.legend.setPen(pg.mkPen(QColor(fg).darker(160) if not dark else QColor(fg).darker(200)))
        self.legend.setLabelTextColor(fg)
        for _sample, label in self.legend.items:   # labels made before: drawn again in the new colour
            label.setText(label.text, color=fg)
        views = [self.plot.vb] + ([self.vb2] if self.vb2 is not None else [])
        for it in [i for vb in views for i in vb.childGroup.childItems()]:   # with ignoreBounds ones
            _restyle(it, dark)

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


def _restyle(item, dark: bool) -> None:
    """One plot item in the light or the dark palette: its colours as made (for a white plot)
    are kept on it the first time, and lightened on a dark palette."""
    light = item.__dict__.setdefault("_ssb_light", {})

    def col(q: QColor) -> QColor:
        return _on_dark(q) if dark else QColor(q)

    def pen(key, current):
        p = QPen(light.setdefault(key, QPen(pg.mkPen(current))))
        p.setColor(col(p.color()))
        return p

    def brush(key, current):
        b = QBrush(light.setdefault(key, QBrush(pg.mkBrush(current))))
        b.setColor(col(b.color()))
        return b

    if isinstance(item, pg.PlotDataItem):
        item.setPen(pen("pen", item.opts["pen"]))
        if item.opts.get("fillBrush") is not None:
            item.setBrush(brush("brush", item.opts["fillBrush"]))
    elif isinstance(item, pg.ScatterPlotItem):
        item.setPen(pen("pen", item.opts["pen"]))
        item.setBrush(brush("brush", item.opts["brush"]))
    elif isinstance(item, pg.InfiniteLine):
        item.setPen(pen("pen", item.pen))
        if getattr(item, "label", None) is not None:
            item.label.setColor(col(light.setdefault("label", QColor(item.label.color))))
    elif isinstance(item, pg.TextItem):
        item.setColor(col(light.setdefault("color", QColor(item.color))))
