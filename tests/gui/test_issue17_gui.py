"""Issue 17 ("Nothing lost, round two"), the app's items: each test here failed on the
code before the fix."""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

import core
from gui import app as gui_app
from gui import settings
from gui.main_window import MainWindow
from gui.recovery import (RECOVERY_FORMAT, RecoveryManager, pending_recoveries,
                          remove_stale_locks)

ROOT = Path(__file__).resolve().parents[2]


def button(box, text):
    found = [b for b in box.buttons() if b.text().replace("&", "") == text]
    assert found, f"no {text!r} button in {[b.text() for b in box.buttons()]}"
    return found[0]


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch):
    """No modal dialog can block a test: file dialogs cancel, errors are kept."""
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: pytest.fail(f"error dialog: {a[2]}")))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: pytest.fail(f"warning dialog: {a[2]}")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))


def crash(window):
    """What the OS does to a killed app: its lock is released, nothing else happens."""
    window.recovery._lock.unlock()


# ------------------------------------------------------------------ 1
@pytest.mark.parametrize("changed_by_someone", [True, False])
def test_restore_keeps_the_changed_on_disk_guard(qtbot, tmp_path, monkeypatch, changed_by_someone):
    path = tmp_path / "cell.json"
    core.save_design(core.load_preset(), path)
    w1 = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w1)
    assert w1.open_path(str(path), ask=False)
    w1.apply_parameter("separator.thickness_um", 20.0)
    assert w1.recovery.autosave_now()
    mine = w1.current_design()
    crash(w1)
    theirs = replace(core.load_preset(), name="colleague's version")
    if changed_by_someone:
        core.save_design(theirs, path)
    found = pending_recoveries(w1.recovery.folder)
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: asked.append(self.text()))
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda self: button(self, "Restore"))
    w2 = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w2)
    assert gui_app.offer_recovery(w2, found)
    assert w2.current_design() == mine
    asked.clear()
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda self: button(self, "Cancel"))
    if changed_by_someone:
        assert not w2.save()
        assert asked and "changed" in asked[0], "Save asks before overwriting their changes"
        assert core.load_design(path) == theirs, "their file is intact"
    else:
        assert w2.save() and not asked, "an unchanged file is saved without a question"
        assert core.load_design(path) == mine
    w2.recovery.shutdown()


def test_restore_of_an_old_recovery_file_without_a_fingerprint_asks(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "cell.json"
    core.save_design(core.load_preset(), path)
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    w.restore_recovered(replace(core.load_preset(), name="restored"), str(path))
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: asked.append(self.text()))
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda self: button(self, "Cancel"))
    assert not w.save() and asked
    w.recovery.shutdown()


# ------------------------------------------------------------------ 5
def test_an_edit_is_in_the_recovery_file_once_the_event_loop_turns(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    assert not w.recovery.file.exists()
    w.apply_parameter("separator.thickness_um", 21.0)
    for _ in range(3):
        QApplication.processEvents()
    data = json.loads(w.recovery.file.read_text())
    assert core.design_from_dict(data["design"]) == w.current_design()
    w.recovery.shutdown()


@pytest.mark.slow
def test_kill_right_after_an_edit_loses_nothing(tmp_path):
    """A real app process edits and is killed at once (-9): the edit is offered back."""
    script = textwrap.dedent(f"""
        import os, sys, signal
        sys.path.insert(0, {str(ROOT)!r})
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from gui import settings
        settings.use_folder({str(tmp_path)!r})
        from gui.main_window import MainWindow
        w = MainWindow()
        w.apply_parameter("separator.thickness_um", 23.0)
        app.processEvents()
        app.processEvents()
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    found = pending_recoveries(tmp_path / "recovery")
    assert len(found) == 1
    assert found[0].design.unit_cell[2].thickness_um == 23.0


# ------------------------------------------------------------------ 6
def test_lone_surrogate_design_saves_from_the_window(qtbot, tmp_path):
    d = core.design_to_dict(core.load_preset())
    d["notes"] = "\ud800"
    src = tmp_path / "s.json"
    src.write_text(json.dumps(d), encoding="ascii")
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    assert w.open_path(str(src), ask=False)
    w.apply_parameter("separator.thickness_um", 22.0)
    assert w.save_to(tmp_path / "out.json")
    assert w.save()
    assert core.load_design(tmp_path / "out.json") == w.current_design()
    assert core.load_design(tmp_path / "out.json").notes == "\ud800"
    html = tmp_path / "r.html"
    assert w.export_report(html)
    html.read_text(encoding="utf-8")
    w.recovery.shutdown()


# ------------------------------------------------------------------ 2: reports on a full disk
def _good_report(window, path):
    assert window.export_report(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    return data


def test_report_export_fsync_failure_keeps_the_old_report(qtbot, tmp_path, monkeypatch):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    out = tmp_path / "r.pdf"
    before = _good_report(w, out)
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a: errors.append(a[2])))

    def enospc(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", enospc)
    w.apply_parameter("separator.thickness_um", 22.0)
    w.status_message.setText("")
    assert not w.export_report(out)
    assert errors and "No space left on device" in errors[0] and "Nothing was changed" in errors[0]
    assert "Report written" not in w.status_message.text()
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]
    w.recovery.shutdown()


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs (root only; elsewhere the command-line test below covers a full disk
    with RLIMIT_FSIZE)."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mnt = tmp_path / "small"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {r.stderr.decode(errors='replace').strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_report_export_on_a_full_disk_keeps_the_old_report(qtbot, small_disk, monkeypatch):
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a: errors.append(a[2])))
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    out = small_disk / "r.pdf"
    before = _good_report(w, out)
    filler = small_disk / "filler"
    with open(filler, "wb") as fh:  # leave about 100 kB free
        free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
        fh.write(b"x" * max(0, free - 100 * 1024))
    w.apply_parameter("separator.thickness_um", 22.0)
    w.status_message.setText("")
    assert not w.export_report(out), "a PDF that does not fit is not reported as written"
    assert errors and "disk" in errors[0].lower(), errors
    assert "Report written" not in w.status_message.text()
    assert out.read_bytes() == before, "the earlier report is intact"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "r.pdf"]
    new = small_disk / "new.pdf"
    assert not w.export_report(new)
    assert not new.exists(), "no 0-byte or truncated PDF is left"
    w.recovery.shutdown()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE (POSIX)")
@pytest.mark.parametrize("limit_kb", [0, 4, 60, 300, 480])
def test_cli_report_on_a_full_disk_fails_and_keeps_the_old_report(tmp_path, limit_kb):
    import resource
    base = tmp_path / "base.json"
    core.save_design(core.load_preset(), base)
    out = tmp_path / "t.pdf"
    run = [sys.executable, str(ROOT / "main.py"), "report", str(base), "-o", str(out)]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    assert subprocess.run(run, capture_output=True, env=env, timeout=120).returncode == 0
    before = out.read_bytes()
    assert before.rstrip().endswith(b"%%EOF") and len(before) > 480 * 1024

    def limit():  # every write past limit_kb fails (EFBIG), as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_kb * 1024, resource.RLIM_INFINITY))
    p = subprocess.run(run, capture_output=True, text=True, env=env, timeout=120, preexec_fn=limit)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert p.stderr.startswith(f"error: {out}: ") and p.stderr.count("\n") == 1, p.stderr
    assert "wrote" not in p.stderr
    assert out.read_bytes() == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["base.json", "t.pdf"]


# ------------------------------------------------------------------ 14 and the folder name
def test_stale_lock_without_recovery_file_is_removed(tmp_path):
    script = textwrap.dedent(f"""
        import os, sys, signal
        sys.path.insert(0, {str(ROOT)!r})
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QCoreApplication
        app = QCoreApplication([])
        import core
        from gui.recovery import RecoveryManager
        m = RecoveryManager(lambda: (core.load_preset(), None, False), folder={str(tmp_path)!r})
        m.autosave_now()
        print(m.file.with_suffix(".lock").exists(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "True", proc.stderr
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(left) == 1 and left[0].endswith(".lock"), "the killed instance left its lock"
    live = RecoveryManager(lambda: (core.load_preset(), None, False), folder=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.file.with_suffix(".lock").name], \
        "the next start removes the stale lock and keeps its own"
    assert remove_stale_locks(tmp_path) == 0, "a running instance's lock is never removed"
    live.shutdown()
    assert list(tmp_path.iterdir()) == []


def test_data_folder_names_the_app_once_and_old_recoveries_are_still_offered(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv(settings.ENV_FOLDER, raising=False)
    settings.use_folder(None)
    app = QApplication.instance()
    names = (app.applicationName(), app.organizationName())
    gui_app.configure_application(app)
    try:
        folder = settings.data_folder()
        assert folder == tmp_path / "SSB Pouch Designer"
        legacy = settings.legacy_data_folders()
        assert legacy == [tmp_path / "SSB Pouch Designer" / "SSB Pouch Designer"]
        old = legacy[0] / "recovery"
        old.mkdir(parents=True)
        design = replace(core.load_preset(), name="autosaved by the old version")
        (old / "abc.json").write_text(json.dumps({"format": RECOVERY_FORMAT, "saved_at": 1.0,
                                                  "original_path": None,
                                                  "design": core.design_to_dict(design)}))
        w = MainWindow(recalc_delay_ms=0)
        qtbot.addWidget(w)
        assert w.recovery.folder == folder / "recovery"
        found = pending_recoveries(w.recovery.folder, also=w.recovery_folders[1:])
        assert [r.design for r in found] == [design]
        w.recovery.shutdown()
    finally:
        app.setApplicationName(names[0])
        app.setOrganizationName(names[1])


# ------------------------------------------------------------------ 15
def test_cell_editor_keeps_qwidget_width_and_height(qtbot):
    w = MainWindow(recalc_delay_ms=0)
    qtbot.addWidget(w)
    ce = w.cell_editor
    assert ce.width() == QWidget.width(ce) and isinstance(ce.height(), int)
    ce.width_spin.setValue(80.0)
    ce.height_spin.setValue(70.0)
    assert (w.current_design().electrode_width_mm, w.current_design().electrode_height_mm) == (80.0, 70.0)
    w.recovery.shutdown()


# ------------------------------------------------------------------ plot exports: whole or not at all
def test_plot_exports_on_a_full_disk_keep_the_old_files(qtbot, tmp_path, monkeypatch):
    from gui.plots import PlotsPanel
    p = PlotsPanel()
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.show()
    qtbot.waitExposed(p)
    d = core.load_preset()
    p.set_design(d, core.evaluate(d))
    w = p.sensitivity_panels[1]
    files = {ext: tmp_path / f"plot.{ext}" for ext in ("png", "svg", "csv")}
    for ext, path in files.items():
        getattr(w, f"export_{ext}")(path)
    before = {ext: path.read_bytes() for ext, path in files.items()}
    assert before["svg"].rstrip().endswith(b"</svg>") and before["png"].startswith(b"\x89PNG")

    def enospc(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", enospc)
    d2 = core.with_parameter(d, "separator.thickness_um", 45.0)
    p.set_design(d2, core.evaluate(d2))
    for ext, path in files.items():
        try:
            getattr(w, f"export_{ext}")(path)
            raised = None
        except OSError as e:  # (not pytest.raises: its kept traceback would hold the panel in a
            raised = (e.errno, e.filename)  # reference cycle that the GC may free mid-paint)
        assert raised == (errno.ENOSPC, str(path))
        assert path.read_bytes() == before[ext], f"the earlier {ext} is intact"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["plot.csv", "plot.png", "plot.svg"]
