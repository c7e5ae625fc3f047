"""The pipeline of stages, the result keys and the Result record; `evaluate` for one design."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple


from ..design import Design, DesignError, check, unknown_paths
from ..memo import memo
from ..rules import rule_warnings
from . import cost, electrodes, lithium, pouch, rate, states, stack, system
from .context import Ctx
from .stack import BREAKDOWN_ITEMS, BREAKDOWN_LABELS

# The stages in order; each adds its quantities to the context (MODEL.md steps 1-12).
STAGES = (electrodes.run, lithium.run, states.run, stack.run, pouch.run)
AFTER_ENERGY = (system.run, rate.run, cost.run)

# Result keys that are numbers (FORMAT.md), then the extra levels and details this app reports.
FORMAT_KEYS = ("voltage_V", "capacity_Ah", "energy_Wh", "gravimetric_Wh_kg", "volumetric_Wh_L",
               "stack_gravimetric_Wh_kg", "stack_volumetric_Wh_L", "mass_g", "volume_cm3",
               "thickness_mm", "areal_capacity_mAh_cm2", "np_ratio",
               "unit_cell_gravimetric_Wh_kg", "unit_cell_volumetric_Wh_L",
               *lithium.KEYS, *pouch.KEYS, *system.KEYS, *rate.KEYS, *cost.KEYS)
EXTRA_KEYS = ("unit_cell_voltage_V", "unit_cell_mass_mg_cm2", "unit_cell_thickness_um", "stack_mass_g",
              "stack_volume_cm3", "stack_thickness_mm", "stack_voltage_V", "stack_capacity_Ah",
              "cathode_loading_mg_cm2", "cathode_thickness_um", "cathode_areal_capacity_mAh_cm2",
              "anode_thickness_um", "footprint_area_cm2", "outline_area_cm2", "cathode_area_cm2",
              *lithium.EXTRA, *pouch.EXTRA, *system.EXTRA, *rate.EXTRA)
NUMERIC_KEYS = FORMAT_KEYS + EXTRA_KEYS
# keys that are null where they do not apply (no anode, no fixture, CE = 1, no lithium, no
# resistance known, no energy); every other key must be a finite number
NULLABLE_KEYS = frozenset({"np_ratio", "anode_thickness_um", "cycles_at_full_capacity", "cycle_life",
                           "required_li_foil_um", "c_rate_at_10pct_drop", "cost_USD_kWh",
                           "fixture_plate_thickness_mm", "fixture_mass_g", "fixture_volume_cm3",
                           "fixture_clamp_force_kN", "fixture_rod_area_mm2"})
# the simplifications behind each block, shown wherever its results are
ASSUMPTIONS = {"lithium": lithium.LABEL, "states": states.LABEL, "fixture": system.LABEL,
               "rate": rate.LABEL, "cost": cost.LABEL}

RESULT_LABELS = {
    "gravimetric_Wh_kg": ("Pouch Wh/kg", "Wh/kg"), "volumetric_Wh_L": ("Pouch Wh/L", "Wh/L"),
    "stack_gravimetric_Wh_kg": ("Stack Wh/kg", "Wh/kg"), "stack_volumetric_Wh_L": ("Stack Wh/L", "Wh/L"),
    "unit_cell_gravimetric_Wh_kg": ("Unit cell Wh/kg", "Wh/kg"),
    "unit_cell_volumetric_Wh_L": ("Unit cell Wh/L", "Wh/L"),
    "system_gravimetric_Wh_kg": ("System Wh/kg", "Wh/kg"), "system_volumetric_Wh_L": ("System Wh/L", "Wh/L"),
    "voltage_V": ("Voltage", "V"), "capacity_Ah": ("Capacity", "Ah"), "energy_Wh": ("Energy", "Wh"),
    "mass_g": ("Mass", "g"), "volume_cm3": ("Volume", "cm³"), "thickness_mm": ("Thickness", "mm"),
    "areal_capacity_mAh_cm2": ("Areal capacity", "mAh/cm²"), "np_ratio": ("N/P ratio", ""),
    "reversible_areal_capacity_mAh_cm2": ("Reversible capacity", "mAh/cm²"),
    "formation_loss_mAh_cm2": ("Formation loss", "mAh/cm²"),
    "cycles_at_full_capacity": ("Cycles at full capacity", "cycles"),
    "cycle_life": ("Cycle life", "cycles"), "required_li_foil_um": ("Li foil for the cycle target", "µm"),
    "volumetric_Wh_L_charged": ("Pouch Wh/L, charged", "Wh/L"),
    "volumetric_Wh_L_discharged": ("Pouch Wh/L, discharged", "Wh/L"),
    "stack_volumetric_Wh_L_charged": ("Stack Wh/L, charged", "Wh/L"),
    "stack_volumetric_Wh_L_discharged": ("Stack Wh/L, discharged", "Wh/L"),
    "fixture_plate_thickness_mm": ("Fixture plate thickness", "mm"),
    "fixture_mass_g": ("Fixture mass per cell", "g"), "fixture_volume_cm3": ("Fixture volume per cell", "cm³"),
    "asr_ohm_cm2": ("Area-specific resistance", "Ω·cm²"),
    "current_density_mA_cm2": ("Current density", "mA/cm²"),
    "voltage_at_rate_V": ("Voltage at rate", "V"),
    "gravimetric_Wh_kg_at_rate": ("Pouch Wh/kg at rate", "Wh/kg"),
    "volumetric_Wh_L_at_rate": ("Pouch Wh/L at rate", "Wh/L"),
    "c_rate_at_10pct_drop": ("C-rate at a 10 % drop", "C"),
    "materials_cost_USD": ("Materials cost", "USD"), "cost_USD_kWh": ("Materials cost", "USD/kWh"),
}


def result_title(key: str) -> str:
    """'Materials cost (USD/kWh)', 'Stack Wh/kg' (a label that names its unit is not given it
    twice), or the key itself for a result without a label."""
    label, unit = RESULT_LABELS.get(key, (key, ""))
    return label if not unit or label.endswith(unit) else f"{label} ({unit})"


def compute(design: Design, pname: str | None = None, pval: Any = None, over: dict | None = None,
            keys=None) -> Ctx:
    """Run every stage on a valid design, with parameters optionally replaced (`pname` = `pval`,
    or several in `over`, floats or arrays that broadcast together). With `keys`, the stages
    after the energy (system, rate, cost) are run only if one of those results needs them
    (they add results and change none: a test checks it)."""
    over = dict(over or {})
    if pname is not None:
        over[pname] = pval
    ctx = Ctx(design, over)
    for stage in STAGES:
        stage(ctx)
    _energy(ctx)
    if keys is not None and all(k in ctx.values for k in keys):
        return ctx
    finish(ctx)
    return ctx


def finish(ctx: Ctx) -> None:
    """Run the stages after the energy (system, rate, cost) on a run that stopped there
    (compute with keys it had): they only add results, so running them later gives the same
    results as running them at once."""
    for stage in AFTER_ENERGY:
        stage(ctx)


def _energy(ctx: Ctx) -> None:
    """Capacity, voltage and energy at the reversible capacity; the three levels' densities."""
    d = ctx.design
    N, A, Q, V = ctx.N, ctx.A, ctx.Q_rev, ctx.V_cell
    head = ctx.headline
    unit_energy_Wh = Q * V * A / 1000.0
    if d.stacking.type == "bipolar":
        voltage = N * V
        capacity_Ah = Q * A / 1000.0
    else:
        voltage = V + 0.0 * N
        capacity_Ah = N * Q * A / 1000.0
    E = capacity_Ah * voltage
    vol, svol = ctx.volume_cm3, ctx.stack_volume_cm3
    stack_mass_g = ctx.stack_mass_mg / 1000.0
    uc_vol = ctx.A_fp * ctx.uc_t[head] * 1e-4
    an = ctx.an
    ctx.values.update({
        "voltage_V": voltage, "capacity_Ah": capacity_Ah, "energy_Wh": E,
        "gravimetric_Wh_kg": E / ctx.mass_g * 1000.0,
        "volumetric_Wh_L": E / vol[head] * 1000.0,
        "stack_gravimetric_Wh_kg": E / stack_mass_g * 1000.0,
        "stack_volumetric_Wh_L": E / svol[head] * 1000.0,
        "mass_g": ctx.mass_g, "volume_cm3": vol[head], "thickness_mm": ctx.thickness_um[head] / 1000.0,
        "areal_capacity_mAh_cm2": ctx.Qcell, "np_ratio": ctx.np_ratio,
        "unit_cell_gravimetric_Wh_kg": unit_energy_Wh / ctx.uc_mass * 1e6,
        "unit_cell_volumetric_Wh_L": unit_energy_Wh / uc_vol * 1000.0,
        "volumetric_Wh_L_charged": E / vol["charged"] * 1000.0,
        "volumetric_Wh_L_discharged": E / vol["discharged"] * 1000.0,
        "stack_volumetric_Wh_L_charged": E / svol["charged"] * 1000.0,
        "stack_volumetric_Wh_L_discharged": E / svol["discharged"] * 1000.0,
        "volume_cm3_charged": vol["charged"], "volume_cm3_discharged": vol["discharged"],
        "thickness_mm_charged": ctx.thickness_um["charged"] / 1000.0,
        "thickness_mm_discharged": ctx.thickness_um["discharged"] / 1000.0,
        "unit_cell_voltage_V": V, "unit_cell_mass_mg_cm2": ctx.uc_mass / A,
        "unit_cell_thickness_um": ctx.uc_t[head],
        "stack_mass_g": stack_mass_g, "stack_volume_cm3": svol[head],
        "stack_thickness_mm": ctx.stack_t[head] / 1000.0, "stack_voltage_V": voltage,
        "stack_capacity_Ah": capacity_Ah,
        "cathode_loading_mg_cm2": ctx.cat.areal_mass_mg_cm2, "cathode_thickness_um": ctx.cat.thickness_um,
        "cathode_areal_capacity_mAh_cm2": ctx.Qc,
        "anode_thickness_um": an.thickness_um if an is not None else None,
        "footprint_area_cm2": ctx.A_fp, "outline_area_cm2": ctx.A_out, "cathode_area_cm2": A,
    })


# --------------------------------------------------------------------------- results
class LayerInfo(NamedTuple):
    """Derived values of one unit-cell layer (what the editor shows as derived amounts)."""
    role: str
    name: str
    thickness_um: float
    loading_mg_cm2: float
    density_g_cm3: float
    area_cm2: float
    areal_capacity_mAh_cm2: float | None
    specific_capacity_mAh_g: float | None
    voltage_V: float | None
    ionic_conductivity_S_cm: float | None = None
    thickness_charged_um: float | None = None
    thickness_discharged_um: float | None = None


class BreakdownItem(NamedTuple):
    item: str
    mass_g: float
    volume_cm3: float
    thickness_um: float
    cost_USD: float = 0.0

    @property
    def label(self) -> str:
        return BREAKDOWN_LABELS.get(self.item, self.item)


@dataclass(frozen=True)
class Result:
    values: dict
    breakdown: tuple[BreakdownItem, ...]
    warnings: tuple[str, ...]
    layers: tuple[LayerInfo, ...]
    counts: dict = field(default_factory=dict)
    footprint_mm: tuple[float, float] = (0.0, 0.0)
    outline_mm: tuple[float, float] = (0.0, 0.0)
    plated_li_um: float = 0.0
    unknown_keys: tuple[str, ...] = ()

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key):
        return self.values[key]

    def to_dict(self) -> dict:
        """The result object of FORMAT.md (plus this app's extra, clearly named keys)."""
        d: dict[str, Any] = {k: self.values[k] for k in FORMAT_KEYS}
        d["breakdown"] = [{"item": b.item, "mass_g": b.mass_g, "volume_cm3": b.volume_cm3,
                           "thickness_um": b.thickness_um, "cost_USD": b.cost_USD} for b in self.breakdown]
        d["warnings"] = list(self.warnings)
        for k in EXTRA_KEYS:
            d[k] = self.values[k]
        return d


def _clean(v):
    """Plain floats out; None for what does not apply or is unbounded (never NaN or inf)."""
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _checked(raw: dict) -> dict:
    """The values as plain floats, None where a nullable key has no value; DesignError for a
    non-finite value where the key must have one."""
    values = {}
    for k, v in raw.items():
        if v is not None:
            if type(v) is not float:
                v = float(v)
            if v - v != 0:          # inf or NaN
                v = None
        if v is None and k not in NULLABLE_KEYS:
            raise DesignError(f"{k}: the model gave a non-finite value (a number underflows to 0 or "
                              f"overflows); check the inputs")
        values[k] = v
    return values


def evaluate(design: Design, validate: bool = True) -> Result:
    """Evaluate a design. Raises DesignError (naming the fields) for an invalid one."""
    if validate:
        check(design)
    try:
        c = compute(design)   # Python floats: a division by 0 raises, an overflow gives inf
    except (ZeroDivisionError, OverflowError, FloatingPointError, ValueError):
        raise DesignError("design: the model cannot compute with these extreme values (a number "
                          "underflows to 0 or overflows); check the inputs") from None
    raw = c.values
    vals = raw.values()
    if set(map(type, vals)) == {float} and math.isfinite(sum(vals)):
        values = dict(raw)   # every value a finite float (the usual case): nothing to convert
    else:
        values = _checked(raw)
    warnings = list(c.warnings)
    breakdown = []
    for item in BREAKDOWN_ITEMS:
        m, vol, t, usd = c.groups[item]
        if m or vol or t:
            breakdown.append(BreakdownItem(item, float(m) / 1000.0,
                                           max(float(vol), 0.0) if item == "edge_space" else float(vol),
                                           float(t), float(usd)))
    layers = []
    t_ch, t_dis, sig = c.t_state["charged"], c.t_state["discharged"], c.sigma
    for i, p in enumerate(c.props):
        t = p.thickness_um
        if p.layer.role in ("cathode", "anode"):
            layers.append(LayerInfo(p.layer.role, p.layer.display_name(), t, p.areal_mass_mg_cm2,
                                    p.density_g_cm3, p.area_cm2, p.areal_capacity_mAh_cm2,
                                    p.specific_capacity_mAh_g, p.voltage_V, sig.get(i),
                                    t_ch.get(i, t), t_dis.get(i, t)))
        else:   # made once per layer's numbers (kept with them)
            info = p.info
            if info is None or info.ionic_conductivity_S_cm != sig.get(i):
                info = p.info = LayerInfo(p.layer.role, p.layer.display_name(), t, p.areal_mass_mg_cm2,
                                          p.density_g_cm3, p.area_cm2, None, None, None, sig.get(i), t, t)
            layers.append(info)
    warnings.extend(_advisories(design, values))
    warnings.extend(rule_warnings(design, values))   # design rules (core/rules.py)
    unknown = memo(design, "unknown", lambda: tuple(unknown_paths(design)))
    if unknown:
        warnings.append("Not used by this app (unknown keys, kept in the file as written): "
                        + ", ".join(unknown[:12]) + (f" and {len(unknown) - 12} more" if len(unknown) > 12 else ""))
    return Result(values=values, breakdown=tuple(breakdown), warnings=tuple(warnings),
                  layers=tuple(layers), counts=c.counts,
                  footprint_mm=(float(c.Wf), float(c.Hf)),
                  outline_mm=(float(c.Wo), float(c.Ho)),
                  plated_li_um=float(c.plated[c.headline]), unknown_keys=unknown)


def _advisories(design: Design, values: dict) -> list[str]:
    """Honest flags: values beyond what the field has demonstrated (literature tables)."""
    from ..literature import demonstrated_limits
    lim = demonstrated_limits()
    out = []
    q = values["cathode_areal_capacity_mAh_cm2"]
    if lim.get("max_cathode_mAh_cm2") and q > lim["max_cathode_mAh_cm2"]:
        out.append(f"Cathode areal capacity {q:.3g} mAh/cm² is beyond the highest solid-state cathode "
                   f"in the literature table ({lim['max_cathode_mAh_cm2']:.3g} mAh/cm²).")
    sep = design.layer("separator")
    if lim.get("min_membrane_um") and sep is not None and sep.thickness_um is not None \
            and sep.thickness_um < lim["min_membrane_um"]:
        out.append(f"Separator {sep.thickness_um:.3g} µm is thinner than any SSE membrane in the "
                   f"literature table ({lim['min_membrane_um']:.3g} µm).")
    return out
