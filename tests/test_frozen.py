"""The desktop build (PyInstaller, packaging/ssb_pouch_designer.spec) works without Python.

Builds dist/SSB-Pouch-Designer/ once per run (or reuses a build of the same sources, see
packaging/build_support.is_fresh), then runs the frozen executables headless, with a
clean environment, no network where `unshare` allows it, and compares with the source.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import build_support as bs  # noqa: E402

import core  # noqa: E402
from core.cli import finite_json  # noqa: E402

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed: "
                    "pip install -r requirements-build.txt (or run `python3 dev.py build` once)")

pytestmark = pytest.mark.slow


def _offline_prefix() -> list[str]:
    """`unshare -rn` (a private network namespace with no interfaces) when the system allows it."""
    tool = shutil.which("unshare")
    if not sys.platform.startswith("linux") or not tool:
        return []
    for args in ([tool, "-n"], [tool, "-rn"]):
        try:
            if subprocess.run(args + ["true"], capture_output=True, timeout=10).returncode == 0:
                return args
        except (OSError, subprocess.SubprocessError):
            pass
    return []


@pytest.fixture(scope="module")
def app():
    """The fresh one-folder build; skips nothing: a failed build fails the tests."""
    bs.ensure_fresh_build()
    assert bs.is_fresh(), "the build did not record the current sources"
    return bs


@pytest.fixture(scope="module")
def offline():
    return _offline_prefix()


@pytest.fixture
def run(app, offline, tmp_path):
    """Run the frozen CLI (or GUI) executable with no Python around it."""
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin" if os.name != "nt" else os.environ.get("SystemRoot", "") + r"\system32",
           "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
           "SSB_POUCH_SETTINGS_DIR": str(tmp_path / "settings")}
    if os.name == "nt":
        env.update(SystemRoot=os.environ.get("SystemRoot", ""), USERPROFILE=str(home), APPDATA=str(home))

    def _run(*args, exe=bs.CLI_NAME, extra_env=None, timeout=120):
        cmd = offline + [str(app.executable(exe)), *map(str, args)]
        return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd=tmp_path,
                              env={**env, **(extra_env or {})}, timeout=timeout)
    return _run


def source_json(result: core.Result) -> dict:
    """What `evaluate --json --all-keys` prints for a result, parsed back."""
    return json.loads(finite_json(result.to_dict()))


def assert_same_numbers(frozen, source, path="result"):
    if isinstance(source, dict):
        assert isinstance(frozen, dict) and frozen.keys() == source.keys(), path
        for k in source:
            assert_same_numbers(frozen[k], source[k], f"{path}.{k}")
    elif isinstance(source, list):
        assert isinstance(frozen, list) and len(frozen) == len(source), path
        for i, (f, s) in enumerate(zip(frozen, source)):
            assert_same_numbers(f, s, f"{path}[{i}]")
    elif isinstance(source, float):
        assert frozen == pytest.approx(source, rel=1e-12, abs=1e-15), path
        assert math.isfinite(frozen), path
    else:
        assert frozen == source, path


# ------------------------------------------------------------------ the bundle
def test_bundle_ships_every_resource_and_leaves_out_unused_qt(app):
    res = app.contents_dir() / "resources"
    assert (res / "materials.json").is_file()
    assert sorted(p.name for p in (res / "presets").glob("*.json")) == \
        sorted(p.name for p in (ROOT / "resources" / "presets").glob("*.json"))
    assert sorted(p.name for p in (res / "data").glob("*.csv")) == \
        sorted(p.name for p in (ROOT / "resources" / "data").glob("*.csv"))
    for name in ("icon.png", "icon.ico"):
        assert (res / name).read_bytes() == (ROOT / "resources" / name).read_bytes()
    # the documentation the Help menu shows (core.resources.docs_dir: sys._MEIPASS/docs)
    from core.resources import DOCS
    for name in DOCS:
        assert (app.contents_dir() / "docs" / name).read_bytes() == (ROOT / "docs" / name).read_bytes(), name
    assert app.executable(app.APP_NAME).is_file() and app.executable(app.CLI_NAME).is_file()
    names = {p.name for p in app.contents_dir().rglob("*")}
    # QtOpenGL's binding is left out (packaging/rthook_qtopengl_stub.py); QtOpenGLWidgets stays
    assert not any(n.startswith("QtOpenGL.") for n in names)
    assert any(n.startswith("QtOpenGLWidgets.") for n in names)
    for module in ("QtNetwork", "QtQml", "QtQuick", "QtSql", "QtTest", "QtDBus", "QtPdf", "tkinter", "_ssl"):
        assert not any(n.startswith(module + ".") for n in names), module
    for lib in ("Network", "Qml", "Quick", "Sql", "Test", "Pdf"):  # QtGui itself links QtDBus on Linux
        assert not any(n.startswith((f"libQt6{lib}.", f"Qt6{lib}.")) for n in names), lib
    assert not (app.contents_dir() / "PySide6" / "Qt" / "translations").exists()
    info = app.build_info()
    assert info["version"] == core.__version__


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF libraries: Linux only")
def test_every_bundled_library_a_bundled_file_needs_is_there(app):
    """The pruning of unused libraries left nothing dangling: every DT_NEEDED name that the
    bundle provides for one file resolves for all (broken symlinks would show up here)."""
    internal = app.contents_dir()
    bundled = {p.name for p in internal.rglob("*.so*")}
    for p in internal.rglob("*.so*"):
        if p.is_symlink():
            assert p.resolve().is_file(), f"dangling link {p.relative_to(internal)}"
    for p in internal.rglob("*.so*"):
        if p.is_file() and not p.is_symlink():
            needed = app.elf_needed(p)
            missing = [n for n in needed if n.startswith(("libQt6", "libicu", "libpyside6", "libshiboken6",
                                                          "libscipy_openblas", "libgfortran", "libquadmath"))
                       and n not in bundled]
            assert not missing, f"{p.relative_to(internal)} needs {missing}"
    needed = app.elf_needed(internal / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6")
    assert any(n.startswith("libicuuc.so") for n in needed)  # the ELF reader itself works


# ------------------------------------------------------------------ command line
def test_help_names_the_executable_and_lists_every_command(run):
    from core.cli import COMMANDS
    proc = run("--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"usage: {bs.CLI_NAME} ")
    for command in COMMANDS:
        assert f"    {command} " in proc.stdout, command


def test_presets_lists_the_shipped_presets(run):
    proc = run("presets")
    assert proc.returncode == 0, proc.stderr
    listed = [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]
    assert listed == core.preset_names()


@pytest.mark.parametrize("preset", core.preset_names())
def test_evaluate_json_equals_the_source_run(run, preset):
    path = ROOT / "resources" / "presets" / f"{preset}.json"
    proc = run("evaluate", path, "--json", "--all-keys")
    assert proc.returncode == 0, proc.stderr
    assert_same_numbers(json.loads(proc.stdout), source_json(core.evaluate(core.load_design(path))))


def test_new_from_preset_round_trips_and_evaluates(run, tmp_path):
    name = core.DEFAULT_PRESET
    out = tmp_path / "mine.json"
    proc = run("new", "--preset", name, "-o", out)
    assert proc.returncode == 0, proc.stderr
    design = core.load_design(out)
    assert core.design_to_dict(design) == core.design_to_dict(core.load_preset(name))
    proc = run("evaluate", out, "--json")
    assert proc.returncode == 0, proc.stderr
    frozen = json.loads(proc.stdout)
    source = source_json(core.evaluate(design))
    assert_same_numbers(frozen, {k: source[k] for k in frozen})
    assert set(frozen) >= {"gravimetric_Wh_kg", "volumetric_Wh_L", "breakdown", "warnings"}


def test_sweep_writes_the_same_csv(run, tmp_path):
    path = ROOT / "resources" / "presets" / f"{core.DEFAULT_PRESET}.json"
    out = tmp_path / "sweep.csv"
    args = ("sweep", path, "--param", "separator.thickness_um", "--from", "10", "--to", "50", "--points", "5")
    if "separator.thickness_um" not in core.PARAMETERS:
        pytest.skip("no separator.thickness_um parameter")
    proc = run(*args, "-o", out)
    assert proc.returncode == 0, proc.stderr
    from core.cli import run as run_source
    src_out = tmp_path / "sweep-source.csv"
    assert run_source([str(a) for a in args] + ["-o", str(src_out)]) == 0
    assert out.read_text() == src_out.read_text()


def test_user_errors_are_one_line_not_a_traceback(run, tmp_path):
    proc = run("evaluate", tmp_path / "missing.json")
    assert proc.returncode == 2
    assert "missing.json" in proc.stderr and "Traceback" not in proc.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "ssb-pouch-design", "schema_version": 99}', encoding="utf-8")
    proc = run("evaluate", bad)
    assert proc.returncode == 2 and "schema_version" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("new", "--preset", "no-such-preset", "-o", tmp_path / "x.json")
    assert proc.returncode == 2 and "no-such-preset" in proc.stderr
    proc = run("--version")
    assert proc.returncode == 0 and core.__version__ in proc.stdout


# ------------------------------------------------------------------ report and GUI
def _report_help(run) -> str | None:
    proc = run("report", "--help")
    return proc.stdout if proc.returncode == 0 else None


def test_report_exports_a_pdf(run, tmp_path):
    if not (ROOT / "gui" / "report" / "__init__.py").is_file():
        pytest.skip("gui/report/ is not written yet")
    help_text = _report_help(run)
    assert help_text, "the frozen app has no report command"
    out = tmp_path / "report.pdf"
    path = ROOT / "resources" / "presets" / f"{core.DEFAULT_PRESET}.json"
    proc = run("report", path, "-o", out, timeout=180)
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
    assert len(data) > 10_000


def test_gui_opens_a_design_and_quits_when_shown(run, tmp_path):
    app_py = ROOT / "gui" / "app.py"
    if not app_py.is_file() or "SSB_EXIT_AFTER_SHOWN" not in app_py.read_text(encoding="utf-8"):
        pytest.skip("gui/app.py does not support SSB_EXIT_AFTER_SHOWN yet")
    path = ROOT / "resources" / "presets" / f"{core.DEFAULT_PRESET}.json"
    proc = run(path, exe=bs.APP_NAME, extra_env={"SSB_EXIT_AFTER_SHOWN": "1"}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    # settings go to the folder the environment names, never to the (here temporary) user folder
    assert not (tmp_path / "home" / ".config" / "SSB Pouch Designer").exists()
