"""The built-in materials library and its per-design overrides."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Mapping

from .resources import resource_path

MATERIAL_FIELDS = ("density_g_cm3", "specific_capacity_mAh_g", "average_voltage_V",
                   "lithiated", "ionic_conductivity_S_cm")
CATEGORIES = ("cathode", "anode", "electrolyte", "additive", "metal", "polymer", "custom")


@dataclass(frozen=True)
class Material:
    name: str
    density_g_cm3: float
    specific_capacity_mAh_g: float = 0.0
    average_voltage_V: float | None = None
    lithiated: bool = False
    ionic_conductivity_S_cm: float | None = None
    category: str = "custom"
    source: str = ""
    note: str = ""
    builtin: bool = False
    # what the material conducts (materials.json "categories", a material may override it);
    # None where the category does not say (custom materials)
    electronic_conductor: bool | None = None
    ion_conductor: bool | None = None

    @property
    def is_active(self) -> bool:
        return self.specific_capacity_mAh_g > 0

    @property
    def is_li_metal(self) -> bool:
        """Lithium metal: a plating host of unlimited capacity (MODEL.md rule 3)."""
        return self.name == "Li"


@lru_cache(maxsize=1)
def _raw_library() -> dict:
    return json.loads(resource_path("materials.json").read_text(encoding="utf-8"))


def category_info(category: str) -> Mapping:
    """What a category conducts and the electrode side of its actives (materials.json
    "categories"): {"electronic_conductor": bool, "ion_conductor": bool, "side": ...};
    empty for a category the library does not describe ("custom")."""
    info = _raw_library().get("categories", {}).get(category)
    return info if isinstance(info, dict) else {}


def _conducts(d: Mapping, category: str, key: str) -> bool | None:
    if isinstance(d.get(key), bool):
        return d[key]
    v = category_info(category).get(key)
    if key == "ion_conductor" and d.get("ionic_conductivity_S_cm"):
        return True
    return v if isinstance(v, bool) else None


@lru_cache(maxsize=1)
def builtin_materials() -> Mapping[str, Material]:
    raw = _raw_library()
    out = {}
    for name, d in raw["materials"].items():
        out[name] = Material(
            name=name,
            density_g_cm3=float(d["density_g_cm3"]),
            specific_capacity_mAh_g=float(d.get("specific_capacity_mAh_g") or 0.0),
            average_voltage_V=d.get("average_voltage_V"),
            lithiated=bool(d.get("lithiated", False)),
            ionic_conductivity_S_cm=d.get("ionic_conductivity_S_cm"),
            category=d.get("category", "custom"),
            source=d.get("source", ""),
            note=d.get("note", "") or "",
            builtin=True,
            electronic_conductor=_conducts(d, d.get("category", "custom"), "electronic_conductor"),
            ion_conductor=_conducts(d, d.get("category", "custom"), "ion_conductor"),
        )
    return out


def resolve_library(overrides: Mapping[str, Mapping] | None) -> dict[str, Material]:
    """Built-in materials with the design's own materials added or their fields overridden."""
    lib = dict(builtin_materials())
    for name, fields in (overrides or {}).items():
        given = {k: fields[k] for k in MATERIAL_FIELDS if k in fields}
        if name in lib:
            lib[name] = replace(lib[name], **given, source="this design (overrides the built-in value)",
                                builtin=False)
        elif "density_g_cm3" in given:  # a new material needs a density (validate() says so)
            cat = str(fields.get("category", "custom"))
            lib[name] = Material(name=name, category=cat, source="this design",
                                 electronic_conductor=_conducts(fields, cat, "electronic_conductor"),
                                 ion_conductor=_conducts(fields, cat, "ion_conductor"), **given)
    return lib
