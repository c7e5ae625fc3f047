"""Comparing designs: results side by side with deltas against a reference, the list of
differences (unit cell layer by layer, stacking, packaging, materials), and a one-at-a-time
attribution of the result deltas: every difference is substituted alone into the reference
design and evaluated with `core.evaluate`.

Plain Python (no Qt): used by `gui.compare` (the widget) and by `gui.report` (the report).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Callable

from core import Design, DesignError, evaluate
from core.design import ROLE_LABELS, Layer, Stacking

from ..compare_life import (HIGHER_IS_BETTER, LIFE_ATTRIBUTION_KEYS, LIFE_ATTRIBUTION_LABELS, LIFE_ROWS,
                           LOWER_IS_BETTER, block_diffs)
from .data import fmt, fmt_composition

# The results compared: (key, label, unit, digits after the decimal point for deltas).
COMPARE_ROWS = (
    ("gravimetric_Wh_kg", "Pouch cell gravimetric", "Wh/kg"),
    ("volumetric_Wh_L", "Pouch cell volumetric", "Wh/L"),
    ("stack_gravimetric_Wh_kg", "Stack gravimetric", "Wh/kg"),
    ("stack_volumetric_Wh_L", "Stack volumetric", "Wh/L"),
    ("unit_cell_gravimetric_Wh_kg", "Unit cell gravimetric", "Wh/kg"),
    ("unit_cell_volumetric_Wh_L", "Unit cell volumetric", "Wh/L"),
    ("voltage_V", "Cell voltage", "V"),
    ("capacity_Ah", "Capacity", "Ah"),
    ("energy_Wh", "Energy", "Wh"),
    ("mass_g", "Mass", "g"),
    ("volume_cm3", "Volume", "cm³"),
    ("thickness_mm", "Thickness", "mm"),
    ("areal_capacity_mAh_cm2", "Unit cell areal capacity", "mAh/cm²"),
    ("np_ratio", "N/P ratio", ""),
) + LIFE_ROWS  # system level, volume states, lithium, rate and cost (gui.compare_life)
# The result keys a difference is attributed on, in the order shown.
ATTRIBUTION_KEYS = ("gravimetric_Wh_kg", "volumetric_Wh_L", "stack_gravimetric_Wh_kg") + LIFE_ATTRIBUTION_KEYS
ATTRIBUTION_LABELS = {"gravimetric_Wh_kg": "Δ Wh/kg pouch", "volumetric_Wh_L": "Δ Wh/L pouch",
                      "stack_gravimetric_Wh_kg": "Δ Wh/kg stack", **LIFE_ATTRIBUTION_LABELS}
_REL_TOL = 1e-9
# How a change reads in a design review: the energy densities are the figures of merit (higher
# is better); mass, volume, capacity or voltage going up or down is a sizing choice, not a merit.
_HIGHER_IS_BETTER = {"gravimetric_Wh_kg", "volumetric_Wh_L", "stack_gravimetric_Wh_kg", "stack_volumetric_Wh_L",
                     "unit_cell_gravimetric_Wh_kg", "unit_cell_volumetric_Wh_L"} | HIGHER_IS_BETTER


def delta_merit(key: str, delta: float | None) -> int:
    """+1 when `delta` in result `key` is an improvement, -1 when it is a loss, else 0 (no
    change, or a result that is not a figure of merit)."""
    if delta is None or delta == 0:
        return 0
    if key in LOWER_IS_BETTER:
        return -1 if delta > 0 else 1
    if key not in _HIGHER_IS_BETTER:
        return 0
    return 1 if delta > 0 else -1


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=_REL_TOL, abs_tol=1e-12)
    return a == b


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ResultDelta:
    key: str
    label: str
    unit: str
    values: tuple  # one value (float or None) per design; the first is the reference
    deltas: tuple  # value - reference (None where either is missing); deltas[0] is 0
    percents: tuple  # delta / |reference| * 100 (None where undefined)


def compare_results(results) -> list[ResultDelta]:
    """Rows of COMPARE_ROWS for a list of `core.Result` (the first is the reference)."""
    rows = []
    for key, label, unit in COMPARE_ROWS:
        values = tuple(r.values.get(key) for r in results)
        ref = values[0]
        deltas, pcts = [], []
        for v in values:
            if v is None and ref is None:  # neither applies (e.g. no fixture): no change
                deltas.append(0.0)
                pcts.append(None)
                continue
            if v is None or ref is None:
                deltas.append(None)
                pcts.append(None)
                continue
            d = v - ref
            if abs(d) <= 1e-12 * max(1.0, abs(ref)):
                d = 0.0
            deltas.append(d)
            pcts.append(d / abs(ref) * 100.0 if ref else None)
        rows.append(ResultDelta(key, label, unit, values, tuple(deltas), tuple(pcts)))
    return rows


# --------------------------------------------------------------------------- differences
@dataclass(frozen=True)
class Difference:
    """One difference of `other` from the reference, and how to put it alone into the reference."""
    area: str  # "Unit cell", "Stacking", "Packaging", "Electrode", "Cell", "Materials"
    item: str  # e.g. "Cathode composite", "Stacking"
    what: str  # e.g. "composition", "given amount", "unit cells"
    ref_text: str
    other_text: str
    apply: Callable[[Design], Design] = field(repr=False, compare=False, default=None)

    def describe(self) -> str:
        return f"{self.item}: {self.what} {self.ref_text} → {self.other_text}"


def layer_title(layer: Layer, k: int, count: int) -> str:
    """The role's label, numbered (e.g. SSE separator 2) where the role occurs more than once."""
    t = ROLE_LABELS.get(layer.role, layer.role)
    if count > 1:
        t += f" {k + 1}"
    return t


def layer_keys(cells) -> list[tuple[str, int]]:
    """(role, k) for the k-th layer of each role: how the layers of two unit cells are matched."""
    seen: dict[str, int] = {}
    out = []
    for layer in cells:
        k = seen.get(layer.role, 0)
        seen[layer.role] = k + 1
        out.append((layer.role, k))
    return out


def _amount_text(layer: Layer) -> str:
    key, value = layer.amount()
    return {"loading_mg_cm2": f"loading {fmt(value)} mg/cm²",
            "thickness_um": f"thickness {fmt(value)} µm",
            "areal_capacity_mAh_cm2": f"areal capacity {fmt(value)} mAh/cm²",
            "np_ratio": f"N/P {fmt(value)}"}[key]


def _density_text(layer: Layer) -> str:
    if layer.density_g_cm3 is not None:
        return f"{fmt(layer.density_g_cm3)} g/cm³ (given)"
    if layer.porosity is not None:
        return f"porosity {fmt(layer.porosity)}"
    return "from the materials (porosity 0)"


def _film_text(layer: Layer | None) -> str:
    if layer is None:
        return "none"
    return f"{layer.display_name()} {fmt(layer.thickness_um)} µm"


def _needed_materials(other: Design, layer: Layer | None) -> dict:
    """Design-local material definitions of `other` that `layer` uses."""
    if layer is None:
        return {}
    names = {c.material for c in layer.component_list()}
    return {n: dict(other.materials[n]) for n in names if n in other.materials}


def _with_materials(design: Design, extra: dict) -> Design:
    """Add definitions for materials the design does not know (known ones stay as they are)."""
    lib = design.library()
    add = {k: v for k, v in extra.items() if k not in lib}
    if not add:
        return design
    mats = dict(design.materials)
    mats.update(add)
    return replace(design, materials=mats)


def _layer_diffs(ref: Design, other: Design) -> list[Difference]:
    out: list[Difference] = []
    rk, ok = layer_keys(ref.unit_cell), layer_keys(other.unit_cell)
    rcount = {role: sum(1 for r, _ in rk if r == role) for role, _ in rk}
    ocount = {role: sum(1 for r, _ in ok if r == role) for role, _ in ok}
    rindex = {key: i for i, key in enumerate(rk)}
    oindex = {key: i for i, key in enumerate(ok)}

    def find(d: Design, key):
        for i, k in enumerate(layer_keys(d.unit_cell)):
            if k == key:
                return i
        return None

    for key in ok:  # matched layers, then layers only `other` has, in other's order
        j = oindex[key]
        b = other.unit_cell[j]
        title = layer_title(b, key[1], max(ocount.get(key[0], 0), rcount.get(key[0], 0)))
        if key not in rindex:
            # insert after the reference layer matched to b's nearest predecessor
            pred = next((ok[p] for p in range(j - 1, -1, -1) if ok[p] in rindex), None)

            def add_layer(d, b=b, pred=pred, other=other):
                cells = list(d.unit_cell)
                at = (find(d, pred) + 1) if pred is not None and find(d, pred) is not None else 1
                cells.insert(at, b)
                return _with_materials(replace(d, unit_cell=tuple(cells)), _needed_materials(other, b))
            out.append(Difference("Unit cell", title, "layer", "absent",
                                  f"added: {b.display_name()} ({_brief(b)})", add_layer))
            continue
        a = ref.unit_cell[rindex[key]]

        def sub(fields_from_b: dict, key=key, b=b, other=other, bring=False):
            def apply(d):
                i = find(d, key)
                if i is None:
                    raise DesignError(f"{key[0]}: not in this design")
                d2 = d.replace_layer(i, replace(d.unit_cell[i], **fields_from_b))
                return _with_materials(d2, _needed_materials(other, b)) if bring else d2
            return apply

        ca, cb = a.component_list(), b.component_list()
        if len(ca) != len(cb) or any(x.material != y.material or not _same(x.mass_fraction, y.mass_fraction)
                                     for x, y in zip(ca, cb)):
            out.append(Difference("Unit cell", title, "composition", fmt_composition(a),
                                  fmt_composition(b),
                                  sub({"material": b.material, "components": b.components}, bring=True)))
        if not (_same(a.density_g_cm3, b.density_g_cm3) and _same(a.porosity, b.porosity)):
            out.append(Difference("Unit cell", title, "density", _density_text(a), _density_text(b),
                                  sub({"density_g_cm3": b.density_g_cm3, "porosity": b.porosity})))
        if a.is_electrode:
            (ka, va), (kb, vb) = a.amount(), b.amount()
            if ka != kb or not _same(va, vb):
                out.append(Difference("Unit cell", title, "given amount", _amount_text(a), _amount_text(b),
                                      sub({k: getattr(b, k) for k in
                                           ("loading_mg_cm2", "thickness_um", "areal_capacity_mAh_cm2",
                                            "np_ratio")})))
        elif not _same(a.thickness_um, b.thickness_um):
            out.append(Difference("Unit cell", title, "thickness", f"{fmt(a.thickness_um)} µm",
                                  f"{fmt(b.thickness_um)} µm", sub({"thickness_um": b.thickness_um})))
        if not _same(a.overhang_mm, b.overhang_mm):
            out.append(Difference("Unit cell", title, "overhang", f"{fmt(a.overhang_mm)} mm",
                                  f"{fmt(b.overhang_mm)} mm", sub({"overhang_mm": b.overhang_mm})))
        if (a.label or "") != (b.label or ""):
            out.append(Difference("Unit cell", title, "label", f"“{a.label or ''}”", f"“{b.label or ''}”",
                                  sub({"label": b.label})))
    for key in rk:  # layers only the reference has
        if key in oindex:
            continue
        a = ref.unit_cell[rindex[key]]
        title = layer_title(a, key[1], max(rcount.get(key[0], 0), ocount.get(key[0], 0)))

        def remove_layer(d, key=key):
            i = find(d, key)
            if i is None:
                return d
            cells = list(d.unit_cell)
            del cells[i]
            return replace(d, unit_cell=tuple(cells))
        out.append(Difference("Unit cell", title, "layer", f"{a.display_name()} ({_brief(a)})", "removed",
                              remove_layer))
    return out


def _brief(layer: Layer) -> str:
    if layer.is_electrode:
        return _amount_text(layer)
    return f"{fmt(layer.thickness_um)} µm"


def _stacking_text(st: Stacking) -> str:
    if st.type == "bipolar":
        return "bipolar (in series)"
    return {"shared": "parallel, shared collectors", "bicell": "parallel, bi-cells",
            "none": "parallel, separate cells"}.get(st.collector_sharing, f"parallel, {st.collector_sharing}")


def _other_diffs(ref: Design, other: Design) -> list[Difference]:
    out: list[Difference] = []
    sr, so = ref.stacking, other.stacking
    if sr.unit_cells != so.unit_cells:
        out.append(Difference("Stacking", "Stacking", "unit cells", str(sr.unit_cells), str(so.unit_cells),
                              lambda d: replace(d, stacking=replace(d.stacking, unit_cells=so.unit_cells))))
    if sr.type != so.type or (sr.type == "parallel" and sr.collector_sharing != so.collector_sharing):
        def arrange(d):
            st = replace(d.stacking, type=so.type, collector_sharing=so.collector_sharing)
            if so.type == "bipolar" and st.plate is None:
                st = replace(st, plate=so.plate)
            return _with_materials(replace(d, stacking=st), _needed_materials(other, so.plate))
        out.append(Difference("Stacking", "Stacking", "arrangement", _stacking_text(sr), _stacking_text(so),
                              arrange))
    if sr.spacer != so.spacer and (sr.spacer is not None or so.spacer is not None):
        out.append(Difference("Stacking", "Spacer", "film", _film_text(sr.spacer), _film_text(so.spacer),
                              lambda d: _with_materials(replace(d, stacking=replace(d.stacking, spacer=so.spacer)),
                                                        _needed_materials(other, so.spacer))))
    if sr.plate != so.plate and (sr.plate is not None or so.plate is not None):
        out.append(Difference("Stacking", "Bipolar plate", "film", _film_text(sr.plate), _film_text(so.plate),
                              lambda d: _with_materials(replace(d, stacking=replace(d.stacking, plate=so.plate)),
                                                        _needed_materials(other, so.plate))))
    if not (_same(ref.electrode_width_mm, other.electrode_width_mm)
            and _same(ref.electrode_height_mm, other.electrode_height_mm)):
        out.append(Difference("Electrode", "Electrode", "size",
                              f"{fmt(ref.electrode_width_mm)} × {fmt(ref.electrode_height_mm)} mm",
                              f"{fmt(other.electrode_width_mm)} × {fmt(other.electrode_height_mm)} mm",
                              lambda d: replace(d, electrode_width_mm=other.electrode_width_mm,
                                                electrode_height_mm=other.electrode_height_mm)))
    pr, po = ref.packaging, other.packaging
    for attr, what, unit in (("laminate_thickness_um", "laminate thickness", "µm"),
                             ("laminate_density_g_cm3", "laminate density", "g/cm³"),
                             ("seal_width_mm", "seal width", "mm")):
        if not _same(getattr(pr, attr), getattr(po, attr)):
            value = getattr(po, attr)
            out.append(Difference("Packaging", "Packaging", what, f"{fmt(getattr(pr, attr))} {unit}",
                                  f"{fmt(value)} {unit}",
                                  lambda d, attr=attr, value=value: replace(
                                      d, packaging=replace(d.packaging, **{attr: value}))))
    if pr.volume_basis != po.volume_basis:
        out.append(Difference("Packaging", "Packaging", "volume basis", pr.volume_basis, po.volume_basis,
                              lambda d: replace(d, packaging=replace(d.packaging, volume_basis=po.volume_basis))))
    if pr.tabs != po.tabs:
        def tabs_text(tabs):
            return ", ".join(f"{t.material} {fmt(t.width_mm)}×{fmt(t.length_mm)} mm {fmt(t.thickness_um)} µm"
                             for t in tabs) or "none"
        out.append(Difference("Packaging", "Packaging", "tabs", tabs_text(pr.tabs), tabs_text(po.tabs),
                              lambda d: replace(d, packaging=replace(d.packaging, tabs=po.tabs))))
    if ref.volume_state != other.volume_state:
        out.append(Difference("Cell", "Cell", "volume state", ref.volume_state, other.volume_state,
                              lambda d: replace(d, volume_state=other.volume_state)))
    if not _same(ref.nominal_voltage_V, other.nominal_voltage_V):
        def vtext(v):
            return "derived from the electrodes" if v is None else f"{fmt(v)} V (given)"
        out.append(Difference("Cell", "Cell", "nominal voltage", vtext(ref.nominal_voltage_V),
                              vtext(other.nominal_voltage_V),
                              lambda d: replace(d, nominal_voltage_V=other.nominal_voltage_V)))
    # material data that both designs know but with different values
    lr, lo = ref.library(), other.library()
    for name in sorted(set(ref.materials) | set(other.materials)):
        if name not in lr or name not in lo:
            continue  # a material only one design knows comes with the layer that uses it
        a, b = lr[name], lo[name]
        changed = [(f, getattr(a, f), getattr(b, f)) for f in
                   ("density_g_cm3", "specific_capacity_mAh_g", "average_voltage_V", "lithiated",
                    "ionic_conductivity_S_cm", "lithiated_volume_ratio", "yield_strength_MPa",
                    "price_USD_kg") if not _same(getattr(a, f), getattr(b, f))]
        if not changed:
            continue
        def mat_apply(d, name=name):
            mats = dict(d.materials)
            if name in other.materials:
                mats[name] = dict(other.materials[name])
            else:
                mats.pop(name, None)
            return replace(d, materials=mats)
        out.append(Difference("Materials", f"Material {name}", "data",
                              "; ".join(_mat_field(f, x) for f, x, _ in changed),
                              "; ".join(_mat_field(f, y) for f, _, y in changed), mat_apply))
    return out


def _mat_field(f: str, v) -> str:
    label, unit = {"density_g_cm3": ("density", "g/cm³"), "specific_capacity_mAh_g": ("capacity", "mAh/g"),
                   "average_voltage_V": ("voltage", "V"), "lithiated": ("lithiated", ""),
                   "ionic_conductivity_S_cm": ("conductivity", "S/cm"),
                   "lithiated_volume_ratio": ("lithiated volume ratio", ""),
                   "yield_strength_MPa": ("yield strength", "MPa"), "price_USD_kg": ("price", "USD/kg")}[f]
    if isinstance(v, bool):
        return f"{label} {'yes' if v else 'no'}"
    return f"{label} {fmt(v)} {unit}".strip() if v is not None else f"{label} none"


def diff_designs(ref: Design, other: Design) -> list[Difference]:
    """Every difference of `other` from `ref`: unit cell layer by layer (matched by role and
    order), then stacking, electrode size, packaging, cell settings and material data."""
    return (_layer_diffs(ref, other) + _other_diffs(ref, other)
            + block_diffs(ref, other, Difference, layer_keys, layer_title))


# --------------------------------------------------------------------------- attribution
@dataclass(frozen=True)
class Attribution:
    difference: Difference
    deltas: dict | None  # result key -> value with the difference alone minus the reference
    error: str | None = None

    def delta(self, key: str = "gravimetric_Wh_kg") -> float | None:
        return None if self.deltas is None else self.deltas.get(key)


@dataclass(frozen=True)
class Comparison:
    """One design against the reference: the differences, each one's effect alone, totals."""
    ref_name: str
    other_name: str
    attributions: tuple[Attribution, ...]  # sorted by |Δ pouch Wh/kg|, largest first
    total: dict  # result key -> other - reference
    sum_alone: dict  # result key -> sum of the one-at-a-time deltas

    @property
    def identical(self) -> bool:
        return not self.attributions

    def interaction(self, key: str = "gravimetric_Wh_kg") -> float:
        """What the one-at-a-time effects do not explain (changes acting together)."""
        if self.total[key] is None:
            return 0.0
        return self.total[key] - self.sum_alone[key]


def _delta(a: float | None, b: float | None) -> float | None:
    if a is None and b is None:
        return 0.0
    if a is None or b is None:  # one is unbounded or does not apply: no number to subtract
        return None
    d = b - a
    return 0.0 if abs(d) <= 1e-12 * max(1.0, abs(a)) else d


def compare(ref: Design, other: Design, ref_name: str | None = None, other_name: str | None = None,
            ref_result=None, other_result=None) -> Comparison:
    """Diff `other` against `ref` and attribute the result deltas by substituting each
    difference alone into the reference (a one-at-a-time sensitivity)."""
    rres = ref_result or evaluate(ref)
    ores = other_result or evaluate(other)
    atts = []
    for diff in diff_designs(ref, other):
        try:
            res = evaluate(diff.apply(ref))
        except DesignError as e:
            atts.append(Attribution(diff, None, f"cannot be evaluated alone: {e}"))
            continue
        atts.append(Attribution(diff, {k: _delta(rres.values[k], res.values[k]) for k in ATTRIBUTION_KEYS}))
    atts.sort(key=lambda a: (a.deltas is None, -abs(a.delta() or 0.0)))
    total = {k: _delta(rres.values[k], ores.values[k]) for k in ATTRIBUTION_KEYS}
    sum_alone = {k: sum((a.deltas or {}).get(k) or 0.0 for a in atts) for k in ATTRIBUTION_KEYS}
    return Comparison(ref_name or ref.name, other_name or other.name, tuple(atts), total, sum_alone)
