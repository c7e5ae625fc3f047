"""Editors of the design: the layer stack and layer properties, stacking, size and packaging.

Each editor reads the document (`set_design`) inside signal blockers, so refreshing a field
never echoes back as an edit, and sends every change through the EditController
(`change_<field>` methods), which validates it and pushes one undoable command.
"""
from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QPalette, QValidator
from PySide6.QtWidgets import (QAbstractSpinBox, QComboBox, QDoubleSpinBox, QFrame, QGridLayout,
                               QLabel, QSpinBox, QToolTip, QWidget)

from ..fence import CopyLabel

# Physically sensible limits for every field (the spin boxes cannot leave them).
LIMITS = {
    "thickness_um": (0.01, 10000.0, 2, 1.0, "µm"),
    "loading_mg_cm2": (0.01, 1000.0, 2, 0.5, "mg/cm²"),
    "areal_capacity_mAh_cm2": (0.001, 200.0, 3, 0.1, "mAh/cm²"),
    "np_ratio": (0.001, 100.0, 3, 0.05, ""),
    "density_g_cm3": (0.05, 25.0, 3, 0.05, "g/cm³"),
    "porosity_pct": (0.0, 95.0, 1, 1.0, "%"),
    "overhang_mm": (0.0, 50.0, 2, 0.5, "mm"),
    "fraction_pct": (0.01, 99.99, 2, 1.0, "wt%"),
    "electrode_mm": (1.0, 2000.0, 1, 1.0, "mm"),
    "laminate_um": (0.0, 2000.0, 1, 1.0, "µm"),
    "laminate_density": (0.1, 20.0, 3, 0.05, "g/cm³"),
    "seal_mm": (0.0, 100.0, 1, 0.5, "mm"),
    "tab_mm": (0.1, 500.0, 1, 1.0, "mm"),
    "tab_um": (1.0, 5000.0, 0, 10.0, "µm"),
    "voltage_V": (0.01, 1000.0, 3, 0.01, "V"),
    "film_um": (0.01, 5000.0, 2, 1.0, "µm"),
}


class _RangeChecked:
    """A spin box that lets an out-of-range number be typed ("-5", "0") and, instead of
    silently dropping the sign or snapping it to a limit, keeps the previous value and says
    so: the field, the typed value and the allowed range, in the main window's status bar
    (`show_refusal`) and as a tooltip at the field. `last_refusal` holds the message."""

    last_refusal = ""

    def _typed_number(self, text: str):
        t = text
        if self.prefix() and t.startswith(self.prefix()):
            t = t[len(self.prefix()):]
        if self.suffix() and t.endswith(self.suffix()):
            t = t[:-len(self.suffix())]
        t = t.strip().replace(",", ".")
        try:
            return float(t)
        except ValueError:
            return None

    def validate(self, text, pos):  # noqa: D401 - Qt override
        r = super().validate(text, pos)
        state = r[0] if isinstance(r, tuple) else r
        if state != QValidator.State.Acceptable:
            bare = text[len(self.prefix()):] if self.prefix() and text.startswith(self.prefix()) else text
            bare = bare[:-len(self.suffix())] if self.suffix() and bare.endswith(self.suffix()) else bare
            v = self._typed_number(text)
            if bare.strip() in ("-", "+") or (v is not None and not self.minimum() <= v <= self.maximum()):
                return (QValidator.State.Intermediate, text, pos)
        return r

    def _check_typed(self) -> None:
        v = self._typed_number(self.lineEdit().text())
        if v is None or self.minimum() <= v <= self.maximum() or not self.isEnabled():
            return
        unit = self.suffix().strip()
        lo, hi = self.textFromValue(self.minimum()), self.textFromValue(self.maximum())
        kept = self.textFromValue(self.value())
        msg = (f"{self.field_name()}: {v:g}{' ' + unit if unit else ''} is outside the allowed "
               f"{lo} to {hi}{' ' + unit if unit else ''}; kept {kept}{' ' + unit if unit else ''}.")
        self.last_refusal = msg
        win = self.window()
        if hasattr(win, "show_refusal"):
            win.show_refusal(msg)
        if self.isVisible():
            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), msg, self)

    def field_name(self) -> str:
        """The field's label: its accessible name, the grid label beside it, or its tooltip."""
        if self.accessibleName():
            return self.accessibleName()
        w = self
        for _ in range(3):
            parent = w.parentWidget()
            lay = parent.layout() if parent is not None else None
            if isinstance(lay, QGridLayout):
                i = lay.indexOf(w)
                if i >= 0:
                    row, col, _rs, _cs = lay.getItemPosition(i)
                    for c in range(col):
                        item = lay.itemAtPosition(row, c)
                        if item is not None and isinstance(item.widget(), QLabel) and item.widget().text():
                            return item.widget().text().rstrip(": ")
            if parent is None:
                break
            w = parent
        tip = (self.toolTip() or "Value").splitlines()[0]
        return tip if len(tip) <= 40 else tip[:37] + "…"

    def keyPressEvent(self, event):  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._check_typed()
        super().keyPressEvent(event)

    def focusOutEvent(self, event):  # noqa: N802 - Qt override
        self._check_typed()
        super().focusOutEvent(event)


class CheckedDoubleSpinBox(_RangeChecked, QDoubleSpinBox):
    pass


class CheckedSpinBox(_RangeChecked, QSpinBox):
    pass


def make_spin(kind: str, tooltip: str = "", parent: QWidget | None = None) -> QDoubleSpinBox:
    """A spin box with the range, decimals, step and unit suffix of `kind` (LIMITS); a typed
    value outside the range is refused with a message, never silently changed."""
    lo, hi, decimals, step, unit = LIMITS[kind]
    sb = CheckedDoubleSpinBox(parent)
    sb.setDecimals(decimals)
    sb.setRange(lo, hi)
    sb.setSingleStep(step)
    sb.setKeyboardTracking(False)     # commit on Return / focus out / arrows, not per keystroke
    sb.setAccelerated(True)
    sb.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
    sb.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if unit:
        sb.setSuffix(f" {unit}")
    rng = f"{lo:g} to {hi:g}{(' ' + unit) if unit else ''}"
    sb.setToolTip((tooltip + "\n" if tooltip else "") + f"Allowed: {rng}")
    sb.setMinimumWidth(96)
    return sb


def make_int_spin(lo: int, hi: int, tooltip: str = "", parent: QWidget | None = None) -> QSpinBox:
    sb = CheckedSpinBox(parent)
    sb.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
    sb.setRange(lo, hi)
    sb.setKeyboardTracking(False)
    sb.setAccelerated(True)
    sb.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    sb.setToolTip((tooltip + "\n" if tooltip else "") + f"Allowed: {lo} to {hi}")
    sb.setMinimumWidth(110)
    return sb


@contextmanager
def blocked(*widgets):
    """Update widgets without their signals echoing back as edits."""
    blockers = [QSignalBlocker(w) for w in widgets]
    try:
        yield
    finally:
        for b in blockers:
            b.unblock()


def shows(sb, value) -> bool:
    """Whether a spin box shows `value` already: its value is the value as the box rounds it,
    and its text is that value's (not a text typed and not yet committed)."""
    if isinstance(sb, QDoubleSpinBox):
        rounded = sb.valueFromText(sb.textFromValue(value))
    elif isinstance(value, int):
        rounded = value
    else:
        return False
    return (sb.minimum() <= value <= sb.maximum() and sb.value() == rounded
            and sb.cleanText() == sb.textFromValue(rounded))


def set_spin(sb, value) -> None:
    """Show a value without emitting; nothing is done when the box shows it already (a spin
    box given its own value repaints: on every step of a drag)."""
    if value is None or shows(sb, value):
        return
    with blocked(sb):
        sb.setValue(value)


def set_combo_data(combo: QComboBox, data) -> None:
    with blocked(combo):
        i = combo.findData(data)
        if i >= 0:
            combo.setCurrentIndex(i)


LABEL_WIDTH = 118  # one label column width for every editor, so fields line up across sections


def form_grid():
    """A label | field grid whose label column has the editors' common width."""
    from PySide6.QtWidgets import QGridLayout
    g = QGridLayout()
    g.setHorizontalSpacing(8)
    g.setVerticalSpacing(5)
    g.setColumnMinimumWidth(0, LABEL_WIDTH)
    g.setColumnStretch(1, 1)
    return g


def section_label(text: str) -> QLabel:
    lab = QLabel(text)
    f = lab.font()
    f.setBold(True)
    lab.setFont(f)
    lab.setContentsMargins(0, 6, 0, 0)
    return lab


def hline() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def note_label(text: str = "") -> QLabel:
    """Small secondary text (derived values, hints), copied from its context menu: the derived
    values change with every edit, and a mouse-selectable label is measured and laid out as a
    document each time (plain text whose digits alone changed is not measured again)."""
    lab = CopyLabel(text)
    lab.setWordWrap(True)
    lab.setProperty("role", "note")
    f = lab.font()
    f.setPointSizeF(max(7.0, f.pointSizeF() * 0.92))
    lab.setFont(f)
    lab.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # follows the theme
    return lab


def fill_material_combo(combo: QComboBox, library, current: str | None = None,
                        role: str | None = None) -> None:
    """Fill a combo with the library's materials grouped by category (design ones marked).
    With a layer `role`, the materials that fit the role come first (core.rules), then a
    separator and the ones that break a rule of the role, each saying why."""
    from core.materials import CATEGORIES
    from core.rules import material_fitness, material_rank
    with blocked(combo):
        combo.clear()
        order = {c: i for i, c in enumerate(CATEGORIES)}

        def rank(m):
            return material_rank(m, role) if role else 0
        mats = sorted(library.values(), key=lambda m: (rank(m), order.get(m.category, 99), m.name.lower()))
        last = None
        for m in mats:
            group = (rank(m) == 3, m.category)
            if last is not None and group != last:
                combo.insertSeparator(combo.count())
            last = group
            text = m.name if m.builtin else f"{m.name}  (this design)"
            unfit = ""
            if role and rank(m) == 3:
                unfit = material_fitness(m, role)[1]
                text += "  — not for this layer"
            combo.addItem(text, m.name)
            tip = [f"{m.name}: {m.category}, {m.density_g_cm3:g} g/cm³"]
            if unfit:
                tip.append(f"Breaks a design rule of this layer: {unfit}")
            if m.specific_capacity_mAh_g:
                tip.append(f"{m.specific_capacity_mAh_g:g} mAh/g at {m.average_voltage_V:g} V vs Li/Li⁺"
                           if m.average_voltage_V is not None else f"{m.specific_capacity_mAh_g:g} mAh/g")
            if m.source:
                tip.append(f"Source: {m.source}")
            combo.setItemData(combo.count() - 1, "\n".join(tip), Qt.ItemDataRole.ToolTipRole)
        if current is not None:
            i = combo.findData(current)
            if i < 0:  # unknown name (should not happen in a valid design): show it anyway
                combo.addItem(f"{current}  (unknown)", current)
                i = combo.count() - 1
            combo.setCurrentIndex(i)
