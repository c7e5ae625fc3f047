"""How the project is set up and packaged: not pip-installable (and saying so), the command
line's help, dist/ holding only the latest build, and the QtOpenGL stand-in of the build."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import build_support as bs  # noqa: E402


# ------------------------------------------------------------------ not a pip package
def test_pyproject_promises_no_installable_package_while_the_packages_are_core_and_gui():
    """The top-level packages are `core` and `gui`: names that must not land in a user's
    site-packages. So pyproject.toml is tool configuration only; if that ever changes, the
    packages have to move under one distinct name first (and this test with them)."""
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert (ROOT / "core" / "__init__.py").is_file() and (ROOT / "gui" / "__init__.py").is_file()
    assert "project" not in conf
    assert "scripts" not in conf.get("project", {}) and "gui-scripts" not in conf.get("project", {})
    assert conf["build-system"]["build-backend"] == "refuse_install"
    assert conf["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]


def test_the_build_backend_refuses_with_the_way_to_run_the_app():
    sys.path.insert(0, str(ROOT / "packaging"))
    import refuse_install
    for hook in ("get_requires_for_build_wheel", "build_wheel", "build_sdist", "build_editable",
                 "prepare_metadata_for_build_wheel"):
        with pytest.raises(SystemExit) as e:
            getattr(refuse_install, hook)("dist")
        assert "dev.py app" in str(e.value) and "not installed with pip" in str(e.value)


@pytest.mark.slow
def test_pip_install_fails_clearly(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
                           "--dry-run", "--disable-pip-version-check", str(ROOT)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode != 0
    assert "not installed with pip" in proc.stdout + proc.stderr
    assert "Multiple top-level packages" not in proc.stdout + proc.stderr


def test_readme_says_how_to_run_and_that_pip_install_is_not_supported():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 dev.py app" in readme and "python3 dev.py test" in readme
    assert "pip install ." in readme and "not supported" in readme
    assert "../shared" not in readme and "shared/data" not in readme


# ------------------------------------------------------------------ command line help
def test_help_lists_every_command_and_names_the_program_as_invoked(capsys):
    import main
    from core.cli import COMMANDS
    with pytest.raises(SystemExit) as e:
        main.main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python main.py ")
    for command in COMMANDS:
        assert f"    {command} " in out, command
    assert "ssb-pouch-designer " not in out and "ssb-pouch-designer\n" not in out


def test_frozen_help_names_the_executable(monkeypatch):
    import main
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(Path("/opt/app") / (bs.CLI_NAME + ".exe")))
    assert main.program_name() == bs.CLI_NAME


# ------------------------------------------------------------------ dist/ holds the latest build only
def test_a_folder_build_removes_a_stale_one_file_build(tmp_path):
    (tmp_path / bs.APP_NAME).mkdir()
    stale = tmp_path / bs.ONEFILE_NAME
    stale.write_bytes(b"old")
    (tmp_path / (bs.ONEFILE_NAME + ".exe")).write_bytes(b"old")
    removed = bs.remove_stale_outputs(tmp_path, onefile=False)
    assert sorted(p.name for p in removed) == sorted([bs.ONEFILE_NAME, bs.ONEFILE_NAME + ".exe"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [bs.APP_NAME]


def test_a_one_file_build_keeps_its_executable(tmp_path):
    (tmp_path / bs.ONEFILE_NAME).write_bytes(b"new")
    assert bs.remove_stale_outputs(tmp_path, onefile=True) == []
    assert (tmp_path / bs.ONEFILE_NAME).is_file()
    assert bs.remove_stale_outputs(tmp_path / "missing", onefile=False) == []


def test_the_spec_removes_stale_outputs_and_ships_docs():
    spec = bs.SPEC.read_text(encoding="utf-8")
    assert "bs.remove_stale_outputs(DISTPATH" in spec
    assert '(os.path.join(ROOT, "docs"), "docs")' in spec
    assert any(p.parent.name == "docs" for p in bs.source_files())  # a docs edit rebuilds


# ------------------------------------------------------------------ QtOpenGL left out of the build
_STUB_CHECK = r"""
import os, runpy, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
runpy.run_path(sys.argv[1])                     # what the frozen app runs before main.py
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gui.main_window import MainWindow
import core
w = MainWindow()
w.resize(1366, 768)
w.show()
w.panels.setCurrentWidget(w.plots)              # the pyqtgraph sensitivity plots, painted
for _ in range(5):
    app.processEvents()
img = w.grab()
w.apply_parameter("separator.thickness_um", 20.0)
for _ in range(5):
    app.processEvents()
img = w.grab()
stub = sys.modules["PySide6.QtOpenGL"]
assert getattr(stub, "SSB_STUB", False), "the real QtOpenGL was loaded"
try:
    stub.QOpenGLBuffer
except AttributeError as e:
    assert "not part of" in str(e)
else:
    raise AssertionError("the stand-in gave an attribute")
print("OK", img.width(), img.height())
"""


@pytest.mark.slow
def test_the_app_and_its_plots_run_with_the_qtopengl_stand_in(tmp_path):
    """The desktop build leaves PySide6.QtOpenGL out (8.9 MB) and its runtime hook puts an
    empty stand-in in its place: the whole main window, sensitivity plots painted, works."""
    assert "PySide6.QtOpenGL" in bs.EXCLUDED_MODULES
    hook, = bs.RUNTIME_HOOKS
    env = {**os.environ, "SSB_POUCH_SETTINGS_DIR": str(tmp_path / "settings"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _STUB_CHECK, str(hook)], capture_output=True, text=True,
                          timeout=180, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("OK ")


# ------------------------------------------------------------------ dependencies and warnings
def _requirements() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            spec = line.split(";", 1)[0].replace(" ", "")
            name = spec.split(">", 1)[0].split("<", 1)[0].split("=", 1)[0]
            out.setdefault(name.lower(), []).append(spec)
    return out


def test_every_app_dependency_has_an_upper_bound():
    """A fresh install must not pick up a release the app was never run with."""
    reqs = _requirements()
    assert set(reqs) == {"pyside6-essentials", "pyqtgraph", "numpy"}
    for name, specs in reqs.items():
        for spec in specs:
            assert "<" in spec and ">=" in spec, spec


def test_numpy_stays_below_the_release_that_deprecates_what_pyqtgraph_does():
    """pyqtgraph 0.14.0 sets ndarray.shape, deprecated in NumPy 2.5: raise these together."""
    reqs = _requirements()
    assert reqs["numpy"] == ["numpy>=1.26,<2.5"]
    assert reqs["pyqtgraph"] == ["pyqtgraph>=0.13.7,<0.15"]
    import numpy
    import pyqtgraph
    assert tuple(int(x) for x in numpy.__version__.split(".")[:2]) < (2, 5)
    assert pyqtgraph.__version__.startswith(("0.13.", "0.14."))


@pytest.mark.parametrize("module", ["core.model", "gui.main_window", "core", "gui"])
def test_a_warning_raised_in_our_own_code_fails_the_tests(module):
    import warnings
    code = compile("import warnings\nwarnings.warn('ours', DeprecationWarning)", "<ours>", "exec")
    with pytest.raises(DeprecationWarning):
        exec(code, {"__name__": module})
    # a third-party module's warning is not turned into an error by our filters
    errors = [f for f in warnings.filters if f[0] == "error" and f[3] is not None]
    assert any(f[3].match(module) for f in errors)
    assert not any(f[3].match("pyqtgraph.functions") or f[3].match("corelib") for f in errors)
