"""The shared context the model's stages fill in, and the float-or-array helpers they use.

Every stage is a function `run(ctx)` that reads what earlier stages computed and adds its
own quantities. A quantity is a Python float (`evaluate`) or a numpy array broadcast over
swept values (`sweep`, `sweep2`, the Monte-Carlo): one code path serves both.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

PLATED_LI_MAH_CM2_PER_UM = 0.2061  # plated Li metal: mAh/cm2 per um of thickness


class Ctx:
    """Everything one model run knows. `over` maps parameter names to replacement values
    (floats or arrays that broadcast together); stages read them with `get`."""

    def __init__(self, design, over: dict | None = None):
        self.design = design
        self.lib = design.library()
        self.over = dict(over or {})
        self.warnings: list[str] = []
        self.values: dict[str, Any] = {}
        # True when no swept values are in play (warnings are only worded for single designs)
        self.scalar = not self.over or not any(is_arr(v) for v in self.over.values())

    def get(self, name: str, default):
        return self.over.get(name, default)


def is_arr(x) -> bool:
    return isinstance(x, np.ndarray)


_ND = np.ndarray


def any_arr(*xs) -> bool:
    for x in xs:
        if type(x) is _ND:
            return True
    return False


def vmin(a, b):
    if type(a) is _ND or type(b) is _ND:
        return np.minimum(a, b)
    return a if a <= b else b


def vmax(a, b):
    if type(a) is _ND or type(b) is _ND:
        return np.maximum(a, b)
    return a if a >= b else b


def sqrt(x):
    return np.sqrt(x) if is_arr(x) else math.sqrt(x)


def safe_div(a, b, default=None):
    """a / b where b != 0; elsewhere `default` (None for a single value, NaN in arrays)."""
    if any_arr(a, b):
        a_, b_ = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(b_ != 0, a_ / np.where(b_ != 0, b_, 1.0), np.nan if default is None else default)
        return out
    return default if b == 0 else a / b
