"""The built-in materials library and its per-design overrides."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from .resources import resource_path

MATERIAL_FIELDS = ("density_g_cm3", "specific_capacity_mAh_g", "average_voltage_V",
                   "lithiated", "ionic_conductivity_S_cm", "lithiated_volume_ratio",
                   "yield_strength_MPa", "price_USD_kg")
CATEGORIES = ("cathode", "anode", "electrolyte", "additive", "metal", "polymer", "custom")


@dataclass(frozen=True)
class Material:
    name: str
    density_g_cm3: float
    specific_capacity_mAh_g: float = 0.0
    average_voltage_V: float | None = None
    lithiated: bool = False
    ionic_conductivity_S_cm: float | None = None
    # MODEL.md step 9: volume at the specific capacity as entered over the delithiated volume
    lithiated_volume_ratio: float = 1.0
    yield_strength_MPa: float | None = None     # step 10: fixture plates and tie rods
    price_USD_kg: float | None = None           # step 12: materials cost
    category: str = "custom"
    source: str = ""
    note: str = ""
    builtin: bool = False
    volume_ratio_source: str = ""
    yield_source: str = ""
    price_source: str = ""     # where the price comes from, with its year
    price_assumed: bool = False  # no published source: a stated assumption
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
            lithiated_volume_ratio=float(d.get("lithiated_volume_ratio") or 1.0),
            yield_strength_MPa=d.get("yield_strength_MPa"),
            price_USD_kg=d.get("price_USD_kg"),
            volume_ratio_source=d.get("volume_ratio_source", ""),
            yield_source=d.get("yield_source", ""),
            price_source=d.get("price_source", ""),
            price_assumed=bool(d.get("price_assumed", False)),
            category=d.get("category", "custom"),
            source=d.get("source", ""),
            note=d.get("note", "") or "",
            builtin=True,
            electronic_conductor=_conducts(d, d.get("category", "custom"), "electronic_conductor"),
            ion_conductor=_conducts(d, d.get("category", "custom"), "ion_conductor"),
        )
    return out


@lru_cache(maxsize=1)
def _builtin_view() -> Mapping[str, Material]:
    return MappingProxyType(builtin_materials())


def resolve_library(overrides: Mapping[str, Mapping] | None) -> dict[str, Material]:
    """Built-in materials with the design's own materials added or their fields overridden
    (without overrides: the built-in library itself, read-only)."""
    if not overrides:
        return _builtin_view()
    lib = dict(builtin_materials())
    for name, fields in (overrides or {}).items():
        given = {k: fields[k] for k in MATERIAL_FIELDS if k in fields}
        if "price_USD_kg" in given:
            given["price_source"] = str(fields.get("price_source") or "this design")
            given["price_assumed"] = not fields.get("price_source")
        if name in lib:
            lib[name] = replace(lib[name], **given, source="this design (overrides the built-in value)",
                                builtin=False)
        elif "density_g_cm3" in given:  # a new material needs a density (validate() says so)
            cat = str(fields.get("category", "custom"))
            lib[name] = Material(name=name, category=cat, source="this design",
                                 electronic_conductor=_conducts(fields, cat, "electronic_conductor"),
                                 ion_conductor=_conducts(fields, cat, "ion_conductor"), **given)
    return lib


def laminate_price() -> float:
    """USD per m2 of pouch laminate (a stated assumption, see laminate_price_source())."""
    return float(_raw_library().get("laminate_price_USD_m2", 0.0))


def laminate_price_source() -> str:
    return str(_raw_library().get("laminate_price_source", ""))
