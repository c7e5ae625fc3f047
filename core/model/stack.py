"""MODEL.md steps 4-5: layer areas, the footprint, collector / spacer / plate counts and the
stack's mass and thickness, item by item (the breakdown)."""
from __future__ import annotations

from .context import Ctx, is_arr
from .electrodes import film

BREAKDOWN_ITEMS = ("cathode", "separator", "interlayer", "anode", "positive_collector",
                   "negative_collector", "bipolar_plate", "spacer", "plated_li", "laminate",
                   "tabs", "edge_space")
BREAKDOWN_LABELS = {
    "cathode": "Cathode composite", "separator": "SSE separator", "interlayer": "Interlayers",
    "anode": "Anode", "positive_collector": "Positive collectors",
    "negative_collector": "Negative collectors", "bipolar_plate": "Bipolar plates",
    "spacer": "Spacers", "plated_li": "Plated Li (charged)", "laminate": "Pouch laminate",
    "tabs": "Tabs", "edge_space": "Seal and edge space",
}


def run(ctx: Ctx) -> None:
    d = ctx.design
    st = d.stacking
    uc = d.unit_cell
    lib = ctx.lib
    N, W, H = ctx.N, ctx.W, ctx.H
    omax = max(layer.overhang_mm for layer in uc)
    Wf, Hf = W + 2 * omax, H + 2 * omax
    A_fp = Wf * Hf / 100.0
    A = W * H / 100.0
    ctx.Wf, ctx.Hf, ctx.A_fp, ctx.A = Wf, Hf, A_fp, A

    pc_i, nc_i = 0, len(uc) - 1
    spacer = plate = None
    if st.type == "bipolar":
        n_pos = n_neg = 1.0
        n_sp, n_pl = 0.0, N - 1.0
        s_pos = s_neg = s_sp = 0.0
        s_pl = 1.0
        if st.plate is not None:
            plate = film(st.plate, lib, A_fp)
    else:
        sharing = st.collector_sharing
        if sharing == "shared":
            n_pos = (N + 1.0) // 2.0
            n_neg = N + 1.0 - n_pos
            n_sp = 0.0
            s_pos = s_neg = 0.5
            s_sp = 0.0
        elif sharing == "bicell":
            n_pos, n_neg, n_sp = N, N / 2.0, N / 2.0 - 1.0
            s_pos, s_neg, s_sp = 1.0, 0.5, 0.5
        else:
            n_pos, n_neg, n_sp = N, N, N - 1.0
            s_pos = s_neg = s_sp = 1.0
        n_pl, s_pl = 0.0, 0.0
        if st.spacer is not None and sharing != "shared":
            spacer = film(st.spacer, lib, A_fp)
        elif st.spacer is not None:
            ctx.warnings.append("The spacer is not used: with shared collectors no two groups are separated.")
    if st.type == "parallel" and st.plate is not None:
        ctx.warnings.append("The bipolar plate is not used in a parallel stack (kept in the file for "
                            "when the stack is made bipolar again).")
    if st.type == "bipolar" and st.spacer is not None:
        ctx.warnings.append("The spacer is not used in a bipolar stack (kept in the file for when "
                            "the stack is made parallel again).")

    headline = ctx.headline
    t_head = ctx.t_state[headline]
    # [mass_mg, volume_cm3, thickness_um, cost_USD] per item, the headline state's thicknesses
    groups = {k: [0.0, 0.0, 0.0, 0.0] for k in BREAKDOWN_ITEMS}
    missing_price: list[str] = []
    cell_mass = 0.0
    cell_t = 0.0
    for i, p in enumerate(ctx.props):
        if i in (pc_i, nc_i):
            continue
        g = groups[p.layer.role]
        m = p.areal_mass_mg_cm2 * p.area_cm2
        t = t_head.get(i, p.thickness_um)
        g[0] = g[0] + N * m
        g[1] = g[1] + N * t * p.area_cm2 * 1e-4
        g[2] = g[2] + N * t
        price = p.price_USD_kg
        if price is None:
            missing_price.append(p.layer.display_name())
        else:
            g[3] = g[3] + N * m * 1e-6 * price
        cell_mass = cell_mass + m
        cell_t = cell_t + p.thickness_um

    def add(item, count, p):
        g = groups[item]
        m = count * p.areal_mass_mg_cm2 * p.area_cm2
        g[0] = g[0] + m
        g[1] = g[1] + count * p.thickness_um * p.area_cm2 * 1e-4
        g[2] = g[2] + count * p.thickness_um
        price = p.price_USD_kg
        if price is None:
            missing_price.append(p.layer.display_name())
        else:
            g[3] = g[3] + m * 1e-6 * price

    pc, nc = ctx.props[pc_i], ctx.props[nc_i]
    add("positive_collector", n_pos, pc)
    add("negative_collector", n_neg, nc)
    uc_mass = cell_mass + s_pos * pc.areal_mass_mg_cm2 * pc.area_cm2 + s_neg * nc.areal_mass_mg_cm2 * nc.area_cm2
    uc_t = cell_t + s_pos * pc.thickness_um + s_neg * nc.thickness_um
    if spacer is not None:
        add("spacer", n_sp, spacer)
        uc_mass = uc_mass + s_sp * spacer.areal_mass_mg_cm2 * A_fp
        uc_t = uc_t + s_sp * spacer.thickness_um
    if plate is not None:
        add("bipolar_plate", n_pl, plate)
        uc_mass = uc_mass + s_pl * plate.areal_mass_mg_cm2 * A_fp
        uc_t = uc_t + s_pl * plate.thickness_um
    plated = ctx.plated[headline]
    if is_arr(plated) or plated:
        groups["plated_li"][1] = N * plated * A * 1e-4
        groups["plated_li"][2] = N * plated

    stack_mass_mg = 0.0
    for g in groups.values():
        stack_mass_mg = stack_mass_mg + g[0]
    # as-built stack thickness: every layer as given (no plating, no swelling)
    stack_t_built = N * cell_t + n_pos * pc.thickness_um + n_neg * nc.thickness_um
    if spacer is not None:
        stack_t_built = stack_t_built + n_sp * spacer.thickness_um
    if plate is not None:
        stack_t_built = stack_t_built + n_pl * plate.thickness_um
    ctx.stack_t = {s: stack_t_built + N * dt for s, dt in ctx.delta_um.items()}
    ctx.uc_t = {s: uc_t + dt for s, dt in ctx.delta_um.items()}
    ctx.uc_mass = uc_mass
    ctx.groups = groups
    ctx.stack_mass_mg = stack_mass_mg
    ctx.missing_price = sorted(set(missing_price))
    ctx.counts = {"unit_cells": N, "positive_collector": n_pos, "negative_collector": n_neg,
                  "spacer": n_sp if spacer is not None else 0.0,
                  "bipolar_plate": n_pl if plate is not None else 0.0}
