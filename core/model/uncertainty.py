"""MODEL.md step 12, confidence: a seeded Monte-Carlo over the design's tolerances in one
vectorised pass through the stages, percentiles of every energy and cost result, and a tornado
(each tolerance alone at its low and high value)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..design import Design, DesignError, Tolerance, check
from .params import PARAMETERS, parameter_value, sweep_values
from .results import RESULT_LABELS, compute, evaluate
from .sweep import _arrays

# the results the bands, histogram and tornado report
UNCERTAIN_KEYS = ("gravimetric_Wh_kg", "volumetric_Wh_L", "stack_gravimetric_Wh_kg",
                  "stack_volumetric_Wh_L", "unit_cell_gravimetric_Wh_kg", "unit_cell_volumetric_Wh_L",
                  "system_gravimetric_Wh_kg", "system_volumetric_Wh_L", "energy_Wh", "capacity_Ah",
                  "gravimetric_Wh_kg_at_rate", "volumetric_Wh_L_at_rate", "cycle_life",
                  "materials_cost_USD", "cost_USD_kWh")
DEFAULT_SAMPLES = 10_000
MAX_SAMPLES = 1_000_000
# the tornado's low and high: the 5th and 95th percentile of each tolerance's distribution
Z95 = 1.6448536269514722
LABEL = ("Confidence: tolerances are independent; normal tolerances are cut at the parameter's "
         "valid range; percentiles from a seeded Monte-Carlo (sampling error about 1 % of the spread "
         "at 10,000 samples).")


def tolerance_bounds(t: Tolerance, nominal: float) -> tuple[float, float]:
    """The 5th and 95th percentile of one tolerance (the tornado's low and high)."""
    half = Z95 * t.width if t.distribution == "normal" else 0.9 * t.width
    return nominal - half, nominal + half


def _clip(name: str, x: np.ndarray, design: Design) -> tuple[np.ndarray, int]:
    p = PARAMETERS[name]
    lo = np.nextafter(0.0, 1.0) if not p.integer else 1.0
    lo = max(lo, 1e-12 * p.lo)
    hi = p.max_value if p.max_value is not None else np.inf
    if p.integer:
        x = np.round(x)
        if name == "stacking.unit_cells" and design.stacking.type == "parallel" \
                and design.stacking.collector_sharing == "bicell":
            x = 2.0 * np.round(x / 2.0)
            lo = 2.0
    clipped = int(np.count_nonzero((x < lo) | (x > hi)))
    return np.clip(x, lo, hi), clipped


@dataclass
class Uncertainty:
    samples: int
    seed: int
    nominal: dict
    percentiles: dict            # key -> (p5, p50, p95)
    values: dict = field(repr=False, default_factory=dict)   # key -> array of samples
    clipped: dict = field(default_factory=dict)               # parameter -> samples cut to range
    tornado: dict = field(default_factory=dict)               # key -> list of rows, largest swing first

    def share_meeting(self, key: str, target: float, at_least: bool = True) -> float:
        """The fraction of sampled designs that meet a target (NaN samples count as not met)."""
        v = self.values[key]
        ok = (v >= target) if at_least else (v <= target)
        return float(np.count_nonzero(ok & np.isfinite(v))) / v.size

    def to_dict(self) -> dict:
        def f(x):
            return None if x is None or not np.isfinite(x) else float(x)
        return {"samples": self.samples, "seed": self.seed,
                "tolerances_clipped": self.clipped,
                "results": {k: {"nominal": f(self.nominal.get(k)), "p5": f(p[0]), "p50": f(p[1]),
                                "p95": f(p[2])} for k, p in self.percentiles.items()},
                "tornado": {k: rows for k, rows in self.tornado.items()}}


def sample(design: Design, n: int, seed: int) -> tuple[dict, dict]:
    """n samples of every toleranced parameter (dict name -> array) and how many were clipped."""
    rng = np.random.default_rng(seed)
    over, clipped = {}, {}
    for t in design.tolerances:
        nominal = parameter_value(design, t.parameter)
        if nominal is None:
            raise DesignError(f"tolerances.{t.parameter}: this design has no such value")
        if t.distribution == "normal":
            x = rng.normal(nominal, t.width, n)
        else:
            x = rng.uniform(nominal - t.width, nominal + t.width, n)
        over[t.parameter], clipped[t.parameter] = _clip(t.parameter, x, design)
    return over, clipped


def monte_carlo(design: Design, samples: int = DEFAULT_SAMPLES, seed: int = 0,
                tornado: bool = True) -> Uncertainty:
    """P5 / P50 / P95 of every energy and cost result over the design's tolerances."""
    check(design)
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) \
            or not 1 <= samples <= MAX_SAMPLES:
        raise DesignError(f"samples: must be a whole number from 1 to {MAX_SAMPLES}, got {samples!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2 ** 63:
        raise DesignError(f"seed: must be a whole number >= 0, got {seed!r}")
    nominal_r = evaluate(design)
    nominal = {k: nominal_r.values.get(k) for k in UNCERTAIN_KEYS}
    if design.tolerances:
        over, clipped = sample(design, int(samples), int(seed))
        with np.errstate(all="ignore"):
            c = compute(design, over=over)
        arr = _arrays(c, (int(samples),))
    else:  # no tolerance: every sample is the nominal design
        clipped = {}
        arr = {k: np.full(int(samples), np.nan if nominal[k] is None else nominal[k]) for k in UNCERTAIN_KEYS}
    values, pct = {}, {}
    for k in UNCERTAIN_KEYS:
        v = arr[k]
        values[k] = v
        good = v[np.isfinite(v)]
        pct[k] = tuple(np.percentile(good, [5, 50, 95])) if good.size else (np.nan, np.nan, np.nan)
    out = Uncertainty(int(samples), int(seed), nominal, pct, values, clipped)
    if tornado:
        out.tornado = tornado_rows(design, nominal)
    return out


def tornado_rows(design: Design, nominal: dict | None = None) -> dict:
    """For each result: each tolerance alone at its low and its high value (5th / 95th
    percentile), sorted by the swing, largest first."""
    if nominal is None:
        r = evaluate(design)
        nominal = {k: r.values.get(k) for k in UNCERTAIN_KEYS}
    rows: dict = {k: [] for k in UNCERTAIN_KEYS}
    for t in design.tolerances:
        nom = parameter_value(design, t.parameter)
        lo, hi = tolerance_bounds(t, nom)
        x, _ = _clip(t.parameter, np.array([lo, hi]), design)
        x = sweep_values(design, t.parameter, x)
        with np.errstate(all="ignore"):
            c = compute(design, over={t.parameter: x})
        arr = _arrays(c, (2,))
        for k in UNCERTAIN_KEYS:
            y = arr[k]
            n0 = nominal[k]
            if n0 is None or not np.all(np.isfinite(y)):
                continue
            rows[k].append({"parameter": t.parameter, "low_value": float(x[0]), "high_value": float(x[1]),
                            "result_at_low": float(y[0]), "result_at_high": float(y[1]),
                            "swing": float(abs(y[1] - y[0]))})
    for k in rows:
        rows[k].sort(key=lambda r: -r["swing"])
    return rows


def result_label(key: str) -> str:
    label, unit = RESULT_LABELS.get(key, (key, ""))
    return f"{label} ({unit})" if unit else label
