"""Goal seek: the parameter value at which a result reaches a target, or why it cannot."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..design import Design, DesignError, check
from .params import PARAMETERS, param, parameter_value, sweep_values
from .results import NUMERIC_KEYS, RESULT_LABELS
from .sweep import fast_key
from .. import goalseek

# results where less is better: a target is met at or below it
LOWER_IS_BETTER = frozenset({"cost_USD_kWh", "materials_cost_USD", "asr_ohm_cm2", "mass_g",
                             "volume_cm3", "thickness_mm", "fixture_mass_g", "fixture_volume_cm3",
                             "fixture_plate_thickness_mm"})


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
    statement: object = None   # the core.goalseek.Statement behind it (kind, where met)

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
        tgt = f"<= {self.target:g}" if self.result_key in LOWER_IS_BETTER else f"{self.target:g}"
        out = f"{p.label} {op} {_fmt_sig(self.value)} {unit} for {tgt} {runit}".replace("  ", " ")
        st = self.statement
        if st is not None and getattr(st, "also", ()):
            u = "unit cells" if self.parameter == "stacking.unit_cells" else unit
            out += f" (also met at {goalseek.format_ranges(st.also, st.integer, u, '-')})"
        return out


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
    step = 2 if (parameter == "stacking.unit_cells" and design.stacking.type == "parallel"
                 and design.stacking.collector_sharing == "bicell") else 1
    x = sweep_values(design, parameter, goalseek.search_grid(lo, hi, p.log, p.integer, step))
    lower = result_key in LOWER_IS_BETTER   # met: y >= target (a cost: y <= target)
    y = fast_key(design, parameter, x, result_key)
    good = np.isfinite(y)
    label, runit = RESULT_LABELS.get(result_key, (result_key, ""))
    if not np.any(good):
        return Solution(parameter, result_key, target, None, reason=f"{label} is undefined over the range")
    x, y = x[good], y[good]
    st = goalseek.statement(x, y, target, integer=p.integer, current=current, lower=lower,
                            refine=lambda xs: fast_key(design, parameter, xs, result_key))
    unit = "unit cells" if parameter == "stacking.unit_cells" else \
        ("" if p.unit in ("", "mass fraction") else p.unit)
    if st.ok:
        return Solution(parameter, result_key, target, float(st.value), at_least=st.at_least,
                        crossings=tuple(float(c) for c in st.crossings), statement=st)
    return Solution(parameter, result_key, target, None,
                    reason=st.describe(p.label, unit, runit, label, ascii=True),
                    crossings=tuple(float(c) for c in st.crossings), statement=st)
