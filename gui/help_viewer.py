"""Help: the documentation in docs/ (model, file format, materials) in a window of the app.

The same Markdown files a reader sees in the repository are shown with QTextBrowser's own
Markdown support; links between them work, with back and forward. They are found from
source and from the frozen build by core.resources (the spec ships docs/).
"""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from core.resources import DOCS, doc_path


class HelpViewer(QDialog):
    """A non-modal window showing one documentation file at a time."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("helpViewer")
        self.resize(900, 760)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)  # http(s) links go to the system browser
        self.browser.setOpenLinks(True)          # links to the other .md files open here
        self.browser.sourceChanged.connect(self._on_source_changed)
        self.back_button = QPushButton("Back", self)
        self.back_button.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.back_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        self.doc_buttons: dict[str, QPushButton] = {}
        for name, title in DOCS.items():
            b = QPushButton(title, self)
            b.clicked.connect(lambda _=False, n=name: self.show_doc(n))
            bar.addWidget(b)
            self.doc_buttons[name] = b
        bar.addStretch(1)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        bar.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.browser, 1)
        self.current: str | None = None

    def show_doc(self, name: str) -> None:
        """Show docs/NAME; a missing file shows where it was looked for instead of failing."""
        path = doc_path(name)
        if not path.is_file():
            self.current = name
            self.browser.setMarkdown(f"# {DOCS.get(name, name)}\n\nThe documentation file `{name}` "
                                     f"was not found (looked in `{path.parent}`).")
            self.setWindowTitle(f"{DOCS.get(name, name)} - SSB Pouch Designer")
            return
        self.browser.setSource(QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource)
        self.show()
        self.raise_()
        self.activateWindow()

    def _on_source_changed(self, url: QUrl) -> None:
        name = url.fileName()
        self.current = name
        self.setWindowTitle(f"{DOCS.get(name, name)} - SSB Pouch Designer")
        for n, b in self.doc_buttons.items():
            b.setEnabled(n != name)


def show_help(parent: QWidget, name: str) -> HelpViewer:
    """Show docs/NAME in the parent's help window (one per parent, created on first use)."""
    viewer = getattr(parent, "_help_viewer", None)
    if viewer is None:
        viewer = HelpViewer(parent)
        parent._help_viewer = viewer
    viewer.show_doc(name)
    viewer.show()
    return viewer


def add_help_actions(menu, parent: QWidget) -> dict[str, QAction]:
    """Add one action per documentation file to `menu` (Help); returns them by file name."""
    actions = {}
    for name, title in DOCS.items():
        act = QAction(title, parent)
        act.setObjectName(f"actHelp{name.split('.')[0].title()}")
        act.triggered.connect(lambda _=False, n=name: show_help(parent, n))
        menu.addAction(act)
        actions[name] = act
    return actions
