"""MODEL.md step 3 (the cycling capacity and the cell voltage) and step 8 (lithium over life:
reservoir, formation loss, reversible capacity, cycles at full capacity, cycle life and the
Li a cycle target needs)."""
from __future__ import annotations

import math

from ..design import Lithium
from .context import PLATED_LI_MAH_CM2_PER_UM as LI_PER_UM
from .context import Ctx, any_arr, is_arr, vmax, vmin

KEYS = ("reversible_areal_capacity_mAh_cm2", "formation_loss_mAh_cm2", "cycles_at_full_capacity",
        "cycle_life", "required_li_foil_um")
EXTRA = ("li_reservoir_mAh_cm2",)
LABEL = ("Lithium over life: the whole Li foil is taken as usable reservoir; a prelithiated alloy "
         "anode (e.g. Li-In) holds a reservoir that is not counted. Coulombic efficiency is the "
         "lithium kept per cycle on plating/stripping, not a full cell's CE.")

_DEFAULT = Lithium()


def cycling_capacity(ctx: Ctx) -> None:
    """Step 3: Q_cell from the lithium inventory, and the unit-cell voltage."""
    d, cat, an = ctx.design, ctx.cat, ctx.an
    w = ctx.warnings
    Qc = cat.areal_capacity_mAh_cm2
    ctx.np_ratio = an.areal_capacity_mAh_cm2 / Qc if an is not None else None
    ctx.plating_host = plating_host = an is None or an.li_metal
    no_li = False
    if plating_host:
        if cat.lithiated:
            Qcell = Qc
        elif an is None:
            Qcell, no_li = 0.0 * Qc, True
            w.append("No lithium source: the cathode is not lithiated and the cell is anode-free, "
                     "so no lithium can cycle (capacity 0). Use a lithiated cathode or a Li anode.")
        else:
            Qcell = vmin(Qc, an.areal_capacity_mAh_cm2)
            if not any_arr(Qcell) and an.areal_capacity_mAh_cm2 < Qc:
                w.append(f"Capacity limited by the Li foil: the unlithiated cathode takes its lithium "
                         f"from the anode, which holds {an.areal_capacity_mAh_cm2:.3g} of "
                         f"{Qc:.3g} mAh/cm² (N/P {an.areal_capacity_mAh_cm2 / Qc:.2f}).")
    else:
        if cat.lithiated or an.lithiated:
            Qcell = vmin(Qc, an.areal_capacity_mAh_cm2)
            np_ratio = ctx.np_ratio
            if cat.lithiated and not is_arr(np_ratio) and np_ratio < 1:
                w.append(f"N/P ratio {np_ratio:.2f} < 1 with a lithiated cathode: lithium plating "
                         f"risk on the anode; capacity limited to the anode's "
                         f"{an.areal_capacity_mAh_cm2:.3g} mAh/cm².")
        else:
            Qcell, no_li = 0.0 * Qc, True
            w.append("No lithium source: neither the cathode nor the anode is lithiated "
                     "(e.g. S or TiS2 against graphite or Si), so no lithium can cycle "
                     "(capacity 0). Use a lithiated electrode or a Li-metal anode.")
    ctx.Qc, ctx.Qcell, ctx.no_li = Qc, Qcell, no_li
    V_cell = cat.voltage_V - (an.voltage_V if an is not None else 0.0)
    if d.nominal_voltage_V is not None:
        V_cell = d.nominal_voltage_V
    elif not is_arr(V_cell) and V_cell <= 0:
        w.append(f"Cell voltage {V_cell:.3g} V: the cathode's average voltage is not above the "
                 f"anode's, so the energy is not positive. Check average_voltage_V of the "
                 f"electrode materials or set nominal_voltage_V.")
    ctx.V_cell = V_cell


def n_life_at(R0: float, Q_rev: float, rho: float, ce: float) -> float:
    """Step 8's cycle life for one CE (< 1)."""
    return R0 / ((1.0 - ce) * Q_rev) + math.log(rho) / math.log(ce)


def ce_for_target(R0: float, Q_rev: float, rho: float, n_t: float, ce_lo: float) -> float:
    """The CE at which the cycle life reaches n_t with today's reservoir (bisection on [ce_lo, 1))."""
    if R0 <= 0:
        return rho ** (1.0 / n_t)
    lo, hi = ce_lo, 1.0 - 1e-15
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if n_life_at(R0, Q_rev, rho, mid) < n_t:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-13:
            break
    return hi


def run(ctx: Ctx) -> None:
    cycling_capacity(ctx)
    d, cat, an = ctx.design, ctx.cat, ctx.an
    li = d.lithium or _DEFAULT
    eta_f = ctx.get("lithium.formation_efficiency", li.formation_efficiency)
    ce = ctx.get("lithium.coulombic_efficiency", li.coulombic_efficiency)
    rho = li.end_of_life_retention
    n_t = li.cycle_target
    Qcell, Qc = ctx.Qcell, ctx.Qc
    # reservoir: the lithium beyond what one cycle moves
    if an is not None and an.li_metal:
        Q_res = an.areal_capacity_mAh_cm2 if cat.lithiated else vmax(0.0, an.areal_capacity_mAh_cm2 - Qcell)
    else:
        Q_res = 0.0 * Qcell
    L_f = (1.0 - eta_f) * Qcell
    Q_rev = Qcell - vmax(0.0, L_f - Q_res)
    R0 = vmax(0.0, Q_res - L_f)
    ctx.Q_rev, ctx.L_f, ctx.R0, ctx.Q_res = Q_rev, L_f, R0, Q_res

    arrays = any_arr(ce, Q_rev, R0)
    if arrays:
        import numpy as np
        ce_a = np.asarray(ce, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            loss = (1.0 - ce_a) * Q_rev
            n_full = np.where(loss > 0, R0 / np.where(loss > 0, loss, 1.0), np.inf)
            fade = np.where(ce_a < 1, np.log(rho) / np.log(np.where(ce_a < 1, ce_a, 0.5)), np.inf)
            n_life = n_full + fade
            ok = np.asarray(Q_rev) > 0
            n_full = np.where(ok, n_full, np.nan)
            n_life = np.where(ok, n_life, np.nan)
            fade_need = np.where(ce_a < 1, fade, np.inf)
    else:
        if ce >= 1.0 or Q_rev <= 0:
            n_full = n_life = None
            fade_need = math.inf
        else:
            n_full = R0 / ((1.0 - ce) * Q_rev)
            fade_need = math.log(rho) / math.log(ce)
            n_life = n_full + fade_need
    # the reservoir a cycle target needs, and the foil that holds it
    if arrays:
        import numpy as np
        cyc = np.where(np.isfinite(fade_need), np.maximum(0.0, n_t - fade_need), 0.0) * (1.0 - ce_a)
    else:
        cyc = 0.0 if math.isinf(fade_need) else max(0.0, n_t - fade_need) * (1.0 - ce)
    if ctx.no_li:
        foil = None if not arrays else Qcell * float("nan")
    elif cat.lithiated or not ctx.plating_host:
        foil = (L_f + cyc * Qcell) / LI_PER_UM
    else:  # unlithiated cathode on Li: the foil is its lithium source plus the reservoir
        foil = ((1.0 - eta_f) * Qc + cyc * Qc + Qc) / LI_PER_UM
    ctx.values.update({
        "reversible_areal_capacity_mAh_cm2": Q_rev, "formation_loss_mAh_cm2": L_f,
        "cycles_at_full_capacity": n_full, "cycle_life": n_life, "required_li_foil_um": foil,
        "li_reservoir_mAh_cm2": Q_res,
    })
    if not arrays and n_t > 0 and n_life is not None and n_life < n_t:
        ce_need = ce_for_target(R0, Q_rev, rho, n_t, ce)
        what = ("a Li foil" if (an is not None and an.li_metal) else
                "a Li reservoir" if an is None else "prelithiation equal to a Li foil")
        ctx.warnings.append(
            f"Cycle target not met: {n_t} cycles to {rho:.0%} need CE ≥ {ce_need * 100:.3f} % or "
            f"{what} ≥ {foil:.3g} µm (today it lasts {n_life:.0f} cycles at CE {ce * 100:.3f} %).")
    if not arrays and (d.lithium is not None) and Q_rev < Qcell and not ctx.no_li:
        ctx.warnings.append(
            f"Formation takes {L_f:.3g} mAh/cm² of lithium and the reservoir holds only "
            f"{Q_res:.3g}: the reversible capacity falls to {Q_rev:.3g} of {Qcell:.3g} mAh/cm².")
