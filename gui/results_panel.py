"""Results: pouch Wh/kg and Wh/L large, the unit cell / stack / pouch levels side by side,
and the mass and volume breakdown; plus the warnings strip the main window shows."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QToolButton,
                               QVBoxLayout, QWidget)

from .cross_section import role_color
from .editors import section_label
from .fence import CopyLabel, WrapFence
from .results_sections import NumberLabel, fmt  # noqa: F401 (fmt: also imported from here)




def _set_text(label: QLabel, text: str) -> None:
    """setText only when the text changes (a new text re-lays the label out and repaints it)."""
    if label.text() != text:
        label.setText(text)


def _set_tip(widget: QWidget, tip: str) -> None:
    if widget.toolTip() != tip:
        widget.setToolTip(tip)


class KpiTile(QFrame):
    """A big number with its unit and a caption."""

    def __init__(self, caption: str, unit: str, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("kpi")
        self.value = NumberLabel("—")
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 2.3)
        f.setBold(True)
        self.value.setFont(f)
        self.unit = QLabel(unit)
        fu = QFont(self.font())
        fu.setPointSizeF(fu.pointSizeF() * 1.15)
        self.unit.setFont(fu)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.sub = QLabel("")
        self.sub.setWordWrap(True)  # a narrow results column wraps it instead of being clipped
        self.sub.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        top = QHBoxLayout()
        top.setSpacing(5)
        top.addWidget(self.value, 0, Qt.AlignmentFlag.AlignBaseline)
        top.addWidget(self.unit, 0, Qt.AlignmentFlag.AlignBaseline)
        top.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(0)
        lay.addWidget(self.caption)
        lay.addLayout(top)
        lay.addWidget(WrapFence(self.sub))   # (a new text of the same height lays nothing out)

    def set_value(self, text: str, sub: str = "") -> None:
        self.value.setText(text)
        self.sub.setText(sub)


# rows of the level table: (label, unit, unit-cell key, stack key, pouch key). One unit per
# row: the energy densities and the voltage are intensive, the same unit at every level.
LEVEL_ROWS = (
    ("Specific energy", "Wh/kg", "unit_cell_gravimetric_Wh_kg", "stack_gravimetric_Wh_kg", "gravimetric_Wh_kg"),
    ("Energy density", "Wh/L", "unit_cell_volumetric_Wh_L", "stack_volumetric_Wh_L", "volumetric_Wh_L"),
    ("Voltage", "V", "unit_cell_voltage_V", "stack_voltage_V", "voltage_V"),
)
# absolute amounts: stack and pouch only (a unit cell is given per cm² below, never in the
# same row as absolute amounts)
AMOUNT_ROWS = (
    ("Capacity", "Ah", "stack_capacity_Ah", "capacity_Ah"),
    ("Energy", "Wh", "energy_Wh", "energy_Wh"),
    ("Mass", "g", "stack_mass_g", "mass_g"),
    ("Thickness", "mm", "stack_thickness_mm", "thickness_mm"),
    ("Volume", "cm³", "stack_volume_cm3", "volume_cm3"),
)
# the unit cell per cm² of cathode area: (label, key, unit)
UNIT_CELL_AREA = (
    ("capacity", "areal_capacity_mAh_cm2", "mAh/cm²"),
    ("energy", "_unit_cell_energy_mWh_cm2", "mWh/cm²"),
    ("mass", "unit_cell_mass_mg_cm2", "mg/cm²"),
    ("thickness", "unit_cell_thickness_um", "µm"),
)


def fmt_row(v, unit: str) -> str:
    """One row, one precision: energy densities as whole numbers (the model is not better than
    1 Wh/kg), other values to 4 significant figures with trailing zeros kept (399.0, 402.4)."""
    if v is None:
        return "—"
    if unit in ("Wh/kg", "Wh/L"):
        return f"{v:.0f}"
    a = abs(v)
    if a >= 1e4:
        return f"{v:,.0f}".replace(",", " ")
    if a == 0:
        return "0"
    if a < 1e-3:
        return f"{v:.3e}"
    text = f"{v:#.4g}"
    return text[:-1] if text.endswith(".") else text


def stacking_note(design) -> str:
    """How the unit-cell column counts the collectors, true for this stacking."""
    st = design.stacking
    if st.type == "bipolar":
        return ("Unit cell: one cell with one bipolar plate (its share of the series stack); the end "
                "collectors belong to the stack.")
    return {"shared": "Unit cell: half of each collector (shared by the neighbouring cells).",
            "bicell": "Unit cell: its positive collector, half the shared negative collector and half a spacer.",
            "none": "Unit cell: its own two collectors and one spacer (separate cells)."}.get(
        st.collector_sharing, "")

class BreakdownChart(QWidget):
    """Two 100 % bars (mass, volume) and a table of items with amounts and percentages."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._items = []   # (item, label, mass_g, volume_cm3, cost_USD)
        self._mass = 0.0
        self._volume = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Mass and volume breakdown")

    def set_result(self, result) -> None:
        items = [(b.item, b.label, b.mass_g, b.volume_cm3, b.cost_USD) for b in result.breakdown]
        self._items = [it for it in items if it[2] > 0 or it[3] > 0]
        self._mass = sum(it[2] for it in self._items)
        self._volume = sum(max(it[3], 0.0) for it in self._items)
        h = self._needed_height()
        if h != self.height() or h != self.minimumHeight():
            self.setFixedHeight(h)
        self.update()

    def _row_h(self) -> float:
        return QFontMetricsF(self.font()).height() + 3

    def _needed_height(self) -> int:
        rh = self._row_h()
        return int(2 * (rh + 10) + 8 + (len(self._items) + 1) * rh + 6)

    def sizeHint(self) -> QSize:
        return QSize(320, self._needed_height())

    def paintEvent(self, event):  # noqa: N802 - Qt override
        p = QPainter(self)
        pal = self.palette()
        fg = pal.color(QPalette.ColorRole.WindowText)
        dim = pal.color(QPalette.ColorRole.PlaceholderText)
        font = QFont(self.font())
        fm = QFontMetricsF(font)
        rh = self._row_h()
        W = float(self.width())
        label_w = fm.horizontalAdvance("Volume") + 10
        total_w = fm.horizontalAdvance("888.8 cm³") + 8
        y = 2.0
        for name, key, total, unit in (("Mass", 2, self._mass, "g"), ("Volume", 3, self._volume, "cm³")):
            p.setPen(fg)
            p.setFont(font)
            p.drawText(QRectF(0, y, label_w, rh + 6), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
            x0 = label_w
            bw = W - label_w - total_w
            x = x0
            if total > 0:
                for it in self._items:
                    v = max(it[key], 0.0)
                    w = bw * v / total
                    if w <= 0:
                        continue
                    p.fillRect(QRectF(x, y + 1, w, rh + 4), role_color(it[0]))
                    if w > 2:
                        p.setPen(QPen(pal.color(QPalette.ColorRole.Base), 1))
                        p.drawLine(int(x + w), int(y + 1), int(x + w), int(y + rh + 5))
                    x += w
            p.setPen(fg)
            p.drawText(QRectF(W - total_w, y, total_w, rh + 6),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{fmt(total)} {unit}")
            y += rh + 10
        y += 6
        # table: item | g | % | cm³ | % | USD
        num_w = fm.horizontalAdvance("88.88") + 8
        pct_w = fm.horizontalAdvance("88.8 %") + 8
        usd_w = fm.horizontalAdvance("888.88") + 6
        x_usd = W - usd_w
        x_vp = x_usd - pct_w
        x_v = x_vp - num_w
        x_mp = x_v - pct_w - 6
        x_m = x_mp - num_w
        label_right = x_m - 4
        hdr = QFont(font)
        hdr.setPointSizeF(font.pointSizeF() * 0.92)
        p.setFont(hdr)
        p.setPen(dim)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        p.drawText(QRectF(0, y, label_right, rh), left, "Item")
        p.drawText(QRectF(x_m, y, num_w, rh), right, "g")
        p.drawText(QRectF(x_mp, y, pct_w, rh), right, "mass")
        p.drawText(QRectF(x_v, y, num_w, rh), right, "cm³")
        p.drawText(QRectF(x_vp, y, pct_w, rh), right, "volume")
        p.drawText(QRectF(x_usd, y, usd_w, rh), right, "USD")
        y += rh
        p.setFont(font)
        for item, label, m, v, usd in self._items:
            p.fillRect(QRectF(0, y + rh / 2 - 5, 10, 10), role_color(item))
            p.setPen(fg)
            p.drawText(QRectF(16, y, label_right - 16, rh), left,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, label_right - 16))
            mp = 100 * m / self._mass if self._mass else 0
            vp = 100 * max(v, 0) / self._volume if self._volume else 0
            p.drawText(QRectF(x_m, y, num_w, rh), right, fmt(m, 3) if m > 0 else "—")
            p.drawText(QRectF(x_mp, y, pct_w, rh), right, f"{mp:.1f} %" if m > 0 else "")
            p.drawText(QRectF(x_v, y, num_w, rh), right, fmt(v, 3) if v > 0 else "—")
            p.drawText(QRectF(x_vp, y, pct_w, rh), right, f"{vp:.1f} %" if v > 0 else "")
            p.drawText(QRectF(x_usd, y, usd_w, rh), right,
                       (f"{usd:.2f}" if usd >= 0.005 else "<0.01") if usd > 0 else "—")
            y += rh
        p.end()

    def costs(self) -> list[tuple[str, float]]:
        """(label, USD) per item, as drawn."""
        return [(it[1], it[4]) for it in self._items]

    def rows(self) -> list[tuple[str, float, float]]:
        """(label, mass %, volume %) per item, as drawn (for tests and reports)."""
        out = []
        for _item, label, m, v, _usd in self._items:
            out.append((label, 100 * m / self._mass if self._mass else 0.0,
                        100 * max(v, 0) / self._volume if self._volume else 0.0))
        return out


class ResultsPanel(QWidget):
    """Shows a core.Result. `set_result(design, result)` updates labels in place.

    The headline tiles show the pouch cell, or the system (pouch + fixture share) when the
    design has a stack-pressure fixture; the level table gains a System column then."""

    LEVELS = ("Unit cell", "Stack", "Pouch", "System")

    def __init__(self, parent=None):
        super().__init__(parent)
        from .results_sections import (cost_section, fixture_section, lithium_section, rate_section,
                                       volume_states_section)
        self.grav = KpiTile("Pouch cell, gravimetric", "Wh/kg")
        self.vol = KpiTile("Pouch cell, volumetric", "Wh/L")
        tiles = QHBoxLayout()
        tiles.setSpacing(6)
        tiles.addWidget(self.grav)
        tiles.addWidget(self.vol)

        self.level_labels: dict[tuple[int, int], QLabel] = {}
        self.level_headers: list[QLabel] = []
        self.amount_labels: dict[tuple[int, int], QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        hdr_font = QFont(self.font())
        hdr_font.setBold(True)
        bold = QFont(self.font())
        bold.setBold(True)

        def header(row, texts):
            out = []
            for c, text in enumerate(texts):
                if not text:
                    continue
                lab = QLabel(text)
                lab.setFont(hdr_font)
                lab.setAlignment(Qt.AlignmentFlag.AlignRight if c else Qt.AlignmentFlag.AlignLeft)
                grid.addWidget(lab, row, c)
                out.append(lab)
            return out

        def value_label(bold_it):
            lab = NumberLabel("—")
            if bold_it:
                lab.setFont(bold)
            return lab

        def unit_label(unit):
            u = QLabel(unit)
            u.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            return u

        # columns: label, unit cell, stack, pouch, system (shown with a fixture), unit
        self.level_headers = header(0, ("", "Unit cell", "Stack", "Pouch", "System", ""))
        self.system_headers = [self.level_headers[-1]]
        self.level_headers[-1].setToolTip("The pouch cell plus its share of the stack-pressure fixture")
        for r, (label, unit, *_keys) in enumerate(LEVEL_ROWS):
            grid.addWidget(QLabel(label), r + 1, 0)
            for c in range(4):
                lab = value_label(c == 2)
                grid.addWidget(lab, r + 1, c + 1, NumberLabel.ALIGN)
                self.level_labels[(r, c)] = lab
            grid.addWidget(unit_label(unit), r + 1, 5)
        top = len(LEVEL_ROWS) + 1
        amount_hdr = header(top, ("Amounts", "", "Stack", "Pouch", "System", ""))
        self.system_headers.append(amount_hdr[-1])
        for r, (label, unit, *_keys) in enumerate(AMOUNT_ROWS):
            grid.addWidget(QLabel(label), top + r + 1, 0)
            for c in range(3):
                lab = value_label(c == 1)
                grid.addWidget(lab, top + r + 1, c + 2, NumberLabel.ALIGN)
                self.amount_labels[(r, c)] = lab
            grid.addWidget(unit_label(unit), top + r + 1, 5)
        grid.setColumnStretch(0, 1)
        self.unit_note = QLabel("")
        self.unit_note.setWordWrap(True)
        self.unit_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 0.92)
        self.unit_note.setFont(f)
        self.cell_line = QLabel()
        self.cell_line.setWordWrap(True)
        self.cell_line.setFont(f)
        # (copied from its context menu: a selectable label is laid out as a document on every
        # paint, 0.26 ms of each edit)
        self.unit_cell_line = CopyLabel()
        self.unit_cell_line.setWordWrap(True)
        self.unit_cell_line.setFont(f)

        # where the design's source reports other numbers: said here, beside the numbers.
        # Plain text, copied from its context menu: its figures change with every edit, and a
        # rich-text or selectable label is laid out as a document each time (measured, then
        # painted: 0.5 ms of an edit), where plain text whose digits alone changed is not
        # measured again (WrapFence)
        self.source_note = CopyLabel()
        self.source_note.setObjectName("sourceNote")
        self.source_note.setWordWrap(True)
        self.source_note.setFont(f)
        self.source_note.setVisible(False)

        # the reported cells of the literature table, and where this design sits among them
        self.literature = LiteratureTable()

        self.chart = BreakdownChart()
        self.states = volume_states_section()
        self.lithium = lithium_section()
        self.fixture = fixture_section()
        self.rate = rate_section()
        self.cost = cost_section()
        self.sections = (self.states, self.lithium, self.fixture, self.rate, self.cost)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(6)
        lay.addLayout(tiles)
        # (the lines that change with every edit are each in a holder of their own: a new
        # text of the same height re-lays nothing out)
        # (sticky: the note about departing from the source comes and goes while a value is
        # dragged across the limit; the figures below it stay where they are)
        self.source_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.source_fence = WrapFence(self.source_note, sticky=True)
        lay.addWidget(self.source_fence)
        lay.addWidget(section_label("Levels"))
        lay.addLayout(grid)
        lay.addWidget(WrapFence(self.unit_cell_line))
        lay.addWidget(WrapFence(self.cell_line))
        lay.addWidget(WrapFence(self.unit_note))
        lay.addWidget(self.states)
        lay.addWidget(section_label("Mass, volume and cost breakdown (pouch cell)"))
        lay.addWidget(self.chart)
        for sec in (self.lithium, self.fixture, self.rate, self.cost):
            lay.addWidget(sec)
        lay.addWidget(section_label("Among reported cells (pouch level)"))
        lay.addWidget(self.literature)
        lay.addStretch(1)

        # the blocks below the headline figures: while the panel is shown, a block scrolled
        # out of sight is brought up to date when it comes into sight (scrolled to, or moved
        # by the column's layout), not on every edit
        self._blocks = {
            self.chart: lambda d, v, r: self.chart.set_result(r),
            self.literature: lambda d, v, r: self.literature.set_result(d, r),
            **{sec: (lambda d, v, r, sec=sec: sec.set_values(d, v)) for sec in self.sections},
        }
        self._stale: set = set()
        self._latest = None
        self._source_figures: tuple | None = None   # the figures the source note compares
        self._release_source = False                # the note takes its own height at the next text
        self._watch = _BlockWatcher(self._refresh_blocks, self)
        for block in (self, *self._blocks):   # (scrolling moves the panel, not its blocks)
            block.installEventFilter(self._watch)

    def set_result(self, design, result) -> None:
        v = dict(result.values)
        v["_unit_cell_energy_mWh_cm2"] = v["areal_capacity_mAh_cm2"] * v["unit_cell_voltage_V"]
        system = design.fixture is not None
        head = design.volume_state
        other = "discharged" if head == "charged" else "charged"
        if system:
            self.grav.caption.setText("System, gravimetric")
            self.vol.caption.setText(f"System, volumetric ({head})")
            self.grav.setToolTip("System: the pouch cell plus its share of the stack-pressure fixture")
            self.grav.set_value(f"{v['system_gravimetric_Wh_kg']:.0f}",
                                f"pouch {v['gravimetric_Wh_kg']:.0f} · stack {v['stack_gravimetric_Wh_kg']:.0f}")
            self.vol.set_value(f"{v['system_volumetric_Wh_L']:.0f}",
                               f"pouch {v['volumetric_Wh_L_charged']:.0f} charged · "
                               f"{v['volumetric_Wh_L_discharged']:.0f} disch.")
        else:
            self.grav.caption.setText("Pouch cell, gravimetric")
            self.vol.caption.setText(f"Pouch cell, volumetric ({head})")
            self.grav.setToolTip("")
            self.grav.set_value(f"{v['gravimetric_Wh_kg']:.0f}",
                                f"stack {v['stack_gravimetric_Wh_kg']:.0f} · unit cell "
                                f"{v['unit_cell_gravimetric_Wh_kg']:.0f}")
            self.vol.set_value(f"{v['volumetric_Wh_L']:.0f}",
                               f"{other} {v[f'volumetric_Wh_L_{other}']:.0f} · stack "
                               f"{v['stack_volumetric_Wh_L']:.0f}")
        self.vol.setToolTip(f"Headline in the {head} state (the design's volume_state); pouch "
                            f"{v['volumetric_Wh_L_charged']:.0f} Wh/L charged, "
                            f"{v['volumetric_Wh_L_discharged']:.0f} Wh/L discharged.")
        fx_mass = v.get("fixture_mass_g") or 0.0
        fx_vol = v.get("fixture_volume_cm3") or 0.0
        sysv = {"gravimetric_Wh_kg": v["system_gravimetric_Wh_kg"], "volumetric_Wh_L": v["system_volumetric_Wh_L"],
                "voltage_V": v["voltage_V"], "capacity_Ah": v["capacity_Ah"], "energy_Wh": v["energy_Wh"],
                "mass_g": v["mass_g"] + fx_mass, "volume_cm3": v["volume_cm3"] + fx_vol,
                "thickness_mm": None}
        for r, (_label, unit, uc_key, stack_key, pouch_key) in enumerate(LEVEL_ROWS):
            for c, key in enumerate((uc_key, stack_key, pouch_key)):
                self.level_labels[(r, c)].setText(fmt_row(v.get(key), unit))
            self.level_labels[(r, 3)].setText(fmt_row(sysv.get(pouch_key), unit))
            self.level_labels[(r, 3)].setVisible(system)
        for r, (_label, unit, stack_key, pouch_key) in enumerate(AMOUNT_ROWS):
            for c, key in enumerate((stack_key, pouch_key)):
                self.amount_labels[(r, c)].setText(fmt_row(v.get(key), unit))
            lab = self.amount_labels[(r, 2)]
            lab.setText(fmt_row(sysv.get(pouch_key), unit))
            lab.setToolTip("A fixture clamps whole cells: the system has no thickness of its own"
                           if pouch_key == "thickness_mm" else "")
            lab.setVisible(system)
        for h in self.system_headers:
            h.setVisible(system)
        self.unit_cell_line.setText("Unit cell per cm² of cathode: " + " · ".join(
            f"{label} {fmt_row(v.get(key), unit)} {unit}" for label, key, unit in UNIT_CELL_AREA))
        np_ratio = v.get("np_ratio")
        n = result.counts.get("unit_cells", 0)
        self.cell_line.setText(
            f"N/P {fmt(np_ratio, 3) if np_ratio is not None else '— (anode-free)'} · "
            f"{n:.0f} unit cell{'s' if n != 1 else ''} × {fmt(v['cathode_area_cm2'], 4)} cm² cathode")
        # (set once per edit: a text set twice was laid out twice)
        _set_text(self.unit_note, stacking_note(design) + f" Pouch volume in the {head} state"
                  + ("; system = pouch + its share of the fixture." if system else "."))
        self._latest = (design, v, result)
        self._stale = set(self._blocks)
        self._refresh_blocks()
        self.fixture.setVisible(system)
        self.lithium.set_status("" if design.lithium is not None else
                                "No lithium block: a perfect cell (no formation loss, CE 100 %).")
        self.rate.set_status("" if design.operation is not None else
                             "No operation block: at C/3 with no interface resistance.")
        self._show_sources(design, result)

    def event(self, ev):  # noqa: N802 - Qt override
        # in a scroll area, the viewport growing (a taller window) brings blocks into sight
        # without moving or resizing the panel: its resizes are watched too
        if ev.type() == QEvent.Type.ParentChange and getattr(self, "_watch", None) is not None:
            parent = self.parentWidget()
            if parent is not None:
                parent.installEventFilter(self._watch)
        return super().event(ev)

    def new_document(self) -> None:
        """A design opened or made anew: the source note takes its own height again."""
        self._release_source = True

    def _refresh_blocks(self, everything: bool = False) -> None:
        """Update the blocks not yet up to date that can be seen (all of them while the panel
        itself is not shown, or with `everything`)."""
        if not self._stale or self._latest is None:
            return
        shown = self.isVisible() and not everything
        for block in [b for b in self._blocks if b in self._stale]:
            if not shown or not block.visibleRegion().isEmpty():
                self._stale.discard(block)
                self._blocks[block](*self._latest)

    def flush(self) -> None:
        """Bring every block up to date now (what a reader of the texts needs)."""
        self._refresh_blocks(everything=True)

    def _show_sources(self, design, result) -> None:
        from core.rules import reported_comparison
        comps = reported_comparison(design, result)
        figures = tuple((c["key"], c["source"]) for c in comps)
        if figures != self._source_figures:   # another source: its own height
            self._source_figures = figures
            self._release_source = True
        self.source_note.setVisible(bool(comps))
        if not comps:
            self.source_note.setText("")
            return
        departs = any(c["departs"] for c in comps)
        _set_text(self.source_note, f"Against the source{' – departs' if departs else ''}:"
                                    + "".join(f"\n• {c['text']}" for c in comps))
        if self._release_source:
            self._release_source = False
            self.source_fence.release()
        _set_tip(self.source_note, "\n\n".join(f"{c['text']} {c['note']}".strip() for c in comps))
        if self.source_note.property("departs") != departs:
            self.source_note.setProperty("departs", departs)
            # the colour by the palette's text role alone (the rest follows the theme): a style
            # sheet re-polished the label each time a drag crossed the limit
            pal = QPalette()
            if departs:
                pal.setColor(QPalette.ColorRole.WindowText, QColor("#b26200"))
            self.source_note.setPalette(pal)

    def value_texts(self) -> dict[str, str]:
        """The numbers as shown (for tests): 'pouch:gravimetric_Wh_kg', 'stack:...', 'unit_cell:...',
        'system:...' (when a fixture is set), '<section>:<key>' for the step 8-12 sections."""
        self.flush()
        out = {"tile:gravimetric_Wh_kg": self.grav.value.text(), "tile:volumetric_Wh_L": self.vol.value.text()}
        for r, (_label, _unit, uc_key, stack_key, pouch_key) in enumerate(LEVEL_ROWS):
            out[f"unit_cell:{uc_key}"] = self.level_labels[(r, 0)].text()
            out[f"stack:{stack_key}"] = self.level_labels[(r, 1)].text()
            out[f"pouch:{pouch_key}"] = self.level_labels[(r, 2)].text()
            if self.system_headers[0].isVisibleTo(self):
                out[f"system:{pouch_key}"] = self.level_labels[(r, 3)].text()
        for r, (_label, _unit, stack_key, pouch_key) in enumerate(AMOUNT_ROWS):
            out[f"stack:{stack_key}"] = self.amount_labels[(r, 0)].text()
            out[f"pouch:{pouch_key}"] = self.amount_labels[(r, 1)].text()
            if self.system_headers[0].isVisibleTo(self):
                out[f"system:{pouch_key}"] = self.amount_labels[(r, 2)].text()
        for sec in self.sections:
            if sec.isVisibleTo(self):
                out.update(sec.texts())
        return out

    def all_texts(self) -> list[str]:
        """Every text the panel shows (labels and tiles), for checks like 'no nan anywhere'."""
        self.flush()
        return [lab.text() for lab in self.findChildren(QLabel) if lab.isVisibleTo(self)]


class _BlockWatcher(QObject):
    """Calls `refresh` when a watched block is shown, moved or resized (it may have come into
    sight)."""

    KINDS = frozenset({QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show})

    def __init__(self, refresh, parent=None):
        super().__init__(parent)
        self._refresh = refresh

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt override
        if ev.type() in self.KINDS:
            self._refresh()
        return False


class LiteratureTable(QWidget):
    """The pouch and bipolar cells of resources/data/demonstrations.csv that report an energy
    density, with this design's pouch-level figures ranked among them (sources as tooltips)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(1)
        self.grid.setColumnStretch(0, 1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 0.92)
        self.note.setFont(f)
        self._rows: list[tuple[str, str, str, bool]] = []
        self._labels: list[list[QLabel]] = []

    def rows(self) -> list[tuple[str, str, str, bool]]:
        """(cell, Wh/kg, Wh/L, is this design) as shown, best Wh/kg first (for tests)."""
        return list(self._rows)

    def set_result(self, design, result) -> None:
        """Rank this design among the reported cells. The table's labels are made once and
        updated in place (only a row whose text changes is touched): rebuilding them on every
        edit re-laid the whole results column out."""
        from core.literature import demonstrations, rank_among_demonstrations
        demos = [r for r in demonstrations() if r["Wh_kg"] is not None or r["Wh_L"] is not None]
        kg, wl = result.values["gravimetric_Wh_kg"], result.values["volumetric_Wh_L"]
        entries = [(f"{r['year']} {r['group']}" + (" (bipolar)" if r["stacking"] == "bipolar" else ""),
                    r["Wh_kg"], r["Wh_L"],
                    f"{r['configuration']}; {r['stacking']}; {r['format']}; {r['reported']}\n{r['citation']}",
                    r["Wh_kg_qualifier"], r["Wh_L_qualifier"], False) for r in demos]
        entries.append(("This design", kg, wl, design.name, "", "", True))
        entries.sort(key=lambda e: -(e[1] if e[1] is not None else (e[2] or 0) / 3.0))
        if len(self._labels) != len(entries):
            self._build(len(entries))
        self._rows = []
        for labels, (name, a, b, tip, qa, qb, mine) in zip(self._labels, entries):
            texts = (name, f"{qa}{a:.0f}" if a is not None else "—", f"{qb}{b:.0f}" if b is not None else "—")
            for lab, text in zip(labels, texts):
                if lab.text() != text:
                    lab.setText(text)
                if lab.toolTip() != tip:
                    lab.setToolTip(tip)
                if lab.font().bold() != mine:
                    lab.setFont(self._bold if mine else self.font())
            self._rows.append((texts[0], texts[1], texts[2], mine))
        rank = rank_among_demonstrations(kg, wl)
        n_all = len(demonstrations())
        note = (f"Above {rank['Wh_kg'][0]} of the {rank['Wh_kg'][1]} reported cells that give Wh/kg and "
                f"{rank['Wh_L'][0]} of the {rank['Wh_L'][1]} that give Wh/L; the other "
                f"{n_all - len(demos)} cells of the table report no energy density (all in the report). "
                f"Reported figures as published (different definitions of mass and volume); hover for sources.")
        if self.note.text() != note:
            self.note.setText(note)

    def _build(self, n: int) -> None:
        """The header, n rows of three labels and the note below them."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None and item.widget() is not self.note:
                item.widget().deleteLater()
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        for c, text in enumerate(("Reported cell", "Wh/kg", "Wh/L")):
            lab = QLabel(text)
            lab.setFont(self._bold)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight if c else Qt.AlignmentFlag.AlignLeft)
            self.grid.addWidget(lab, 0, c)
        self._labels = []
        for i in range(1, n + 1):
            row = []
            for c in range(3):
                lab = QLabel()
                lab.setAlignment(Qt.AlignmentFlag.AlignRight if c else Qt.AlignmentFlag.AlignLeft)
                lab.setWordWrap(c == 0)  # a long group name wraps in a narrow column
                self.grid.addWidget(lab, i, c)
                row.append(lab)
            self._labels.append(row)
        self.grid.addWidget(self.note, n + 1, 0, 1, 3)


class WarningsStrip(QFrame):
    """The design's warnings in a strip under the header: always one line high, so that a
    warning coming or going never re-lays the window out (every plot below would be resized
    and redrawn). The first warning is shown (elided to the width, whole in the tooltip) with
    "+N more"; "Show all" lists every warning (the strip grows only then, on request). With no
    warnings it says so, in the window's own colours."""

    sig_toggled = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("warningsStrip")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.icon = QLabel("⚠")
        f = self.icon.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        self.icon.setFont(f)
        self.text = QLabel()
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.more = QToolButton()
        self.more.setAutoRaise(True)
        self.more.setCheckable(True)
        self.more.toggled.connect(self._render)
        self.more.toggled.connect(self.sig_toggled)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 3, 10, 3)
        lay.setSpacing(8)
        lay.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.more, 0, Qt.AlignmentFlag.AlignTop)
        self._warnings: list[str] = []
        self._error = False
        self._full = ""
        self._one_line = max(self.icon.sizeHint().height(), self.more.sizeHint().height()) + 6
        self.setFixedHeight(self._one_line)
        self.apply_palette()
        self._render()

    def apply_palette(self, dark: bool | None = None) -> None:
        base = (self.parentWidget() or self).palette()
        if dark is None:
            dark = base.color(QPalette.ColorRole.Window).lightness() < 128
        pal = self.palette()
        if not self._warnings:   # nothing to flag: the window's own colours, quietly
            bg = base.color(QPalette.ColorRole.Window)
            fg = base.color(QPalette.ColorRole.PlaceholderText)
        elif self._error:
            bg, fg = (QColor("#5a1f1f"), QColor("#ffd9d6")) if dark else (QColor("#fde2e0"), QColor("#7a1a12"))
        else:
            bg, fg = (QColor("#4a3b12"), QColor("#ffe8a8")) if dark else (QColor("#fff4d1"), QColor("#5c4300"))
        pal.setColor(QPalette.ColorRole.Window, bg)
        pal.setColor(QPalette.ColorRole.WindowText, fg)
        pal.setColor(QPalette.ColorRole.ButtonText, fg)
        self.setPalette(pal)
        self._dark = dark

    def set_warnings(self, warnings, error: bool = False) -> None:
        warnings = list(warnings)
        if warnings == self._warnings and error == self._error:
            return   # the usual edit: nothing to touch
        kind_changed = error != self._error or bool(warnings) != bool(self._warnings)
        self._warnings = warnings
        self._error = error
        if kind_changed:
            self.apply_palette(getattr(self, "_dark", None))
        if not warnings and self.more.isChecked():
            self.more.setChecked(False)   # renders
        else:
            self._render()

    def warnings(self) -> list[str]:
        return list(self._warnings)

    def shown_text(self) -> str:
        """The whole text of what the strip shows (the label may elide it to its width)."""
        return self._full

    def resizeEvent(self, ev):  # noqa: N802 - Qt override
        super().resizeEvent(ev)
        if not self.more.isChecked():
            self._elide()

    def _elide(self) -> None:
        width = max(self.text.width(), 40)
        self.text.setText(self.text.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))

    def _render(self, *args) -> None:
        w = self._warnings
        expanded = self.more.isChecked() and len(w) > 1
        self.icon.setText("⚠" if w else "✓")
        if not w:
            self._full = "No warnings: the model found nothing to flag in this design."
        elif expanded:
            self._full = "\n".join(f"• {s}" for s in w)
        else:
            self._full = f"{'Error' if self._error else 'Warning'}: {w[0]}"
        self.text.setToolTip("\n\n".join(w))
        self.text.setWordWrap(expanded)
        if expanded:
            self.text.setText(self._full)
            self.setMinimumHeight(self._one_line)
            self.setMaximumHeight(16777215)
        else:
            self.setFixedHeight(self._one_line)
            self._elide()
        self.more.setVisible(len(w) > 1)
        self.more.setText("Show less" if expanded else f"+{len(w) - 1} more")
