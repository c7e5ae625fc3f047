"""SSB Pouch Designer core: the design model and the energy-density model. No Qt here."""
from .design import (Component, Design, DesignError, Layer, Packaging, Stacking, Tab,
                     design_from_dict, design_to_dict, validate)
from .io import load_design, parse_design_text, save_design
from .model import (PARAMETERS, Result, Solution, available_parameters, evaluate,
                    parameter_value, solve_for, sweep, sweep2, with_parameter)
from .presets import DEFAULT_PRESET, load_preset, preset_names

__version__ = "0.1.0"

__all__ = ["Component", "Design", "DesignError", "Layer", "Packaging", "Stacking", "Tab",
           "design_from_dict", "design_to_dict", "validate", "load_design", "save_design",
           "parse_design_text", "PARAMETERS", "Result", "Solution", "available_parameters",
           "evaluate", "parameter_value", "solve_for", "sweep", "sweep2", "with_parameter",
           "DEFAULT_PRESET", "load_preset", "preset_names", "__version__"]
