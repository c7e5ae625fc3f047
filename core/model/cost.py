"""MODEL.md step 12, cost: the materials cost of one pouch cell by item, and per kWh of the
energy at the reversible capacity. Materials only: no processing, yield, overhead or fixture."""
from __future__ import annotations

from .context import Ctx, safe_div

KEYS = ("materials_cost_USD", "cost_USD_kWh")
NO_PRICE = "No price known for "
NOT_COUNTED = ": not counted in the materials cost."
LABEL = ("Cost: cell materials only (no processing, scrap, yield, overhead or fixture), from each "
         "material's price per kg; most built-in prices are stated assumptions, not quotes.")


def run(ctx: Ctx) -> None:
    total = 0.0
    for g in ctx.groups.values():
        total = total + g[3]
    E = ctx.values["energy_Wh"]
    ctx.values.update({"materials_cost_USD": total,
                       "cost_USD_kWh": safe_div(total * 1000.0, E)})
    if ctx.missing_price and ctx.scalar:
        ctx.warnings.append(NO_PRICE + ", ".join(sorted(set(ctx.missing_price)))
                            + NOT_COUNTED + " Give price_USD_kg under materials.")


def unpriced(warnings) -> str:
    """What a result's materials cost leaves out for want of a price ('MyAdd composite, tab
    (Ni)'), read from its warning; '' when everything has a price."""
    for w in warnings:
        if w.startswith(NO_PRICE) and NOT_COUNTED in w:
            return w[len(NO_PRICE):w.index(NOT_COUNTED)]
    return ""
