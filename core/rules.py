"""Design rules: what a valid design file can still get physically wrong.

`validate` (core.design) refuses what the model cannot compute; the rules here flag what
it can compute but nobody could build, each as one warning that names the layer and the
rule broken. Pure Python, no Qt: `rule_warnings(design, result)` is what `evaluate` adds
to a result's warnings, so they reach the GUI's warnings strip, `evaluate --json` and the
report alike.

The rules and their thresholds (every number is a named constant below, with why):
  R1  a layer's density as made is above the pore-free density of its components
  R2  a separator is an ion conductor and an electronic insulator
  R3  collectors, bipolar plates and tabs are electronic conductors
  R4  a cathode holds a positive-electrode active material, an anode a negative one
  R5  a separator covers the electrodes it separates (overhang >= theirs)
  R6  porosity of a pressed SSE layer (separator, SSE composite) within what pressing gives
  R7  sizes within the range of real pouch cells (electrode side, pouch thickness,
      capacity, unit cells)
"""
from __future__ import annotations

import math
from typing import Iterable

from .design import ROLE_LABELS, Design, Layer
from .materials import Material, category_info
from .memo import memo

# R1: tolerance on "above the pore-free density" (rounding in a given density: 0.5 %)
DENSITY_TOLERANCE = 0.005

# R6: porosity of a pressed solid-electrolyte layer. Cold-pressed sulfide separators reach
# about 10-25 % porosity (Li6PS5Cl pellets at 300-500 MPa), sheet-type (binder) membranes
# 10-30 %, oxide films sintered to > 90 % density. Above 40 % the grains no longer form a
# percolating, dense layer: it is not a pressed SSE separator but a loose powder bed, and
# lithium dendrites cross it. A composite electrode pressed to > 50 % porosity loses the
# ion/electron contact it needs (practical SSE cathodes: 5-25 %).
MAX_SEPARATOR_POROSITY = 0.40
MAX_COMPOSITE_POROSITY = 0.50

# R7: sizes of real pouch cells. The largest EV pouch cells have electrodes of about
# 100 x 300-550 mm (e.g. 590 mm long cells of LG / SK On modules); none exceed 600 mm a side.
# Pouch cells are at most ~15-20 mm thick (thicker stacks cannot be pressed or cooled);
# 30 mm is beyond any. The largest pouch cells hold 100-230 Ah; 1000 Ah is beyond any.
# Parallel stacks of real pouch cells hold up to ~100-150 unit cells (40-75 double-coated
# cathodes); bipolar solid-state stacks reported so far (resources/data/demonstrations.csv,
# up to 24 V) have at most ~10 unit cells.
MAX_ELECTRODE_SIDE_MM = 600.0
MIN_ELECTRODE_SIDE_MM = 5.0     # below a 5 mm pellet nothing is a pouch cell
MAX_POUCH_THICKNESS_MM = 30.0
MAX_CAPACITY_AH = 1000.0
MAX_PARALLEL_UNIT_CELLS = 150
MAX_BIPOLAR_UNIT_CELLS = 10

# which roles must conduct what
CONDUCTOR_ROLES = ("positive_collector", "negative_collector", "bipolar_plate")
ROLE_SIDE = {"cathode": "positive", "anode": "negative"}
# one lithium unit cell: from Li4Ti5O12 vs graphite-like couples (~0.5 V) to 5 V-class spinels
UNIT_CELL_VOLTAGE = (0.5, 5.5)


def _pct(x: float) -> str:
    return f"{x * 100:.0f} %" if abs(x) >= 0.095 else f"{x * 100:.1f} %"


def layer_tag(path: str, layer: Layer) -> str:
    """'unit_cell[2] (SSE separator, Cu)': where a warning points."""
    return f"{path} ({ROLE_LABELS.get(layer.role, layer.role)}, {layer.display_name()})"


def pore_free_density(layer: Layer, lib) -> float | None:
    """1 / sum(w_i / rho_i) over the layer's components (None if one is unknown)."""
    try:
        inv = sum(c.mass_fraction / lib[c.material].density_g_cm3 for c in layer.component_list())
    except (KeyError, ZeroDivisionError):
        return None
    return 1.0 / inv if inv > 0 else None


def _materials(layer: Layer, lib) -> list[Material]:
    return [lib[c.material] for c in layer.component_list() if c.material in lib]


def material_fitness(material: Material, role: str) -> tuple[bool | None, str]:
    """Whether a material on its own suits a role: (True / False / None = cannot tell, why).
    Composite roles (cathode, anode, interlayer) take several materials; for them a material
    fits if it can be a component (an active of the right side, an electrolyte, an additive)."""
    m = material
    side = category_info(m.category).get("side")
    if role == "separator":
        if m.ion_conductor is None and m.electronic_conductor is None:
            return None, "its category does not say what it conducts"
        if m.electronic_conductor:
            return False, f"{m.name} conducts electrons (a separator would short the cell)"
        if not m.ion_conductor:
            return False, f"{m.name} does not conduct Li ions"
        return True, "an ion conductor and electronic insulator"
    if role in CONDUCTOR_ROLES or role == "tab":
        if m.electronic_conductor is None:
            return None, "its category does not say what it conducts"
        if not m.electronic_conductor or m.is_active:
            return False, f"{m.name} is not a metal conductor"
        return True, "an electronic conductor"
    if role in ROLE_SIDE:
        if m.is_active and side is not None and side != ROLE_SIDE[role]:
            return False, f"{m.name} is a {side}-electrode active material"
        return True, "a component of the composite"
    return True, ""


def material_rank(material: Material, role: str) -> int:
    """Order of a material in a role's material list: 0 the usual choice (an active of the
    right side in an electrode, an electrolyte in a separator, a metal in a collector), 1 a
    fitting component (electrolyte or additive in a composite), 2 cannot tell, 3 breaks a
    rule of the role."""
    ok, _why = material_fitness(material, role)
    if ok is False:
        return 3
    if ok is None:
        return 2
    if role in ROLE_SIDE:
        return 0 if material.is_active else (1 if material.category in ("electrolyte", "additive") else 2)
    if role == "interlayer":
        return 0 if material.category in ("metal", "additive", "electrolyte") else 2
    if role in CONDUCTOR_ROLES or role == "tab":
        return 0 if material.category == "metal" else 1  # foils first; carbon conducts too
    return 0


def rule_warnings(design: Design, result=None) -> list[str]:
    """Every broken design rule as one warning naming the layer and the rule (see the module
    docstring for the list). `result` (a core Result) adds the size rules that need the
    computed pouch (thickness, capacity); without it those are skipped.

    The rules on the design alone are kept on the design object and those on one layer on the
    layer (core.memo): an edit repeats only the checks of what it changed."""
    head, tail = memo(design, "rules", lambda: _design_rules(design))
    return [*head, *_result_rules(result), *tail]


def _design_rules(design: Design) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rules that need no result: (those before the result's size rules, those after)."""
    lib = None
    out: list[str] = []
    layers: list[tuple[str, Layer]] = [(f"unit_cell[{i}]", layer) for i, layer in enumerate(design.unit_cell)]
    st = design.stacking
    if st.type == "bipolar" and st.plate is not None:
        layers.append(("stacking.plate", st.plate))
    if st.type == "parallel" and st.collector_sharing != "shared" and st.spacer is not None:
        layers.append(("stacking.spacer", st.spacer))

    for path, layer in layers:
        def run(path=path, layer=layer):
            nonlocal lib
            lib = lib if lib is not None else design.library()
            return (*_density_rule(path, layer, lib), *_role_rules(path, layer, lib),
                    *_porosity_rule(path, layer, lib))
        out.extend(memo(layer, "rules", run, design.materials, (path,)))
    if design.packaging.tabs:
        out.extend(memo(design.packaging, "rules", lambda: _tab_rules(design.packaging, design.library()),
                        design.materials))
    out.extend(_coverage_rule(design))
    out.extend(_size_rules(design))
    tail = []
    v = design.nominal_voltage_V
    if v is not None and not UNIT_CELL_VOLTAGE[0] <= v <= UNIT_CELL_VOLTAGE[1]:
        tail.append(f"nominal_voltage_V: {v:.4g} V is the voltage of one unit cell and lies outside "
                    f"what a lithium cell has ({UNIT_CELL_VOLTAGE[0]:g}-{UNIT_CELL_VOLTAGE[1]:g} V); "
                    f"a bipolar stack multiplies it by its unit cells itself.")
    return tuple(out), tuple(tail)


def _tab_rules(pk, lib) -> tuple[str, ...]:
    out = []
    for j, tab in enumerate(pk.tabs):
        m = lib.get(tab.material)
        if m is not None and material_fitness(m, "tab")[0] is False:
            out.append(f"packaging.tabs[{j}] (tab, {tab.material}): a tab must be an electronic "
                       f"conductor (a metal); {tab.material} is {_what(m)}.")
    return tuple(out)


def _what(m: Material) -> str:
    if m.category == "electrolyte":
        return "a solid electrolyte (an electronic insulator)"
    if m.category == "metal":
        return "a metal (an electronic conductor)"
    if m.is_active:
        return f"an electrode active material ({m.category})"
    if m.electronic_conductor:
        return f"an electronic conductor ({m.category})"
    if m.electronic_conductor is False:
        return f"an electronic insulator ({m.category})"
    return f"a {m.category} material"


def _density_rule(path: str, layer: Layer, lib) -> Iterable[str]:
    if layer.density_g_cm3 is None:
        return
    rho0 = pore_free_density(layer, lib)
    if rho0 is None or layer.density_g_cm3 <= rho0 * (1 + DENSITY_TOLERANCE):
        return
    eps = 1.0 - layer.density_g_cm3 / rho0
    yield (f"{layer_tag(path, layer)}: density as made {layer.density_g_cm3:.3g} g/cm³ is above the "
           f"pore-free density of its components, {rho0:.3g} g/cm³ (implied porosity {_pct(eps)}); "
           f"no layer can be denser than its solids. Lower the density to at most {rho0:.3g} g/cm³ "
           f"or give a porosity.")


def _role_rules(path: str, layer: Layer, lib) -> Iterable[str]:
    mats = _materials(layer, lib)
    if not mats:
        return
    role, tag = layer.role, layer_tag(path, layer)
    if role == "separator":
        conductors = [m for m in mats if m.electronic_conductor]
        if conductors:
            names = ", ".join(m.name for m in conductors)
            yield (f"{tag}: a separator must be an electronic insulator; {names} "
                   f"{'is' if len(conductors) == 1 else 'are'} "
                   f"{_what(conductors[0]) if len(conductors) == 1 else 'electronic conductors'}, "
                   f"so the cell is short-circuited.")
        if all(m.ion_conductor is False for m in mats):
            yield (f"{tag}: a separator must be an ion conductor (a solid electrolyte); "
                   f"{' + '.join(m.name for m in mats)} does not conduct Li ions.")
    elif role in CONDUCTOR_ROLES:
        bad = [m for m in mats if m.electronic_conductor is False or (m.electronic_conductor and m.is_active)]
        if bad and len(bad) == len(mats):
            label = ROLE_LABELS.get(role, role).lower()
            yield (f"{tag}: a {label} must be an electronic conductor (a metal foil); "
                   f"{bad[0].name} is {_what(bad[0])}.")
    elif role in ROLE_SIDE:
        want = ROLE_SIDE[role]
        active = [m for m in mats if m.is_active]
        right = [m for m in active if category_info(m.category).get("side") in (want, None)]
        wrong = [m for m in active if category_info(m.category).get("side") not in (want, None)]
        if active and not right:
            yield (f"{tag}: a {role} needs a {want}-electrode active material; "
                   f"{', '.join(m.name for m in wrong)} {'is' if len(wrong) == 1 else 'are'} "
                   f"{'a ' if len(wrong) == 1 else ''}{category_info(wrong[0].category).get('side')}-electrode "
                   f"active material{'s' if len(wrong) > 1 else ''}.")


def _porosity(layer: Layer, lib) -> float | None:
    if layer.porosity is not None:
        return layer.porosity
    if layer.density_g_cm3 is not None:
        rho0 = pore_free_density(layer, lib)
        if rho0:
            return 1.0 - layer.density_g_cm3 / rho0
    return None


def _porosity_rule(path: str, layer: Layer, lib) -> Iterable[str]:
    mats = _materials(layer, lib)
    if not any(m.category == "electrolyte" for m in mats):
        return
    eps = _porosity(layer, lib)
    if eps is None:
        return
    tag = layer_tag(path, layer)
    how = "porosity" if layer.porosity is not None else "porosity implied by its density"
    if layer.role == "separator" and eps > MAX_SEPARATOR_POROSITY:
        yield (f"{tag}: {how} {_pct(eps)} is above the {_pct(MAX_SEPARATOR_POROSITY)} a pressed "
               f"SSE separator can have (cold-pressed sulfides 10-25 %, sheet membranes up to "
               f"~30 %); this is a loose powder bed, not a separator.")
    elif layer.role in ("cathode", "anode", "interlayer") and eps > MAX_COMPOSITE_POROSITY:
        yield (f"{tag}: {how} {_pct(eps)} is above the {_pct(MAX_COMPOSITE_POROSITY)} a pressed "
               f"solid-state composite can have (practical: 5-25 %); its particles would not "
               f"keep ionic contact.")


def _coverage_rule(design: Design) -> Iterable[str]:
    uc = design.unit_cell
    widest_sep = worst = None
    sep_i = el_i = None
    for i, layer in enumerate(uc):
        role, o = layer.role, layer.overhang_mm
        if role == "separator":
            if widest_sep is None or o > widest_sep:
                widest_sep, sep_i = o, i
        elif role == "cathode" or role == "anode":
            if worst is None or o > worst:
                worst, el_i = o, i
    if widest_sep is None or worst is None or worst <= widest_sep + 1e-9:
        return
    el = uc[el_i]
    yield (f"{layer_tag(f'unit_cell[{sep_i}]', uc[sep_i])}: a separator must cover the electrodes it "
           f"separates; its overhang {widest_sep:g} mm is less than the "
           f"{ROLE_LABELS.get(el.role, el.role).lower()}'s {worst:g} mm "
           f"(unit_cell[{el_i}]), so the electrodes' edges touch.")


def _size_rules(design: Design) -> Iterable[str]:
    for label, v in (("width", design.electrode_width_mm), ("height", design.electrode_height_mm)):
        if v > MAX_ELECTRODE_SIDE_MM:
            yield (f"electrode.{label}_mm: {v:g} mm is beyond any pouch cell (the largest have "
                   f"electrodes up to ~{MAX_ELECTRODE_SIDE_MM:g} mm a side).")
        elif v < MIN_ELECTRODE_SIDE_MM:
            yield (f"electrode.{label}_mm: {v:g} mm is smaller than a lab pellet "
                   f"({MIN_ELECTRODE_SIDE_MM:g} mm); edge and seal effects the model leaves out dominate.")
    st = design.stacking
    n = st.unit_cells
    limit = MAX_BIPOLAR_UNIT_CELLS if st.type == "bipolar" else MAX_PARALLEL_UNIT_CELLS
    if n > limit:
        what = ("bipolar solid-state stacks reported so far have at most ~10" if st.type == "bipolar"
                else f"real pouch cells stack at most ~{MAX_PARALLEL_UNIT_CELLS}")
        yield f"stacking.unit_cells: {n} unit cells is beyond what has been built ({what} unit cells)."


def _result_rules(result) -> Iterable[str]:
    """The size rules that need the computed pouch (none without a result)."""
    if result is None:
        return
    t = _value(result, "thickness_mm")
    if t is not None and t > MAX_POUCH_THICKNESS_MM:
        yield (f"pouch thickness {t:.3g} mm is beyond any pouch cell (at most ~15-20 mm are built; "
               f"warned above {MAX_POUCH_THICKNESS_MM:g} mm).")
    q = _value(result, "capacity_Ah")
    if q is not None and q > MAX_CAPACITY_AH:
        yield (f"capacity {q:.4g} Ah is beyond any pouch cell (the largest hold 100-230 Ah; "
               f"warned above {MAX_CAPACITY_AH:g} Ah).")


def _value(result, key):
    values = result if isinstance(result, dict) else getattr(result, "values", None)
    try:
        v = values[key]
    except (KeyError, TypeError):
        return None
    return float(v) if v is not None and math.isfinite(v) else None


# --------------------------------------------------------------------------- sources
# A model figure further than this from the figure its source reports is called a departure
# (shown with the reason); closer, it is shown as agreeing.
DEPARTURE_FRACTION = 0.10


def reported_comparison(design: Design, result) -> list[dict]:
    """This design's figures against those its source reports (`design.reported`): one dict
    per figure with key, level, unit, reported, model, deviation (fraction), departs (bool),
    source, note and `text`, a sentence for where the numbers are shown."""
    from .design import REPORTED_KEYS
    out = []
    for rep in design.reported:
        model = _value(result, rep.key)
        if model is None or rep.key not in REPORTED_KEYS:
            continue
        unit, level = REPORTED_KEYS[rep.key]
        dev = (model - rep.value) / rep.value if rep.value else 0.0
        departs = abs(dev) > DEPARTURE_FRACTION
        fmt_v = (lambda v: f"{v:.3g}") if unit in ("Ah", "V") else (lambda v: f"{v:.0f}")
        pct = f"{dev * 100:+.0f} %" if round(dev * 100) else "±0 %"
        text = (f"{rep.source or 'Source'}: {fmt_v(rep.value)} {unit} ({level}); this model: "
                f"{fmt_v(model)} {unit} ({pct})")
        if departs:
            text += f". Departs from the source: {rep.note}." if rep.note else \
                ". Departs from the source, and the design file does not say why."
        else:  # agreeing: the note (e.g. how the source measured) is in `note`, not the sentence
            text += "."
        out.append({"key": rep.key, "level": level, "unit": unit, "reported": rep.value, "model": model,
                    "deviation": dev, "departs": departs, "source": rep.source, "note": rep.note,
                    "text": text})
    return out
