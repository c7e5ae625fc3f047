"""Reading and writing design files: strict JSON, validation, atomic save."""
from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import tempfile
from pathlib import Path

from .design import Design, DesignError, design_from_dict, design_to_dict

# The limits a design file lives within, the same on load, edit and save (what the app
# writes it can read back): at most MAX_LAYERS unit-cell layers (core.design, checked by
# validate() on load and save and by the document on every insert) and at most
# MAX_FILE_BYTES as a file (checked on load, and on save before anything is written).
# A unit cell at the layer limit is about 1 MB as a file; the size limit leaves room for
# long notes and labels and a design-local material library.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_FILE_MB = MAX_FILE_BYTES // (1024 * 1024)


class NotARegularFile(OSError):
    """A device, pipe, socket or folder where a file was expected."""


class FileTooLarge(OSError):
    """A file over the size limit (found while reading: a size of 0 is not trusted)."""


def read_regular_file(path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Devices (/dev/zero), named
    pipes and sockets are refused before anything is read (opened non-blocking, so a pipe
    with no writer cannot hang), and reading stops at `limit` + 1 bytes whatever size the
    file system reports. Raises NotARegularFile, FileTooLarge or another OSError."""
    path = os.fspath(path)
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", path)
        if not stat.S_ISREG(st.st_mode):
            raise NotARegularFile(errno.EINVAL, "is not a regular file (a device, pipe or socket)", path)
        if st.st_size > limit:
            raise FileTooLarge(errno.EFBIG, f"larger than {limit:,} bytes", path)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(errno.EFBIG, f"larger than {limit:,} bytes", path)
        return b"".join(chunks)
    finally:
        os.close(fd)


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
        raw = read_regular_file(path, MAX_FILE_BYTES)
    except FileTooLarge:
        raise DesignError(f"{path.name}: too large for a design file (at most {MAX_FILE_MB} MB)") from None
    except NotARegularFile:
        raise DesignError(f"{path}: is not a regular file (a device, pipe or socket); "
                          f"a design file is a regular file") from None
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


_SURROGATE = re.compile("[\ud800-\udfff]")


def design_json(design: Design) -> str:
    """The design-file text. A lone surrogate (valid JSON as an escape, e.g. "\\ud800", but
    not encodable as UTF-8) is written back as its \\uXXXX escape, so such a file saves and
    reads back to the same text."""
    text = json.dumps(design_to_dict(design), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    # a surrogate can only stand inside a JSON string, where its escape means the same
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def display_text(text: str) -> str:
    """Text safe to print or draw: a lone surrogate becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


@contextlib.contextmanager
def atomic_replace(path, sync: bool = True):
    """Yield a temporary path beside `path` to write the new file to; when the block ends
    without an error it gets the permissions the target has (a new file: 0666 less the umask,
    not mkstemp's private 0600) and replaces the target in one os.replace, so a crash at any
    moment leaves either the old file or the new one. On an error the temporary file goes.
    `sync`: fsync the new file before the rename (and the folder after it), so a power
    loss cannot leave an empty target either."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    # errors name the target, never the temporary file beside it
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder; give a file name", str(path))
    if not directory.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"folder {directory} does not exist", str(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise type(e)(e.errno, e.strerror, str(path)) from None
    os.close(fd)
    try:
        yield tmp
        _copy_permissions(path, tmp)
        if sync:  # the new content is on disk before the rename makes it the target (a second
            _fsync_path(tmp)  # fsync after atomic_write_bytes' own costs nothing: nothing is dirty)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and e.errno is not None and e.filename in (tmp, None):
            raise type(e)(e.errno, e.strerror or str(e), str(path)) from None
        raise
    _remove_stale_temps(directory, path.name)
    if not sync:
        return
    try:  # make the rename itself durable where the platform allows it
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _fsync_path(name: str) -> None:
    """fsync a file written by someone else (Qt's QPdfWriter); errors such as ENOSPC raise."""
    fd = os.open(name, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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


def atomic_write_text(path, text: str, sync: bool = True) -> None:
    """Write beside the target, flush and fsync, then os.replace: a crash leaves the old file."""
    atomic_write_bytes(path, text.encode("utf-8"), sync)


def atomic_write_bytes(path, data: bytes, sync: bool = True) -> None:
    """Write beside the target, flush and fsync, then os.replace: a crash leaves the old
    file, and a short write (a full disk) raises and leaves the old file too. `sync=False`
    (autosave between periodic durable writes) skips the fsync calls only."""
    with atomic_replace(path, sync) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        if os.path.getsize(tmp) != len(data):  # pragma: no cover - a file system that lies
            raise OSError(errno.EIO, f"wrote {os.path.getsize(tmp)} of {len(data)} bytes", str(path))


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
    data = design_json(design).encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise DesignError(f"design: {len(data) / 2**20:.1f} MB as a file, more than the {MAX_FILE_MB} MB a "
                          f"design file may hold (it could not be opened again); shorten the notes "
                          f"or labels, or remove layers or materials")
    atomic_write_bytes(path, data)
