"""Properties of the selected unit-cell layer: material or components with mass fractions,
density or porosity, the amount (loading, thickness, areal capacity or N/P) with the other
amounts shown as derived values, and the overhang."""
from __future__ import annotations

import math
from dataclasses import replace

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QRadioButton, QSizePolicy, QToolButton, QVBoxLayout,
                               QWidget)

import core
from core.design import ROLE_LABELS, Component
from core.document import normalized, rescale_fractions

from ..commands import EditController
from ..cross_section import role_color
from ..fence import NumberLabel, WrapFence
from ..layer_model import ROLE_DESCRIPTIONS
from . import LABEL_WIDTH, LIMITS, blocked, form_grid, fill_material_combo, make_spin, note_label, section_label, set_spin

AMOUNT_LABELS = {
    "loading_mg_cm2": ("Loading", "mg/cm²", "Areal mass of the composite (mg per cm² of one face)"),
    "thickness_um": ("Thickness", "µm", "Thickness of the layer as made"),
    "areal_capacity_mAh_cm2": ("Areal capacity", "mAh/cm²", "Capacity per cm² of one face"),
    "np_ratio": ("N/P ratio", "", "Anode over cathode areal capacity"),
}


def _lc(label: str) -> str:
    """Lower case for running text, acronyms kept ("N/P ratio")."""
    return " ".join(w if sum(ch.isupper() for ch in w) > 1 or "/" in w else w.lower() for w in label.split())


def _sig(v: float, digits: int = 6) -> float:
    """Round to `digits` significant figures (values taken over from derived amounts)."""
    if v == 0 or not math.isfinite(v):
        return v
    return round(v, digits - 1 - int(math.floor(math.log10(abs(v)))))


def theoretical_density(layer, library) -> float | None:
    """Pore-free density of the layer's components, 1 / sum(w_i / rho_i)."""
    try:
        inv = sum(c.mass_fraction / library[c.material].density_g_cm3 for c in layer.component_list())
    except KeyError:
        return None
    return 1.0 / inv if inv > 0 else None


class ComponentRow(QWidget):
    def __init__(self, editor: "LayerEditorWidget", j: int):
        super().__init__(editor)
        self.j = j
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(10)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.setToolTip("Material (built-in library or this design's own materials)")
        self.spin = make_spin("fraction_pct", "Mass fraction; editing one rescales the others "
                                              "so that they sum to 100 %", self)
        self.spin.setMinimumWidth(96)
        self.remove = QToolButton(self)
        self.remove.setText("✕")
        self.remove.setToolTip("Remove this component (the others are rescaled to 100 %)")
        self.remove.setAutoRaise(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.combo, 1)
        lay.addWidget(self.spin)
        lay.addWidget(self.remove)
        self.combo.currentIndexChanged.connect(lambda _i: editor.change_component_material(
            self.j, self.combo.currentData()))
        self.spin.valueChanged.connect(lambda v: editor.change_component_fraction(self.j, v))
        self.spin.editingFinished.connect(editor.controller.seal)
        self.remove.clicked.connect(lambda: editor.change_remove_component(self.j))


class LayerEditorWidget(QWidget):
    """Edits one layer of the unit cell (`set_design(design, row)`, `set_result(result)`)."""

    def __init__(self, controller: EditController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._design = None
        self._row: int | None = None
        self._result = None
        self._lib_key = None
        self._rows: list[ComponentRow] = []

        # header
        self.swatch = QLabel()
        self.swatch.setFixedSize(12, 28)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.title.setFont(f)
        self.description = note_label()
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.swatch)
        head.addWidget(self.title, 1)

        # label
        self.label_edit = QLineEdit()
        self.label_edit.setToolTip("Optional name shown in the stack list and reports")
        self.label_edit.editingFinished.connect(self.change_label)

        # components
        self.comp_box = QVBoxLayout()
        self.comp_box.setSpacing(3)
        self.add_comp = QPushButton("Add component")
        self.add_comp.setToolTip("Add a material to this layer (the others are scaled down to make room)")
        self.add_comp.clicked.connect(self.change_add_component)
        self.comp_note = note_label()

        # density / porosity
        self.density_mode = QComboBox()
        self.density_mode.addItem("Density as made", "density")
        self.density_mode.addItem("Porosity", "porosity")
        self.density_mode.setToolTip("Give the composite density as made, or its porosity "
                                     "(the density then follows from the components)")
        self.density_mode.currentIndexChanged.connect(
            lambda _i: self.change_density_mode(self.density_mode.currentData()))
        self.density_spin = make_spin("density_g_cm3", "Composite density as made")
        self.porosity_spin = make_spin("porosity_pct", "Pore volume fraction of the layer")
        self.density_spin.valueChanged.connect(self.change_density)
        self.porosity_spin.valueChanged.connect(self.change_porosity)
        self.density_note = note_label()

        # amounts
        self.amount_group = QButtonGroup(self)
        self.amount_group.setExclusive(True)
        self.amount_radio: dict[str, QRadioButton] = {}
        self.amount_spin = {}
        self.amount_derived: dict[str, QLabel] = {}
        amount_grid = form_grid()
        amount_grid.setVerticalSpacing(3)
        for r, (key, (label, unit, tip)) in enumerate(AMOUNT_LABELS.items()):
            rb = QRadioButton(label)
            rb.setToolTip(f"Give the electrode by its {_lc(label)}; the other amounts follow")
            self.amount_group.addButton(rb)
            rb.toggled.connect(lambda on, k=key: on and self.change_amount_key(k))
            sb = make_spin(key, tip)
            sb.valueChanged.connect(lambda v, k=key: self.change_amount(k, v))
            sb.editingFinished.connect(controller.seal)
            # a figure that keeps its size (the amounts follow every edit of a drag: a
            # label would re-lay the editor out each time); its context menu copies it
            der = NumberLabel()
            der.setToolTip("Derived from the given amount")
            amount_grid.addWidget(rb, r, 0)
            amount_grid.addWidget(sb, r, 1)
            amount_grid.addWidget(der, r, 1, NumberLabel.ALIGN)
            self.amount_radio[key], self.amount_spin[key], self.amount_derived[key] = rb, sb, der
        amount_grid.setColumnStretch(1, 1)
        self.amount_note = note_label()

        # film thickness
        self.film_thickness = make_spin("film_um", "Thickness of the film")
        self.film_thickness.valueChanged.connect(self.change_film_thickness)
        self.film_thickness.editingFinished.connect(controller.seal)
        self.film_note = note_label()

        # overhang
        self.overhang = make_spin("overhang_mm", "How far the layer extends beyond the cathode on "
                                                 "every side (it then covers a larger area)")
        self.overhang.valueChanged.connect(self.change_overhang)
        self.overhang.editingFinished.connect(controller.seal)
        for sb in (self.density_spin, self.porosity_spin):
            sb.editingFinished.connect(controller.seal)

        # ionic conductivity (MODEL.md step 11): the material's or Bruggeman value, or an override
        from .layer_conductivity import ConductivityBox
        self.conductivity = ConductivityBox(self)

        # layout
        dens = form_grid()
        dens.addWidget(self.density_mode, 0, 0)
        dens.addWidget(self.density_spin, 0, 1)
        dens.addWidget(self.porosity_spin, 0, 1)
        dens.setColumnStretch(1, 1)

        self.amount_widget = QWidget()
        al = QVBoxLayout(self.amount_widget)
        al.setContentsMargins(0, 0, 0, 0)
        al.setSpacing(3)
        al.addWidget(section_label("Amount"))
        al.addLayout(amount_grid)
        al.addWidget(WrapFence(self.amount_note))

        self.film_widget = QWidget()
        fl = QGridLayout(self.film_widget)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.setHorizontalSpacing(8)
        fl.setColumnMinimumWidth(0, LABEL_WIDTH)
        fl.addWidget(section_label("Thickness"), 0, 0, 1, 2)
        fl.addWidget(QLabel("Thickness"), 1, 0)
        fl.addWidget(self.film_thickness, 1, 1)
        fl.addWidget(WrapFence(self.film_note), 2, 0, 1, 2)
        fl.setColumnStretch(1, 1)

        geo = form_grid()
        geo.addWidget(QLabel("Overhang per side"), 0, 0)
        geo.addWidget(self.overhang, 0, 1)
        geo.setColumnStretch(1, 1)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(4)
        body.addLayout(head)
        body.addWidget(self.description)
        # the amount first: it is what gets edited most
        body.addWidget(self.amount_widget)
        body.addWidget(self.film_widget)
        body.addWidget(section_label("Material and mass fractions"))
        body.addLayout(self.comp_box)
        addl = QHBoxLayout()
        addl.addWidget(self.add_comp)
        addl.addStretch(1)
        body.addLayout(addl)
        body.addWidget(WrapFence(self.comp_note))
        body.addWidget(section_label("Density"))
        body.addLayout(dens)
        body.addWidget(WrapFence(self.density_note))
        body.addWidget(self.conductivity)
        body.addWidget(section_label("Geometry and name"))
        geo.addWidget(QLabel("Label"), 1, 0)
        geo.addWidget(self.label_edit, 1, 1)
        body.addLayout(geo)
        body.addStretch(1)

        self.placeholder = note_label("Select a layer of the unit cell to edit it.")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.placeholder)
        lay.addWidget(self.body)
        self.body.hide()

    # ------------------------------------------------------------------ read the document
    @property
    def layer(self):
        if self._design is None or self._row is None or self._row >= len(self._design.unit_cell):
            return None
        return self._design.unit_cell[self._row]

    def set_design(self, design, row: int | None, derived: bool = True) -> None:
        """Show layer `row` of `design`. `derived`: also its derived values from the result
        last given (False when a new result follows, as after an edit: the last result is
        the design's before the edit)."""
        self._design = design
        self._row = row
        layer = self.layer
        self.placeholder.setVisible(layer is None)
        self.body.setVisible(layer is not None)
        if layer is None:
            return
        role = layer.role
        sheet = f"background: {role_color(role).name()}; border-radius: 2px;"
        if self.swatch.styleSheet() != sheet:   # a style sheet re-polishes: only on a change
            self.swatch.setStyleSheet(sheet)
        self.title.setText(f"{ROLE_LABELS.get(role, role)}  ·  layer {row + 1} of {len(design.unit_cell)}")
        self.description.setText(ROLE_DESCRIPTIONS.get(role, ""))
        with blocked(self.label_edit):
            if not self.label_edit.hasFocus():
                self.label_edit.setText(layer.label or "")
            self.label_edit.setPlaceholderText(" + ".join(c.material for c in layer.component_list()))

        # components
        lib = design.library()
        names = getattr(self, "_lib_names", None)
        if names is None or names[0] is not lib:   # (the built-in library is one object)
            names = self._lib_names = (lib, tuple(sorted((m.name, m.builtin) for m in lib.values())))
        lib_key = (role, names[1])
        comps = layer.component_list()
        if len(self._rows) != len(comps) or lib_key != self._lib_key:
            self._rebuild_component_rows(len(comps), lib, role)
            self._lib_key = lib_key
        for j, (roww, c) in enumerate(zip(self._rows, comps)):
            with blocked(roww.combo, roww.spin):
                i = roww.combo.findData(c.material)
                if i < 0:
                    fill_material_combo(roww.combo, lib, c.material, role)
                else:
                    roww.combo.setCurrentIndex(i)
                # (each touched only on a change: a spin box given a range asks its row, the
                # editor and its scroll area to lay out again, on every edit of a drag)
                single = len(comps) == 1
                if roww.spin.isEnabled() == single:
                    roww.spin.setEnabled(not single)
                lo, hi = (100.0, 100.0) if single else LIMITS["fraction_pct"][:2]
                if (roww.spin.minimum(), roww.spin.maximum()) != (lo, hi):
                    roww.spin.setRange(lo, hi)
                set_spin(roww.spin, c.mass_fraction * 100.0)
                if roww.remove.isEnabled() == single:
                    roww.remove.setEnabled(not single)
                tip = ("Remove this component (the others are rescaled to 100 %)"
                       if not single else "A layer needs at least one material")
                if roww.remove.toolTip() != tip:
                    roww.remove.setToolTip(tip)
        self.add_comp.setEnabled(len(comps) < 8)

        # density / porosity
        single_film = not layer.is_electrode and len(comps) == 1
        mode = "density" if layer.density_g_cm3 is not None else "porosity"
        with blocked(self.density_mode):
            self.density_mode.setCurrentIndex(self.density_mode.findData(mode))
        self.density_mode.setEnabled(not single_film or mode == "density")
        self.density_mode.setToolTip(
            "A single-material film takes its material's density; give its porosity"
            if single_film else "Give the composite density as made, or its porosity "
                                "(the density then follows from the components)")
        self.density_spin.setVisible(mode == "density")
        self.porosity_spin.setVisible(mode == "porosity")
        set_spin(self.density_spin, layer.density_g_cm3)
        set_spin(self.porosity_spin, (layer.porosity or 0.0) * 100.0)

        # amount
        self.amount_widget.setVisible(layer.is_electrode)
        self.film_widget.setVisible(not layer.is_electrode)
        if layer.is_electrode:
            key, value = layer.amount()
            for k, rb in self.amount_radio.items():
                visible = k != "np_ratio" or role == "anode"
                rb.setVisible(visible)
                with blocked(rb):
                    rb.setChecked(k == key)
                self.amount_spin[k].setVisible(visible and k == key)
                self.amount_derived[k].setVisible(visible and k != key)
            set_spin(self.amount_spin[key], value)
        else:
            set_spin(self.film_thickness, layer.thickness_um)
        set_spin(self.overhang, layer.overhang_mm)
        self.conductivity.set_layer(layer)
        if derived:
            self._show_derived()

    def _rebuild_component_rows(self, n: int, lib, role: str | None = None) -> None:
        for r in self._rows:
            self.comp_box.removeWidget(r)
            r.hide()          # gone from the screen now, not when the deferred delete runs: a
            r.deleteLater()   # paint in between drew it over the rows that took its place
        self._rows = []
        for j in range(n):
            r = ComponentRow(self, j)
            fill_material_combo(r.combo, lib, role=role)
            self.comp_box.addWidget(r)
            self._rows.append(r)

    def set_result(self, result) -> None:
        self._result = result
        self._show_derived()

    def _info(self):
        r = self._result
        if r is None or self._row is None or self._design is None or self._row >= len(r.layers) \
                or len(r.layers) != len(self._design.unit_cell) \
                or r.layers[self._row].role != self._design.unit_cell[self._row].role:
            return None
        return r.layers[self._row]

    def _show_derived(self) -> None:
        layer = self.layer
        info = self._info()
        if layer is None:
            return
        lib = self._design.library()
        rho_th = theoretical_density(layer, lib)
        if info is None:
            return
        self.conductivity.show_derived(layer, info)
        # density note
        if layer.density_g_cm3 is not None and rho_th:
            por = 1.0 - layer.density_g_cm3 / rho_th
            if por < -1e-9:
                self.density_note.setText(f"Denser than its pore-free components ({rho_th:.3f} g/cm³): "
                                          f"check the density or the fractions.")
            else:
                self.density_note.setText(f"Porosity {por * 100:.1f} % (pore-free density {rho_th:.3f} g/cm³)")
        else:
            self.density_note.setText(f"Density {info.density_g_cm3:.3f} g/cm³"
                                      + (f" (pore-free {rho_th:.3f} g/cm³)" if rho_th else ""))
        # composite note
        comps = layer.component_list()
        if layer.is_electrode:
            q = info.specific_capacity_mAh_g or 0.0
            v = info.voltage_V
            self.comp_note.setText(f"Composite: {q:.4g} mAh/g" + (f" at {v:.3g} V vs Li/Li⁺" if v is not None else ""))
        else:
            self.comp_note.setText("" if len(comps) == 1 else
                                   f"Sum {sum(c.mass_fraction for c in comps) * 100:.4g} wt%")
        self.comp_note.setVisible(bool(self.comp_note.text()))
        if layer.is_electrode:
            key, _ = layer.amount()
            np_ratio = self._result.values.get("np_ratio") if self._result is not None else None
            vals = {"loading_mg_cm2": info.loading_mg_cm2, "thickness_um": info.thickness_um,
                    "areal_capacity_mAh_cm2": info.areal_capacity_mAh_cm2, "np_ratio": np_ratio}
            for k, lab in self.amount_derived.items():
                v = vals.get(k)
                unit = AMOUNT_LABELS[k][1]
                lab.setText("—" if v is None else f"{v:.4g} {unit}".strip())
            area = info.area_cm2
            self.amount_note.setText(f"Over {area:.4g} cm² per face · {info.loading_mg_cm2 * area / 1000:.4g} g "
                                     f"per layer")
        else:
            self.film_note.setText(f"{info.loading_mg_cm2:.4g} mg/cm² over {info.area_cm2:.4g} cm² "
                                   f"({info.loading_mg_cm2 * info.area_cm2 / 1000:.4g} g per layer)")

    # ------------------------------------------------------------------ edits
    def _commit(self, layer, what: str, field: str | None) -> None:
        role = ROLE_LABELS.get(self.layer.role, self.layer.role)
        if not self.controller.edit_layer(self._row, layer, f"{role}: {what}", field):
            self.set_design(self.controller.doc.design, self._row)  # show the document again

    def change_label(self) -> None:
        layer = self.layer
        if layer is None:
            return
        text = self.label_edit.text().strip() or None
        if text != layer.label:
            self._commit(replace(layer, label=text), "label", None)

    def _with_components(self, layer, comps):
        comps = tuple(comps)
        if len(comps) == 1:
            new = replace(layer, material=comps[0].material, components=None)
            if not new.is_electrode and new.density_g_cm3 is not None:
                # a single-material film takes its material's density: keep it as porosity
                lib = self._design.library()
                rho = lib[comps[0].material].density_g_cm3 if comps[0].material in lib else None
                por = max(0.0, min(0.95, 1.0 - new.density_g_cm3 / rho)) if rho else 0.0
                new = replace(new, density_g_cm3=None, porosity=_sig(por) or None)
            return new
        return replace(layer, material=None, components=comps)

    def change_component_material(self, j: int, name) -> None:
        layer = self.layer
        if layer is None or name is None:
            return
        comps = list(layer.component_list())
        if comps[j].material == name:
            return
        if any(c.material == name for i, c in enumerate(comps) if i != j):
            self.controller.refuse(f"{name} is already a component of this layer; change its fraction instead.")
            self.set_design(self.controller.doc.design, self._row)
            return
        comps[j] = Component(name, comps[j].mass_fraction)
        self._commit(self._with_components(layer, comps), "material", None)

    def change_component_fraction(self, j: int, pct: float) -> None:
        layer = self.layer
        if layer is None:
            return
        comps = layer.component_list()
        if len(comps) < 2:
            return
        try:
            new = rescale_fractions(comps, j, pct / 100.0)
        except ValueError as e:
            self.controller.refuse(str(e))
            return
        self._commit(replace(layer, components=new, material=None), f"{comps[j].material} fraction",
                     f"fraction{j}")

    def change_add_component(self) -> None:
        layer = self.layer
        if layer is None:
            return
        comps = list(layer.component_list())
        names = {c.material for c in comps}
        lib = self._design.library()
        sep = self._design.layer("separator")
        candidates = ([sep.component_list()[0].material] if sep is not None else []) + \
            ["Carbon", "PTFE", "Li6PS5Cl", "PVDF"] + sorted(lib)
        name = next(n for n in candidates if n in lib and n not in names)
        share = 0.05
        comps = [Component(c.material, c.mass_fraction * (1 - share)) for c in comps] + [Component(name, share)]
        self._commit(self._with_components(layer, normalized(comps)), f"add {name}", None)

    def change_remove_component(self, j: int) -> None:
        layer = self.layer
        if layer is None:
            return
        comps = list(layer.component_list())
        if len(comps) < 2:
            self.controller.refuse("A layer needs at least one material.")
            return
        removed = comps.pop(j)
        self._commit(self._with_components(layer, normalized(comps)), f"remove {removed.material}", None)

    def change_density_mode(self, mode: str) -> None:
        layer = self.layer
        if layer is None:
            return
        info = core.evaluate(self._design).layers[self._row]   # fresh: the live result may lag a tick
        if mode == "density":
            if layer.density_g_cm3 is not None:
                return
            new = replace(layer, density_g_cm3=_sig(info.density_g_cm3), porosity=None)
            self._commit(new, "give density", None)
        else:
            if layer.density_g_cm3 is None:
                return
            rho_th = theoretical_density(layer, self._design.library())
            por = max(0.0, min(0.95, 1.0 - layer.density_g_cm3 / rho_th)) if rho_th else 0.0
            self._commit(replace(layer, density_g_cm3=None, porosity=_sig(por)), "give porosity", None)

    def change_density(self, value: float) -> None:
        layer = self.layer
        if layer is not None and layer.density_g_cm3 is not None:
            self._commit(replace(layer, density_g_cm3=value, porosity=None), "density", "density")

    def change_porosity(self, pct: float) -> None:
        layer = self.layer
        if layer is not None and layer.density_g_cm3 is None:
            self._commit(replace(layer, porosity=pct / 100.0 if pct > 0 else None, density_g_cm3=None),
                         "porosity", "porosity")

    def change_amount_key(self, key: str) -> None:
        layer = self.layer
        if layer is None or not layer.is_electrode or layer.amount()[0] == key:
            return
        result = core.evaluate(self._design)  # fresh: the live result may lag by one timer tick
        info = result.layers[self._row]
        value = {"loading_mg_cm2": info.loading_mg_cm2, "thickness_um": info.thickness_um,
                 "areal_capacity_mAh_cm2": info.areal_capacity_mAh_cm2,
                 "np_ratio": result.values.get("np_ratio")}[key]
        lo, hi = LIMITS[key][:2]
        label, unit = AMOUNT_LABELS[key][:2]
        if value is None or not lo <= value <= hi:
            self.controller.refuse(f"{label} {value:.4g} {unit} is outside {lo:g} to {hi:g} {unit}; "
                                   f"change the amount first.")
            self.set_design(self.controller.doc.design, self._row)
            return
        self._commit(layer.with_amount(key, _sig(value)), f"give {_lc(label)}", None)

    def change_amount(self, key: str, value: float) -> None:
        layer = self.layer
        if layer is None or not layer.is_electrode or layer.amount()[0] != key:
            return
        self._commit(layer.with_amount(key, value), _lc(AMOUNT_LABELS[key][0]), key)

    def change_film_thickness(self, value: float) -> None:
        layer = self.layer
        if layer is not None and not layer.is_electrode:
            self._commit(replace(layer, thickness_um=value), "thickness", "thickness_um")

    def change_overhang(self, value: float) -> None:
        layer = self.layer
        if layer is not None:
            self._commit(replace(layer, overhang_mm=value), "overhang", "overhang_mm")
