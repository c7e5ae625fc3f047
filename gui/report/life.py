"""Report sections for MODEL.md steps 8-12: "Lithium over life", "Volume states", "Stack
pressure and system level", "Rate (ohmic estimate)" (with the design's Ragone plot) and
"Materials cost". Each states the inputs it used and its simplifications
(core.model.ASSUMPTIONS). `life_blocks(design, result)` for one design;
`life_comparison_blocks(designs, results, tags)` for a comparison (with the Ragone plot of
every compared design, `ragone_figure`).

Numbers that do not apply or are unbounded read '–' with the reason beside them.
"""
from __future__ import annotations

from html import escape

from PySide6.QtGui import QColor

from core.design import Lithium, Operation
from core.model import ASSUMPTIONS, ragone

from .charts import DESIGN_COLORS, LineChart, Marker, Series, draw_loglog_chart
from .data import fmt
from .layout import Column, Figure, Heading, Html, Table
from ..compare_life import COST_NOTE, RATE_NOTE, c_rate_text, why_missing

SECTIONS = ("Lithium over life", "Volume states", "Stack pressure and system level", "Rate (ohmic estimate)",
            "Materials cost")


def _e(text) -> str:
    return escape(str(text), quote=False)


def _kv(pairs) -> str:
    rows = "".join(f'<tr><td class="k" width="42%">{_e(k)}</td><td>{v}</td></tr>' for k, v in pairs)
    return f'<table class="kv" width="100%" cellspacing="0" cellpadding="2">{rows}</table>'


def _val(design, v: dict, key: str, unit: str = "", sig: int = 4) -> str:
    x = v.get(key)
    if x is None:
        return f'– <span class="small">({_e(why_missing(key, design, v))})</span>'
    return f"<b>{_e(fmt(x, sig))}</b> {_e(unit)}".strip()


def _assume(name: str, extra: str = "") -> Html:
    text = (extra + " " if extra else "") + ASSUMPTIONS[name]
    return Html(fragment=f'<p class="small"><i>Assumptions.</i> {_e(text)}</p>', space_before_pt=2)


def _inputs(text: str) -> Html:
    return Html(fragment=f'<p class="small"><i>Inputs used.</i> {text}</p>', space_before_pt=2,
                keep_with_next=True)


def _pct(x: float) -> str:
    return f"{fmt(x * 100.0, 6)} %"


# --------------------------------------------------------------------------- one design
def lithium_blocks(design, result) -> list:
    v = result.values
    li = design.lithium
    given = li is not None
    li = li or Lithium()
    src = "the design's lithium block" if given else "no lithium block: the defaults of a perfect cell"
    blocks = [Heading(text="Lithium over life"),
              _inputs(f"{_e(src)}: formation efficiency <b>{_e(_pct(li.formation_efficiency))}</b>, Coulombic "
                      f"efficiency <b>{_e(_pct(li.coulombic_efficiency))}</b>, end of life at "
                      f"<b>{_e(_pct(li.end_of_life_retention))}</b> of the reversible capacity, cycle target "
                      f"<b>{li.cycle_target}</b>.")]
    blocks.append(Html(fragment=_kv([
        ("Cycling capacity (before formation)", _val(design, v, "areal_capacity_mAh_cm2", "mAh/cm²")),
        ("Lithium reservoir", _val(design, v, "li_reservoir_mAh_cm2", "mAh/cm²")),
        ("Formation loss", _val(design, v, "formation_loss_mAh_cm2", "mAh/cm²")),
        ("Reversible capacity", _val(design, v, "reversible_areal_capacity_mAh_cm2", "mAh/cm²")),
        ("Cycles at full capacity", _val(design, v, "cycles_at_full_capacity", "cycles")),
        ("Cycle life", _val(design, v, "cycle_life", "cycles")),
        ("Li foil for the cycle target", _val(design, v, "required_li_foil_um", "µm")),
    ]), space_before_pt=2))
    warn = [w for w in result.warnings if w.startswith(("Cycle target not met", "Formation takes"))]
    if warn:
        blocks.append(Html(fragment="".join(f'<p class="warn">{_e(w)}</p>' for w in warn), space_before_pt=2))
    blocks.append(_assume("lithium"))
    return blocks


def states_blocks(design, result) -> list:
    v = result.values
    head = design.volume_state
    rows = []
    for label, key, unit in (("Pouch cell energy density", "volumetric_Wh_L", "Wh/L"),
                             ("Stack energy density", "stack_volumetric_Wh_L", "Wh/L"),
                             ("Pouch cell thickness", "thickness_mm", "mm"),
                             ("Pouch cell volume", "volume_cm3", "cm³")):
        rows.append([f"{_e(label)} <span class=\"small\">{_e(unit)}</span>",
                     _val(design, v, f"{key}_charged"), _val(design, v, f"{key}_discharged")])
    layers = []
    for layer, info in zip(design.unit_cell, result.layers):
        if info.thickness_charged_um != info.thickness_discharged_um:
            layers.append(f"{_e(layer.display_name())} {fmt(info.thickness_charged_um)} µm charged, "
                          f"{fmt(info.thickness_discharged_um)} µm discharged")
    return [Heading(text="Volume states"),
            _inputs(f"the layers as the design gives them (as built), each material's lithiated volume ratio; "
                    f"headline state <b>{_e(head)}</b> (volume_state). Mass is the same in both states."),
            Table(columns=[Column("Quantity", width_pct=40), Column("Charged", True, 30),
                           Column("Discharged", True, 30)], rows=rows, space_before_pt=2, min_rows=len(rows)),
            Html(fragment=f'<p class="small">Per unit cell: plated Li in the headline state '
                          f'{fmt(result.plated_li_um)} µm'
                          + ("; " + "; ".join(layers) if layers else "; no layer swells") + ".</p>",
                 space_before_pt=2),
            _assume("states")]


def fixture_blocks(design, result) -> list:
    v = result.values
    fx = design.fixture
    blocks = [Heading(text="Stack pressure and system level")]
    if fx is None:
        blocks.append(Html(fragment='<p>No stack-pressure fixture in this design: the system level equals the '
                                    f'pouch cell ({fmt(v["system_gravimetric_Wh_kg"])} Wh/kg, '
                                    f'{fmt(v["system_volumetric_Wh_L"])} Wh/L).</p>', space_before_pt=2))
        blocks.append(_assume("fixture"))
        return blocks
    lib = design.library()
    mat = lib.get(fx.plate_material)
    sy = f"{fmt(mat.yield_strength_MPa)} MPa yield, {fmt(mat.density_g_cm3)} g/cm³" if mat is not None else ""
    t = "sized by the model" if fx.plate_thickness_mm is None else f"given: <b>{fmt(fx.plate_thickness_mm)}</b> mm"
    blocks.append(_inputs(f"pressure <b>{fmt(fx.pressure_MPa)}</b> MPa over the outline "
                          f"{fmt(result.outline_mm[0])} × {fmt(result.outline_mm[1])} mm; plates and tie rods of "
                          f"<b>{_e(fx.plate_material)}</b> ({_e(sy)}); <b>{fx.cells_per_fixture}</b> pouch cell(s) per "
                          f"fixture; safety factor <b>{fmt(fx.safety_factor)}</b>; plate thickness {t}."))
    rows = [["Specific energy", "Wh/kg", _val(design, v, "gravimetric_Wh_kg"),
             _val(design, v, "system_gravimetric_Wh_kg")],
            ["Energy density", "Wh/L", _val(design, v, "volumetric_Wh_L"), _val(design, v, "system_volumetric_Wh_L")],
            ["Mass", "g", _val(design, v, "mass_g"), f"<b>{fmt(v['mass_g'] + (v.get('fixture_mass_g') or 0))}</b>"],
            ["Volume", "cm³", _val(design, v, "volume_cm3"),
             f"<b>{fmt(v['volume_cm3'] + (v.get('fixture_volume_cm3') or 0))}</b>"]]
    blocks.append(Table(columns=[Column("Level", width_pct=34), Column("Unit", width_pct=14),
                                 Column("Pouch cell", True, 26), Column("System (pouch + fixture share)", True, 26)],
                        rows=rows, space_before_pt=2, min_rows=len(rows)))
    blocks.append(Html(fragment=_kv([
        ("End plate thickness (each of two)", _val(design, v, "fixture_plate_thickness_mm", "mm")),
        ("Clamp force", _val(design, v, "fixture_clamp_force_kN", "kN")),
        ("Tie-rod cross-section (total)", _val(design, v, "fixture_rod_area_mm2", "mm²")),
        ("Fixture mass per cell", _val(design, v, "fixture_mass_g", "g")),
        ("Fixture volume per cell", _val(design, v, "fixture_volume_cm3", "cm³")),
    ]), space_before_pt=3))
    blocks.append(_assume("fixture"))
    return blocks


def rate_blocks(design, result) -> list:
    v = result.values
    op = design.operation
    given = op is not None
    op = op or Operation()
    blocks = [Heading(text="Rate (ohmic estimate)"),
              _inputs(f"{'the design’s operation block' if given else 'no operation block, the defaults'}: "
                      f"<b>{fmt(op.c_rate, 3)}</b> C, interface ASR <b>{fmt(op.interface_asr_ohm_cm2)}</b> Ω·cm²; "
                      f"each layer's ionic conductivity (its own measured value, else its material's, else "
                      f"Bruggeman over its electrolyte components).")]
    rows = []
    for layer, info in zip(design.unit_cell, result.layers):
        if info.ionic_conductivity_S_cm is None or layer.role not in ("separator", "interlayer", "cathode", "anode"):
            continue
        how = ("measured (this layer)" if layer.ionic_conductivity_S_cm is not None else
               "material" if len(layer.component_list()) == 1 else "Bruggeman")
        rows.append([_e(layer.display_name()), _e(layer.role), f"{fmt(info.ionic_conductivity_S_cm * 1000)} mS/cm",
                     _e(how)])
    parts = [["Separator", _val(design, v, "asr_separator_ohm_cm2")], ["Cathode", _val(design, v, "asr_cathode_ohm_cm2")],
             ["Anode", _val(design, v, "asr_anode_ohm_cm2")], ["Interlayer", _val(design, v, "asr_interlayer_ohm_cm2")],
             ["Interface", _val(design, v, "asr_interface_ohm_cm2")], ["Total ASR", _val(design, v, "asr_ohm_cm2")]]
    blocks.append(Table(columns=[Column("Area-specific resistance", width_pct=60), Column("Ω·cm²", True, 40)],
                        rows=parts, row_classes=[""] * 5 + ["total"], space_before_pt=2, min_rows=len(parts)))
    if rows:
        blocks.append(Table(columns=[Column("Layer", width_pct=35), Column("Role", width_pct=20),
                                     Column("Ionic conductivity", True, 25), Column("From", width_pct=20)],
                            rows=rows, space_before_pt=3))
    blocks.append(Html(fragment=_kv([
        ("Current density", _val(design, v, "current_density_mA_cm2", "mA/cm²")),
        ("Voltage at rate", _val(design, v, "voltage_at_rate_V", "V") + f" (at rest {fmt(v['voltage_V'], 4)} V)"),
        ("Pouch cell specific energy at rate", _val(design, v, "gravimetric_Wh_kg_at_rate", "Wh/kg")),
        ("Pouch cell energy density at rate", _val(design, v, "volumetric_Wh_L_at_rate", "Wh/L")),
        ("C-rate at a 10 % voltage drop", _val(design, v, "c_rate_at_10pct_drop", "C")),
    ]), space_before_pt=3))
    blocks.append(ragone_figure([design.name], [design], [result], width_mm=130, height_mm=72))
    blocks.append(_assume("rate", RATE_NOTE))
    return blocks


def ragone_figure(labels, designs, results, width_mm: float = 170, height_mm: float = 95) -> Figure:
    """The Ragone plot (core.model.ragone) of one or more designs, one colour each, the first
    solid; a dot at each design's operating C-rate. The caption says it is an ohmic estimate."""
    series, markers, notes = [], [], []
    for i, (label, d, r) in enumerate(zip(labels, designs, results)):
        col = QColor(DESIGN_COLORS[i % len(DESIGN_COLORS)])
        rg = ragone(d)
        short = label if len(label) <= 60 else label[:59].rstrip() + "…"   # the legend fits the plot
        series.append(Series(rg["W_kg"], rg["Wh_kg"], short, col, dashed=i > 0))
        v = r.values
        markers.append(Marker(v["gravimetric_W_kg_at_rate"], v["gravimetric_Wh_kg_at_rate"], "", col))
        ok = [w > 0 and e > 0 for w, e in zip(rg["W_kg"], rg["Wh_kg"])]
        if not any(ok):
            notes.append(f"{label}: no curve, the design has no energy at rate from 0.05 C on (no voltage or "
                         f"reversible capacity, or an ohmic drop beyond the voltage)")
        elif not v["asr_ohm_cm2"] > 0:
            notes.append(f"{label}: no resistance known (ASR 0), its curve is drawn to "
                         f"{fmt(float(rg['c_rate'][-1]))} C without a voltage drop")
    many = len(designs) > 1
    chart = LineChart("Ragone plot (ohmic estimate)" + (": the compared designs" if many else ""),
                      "Specific power at rate (W/kg, pouch cell, log scale)",
                      "Wh/kg at rate (pouch cell, log)", series, markers=markers)
    img = draw_loglog_chart(chart, width_mm, height_mm)
    ops = "; ".join(f"{_e(label)} {_e(c_rate_text(r.values['c_rate']))}: "
                    f"{fmt(r.values['gravimetric_Wh_kg_at_rate'])} Wh/kg, "
                    f"{fmt(r.values['gravimetric_W_kg_at_rate'])} W/kg" for label, r in zip(labels, results))
    caption = (f"Pouch cell Wh/kg at rate against W/kg (= C-rate × Wh/kg at rate), from 0.05 C to the C-rate where "
               f"the ohmic drop is half the voltage{', one curve per design' if many else ''}. Dots: the operating "
               f"C-rate ({ops}). {_e(RATE_NOTE)}" + "".join(f" {_e(n)}." for n in notes))
    return Figure(image=img, width_mm=width_mm, alt="Ragone plot", caption=caption)


def cost_blocks(design, result) -> list:
    v = result.values
    rows = []
    total = v["materials_cost_USD"]
    for b in result.breakdown:
        if b.cost_USD or b.mass_g:
            rows.append([_e(b.label), fmt(b.mass_g) if b.mass_g else "–", f"{b.cost_USD:.3f}" if b.cost_USD else "–",
                         f"{b.cost_USD / total * 100:.1f}" if total and b.cost_USD else "–"])
    rows.append(["Pouch cell", fmt(v["mass_g"]), f"{total:.2f}", "100"])
    lib = design.library()
    prices = []
    for name in sorted({c.material for layer in design.unit_cell for c in layer.component_list()}):
        m = lib.get(name)
        if m is None:
            continue
        src = "no price: not counted" if m.price_USD_kg is None else (
            f"{fmt(m.price_USD_kg)} USD/kg, "
            + ("assumed " if m.price_assumed and "assum" not in m.price_source.lower() else "")
            + (m.price_source or ""))
        prices.append(f"{_e(name)}: {_e(src.strip())}")
    from core.materials import laminate_price, laminate_price_source
    pk = design.packaging
    lam = (f"{fmt(pk.laminate_price_USD_m2)} USD/m² (this design)" if pk.laminate_price_USD_m2 is not None else
           f"{fmt(laminate_price())} USD/m², {laminate_price_source()}")
    blocks = [Heading(text="Materials cost"),
              _inputs("each material's price per kg (source or stated assumption): " + "; ".join(prices)
                      + f"; pouch laminate {_e(lam)}."),
              Html(fragment=_kv([("Materials cost per cell", _val(design, v, "materials_cost_USD", "USD", 4)),
                                 ("Materials cost per kWh", _val(design, v, "cost_USD_kWh", "USD/kWh", 4))]),
                   space_before_pt=2),
              Table(columns=[Column("Component", width_pct=40), Column("Mass g", True, 20), Column("Cost USD", True, 20),
                             Column("Cost %", True, 20)], rows=rows,
                    row_classes=[""] * (len(rows) - 1) + ["total"], space_before_pt=3, min_rows=len(rows)),
              _assume("cost", COST_NOTE)]
    return blocks


def life_blocks(design, result) -> list:
    """The five sections for one design (the single-design report and each design of a comparison)."""
    return (lithium_blocks(design, result) + states_blocks(design, result) + fixture_blocks(design, result)
            + rate_blocks(design, result) + cost_blocks(design, result))


# --------------------------------------------------------------------------- comparison
def life_comparison_blocks(designs, results, tags) -> list:
    """One table of the step 8-12 figures side by side, with the inputs of each design."""
    from ..compare_life import fixture_text, lithium_text, operation_text
    groups = (
        ("Lithium over life", (("reversible_areal_capacity_mAh_cm2", "Reversible capacity", "mAh/cm²"),
                               ("formation_loss_mAh_cm2", "Formation loss", "mAh/cm²"),
                               ("cycle_life", "Cycle life", "cycles"),
                               ("required_li_foil_um", "Li foil for the target", "µm"))),
        ("Volume states", (("volumetric_Wh_L_charged", "Pouch Wh/L, charged", "Wh/L"),
                           ("volumetric_Wh_L_discharged", "Pouch Wh/L, discharged", "Wh/L"),
                           ("stack_volumetric_Wh_L_charged", "Stack Wh/L, charged", "Wh/L"),
                           ("stack_volumetric_Wh_L_discharged", "Stack Wh/L, discharged", "Wh/L"))),
        ("Stack pressure and system level", (("fixture_plate_thickness_mm", "End plate thickness", "mm"),
                                             ("fixture_mass_g", "Fixture mass per cell", "g"),
                                             ("system_gravimetric_Wh_kg", "System Wh/kg", "Wh/kg"),
                                             ("system_volumetric_Wh_L", "System Wh/L", "Wh/L"))),
        ("Rate (ohmic estimate)", (("asr_ohm_cm2", "ASR", "Ω·cm²"), ("c_rate", "Operating C-rate", "C"),
                                   ("voltage_at_rate_V", "Voltage at rate", "V"),
                                   ("energy_Wh_at_rate", "Energy at rate", "Wh"),
                                   ("gravimetric_Wh_kg_at_rate", "Wh/kg at rate", "Wh/kg"),
                                   ("volumetric_Wh_L_at_rate", "Wh/L at rate", "Wh/L"),
                                   ("c_rate_at_10pct_drop", "C-rate at a 10 % drop", "C"))),
        ("Materials cost", (("materials_cost_USD", "Materials cost per cell", "USD"),
                            ("cost_USD_kWh", "Materials cost per kWh", "USD/kWh"))),
    )
    cols = [Column("Result", width_pct=30)] + [Column(f"{t}: {_e(d.name[:30])}", True) for t, d in zip(tags, designs)]
    rows, classes = [], []
    inputs = (("Lithium block", lithium_text), ("Fixture block", fixture_text), ("Operation block", operation_text))
    for label, fn in inputs:
        rows.append([_e(label)] + [f'<span class="small">{_e(fn(getattr(d, label.split()[0].lower())))}</span>'
                                   for d in designs])
        classes.append("")
    for title, keys in groups:
        rows.append([f"<b>{_e(title)}</b>"] + [""] * len(designs))
        classes.append("total")
        for key, label, unit in keys:
            cells = [f"{_e(label)} <span class=\"small\">{_e(unit)}</span>"]
            for d, r in zip(designs, results):
                x = r.values.get(key)
                cells.append(fmt(x) if x is not None else
                             f'– <span class="small">{_e(why_missing(key, d, r.values))}</span>')
            rows.append(cells)
            classes.append("")
    notes = "".join(f"<li><b>{_e(n)}.</b> {_e(ASSUMPTIONS[k])}</li>" for n, k in
                    (("Lithium over life", "lithium"), ("Volume states", "states"),
                     ("Stack pressure", "fixture"), ("Rate", "rate"), ("Cost", "cost")))
    labels = [f"{t}: {d.name if len(d.name) <= 40 else d.name[:39].rstrip() + '…'}" for t, d in zip(tags, designs)]
    return [Heading(text="Lithium, volume states, stack pressure, rate and cost side by side", level=3,
                    space_before_pt=10),
            Table(columns=cols, rows=rows, row_classes=classes, space_before_pt=2),
            Html(fragment=f'<p class="small">{_e(RATE_NOTE)} {_e(COST_NOTE)}</p><ul class="small">{notes}</ul>',
                 space_before_pt=2),
            Heading(text="Ragone plot of the compared designs (ohmic estimate)", level=3, space_before_pt=10),
            ragone_figure(labels, designs, results)]
