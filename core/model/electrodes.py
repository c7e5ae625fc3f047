"""MODEL.md steps 1-2 and 4: every unit-cell layer's thickness, areal mass, density and area;
the electrodes' areal capacity, specific capacity and voltage."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..design import Layer
from ..memo import memo
from .context import Ctx
from .params import active_index, scaled_fractions


@dataclass(slots=True)
class Props:
    """Per-layer numbers (floats or arrays), as built."""
    layer: Layer
    thickness_um: Any
    areal_mass_mg_cm2: Any
    density_g_cm3: Any
    area_cm2: Any
    areal_capacity_mAh_cm2: Any = 0.0
    specific_capacity_mAh_g: Any = 0.0
    voltage_V: Any = 0.0
    lithiated: bool = False
    li_metal: bool = False
    fractions: tuple = ()    # mass fractions of the components (after any override)
    materials: tuple = ()    # their Material records
    price_USD_kg: Any = None  # from the components' prices (None if any is unknown)
    ionic: Any = None         # rate stage: (no ionic path to count, conductivity S/cm), once known
    info: Any = None          # evaluate: the LayerInfo of a layer other than an electrode, once made


def price(fractions, materials):
    """USD per kg of a layer from its components' prices (None if any is unknown)."""
    total = 0.0
    for w, m in zip(fractions, materials):
        if m.price_USD_kg is None:
            return None
        total = total + w * m.price_USD_kg
    return total


def area(w, h, o):
    return (w + 2 * o) * (h + 2 * o) / 100.0


def film(layer: Layer, lib, area_cm2, thickness=None) -> Props:
    comps = layer.component_list()
    mats = tuple(lib[c.material] for c in comps)
    ws = tuple(c.mass_fraction for c in comps)
    if layer.density_g_cm3 is not None:
        rho = layer.density_g_cm3
    else:
        inv = 0.0
        for w, m in zip(ws, mats):
            inv += w / m.density_g_cm3
        rho = (1.0 - (layer.porosity or 0.0)) / inv
    t = layer.thickness_um if thickness is None else thickness
    return Props(layer, t, rho * t * 0.1, rho, area_cm2, fractions=ws, materials=mats,
                 price_USD_kg=price(ws, mats))


def electrode(layer: Layer, lib, area_cm2, amount_key, amount, fraction=None, density=None,
              q_cathode=None) -> Props:
    comps = layer.component_list()
    mats = tuple(lib[c.material] for c in comps)
    ws: list[Any] = [c.mass_fraction for c in comps]
    if fraction is not None:
        ws = scaled_fractions(ws, active_index(comps, lib), fraction)
    q = 0.0
    qv = 0.0
    inv = 0.0
    for w, m in zip(ws, mats):
        q = q + w * m.specific_capacity_mAh_g
        qv = qv + w * m.specific_capacity_mAh_g * (m.average_voltage_V or 0.0)
        inv = inv + w / m.density_g_cm3
    if density is not None:
        rho = density
    elif layer.density_g_cm3 is not None:
        rho = layer.density_g_cm3
    else:
        rho = (1.0 - (layer.porosity or 0.0)) / inv
    if amount_key == "loading_mg_cm2":
        L = amount
        t = L / (rho * 0.1)
        Q = L * q / 1000.0
    elif amount_key == "thickness_um":
        t = amount
        L = rho * t * 0.1
        Q = L * q / 1000.0
    else:
        Q = amount if amount_key == "areal_capacity_mAh_cm2" else amount * q_cathode
        L = Q * 1000.0 / q
        t = L / (rho * 0.1)
    active = [m for m in mats if m.is_active]
    return Props(layer, t, L, rho, area_cm2, Q, q, qv / q,
                 lithiated=any(m.lithiated for m in active),
                 li_metal=bool(active) and all(m.is_li_metal for m in active),
                 fractions=tuple(ws), materials=mats, price_USD_kg=price(ws, mats))


def run(ctx: Ctx) -> None:
    d = ctx.design
    ctx.W = W = ctx.get("electrode.width_mm", d.electrode_width_mm)
    ctx.H = H = ctx.get("electrode.height_mm", d.electrode_height_mm)
    ctx.N = ctx.get("stacking.unit_cells", float(d.stacking.unit_cells))
    lib = ctx.lib
    uc = d.unit_cell
    props: list[Props | None] = [None] * len(uc)
    ci = d.index_of("cathode")
    cathode = uc[ci]
    key, amount = cathode.amount()
    for name in ("cathode.loading_mg_cm2", "cathode.areal_capacity_mAh_cm2", "cathode.thickness_um"):
        if name in ctx.over:
            key, amount = name.split(".", 1)[1], ctx.over[name]
    a = area(W, H, cathode.overhang_mm)
    fraction, density = ctx.over.get("cathode.active_fraction"), ctx.over.get("cathode.density_g_cm3")
    if fraction is None and density is None and type(a) is float and type(amount) is float:
        # a single design: the layer's numbers are kept on the layer (core.memo)
        cat = memo(cathode, "electrode", lambda: electrode(cathode, lib, a, key, amount), d.materials,
                   (a, key, amount))
    else:
        cat = electrode(cathode, lib, a, key, amount, fraction=fraction, density=density)
    props[ci] = cat
    sep_seen = False
    for i, layer in enumerate(uc):
        if i == ci:
            continue
        a = area(W, H, layer.overhang_mm)
        if layer.role == "anode":
            key, amount = layer.amount()
            for name in ("anode.thickness_um", "anode.np_ratio"):
                if name in ctx.over:
                    key, amount = name.split(".", 1)[1], ctx.over[name]
            q = cat.areal_capacity_mAh_cm2
            if type(a) is float and type(amount) is float and type(q) is float:
                props[i] = memo(layer, "electrode", lambda: electrode(layer, lib, a, key, amount, q_cathode=q),
                                d.materials, (a, key, amount, q))
            else:
                props[i] = electrode(layer, lib, a, key, amount, q_cathode=q)
            continue
        thickness = None
        if layer.role == "separator" and not sep_seen:
            sep_seen = True
            ctx.separator_index = i
            thickness = ctx.over.get("separator.thickness_um")
        elif layer.role.endswith("collector"):
            thickness = ctx.over.get(f"{layer.role}.thickness_um")
        if thickness is None and type(a) is float:
            props[i] = memo(layer, "film", lambda: film(layer, lib, a), d.materials, (a,))
        else:
            props[i] = film(layer, lib, a, thickness)
    ctx.props = props
    ctx.cathode_index = ci
    ctx.cat = cat
    ai = d.index_of("anode")
    ctx.anode_index = ai
    ctx.an = props[ai] if ai is not None else None
