"""The cell around the stack: design name and notes, electrode size, pouch laminate, seal,
tabs, volume basis and state, and an optional nominal-voltage override."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QToolButton, QVBoxLayout, QWidget)

from core.design import Tab

from ..commands import EditController
from . import blocked, fill_material_combo, form_grid, make_spin, note_label, section_label, set_spin

VOLUME_BASIS_TEXT = {
    "outline": ("Outline (incl. seals)", "Outline area including the seals × cell thickness"),
    "stack": ("Stack footprint", "Stack footprint × cell thickness: seals and tabs excluded"),
}
VOLUME_STATE_TEXT = {
    "discharged": ("Discharged", "Thickness as assembled / discharged"),
    "charged": ("Charged (plated Li)", "With a Li-metal or anode-free anode, the plated lithium adds "
                                       "areal capacity / 0.2061 mAh cm⁻² µm⁻¹ to every unit cell"),
}


class NotesEdit(QPlainTextEdit):
    """Commits on focus out (one undo step per editing session)."""

    def __init__(self, commit, parent=None):
        super().__init__(parent)
        self._commit = commit

    def focusOutEvent(self, event):  # noqa: N802 - Qt override
        self._commit()
        super().focusOutEvent(event)


class TabRow(QWidget):
    def __init__(self, editor: "CellEditorWidget", j: int):
        super().__init__(editor)
        self.j = j
        self.material = QComboBox(self)
        self.material.setMinimumContentsLength(4)
        self.material.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.material.setToolTip("Tab material")
        self.width_spin = make_spin("tab_mm", "Tab width", self)
        self.length = make_spin("tab_mm", "Tab length (outside the stack)", self)
        self.thickness = make_spin("tab_um", "Tab thickness", self)
        for sb in (self.width_spin, self.length, self.thickness):
            sb.setMinimumWidth(52)
            sb.setSuffix("")            # units are in the column headers
            sb.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.remove = QToolButton(self)
        self.remove.setText("✕")
        self.remove.setAutoRaise(True)
        self.remove.setToolTip("Remove this tab")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        lay.addWidget(self.material, 2)
        lay.addWidget(self.width_spin, 2)
        lay.addWidget(self.length, 2)
        lay.addWidget(self.thickness, 2)
        lay.addWidget(self.remove)
        self.material.currentIndexChanged.connect(
            lambda _i: editor.change_tab(self.j, material=self.material.currentData()))
        self.width_spin.valueChanged.connect(lambda v: editor.change_tab(self.j, width_mm=v))
        self.length.valueChanged.connect(lambda v: editor.change_tab(self.j, length_mm=v))
        self.thickness.valueChanged.connect(lambda v: editor.change_tab(self.j, thickness_um=v))
        for sb in (self.width_spin, self.length, self.thickness):
            sb.editingFinished.connect(editor.controller.seal)
        self.remove.clicked.connect(lambda: editor.change_remove_tab(self.j))


class CellEditorWidget(QWidget):
    def __init__(self, controller: EditController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._design = None
        self._result = None
        self._lib_key = None
        self._tab_rows: list[TabRow] = []

        self.name = QLineEdit()
        self.name.setToolTip("Design name (saved in the file, shown in reports)")
        self.name.editingFinished.connect(self.change_name)
        self.notes = NotesEdit(self.change_notes)
        self.notes.setPlaceholderText("Notes: sources, assumptions, revisions…")
        self.notes.setFixedHeight(64)

        self.width_spin = make_spin("electrode_mm", "Coated cathode width (one face)")
        self.height_spin = make_spin("electrode_mm", "Coated cathode height (one face)")
        self.width_spin.valueChanged.connect(lambda v: self.change_field("electrode_width_mm", v, "Electrode width"))
        self.height_spin.valueChanged.connect(lambda v: self.change_field("electrode_height_mm", v, "Electrode height"))
        self.area_note = note_label()

        self.lam_t = make_spin("laminate_um", "Thickness of one pouch-laminate sheet")
        self.lam_rho = make_spin("laminate_density", "Mean density of the laminate (Al foil + polymers)")
        self.seal = make_spin("seal_mm", "Seal width around the stack footprint, on every side")
        self.lam_t.valueChanged.connect(lambda v: self.change_packaging("laminate_thickness_um", v, "Laminate thickness"))
        self.lam_rho.valueChanged.connect(lambda v: self.change_packaging("laminate_density_g_cm3", v, "Laminate density"))
        self.seal.valueChanged.connect(lambda v: self.change_packaging("seal_width_mm", v, "Seal width"))
        self.basis = QComboBox()
        for key, (text, tip) in VOLUME_BASIS_TEXT.items():
            self.basis.addItem(text, key)
            self.basis.setItemData(self.basis.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.basis.setToolTip("Which area the cell volume (Wh/L) is computed over")
        self.basis.currentIndexChanged.connect(
            lambda _i: self.change_packaging("volume_basis", self.basis.currentData(), "Volume basis"))
        self.state = QComboBox()
        for key, (text, tip) in VOLUME_STATE_TEXT.items():
            self.state.addItem(text, key)
            self.state.setItemData(self.state.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.state.setToolTip("State of charge the thickness and volume refer to")
        self.state.currentIndexChanged.connect(
            lambda _i: self.change_field("volume_state", self.state.currentData(), "Volume state"))
        self.outline_note = note_label()

        self.tab_box = QVBoxLayout()
        self.tab_box.setSpacing(3)
        self.add_tab = QPushButton("Add tab")
        self.add_tab.clicked.connect(self.change_add_tab)

        self.v_check = QCheckBox("Override the cell voltage")
        self.v_check.setToolTip("Use a given (e.g. measured) unit-cell voltage instead of the model's "
                                "cathode minus anode average voltage")
        self.v_check.toggled.connect(self.change_voltage_on)
        self.v_spin = make_spin("voltage_V", "Nominal unit-cell voltage")
        self.v_spin.valueChanged.connect(self.change_voltage)
        self.v_note = note_label()
        for sb in (self.width_spin, self.height_spin, self.lam_t, self.lam_rho, self.seal, self.v_spin):
            sb.editingFinished.connect(controller.seal)

        grid = form_grid

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(5)
        lay.addWidget(section_label("Design"))
        g = grid()
        g.addWidget(QLabel("Name"), 0, 0)
        g.addWidget(self.name, 0, 1)
        lay.addLayout(g)
        lay.addWidget(self.notes)

        lay.addWidget(section_label("Electrode (coated cathode area)"))
        g = grid()
        g.addWidget(QLabel("Width"), 0, 0)
        g.addWidget(self.width_spin, 0, 1)
        g.addWidget(QLabel("Height"), 1, 0)
        g.addWidget(self.height_spin, 1, 1)
        lay.addLayout(g)
        lay.addWidget(self.area_note)

        lay.addWidget(section_label("Pouch"))
        g = grid()
        g.addWidget(QLabel("Laminate"), 0, 0)
        g.addWidget(self.lam_t, 0, 1)
        g.addWidget(QLabel("Laminate density"), 1, 0)
        g.addWidget(self.lam_rho, 1, 1)
        g.addWidget(QLabel("Seal width"), 2, 0)
        g.addWidget(self.seal, 2, 1)
        g.addWidget(QLabel("Volume basis"), 3, 0)
        g.addWidget(self.basis, 3, 1)
        g.addWidget(QLabel("Volume state"), 4, 0)
        g.addWidget(self.state, 4, 1)
        lay.addLayout(g)
        lay.addWidget(self.outline_note)

        lay.addWidget(section_label("Tabs (mass counted, volume not)"))
        head = QHBoxLayout()
        head.setSpacing(3)
        for text, stretch in (("Material", 2), ("Width, mm", 2), ("Length, mm", 2), ("Thick., µm", 2)):
            lab = note_label(text)
            head.addWidget(lab, stretch)
        head.addSpacing(24)
        lay.addLayout(head)
        lay.addLayout(self.tab_box)
        row = QHBoxLayout()
        row.addWidget(self.add_tab)
        row.addStretch(1)
        lay.addLayout(row)

        lay.addWidget(section_label("Voltage"))
        g = grid()
        g.addWidget(self.v_check, 0, 0)
        g.addWidget(self.v_spin, 0, 1)
        lay.addLayout(g)
        lay.addWidget(self.v_note)
        lay.addStretch(1)

    # ------------------------------------------------------------------ read
    def set_design(self, design) -> None:
        self._design = design
        pk = design.packaging
        with blocked(self.name):
            if not self.name.hasFocus():
                self.name.setText(design.name)
                self.name.setCursorPosition(0)
        if not self.notes.hasFocus():
            with blocked(self.notes):
                if self.notes.toPlainText() != design.notes:
                    self.notes.setPlainText(design.notes)
        set_spin(self.width_spin, design.electrode_width_mm)
        set_spin(self.height_spin, design.electrode_height_mm)
        set_spin(self.lam_t, pk.laminate_thickness_um)
        set_spin(self.lam_rho, pk.laminate_density_g_cm3)
        set_spin(self.seal, pk.seal_width_mm)
        with blocked(self.basis, self.state, self.v_check):
            self.basis.setCurrentIndex(self.basis.findData(pk.volume_basis))
            self.state.setCurrentIndex(self.state.findData(design.volume_state))
            self.v_check.setChecked(design.nominal_voltage_V is not None)
        self.v_spin.setEnabled(design.nominal_voltage_V is not None)
        if design.nominal_voltage_V is not None:
            set_spin(self.v_spin, design.nominal_voltage_V)

        lib = design.library()
        key = tuple(sorted(lib))
        if len(self._tab_rows) != len(pk.tabs) or key != self._lib_key:
            for r in self._tab_rows:
                self.tab_box.removeWidget(r)
                r.hide()   # off the screen now, not at the deferred delete
                r.deleteLater()
            self._tab_rows = []
            for j in range(len(pk.tabs)):
                r = TabRow(self, j)
                fill_material_combo(r.material, lib, role="tab")
                self.tab_box.addWidget(r)
                self._tab_rows.append(r)
            self._lib_key = key
        for r, tab in zip(self._tab_rows, pk.tabs):
            with blocked(r.material):
                r.material.setCurrentIndex(max(0, r.material.findData(tab.material)))
            set_spin(r.width_spin, tab.width_mm)
            set_spin(r.length, tab.length_mm)
            set_spin(r.thickness, tab.thickness_um)
        self._show_notes()

    def set_result(self, result) -> None:
        self._result = result
        self._show_notes()

    def _show_notes(self) -> None:
        r, d = self._result, self._design
        if r is None or d is None:
            return
        v = r.values
        fw, fh = r.footprint_mm
        ow, oh = r.outline_mm
        self.area_note.setText(f"Cathode {v['cathode_area_cm2']:.4g} cm² · stack footprint {fw:.4g} × {fh:.4g} mm "
                               f"({v['footprint_area_cm2']:.4g} cm²)")
        self.outline_note.setText(f"Outline {ow:.4g} × {oh:.4g} mm ({v['outline_area_cm2']:.4g} cm²) · "
                                  f"cell {v['thickness_mm']:.4g} mm thick, {v['volume_cm3']:.4g} cm³"
                                  + (f" · plated Li {r.plated_li_um:.3g} µm per unit cell" if r.plated_li_um else ""))
        if d.nominal_voltage_V is None:
            set_spin(self.v_spin, v["unit_cell_voltage_V"])   # shown (disabled) until overridden
            self.v_note.setText(f"Model voltage {v['unit_cell_voltage_V']:.4g} V per unit cell "
                                f"(cathode minus anode average voltage vs Li/Li⁺)")
        else:
            self.v_note.setText(f"Given {d.nominal_voltage_V:.4g} V per unit cell; stack "
                                f"{v['stack_voltage_V']:.4g} V")

    # ------------------------------------------------------------------ edits
    def _push(self, new, text, field=None) -> None:
        if not self.controller.change_design(new, text, field):
            self.set_design(self.controller.doc.design)

    def change_name(self) -> None:
        text = self.name.text().strip()
        d = self.controller.doc.design
        if text == d.name:
            return
        if not text:
            self.controller.refuse("The design needs a name.")
            self.set_design(d)
            return
        self._push(replace(d, name=text), "Rename design")

    def change_notes(self) -> None:
        d = self.controller.doc.design
        text = self.notes.toPlainText()
        if text != d.notes:
            self._push(replace(d, notes=text), "Edit notes")

    def change_field(self, field: str, value, text: str) -> None:
        d = self.controller.doc.design
        if value is None or getattr(d, field) == value:
            return
        self._push(replace(d, **{field: value}), text, field)

    def change_packaging(self, field: str, value, text: str) -> None:
        d = self.controller.doc.design
        if value is None or getattr(d.packaging, field) == value:
            return
        self._push(replace(d, packaging=replace(d.packaging, **{field: value})), text, f"packaging.{field}")

    def change_tab(self, j: int, **changes) -> None:
        d = self.controller.doc.design
        tabs = list(d.packaging.tabs)
        if j >= len(tabs) or any(v is None for v in changes.values()):
            return
        new = replace(tabs[j], **changes)
        if new == tabs[j]:
            return
        tabs[j] = new
        key = next(iter(changes))
        self._push(replace(d, packaging=replace(d.packaging, tabs=tuple(tabs))),
                   f"Tab {j + 1} {key.split('_')[0]}", None if key == "material" else f"tab{j}.{key}")

    def change_add_tab(self) -> None:
        d = self.controller.doc.design
        tabs = d.packaging.tabs + (Tab("Al" if len(d.packaging.tabs) % 2 == 0 else "Ni"),)
        self._push(replace(d, packaging=replace(d.packaging, tabs=tabs)), "Add tab")

    def change_remove_tab(self, j: int) -> None:
        d = self.controller.doc.design
        tabs = list(d.packaging.tabs)
        if j < len(tabs):
            tabs.pop(j)
            self._push(replace(d, packaging=replace(d.packaging, tabs=tuple(tabs))), "Remove tab")

    def change_voltage_on(self, on: bool) -> None:
        d = self.controller.doc.design
        if on and d.nominal_voltage_V is None:
            v = self._result.values["unit_cell_voltage_V"] if self._result is not None else 3.7
            v = round(v, 3) if v > 0 else 3.7
            self._push(replace(d, nominal_voltage_V=v), "Override voltage")
        elif not on and d.nominal_voltage_V is not None:
            self._push(replace(d, nominal_voltage_V=None), "Model voltage")

    def change_voltage(self, v: float) -> None:
        d = self.controller.doc.design
        if d.nominal_voltage_V is not None and v != d.nominal_voltage_V:
            self._push(replace(d, nominal_voltage_V=v), "Nominal voltage", "nominal_voltage_V")
