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


def run_app(path: str | None = None) -> int:
    """Open the main window with the default preset, or with `path` (a bad file is
    explained and the default design is kept). Returns the application's exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    from .main_window import MainWindow, apply_theme
    apply_theme(app, settings.dark_theme())
    window = MainWindow()
    window.show()
    if path:
        window.open_path(path, ask=False)
    if os.environ.get("SSB_EXIT_AFTER_SHOWN"):  # start-time benchmark and frozen-build test
        def shown():
            print(f"SSB_SHOWN {time.time():.6f}", flush=True)
            app.quit()
        QTimer.singleShot(0, shown)
    return app.exec()
