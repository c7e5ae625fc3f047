"""Unexpected errors: never a bare traceback. A dialog shows what happened with a
copyable report; the design stays open (and is autosaved first)."""
from __future__ import annotations

import platform
import sys
import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel,
                               QPlainTextEdit, QVBoxLayout)

import core


def error_report(exc_type, exc, tb) -> str:
    from PySide6 import __version__ as pyside_version
    lines = [f"SSB Pouch Designer {core.__version__}",
             f"Python {platform.python_version()} on {platform.platform()}",
             f"PySide6 {pyside_version}", "",
             "".join(traceback.format_exception(exc_type, exc, tb)).rstrip()]
    return "\n".join(lines)


class CrashDialog(QDialog):
    def __init__(self, report: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Unexpected error")
        self.report = report
        lay = QVBoxLayout(self)
        msg = QLabel("Something went wrong inside SSB Pouch Designer. Your design is still open and "
                     "has been autosaved; you can keep working or save it.\n\n"
                     "If you report this, please include the text below.")
        msg.setWordWrap(True)
        lay.addWidget(msg)
        self.text = QPlainTextEdit(report, readOnly=True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setMinimumSize(560, 220)
        lay.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)

    def copy_report(self):
        QApplication.clipboard().setText(self.report)


_installed = {"before_dialog": None, "showing": False, "last_report": None}


def install_excepthook(before_dialog=None) -> None:
    """Route uncaught exceptions (also those raised in Qt slots) to the crash dialog.
    `before_dialog()` runs first, e.g. to autosave the design."""
    _installed["before_dialog"] = before_dialog
    sys.excepthook = _hook


def _hook(exc_type, exc, tb):
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    report = error_report(exc_type, exc, tb)
    _installed["last_report"] = report
    print(report, file=sys.stderr)
    if _installed["before_dialog"]:
        try:
            _installed["before_dialog"]()
        except Exception:
            pass
    app = QApplication.instance()
    if app is None or _installed["showing"]:
        return
    _installed["showing"] = True
    try:
        dlg = CrashDialog(report, app.activeWindow())
        dlg.setWindowModality(Qt.WindowModality.ApplicationModal)
        dlg.exec()
    finally:
        _installed["showing"] = False
