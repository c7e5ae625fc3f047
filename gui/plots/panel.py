"""The plots panel the main window embeds as a tab: sensitivity panels, a design map and goal
seek on one page, parallel vs bipolar stacking on another.

`set_design(design, result)` is called after every edit; visible plots update at once (setData
on existing items), hidden ones when they are next shown."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout,
                               QLabel, QMenu, QScrollArea, QSizePolicy, QSplitter, QTabWidget,
                               QToolButton, QVBoxLayout, QWidget)

import core
from core.model import PARAMETERS

from ..fence import settle_layouts
from . import common as c
from .design_map import DesignMapWidget
from .goal_seek import GoalSeekWidget
from .sensitivity import SensitivityPlotWidget
from .stacking import StackingCompareWidget

COLUMNS = 2


class PlotsPanel(QWidget):
    """Live sensitivity plots, design map, goal seek and parallel-vs-bipolar comparison."""

    sig_apply_parameter = Signal(str, float)

    def event(self, ev):  # noqa: N802 - Qt override
        # shown as a window of its own: one paint per edit for all its plots (in the main
        # window, the main window does this)
        if ev.type() == QEvent.Type.UpdateRequest and self.isWindow():
            try:
                settle_layouts()
                c.flush_scenes(self)
            finally:   # the panel paints whatever the flush raised
                ok = super().event(ev)
            return ok
        return super().event(ev)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.design: core.Design | None = None
        self.result: core.Result | None = None
        self.settings = c.PlotSettings()
        self.sensitivity_panels: list[SensitivityPlotWidget] = []
        self._kind: str | None = None
        self._user_panels = False
        self._user_targets = False
        self._dirty: set[int] = set()
        self._build()

    # ------------------------------------------------------------------ construction
    def _build(self):
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(3)
        self.level_combo = QComboBox()
        for lv in c.LEVELS.values():
            self.level_combo.addItem(lv.label, lv.name)
        self.level_combo.setCurrentIndex(list(c.LEVELS).index(c.DEFAULT_LEVEL))
        self.level_combo.setToolTip("Energy density of one unit cell, of the stack (no pouch), or of "
                                    "the whole pouch cell")
        self.level_combo.currentIndexChanged.connect(self._on_settings)
        self.kg_check, self.l_check = QCheckBox("Target"), QCheckBox("Target")
        self.kg_spin, self.l_spin = QDoubleSpinBox(), QDoubleSpinBox()
        for chk, spin, unit, v in ((self.kg_check, self.kg_spin, "Wh/kg", 400.0),
                                   (self.l_check, self.l_spin, "Wh/L", 1000.0)):
            chk.setChecked(True)
            chk.setToolTip(f"Show the {unit} target line and the value each lever needs to reach it")
            spin.setRange(1, 5000)
            spin.setDecimals(0)
            spin.setSingleStep(10)
            spin.setSuffix(f" {unit}")
            spin.setKeyboardTracking(False)
            spin.setValue(v)
            spin.setMinimumWidth(spin.sizeHint().width())  # never clip the unit
            chk.toggled.connect(self._on_targets_edited)
            spin.valueChanged.connect(self._on_targets_edited)
        # a maximum: the materials cost per kWh at or below it (the design map's isoline and the
        # goal seek's default); the value is the example, not a sourced target
        self.cost_check, self.cost_spin = QCheckBox("Target"), QDoubleSpinBox()
        self.cost_check.setChecked(True)
        self.cost_check.setToolTip("Show the materials cost target (USD/kWh, materials only; a "
                                   "maximum) on the design map; the goal seek starts from it")
        self.cost_spin.setRange(1, 5000)
        self.cost_spin.setDecimals(0)
        self.cost_spin.setSingleStep(10)
        self.cost_spin.setPrefix("≤ ")
        self.cost_spin.setSuffix(f" {c.COST_UNIT}")
        self.cost_spin.setKeyboardTracking(False)
        self.cost_spin.setValue(c.DEFAULT_COST_TARGET)
        self.cost_spin.setToolTip("Materials cost per kWh of the pouch cell's energy, at most")
        self.cost_spin.setMinimumWidth(self.cost_spin.sizeHint().width())
        self.cost_check.toggled.connect(self._on_targets_edited)
        self.cost_spin.valueChanged.connect(self._on_targets_edited)
        self.add_btn = QToolButton()
        self.add_btn.setText("Add plot")
        self.add_btn.setToolTip("Add a sensitivity plot for another parameter")
        self.add_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_menu = QMenu(self.add_btn)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        self.add_btn.setMenu(self.add_menu)
        self.reset_btn = QToolButton()
        self.reset_btn.setText("Default plots")
        self.reset_btn.setToolTip("The default plots and targets for this design's chemistry")
        self.reset_btn.clicked.connect(self.reset_defaults)
        # the toolbar flows: groups wrap to a second row in a narrow panel instead of being
        # squeezed ('Def...ots', a Target check box drawn over its field)
        def group(*widgets):
            host = QWidget()
            h = QHBoxLayout(host)
            h.setContentsMargins(0, 0, 0, 0)
            h.setSpacing(3)
            for wdg in widgets:
                h.addWidget(wdg)
            return host
        self.status = c.ThemedLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.toolbar = QWidget()
        flow = c.FlowLayout(self.toolbar, spacing=10)
        for g in (group(QLabel("Level"), self.level_combo), group(self.kg_check, self.kg_spin),
                  group(self.l_check, self.l_spin), group(self.cost_check, self.cost_spin),
                  group(self.add_btn, self.reset_btn), self.status):
            flow.addWidget(g)
        sp = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        sp.setHeightForWidth(True)
        self.toolbar.setSizePolicy(sp)
        lay.addWidget(self.toolbar)
        self.legend = c.ThemedLabel(
            f'<span style="color:{c.KG_COLOR}">━━ Wh/kg (left axis)</span> &nbsp; '
            f'<span style="color:{c.L_COLOR}">╍╍ Wh/L (right axis)</span> &nbsp; '
            f'● ■ current design &nbsp; '
            f'<span style="color:#555">-·- target, ◇ value needed</span> &nbsp; '
            f'<span style="color:{c.LIT_COLOR}">▮ literature (hover for the source)</span>')
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)   # a narrow panel wraps it instead of cutting it off
        lay.addWidget(self.legend)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._on_tab)
        lay.addWidget(self.tabs, 1)

        page = QSplitter(Qt.Orientation.Horizontal)
        page.setChildrenCollapsible(False)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        self.scroll.setWidget(self.grid_host)
        page.addWidget(self.scroll)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        self.design_map = DesignMapWidget()
        self.goal_seek = GoalSeekWidget()
        self.goal_seek.sig_apply_parameter.connect(self.sig_apply_parameter)
        right.addWidget(self.design_map)
        right.addWidget(self.goal_seek)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 0)
        page.addWidget(right)
        self.right = right
        self._map_in_own_tab = False
        page.setStretchFactor(0, 5)
        page.setStretchFactor(1, 3)
        page.setSizes([720, 470])
        self.page_splitter = page
        self.tabs.addTab(page, "Sensitivity and design map")
        self.stacking = StackingCompareWidget()
        self.tabs.addTab(self.stacking, "Parallel vs bipolar")
        from .block_tabs import add_block_tabs  # life, pressure, Ragone, confidence tabs
        self.block_tabs = add_block_tabs(self.tabs)

    # ------------------------------------------------------------------ panels
    def add_panel(self, parameter: str, lo: float | None = None, hi: float | None = None,
                  user: bool = True) -> SensitivityPlotWidget:
        """Add a sensitivity plot (optionally over lo..hi) and draw it for the current design."""
        if parameter not in PARAMETERS:
            raise ValueError(f"parameter: unknown parameter {parameter!r}; known: {', '.join(PARAMETERS)}")
        w = SensitivityPlotWidget(parameter)
        if lo is not None and hi is not None:
            msg = w.set_range(lo, hi, redraw=False)
            if msg:
                raise ValueError(msg)
        w.sig_remove.connect(self.remove_panel)
        w.sig_parameter_changed.connect(self._on_panel_changed)
        w.sig_apply_parameter.connect(self.sig_apply_parameter)
        self.sensitivity_panels.append(w)
        self._relayout()
        if user:
            self._user_panels = True
        if self.design is not None:
            w.update_plot(self.design, self.result, self.settings)
        return w

    def remove_panel(self, w: SensitivityPlotWidget):
        if w in self.sensitivity_panels:
            self.sensitivity_panels.remove(w)
            self.grid.removeWidget(w)
            w.hide()
            w.deleteLater()
            self._user_panels = True
            self._relayout()

    def set_panels(self, parameters: list[str]):
        for w in list(self.sensitivity_panels):
            self.sensitivity_panels.remove(w)
            self.grid.removeWidget(w)
            w.hide()
            w.deleteLater()
        for p in parameters:
            self.add_panel(p, user=False)

    def _columns(self) -> int:
        """Two columns of plots where two fit at their minimum width, else one (no plot cut off)."""
        if self.width() < self.NARROW_PX:   # the map has its own tab: the plots get the width
            avail = self.width() - 30
        else:
            avail = self.page_splitter.sizes()[0] - 20
        return COLUMNS if avail >= COLUMNS * 262 + 8 or not self.isVisible() else 1

    def _relayout(self):
        cols = self._columns()
        self._cols = cols
        for w in self.sensitivity_panels:
            self.grid.removeWidget(w)
        for i, w in enumerate(self.sensitivity_panels):
            self.grid.addWidget(w, i // cols, i % cols)
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 1)

    def _on_panel_changed(self, _w):
        self._user_panels = True

    def _fill_add_menu(self):
        self.add_menu.clear()
        avail = core.available_parameters(self.design) if self.design is not None else list(PARAMETERS)
        shown = {w.parameter for w in self.sensitivity_panels}
        for n in avail:
            act = self.add_menu.addAction(c.axis_label(n, self.design), lambda n=n: self.add_panel(n))
            act.setEnabled(n not in shown)

    def reset_defaults(self):
        """Default plots and targets for the current design's chemistry."""
        self._user_panels = False
        self._user_targets = False
        if self.design is not None:
            self._apply_defaults(self.design)
            self._refresh(force=True)

    def _apply_defaults(self, design: core.Design):
        if not self._user_panels:
            self.set_panels(c.default_parameters(design))
            self._user_panels = False
        if not self._user_targets:
            kg, wl = c.default_targets(design)
            for spin, v in ((self.kg_spin, kg), (self.l_spin, wl), (self.cost_spin, c.DEFAULT_COST_TARGET)):
                spin.blockSignals(True)
                spin.setValue(v)
                spin.blockSignals(False)
            self._read_settings()
        avail = core.available_parameters(design)
        p1, p2 = self.design_map.p1, self.design_map.p2
        if p1 not in avail or p2 not in avail:
            want = [p for p in c.DEFAULT_MAP if p in avail] + [p for p in avail if p not in c.DEFAULT_MAP]
            self.design_map.p1, self.design_map.p2 = want[0], want[1]

    # ------------------------------------------------------------------ settings
    def _read_settings(self):
        self.settings = c.PlotSettings(
            level=self.level_combo.currentData(),
            target_Wh_kg=self.kg_spin.value() if self.kg_check.isChecked() else None,
            target_Wh_L=self.l_spin.value() if self.l_check.isChecked() else None,
            target_USD_kWh=self.cost_spin.value() if self.cost_check.isChecked() else None)

    def _on_settings(self, *_):
        self._read_settings()
        self._refresh(force=True)

    def _on_targets_edited(self, *_):
        self._user_targets = True
        self._on_settings()

    def set_level(self, level: str):
        """'unit_cell', 'stack' or 'pouch'."""
        if level not in c.LEVELS:
            raise ValueError(f"level: must be one of {', '.join(c.LEVELS)}, got {level!r}")
        self.level_combo.setCurrentIndex(list(c.LEVELS).index(level))

    def set_targets(self, Wh_kg: float | None, Wh_L: float | None, USD_kWh: float | None | str = "keep"):
        """Target lines (None: off), as the user sets them in the toolbar; USD_kWh is the
        materials cost maximum ("keep": leave it as it is)."""
        fields = [(self.kg_check, self.kg_spin, Wh_kg), (self.l_check, self.l_spin, Wh_L)]
        if USD_kWh != "keep":
            fields.append((self.cost_check, self.cost_spin, USD_kWh))
        for chk, spin, v in fields:
            for w in (chk, spin):
                w.blockSignals(True)
            chk.setChecked(v is not None)
            if v is not None:
                spin.setValue(v)
            for w in (chk, spin):
                w.blockSignals(False)
        self._on_targets_edited()

    # ------------------------------------------------------------------ design updates
    def set_design(self, design: core.Design, result: core.Result | None = None):
        """Show a design (and its evaluated result); called after every edit."""
        if result is None:
            try:
                result = core.evaluate(design)
            except core.DesignError as e:
                self.status.setText(f'<span style="color:#8a1c1c">Plots not updated: {e}</span>')
                return
        self.status.setText("")
        self.design, self.result = design, result
        kind = c.chemistry(design)
        if kind != self._kind:
            self._kind = kind
            self._apply_defaults(design)
        self._refresh(force=True)

    def _widgets(self):
        return list(self.sensitivity_panels) + [self.design_map, self.goal_seek, self.stacking] \
            + list(self.block_tabs.values())  # the block tabs follow the plots' settings too

    def _refresh(self, force: bool = False):
        """Update the visible plots now; hidden ones are marked and updated when shown."""
        if self.design is None:
            return
        if force:
            self._dirty = {id(w) for w in self._widgets()}
        if self.parentWidget() is not None and not self.isVisibleTo(self.window()):
            return  # on a tab the user is not looking at: brought up to date when shown
        default_param = next((p for p in ("separator.thickness_um",) if p in
                              core.available_parameters(self.design)), None)
        for w in self._widgets():
            if id(w) not in self._dirty or not self._on_current_page(w):
                continue
            if w is self.goal_seek:
                w.update_plot(self.design, self.result, self.settings, default_param)
            else:
                w.update_plot(self.design, self.result, self.settings)
            self._dirty.discard(id(w))
            _settle_views(w)

    def _on_tab(self, index: int):
        self.legend.setVisible(index == 0)  # the legend describes the sensitivity plots
        self._refresh()

    def _on_current_page(self, w) -> bool:
        """Whether w is on the page shown (works before the window is first shown)."""
        page = self.tabs.currentWidget()
        return page is not None and (w is page or page.isAncestorOf(w))

    def showEvent(self, ev):
        super().showEvent(ev)
        if self._columns() != getattr(self, "_cols", COLUMNS):
            self._relayout()
        self._refresh()

    NARROW_PX = 1100  # below this the map and goal seek get their own tab

    def resizeEvent(self, ev):  # noqa: N802 - Qt override
        super().resizeEvent(ev)
        if self._columns() != getattr(self, "_cols", COLUMNS):
            self._relayout()
        narrow = self.width() < self.NARROW_PX
        if narrow == self._map_in_own_tab:
            return
        current = self.tabs.currentWidget()
        self.tabs.blockSignals(True)
        if narrow:
            self.tabs.insertTab(1, self.right, "Design map and goal seek")
            self.tabs.setTabText(0, "Sensitivity")
        else:
            self.tabs.removeTab(self.tabs.indexOf(self.right))
            self.page_splitter.addWidget(self.right)
            self.page_splitter.setSizes([720, 470])
            self.tabs.setTabText(0, "Sensitivity and design map")
            if current is self.right:
                current = self.page_splitter
        self._map_in_own_tab = narrow
        self.tabs.setCurrentWidget(current)
        self.tabs.blockSignals(False)
        self._on_tab(self.tabs.currentIndex())


def _settle_views(widget) -> None:
    """Apply the new view ranges to the axes and items now, before the repaint. Left to the
    paint itself, pyqtgraph's deferred view-matrix update makes every plot paint twice.
    (A plot widget makes its graphics views once, so they are looked up once.)"""
    views = getattr(widget, "_graphics_views", None)
    if views is None:
        views = widget._graphics_views = widget.findChildren(pg.GraphicsView)
    for view in views:
        view.scene().prepareForPaint()
