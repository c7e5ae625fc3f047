"""Shared helpers for tests/core: MODEL.md's material table typed in by hand, and a small
hand-checkable design built as a design-file dict (so every test goes through the parser).

Nothing here calls the model: expected numbers are computed in the tests themselves."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import core

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
PRESET_DIR = ROOT / "resources" / "presets"

# MODEL.md "Built-in materials": density g/cm3, practical mAh/g, V vs Li/Li+ (typed from the
# table, not read from resources/materials.json, so a drift in the library is caught).
RHO = {"NMC811": 4.75, "NMC9055": 4.75, "LFP": 3.60, "S": 2.07, "TiS2": 3.22, "Li2S": 1.66,
       "Li": 0.534, "Graphite": 2.24, "Si": 2.33, "Li6PS5Cl": 1.86, "Li3InCl6": 2.69,
       "Carbon": 2.00, "Ag": 10.49, "Al": 2.70, "Cu": 8.96, "Ni": 8.91, "SS": 7.90, "PET": 1.38}
Q = {"NMC811": 200.0, "NMC9055": 215.0, "LFP": 160.0, "S": 1400.0, "TiS2": 239.0, "Li2S": 1000.0,
     "Li": 3860.0, "Graphite": 350.0, "Si": 3000.0}
V = {"NMC811": 3.80, "NMC9055": 3.80, "LFP": 3.40, "S": 2.10, "TiS2": 2.10, "Li2S": 2.10,
     "Li": 0.00, "Graphite": 0.15, "Si": 0.40}
PLATED_LI_MAH_CM2_PER_UM = 0.2061  # FORMAT.md

# A small design whose every number is easy to follow by hand:
# 50 x 40 mm (20 cm2), NMC811 at 4.0 g/cm3 and 20 mg/cm2 (50 um, 4 mAh/cm2), 30 um Li6PS5Cl,
# 20 um Li, 10 um Al and 10 um Cu, 100 um laminate at 1.5 g/cm3, 5 mm seal, one Al tab.
HAND = {
    "format": "ssb-pouch-design", "schema_version": 1, "name": "hand check",
    "electrode": {"width_mm": 50, "height_mm": 40},
    "unit_cell": [
        {"role": "positive_collector", "material": "Al", "thickness_um": 10},
        {"role": "cathode", "material": "NMC811", "density_g_cm3": 4.0, "loading_mg_cm2": 20},
        {"role": "separator", "material": "Li6PS5Cl", "thickness_um": 30},
        {"role": "anode", "material": "Li", "thickness_um": 20},
        {"role": "negative_collector", "material": "Cu", "thickness_um": 10},
    ],
    "stacking": {"type": "parallel", "unit_cells": 3, "collector_sharing": "shared"},
    "packaging": {"laminate_thickness_um": 100, "laminate_density_g_cm3": 1.5, "seal_width_mm": 5,
                  "volume_basis": "outline",
                  "tabs": [{"material": "Al", "width_mm": 10, "length_mm": 20, "thickness_um": 100}]},
    "volume_state": "discharged",
}


def hand_dict() -> dict:
    return copy.deepcopy(HAND)


def design(d: dict) -> core.Design:
    """Parse a design-file dict the way a file is parsed (through JSON text)."""
    return core.parse_design_text(json.dumps(d))


def role_index(d: dict, role: str) -> int:
    return [layer["role"] for layer in d["unit_cell"]].index(role)


def set_layer(d: dict, role: str, layer: dict | None) -> dict:
    """Replace (or with None remove) the layer of a role in a design dict."""
    i = role_index(d, role)
    if layer is None:
        del d["unit_cell"][i]
    else:
        d["unit_cell"][i] = {"role": role, **layer}
    return d


def preset_dicts() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(PRESET_DIR.glob("*.json"))}


def breakdown_mass(result, item: str) -> float:
    for b in result.breakdown:
        if b.item == item:
            return b.mass_g
    return 0.0


def model_warnings(result) -> list[str]:
    """The warnings other than the rate stage's note on a layer with no known ionic conductivity
    (the hand cells' pure NMC cathodes have none; MODEL.md step 11 names it in a warning)."""
    return [w for w in result.warnings if not w.startswith("No ionic conductivity known")]
