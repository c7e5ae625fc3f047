"""One or two parameters varied in one vectorised pass through the stages."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from ..design import Design, DesignError, check
from .params import check_pair, sweep_values
from .results import NUMERIC_KEYS, compute, finish


def _array(v, shape) -> np.ndarray:
    """One result as a new float array of `shape`: NaN where it has no value or is unbounded
    (never inf)."""
    if v is None:
        return np.full(shape, np.nan)
    if type(v) is float:   # a result the swept values do not change: one value everywhere
        return np.full(shape, v if math.isfinite(v) else np.nan)
    a = np.asarray(v, dtype=float)
    a = a.copy() if a.shape == shape else np.broadcast_to(a, shape).copy()
    bad = ~np.isfinite(a)
    if bad.any():
        a[bad] = np.nan
    return a


ARRAY_KEYS = (*NUMERIC_KEYS, "breakdown_mass_g", "breakdown_cost_USD")


def _maker(c, shape) -> Callable[[str], Any]:
    """key -> its array of `shape` (the breakdown keys: item -> array) from a model run `c`."""
    values, groups = c.values, c.groups

    def make(k):
        with np.errstate(all="ignore"):
            if k == "breakdown_mass_g":
                return {item: _array(g[0] / 1000.0, shape) for item, g in groups.items()}
            if k == "breakdown_cost_USD":
                return {item: _array(g[3], shape) for item, g in groups.items()}
            return _array(values[k], shape)
    return make


def _arrays(c, shape, keys=None) -> dict[str, Any]:
    """Every numeric result (or only `keys`) as arrays of `shape`, plus the breakdown's."""
    make = _maker(c, shape)
    return {k: make(k) for k in (ARRAY_KEYS if keys is None else keys)}


class LazyMap(Mapping):
    """A read-only mapping over `keys` whose values are made by make(key) on first access and
    kept: a sweep's ~110 result arrays cost more to make than a view that reads two of them
    needs. Iterating it (dict(), items()) makes every value, in the order of `keys`."""

    __slots__ = ("_keys", "_make", "_done")

    def __init__(self, keys: Iterable[str], make: Callable[[str], Any], done: Mapping | None = None):
        self._keys = dict.fromkeys(keys)
        self._make = make
        self._done = dict(done or {})
        self._keys.update(dict.fromkeys(self._done))

    def __getitem__(self, key):
        try:
            return self._done[key]
        except KeyError:
            if key not in self._keys:
                raise
        v = self._done[key] = self._make(key)
        return v

    def __iter__(self):
        return iter(self._keys)

    def __len__(self):
        return len(self._keys)

    def __contains__(self, key):
        return key in self._keys


def _lazy_arrays(c, shape, extra: dict) -> LazyMap:
    """_arrays(c, shape) plus `extra`, each array made when it is first read. `c` may have
    stopped after the energy stage (compute with keys=()): the later stages run when the
    first result they make is read."""
    make = _maker(c, shape)
    finished = [False]

    def make_finishing(k):
        if not finished[0] and k in NUMERIC_KEYS and k not in c.values:
            with np.errstate(all="ignore"):
                finish(c)
            finished[0] = True
        return make(k)
    return LazyMap(ARRAY_KEYS, make_finishing, extra)


def _run(design, over, keys=None):
    with np.errstate(all="ignore"):
        return compute(design, over=over, keys=keys)


def sweep(design: Design, parameter: str, values) -> dict[str, np.ndarray]:
    """Every numeric result key as an array over `values` of one parameter, in one vectorised
    pass. `breakdown_mass_g` / `breakdown_cost_USD` map each breakdown item to its array.
    Values that do not exist (a cycle life at CE = 1, a division by an underflowed 0) are NaN."""
    return dict(sweep_lazy(design, parameter, values))


def sweep_lazy(design: Design, parameter: str, values) -> LazyMap:
    """sweep() as a read-only mapping that makes each result array when it is first read (the
    same keys, values and order): for views that read a few of them."""
    check(design)
    x = sweep_values(design, parameter, values)
    c = _run(design, {parameter: x}, keys=())   # the system, rate and cost stages when read
    return _lazy_arrays(c, (x.size,), {parameter: x})


def sweep2(design: Design, p1: str, v1, p2: str, v2) -> dict[str, np.ndarray]:
    """Two parameters at once (the design map): every numeric result key as a 2-D array of
    shape (len(v2), len(v1)), element [j, i] at p1 = v1[i] and p2 = v2[j] (rows follow p2, as
    an image's y). Equal to sweep(with_parameter(design, p2, v2[j]), p1, v1) row by row."""
    return dict(sweep2_lazy(design, p1, v1, p2, v2))


def sweep2_lazy(design: Design, p1: str, v1, p2: str, v2) -> LazyMap:
    """sweep2() as a read-only mapping that makes each result array when it is first read
    (the same keys, values and order): for a view that reads a few of them."""
    check(design)
    if p1 == p2:
        raise DesignError(f"p2: must differ from p1, got {p2!r} twice")
    check_pair(p1, p2)
    x1 = sweep_values(design, p1, v1)
    x2 = sweep_values(design, p2, v2)
    X1, X2 = x1[None, :], x2[:, None]
    c = _run(design, {p1: X1, p2: X2}, keys=())   # the system, rate and cost stages when read
    shape = (x2.size, x1.size)
    return _lazy_arrays(c, shape, {p1: np.broadcast_to(X1, shape).copy(),
                                   p2: np.broadcast_to(X2, shape).copy()})


def fast_key(design: Design, parameter: str, xs: np.ndarray, key: str) -> np.ndarray:
    """One result over values already checked (no re-validation); NaN where undefined."""
    return fast_keys(design, parameter, xs, (key,))[key]


def fast_keys(design: Design, parameter: str, xs: np.ndarray, keys) -> dict[str, np.ndarray]:
    """Several results over values already checked (no re-validation, no other keys made):
    for refining a crossing on a curve already computed. NaN where undefined."""
    keys = tuple(keys)
    return _arrays(_run(design, {parameter: xs}, keys), xs.shape, keys)
