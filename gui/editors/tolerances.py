"""The tolerances editor (FORMAT.md section 10, MODEL.md step 12, issue 13): a table of
parameter, distribution (normal: sd; uniform: half width) and width, with the design's
value beside it. Every change (add, remove, edit) is one undoable command through the
EditController; width edits of one row merge into one step while the user types or spins."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

import core
from core.design import DISTRIBUTIONS, Tolerance
from core.model.params import check_pair

from ..commands import EditController

COLUMNS = ("Parameter", "Distribution", "sd / ± half width", "Design value")
DIST_TEXT = {"normal": "normal", "uniform": "uniform"}
DIST_TIP = {"normal": "normal: the width is the standard deviation",
            "uniform": "uniform: from value − width to value + width"}
DEFAULT_SHARE = 0.05   # a new tolerance: sd = 5 % of the design's value


def _unit(name: str) -> str:
    u = core.PARAMETERS[name].unit
    return "" if u in ("", "mass fraction") else u


def default_width(design: core.Design, name: str) -> float:
    v = core.parameter_value(design, name) or 1.0
    w = abs(v) * DEFAULT_SHARE
    if name in ("lithium.coulombic_efficiency",):
        w = 1e-4
    elif core.PARAMETERS[name].max_value == 1.0:
        w = min(w, 0.01)
    elif core.PARAMETERS[name].integer:
        w = max(1.0, round(w))
    return float(f"{w:.3g}")


class TolerancesEditorWidget(QWidget):
    def __init__(self, controller: EditController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.design: core.Design | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        intro = QLabel("Manufacturing tolerances of sweep parameters. They drive the Monte-Carlo spread "
                       "(P5–P95 bands on the sensitivity plots, the Confidence tab) and the tornado chart. "
                       "Each is drawn independently.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        hh = self.table.horizontalHeader()
        for i in (0, 1, 2):
            hh.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_btn = QPushButton("Add tolerance")
        self.add_btn.setToolTip("Add a tolerance on the next parameter without one (sd 5 % of its value)")
        self.add_btn.clicked.connect(lambda: self.add_tolerance())
        self.remove_btn = QPushButton("Remove")
        self.remove_btn.setToolTip("Remove the selected tolerance")
        self.remove_btn.clicked.connect(self._remove_selected)
        row.addWidget(self.add_btn)
        row.addWidget(self.remove_btn)
        row.addStretch(1)
        lay.addLayout(row)

    # ------------------------------------------------------------------ reading
    def set_design(self, design: core.Design) -> None:
        same_shape = (self.design is not None and self.table.rowCount() == len(design.tolerances)
                      and [t.parameter for t in self.design.tolerances] == [t.parameter for t in design.tolerances]
                      and core.available_parameters(self.design) == core.available_parameters(design))
        self.design = design
        if not same_shape:
            self._rebuild()
        else:
            self._refresh_values()
        self.add_btn.setEnabled(bool(self._free_parameters()))
        self.remove_btn.setEnabled(bool(design.tolerances))

    def _free_parameters(self) -> list[str]:
        """Parameters a new tolerance may qualify: none yet, and not setting the same electrode
        amount as one that has (loading and areal capacity cannot both vary)."""
        used = [t.parameter for t in self.design.tolerances]

        def clashes(p):
            try:
                for u in used:
                    check_pair(p, u)
            except core.DesignError:
                return True
            return False
        return [p for p in core.available_parameters(self.design) if p not in used and not clashes(p)]

    def _rebuild(self):
        d = self.design
        sel = self.table.currentRow()
        self.table.setRowCount(len(d.tolerances))
        avail = core.available_parameters(d)
        for i, t in enumerate(d.tolerances):
            pc = QComboBox()
            used = {u.parameter for u in d.tolerances if u.parameter != t.parameter}
            for n in [t.parameter] + [p for p in avail if p != t.parameter and p not in used]:
                p = core.PARAMETERS.get(n)
                pc.addItem(p.label if p else n, n)
                pc.setItemData(pc.count() - 1, n, Qt.ItemDataRole.ToolTipRole)
            pc.setCurrentIndex(0)
            pc.setToolTip("The sweep parameter this tolerance qualifies")
            pc.currentIndexChanged.connect(lambda _i, i=i, pc=pc: self.set_tolerance(i, parameter=pc.currentData()))
            dc = QComboBox()
            for dist in DISTRIBUTIONS:
                dc.addItem(DIST_TEXT.get(dist, dist), dist)
                dc.setItemData(dc.count() - 1, DIST_TIP.get(dist, dist), Qt.ItemDataRole.ToolTipRole)
            dc.setCurrentIndex(max(0, dc.findData(t.distribution)))
            dc.currentIndexChanged.connect(lambda _i, i=i, dc=dc: self.set_tolerance(i, distribution=dc.currentData()))
            sp = QDoubleSpinBox()
            sp.setDecimals(6)
            sp.setMinimumWidth(90)
            sp.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
            sp.setRange(1e-6, 1e6)
            sp.setKeyboardTracking(False)
            sp.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            sp.valueChanged.connect(lambda v, i=i: self.set_tolerance(i, width=v, merge=True))
            sp.editingFinished.connect(self.controller.seal)
            self.table.setCellWidget(i, 0, pc)
            self.table.setCellWidget(i, 1, dc)
            self.table.setCellWidget(i, 2, sp)
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(i, 3, item)
        self._refresh_values()
        if 0 <= sel < self.table.rowCount():
            self.table.selectRow(sel)

    def _refresh_values(self):
        d = self.design
        for i, t in enumerate(d.tolerances):
            sp = self.table.cellWidget(i, 2)
            dc = self.table.cellWidget(i, 1)
            for w in (sp, dc):
                w.blockSignals(True)
            dc.setCurrentIndex(max(0, dc.findData(t.distribution)))
            sp.setSingleStep(max(t.width / 10.0, 1e-6))
            sp.setSuffix(f" {_unit(t.parameter)}" if _unit(t.parameter) else "")
            sp.setValue(t.width)
            for w in (sp, dc):
                w.blockSignals(False)
            try:
                v = core.parameter_value(d, t.parameter)
            except core.DesignError:
                v = None
            unit = _unit(t.parameter)
            self.table.item(i, 3).setText("–" if v is None else f"{v:.6g}{(' ' + unit) if unit else ''}")

    # ------------------------------------------------------------------ edits
    def _push(self, tolerances: tuple, text: str, field: str | None = None) -> bool:
        return self.controller.change_fields(text, field=field, tolerances=tuple(tolerances))

    def add_tolerance(self, parameter: str | None = None, distribution: str = "normal",
                      width: float | None = None) -> bool:
        d = self.design
        free = self._free_parameters()
        if parameter is None:
            if not free:
                return self.controller.refuse("Every parameter of this design already has a tolerance.")
            parameter = free[0]
        w = default_width(d, parameter) if width is None else float(width)
        self.controller.seal()
        ok = self._push(d.tolerances + (Tolerance(parameter, distribution, w),),
                        f"Add tolerance on {core.PARAMETERS[parameter].label.lower()}")
        self.controller.seal()
        if ok:
            self.table.selectRow(len(self.design.tolerances) - 1)
        return ok

    def remove_tolerance(self, index: int) -> bool:
        d = self.design
        if not 0 <= index < len(d.tolerances):
            return self.controller.refuse(f"No tolerance at row {index + 1}.")
        t = d.tolerances[index]
        self.controller.seal()
        ok = self._push(d.tolerances[:index] + d.tolerances[index + 1:],
                        f"Remove tolerance on {core.PARAMETERS[t.parameter].label.lower()}")
        self.controller.seal()
        return ok

    def _remove_selected(self):
        row = self.table.currentRow()
        if row < 0 and self.design.tolerances:
            row = len(self.design.tolerances) - 1
        self.remove_tolerance(row)

    def set_tolerance(self, index: int, parameter: str | None = None, distribution: str | None = None,
                      width: float | None = None, merge: bool = False) -> bool:
        d = self.design
        if not 0 <= index < len(d.tolerances):
            return self.controller.refuse(f"No tolerance at row {index + 1}.")
        t = d.tolerances[index]
        new = t
        if parameter is not None and parameter != t.parameter:
            new = replace(new, parameter=parameter, width=default_width(d, parameter))
        if distribution is not None:
            new = replace(new, distribution=distribution)
        if width is not None:
            new = replace(new, width=float(width))
        if new == t:
            return True
        tols = d.tolerances[:index] + (new,) + d.tolerances[index + 1:]
        label = core.PARAMETERS[new.parameter].label.lower()
        if not merge:
            self.controller.seal()
        ok = self._push(tols, f"Set tolerance on {label}", field=f"tolerance{index}.width" if merge else None)
        if not merge:
            self.controller.seal()
        if not ok:
            self.set_design(self.design)   # show the document's values again
        return ok
