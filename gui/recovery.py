"""Nothing lost: autosave of unsaved work to a recovery file, restore after a crash, and
detection of a design file changed on disk by someone else.

One recovery file per running app instance lives in the user's data folder, next to a
QLockFile held while the instance runs. A recovery file whose lock is stale (its app
died) is offered at the next start.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer

from core.design import Design, DesignError, design_from_dict, design_to_dict
from core.io import atomic_write_text

RECOVERY_FORMAT = "ssb-pouch-recovery"


def default_recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".ssb-pouch-designer") / "recovery"


@dataclass(frozen=True)
class Recoverable:
    """An autosaved design whose app instance is gone."""
    path: Path
    design: Design
    original_path: str | None
    saved_at: float

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

    `snapshot` is a callable returning (design, original_path or None, modified: bool).
    Call `schedule()` after every edit; the write happens `delay_ms` later (coalesced), and
    at least every `interval_ms` while modified. `clear()` after a save or a clean close.
    """

    def __init__(self, snapshot, folder: Path | None = None, delay_ms: int = 2000,
                 interval_ms: int = 60000, parent=None):
        super().__init__(parent)
        self._snapshot = snapshot
        self.folder = Path(folder) if folder else default_recovery_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.session = uuid.uuid4().hex[:12]
        self.file = self.folder / f"{self.session}.json"
        self._lock = QLockFile(str(self.file.with_suffix(".lock")))
        self._lock.setStaleLockTime(0)
        self._lock.tryLock(0)
        self._debounce = QTimer(self, singleShot=True, interval=delay_ms)
        self._debounce.timeout.connect(self.autosave_now)
        self._periodic = QTimer(self, interval=interval_ms)
        self._periodic.timeout.connect(self.autosave_now)
        self._periodic.start()
        self.last_error: str | None = None

    def schedule(self) -> None:
        self._debounce.start()

    def autosave_now(self) -> bool:
        """Write the recovery file now if there are unsaved changes; True if written."""
        try:
            design, original, modified = self._snapshot()
        except Exception as e:  # the window is closing or broken: keep the last good file
            self.last_error = str(e)
            return False
        if not modified:
            self.clear()
            return False
        payload = {"format": RECOVERY_FORMAT, "saved_at": time.time(), "original_path": original,
                   "pid": os.getpid(), "design": design_to_dict(design)}
        try:
            atomic_write_text(self.file, json.dumps(payload, indent=1, allow_nan=False))
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


def pending_recoveries(folder: Path | None = None) -> list[Recoverable]:
    """Autosaved designs left by app instances that are no longer running, newest first."""
    folder = Path(folder) if folder else default_recovery_dir()
    out: list[Recoverable] = []
    if not folder.is_dir():
        return out
    for path in folder.glob("*.json"):
        lock = QLockFile(str(path.with_suffix(".lock")))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):  # a running instance holds it
            continue
        lock.unlock()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != RECOVERY_FORMAT:
                continue
            design = design_from_dict(data["design"])
            out.append(Recoverable(path, design, data.get("original_path"), float(data.get("saved_at", 0))))
        except (OSError, ValueError, KeyError, TypeError, DesignError):
            continue  # unreadable leftovers are not offered (and not deleted)
    return sorted(out, key=lambda r: r.saved_at, reverse=True)


# --------------------------------------------------------------------------- changed on disk
@dataclass(frozen=True)
class FileStamp:
    """What a design file looked like when we opened or saved it."""
    size: int
    sha256: str

    @classmethod
    def of(cls, path) -> "FileStamp | None":
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        return cls(len(data), hashlib.sha256(data).hexdigest())


def changed_on_disk(path, stamp: FileStamp | None) -> bool:
    """True if the file at `path` is no longer what we loaded or saved (or was deleted)."""
    if stamp is None or not path:
        return False
    return FileStamp.of(path) != stamp
