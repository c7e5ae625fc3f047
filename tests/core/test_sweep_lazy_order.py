"""The views' lazy sweeps (sweep_lazy stops after the energy stage and runs the system, rate
and cost stages when one of their results is first read) give a full run's values for every
preset and lever, whatever is read first and in whatever order (from the review of issue 15)."""
from __future__ import annotations

import importlib
import random

import numpy as np
import pytest

import core

sweep_mod = importlib.import_module("core.model.sweep")   # (core.model.sweep is also a function)


def _same(a, b) -> bool:
    if isinstance(a, dict):
        return set(a) == set(b) and all(_same(a[k], b[k]) for k in a)
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


@pytest.mark.parametrize("name", core.preset_names())
def test_lazy_sweep_gives_the_full_runs_values_whatever_is_read_first(name):
    """sweep_lazy stops after the energy stage and runs system/rate/cost on the first read of
    one of their keys: every key, read first or in a shuffled order (breakdown_cost_USD, which
    is not a NUMERIC_KEY, included), equals a full model run."""
    d = core.load_preset(name)
    rnd = random.Random(15)
    for p in core.available_parameters(d)[:6]:
        x = np.array([2.0, 4.0, 6.0]) if p == "stacking.unit_cells" else np.array([1.0, 2.0, 5.0])
        try:
            sweep_mod.sweep_lazy(d, p, x)
        except core.DesignError:
            continue
        full = sweep_mod._arrays(sweep_mod._run(d, {p: x}), (x.size,))
        for k in ("breakdown_cost_USD", "breakdown_mass_g", "cost_USD_kWh"):
            if k in full:
                assert _same(sweep_mod.sweep_lazy(d, p, x)[k], full[k]), (p, k)
        lazy = sweep_mod.sweep_lazy(d, p, x)
        keys = list(sweep_mod.ARRAY_KEYS)
        rnd.shuffle(keys)
        for k in keys:
            assert _same(lazy[k], full[k]), (p, k)
