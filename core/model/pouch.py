"""MODEL.md step 6: the pouch (two laminate sheets over the outline, seals, tabs) and the cell's
thickness and volume in both states."""
from __future__ import annotations

from ..materials import laminate_price
from .context import Ctx

KEYS = ("volumetric_Wh_L_charged", "volumetric_Wh_L_discharged",
        "stack_volumetric_Wh_L_charged", "stack_volumetric_Wh_L_discharged")
EXTRA = ("volume_cm3_charged", "volume_cm3_discharged", "thickness_mm_charged",
         "thickness_mm_discharged")


def run(ctx: Ctx) -> None:
    d = ctx.design
    pk = d.packaging
    lam_t = ctx.get("packaging.laminate_thickness_um", pk.laminate_thickness_um)
    s = pk.seal_width_mm
    Wo, Ho = ctx.Wf + 2 * s, ctx.Hf + 2 * s
    A_out = Wo * Ho / 100.0
    lam_mg = 2.0 * A_out * lam_t * pk.laminate_density_g_cm3 * 0.1
    tabs_mg = 0.0
    tabs_usd = 0.0
    for tab in pk.tabs:
        mat = ctx.lib[tab.material]
        m = tab.width_mm * tab.length_mm / 100.0 * tab.thickness_um * 0.1 * mat.density_g_cm3
        tabs_mg += m
        price = mat.price_USD_kg
        if price is None:
            ctx.missing_price.append(f"tab ({tab.material})")
        else:
            tabs_usd += m * 1e-6 * price
    A_basis = A_out if pk.volume_basis == "outline" else ctx.A_fp
    thickness = {st: t + 2.0 * lam_t for st, t in ctx.stack_t.items()}
    volume = {st: A_basis * t * 1e-4 for st, t in thickness.items()}
    mass_g = (ctx.stack_mass_mg + lam_mg + tabs_mg) / 1000.0
    lam_price = pk.laminate_price_USD_m2 if pk.laminate_price_USD_m2 is not None else laminate_price()
    groups = ctx.groups
    groups["laminate"] = [lam_mg, 2.0 * lam_t * A_basis * 1e-4, 2.0 * lam_t, 2.0 * A_out * 1e-4 * lam_price]
    groups["tabs"] = [tabs_mg, 0.0, 0.0, tabs_usd]
    head = ctx.headline
    used = 0.0
    for k, g in groups.items():
        if k != "edge_space":
            used = used + g[1]
    groups["edge_space"] = [0.0, volume[head] - used, 0.0, 0.0]
    ctx.A_out, ctx.Wo, ctx.Ho = A_out, Wo, Ho
    ctx.thickness_um, ctx.volume_cm3, ctx.mass_g = thickness, volume, mass_g
    ctx.stack_volume_cm3 = {st: ctx.A_fp * t * 1e-4 for st, t in ctx.stack_t.items()}
