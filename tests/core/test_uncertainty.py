"""MODEL.md step 12, confidence: the Monte-Carlo over tolerances, its tornado and the
`uncertainty` command (issue 13)."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

import core
import core.model
from core.design import Tolerance
from core.io import design_json
from core.model import UNCERTAIN_KEYS, monte_carlo
from core.model.uncertainty import Z95
from core_testlib import ROOT


@pytest.fixture(scope="module")
def base():
    return core.load_preset(core.DEFAULT_PRESET)


def test_zero_tolerances_give_a_zero_width_band_equal_to_evaluate(base):
    u = monte_carlo(base, 500, seed=3)
    r = core.evaluate(base)
    for k in UNCERTAIN_KEYS:
        v = r.values[k]
        p5, p50, p95 = u.percentiles[k]
        if v is None:
            assert all(math.isnan(p) for p in (p5, p50, p95)), k
        else:
            assert p5 == p50 == p95 == pytest.approx(v, rel=1e-12), k
    assert all(rows == [] for rows in u.tornado.values())


def test_normal_tolerance_p50_is_the_nominal_for_a_linear_result(base):
    # capacity is proportional to the cathode loading (cathode-limited cell, no lithium block)
    sd = 0.5
    d = replace(base, tolerances=(Tolerance("cathode.loading_mg_cm2", "normal", sd),))
    u = monte_carlo(d, 10_000, seed=11)
    nominal = core.evaluate(d).values["capacity_Ah"]
    p5, p50, p95 = u.percentiles["capacity_Ah"]
    loading = core.parameter_value(d, "cathode.loading_mg_cm2")
    spread = nominal * sd / loading          # the capacity's sd
    # the median's standard error is about 1.25 sd / sqrt(n): 4 of them
    assert abs(p50 - nominal) < 4 * 1.2533 * spread / math.sqrt(10_000)
    assert p5 == pytest.approx(nominal - Z95 * spread, rel=5e-3)
    assert p95 == pytest.approx(nominal + Z95 * spread, rel=5e-3)


def test_same_seed_same_numbers_other_seed_other_numbers(base):
    d = replace(base, tolerances=(Tolerance("cathode.loading_mg_cm2", "normal", 0.5),
                                  Tolerance("separator.thickness_um", "uniform", 3.0)))
    a, b, c = monte_carlo(d, 2000, seed=5), monte_carlo(d, 2000, seed=5), monte_carlo(d, 2000, seed=6)
    for k in UNCERTAIN_KEYS:
        np.testing.assert_array_equal(a.values[k], b.values[k])
        assert a.percentiles[k] == b.percentiles[k]
    assert a.percentiles["gravimetric_Wh_kg"] != c.percentiles["gravimetric_Wh_kg"]


def test_tornado_order_by_hand_on_two_parameters(base):
    tols = (Tolerance("cathode.loading_mg_cm2", "normal", 0.5),
            Tolerance("separator.thickness_um", "uniform", 3.0))
    d = replace(base, tolerances=tols)
    u = monte_carlo(d, 100, seed=0)
    key = "gravimetric_Wh_kg"
    by_hand = []
    for t, half in ((tols[0], Z95 * 0.5), (tols[1], 0.9 * 3.0)):
        nom = core.parameter_value(d, t.parameter)
        lo = core.evaluate(core.with_parameter(d, t.parameter, nom - half)).values[key]
        hi = core.evaluate(core.with_parameter(d, t.parameter, nom + half)).values[key]
        by_hand.append((abs(hi - lo), t.parameter, lo, hi))
    by_hand.sort(reverse=True)
    rows = u.tornado[key]
    assert [r["parameter"] for r in rows] == [p for _s, p, _l, _h in by_hand]
    # the separator (uniform +/- 3 um, 90 % of it) swings the pouch Wh/kg more than the loading
    assert rows[0]["parameter"] == "separator.thickness_um"
    for r, (swing, _p, lo, hi) in zip(rows, by_hand):
        assert r["result_at_low"] == pytest.approx(lo, rel=1e-9)
        assert r["result_at_high"] == pytest.approx(hi, rel=1e-9)
        assert r["swing"] == pytest.approx(swing, rel=1e-9)


def test_share_meeting_counts_the_samples(base):
    d = replace(base, tolerances=(Tolerance("cathode.loading_mg_cm2", "normal", 0.5),))
    u = monte_carlo(d, 4000, seed=2)
    p5, p50, p95 = u.percentiles["gravimetric_Wh_kg"]
    assert u.share_meeting("gravimetric_Wh_kg", p50) == pytest.approx(0.5, abs=0.01)
    assert u.share_meeting("gravimetric_Wh_kg", p5) == pytest.approx(0.95, abs=0.01)
    assert u.share_meeting("gravimetric_Wh_kg", 0.0) == 1.0


# ------------------------------------------------------------------ the command line
def _run(*args):
    p = subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                       text=True, cwd=ROOT, timeout=60)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module")
def tol_file(tmp_path_factory, base):
    d = replace(base, tolerances=(Tolerance("cathode.loading_mg_cm2", "normal", 0.5),
                                  Tolerance("separator.thickness_um", "uniform", 3.0)))
    p = tmp_path_factory.mktemp("unc") / "tol.json"
    p.write_text(design_json(d), encoding="utf-8")
    return p, d


def test_cli_uncertainty_table(tol_file):
    path, d = tol_file
    rc, out, err = _run("uncertainty", path, "--samples", 3000, "--seed", 4)
    assert rc == 0, err
    assert "3000 samples, seed 4, 2 tolerances" in out
    for k in UNCERTAIN_KEYS:
        label, unit = core.model.RESULT_LABELS[k]
        assert label in out, k
    assert "P5" in out and "P50" in out and "P95" in out and "Tornado" in out
    u = monte_carlo(d, 3000, seed=4)
    line = next(ln for ln in out.splitlines() if ln.startswith("Pouch Wh/kg (Wh/kg)"))
    assert line.split()[-3:] == [f"{v:.4g}" for v in u.percentiles["gravimetric_Wh_kg"]]


def test_cli_uncertainty_json_matches_the_api(tol_file):
    path, d = tol_file
    rc, out, err = _run("uncertainty", path, "--samples", 1000, "--seed", 9, "--json")
    assert rc == 0, err
    data = json.loads(out)
    u = monte_carlo(d, 1000, seed=9)
    assert data["samples"] == 1000 and data["seed"] == 9
    assert set(data["results"]) == set(UNCERTAIN_KEYS)
    for k in UNCERTAIN_KEYS:
        p5, p50, p95 = u.percentiles[k]
        got = data["results"][k]
        for name, v in (("p5", p5), ("p50", p50), ("p95", p95)):
            assert (got[name] is None) if math.isnan(v) else got[name] == pytest.approx(v, rel=1e-12)
    assert [r["parameter"] for r in data["tornado"]["gravimetric_Wh_kg"]] == \
        [r["parameter"] for r in u.tornado["gravimetric_Wh_kg"]]


@pytest.mark.parametrize("args, needle", [
    (("--samples", 0), "--samples: must be from 1"),
    (("--samples", "many"), "invalid int value"),
    (("--seed", -1), "--seed: must be a whole number >= 0"),
])
def test_cli_uncertainty_errors_are_one_line_exit_2(tol_file, args, needle):
    rc, out, err = _run("uncertainty", tol_file[0], *args)
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and needle in err and err.startswith("error: ")


def test_cli_uncertainty_missing_file_and_bad_tolerance(tmp_path, base):
    rc, out, err = _run("uncertainty", tmp_path / "nope.json")
    assert rc == 2 and err.count("\n") == 1 and "nope.json" in err
    d = json.loads(design_json(base))
    d["tolerances"] = {"cathode.loading_mg_cm2": {"distribution": "normal", "sd": -1}}
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    rc, out, err = _run("uncertainty", p)
    assert rc == 2 and err.count("\n") == 1 and "tolerances.cathode.loading_mg_cm2" in err
