#!/usr/bin/env python3
"""Set up and run SSB Pouch Designer with nothing but Python 3.11+.

    python3 dev.py app [FILE]   create .venv, install the app's dependencies, open the app
    python3 dev.py test [ARGS]  create .venv, install app + test dependencies, run all tests
    python3 dev.py build        create .venv, install PyInstaller, build the desktop app

A .venv made by another Python version is rebuilt (with a message). Requirements are
installed again only when a requirement file changed since it was installed.

Works the same on Linux, macOS and Windows (`py dev.py ...` there). Standard library only.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
# The requirement files each command needs. `test` is a superset of `build` and `app`: after
# `dev.py test`, `dev.py build` and `dev.py app` find everything installed and install nothing.
REQ = {"app": ["requirements.txt"],
       # the tests include tests/test_frozen.py, which builds the desktop app with PyInstaller
       "test": ["requirements.txt", "requirements-test.txt", "requirements-build.txt"],
       "build": ["requirements.txt", "requirements-build.txt"]}
STAMP = ".installed.json"  # in VENV: {requirement file name: sha256 of its contents when installed}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_version() -> tuple[int, int] | None:
    """The Python major.minor a virtual environment was made with (from its pyvenv.cfg)."""
    try:
        text = (VENV / "pyvenv.cfg").read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            parts = value.strip().split(".")
            try:
                return int(parts[0]), int(parts[1])
            except (IndexError, ValueError):
                return None
    return None


def _read_stamps() -> dict[str, str]:
    try:
        data = json.loads((VENV / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def ensure_env(kind: str) -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"SSB Pouch Designer needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    py = venv_python()
    here = sys.version_info[:2]
    made_by = venv_version()
    if py.exists() and made_by != here:
        was = "an unknown Python" if made_by is None else "Python %d.%d" % made_by
        print(f"{VENV} was made by {was}; this is Python {here[0]}.{here[1]}: rebuilding it", flush=True)
    if not py.exists() or made_by != here:
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamps = _read_stamps()
    files = {name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest() for name in REQ[kind]}
    if any(stamps.get(name) != digest for name, digest in files.items()):
        print(f"installing {kind} dependencies into .venv", flush=True)
        args = [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        for name in files:
            args += ["-r", str(ROOT / name)]
        subprocess.run(args, check=True)
        stamps.update(files)
        (VENV / STAMP).write_text(json.dumps(stamps, indent=1, sort_keys=True), encoding="utf-8")
    return py


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test", "build"):
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    py = ensure_env(cmd)
    if cmd == "app":
        return subprocess.call([str(py), str(ROOT / "main.py"), *rest])
    if cmd == "test":
        return subprocess.call([str(py), "-m", "pytest", *rest], cwd=ROOT)
    return subprocess.call([str(py), "-m", "PyInstaller", "--noconfirm", "--clean",
                            str(ROOT / "packaging" / "ssb_pouch_designer.spec")], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
