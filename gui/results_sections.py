"""The results of MODEL.md steps 8-12 in the results panel: volume states, lithium over life,
the stack-pressure fixture, rate (ohmic estimate) and materials cost. Each section lists its
figures and states the simplifications of its step (core.model.ASSUMPTIONS) under them.

A figure that does not apply or is unbounded is shown as '—' with a tooltip saying why; no
section ever shows NaN, inf or None.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from core.model import ASSUMPTIONS

from .compare_life import COST_NOTE, RATE_NOTE, why_missing  # noqa: F401 (re-exported)
from .editors import section_label
from .fence import NumberLabel  # noqa: F401 (re-exported: the results' figures)

DASH = "—"


def fmt(v, digits: int = 4) -> str:
    """A number for display: significant digits, no exponent for everyday sizes; '—' if none."""
    if v is None or not math.isfinite(v):
        return DASH
    a = abs(v)
    if a >= 10 ** digits:
        return f"{v:,.0f}".replace(",", " ")
    if a == 0:
        return "0"
    return f"{v:.{digits}g}" if a >= 1e-3 else f"{v:.3e}"


def note(text: str) -> QLabel:
    lab = QLabel(text)
    lab.setWordWrap(True)
    lab.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    f = QFont(lab.font())
    f.setPointSizeF(f.pointSizeF() * 0.9)
    lab.setFont(f)
    return lab


class FigureSection(QWidget):
    """A titled list of figures: label | value | unit, then the step's assumptions."""

    def __init__(self, name: str, title: str, rows, notes=(), columns=None, parent=None):
        """`rows`: (key, label, unit) with key a result key; with `columns` (header texts),
        each row's key is a tuple of keys, one per column."""
        super().__init__(parent)
        self.name = name
        self.rows = tuple(rows)
        self.columns = columns
        self.labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        r0 = 0
        if columns:
            bold = QFont(self.font())
            bold.setBold(True)
            for c, text in enumerate(columns):
                lab = QLabel(text)
                lab.setFont(bold)
                lab.setAlignment(Qt.AlignmentFlag.AlignRight)
                grid.addWidget(lab, 0, c + 1)
            r0 = 1
        for r, (keys, label, unit) in enumerate(self.rows, start=r0):
            grid.addWidget(QLabel(label), r, 0)
            for c, key in enumerate(keys if columns else (keys,)):
                lab = NumberLabel(DASH)
                grid.addWidget(lab, r, c + 1, NumberLabel.ALIGN)
                self.labels[key] = lab
            u = QLabel(unit)
            u.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            grid.addWidget(u, r, (len(columns) if columns else 1) + 1)
        grid.setColumnStretch(0, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        self.title = section_label(title)
        lay.addWidget(self.title)
        self.status = note("")
        self.status.hide()
        lay.addWidget(self.status)
        lay.addLayout(grid)
        self.notes = [note(t) for t in notes]
        for n in self.notes:
            lay.addWidget(n)

    def set_values(self, design, values, digits=None) -> None:
        for key, lab in self.labels.items():
            v = values.get(key)
            if v is None or not math.isfinite(v):
                text, tip = DASH, why_missing(key, design, values)
            else:
                text, tip = fmt(v, (digits or {}).get(key, 4)), ""
            if lab.text() != text:   # touched only on a change: each change is an event
                lab.setText(text)
            if lab.toolTip() != tip:
                lab.setToolTip(tip)

    def set_status(self, text: str) -> None:
        if self.status.text() != text:
            self.status.setText(text)
        if self.status.isVisibleTo(self) != bool(text):
            self.status.setVisible(bool(text))

    def texts(self) -> dict[str, str]:
        return {f"{self.name}:{k}": lab.text() for k, lab in self.labels.items()}


def volume_states_section() -> FigureSection:
    return FigureSection(
        "states", "Volume states",
        [(("volumetric_Wh_L_charged", "volumetric_Wh_L_discharged"), "Pouch", "Wh/L"),
         (("stack_volumetric_Wh_L_charged", "stack_volumetric_Wh_L_discharged"), "Stack", "Wh/L"),
         (("thickness_mm_charged", "thickness_mm_discharged"), "Pouch thickness", "mm"),
         (("volume_cm3_charged", "volume_cm3_discharged"), "Pouch volume", "cm³")],
        notes=(ASSUMPTIONS["states"],), columns=("Charged", "Discharged"))


def lithium_section() -> FigureSection:
    return FigureSection(
        "lithium", "Lithium over life",
        [("reversible_areal_capacity_mAh_cm2", "Reversible capacity", "mAh/cm²"),
         ("formation_loss_mAh_cm2", "Formation loss", "mAh/cm²"),
         ("cycle_life", "Cycle life", "cycles"),
         ("cycles_at_full_capacity", "Cycles at full capacity", "cycles"),
         ("required_li_foil_um", "Li needed for the target", "µm")],
        notes=(ASSUMPTIONS["lithium"],))


def fixture_section() -> FigureSection:
    return FigureSection(
        "fixture", "Stack pressure fixture",
        [("fixture_plate_thickness_mm", "End plate thickness", "mm"),
         ("fixture_clamp_force_kN", "Clamp force", "kN"),
         ("fixture_mass_g", "Fixture mass per cell", "g"),
         ("fixture_volume_cm3", "Fixture volume per cell", "cm³"),
         ("system_gravimetric_Wh_kg", "System specific energy", "Wh/kg"),
         ("system_volumetric_Wh_L", "System energy density", "Wh/L")],
        notes=(ASSUMPTIONS["fixture"],))


def rate_section() -> FigureSection:
    return FigureSection(
        "rate", "Rate (ohmic estimate)",
        [("asr_ohm_cm2", "Area-specific resistance", "Ω·cm²"),
         ("asr_separator_ohm_cm2", "   separator", "Ω·cm²"),
         ("asr_cathode_ohm_cm2", "   cathode", "Ω·cm²"),
         ("asr_anode_ohm_cm2", "   anode", "Ω·cm²"),
         ("asr_interlayer_ohm_cm2", "   interlayer", "Ω·cm²"),
         ("asr_interface_ohm_cm2", "   interface", "Ω·cm²"),
         ("c_rate", "C-rate", "C"),
         ("current_density_mA_cm2", "Current density", "mA/cm²"),
         ("voltage_at_rate_V", "Voltage at rate", "V"),
         ("gravimetric_Wh_kg_at_rate", "Pouch Wh/kg at rate", "Wh/kg"),
         ("volumetric_Wh_L_at_rate", "Pouch Wh/L at rate", "Wh/L"),
         ("c_rate_at_10pct_drop", "C-rate at a 10 % drop", "C")],
        notes=(RATE_NOTE, ASSUMPTIONS["rate"]))


def cost_section() -> FigureSection:
    return FigureSection(
        "cost", "Materials cost",
        [("materials_cost_USD", "Materials cost per cell", "USD"),
         ("cost_USD_kWh", "Materials cost per kWh", "USD/kWh")],
        notes=(COST_NOTE, ASSUMPTIONS["cost"]))
