"""The cell as built and operated (MODEL.md steps 8, 10, 11): the optional `lithium`,
`fixture` and `operation` blocks of the design, each with a checkbox that adds or removes it,
its inputs, and its derived values from the last result.

Every change goes through the EditController as one undoable command (consecutive edits of
one field merge); unchecking a block removes it (undo brings it back), and checking it again
restores the block last removed (or the defaults).
"""
from __future__ import annotations

import math
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QLabel,
                               QVBoxLayout, QWidget)

from core.design import Fixture, Lithium, Operation
from core.model import ASSUMPTIONS

from ..commands import EditController
from . import blocked, form_grid, make_int_spin, note_label, section_label, set_spin

DASH = "—"


def spin(lo: float, hi: float, decimals: int, step: float, unit: str, tip: str) -> QDoubleSpinBox:
    """A QDoubleSpinBox like gui.editors.make_spin, with its limits given here."""
    sb = QDoubleSpinBox()
    sb.setDecimals(decimals)
    sb.setRange(lo, hi)
    sb.setSingleStep(step)
    sb.setKeyboardTracking(False)
    sb.setAccelerated(True)
    sb.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    sb.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if unit:
        sb.setSuffix(f" {unit}")
    sb.setToolTip(f"{tip}\nAllowed: {lo:g} to {hi:g}{(' ' + unit) if unit else ''}")
    sb.setMinimumWidth(110)
    return sb


def num(v, digits: int = 4, unit: str = "") -> str:
    """A derived number, or '—' when it does not apply or is unbounded."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return DASH
    a = abs(v)
    if a >= 10 ** digits:
        s = f"{v:,.0f}".replace(",", " ")
    elif a == 0:
        s = "0"
    else:
        s = f"{v:.{digits}g}"
    return f"{s} {unit}".strip()


def _frac(pct: float) -> float:
    """A percentage from a spin box as a fraction, without float noise (99.98 -> 0.9998)."""
    return round(pct / 100.0, 12)


class OperationEditorWidget(QWidget):
    """Lithium & life, stack-pressure fixture and operation; `set_design`, `set_result`."""

    def __init__(self, controller: EditController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._design = None
        self._result = None
        self._lib_key = None
        self._last = {"lithium": Lithium(), "fixture": Fixture(), "operation": Operation()}
        seal = controller.seal

        # ---------------------------------------------------------- lithium
        self.li_check = QCheckBox("Model lithium over life")
        self.li_check.setToolTip("Add the `lithium` block: formation loss, Coulombic efficiency, cycle life "
                                 "(MODEL.md step 8). Unchecked, every cycle returns all its lithium.")
        self.li_check.toggled.connect(lambda on: self.toggle_block("lithium", on))
        self.formation = spin(1.0, 100.0, 2, 0.5, "%", "Formation efficiency: the fraction of the lithium that "
                              "survives formation (lithium bound in interphases). Not the cathode's first-cycle "
                              "efficiency; default 100 %")
        self.ce = spin(90.0, 100.0, 4, 0.001, "%", "Coulombic efficiency: lithium kept per cycle, as measured on "
                       "Li plating / stripping (anode-free or Li | Cu cells), not a full cell's CE; default 100 %")
        self.retention = spin(1.0, 99.9, 1, 1.0, "%", "End of life: capacity retention that ends the cell's life; "
                              "default 80 %")
        self.target = make_int_spin(0, 10_000_000, "Cycle target (0: none): the Li foil needed for it is shown")
        self.formation.valueChanged.connect(lambda v: self.change_lithium("formation_efficiency", _frac(v)))
        self.ce.valueChanged.connect(lambda v: self.change_lithium("coulombic_efficiency", _frac(v)))
        self.retention.valueChanged.connect(lambda v: self.change_lithium("end_of_life_retention", _frac(v)))
        self.target.valueChanged.connect(lambda v: self.change_lithium("cycle_target", int(v)))
        self.li_derived = note_label()
        self.li_warning = QLabel()
        self.li_warning.setWordWrap(True)
        self.li_warning.setObjectName("lifeWarning")
        self.li_warning.setStyleSheet("color: #c0392b;")
        self.li_warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.li_note = note_label(ASSUMPTIONS["lithium"])

        # ---------------------------------------------------------- fixture
        self.fx_check = QCheckBox("Stack pressure fixture")
        self.fx_check.setToolTip("Add the `fixture` block: end plates and tie rods that hold the stack pressure "
                                 "(MODEL.md step 10); gives the system level (pouch + fixture share).")
        self.fx_check.toggled.connect(lambda on: self.toggle_block("fixture", on))
        self.pressure = spin(0.01, 1000.0, 2, 0.5, "MPa", "Stack pressure held by the fixture")
        self.plate_material = QComboBox()
        self.plate_material.setToolTip("Plate and tie-rod material: only materials with a yield strength")
        self.plate_material.currentIndexChanged.connect(
            lambda _i: self.change_fixture("plate_material", self.plate_material.currentData()))
        self.cells = make_int_spin(1, 100000, "Pouch cells clamped by one fixture (not unit cells)")
        self.safety = spin(1.0, 100.0, 2, 0.1, "", "Safety factor on the yield strength (default 2)")
        self.fixed_check = QCheckBox("Fixed plate thickness")
        self.fixed_check.setToolTip("Give the plate thickness instead of sizing it (a warning tells when it "
                                    "is thinner than the pressure needs)")
        self.fixed_check.toggled.connect(self.toggle_fixed_thickness)
        self.plate_t = spin(0.01, 1000.0, 2, 0.5, "mm", "End plate thickness as given")
        self.pressure.valueChanged.connect(lambda v: self.change_fixture("pressure_MPa", v))
        self.cells.valueChanged.connect(lambda v: self.change_fixture("cells_per_fixture", int(v)))
        self.safety.valueChanged.connect(lambda v: self.change_fixture("safety_factor", v))
        self.plate_t.valueChanged.connect(lambda v: self.change_fixture("plate_thickness_mm", v))
        self.fx_derived = note_label()
        self.fx_note = note_label(ASSUMPTIONS["fixture"])

        # ---------------------------------------------------------- operation
        self.op_check = QCheckBox("Operation at a current")
        self.op_check.setToolTip("Add the `operation` block (MODEL.md step 11). Unchecked, the rate results use "
                                 "C/3 and no interface resistance.")
        self.op_check.toggled.connect(lambda on: self.toggle_block("operation", on))
        self.c_rate = spin(0.001, 1000.0, 3, 0.1, "C", "C-rate the cell must deliver (default 1/3)")
        self.interface = spin(0.0, 1e6, 2, 1.0, "Ω·cm²", "Area-specific resistance of all interfaces of one "
                              "unit cell together, charge transfer included (default 0)")
        self.c_rate.valueChanged.connect(lambda v: self.change_operation("c_rate", v))
        self.interface.valueChanged.connect(lambda v: self.change_operation("interface_asr_ohm_cm2", v))
        self.op_derived = note_label()
        self.op_note = note_label("Ohmic estimate: diffusion, charge transfer and temperature not modelled. "
                                  + ASSUMPTIONS["rate"])

        for sb in (self.formation, self.ce, self.retention, self.target, self.pressure, self.cells,
                   self.safety, self.plate_t, self.c_rate, self.interface):
            sb.editingFinished.connect(seal)

        def grid(rows):
            g = form_grid()
            for r, (label, w) in enumerate(rows):
                if label is None:
                    g.addWidget(w, r, 0, 1, 2)
                else:
                    lab = QLabel(label)
                    lab.setBuddy(w)
                    g.addWidget(lab, r, 0)
                    g.addWidget(w, r, 1)
            return g

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(5)
        lay.addWidget(section_label("Lithium & life"))
        lay.addWidget(self.li_check)
        lay.addLayout(grid([("Formation efficiency", self.formation), ("Coulombic efficiency", self.ce),
                            ("End of life at", self.retention), ("Cycle target", self.target)]))
        lay.addWidget(self.li_derived)
        lay.addWidget(self.li_warning)
        lay.addWidget(self.li_note)
        lay.addWidget(section_label("Stack pressure fixture"))
        lay.addWidget(self.fx_check)
        lay.addLayout(grid([("Pressure", self.pressure), ("Plate material", self.plate_material),
                            ("Cells per fixture", self.cells), ("Safety factor", self.safety),
                            (None, self.fixed_check), ("Plate thickness", self.plate_t)]))
        lay.addWidget(self.fx_derived)
        lay.addWidget(self.fx_note)
        lay.addWidget(section_label("Operation"))
        lay.addWidget(self.op_check)
        lay.addLayout(grid([("C-rate", self.c_rate), ("Interface ASR", self.interface)]))
        lay.addWidget(self.op_derived)
        lay.addWidget(self.op_note)
        lay.addStretch(1)

    # ------------------------------------------------------------------ read
    def _block(self, name: str, design=None):
        d = design if design is not None else self._design
        return getattr(d, name)

    def set_design(self, design) -> None:
        self._design = design
        lib = design.library()
        plates = sorted((m for m in lib.values() if m.yield_strength_MPa), key=lambda m: m.name.lower())
        key = tuple((m.name, m.yield_strength_MPa, m.density_g_cm3) for m in plates)
        fx = design.fixture
        if fx is not None and fx.plate_material not in {m.name for m in plates}:
            key += ((fx.plate_material, None, None),)
        if key != self._lib_key:
            with blocked(self.plate_material):
                self.plate_material.clear()
                for m in plates:
                    self.plate_material.addItem(f"{m.name}  ({m.yield_strength_MPa:g} MPa)", m.name)
                    tip = f"{m.name}: yield strength {m.yield_strength_MPa:g} MPa, {m.density_g_cm3:g} g/cm³"
                    if m.source:
                        tip += f"\nSource: {m.source}"
                    self.plate_material.setItemData(self.plate_material.count() - 1, tip,
                                                    Qt.ItemDataRole.ToolTipRole)
                if fx is not None and self.plate_material.findData(fx.plate_material) < 0:
                    self.plate_material.addItem(f"{fx.plate_material}  (no yield strength)", fx.plate_material)
            self._lib_key = key
        for name in ("lithium", "fixture", "operation"):
            b = self._block(name)
            if b is not None:
                self._last[name] = b
        li, fx, op = (self._block(n) or self._last[n] for n in ("lithium", "fixture", "operation"))
        with blocked(self.li_check, self.fx_check, self.op_check, self.fixed_check, self.plate_material):
            self.li_check.setChecked(design.lithium is not None)
            self.fx_check.setChecked(design.fixture is not None)
            self.op_check.setChecked(design.operation is not None)
            self.fixed_check.setChecked(fx.plate_thickness_mm is not None)
            i = self.plate_material.findData(fx.plate_material)
            if i >= 0:
                self.plate_material.setCurrentIndex(i)
        set_spin(self.formation, li.formation_efficiency * 100.0)
        set_spin(self.ce, li.coulombic_efficiency * 100.0)
        set_spin(self.retention, li.end_of_life_retention * 100.0)
        set_spin(self.target, li.cycle_target)
        set_spin(self.pressure, fx.pressure_MPa)
        set_spin(self.cells, fx.cells_per_fixture)
        set_spin(self.safety, fx.safety_factor)
        r = self._result
        shown_t = fx.plate_thickness_mm
        if shown_t is None and r is not None and r.values.get("fixture_plate_thickness_mm") is not None:
            shown_t = r.values["fixture_plate_thickness_mm"]
        set_spin(self.plate_t, shown_t)
        set_spin(self.c_rate, op.c_rate)
        set_spin(self.interface, op.interface_asr_ohm_cm2)
        on_li, on_fx, on_op = (design.lithium is not None, design.fixture is not None, design.operation is not None)
        for w in (self.formation, self.ce, self.retention, self.target):
            w.setEnabled(on_li)
        for w in (self.pressure, self.plate_material, self.cells, self.safety, self.fixed_check):
            w.setEnabled(on_fx)
        self.plate_t.setEnabled(on_fx and fx.plate_thickness_mm is not None)
        for w in (self.c_rate, self.interface):
            w.setEnabled(on_op)
        self._show_derived()

    def set_result(self, result) -> None:
        self._result = result
        d = self._design
        if d is not None and d.fixture is not None and d.fixture.plate_thickness_mm is None:
            set_spin(self.plate_t, result.values.get("fixture_plate_thickness_mm"))
        self._show_derived()

    def derived_texts(self) -> dict[str, str]:
        """The derived values as shown (for tests)."""
        return {"lithium": self.li_derived.text(), "fixture": self.fx_derived.text(),
                "operation": self.op_derived.text(), "warning": self.li_warning.text()}

    def _show_derived(self) -> None:
        r, d = self._result, self._design
        if r is None or d is None:
            return
        v = r.values
        # lithium
        ce = (d.lithium or Lithium()).coulombic_efficiency
        unbounded = "unbounded (CE = 100 %: no lithium is lost per cycle)"
        life = num(v.get("cycle_life"), 5, "cycles") if v.get("cycle_life") is not None else (
            unbounded if ce >= 1 else DASH)
        full = num(v.get("cycles_at_full_capacity"), 5, "cycles") if v.get("cycles_at_full_capacity") is not None \
            else (unbounded if ce >= 1 else DASH)
        foil = v.get("required_li_foil_um")
        lines = [f"Reversible capacity {num(v.get('reversible_areal_capacity_mAh_cm2'), 4, 'mAh/cm²')} "
                 f"(formation loss {num(v.get('formation_loss_mAh_cm2'), 3, 'mAh/cm²')})",
                 f"Cycle life {life}",
                 f"Cycles at full capacity {full}",
                 f"Li foil for the cycle target {num(foil, 4, 'µm') if foil is not None else DASH + ' (no lithium source)'}"]
        if d.lithium is None:
            lines.insert(0, "Off: a perfect cell (no formation loss, CE 100 %).")
        self.li_derived.setText("\n".join(lines))
        warn = [w for w in r.warnings if w.startswith(("Cycle target not met", "Formation takes"))]
        self.li_warning.setText("\n".join(f"⚠ {w}" for w in warn))
        self.li_warning.setVisible(bool(warn))
        # fixture
        if d.fixture is None:
            self.fx_derived.setText("Off: the system level equals the pouch cell.")
        else:
            fx = d.fixture
            sized = "as given" if fx.plate_thickness_mm is not None else "sized"
            self.fx_derived.setText("\n".join([
                f"Plate thickness {num(v.get('fixture_plate_thickness_mm'), 3, 'mm')} ({sized}), two plates",
                f"Clamp force {num(v.get('fixture_clamp_force_kN'), 4, 'kN')}",
                f"Fixture per cell {num(v.get('fixture_mass_g'), 4, 'g')}, "
                f"{num(v.get('fixture_volume_cm3'), 4, 'cm³')} (÷ {fx.cells_per_fixture} cells)",
                f"System {num(v.get('system_gravimetric_Wh_kg'), 4, 'Wh/kg')}, "
                f"{num(v.get('system_volumetric_Wh_L'), 4, 'Wh/L')} (pouch {num(v.get('gravimetric_Wh_kg'), 4)} "
                f"Wh/kg)"]))
        # operation
        c10 = v.get("c_rate_at_10pct_drop")
        lines = [f"ASR {num(v.get('asr_ohm_cm2'), 4, 'Ω·cm²')} (separator "
                 f"{num(v.get('asr_separator_ohm_cm2'), 3)}, cathode {num(v.get('asr_cathode_ohm_cm2'), 3)}, "
                 f"anode {num(v.get('asr_anode_ohm_cm2'), 3)}, interface {num(v.get('asr_interface_ohm_cm2'), 3)})",
                 f"At {num(v.get('c_rate'), 3)} C: {num(v.get('current_density_mA_cm2'), 3, 'mA/cm²')}, "
                 f"{num(v.get('voltage_at_rate_V'), 4, 'V')}, {num(v.get('gravimetric_Wh_kg_at_rate'), 4, 'Wh/kg')}",
                 f"C-rate at a 10 % drop {num(c10, 4, 'C') if c10 is not None else DASH + ' (no resistance or no capacity)'}"]
        if d.operation is None:
            lines.insert(0, "Off: rate results at C/3 with no interface resistance.")
        self.op_derived.setText("\n".join(lines))

    # ------------------------------------------------------------------ edits
    def _push(self, name: str, block, text: str, field: str | None = None) -> bool:
        ok = self.controller.change_fields(text, field, **{name: block})
        if not ok:
            self.set_design(self.controller.doc.design)
        return ok

    def toggle_block(self, name: str, on: bool) -> None:
        d = self.controller.doc.design
        current = getattr(d, name)
        label = {"lithium": "lithium over life", "fixture": "stack pressure fixture",
                 "operation": "operation at a current"}[name]
        self.controller.seal()
        if on and current is None:
            self._push(name, self._last[name], f"Add {label}")
        elif not on and current is not None:
            self._last[name] = current
            self._push(name, None, f"Remove {label}")
        self.controller.seal()

    def _change(self, name: str, key: str, value, what: str) -> None:
        d = self.controller.doc.design
        block = getattr(d, name)
        if block is None or value is None:
            return
        old = getattr(block, key)
        if old == value or (isinstance(value, float) and isinstance(old, float)
                            and math.isclose(old, value, rel_tol=1e-12, abs_tol=0.0)):
            return
        self._push(name, replace(block, **{key: value}), what, f"{name}.{key}")

    def change_lithium(self, key: str, value) -> None:
        self._change("lithium", key, value, {"formation_efficiency": "Formation efficiency",
                                             "coulombic_efficiency": "Coulombic efficiency",
                                             "end_of_life_retention": "End-of-life retention",
                                             "cycle_target": "Cycle target"}[key])

    def change_fixture(self, key: str, value) -> None:
        if key == "plate_thickness_mm":
            fx = self.controller.doc.design.fixture
            if fx is None or fx.plate_thickness_mm is None:
                return  # sized: the spin box only shows the sized value
        self._change("fixture", key, value, {"pressure_MPa": "Fixture pressure", "plate_material": "Plate material",
                                             "cells_per_fixture": "Cells per fixture",
                                             "safety_factor": "Fixture safety factor",
                                             "plate_thickness_mm": "Plate thickness"}[key])

    def toggle_fixed_thickness(self, on: bool) -> None:
        fx = self.controller.doc.design.fixture
        if fx is None:
            return
        self.controller.seal()
        if on and fx.plate_thickness_mm is None:
            t = self._result.values.get("fixture_plate_thickness_mm") if self._result is not None else None
            t = round(t, 2) if t else 5.0
            self._push("fixture", replace(fx, plate_thickness_mm=max(t, 0.01)), "Fix plate thickness")
        elif not on and fx.plate_thickness_mm is not None:
            self._push("fixture", replace(fx, plate_thickness_mm=None), "Size plate thickness")
        self.controller.seal()

    def change_operation(self, key: str, value) -> None:
        self._change("operation", key, value, {"c_rate": "C-rate", "interface_asr_ohm_cm2": "Interface ASR"}[key])
