"""PyInstaller runtime hook: an empty stand-in for PySide6.QtOpenGL, left out of the build.

pyqtgraph imports PySide6.QtOpenGL when it is imported (PlotCurveItem, PColorMeshItem and
Qt/OpenGLHelpers bind the module to a name) but uses its classes only to paint on an OpenGL
viewport (pyqtgraph's useOpenGL / enableExperimental options), which this app never enables.
The binding is 8.9 MB (PySide6 6.11, Linux); this stand-in lets the import succeed and makes
any use of it fail with a message that says why. QtOpenGLWidgets stays in the build:
pyqtgraph subclasses its QOpenGLWidget at import time. tests/test_packaging.py runs the app's
plots with this stand-in in place.
"""
import sys
import types


def _install() -> None:
    if "PySide6.QtOpenGL" in sys.modules:
        return
    stub = types.ModuleType("PySide6.QtOpenGL", "Stand-in: QtOpenGL is not part of this build.")

    def __getattr__(name):  # PEP 562 module attribute hook
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"PySide6.QtOpenGL.{name}: OpenGL rendering is not part of SSB Pouch "
                             "Designer's desktop build (packaging/rthook_qtopengl_stub.py)")

    stub.__getattr__ = __getattr__
    stub.SSB_STUB = True
    sys.modules["PySide6.QtOpenGL"] = stub


_install()
