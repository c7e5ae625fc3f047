"""Editors of the design: the layer stack and layer properties, stacking, size and packaging.

Each editor reads the document (`set_design`) inside signal blockers, so refreshing a field
never echoes back as an edit, and sends every change through the EditController
(`change_<field>` methods), which validates it and pushes one undoable command.
"""
from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (QAbstractSpinBox, QComboBox, QDoubleSpinBox, QFrame, QLabel,
                               QSpinBox, QWidget)

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


def make_spin(kind: str, tooltip: str = "", parent: QWidget | None = None) -> QDoubleSpinBox:
    """A QDoubleSpinBox with the range, decimals, step and unit suffix of `kind` (LIMITS)."""
    lo, hi, decimals, step, unit = LIMITS[kind]
    sb = QDoubleSpinBox(parent)
    sb.setDecimals(decimals)
    sb.setRange(lo, hi)
    sb.setSingleStep(step)
    sb.setKeyboardTracking(False)     # commit on Return / focus out / arrows, not per keystroke
    sb.setAccelerated(True)
    sb.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    sb.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if unit:
        sb.setSuffix(f" {unit}")
    rng = f"{lo:g} to {hi:g}{(' ' + unit) if unit else ''}"
    sb.setToolTip((tooltip + "\n" if tooltip else "") + f"Allowed: {rng}")
    sb.setMinimumWidth(96)
    return sb


def make_int_spin(lo: int, hi: int, tooltip: str = "", parent: QWidget | None = None) -> QSpinBox:
    sb = QSpinBox(parent)
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


def set_spin(sb, value) -> None:
    with blocked(sb):
        if value is None:
            return
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
    """Small secondary text (derived values, hints)."""
    lab = QLabel(text)
    lab.setWordWrap(True)
    lab.setProperty("role", "note")
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    f = lab.font()
    f.setPointSizeF(max(7.0, f.pointSizeF() * 0.92))
    lab.setFont(f)
    lab.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # follows the theme
    return lab


def fill_material_combo(combo: QComboBox, library, current: str | None = None) -> None:
    """Fill a combo with the library's materials grouped by category (design ones marked)."""
    from core.materials import CATEGORIES
    with blocked(combo):
        combo.clear()
        order = {c: i for i, c in enumerate(CATEGORIES)}
        mats = sorted(library.values(), key=lambda m: (order.get(m.category, 99), m.name.lower()))
        last_cat = None
        for m in mats:
            if last_cat is not None and m.category != last_cat:
                combo.insertSeparator(combo.count())
            last_cat = m.category
            text = m.name if m.builtin else f"{m.name}  (this design)"
            combo.addItem(text, m.name)
            tip = [f"{m.name}: {m.category}, {m.density_g_cm3:g} g/cm³"]
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
