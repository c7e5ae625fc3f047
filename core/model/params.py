"""The parameters a sweep, a goal seek, the design map and a tolerance can vary."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..design import Component, Design, DesignError, Lithium, Operation


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    unit: str
    lo: float
    hi: float
    log: bool = False
    integer: bool = False
    max_value: float | None = None   # a hard upper bound (fractions, efficiencies)
    allow_zero: bool = False         # 0 is a valid value (a cell with no laminate)


PARAMETERS: dict[str, Parameter] = {p.name: p for p in (
    Parameter("cathode.loading_mg_cm2", "Cathode loading", "mg/cm²", 0.5, 200, log=True),
    Parameter("cathode.areal_capacity_mAh_cm2", "Cathode areal capacity", "mAh/cm²", 0.05, 40, log=True),
    Parameter("cathode.thickness_um", "Cathode thickness", "µm", 1, 2000, log=True),
    Parameter("cathode.active_fraction", "Active material content", "mass fraction", 0.01, 1.0, max_value=1.0),
    Parameter("cathode.density_g_cm3", "Cathode composite density", "g/cm³", 0.2, 10),
    Parameter("separator.thickness_um", "Separator thickness", "µm", 0.5, 2000, log=True),
    Parameter("anode.thickness_um", "Anode thickness", "µm", 0.1, 2000, log=True),
    Parameter("anode.np_ratio", "N/P ratio", "", 0.01, 50, log=True),
    Parameter("positive_collector.thickness_um", "Positive collector thickness", "µm", 0.5, 500, log=True),
    Parameter("negative_collector.thickness_um", "Negative collector thickness", "µm", 0.5, 500, log=True),
    Parameter("stacking.unit_cells", "Unit cells", "", 1, 1000, integer=True),
    Parameter("electrode.width_mm", "Electrode width", "mm", 1, 2000, log=True),
    Parameter("electrode.height_mm", "Electrode height", "mm", 1, 2000, log=True),
    Parameter("packaging.laminate_thickness_um", "Laminate thickness", "µm", 10, 500, log=True,
              allow_zero=True),
    Parameter("lithium.coulombic_efficiency", "Coulombic efficiency", "", 0.99, 1.0, max_value=1.0),
    Parameter("lithium.formation_efficiency", "Formation efficiency", "", 0.5, 1.0, max_value=1.0),
    Parameter("fixture.pressure_MPa", "Stack pressure", "MPa", 0.1, 50, log=True, max_value=1000.0),
    Parameter("fixture.cells_per_fixture", "Cells per fixture", "", 1, 100, integer=True),
    Parameter("operation.c_rate", "C-rate", "C", 0.05, 10, log=True, max_value=1000.0),
    Parameter("separator.ionic_conductivity_S_cm", "Separator ionic conductivity", "S/cm", 1e-5, 1e-1,
              log=True),
)}

AMOUNT_PARAMS = {"cathode": ("cathode.loading_mg_cm2", "cathode.areal_capacity_mAh_cm2", "cathode.thickness_um"),
                 "anode": ("anode.thickness_um", "anode.np_ratio")}


def param(name: str) -> Parameter:
    try:
        return PARAMETERS[name]
    except (KeyError, TypeError):
        raise DesignError(f"parameter: unknown parameter {name!r}; known: " + ", ".join(PARAMETERS)) from None


def active_index(comps, lib) -> int:
    best, best_q = 0, -1.0
    for i, c in enumerate(comps):
        q = c.mass_fraction * lib[c.material].specific_capacity_mAh_g
        if q > best_q:
            best, best_q = i, q
    return best


def scaled_fractions(ws, a, value):
    """Mass fractions with component `a` set to `value` and the others scaled to fill the rest.
    When the others hold (almost) nothing, they share the rest equally instead of dividing by ~0."""
    rest = 1.0 - ws[a]
    if rest <= 1e-9:
        n = len(ws) - 1
        return [value if j == a else (1.0 - value) / n for j in range(len(ws))]
    return [value if j == a else w * (1.0 - value) / rest for j, w in enumerate(ws)]


def _first_index(design: Design, role: str):
    return design.index_of(role)


def with_parameter(design: Design, name: str, value: float) -> Design:
    """A copy of the design with one parameter set (the way `sweep` varies it)."""
    p = param(name)
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise DesignError(f"{name}: must be a number, got {value!r}") from None
    if not np.isfinite(value) or value < 0 or (value == 0 and not p.allow_zero):
        raise DesignError(f"{name}: must be a finite number {'>=' if p.allow_zero else '>'} 0, got {value!r}")
    if p.max_value is not None and value > p.max_value:
        raise DesignError(f"{name}: must be at most {p.max_value:g}, got {value:g}")
    if p.integer and not value.is_integer():
        raise DesignError(f"{name}: must be a whole number, got {value}")
    if name == "stacking.unit_cells":
        return replace(design, stacking=replace(design.stacking, unit_cells=int(value)))
    if name == "electrode.width_mm":
        return replace(design, electrode_width_mm=value)
    if name == "electrode.height_mm":
        return replace(design, electrode_height_mm=value)
    if name == "packaging.laminate_thickness_um":
        return replace(design, packaging=replace(design.packaging, laminate_thickness_um=value))
    if name.startswith("lithium."):
        return replace(design, lithium=replace(design.lithium or Lithium(), **{name[8:]: value}))
    if name.startswith("operation."):
        return replace(design, operation=replace(design.operation or Operation(), **{name[10:]: value}))
    if name.startswith("fixture."):
        if design.fixture is None:
            raise DesignError(f"{name}: this design has no fixture (add one under fixture)")
        v = int(value) if p.integer else value
        return replace(design, fixture=replace(design.fixture, **{name[8:]: v}))
    role, key = name.split(".", 1)
    i = design.index_of(role)
    if i is None:
        raise DesignError(f"{name}: this design has no {role.replace('_', ' ')}")
    layer = design.unit_cell[i]
    if key == "active_fraction":
        comps = layer.component_list()
        if len(comps) < 2:
            raise DesignError(f"{name}: the cathode has a single component; add components "
                              f"to vary the active content")
        lib = design.library()
        a = active_index(comps, lib)
        ws = scaled_fractions([c.mass_fraction for c in comps], a, value)
        new = tuple(Component(c.material, w) for c, w in zip(comps, ws))
        layer = replace(layer, components=new, material=None)
    elif key == "density_g_cm3":
        layer = replace(layer, density_g_cm3=value, porosity=None)
    elif key == "ionic_conductivity_S_cm":
        layer = replace(layer, ionic_conductivity_S_cm=value)
    elif layer.is_electrode:
        layer = layer.with_amount(key, value)
    else:
        layer = replace(layer, thickness_um=value)
    return design.replace_layer(i, layer)


def parameter_value(design: Design, name: str, result=None) -> float | None:
    """The design's current value of a parameter (derived amounts included); None if absent."""
    param(name)
    if name == "stacking.unit_cells":
        return float(design.stacking.unit_cells)
    if name == "electrode.width_mm":
        return design.electrode_width_mm
    if name == "electrode.height_mm":
        return design.electrode_height_mm
    if name == "packaging.laminate_thickness_um":
        return design.packaging.laminate_thickness_um
    if name.startswith("lithium."):
        return float(getattr(design.lithium or Lithium(), name[8:]))
    if name.startswith("operation."):
        return float(getattr(design.operation or Operation(), name[10:]))
    if name.startswith("fixture."):
        return None if design.fixture is None else float(getattr(design.fixture, name[8:]))
    role, key = name.split(".", 1)
    i = design.index_of(role)
    if i is None:
        return None
    layer = design.unit_cell[i]
    if key == "active_fraction":
        comps = layer.component_list()
        return comps[active_index(comps, design.library())].mass_fraction
    if key == "ionic_conductivity_S_cm":
        from .rate import layer_conductivity
        return layer_conductivity(layer, design.library(), None)
    if result is None:
        from .results import evaluate
        result = evaluate(design)
    info = result.layers[i]
    return {"loading_mg_cm2": info.loading_mg_cm2, "thickness_um": info.thickness_um,
            "areal_capacity_mAh_cm2": info.areal_capacity_mAh_cm2, "np_ratio": result.np_ratio,
            "density_g_cm3": info.density_g_cm3}[key]


def available_parameters(design: Design) -> list[str]:
    """The parameters that make sense for this design."""
    out = []
    for name in PARAMETERS:
        role = name.split(".")[0]
        if role in ("stacking", "electrode", "packaging", "lithium", "operation"):
            out.append(name)
        elif role == "fixture":
            if design.fixture is not None:
                out.append(name)
        elif design.index_of(role) is not None:
            if name == "cathode.active_fraction" and len(design.layer("cathode").component_list()) < 2:
                continue
            if name == "separator.ionic_conductivity_S_cm" and parameter_value(design, name) is None:
                continue
            out.append(name)
    return out


def sweep_values(design: Design, parameter: str, values) -> np.ndarray:
    """The values of one swept parameter as a float array; DesignError if unusable."""
    p = param(parameter)
    try:
        x = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise DesignError(f"{parameter}: values must be real numbers") from None
    if x.size == 0:
        raise DesignError("values: give at least one value")
    if not np.all(np.isfinite(x)):
        raise DesignError(f"{parameter}: values must be finite")
    bad = (x < 0) if p.allow_zero else (x <= 0)
    if np.any(bad):
        raise DesignError(f"{parameter}: must be {'>=' if p.allow_zero else '>'} 0, got {x[bad][0]:g}")
    if p.max_value is not None and np.any(x > p.max_value):
        raise DesignError(f"{parameter}: must be at most {p.max_value:g}, got {x[x > p.max_value][0]:g}")
    if p.integer:
        if np.any(x != np.round(x)):
            raise DesignError(f"{parameter}: must be whole numbers")
        if parameter == "stacking.unit_cells" and design.stacking.type == "parallel" \
                and design.stacking.collector_sharing == "bicell" and np.any(x % 2):
            raise DesignError(f"{parameter}: must be even for bicell stacking")
    if parameter == "stacking.unit_cells" and design.stacking.type == "bipolar" \
            and design.stacking.plate is None and np.any(x > 1):
        raise DesignError("stacking.plate: a bipolar stack of more than one unit cell needs a plate "
                          'film, e.g. {"material": "SS", "thickness_um": 10}')
    role = parameter.split(".")[0]
    if role == "fixture" and design.fixture is None:
        raise DesignError(f"{parameter}: this design has no fixture (add one under fixture)")
    if role not in ("stacking", "electrode", "packaging", "lithium", "operation", "fixture") \
            and design.index_of(role) is None:
        raise DesignError(f"{parameter}: this design has no {role.replace('_', ' ')}")
    if parameter == "cathode.active_fraction" and len(design.layer("cathode").component_list()) < 2:
        raise DesignError(f"{parameter}: the cathode has a single component; add components "
                          f"to vary the active content")
    return x


def check_pair(p1: str, p2: str):
    """Two parameters varied together must not both set one electrode's amount."""
    for role, names in AMOUNT_PARAMS.items():
        if p1 in names and p2 in names:
            raise DesignError(f"p2: {p1} and {p2} both set the {role}'s amount; vary one of them")


def tolerance_problems(design: Design) -> list[str]:
    """Problems with the tolerances block that need the parameter list."""
    out = []
    names = [t.parameter for t in design.tolerances]
    for t in design.tolerances:
        if t.parameter not in PARAMETERS:
            out.append(f"tolerances.{t.parameter}: not a sweep parameter; known: " + ", ".join(PARAMETERS))
            continue
        role = t.parameter.split(".")[0]
        if role == "fixture" and design.fixture is None:
            out.append(f"tolerances.{t.parameter}: this design has no fixture")
        elif role in ("cathode", "anode", "separator", "positive_collector", "negative_collector") \
                and design.index_of(role) is None:
            out.append(f"tolerances.{t.parameter}: this design has no {role.replace('_', ' ')}")
    for role, group in AMOUNT_PARAMS.items():
        both = [n for n in names if n in group]
        if len(both) > 1:
            out.append(f"tolerances.{both[1]}: {both[0]} already varies the {role}'s amount; give one")
    return out
