"""Help menu: the documentation in docs/ opens in a readable window of the app."""
from __future__ import annotations

from PySide6.QtCore import QUrl

import core
from core.resources import DOCS
from gui.main_window import MainWindow


def make_window(qtbot) -> MainWindow:
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    return w


def test_help_menu_has_the_three_documents_then_about(qtbot):
    w = make_window(qtbot)
    texts = [a.text() for a in w.help_menu.actions() if not a.isSeparator()]
    assert texts[:3] == ["Model and assumptions", "File format", "Materials and sources"]
    assert texts[-1].startswith("&About")


def test_each_help_action_shows_its_document_rendered(qtbot):
    w = make_window(qtbot)
    expected = {"MODEL.md": "The model and its assumptions", "FORMAT.md": "Design file format",
                "MATERIALS.md": "Materials and sources"}
    for name, title in DOCS.items():
        w.help_actions[name].trigger()
        viewer = w._help_viewer
        assert viewer.isVisible()
        assert viewer.current == name
        assert viewer.windowTitle().startswith(title)
        text = viewer.browser.toPlainText()
        assert text.lstrip().startswith(expected[name])
        assert "# " + expected[name] not in text  # rendered Markdown, not the source
    # every result key the app computes is readable in the File format page
    w.help_actions["FORMAT.md"].trigger()
    text = w._help_viewer.browser.toPlainText()
    for key in core.evaluate(core.load_preset()).to_dict():
        assert key in text, key
    assert w._help_viewer is w.findChild(type(w._help_viewer), "helpViewer")  # one window, reused


def test_links_between_documents_navigate_and_back_returns(qtbot):
    w = make_window(qtbot)
    w.help_actions["MODEL.md"].trigger()
    viewer = w._help_viewer
    assert not viewer.back_button.isEnabled()
    url = viewer.browser.source().resolved(QUrl("FORMAT.md"))
    viewer.browser.setSource(url)
    assert viewer.current == "FORMAT.md"
    assert viewer.back_button.isEnabled()
    viewer.back_button.click()
    assert viewer.current == "MODEL.md"


def test_a_missing_document_is_explained_not_a_crash(qtbot, monkeypatch, tmp_path):
    import gui.help_viewer as hv
    monkeypatch.setattr(hv, "doc_path", lambda name: tmp_path / name)
    w = make_window(qtbot)
    w.help_actions["MODEL.md"].trigger()
    text = w._help_viewer.browser.toPlainText()
    assert "was not found" in text and str(tmp_path) in text
