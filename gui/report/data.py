"""The numbers behind a design-review report, without Qt: number formatting, the file
identity (name and sha256), the materials a design uses, the sensitivity curves with the
target and the value needed to reach it, and the model's assumptions in plain words."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core import PARAMETERS, Design, DesignError, load_design, parameter_value, solve_for, sweep
from core.io import design_json
from core.resources import resource_path

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


# --------------------------------------------------------------------------- formatting
def fmt(v, sig: int = 4) -> str:
    """A number for people: `sig` significant digits, no exponent for everyday sizes,
    no trailing zeros, '–' for a missing value."""
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return str(v)
    v = float(v)
    if not math.isfinite(v):
        return "–"
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 10 ** sig:
        return f"{v:.0f}"
    if a < 1e-3:
        return sci(v)
    digits = max(0, sig - 1 - int(math.floor(math.log10(a))))
    s = f"{v:.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def fmt_delta(v, sig: int = 3) -> str:
    """A signed difference ('+12.3', '−4.5', '0')."""
    if v is None:
        return "–"
    if v == 0:
        return "0"
    s = fmt(abs(v), sig)
    return ("+" if v > 0 else "−") + s


def fmt_pct(v) -> str:
    if v is None:
        return ""
    if v == 0:
        return "0 %"
    return f"{'+' if v > 0 else '−'}{abs(v):.1f} %"


def sci(v: float, sig: int = 2) -> str:
    """Scientific notation with a real superscript: 1.6 × 10⁻⁴."""
    if v == 0:
        return "0"
    e = int(math.floor(math.log10(abs(v))))
    m = v / 10 ** e
    ms = f"{m:.{sig - 1}f}".rstrip("0").rstrip(".")
    if ms in ("10", "-10"):
        ms, e = ms[:-1], e + 1
    return f"{ms} × 10{str(e).translate(_SUPERSCRIPT)}"


def fmt_composition(layer) -> str:
    comps = layer.component_list()
    if len(comps) == 1:
        return comps[0].material
    return ", ".join(f"{c.material} {fmt(c.mass_fraction * 100, 3)} %" for c in comps)


# --------------------------------------------------------------------------- identity
@dataclass(frozen=True)
class Identity:
    """Which design a report shows and how a reader can check it."""
    file_label: str  # e.g. "baseline.json", "built-in preset …", "unsaved design"
    sha256: str
    hash_basis: str  # what was hashed, in words

    @property
    def short(self) -> str:
        return self.sha256[:12]


def canonical_bytes(design: Design) -> bytes:
    """The canonical JSON of a design: exactly the bytes `core.save_design` would write."""
    return design_json(design).encode("utf-8")


def design_identity(design: Design, path: str | None) -> Identity:
    """The file's name and sha256 of its bytes, or of the canonical JSON when the design is a
    preset, unsaved, or differs from what its file holds (edited since the last save)."""
    canon = hashlib.sha256(canonical_bytes(design)).hexdigest()
    if path is None:
        return Identity("unsaved design (no file)", canon,
                        "sha256 of the canonical JSON (the bytes Save would write)")
    p = Path(path)
    try:
        presets = resource_path("presets").resolve()
        if p.resolve().parent == presets:
            return Identity(f"built-in preset “{p.stem}”", canon,
                            "sha256 of the canonical JSON of the preset")
    except OSError:
        pass
    try:
        raw = p.read_bytes()
        saved = load_design(p)
    except (OSError, DesignError):
        return Identity(f"{p.name} (could not be read back)", canon,
                        "sha256 of the canonical JSON of the design as shown")
    if saved != design:
        return Identity(f"{p.name} (edited since it was saved)", canon,
                        "sha256 of the canonical JSON of the design as shown; the file on disk differs")
    return Identity(p.name, hashlib.sha256(raw).hexdigest(), "sha256 of the file's bytes")


# --------------------------------------------------------------------------- materials
def materials_used(design: Design) -> list:
    """`core.materials.Material` records of every material the design uses, in first-use order:
    unit cell, spacer, plate, tabs."""
    lib = design.library()
    names: list[str] = []
    layers = list(design.unit_cell) + [x for x in (design.stacking.spacer, design.stacking.plate)
                                       if x is not None]
    if design.stacking.type == "bipolar":
        layers = [x for x in layers if x is not design.stacking.spacer]
    else:
        layers = [x for x in layers if x is not design.stacking.plate]
    for layer in layers:
        for c in layer.component_list():
            if c.material not in names:
                names.append(c.material)
    for t in design.packaging.tabs:
        if t.material not in names:
            names.append(t.material)
    return [lib[n] for n in names if n in lib]


def cathode_lithiated(design: Design) -> bool:
    lib = design.library()
    cat = design.layer("cathode")
    active = [lib[c.material] for c in cat.component_list() if c.material in lib and lib[c.material].is_active]
    return any(m.lithiated for m in active)


def li_metal_anode(design: Design) -> bool:
    an = design.layer("anode")
    if an is None:
        return False
    lib = design.library()
    active = [lib[c.material] for c in an.component_list() if c.material in lib and lib[c.material].is_active]
    return bool(active) and all(m.is_li_metal for m in active)


# --------------------------------------------------------------------------- sensitivity
def target_Wh_kg(design: Design) -> float:
    """The review's research target: 400 Wh/kg, or 500 Wh/kg for Li-S (an unlithiated cathode)."""
    return 400.0 if cathode_lithiated(design) else 500.0


DEFAULT_TARGET_WH_L = 1000.0  # the review's volumetric research target

# levels a report can state its targets at: (gravimetric key, volumetric key, words)
LEVELS = {
    "unit_cell": ("unit_cell_gravimetric_Wh_kg", "unit_cell_volumetric_Wh_L", "unit cell"),
    "stack": ("stack_gravimetric_Wh_kg", "stack_volumetric_Wh_L", "stack"),
    "pouch": ("gravimetric_Wh_kg", "volumetric_Wh_L", "pouch cell"),
}


@dataclass(frozen=True)
class ReportOptions:
    """The targets and level a report states, as the app's plots set them. None: the
    review's research targets (400 or, Li-S, 500 Wh/kg; 1000 Wh/L) at stack level."""
    target_Wh_kg: float | None = None
    target_Wh_L: float | None = None
    level: str = "stack"

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"level: must be one of {', '.join(LEVELS)}, got {self.level!r}")
        for name in ("target_Wh_kg", "target_Wh_L"):
            v = getattr(self, name)
            if v is not None and not (math.isfinite(v) and v > 0):
                raise ValueError(f"{name}: must be > 0, got {v!r}")

    def kg(self, design: Design) -> float:
        return self.target_Wh_kg if self.target_Wh_kg is not None else target_Wh_kg(design)

    def L(self) -> float:
        return self.target_Wh_L if self.target_Wh_L is not None else DEFAULT_TARGET_WH_L

    @property
    def level_words(self) -> str:
        return LEVELS[self.level][2]

    @property
    def from_app(self) -> bool:
        return self.target_Wh_kg is not None or self.target_Wh_L is not None


@dataclass(frozen=True)
class Needed:
    key: str  # result key solved for
    level: str  # "stack" / "pouch cell"
    text: str  # Solution.describe() or the reason it cannot be reached
    value: float | None
    at_least: bool | None


@dataclass(frozen=True)
class Sensitivity:
    parameter: str
    label: str
    unit: str
    current: float
    target: float
    x: np.ndarray
    curves: dict  # result key -> y array
    needed: tuple[Needed, ...]
    why: str  # one line: why this lever matters


_WHY = {
    "cathode.areal_capacity_mAh_cm2": "Below about 1 mAh/cm² a cell stays under 200 Wh/kg; about 4 mAh/cm² "
                                      "is needed for 400 Wh/kg (review Fig. 6E).",
    "separator.thickness_um": "The SSE separator is dead weight: about 30 µm or less is needed for 400 Wh/kg.",
    "anode.thickness_um": "Excess Li metal: about 40 µm Li foil is the target (labs often use > 400 µm).",
    "anode.np_ratio": "Anode capacity over cathode capacity: excess anode costs mass and, even more, volume.",
    "cathode.active_fraction": "Active material content of the cathode composite (Li-S: ≥ 60 % sulfur "
                               "for 500 Wh/kg).",
    "stacking.unit_cells": "More unit cells share one pouch, seals and tabs: the packaging overhead falls.",
}


def sensitivity_parameters(design: Design) -> list[str]:
    """The levers the review names, as they apply to this design."""
    out = ["cathode.areal_capacity_mAh_cm2", "separator.thickness_um"]
    if design.layer("anode") is not None:
        out.append("anode.thickness_um" if li_metal_anode(design) else "anode.np_ratio")
    if not cathode_lithiated(design) and len(design.layer("cathode").component_list()) >= 2:
        out.append("cathode.active_fraction")
    out.append("stacking.unit_cells")
    return out


def _x_range(design: Design, name: str, current: float, needed: list[float]) -> np.ndarray:
    p = PARAMETERS[name]
    far = max([current] + [v for v in needed if v is not None and v <= 4 * max(current, 1e-9)])
    if name == "cathode.areal_capacity_mAh_cm2":
        lo, hi = 0.25, max(10.0, 1.6 * far)
    elif name in ("separator.thickness_um", "anode.thickness_um"):
        lo, hi = 1.0, max(150.0, 1.6 * far)
    elif name == "anode.np_ratio":
        lo, hi = 0.5, max(3.0, 1.6 * far)
    elif name == "cathode.active_fraction":
        lo, hi = 0.2, 0.95
    elif name == "stacking.unit_cells":
        st = design.stacking
        step = 2 if st.type == "parallel" and st.collector_sharing == "bicell" else 1
        hi = int(max(40, 1.6 * far))
        hi -= hi % step
        return np.arange(step, hi + 1, step, dtype=float)
    else:  # pragma: no cover - other parameters are not plotted
        lo, hi = p.lo, p.hi
    lo, hi = max(lo, p.lo), min(hi, p.hi)
    return np.linspace(lo, hi, 241)


def sensitivity(design: Design, name: str, keys=("stack_gravimetric_Wh_kg", "gravimetric_Wh_kg",
                                                 "stack_volumetric_Wh_L", "volumetric_Wh_L",
                                                 "unit_cell_gravimetric_Wh_kg", "unit_cell_volumetric_Wh_L"),
                options: ReportOptions | None = None) -> Sensitivity:
    """One lever: curves of `keys` over a range around the design's value, and the value
    needed for the targets. Without `options`: the stack and the pouch cell for the review's
    Wh/kg target; with them: Wh/kg and Wh/L at the options' level for their targets."""
    p = PARAMETERS[name]
    current = parameter_value(design, name)
    needed = []
    if options is None:
        target = target_Wh_kg(design)
        goals = [("stack_gravimetric_Wh_kg", "stack", target), ("gravimetric_Wh_kg", "pouch cell", target)]
    else:
        target = options.kg(design)
        kg_key, l_key, words = LEVELS[options.level]
        goals = [(kg_key, words, target), (l_key, words, options.L())]
    for key, level, goal in goals:
        s = solve_for(design, name, key, goal)
        text = s.describe() if s.ok else s.reason
        needed.append(Needed(key, level, text, s.value, s.at_least))
    x = _x_range(design, name, current, [n.value for n in needed])
    res = sweep(design, name, x)
    return Sensitivity(name, p.label, p.unit, current, target, x, {k: res[k] for k in keys},
                       tuple(needed), _WHY.get(name, ""))


# --------------------------------------------------------------------------- assumptions
ASSUMPTIONS = (
    ("Per-area model",
     "Everything is computed per cm² of electrode and then scaled by the layer areas. Loading, thickness "
     "and areal capacity of an electrode are tied by L = ρ·t·0.1 and Q = L·q/1000; the design gives one of "
     "them (or N/P for the anode) and the others are derived. A composite's specific capacity is the "
     "mass-weighted sum of its components'; its density is given, or follows from the components' "
     "densities and the porosity."),
    ("Film layers",
     "Collectors, separators, interlayers, spacers and bipolar plates are uniform films: areal mass = "
     "density × (1 − porosity) × thickness."),
    ("Lithium inventory",
     "With a Li-metal anode or no anode, the negative side is a plating host of unlimited capacity: the "
     "cell's capacity is the cathode's if the cathode is lithiated, otherwise the smaller of cathode and "
     "Li foil (the foil is then the only lithium source). With any other anode the capacity is the smaller "
     "of cathode and anode, with a warning when N/P < 1. Without any lithium source the capacity is 0 and "
     "the design says why."),
    ("Voltage",
     "Cathode average voltage minus anode average voltage vs Li/Li⁺ (capacity-weighted over active "
     "components; 0 V for Li metal or anode-free), unless the design gives a nominal voltage."),
    ("Unit-cell level",
     "The repeat unit of the stack: one cathode, its separator(s), interlayers and anode, plus the share "
     "of each collector, spacer or bipolar plate that belongs to one unit cell (half of a shared "
     "collector)."),
    ("Stack level",
     "N unit cells in parallel (capacity × N) or, in a bipolar stack, in series (voltage × N). Mass and "
     "thickness sum every layer; collectors, spacers and plates are counted as the stacking requires. "
     "Every layer covers the cathode area grown by its own overhang; spacers and plates cover the stack "
     "footprint."),
    ("Pouch level",
     "Two laminate sheets over the outline (footprint plus the seal width on every side) and the tabs "
     "(mass counted, volume not). Cell thickness = stack + two laminate sheets."),
    ("Volume basis",
     "Outline basis: the outline area including seals × cell thickness. Stack basis: the stack footprint × "
     "cell thickness (seals and tabs excluded)."),
    ("Charged state",
     "In the charged state, lithium plated from a lithiated cathode onto a Li-metal or anode-free negative "
     "side adds its thickness (0.2061 mAh/cm² per µm) to every unit cell; the mass does not change."),
)

NOT_MODELLED = (
    "Rate capability, power and polarisation: the capacity is the practical specific capacity at an "
    "unspecified low rate.",
    "Temperature: materials data are room-temperature values.",
    "Stack pressure and its hardware (plates, bolts, frames): the pressure many solid-state cells need "
    "is not in the mass or volume.",
    "Cycling losses, first-cycle loss, degradation and lithium lost to side reactions.",
    "Electrolyte utilisation and ion transport: an active material delivers its full practical capacity "
    "at any loading and thickness; conductivity is listed but not used.",
    "Voids, surface roughness and electrode edges beyond the stated overhangs; "
    "tab welding areas and the tab sealant.",
    "Cost, safety and manufacturability.",
)
