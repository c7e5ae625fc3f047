"""MODEL.md step 11: area-specific resistance from ionic conductivity, the ohmic drop and the
energy at the current the cell must deliver."""
from __future__ import annotations

import numpy as np

from ..design import Operation
from .context import Ctx, any_arr, safe_div, vmax

KEYS = ("asr_ohm_cm2", "current_density_mA_cm2", "voltage_at_rate_V", "gravimetric_Wh_kg_at_rate",
        "volumetric_Wh_L_at_rate", "c_rate_at_10pct_drop")
EXTRA = ("asr_separator_ohm_cm2", "asr_cathode_ohm_cm2", "asr_anode_ohm_cm2",
         "asr_interlayer_ohm_cm2", "asr_interface_ohm_cm2", "energy_Wh_at_rate",
         "gravimetric_W_kg_at_rate", "c_rate")
ASR_PARTS = ("separator", "cathode", "anode", "interlayer", "interface")
ASR_KEYS = tuple(f"asr_{k}_ohm_cm2" for k in ASR_PARTS)
LABEL = ("Rate: an ohmic estimate only (ionic resistance of the layers plus the interface ASR). "
         "Solid diffusion in the active material, charge-transfer kinetics beyond the interface "
         "value, temperature and the Li anode's critical current density (about 1 mA/cm² for "
         "Li | Li6PS5Cl at room temperature and low pressure) are not modelled. Bruggeman is "
         "optimistic for composites at 15-30 vol% electrolyte: enter a measured value where one exists.")
_DEFAULT = Operation()


def layer_conductivity(layer, lib, props, override=None):
    """S/cm of a layer's ionic path: the layer's own value, else its one material's, else
    Bruggeman over its electrolyte components; None when nothing is known."""
    if override is not None:
        return override
    if layer.ionic_conductivity_S_cm is not None:
        return layer.ionic_conductivity_S_cm
    comps = layer.component_list()
    if len(comps) == 1:
        return lib[comps[0].material].ionic_conductivity_S_cm
    if props is None:
        return None
    sigma = 0.0
    known = False
    for w, m in zip(props.fractions, props.materials):
        if m.ionic_conductivity_S_cm:
            known = True
            phi = w * props.density_g_cm3 / m.density_g_cm3
            sigma = sigma + m.ionic_conductivity_S_cm * phi ** 1.5
    return sigma if known else None


def _metal_only(props) -> bool:
    for m in props.materials:
        if m.category != "metal" and m.name != "Li":
            return False
    return True


def run(ctx: Ctx) -> None:
    d = ctx.design
    op = d.operation or _DEFAULT
    parts = {k: 0.0 for k in ASR_PARTS}
    unknown = []
    sep_i = getattr(ctx, "separator_index", None)
    ctx.sigma = sigmas = {}
    for i, p in enumerate(ctx.props):
        role = p.layer.role
        if role not in ("separator", "interlayer", "cathode", "anode"):
            continue
        ionic = p.ionic
        if ionic is None:   # kept on the layer's numbers (shared by every evaluate of the layer)
            metal = p.li_metal or _metal_only(p)
            ionic = p.ionic = (metal, None if metal else layer_conductivity(p.layer, ctx.lib, p))
        if ionic[0]:
            continue
        override = ctx.over.get("separator.ionic_conductivity_S_cm") if i == sep_i else None
        sigma = ionic[1] if override is None else override
        sigmas[i] = sigma
        if sigma is None:
            unknown.append(f"unit_cell[{i}] ({p.layer.display_name()})")
            continue
        t_cm = p.thickness_um * 1e-4
        r = t_cm / sigma if role in ("separator", "interlayer") else t_cm / (3.0 * sigma)
        parts[role] = parts[role] + r
    parts["interface"] = op.interface_asr_ohm_cm2
    R = 0.0
    for v in parts.values():
        R = R + v
    if unknown and ctx.scalar:
        ctx.warnings.append("No ionic conductivity known for " + ", ".join(unknown)
                            + ": counted as 0 Ω·cm² in the rate results. Enter the layer's measured "
                              "ionic_conductivity_S_cm.")
    C = ctx.get("operation.c_rate", op.c_rate)
    Q_rev = ctx.Q_rev
    i_mA = C * Q_rev
    dV = i_mA * R / 1000.0
    V = ctx.V_cell
    V_rate_cell = vmax(0.0, V - dV)
    if ctx.scalar and not any_arr(V_rate_cell) and V > 0 and V - dV <= 0:
        ctx.warnings.append(f"At {C:.3g} C the ohmic drop ({dV:.3g} V) exceeds the cell voltage: "
                            f"no energy at this rate.")
    N = ctx.N
    v_rate = N * V_rate_cell if d.stacking.type == "bipolar" else V_rate_cell + 0.0 * N
    E_rate = ctx.values["capacity_Ah"] * v_rate
    head = ctx.headline
    whkg = E_rate / ctx.mass_g * 1000.0
    c10 = safe_div(0.1 * V * 1000.0, Q_rev * R)
    ctx.R = R
    ctx.values.update({
        "asr_ohm_cm2": R, "current_density_mA_cm2": i_mA, "voltage_at_rate_V": v_rate,
        "gravimetric_Wh_kg_at_rate": whkg,
        "volumetric_Wh_L_at_rate": E_rate / ctx.volume_cm3[head] * 1000.0,
        "c_rate_at_10pct_drop": c10, "energy_Wh_at_rate": E_rate,
        "gravimetric_W_kg_at_rate": C * whkg, "c_rate": C + 0.0 * Q_rev,
        **dict(zip(ASR_KEYS, parts.values()))})


def ragone(design, points: int = 60) -> dict:
    """Wh/kg at rate against W/kg, from C = 0.05 to the C-rate where the drop is half the
    voltage (MODEL.md step 11). Returns arrays `c_rate`, `Wh_kg`, `W_kg`."""
    from .results import evaluate
    from .sweep import sweep
    r = evaluate(design)
    q, R, V = r["reversible_areal_capacity_mAh_cm2"], r["asr_ohm_cm2"], r["unit_cell_voltage_V"]
    c_hi = 100.0 if q <= 0 or R <= 0 else min(1000.0, 0.5 * V * 1000.0 / (q * R))
    c_hi = max(c_hi, 0.1)
    c = np.geomspace(0.05, c_hi, points)
    s = sweep(design, "operation.c_rate", c)
    return {"c_rate": c, "Wh_kg": s["gravimetric_Wh_kg_at_rate"], "W_kg": s["gravimetric_W_kg_at_rate"]}
