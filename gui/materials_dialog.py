"""The materials library: built-in values with their sources (read-only), and the current
design's own materials, which can be added, overridden, edited or removed (undoable)."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QDoubleValidator, QFont, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from core.materials import CATEGORIES, MATERIAL_FIELDS, builtin_materials

from .commands import EditController
from .editors import make_spin

COLUMNS = ("Material", "Category", "Density\ng/cm³", "Capacity\nmAh/g", "Voltage\nV vs Li/Li⁺",
           "Lithiated", "Conductivity\nS/cm", "Origin", "Source")


def _sci(v: float) -> str:
    """2.0e-3 style for conductivities spanning many decades."""
    mant, exp = f"{v:.1e}".split("e")
    return f"{mant}e{int(exp)}"


class MaterialFormDialog(QDialog):
    """Fields of one design material; `values()` gives the FORMAT.md `materials` entry."""

    def __init__(self, parent, title: str, name: str = "", base=None, fields=None, name_editable=True,
                 taken=()):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._taken = set(taken)
        fields = dict(fields or {})
        self.name = QLineEdit(name)
        self.name.setEnabled(name_editable)
        self.name.setPlaceholderText("e.g. MyNMC")
        self.category = QComboBox()
        for c in CATEGORIES:
            self.category.addItem(c, c)
        self.category.setCurrentIndex(max(0, self.category.findData(fields.get("category",
                                                                               getattr(base, "category", "custom")))))
        self.category.setEnabled(base is None or not getattr(base, "builtin", False))

        def val(key, default):
            if key in fields:
                return fields[key]
            return getattr(base, key, default) if base is not None else default

        self.density = make_spin("density_g_cm3", "Density of the dense material")
        self.density.setValue(val("density_g_cm3", 2.0) or 2.0)
        self.capacity = make_spin("loading_mg_cm2", "Practical specific capacity (0: not active)")
        self.capacity.setRange(0.0, 5000.0)
        self.capacity.setSuffix(" mAh/g")
        self.capacity.setToolTip("Practical specific capacity (0: not active)\nAllowed: 0 to 5000 mAh/g")
        self.capacity.setValue(val("specific_capacity_mAh_g", 0.0) or 0.0)
        self.voltage = make_spin("voltage_V", "Average voltage vs Li/Li⁺ (needed for an active material)")
        self.voltage.setRange(-5.0, 10.0)
        self.voltage.setToolTip("Average voltage vs Li/Li⁺ (needed for an active material)\n"
                                "Allowed: -5 to 10 V")
        v = val("average_voltage_V", None)
        self.voltage.setValue(v if v is not None else 0.0)
        self.lithiated = QCheckBox("Holds cyclable lithium in the discharged cell")
        self.lithiated.setChecked(bool(val("lithiated", False)))
        self.conductivity = QLineEdit()
        validator = QDoubleValidator(1e-15, 100.0, 6, self.conductivity)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.conductivity.setValidator(validator)
        self.conductivity.setPlaceholderText("optional, e.g. 2e-3")
        c = val("ionic_conductivity_S_cm", None)
        if c:
            self.conductivity.setText(f"{c:g}")
        self.error = QLabel()
        self.error.setWordWrap(True)
        pal = self.error.palette()
        pal.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.red)
        self.error.setPalette(pal)

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Category", self.category)
        form.addRow("Density", self.density)
        form.addRow("Specific capacity", self.capacity)
        form.addRow("Average voltage", self.voltage)
        form.addRow("", self.lithiated)
        form.addRow("Ionic conductivity (S/cm)", self.conductivity)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        if base is not None and getattr(base, "builtin", False):
            note = QLabel(f"Overrides the built-in {base.name} for this design only "
                          f"(built-in source: {base.source or 'n/a'}).")
            note.setWordWrap(True)
            lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.base = base

    def _accept(self):
        name = self.name.text().strip()
        if not name:
            self.error.setText("Give the material a name.")
            return
        if self.name.isEnabled() and name in self._taken:
            self.error.setText(f"{name} already exists; select it and choose Override or Edit.")
            return
        text = self.conductivity.text().strip()
        if text:
            try:
                c = float(text)
            except ValueError:
                self.error.setText("Ionic conductivity: give a number such as 2e-3.")
                return
            if not c > 0:
                self.error.setText("Ionic conductivity: must be > 0 S/cm.")
                return
        self.accept()

    def values(self) -> tuple[str, dict]:
        """The material's name and the fields to store (only those differing from a built-in)."""
        d = {"density_g_cm3": self.density.value(),
             "specific_capacity_mAh_g": self.capacity.value(),
             "lithiated": self.lithiated.isChecked()}
        if self.capacity.value() > 0 or self.voltage.value() != 0:
            d["average_voltage_V"] = self.voltage.value()
        text = self.conductivity.text().strip()
        if text:
            d["ionic_conductivity_S_cm"] = float(text)
        base = self.base
        if base is not None and getattr(base, "builtin", False):
            builtin = builtin_materials()[base.name]
            out = {}
            for k, v in d.items():
                bv = getattr(builtin, k)
                if isinstance(v, float) and bv is not None and not isinstance(bv, bool):
                    if abs(v - float(bv)) > 1e-12 * max(1.0, abs(v)):
                        out[k] = v
                elif v != bv:
                    out[k] = v
            return self.name.text().strip(), out
        d["category"] = self.category.currentData()
        return self.name.text().strip(), d


class MaterialsDialog(QDialog):
    INFO = ("Built-in values are read-only; add or override materials for this design "
            "only (saved in the design file, undoable with Ctrl+Z).")

    def __init__(self, controller: EditController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Materials library")
        self.resize(980, 560)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name, category or source…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        for i in range(len(COLUMNS) - 1):
            hh.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemSelectionChanged.connect(self._show_source)
        self.table.itemDoubleClicked.connect(lambda _it: self.edit_selected())

        self.add_btn = QPushButton("Add material…")
        self.add_btn.clicked.connect(self.add_material)
        self.edit_btn = QPushButton("Override…")
        self.edit_btn.clicked.connect(self.edit_selected)
        self.remove_btn = QPushButton("Remove from design")
        self.remove_btn.clicked.connect(self.remove_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info = QLabel(self.INFO)
        self.info.setWordWrap(True)
        self.info.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        buttons = QHBoxLayout()
        for b in (self.add_btn, self.edit_btn, self.remove_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.filter)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.source)
        lay.addWidget(self.info)
        lay.addLayout(buttons)
        self._design = None
        controller.sig_refused.connect(self._on_refused)
        self.set_design(controller.doc.design)

    def reset_status(self) -> None:
        """Another design was opened: the last edit's status line is not about it."""
        self.info.setText(self.INFO)
        self.info.setStyleSheet("")

    def _on_refused(self, message: str) -> None:
        if self.isVisible():
            self.info.setText(message)
            self.info.setStyleSheet("color: #d0433a;")

    # ------------------------------------------------------------------ read
    def set_design(self, design) -> None:
        if self._design is not None and design.materials == self._design.materials:
            self._design = design
            return
        self._design = design
        selected = self.selected_name()
        lib = design.library()
        order = {c: i for i, c in enumerate(CATEGORIES)}
        mats = sorted(lib.values(), key=lambda m: (order.get(m.category, 99), m.name.lower()))
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(mats))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, m in enumerate(mats):
            origin = "built-in" if m.builtin else ("override" if m.name in builtin_materials() else "this design")
            cells = (m.name, m.category, f"{m.density_g_cm3:g}",
                     f"{m.specific_capacity_mAh_g:g}" if m.specific_capacity_mAh_g else "—",
                     f"{m.average_voltage_V:g}" if m.average_voltage_V is not None else "—",
                     "yes" if m.lithiated else "no",
                     _sci(m.ionic_conductivity_S_cm) if m.ionic_conductivity_S_cm else "—",
                     origin, m.source or "")
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if 2 <= c <= 6:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 0:
                    it.setData(Qt.ItemDataRole.UserRole, m.name)
                if not m.builtin:
                    it.setFont(bold)
                tip = m.source + (f"\n{m.note}" if m.note else "")
                it.setToolTip(tip)
                self.table.setItem(r, c, it)
        self._apply_filter(self.filter.text())
        if selected:
            self.select_name(selected)
        self._update_buttons()

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        if self.table.isRowHidden(rows[0].row()):  # filtered out: not a visible choice
            return None
        it = self.table.item(rows[0].row(), 0)
        return it.data(Qt.ItemDataRole.UserRole) if it else None

    def select_name(self, name: str) -> None:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == name:
                self.table.selectRow(r)
                return

    def _apply_filter(self, text: str) -> None:
        t = text.strip().lower()
        for r in range(self.table.rowCount()):
            row_text = " ".join(self.table.item(r, c).text().lower() for c in (0, 1, 7, 8))
            self.table.setRowHidden(r, bool(t) and t not in row_text)
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if rows and self.table.isRowHidden(rows[0].row()):
            self.table.clearSelection()  # a hidden row stays no target of Override / Remove
        self._update_buttons()
        self._show_source()

    def _show_source(self) -> None:
        name = self.selected_name()
        if name is None or self._design is None:
            self.source.setText("")
            return
        m = self._design.library()[name]
        text = f"<b>{name}</b>: {m.source or 'no source given'}"
        if m.note:
            text += f" ({m.note})"
        self.source.setText(text)

    def _update_buttons(self) -> None:
        name = self.selected_name()
        mats = self._design.materials if self._design else {}
        builtin = name in builtin_materials() if name else False
        self.edit_btn.setEnabled(name is not None)
        self.edit_btn.setText("Edit…" if name in mats else "Override…")
        self.edit_btn.setToolTip("Change this design's values" if name in mats else
                                 "Use other values for this built-in material in this design")
        self.remove_btn.setEnabled(name in mats)
        self.remove_btn.setText("Restore built-in" if builtin and name in mats else "Remove from design")

    # ------------------------------------------------------------------ edits
    def _push_materials(self, materials: dict, text: str) -> bool:
        d = self.controller.doc.design
        ok = self.controller.change_design(replace(d, materials=materials), text)
        if ok:
            self.info.setText(f"{text}: done (Ctrl+Z undoes it).")
            self.info.setStyleSheet("")
        return ok

    def add_material(self) -> None:
        lib = self.controller.doc.design.library()
        dlg = MaterialFormDialog(self, "Add material", taken=set(lib))
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        name, fields = dlg.values()
        mats = {k: dict(v) for k, v in self.controller.doc.design.materials.items()}
        mats[name] = fields
        if self._push_materials(mats, f"Add material {name}"):
            self.select_name(name)

    def edit_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        d = self.controller.doc.design
        lib = d.library()
        builtin = builtin_materials().get(name)
        base = builtin if builtin is not None else lib[name]
        dlg = MaterialFormDialog(self, f"{'Override' if builtin and name not in d.materials else 'Edit'} {name}",
                                 name=name, base=base, fields=d.materials.get(name, {}), name_editable=False)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        _name, fields = dlg.values()
        mats = {k: dict(v) for k, v in d.materials.items()}
        if builtin is not None and not fields:
            mats.pop(name, None)
        else:
            mats[name] = fields
        if self._push_materials(mats, f"{'Override' if builtin else 'Edit'} material {name}"):
            self.select_name(name)

    def remove_selected(self) -> None:
        name = self.selected_name()
        d = self.controller.doc.design
        if name is None or name not in d.materials:
            return
        mats = {k: dict(v) for k, v in d.materials.items() if k != name}
        self._push_materials(mats, f"{'Restore built-in' if name in builtin_materials() else 'Remove'} "
                                   f"material {name}")

    def add_or_override(self, name: str, fields: dict) -> bool:
        """Programmatic add/override (same checks and undo step as the dialog)."""
        d = self.controller.doc.design
        mats = {k: dict(v) for k, v in d.materials.items()}
        mats[name] = {k: v for k, v in fields.items() if k in MATERIAL_FIELDS or k == "category"}
        return self._push_materials(mats, f"Material {name}")
