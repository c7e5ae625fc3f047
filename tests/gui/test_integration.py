"""The main window with everything plugged in: plots tab, report export, compare,
autosave and restore, and files changed on disk."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QMessageBox

import core
from gui import app as gui_app
from gui.main_window import MainWindow
from gui.recovery import pending_recoveries


def button(box, text):
    found = [b for b in box.buttons() if b.text().replace("&", "") == text]
    assert found, f"no {text!r} button in {[b.text() for b in box.buttons()]}"
    return found[0]


@pytest.fixture(autouse=True)
def no_file_dialogs(monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    # closing a modified window at teardown asks: answer Discard instead of blocking
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))


@pytest.fixture
def window(qtbot):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    yield w
    w.recovery.shutdown()


def test_plots_tab_follows_edits_and_goal_seek_is_undoable(window):
    assert window.panels.indexOf(window.plots) >= 0
    window.panels.setCurrentWidget(window.plots)
    sep = core.solve_for(window.current_design(), "separator.thickness_um", "stack_gravimetric_Wh_kg", 420)
    assert sep.ok
    window.plots.sig_apply_parameter.emit("separator.thickness_um", sep.value)
    assert window.current_design().layer("separator").thickness_um == pytest.approx(sep.value)
    assert window.current_result().stack_gravimetric_Wh_kg == pytest.approx(420, rel=1e-4)
    assert window.plots.result.values == window.current_result().values, "the plots saw the edit"
    window.undo_stack.undo()
    assert window.current_design() == core.load_preset()


def test_export_report_from_window(window, tmp_path):
    out = tmp_path / "r.pdf"
    assert window.export_report(out, "A4")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10000


def test_compare_opens_with_current_design(window, qtbot):
    window.show_compare()
    dlg = window._compare_dialog
    qtbot.addWidget(dlg)
    assert dlg.compare_widget.designs()[0][1] == window.current_design()
    dlg.add_preset("anode-free-nmc811-li6ps5cl")
    assert len(dlg.compare_widget.designs()) == 2


def test_autosave_then_restore_after_crash(qtbot, tmp_path, monkeypatch):
    """Edit, autosave, 'crash' (the window never closes cleanly), start again: restored as unsaved."""
    path = tmp_path / "cell.json"
    core.save_design(core.load_preset(), path)
    w1 = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w1)
    assert w1.open_path(str(path), ask=False)
    w1.apply_parameter("separator.thickness_um", 20.0)
    assert w1.recovery.autosave_now()
    edited = w1.current_design()
    folder = w1.recovery.folder
    w1.recovery._lock.unlock()  # what the OS does when the process dies
    # next start
    found = pending_recoveries(folder)
    assert [r.design for r in found] == [edited]
    monkeypatch.setattr(QMessageBox, "exec", lambda self: None)
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda self: button(self, "Restore"))
    w2 = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w2)
    assert gui_app.offer_recovery(w2, found)
    assert w2.current_design() == edited
    assert w2.current_path() == str(path.resolve())
    assert not w2.undo_stack.isClean(), "restored work is unsaved until saved"
    w2.undo_stack.undo()
    assert w2.current_design() == core.load_design(path), "undo goes back to the file on disk"
    assert pending_recoveries(folder) == [], "the restored autosave is not offered twice"
    w2.recovery.shutdown()


def test_save_does_not_silently_overwrite_a_file_changed_on_disk(window, tmp_path, monkeypatch):
    path = tmp_path / "cell.json"
    core.save_design(core.load_preset(), path)
    assert window.open_path(str(path), ask=False)
    window.apply_parameter("separator.thickness_um", 25.0)
    other = replace(core.load_preset(), name="colleague's version")
    core.save_design(other, path)  # someone else saves the same file
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: asked.append(self.text()))
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda self: button(self, "Cancel"))
    assert not window.save()
    assert asked and "changed" in asked[0]
    assert core.load_design(path) == other, "the colleague's file is intact"
    # choosing Overwrite writes ours
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda self: button(self, "Overwrite"))
    assert window.save()
    assert core.load_design(path) == window.current_design()
    # and saving again with no outside change asks nothing
    asked.clear()
    window.apply_parameter("separator.thickness_um", 26.0)
    assert window.save() and not asked


def test_clean_close_leaves_no_recovery_file(qtbot, monkeypatch):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    w.apply_parameter("separator.thickness_um", 22.0)
    assert w.recovery.autosave_now() and w.recovery.file.exists()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    assert w.close()
    assert not w.recovery.file.exists()
