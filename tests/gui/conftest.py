import pytest

from gui import settings


@pytest.fixture(autouse=True)
def _gui_settings_in_tmp(tmp_path_factory):
    """No GUI test touches the user's real settings or recovery folder."""
    settings.use_folder(tmp_path_factory.mktemp("settings"))
    yield
    settings.use_folder(None)


@pytest.fixture
def discard_on_close(monkeypatch):
    """Closing or replacing a modified design never stops to ask about saving it."""
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))


@pytest.fixture
def plots_window(qtbot, discard_on_close):
    """A shown main window at 1366 x 768 with the sensitivity plots shown and the separator
    selected, as the issue-15 benchmarks use it (recalculation without delay)."""
    from gui.main_window import MainWindow
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    w.panels.setCurrentWidget(w.plots)
    w.layer_stack.select_row(w.current_design().index_of("separator"))
    qtbot.wait(50)
    yield w
    w.undo_stack.setClean()


@pytest.fixture
def plots_panel(qtbot):
    """The plots panel shown on its own at 1200 x 800, as the plots benchmark shows it (no
    design yet)."""
    from gui.plots import PlotsPanel
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    qtbot.waitExposed(panel)
    return panel
