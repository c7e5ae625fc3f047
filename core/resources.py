"""Find shipped resources and documentation both from the source tree and from a PyInstaller bundle."""
from __future__ import annotations

import sys
from pathlib import Path

# The user documentation in docs/, by the title the app's Help menu gives it.
DOCS = {"MODEL.md": "Model and assumptions", "FORMAT.md": "File format",
        "MATERIALS.md": "Materials and sources"}


def _base() -> Path:
    """The folder holding resources/ and docs/: the repository root, or sys._MEIPASS when frozen."""
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) if base else Path(__file__).resolve().parent.parent


def resource_dir() -> Path:
    """The `resources/` folder: beside the package in source, in `sys._MEIPASS` when frozen."""
    return _base() / "resources"


def resource_path(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


def docs_dir() -> Path:
    """The `docs/` folder (model, file format, materials): found the same way as resources."""
    return _base() / "docs"


def doc_path(name: str) -> Path:
    return docs_dir() / name
