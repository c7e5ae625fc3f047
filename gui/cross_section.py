"""A to-scale cross-section of the cell: laminate, collectors, electrodes, separators,
spacers and bipolar plates as they are stacked, thickness drawn to scale.

Many unit cells are drawn as the first few, an ellipsis band saying how many (and how
thick) are left out, and the last one. Parallel stacks show their collectors tied to the
two tabs; bipolar stacks show the plates in series with only the end collectors tabbed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPalette,
                           QPen)
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.design import ROLE_LABELS

# One colour per role / breakdown item, readable on light and dark backgrounds.
ROLE_COLORS = {
    "positive_collector": "#a7b1bc",   # aluminium
    "cathode": "#3f6fb5",
    "separator": "#e3b23c",
    "interlayer": "#9a7bd0",
    "anode": "#3fa58c",
    "negative_collector": "#c77a3e",   # copper
    "bipolar_plate": "#5d6b7a",
    "spacer": "#d8d2c4",
    "plated_li": "#8fd9c8",
    "laminate": "#b89d6e",
    "tabs": "#7f8c99",
    "edge_space": "#c9d1da",
    "end_plate": "#6e7b8b",            # stack-pressure fixture plates
}
EXTRA_LABELS = {"plated_li": "Plated Li (charged)", "laminate": "Pouch laminate", "tabs": "Tabs",
                "edge_space": "Seal and edge space",
                "end_plate": "End plate (fixture)"}


def role_color(role: str) -> QColor:
    return QColor(ROLE_COLORS.get(role, "#999999"))


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role) or EXTRA_LABELS.get(role) or role.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Band:
    """One drawn layer (kind is a role, "plated_li" or "laminate")."""
    kind: str
    thickness_um: float
    overhang_mm: float = 0.0
    row: int | None = None       # unit-cell row it comes from (None: stacking / pouch parts)
    cell: int | None = None      # 0-based unit cell it belongs to
    name: str = ""
    full_width: bool = False     # spacers and plates cover the footprint; laminate the outline


@dataclass(frozen=True)
class Gap:
    """The ellipsis band standing for left-out unit cells."""
    cells: int
    thickness_um: float


def _cell_bands(design, result, k: int, order: list[int], forward: bool = True) -> list[Band]:
    """Bands of unit cell k in the given row order; plated Li (charged state) sits on the
    negative-collector side of the cell, whether or not that collector is drawn here."""
    uc = design.unit_cell
    plated = result.plated_li_um if result is not None else 0.0
    out = []
    for i in order:
        layer = uc[i]
        t = result.layers[i].thickness_um if result is not None else (layer.thickness_um or 0.0)
        out.append(Band(layer.role, t, layer.overhang_mm, i, k, layer.display_name()))
    if plated > 0:
        li = Band("plated_li", plated, 0.0, None, k, "plated Li")
        nc = [j for j, b in enumerate(out) if b.kind == "negative_collector"]
        if forward:
            out.insert(nc[0] if nc else len(out), li)
        else:
            out.insert(nc[0] + 1 if nc else 0, li)
    return out


def stack_groups(design, result) -> list[list[Band]]:
    """The stack as repeating groups of bands, top to bottom (before any ellipsis)."""
    st = design.stacking
    n = st.unit_cells
    m = len(design.unit_cell)
    fwd = list(range(m))
    rev = fwd[::-1]
    groups: list[list[Band]] = []
    if st.type == "bipolar":
        plate = st.plate
        for k in range(n):
            order = fwd[(0 if k == 0 else 1):(m if k == n - 1 else m - 1)]
            bands = _cell_bands(design, result, k, order)
            if k < n - 1 and plate is not None:
                bands.append(Band("bipolar_plate", plate.thickness_um or 0.0, 0.0, None, k,
                                  plate.display_name(), full_width=True))
            groups.append(bands)
    elif st.collector_sharing == "bicell":
        for b in range(n // 2):
            bands = _cell_bands(design, result, 2 * b, fwd) + \
                _cell_bands(design, result, 2 * b + 1, rev[1:], False)
            if b < n // 2 - 1 and st.spacer is not None:
                bands.append(Band("spacer", st.spacer.thickness_um or 0.0, 0.0, None, None,
                                  st.spacer.display_name(), full_width=True))
            groups.append(bands)
    elif st.collector_sharing == "none":
        for k in range(n):
            bands = _cell_bands(design, result, k, fwd)
            if k < n - 1 and st.spacer is not None:
                bands.append(Band("spacer", st.spacer.thickness_um or 0.0, 0.0, None, None,
                                  st.spacer.display_name(), full_width=True))
            groups.append(bands)
    else:  # shared: cells alternate orientation and share collectors; starts negative
        for k in range(n):
            order = rev if k % 2 == 0 else fwd
            groups.append(_cell_bands(design, result, k, order if k == 0 else order[1:], k % 2 == 1))
    return groups


def build_bands(design, result, max_groups: int = 3) -> tuple[list, str]:
    """Bands top to bottom, with a Gap when more than `max_groups` groups; and the
    name of the repeating group ("unit cell" / "bi-cell")."""
    groups = stack_groups(design, result)
    unit = "bi-cell" if (design.stacking.type == "parallel"
                         and design.stacking.collector_sharing == "bicell") else "unit cell"
    lam = design.packaging.laminate_thickness_um
    items: list = []
    if lam > 0:
        items.append(Band("laminate", lam, 0.0, None, None, "laminate", full_width=True))
    if len(groups) > max_groups + 1:  # hide at least two groups, or draw them all
        shown = groups[:max_groups - 1]
        hidden = groups[max_groups - 1:-1]
        for g in shown:
            items.extend(g)
        cells = len(hidden) * (2 if unit == "bi-cell" else 1)
        items.append(Gap(cells, sum(b.thickness_um for g in hidden for b in g)))
        items.extend(groups[-1])
    else:
        for g in groups:
            items.extend(g)
    if lam > 0:
        items.append(Band("laminate", lam, 0.0, None, None, "laminate", full_width=True))
    plate = end_plate_um(design, result)
    if plate:
        name = f"{design.fixture.plate_material} end plate"
        items = [Band("end_plate", plate, 0.0, None, None, name, full_width=True)] + items + \
            [Band("end_plate", plate, 0.0, None, None, name, full_width=True)]
    return items, unit


def end_plate_um(design, result) -> float:
    """The fixture's end-plate thickness in µm (0 without a fixture)."""
    if design.fixture is None or result is None:
        return 0.0
    t = result.values.get("fixture_plate_thickness_mm")
    return float(t) * 1000.0 if t else 0.0


def nice_scale(um_per_px: float, target_px: float = 80.0) -> float:
    """A round length (1, 2, 5 x 10^k µm) about `target_px` long."""
    raw = um_per_px * target_px
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    exp = 10 ** math.floor(math.log10(raw))
    for f in (1, 2, 5, 10):
        if f * exp >= raw * 0.7:
            return f * exp
    return 10 * exp


def fmt_um(um: float) -> str:
    if um >= 1000:
        return f"{um / 1000:.4g} mm"
    return f"{um:.4g} µm"


class CrossSectionWidget(QWidget):
    """Draws the design's cross-section; `set_data(design, result)` updates it live."""

    sig_layer_clicked = Signal(int)   # unit-cell row of a clicked band

    GAP_PX = 30.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self._design = None
        self._result = None
        self._selected: int | None = None
        self._hit: list[tuple[QRectF, int]] = []
        self.legend_layout: list[tuple[str, float, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(300, 260)  # fits the main window's narrowest centre column
        self.setMouseTracking(True)
        self.setAccessibleName("Cell cross-section")

    def sizeHint(self) -> QSize:
        return QSize(640, 420)

    def set_data(self, design, result) -> None:
        self._design, self._result = design, result
        self.update()

    def set_selected_row(self, row: int | None) -> None:
        if row != self._selected:
            self._selected = row
            self.update()

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event):  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pal = self.palette()
        bg = pal.color(QPalette.ColorRole.Base)
        fg = pal.color(QPalette.ColorRole.Text)
        dim = QColor(fg)
        dim.setAlpha(150)
        p.fillRect(self.rect(), bg)
        self._hit = []
        if self._design is None or self._result is None:
            p.setPen(dim)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No design")
            return
        design, result = self._design, self._result
        font = QFont(self.font())
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        bold = QFont(font)
        bold.setBold(True)
        fm = QFontMetricsF(font)
        line_h = fm.height()

        W, H = float(self.width()), float(self.height())
        margin = 12.0
        # title
        st = design.stacking
        if st.type == "bipolar":
            how = f"bipolar, {st.unit_cells} unit cells in series"
        else:
            sharing = {"shared": "shared collectors", "bicell": "bi-cells",
                       "none": "separate cells"}[st.collector_sharing]
            how = f"parallel, {st.unit_cells} unit cell{'s' if st.unit_cells != 1 else ''}, {sharing}"
        p.setFont(bold)
        p.setPen(fg)
        title = f"Cross-section: {how}"
        p.drawText(QRectF(margin, margin - 2, W - 2 * margin, line_h),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   QFontMetricsF(bold).elidedText(title, Qt.TextElideMode.ElideRight, W - 2 * margin))
        p.setFont(small)
        p.setPen(dim)
        cell_t = result.values["thickness_mm"]
        sub = (f"Cell {cell_t:.3g} mm thick (stack {result.values['stack_thickness_mm']:.3g} mm + "
               f"2 × {design.packaging.laminate_thickness_um:g} µm laminate) · thickness to scale, "
               f"width schematic")
        if design.fixture is not None and result.values.get("fixture_plate_thickness_mm"):
            fx = design.fixture
            sub += (f" · end plates {result.values['fixture_plate_thickness_mm']:.3g} mm each "
                    f"({fx.plate_material}, {fx.pressure_MPa:g} MPa"
                    + (f", {fx.cells_per_fixture} cells per fixture, one drawn" if fx.cells_per_fixture > 1 else "")
                    + ")")
        fms = QFontMetricsF(small)
        p.drawText(QRectF(margin, margin + line_h - 2, W - 2 * margin, fms.height()),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fms.elidedText(sub, Qt.TextElideMode.ElideRight, W - 2 * margin))
        top = margin + line_h + fms.height() + 8

        # legend on the right
        legend_w = min(270.0, max(190.0 if W >= 520 else 150.0, W * 0.36))
        scale_w = 64.0
        # drawing (at most 2 x (170 + 26) px wide) and legend side by side, centred when wide
        block = scale_w + 2 * (170.0 + 26.0) + 24.0 + legend_w
        left = margin + max(0.0, (W - 2 * margin - block) / 2.0)
        legend_x = min(W - margin - legend_w, left + block - legend_w)
        draw_right = legend_x - 16
        self._paint_legend(p, QRectF(legend_x, top, legend_w, H - top - margin), design, result,
                           fg, dim, font, small, bold)

        # drawing area
        area = QRectF(left + scale_w, top + 4, max(80.0, draw_right - left - scale_w),
                      H - top - margin - 8)
        groups = 4 if area.height() > 620 else 3 if area.height() > 200 else 2
        items, unit = build_bands(design, result, max_groups=groups)
        gaps = [it for it in items if isinstance(it, Gap)]
        total_um = sum(it.thickness_um for it in items if isinstance(it, Band))
        avail = area.height() - self.GAP_PX * len(gaps)
        px_per_um = avail / total_um if total_um > 0 else 1.0

        # horizontal: electrode width fixed; overhang and seals exaggerated but ordered
        tab_w = 26.0
        half = min((area.width() - 2 * tab_w) / 2.0, 170.0)   # a wide screen gets no wider bands
        cx = area.left() + area.width() / 2.0
        area = QRectF(cx - half - tab_w, area.top(), 2 * (half + tab_w), area.height())
        omax = max(layer.overhang_mm for layer in design.unit_cell)
        seal = design.packaging.seal_width_mm
        k_mm = min(4.0, half * 0.12 / max(omax + seal, 1e-6)) if (omax + seal) > 0 else 0.0
        core_half = half - k_mm * (omax + seal) - 6
        lam_half = core_half + k_mm * (omax + seal) + 6

        def x_extent(b: Band) -> tuple[float, float]:
            if b.kind == "end_plate":
                hw = lam_half + 4
            elif b.kind == "laminate":
                hw = lam_half
            elif b.full_width:
                hw = core_half + k_mm * omax
            else:
                hw = core_half + k_mm * b.overhang_mm
            return cx - hw, cx + hw

        y = area.top()
        pos_y, neg_y = [], []
        gap_rects = []
        for it in items:
            if isinstance(it, Gap):
                r = QRectF(area.left() + tab_w, y, 2 * half, self.GAP_PX)
                gap_rects.append((r, it))
                y += self.GAP_PX
                continue
            h = it.thickness_um * px_per_um
            x0, x1 = x_extent(it)
            hd = max(h, 1.0)
            r = QRectF(x0, y, x1 - x0, hd)
            col = role_color(it.kind)
            p.fillRect(r, col)
            if hd >= 4:
                edge = col.darker(135)
                p.setPen(QPen(edge, 1))
                p.drawLine(QPointF(x0, y), QPointF(x1, y))
            if it.kind == "spacer":
                p.fillRect(r, QBrush(QColor(0, 0, 0, 40), Qt.BrushStyle.BDiagPattern))
            if it.kind == "end_plate":
                p.fillRect(r, QBrush(QColor(255, 255, 255, 60), Qt.BrushStyle.FDiagPattern))
            if it.kind == "plated_li":
                p.fillRect(r, QBrush(QColor(255, 255, 255, 90), Qt.BrushStyle.Dense6Pattern))
            if it.row is not None:
                self._hit.append((QRectF(x0, y - 1, x1 - x0, hd + 2), it.row))
                if it.row == self._selected:
                    p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawRect(r.adjusted(-1, -1, 1, 1))
            mid = y + hd / 2
            if it.kind == "positive_collector":
                pos_y.append((mid, x0))
            elif it.kind == "negative_collector":
                neg_y.append((mid, x1))
            y += h

        # tabs: parallel stacks tie every collector to its tab; bipolar only the end ones
        self._paint_tabs(p, pos_y, neg_y, area, tab_w, fg, small, gap_rects)

        for r, gap in gap_rects:
            self._paint_gap(p, r, gap, unit, fg, dim, bg, small)

        self._paint_scale(p, area, px_per_um, fg, small, max(margin, area.left() - 40))
        p.end()

    def _paint_tabs(self, p, pos, neg, area, tab_w, fg, font, gap_rects):
        if not pos or not neg:
            return
        pen = QPen(QColor(ROLE_COLORS["positive_collector"]).darker(120), 1.6)
        xl = area.left() + tab_w * 0.45
        p.setPen(pen)
        for yy, x0 in pos:
            p.drawLine(QPointF(x0, yy), QPointF(xl, yy))
        if len(pos) > 1:
            p.drawLine(QPointF(xl, pos[0][0]), QPointF(xl, pos[-1][0]))
        pen = QPen(QColor(ROLE_COLORS["negative_collector"]).darker(110), 1.6)
        xr = area.left() + area.width() - tab_w * 0.45
        p.setPen(pen)
        for yy, x1 in neg:
            p.drawLine(QPointF(x1, yy), QPointF(xr, yy))
        if len(neg) > 1:
            p.drawLine(QPointF(xr, neg[0][0]), QPointF(xr, neg[-1][0]))
        p.setFont(font)
        p.setPen(fg)
        fm = QFontMetricsF(font)
        ymid_p = (pos[0][0] + pos[-1][0]) / 2
        ymid_n = (neg[0][0] + neg[-1][0]) / 2
        for x, ymid, sign in ((xl, ymid_p, "+"), (xr, ymid_n, "−")):
            r = QRectF(x - 9, ymid - 9, 18, 18)
            p.setBrush(self.palette().color(QPalette.ColorRole.Base))
            p.drawEllipse(r)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, sign)
        del fm

    def _paint_gap(self, p, r, gap: Gap, unit, fg, dim, bg, font):
        p.fillRect(r, bg)
        pen = QPen(dim, 1, Qt.PenStyle.DashLine)
        p.setPen(pen)
        # zig-zag break lines
        for yy in (r.top() + 3, r.bottom() - 3):
            path = QPainterPath(QPointF(r.left(), yy))
            x = r.left()
            step = 8.0
            up = True
            while x < r.right():
                x = min(r.right(), x + step)
                path.lineTo(QPointF(x, yy + (-2.5 if up else 2.5)))
                up = not up
            p.setPen(QPen(dim, 1))
            p.drawPath(path)
        p.setFont(font)
        p.setPen(fg)
        plural = "s" if gap.cells != 1 else ""
        if unit == "bi-cell":
            text = f"⋮  {gap.cells // 2} more bi-cell{'s' if gap.cells != 2 else ''} ({gap.cells} unit cells), {fmt_um(gap.thickness_um)}  ⋮"
        else:
            text = f"⋮  {gap.cells} more unit cell{plural}, {fmt_um(gap.thickness_um)}  ⋮"
        fmx = QFontMetricsF(font)
        if fmx.horizontalAdvance(text) > r.width():  # a narrow drawing: the short form, never cut
            text = f"+{gap.cells // 2 if unit == 'bi-cell' else gap.cells}"
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_scale(self, p, area, px_per_um, fg, font, margin):
        length = nice_scale(1.0 / px_per_um, 60.0)
        px = length * px_per_um
        x = margin + 14
        y1 = area.bottom()
        y0 = y1 - px
        p.setPen(QPen(fg, 1.5))
        p.drawLine(QPointF(x, y0), QPointF(x, y1))
        p.drawLine(QPointF(x - 4, y0), QPointF(x + 4, y0))
        p.drawLine(QPointF(x - 4, y1), QPointF(x + 4, y1))
        p.setFont(font)
        label = fmt_um(length).replace(".0 ", " ")
        p.save()
        p.translate(x - 6, (y0 + y1) / 2)
        p.rotate(-90)
        fm = QFontMetricsF(font)
        w = fm.horizontalAdvance(label)
        p.drawText(QPointF(-w / 2, 0), label)
        p.restore()

    def legend_entries(self) -> list[tuple]:
        """(role, label, detail, thickness_um, row) of each legend line, as painted."""
        if self._design is None or self._result is None:
            return []
        return self._legend_entries(self._design, self._result)

    def _legend_entries(self, design, result) -> list[tuple]:
        entries = []
        st = design.stacking
        for i, layer in enumerate(design.unit_cell):
            info = result.layers[i]
            entries.append((layer.role, role_label(layer.role),
                            f"{layer.display_name()} · {info.loading_mg_cm2:.3g} mg/cm²", info.thickness_um, i))
        if st.type == "bipolar" and st.plate is not None and st.unit_cells > 1:
            entries.append(("bipolar_plate", "Bipolar plate", st.plate.display_name(),
                            st.plate.thickness_um, None))
        if st.type == "parallel" and st.spacer is not None and st.collector_sharing != "shared":
            entries.append(("spacer", "Spacer", st.spacer.display_name(), st.spacer.thickness_um, None))
        if result.plated_li_um > 0:
            entries.append(("plated_li", "Plated Li", "charged state", result.plated_li_um, None))
        entries.append(("laminate", "Pouch laminate", "each side", design.packaging.laminate_thickness_um,
                        None))
        plate = end_plate_um(design, result)
        if plate:
            fx = design.fixture
            entries.append(("end_plate", "End plate (fixture)",
                            f"{fx.plate_material}, each side, {fx.cells_per_fixture} cell"
                            f"{'s' if fx.cells_per_fixture != 1 else ''} per fixture", plate, None))
        return entries

    def _paint_legend(self, p, rect, design, result, fg, dim, font, small, bold):
        entries = self._legend_entries(design, result)
        self.legend_layout = []
        fm = QFontMetricsF(font)
        fms = QFontMetricsF(small)
        row_h = fm.height() + fms.height() + 4
        y = rect.top()
        for role, label, name, t, row in entries:
            if y + row_h > rect.bottom():
                break
            sw = QRectF(rect.left(), y + 3, 14, 14)
            p.fillRect(sw, role_color(role))
            p.setPen(QPen(role_color(role).darker(140), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(sw)
            is_sel = row is not None and row == self._selected
            p.setFont(bold if is_sel else font)
            p.setPen(fg)
            tw = rect.width() - 22
            # the label is elided to leave room for the thickness beside it (measured in the
            # font it is drawn in: a bold selected row is wider), never running into it
            lfm = QFontMetricsF(bold if is_sel else font)
            t_w = lfm.horizontalAdvance(fmt_um(t)) + 10
            shown = lfm.elidedText(label, Qt.TextElideMode.ElideRight, max(10.0, tw - t_w))
            p.drawText(QRectF(rect.left() + 22, y, tw, fm.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
            # (label text, its right end, the thickness's left end): what tests check for overlap
            self.legend_layout.append((shown, rect.left() + 22 + lfm.horizontalAdvance(shown),
                                       rect.left() + 22 + tw - lfm.horizontalAdvance(fmt_um(t))))
            p.drawText(QRectF(rect.left() + 22, y, tw, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, fmt_um(t))
            p.setFont(small)
            p.setPen(dim)
            p.drawText(QRectF(rect.left() + 22, y + fm.height(), tw, fms.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fms.elidedText(name, Qt.TextElideMode.ElideRight, tw))
            if row is not None:
                self._hit.append((QRectF(rect.left(), y, rect.width(), row_h), row))
            y += row_h

    # ------------------------------------------------------------------ interaction
    def _row_at(self, pos) -> int | None:
        for r, row in reversed(self._hit):
            if r.contains(QPointF(pos)):
                return row
        return None

    def mousePressEvent(self, event):  # noqa: N802 - Qt override
        row = self._row_at(event.position())
        if row is not None and event.button() == Qt.MouseButton.LeftButton:
            self.sig_layer_clicked.emit(row)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):  # noqa: N802 - Qt override
        row = self._row_at(event.position())
        if row is not None and self._design is not None and row < len(self._design.unit_cell):
            layer = self._design.unit_cell[row]
            info = self._result.layers[row] if self._result is not None else None
            tip = f"{role_label(layer.role)}: {layer.display_name()}"
            if info is not None:
                tip += f"\n{info.thickness_um:.4g} µm, {info.loading_mg_cm2:.4g} mg/cm²"
            self.setToolTip(tip + "\nClick to edit")
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.setToolTip("")
            self.unsetCursor()
        super().mouseMoveEvent(event)
