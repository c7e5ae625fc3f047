"""Design rules (core.rules): designs that cannot be built say so, in every output."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import core
from core import rules
from core.materials import builtin_materials
from core_testlib import ROOT, design, hand_dict, preset_dicts, set_layer


def _warn(d: dict) -> list[str]:
    return list(core.evaluate(design(d)).warnings)


def _has(ws, *fragments) -> bool:
    return any(all(f in w for f in fragments) for w in ws)


@pytest.mark.parametrize("name", sorted(preset_dicts()))
def test_presets_break_no_rule(name):
    d = core.load_preset(name)
    assert rules.rule_warnings(d, core.evaluate(d)) == []


def test_cathode_denser_than_its_solids():
    """Issue 14: 5.0 g/cm3 over components of 4.26 g/cm3 was accepted with no word."""
    d = core.load_preset()
    i = d.index_of("cathode")
    rho0 = rules.pore_free_density(d.unit_cell[i], d.library())
    assert rho0 == pytest.approx(4.26, abs=0.01)
    from dataclasses import replace
    bad = d.replace_layer(i, replace(d.unit_cell[i], density_g_cm3=5.0, porosity=None))
    ws = core.evaluate(bad).warnings
    assert _has(ws, f"unit_cell[{i}] (Cathode composite", "5 g/cm³", "pore-free density", "4.26 g/cm³",
                "implied porosity -17 %"), ws
    # and it reaches evaluate --json like every warning
    assert core.evaluate(bad).to_dict()["warnings"] == list(ws)


def test_density_at_the_pore_free_value_is_fine():
    d = hand_dict()
    d["unit_cell"][1]["density_g_cm3"] = 4.75
    assert not _has(_warn(d), "pore-free")


def test_cu_separator():
    d = set_layer(hand_dict(), "separator", {"material": "Cu", "thickness_um": 30})
    ws = _warn(d)
    assert _has(ws, "unit_cell[2] (SSE separator, Cu)", "electronic insulator", "metal"), ws
    assert _has(ws, "unit_cell[2] (SSE separator, Cu)", "ion conductor"), ws


def test_polymer_separator_is_no_ion_conductor():
    d = set_layer(hand_dict(), "separator", {"material": "PET", "thickness_um": 30})
    ws = _warn(d)
    assert _has(ws, "unit_cell[2] (SSE separator, PET)", "ion conductor"), ws
    assert not _has(ws, "electronic insulator;")


def test_separator_porosity_beyond_pressing():
    d = set_layer(hand_dict(), "separator", {"material": "Li6PS5Cl", "thickness_um": 30, "porosity": 0.999})
    ws = _warn(d)
    assert _has(ws, "unit_cell[2] (SSE separator, Li6PS5Cl)", "porosity 100 %", "40 %"), ws
    d["unit_cell"][2]["porosity"] = 0.2
    assert not _has(_warn(d), "porosity")


def test_separator_low_density_implies_porosity():
    d = set_layer(hand_dict(), "separator", {"material": "Li6PS5Cl", "thickness_um": 30, "density_g_cm3": 0.5})
    assert _has(_warn(d), "SSE separator", "porosity implied by its density 73 %")


def test_collectors_must_conduct():
    d = hand_dict()
    d["unit_cell"][0]["material"] = "Li3InCl6"
    d["unit_cell"][-1]["material"] = "PET"
    ws = _warn(d)
    assert _has(ws, "unit_cell[0] (Positive collector, Li3InCl6)", "electronic conductor"), ws
    assert _has(ws, "unit_cell[4] (Negative collector, PET)", "electronic conductor"), ws


def test_tab_and_plate_must_conduct():
    d = hand_dict()
    d["packaging"]["tabs"][0]["material"] = "PP"
    d["stacking"] = {"type": "bipolar", "unit_cells": 2, "plate": {"material": "PET", "thickness_um": 10}}
    ws = _warn(d)
    assert _has(ws, "packaging.tabs[0] (tab, PP)", "electronic conductor"), ws
    assert _has(ws, "stacking.plate (Bipolar plate, PET)", "electronic conductor"), ws


def test_electrodes_need_an_active_of_their_side():
    d = hand_dict()
    d["unit_cell"][1] = {"role": "cathode", "material": "Graphite", "loading_mg_cm2": 10}
    d["unit_cell"][3] = {"role": "anode", "material": "NMC811", "thickness_um": 20}
    ws = _warn(d)
    assert _has(ws, "unit_cell[1] (Cathode composite, Graphite)", "positive-electrode active"), ws
    assert _has(ws, "unit_cell[3] (Anode, NMC811)", "negative-electrode active"), ws


def test_separator_covers_the_electrodes():
    d = hand_dict()
    d["unit_cell"][1]["overhang_mm"] = 2
    d["unit_cell"][2]["overhang_mm"] = 1
    ws = _warn(d)
    assert _has(ws, "unit_cell[2] (SSE separator", "cover", "1 mm", "2 mm"), ws
    d["unit_cell"][2]["overhang_mm"] = 2
    assert not _has(_warn(d), "cover")


def test_absurd_sizes():
    """Issue 14: 2 m x 2 m x 1000 cells (176,800 Ah) and 9999 cells (1 m thick) said nothing."""
    d = core.load_preset()
    from dataclasses import replace
    big = replace(d, electrode_width_mm=2000.0, electrode_height_mm=2000.0,
                  stacking=replace(d.stacking, unit_cells=1000))
    ws = core.evaluate(big).warnings
    assert _has(ws, "electrode.width_mm", "2000 mm", "600 mm"), ws
    assert _has(ws, "stacking.unit_cells", "1000 unit cells"), ws
    assert _has(ws, "capacity", "Ah", "1000 Ah"), ws
    thick = replace(d, stacking=replace(d.stacking, unit_cells=9999))
    ws = core.evaluate(thick).warnings
    assert _has(ws, "pouch thickness", "30 mm"), ws
    ok = core.evaluate(d).warnings
    assert not _has(ok, "beyond")


def test_bipolar_unit_cells_beyond_built():
    d = core.load_preset("bipolar-4s-nmc811-li6ps5cl-li")
    from dataclasses import replace
    assert not _has(core.evaluate(d).warnings, "unit_cells")
    many = replace(d, stacking=replace(d.stacking, unit_cells=20))
    assert _has(core.evaluate(many).warnings, "stacking.unit_cells", "bipolar")


def test_material_fitness_per_role():
    lib = builtin_materials()
    assert rules.material_fitness(lib["Li6PS5Cl"], "separator")[0] is True
    assert rules.material_fitness(lib["Cu"], "separator")[0] is False
    assert rules.material_fitness(lib["Cu"], "negative_collector")[0] is True
    assert rules.material_fitness(lib["LLZO"], "positive_collector")[0] is False
    assert rules.material_fitness(lib["Graphite"], "cathode")[0] is False
    assert rules.material_fitness(lib["NMC811"], "cathode")[0] is True
    assert lib["Carbon"].electronic_conductor is True and lib["PTFE"].electronic_conductor is False


def test_cli_json_carries_rule_warnings(tmp_path):
    d = set_layer(hand_dict(), "separator", {"material": "Cu", "thickness_um": 30})
    path = tmp_path / "cu.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    p = subprocess.run([sys.executable, str(ROOT / "main.py"), "evaluate", str(path), "--json"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert _has(json.loads(p.stdout)["warnings"], "unit_cell[2] (SSE separator, Cu)")


def test_li_s_preset_says_where_it_departs_from_its_source():
    d = core.load_preset("review-li-s-baseline")
    comps = rules.reported_comparison(d, core.evaluate(d))
    assert len(comps) == 1 and comps[0]["departs"]
    assert comps[0]["reported"] == 500 and comps[0]["model"] == pytest.approx(697, abs=1)
    assert "+39 %" in comps[0]["text"] and "no lithium mass" in comps[0]["text"]
    base = core.load_preset()
    assert not any(c["departs"] for c in rules.reported_comparison(base, core.evaluate(base)))


def test_reported_figures_round_trip_and_are_checked():
    from core.design import design_from_dict, design_to_dict
    d = core.load_preset("samsung-0.6Ah-bicell")
    raw = design_to_dict(d)
    assert raw["reported"][0]["key"] == "capacity_Ah"
    assert design_from_dict(raw) == d
    raw["reported"][0]["key"] = "colour"
    with pytest.raises(core.DesignError, match=r"reported\[0\]\.key"):
        design_from_dict(raw)


def test_nominal_voltage_outside_a_lithium_cell_is_named():
    import dataclasses
    d = dataclasses.replace(core.load_preset(), nominal_voltage_V=9000)
    w = [x for x in core.evaluate(d).warnings if x.startswith("nominal_voltage_V:")]
    assert len(w) == 1 and "9000 V" in w[0] and "0.5-5.5 V" in w[0]
    ok = dataclasses.replace(core.load_preset(), nominal_voltage_V=3.7)
    assert not [x for x in core.evaluate(ok).warnings if x.startswith("nominal_voltage_V:")]
