"""Design-review reports (PDF or HTML) of one design, or a side-by-side comparison of several.

API: `export_report(designs, out_path, page_size="A4")` with `designs` a list of
`(core.Design, path or None)`; the first design is the reference of a comparison.
Command line: `python main.py report FILE [FILE ...] -o out.pdf|out.html [--page-size A4|Letter]`
(`install_cli` adds the subcommand; FILE may be `preset:NAME`).

Contents per design: identity (file name and sha256), key figures, warnings, the unit cell
layer by layer (given and derived values), materials data with sources, stacking and
packaging, results at unit-cell, stack and pouch level, mass and volume breakdown, the
sensitivity of Wh/kg and Wh/L to the review's levers with the value needed for the target;
then the model's assumptions and what it leaves out.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtGui import QColor

from core import Design, DesignError, __version__, evaluate, load_design
from core.design import ROLE_LABELS

from .charts import (ITEM_COLORS, LEVEL_COLORS, ROLE_COLORS, TARGET, Band, Bar, LineChart, Marker,
                     Series, draw_bar_panels, draw_cross_section, draw_line_chart, side_by_side)
from .compare import (ATTRIBUTION_KEYS, ATTRIBUTION_LABELS, compare, compare_results, delta_merit,
                      layer_keys, layer_title)
from .data import (ASSUMPTIONS, LEVELS, NOT_MODELLED, ReportOptions, design_identity, fmt, fmt_composition, fmt_delta,
                   fmt_pct, materials_used, sci, sensitivity, sensitivity_parameters)
from .layout import Column, Figure, Heading, Html, PageBreak, Report, Table, write_html, write_pdf

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}
PAGE_SIZE_NAMES = ("A4", "Letter")

_app = None  # the QGuiApplication this module created, kept alive


# --------------------------------------------------------------------------- Qt set-up
def ensure_qt_app():
    """A Qt application for painting and fonts. Without one, create a QGuiApplication; with no
    display (Linux without DISPLAY / WAYLAND_DISPLAY) on the offscreen platform."""
    global _app
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication.instance()
    if app is not None:
        return app
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication(["ssb-pouch-designer-report"])
    return _app


def normalise_page_size(value: str) -> str:
    for name in PAGE_SIZE_NAMES:
        if str(value).strip().lower() == name.lower():
            return name
    raise ValueError(f'page size: must be "A4" or "Letter", got "{value}"')


def report_format(out_path) -> str:
    ext = Path(out_path).suffix.lower()
    if ext not in FORMATS:
        raise ValueError(f"{Path(out_path).name or out_path}: the report file must end in .pdf or .html"
                         f"{f' (got {ext})' if ext else ''}")
    return FORMATS[ext]


# --------------------------------------------------------------------------- helpers
def _e(text) -> str:
    return escape(str(text), quote=True)


def _nice(text: str) -> str:
    """Solution texts for people: ≤ / ≥, no empty units."""
    return (text.replace(">=", "≥").replace("<=", "≤").replace(" )", ")").replace("  ", " ")
            .replace("n/p ratio", "N/P ratio").strip().rstrip())


def _short(name: str, limit: int = 40) -> str:
    """A design name short enough for a column header (the full name is in the designs table)."""
    return name if len(name) <= limit else name[:limit - 1].rstrip() + "…"


def _kv_table(pairs, columns: int = 1) -> str:
    """Key-value pairs in `columns` side-by-side column pairs (values are HTML)."""
    rows = []
    per = (len(pairs) + columns - 1) // columns
    for i in range(per):
        cells = []
        for c in range(columns):
            j = c * per + i
            if j < len(pairs):
                k, v = pairs[j]
                cells.append(f'<td class="k" width="{18 if columns > 1 else 26}%">{_e(k)}</td>'
                             f'<td width="{32 if columns > 1 else 74}%">{v}</td>')
            else:
                cells.append("<td></td><td></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="kv" width="100%" cellspacing="0" cellpadding="0">{"".join(rows)}</table>'


def _given(text: str, given: bool) -> str:
    return f'<span class="given">{text}</span>' if given else f'<span class="derived">{text}</span>'


def _signed_html(v, pct=None, *, key: str) -> str:
    """A delta, green where it improves result `key` and red where it worsens it."""
    if v is None:
        return "–"
    cls = {1: "pos", -1: "neg"}.get(delta_merit(key, v), "muted")
    s = fmt_delta(v)
    if pct is not None:
        s += f" ({fmt_pct(pct)})"
    return f'<span class="{cls}">{_e(s)}</span>'


@dataclass(frozen=True)
class ReportInfo:
    path: str
    format: str
    pages: int | None  # PDF only
    bytes: int
    seconds: float


# --------------------------------------------------------------------------- sections
def _title_blocks(entries, now: datetime):
    blocks = []
    single = len(entries) == 1
    if single:
        d, ident, _ = entries[0]
        blocks.append(Html(fragment=f"<h1>Design review</h1><p class=\"subtitle\">{_e(d.name)}</p>",
                           space_before_pt=0))
        blocks.append(Html(fragment=_kv_table([
            ("Date", _e(now.strftime("%Y-%m-%d %H:%M %Z").strip())),
            ("Application", _e(f"SSB Pouch Designer {__version__}")),
            ("Design file", _e(ident.file_label)),
            ("sha256", f'<span class="mono">{_e(ident.sha256)}</span><br/>'
                       f'<span class="small">{_e(ident.hash_basis)}</span>'),
        ])))
        return blocks
    names = " vs ".join(d.name for d, _, _ in entries[:3]) + (" …" if len(entries) > 3 else "")
    blocks.append(Html(fragment=f"<h1>Design comparison</h1><p class=\"subtitle\">{_e(names)}</p>",
                       space_before_pt=0))
    blocks.append(Html(fragment=_kv_table([
        ("Date", _e(now.strftime("%Y-%m-%d %H:%M %Z").strip())),
        ("Application", _e(f"SSB Pouch Designer {__version__}")),
        ("Designs", f"{len(entries)}; the first is the reference of every delta"),
    ])))
    rows = []
    for i, (d, ident, _) in enumerate(entries):
        rows.append([f"{'Ref.' if i == 0 else chr(ord('A') + i)}", _e(d.name), _e(ident.file_label),
                     f'<span class="mono">{_e(ident.sha256)}</span><br/><span class="small">'
                     f'{_e(ident.hash_basis)}</span>'])
    blocks.append(Table(columns=[Column("", width_pct=5), Column("Design", width_pct=28),
                                 Column("File", width_pct=20), Column("sha256", width_pct=47)], rows=rows))
    return blocks


def _key_figures(result) -> str:
    v = result.values
    # energy densities as whole numbers, all four alike (not 632.3 beside 813)
    items = [(f"{v['gravimetric_Wh_kg']:.0f}", "Wh/kg pouch"), (f"{v['volumetric_Wh_L']:.0f}", "Wh/L pouch"),
             (f"{v['stack_gravimetric_Wh_kg']:.0f}", "Wh/kg stack"),
             (f"{v['stack_volumetric_Wh_L']:.0f}", "Wh/L stack"),
             (fmt(v["energy_Wh"]), "Wh energy"), (fmt(v["capacity_Ah"]), "Ah capacity"),
             (fmt(v["voltage_V"]), "V voltage")]
    if v.get("fixture_mass_g") is not None:   # a stack-pressure fixture: the system level first
        items[:0] = [(f"{v['system_gravimetric_Wh_kg']:.0f}", "Wh/kg system"),
                     (f"{v['system_volumetric_Wh_L']:.0f}", "Wh/L system")]
    cls = "kfv" if len(items) < 9 else "kfv kfs"   # nine figures: a smaller size keeps each on one line
    cells = "".join(f'<td width="{100 / len(items):.2f}%"><span class="{cls}">{_e(a)}</span><br/>'
                    f'<span class="kfl">{_e(b)}</span></td>' for a, b in items)
    return f'<table class="kf" width="100%" cellspacing="0" cellpadding="0"><tr>{cells}</tr></table>'


def _warnings_fragment(result) -> str:
    if not result.warnings:
        return '<p class="muted">No warnings: the model found nothing to flag in this design.</p>'
    items = "".join(f'<li class="warn">{_e(w)}</li>' for w in result.warnings)
    return f"<ul>{items}</ul>"


def _layer_rows(design: Design, result):
    rows, classes = [], []
    for i, (layer, info) in enumerate(zip(design.unit_cell, result.layers)):
        key = layer.amount()[0] if layer.is_electrode else "thickness_um"
        role = ROLE_LABELS.get(layer.role, layer.role)
        name = role + (f'<br/><span class="small">{_e(layer.label)}</span>' if layer.label else "")
        comp = _e(fmt_composition(layer)).replace(", ", "<br/>")
        dens = _given(fmt(info.density_g_cm3), layer.density_g_cm3 is not None)
        if layer.porosity is not None:
            dens += f'<br/><span class="small">porosity <b>{_e(fmt(layer.porosity))}</b></span>'
        if info.areal_capacity_mAh_cm2 is not None:
            cap = _given(fmt(info.areal_capacity_mAh_cm2), key == "areal_capacity_mAh_cm2")
            if layer.role == "anode":
                np_ = result.values.get("np_ratio")
                cap += f'<br/><span class="small">N/P {_given(_e(fmt(np_, 3)), key == "np_ratio")}</span>'
            spec = fmt(info.specific_capacity_mAh_g)
            volt = fmt(info.voltage_V, 3)
        else:
            cap = spec = volt = "–"
        rows.append([str(i + 1), name, comp,
                     _given(fmt(info.thickness_um), key == "thickness_um"),
                     _given(fmt(info.loading_mg_cm2), key == "loading_mg_cm2"),
                     dens, cap, spec, volt,
                     _given(fmt(layer.overhang_mm), bool(layer.overhang_mm)),
                     fmt(info.area_cm2)])
        classes.append("")
    v = result.values
    rows.append(["", "Unit cell", '<span class="small" style="font-weight: normal">repeat unit: collectors '
                 'by their share</span>', fmt(v["unit_cell_thickness_um"]), fmt(v["unit_cell_mass_mg_cm2"]),
                 "", fmt(v["areal_capacity_mAh_cm2"]), "", fmt(v["unit_cell_voltage_V"], 3), "", ""])
    classes.append("total")
    return rows, classes


def _stack_film_rows(design: Design, result):
    """Spacers and bipolar plates (stack-level films) for the stacking table."""
    out = []
    st = design.stacking
    lib = design.library()
    for film, count_key in ((st.spacer, "spacer"), (st.plate, "bipolar_plate")):
        if film is None or not result.counts.get(count_key):
            continue
        rho = film.density_g_cm3
        if rho is None:
            inv = sum(c.mass_fraction / lib[c.material].density_g_cm3 for c in film.component_list())
            rho = (1 - (film.porosity or 0.0)) / inv
        out.append((ROLE_LABELS[film.role] + "s",
                    f"{int(result.counts[count_key])} × {_e(fmt_composition(film))}, <b>{fmt(film.thickness_um)}</b> µm, "
                    f"{fmt(rho)} g/cm³, {fmt(rho * film.thickness_um * 0.1)} mg/cm², over the stack footprint"))
    return out


def _stacking_fragment(design: Design, result) -> str:
    st, pk, v = design.stacking, design.packaging, result.values
    if st.type == "bipolar":
        arr = (f"bipolar: {st.unit_cells} unit cells in series through bipolar plates; the two end cells keep "
               f"their collectors")
    else:
        arr = {"shared": "parallel, shared collectors: double-coated electrodes, N + 1 collectors alternating",
               "bicell": "parallel bi-cells: single-sided outer cathodes, a shared negative collector per bi-cell",
               "none": "parallel, separate cells: every unit cell has its own two collectors"
               }.get(st.collector_sharing, st.collector_sharing)
    c = result.counts
    fw, fh = result.footprint_mm
    ow, oh = result.outline_mm
    pairs = [
        ("Arrangement", _e(arr)),
        ("Unit cells", f"<b>{st.unit_cells}</b>"),
        ("Collectors in the stack", f"{int(c['positive_collector'])} positive, {int(c['negative_collector'])} negative"),
        *_stack_film_rows(design, result),
        ("Cathode (electrode) area", f"<b>{fmt(design.electrode_width_mm)} × {fmt(design.electrode_height_mm)}</b> mm "
                                     f"= {fmt(v['cathode_area_cm2'])} cm²"),
        ("Stack footprint", f"{fmt(fw)} × {fmt(fh)} mm = {fmt(v['footprint_area_cm2'])} cm² (largest overhang)"),
        ("Outline incl. seals", f"{fmt(ow)} × {fmt(oh)} mm = {fmt(v['outline_area_cm2'])} cm²"),
        ("Laminate", f"<b>{fmt(pk.laminate_thickness_um)}</b> µm, <b>{fmt(pk.laminate_density_g_cm3)}</b> g/cm³, "
                     f"two sheets over the outline"),
        ("Seal width", f"<b>{fmt(pk.seal_width_mm)}</b> mm on every side"),
        ("Tabs", "<br/>".join(f"{_e(t.material)} {fmt(t.width_mm)} × {fmt(t.length_mm)} mm, {fmt(t.thickness_um)} µm"
                              for t in pk.tabs) or "none"),
        ("Volume basis", _e({"outline": "outline: outline area incl. seals × cell thickness",
                             "stack": "stack: stack footprint × cell thickness (seals and tabs excluded)"}
                            .get(pk.volume_basis, pk.volume_basis))),
        ("Volume state", _e(design.volume_state) + (
            f" (plated Li {fmt(result.plated_li_um)} µm per unit cell)" if result.plated_li_um else "")),
        ("Cell voltage", f"<b>{fmt(design.nominal_voltage_V)}</b> V per unit cell, given (nominal)"
         if design.nominal_voltage_V is not None else
         f"{fmt(v['unit_cell_voltage_V'], 3)} V per unit cell, derived from the electrodes"),
    ]
    return _kv_table(pairs)


def _results_table(result):
    v = result.values
    e_uc = v["areal_capacity_mAh_cm2"] * v["unit_cell_voltage_V"]
    rows = [
        ["Gravimetric energy density", f"<b>{fmt(v['unit_cell_gravimetric_Wh_kg'])}</b> Wh/kg",
         f"<b>{fmt(v['stack_gravimetric_Wh_kg'])}</b> Wh/kg", f"<b>{fmt(v['gravimetric_Wh_kg'])}</b> Wh/kg"],
        ["Volumetric energy density", f"<b>{fmt(v['unit_cell_volumetric_Wh_L'])}</b> Wh/L",
         f"<b>{fmt(v['stack_volumetric_Wh_L'])}</b> Wh/L", f"<b>{fmt(v['volumetric_Wh_L'])}</b> Wh/L"],
        ["Voltage", f"{fmt(v['unit_cell_voltage_V'], 3)} V", f"{fmt(v['stack_voltage_V'], 3)} V",
         f"{fmt(v['voltage_V'], 3)} V"],
        ["Capacity", f"{fmt(v['areal_capacity_mAh_cm2'])} mAh/cm²", f"{fmt(v['stack_capacity_Ah'])} Ah",
         f"{fmt(v['capacity_Ah'])} Ah"],
        ["Energy", f"{fmt(e_uc)} mWh/cm²", f"{fmt(v['energy_Wh'])} Wh", f"{fmt(v['energy_Wh'])} Wh"],
        ["Mass", f"{fmt(v['unit_cell_mass_mg_cm2'])} mg/cm²", f"{fmt(v['stack_mass_g'])} g", f"{fmt(v['mass_g'])} g"],
        ["Thickness", f"{fmt(v['unit_cell_thickness_um'])} µm", f"{fmt(v['stack_thickness_mm'])} mm",
         f"{fmt(v['thickness_mm'])} mm"],
        ["Volume", "–", f"{fmt(v['stack_volume_cm3'])} cm³", f"{fmt(v['volume_cm3'])} cm³"],
    ]
    return Table(columns=[Column("Quantity", width_pct=31), Column("Unit cell", True, 23),
                          Column("Stack", True, 23), Column("Pouch cell", True, 23)], rows=rows, min_rows=8)


def _breakdown_table(result):
    v = result.values
    rows = []
    for b in result.breakdown:
        mp = b.mass_g / v["mass_g"] * 100 if v["mass_g"] else 0.0
        vp = b.volume_cm3 / v["volume_cm3"] * 100 if v["volume_cm3"] else 0.0
        rows.append([_e(b.label), fmt(b.mass_g) if b.mass_g else "–", f"{mp:.1f}" if b.mass_g else "–",
                     fmt(b.volume_cm3) if b.volume_cm3 else ("not counted" if b.item == "tabs" else "–"),
                     f"{vp:.1f}" if b.volume_cm3 else "–", fmt(b.thickness_um) if b.thickness_um else "–"])
    rows.append(["Pouch cell", fmt(v["mass_g"]), "100", fmt(v["volume_cm3"]), "100",
                 fmt(v["thickness_mm"] * 1000)])
    classes = [""] * (len(rows) - 1) + ["total"]
    return Table(columns=[Column("Component", width_pct=30), Column("Mass<br/>g", True), Column("Mass<br/>%", True),
                          Column("Volume<br/>cm³", True), Column("Volume<br/>%", True),
                          Column("Thickness in the cell<br/>µm", True)], rows=rows, row_classes=classes,
                 min_rows=len(rows))


def _breakdown_figure(result):

    v = result.values
    mass, vol = [], []
    for b in result.breakdown:
        c = QColor(ITEM_COLORS.get(b.item, "#888888"))
        mp = b.mass_g / v["mass_g"] * 100 if v["mass_g"] else 0
        vp = b.volume_cm3 / v["volume_cm3"] * 100 if v["volume_cm3"] else 0
        mass.append(Bar(b.label, b.mass_g, c, f"{fmt(b.mass_g, 3)} g · {mp:.0f} %" if b.mass_g else "–"))
        vol.append(Bar(b.label, b.volume_cm3, c, f"{fmt(b.volume_cm3, 3)} cm³ · {vp:.0f} %" if b.volume_cm3 else
                       ("not counted" if b.item == "tabs" else "–")))
    img = draw_bar_panels("Where the mass and the volume go (pouch cell)",
                          [(f"Mass, total {fmt(v['mass_g'], 3)} g", mass),
                           (f"Volume, total {fmt(v['volume_cm3'], 3)} cm³", vol)])
    return Figure(image=img, width_mm=170, alt="Mass and volume breakdown",
                  caption="Mass and volume of each component of the pouch cell. Tabs count in mass, not volume; "
                          "“seal and edge space” is the part of the volume basis no layer fills.")


def _cross_section_figure(design: Design, result):

    st = design.stacking
    shares = {}
    if st.type == "bipolar":
        shares = {"positive_collector": "end cells only", "negative_collector": "end cells only"}
    elif st.collector_sharing == "shared":
        shares = {"positive_collector": "½ per unit cell", "negative_collector": "½ per unit cell"}
    elif st.collector_sharing == "bicell":
        shares = {"negative_collector": "½ per unit cell"}
    bands = []
    for layer, info in zip(design.unit_cell, result.layers):
        label = ROLE_LABELS.get(layer.role, layer.role)
        detail = f"{fmt_composition(layer)} · {fmt(info.thickness_um, 3)} µm"
        if info.areal_capacity_mAh_cm2 is not None:
            detail += f" · {fmt(info.areal_capacity_mAh_cm2, 3)} mAh/cm²"
        bands.append(Band(label + (f" ({layer.label})" if layer.label else ""), detail, info.thickness_um,
                          QColor(ROLE_COLORS.get(layer.role, "#999999")), shares.get(layer.role, "")))
    if result.plated_li_um:
        bands.insert(len(bands) - 1, Band("Plated Li (charged)", f"{fmt(result.plated_li_um, 3)} µm",
                                          result.plated_li_um, QColor(ROLE_COLORS["plated_li"])))
    if st.type == "parallel" and st.spacer is not None and result.counts.get("spacer"):
        bands.append(Band("Spacer", f"{fmt_composition(st.spacer)} · {fmt(st.spacer.thickness_um, 3)} µm",
                          st.spacer.thickness_um, QColor(ROLE_COLORS["spacer"]),
                          f"{int(result.counts['spacer'])} in the stack, between groups"))
    if st.type == "bipolar" and st.plate is not None and st.unit_cells > 1:
        bands.append(Band("Bipolar plate", f"{fmt_composition(st.plate)} · {fmt(st.plate.thickness_um, 3)} µm",
                          st.plate.thickness_um, QColor(ROLE_COLORS["bipolar_plate"]), "1 per unit cell but one"))
    img = draw_cross_section("Unit cell cross-section (thickness to scale)", bands)
    return Figure(image=img, width_mm=170, alt="Unit cell cross-section",
                  caption="From the positive collector (top) to the negative collector. Thickness is to scale, except "
                          "that very thin films are drawn at a minimum height so they stay visible.")


def _materials_blocks(design: Design):
    mats = materials_used(design)
    sources: list[str] = []
    rows = []
    for m in mats:
        src = m.source or "no source given"
        if src not in sources:
            sources.append(src)
        cap = fmt(m.specific_capacity_mAh_g) if m.specific_capacity_mAh_g else "–"
        rows.append([_e(m.name) + ("" if m.builtin else ' <span class="small">(this design)</span>'),
                     _e(m.category), fmt(m.density_g_cm3), cap,
                     fmt(m.average_voltage_V, 3) if m.average_voltage_V is not None and m.is_active else "–",
                     ("yes" if m.lithiated else "no") if m.is_active else "–",
                     _e(sci(m.ionic_conductivity_S_cm)) if m.ionic_conductivity_S_cm else "–",
                     f"[{sources.index(src) + 1}]"])
    table = Table(columns=[Column("Material", width_pct=22), Column("Category", width_pct=12),
                           Column("Density<br/>g/cm³", True), Column("Capacity<br/>mAh/g", True),
                           Column("Voltage<br/>V vs Li/Li⁺", True), Column("Lithiated"),
                           Column("Conductivity<br/>S/cm", True), Column("Source")], rows=rows,
                  keep_with_next=True)
    src_html = "".join(f"[{i + 1}] {_e(s)}<br/>" for i, s in enumerate(sources))
    return [table, Html(fragment=f'<p class="small">{src_html}Densities are those of the dense material; capacity '
                                 f'is the practical specific capacity; “lithiated” marks a material that holds '
                                 f'cyclable lithium in the discharged cell.</p>', space_before_pt=3)]


def _sensitivity_blocks(design: Design, result, options: ReportOptions):
    params = sensitivity_parameters(design)
    sens = [sensitivity(design, p, options=options) for p in params]
    kg, wl, level = options.kg(design), options.L(), options.level_words
    kg_key, l_key, _ = LEVELS[options.level]
    if options.from_app:
        origin = "as set in the app"
    elif kg == 500:
        origin = "the review's Li-S target: the cathode is not lithiated"
    else:
        origin = "the review's research targets"
    blocks = [Html(fragment=(
        f"<p>How far each lever moves the energy density, all other inputs held at this design's values "
        f"(curves from <i>core.sweep</i>; needed values from <i>core.solve_for</i>). The targets are "
        f"<b>{kg:.0f} Wh/kg</b> and <b>{wl:.0f} Wh/L</b> at <b>{_e(level)} level</b> ({_e(origin)}); this "
        f"design has {fmt(result.values[kg_key], 3)} Wh/kg and {fmt(result.values[l_key], 3)} Wh/L there. "
        f"A needed value is the crossing nearest this design's value.</p>"))]
    rows = []
    for s in sens:
        unit = f" {s.unit}" if s.unit and s.unit != "mass fraction" else ""
        cur = fmt(s.current, 3) + unit
        cells = []
        for n in s.needed:
            if n.value is not None:
                txt = f"{'≥' if n.at_least else '≤'} {fmt(n.value, 3)}{unit}"
                met = (s.current >= n.value) if n.at_least else (s.current <= n.value)
                cells.append(f"<b>{_e(txt)}</b>" + (' <span class="pos">met</span>' if met else ""))
            else:
                cells.append(f'<span class="small">{_e(_nice(n.text))}</span>')
        rows.append([_e(s.label), cur] + cells)
    blocks.append(Table(columns=[Column("Lever", width_pct=22), Column("This design", True, 14),
                                 Column(f"Needs for {kg:.0f} Wh/kg ({_e(level)})", width_pct=32),
                                 Column(f"Needs for {wl:.0f} Wh/L ({_e(level)})", width_pct=32)],
                        rows=rows, min_rows=len(rows)))
    for s in sens:
        unit = f" {s.unit}" if s.unit and s.unit != "mass fraction" else ""
        unit_x = f" ({s.unit})" if s.unit else ""
        xlabel = f"{s.label}{unit_x}"
        integer = s.parameter == "stacking.unit_cells"
        n_kg, n_l = s.needed
        shape = "diamond" if options.level == "pouch" else "circle"

        def series(keys):
            out = []
            if options.level == "unit_cell":
                out.append(Series(s.x, s.curves[keys[0]], "Unit cell", LEVEL_COLORS["unit"]))
            out += [Series(s.x, s.curves[keys[1]], "Stack", LEVEL_COLORS["stack"], True),
                    Series(s.x, s.curves[keys[2]], "Pouch cell", LEVEL_COLORS["pouch"])]
            return out
        left = LineChart(f"Wh/kg vs {s.label.lower()}", xlabel, "Gravimetric energy density (Wh/kg)",
                         series(("unit_cell_gravimetric_Wh_kg", "stack_gravimetric_Wh_kg", "gravimetric_Wh_kg")),
                         hline=(kg, f"target {kg:.0f} Wh/kg ({level})"),
                         vline=(s.current, "this design"),
                         markers=[Marker(n_kg.value, kg, f"needed ({level})", TARGET, shape)]
                         if n_kg.value is not None else [], integer_x=integer)
        right = LineChart(f"Wh/L vs {s.label.lower()}", xlabel, "Volumetric energy density (Wh/L)",
                          series(("unit_cell_volumetric_Wh_L", "stack_volumetric_Wh_L", "volumetric_Wh_L")),
                          hline=(wl, f"target {wl:.0f} Wh/L ({level})"),
                          vline=(s.current, "this design"),
                          markers=[Marker(n_l.value, wl, f"needed ({level})", TARGET, shape)]
                          if n_l.value is not None else [], integer_x=integer)
        img = side_by_side([draw_line_chart(left), draw_line_chart(right)], gap_mm=4)

        def say(n, goal, u):
            if n.value is not None:
                return f"{'≥' if n.at_least else '≤'} {fmt(n.value, 3)}{unit} for {goal:.0f} {u}"
            return _nice(n.text)
        blocks.append(Heading(text=s.label, level=3, space_before_pt=10))
        blocks.append(Figure(image=img, width_mm=172, alt=f"Sensitivity to {s.label.lower()}",
                             caption=f"{_e(s.why)} <b>Needed for {kg:.0f} Wh/kg</b> ({_e(level)}): "
                                     f"{_e(say(n_kg, kg, 'Wh/kg'))}; <b>for {wl:.0f} Wh/L</b>: "
                                     f"{_e(say(n_l, wl, 'Wh/L'))}. This design: {_e(fmt(s.current, 3))}{_e(unit)}.",
                             space_before_pt=2))
    return blocks


def _np_blocks(design: Design, result):
    """The N/P section: anode against cathode capacity, what it costs and what it risks."""
    v = result.values
    qc = v["cathode_areal_capacity_mAh_cm2"]
    an = design.layer("anode")
    idx = design.index_of("anode")
    np_ratio = v.get("np_ratio")
    lib = design.library()
    if an is None:
        body = (f"<p>Anode-free: no anode is built; all cyclable lithium ({fmt(qc, 3)} mAh/cm²) comes from the "
                f"cathode and plates on the negative side when charging. N/P is not defined (0 excess lithium): "
                f"the lightest and thinnest cell, and the one with no lithium reserve for losses.</p>")
        return [Html(fragment=body, space_before_pt=2)]
    qa = result.layers[idx].areal_capacity_mAh_cm2
    li_metal = all(lib[c.material].is_li_metal for c in an.component_list()
                   if c.material in lib and lib[c.material].is_active)
    rows = [["Cathode areal capacity", f"{fmt(qc, 3)} mAh/cm²"],
            ["Anode areal capacity", f"{fmt(qa, 3)} mAh/cm²"],
            ["N/P ratio", f"<b>{fmt(np_ratio, 3)}</b>"],
            ["Anode thickness", f"{fmt(result.layers[idx].thickness_um, 3)} µm"]]
    if li_metal:
        excess_um = max(0.0, (qa - qc)) / 0.2061 if qa > qc else 0.0
        rows.append(["Excess lithium", f"{fmt(excess_um, 3)} µm beyond what the cathode cycles"])
        why = ("Li metal anode: the N/P ratio is the lithium foil over the cathode's capacity. Excess lithium "
               "is a reserve for losses, but it costs mass and, even more, volume; the review targets about "
               "40 µm of Li (N/P about 2 at 4 mAh/cm²).")
    else:
        why = ("Host anode (graphite, silicon): N/P must stay above 1 (usually 1.05-1.2) or lithium plates on "
               "the anode when charging; each 0.1 above costs anode mass and volume.")
    if np_ratio is not None and np_ratio < 1 and not li_metal:
        why += f" <b>This design's N/P {fmt(np_ratio, 3)} is below 1.</b>"
    return [Table(columns=[Column("Quantity", width_pct=35), Column("This design", width_pct=65)], rows=rows,
                  space_before_pt=2),
            Html(fragment=f'<p class="small">{why}</p>', space_before_pt=2)]


def _source_blocks(design: Design, result):
    """Against the source: where a preset's paper reports a figure, how far this model lands."""
    from core.rules import reported_comparison
    comps = reported_comparison(design, result)
    if not comps:
        return []
    rows = []
    for c in comps:
        unit = c["unit"]
        dev = c["deviation"] * 100
        rows.append([_e(c["source"]), f"{_e(c['level'])}", f"{fmt(c['reported'], 3)} {unit}",
                     f"{fmt(c['model'], 3)} {unit}",
                     (f'<span class="neg"><b>{dev:+.0f} %</b></span>' if c["departs"] else f"{dev:+.0f} %"),
                     _e(c["note"]) if c["note"] else ("<i>not explained</i>" if c["departs"] else "")])
    cols = [Column("Source", width_pct=24), Column("Level", width_pct=9), Column("Reported", True, 11),
            Column("This model", True, 11), Column("Δ", True, 8), Column("Why", width_pct=37)]
    departs = any(c["departs"] for c in comps)
    lead = ("<p><b>This design departs from its source</b> (more than 10 % from a figure the source "
            "reports); the reason is given beside the numbers.</p>" if departs else
            "<p>Figures the design's source reports, against this model.</p>")
    return [Html(fragment=lead, space_before_pt=4, keep_with_next=True), Table(columns=cols, rows=rows)]


def _literature_blocks(design: Design, result):
    """The demonstrations table: pouch and bipolar cells reported in the field, with this design."""
    from core.literature import demonstrations, rank_among_demonstrations
    demos = demonstrations()
    if not demos:
        return []
    kg, wl = result.values["gravimetric_Wh_kg"], result.values["volumetric_Wh_L"]
    rank = rank_among_demonstrations(kg, wl)
    rows = [["<b>this</b>", "<b>This design</b>", _e(design.name), _e(design.stacking.type),
             f"<b>{fmt(kg, 3)} Wh/kg, {fmt(wl, 3)} Wh/L</b> (pouch, modelled)", ""]]
    for r in sorted(demos, key=lambda r: str(r["year"])):
        rows.append([_e(r["year"]), _e(r["group"]), _e(r["configuration"]), _e(r["stacking"]),
                     _e(f"{r['format']}; {r['reported']}"), _e(r["citation"])])
    cols = [Column("Year", width_pct=6), Column("Group", width_pct=13), Column("Cell", width_pct=21),
            Column("Stacking", width_pct=11), Column("Reported", width_pct=20), Column("Source", width_pct=29)]
    lead = (f"<p>Pouch and bipolar solid-state cells reported in the field (resources/data/demonstrations.csv). "
            f"This design, at pouch level, is above {rank['Wh_kg'][0]} of the {rank['Wh_kg'][1]} that report "
            f"Wh/kg and {rank['Wh_L'][0]} of the {rank['Wh_L'][1]} that report Wh/L; reported figures use "
            f"their authors' definitions of mass and volume.</p>")
    return [Html(fragment=lead, space_before_pt=2, keep_with_next=True), Table(columns=cols, rows=rows)]


def _design_blocks(design: Design, ident, result, heading_prefix: str = "", options=None):
    options = options or ReportOptions()
    blocks = []
    if heading_prefix:
        blocks.append(Heading(text=f"{heading_prefix}{design.name}", level=1, space_before_pt=0))
        blocks.append(Html(fragment=_kv_table([
            ("Design file", _e(ident.file_label)),
            ("sha256", f'<span class="mono">{_e(ident.sha256)}</span><br/><span class="small">'
                       f'{_e(ident.hash_basis)}</span>')]), space_before_pt=2))
    blocks.append(Html(fragment=_key_figures(result), space_before_pt=8))
    blocks += _source_blocks(design, result)
    if design.notes:
        blocks.append(Html(fragment=f'<p class="small"><b>Notes.</b> {_e(design.notes)}</p>', space_before_pt=6))
    blocks.append(Heading(text="Warnings"))
    blocks.append(Html(fragment=_warnings_fragment(result), space_before_pt=2))

    blocks.append(Heading(text="Unit cell"))
    blocks.append(Html(fragment='<p class="small">One electrochemical cell, from the positive to the negative '
                                'collector. <b>Bold</b> values are given in the design; the others are derived by '
                                'the model. Thickness µm, loading (areal mass) mg/cm², areal capacity mAh/cm², '
                                'specific capacity mAh/g, voltage V vs Li/Li⁺, overhang mm beyond the cathode on '
                                'every side, area cm² of one layer.</p>', space_before_pt=2, keep_with_next=True))
    rows, classes = _layer_rows(design, result)
    blocks.append(Table(columns=[Column("#", width_pct=3), Column("Layer", width_pct=13),
                                 Column("Material / composition", width_pct=20),
                                 Column("Thick-<br/>ness<br/>µm", True, 8), Column("Load-<br/>ing<br/>mg/cm²", True, 8),
                                 Column("Den-<br/>sity<br/>g/cm³", True, 8), Column("Areal<br/>cap.<br/>mAh/cm²", True, 8),
                                 Column("Spec.<br/>cap.<br/>mAh/g", True, 8), Column("Volt-<br/>age<br/>V", True, 8),
                                 Column("Over-<br/>hang<br/>mm", True, 8), Column("Area<br/><br/>cm²", True, 8)],
                        rows=rows, row_classes=classes, space_before_pt=3))
    blocks.append(_cross_section_figure(design, result))
    blocks.append(Heading(text="Materials data used", level=3, space_before_pt=10))
    blocks += _materials_blocks(design)

    blocks.append(Heading(text="Stacking and packaging"))
    blocks.append(Html(fragment=_stacking_fragment(design, result), space_before_pt=2))

    blocks.append(Heading(text="Results: unit cell, stack and pouch cell"))
    blocks.append(_results_table(result))
    v = result.values
    extra = [f"cathode areal capacity {fmt(v['cathode_areal_capacity_mAh_cm2'])} mAh/cm²",
             f"cathode loading {fmt(v['cathode_loading_mg_cm2'])} mg/cm²",
             f"N/P ratio {fmt(v['np_ratio'], 3)}" if v.get("np_ratio") is not None else "no anode (N/P not defined)"]
    blocks.append(Html(fragment=f'<p class="small">Also: {_e("; ".join(extra))}. Unit-cell level: the repeat unit '
                                f'with collectors counted by their share (per cm² of cathode; volume over the stack '
                                f'footprint). Stack: no laminate, tabs or seals. Pouch cell: volume on the '
                                f'{_e(design.packaging.volume_basis)} basis, {_e(design.volume_state)} state.</p>',
                       space_before_pt=3))
    blocks.append(Heading(text="Mass and volume breakdown"))
    blocks.append(_breakdown_table(result))
    blocks.append(_breakdown_figure(result))
    from .life import life_blocks  # MODEL.md steps 8-12
    blocks += life_blocks(design, result)
    blocks.append(Heading(text="N/P ratio"))
    blocks += _np_blocks(design, result)
    blocks.append(Heading(text="Sensitivity and targets"))
    blocks += _sensitivity_blocks(design, result, options)
    from .confidence import confidence_blocks  # Monte-Carlo, histogram, tornado
    blocks += confidence_blocks(design)
    blocks.append(Heading(text="Among reported cells"))
    blocks += _literature_blocks(design, result)
    return blocks


def _assumption_blocks():
    items = "".join(f"<li><b>{_e(t)}.</b> {_e(x)}</li>" for t, x in ASSUMPTIONS)
    nots = "".join(f"<li>{_e(x)}</li>" for x in NOT_MODELLED)
    return [PageBreak(),
            Heading(text="Model assumptions", space_before_pt=0),
            Html(fragment=f"<p>The numbers in this report come from the per-area energy-density model of SSB Pouch "
                          f"Designer {_e(__version__)}. It is an accounting of masses, volumes, capacities and "
                          f"voltages, stated here so a reviewer can judge it:</p><ul>{items}</ul>",
                 space_before_pt=2),
            Heading(text="Not modelled"),
            Html(fragment=f"<ul>{nots}</ul><p class=\"small\">Treat the results as the ceiling a design can reach "
                          f"with the stated materials data, not as a prediction of a built cell's performance. "
                          f"Reference: Wang, Kim, Wang, Sun, Adv. Mater. 2023, doi 10.1002/adma.202209074.</p>",
                 space_before_pt=2)]


# --------------------------------------------------------------------------- comparison
def _comparison_blocks(entries):

    designs = [d for d, _, _ in entries]
    results = [r for _, _, r in entries]
    tags = ["Ref."] + [chr(ord("A") + i) for i in range(1, len(entries))]
    blocks = [Heading(text="Results side by side")]
    cols = [Column("Result", width_pct=26)] + [Column(f"{t}: {_e(_short(d.name))}", True) for t, d in zip(tags, designs)]
    rows = []
    for row in compare_results(results):
        cells = [f"{_e(row.label)}" + (f" <span class=\"small\">{_e(row.unit)}</span>" if row.unit else "")]
        for i, v in enumerate(row.values):
            txt = f"<b>{fmt(v)}</b>" if i == 0 else fmt(v)
            if i > 0:
                txt += f"<br/>{_signed_html(row.deltas[i], row.percents[i], key=row.key)}"
            cells.append(txt)
        rows.append(cells)
    blocks.append(Html(fragment='<p class="small">Deltas are against the reference (Ref.), the first design.</p>',
                       space_before_pt=2, keep_with_next=True))
    blocks.append(Table(columns=cols, rows=rows, space_before_pt=2))
    from .life import life_comparison_blocks  # MODEL.md steps 8-12
    blocks += life_comparison_blocks(designs, results, tags)

    # unit cells side by side, layer by layer
    keys: list = []
    for d in designs:
        for k in layer_keys(d.unit_cell):
            if k not in keys:
                keys.append(k)
    order = {r: i for i, r in enumerate(("positive_collector", "cathode", "separator", "interlayer", "anode",
                                         "negative_collector"))}
    keys.sort(key=lambda k: (order.get(k[0], 9), k[1]))
    lrows = []
    for key in keys:
        cells = [None]
        for d, r in zip(designs, results):
            ks = layer_keys(d.unit_cell)
            if key in ks:
                i = ks.index(key)
                layer, info = d.unit_cell[i], r.layers[i]
                if cells[0] is None:
                    count = sum(1 for k in ks if k[0] == key[0])
                    cells[0] = _e(layer_title(layer, key[1], count))
                txt = f"{_e(fmt_composition(layer))}<br/>{fmt(info.thickness_um, 3)} µm · " \
                      f"{fmt(info.loading_mg_cm2, 3)} mg/cm²"
                if info.areal_capacity_mAh_cm2 is not None:
                    txt += f" · {fmt(info.areal_capacity_mAh_cm2, 3)} mAh/cm²"
                cells.append(txt)
            else:
                cells.append('<span class="muted">none</span>')
        cells[0] = cells[0] or _e(ROLE_LABELS.get(key[0], key[0]))
        lrows.append(cells)
    blocks.append(Heading(text="Unit cells layer by layer", level=3, space_before_pt=10))
    blocks.append(Table(columns=[Column("Layer", width_pct=16)] + [Column(f"{t}: {_e(_short(d.name))}")
                                                                   for t, d in zip(tags, designs)], rows=lrows))

    for i in range(1, len(entries)):
        c = compare(designs[0], designs[i], designs[0].name, designs[i].name, results[0], results[i])
        blocks.append(Heading(text=f"{tags[i]} vs reference: what makes the difference"))
        blocks.append(Html(fragment=f'<p class="small">{tags[i]}: {_e(designs[i].name)}; reference: '
                                    f'{_e(designs[0].name)}.</p>', space_before_pt=2, keep_with_next=True))
        if c.identical:
            blocks.append(Html(fragment="<p><b>No differences:</b> the two designs are identical in every input, "
                                        "so every delta is 0.</p>", space_before_pt=2))
            continue
        blocks.append(Html(fragment=(
            "<p>Each difference below was put alone into the reference design and evaluated (a one-at-a-time "
            "sensitivity); the list is sorted by its effect on the pouch cell's Wh/kg. The effects need not add "
            "up to the total: changes also act through each other.</p>"), space_before_pt=2, keep_with_next=True))
        arows = []
        for n, a in enumerate(c.attributions, start=1):
            d = a.difference
            change = (f"<b>{_e(d.item)}</b>: {_e(d.what)}<br/>{_e(d.ref_text)} → {_e(d.other_text)}")
            if a.deltas is None:
                arows.append([str(n), change] + [f'<span class="small">{_e(a.error)}</span>']
                             + [""] * (len(ATTRIBUTION_KEYS) - 1))
            else:
                arows.append([str(n), change] + [_signed_html(a.deltas[k], key=k) for k in ATTRIBUTION_KEYS])
        arows.append(["", "<b>Sum of the single effects</b>"] + [_signed_html(c.sum_alone[k], key=k) for k in ATTRIBUTION_KEYS])
        arows.append(["", "<b>Total difference</b> (all changes together)"]
                     + [_signed_html(c.total[k], key=k) for k in ATTRIBUTION_KEYS])
        classes = [""] * (len(arows) - 2) + ["total", ""]
        key_w = min(14.0, 62.0 / len(ATTRIBUTION_KEYS))
        blocks.append(Table(columns=[Column("#", width_pct=4), Column("Difference (reference → this design)",
                                                                      width_pct=96 - key_w * len(ATTRIBUTION_KEYS))]
                            + [Column(_e(ATTRIBUTION_LABELS[k]).replace(' pouch', '<br/>pouch cell').replace(' stack', '<br/>stack')
                                      .replace(' system', '<br/>system').replace(' at rate', '<br/>at rate'),
                                     True, key_w) for k in ATTRIBUTION_KEYS],
                            rows=arows, row_classes=classes, space_before_pt=3))
        shown = [a for a in c.attributions if a.deltas is not None][:12]
        if shown:
            def bar(a, key):
                v = a.deltas[key]
                return Bar(f"{a.difference.item}: {a.difference.what}", v,
                           QColor("#1e7a34" if v > 0 else "#b03a2e" if v < 0 else "#999999"), fmt_delta(v))
            img = draw_bar_panels(f"{tags[i]} vs reference: effect of each difference alone",
                                  [("Δ pouch Wh/kg", [bar(a, "gravimetric_Wh_kg") for a in shown]),
                                   ("Δ pouch Wh/L", [bar(a, "volumetric_Wh_L") for a in shown])], signed=True)
            blocks.append(Figure(image=img, width_mm=170, alt="Attribution of the differences",
                                 caption=f"The {len(shown)} largest single effects. Interaction (total minus the sum "
                                         f"of single effects): {_e(fmt_delta(c.interaction()))} Wh/kg."))
    return blocks


# --------------------------------------------------------------------------- building
def build_report(designs, now: datetime | None = None, options: ReportOptions | None = None):
    """The report's blocks (see gui.report.layout) for `designs`: list of (Design, path or None);
    `options`: the targets and level to state (the app's; default: the review's)."""
    options = options or ReportOptions()
    if not designs:
        raise DesignError("designs: give at least one design")
    now = now or datetime.now().astimezone()
    entries = []
    for design, path in designs:
        entries.append((design, design_identity(design, None if path is None else str(path)), evaluate(design)))
    blocks = _title_blocks(entries, now)
    date = now.strftime("%Y-%m-%d")
    if len(entries) == 1:
        d, ident, r = entries[0]
        blocks += _design_blocks(d, ident, r, options=options)
        title = f"Design review: {d.name}"
        footer = f"{ident.file_label} · sha256 {ident.short}…"
    else:
        blocks += _comparison_blocks(entries)
        tags = ["Reference"] + [f"Design {chr(ord('A') + i)}" for i in range(1, len(entries))]
        for tag, (d, ident, r) in zip(tags, entries):
            blocks.append(PageBreak())
            blocks += _design_blocks(d, ident, r, heading_prefix=f"{tag}: ", options=options)
        title = "Design comparison: " + " vs ".join(d.name for d, _, _ in entries[:3]) + (
            " …" if len(entries) > 3 else "")
        footer = f"{len(entries)} designs · reference: {entries[0][0].name}"
    blocks += _assumption_blocks()
    return Report(title=title, blocks=blocks, header_right=f"SSB Pouch Designer {__version__} · {date}",
                  footer_left=footer)


def export_report(designs, out_path, page_size: str = "A4", now: datetime | None = None,
                  options: ReportOptions | None = None) -> ReportInfo:
    """Write a design-review report of `designs` (list of (core.Design, path or None); two or more
    make a comparison against the first) to `out_path`, PDF or HTML by its extension.
    Raises ValueError (incl. core.DesignError) for bad arguments, OSError when it cannot write."""
    t0 = time.perf_counter()
    fmt_ = report_format(out_path)
    size = normalise_page_size(page_size)
    designs = [(d, p) for d, p in designs]
    ensure_qt_app()
    report = build_report(designs, now, options)
    pages = None
    if fmt_ == "pdf":
        pages = write_pdf(report, out_path, size)
    else:
        write_html(report, out_path, size)
    return ReportInfo(str(out_path), fmt_, pages, os.path.getsize(out_path), time.perf_counter() - t0)


# --------------------------------------------------------------------------- command line
def _page_size_arg(value: str) -> str:
    import argparse
    try:
        return normalise_page_size(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _load(spec: str):
    """A design argument: a file path, or preset:NAME for a built-in preset."""
    from core.presets import preset_path
    if spec.startswith("preset:") and not Path(spec).exists():
        path = preset_path(spec[len("preset:"):])
        return load_design(path), str(path)
    return load_design(spec), spec


def _cmd_report(args) -> int:
    from core.cli import CliError
    out = Path(args.output)
    if out.is_dir():
        raise CliError(f"-o/--output: {out} is a folder; give a file name ending in .pdf or .html")
    try:
        report_format(out)
    except ValueError as e:
        raise CliError(f"-o/--output: {e}") from None
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise CliError(f"-o/--output: folder {parent} does not exist")
    designs = []
    for spec in args.files:
        try:
            designs.append(_load(spec))
        except DesignError as e:
            raise DesignError(e.problems[0] if spec in str(e) or Path(spec).name in str(e)
                              else f"{spec}: {e}") from None
    try:
        options = ReportOptions(args.target_wh_kg, args.target_wh_l, args.level)
    except ValueError as e:
        raise CliError(str(e).replace("target_Wh_kg", "--target-wh-kg").replace("target_Wh_L", "--target-wh-l")) from None
    info = export_report(designs, out, args.page_size, options=options)
    pages = f"{info.pages} pages, " if info.pages else ""
    print(f"wrote {out} ({pages}{info.bytes / 1024:.0f} kB, {info.seconds:.2f} s)", file=sys.stderr)
    return 0


def install_cli(subparsers) -> None:
    """Add the `report` subcommand to the command line's subparsers (see main.py)."""
    r = subparsers.add_parser(
        "report", help="write a design-review report (PDF or HTML); with two or more designs, a comparison",
        description="Write a design-review report of a design file as PDF or HTML (by the output's "
                    "extension). With two or more designs: a comparison against the first.")
    r.add_argument("files", nargs="+", metavar="FILE",
                   help="design file(s); the first is the reference of a comparison; preset:NAME for a preset")
    r.add_argument("-o", "--output", required=True, help="the report file: NAME.pdf or NAME.html")
    r.add_argument("--page-size", default="A4", type=_page_size_arg, metavar="{A4,Letter}",
                   help="paper size of the PDF and the HTML's print style (default A4)")
    r.add_argument("--target-wh-kg", type=float, default=None, metavar="X",
                   help="the Wh/kg target the report states (default: the review's, 400 or 500 for Li-S)")
    r.add_argument("--target-wh-l", type=float, default=None, metavar="X",
                   help="the Wh/L target the report states (default 1000)")
    r.add_argument("--level", choices=tuple(LEVELS), default="stack",
                   help="the level the targets apply to (default stack)")
    r.set_defaults(func=_cmd_report)
