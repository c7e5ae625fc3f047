"""One or two parameters varied in one vectorised pass through the stages."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..design import Design, DesignError, check
from .params import check_pair, sweep_values
from .results import NUMERIC_KEYS, compute


def _arrays(c, shape) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with np.errstate(all="ignore"):
        for k in NUMERIC_KEYS:
            v = c.values[k]
            a = np.full(shape, np.nan) if v is None else \
                np.broadcast_to(np.asarray(v, dtype=float), shape).copy()
            a[~np.isfinite(a)] = np.nan   # unbounded or undefined: NaN, never inf
            out[k] = a
        out["breakdown_mass_g"] = {item: np.broadcast_to(np.asarray(g[0], dtype=float) / 1000.0, shape).copy()
                                   for item, g in c.groups.items()}
        out["breakdown_cost_USD"] = {item: np.broadcast_to(np.asarray(g[3], dtype=float), shape).copy()
                                     for item, g in c.groups.items()}
    return out


def _run(design, over):
    with np.errstate(all="ignore"):
        return compute(design, over=over)


def sweep(design: Design, parameter: str, values) -> dict[str, np.ndarray]:
    """Every numeric result key as an array over `values` of one parameter, in one vectorised
    pass. `breakdown_mass_g` / `breakdown_cost_USD` map each breakdown item to its array.
    Values that do not exist (a cycle life at CE = 1, a division by an underflowed 0) are NaN."""
    check(design)
    x = sweep_values(design, parameter, values)
    c = _run(design, {parameter: x})
    out = _arrays(c, (x.size,))
    out[parameter] = x
    return out


def sweep2(design: Design, p1: str, v1, p2: str, v2) -> dict[str, np.ndarray]:
    """Two parameters at once (the design map): every numeric result key as a 2-D array of
    shape (len(v2), len(v1)), element [j, i] at p1 = v1[i] and p2 = v2[j] (rows follow p2, as
    an image's y). Equal to sweep(with_parameter(design, p2, v2[j]), p1, v1) row by row."""
    check(design)
    if p1 == p2:
        raise DesignError(f"p2: must differ from p1, got {p2!r} twice")
    check_pair(p1, p2)
    x1 = sweep_values(design, p1, v1)
    x2 = sweep_values(design, p2, v2)
    X1, X2 = x1[None, :], x2[:, None]
    c = _run(design, {p1: X1, p2: X2})
    shape = (x2.size, x1.size)
    out = _arrays(c, shape)
    out[p1] = np.broadcast_to(X1, shape).copy()
    out[p2] = np.broadcast_to(X2, shape).copy()
    return out


def fast_key(design: Design, parameter: str, xs: np.ndarray, key: str) -> np.ndarray:
    """One result over values already checked (no re-validation); NaN where undefined."""
    c = _run(design, {parameter: xs})
    v = c.values[key]
    if v is None:
        return np.full(xs.shape, np.nan)
    with np.errstate(all="ignore"):
        a = np.broadcast_to(np.asarray(v, dtype=float), xs.shape).copy()
    a[~np.isfinite(a)] = np.nan
    return a
