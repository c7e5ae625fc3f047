"""The literature tables shipped from shared/data: where the field stands."""
from __future__ import annotations

import csv
from functools import lru_cache

from .resources import resource_path

TABLES = ("membranes", "electrodes", "demonstrations", "references")


@lru_cache(maxsize=None)
def table(name: str) -> tuple[dict, ...]:
    """Rows of one table as dicts of strings (numbers converted where a column is numeric)."""
    if name not in TABLES:
        raise KeyError(f"unknown literature table {name!r}; known: {', '.join(TABLES)}")
    with open(resource_path("data", f"{name}.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        for k, v in row.items():
            if k.endswith(("_um", "_S_cm", "_cm2", "_C")) or k == "cycles":
                try:
                    row[k] = float(v)
                except (TypeError, ValueError):
                    pass
    return tuple(rows)


@lru_cache(maxsize=None)
def references() -> dict[str, str]:
    return {r["ref"]: r["citation"] for r in table("references")}


def citation(ref) -> str:
    return references().get(str(ref).split(".")[0], f"ref. {ref}")


@lru_cache(maxsize=1)
def demonstrated_limits() -> dict[str, float]:
    """The extremes the tables record: highest SSE cathode areal capacity, thinnest membrane."""
    try:
        pos = [r["areal_capacity_mAh_cm2"] for r in table("electrodes") if r["side"] == "positive"]
        mem = [r["thickness_min_um"] for r in table("membranes")]
    except OSError:  # tables missing: no advisories rather than a crash
        return {}
    return {"max_cathode_mAh_cm2": max(pos), "min_membrane_um": min(mem)}


def _figure(text: str, unit: str):
    """The first number given in `unit` in a free-text 'reported' cell ('>900 Wh/L' -> 900)."""
    import re
    m = re.search(r"(>|≥|~|about )?\s*(\d+(?:\.\d+)?)\s*" + re.escape(unit), text)
    if not m:
        return None, ""
    return float(m.group(2)), (m.group(1) or "").strip()


@lru_cache(maxsize=1)
def demonstrations() -> tuple[dict, ...]:
    """The demonstrations table (pouch and bipolar cells reported in the field), each row with
    `Wh_kg` / `Wh_L` parsed from its 'reported' text where it gives them (else None), their
    qualifier (">" for a lower bound), and `citation`."""
    out = []
    try:
        rows = table("demonstrations")
    except OSError:
        return ()
    for r in rows:
        kg, kg_q = _figure(r.get("reported", ""), "Wh/kg")
        wl, wl_q = _figure(r.get("reported", ""), "Wh/L")
        out.append({**r, "Wh_kg": kg, "Wh_kg_qualifier": kg_q, "Wh_L": wl, "Wh_L_qualifier": wl_q,
                    "citation": citation(r.get("source_ref", ""))})
    return tuple(out)


def rank_among_demonstrations(Wh_kg: float, Wh_L: float) -> dict:
    """Where a cell with these pouch-level figures sits among the reported cells that give
    them: {"Wh_kg": (above, of), "Wh_L": (above, of), "best_Wh_kg": row, "best_Wh_L": row}
    ('above' counts the reported cells it exceeds)."""
    rows = demonstrations()
    kg = [r for r in rows if r["Wh_kg"] is not None]
    wl = [r for r in rows if r["Wh_L"] is not None]
    return {"Wh_kg": (sum(Wh_kg > r["Wh_kg"] for r in kg), len(kg)),
            "Wh_L": (sum(Wh_L > r["Wh_L"] for r in wl), len(wl)),
            "best_Wh_kg": max(kg, key=lambda r: r["Wh_kg"]) if kg else None,
            "best_Wh_L": max(wl, key=lambda r: r["Wh_L"]) if wl else None}
