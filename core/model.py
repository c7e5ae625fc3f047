"""The energy-density model of MODEL.md: design -> capacity, voltage, energy, mass, volume.

One code path serves both `evaluate` (Python floats) and `sweep` (numpy arrays): every
quantity below is either a float or an array broadcast over the swept values.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .design import Component, Design, DesignError, Layer, check

PLATED_LI_MAH_CM2_PER_UM = 0.2061  # FORMAT.md: plated Li, mAh/cm2 per um of thickness

# Breakdown items, in the order a report lists them.
BREAKDOWN_ITEMS = ("cathode", "separator", "interlayer", "anode", "positive_collector",
                   "negative_collector", "bipolar_plate", "spacer", "plated_li", "laminate",
                   "tabs", "edge_space")
BREAKDOWN_LABELS = {
    "cathode": "Cathode composite", "separator": "SSE separator", "interlayer": "Interlayers",
    "anode": "Anode", "positive_collector": "Positive collectors",
    "negative_collector": "Negative collectors", "bipolar_plate": "Bipolar plates",
    "spacer": "Spacers", "plated_li": "Plated Li (charged)", "laminate": "Pouch laminate",
    "tabs": "Tabs", "edge_space": "Seal and edge space",
}

# Result keys that are numbers (FORMAT.md), plus the extra levels this app reports.
FORMAT_KEYS = ("voltage_V", "capacity_Ah", "energy_Wh", "gravimetric_Wh_kg", "volumetric_Wh_L",
               "stack_gravimetric_Wh_kg", "stack_volumetric_Wh_L", "mass_g", "volume_cm3",
               "thickness_mm", "areal_capacity_mAh_cm2", "np_ratio")
EXTRA_KEYS = ("unit_cell_gravimetric_Wh_kg", "unit_cell_volumetric_Wh_L", "unit_cell_voltage_V",
              "unit_cell_mass_mg_cm2", "unit_cell_thickness_um", "stack_mass_g", "stack_volume_cm3",
              "stack_thickness_mm", "stack_voltage_V", "stack_capacity_Ah",
              "cathode_loading_mg_cm2", "cathode_thickness_um",
              "cathode_areal_capacity_mAh_cm2", "anode_thickness_um", "footprint_area_cm2",
              "outline_area_cm2", "cathode_area_cm2")
NUMERIC_KEYS = FORMAT_KEYS + EXTRA_KEYS

RESULT_LABELS = {
    "gravimetric_Wh_kg": ("Pouch Wh/kg", "Wh/kg"), "volumetric_Wh_L": ("Pouch Wh/L", "Wh/L"),
    "stack_gravimetric_Wh_kg": ("Stack Wh/kg", "Wh/kg"), "stack_volumetric_Wh_L": ("Stack Wh/L", "Wh/L"),
    "unit_cell_gravimetric_Wh_kg": ("Unit cell Wh/kg", "Wh/kg"),
    "unit_cell_volumetric_Wh_L": ("Unit cell Wh/L", "Wh/L"),
    "voltage_V": ("Voltage", "V"), "capacity_Ah": ("Capacity", "Ah"), "energy_Wh": ("Energy", "Wh"),
    "mass_g": ("Mass", "g"), "volume_cm3": ("Volume", "cm³"), "thickness_mm": ("Thickness", "mm"),
    "areal_capacity_mAh_cm2": ("Areal capacity", "mAh/cm²"), "np_ratio": ("N/P ratio", ""),
}


# --------------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    unit: str
    lo: float
    hi: float
    log: bool = False
    integer: bool = False


PARAMETERS: dict[str, Parameter] = {p.name: p for p in (
    Parameter("cathode.loading_mg_cm2", "Cathode loading", "mg/cm²", 0.5, 200, log=True),
    Parameter("cathode.areal_capacity_mAh_cm2", "Cathode areal capacity", "mAh/cm²", 0.05, 40, log=True),
    Parameter("cathode.thickness_um", "Cathode thickness", "µm", 1, 2000, log=True),
    Parameter("cathode.active_fraction", "Active material content", "mass fraction", 0.01, 1.0),
    Parameter("cathode.density_g_cm3", "Cathode composite density", "g/cm³", 0.2, 10),
    Parameter("separator.thickness_um", "Separator thickness", "µm", 0.5, 2000, log=True),
    Parameter("anode.thickness_um", "Anode thickness", "µm", 0.1, 2000, log=True),
    Parameter("anode.np_ratio", "N/P ratio", "", 0.01, 50, log=True),
    Parameter("positive_collector.thickness_um", "Positive collector thickness", "µm", 0.5, 500, log=True),
    Parameter("negative_collector.thickness_um", "Negative collector thickness", "µm", 0.5, 500, log=True),
    Parameter("stacking.unit_cells", "Unit cells", "", 1, 1000, integer=True),
    Parameter("electrode.width_mm", "Electrode width", "mm", 1, 2000, log=True),
)}


def _param(name: str) -> Parameter:
    try:
        return PARAMETERS[name]
    except KeyError:
        raise DesignError(f"parameter: unknown parameter {name!r}; known: "
                          + ", ".join(PARAMETERS)) from None


def _active_index(comps, lib) -> int:
    best, best_q = 0, -1.0
    for i, c in enumerate(comps):
        q = c.mass_fraction * lib[c.material].specific_capacity_mAh_g
        if q > best_q:
            best, best_q = i, q
    return best


def with_parameter(design: Design, name: str, value: float) -> Design:
    """A copy of the design with one parameter set (the way `sweep` varies it)."""
    _param(name)
    value = float(value)
    if name == "stacking.unit_cells":
        if not value.is_integer():
            raise DesignError(f"stacking.unit_cells: must be a whole number, got {value}")
        return replace(design, stacking=replace(design.stacking, unit_cells=int(value)))
    if name == "electrode.width_mm":
        return replace(design, electrode_width_mm=value)
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
        a = _active_index(comps, lib)
        rest = 1.0 - comps[a].mass_fraction
        new = tuple(Component(c.material, value if j == a else c.mass_fraction * (1 - value) / rest)
                    for j, c in enumerate(comps))
        layer = replace(layer, components=new, material=None)
    elif key == "density_g_cm3":
        layer = replace(layer, density_g_cm3=value, porosity=None)
    elif layer.is_electrode:
        layer = layer.with_amount(key, value)
    else:
        layer = replace(layer, thickness_um=value)
    return design.replace_layer(i, layer)


def parameter_value(design: Design, name: str, result: "Result | None" = None) -> float | None:
    """The design's current value of a parameter (derived amounts included); None if absent."""
    _param(name)
    if name == "stacking.unit_cells":
        return float(design.stacking.unit_cells)
    if name == "electrode.width_mm":
        return design.electrode_width_mm
    role, key = name.split(".", 1)
    i = design.index_of(role)
    if i is None:
        return None
    layer = design.unit_cell[i]
    if key == "active_fraction":
        comps = layer.component_list()
        return comps[_active_index(comps, design.library())].mass_fraction
    result = result or evaluate(design)
    info = result.layers[i]
    return {"loading_mg_cm2": info.loading_mg_cm2, "thickness_um": info.thickness_um,
            "areal_capacity_mAh_cm2": info.areal_capacity_mAh_cm2, "np_ratio": result.np_ratio,
            "density_g_cm3": info.density_g_cm3}[key]


def available_parameters(design: Design) -> list[str]:
    """The parameters that make sense for this design."""
    out = []
    for name in PARAMETERS:
        role = name.split(".")[0]
        if role in ("stacking", "electrode"):
            out.append(name)
        elif design.index_of(role) is not None:
            if name == "cathode.active_fraction" and len(design.layer("cathode").component_list()) < 2:
                continue
            out.append(name)
    return out


# --------------------------------------------------------------------------- helpers
def _is_arr(x) -> bool:
    return isinstance(x, np.ndarray)


def _min(a, b):
    return np.minimum(a, b) if _is_arr(a) or _is_arr(b) else min(a, b)


def _where(cond, a, b):
    if _is_arr(cond):
        return np.where(cond, a, b)
    return a if cond else b


@dataclass
class _Props:
    """Per-layer numbers (floats or arrays)."""
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


def _film(layer: Layer, lib, area, thickness=None) -> _Props:
    comps = layer.component_list()
    if layer.density_g_cm3 is not None:
        rho = layer.density_g_cm3
    else:
        inv = 0.0
        for c in comps:
            inv += c.mass_fraction / lib[c.material].density_g_cm3
        rho = (1.0 - (layer.porosity or 0.0)) / inv
    t = layer.thickness_um if thickness is None else thickness
    return _Props(layer, t, rho * t * 0.1, rho, area)


def _electrode(layer: Layer, lib, area, amount_key, amount, fraction=None, density=None,
               q_cathode=None) -> _Props:
    comps = layer.component_list()
    mats = [lib[c.material] for c in comps]
    ws: list[Any] = [c.mass_fraction for c in comps]
    if fraction is not None:
        a = _active_index(comps, lib)
        rest = 1.0 - ws[a]
        ws = [fraction if j == a else w * (1.0 - fraction) / rest for j, w in enumerate(ws)]
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
    return _Props(layer, t, L, rho, area, Q, q, qv / q,
                  lithiated=any(m.lithiated for m in active),
                  li_metal=bool(active) and all(m.is_li_metal for m in active))


def _area(w, h, o):
    return (w + 2 * o) * (h + 2 * o) / 100.0


# --------------------------------------------------------------------------- compute
def _compute(design: Design, pname: str | None = None, pval: Any = None, over: dict | None = None) -> dict:
    """All quantities for a valid design, with one parameter optionally replaced by `pval`
    (or several: `over` maps parameter names to values that broadcast together)."""
    over = dict(over or {})
    if pname is not None:
        over[pname] = pval
    lib = design.library()
    st = design.stacking
    W = over.get("electrode.width_mm", design.electrode_width_mm)
    H = design.electrode_height_mm
    N = over.get("stacking.unit_cells", float(st.unit_cells))
    warnings: list[str] = []

    # cathode first: the anode's N/P amount refers to it
    uc = design.unit_cell
    props: list[_Props | None] = [None] * len(uc)
    ci = design.index_of("cathode")
    cathode = uc[ci]
    key, amount = cathode.amount()
    for name, v in over.items():
        if name.startswith("cathode.") and name not in ("cathode.active_fraction", "cathode.density_g_cm3"):
            key, amount = name.split(".", 1)[1], v
    props[ci] = cat = _electrode(cathode, lib, _area(W, H, cathode.overhang_mm), key, amount,
                                 fraction=over.get("cathode.active_fraction"),
                                 density=over.get("cathode.density_g_cm3"))
    sep_seen = False
    for i, layer in enumerate(uc):
        if i == ci:
            continue
        area = _area(W, H, layer.overhang_mm)
        if layer.role == "anode":
            key, amount = layer.amount()
            for name, v in over.items():
                if name.startswith("anode."):
                    key, amount = name.split(".", 1)[1], v
            props[i] = _electrode(layer, lib, area, key, amount, q_cathode=cat.areal_capacity_mAh_cm2)
            continue
        thickness = None
        if layer.role == "separator" and not sep_seen:
            sep_seen = True
            thickness = over.get("separator.thickness_um")
        elif layer.role.endswith("collector"):
            thickness = over.get(f"{layer.role}.thickness_um")
        props[i] = _film(layer, lib, area, thickness)

    ai = design.index_of("anode")
    an = props[ai] if ai is not None else None
    Qc = cat.areal_capacity_mAh_cm2
    np_ratio = an.areal_capacity_mAh_cm2 / Qc if an is not None else None
    plating_host = an is None or an.li_metal
    no_li = False
    if plating_host:
        if cat.lithiated:
            Qcell = Qc
        elif an is None:
            Qcell, no_li = 0.0 * Qc, True
            warnings.append("No lithium source: the cathode is not lithiated and the cell is anode-free, "
                            "so no lithium can cycle (capacity 0). Use a lithiated cathode or a Li anode.")
        else:
            Qcell = _min(Qc, an.areal_capacity_mAh_cm2)
            if not _is_arr(Qcell) and an.areal_capacity_mAh_cm2 < Qc:
                warnings.append(f"Capacity limited by the Li foil: the unlithiated cathode takes its lithium "
                                f"from the anode, which holds {an.areal_capacity_mAh_cm2:.3g} of "
                                f"{Qc:.3g} mAh/cm² (N/P {an.areal_capacity_mAh_cm2 / Qc:.2f}).")
    else:
        if cat.lithiated or an.lithiated:
            Qcell = _min(Qc, an.areal_capacity_mAh_cm2)
            if cat.lithiated and not _is_arr(np_ratio) and np_ratio < 1:
                warnings.append(f"N/P ratio {np_ratio:.2f} < 1 with a lithiated cathode: lithium plating "
                                f"risk on the anode; capacity limited to the anode's "
                                f"{an.areal_capacity_mAh_cm2:.3g} mAh/cm².")
        else:
            Qcell, no_li = 0.0 * Qc, True
            warnings.append("No lithium source: neither the cathode nor the anode is lithiated "
                            "(e.g. S or TiS2 against graphite or Si), so no lithium can cycle "
                            "(capacity 0). Use a lithiated electrode or a Li-metal anode.")
    V_cell = cat.voltage_V - (an.voltage_V if an is not None else 0.0)
    if design.nominal_voltage_V is not None:
        V_cell = design.nominal_voltage_V
    elif not _is_arr(V_cell) and V_cell <= 0:
        warnings.append(f"Cell voltage {V_cell:.3g} V: the cathode's average voltage is not above the "
                        f"anode's, so the energy is not positive. Check average_voltage_V of the "
                        f"electrode materials or set nominal_voltage_V.")

    # plated lithium (charged state): lithium from a lithiated cathode plates on the host
    plated_um = 0.0
    if design.volume_state == "charged" and plating_host and cat.lithiated:
        plated_um = Qcell / PLATED_LI_MAH_CM2_PER_UM

    # footprint: the largest overhang; spacers and plates cover it
    omax = max(layer.overhang_mm for layer in uc)
    Wf, Hf = W + 2 * omax, H + 2 * omax
    A_fp = Wf * Hf / 100.0
    A = W * H / 100.0

    # counts of collectors / spacers / plates in the stack, and per-unit-cell shares
    pc_i, nc_i = 0, len(uc) - 1
    spacer = plate = None
    if st.type == "bipolar":
        n_pos = n_neg = 1.0
        n_sp, n_pl = 0.0, N - 1.0
        s_pos = s_neg = s_sp = 0.0
        s_pl = 1.0
        if st.plate is not None:
            plate = _film(st.plate, lib, A_fp)
    else:
        sharing = st.collector_sharing
        if sharing == "shared":
            n_pos = (N + 1.0) // 2.0
            n_neg = N + 1.0 - n_pos
            n_sp = 0.0
            s_pos = s_neg = 0.5
            s_sp = 0.0
        elif sharing == "bicell":
            n_pos, n_neg, n_sp = N, N / 2.0, N / 2.0 - 1.0
            s_pos, s_neg, s_sp = 1.0, 0.5, 0.5
        else:
            n_pos, n_neg, n_sp = N, N, N - 1.0
            s_pos = s_neg = s_sp = 1.0
        n_pl, s_pl = 0.0, 0.0
        if st.spacer is not None and sharing != "shared":
            spacer = _film(st.spacer, lib, A_fp)
        elif st.spacer is not None:
            warnings.append("The spacer is not used: with shared collectors no two groups are separated.")

    # per-group sums over one unit cell (collectors excluded)
    groups = {k: [0.0, 0.0, 0.0] for k in BREAKDOWN_ITEMS}  # mass_mg, volume_cm3, thickness_um
    cell_mass = 0.0
    cell_t = 0.0
    for i, p in enumerate(props):
        if i in (pc_i, nc_i):
            continue
        g = groups[p.layer.role]
        m = p.areal_mass_mg_cm2 * p.area_cm2
        g[0] = g[0] + N * m
        g[1] = g[1] + N * p.thickness_um * p.area_cm2 * 1e-4
        g[2] = g[2] + N * p.thickness_um
        cell_mass = cell_mass + m
        cell_t = cell_t + p.thickness_um

    def add(item, count, p):
        g = groups[item]
        g[0] = g[0] + count * p.areal_mass_mg_cm2 * p.area_cm2
        g[1] = g[1] + count * p.thickness_um * p.area_cm2 * 1e-4
        g[2] = g[2] + count * p.thickness_um

    pc, nc = props[pc_i], props[nc_i]
    add("positive_collector", n_pos, pc)
    add("negative_collector", n_neg, nc)
    uc_mass = cell_mass + s_pos * pc.areal_mass_mg_cm2 * pc.area_cm2 + s_neg * nc.areal_mass_mg_cm2 * nc.area_cm2
    uc_t = cell_t + s_pos * pc.thickness_um + s_neg * nc.thickness_um + plated_um
    if spacer is not None:
        add("spacer", n_sp, spacer)
        uc_mass = uc_mass + s_sp * spacer.areal_mass_mg_cm2 * A_fp
        uc_t = uc_t + s_sp * spacer.thickness_um
    if plate is not None:
        add("bipolar_plate", n_pl, plate)
        uc_mass = uc_mass + s_pl * plate.areal_mass_mg_cm2 * A_fp
        uc_t = uc_t + s_pl * plate.thickness_um
    if _is_arr(plated_um) or plated_um:
        groups["plated_li"][1] = N * plated_um * A * 1e-4
        groups["plated_li"][2] = N * plated_um

    stack_mass_mg = 0.0
    stack_t = 0.0
    for k, g in groups.items():
        stack_mass_mg = stack_mass_mg + g[0]
        stack_t = stack_t + g[2]

    # electrical
    unit_energy_Wh = Qcell * V_cell * A / 1e6 * 1000.0  # mAh/cm2 * V * cm2 = mWh -> Wh
    if st.type == "bipolar":
        voltage = N * V_cell
        capacity_Ah = Qcell * A / 1000.0
    else:
        voltage = V_cell + 0.0 * N
        capacity_Ah = N * Qcell * A / 1000.0
    energy_Wh = capacity_Ah * voltage

    # pouch
    pk = design.packaging
    s = pk.seal_width_mm
    A_out = (Wf + 2 * s) * (Hf + 2 * s) / 100.0
    lam_mg = 2.0 * A_out * pk.laminate_thickness_um * pk.laminate_density_g_cm3 * 0.1
    tabs_mg = 0.0
    for tab in pk.tabs:
        tabs_mg += tab.width_mm * tab.length_mm / 100.0 * tab.thickness_um * 0.1 * lib[tab.material].density_g_cm3
    thickness_um = stack_t + 2.0 * pk.laminate_thickness_um
    A_basis = A_out if pk.volume_basis == "outline" else A_fp
    volume_cm3 = A_basis * thickness_um * 1e-4
    mass_g = (stack_mass_mg + lam_mg + tabs_mg) / 1000.0
    groups["laminate"] = [lam_mg, 2.0 * pk.laminate_thickness_um * A_basis * 1e-4,
                          2.0 * pk.laminate_thickness_um]
    groups["tabs"] = [tabs_mg, 0.0, 0.0]
    used = 0.0
    for k, g in groups.items():
        if k != "edge_space":
            used = used + g[1]
    groups["edge_space"] = [0.0, volume_cm3 - used, 0.0]

    stack_mass_g = stack_mass_mg / 1000.0
    stack_volume_cm3 = A_fp * stack_t * 1e-4
    uc_volume_cm3 = A_fp * uc_t * 1e-4

    out = {
        "voltage_V": voltage, "capacity_Ah": capacity_Ah, "energy_Wh": energy_Wh,
        "gravimetric_Wh_kg": energy_Wh / mass_g * 1000.0,
        "volumetric_Wh_L": energy_Wh / volume_cm3 * 1000.0,
        "stack_gravimetric_Wh_kg": energy_Wh / stack_mass_g * 1000.0,
        "stack_volumetric_Wh_L": energy_Wh / stack_volume_cm3 * 1000.0,
        "mass_g": mass_g, "volume_cm3": volume_cm3, "thickness_mm": thickness_um / 1000.0,
        "areal_capacity_mAh_cm2": Qcell, "np_ratio": np_ratio,
        "unit_cell_gravimetric_Wh_kg": unit_energy_Wh / uc_mass * 1e6,
        "unit_cell_volumetric_Wh_L": unit_energy_Wh / uc_volume_cm3 * 1000.0,
        "unit_cell_voltage_V": V_cell, "unit_cell_mass_mg_cm2": uc_mass / A,
        "unit_cell_thickness_um": uc_t,
        "stack_mass_g": stack_mass_g, "stack_volume_cm3": stack_volume_cm3,
        "stack_thickness_mm": stack_t / 1000.0, "stack_voltage_V": voltage,
        "stack_capacity_Ah": capacity_Ah,
        "cathode_loading_mg_cm2": cat.areal_mass_mg_cm2, "cathode_thickness_um": cat.thickness_um,
        "cathode_areal_capacity_mAh_cm2": Qc,
        "anode_thickness_um": an.thickness_um if an is not None else None,
        "footprint_area_cm2": A_fp, "outline_area_cm2": A_out, "cathode_area_cm2": A,
    }
    return {"values": out, "groups": groups, "props": props, "warnings": warnings,
            "no_li": no_li, "counts": {"unit_cells": N, "positive_collector": n_pos,
                                       "negative_collector": n_neg,
                                       "spacer": n_sp if spacer is not None else 0.0,
                                       "bipolar_plate": n_pl if plate is not None else 0.0},
            "footprint_mm": (Wf, Hf), "outline_mm": (Wf + 2 * s, Hf + 2 * s), "plated_um": plated_um}


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class LayerInfo:
    """Derived values of one unit-cell layer (what the editor shows as derived amounts)."""
    role: str
    name: str
    thickness_um: float
    loading_mg_cm2: float
    density_g_cm3: float
    area_cm2: float
    areal_capacity_mAh_cm2: float | None
    specific_capacity_mAh_g: float | None
    voltage_V: float | None


@dataclass(frozen=True)
class BreakdownItem:
    item: str
    mass_g: float
    volume_cm3: float
    thickness_um: float

    @property
    def label(self) -> str:
        return BREAKDOWN_LABELS.get(self.item, self.item)


@dataclass(frozen=True)
class Result:
    values: dict
    breakdown: tuple[BreakdownItem, ...]
    warnings: tuple[str, ...]
    layers: tuple[LayerInfo, ...]
    counts: dict = field(default_factory=dict)
    footprint_mm: tuple[float, float] = (0.0, 0.0)
    outline_mm: tuple[float, float] = (0.0, 0.0)
    plated_li_um: float = 0.0

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key):
        return self.values[key]

    def to_dict(self) -> dict:
        """The result object of FORMAT.md (plus this app's extra, clearly named keys)."""
        d: dict[str, Any] = {k: self.values[k] for k in FORMAT_KEYS}
        d["breakdown"] = [{"item": b.item, "mass_g": b.mass_g, "volume_cm3": b.volume_cm3,
                           "thickness_um": b.thickness_um} for b in self.breakdown]
        d["warnings"] = list(self.warnings)
        for k in EXTRA_KEYS:
            d[k] = self.values[k]
        return d


def evaluate(design: Design, validate: bool = True) -> Result:
    """Evaluate a design. Raises DesignError (naming the fields) for an invalid one."""
    if validate:
        check(design)
    try:
        c = _compute(design)
    except (ZeroDivisionError, OverflowError):  # valid but extreme inputs (e.g. 5e-324 g/cm3)
        raise DesignError("design: the model cannot compute with these extreme values (a number "
                          "underflows to 0 or overflows); check the inputs") from None
    values = dict(c["values"])
    warnings = list(c["warnings"])
    for k, v in values.items():
        if v is not None and not math.isfinite(v):  # pragma: no cover - guarded by validation
            raise DesignError(f"{k}: the model gave a non-finite value ({v}); check the inputs")
    breakdown = []
    for item in BREAKDOWN_ITEMS:
        m, vol, t = c["groups"][item]
        if m or vol or t:
            breakdown.append(BreakdownItem(item, m / 1000.0, max(vol, 0.0) if item == "edge_space" else vol, t))
    layers = []
    for p in c["props"]:
        electrode = p.layer.is_electrode
        layers.append(LayerInfo(
            role=p.layer.role, name=p.layer.display_name(), thickness_um=p.thickness_um,
            loading_mg_cm2=p.areal_mass_mg_cm2, density_g_cm3=p.density_g_cm3, area_cm2=p.area_cm2,
            areal_capacity_mAh_cm2=p.areal_capacity_mAh_cm2 if electrode else None,
            specific_capacity_mAh_g=p.specific_capacity_mAh_g if electrode else None,
            voltage_V=p.voltage_V if electrode else None))
    warnings.extend(_advisories(design, values))
    from .rules import rule_warnings; warnings.extend(rule_warnings(design, values))  # noqa: E702 (core.rules, issue 14)
    return Result(values=values, breakdown=tuple(breakdown), warnings=tuple(warnings),
                  layers=tuple(layers), counts=c["counts"], footprint_mm=c["footprint_mm"],
                  outline_mm=c["outline_mm"], plated_li_um=float(c["plated_um"]))


def _advisories(design: Design, values: dict) -> list[str]:
    """Honest flags: values beyond what the field has demonstrated (shared/data tables)."""
    from .literature import demonstrated_limits
    lim = demonstrated_limits()
    out = []
    q = values["cathode_areal_capacity_mAh_cm2"]
    if lim.get("max_cathode_mAh_cm2") and q > lim["max_cathode_mAh_cm2"]:
        out.append(f"Cathode areal capacity {q:.3g} mAh/cm² is beyond the highest solid-state cathode "
                   f"in the literature table ({lim['max_cathode_mAh_cm2']:.3g} mAh/cm²).")
    sep = design.layer("separator")
    if lim.get("min_membrane_um") and sep is not None and sep.thickness_um is not None \
            and sep.thickness_um < lim["min_membrane_um"]:
        out.append(f"Separator {sep.thickness_um:.3g} µm is thinner than any SSE membrane in the "
                   f"literature table ({lim['min_membrane_um']:.3g} µm).")
    return out


def _sweep_values(design: Design, parameter: str, values) -> np.ndarray:
    """The values of one swept parameter as a float array; DesignError if unusable."""
    p = _param(parameter)
    x = np.asarray(values, dtype=float).ravel()
    if x.size == 0:
        raise DesignError("values: give at least one value")
    if not np.all(np.isfinite(x)):
        raise DesignError(f"{parameter}: values must be finite")
    if np.any(x <= 0):
        raise DesignError(f"{parameter}: must be > 0, got {x[x <= 0][0]:g}")
    if parameter == "cathode.active_fraction" and np.any(x > 1):
        raise DesignError(f"{parameter}: must be in (0, 1], got {x[x > 1][0]:g}")
    if p.integer:
        if np.any(x != np.round(x)):
            raise DesignError(f"{parameter}: must be whole numbers")
        if design.stacking.type == "parallel" and design.stacking.collector_sharing == "bicell" \
                and np.any(x % 2):
            raise DesignError(f"{parameter}: must be even for bicell stacking")
    if parameter == "stacking.unit_cells" and design.stacking.type == "bipolar" \
            and design.stacking.plate is None and np.any(x > 1):
        raise DesignError("stacking.plate: a bipolar stack of more than one unit cell needs a plate "
                          'film, e.g. {"material": "SS", "thickness_um": 10}')
    role = parameter.split(".")[0]
    if role not in ("stacking", "electrode") and design.index_of(role) is None:
        raise DesignError(f"{parameter}: this design has no {role.replace('_', ' ')}")
    if parameter == "cathode.active_fraction" and len(design.layer("cathode").component_list()) < 2:
        raise DesignError(f"{parameter}: the cathode has a single component; add components "
                          f"to vary the active content")
    return x


def sweep(design: Design, parameter: str, values) -> dict[str, np.ndarray]:
    """Every numeric result key as an array over `values` of one parameter, in one
    vectorised pass. `breakdown_mass_g` maps each breakdown item to its mass array."""
    check(design)
    x = _sweep_values(design, parameter, values)
    c = _compute(design, parameter, x)
    n = x.size
    out: dict[str, Any] = {}
    for k in NUMERIC_KEYS:
        v = c["values"][k]
        out[k] = np.full(n, np.nan) if v is None else np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy()
    out["breakdown_mass_g"] = {item: np.broadcast_to(np.asarray(g[0], dtype=float) / 1000.0, (n,)).copy()
                               for item, g in c["groups"].items()}
    out[parameter] = x
    return out


def sweep2(design: Design, p1: str, v1, p2: str, v2) -> dict[str, np.ndarray]:
    """Two parameters at once (the design map): every numeric result key as a 2-D array of
    shape (len(v2), len(v1)), element [j, i] at p1 = v1[i] and p2 = v2[j] (rows follow p2, as
    an image's y). `breakdown_mass_g` maps each item to such an array; `out[p1]`, `out[p2]`
    hold the grids. Equal to sweep(with_parameter(design, p2, v2[j]), p1, v1) row by row."""
    check(design)
    if p1 == p2:
        raise DesignError(f"p2: must differ from p1, got {p2!r} twice")
    amount_keys = ("loading_mg_cm2", "thickness_um", "areal_capacity_mAh_cm2", "np_ratio")
    for role in ("cathode", "anode"):
        if all(p.split(".")[0] == role and p.split(".", 1)[1] in amount_keys for p in (p1, p2)):
            raise DesignError(f"p2: {p1} and {p2} both set the {role}'s amount; vary one of them")
    x1 = _sweep_values(design, p1, v1)
    x2 = _sweep_values(design, p2, v2)
    X1, X2 = x1[None, :], x2[:, None]
    c = _compute(design, over={p1: X1, p2: X2})
    shape = (x2.size, x1.size)
    out: dict[str, Any] = {}
    for k in NUMERIC_KEYS:
        v = c["values"][k]
        out[k] = np.full(shape, np.nan) if v is None else np.broadcast_to(np.asarray(v, dtype=float), shape).copy()
    out["breakdown_mass_g"] = {item: np.broadcast_to(np.asarray(g[0], dtype=float) / 1000.0, shape).copy()
                               for item, g in c["groups"].items()}
    out[p1] = np.broadcast_to(X1, shape).copy()
    out[p2] = np.broadcast_to(X2, shape).copy()
    return out


# --------------------------------------------------------------------------- goal seek
@dataclass(frozen=True)
class Solution:
    parameter: str
    result_key: str
    target: float
    value: float | None
    reason: str = ""
    at_least: bool | None = None  # True: the parameter must be >= value; False: <= value
    crossings: tuple[float, ...] = ()

    @property
    def ok(self) -> bool:
        return self.value is not None

    def describe(self, unit_label: str | None = None) -> str:
        p = PARAMETERS[self.parameter]
        label, runit = RESULT_LABELS.get(self.result_key, (self.result_key, ""))
        if not self.ok:
            return self.reason
        op = ">=" if self.at_least else "<="
        unit = unit_label if unit_label is not None else p.unit
        return f"{p.label} {op} {_fmt_sig(self.value)} {unit} for {self.target:g} {runit}".replace("  ", " ")


def _fmt_sig(v: float) -> str:
    return f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"


def solve_for(design: Design, parameter: str, result_key: str, target: float,
              lo: float | None = None, hi: float | None = None) -> Solution:
    """The parameter value at which `result_key` reaches `target`, or why it cannot."""
    check(design)
    p = _param(parameter)
    if result_key not in NUMERIC_KEYS:
        raise DesignError(f"result_key: unknown result {result_key!r}")
    if not math.isfinite(target):
        raise DesignError(f"target: must be finite, got {target}")
    lo = p.lo if lo is None else lo
    hi = p.hi if hi is None else hi
    current = parameter_value(design, parameter)
    if current is None:
        return Solution(parameter, result_key, target, None,
                        reason=f"{p.label}: this design has no {parameter.split('.')[0]}")
    if p.integer:
        step = 2 if (design.stacking.type == "parallel" and design.stacking.collector_sharing == "bicell") else 1
        start = int(math.ceil(lo / step) * step) if lo > 1 else step
        x = np.arange(start, int(hi) + 1, step, dtype=float)
    elif p.log:
        x = np.geomspace(lo, hi, 801)
    else:
        x = np.linspace(lo, hi, 801)
    x = _sweep_values(design, parameter, x)
    y = _fast_key(design, parameter, x, result_key)
    good = np.isfinite(y)
    x, y = x[good], y[good]
    label, runit = RESULT_LABELS.get(result_key, (result_key, ""))
    if x.size == 0:
        return Solution(parameter, result_key, target, None, reason=f"{label} is undefined over the range")
    f = y - target
    idx = np.nonzero(np.sign(f[:-1]) * np.sign(f[1:]) <= 0)[0]
    idx = idx[~((f[idx] == 0) & (f[idx + 1] == 0))] if idx.size else idx
    if idx.size == 0:
        if np.nanmax(y) - np.nanmin(y) <= 1e-9 * max(1.0, abs(float(np.nanmax(y)))):
            return Solution(parameter, result_key, target, None,
                            reason=f"{label} does not depend on {p.label.lower()} "
                                   f"(it stays {_fmt_sig(float(y[0]))} {runit})".replace("  ", " "))
        best = np.nanmax(y) if np.all(f < 0) else np.nanmin(y)
        where = x[np.nanargmax(y)] if np.all(f < 0) else x[np.nanargmin(y)]
        word = "at most" if np.all(f < 0) else "at least"
        return Solution(parameter, result_key, target, None,
                        reason=f"{target:g} {runit} is out of reach by {p.label.lower()} alone: "
                               f"{label} is {word} {_fmt_sig(best)} {runit} (at {_fmt_sig(where)} {p.unit}) "
                               f"over {_fmt_sig(lo)}-{_fmt_sig(hi)} {p.unit}".replace("  ", " "))
    # the crossing nearest the design's current value, refined by vectorised zooming
    coarse = [0.5 * (x[i] + x[i + 1]) for i in idx]
    i = int(idx[int(np.argmin([abs(c - current) for c in coarse]))])
    increasing = bool(y[i + 1] > y[i])
    a, b = x[i], x[i + 1]
    if p.integer:
        value = b if increasing else a  # the whole number on the side that meets the target
    else:
        fa, fb = f[i], f[i + 1]
        for _ in range(2):  # two passes of 64 points: ~1e-7 of the range
            xs = np.linspace(a, b, 64)
            fs = _fast_key(design, parameter, xs, result_key) - target
            j = np.nonzero(np.sign(fs[:-1]) * np.sign(fs[1:]) <= 0)[0]
            if j.size == 0:
                break
            a, b, fa, fb = xs[j[0]], xs[j[0] + 1], fs[j[0]], fs[j[0] + 1]
        value = a if fa == fb else a - fa * (b - a) / (fb - fa)
    return Solution(parameter, result_key, target, float(value), at_least=increasing,
                    crossings=tuple(float(c) for c in coarse))


def _fast_key(design: Design, parameter: str, xs: np.ndarray, key: str) -> np.ndarray:
    """One result over values already checked by solve_for (no re-validation)."""
    v = _compute(design, parameter, xs)["values"][key]
    return np.broadcast_to(np.asarray(v, dtype=float), xs.shape)
