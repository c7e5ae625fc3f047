"""What a lever needs to reach a target, read off a computed curve (pure numpy, no Qt, no model).

`core.solve_for` and the plots ask the same question: given y(x) of one result over a lever's
range, where is y >= target (or, for a result where less is better such as a cost, y <= target:
`lower=True`)? The honest answer is one of

- "threshold": the target holds from a value on to the end of the range (x >= value, or
  x <= value from the start of the range): a needed value. Other places where the target is
  met but does not hold from there on are listed in `also`.
- "ranges":     it is met only in some intervals (or, for an integer lever, at some whole
  numbers) and holds from no value on: the places are listed, no needed value is stated.
- "everywhere": met over the whole range (`best` is the lowest y, at `best_at`; for `lower`,
  the highest).
- "nowhere":    met nowhere (`best` is the highest y, at `best_at`; for `lower`, the lowest).
  `undefined`: y is not a number anywhere on the range (nothing to judge).

A `lower` curve is judged as -y >= -target, so its needed values and crossings are exactly those
of the negated curve; the statement keeps the result's own numbers and words them as a maximum
('Anode thickness ≤ 30.7 µm for ≤ 360 USD/kWh').

An integer lever (unit cells) is judged at whole numbers only: with shared collectors the
energy density zig-zags between odd and even counts, and "N >= 21" is only stated if every
count from 21 on meets the target.

A continuous crossing is read off the curve itself where the curve around it is, to rounding,
a ratio of two affine functions of the lever, (a + b x) / (c + d x): the form an energy over a
mass or a volume takes in a lever that changes both linearly (a thickness, a loading, the N/P
ratio, the electrode's size), and also a straight line. The one such curve through the computed
values at the crossing's two ends and the point before is checked at the points two before and
two after (`_local_root`); where it passes, its root is the crossing, with no model call: exact
to rounding on a curve of that form, and within about LOCAL_RTOL of the interval's width on one
that is only close to it (the check bounds how far). Elsewhere (a
kink of the model, such as where the lithium reservoir no longer covers the formation loss, or
a curve of another shape: the energy at a C-rate) the crossing is refined with an optional
`evaluate(xs) -> {key: ys}` callback (the model over points inside the bracket): one pass of
1024 points (one model call for every such crossing of every curve), then the same reading on
the sub-grid around the bracket left (with a looser check there, SUBGRID_RTOL: over so short a
stretch a smooth curve of any shape is close to that form), else a linear interpolation on it.
core.solve_for refines exactly as the plots do, so both agree to rounding.

    st = statement(x, y, 400.0, refine=lambda xs: my_model(xs))
    st.kind, st.value, st.at_least, st.ranges, st.describe("Separator thickness", "µm", "Wh/kg")
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Mapping

import numpy as np

REFINE_POINTS = 1024
REFINE_PASSES = 1
FLAT_RTOL = 1e-9
# _local_root: the fitted curve must give the two check points to within this fraction of the
# change of the curve over the crossing's interval (so that the root is within about this
# fraction of the interval's width); rounding makes about 1e-12 of it on the presets' curves.
# On the refinement's sub-grid (points 1023 times closer) a looser check: the root still lands
# within about 1e-7 of a sub-interval, where the linear interpolation it replaces is off by up
# to 1e-5 of one on a curved stretch (a kink within the five points still fails it)
LOCAL_RTOL = 1e-9
SUBGRID_RTOL = 1e-6

KINDS = ("threshold", "ranges", "everywhere", "nowhere")


@dataclass(frozen=True)
class Statement:
    """What can truthfully be said about reaching `target` over lo..hi (see the module doc)."""
    kind: str
    target: float
    lo: float
    hi: float
    integer: bool = False
    value: float | None = None            # threshold: the needed value
    at_least: bool | None = None          # threshold: True "x >= value", False "x <= value"
    ranges: tuple[tuple[float, float], ...] = ()   # every place met (a == b: one point)
    also: tuple[tuple[float, float], ...] = ()     # threshold: met places outside the tail
    best: float | None = None             # nowhere: highest y; everywhere: lowest y
    best_at: float | None = None
    flat: bool = False                    # y does not depend on x (within FLAT_RTOL)
    crossings: tuple[float, ...] = ()     # every refined boundary between met and not met
    values: tuple[float, ...] = ()        # integer lever: every whole number where met
    lower: bool = False                   # less is better: met where y <= target
    undefined: bool = False               # nowhere: y is not a number anywhere on the range

    @property
    def ok(self) -> bool:
        """A needed value is stated (kind 'threshold')."""
        return self.kind == "threshold"

    @property
    def chosen_by_current(self) -> bool:
        """Whether the current value chose this statement: the target is met at both ends of
        the range and not between, and the needed value is the end nearer the current value
        (another current value may name the other end)."""
        return (self.kind == "threshold" and len(self.ranges) > 1
                and self.ranges[0][0] == self.lo and self.ranges[-1][1] == self.hi)

    def met_at(self, x: float) -> bool:
        """Whether the target is met at lever value x (by this statement's ranges)."""
        return any(a - 1e-12 * max(1.0, abs(a)) <= x <= b + 1e-12 * max(1.0, abs(b))
                   for a, b in self.ranges)

    # -------------------------------------------------------------- words
    def describe(self, label: str, unit: str = "", result_unit: str = "", result_label: str = "",
                 ascii: bool = False) -> str:
        """One sentence, e.g. 'Separator thickness ≤ 30.9 µm for 400 Wh/kg', or for a result
        where less is better 'Anode thickness ≤ 30.7 µm for ≤ 360 USD/kWh'.

        label: the lever ('Unit cells'); unit: its unit ('µm'; for counts a plural noun such
        as 'unit cells' reads best); result_unit: 'Wh/kg'; result_label: 'Stack Wh/kg'."""
        ge, le, dash = (">=", "<=", "-") if ascii else ("≥", "≤", "–")
        tgt = self._target_text(result_unit, le)
        what = result_label or result_unit or "the result"
        span = _join(f"{fmt_value(self.lo)}{dash}{fmt_value(self.hi)}", unit)
        if self.undefined:
            return f"{what} is undefined over the whole range of {label_lower(label)} ({span})"
        if self.kind == "threshold":
            op = ge if self.at_least else le
            u = "" if unit.lower() == label.lower() else unit   # 'Unit cells ≥ 29', no 'unit cells' twice
            out = f"{label} {op} {_join(fmt_value(self.value), u)} for {tgt}"
            if self.also:
                out += f" (also met at {format_ranges(self.also, self.integer, unit, dash)})"
            return out
        best = _join(fmt_value(self.best), result_unit)
        if self.lower:
            # 'Materials cost ≤ 90 USD/kWh is out of reach …: it is at least 157 USD/kWh'
            goal = f"{result_label} {tgt}" if result_label else tgt
            subject = label_lower(result_label) if result_label else "the result"
            if self.kind == "ranges":
                return (f"{goal} is met only at {label_lower(label)} "
                        f"{format_ranges(self.ranges, self.integer, unit, dash)}, and from no value on")
            if self.kind == "everywhere":
                return (f"{goal} is met over the whole range of {label_lower(label)} ({span}): "
                        f"{'it stays' if self.flat else 'it is at most'} {best}")
            if self.flat:
                return (f"{goal} is out of reach by {label_lower(label)} alone: {subject} does not "
                        f"depend on it (it stays {best})")
            return (f"{goal} is out of reach by {label_lower(label)} alone: it is at least {best} "
                    f"(at {_join(fmt_value(self.best_at), unit)}) over {span}")
        if self.kind == "ranges":
            return (f"{tgt} is met only at {label_lower(label)} "
                    f"{format_ranges(self.ranges, self.integer, unit, dash)}, "
                    f"and from no value on")
        if self.kind == "everywhere":
            why = (f"{what} stays {best}" if self.flat else f"{what} is at least {best}")
            return f"{tgt} is met over the whole range of {label_lower(label)} ({span}): {why}"
        # nowhere
        if self.flat:
            return (f"{tgt} is out of reach by {label_lower(label)} alone: {what} does not depend "
                    f"on it (it stays {best})")
        return (f"{tgt} is out of reach by {label_lower(label)} alone: {what} is at most "
                f"{best} (at {_join(fmt_value(self.best_at), unit)}) over {span}")

    def short(self, label: str, unit: str = "", result_unit: str = "", ascii: bool = False) -> str:
        """A footer line: the needed value, or the first clause of the sentence."""
        ge, le, dash = (">=", "<=", "-") if ascii else ("≥", "≤", "–")
        tgt = self._target_text(result_unit, le)
        if self.undefined:
            return f"{result_unit or 'the result'} undefined over the whole range"
        if self.kind == "threshold":
            return self.describe(label, unit, result_unit, ascii=ascii)
        if self.kind == "ranges":
            return f"{tgt} only at {format_ranges(self.ranges, self.integer, unit, dash)} (from no value on)"
        bound = "stays" if self.flat else ("at most" if self.lower else "at least")
        if self.kind == "everywhere":
            return f"{tgt} met everywhere ({bound} {_join(fmt_value(self.best), result_unit)})"
        bound = "stays" if self.flat else ("at least" if self.lower else "at most")
        return (f"{tgt} out of reach by {label_lower(label)} alone "
                f"({bound} {_join(fmt_value(self.best), result_unit)})")

    def _target_text(self, result_unit: str, le: str) -> str:
        """'400 Wh/kg'; a maximum says so: '≤ 90 USD/kWh'."""
        num = _join(fmt_value(self.target), result_unit)
        return f"{le} {num}" if self.lower else num


# ------------------------------------------------------------------ grids
def search_grid(lo: float, hi: float, log: bool = False, integer: bool = False, step: int = 1,
                n: int = 801) -> np.ndarray:
    """The values a lever is judged at: every whole number (every `step`-th, from the first
    multiple of step at or above lo) for an integer lever, else n points, log-spaced for a log
    lever. The same grid core.solve_for searches."""
    if integer:
        start = int(math.ceil(lo / step) * step) if lo > 1 else step
        return np.arange(start, int(hi) + 1, step, dtype=float)
    return np.geomspace(lo, hi, n) if log else np.linspace(lo, hi, n)


# ------------------------------------------------------------------ the statement
def statement(x, y, target: float, *, integer: bool = False, current: float | None = None,
              refine: Callable[[np.ndarray], np.ndarray] | None = None, lower: bool = False) -> Statement:
    """The statement for one curve y(x) (x ascending) and a minimum target (a maximum with
    lower=True); see the module doc. refine(xs) -> ys evaluates the same curve at other
    points (None: interpolate linearly)."""
    ev = None if refine is None else (lambda xs: {"y": refine(xs)})
    return statements(x, {"y": (y, target, lower)}, integer=integer, current=current, evaluate=ev)["y"]


def statements(x, curves: Mapping[str, tuple], *, integer: bool = False,
               current: float | None = None,
               evaluate: Callable[[np.ndarray], Mapping[str, np.ndarray]] | None = None
               ) -> dict[str, Statement]:
    """Statements for several curves over the same x (key -> (y, target) for a minimum, or
    (y, target, lower) where lower=True makes the target a maximum); the refinement of all
    their crossings shares one evaluate(xs) call per pass (one model call for all)."""
    x = np.asarray(x, dtype=float)
    out: dict[str, Statement] = {}
    pending = {}   # key -> (xs, ys, met, boundary indices)
    # a maximum is judged on the negated curve (met: -y >= -target), then worded back
    signs = {key: -1.0 if (len(spec) > 2 and spec[2]) else 1.0 for key, spec in curves.items()}
    for key, spec in curves.items():
        y, target = spec[0], signs[key] * float(spec[1])
        y = signs[key] * np.asarray(y, dtype=float)
        good = np.isfinite(y) & np.isfinite(x)
        xs, ys = x[good], y[good]
        if xs.size == 0:
            out[key] = Statement("nowhere", float(target), float(x[0]) if x.size else math.nan,
                                 float(x[-1]) if x.size else math.nan, integer, undefined=True)
            continue
        met = ys >= target
        y_lo, y_hi = float(ys.min()), float(ys.max())   # (np.ptp, np.max(np.abs()): the same, slower)
        flat = y_hi - y_lo <= FLAT_RTOL * max(1.0, abs(y_lo), abs(y_hi))
        lo, hi = float(xs[0]), float(xs[-1])
        if met.all() or not met.any():
            i = int(np.argmin(ys)) if met.all() else int(np.argmax(ys))
            out[key] = Statement("everywhere" if met.all() else "nowhere", float(target), lo, hi, integer,
                                 best=float(ys[i]), best_at=float(xs[i]), flat=flat,
                                 ranges=((lo, hi),) if met.all() else (),
                                 values=tuple(float(v) for v in xs) if (integer and met.all()) else ())
            continue
        b = np.nonzero(met[:-1] != met[1:])[0]   # met changes between b and b + 1
        pending[key] = (xs, ys, met, b, float(target), flat)

    # every continuous crossing: read off the curve where it is of the affine-ratio form around
    # it, else refined (REFINE_PASSES passes, one evaluate call per pass for all of them)
    roots: dict[tuple[str, int], float] = {}
    if not integer:
        brackets = {}
        for k, v in pending.items():
            xs, ys, target = v[0], v[1], v[4]
            whole = xs.size == x.size   # (no point left out: the neighbours are the grid's)
            for i in v[3]:
                i = int(i)
                r = _local_root(xs, ys, i, target) if whole else None
                if r is not None:
                    roots[(k, i)] = r
                else:
                    brackets[(k, i)] = [xs[i], xs[i + 1], ys[i] - target, ys[i + 1] - target]
        fine = {}   # bracket -> (sub-grid, its values, index of the sub-bracket left)
        if evaluate is not None and brackets:
            for _ in range(REFINE_PASSES):
                order = [(kb, np.linspace(br[0], br[1], REFINE_POINTS)) for kb, br in brackets.items()]
                res = evaluate(np.concatenate([g for _kb, g in order]))
                for n, (kb, g) in enumerate(order):
                    ysub = signs[kb[0]] * np.asarray(res[kb[0]], dtype=float)[
                        n * REFINE_POINTS:(n + 1) * REFINE_POINTS]
                    f = ysub - pending[kb[0]][4]
                    j = np.nonzero(np.sign(f[:-1]) * np.sign(f[1:]) <= 0)[0]
                    if j.size:
                        j0 = int(j[0])
                        brackets[kb] = [g[j0], g[j0 + 1], f[j0], f[j0 + 1]]
                        fine[kb] = (g, ysub, j0)
        for kb, (a, bb, fa, fb) in brackets.items():
            r = None
            if kb in fine:
                g, ysub, j0 = fine[kb]
                r = _local_root(g, ysub, j0, pending[kb[0]][4], SUBGRID_RTOL)
            roots[kb] = float(r if r is not None else a if fa == fb else a - fa * (bb - a) / (fb - fa))

    for key, (xs, ys, met, b, target, flat) in pending.items():
        lo, hi = float(xs[0]), float(xs[-1])
        # runs of met samples, as index pairs [s, e]
        starts = [0] if met[0] else []
        ends = []
        for i in b:
            if met[i]:
                ends.append(int(i))
            else:
                starts.append(int(i) + 1)
        if met[-1]:
            ends.append(xs.size - 1)
        runs = list(zip(starts, ends))
        if integer:
            ranges = tuple((float(xs[s]), float(xs[e])) for s, e in runs)
            crossings = tuple(float(xs[i + 1] if not met[i] else xs[i]) for i in b)
        else:
            def edge(s_or_e: int, at_start: bool) -> float:
                if at_start:
                    return lo if s_or_e == 0 else roots[(key, s_or_e - 1)]
                return hi if s_or_e == xs.size - 1 else roots[(key, s_or_e)]
            ranges = tuple((edge(s, True), edge(e, False)) for s, e in runs)
            crossings = tuple(roots[(key, int(i))] for i in b)
        values = tuple(float(v) for v in xs[met]) if integer else ()
        tail = runs[-1][1] == xs.size - 1   # met up to the end of the range
        head = runs[0][0] == 0              # met from the start of the range
        pick = None
        if tail and head:   # met at both ends, not in between: the end nearer the design
            if current is not None and math.isfinite(current):
                pick = "tail" if abs(current - ranges[-1][0]) <= abs(current - ranges[0][1]) else "head"
            else:
                pick = "tail"
        elif tail:
            pick = "tail"
        elif head:
            pick = "head"
        if pick == "tail":
            out[key] = Statement("threshold", target, lo, hi, integer, value=ranges[-1][0], at_least=True,
                                 ranges=ranges, also=ranges[:-1], crossings=crossings, values=values,
                                 flat=flat)
        elif pick == "head":
            out[key] = Statement("threshold", target, lo, hi, integer, value=ranges[0][1], at_least=False,
                                 ranges=ranges, also=ranges[1:], crossings=crossings, values=values,
                                 flat=flat)
        else:
            out[key] = Statement("ranges", target, lo, hi, integer, ranges=ranges, crossings=crossings,
                                 values=values, flat=flat)
    return {k: _worded(out[k]) if signs[k] < 0 else out[k] for k in curves}


def _local_root(x: np.ndarray, y: np.ndarray, i: int, target: float,
                rtol: float = LOCAL_RTOL) -> float | None:
    """Where y = target between x[i] and x[i + 1] (y - target changes sign there), when the
    curve around it is, to rounding, a ratio of affine functions of x: the one such curve
    through the values at i - 1, i and i + 1, if it gives the values at i - 2 and i + 2 to
    within `rtol` of the curve's change over the interval (a kink of the model or a curve
    of another shape near the crossing fails the check). None where it does not hold, where
    the points are too few, or where the fitted curve has a pole near the interval."""
    if i < 2 or i + 2 >= len(x):
        return None
    x0, h = float(x[i]), float(x[i + 1] - x[i])
    if not h > 0:
        return None
    u = [(float(x[k]) - x0) / h for k in (i - 2, i - 1)] + [0.0, 1.0, (float(x[i + 2]) - x0) / h]
    gv = [float(y[k]) - target for k in range(i - 2, i + 3)]
    g_m, a, g_1 = gv[1], gv[2], gv[3]
    step = g_1 - a
    if not (math.isfinite(step) and step != 0.0 and all(math.isfinite(v) for v in gv)):
        return None
    # (a + b u) / (1 + d u) through u = u_m, 0, 1: a is the value at 0; b and d from the others
    u_m = u[1]
    den = u_m * (g_1 - g_m)
    if den == 0.0:
        return None
    d = (g_m - a - u_m * (g_1 - a)) / den
    b = g_1 - a + d * g_1
    if b == 0.0 or min(1.0 + d * u[0], 1.0 + d * u[4]) <= 0.0:
        return None   # flat there, or a pole within the five points (1 at u = 0)
    tol = rtol * abs(step)
    for k in (0, 4):
        if not abs((a + b * u[k]) / (1.0 + d * u[k]) - gv[k]) <= tol:
            return None
    r = -a / b
    if not 0.0 <= r <= 1.0:
        return None
    return x0 + r * h


def _worded(st: Statement) -> Statement:
    """A statement made on the negated curve, back in the result's own numbers (a maximum)."""
    return replace(st, target=-st.target, best=None if st.best is None else -st.best, lower=True)


# ------------------------------------------------------------------ words
def fmt_value(v: float | None) -> str:
    """3 significant digits, whole numbers from 1000 on (as core.model's answers)."""
    if v is None or not math.isfinite(v):
        return "–"
    return f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"


def _join(number: str, unit: str) -> str:
    return f"{number} {unit}" if unit else number


# element symbols that begin lever labels ('Li foil thickness', 'Si content'): never lowercased
_SYMBOLS = frozenset({"Li", "Na", "Si", "Al", "Cu", "Ni", "Sn", "In", "Ti", "Fe", "Mn", "Co", "Ag",
                      "Zn", "Mg", "Nb", "Zr", "La", "Ta", "Ge", "Cl", "Br"})


def label_lower(label: str) -> str:
    """'Separator thickness' -> 'separator thickness'; acronyms, formulas and element symbols
    stay: 'N/P ratio', 'S content', 'Li2S content', 'Li foil thickness'."""
    if not label:
        return label
    first = label.split(" ")[0]
    if (len(first) == 1 or first in _SYMBOLS
            or any(ch.isupper() or ch.isdigit() or not ch.isalpha() for ch in first[1:])):
        return label
    return label[0].lower() + label[1:]


def format_ranges(ranges, integer: bool = False, unit: str = "", dash: str = "–",
                  max_items: int = 6) -> str:
    """'21, 23, 25 and 27–1000 unit cells' or '2.1–3.4 and 5–6 mAh/cm²'; long lists are cut
    ('21, 23, 25, … and 39 (10 places)')."""
    items = []
    for a, b in ranges:
        if a == b:
            items.append(fmt_value(a))
        elif integer and b - a == 1:
            items += [fmt_value(a), fmt_value(b)]
        else:
            items.append(f"{fmt_value(a)}{dash}{fmt_value(b)}")
    if len(items) > max_items:
        items = items[:max_items - 2] + ["…", items[-1]]
        text = ", ".join(items[:-1]) + f" and {items[-1]} ({len(ranges)} places)"
    elif len(items) > 1:
        text = ", ".join(items[:-1]) + f" and {items[-1]}"
    else:
        text = items[0] if items else ""
    return _join(text, unit)
