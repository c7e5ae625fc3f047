"""The design: immutable records for layers, stacking and packaging, parsed from and
written to the `ssb-pouch-design` format (FORMAT.md), with validation that names the
offending field by its path."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, Mapping

from .materials import MATERIAL_FIELDS, resolve_library
from .memo import memo

FORMAT_NAME = "ssb-pouch-design"
SCHEMA_VERSION = 1

UNIT_CELL_ROLES = ("positive_collector", "cathode", "separator", "interlayer", "anode",
                   "negative_collector")
FILM_ROLES = ("positive_collector", "negative_collector", "separator", "interlayer",
              "spacer", "bipolar_plate")
ELECTRODE_ROLES = ("cathode", "anode")
AMOUNT_KEYS = ("loading_mg_cm2", "thickness_um", "areal_capacity_mAh_cm2", "np_ratio")
ROLE_LABELS = {
    "positive_collector": "Positive collector", "cathode": "Cathode composite",
    "separator": "SSE separator", "interlayer": "Interlayer", "anode": "Anode",
    "negative_collector": "Negative collector", "spacer": "Spacer",
    "bipolar_plate": "Bipolar plate",
}
STACKING_TYPES = ("parallel", "bipolar")
COLLECTOR_SHARING = ("shared", "bicell", "none")
VOLUME_BASES = ("outline", "stack")
VOLUME_STATES = ("discharged", "charged")
MAX_UNIT_CELLS = 10000
MAX_LAYERS = 10000  # unit-cell layers: the same limit on load, edit (core.document) and save


class DesignError(ValueError):
    """A design that cannot be used. `problems` lists every finding as `path: message`."""

    def __init__(self, problems: list[str] | str):
        problems = [problems] if isinstance(problems, str) else list(problems)
        # one line per problem, whatever user text (a key, a name) it quotes
        self.problems = [_one_line(p) for p in problems]
        super().__init__(self.problems[0] if len(self.problems) == 1 else
                         f"{self.problems[0]} (and {len(self.problems) - 1} more problem"
                         f"{'s' if len(self.problems) > 2 else ''})")


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Component:
    material: str
    mass_fraction: float


@dataclass(frozen=True)
class Layer:
    """One layer. Exactly one of `material` / `components` names what it is made of."""
    role: str
    material: str | None = None
    components: tuple[Component, ...] | None = None
    thickness_um: float | None = None
    loading_mg_cm2: float | None = None
    areal_capacity_mAh_cm2: float | None = None
    np_ratio: float | None = None
    density_g_cm3: float | None = None
    porosity: float | None = None
    overhang_mm: float = 0.0
    label: str | None = None
    ionic_conductivity_S_cm: float | None = None  # measured value of this layer (MODEL.md step 11)
    # keys of the file this app does not know, kept as written (reported, saved back)
    extra: tuple = ()

    @property
    def is_electrode(self) -> bool:
        return self.role in ELECTRODE_ROLES

    def component_list(self) -> tuple[Component, ...]:
        if self.components:
            return self.components
        return (Component(self.material or "", 1.0),)

    def amount(self) -> tuple[str, float]:
        """The one amount an electrode is given by (key, value); films: thickness."""
        for key in AMOUNT_KEYS:
            value = getattr(self, key)
            if value is not None:
                return key, value
        raise DesignError(f"{self.role}: no amount given")

    def with_amount(self, key: str, value: float) -> "Layer":
        """The same electrode given by another amount (the other amounts become derived)."""
        cleared = {k: None for k in AMOUNT_KEYS}
        cleared[key] = value
        return replace(self, **cleared)

    def display_name(self) -> str:
        if self.label:
            return self.label
        if self.material:
            return self.material
        return " + ".join(c.material for c in self.component_list())


@dataclass(frozen=True)
class Stacking:
    type: str = "parallel"
    unit_cells: int = 1
    collector_sharing: str = "shared"
    spacer: Layer | None = None
    plate: Layer | None = None
    extra: tuple = ()


@dataclass(frozen=True)
class Tab:
    material: str
    width_mm: float = 10.0
    length_mm: float = 30.0
    thickness_um: float = 200.0
    extra: tuple = ()


DEFAULT_TABS = (Tab("Al"), Tab("Ni"))


@dataclass(frozen=True)
class Packaging:
    laminate_thickness_um: float = 113.0
    laminate_density_g_cm3: float = 1.5
    seal_width_mm: float = 5.0
    volume_basis: str = "outline"
    tabs: tuple[Tab, ...] = DEFAULT_TABS
    laminate_price_USD_m2: float | None = None
    extra: tuple = ()


@dataclass(frozen=True)
class Lithium:
    """MODEL.md step 8: lithium over life. The defaults reproduce a perfect cell."""
    formation_efficiency: float = 1.0
    coulombic_efficiency: float = 1.0
    end_of_life_retention: float = 0.8
    cycle_target: int = 0
    extra: tuple = ()


@dataclass(frozen=True)
class Fixture:
    """MODEL.md step 10: two end plates and tie rods holding the stack pressure."""
    pressure_MPa: float = 1.0
    plate_material: str = "SS"
    cells_per_fixture: int = 1
    safety_factor: float = 2.0
    plate_thickness_mm: float | None = None
    extra: tuple = ()


@dataclass(frozen=True)
class Operation:
    """MODEL.md step 11: the current the cell must deliver."""
    c_rate: float = 1.0 / 3.0
    interface_asr_ohm_cm2: float = 0.0
    extra: tuple = ()


DISTRIBUTIONS = ("normal", "uniform")


@dataclass(frozen=True)
class Tolerance:
    """MODEL.md step 12: the spread of one sweep parameter (normal: sd; uniform: half width)."""
    parameter: str
    distribution: str = "normal"
    width: float = 0.0  # sd for normal, half width for uniform
    extra: tuple = ()


# Result keys a source may report for a design (`reported`), with how to name them.
REPORTED_KEYS = {
    "gravimetric_Wh_kg": ("Wh/kg", "pouch"), "volumetric_Wh_L": ("Wh/L", "pouch"),
    "stack_gravimetric_Wh_kg": ("Wh/kg", "stack"), "stack_volumetric_Wh_L": ("Wh/L", "stack"),
    "unit_cell_gravimetric_Wh_kg": ("Wh/kg", "unit cell"), "unit_cell_volumetric_Wh_L": ("Wh/L", "unit cell"),
    "capacity_Ah": ("Ah", "pouch"), "energy_Wh": ("Wh", "pouch"), "voltage_V": ("V", "pouch"),
}


@dataclass(frozen=True)
class Reported:
    """A figure the design's source reports (a preset's paper), so that the app can show,
    where it shows its own numbers, how far this model lands from it and why."""
    key: str          # one of REPORTED_KEYS
    value: float
    source: str       # who reports it, e.g. "Wang et al., Adv. Mater. 2023"
    note: str = ""    # why this model's number differs, where it does


@dataclass(frozen=True)
class Design:
    name: str
    unit_cell: tuple[Layer, ...]
    electrode_width_mm: float = 100.0
    electrode_height_mm: float = 100.0
    stacking: Stacking = field(default_factory=Stacking)
    packaging: Packaging = field(default_factory=Packaging)
    volume_state: str = "discharged"
    nominal_voltage_V: float | None = None
    notes: str = ""
    # design-local materials: name -> fields (see FORMAT.md `materials`)
    materials: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    lithium: Lithium | None = None
    fixture: Fixture | None = None
    operation: Operation | None = None
    tolerances: tuple[Tolerance, ...] = ()
    extra: tuple = ()
    # figures the design's source reports (presets: their paper), compared where shown
    reported: tuple[Reported, ...] = ()

    def index_of(self, role: str) -> int | None:
        for i, layer in enumerate(self.unit_cell):
            if layer.role == role:
                return i
        return None

    def layer(self, role: str) -> Layer | None:
        i = self.index_of(role)
        return None if i is None else self.unit_cell[i]

    def replace_layer(self, index: int, layer: Layer) -> "Design":
        cells = list(self.unit_cell)
        cells[index] = layer
        return replace(self, unit_cell=tuple(cells))

    def library(self):
        return resolve_library(self.materials)


# --------------------------------------------------------------------------- parsing
_LAYER_KEYS = {"role", "label", "overhang_mm", "material", "components", "density_g_cm3",
               "porosity", "thickness_um", "loading_mg_cm2", "areal_capacity_mAh_cm2", "np_ratio",
               "ionic_conductivity_S_cm"}
_TOP_KEYS = {"format", "schema_version", "name", "notes", "materials", "electrode", "unit_cell",
             "stacking", "packaging", "volume_state", "nominal_voltage_V",
             "lithium", "fixture", "operation", "tolerances", "reported"}
_STACKING_KEYS = {"type", "unit_cells", "collector_sharing", "spacer", "plate"}
_PACKAGING_KEYS = {"laminate_thickness_um", "laminate_density_g_cm3", "seal_width_mm",
                   "volume_basis", "tabs", "laminate_price_USD_m2"}
_TAB_KEYS = {"material", "width_mm", "length_mm", "thickness_um"}
_LITHIUM_KEYS = {"formation_efficiency", "coulombic_efficiency", "end_of_life_retention",
                 "cycle_target"}
_FIXTURE_KEYS = {"pressure_MPa", "plate_material", "cells_per_fixture", "safety_factor",
                 "plate_thickness_mm"}
_OPERATION_KEYS = {"c_rate", "interface_asr_ohm_cm2"}
_TOLERANCE_KEYS = {"distribution", "sd", "half_width"}
_MATERIAL_TEXT_KEYS = {"category", "note", "source", "price_source"}
# every key a design file may hold, by where it sits (the format document lists them all)
DESIGN_KEYS = {"": _TOP_KEYS, "electrode": {"width_mm", "height_mm"}, "unit_cell[]": _LAYER_KEYS,
               "components[]": {"material", "mass_fraction"}, "stacking": _STACKING_KEYS,
               "packaging": _PACKAGING_KEYS, "tabs[]": _TAB_KEYS, "lithium": _LITHIUM_KEYS,
               "fixture": _FIXTURE_KEYS, "operation": _OPERATION_KEYS,
               "tolerances{}": _TOLERANCE_KEYS}


class _Reader:
    """Collects problems while reading a JSON object tree."""

    def __init__(self):
        self.problems: list[str] = []
        self.unknown: list[str] = []

    def bad(self, path: str, msg: str):
        self.problems.append(f"{path}: {msg}")

    def number(self, d: Mapping, key: str, path: str, required=False, default=None):
        if key not in d or d[key] is None:
            if required:
                self.bad(f"{path}{key}", "missing (a number is required)")
            return default
        v = d[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.bad(f"{path}{key}", f"must be a number, got {_quote(v)}")
            return default
        if isinstance(v, int) and abs(v) > 1.7976931348623157e308:  # float() would overflow
            self.bad(f"{path}{key}", f"must be finite, got a {len(str(abs(v)))}-digit number")
            return default
        if not math.isfinite(v):
            self.bad(f"{path}{key}", f"must be finite, got {v}")
            return default
        return float(v)

    def integer(self, d: Mapping, key: str, path: str, default=None):
        if key not in d:
            return default
        v = d[key]
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, bool) or not isinstance(v, int):
            self.bad(f"{path}{key}", f"must be a whole number, got {_quote(v)}")
            return default
        return v

    def string(self, d: Mapping, key: str, path: str, required=False, default=None):
        if key not in d or d[key] is None:
            if required:
                self.bad(f"{path}{key}", "missing (text is required)")
            return default
        v = d[key]
        if not isinstance(v, str):
            self.bad(f"{path}{key}", f"must be text, got {_quote(v)}")
            return default
        return v

    def obj(self, v, path: str) -> Mapping | None:
        if not isinstance(v, dict):
            self.bad(path, f"must be an object, got {_quote(v)}")
            return None
        return v

    def note_unknown(self, d: Mapping, allowed: set, path: str) -> tuple:
        """Record the keys of `d` not in `allowed`; return them (key, value) to keep."""
        out = []
        for k in d:
            if k not in allowed:
                self.unknown.append(f"{path}{k}")
                out.append((k, d[k]))
        return tuple(out)


def _escape(text: str) -> str:
    """User text for a message: quotes, backslashes, control characters, line breaks and
    lone surrogates escaped as in JSON / Python (\\n, \\x00, \\ud800), so it stays one line."""
    out = []
    for ch in text:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])  # \n, \x00, \u2028, \ud800
    return "".join(out)


def _one_line(problem: str) -> str:
    """A problem line with any non-printable character escaped (a last guard: user text in
    field paths, e.g. a material named with a line break)."""
    if problem.isprintable():
        return problem
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in problem)


def _quote(v) -> str:
    if isinstance(v, str):
        return '"' + _escape(v if len(v) <= 40 else v[:37] + "...") + '"'
    if isinstance(v, dict):
        return "an object"
    if isinstance(v, list):
        return "a list"
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(v)


def _read_layer(r: _Reader, d, path: str, role: str | None = None) -> Layer | None:
    d = r.obj(d, path.rstrip("."))
    if d is None:
        return None
    extra = r.note_unknown(d, _LAYER_KEYS, path)
    if role is None:
        role = r.string(d, "role", path, required=True)
    elif "role" in d and d["role"] != role:
        r.bad(f"{path}role", f'must be "{role}" here, got {_quote(d["role"])}')
    if role is None:
        return None
    components = None
    if "components" in d:
        comps = d["components"]
        if not isinstance(comps, list) or not comps:
            r.bad(f"{path}components", f"must be a non-empty list, got {_quote(comps)}")
        else:
            out = []
            for j, c in enumerate(comps):
                cp = f"{path}components[{j}]."
                c = r.obj(c, cp.rstrip("."))
                if c is None:
                    continue
                r.note_unknown(c, {"material", "mass_fraction"}, cp)
                name = r.string(c, "material", cp, required=True)
                w = r.number(c, "mass_fraction", cp, required=True)
                if name is not None and w is not None:
                    out.append(Component(name, w))
            components = tuple(out)
    return Layer(
        role=role,
        material=r.string(d, "material", path),
        components=components,
        thickness_um=r.number(d, "thickness_um", path),
        loading_mg_cm2=r.number(d, "loading_mg_cm2", path),
        areal_capacity_mAh_cm2=r.number(d, "areal_capacity_mAh_cm2", path),
        np_ratio=r.number(d, "np_ratio", path),
        density_g_cm3=r.number(d, "density_g_cm3", path),
        porosity=r.number(d, "porosity", path),
        overhang_mm=r.number(d, "overhang_mm", path, default=0.0),
        label=r.string(d, "label", path),
        ionic_conductivity_S_cm=r.number(d, "ionic_conductivity_S_cm", path),
        extra=extra,
    )


def design_from_dict(d: Any) -> Design:
    """Parse and validate a design-file object; raise DesignError naming every bad field."""
    r = _Reader()
    if not isinstance(d, dict):
        raise DesignError(f"file: must hold a JSON object, got {_quote(d)}")
    fmt = d.get("format")
    if fmt != FORMAT_NAME:
        raise DesignError(f'format: must be "{FORMAT_NAME}", got {_quote(fmt)}')
    ver = d.get("schema_version")
    if isinstance(ver, float) and ver.is_integer():  # 1.0 is the whole number 1
        ver = int(ver)
    if isinstance(ver, bool) or not isinstance(ver, int):
        raise DesignError(f"schema_version: must be a whole number, got {_quote(ver)}")
    if ver > SCHEMA_VERSION:
        raise DesignError(f"schema_version: this file was written for schema version {ver}; this "
                          f"app reads up to version {SCHEMA_VERSION}. Update the app to open it")
    if ver < 1:
        raise DesignError(f"schema_version: must be >= 1, got {ver}")
    top_extra = r.note_unknown(d, _TOP_KEYS, "")

    name = r.string(d, "name", "", required=True)
    notes = r.string(d, "notes", "", default="")

    materials: dict[str, dict] = {}
    if "materials" in d:
        mats = r.obj(d["materials"], "materials")
        for mname, m in (mats or {}).items():
            mp = f"materials.{mname}."
            m = r.obj(m, mp.rstrip("."))
            if m is None:
                continue
            r.note_unknown(m, set(MATERIAL_FIELDS) | _MATERIAL_TEXT_KEYS, mp)
            entry: dict[str, Any] = dict(m)  # unknown fields are kept as written
            for k in MATERIAL_FIELDS:
                if k == "lithiated":
                    continue
                v = r.number(m, k, mp)
                if v is not None:
                    entry[k] = v
            if "lithiated" in m:
                if not isinstance(m["lithiated"], bool):
                    r.bad(f"{mp}lithiated", f"must be true or false, got {_quote(m['lithiated'])}")
                else:
                    entry["lithiated"] = m["lithiated"]
            for k in _MATERIAL_TEXT_KEYS:
                r.string(m, k, mp)
            materials[mname] = entry

    width = height = None
    electrode_extra: tuple = ()
    e = d.get("electrode")
    if e is None:
        r.bad("electrode", "missing (an object with width_mm and height_mm)")
    elif r.obj(e, "electrode") is not None:
        electrode_extra = r.note_unknown(e, {"width_mm", "height_mm"}, "electrode.")
        width = r.number(e, "width_mm", "electrode.", required=True)
        height = r.number(e, "height_mm", "electrode.", required=True)

    layers: list[Layer] = []
    uc = d.get("unit_cell")
    if not isinstance(uc, list):
        r.bad("unit_cell", f"must be a list of layers, got {_quote(uc)}")
    else:
        for i, ld in enumerate(uc):
            layer = _read_layer(r, ld, f"unit_cell[{i}].")
            if layer is not None:
                layers.append(layer)

    stacking = Stacking()
    s = d.get("stacking")
    if s is None:
        r.bad("stacking", 'missing (e.g. {"type": "parallel", "unit_cells": 1})')
    elif r.obj(s, "stacking") is not None:
        st_extra = r.note_unknown(s, _STACKING_KEYS, "stacking.")
        spacer = _read_layer(r, s["spacer"], "stacking.spacer.", "spacer") if s.get("spacer") is not None else None
        plate = _read_layer(r, s["plate"], "stacking.plate.", "bipolar_plate") if s.get("plate") is not None else None
        stacking = Stacking(
            type=r.string(s, "type", "stacking.", required=True, default="parallel"),
            unit_cells=r.integer(s, "unit_cells", "stacking.", default=1),
            collector_sharing=r.string(s, "collector_sharing", "stacking.", default="shared"),
            spacer=spacer, plate=plate, extra=st_extra)

    packaging = Packaging()
    p = d.get("packaging")
    if p is not None and r.obj(p, "packaging") is not None:
        pk_extra = r.note_unknown(p, _PACKAGING_KEYS, "packaging.")
        tabs = DEFAULT_TABS
        if "tabs" in p:
            if not isinstance(p["tabs"], list):
                r.bad("packaging.tabs", f"must be a list, got {_quote(p['tabs'])}")
            else:
                tabs_l = []
                for j, t in enumerate(p["tabs"]):
                    tp = f"packaging.tabs[{j}]."
                    t = r.obj(t, tp.rstrip("."))
                    if t is None:
                        continue
                    t_extra = r.note_unknown(t, _TAB_KEYS, tp)
                    tabs_l.append(Tab(material=r.string(t, "material", tp, required=True, default=""),
                                      width_mm=r.number(t, "width_mm", tp, default=10.0),
                                      length_mm=r.number(t, "length_mm", tp, default=30.0),
                                      thickness_um=r.number(t, "thickness_um", tp, default=200.0),
                                      extra=t_extra))
                tabs = tuple(tabs_l)
        packaging = Packaging(
            laminate_thickness_um=r.number(p, "laminate_thickness_um", "packaging.", default=113.0),
            laminate_density_g_cm3=r.number(p, "laminate_density_g_cm3", "packaging.", default=1.5),
            seal_width_mm=r.number(p, "seal_width_mm", "packaging.", default=5.0),
            volume_basis=r.string(p, "volume_basis", "packaging.", default="outline"),
            tabs=tabs, laminate_price_USD_m2=r.number(p, "laminate_price_USD_m2", "packaging."),
            extra=pk_extra)

    reported: list[Reported] = []
    if "reported" in d:
        rep = d["reported"]
        if not isinstance(rep, list):
            r.bad("reported", f"must be a list, got {_quote(rep)}")
        else:
            for j, item in enumerate(rep):
                rp = f"reported[{j}]."
                item = r.obj(item, rp.rstrip("."))
                if item is None:
                    continue
                r.note_unknown(item, {"key", "value", "source", "note"}, rp)
                key = r.string(item, "key", rp, required=True)
                value = r.number(item, "value", rp, required=True)
                if key is not None and key not in REPORTED_KEYS:
                    r.bad(f"{rp}key", f"must be one of {', '.join(REPORTED_KEYS)}, got {_quote(key)}")
                elif key is not None and value is not None:
                    reported.append(Reported(key, value, r.string(item, "source", rp, default="") or "",
                                             r.string(item, "note", rp, default="") or ""))

    design = Design(
        name=name or "", notes=notes or "", materials=materials, reported=tuple(reported),
        electrode_width_mm=width if width is not None else 100.0,
        electrode_height_mm=height if height is not None else 100.0,
        unit_cell=tuple(layers), stacking=stacking, packaging=packaging,
        volume_state=r.string(d, "volume_state", "", default="discharged"),
        nominal_voltage_V=r.number(d, "nominal_voltage_V", ""),
        lithium=_read_lithium(r, d["lithium"]) if d.get("lithium") is not None else None,
        fixture=_read_fixture(r, d["fixture"]) if d.get("fixture") is not None else None,
        operation=_read_operation(r, d["operation"]) if d.get("operation") is not None else None,
        tolerances=_read_tolerances(r, d["tolerances"]) if d.get("tolerances") is not None else (),
        extra=top_extra + ((("electrode", dict(electrode_extra)),) if electrode_extra else ()),
    )
    if r.problems:
        raise DesignError(r.problems)
    problems = memo(design, "problems", lambda: tuple(validate(design)))
    if problems:
        raise DesignError(list(problems))
    return design


def _read_lithium(r: _Reader, d) -> Lithium | None:
    if r.obj(d, "lithium") is None:
        return None
    extra = r.note_unknown(d, _LITHIUM_KEYS, "lithium.")
    return Lithium(formation_efficiency=r.number(d, "formation_efficiency", "lithium.", default=1.0),
                   coulombic_efficiency=r.number(d, "coulombic_efficiency", "lithium.", default=1.0),
                   end_of_life_retention=r.number(d, "end_of_life_retention", "lithium.", default=0.8),
                   cycle_target=r.integer(d, "cycle_target", "lithium.", default=0), extra=extra)


def _read_fixture(r: _Reader, d) -> Fixture | None:
    if r.obj(d, "fixture") is None:
        return None
    extra = r.note_unknown(d, _FIXTURE_KEYS, "fixture.")
    return Fixture(pressure_MPa=r.number(d, "pressure_MPa", "fixture.", required=True, default=1.0),
                   plate_material=r.string(d, "plate_material", "fixture.", default="SS"),
                   cells_per_fixture=r.integer(d, "cells_per_fixture", "fixture.", default=1),
                   safety_factor=r.number(d, "safety_factor", "fixture.", default=2.0),
                   plate_thickness_mm=r.number(d, "plate_thickness_mm", "fixture."), extra=extra)


def _read_operation(r: _Reader, d) -> Operation | None:
    if r.obj(d, "operation") is None:
        return None
    extra = r.note_unknown(d, _OPERATION_KEYS, "operation.")
    return Operation(c_rate=r.number(d, "c_rate", "operation.", default=1.0 / 3.0),
                     interface_asr_ohm_cm2=r.number(d, "interface_asr_ohm_cm2", "operation.", default=0.0),
                     extra=extra)


def _read_tolerances(r: _Reader, d) -> tuple:
    if r.obj(d, "tolerances") is None:
        return ()
    out = []
    for name, t in d.items():
        tp = f"tolerances.{name}."
        t = r.obj(t, tp.rstrip("."))
        if t is None:
            continue
        extra = r.note_unknown(t, _TOLERANCE_KEYS, tp)
        dist = r.string(t, "distribution", tp, default="normal")
        key = "half_width" if dist == "uniform" else "sd"
        other = "sd" if key == "half_width" else "half_width"
        if other in t and key not in t:
            r.bad(f"{tp}{other}", f'a {dist} tolerance is given by {key}, got {other}')
            continue
        width = r.number(t, key, tp, required=True)
        if width is not None:
            out.append(Tolerance(name, dist, width, extra))
    return tuple(out)


_KNOWN_MATERIAL_KEYS = frozenset(MATERIAL_FIELDS) | _MATERIAL_TEXT_KEYS


def unknown_paths(design: "Design") -> list[str]:
    """The keys of the design's file that this app does not know (kept, not used)."""
    out = [k for k, _ in design.extra if k != "electrode"]
    out += [f"electrode.{k}" for k, v in design.extra if k == "electrode" for k in v]
    for i, layer in enumerate(design.unit_cell):
        if layer.extra:
            out += [f"unit_cell[{i}].{k}" for k, _ in layer.extra]
    st = design.stacking
    out += [f"stacking.{k}" for k, _ in st.extra]
    for name, layer in (("spacer", st.spacer), ("plate", st.plate)):
        if layer is not None and layer.extra:
            out += [f"stacking.{name}.{k}" for k, _ in layer.extra]
    out += [f"packaging.{k}" for k, _ in design.packaging.extra]
    for j, t in enumerate(design.packaging.tabs):
        if t.extra:
            out += [f"packaging.tabs[{j}].{k}" for k, _ in t.extra]
    for block in (design.lithium, design.fixture, design.operation):
        if block is not None and block.extra:
            name = "lithium" if block is design.lithium else "fixture" if block is design.fixture else "operation"
            out += [f"{name}.{k}" for k, _ in block.extra]
    for t in design.tolerances:
        out += [f"tolerances.{t.parameter}.{k}" for k, _ in t.extra]
    if design.materials:
        known = _KNOWN_MATERIAL_KEYS
        for mname, m in design.materials.items():
            out += [f"materials.{mname}.{k}" for k in m if k not in known]
    return out


def unknown_keys(d: Any) -> list[str]:
    """Keys of a design file this app does not know (kept out of the design, reported)."""
    r = _Reader()
    try:
        if isinstance(d, dict):
            r.note_unknown(d, _TOP_KEYS, "")
            for i, ld in enumerate(d.get("unit_cell") or []):
                if isinstance(ld, dict):
                    r.note_unknown(ld, _LAYER_KEYS, f"unit_cell[{i}].")
    except Exception:  # pragma: no cover - advisory only
        pass
    return r.unknown


# --------------------------------------------------------------------------- validation
def _positive(problems, path, v):
    if v is None:
        return
    if not math.isfinite(v) or v <= 0:
        problems.append(f"{path}: must be > 0, got {_fmt(v)}")


def _nonneg(problems, path, v):
    if v is None:
        return
    if not math.isfinite(v) or v < 0:
        problems.append(f"{path}: must be >= 0, got {_fmt(v)}")


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v) if not isinstance(v, str) else _quote(v)


def _validate_layer(problems, layer: Layer, path: str, lib, roles=UNIT_CELL_ROLES):
    if layer.role not in roles:
        allowed = ", ".join(f'"{x}"' for x in roles)
        problems.append(f"{path}.role: must be one of {allowed}, got {_fmt(layer.role)}")
        return
    if (layer.material is None) == (layer.components is None):
        problems.append(f"{path}: give either material or components (exactly one)")
        return
    if layer.material is not None and layer.material not in lib:
        problems.append(f"{path}.material: unknown material {_fmt(layer.material)} "
                        f"(add it under materials, or pick one from the library)")
    if layer.components is not None:
        if not layer.components:
            problems.append(f"{path}.components: must list at least one component")
        total = 0.0
        for j, c in enumerate(layer.components):
            cp = f"{path}.components[{j}]"
            if c.material not in lib:
                problems.append(f"{cp}.material: unknown material {_fmt(c.material)} "
                                f"(add it under materials, or pick one from the library)")
            if not math.isfinite(c.mass_fraction) or not 0 < c.mass_fraction <= 1:
                problems.append(f"{cp}.mass_fraction: must be in (0, 1], got {_fmt(c.mass_fraction)}")
            else:
                total += c.mass_fraction
        if layer.components and all(0 < c.mass_fraction <= 1 for c in layer.components) \
                and abs(total - 1.0) > 1e-6:
            problems.append(f"{path}.components: mass fractions must sum to 1, got {total:.6g}")
    if layer.density_g_cm3 is not None and layer.porosity is not None:
        problems.append(f"{path}: give at most one of density_g_cm3 and porosity")
    _positive(problems, f"{path}.density_g_cm3", layer.density_g_cm3)
    if layer.porosity is not None and (not math.isfinite(layer.porosity) or not 0 <= layer.porosity < 1):
        problems.append(f"{path}.porosity: must be in [0, 1), got {_fmt(layer.porosity)}")
    _nonneg(problems, f"{path}.overhang_mm", layer.overhang_mm)
    given = [k for k in AMOUNT_KEYS if getattr(layer, k) is not None]
    if layer.is_electrode:
        if layer.role == "cathode" and "np_ratio" in given:
            problems.append(f"{path}.np_ratio: only the anode can be given by N/P ratio")
        if len(given) != 1:
            problems.append(f"{path}: give exactly one amount of loading_mg_cm2, thickness_um, "
                            f"areal_capacity_mAh_cm2" + (", np_ratio" if layer.role == "anode" else "")
                            + (f"; got {', '.join(given)}" if given else "; got none"))
        for k in given:
            _positive(problems, f"{path}.{k}", getattr(layer, k))
        comps = [lib[c.material] for c in layer.component_list() if c.material in lib]
        if comps and len(comps) == len(layer.component_list()):
            active = [m for m in comps if m.is_active]
            if not active:
                problems.append(f"{path}: no component has a specific capacity "
                                f"(an electrode needs an active material)")
            for m in active:
                if m.average_voltage_V is None or not math.isfinite(m.average_voltage_V):
                    problems.append(f"materials.{m.name}.average_voltage_V: required for an active "
                                    f"material used in the {layer.role}")
    else:
        others = [k for k in given if k != "thickness_um"]
        if others:
            problems.append(f"{path}.{others[0]}: a {layer.role.replace('_', ' ')} is given by "
                            f"thickness_um only")
        if layer.thickness_um is None:
            problems.append(f"{path}.thickness_um: missing (a number > 0 is required)")
        else:
            _positive(problems, f"{path}.thickness_um", layer.thickness_um)


def _layer_problems(layer: Layer, path: str, lib, materials, roles=UNIT_CELL_ROLES) -> tuple[str, ...]:
    """_validate_layer's problems, kept on the layer (core.memo) while it and the design's
    materials are the same objects."""
    def run():
        out: list[str] = []
        _validate_layer(out, layer, path, lib, roles)
        return tuple(out)
    return memo(layer, "problems", run, materials, (path, roles))


def validate(design: Design) -> list[str]:
    """Every problem with a design, as `path: message` lines (empty when it is valid)."""
    problems: list[str] = []
    if not isinstance(design.name, str) or not design.name.strip():
        problems.append('name: must be non-empty text, got ""')
    lib = design.library()
    for mname, m in design.materials.items():
        mp = f"materials.{mname}"
        if mname not in _builtin_names() and "density_g_cm3" not in m:
            problems.append(f"{mp}.density_g_cm3: required for a new material")
        _positive(problems, f"{mp}.density_g_cm3", m.get("density_g_cm3"))
        _nonneg(problems, f"{mp}.specific_capacity_mAh_g", m.get("specific_capacity_mAh_g"))
        _positive(problems, f"{mp}.ionic_conductivity_S_cm", m.get("ionic_conductivity_S_cm"))
        v = m.get("average_voltage_V")
        if v is not None and (not math.isfinite(v) or abs(v) > 10):
            problems.append(f"{mp}.average_voltage_V: must be between -10 and 10 V, got {_fmt(v)}")
    _positive(problems, "electrode.width_mm", design.electrode_width_mm)
    _positive(problems, "electrode.height_mm", design.electrode_height_mm)

    uc = design.unit_cell
    if len(uc) > MAX_LAYERS:
        problems.append(f"unit_cell: at most {MAX_LAYERS} layers, got {len(uc)}")
    roles = [layer.role for layer in uc]
    for i, layer in enumerate(uc):
        problems += _layer_problems(layer, f"unit_cell[{i}]", lib, design.materials)
    if len(uc) < 4:
        problems.append("unit_cell: needs at least positive_collector, cathode, separator and "
                        f"negative_collector; got {len(uc)} layer{'s' if len(uc) != 1 else ''}")
    else:
        if roles[0] != "positive_collector":
            problems.append(f'unit_cell[0].role: must be "positive_collector" (the unit cell runs from '
                            f'the positive to the negative collector), got {_fmt(roles[0])}')
        if roles[1] != "cathode":
            problems.append(f'unit_cell[1].role: must be "cathode", got {_fmt(roles[1])}')
        if roles[-1] != "negative_collector":
            problems.append(f'unit_cell[{len(uc) - 1}].role: must be "negative_collector", '
                            f'got {_fmt(roles[-1])}')
        middle = roles[2:-1]
        for j, role in enumerate(middle, start=2):
            if role in ("positive_collector", "cathode", "negative_collector"):
                problems.append(f"unit_cell[{j}].role: a unit cell has one {role.replace('_', ' ')}, "
                                f"at its {'start' if role != 'negative_collector' else 'end'}")
        if "separator" not in middle:
            problems.append("unit_cell: needs at least one separator between cathode and "
                            "negative collector")
        if middle.count("anode") > 1:
            problems.append("unit_cell: at most one anode per unit cell")
        if "anode" in middle and "separator" in middle:
            a = roles.index("anode")
            last_sep = len(roles) - 1 - roles[::-1].index("separator")
            if a < last_sep:
                problems.append(f"unit_cell[{a}].role: the anode must come after the separator(s)")
    mats = design.materials
    problems += memo(design.stacking, "problems", lambda: _stacking_problems(design.stacking, lib), mats)
    pk_problems, price_problems = memo(design.packaging, "problems",
                                       lambda: _packaging_problems(design.packaging, lib), mats)
    problems += pk_problems
    if design.volume_state not in VOLUME_STATES:
        problems.append(f'volume_state: must be "discharged" or "charged", got {_fmt(design.volume_state)}')
    v = design.nominal_voltage_V
    if v is not None and (not math.isfinite(v) or not 0 < v <= 10000):
        problems.append(f"nominal_voltage_V: must be > 0 V and finite, got {_fmt(v)}")
    for i, layer in enumerate(uc):
        if layer.ionic_conductivity_S_cm is not None:
            _positive(problems, f"unit_cell[{i}].ionic_conductivity_S_cm", layer.ionic_conductivity_S_cm)
    for mname, m in mats.items():
        mp = f"materials.{mname}"
        _positive(problems, f"{mp}.lithiated_volume_ratio", m.get("lithiated_volume_ratio"))
        _positive(problems, f"{mp}.yield_strength_MPa", m.get("yield_strength_MPa"))
        _nonneg(problems, f"{mp}.price_USD_kg", m.get("price_USD_kg"))
    problems += price_problems
    _validate_blocks(problems, design, lib)
    return problems


def _stacking_problems(st: Stacking, lib) -> tuple[str, ...]:
    """validate()'s problems with the stacking record (kept on it: core.memo)."""
    problems: list[str] = []
    if st.type not in STACKING_TYPES:
        problems.append(f'stacking.type: must be "parallel" or "bipolar", got {_fmt(st.type)}')
    if not isinstance(st.unit_cells, int) or isinstance(st.unit_cells, bool) \
            or not 1 <= st.unit_cells <= MAX_UNIT_CELLS:
        problems.append(f"stacking.unit_cells: must be a whole number from 1 to {MAX_UNIT_CELLS}, "
                        f"got {_fmt(st.unit_cells)}")
    if st.type == "parallel":
        if st.collector_sharing not in COLLECTOR_SHARING:
            problems.append(f'stacking.collector_sharing: must be "shared", "bicell" or "none", '
                            f"got {_fmt(st.collector_sharing)}")
        elif st.collector_sharing == "bicell" and isinstance(st.unit_cells, int) and st.unit_cells % 2:
            problems.append(f"stacking.unit_cells: must be even for bicell stacking "
                            f"(each bi-cell holds two unit cells), got {st.unit_cells}")
    if st.spacer is not None:
        _validate_layer(problems, st.spacer, "stacking.spacer", lib, roles=("spacer",))
    if st.plate is not None:
        _validate_layer(problems, st.plate, "stacking.plate", lib, roles=("bipolar_plate",))
    elif st.type == "bipolar" and isinstance(st.unit_cells, int) and st.unit_cells > 1:
        problems.append("stacking.plate: a bipolar stack needs a plate film, e.g. "
                        '{"material": "SS", "thickness_um": 10}')
    return tuple(problems)


def _packaging_problems(pk: Packaging, lib) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """validate()'s problems with the packaging record: (the first ones, the laminate price's)."""
    problems: list[str] = []
    _nonneg(problems, "packaging.laminate_thickness_um", pk.laminate_thickness_um)
    _positive(problems, "packaging.laminate_density_g_cm3", pk.laminate_density_g_cm3)
    _nonneg(problems, "packaging.seal_width_mm", pk.seal_width_mm)
    if pk.volume_basis not in VOLUME_BASES:
        problems.append(f'packaging.volume_basis: must be "outline" or "stack", got {_fmt(pk.volume_basis)}')
    for j, t in enumerate(pk.tabs):
        tp = f"packaging.tabs[{j}]"
        if t.material not in lib:
            problems.append(f"{tp}.material: unknown material {_fmt(t.material)}")
        _positive(problems, f"{tp}.width_mm", t.width_mm)
        _positive(problems, f"{tp}.length_mm", t.length_mm)
        _positive(problems, f"{tp}.thickness_um", t.thickness_um)
    price: list[str] = []
    _nonneg(price, "packaging.laminate_price_USD_m2", pk.laminate_price_USD_m2)
    return tuple(problems), tuple(price)


def _in_range(problems, path, v, lo, hi, lo_open=True, hi_open=False):
    """v in the interval (lo, hi] by default; the message names the interval."""
    if v is None:
        return
    ok = math.isfinite(v) and (v > lo if lo_open else v >= lo) and (v < hi if hi_open else v <= hi)
    if not ok:
        interval = f"{'(' if lo_open else '['}{_fmt(float(lo))}, {_fmt(float(hi))}{')' if hi_open else ']'}"
        problems.append(f"{path}: must be in {interval}, got {_fmt(v)}")


def _lithium_problems(li: Lithium) -> tuple[str, ...]:
    problems: list[str] = []
    _in_range(problems, "lithium.formation_efficiency", li.formation_efficiency, 0, 1)
    _in_range(problems, "lithium.coulombic_efficiency", li.coulombic_efficiency, 0, 1)
    _in_range(problems, "lithium.end_of_life_retention", li.end_of_life_retention, 0, 1, hi_open=True)
    if not isinstance(li.cycle_target, int) or isinstance(li.cycle_target, bool) \
            or not 0 <= li.cycle_target <= 10_000_000:
        problems.append(f"lithium.cycle_target: must be a whole number from 0 to 10000000, "
                        f"got {_fmt(li.cycle_target)}")
    return tuple(problems)


def _fixture_problems(fx: Fixture, lib) -> tuple[str, ...]:
    problems: list[str] = []
    _positive(problems, "fixture.pressure_MPa", fx.pressure_MPa)
    if fx.pressure_MPa is not None and math.isfinite(fx.pressure_MPa) and fx.pressure_MPa > 1000:
        problems.append(f"fixture.pressure_MPa: must be at most 1000 MPa, got {_fmt(fx.pressure_MPa)}")
    m = lib.get(fx.plate_material)
    if m is None:
        problems.append(f"fixture.plate_material: unknown material {_fmt(fx.plate_material)}")
    elif not m.yield_strength_MPa:
        with_ys = ", ".join(n for n, x in lib.items() if x.yield_strength_MPa)
        problems.append(f"fixture.plate_material: {_fmt(fx.plate_material)} has no yield_strength_MPa; "
                        f"use one that has ({with_ys}) or give it one under materials")
    if not isinstance(fx.cells_per_fixture, int) or isinstance(fx.cells_per_fixture, bool) \
            or not 1 <= fx.cells_per_fixture <= 100000:
        problems.append(f"fixture.cells_per_fixture: must be a whole number from 1 to 100000, "
                        f"got {_fmt(fx.cells_per_fixture)}")
    if fx.safety_factor is None or not math.isfinite(fx.safety_factor) or not 1 <= fx.safety_factor <= 100:
        problems.append(f"fixture.safety_factor: must be in [1, 100], got {_fmt(fx.safety_factor)}")
    _positive(problems, "fixture.plate_thickness_mm", fx.plate_thickness_mm)
    return tuple(problems)


def _operation_problems(op: Operation) -> tuple[str, ...]:
    problems: list[str] = []
    _in_range(problems, "operation.c_rate", op.c_rate, 0, 1000)
    _in_range(problems, "operation.interface_asr_ohm_cm2", op.interface_asr_ohm_cm2, 0, 1e6, lo_open=False)
    return tuple(problems)


def _validate_blocks(problems, design: Design, lib):
    """The lithium, fixture and operation blocks (each kept on its record: core.memo), then
    the tolerances."""
    if design.lithium is not None:
        problems += memo(design.lithium, "problems", lambda: _lithium_problems(design.lithium))
    if design.fixture is not None:
        problems += memo(design.fixture, "problems", lambda: _fixture_problems(design.fixture, lib),
                         design.materials)
    if design.operation is not None:
        problems += memo(design.operation, "problems", lambda: _operation_problems(design.operation))
    seen = set()
    for t in design.tolerances:
        tp = f"tolerances.{t.parameter}"
        if t.parameter in seen:
            problems.append(f"{tp}: given twice")
        seen.add(t.parameter)
        if t.distribution not in DISTRIBUTIONS:
            problems.append(f'{tp}.distribution: must be "normal" or "uniform", got {_fmt(t.distribution)}')
        key = "half_width" if t.distribution == "uniform" else "sd"
        _positive(problems, f"{tp}.{key}", t.width)
    if design.tolerances:
        from .model.params import tolerance_problems
        problems.extend(tolerance_problems(design))


def _builtin_names():
    from .materials import builtin_materials
    return builtin_materials()


def check(design: Design) -> Design:
    """Return the design if valid, else raise DesignError."""
    problems = memo(design, "problems", lambda: tuple(validate(design)))
    if problems:
        raise DesignError(list(problems))
    return design


# --------------------------------------------------------------------------- writing
def _num(v: float):
    """Write whole floats as integers so files stay readable."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    return v


def _extra_into(d: dict, extra) -> dict:
    for k, v in extra:
        if k not in d:
            d[k] = v
    return d


def layer_to_dict(layer: Layer, with_role=True) -> dict:
    d: dict[str, Any] = {}
    if with_role:
        d["role"] = layer.role
    if layer.label:
        d["label"] = layer.label
    if layer.material is not None:
        d["material"] = layer.material
    if layer.components is not None:
        d["components"] = [{"material": c.material, "mass_fraction": _num(c.mass_fraction)}
                           for c in layer.components]
    for k in ("density_g_cm3", "porosity", *AMOUNT_KEYS):
        v = getattr(layer, k)
        if v is not None:
            d[k] = _num(v)
    if layer.overhang_mm:
        d["overhang_mm"] = _num(layer.overhang_mm)
    if layer.ionic_conductivity_S_cm is not None:
        d["ionic_conductivity_S_cm"] = _num(layer.ionic_conductivity_S_cm)
    return _extra_into(d, layer.extra)


def design_to_dict(design: Design) -> dict:
    st = design.stacking
    stacking: dict[str, Any] = {"type": st.type, "unit_cells": st.unit_cells}
    if st.type == "parallel":
        stacking["collector_sharing"] = st.collector_sharing
    # both films are kept whatever the type, so switching the type back loses nothing
    if st.spacer is not None:
        stacking["spacer"] = layer_to_dict(st.spacer, with_role=False)
    if st.plate is not None:
        stacking["plate"] = layer_to_dict(st.plate, with_role=False)
    _extra_into(stacking, st.extra)
    pk = design.packaging
    out: dict[str, Any] = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION,
                           "name": design.name}
    if design.notes:
        out["notes"] = design.notes
    if design.materials:
        out["materials"] = {k: {f: _num(v) for f, v in m.items()} for k, m in design.materials.items()}
    out["electrode"] = {"width_mm": _num(design.electrode_width_mm),
                        "height_mm": _num(design.electrode_height_mm)}
    for k, v in design.extra:
        if k == "electrode" and isinstance(v, dict):
            _extra_into(out["electrode"], v.items())
    out["unit_cell"] = [layer_to_dict(layer) for layer in design.unit_cell]
    out["stacking"] = stacking
    out["packaging"] = {
        "laminate_thickness_um": _num(pk.laminate_thickness_um),
        "laminate_density_g_cm3": _num(pk.laminate_density_g_cm3),
        "seal_width_mm": _num(pk.seal_width_mm),
        "volume_basis": pk.volume_basis,
        "tabs": [_extra_into({"material": t.material, "width_mm": _num(t.width_mm),
                              "length_mm": _num(t.length_mm), "thickness_um": _num(t.thickness_um)},
                             t.extra) for t in pk.tabs],
    }
    if pk.laminate_price_USD_m2 is not None:
        out["packaging"]["laminate_price_USD_m2"] = _num(pk.laminate_price_USD_m2)
    _extra_into(out["packaging"], pk.extra)
    out["volume_state"] = design.volume_state
    if design.nominal_voltage_V is not None:
        out["nominal_voltage_V"] = _num(design.nominal_voltage_V)
    if design.lithium is not None:
        li = design.lithium
        out["lithium"] = _extra_into({"formation_efficiency": _num(li.formation_efficiency),
                                      "coulombic_efficiency": _num(li.coulombic_efficiency),
                                      "cycle_target": li.cycle_target,
                                      "end_of_life_retention": _num(li.end_of_life_retention)}, li.extra)
    if design.fixture is not None:
        fx = design.fixture
        f = {"pressure_MPa": _num(fx.pressure_MPa), "plate_material": fx.plate_material,
             "cells_per_fixture": fx.cells_per_fixture, "safety_factor": _num(fx.safety_factor)}
        if fx.plate_thickness_mm is not None:
            f["plate_thickness_mm"] = _num(fx.plate_thickness_mm)
        out["fixture"] = _extra_into(f, fx.extra)
    if design.operation is not None:
        op = design.operation
        out["operation"] = _extra_into({"c_rate": _num(op.c_rate),
                                        "interface_asr_ohm_cm2": _num(op.interface_asr_ohm_cm2)}, op.extra)
    if design.tolerances:
        out["tolerances"] = {t.parameter: _extra_into(
            {"distribution": t.distribution, ("half_width" if t.distribution == "uniform" else "sd"): _num(t.width)},
            t.extra) for t in design.tolerances}
    if design.reported:
        out["reported"] = [{"key": x.key, "value": _num(x.value), "source": x.source,
                            **({"note": x.note} if x.note else {})} for x in design.reported]
    for k, v in design.extra:
        if k != "electrode" and k not in out:
            out[k] = v
    return out


def record_fields(cls) -> list[str]:
    return [f.name for f in fields(cls)]
