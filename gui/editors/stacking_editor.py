"""How unit cells form the cell: parallel (count, collector sharing, optional spacer film)
or bipolar (count, plate film). Switching between them keeps the unit cell."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QLabel, QVBoxLayout, QWidget)

from core.design import MAX_UNIT_CELLS, Layer, Stacking

from ..commands import EditController
from . import LABEL_WIDTH, blocked, fill_material_combo, form_grid, make_int_spin, make_spin, note_label, section_label, set_spin

DEFAULT_PLATE = Layer("bipolar_plate", material="SS", thickness_um=10.0)
DEFAULT_SPACER = Layer("spacer", material="PET", thickness_um=40.0)

SHARING_TEXT = {
    "shared": ("Shared collectors",
               "Double-coated electrodes: neighbouring unit cells share a collector (N + 1 collectors)"),
    "bicell": ("Bi-cells",
               "N/2 bi-cells with single-sided outer cathodes around a shared negative collector "
               "(N positive and N/2 negative collectors; N must be even)"),
    "none": ("Separate cells", "N separate unit cells with their own collectors (2N collectors)"),
}


class StackingEditorWidget(QWidget):
    def __init__(self, controller: EditController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._design = None
        self._result = None
        self._lib_key = None
        # remembered while switching, so that switching back restores them
        self._last_plate = DEFAULT_PLATE
        self._last_spacer = DEFAULT_SPACER

        self.type_combo = QComboBox()
        self.type_combo.addItem("Parallel", "parallel")
        self.type_combo.addItem("Bipolar (series)", "bipolar")
        self.type_combo.setItemData(0, "Unit cells in parallel: double-coated electrodes, current "
                                       "flows in-plane to the tabs; voltage of one unit cell",
                                    Qt.ItemDataRole.ToolTipRole)
        self.type_combo.setItemData(1, "Unit cells in series through bipolar plates: one pouch gives "
                                       "N × the unit-cell voltage, fewer collectors",
                                    Qt.ItemDataRole.ToolTipRole)
        self.type_combo.setToolTip("How the unit cells are connected")
        self.type_combo.currentIndexChanged.connect(lambda _i: self.change_type(self.type_combo.currentData()))

        self.count = make_int_spin(1, MAX_UNIT_CELLS, "Number of unit cells in the stack")
        self.count.valueChanged.connect(self.change_unit_cells)
        self.count.editingFinished.connect(controller.seal)

        self.sharing = QComboBox()
        for key, (text, tip) in SHARING_TEXT.items():
            self.sharing.addItem(text, key)
            self.sharing.setItemData(self.sharing.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.sharing.setToolTip("How the collectors are shared in a parallel stack")
        self.sharing.currentIndexChanged.connect(lambda _i: self.change_sharing(self.sharing.currentData()))
        self.sharing_note = note_label()

        self.spacer_check = QCheckBox("Spacer film between groups")
        self.spacer_check.setToolTip("A film (e.g. 40 µm PET) between groups that share no collector")
        self.spacer_check.toggled.connect(self.change_spacer_on)
        self.spacer_material = QComboBox()
        self.spacer_material.currentIndexChanged.connect(
            lambda _i: self.change_film("spacer", material=self.spacer_material.currentData()))
        self.spacer_thickness = make_spin("film_um", "Spacer film thickness")
        self.spacer_thickness.valueChanged.connect(lambda v: self.change_film("spacer", thickness_um=v))
        self.spacer_thickness.editingFinished.connect(controller.seal)

        self.plate_material = QComboBox()
        self.plate_material.setToolTip("Bipolar plate film, e.g. stainless steel or an Al/Cu clad foil")
        self.plate_material.currentIndexChanged.connect(
            lambda _i: self.change_film("plate", material=self.plate_material.currentData()))
        self.plate_thickness = make_spin("film_um", "Bipolar plate thickness")
        self.plate_thickness.valueChanged.connect(lambda v: self.change_film("plate", thickness_um=v))
        self.plate_thickness.editingFinished.connect(controller.seal)

        self.summary = note_label()

        g = form_grid()
        r = 0
        g.addWidget(QLabel("Connection"), r, 0)
        g.addWidget(self.type_combo, r, 1)
        r += 1
        g.addWidget(QLabel("Unit cells"), r, 0)
        g.addWidget(self.count, r, 1)
        g.setColumnStretch(1, 1)

        self.parallel_box = QWidget()
        pg = QGridLayout(self.parallel_box)
        pg.setContentsMargins(0, 0, 0, 0)
        pg.setHorizontalSpacing(8)
        pg.setVerticalSpacing(5)
        pg.setColumnMinimumWidth(0, LABEL_WIDTH)
        pg.addWidget(section_label("Parallel stack"), 0, 0, 1, 2)
        pg.addWidget(QLabel("Collectors"), 1, 0)
        pg.addWidget(self.sharing, 1, 1)
        pg.addWidget(self.sharing_note, 2, 0, 1, 2)
        pg.addWidget(self.spacer_check, 3, 0, 1, 2)
        self.spacer_mat_label = QLabel("Spacer material")
        pg.addWidget(self.spacer_mat_label, 4, 0)
        pg.addWidget(self.spacer_material, 4, 1)
        self.spacer_t_label = QLabel("Spacer thickness")
        pg.addWidget(self.spacer_t_label, 5, 0)
        pg.addWidget(self.spacer_thickness, 5, 1)
        pg.setColumnStretch(1, 1)

        self.bipolar_box = QWidget()
        bg = QGridLayout(self.bipolar_box)
        bg.setContentsMargins(0, 0, 0, 0)
        bg.setHorizontalSpacing(8)
        bg.setVerticalSpacing(5)
        bg.setColumnMinimumWidth(0, LABEL_WIDTH)
        bg.addWidget(section_label("Bipolar plates"), 0, 0, 1, 2)
        bg.addWidget(QLabel("Plate material"), 1, 0)
        bg.addWidget(self.plate_material, 1, 1)
        bg.addWidget(QLabel("Plate thickness"), 2, 0)
        bg.addWidget(self.plate_thickness, 2, 1)
        bg.addWidget(note_label("The N − 1 inner collector pairs are replaced by bipolar plates; the "
                                "two end cells keep their positive and negative collectors."), 3, 0, 1, 2)
        bg.setColumnStretch(1, 1)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(section_label("Stacking"))
        lay.addLayout(g)
        lay.addWidget(self.parallel_box)
        lay.addWidget(self.bipolar_box)
        lay.addWidget(section_label("In the stack"))
        lay.addWidget(self.summary)
        lay.addStretch(1)

    # ------------------------------------------------------------------ read
    def set_design(self, design) -> None:
        self._design = design
        st = design.stacking
        lib = design.library()
        key = tuple(sorted(lib))
        if key != self._lib_key:
            fill_material_combo(self.spacer_material, lib)
            fill_material_combo(self.plate_material, lib, role="bipolar_plate")
            self._lib_key = key
        with blocked(self.type_combo, self.sharing, self.spacer_check, self.spacer_material,
                     self.plate_material, self.count):
            self.type_combo.setCurrentIndex(self.type_combo.findData(st.type))
            self.sharing.setCurrentIndex(self.sharing.findData(st.collector_sharing))
            self.count.setSingleStep(2 if st.type == "parallel" and st.collector_sharing == "bicell" else 1)
            self.count.setValue(st.unit_cells)
            self.spacer_check.setChecked(st.spacer is not None)
            if st.spacer is not None:
                self._last_spacer = st.spacer
            if st.plate is not None:
                self._last_plate = st.plate
            sp, pl = self._last_spacer, self._last_plate
            self.spacer_material.setCurrentIndex(max(0, self.spacer_material.findData(sp.material)))
            self.plate_material.setCurrentIndex(max(0, self.plate_material.findData(pl.material)))
        set_spin(self.spacer_thickness, self._last_spacer.thickness_um)
        set_spin(self.plate_thickness, self._last_plate.thickness_um)
        parallel = st.type == "parallel"
        self.parallel_box.setVisible(parallel)
        self.bipolar_box.setVisible(not parallel)
        uses_spacer = parallel and st.collector_sharing != "shared"
        self.spacer_check.setEnabled(uses_spacer)
        self.spacer_check.setToolTip("A film (e.g. 40 µm PET) between groups that share no collector"
                                     if uses_spacer else "Shared collectors leave no gap for a spacer")
        for w in (self.spacer_material, self.spacer_thickness, self.spacer_mat_label, self.spacer_t_label):
            w.setEnabled(uses_spacer and st.spacer is not None)
        self.sharing_note.setText(SHARING_TEXT[st.collector_sharing][1] if parallel else "")
        self._show_summary()

    def set_result(self, result) -> None:
        self._result = result
        self._show_summary()

    def _show_summary(self) -> None:
        r, d = self._result, self._design
        if r is None or d is None:
            return
        c = r.counts
        uc = d.unit_cell
        parts = [f"{int(c['unit_cells'])} unit cells, {r.values['stack_voltage_V']:.4g} V, "
                 f"{r.values['stack_capacity_Ah']:.4g} Ah",
                 f"{int(c['positive_collector'])} positive collector{'s' if c['positive_collector'] != 1 else ''} "
                 f"({uc[0].display_name()}), {int(c['negative_collector'])} negative "
                 f"({uc[-1].display_name()})"]
        if c.get("bipolar_plate"):
            parts.append(f"{int(c['bipolar_plate'])} bipolar plate{'s' if c['bipolar_plate'] != 1 else ''}")
        if c.get("spacer"):
            parts.append(f"{int(c['spacer'])} spacer{'s' if c['spacer'] != 1 else ''}")
        parts.append(f"Stack {r.values['stack_thickness_mm']:.4g} mm, {r.values['stack_mass_g']:.4g} g")
        self.summary.setText("\n".join(parts))

    # ------------------------------------------------------------------ edits
    def _push(self, stacking: Stacking, text: str, field: str | None = None, note: str | None = None):
        d = self.controller.doc.design
        if not self.controller.change_design(replace(d, stacking=stacking), text, field):
            self.set_design(self.controller.doc.design)
        elif note:
            self.controller.sig_info.emit(note)

    def change_type(self, kind: str) -> None:
        st = self.controller.doc.design.stacking
        if kind == st.type:
            return
        if kind == "bipolar":
            new = replace(st, type="bipolar", plate=st.plate or self._last_plate, spacer=None,
                          collector_sharing="shared")
            if st.spacer is not None:
                self._last_spacer = st.spacer
            self._sharing_before_bipolar = st.collector_sharing
            self._push(new, "Bipolar stacking")
        else:
            sharing = getattr(self, "_sharing_before_bipolar", "shared")
            n = st.unit_cells
            note = None
            if sharing == "bicell" and n % 2:
                n += 1
                note = f"Unit cells set to {n}: bi-cells hold two unit cells each."
            if st.plate is not None:
                self._last_plate = st.plate
            new = replace(st, type="parallel", plate=None, collector_sharing=sharing, unit_cells=n,
                          spacer=self._last_spacer if (sharing != "shared" and self._spacer_wanted) else None)
            self._push(new, "Parallel stacking", note=note)

    _spacer_wanted = False

    def change_unit_cells(self, n: int) -> None:
        st = self.controller.doc.design.stacking
        if n == st.unit_cells:
            return
        if st.type == "parallel" and st.collector_sharing == "bicell" and n % 2:
            self.controller.refuse(f"Bi-cell stacking needs an even number of unit cells, got {n}.")
            self.set_design(self.controller.doc.design)
            return
        self._push(replace(st, unit_cells=n), "Number of unit cells", "stacking.unit_cells")

    def change_sharing(self, sharing: str) -> None:
        st = self.controller.doc.design.stacking
        if sharing == st.collector_sharing:
            return
        n, note = st.unit_cells, None
        if sharing == "bicell" and n % 2:
            n += 1
            note = f"Unit cells set to {n}: bi-cells hold two unit cells each."
        if st.spacer is not None:
            self._last_spacer = st.spacer
        spacer = None if sharing == "shared" else (st.spacer or (self._last_spacer if self._spacer_wanted else None))
        self._push(replace(st, collector_sharing=sharing, unit_cells=n, spacer=spacer),
                   f"Collectors: {SHARING_TEXT[sharing][0].lower()}", note=note)

    def change_spacer_on(self, on: bool) -> None:
        st = self.controller.doc.design.stacking
        self._spacer_wanted = on
        if on and st.spacer is None:
            self._push(replace(st, spacer=self._last_spacer), "Add spacer film")
        elif not on and st.spacer is not None:
            self._last_spacer = st.spacer
            self._push(replace(st, spacer=None), "Remove spacer film")

    def change_film(self, which: str, **changes) -> None:
        st = self.controller.doc.design.stacking
        film = st.spacer if which == "spacer" else st.plate
        if film is None or any(v is None for v in changes.values()):
            return
        new = replace(film, **changes)
        if new == film:
            return
        what = "spacer" if which == "spacer" else "bipolar plate"
        field = f"stacking.{which}.{next(iter(changes))}" if "thickness_um" in changes else None
        if which == "spacer":
            self._push(replace(st, spacer=new), f"{what.capitalize()} {next(iter(changes)).split('_')[0]}", field)
        else:
            self._push(replace(st, plate=new), f"{what.capitalize()} {next(iter(changes)).split('_')[0]}", field)
