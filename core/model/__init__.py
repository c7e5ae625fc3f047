"""The model of MODEL.md as stages over a shared context (no Qt):

    electrodes -> lithium -> states -> stack -> pouch -> energy -> system -> rate -> cost

Each stage is a module with `run(ctx)`, the result keys it adds and the label of its
simplifications; `evaluate`, `sweep`, `sweep2`, `solve_for` and `monte_carlo` are the public face.
"""
from .context import PLATED_LI_MAH_CM2_PER_UM
from .params import (PARAMETERS, Parameter, available_parameters, parameter_value, with_parameter)
from .rate import ragone
from .results import (ASSUMPTIONS, BREAKDOWN_ITEMS, BREAKDOWN_LABELS, EXTRA_KEYS, FORMAT_KEYS,
                      NUMERIC_KEYS, RESULT_LABELS, BreakdownItem, LayerInfo, Result, compute, evaluate,
                      result_title)
from .solve import LOWER_IS_BETTER, Solution, solve_for
from .sweep import sweep, sweep2
from .uncertainty import UNCERTAIN_KEYS, Uncertainty, monte_carlo, tornado_rows

__all__ = ["PLATED_LI_MAH_CM2_PER_UM", "PARAMETERS", "Parameter", "available_parameters",
           "parameter_value", "with_parameter", "ragone", "ASSUMPTIONS", "BREAKDOWN_ITEMS",
           "BREAKDOWN_LABELS", "EXTRA_KEYS", "FORMAT_KEYS", "NUMERIC_KEYS", "RESULT_LABELS", "result_title",
           "BreakdownItem", "LayerInfo", "Result", "compute", "evaluate", "LOWER_IS_BETTER", "Solution",
           "solve_for", "sweep", "sweep2", "UNCERTAIN_KEYS", "Uncertainty", "monte_carlo", "tornado_rows"]
