"""Build the application and open the main window (`python main.py [FILE]`)."""
from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

import core

from . import settings


def configure_application(app: QCoreApplication) -> None:
    """Names QSettings and the platform use for this app."""
    app.setApplicationName(settings.APP_NAME)
    app.setOrganizationName(settings.ORG_NAME)
    app.setOrganizationDomain(settings.ORG_DOMAIN)
    app.setApplicationVersion(core.__version__)


def offer_recovery(window, found) -> bool:
    """After a crash: offer the newest autosaved design back (Restore / Discard / Later)."""
    from PySide6.QtWidgets import QMessageBox
    if not found:
        return False
    newest = found[0]
    box = QMessageBox(QMessageBox.Icon.Question, "Recover unsaved work",
                      "SSB Pouch Designer did not close normally last time.", parent=window)
    more = f"\n\n({len(found) - 1} older autosave{'s' if len(found) > 2 else ''} kept for later.)" \
        if len(found) > 1 else ""
    box.setInformativeText(f"Restore {newest.describe()}?{more}")
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is restore:
        window.restore_recovered(newest.design, newest.original_path, newest.original_stamp)
        newest.discard()  # our own session autosaves it again from now on
        window.recovery.autosave_now()
        return True
    if box.clickedButton() is discard:
        newest.discard()
    return False


def run_app(path: str | None = None) -> int:
    """Open the main window with the default preset, or with `path` (a bad file is
    explained and the default design is kept). Returns the application's exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    from PySide6.QtGui import QIcon
    from core.resources import resource_path
    from .crash import install_excepthook
    from .main_window import MainWindow, apply_theme
    from .recovery import pending_recoveries
    app.setWindowIcon(QIcon(str(resource_path("icon.png"))))
    apply_theme(app, settings.dark_theme())
    window = MainWindow()
    install_excepthook(before_dialog=window.recovery.autosave_now)
    window.show()
    if path:
        window.open_path(path, ask=False)
    if not os.environ.get("SSB_EXIT_AFTER_SHOWN"):
        QTimer.singleShot(0, lambda: offer_recovery(
            window, pending_recoveries(window.recovery.folder, also=window.recovery_folders[1:])))
    if os.environ.get("SSB_EXIT_AFTER_SHOWN"):  # start-time benchmark and frozen-build test
        def shown():
            print(f"SSB_SHOWN {time.time():.6f}", flush=True)
            app.quit()
        QTimer.singleShot(0, shown)
    return app.exec()
