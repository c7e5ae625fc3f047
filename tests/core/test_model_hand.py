"""Hand calculations of MODEL.md, step by step, against core.evaluate.

Every expected number is worked out here from the formulas of MODEL.md / FORMAT.md and the
material table (core_testlib.RHO/Q/V typed from MODEL.md); no core helper computes them.
Units: um, mg/cm2, g/cm3, mAh/g, mAh/cm2; 1 mg/cm2 = rho[g/cm3] * t[um] * 0.1."""
from __future__ import annotations

import pytest

import core
from core_testlib import (model_warnings, PLATED_LI_MAH_CM2_PER_UM, Q, RHO, V, breakdown_mass, design, hand_dict,
                          set_layer)

approx = lambda x: pytest.approx(x, rel=1e-9, abs=1e-12)  # noqa: E731

# ---------------------------------------------------------------- the hand design, per cm2
A_CM2 = 50 * 40 / 100                     # cathode area: 20 cm2
CAT_L = 20.0                              # mg/cm2 (given)
CAT_T = CAT_L / (4.0 * 0.1)               # t = L / (rho * 0.1) = 50 um
CAT_Q = CAT_L * Q["NMC811"] / 1000        # Q = L q / 1000 = 4.0 mAh/cm2
SEP_M = RHO["Li6PS5Cl"] * 30 * 0.1        # 5.58 mg/cm2
LI_M = RHO["Li"] * 20 * 0.1               # 1.068 mg/cm2
LI_Q = LI_M * Q["Li"] / 1000              # 4.1225 mAh/cm2
AL_M = RHO["Al"] * 10 * 0.1               # 2.7 mg/cm2
CU_M = RHO["Cu"] * 10 * 0.1               # 8.96 mg/cm2
CELL_M = CAT_L + SEP_M + LI_M             # one unit cell without collectors, mg/cm2
CELL_T = CAT_T + 30 + 20                  # um
V_CELL = V["NMC811"] - V["Li"]            # 3.8 V
# pouch: outline = footprint grown by the 5 mm seal on every side
OUTLINE_CM2 = (50 + 10) * (40 + 10) / 100         # 30 cm2
LAM_MG = 2 * OUTLINE_CM2 * 100 * 0.1 * 1.5        # two 100 um sheets at 1.5 g/cm3: 900 mg
TAB_MG = (10 * 20 / 100) * 100 * 0.1 * RHO["Al"]  # 2 cm2 x 100 um Al: 54 mg


def pouch_expect(stack_mg, stack_t_um, energy_Wh, fp_cm2=A_CM2, outline_cm2=OUTLINE_CM2,
                 lam_mg=LAM_MG, tab_mg=TAB_MG, lam_um=100, basis="outline"):
    """MODEL.md rule 6: two laminate sheets + tabs; thickness = stack + 2 laminate."""
    mass_g = (stack_mg + lam_mg + tab_mg) / 1000
    thickness_um = stack_t_um + 2 * lam_um
    volume_cm3 = (outline_cm2 if basis == "outline" else fp_cm2) * thickness_um * 1e-4
    return {"mass_g": mass_g, "thickness_mm": thickness_um / 1000, "volume_cm3": volume_cm3,
            "gravimetric_Wh_kg": energy_Wh / mass_g * 1000,
            "volumetric_Wh_L": energy_Wh / volume_cm3 * 1000,
            "stack_mass_g": stack_mg / 1000,
            "stack_thickness_mm": stack_t_um / 1000,
            "stack_gravimetric_Wh_kg": energy_Wh / (stack_mg / 1000) * 1000,
            "stack_volumetric_Wh_L": energy_Wh / (fp_cm2 * stack_t_um * 1e-4) * 1000}


def check(result, expected: dict):
    for k, v in expected.items():
        assert result.values[k] == approx(v), k


def test_hand_cell_layers():
    r = core.evaluate(design(hand_dict()))
    cat, sep, an = r.layers[1], r.layers[2], r.layers[3]
    assert cat.thickness_um == approx(50.0) and CAT_T == 50.0
    assert cat.areal_capacity_mAh_cm2 == approx(4.0) and CAT_Q == 4.0
    assert cat.loading_mg_cm2 == approx(20.0)
    assert cat.voltage_V == approx(3.8)
    assert sep.loading_mg_cm2 == approx(5.58)
    assert an.loading_mg_cm2 == approx(1.068)
    assert an.areal_capacity_mAh_cm2 == approx(1.068 * 3.86)
    assert r.np_ratio == approx(1.068 * 3.86 / 4.0)
    assert r.areal_capacity_mAh_cm2 == approx(4.0)
    assert r.values["cathode_area_cm2"] == approx(20.0)


# ---------------------------------------------------------------- stacking modes
@pytest.mark.parametrize("n, n_pos, n_neg", [(1, 1, 1), (3, 2, 2), (4, 2, 3), (20, 10, 11)])
def test_parallel_shared(n, n_pos, n_neg):
    """N+1 collectors alternating, positive first: for even N both outer ones are negative."""
    d = hand_dict()
    d["stacking"]["unit_cells"] = n
    r = core.evaluate(design(d))
    assert n_pos + n_neg == n + 1
    assert r.counts["positive_collector"] == n_pos and r.counts["negative_collector"] == n_neg
    stack_mg = n * CELL_M * A_CM2 + n_pos * AL_M * A_CM2 + n_neg * CU_M * A_CM2
    stack_t = n * CELL_T + n_pos * 10 + n_neg * 10
    capacity_Ah = n * CAT_Q * A_CM2 / 1000         # parallel: N Q A
    energy_Wh = capacity_Ah * V_CELL
    check(r, {"capacity_Ah": capacity_Ah, "voltage_V": V_CELL, "energy_Wh": energy_Wh,
              **pouch_expect(stack_mg, stack_t, energy_Wh)})
    # unit cell: one cell with half of each shared collector
    uc_mg_cm2 = CELL_M + 0.5 * AL_M + 0.5 * CU_M
    uc_t = CELL_T + 0.5 * 10 + 0.5 * 10
    check(r, {"unit_cell_mass_mg_cm2": uc_mg_cm2, "unit_cell_thickness_um": uc_t,
              "unit_cell_gravimetric_Wh_kg": CAT_Q * V_CELL / uc_mg_cm2 * 1000,
              # mWh/cm2 over um x 1e-4 cm3/cm2: (Q V / 1000 Wh) / (t 1e-7 L)
              "unit_cell_volumetric_Wh_L": CAT_Q * V_CELL / 1000 / (uc_t * 1e-7)})
    # breakdown by component
    assert breakdown_mass(r, "cathode") == approx(n * CAT_L * A_CM2 / 1000)
    assert breakdown_mass(r, "separator") == approx(n * SEP_M * A_CM2 / 1000)
    assert breakdown_mass(r, "anode") == approx(n * LI_M * A_CM2 / 1000)
    assert breakdown_mass(r, "positive_collector") == approx(n_pos * AL_M * A_CM2 / 1000)
    assert breakdown_mass(r, "negative_collector") == approx(n_neg * CU_M * A_CM2 / 1000)
    assert breakdown_mass(r, "laminate") == approx(LAM_MG / 1000)
    assert breakdown_mass(r, "tabs") == approx(TAB_MG / 1000)


def test_hand_numbers_in_words():
    """The N = 3 shared case, fully written out once (in g, cm3, Wh)."""
    r = core.evaluate(design(hand_dict()))
    # 3 cells x 26.648 mg/cm2 x 20 cm2 + 2 Al x 54 mg + 2 Cu x 179.2 mg
    assert r.stack_mass_g == approx(1.59888 + 0.108 + 0.3584)
    assert r.stack_thickness_mm == approx(0.340)            # 3 x 100 um + 4 x 10 um
    assert r.capacity_Ah == approx(0.240)                   # 3 x 4 mAh/cm2 x 20 cm2
    assert r.energy_Wh == approx(0.912)
    assert r.mass_g == approx(2.06528 + 0.900 + 0.054)
    assert r.volume_cm3 == approx(30 * 0.054)               # outline 6 x 5 cm, 540 um
    assert r.stack_gravimetric_Wh_kg == pytest.approx(441.587, abs=1e-3)
    assert r.stack_volumetric_Wh_L == pytest.approx(1341.176, abs=1e-3)   # 0.912 Wh / 0.68 cm3


@pytest.mark.parametrize("n", [2, 4, 6])
def test_parallel_bicell(n):
    """N/2 bi-cells: N positive collectors (single-sided outer cathodes), N/2 shared negative
    collectors, N/2 - 1 spacers over the footprint."""
    d = hand_dict()
    d["stacking"] = {"type": "parallel", "unit_cells": n, "collector_sharing": "bicell",
                     "spacer": {"material": "PET", "thickness_um": 40}}
    r = core.evaluate(design(d))
    n_pos, n_neg, n_sp = n, n // 2, n // 2 - 1
    pet_m = RHO["PET"] * 40 * 0.1
    assert (r.counts["positive_collector"], r.counts["negative_collector"], r.counts["spacer"]) \
        == (n_pos, n_neg, n_sp)
    stack_mg = n * CELL_M * A_CM2 + n_pos * AL_M * A_CM2 + n_neg * CU_M * A_CM2 + n_sp * pet_m * A_CM2
    stack_t = n * CELL_T + n_pos * 10 + n_neg * 10 + n_sp * 40
    energy_Wh = n * CAT_Q * A_CM2 / 1000 * V_CELL
    check(r, {"capacity_Ah": n * CAT_Q * A_CM2 / 1000, "voltage_V": V_CELL, "energy_Wh": energy_Wh,
              **pouch_expect(stack_mg, stack_t, energy_Wh)})
    assert breakdown_mass(r, "spacer") == approx(n_sp * pet_m * A_CM2 / 1000)
    # repeat unit (one bi-cell = 2 cells, 2 Al, 1 Cu, 1 spacer) per cell
    uc = CELL_M + AL_M + 0.5 * CU_M + 0.5 * pet_m
    assert r.unit_cell_mass_mg_cm2 == approx(uc)


@pytest.mark.parametrize("n", [1, 3])
def test_parallel_none(n):
    """N separate cells: 2N collectors and N - 1 spacers."""
    d = hand_dict()
    d["stacking"] = {"type": "parallel", "unit_cells": n, "collector_sharing": "none",
                     "spacer": {"material": "PET", "thickness_um": 40}}
    r = core.evaluate(design(d))
    pet_m = RHO["PET"] * 40 * 0.1
    assert (r.counts["positive_collector"], r.counts["negative_collector"], r.counts["spacer"]) \
        == (n, n, n - 1)
    stack_mg = n * (CELL_M + AL_M + CU_M) * A_CM2 + (n - 1) * pet_m * A_CM2
    stack_t = n * (CELL_T + 20) + (n - 1) * 40
    energy_Wh = n * CAT_Q * A_CM2 / 1000 * V_CELL
    check(r, {"capacity_Ah": n * CAT_Q * A_CM2 / 1000, "voltage_V": V_CELL, "energy_Wh": energy_Wh,
              **pouch_expect(stack_mg, stack_t, energy_Wh)})


def test_parallel_none_without_spacer():
    d = hand_dict()
    d["stacking"] = {"type": "parallel", "unit_cells": 3, "collector_sharing": "none"}
    r = core.evaluate(design(d))
    stack_mg = 3 * (CELL_M + AL_M + CU_M) * A_CM2
    assert r.stack_mass_g == approx(stack_mg / 1000)
    assert r.stack_thickness_mm == approx(3 * (CELL_T + 20) / 1000)


def test_spacer_ignored_with_shared_collectors():
    d = hand_dict()
    d["stacking"]["spacer"] = {"material": "PET", "thickness_um": 40}
    r = core.evaluate(design(d))
    ref = core.evaluate(design(hand_dict()))
    assert r.mass_g == approx(ref.mass_g)
    assert any("spacer" in w.lower() for w in r.warnings)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_bipolar(n):
    """N cells in series: N - 1 plates, one collector of each end, voltage N V, capacity of one
    cell; energy N Q V A."""
    d = hand_dict()
    d["stacking"] = {"type": "bipolar", "unit_cells": n, "plate": {"material": "SS", "thickness_um": 10}}
    r = core.evaluate(design(d))
    ss_m = RHO["SS"] * 10 * 0.1
    assert (r.counts["positive_collector"], r.counts["negative_collector"], r.counts["bipolar_plate"]) \
        == (1, 1, n - 1)
    stack_mg = n * CELL_M * A_CM2 + AL_M * A_CM2 + CU_M * A_CM2 + (n - 1) * ss_m * A_CM2
    stack_t = n * CELL_T + 10 + 10 + (n - 1) * 10
    capacity_Ah = CAT_Q * A_CM2 / 1000
    voltage = n * V_CELL
    energy_Wh = capacity_Ah * voltage
    assert energy_Wh == approx(n * CAT_Q * V_CELL * A_CM2 / 1000)
    check(r, {"capacity_Ah": capacity_Ah, "voltage_V": voltage, "energy_Wh": energy_Wh,
              "unit_cell_voltage_V": V_CELL, "stack_voltage_V": voltage,
              **pouch_expect(stack_mg, stack_t, energy_Wh)})
    assert breakdown_mass(r, "bipolar_plate") == approx((n - 1) * ss_m * A_CM2 / 1000)


# ---------------------------------------------------------------- electrode amounts
@pytest.mark.parametrize("key, value", [("loading_mg_cm2", 20.0), ("thickness_um", 50.0),
                                        ("areal_capacity_mAh_cm2", 4.0)])
def test_cathode_amount_keys_agree(key, value):
    """L = rho t 0.1 and Q = L q / 1000: 20 mg/cm2 = 50 um = 4 mAh/cm2 at 4.0 g/cm3, 200 mAh/g."""
    d = hand_dict()
    set_layer(d, "cathode", {"material": "NMC811", "density_g_cm3": 4.0, key: value})
    r = core.evaluate(design(d))
    cat = r.layers[1]
    assert (cat.loading_mg_cm2, cat.thickness_um, cat.areal_capacity_mAh_cm2) == \
        (approx(20.0), approx(50.0), approx(4.0))
    assert r.energy_Wh == approx(0.912)


def test_composite_cathode_density_from_porosity():
    """rho = (1 - porosity) / sum(w_i / rho_i); q = sum w_i q_i."""
    d = hand_dict()
    set_layer(d, "cathode", {"components": [{"material": "NMC811", "mass_fraction": 0.8},
                                            {"material": "Li6PS5Cl", "mass_fraction": 0.2}],
                             "porosity": 0.25, "thickness_um": 60})
    r = core.evaluate(design(d))
    rho = 0.75 / (0.8 / RHO["NMC811"] + 0.2 / RHO["Li6PS5Cl"])
    L = rho * 60 * 0.1
    q = 0.8 * Q["NMC811"] + 0.2 * 0.0
    cat = r.layers[1]
    assert cat.density_g_cm3 == approx(rho)
    assert cat.loading_mg_cm2 == approx(L)
    assert cat.specific_capacity_mAh_g == approx(q)
    assert cat.areal_capacity_mAh_cm2 == approx(L * q / 1000)


def test_composite_density_given_wins_and_neither_means_dense():
    comps = [{"material": "NMC811", "mass_fraction": 0.85}, {"material": "Li3InCl6", "mass_fraction": 0.15}]
    d = hand_dict()
    set_layer(d, "cathode", {"components": comps, "density_g_cm3": 3.4, "loading_mg_cm2": 26})
    cat = core.evaluate(design(d)).layers[1]
    assert cat.thickness_um == approx(26 / (3.4 * 0.1))
    set_layer(d, "cathode", {"components": comps, "loading_mg_cm2": 26})  # neither: porosity 0
    cat = core.evaluate(design(d)).layers[1]
    rho0 = 1 / (0.85 / RHO["NMC811"] + 0.15 / RHO["Li3InCl6"])
    assert cat.density_g_cm3 == approx(rho0)
    assert cat.thickness_um == approx(26 / (rho0 * 0.1))


def test_cathode_by_areal_capacity_composite():
    d = hand_dict()
    set_layer(d, "cathode", {"components": [{"material": "NMC811", "mass_fraction": 0.8},
                                            {"material": "Li6PS5Cl", "mass_fraction": 0.2}],
                             "density_g_cm3": 3.0, "areal_capacity_mAh_cm2": 3.0})
    cat = core.evaluate(design(d)).layers[1]
    L = 3.0 * 1000 / (0.8 * 200)  # 18.75 mg/cm2
    assert cat.loading_mg_cm2 == approx(L)
    assert cat.thickness_um == approx(L / (3.0 * 0.1))


def test_electrode_voltage_is_capacity_weighted():
    d = hand_dict()
    set_layer(d, "cathode", {"components": [{"material": "NMC811", "mass_fraction": 0.5},
                                            {"material": "LFP", "mass_fraction": 0.5}],
                             "density_g_cm3": 4.0, "loading_mg_cm2": 20})
    r = core.evaluate(design(d))
    q = 0.5 * 200 + 0.5 * 160
    v = (0.5 * 200 * 3.80 + 0.5 * 160 * 3.40) / q
    assert r.layers[1].voltage_V == approx(v)
    assert r.voltage_V == approx(v)
    assert r.areal_capacity_mAh_cm2 == approx(20 * q / 1000)


@pytest.mark.parametrize("key, value", [("np_ratio", 1.2), ("areal_capacity_mAh_cm2", 4.8),
                                        ("loading_mg_cm2", 4.8 * 1000 / (0.9 * 350)),
                                        ("thickness_um", 4.8 * 1000 / (0.9 * 350) / (2.0 * 0.1))])
def test_graphite_anode_amount_keys(key, value):
    """Q_anode = N/P Q_cathode; every amount key gives the same 4.8 mAh/cm2 graphite anode."""
    d = hand_dict()
    set_layer(d, "anode", {"components": [{"material": "Graphite", "mass_fraction": 0.9},
                                          {"material": "Li6PS5Cl", "mass_fraction": 0.1}],
                           "density_g_cm3": 2.0, key: value})
    r = core.evaluate(design(d))
    Qa = 1.2 * CAT_Q
    La = Qa * 1000 / (0.9 * Q["Graphite"])
    an = r.layers[3]
    assert an.areal_capacity_mAh_cm2 == approx(Qa)
    assert an.loading_mg_cm2 == approx(La)
    assert an.thickness_um == approx(La / (2.0 * 0.1))
    assert r.np_ratio == approx(1.2)
    assert r.areal_capacity_mAh_cm2 == approx(min(CAT_Q, Qa))   # lithiated cathode: min
    assert r.voltage_V == approx(V["NMC811"] - V["Graphite"])   # 3.65 V
    stack_mg = 3 * (CAT_L + SEP_M + La) * A_CM2 + 2 * AL_M * A_CM2 + 2 * CU_M * A_CM2
    assert r.stack_mass_g == approx(stack_mg / 1000)
    assert not model_warnings(r)


def test_li_anode_by_np_ratio_and_si_voltage():
    d = hand_dict()
    set_layer(d, "anode", {"material": "Li", "np_ratio": 0.5})
    an = core.evaluate(design(d)).layers[3]
    assert an.thickness_um == approx(0.5 * CAT_Q * 1000 / Q["Li"] / (RHO["Li"] * 0.1))
    set_layer(d, "anode", {"material": "Si", "porosity": 0.4, "np_ratio": 1.1})
    r = core.evaluate(design(d))
    La = 1.1 * CAT_Q * 1000 / Q["Si"]
    assert r.layers[3].thickness_um == approx(La / (RHO["Si"] * 0.6 * 0.1))
    assert r.voltage_V == approx(3.80 - 0.40)


def test_film_porosity_and_composite_film():
    """Film areal mass = rho (1 - porosity) t 0.1; components + density as made."""
    d = hand_dict()
    set_layer(d, "separator", {"material": "Li6PS5Cl", "porosity": 0.2, "thickness_um": 30})
    d["unit_cell"].insert(3, {"role": "interlayer", "components": [
        {"material": "Ag", "mass_fraction": 0.25}, {"material": "Carbon", "mass_fraction": 0.75}],
        "porosity": 0.5, "thickness_um": 10})
    d["unit_cell"].insert(3, {"role": "separator", "components": [
        {"material": "Li6PS5Cl", "mass_fraction": 0.9}, {"material": "SEBS binder", "mass_fraction": 0.1}],
        "density_g_cm3": 1.5, "thickness_um": 20})
    r = core.evaluate(design(d))
    sep1 = RHO["Li6PS5Cl"] * 0.8 * 30 * 0.1
    sep2 = 1.5 * 20 * 0.1
    agc = 0.5 / (0.25 / RHO["Ag"] + 0.75 / RHO["Carbon"]) * 10 * 0.1
    assert r.layers[2].loading_mg_cm2 == approx(sep1)
    assert r.layers[3].loading_mg_cm2 == approx(sep2)
    assert r.layers[4].loading_mg_cm2 == approx(agc)
    assert breakdown_mass(r, "separator") == approx(3 * (sep1 + sep2) * A_CM2 / 1000)
    assert breakdown_mass(r, "interlayer") == approx(3 * agc * A_CM2 / 1000)
    assert r.stack_thickness_mm == approx((3 * (50 + 30 + 20 + 10 + 20) + 40) / 1000)


# ---------------------------------------------------------------- overhangs, footprint, pouch
def test_overhangs_and_footprint():
    """A layer with overhang o covers (w + 2o)(h + 2o); the footprint is the largest; spacers
    cover the footprint; the outline grows the footprint by the seal."""
    d = hand_dict()
    d["unit_cell"][2]["overhang_mm"] = 1      # separator
    d["unit_cell"][3]["overhang_mm"] = 0.5    # Li
    d["unit_cell"][4]["overhang_mm"] = 2      # Cu
    d["stacking"] = {"type": "parallel", "unit_cells": 4, "collector_sharing": "bicell",
                     "spacer": {"material": "PET", "thickness_um": 40}}
    d["packaging"]["seal_width_mm"] = 4
    r = core.evaluate(design(d))
    a_sep = 52 * 42 / 100
    a_li = 51 * 41 / 100
    a_cu = 54 * 44 / 100            # largest overhang: the footprint
    a_fp = a_cu
    outline = (54 + 8) * (44 + 8) / 100
    pet_m = RHO["PET"] * 40 * 0.1
    stack_mg = (4 * (CAT_L * A_CM2 + SEP_M * a_sep + LI_M * a_li) + 4 * AL_M * A_CM2 + 2 * CU_M * a_cu
                + 1 * pet_m * a_fp)
    stack_t = 4 * CELL_T + 4 * 10 + 2 * 10 + 40
    energy_Wh = 4 * CAT_Q * A_CM2 / 1000 * V_CELL      # capacity follows the cathode area
    lam_mg = 2 * outline * 100 * 0.1 * 1.5
    assert r.footprint_mm == (approx(54), approx(44))
    assert r.outline_mm == (approx(62), approx(52))
    assert r.values["footprint_area_cm2"] == approx(a_fp)
    assert r.values["outline_area_cm2"] == approx(outline)
    check(r, pouch_expect(stack_mg, stack_t, energy_Wh, fp_cm2=a_fp, outline_cm2=outline, lam_mg=lam_mg))
    assert r.layers[2].area_cm2 == approx(a_sep)


def test_pouch_laminate_seal_and_tabs():
    d = hand_dict()
    d["packaging"] = {"laminate_thickness_um": 150, "laminate_density_g_cm3": 1.6, "seal_width_mm": 8,
                      "volume_basis": "outline",
                      "tabs": [{"material": "Al", "width_mm": 12, "length_mm": 25, "thickness_um": 100},
                               {"material": "Ni", "width_mm": 8, "length_mm": 30, "thickness_um": 200}]}
    r = core.evaluate(design(d))
    outline = (50 + 16) * (40 + 16) / 100
    lam_mg = 2 * outline * 150 * 0.1 * 1.6
    tab_mg = 12 * 25 / 100 * 100 * 0.1 * RHO["Al"] + 8 * 30 / 100 * 200 * 0.1 * RHO["Ni"]
    stack_mg = 3 * CELL_M * A_CM2 + 2 * AL_M * A_CM2 + 2 * CU_M * A_CM2
    stack_t = 3 * CELL_T + 40
    energy_Wh = 0.912
    check(r, pouch_expect(stack_mg, stack_t, energy_Wh, outline_cm2=outline, lam_mg=lam_mg,
                          tab_mg=tab_mg, lam_um=150))
    assert breakdown_mass(r, "tabs") == approx(tab_mg / 1000)


def test_default_packaging():
    """FORMAT.md defaults: 113 um laminate at 1.5 g/cm3, 5 mm seal, Al and Ni tabs 10 x 30 x 200 um."""
    d = hand_dict()
    del d["packaging"]
    r = core.evaluate(design(d))
    lam_mg = 2 * OUTLINE_CM2 * 113 * 0.1 * 1.5
    tab_mg = 3 * 200 * 0.1 * (RHO["Al"] + RHO["Ni"])
    stack_mg = 3 * CELL_M * A_CM2 + 2 * AL_M * A_CM2 + 2 * CU_M * A_CM2
    check(r, pouch_expect(stack_mg, 3 * CELL_T + 40, 0.912, lam_mg=lam_mg, tab_mg=tab_mg, lam_um=113))


@pytest.mark.parametrize("basis", ["outline", "stack"])
def test_volume_basis(basis):
    d = hand_dict()
    d["packaging"]["volume_basis"] = basis
    d["unit_cell"][2]["overhang_mm"] = 1
    r = core.evaluate(design(d))
    fp = 52 * 42 / 100
    outline = 62 * 52 / 100
    thickness_um = 3 * CELL_T + 40 + 200
    vol = (outline if basis == "outline" else fp) * thickness_um * 1e-4
    assert r.volume_cm3 == approx(vol)
    assert r.volumetric_Wh_L == approx(0.912 / vol * 1000)
    # the stack level never includes seals or laminate
    assert r.stack_volumetric_Wh_L == approx(0.912 / (fp * (3 * CELL_T + 40) * 1e-4) * 1000)
    # breakdown volumes fill the cell volume (edge space = what the layers do not fill)
    assert sum(b.volume_cm3 for b in r.breakdown) == approx(vol)


# ---------------------------------------------------------------- charged state
def test_charged_state_li_metal():
    """Plated Li = Q / 0.2061 um per unit cell adds thickness, not mass."""
    d = hand_dict()
    d["volume_state"] = "charged"
    r = core.evaluate(design(d))
    ref = core.evaluate(design(hand_dict()))
    plated_um = CAT_Q / PLATED_LI_MAH_CM2_PER_UM          # 19.41 um
    assert r.plated_li_um == approx(plated_um)
    assert r.stack_thickness_mm == approx((3 * CELL_T + 40 + 3 * plated_um) / 1000)
    assert r.thickness_mm == approx((3 * CELL_T + 40 + 3 * plated_um + 200) / 1000)
    assert r.volume_cm3 == approx(OUTLINE_CM2 * (3 * CELL_T + 240 + 3 * plated_um) * 1e-4)
    assert r.mass_g == approx(ref.mass_g)
    assert r.energy_Wh == approx(ref.energy_Wh)
    assert r.unit_cell_thickness_um == approx(ref.unit_cell_thickness_um + plated_um)
    assert breakdown_mass(r, "plated_li") == 0.0
    plated = [b for b in r.breakdown if b.item == "plated_li"][0]
    assert plated.volume_cm3 == approx(3 * plated_um * A_CM2 * 1e-4)


def test_charged_state_anode_free_bipolar():
    d = hand_dict()
    set_layer(d, "anode", None)
    d["stacking"] = {"type": "bipolar", "unit_cells": 2, "plate": {"material": "SS", "thickness_um": 10}}
    d["volume_state"] = "charged"
    r = core.evaluate(design(d))
    plated_um = 4.0 / 0.2061
    stack_t = 2 * (50 + 30 + plated_um) + 10 + 10 + 10
    assert r.stack_thickness_mm == approx(stack_t / 1000)
    assert r.np_ratio is None
    assert r.areal_capacity_mAh_cm2 == approx(4.0)


# the charged-state volumes of graphite and S | Li cells: tests/core/test_model_life.py (MODEL.md step 9)


# ---------------------------------------------------------------- voltage override
def test_nominal_voltage_override_parallel_and_bipolar():
    d = hand_dict()
    d["nominal_voltage_V"] = 3.5
    r = core.evaluate(design(d))
    assert r.voltage_V == approx(3.5)
    assert r.energy_Wh == approx(0.240 * 3.5)
    assert r.unit_cell_gravimetric_Wh_kg == approx(4.0 * 3.5 / (CELL_M + 0.5 * AL_M + 0.5 * CU_M) * 1000)
    d["stacking"] = {"type": "bipolar", "unit_cells": 4, "plate": {"material": "SS", "thickness_um": 10}}
    r = core.evaluate(design(d))   # the override is the unit cell's voltage: the stack is N x
    assert r.voltage_V == approx(4 * 3.5)
    assert r.energy_Wh == approx(0.080 * 14.0)


# ---------------------------------------------------------------- lithium inventory (MODEL.md 3)
S_CATHODE = {"components": [{"material": "S", "mass_fraction": 0.6},
                            {"material": "Li6PS5Cl", "mass_fraction": 0.3},
                            {"material": "Carbon", "mass_fraction": 0.1}],
             "porosity": 0.1, "loading_mg_cm2": 10}
S_Q = 10 * 0.6 * Q["S"] / 1000   # 8.4 mAh/cm2


def test_li_metal_with_lithiated_cathode_is_plating_host():
    """Li metal: Q_cell = Q_cathode even if the foil holds less (it is a plating host)."""
    d = hand_dict()
    set_layer(d, "anode", {"material": "Li", "thickness_um": 5})   # 1.03 mAh/cm2 < 4
    r = core.evaluate(design(d))
    assert r.areal_capacity_mAh_cm2 == approx(CAT_Q)
    assert r.np_ratio == approx(RHO["Li"] * 5 * 0.1 * 3.86 / CAT_Q)
    assert not model_warnings(r)


def test_anode_free_with_lithiated_cathode():
    d = hand_dict()
    set_layer(d, "anode", None)
    r = core.evaluate(design(d))
    assert r.areal_capacity_mAh_cm2 == approx(CAT_Q)
    assert r.np_ratio is None
    assert r.to_dict()["np_ratio"] is None
    assert r.voltage_V == approx(3.8)
    stack_mg = 3 * (CAT_L + SEP_M) * A_CM2 + 2 * AL_M * A_CM2 + 2 * CU_M * A_CM2
    assert r.stack_mass_g == approx(stack_mg / 1000)


@pytest.mark.parametrize("li_um, limited", [(10, True), (80, False)])
def test_sulfur_with_li_foil_takes_the_minimum(li_um, limited):
    d = hand_dict()
    set_layer(d, "cathode", S_CATHODE)
    set_layer(d, "anode", {"material": "Li", "thickness_um": li_um})
    r = core.evaluate(design(d))
    Qa = RHO["Li"] * li_um * 0.1 * Q["Li"] / 1000
    assert r.areal_capacity_mAh_cm2 == approx(min(S_Q, Qa))
    assert r.voltage_V == approx(2.1)
    assert r.capacity_Ah == approx(3 * min(S_Q, Qa) * A_CM2 / 1000)
    assert any("Li foil" in w for w in r.warnings) == limited


@pytest.mark.parametrize("cathode, anode", [
    (S_CATHODE, {"material": "Graphite", "thickness_um": 50}),
    ({"material": "TiS2", "thickness_um": 50}, {"material": "Si", "thickness_um": 10}),
    (S_CATHODE, None),                                     # S anode-free: no lithium either
])
def test_no_lithium_source_gives_zero_with_warning(cathode, anode):
    d = hand_dict()
    set_layer(d, "cathode", cathode)
    set_layer(d, "anode", anode)
    r = core.evaluate(design(d))
    assert r.areal_capacity_mAh_cm2 == 0
    assert r.capacity_Ah == 0 and r.energy_Wh == 0
    assert r.gravimetric_Wh_kg == 0 and r.stack_volumetric_Wh_L == 0
    assert r.mass_g > 0
    assert any("No lithium source" in w for w in r.warnings)


def test_graphite_with_lithiated_cathode_np_below_one_warns():
    d = hand_dict()
    set_layer(d, "anode", {"material": "Graphite", "np_ratio": 0.8})
    r = core.evaluate(design(d))
    assert r.areal_capacity_mAh_cm2 == approx(0.8 * CAT_Q)   # min(Qc, Qa)
    assert any("plating" in w for w in r.warnings)
    set_layer(d, "anode", {"material": "Graphite", "np_ratio": 1.0})
    assert not any("plating" in w for w in core.evaluate(design(d)).warnings)


def test_lithiated_anode_with_unlithiated_cathode():
    """S against a custom lithiated anode (e.g. prelithiated): min(Q_cathode, Q_anode)."""
    d = hand_dict()
    d["materials"] = {"LiSi": {"density_g_cm3": 1.2, "specific_capacity_mAh_g": 1000,
                               "average_voltage_V": 0.3, "lithiated": True}}
    set_layer(d, "cathode", S_CATHODE)
    set_layer(d, "anode", {"material": "LiSi", "areal_capacity_mAh_cm2": 5.0})
    r = core.evaluate(design(d))
    assert r.areal_capacity_mAh_cm2 == approx(5.0)
    assert r.voltage_V == approx(2.1 - 0.3)


def test_design_material_overrides_a_builtin():
    d = hand_dict()
    d["materials"] = {"NMC811": {"specific_capacity_mAh_g": 210}}
    r = core.evaluate(design(d))
    assert r.areal_capacity_mAh_cm2 == approx(20 * 210 / 1000)


# ---------------------------------------------------------------- breakdown
@pytest.mark.parametrize("stacking", [
    {"type": "parallel", "unit_cells": 7, "collector_sharing": "shared"},
    {"type": "parallel", "unit_cells": 6, "collector_sharing": "bicell",
     "spacer": {"material": "PET", "thickness_um": 40}},
    {"type": "parallel", "unit_cells": 3, "collector_sharing": "none",
     "spacer": {"material": "PP", "thickness_um": 20}},
    {"type": "bipolar", "unit_cells": 3, "plate": {"material": "SS", "thickness_um": 10}},
])
@pytest.mark.parametrize("state", ["discharged", "charged"])
def test_breakdown_masses_sum_to_mass(stacking, state):
    d = hand_dict()
    d["stacking"] = stacking
    d["volume_state"] = state
    d["unit_cell"][2]["overhang_mm"] = 1.5
    r = core.evaluate(design(d))
    assert sum(b.mass_g for b in r.breakdown) == approx(r.mass_g)
    assert sum(b.mass_g for b in r.breakdown if b.item not in ("laminate", "tabs")) == approx(r.stack_mass_g)
    assert sum(b.thickness_um for b in r.breakdown if b.item not in ("laminate", "tabs", "edge_space")) \
        == approx(r.stack_thickness_mm * 1000)
    assert {b.item for b in r.breakdown} >= {"cathode", "separator", "positive_collector",
                                             "negative_collector", "laminate", "tabs"}
