"""Goal seek: which value of one parameter reaches a target energy density, or keeps the
materials cost per kWh at or below a target (core.solve_for), and a button that applies it to
the design (through the main window's undoable edit)."""
from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox,
                               QPushButton)

import core
from core.model import LOWER_IS_BETTER, PARAMETERS, Solution

from ..editors import set_spin
from . import common as c


class GoalSeekWidget(QGroupBox):
    sig_apply_parameter = Signal(str, float)

    def __init__(self, parent=None):
        super().__init__("Goal seek", parent)
        self.design: core.Design | None = None
        self.result: core.Result | None = None
        self.settings = c.PlotSettings()
        self.solution: Solution | None = None
        self.statement = None
        self.value: float | None = None
        self._avail: tuple = ()
        self._edited_targets: dict[str, float] = {}   # unit -> the target the user typed for it
        form = QFormLayout(self)
        form.setContentsMargins(6, 4, 6, 4)
        form.setVerticalSpacing(3)
        self.param_combo = QComboBox()
        self.param_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.param_combo.setMinimumContentsLength(12)
        self.param_combo.currentIndexChanged.connect(self.solve)
        self.key_combo = QComboBox()
        for lv in c.LEVELS.values():
            for m in c.METRICS:
                key = lv.gravimetric if m == "Wh_kg" else lv.volumetric
                self.key_combo.addItem(f"{lv.label} {c.METRIC_UNITS[m]}", key)
        # less is better: the target is a maximum ("≤ 90 USD/kWh")
        self.key_combo.addItem(f"{c.COST_LABEL} ({c.COST_UNIT})", c.COST_KEY)
        self.key_combo.setItemData(self.key_combo.count() - 1,
                                   "Materials cost per kWh of the pouch cell's energy (materials only, "
                                   "the same at every level); the target is a maximum",
                                   Qt.ItemDataRole.ToolTipRole)
        self.key_combo.currentIndexChanged.connect(self._on_key)
        self.target_spin = QDoubleSpinBox()
        self.target_spin.setRange(1, 5000)
        self.target_spin.setDecimals(0)
        self.target_spin.setKeyboardTracking(False)
        self.target_spin.setValue(400)
        self.target_spin.valueChanged.connect(self._on_target)
        self.answer = c.text_label()
        # a fixed height, in a holder of its own: an answer that grows or shrinks with its
        # text, or only asks for a new layout, would re-lay the whole page out on edits
        self.answer.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer_box = c.Fence(self.answer, 4 * self.answer.fontMetrics().lineSpacing() + 4)
        self.apply_btn = QPushButton("Apply to design")
        self.apply_btn.setEnabled(False)
        self.apply_btn.clicked.connect(self.apply)
        form.addRow("Parameter", self.param_combo)
        form.addRow("Result", self.key_combo)
        form.addRow("Target", self.target_spin)
        form.addRow(self.answer_box)
        # in a holder of its own: its text names the value, and a button given a new text
        # (a new size hint) re-laid out the whole plots panel on every edit
        form.addRow(c.Fence(self.apply_btn, self.apply_btn.sizeHint().height()))

    # ------------------------------------------------------------------ controls
    def set_goal(self, parameter: str | None = None, result_key: str | None = None,
                 target: float | None = None):
        """Set any of parameter / result key / target (as the user would) and solve."""
        if parameter is not None:
            i = self.param_combo.findData(parameter)
            if i < 0:
                raise ValueError(f"parameter: {parameter!r} is not available for this design")
            self.param_combo.setCurrentIndex(i)
        if result_key is not None:
            i = self.key_combo.findData(result_key)
            if i < 0:
                raise ValueError(f"result_key: {result_key!r} is not offered (energy densities and "
                                 f"{c.COST_KEY})")
            self.key_combo.setCurrentIndex(i)
        if target is not None:
            self.target_spin.setValue(target)
            self._edited_targets[_unit(self.key_combo.currentData() or "")] = self.target_spin.value()
        self.solve()

    def _on_key(self, _i=None):
        key = self.key_combo.currentData() or ""
        self._set_suffix(key)
        self._set_target_silently(self._target_for(key))
        self.solve()

    def _on_target(self, _v=None):
        self._edited_targets[_unit(self.key_combo.currentData() or "")] = self.target_spin.value()
        self.solve()

    def _set_suffix(self, key: str):
        self.target_spin.setPrefix("≤ " if key in LOWER_IS_BETTER else "")
        self.target_spin.setSuffix(f" {_unit(key)}")

    def _target_for(self, key: str) -> float:
        """The target the user typed for this key's unit, else the plots' target for it."""
        return self._edited_targets.get(_unit(key), self._default_target(key))

    def _default_target(self, key: str) -> float:
        if key == c.COST_KEY:
            t = self.settings.target_USD_kWh
            return t if t is not None else c.DEFAULT_COST_TARGET
        t = self.settings.target("Wh_L" if key.endswith("Wh_L") else "Wh_kg")
        return t if t is not None else (1000.0 if key.endswith("Wh_L") else 400.0)

    def _set_target_silently(self, v: float):
        set_spin(self.target_spin, v)   # (left alone when it shows that target already)

    def _sync_combos(self, design: core.Design, avail: list[str], default_param: str | None):
        key = tuple(avail) + (c.chemistry(design),)
        if key != self._avail:
            self._avail = key
            cur = self.param_combo.currentData()
            self.param_combo.blockSignals(True)
            self.param_combo.clear()
            for n in avail:
                self.param_combo.addItem(c.axis_label(n, design), n)
            want = cur if cur in avail else (default_param if default_param in avail else None)
            self.param_combo.setCurrentIndex(avail.index(want) if want else 0)
            self.param_combo.blockSignals(False)

    # ------------------------------------------------------------------ update
    def update_plot(self, design: core.Design, result: core.Result | None, settings: c.PlotSettings,
                    default_param: str | None = None):
        first = self.design is None
        self.design, self.result, self.settings = design, result, settings
        self._sync_combos(design, core.available_parameters(design), default_param)
        if first:
            self.key_combo.blockSignals(True)
            self.key_combo.setCurrentIndex(self.key_combo.findData(settings.key("Wh_kg")))
            self.key_combo.blockSignals(False)
            self._set_suffix(self.key_combo.currentData() or "")
        self._set_target_silently(self._target_for(self.key_combo.currentData() or ""))
        self.solve()

    def _set_answer(self, text: str) -> None:
        if self.answer._raw == text:
            return
        self.answer.setText(text)
        # laid out at its width now (no layout asks for it in its holder): a selectable label
        # laid out while painting asks for a second paint
        self.answer.heightForWidth(self.answer.width())

    def _set_button(self, text: str, enabled: bool):
        """Touch the button only when its state changes (each change repaints it)."""
        if self.apply_btn.text() != text:
            self.apply_btn.setText(text)
        if self.apply_btn.isEnabled() != enabled:
            self.apply_btn.setEnabled(enabled)

    def solve(self, *_):
        self.solution, self.value = None, None
        if self.design is None:
            self._set_button("Apply to design", False)
            return
        self._solve()
        if self.solution is not None and self.solution.ok and self.value is not None:
            p = PARAMETERS[self.solution.parameter]
            self._set_button(f"Apply {c.fmt(self.value, 4)} {p.unit}".rstrip(), True)
        else:
            self._set_button("Apply to design", False)

    def _solve(self):
        name, key = self.param_combo.currentData(), self.key_combo.currentData()
        if not name or not key:
            self._set_answer("")
            return
        target = self.target_spin.value()
        try:
            cur = core.parameter_value(self.design, name, self.result)
            # read off the whole-range curve a sensitivity plot of this edit already computed
            st = c.judge(self.design, name, {key: target}, cur)[key]
        except core.DesignError as e:
            self._set_answer(f'<span style="color:#8a1c1c">{c.html_escape(str(e))}</span>')
            return
        self.statement = st
        sol = c.to_solution(st, name, key, self.design)
        self.solution = sol
        unit = c.statement_unit(name)
        now = "" if cur is None or not math.isfinite(cur) else f" (now {c.fmt(cur)}{' ' + unit if unit else ''})"
        text = c.html_escape(c.statement_text(st, name, key, self.design))
        # a cost that leaves unpriced items out says so (it is lower than the cell's cost)
        note = c.cost_note(self.result) if key == c.COST_KEY else ""
        note = f'<br><span style="color:#8a5a00">{c.html_escape(note)}</span>' if note else ""
        if not sol.ok:
            color = "#1d6b1d" if st.kind == "everywhere" else "#8a1c1c"
            self._set_answer(f'<span style="color:{color}">{text}</span>{c.html_escape(now)}{note}')
            return
        self.value = c.apply_value(sol)
        self._set_answer(f"<b>{text}</b>{c.html_escape(now)}{note}")

    def apply(self):
        if self.solution is not None and self.solution.ok and self.value is not None:
            self.sig_apply_parameter.emit(self.solution.parameter, float(self.value))


def _unit(key: str) -> str:
    """The unit of a goal-seek result key: Wh/kg, Wh/L or USD/kWh."""
    if key == c.COST_KEY:
        return c.COST_UNIT
    return "Wh/L" if key.endswith("Wh_L") else "Wh/kg"
