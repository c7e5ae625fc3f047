"""The command line through the real entry point (`python main.py ...` in a subprocess)."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest

import core
from core_testlib import ROOT, hand_dict, set_layer

# FORMAT.md "Results", typed from the contract (not imported from core.model)
FORMAT_RESULT_KEYS = {"voltage_V", "capacity_Ah", "energy_Wh", "gravimetric_Wh_kg", "volumetric_Wh_L",
                      "stack_gravimetric_Wh_kg", "stack_volumetric_Wh_L", "mass_g", "volume_cm3",
                      "thickness_mm", "areal_capacity_mAh_cm2", "np_ratio", "breakdown", "warnings",
                      # FORMAT.md's keys added in 2026-12 (optional blocks)
                      "unit_cell_gravimetric_Wh_kg", "unit_cell_volumetric_Wh_L",
                      "reversible_areal_capacity_mAh_cm2", "formation_loss_mAh_cm2",
                      "cycles_at_full_capacity", "cycle_life", "required_li_foil_um",
                      "volumetric_Wh_L_charged", "volumetric_Wh_L_discharged",
                      "stack_volumetric_Wh_L_charged", "stack_volumetric_Wh_L_discharged",
                      "fixture_plate_thickness_mm", "fixture_mass_g", "fixture_volume_cm3",
                      "system_gravimetric_Wh_kg", "system_volumetric_Wh_L", "asr_ohm_cm2",
                      "current_density_mA_cm2", "voltage_at_rate_V", "gravimetric_Wh_kg_at_rate",
                      "volumetric_Wh_L_at_rate", "c_rate_at_10pct_drop", "materials_cost_USD",
                      "cost_USD_kWh"}
BREAKDOWN_KEYS = {"item", "mass_g", "volume_cm3", "thickness_um", "cost_USD"}


def run(*args, cwd=None):
    p = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                       text=True, cwd=cwd or ROOT, timeout=60)
    return p.returncode, p.stdout, p.stderr


def strict_json(text):
    def no_constants(name):
        raise AssertionError(f"{name} in JSON output")
    return json.loads(text, parse_constant=no_constants)


def write(tmp_path, name, d):
    path = tmp_path / name
    path.write_text(json.dumps(d) if not isinstance(d, str) else d, encoding="utf-8")
    return path


@pytest.mark.parametrize("preset", [core.DEFAULT_PRESET, "samsung-0.6Ah-bicell", "anode-free-nmc811-li6ps5cl"])
def test_evaluate_json_matches_evaluate(preset, tmp_path):
    path = tmp_path / "d.json"
    core.save_design(core.load_preset(preset), path)
    code, out, err = run("evaluate", path, "--json")
    assert code == 0, err
    got = strict_json(out)
    assert set(got) == FORMAT_RESULT_KEYS
    want = core.evaluate(core.load_design(path))
    for k in FORMAT_RESULT_KEYS - {"breakdown", "warnings"}:
        assert got[k] == want.values[k], k          # JSON round-trips floats exactly
    assert got["warnings"] == list(want.warnings)
    assert [set(b) for b in got["breakdown"]] == [BREAKDOWN_KEYS] * len(want.breakdown)
    assert [(b["item"], b["mass_g"], b["volume_cm3"], b["thickness_um"]) for b in got["breakdown"]] == \
        [(b.item, b.mass_g, b.volume_cm3, b.thickness_um) for b in want.breakdown]
    if preset.startswith("anode-free"):
        assert got["np_ratio"] is None


def test_evaluate_all_keys_and_table(tmp_path):
    path = write(tmp_path, "hand.json", hand_dict())
    code, out, err = run("evaluate", path, "--json", "--all-keys")
    assert code == 0, err
    got = strict_json(out)
    assert FORMAT_RESULT_KEYS <= set(got) and "unit_cell_gravimetric_Wh_kg" in got
    assert got["energy_Wh"] == pytest.approx(0.912)     # the hand design: 3 x 4 mAh/cm2 x 20 cm2 x 3.8 V
    code, out, err = run("evaluate", path)
    assert code == 0 and out.startswith("hand check") and "Wh/kg" in out and "Breakdown" in out


def test_evaluate_text_lists_warnings(tmp_path):
    d = hand_dict()
    set_layer(d, "anode", {"material": "Graphite", "np_ratio": 0.8})
    code, out, _ = run("evaluate", write(tmp_path, "np.json", d))
    assert code == 0 and "Warnings:" in out and "plating" in out


BAD_FILES = {
    "missing.json": None,
    "empty.json": "",
    "notjson.json": "this is not json",
    "nan.json": json.dumps(hand_dict()).replace('"thickness_um": 30', '"thickness_um": NaN'),
    "negative.json": json.dumps(hand_dict()).replace('"thickness_um": 30', '"thickness_um": -5'),
    "future.json": json.dumps({**hand_dict(), "schema_version": 2}),
    "deep.json": "[" * 100000 + "]" * 100000,
    "dup.json": json.dumps(hand_dict()).replace('"name": "hand check"', '"name": "a", "name": "b"'),
}
EXPECT = {
    "missing.json": "no such file", "empty.json": "is empty", "notjson.json": "not valid JSON",
    "nan.json": "NaN", "negative.json": "unit_cell[2].thickness_um: must be > 0, got -5",
    "future.json": "schema version 2", "deep.json": "nested too deeply", "dup.json": "appears twice",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_exit_2_one_line(name, tmp_path):
    path = tmp_path / name
    if BAD_FILES[name] is not None:
        path.write_text(BAD_FILES[name], encoding="utf-8")
    code, out, err = run("evaluate", path, "--json")
    assert code == 2
    assert out == ""
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("error: ") and EXPECT[name] in lines[0]


@pytest.mark.parametrize("args, fragment", [
    (["sweep", "{f}", "--param", "cathode.colour", "--from", "1", "--to", "2"], "unknown parameter"),
    (["sweep", "{f}", "--param", "cathode.loading_mg_cm2", "--from", "-1", "--to", "2"], "must be > 0"),
    (["sweep", "{f}", "--param", "cathode.loading_mg_cm2", "--from", "1", "--to", "2", "--points", "0"],
     "--points"),
    (["sweep", "{f}", "--param", "cathode.loading_mg_cm2", "--from", "nan", "--to", "2"], "finite"),
    (["sweep", "{f}", "--param", "anode.np_ratio", "--from", "1", "--to", "2"], "no anode"),
    (["new", "--preset", "no-such-preset", "-o", "{d}/x.json"], "unknown preset"),
    (["evaluate"], "error: "),
    (["sweep", "{f}"], "--param"),
])
def test_user_errors_exit_2(args, fragment, tmp_path):
    d = hand_dict()
    set_layer(d, "anode", None)
    f = write(tmp_path, "af.json", d)
    code, out, err = run(*[a.format(f=f, d=tmp_path) for a in args])
    assert code == 2, (out, err)
    assert len(err.strip("\n").split("\n")) == 1 and "Traceback" not in err
    assert fragment in err


@pytest.mark.parametrize("param, lo, hi, points", [("cathode.loading_mg_cm2", 5, 40, 36),
                                                   ("separator.thickness_um", 5, 200, 17),
                                                   ("stacking.unit_cells", 1, 30, 100)])
def test_sweep_csv_matches_core_sweep(param, lo, hi, points, tmp_path):
    path = tmp_path / "d.json"
    core.save_design(core.load_preset(core.DEFAULT_PRESET), path)
    code, out, err = run("sweep", path, "--param", param, "--from", lo, "--to", hi, "--points", points)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    header, body = rows[0], rows[1:]
    x = np.linspace(lo, hi, points)
    if core.PARAMETERS[param].integer:
        x = np.unique(np.round(x))                      # whole numbers, each once
        assert len(body) == 30
    want = core.sweep(core.load_design(path), param, x)
    assert header[0] == param
    assert set(header[1:]) <= set(core.model.NUMERIC_KEYS)
    assert {"gravimetric_Wh_kg", "volumetric_Wh_L", "stack_gravimetric_Wh_kg", "np_ratio"} <= set(header)
    assert len(body) == len(x)
    table = np.array(body, dtype=float)
    np.testing.assert_allclose(table[:, 0], x, rtol=1e-9)
    for j, k in enumerate(header[1:], start=1):
        np.testing.assert_allclose(table[:, j], want[k], rtol=1e-9, err_msg=k)


def test_sweep_to_file(tmp_path):
    path = tmp_path / "d.json"
    core.save_design(core.load_preset(core.DEFAULT_PRESET), path)
    out_csv = tmp_path / "out.csv"
    code, out, err = run("sweep", path, "--param", "anode.thickness_um", "--from", 10, "--to", 100,
                         "--points", 10, "-o", out_csv)
    assert code == 0 and out == "" and "wrote 10 points" in err
    rows = list(csv.reader(out_csv.open(encoding="utf-8")))
    assert len(rows) == 11 and rows[0][0] == "anode.thickness_um"
    # the anode-free design has no np_ratio column (all NaN columns are left out)
    d = hand_dict()
    set_layer(d, "anode", None)
    code, out, err = run("sweep", write(tmp_path, "af.json", d), "--param", "cathode.thickness_um",
                         "--from", 10, "--to", 100, "--points", 3)
    assert code == 0 and "np_ratio" not in out.splitlines()[0] and "nan" not in out.lower()


def test_presets_lists_every_preset():
    code, out, err = run("presets")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert [line.split()[0] for line in lines] == core.preset_names()
    for line, name in zip(lines, core.preset_names()):
        assert core.load_preset(name).name in line


def test_new_from_preset(tmp_path):
    target = tmp_path / "sub" / "new.json"
    target.parent.mkdir()
    code, out, err = run("new", "--preset", "samsung-0.6Ah-bicell", "-o", target)
    assert code == 0, err
    assert "wrote" in err
    assert core.load_design(target) == core.load_preset("samsung-0.6Ah-bicell")
    assert [p.name for p in target.parent.iterdir()] == ["new.json"]


def test_version():
    code, out, err = run("--version")
    assert code == 0 and core.__version__ in out
