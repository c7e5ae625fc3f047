"""Nothing lost: autosave of unsaved work to a recovery file, restore after a crash, and
detection of a design file changed on disk by someone else.

One recovery file per running app instance lives in the user's data folder, next to a
QLockFile held while the instance runs. A recovery file whose lock is stale (its app
died) is offered at the next start; a stale lock with no recovery file (an instance that
died with nothing unsaved) is removed then. Each recovery file also records the
fingerprint of the design file as it was opened, so that after a restore a file changed by
someone else in the meantime is never overwritten without asking.

An edit is autosaved as soon as the event loop is free after it (a burst of edits in one
pass: one write), so a crash or kill right after an edit does not lose it. While edits keep
coming (a spin box dragged or its arrow key held: one edit per frame), the file is written at
most every BURST_MS, the last edit's design always: a crash in a drag loses at most its last
quarter second, and a drag does not write the whole design 60 times a second.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer

from core.design import Design, DesignError, design_from_dict, design_to_dict
from core.io import atomic_write_text, read_regular_file

RECOVERY_FORMAT = "ssb-pouch-recovery"
MAX_RECOVERY_BYTES = 64 * 1024 * 1024  # a design file's limit plus room for JSON escapes
BURST_MS = 250   # within a burst of edits, at most one autosave per this many ms


def default_recovery_dir() -> Path:
    from . import settings
    return settings.data_folder() / "recovery"


def legacy_recovery_dirs() -> list[Path]:
    """Recovery folders of earlier versions (read, never written): work autosaved there
    before an update is still offered."""
    from . import settings
    return [f / "recovery" for f in settings.legacy_data_folders()]


@dataclass(frozen=True)
class Recoverable:
    """An autosaved design whose app instance is gone."""
    path: Path
    design: Design
    original_path: str | None
    saved_at: float
    # the design file as it was opened (None: no file; UNKNOWN_STAMP: not recorded)
    original_stamp: "FileStamp | None" = None

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        source = Path(self.original_path).name if self.original_path else "an unsaved design"
        return f"“{self.design.name}” ({source}), autosaved {when}"

    def discard(self) -> None:
        for p in (self.path, self.path.with_suffix(".lock")):
            try:
                p.unlink()
            except OSError:
                pass


class RecoveryManager(QObject):
    """Autosaves the current design while it has unsaved changes.

    `snapshot` is a callable returning (design, original_path or None, modified: bool) or
    (design, original_path, modified, stamp): `stamp`, the FileStamp of the design file as
    it was opened or last saved, is kept in the recovery file.
    Call `schedule()` after every edit; the write happens `delay_ms` later (0: as soon as
    the event loop is free, one write for a burst of edits in one pass), or, when the last
    write is less than `burst_ms` old, when it is `burst_ms` old; and at least every
    `interval_ms` while modified (that write is also fsync'ed). `clear()` after a save or a
    clean close.
    """

    def __init__(self, snapshot, folder: Path | None = None, delay_ms: int = 0,
                 interval_ms: int = 60000, parent=None, burst_ms: int = BURST_MS):
        super().__init__(parent)
        self._snapshot = snapshot
        self.folder = Path(folder) if folder else default_recovery_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        remove_stale_locks(self.folder)
        self.session = uuid.uuid4().hex[:12]
        self.file = self.folder / f"{self.session}.json"
        self._lock = QLockFile(str(self.file.with_suffix(".lock")))
        self._lock.setStaleLockTime(0)
        self._lock.tryLock(0)
        self._delay_ms, self._burst_ms = delay_ms, burst_ms
        self._last_write = -math.inf   # time.monotonic() of the last write
        self._debounce = QTimer(self, singleShot=True, interval=delay_ms)
        self._debounce.timeout.connect(lambda: self.autosave_now(sync=False))
        self._periodic = QTimer(self, interval=interval_ms)
        self._periodic.timeout.connect(self.autosave_now)
        self._periodic.start()
        self.last_error: str | None = None

    def schedule(self) -> None:
        """An edit happened: write it after `delay_ms`, or at the end of the burst window."""
        wait_ms = self._burst_ms - (time.monotonic() - self._last_write) * 1000.0
        if wait_ms <= self._delay_ms:
            self._debounce.start(self._delay_ms)
        elif not self._debounce.isActive():   # (a write is already due at the window's end)
            self._debounce.start(math.ceil(wait_ms))

    def autosave_now(self, sync: bool = True) -> bool:
        """Write the recovery file now if there are unsaved changes; True if written.
        `sync=False` skips the fsync (the file survives a crash or kill of the app, which
        is what it is for; the periodic write makes it durable against power loss too)."""
        try:
            snap = self._snapshot()
            design, original, modified = snap[:3]
            stamp = snap[3] if len(snap) > 3 else None
        except Exception as e:  # the window is closing or broken: keep the last good file
            self.last_error = str(e)
            return False
        if not modified:
            self.clear()
            return False
        payload = {"format": RECOVERY_FORMAT, "saved_at": time.time(), "original_path": original,
                   "pid": os.getpid(), "design": design_to_dict(design)}
        if original:
            payload["original_stamp"] = None if stamp is None else {"size": stamp.size, "sha256": stamp.sha256}
        try:
            # compact: json.dumps with an indent runs Python's own encoder, five times slower than
            # the C one, on every edit
            atomic_write_text(self.file, json.dumps(payload, separators=(",", ":"), allow_nan=False), sync=sync)
            self._last_write = time.monotonic()
            self.last_error = None
            return True
        except (OSError, ValueError) as e:
            self.last_error = f"autosave failed: {e}"
            return False

    def clear(self) -> None:
        try:
            self.file.unlink()
        except OSError:
            pass

    def shutdown(self) -> None:
        """A clean exit: nothing to recover."""
        self._debounce.stop()
        self._periodic.stop()
        self.clear()
        self._lock.unlock()
        try:
            self.file.with_suffix(".lock").unlink()
        except OSError:
            pass


def remove_stale_locks(folder: Path) -> int:
    """Remove lock files of instances that are gone and left no recovery file (they ended
    without a clean close with nothing unsaved). Returns how many were removed."""
    removed = 0
    try:
        locks = list(Path(folder).glob("*.lock"))
    except OSError:
        return 0
    for lock_path in locks:
        if lock_path.with_suffix(".json").exists():
            continue  # offered at start; discarding or restoring it removes the lock too
        lock = QLockFile(str(lock_path))
        lock.setStaleLockTime(0)
        if lock.tryLock(0):  # nobody holds it: a leftover
            lock.unlock()  # removes the file
            removed += 1
    return removed


def pending_recoveries(folder: Path | None = None, also=()) -> list[Recoverable]:
    """Autosaved designs left by app instances that are no longer running, newest first;
    `also`: more folders to look in (earlier versions' recovery folders)."""
    out: list[Recoverable] = []
    for f in (Path(folder) if folder else default_recovery_dir(), *map(Path, also)):
        if f.is_dir():
            out += _pending_in(f)
    return sorted(out, key=lambda r: r.saved_at, reverse=True)


def _pending_in(folder: Path) -> list[Recoverable]:
    out: list[Recoverable] = []
    for path in folder.glob("*.json"):
        lock = QLockFile(str(path.with_suffix(".lock")))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):  # a running instance holds it
            continue
        lock.unlock()
        try:
            data = json.loads(read_regular_file(path, MAX_RECOVERY_BYTES).decode("utf-8"))
            if data.get("format") != RECOVERY_FORMAT:
                continue
            design = design_from_dict(data["design"])
            original = data.get("original_path")
            stamp = None
            if original:
                s = data.get("original_stamp", UNKNOWN_STAMP)
                stamp = FileStamp(int(s["size"]), str(s["sha256"])) if isinstance(s, dict) else UNKNOWN_STAMP
            out.append(Recoverable(path, design, original, float(data.get("saved_at", 0)), stamp))
        except (OSError, ValueError, KeyError, TypeError, DesignError):
            continue  # unreadable leftovers are not offered (and not deleted)
    return out


# --------------------------------------------------------------------------- changed on disk
@dataclass(frozen=True)
class FileStamp:
    """What a design file looked like when we opened or saved it."""
    size: int
    sha256: str

    @classmethod
    def of(cls, path) -> "FileStamp | None":
        try:  # a regular file within the size limit (a pipe or device never hangs this)
            data = read_regular_file(path, MAX_RECOVERY_BYTES)
        except OSError:
            return None
        return cls(len(data), hashlib.sha256(data).hexdigest())


# a file whose state when opened was not recorded (a recovery file of an earlier version):
# it matches no file, so saving over it asks first
UNKNOWN_STAMP = FileStamp(-1, "unknown")


def changed_on_disk(path, stamp: FileStamp | None) -> bool:
    """True if the file at `path` is no longer what we loaded or saved (or was deleted)."""
    if stamp is None or not path:
        return False
    return FileStamp.of(path) != stamp
