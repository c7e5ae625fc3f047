"""Built-in example designs, each with a note on where its numbers come from."""
from __future__ import annotations

from .design import Design
from .io import load_design
from .resources import resource_path

DEFAULT_PRESET = "review-baseline-nmc811-li3incl6-li"


def preset_names() -> list[str]:
    return sorted(p.stem for p in resource_path("presets").glob("*.json"))


def preset_path(name: str):
    path = resource_path("presets", f"{name}.json")
    if not path.is_file():
        from .design import DesignError
        raise DesignError(f"preset: unknown preset {name!r}; known: {', '.join(preset_names())}")
    return path


def load_preset(name: str = DEFAULT_PRESET) -> Design:
    return load_design(preset_path(name))
