"""Goal seek: the parameter value at which a result reaches a target, or why it cannot."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..design import Design, DesignError, check
from .params import PARAMETERS, param, parameter_value, sweep_values
from .results import NUMERIC_KEYS, RESULT_LABELS
from .sweep import fast_key


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


def _real(name: str, v) -> float:
    """A finite real number, or a DesignError naming the argument."""
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise DesignError(f"{name}: must be a real number, got {v!r}")
    try:
        f = float(v)
    except OverflowError:
        raise DesignError(f"{name}: must be finite, got a {len(str(abs(v)))}-digit number") from None
    if not math.isfinite(f) or abs(f) > 1e300:
        raise DesignError(f"{name}: must be a finite number below 1e300, got {v!r}")
    return f


def _fmt_sig(v: float) -> str:
    return f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"


def solve_for(design: Design, parameter: str, result_key: str, target: float,
              lo: float | None = None, hi: float | None = None) -> Solution:
    """The parameter value at which `result_key` reaches `target`, or why it cannot."""
    check(design)
    p = param(parameter)
    if result_key not in NUMERIC_KEYS:
        raise DesignError(f"result_key: unknown result {result_key!r}")
    target = _real("target", target)
    lo = p.lo if lo is None else _real("lo", lo)
    hi = p.hi if hi is None else _real("hi", hi)
    if lo <= 0:
        raise DesignError(f"lo: must be > 0 ({p.label} is positive), got {lo:g}")
    if p.max_value is not None and hi > p.max_value:
        raise DesignError(f"hi: must be at most {p.max_value:g} for {parameter}, got {hi:g}")
    if not lo < hi:
        raise DesignError(f"hi: must be above lo ({lo:g}), got {hi:g}")
    if p.log and hi / lo > 1e30:
        raise DesignError(f"hi: the range {lo:g}-{hi:g} spans more than 30 decades; narrow it")
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
    x = sweep_values(design, parameter, x)
    y = fast_key(design, parameter, x, result_key)
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
            fs = fast_key(design, parameter, xs, result_key) - target
            j = np.nonzero(np.sign(fs[:-1]) * np.sign(fs[1:]) <= 0)[0]
            if j.size == 0:
                break
            a, b, fa, fb = xs[j[0]], xs[j[0] + 1], fs[j[0]], fs[j[0] + 1]
        value = a if fa == fb else a - fa * (b - a) / (fb - fa)
    return Solution(parameter, result_key, target, float(value), at_least=increasing,
                    crossings=tuple(float(c) for c in coarse))
