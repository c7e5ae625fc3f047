"""MODEL.md step 9: both volume states. Plated or stripped Li and electrode swelling give each
unit cell's thickness in the charged and in the discharged state; mass never changes."""
from __future__ import annotations

from .context import PLATED_LI_MAH_CM2_PER_UM as LI_PER_UM
from .context import Ctx, safe_div, vmax, vmin

STATES = ("discharged", "charged")
LABEL = ("Volume states: constant porosity, all expansion through the thickness, no rise of "
         "fixture pressure at a fixed gap (an upper bound on the change).")


def _swollen(p, lithiated_state: bool, Q_rev):
    """The layer's thickness in a state where it is lithiated (or not), from its components'
    lithiated_volume_ratio and the layer's utilisation Q_rev / Q_layer."""
    built = 0.0
    now = 0.0
    changed = False
    u = None
    for w, m in zip(p.fractions, p.materials):
        v = w / m.density_g_cm3
        built = built + v
        r = m.lithiated_volume_ratio
        if m.is_active and r != 1.0:
            if u is None:
                u = vmin(1.0, vmax(0.0, safe_div(Q_rev, p.areal_capacity_mAh_cm2, 0.0)))
            r_eff = 1.0 + u * (r - 1.0)
            if lithiated_state and not m.lithiated:
                v = v * r_eff
                changed = True
            elif not lithiated_state and m.lithiated:
                v = v / r_eff
                changed = True
        now = now + v
    if not changed:
        return p.thickness_um
    return p.thickness_um * now / built


def run(ctx: Ctx) -> None:
    cat, an = ctx.cat, ctx.an
    Q_rev = ctx.Q_rev
    t_state = {s: {} for s in STATES}   # layer index -> thickness where it differs from as built
    plated = {s: 0.0 for s in STATES}   # um of plated Li per unit cell
    li_um = Q_rev / LI_PER_UM
    for s in STATES:
        # the cathode is lithiated when discharged, the anode when charged
        for idx, lith in ((ctx.cathode_index, s == "discharged"), (ctx.anode_index, s == "charged")):
            if idx is None:
                continue
            p = ctx.props[idx]
            if p.li_metal:
                continue
            t = _swollen(p, lith, Q_rev)
            if t is not p.thickness_um:
                t_state[s][idx] = t
        if ctx.plating_host and cat.lithiated and s == "charged":
            plated[s] = li_um          # lithium from the cathode plates on the anode side
        elif ctx.plating_host and an is not None and not cat.lithiated and s == "discharged":
            # built charged: discharge moves the foil's lithium into the cathode
            t_state[s][ctx.anode_index] = vmax(0.0, an.thickness_um - li_um)
    delta = {}
    for s in STATES:
        dt = plated[s]
        for idx, t in t_state[s].items():
            dt = dt + (t - ctx.props[idx].thickness_um)
        delta[s] = dt
    ctx.t_state, ctx.plated, ctx.delta_um = t_state, plated, delta
    ctx.headline = ctx.design.volume_state
