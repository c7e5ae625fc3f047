"""Autosave, crash recovery, changed-on-disk detection and the crash dialog."""
import json
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

import core
from PySide6.QtCore import QCoreApplication
from gui import crash
from gui.recovery import FileStamp, RecoveryManager, changed_on_disk, pending_recoveries

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def design():
    return core.load_preset()


def test_autosave_only_while_modified(qtbot, tmp_path, design):
    state = {"modified": True, "design": design}
    mgr = RecoveryManager(lambda: (state["design"], None, state["modified"]), folder=tmp_path, delay_ms=0)
    assert mgr.autosave_now()
    data = json.loads(mgr.file.read_text())
    assert core.design_from_dict(data["design"]) == design
    state["modified"] = False
    assert not mgr.autosave_now()
    assert not mgr.file.exists(), "a clean design leaves no recovery file"
    mgr.shutdown()


def test_debounced_autosave_follows_edits(qtbot, tmp_path, design):
    edited = replace(design, name="edited")
    mgr = RecoveryManager(lambda: (edited, "/x/y.json", True), folder=tmp_path, delay_ms=10)
    mgr.schedule()
    qtbot.waitUntil(mgr.file.exists, timeout=2000)
    assert json.loads(mgr.file.read_text())["original_path"] == "/x/y.json"
    mgr.shutdown()
    assert not list(tmp_path.iterdir()), "a clean exit removes the recovery and lock files"


def test_burst_of_edits_writes_at_most_once_per_window_and_the_last_edit_always(qtbot, tmp_path, design):
    """A drag (an edit per frame) is not written per frame: the first edit at once, the rest
    at the end of the burst window, with the last edit's design."""
    state = {"design": replace(design, name="first")}
    mgr = RecoveryManager(lambda: (state["design"], None, True), folder=tmp_path, delay_ms=0, burst_ms=300)
    mgr.schedule()
    qtbot.waitUntil(mgr.file.exists, timeout=2000)
    t_first = time.monotonic()
    for i in range(5):   # edits right after the write: inside the window
        state["design"] = replace(design, name=f"drag {i}")
        mgr.schedule()
        QCoreApplication.processEvents()
    name = lambda: json.loads(mgr.file.read_text())["design"]["name"]  # noqa: E731
    if time.monotonic() - t_first < 0.25:   # (a stalled machine may have crossed the window)
        assert name() == "first", "an edit inside the burst window is not written at once"
    qtbot.waitUntil(lambda: name() == "drag 4", timeout=3000)
    assert time.monotonic() - t_first >= 0.25, "written at the end of the window, not before"
    mgr.shutdown()


def test_running_instance_is_not_offered(qtbot, tmp_path, design):
    mgr = RecoveryManager(lambda: (design, None, True), folder=tmp_path)
    mgr.autosave_now()
    assert pending_recoveries(tmp_path) == [], "our own live session must not be offered"
    mgr.shutdown()


def test_killed_app_is_recovered_at_next_start(tmp_path, design):
    """A process autosaves an edited design and is killed; the next start offers it back."""
    script = textwrap.dedent(f"""
        import os, sys, signal
        sys.path.insert(0, {str(ROOT)!r})
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from dataclasses import replace
        from PySide6.QtCore import QCoreApplication
        app = QCoreApplication([])
        import core
        from gui.recovery import RecoveryManager
        d = replace(core.load_preset(), name="work in progress")
        m = RecoveryManager(lambda: (d, None, True), folder={str(tmp_path)!r})
        assert m.autosave_now()
        print("saved", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "saved" in proc.stdout, proc.stderr
    assert proc.returncode == -signal.SIGKILL
    found = pending_recoveries(tmp_path)
    assert len(found) == 1
    assert found[0].design == replace(design, name="work in progress")
    assert "work in progress" in found[0].describe()
    found[0].discard()
    assert pending_recoveries(tmp_path) == []


def test_corrupt_recovery_file_is_ignored(tmp_path):
    (tmp_path / "abc.json").write_text("{not json")
    assert pending_recoveries(tmp_path) == []


def test_changed_on_disk(tmp_path, design):
    path = tmp_path / "d.json"
    core.save_design(design, path)
    stamp = FileStamp.of(path)
    assert not changed_on_disk(path, stamp)
    core.save_design(replace(design, name="someone else"), path)
    assert changed_on_disk(path, stamp)
    path.unlink()
    assert changed_on_disk(path, stamp), "a deleted file counts as changed"


def test_crash_hook_shows_copyable_report(qtbot, monkeypatch):
    shown = {}
    saved = []

    def fake_exec(self):
        shown["report"] = self.report
        self.copy_report()
        return 0

    monkeypatch.setattr(crash.CrashDialog, "exec", fake_exec)
    old = sys.excepthook
    crash.install_excepthook(before_dialog=lambda: saved.append(True))
    try:
        try:
            raise ZeroDivisionError("boom")
        except ZeroDivisionError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old
    assert saved == [True], "the design is autosaved before the dialog"
    assert "ZeroDivisionError: boom" in shown["report"]
    assert core.__version__ in shown["report"]
    from PySide6.QtWidgets import QApplication
    assert "ZeroDivisionError" in QApplication.clipboard().text()
