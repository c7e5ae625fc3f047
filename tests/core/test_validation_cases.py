"""MODEL.md "Validation a user can check": the review baseline, its loading sweep (the review's
Fig. 6E) and the Samsung 0.6 Ah bi-cell."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import core


@pytest.fixture(scope="module")
def baseline():
    return core.load_preset("review-baseline-nmc811-li3incl6-li")


def test_baseline_is_what_model_md_describes(baseline):
    cat = baseline.layer("cathode")
    assert {c.material: c.mass_fraction for c in cat.components} == {"NMC811": 0.85, "Li3InCl6": 0.15}
    assert (cat.density_g_cm3, cat.loading_mg_cm2) == (3.4, 26)
    assert baseline.layer("separator").thickness_um == 30
    assert baseline.layer("anode").material == "Li" and baseline.layer("anode").thickness_um == 40
    assert baseline.unit_cell[0].material == "Al" and baseline.unit_cell[0].thickness_um == 12
    assert baseline.unit_cell[-1].material == "Cu" and baseline.unit_cell[-1].thickness_um == 8
    assert baseline.stacking.unit_cells == 20 and baseline.stacking.collector_sharing == "shared"
    assert (baseline.electrode_width_mm, baseline.electrode_height_mm) == (100, 100)


def test_baseline_cathode(baseline):
    r = core.evaluate(baseline)
    # 26 mg/cm2 x 0.85 x 200 mAh/g = 4.42 mAh/cm2; 26 / (3.4 x 0.1) = 76.47 um
    assert r.areal_capacity_mAh_cm2 == pytest.approx(4.42, abs=0.005)
    assert r.values["cathode_thickness_um"] == pytest.approx(76.5, abs=0.05)


def test_baseline_stack_energy_density(baseline):
    """Stack level: about 400 Wh/kg (within 5 %) and the review's 980 Wh/L within 10 %."""
    r = core.evaluate(baseline)
    assert r.stack_gravimetric_Wh_kg == pytest.approx(400, rel=0.05)
    assert r.stack_volumetric_Wh_L == pytest.approx(980, rel=0.10)
    # the unit-cell level (what the review's figures are close to) is in the same place
    assert r.unit_cell_gravimetric_Wh_kg == pytest.approx(400, rel=0.05)
    # and the pouch cell is below the stack (laminate, tabs, seals only add)
    assert r.gravimetric_Wh_kg < r.stack_gravimetric_Wh_kg
    assert r.volumetric_Wh_L < r.stack_volumetric_Wh_L


# Loading sweep (review Fig. 6E). The review states its crossings to one significant figure
# ("below 1 mAh/cm2 ... under 200 Wh/kg", "about 4 mAh/cm2 is needed for 400 Wh/kg") and itself
# calls its 4.42 mAh/cm2 baseline "4"; we therefore accept a crossing that rounds to the stated
# digit: [0.5, 1.5) mAh/cm2 for 200 Wh/kg and [3.5, 4.5) mAh/cm2 for 400 Wh/kg. The model gives
# about 1.23 and 4.45 mAh/cm2 at stack level (1.20 and 4.35 for the unit cell).
CROSSINGS = {200: (0.5, 1.5), 400: (3.5, 4.5)}


def _crossing(x, y, target):
    i = int(np.argmax(y >= target))
    assert i > 0 and y[i - 1] < target <= y[i], "no single upward crossing"
    return x[i - 1] + (target - y[i - 1]) * (x[i] - x[i - 1]) / (y[i] - y[i - 1])


@pytest.mark.parametrize("level", ["stack_gravimetric_Wh_kg", "unit_cell_gravimetric_Wh_kg"])
def test_loading_sweep_crossings(baseline, level):
    loading = np.linspace(5, 40, 701)
    s = core.sweep(baseline, "cathode.loading_mg_cm2", loading)
    q = s["areal_capacity_mAh_cm2"]
    np.testing.assert_allclose(q, loading * 0.85 * 200 / 1000)
    y = s[level]
    assert np.all(np.diff(y) > 0), "Wh/kg rises with loading over 5-40 mg/cm2"
    for target, (lo, hi) in CROSSINGS.items():
        qx = _crossing(q, y, target)
        assert lo <= qx < hi, f"{level} crosses {target} Wh/kg at {qx:.2f} mAh/cm2"
    # MODEL.md: below 1 mAh/cm2 a cell stays under 200 Wh/kg
    assert np.all(y[q < 1.0] < 200)


def test_below_1_mAh_under_200_with_the_review_targets(baseline):
    """"below 1 mAh/cm2 a cell stays under 200 Wh/kg even with thin separators and thin Li":
    at 1 mAh/cm2 with the review's thin targets (30 um SSE, 40 um Li), every level is < 200."""
    r = core.evaluate(core.with_parameter(baseline, "cathode.areal_capacity_mAh_cm2", 1.0))
    assert r.unit_cell_gravimetric_Wh_kg < 200
    assert r.stack_gravimetric_Wh_kg < 200
    assert r.gravimetric_Wh_kg < 200


def test_review_levers_for_400(baseline):
    """MODEL.md: ~30 um SSE and ~40 um Li for 400 Wh/kg at the baseline (stack level, 10 %)."""
    sep = core.solve_for(baseline, "separator.thickness_um", "stack_gravimetric_Wh_kg", 400)
    li = core.solve_for(baseline, "anode.thickness_um", "stack_gravimetric_Wh_kg", 400)
    assert sep.ok and not sep.at_least and sep.value == pytest.approx(30, rel=0.10)
    assert li.ok and not li.at_least and li.value == pytest.approx(40, rel=0.10)


def test_anode_free_volumetric_near_1300(baseline):
    """MODEL.md: anode-free (N/P = 0) reaches about 1300 Wh/L. Removing the Li foil from the
    baseline: stack Wh/L within 10 % of 1300 (discharged state, as the review counts it)."""
    layers = tuple(layer for layer in baseline.unit_cell if layer.role != "anode")
    d = dataclasses.replace(baseline, unit_cell=layers)
    r = core.evaluate(d)
    assert r.np_ratio is None
    assert r.stack_volumetric_Wh_L == pytest.approx(1300, rel=0.10)
    assert r.stack_volumetric_Wh_L > core.evaluate(baseline).stack_volumetric_Wh_L


# Samsung 0.6 Ah bi-cell (Lee et al., Nat. Energy 2020): 703 Wh/L reported for the charged-
# state cell over the 6.0 x 9.5 cm footprint. The preset's cathode composition, composite
# density and Ag-C porosity are assumptions (see its notes) and the model plates Q/0.2061 =
# 33 um of Li where the paper counts 30 um; the model gives about 675 Wh/L (-4 %). We accept
# 5 %: the spread those stated assumptions alone cause (e.g. 3 um of plated Li per cell is
# ~1 %, a +/-10 % Ag-C or composite density ~1-2 %).
SAMSUNG_TOL = 0.05


def test_samsung_bicell():
    d = core.load_preset("samsung-0.6Ah-bicell")
    r = core.evaluate(d)
    assert d.stacking.collector_sharing == "bicell" and d.stacking.unit_cells == 2
    assert r.footprint_mm == (pytest.approx(60.0), pytest.approx(95.0))
    assert r.volumetric_Wh_L == pytest.approx(703, rel=SAMSUNG_TOL)
    # the measured capacity and voltage: 0.64 Ah at 3.76 V
    assert r.capacity_Ah == pytest.approx(0.64, rel=0.02)        # 2 x 6.8 x 5.3 x 8.8 / 1000
    assert r.capacity_Ah == pytest.approx(2 * 6.8 * 5.3 * 8.8 / 1000)
    assert r.voltage_V == 3.76
    assert r.values["cathode_thickness_um"] == pytest.approx(100, rel=0.01)
