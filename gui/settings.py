"""User settings (window layout, theme, recent files). QSettings is used here only.

Settings live in the platform's standard user folder (QSettings' IniFormat, user scope:
~/.config on Linux, %APPDATA% on Windows, ~/Library/Preferences on macOS). Tests and
portable set-ups point them at a folder with `use_folder(path)` or the environment
variable SSB_POUCH_SETTINGS_DIR. Design files never hold UI state.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

APP_NAME = "SSB Pouch Designer"
ORG_NAME = "SSB Pouch Designer"
ORG_DOMAIN = "ssb-pouch-designer.local"
ENV_FOLDER = "SSB_POUCH_SETTINGS_DIR"
MAX_RECENT = 8

DEFAULTS: dict[str, Any] = {
    "view/dark_theme": False,
    "recent_files": [],
    "last_folder": "",
    # 0: the recompute runs as soon as the event loop is free, once for a burst of edits made in
    # one pass (a single-shot timer); a longer debounce only added latency to every edit
    "recalc_delay_ms": 0,
    "window/geometry": None,
    "window/state": None,
    "window/splitter": None,
}

_folder: Path | None = None


def use_folder(path: str | os.PathLike | None) -> None:
    """Keep settings in `path`/settings.ini from now on (None: back to the user folder)."""
    global _folder
    _folder = Path(path) if path is not None else None


def data_folder() -> Path:
    """Where the app keeps its own files (autosave/recovery): the settings folder when one
    is set (tests, portable use), else "SSB Pouch Designer" in the platform's data folder
    (~/.local/share on Linux, %LOCALAPPDATA% on Windows, ~/Library/Application Support on
    macOS). Qt's AppDataLocation would name the organisation and the app, here the same
    words twice; earlier versions used it (see legacy_data_folders)."""
    folder = _custom_folder()
    if folder is None:
        from PySide6.QtCore import QStandardPaths
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
        folder = Path(base) / APP_NAME if base else Path.home() / ".ssb-pouch-designer"
    return folder


def legacy_data_folders() -> list[Path]:
    """Data folders of earlier versions (".../SSB Pouch Designer/SSB Pouch Designer"): read
    for crash recovery so an update loses nothing, never written."""
    if _custom_folder() is not None:
        return []
    from PySide6.QtCore import QStandardPaths
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    old = Path(base) if base else None
    return [old] if old is not None and old != data_folder() else []


def _custom_folder() -> Path | None:
    folder = _folder
    if folder is None and os.environ.get(ENV_FOLDER):
        folder = Path(os.environ[ENV_FOLDER])
    return folder


def settings_file() -> str:
    return _qsettings().fileName()


def _qsettings() -> QSettings:
    folder = _folder
    if folder is None and os.environ.get(ENV_FOLDER):
        folder = Path(os.environ[ENV_FOLDER])
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG_NAME, APP_NAME)


def _coerce(value: Any, default: Any) -> Any:
    """QSettings' INI backend returns strings; bring values back to the default's type."""
    if value is None:
        return default
    if isinstance(default, bool):
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "on")
        return bool(value)
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            return default
    if isinstance(default, list):
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else default
    return value


def get(key: str) -> Any:
    default = DEFAULTS.get(key)
    return _coerce(_qsettings().value(key, default), default)


def set(key: str, value: Any) -> None:  # noqa: A001 - mirrors QSettings.setValue
    s = _qsettings()
    if value is None:
        s.remove(key)
    else:
        s.setValue(key, value)
    s.sync()


def dark_theme() -> bool:
    return bool(get("view/dark_theme"))


def set_dark_theme(on: bool) -> None:
    set("view/dark_theme", bool(on))


def recalc_delay_ms() -> int:
    return max(0, int(get("recalc_delay_ms")))


# ---------------------------------------------------------------------- recent files
def recent_files() -> list[str]:
    return [p for p in get("recent_files") if p][:MAX_RECENT]


def add_recent_file(path: str | os.PathLike) -> list[str]:
    p = str(Path(path).resolve())
    files = [p] + [f for f in recent_files() if f != p]
    files = files[:MAX_RECENT]
    set("recent_files", files)
    return files


def remove_recent_file(path: str | os.PathLike) -> list[str]:
    p = str(Path(path).resolve())
    files = [f for f in recent_files() if f != p and f != str(path)]
    set("recent_files", files)
    return files


def clear_recent_files() -> None:
    set("recent_files", [])


def last_folder() -> str:
    folder = get("last_folder")
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def set_last_folder(path: str | os.PathLike) -> None:
    set("last_folder", str(Path(path).resolve().parent if Path(path).suffix else Path(path)))
