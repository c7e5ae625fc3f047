"""Parallel vs bipolar stacking of the current unit cell: voltage, capacity and energy density
as the number of unit cells changes; under the plots, both twins at the design's count side by
side, at rest and at the design's operating C-rate (MODEL.md step 11, an ohmic estimate:
voltage, energy and pouch Wh/kg at rate; bipolar = N x the unit cell's voltage at rate)."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

import core
from core import Layer
from core.model.sweep import sweep_lazy

from ..compare_life import c_rate_text
from . import common as c

DEFAULT_PLATE = Layer(role="bipolar_plate", material="SS", thickness_um=10.0)
QUANTITIES = (("voltage_V", "Cell voltage (V)"), ("capacity_Ah", "Cell capacity (Ah)"),
              ("Wh_kg", "Wh/kg"), ("Wh_L", "Wh/L"))
# at the design's operating C-rate (MODEL.md step 11, ohmic estimate): in the table and the CSV
RATE_QUANTITIES = (("voltage_at_rate_V", "voltage at rate (V)"), ("energy_Wh_at_rate", "energy at rate (Wh)"),
                   ("gravimetric_Wh_kg_at_rate", "pouch cell Wh/kg at rate (Wh/kg)"))


def compare_designs(design: core.Design) -> tuple[core.Design, core.Design, str]:
    """(parallel design, bipolar design, plate note) built from the design's unit cell.
    Parallel keeps the design's collector sharing (shared if the design is bipolar); bipolar
    keeps the design's plate or uses a 10 µm stainless-steel plate."""
    st = design.stacking
    if st.type == "parallel":
        par = design
    else:
        par = replace(design, stacking=replace(st, type="parallel", collector_sharing="shared", plate=None))
    plate = st.plate
    if plate is None:
        plate = DEFAULT_PLATE
        note = "10 µm SS plate, assumed: the design has none"
    else:
        note = f"{plate.display_name()} plate {c.fmt(plate.thickness_um)} µm"
    bip = replace(design, stacking=replace(st, type="bipolar", plate=plate, spacer=None,
                                           collector_sharing="shared"))
    return par, bip, note


def zigzag_note(par: core.Design, data: dict | None, settings: c.PlotSettings) -> str:
    """Why the parallel curve zig-zags between odd and even counts (shared collectors: an even
    count needs one more collector of one kind), with the numbers; '' when it does not."""
    if data is None or par.stacking.collector_sharing != "shared" or data["x"].size < 4:
        return ""
    x, y = data["x"], data["Wh_kg"]
    d = np.diff(y)
    flips = np.sum(np.sign(d[:-1]) * np.sign(d[1:]) < 0)
    if flips < 2:
        return ""
    n0 = int(x[int(np.argmax(y))])
    n0 = max(2, n0 - (n0 % 2))   # an even count and the odd one after it, near the top
    try:
        r_even = core.evaluate(core.with_parameter(par, "stacking.unit_cells", float(n0)))
        r_odd = core.evaluate(core.with_parameter(par, "stacking.unit_cells", float(n0 + 1)))
    except core.DesignError:
        return ""
    ce, co = r_even.counts, r_odd.counts
    key = settings.key("Wh_kg")
    return (f"Parallel Wh/kg zig-zags between odd and even counts: with shared collectors "
            f"{n0} unit cells need {ce['positive_collector']:.0f} positive + "
            f"{ce['negative_collector']:.0f} negative collectors, {n0 + 1} need "
            f"{co['positive_collector']:.0f} + {co['negative_collector']:.0f} (an even count ends on "
            f"{'negative' if ce['negative_collector'] > ce['positive_collector'] else 'positive'} "
            f"collectors on both outer faces), so {n0}: {r_even.values[key]:.1f} Wh/kg, "
            f"{n0 + 1}: {r_odd.values[key]:.1f} Wh/kg. A needed count is only stated where every "
            f"count from it on meets the target.")


def _sharing_text(design: core.Design) -> str:
    return {"shared": "shared collectors", "bicell": "bi-cells", "none": "separate cells"}.get(
        design.stacking.collector_sharing, design.stacking.collector_sharing)


@dataclass(frozen=True)
class Cell:
    """One cell of the twins' table: its text as HTML (entities escaped; <b> for bold), the
    columns it spans, its alignment, its left padding in px (6 on the right) and its colour
    (one picked for a light background; None: the text colour)."""
    html: str
    span: int = 1
    align: str = "left"
    pad: int = 6
    color: str | None = None


def cells_html(rows: list[list[Cell]]) -> str:
    """The table as HTML, as a rich-text label or the export's legend lays it out."""
    out = []
    for row in rows:
        tds = []
        for cell in row:
            if not cell.html and cell.span == 1 and cell.color is None and cell.align == "left":
                tds.append("<td></td>")
                continue
            attrs = f' style="padding: 0px 6px 0px {cell.pad}px"'
            if cell.span > 1:
                attrs += f' colspan="{cell.span}"'
            if cell.align != "left":
                attrs += f' align="{cell.align}"'
            body = f'<span style="color:{cell.color}">{cell.html}</span>' if cell.color else cell.html
            tds.append(f"<td{attrs}>{body}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    return f'<table cellspacing="0">{"".join(out)}</table>'


def _rich(html: str) -> bool:
    """Whether a cell's text has markup (or an entity) to be shown as rich text."""
    return "<" in html or "&" in html


_ALIGN = {"left": Qt.AlignmentFlag.AlignLeft, "center": Qt.AlignmentFlag.AlignHCenter,
          "right": Qt.AlignmentFlag.AlignRight}


class TwinTable(QWidget):
    """The twins' table as a grid of labels, one per cell. The same table as one rich-text
    label was laid out as a document again on every edit (about 3 ms: a rich-text table is
    measured column by column, twice); here an edit sets the text of the cells whose number
    changed, and the grid is built again only when the table's shape changes. text() gives
    the table as HTML (cells_html), as the label did; the text can be selected in each cell."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("stackingTable")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(0)
        self._labels: list[list[QLabel]] = []
        self._shape: tuple = ()
        self._raw = ""

    def text(self) -> str:
        return self._raw

    def set_cells(self, rows: list[list[Cell]]) -> None:
        self._raw = cells_html(rows)
        shape = tuple(tuple((cell.span, cell.align, cell.pad, cell.color, _rich(cell.html)) for cell in row)
                      for row in rows)
        if shape != self._shape:
            self._build(rows, shape)
        else:
            for row, labels in zip(rows, self._labels):
                for cell, label in zip(row, labels):
                    if label.text() != cell.html:
                        label.setText(cell.html)

    def _build(self, rows: list[list[Cell]], shape: tuple) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._labels = []
        for r, row in enumerate(rows):
            labels, col = [], 0
            for cell in row:
                label = QLabel()
                # (a number is plain text: a label lays rich text out as a document)
                label.setTextFormat(Qt.TextFormat.RichText if _rich(cell.html) else Qt.TextFormat.PlainText)
                label.setText(cell.html)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setContentsMargins(cell.pad, 0, 6, 0)
                label.setAlignment(_ALIGN[cell.align] | Qt.AlignmentFlag.AlignVCenter)
                self._grid.addWidget(label, r, col, 1, cell.span)
                label.show()   # (now: a label added to a shown widget is shown later, and the
                #               table's size, asked for at once, counts only shown labels)
                labels.append(label)
                col += cell.span
            self._labels.append(labels)
        self._grid.setColumnStretch(self._grid.columnCount(), 1)   # (the cells keep to the left)
        self._shape = shape
        self._color()

    def _color(self) -> None:
        """The coloured cells' text colour, lightened on a dark palette (as ThemedLabel)."""
        dark = c.is_dark(self)
        for row, labels in zip(self._shape, self._labels):
            for cell, label in zip(row, labels):
                color = cell[3]
                if color:
                    pal = label.palette()
                    pal.setColor(QPalette.ColorRole.WindowText, QColor(c.themed(color, dark)))
                    label.setPalette(pal)

    def changeEvent(self, ev):  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._color()


class StackingCompareWidget(QFrame):
    """Four small plots (V, Ah, Wh/kg, Wh/L) of parallel and bipolar stacks vs unit cells."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.design: core.Design | None = None
        self.result: core.Result | None = None
        self.settings = c.PlotSettings()
        self.data: dict[str, dict] = {}
        # core.evaluate(twin).values of the parallel and bipolar twins at the design's count
        # (what the table under the plots shows), or the DesignError that stopped one
        self.twins: dict[str, dict] = {}
        self.twin_errors: dict[str, str] = {}
        self.plate_note = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 3, 4, 3)
        head = QHBoxLayout()
        self.legend = c.ThemedLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        head.addWidget(self.legend, 1)
        self.export_btn = c.make_export_button(self, "parallel vs bipolar")
        head.addWidget(self.export_btn)
        lay.addLayout(head)
        self.graphics = c.graphics_layout()
        c.menu_on_right_click(self.graphics, self.export_btn)
        self.graphics.setBackground(c.BACKGROUND)
        lay.addWidget(self.graphics, 1)
        # both twins at the design's count, at rest and at the operating C-rate; where the
        # panel is narrower than the table it scrolls sideways (it is never cut off)
        self.table = TwinTable()
        self.table_area = QScrollArea()
        self.table_area.setFrameShape(QFrame.Shape.NoFrame)
        self.table_area.setWidget(self.table)
        self.table_area.setWidgetResizable(True)
        self.table_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        lay.addWidget(self.table_area)
        self.summary = c.text_label()
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # the notes scroll rather than squeeze the plots where the panel is short
        self.summary_area = QScrollArea()
        self.summary_area.setFrameShape(QFrame.Shape.NoFrame)
        self.summary_area.setWidget(self.summary)
        self.summary_area.setWidgetResizable(True)
        self.summary_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(self.summary_area)
        self.plots, self.curves, self.markers = {}, {}, {}
        for i, (q, title) in enumerate(QUANTITIES):
            p = self.graphics.addPlot(row=i // 2, col=i % 2, axisItems=c.axes("left", "bottom"))
            p.setMouseEnabled(x=False, y=False)
            p.hideButtons()
            p.setMenuEnabled(False)
            p.showGrid(x=False, y=False)
            c.style_axes(p, ("left", "bottom"))
            p.getAxis("left").setWidth(52)
            p.getAxis("left").setLabel(title)
            p.getAxis("bottom").setLabel("Unit cells (count)")
            self.plots[q] = p
            for kind, col, style, sym in (("parallel", c.PARALLEL_COLOR, Qt.PenStyle.SolidLine, "o"),
                                          ("bipolar", c.BIPOLAR_COLOR, Qt.PenStyle.DashLine, "s")):
                # a symbol at every whole count: the model is only defined there, and with
                # shared collectors odd and even counts zig-zag
                # (drawn by Qt: pyqtgraph's PlotDataItem and ScatterPlotItem rebuilt their
                # items on every edit and painted in Python, issue 15)
                dots = kind == "parallel" and q in ("Wh_kg", "Wh_L")
                if dots:
                    curve = c.SymbolLine(p.vb, c.pen(col, 2.2, style), 4, col)
                else:
                    curve = c.PathCurve(c.pen(col, 2.2, style))
                    curve.attach(p.vb)
                mk = c.PointMarker(sym, 10, pen=pg.mkPen("k", width=1.5), brush=pg.mkBrush(col))
                mk.setZValue(10)
                p.addItem(mk, ignoreBounds=True)
                self.curves[(q, kind)] = curve
                self.markers[(q, kind)] = mk
        self.zigzag_note = ""
        c.adopt_plot_menus(self, self.graphics)
        self._apply_theme()

    def changeEvent(self, ev):  # noqa: N802 - Qt override
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_theme()

    def resizeEvent(self, ev):  # noqa: N802 - Qt override
        super().resizeEvent(ev)
        self._fit_table()

    def _fit_table(self):
        """The table's area as tall as the table, plus the sideways scroll bar when it needs one;
        the notes under it as tall as their text, at most about a fifth of the panel (then
        they scroll)."""
        hint = self.table.sizeHint()
        bar = self.table_area.horizontalScrollBar().sizeHint().height()
        width = self.contentsRect().width() - 8
        self.table_area.setFixedHeight(hint.height() + (bar if hint.width() > width else 0))
        vbar = self.summary_area.verticalScrollBar().sizeHint().width()
        need = self.summary.heightForWidth(max(50, width)) if self.summary.text() else 0
        cap = max(3 * self.summary.fontMetrics().lineSpacing(), int(0.18 * self.height()))
        if need > cap:
            need = self.summary.heightForWidth(max(50, width - vbar))
        self.summary_area.setFixedHeight(min(need, cap) + 2)

    def _apply_theme(self):
        c.theme_view(self.graphics, [(p, ("left", "bottom")) for p in self.plots.values()], self)

    def update_plot(self, design: core.Design, result: core.Result | None, settings: c.PlotSettings):
        self.design, self.result, self.settings = design, result, settings
        par, bip, note = compare_designs(design)
        self.plate_note = note
        n = design.stacking.unit_cells
        n_max = int(max(30, 2 * n))
        lv = c.LEVELS[settings.level]
        c.set_axis_label(self.plots["Wh_kg"], "left", f"{lv.label} Wh/kg")
        c.set_axis_label(self.plots["Wh_L"], "left", f"{lv.label} Wh/L")
        self.data = {}
        sweep_errors = []
        for kind, d in (("parallel", par), ("bipolar", bip)):
            x = c.value_grid("stacking.unit_cells", 1, n_max, d, n=10_000)
            try:
                s = sweep_lazy(d, "stacking.unit_cells", x)   # (the arrays read are made)
            except core.DesignError as e:
                sweep_errors.append(f"{kind}: {e}")
                for q, _t in QUANTITIES:
                    self.curves[(q, kind)].setData([], [])
                    self.markers[(q, kind)].setData([], [])
                continue
            ys = {"voltage_V": s["voltage_V"], "capacity_Ah": s["capacity_Ah"],
                  "Wh_kg": s[settings.key("Wh_kg")], "Wh_L": s[settings.key("Wh_L")]}
            self.data[kind] = {"x": x, **ys, **{k: s[k] for k, _label in RATE_QUANTITIES}}
            i = np.nonzero(x == n)[0]
            for q, _t in QUANTITIES:
                self.curves[(q, kind)].setData(x, ys[q])
                if i.size:
                    self.markers[(q, kind)].setData([float(n)], [float(ys[q][i[0]])])
                else:
                    self.markers[(q, kind)].setData([], [])
        for q, _t in QUANTITIES:
            p = self.plots[q]
            vals = [v for kind in self.data for v in self.data[kind][q][np.isfinite(self.data[kind][q])]]
            p.vb.setXRange(1, n_max, padding=0.03)
            c.fit_ticks(p)
            if vals:
                lo, hi = min(vals), max(vals)
                if q in ("voltage_V", "capacity_Ah"):
                    lo = 0.0
                p.vb.setYRange(lo, hi if hi > lo else lo + 1, padding=0.06)
        par_text = f"parallel ({_sharing_text(par)})"
        self.legend.setText(
            f'<span style="color:{c.PARALLEL_COLOR}">━━ {par_text}</span> &nbsp;&nbsp; '
            f'<span style="color:{c.BIPOLAR_COLOR}">╍╍ bipolar ({note})</span> &nbsp;&nbsp; '
            f'● ■ the design\'s {n} unit cells')
        self.twins, self.twin_errors = {}, {}
        for kind, d in (("parallel", par), ("bipolar", bip)):
            if result is not None and (d is design or d == design):   # the design itself
                self.twins[kind] = result.values
                continue
            try:
                self.twins[kind] = core.evaluate(d).values
            except core.DesignError as e:
                self.twin_errors[kind] = e.problems[0] if e.problems else str(e)
        self.table.set_cells(self.twin_cells(n, lv.label))
        self.zigzag_note = zigzag_note(par, self.data.get("parallel"), settings)
        self.summary.setText(
            "".join(f'<span style="color:#8a1c1c">{c.html_escape(e)}</span><br>' for e in sweep_errors)
            + c.html_escape(self.summary_text(n))
            + (f"<br>{c.html_escape(self.zigzag_note)}" if self.zigzag_note else ""))
        self._fit_table()

    def twin_table(self, n: int, level: str) -> str:
        """Both twins at the design's count (rows; colours as in the legend above): at rest the
        voltage, capacity, energy and Wh/kg, Wh/L at the plots' level; at the operating C-rate
        (an ohmic estimate) the voltage, energy and pouch cell Wh/kg. As HTML (the export's
        legend; the page shows the same cells as a grid, TwinTable)."""
        return cells_html(self.twin_cells(n, level))

    def twin_cells(self, n: int, level: str) -> list[list[Cell]]:
        """The table's rows of cells (see twin_table)."""
        some = next(iter(self.twins.values()), None)
        rate = c_rate_text(some["c_rate"]) if some else "the operating C-rate"
        rest_cols = (("voltage_V", "V"), ("capacity_Ah", "Ah"), ("energy_Wh", "Wh"),
                     (self.settings.key("Wh_kg"), f"{level} Wh/kg"), (self.settings.key("Wh_L"), f"{level} Wh/L"))
        rate_cols = (("voltage_at_rate_V", "V"), ("energy_Wh_at_rate", "Wh"),
                     ("gravimetric_Wh_kg_at_rate", "Pouch Wh/kg"))
        cols = rest_cols + rate_cols

        def pad(j):   # a gap before the columns at rate
            return 16 if j == len(rest_cols) else 6
        rows = [[Cell(f"<b>At {n} unit cells</b>"),
                 Cell("<b>at rest</b>", span=len(rest_cols), align="center"),
                 Cell(f"<b>at {c.html_escape(rate)}</b>, ohmic estimate", span=len(rate_cols), align="center",
                      pad=16)],
                [Cell("")] + [Cell(c.html_escape(label), align="right", pad=pad(j))
                              for j, (_k, label) in enumerate(cols)]]
        for kind, color in (("parallel", c.PARALLEL_COLOR), ("bipolar", c.BIPOLAR_COLOR)):
            name = Cell(kind, color=color)
            v = self.twins.get(kind)
            if v is None:
                why = self.twin_errors.get(kind, "not evaluated")
                rows.append([name, Cell(f"– (cannot be evaluated: {c.html_escape(why)})", span=len(cols))])
                continue
            rows.append([name] + [Cell(c.fmt(v.get(k), 4), align="right", pad=pad(j))
                                  for j, (k, _l) in enumerate(cols)])
        return rows

    def summary_text(self, n: int) -> str:
        """Why the twins differ, and where the voltage at rate comes from (with the numbers)."""
        par, bip = self.twins.get("parallel"), self.twins.get("bipolar")
        if par is None and bip is None:
            return "Neither twin can be evaluated: the table says why."
        if par is None or bip is None:
            return "Only one twin can be evaluated: the table names what stops the other."
        same = abs(par["energy_Wh"] - bip["energy_Wh"]) <= 1e-9 * max(1.0, abs(par["energy_Wh"]))
        text = (("Same energy either way: bipolar" if same else "Bipolar") + " stacks the cells in series "
                "(voltage × N) and replaces inner collector pairs by plates. ")
        rate = c_rate_text(par["c_rate"])
        i, R = par["current_density_mA_cm2"], par["asr_ohm_cm2"]
        v_cell = par["voltage_at_rate_V"]   # a parallel stack's voltage is one unit cell's
        text += (f"At {rate} each unit cell drops {c.fmt(i, 4)} mA/cm² × {c.fmt(R, 4)} Ω·cm² = "
                 f"{c.fmt(i * R / 1000.0, 4)} V, in series the drops add: bipolar "
                 f"{c.fmt(bip['voltage_at_rate_V'], 4)} V "
                 f"= {n} × {c.fmt(v_cell, 4)} V (ohmic only: diffusion, charge transfer and temperature are not "
                 f"modelled).")
        return text

    # ------------------------------------------------------------------ export
    def export_csv(self, path):
        lv = c.LEVELS[self.settings.level].label
        units = {"voltage_V": "voltage (V)", "capacity_Ah": "capacity (Ah)",
                 "Wh_kg": f"{lv} Wh/kg (Wh/kg)", "Wh_L": f"{lv} Wh/L (Wh/L)"}
        rate = c_rate_text(next(iter(self.twins.values()))["c_rate"]) if self.twins else "the operating C-rate"
        units.update({k: label.replace("at rate", f"at {rate} (ohmic estimate)") for k, label in RATE_QUANTITIES})
        names = [q for q, _t in QUANTITIES] + [k for k, _label in RATE_QUANTITIES]
        headers = ["Unit cells (count)"] + [f"{kind} {units[q]}" for kind in ("parallel", "bipolar") for q in names]
        xs = sorted(set().union(*[set(d["x"].tolist()) for d in self.data.values()])) if self.data else []
        rows = []
        for xv in xs:
            row = [int(xv)]
            for kind in ("parallel", "bipolar"):
                d = self.data.get(kind)
                i = np.nonzero(d["x"] == xv)[0] if d is not None else np.array([])
                for q in names:
                    row.append(float(d[q][i[0]]) if i.size and np.isfinite(d[q][i[0]]) else None)
            rows.append(row)
        return c.write_csv(path, headers, rows)

    def export_png(self, path, width: int = c.EXPORT_SIZE[0], height: int = c.EXPORT_SIZE[1],
                   dpi: int = c.EXPORT_DPI):
        return c.export_png(self.graphics, path, width, height, dpi,
                            title="Parallel vs bipolar stacking: voltage, capacity and energy density "
                                  "vs unit cells",
                            subtitle=c.figure_subtitle(self.design, self.settings),
                            legend_html=self.legend._raw + "<br>" + self.table._raw + self.summary._raw)

    def export_svg(self, path):
        return c.export_svg(self.graphics, path)
