"""What the comparison adds for MODEL.md steps 8-12 (plain Python, no Qt): the result rows of
the system level, both volume states, lithium over life, rate and cost; the keys a
difference is attributed on; which direction is better for each; and the differences of the
`lithium`, `fixture` and `operation` blocks and of each layer's ionic conductivity, each
with how to put it alone into the reference design."""
from __future__ import annotations

import math
from dataclasses import replace

from core.design import Design, Fixture, Lithium, Operation



def fmt(v, sig: int = 4) -> str:
    """The report's number format (imported late: gui.report imports this module)."""
    from .report.data import fmt as report_fmt
    return report_fmt(v, sig)

RATE_NOTE = "Ohmic estimate: diffusion, charge transfer and temperature not modelled."
COST_NOTE = "Materials only: no processing, yield, equipment or overhead."


def c_rate_text(c_rate) -> str:
    """A C-rate as engineers write it: 2C, 1C, C/3, 0.15C ('–' when there is none)."""
    if c_rate is None or not math.isfinite(c_rate) or c_rate <= 0:
        return "–"
    if c_rate >= 1 and abs(c_rate - round(c_rate)) < 1e-6 * c_rate:
        return f"{round(c_rate)}C"
    inv = 1.0 / c_rate
    if c_rate < 1 and abs(inv - round(inv)) < 1e-3 * inv:
        return f"C/{round(inv)}"
    return f"{c_rate:.3g}C"


def why_missing(key: str, design, values) -> str:
    """Why result `key` has no value (the tooltip of its '—')."""
    li = design.lithium
    ce = li.coulombic_efficiency if li is not None else 1.0
    if key in ("cycle_life", "cycles_at_full_capacity"):
        if (values.get("reversible_areal_capacity_mAh_cm2") or 0) <= 0:
            return "No reversible capacity: no lithium cycles."
        if ce >= 1:
            return "CE = 100 %: no lithium is lost, cycle life unbounded."
    if key == "required_li_foil_um":
        return "No lithium source: no foil can be sized for the cycle target."
    if key == "c_rate_at_10pct_drop":
        return "No resistance known (ASR 0) or no capacity: the voltage never drops by 10 %."
    if key == "cost_USD_kWh":
        return "No energy: the cost per kWh is undefined."
    if key.startswith("fixture_"):
        return "No stack pressure fixture in this design."
    if key == "np_ratio":
        return "No anode (anode-free): N/P is not defined."
    return "Does not apply to this design."


# (key, label, unit), shown after the rows of steps 1-7
LIFE_ROWS = (
    ("system_gravimetric_Wh_kg", "System gravimetric (pouch + fixture)", "Wh/kg"),
    ("system_volumetric_Wh_L", "System volumetric (pouch + fixture)", "Wh/L"),
    ("volumetric_Wh_L_charged", "Pouch cell volumetric, charged", "Wh/L"),
    ("volumetric_Wh_L_discharged", "Pouch cell volumetric, discharged", "Wh/L"),
    ("fixture_mass_g", "Fixture mass per cell", "g"),
    ("reversible_areal_capacity_mAh_cm2", "Reversible capacity", "mAh/cm²"),
    ("cycle_life", "Cycle life", "cycles"),
    ("required_li_foil_um", "Li foil for the cycle target", "µm"),
    ("asr_ohm_cm2", "Area-specific resistance", "Ω·cm²"),
    ("c_rate", "C-rate of the rows at rate", "C"),
    ("voltage_at_rate_V", "Voltage at rate", "V"),
    ("energy_Wh_at_rate", "Energy at rate", "Wh"),
    ("gravimetric_Wh_kg_at_rate", "Pouch cell Wh/kg at rate", "Wh/kg"),
    ("volumetric_Wh_L_at_rate", "Pouch cell Wh/L at rate", "Wh/L"),
    ("c_rate_at_10pct_drop", "C-rate at a 10 % drop", "C"),
    ("materials_cost_USD", "Materials cost per cell", "USD"),
    ("cost_USD_kWh", "Materials cost per kWh", "USD/kWh"),
)
LIFE_ATTRIBUTION_KEYS = ("system_gravimetric_Wh_kg", "gravimetric_Wh_kg_at_rate", "cycle_life", "cost_USD_kWh")
LIFE_ATTRIBUTION_LABELS = {"system_gravimetric_Wh_kg": "Δ Wh/kg system", "gravimetric_Wh_kg_at_rate": "Δ Wh/kg at rate",
                           "cycle_life": "Δ cycle life", "cost_USD_kWh": "Δ USD/kWh"}
# As at rest, the voltage and energy at rate and the cost of a whole cell follow the cell's size
# and stacking (a sizing choice, not coloured); their densities and the cost per kWh are merits.
HIGHER_IS_BETTER = {"system_gravimetric_Wh_kg", "system_volumetric_Wh_L", "volumetric_Wh_L_charged",
                    "volumetric_Wh_L_discharged", "reversible_areal_capacity_mAh_cm2", "cycle_life",
                    "gravimetric_Wh_kg_at_rate", "volumetric_Wh_L_at_rate", "c_rate_at_10pct_drop"}
LOWER_IS_BETTER = {"asr_ohm_cm2", "cost_USD_kWh", "fixture_mass_g", "required_li_foil_um"}


def _pct(v) -> str:
    return f"{fmt(v * 100.0, 6)} %"


def lithium_text(li: Lithium | None) -> str:
    if li is None:
        return "none (a perfect cell)"
    return (f"formation {_pct(li.formation_efficiency)}, CE {_pct(li.coulombic_efficiency)}, end of life "
            f"{_pct(li.end_of_life_retention)}, target {li.cycle_target} cycles")


def fixture_text(fx: Fixture | None) -> str:
    if fx is None:
        return "none"
    t = "sized" if fx.plate_thickness_mm is None else f"{fmt(fx.plate_thickness_mm)} mm"
    return (f"{fmt(fx.pressure_MPa)} MPa, {fx.plate_material} plates ({t}), {fx.cells_per_fixture} cells, "
            f"safety {fmt(fx.safety_factor)}")


def operation_text(op: Operation | None) -> str:
    if op is None:
        return "none (C/3, no interface ASR)"
    return f"{fmt(op.c_rate)} C, interface {fmt(op.interface_asr_ohm_cm2)} Ω·cm²"


def _sigma_text(v) -> str:
    return "material / Bruggeman" if v is None else f"{fmt(v * 1000.0)} mS/cm (measured)"


def block_diffs(ref: Design, other: Design, difference_cls, layer_keys, layer_title) -> list:
    """Differences of the optional blocks and the layers' ionic conductivity overrides."""
    out = []
    for name, text, label in (("lithium", lithium_text, "Lithium over life"),
                              ("fixture", fixture_text, "Stack pressure fixture"),
                              ("operation", operation_text, "Operation")):
        a, b = getattr(ref, name), getattr(other, name)
        if a != b:
            out.append(difference_cls("Cell", label, "block", text(a), text(b),
                                      lambda d, name=name, b=b: replace(d, **{name: b})))
    rk, ok = layer_keys(ref.unit_cell), layer_keys(other.unit_cell)
    for j, key in enumerate(ok):
        if key not in rk:
            continue
        a, b = ref.unit_cell[rk.index(key)], other.unit_cell[j]
        if a.ionic_conductivity_S_cm != b.ionic_conductivity_S_cm:
            count = max(sum(1 for k in ok if k[0] == key[0]), sum(1 for k in rk if k[0] == key[0]))

            def apply(d, key=key, v=b.ionic_conductivity_S_cm):
                keys = layer_keys(d.unit_cell)
                if key not in keys:
                    return d
                i = keys.index(key)
                return d.replace_layer(i, replace(d.unit_cell[i], ionic_conductivity_S_cm=v))
            out.append(difference_cls("Unit cell", layer_title(b, key[1], count), "ionic conductivity",
                                      _sigma_text(a.ionic_conductivity_S_cm), _sigma_text(b.ionic_conductivity_S_cm),
                                      apply))
    return out
