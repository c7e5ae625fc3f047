"""Design files: round trips, golden files, refusals that name the field and the value,
hostile input, and atomic save (including SIGKILL during a save)."""
from __future__ import annotations

import dataclasses
import json
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import core
from core.design import design_to_dict
from core_testlib import DATA, ROOT, design, hand_dict, preset_dicts


# ---------------------------------------------------------------- round trips
@pytest.mark.parametrize("name", core.preset_names())
def test_preset_round_trip(name, tmp_path):
    d1 = core.load_preset(name)
    path = tmp_path / "a.ssbdesign.json"
    core.save_design(d1, path)
    d2 = core.load_design(path)
    assert d2 == d1
    core.save_design(d2, tmp_path / "b.json")
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    assert core.evaluate(d2).to_dict() == core.evaluate(d1).to_dict()


def test_presets_all_listed_and_saved_files_keep_their_content():
    raw = preset_dicts()
    assert sorted(raw) == core.preset_names() and len(raw) >= 7
    assert core.DEFAULT_PRESET in raw
    for name, d in raw.items():
        # what a preset file says is what the design holds (nothing silently dropped)
        assert design_to_dict(core.load_preset(name)) == d, name


@pytest.mark.parametrize("golden", ["design_v1.json", "design_v1_bipolar.json"])
def test_golden_round_trip(golden, tmp_path):
    d1 = core.load_design(DATA / golden)
    core.save_design(d1, tmp_path / golden)
    assert core.load_design(tmp_path / golden) == d1


# ---------------------------------------------------------------- golden files (schema 1)
def test_golden_v1_keeps_loading():
    """tests/data/design_v1.json: hand-written schema-1 file using every parallel-design key."""
    d = core.load_design(DATA / "design_v1.json")
    assert d.name == "Golden file, schema 1: parallel bi-cells"
    assert d.notes.startswith("Hand-written")
    assert d.materials["MyNMC"] == {"density_g_cm3": 4.7, "specific_capacity_mAh_g": 205,
                                    "average_voltage_V": 3.8, "lithiated": True,
                                    "ionic_conductivity_S_cm": 1e-6}
    lib = d.library()
    assert lib["MyNMC"].specific_capacity_mAh_g == 205 and lib["MyNMC"].lithiated
    assert lib["Li6PS5Cl"].ionic_conductivity_S_cm == 0.003          # override of a built-in
    assert lib["Li6PS5Cl"].density_g_cm3 == 1.86                     # other fields kept
    assert (d.electrode_width_mm, d.electrode_height_mm) == (80, 60)
    roles = [layer.role for layer in d.unit_cell]
    assert roles == ["positive_collector", "cathode", "separator", "separator", "interlayer",
                     "anode", "negative_collector"]
    pc, cat, sep1, sep2, inter, an, nc = d.unit_cell
    assert (pc.label, pc.material, pc.thickness_um) == ("Al foil", "Al", 12)
    assert cat.label == "MyNMC composite"
    assert [(c.material, c.mass_fraction) for c in cat.components] == \
        [("MyNMC", 0.8), ("Li6PS5Cl", 0.15), ("Carbon", 0.05)]
    assert (cat.density_g_cm3, cat.loading_mg_cm2, cat.porosity) == (3.3, 25, None)
    assert (sep1.material, sep1.porosity, sep1.thickness_um, sep1.overhang_mm) == ("Li6PS5Cl", 0.1, 30, 1)
    assert (sep2.density_g_cm3, sep2.thickness_um, sep2.label) == (1.7, 10, "binder-bonded membrane")
    assert (inter.label, inter.porosity, inter.thickness_um) == ("Ag-C", 0.5, 5)
    assert (an.material, an.np_ratio, an.overhang_mm, an.thickness_um) == ("Li", 0.5, 0.5, None)
    assert (nc.material, nc.thickness_um, nc.overhang_mm) == ("Cu", 8, 1.5)
    st = d.stacking
    assert (st.type, st.unit_cells, st.collector_sharing) == ("parallel", 6, "bicell")
    assert (st.spacer.role, st.spacer.label, st.spacer.material, st.spacer.thickness_um) == \
        ("spacer", "PET spacer", "PET", 40)
    pk = d.packaging
    assert (pk.laminate_thickness_um, pk.laminate_density_g_cm3, pk.seal_width_mm, pk.volume_basis) == \
        (120, 1.6, 4, "stack")
    assert [(t.material, t.width_mm, t.length_mm, t.thickness_um) for t in pk.tabs] == \
        [("Al", 12, 25, 150), ("Ni", 12, 25, 150)]
    assert d.volume_state == "charged" and d.nominal_voltage_V == 3.7
    r = core.evaluate(d)
    assert r.voltage_V == 3.7 and r.plated_li_um > 0
    assert r.counts["spacer"] == 2 and r.footprint_mm == (pytest.approx(83), pytest.approx(63))


def test_golden_v1_bipolar_keeps_loading():
    d = core.load_design(DATA / "design_v1_bipolar.json")
    assert d.notes == "" and d.materials == {} and d.nominal_voltage_V is None
    cat, an = d.layer("cathode"), d.layer("anode")
    assert (cat.porosity, cat.thickness_um) == (0.15, 80)
    assert (an.porosity, an.areal_capacity_mAh_cm2) == (0.2, 3.5)
    st = d.stacking
    assert (st.type, st.unit_cells, st.plate.role, st.plate.label, st.plate.thickness_um) == \
        ("bipolar", 5, "bipolar_plate", "clad foil", 15)
    assert d.packaging == core.Packaging()                 # every packaging key defaulted
    r = core.evaluate(d)
    assert r.voltage_V == pytest.approx(5 * (3.40 - 0.15))
    assert r.counts["bipolar_plate"] == 4


def test_golden_files_cover_every_format_key():
    """Every key FORMAT.md documents for schema 1 appears in one of the golden files."""
    keys: set[str] = set()

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                keys.add(k)
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    for f in ("design_v1.json", "design_v1_bipolar.json"):
        walk(json.loads((DATA / f).read_text(encoding="utf-8")))
    documented = {"format", "schema_version", "name", "notes", "materials", "density_g_cm3",
                  "specific_capacity_mAh_g", "average_voltage_V", "lithiated", "ionic_conductivity_S_cm",
                  "electrode", "width_mm", "height_mm", "unit_cell", "role", "label", "overhang_mm",
                  "material", "components", "mass_fraction", "porosity", "thickness_um",
                  "loading_mg_cm2", "areal_capacity_mAh_cm2", "np_ratio", "stacking", "type",
                  "unit_cells", "collector_sharing", "spacer", "plate", "packaging",
                  "laminate_thickness_um", "laminate_density_g_cm3", "seal_width_mm", "volume_basis",
                  "tabs", "length_mm", "volume_state", "nominal_voltage_V"}
    assert documented <= keys, documented - keys


# ---------------------------------------------------------------- refusals
def refusal(d) -> core.DesignError:
    text = d if isinstance(d, str) else json.dumps(d)
    with pytest.raises(core.DesignError) as ei:
        core.parse_design_text(text)
    e = ei.value
    assert isinstance(e, ValueError) and e.problems
    assert "\n" not in str(e)
    return e


def mutate(fn):
    d = hand_dict()
    fn(d)
    return d


REFUSALS = [
    # (what, mutation, an expected problem line, exactly)
    ("negative thickness", lambda d: d["unit_cell"][2].update(thickness_um=-5),
     "unit_cell[2].thickness_um: must be > 0, got -5"),
    ("zero loading", lambda d: d["unit_cell"][1].update(loading_mg_cm2=0),
     "unit_cell[1].loading_mg_cm2: must be > 0, got 0"),
    ("stacking type", lambda d: d["stacking"].update(type="spiral"),
     'stacking.type: must be "parallel" or "bipolar", got "spiral"'),
    ("porosity 1", lambda d: d["unit_cell"][2].update(porosity=1),
     "unit_cell[2].porosity: must be in [0, 1), got 1"),
    ("negative overhang", lambda d: d["unit_cell"][2].update(overhang_mm=-0.5),
     "unit_cell[2].overhang_mm: must be >= 0, got -0.5"),
    ("width", lambda d: d["electrode"].update(width_mm=0), "electrode.width_mm: must be > 0, got 0"),
    ("width text", lambda d: d["electrode"].update(width_mm="100"),
     'electrode.width_mm: must be a number, got "100"'),
    ("np", lambda d: d["unit_cell"].__setitem__(3, {"role": "anode", "material": "Li", "np_ratio": -1}),
     "unit_cell[3].np_ratio: must be > 0, got -1"),
    ("seal", lambda d: d["packaging"].update(seal_width_mm=-1), "packaging.seal_width_mm: must be >= 0, got -1"),
    ("laminate", lambda d: d["packaging"].update(laminate_thickness_um=-3),
     "packaging.laminate_thickness_um: must be >= 0, got -3"),
    ("tab", lambda d: d["packaging"]["tabs"][0].update(width_mm=-2), "packaging.tabs[0].width_mm: must be > 0, got -2"),
    ("unit cells", lambda d: d["stacking"].update(unit_cells=0),
     "stacking.unit_cells: must be a whole number from 1 to 10000, got 0"),
    ("unit cells fraction", lambda d: d["stacking"].update(unit_cells=2.5),
     "stacking.unit_cells: must be a whole number, got 2.5"),
    ("odd bicell", lambda d: d["stacking"].update(collector_sharing="bicell", unit_cells=3),
     "stacking.unit_cells: must be even for bicell stacking (each bi-cell holds two unit cells), got 3"),
    ("sharing", lambda d: d["stacking"].update(collector_sharing="some"),
     'stacking.collector_sharing: must be "shared", "bicell" or "none", got "some"'),
    ("unknown material", lambda d: d["unit_cell"][2].update(material="Unobtainium"),
     'unit_cell[2].material: unknown material "Unobtainium" (add it under materials, or pick one '
     'from the library)'),
    ("unknown component", lambda d: d["unit_cell"].__setitem__(1, {
        "role": "cathode", "components": [{"material": "NMC811", "mass_fraction": 0.5},
                                          {"material": "Kryptonite", "mass_fraction": 0.5}],
        "loading_mg_cm2": 20}),
     'unit_cell[1].components[1].material: unknown material "Kryptonite" (add it under materials, '
     'or pick one from the library)'),
    ("unknown tab material", lambda d: d["packaging"]["tabs"][0].update(material="Gold"),
     'packaging.tabs[0].material: unknown material "Gold"'),
    ("unknown role", lambda d: d["unit_cell"][2].update(role="electrolyte"),
     'unit_cell[2].role: must be one of "positive_collector", "cathode", "separator", "interlayer", '
     '"anode", "negative_collector", got "electrolyte"'),
    ("two amounts", lambda d: d["unit_cell"][1].update(thickness_um=50),
     "unit_cell[1]: give exactly one amount of loading_mg_cm2, thickness_um, areal_capacity_mAh_cm2; "
     "got loading_mg_cm2, thickness_um"),
    ("no amount", lambda d: d["unit_cell"][1].pop("loading_mg_cm2"),
     "unit_cell[1]: give exactly one amount of loading_mg_cm2, thickness_um, areal_capacity_mAh_cm2; "
     "got none"),
    ("np on cathode", lambda d: d["unit_cell"][1].update(np_ratio=1.0),
     "unit_cell[1].np_ratio: only the anode can be given by N/P ratio"),
    ("fractions sum", lambda d: d["unit_cell"].__setitem__(1, {
        "role": "cathode", "components": [{"material": "NMC811", "mass_fraction": 0.8},
                                          {"material": "Li6PS5Cl", "mass_fraction": 0.15}],
        "loading_mg_cm2": 20}),
     "unit_cell[1].components: mass fractions must sum to 1, got 0.95"),
    ("fraction range", lambda d: d["unit_cell"].__setitem__(1, {
        "role": "cathode", "components": [{"material": "NMC811", "mass_fraction": 1.2},
                                          {"material": "Li6PS5Cl", "mass_fraction": -0.2}],
        "loading_mg_cm2": 20}),
     "unit_cell[1].components[0].mass_fraction: must be in (0, 1], got 1.2"),
    ("density and porosity", lambda d: d["unit_cell"][1].update(porosity=0.1),
     "unit_cell[1]: give at most one of density_g_cm3 and porosity"),
    ("material and components", lambda d: d["unit_cell"][1].update(
        components=[{"material": "NMC811", "mass_fraction": 1}]),
     "unit_cell[1]: give either material or components (exactly one)"),
    ("film by loading", lambda d: d["unit_cell"][2].update(loading_mg_cm2=5),
     "unit_cell[2].loading_mg_cm2: a separator is given by thickness_um only"),
    ("film without thickness", lambda d: d["unit_cell"][2].pop("thickness_um"),
     "unit_cell[2].thickness_um: missing (a number > 0 is required)"),
    ("order", lambda d: d["unit_cell"].reverse(),
     'unit_cell[0].role: must be "positive_collector" (the unit cell runs from the positive to the '
     'negative collector), got "negative_collector"'),
    ("no separator", lambda d: d["unit_cell"].pop(2),
     "unit_cell: needs at least one separator between cathode and negative collector"),
    ("bipolar without plate", lambda d: d["stacking"].update(type="bipolar"),
     'stacking.plate: a bipolar stack needs a plate film, e.g. {"material": "SS", "thickness_um": 10}'),
    ("volume basis", lambda d: d["packaging"].update(volume_basis="box"),
     'packaging.volume_basis: must be "outline" or "stack", got "box"'),
    ("volume state", lambda d: d.update(volume_state="half"),
     'volume_state: must be "discharged" or "charged", got "half"'),
    ("nominal voltage", lambda d: d.update(nominal_voltage_V=-3.7),
     "nominal_voltage_V: must be > 0 V and finite, got -3.7"),
    ("new material without density", lambda d: d.update(materials={"Foo": {"specific_capacity_mAh_g": 100}}),
     "materials.Foo.density_g_cm3: required for a new material"),
    ("material voltage", lambda d: d.update(materials={"NMC811": {"average_voltage_V": 42}}),
     "materials.NMC811.average_voltage_V: must be between -10 and 10 V, got 42"),
    ("lithiated text", lambda d: d.update(materials={"NMC811": {"lithiated": "yes"}}),
     'materials.NMC811.lithiated: must be true or false, got "yes"'),
    ("no active material", lambda d: d["unit_cell"][1].update(material="Li6PS5Cl"),
     "unit_cell[1]: no component has a specific capacity (an electrode needs an active material)"),
    ("name missing", lambda d: d.pop("name"), "name: missing (text is required)"),
    ("name empty", lambda d: d.update(name="  "), 'name: must be non-empty text, got ""'),
    ("electrode missing", lambda d: d.pop("electrode"),
     "electrode: missing (an object with width_mm and height_mm)"),
    ("unit cell not a list", lambda d: d.update(unit_cell={"role": "cathode"}),
     "unit_cell: must be a list of layers, got an object"),
    ("layer not an object", lambda d: d["unit_cell"].__setitem__(2, 30),
     "unit_cell[2]: must be an object, got 30"),
    ("huge integer", lambda d: d["unit_cell"][2].update(thickness_um=10 ** 400),
     "unit_cell[2].thickness_um: must be finite, got a 401-digit number"),
]


@pytest.mark.parametrize("what, fn, expected", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_names_field_and_value(what, fn, expected):
    e = refusal(mutate(fn))
    assert expected in e.problems, e.problems
    # validate() on an in-memory design reports the same line for design-level problems
    assert str(e).startswith(e.problems[0])


def test_all_problems_are_reported_at_once():
    d = hand_dict()
    d["unit_cell"][2]["thickness_um"] = -5
    d["electrode"]["height_mm"] = -1
    d["packaging"]["volume_basis"] = "box"
    e = refusal(d)
    assert len(e.problems) == 3
    assert "and 2 more problems" in str(e)


@pytest.mark.parametrize("version, fragment", [
    (2, "schema_version: this file was written for schema version 2; this app reads up to version 1"),
    (99, "schema version 99"),
    (0, "schema_version: must be >= 1, got 0"),
    ("1", 'schema_version: must be a whole number, got "1"'),
    (None, "schema_version: must be a whole number, got null"),
])
def test_schema_version(version, fragment):
    d = hand_dict()
    d["schema_version"] = version
    assert fragment in str(refusal(d))


def test_newer_schema_refused_before_anything_else_is_read():
    """A v2 file may mean anything: refuse it cleanly, never guess (even if v1 would choke)."""
    d = {"format": "ssb-pouch-design", "schema_version": 2, "name": "future", "cells": {"new": True}}
    e = refusal(d)
    assert len(e.problems) == 1 and "Update the app" in str(e)


@pytest.mark.parametrize("fmt", [None, "ssb-pouch-materials", 1])
def test_wrong_format(fmt):
    d = hand_dict()
    if fmt is None:
        del d["format"]
    else:
        d["format"] = fmt
    assert str(refusal(d)).startswith('format: must be "ssb-pouch-design"')


def test_unknown_keys_are_tolerated():
    """FORMAT.md: new optional keys may be added without a version bump, so an older app reading
    a newer schema-1 file ignores keys it does not know."""
    d = hand_dict()
    d["colour"] = "blue"
    d["unit_cell"][2]["supplier"] = "ACME"
    d["packaging"]["vacuum"] = True
    assert core.evaluate(design(d)).energy_Wh == pytest.approx(0.912)


# ---------------------------------------------------------------- hostile text
@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_refused(token):
    text = json.dumps(hand_dict()).replace('"thickness_um": 30', f'"thickness_um": {token}')
    assert token in text
    e = refusal(text)
    assert str(e) == f"file: not valid JSON ({token} is not a number JSON allows)"


def test_overflowing_number_refused():
    text = json.dumps(hand_dict()).replace('"thickness_um": 30', '"thickness_um": 1e400')
    assert "unit_cell[2].thickness_um: must be finite, got inf" in refusal(text).problems


@pytest.mark.parametrize("text, start", [
    ("", "file: is empty"), ("  \n\t ", "file: is empty"),
    ("hello", "file: not valid JSON (line 1, column 1"),
    ('{"format": "ssb-pouch-design",', "file: not valid JSON (line 1"),
    ("[1, 2, 3]", "file: must hold a JSON object, got a list"),
    ('"just text"', 'file: must hold a JSON object, got "just text"'),
    ("null", "file: must hold a JSON object, got null"),
    ("1" * 5000, "file: not valid JSON"),  # beyond Python's int-string limit
])
def test_not_a_design(text, start):
    assert str(refusal(text)).startswith(start)


@pytest.mark.parametrize("opener, closer", [("[", "]"), ('{"a":', "}")])
def test_deep_nesting(opener, closer):
    depth = 100_000
    e = refusal(opener * depth + "1" + closer * depth)
    assert str(e) == "file: nested too deeply to be a design file"
    # moderately deep nesting inside a valid key parses, and is refused by type
    d = hand_dict()
    d["notes"] = json.loads("[" * 500 + "]" * 500)
    assert "notes: must be text, got a list" in refusal(d).problems


def test_duplicate_keys_refused():
    text = json.dumps(hand_dict())
    text = text.replace('"name": "hand check"', '"name": "hand check", "name": "other"')
    assert str(refusal(text)) == 'file: not valid JSON (key "name" appears twice in one object)'


def test_load_errors(tmp_path):
    cases = {
        "empty.json": b"",
        "binary.json": bytes(range(256)),
        "huge.json": b" " * (core.io.MAX_FILE_BYTES + 1) + json.dumps(hand_dict()).encode(),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(core.DesignError, match=r"^empty\.json: is empty"):
        core.load_design(tmp_path / "empty.json")
    with pytest.raises(core.DesignError, match=r"^binary\.json: not UTF-8 text"):
        core.load_design(tmp_path / "binary.json")
    with pytest.raises(core.DesignError, match=r"^huge\.json: too large for a design file \(at most 16 MB\)$"):
        core.load_design(tmp_path / "huge.json")
    with pytest.raises(core.DesignError, match="no such file"):
        core.load_design(tmp_path / "missing.json")
    with pytest.raises(core.DesignError, match="is a folder"):
        core.load_design(tmp_path)
    # a UTF-8 BOM (as some Windows editors write) is accepted
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(hand_dict()).encode())
    assert core.load_design(tmp_path / "bom.json").name == "hand check"


# ---------------------------------------------------------------- atomic save
def leftovers(folder, target):
    return sorted(p.name for p in folder.iterdir() if p.name != target.name)


def test_save_invalid_design_leaves_old_file(tmp_path):
    target = tmp_path / "cell.json"
    good = design(hand_dict())
    core.save_design(good, target)
    before = target.read_bytes()
    bad = good.replace_layer(2, dataclasses.replace(good.unit_cell[2], thickness_um=-5))
    with pytest.raises(core.DesignError, match=r"unit_cell\[2\]\.thickness_um: must be > 0, got -5"):
        core.save_design(bad, target)
    assert target.read_bytes() == before
    assert leftovers(tmp_path, target) == []
    # a failing save into a new path creates nothing
    with pytest.raises(core.DesignError):
        core.save_design(bad, tmp_path / "new.json")
    assert not (tmp_path / "new.json").exists()


def test_save_failing_mid_write_cleans_up(tmp_path, monkeypatch):
    target = tmp_path / "cell.json"
    core.save_design(design(hand_dict()), target)
    before = target.read_bytes()
    import core.io as cio

    def boom(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(cio.os, "replace", boom)
    other = design({**hand_dict(), "name": "other"})
    with pytest.raises(OSError):
        core.save_design(other, target)
    assert target.read_bytes() == before
    assert leftovers(tmp_path, target) == []


def test_save_leaves_no_temp_files(tmp_path):
    target = tmp_path / "cell.json"
    for i in range(5):
        core.save_design(design({**hand_dict(), "name": f"v{i}"}), target)
    assert leftovers(tmp_path, target) == []
    assert core.load_design(target).name == "v4"



@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_saved_files_get_normal_permissions_and_keep_existing_ones(tmp_path):
    """The temporary file is private (mkstemp: 0600); the saved design must not be: a new file
    gets 0666 less the umask like any other, and saving over a file keeps its permissions."""
    import os
    import stat
    mask = os.umask(0o022)
    try:
        new = tmp_path / "new.json"
        core.save_design(design(hand_dict()), new)
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        shared = tmp_path / "shared.json"
        core.save_design(design(hand_dict()), shared)
        os.chmod(shared, 0o664)
        core.save_design(design({**hand_dict(), "name": "again"}), shared)
        assert stat.S_IMODE(shared.stat().st_mode) == 0o664
        assert core.load_design(shared).name == "again"
    finally:
        os.umask(mask)


CHILD = textwrap.dedent("""
    import dataclasses, sys
    sys.path.insert(0, {root!r})
    import core
    base = core.load_preset(core.DEFAULT_PRESET)
    # a large design: 3000 extra interlayers and ~1.5 MB of notes (about 2 MB on disk)
    extra = tuple(core.Layer(role="interlayer", material="Carbon", thickness_um=0.001 * (i + 1),
                             label=f"layer {{i}}") for i in range(3000))
    uc = base.unit_cell[:3] + extra + base.unit_cell[3:]
    a = dataclasses.replace(base, name="A", unit_cell=uc, notes="a" * 1_500_000)
    b = dataclasses.replace(base, name="B", unit_cell=uc, notes="b" * 1_400_000)
    target = sys.argv[1]
    core.save_design(a, target)
    print("ready", flush=True)
    i = 0
    while True:
        core.save_design(b if i % 2 == 0 else a, target)
        i += 1
""")


@pytest.mark.slow
def test_sigkill_during_save(tmp_path):
    """SIGKILL a process that saves a ~2 MB design over and over, at random moments (40 times).
    The target must always parse as one of the two valid versions. Finding: the only thing a
    kill can leave behind is the `.<name>.<random>.tmp` of the write it interrupted (at most one
    per kill; it is never the target and never picked up by load)."""
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL on this platform")
    target = tmp_path / "cell.json"
    script = tmp_path / "saver.py"
    script.write_text(CHILD.format(root=str(ROOT)))
    rng = random.Random(20240611)
    kills, tmp_left, names = 0, 0, set()
    deadline = time.monotonic() + 20
    while kills < 40 and time.monotonic() < deadline:
        proc = subprocess.Popen([sys.executable, str(script), str(target)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.0, 0.06))
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=10)
            proc.stdout.close()
            proc.stderr.close()
        kills += 1
        d = core.load_design(target)            # never half-written: parses and validates
        assert d.name in ("A", "B")
        assert d.notes in ("a" * 1_500_000, "b" * 1_400_000)
        names.add(d.name)
        rest = leftovers(tmp_path, target)
        others = [n for n in rest if n != script.name]
        assert len(others) <= 1, others
        for n in others:
            assert n.startswith(f".{target.name}.") and n.endswith(".tmp"), n
            tmp_left += 1
            (tmp_path / n).unlink()
    assert kills >= 30
    assert names == {"A", "B"} or kills < 5
    print(f"\nSIGKILL during save: {kills} kills, target always valid, "
          f"{tmp_left} left a .tmp of the interrupted write")
