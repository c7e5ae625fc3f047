"""MODEL.md step 10: the stack-pressure fixture (two end plates and tie rods) and the system
level, the pouch cell plus its share of the fixture."""
from __future__ import annotations

import numpy as np

from .context import Ctx, any_arr, sqrt, vmax, vmin

KEYS = ("fixture_plate_thickness_mm", "fixture_mass_g", "fixture_volume_cm3",
        "system_gravimetric_Wh_kg", "system_volumetric_Wh_L")
EXTRA = ("fixture_clamp_force_kN", "fixture_rod_area_mm2")
LABEL = ("Fixture: plates sized on strength only (Roark, simply supported on all four edges, "
         "uniform pressure over the whole outline, seals included). Plates held only at corner rods "
         "see about 3x the stress (1.78x the thickness); a plate stiff enough to keep the pressure "
         "uniform is thicker still (deflection is not sized).")

# Roark's Formulas for Stress and Strain, Table 11.4 case 1a: beta against a/b
_AB = np.array([1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 3.0, 4.0, 5.0])
_BETA = np.array([0.2874, 0.3762, 0.4530, 0.5172, 0.5688, 0.6102, 0.7134, 0.7410, 0.7476])


def beta(ratio):
    """Roark's beta for a plate of aspect ratio a/b >= 1 (linear in b/a beyond 5)."""
    r = np.asarray(ratio, dtype=float)
    inside = np.interp(r, _AB, _BETA)
    beyond = 0.7500 - (0.7500 - 0.7476) * (1.0 / np.maximum(r, 5.0)) / 0.2
    out = np.where(r <= 5.0, inside, beyond)
    return out if out.ndim else float(out)


def run(ctx: Ctx) -> None:
    d = ctx.design
    fx = d.fixture
    head = ctx.headline
    E = ctx.values["energy_Wh"]
    if fx is None:
        ctx.values.update({
            "fixture_plate_thickness_mm": None, "fixture_mass_g": None, "fixture_volume_cm3": None,
            "fixture_clamp_force_kN": None, "fixture_rod_area_mm2": None,
            "system_gravimetric_Wh_kg": ctx.values["gravimetric_Wh_kg"],
            "system_volumetric_Wh_L": ctx.values["volumetric_Wh_L"]})
        ctx.fixture_mass_g = ctx.fixture_volume_cm3 = 0.0
        return
    p = ctx.get("fixture.pressure_MPa", fx.pressure_MPa)
    M = ctx.get("fixture.cells_per_fixture", float(fx.cells_per_fixture))
    mat = ctx.lib[fx.plate_material]
    sy, s = mat.yield_strength_MPa, fx.safety_factor
    a, b = vmax(ctx.Wo, ctx.Ho), vmin(ctx.Wo, ctx.Ho)
    if fx.plate_thickness_mm is not None:
        t = fx.plate_thickness_mm + 0.0 * p
    else:
        t = b * sqrt(beta(a / b) * p * s / sy)
    plates_cm3 = 2.0 * a * b * t / 1000.0
    force_N = p * a * b
    rod_mm2 = force_N * s / sy
    cell_mm = vmax(ctx.thickness_um["charged"], ctx.thickness_um["discharged"]) / 1000.0
    rods_cm3 = rod_mm2 * (M * cell_mm + 2.0 * t) / 1000.0
    mass = (plates_cm3 + rods_cm3) * mat.density_g_cm3 / M
    vol = (plates_cm3 + rods_cm3) / M
    ctx.fixture_mass_g, ctx.fixture_volume_cm3 = mass, vol
    ctx.values.update({
        "fixture_plate_thickness_mm": t, "fixture_mass_g": mass, "fixture_volume_cm3": vol,
        "fixture_clamp_force_kN": force_N / 1000.0, "fixture_rod_area_mm2": rod_mm2,
        "system_gravimetric_Wh_kg": E / (ctx.mass_g + mass) * 1000.0,
        "system_volumetric_Wh_L": E / (ctx.volume_cm3[head] + vol) * 1000.0})
    if ctx.scalar and not any_arr(t):
        if fx.plate_thickness_mm is not None:
            t_need = b * sqrt(beta(a / b) * p * s / sy)
            if fx.plate_thickness_mm < t_need:
                ctx.warnings.append(
                    f"fixture.plate_thickness_mm: {fx.plate_thickness_mm:.3g} mm is thinner than the "
                    f"{t_need:.3g} mm that {p:.3g} MPa needs in {fx.plate_material} at safety factor "
                    f"{s:.3g} (the plates would yield).")
