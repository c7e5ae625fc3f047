"""core/ never imports Qt (STYLE.md): checked in a fresh interpreter, after using every part
of core, including the command line's own module."""
from __future__ import annotations

import json
import subprocess
import sys

from core_testlib import ROOT

SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
import core, core.cli, core.io, core.literature, core.materials, core.model, core.presets
d = core.load_preset()
r = core.evaluate(d)
core.sweep(d, "cathode.loading_mg_cm2", [10, 20, 30])
core.solve_for(d, "separator.thickness_um", "stack_gravimetric_Wh_kg", 400)
core.literature.table("membranes")
core.cli.run(["presets"])
print(json.dumps(sorted(sys.modules)))
"""
FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "PySide2", "gui")


def test_core_imports_no_qt():
    p = subprocess.run([sys.executable, "-c", SCRIPT.format(root=str(ROOT))], capture_output=True,
                       text=True, timeout=60, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    modules = json.loads(p.stdout.strip().splitlines()[-1])
    assert "core.model" in modules and "numpy" in modules
    loaded = [m for m in modules if m.split(".")[0] in FORBIDDEN]
    assert loaded == [], loaded


def test_core_sources_do_not_mention_qt_imports():
    """A second, static check so a lazy import inside a function is caught too."""
    for path in (ROOT / "core").glob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            s = line.strip()
            if s.startswith(("import ", "from ")):
                assert not any(q in s for q in FORBIDDEN[:-1]), f"{path.name}:{n}: {s}"
                assert not s.startswith(("import gui", "from gui")), f"{path.name}:{n}: {s}"
