"""What goes into the desktop build, and how to build it; shared by the spec, tests and benchmarks.

Standard library only: the spec imports it inside PyInstaller, the tests and
benchmarks import it to build (or reuse a fresh build) and to find the executables.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "ssb_pouch_designer.spec"
RUNTIME_HOOKS = [ROOT / "packaging" / "rthook_qtopengl_stub.py"]
DIST = ROOT / "dist"
WORK = ROOT / "build"

APP_NAME = "SSB-Pouch-Designer"            # the folder in dist/ and the GUI executable
CLI_NAME = "ssb-pouch-designer-cli"        # console executable in the same folder
BUNDLE_NAME = "SSB Pouch Designer.app"     # macOS only
ONEFILE_NAME = "SSB-Pouch-Designer-onefile"  # one-file variant (SSB_ONEFILE=1; not on macOS)
BUILD_INFO = "build-info.json"             # written into the contents folder after a build

# Python packages the app never uses. Qt bindings other than PySide6 are also excluded by the
# PyInstaller hooks. pyqtgraph imports PySide6.QtOpenGL and QtOpenGLWidgets unconditionally, but
# uses QtOpenGL only to paint on an OpenGL viewport, which the app never enables: its 8.9 MB
# binding is left out and packaging/rthook_qtopengl_stub.py stands in for it. QtOpenGLWidgets
# (0.2 MB, subclassed at import) and the Qt library libQt6OpenGL (0.7 MB, which it links) stay.
EXCLUDED_MODULES = [
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "pydoc_data", "lib2to3",
    "ensurepip", "venv", "distutils", "setuptools", "pkg_resources", "pip",
    "sqlite3", "_sqlite3", "curses", "_curses", "xmlrpc", "multiprocessing.popen_spawn_win32",
    # No network: no TLS. hashlib falls back to its built-in hashes without _hashlib (OpenSSL).
    "ssl", "_ssl", "_hashlib", "readline",
    "pytest", "_pytest", "hypothesis", "pytestqt", "IPython", "jupyter_client", "ipykernel",
    "matplotlib", "scipy", "pandas", "PIL", "h5py", "numba", "cupy", "OpenGL",
    "numpy.tests", "numpy.f2py", "numpy.distutils", "numpy._pyinstaller", "numpy.testing._private.extbuild",
    "pyqtgraph.examples", "pyqtgraph.opengl", "pyqtgraph.jupyter", "pyqtgraph.console",
    "pyqtgraph.flowchart", "pyqtgraph.canvas",  # (pyqtgraph.multiprocess is imported by pyqtgraph)
    "PyQt5", "PyQt6", "PySide2",
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.QtQuickTest", "PySide6.QtSql", "PySide6.QtTest",
    "PySide6.QtDBus", "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools",
    "PySide6.QtXml", "PySide6.QtConcurrent", "PySide6.QtLabsStyleKit", "PySide6.QtQmlFeatures",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtMultimedia",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtCharts", "PySide6.QtGraphs",
    "PySide6.QtOpenGL",  # see above: a runtime hook stands in for it
    # Reports are written with QtGui's QPdfWriter; no printing, so no QtPrintSupport and no CUPS
    # plugin (which brings libcups, GnuTLS, Kerberos: ~10 MB on Linux).
    "PySide6.QtPrintSupport",
]

# Shared libraries, Qt plugins and data the hooks collect but the app does not need
# (matched with fnmatch against the destination path inside the bundle, "/" separated).
EXCLUDED_FILES = [
    # Type stubs, and Qt translations (the app's UI is English).
    "*.pyi",
    "PySide6/Qt/translations/*",
    # Platforms other than desktop windowing + offscreen/minimal (headless reports and tests).
    "PySide6/Qt/plugins/platforms/*eglfs*", "PySide6/Qt/plugins/platforms/*linuxfb*",
    "PySide6/Qt/plugins/platforms/*vnc*", "PySide6/Qt/plugins/platforms/*vkkhrdisplay*",
    "PySide6/Qt/plugins/platforms/*minimalegl*",
    "PySide6/Qt/plugins/egldeviceintegrations/*", "PySide6/Qt/plugins/generic/*",
    "PySide6/Qt/plugins/platforminputcontexts/*virtualkeyboard*",
    "PySide6/Qt/plugins/wayland-graphics-integration-server/*",
    "PySide6/Qt/plugins/networkinformation/*", "PySide6/Qt/plugins/tls/*",
    "PySide6/Qt/plugins/sqldrivers/*", "PySide6/Qt/plugins/qmltooling/*",
    "PySide6/Qt/plugins/designer/*", "PySide6/Qt/plugins/vectorimageformats/*",
    "PySide6/Qt/plugins/printsupport/*",
    # Wayland: the xdg-shell client and EGL buffers are what desktops use.
    "PySide6/Qt/plugins/wayland-shell-integration/*ivi-shell*",
    "PySide6/Qt/plugins/wayland-shell-integration/*fullscreen-shell*",
    "PySide6/Qt/plugins/wayland-shell-integration/*wl-shell*",
    "PySide6/Qt/plugins/wayland-graphics-integration-client/*-server*",
    # The GTK3 theme plugin would load the system GTK against bundled cairo/pango (a classic
    # cause of crashes); Qt's own Fusion-based look and the xdg-desktop-portal theme remain.
    "PySide6/Qt/plugins/platformthemes/*gtk3*",
    # Qt libraries pulled in only by modules or plugins excluded above (Windows/macOS names too).
    "PySide6/Qt/lib/libQt6Network*", "PySide6/Qt6Network*", "PySide6/Qt/lib/QtNetwork.framework/*",
    "PySide6/Qt/lib/libQt6EglFS*", "PySide6/Qt/lib/libQt6WlShellIntegration*",
    "PySide6/Qt/lib/libQt6Pdf*", "PySide6/Qt6Pdf*", "PySide6/Qt/lib/QtPdf.framework/*",
    "PySide6/Qt/lib/libQt6Qml*", "PySide6/Qt6Qml*", "PySide6/Qt/lib/QtQml*.framework/*",
    "PySide6/Qt/lib/libQt6Quick*", "PySide6/Qt6Quick*", "PySide6/Qt/lib/QtQuick*.framework/*",
    "PySide6/Qt/lib/libQt6PrintSupport*", "PySide6/Qt6PrintSupport*", "PySide6/Qt/lib/QtPrintSupport.framework/*",
    "PySide6/opengl32sw.dll",  # software OpenGL for Qt Quick on Windows; widgets do not need it
    # Image formats: keep png (built in), svg, ico, icns, jpeg; qpdf pulls in QtPdf (pdfium).
    "PySide6/Qt/plugins/imageformats/*qpdf*", "PySide6/Qt/plugins/imageformats/*qtiff*",
    "PySide6/Qt/plugins/imageformats/*qwebp*", "PySide6/Qt/plugins/imageformats/*qtga*",
    "PySide6/Qt/plugins/imageformats/*qwbmp*", "PySide6/Qt/plugins/imageformats/*qgif*",
]


def is_excluded(dest: str) -> bool:
    dest = dest.replace("\\", "/")
    return any(fnmatch.fnmatch(dest, pat) for pat in EXCLUDED_FILES)


def elf_needed(path: str | Path) -> list[str]:
    """The DT_NEEDED entries of an ELF shared object (its direct link-time dependencies).

    A few lines of struct unpacking instead of one `ldd` process per file keep the build fast."""
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:4] != b"\x7fELF":
        return []
    is64, endian = data[4] == 2, "<" if data[5] == 1 else ">"
    if is64:
        phoff, phentsize, phnum = struct.unpack_from(endian + "Q", data, 32)[0], *struct.unpack_from(endian + "HH", data, 54)
        ph_fmt, dyn_fmt, dyn_size = "IIQQQQQQ", "qQ", 16
    else:
        phoff, phentsize, phnum = struct.unpack_from(endian + "I", data, 28)[0], *struct.unpack_from(endian + "HH", data, 42)
        ph_fmt, dyn_fmt, dyn_size = "IIIIIIII", "iI", 8
    loads, dynamic = [], None
    for i in range(phnum):
        f = struct.unpack_from(endian + ph_fmt, data, phoff + i * phentsize)
        if is64:
            p_type, p_offset, p_vaddr, p_filesz = f[0], f[2], f[3], f[5]
        else:
            p_type, p_offset, p_vaddr, p_filesz = f[0], f[1], f[2], f[4]
        if p_type == 1:    # PT_LOAD
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == 2:  # PT_DYNAMIC
            dynamic = (p_offset, p_filesz)
    if dynamic is None:
        return []
    needed, strtab = [], None
    for off in range(dynamic[0], dynamic[0] + dynamic[1], dyn_size):
        tag, val = struct.unpack_from(endian + dyn_fmt, data, off)
        if tag == 0:
            break
        if tag == 1:       # DT_NEEDED
            needed.append(val)
        elif tag == 5:     # DT_STRTAB (a virtual address)
            strtab = next((val - va + fo for va, fo, sz in loads if va <= val < va + sz), None)
    if strtab is None:
        return []
    return [data[strtab + n:data.index(b"\0", strtab + n)].decode() for n in needed]


def prune_unreachable_libraries(binaries: list) -> tuple[list, list]:
    """Linux: drop bundled shared libraries that nothing kept links to any more.

    PyInstaller collected the dependencies of everything before EXCLUDED_FILES removed
    plugins; this walks DT_NEEDED from what remains (extension modules, Qt plugins,
    libpython) and keeps only the libraries reached. Returns (kept, dropped)."""
    if not sys.platform.startswith("linux"):
        return list(binaries), []

    def is_library(dest: str) -> bool:
        name = os.path.basename(dest)
        return (name.startswith("lib") and ".so" in name and "/plugins/" not in dest.replace("\\", "/")
                and not name.startswith("libpython"))

    by_name = {}
    for entry in binaries:
        by_name.setdefault(os.path.basename(entry[0]), entry)
    todo = [e for e in binaries if not is_library(e[0])]
    reached = {id(e) for e in todo}
    while todo:
        entry = todo.pop()
        try:
            deps = elf_needed(entry[1])
        except (OSError, struct.error, ValueError, IndexError):
            continue
        for dep in deps:
            hit = by_name.get(dep)
            if hit is not None and id(hit) not in reached:
                reached.add(id(hit))
                todo.append(hit)
    kept = [e for e in binaries if id(e) in reached]
    dropped = [e for e in binaries if id(e) not in reached]
    return kept, dropped


def drop_dangling_symlinks(datas: list, binaries: list) -> list:
    """Remove SYMLINK entries whose target is no longer collected."""
    present = {os.path.normpath(e[0]) for e in (*datas, *binaries) if e[2] != "SYMLINK"}
    return [e for e in datas if e[2] != "SYMLINK"
            or os.path.normpath(os.path.join(os.path.dirname(e[0]), e[1])) in present]


def strip_python_debug_info(binaries: list, workdir: str | Path) -> list:
    """Linux: copies of the Python interpreter's own binaries without debug sections.

    A Python built from source (pyenv, uv, this machine) ships libpython and lib-dynload
    with DWARF debug info (~25 MB). `strip --strip-debug` keeps the symbol tables, and only
    binaries of the Python installation are touched: wheel libraries patched by auditwheel
    are left alone (stripping those can corrupt them). Cached in workdir."""
    strip = shutil.which("strip")
    if not sys.platform.startswith("linux") or not strip:
        return list(binaries)
    prefixes = {str(Path(p).resolve()) for p in (sys.base_prefix, sysconfig.get_config_var("LIBDIR") or sys.base_prefix)}
    site = {str(Path(p).resolve()) for p in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])}
    out = []
    for dest, src, typecode in binaries:
        real = str(Path(src).resolve())
        if (any(real.startswith(p + os.sep) for p in prefixes) and not any(real.startswith(p) for p in site)
                and b"debug_info" in _section_names(real)):
            target = Path(workdir) / "stripped" / dest
            if not target.exists() or target.stat().st_mtime < Path(real).stat().st_mtime:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(real, target)
                if subprocess.run([strip, "--strip-debug", str(target)]).returncode:
                    target.unlink(missing_ok=True)
                    out.append((dest, src, typecode))
                    continue
            src = str(target)
        out.append((dest, src, typecode))
    return out


def _section_names(path: str) -> bytes:
    """The section-name string table of a 64-bit little-endian ELF (empty if not one)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
            if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
                return b""
            shoff, = struct.unpack_from("<Q", head, 40)
            shentsize, shnum, shstrndx = struct.unpack_from("<HHH", head, 58)
            fh.seek(shoff + shstrndx * shentsize)
            sh = fh.read(shentsize)
            offset, size = struct.unpack_from("<QQ", sh, 24)
            fh.seek(offset)
            return fh.read(size)
    except (OSError, struct.error):
        return b""


def remove_stale_outputs(distpath: str | Path, onefile: bool) -> list[Path]:
    """Remove what an earlier build left in dist/ that this build does not make, so dist/
    holds only the latest build's output: a folder build removes an old one-file executable
    (a one-file build makes both). Returns what was removed."""
    removed = []
    if not onefile:
        for name in (ONEFILE_NAME, ONEFILE_NAME + ".exe"):
            stale = Path(distpath) / name
            if stale.is_file() or stale.is_symlink():
                stale.unlink()
                removed.append(stale)
    return removed


def app_version() -> str:
    for line in (ROOT / "core" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    return "0.0.0"


def source_files() -> list[Path]:
    """Everything that goes into the build: code, resources, docs, the spec and this file."""
    files = [ROOT / "main.py", SPEC, Path(__file__).resolve()]
    for folder, pattern in (("core", "*.py"), ("gui", "*.py"), ("resources", "*"), ("docs", "*"),
                            ("packaging", "hook-*.py"), ("packaging", "rthook*.py")):
        files += [p for p in (ROOT / folder).rglob(pattern) if p.is_file() and "__pycache__" not in p.parts]
    return sorted(set(files))


def source_digest() -> str:
    """A hash of the build inputs plus the Python/PyInstaller/PySide6 versions in use."""
    h = hashlib.sha256()
    h.update(sys.version.encode())
    for mod in ("PyInstaller", "PySide6", "pyqtgraph", "numpy"):
        try:
            h.update(f"{mod}={__import__(mod).__version__}".encode())
        except ImportError:
            pass
    for p in source_files():
        h.update(str(p.relative_to(ROOT)).replace("\\", "/").encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def folder() -> Path:
    """The one-folder application (on macOS, the folder inside the .app that holds the executables)."""
    if sys.platform == "darwin":
        return DIST / BUNDLE_NAME / "Contents" / "MacOS"
    return DIST / APP_NAME


def contents_dir() -> Path:
    """Where the bundled libraries and resources live (sys._MEIPASS of the frozen app)."""
    if sys.platform == "darwin":
        return DIST / BUNDLE_NAME / "Contents" / "Frameworks"
    return DIST / APP_NAME / "_internal"


def executable(name: str = CLI_NAME) -> Path:
    return folder() / (name + (".exe" if os.name == "nt" else ""))


def onefile_executable() -> Path:
    return DIST / (ONEFILE_NAME + (".exe" if os.name == "nt" else ""))


def build_info() -> dict | None:
    try:
        return json.loads((contents_dir() / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_fresh() -> bool:
    """True when dist/ holds a complete build of the current sources."""
    info = build_info()
    return bool(info and info.get("source_digest") == source_digest()
                and executable(APP_NAME).is_file() and executable(CLI_NAME).is_file())


def build(clean: bool = False, onefile: bool = False, quiet: bool = True) -> float:
    """Run PyInstaller on the spec; returns the wall time in seconds. Raises on failure."""
    env = dict(os.environ)
    if onefile:
        env["SSB_ONEFILE"] = "1"
    args = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(DIST),
            "--workpath", str(WORK)]
    if clean:
        args.append("--clean")
    if quiet:
        args += ["--log-level", "WARN"]
    t0 = time.perf_counter()
    proc = subprocess.run(args + [str(SPEC)], cwd=ROOT, env=env, capture_output=quiet, text=True)
    if proc.returncode:
        raise RuntimeError(f"PyInstaller failed (exit {proc.returncode}):\n{(proc.stderr or '')[-4000:]}")
    return time.perf_counter() - t0


def ensure_fresh_build() -> tuple[bool, float]:
    """Build unless dist/ already holds a build of the current sources: (built, seconds)."""
    if is_fresh():
        return False, 0.0
    return True, build()


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
