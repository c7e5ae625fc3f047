#!/usr/bin/env python3
"""Set up and run SSB Pouch Designer with nothing but Python 3.11+.

    python3 dev.py app [FILE]   create .venv, install the app's dependencies, open the app
    python3 dev.py test [ARGS]  create .venv, install app + test dependencies, run all tests
    python3 dev.py build        create .venv, install PyInstaller, build the desktop app

Works the same on Linux, macOS and Windows (`py dev.py ...` there). Standard library only.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQ = {"app": ["requirements.txt"],
       # the tests include tests/test_frozen.py, which builds the desktop app with PyInstaller
       "test": ["requirements.txt", "requirements-test.txt", "requirements-build.txt"],
       "build": ["requirements.txt", "requirements-test.txt", "requirements-build.txt"]}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_env(kind: str) -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"SSB Pouch Designer needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    py = venv_python()
    if not py.exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    files = [ROOT / f for f in REQ[kind]]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = VENV / f".installed-{kind}"
    if not stamp.exists() or stamp.read_text() != digest:
        print(f"installing {kind} dependencies into .venv", flush=True)
        args = [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        for f in files:
            args += ["-r", str(f)]
        subprocess.run(args, check=True)
        stamp.write_text(digest)
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
