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
