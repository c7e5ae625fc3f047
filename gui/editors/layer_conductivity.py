"""The ionic conductivity of the selected layer (MODEL.md step 11), part of the layer editor:
the value the model uses without an override (the material's own, or Bruggeman over the
composite's electrolyte components) and an optional per-layer override
(`ionic_conductivity_S_cm`), entered in mS/cm and cleared by unchecking it."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QAbstractSpinBox, QVBoxLayout, QWidget

import core

from ..fence import WrapFence
from . import blocked, form_grid, note_label, section_label, set_spin

ROLES = ("separator", "interlayer", "cathode", "anode")


def _s_cm(v) -> str:
    if v is None:
        return "—"
    return f"{v * 1000:.4g} mS/cm ({v:.3g} S/cm)"


class ConductivityBox(QWidget):
    """Shown for separators, interlayers and electrodes; hidden for collectors and Li metal."""

    def __init__(self, editor):
        super().__init__(editor)
        self.editor = editor
        self.override = QCheckBox("Measured value of this layer")
        self.override.setToolTip("Override the conductivity for this layer only (measured membranes are "
                                 "often 10× below the powder). Uncheck to clear the override.")
        self.override.toggled.connect(self.change_override_on)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(4)
        self.spin.setRange(0.0001, 10000.0)
        self.spin.setSingleStep(0.1)
        self.spin.setSuffix(" mS/cm")
        self.spin.setKeyboardTracking(False)
        self.spin.setAccelerated(True)
        self.spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.spin.setToolTip("Ionic conductivity of this layer as measured (ionic_conductivity_S_cm)\n"
                             "Allowed: 0.0001 to 10000 mS/cm")
        self.spin.setMinimumWidth(110)
        self.spin.valueChanged.connect(self.change_value)
        self.spin.editingFinished.connect(editor.controller.seal)
        self.note = note_label()
        g = form_grid()
        g.addWidget(self.override, 0, 0)
        g.addWidget(self.spin, 0, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        lay.addWidget(section_label("Ionic conductivity"))
        lay.addWidget(WrapFence(self.note))
        lay.addLayout(g)
        self._last: float | None = None

    @staticmethod
    def applies(layer, design) -> bool:
        if layer.role not in ROLES:
            return False
        lib = design.library()
        mats = [lib.get(c.material) for c in layer.component_list()]
        return not all(m is not None and (m.is_li_metal or m.category == "metal") for m in mats)

    def set_layer(self, layer) -> None:
        design = self.editor._design
        self.setVisible(self.applies(layer, design))
        v = layer.ionic_conductivity_S_cm
        with blocked(self.override):
            self.override.setChecked(v is not None)
        self.spin.setEnabled(v is not None)
        if v is not None:
            set_spin(self.spin, v * 1000.0)

    def model_value(self, layer, info) -> tuple[float | None, str]:
        """The conductivity without the layer's override, and where it comes from."""
        design, row = self.editor._design, self.editor._row
        if layer.ionic_conductivity_S_cm is None:
            sigma = info.ionic_conductivity_S_cm
        else:
            try:
                sigma = core.evaluate(design.replace_layer(row, replace(layer, ionic_conductivity_S_cm=None)),
                                      validate=False).layers[row].ionic_conductivity_S_cm
            except core.DesignError:
                sigma = None
        comps = layer.component_list()
        how = (f"{comps[0].material}'s value" if len(comps) == 1 else
               "Bruggeman over the electrolyte components (optimistic for composites)")
        return sigma, how

    def show_derived(self, layer, info) -> None:
        if not self.isVisibleTo(self.editor) and not self.applies(layer, self.editor._design):
            return
        sigma, how = self.model_value(layer, info)
        if sigma is None:
            text = f"No ionic conductivity known ({how}): counted as 0 Ω·cm². Enter the measured value."
        else:
            text = f"Without an override: {_s_cm(sigma)}, {how}."
        if layer.ionic_conductivity_S_cm is not None:
            text += f"\nUsed: {_s_cm(layer.ionic_conductivity_S_cm)} (this layer's measured value)."
        else:
            self._last = sigma
            if sigma is not None:
                set_spin(self.spin, sigma * 1000.0)
        self.note.setText(text)

    # ------------------------------------------------------------------ edits
    def change_override_on(self, on: bool) -> None:
        layer = self.editor.layer
        if layer is None:
            return
        self.editor.controller.seal()
        if on and layer.ionic_conductivity_S_cm is None:
            v = self.model_value(layer, self.editor._info())[0] if self.editor._info() is not None else None
            v = v or 1e-3
            self.editor._commit(replace(layer, ionic_conductivity_S_cm=float(f"{v:.4g}")),
                                "set ionic conductivity", None)
        elif not on and layer.ionic_conductivity_S_cm is not None:
            self.editor._commit(replace(layer, ionic_conductivity_S_cm=None), "clear ionic conductivity", None)
        self.editor.controller.seal()

    def change_value(self, ms_cm: float) -> None:
        layer = self.editor.layer
        if layer is None or layer.ionic_conductivity_S_cm is None:
            return
        v = round(ms_cm / 1000.0, 12)
        if v != layer.ionic_conductivity_S_cm:
            self.editor._commit(replace(layer, ionic_conductivity_S_cm=v), "ionic conductivity",
                                "ionic_conductivity_S_cm")
