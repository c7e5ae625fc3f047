"""Reading and writing design files: strict JSON, validation, atomic save."""
from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path

from .design import Design, DesignError, design_from_dict, design_to_dict

MAX_FILE_BYTES = 5 * 1024 * 1024


def _reject_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def _no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError(f'key "{k}" appears twice in one object')
        d[k] = v
    return d


def parse_design_text(text: str, source: str = "file") -> Design:
    """Parse design-file text; every refusal is a DesignError with one clear first line."""
    if not text.strip():
        raise DesignError(f"{source}: is empty (expected a JSON design file)")
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except RecursionError:
        raise DesignError(f"{source}: nested too deeply to be a design file") from None
    except json.JSONDecodeError as e:
        raise DesignError(f"{source}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except ValueError as e:
        raise DesignError(f"{source}: not valid JSON ({e})") from None
    try:
        return design_from_dict(data)
    except RecursionError:
        raise DesignError(f"{source}: nested too deeply to be a design file") from None


def load_design(path) -> Design:
    """Load and validate a design file. Raises DesignError naming the field at fault."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DesignError(f"{path.name}: {size / 1e6:.1f} MB is too large for a design file "
                              f"(at most {MAX_FILE_BYTES // (1024 * 1024)} MB)")
        raw = path.read_bytes()
    except DesignError:
        raise
    except FileNotFoundError:
        raise DesignError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DesignError(f"{path}: is a folder, not a design file") from None
    except OSError as e:
        raise DesignError(f"{path}: cannot be read ({e.strerror or e})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DesignError(f"{path.name}: not UTF-8 text (is it a design file?)") from None
    return parse_design_text(text, path.name)


def design_json(design: Design) -> str:
    return json.dumps(design_to_dict(design), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


@contextlib.contextmanager
def atomic_replace(path):
    """Yield a temporary path beside `path` to write the new file to; when the block ends
    without an error it gets the permissions the target has (a new file: 0666 less the umask,
    not mkstemp's private 0600) and replaces the target in one os.replace, so a crash at any
    moment leaves either the old file or the new one. On an error the temporary file goes."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        yield tmp
        _copy_permissions(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _remove_stale_temps(directory, path.name)
    try:  # make the rename itself durable where the platform allows it
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _copy_permissions(target: Path, tmp: str) -> None:
    if os.name != "posix":
        return
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    try:
        os.chmod(tmp, mode)
    except OSError:
        pass


def atomic_write_text(path, text: str) -> None:
    """Write beside the target, flush and fsync, then os.replace: a crash leaves the old file."""
    with atomic_replace(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())


def _remove_stale_temps(directory: Path, name: str, min_age_s: float = 60.0) -> None:
    """Temp files left by a save that was killed mid-write (never a live one: age check)."""
    import time
    now = time.time()
    for tmp in directory.glob(f".{name}.*.tmp"):
        try:
            if now - tmp.stat().st_mtime > min_age_s:
                tmp.unlink()
        except OSError:
            pass


def save_design(design: Design, path) -> None:
    """Validate, then save atomically. An invalid design is refused before anything is written."""
    from .design import check
    check(design)
    atomic_write_text(path, design_json(design))
