"""Atomic file writes: readers see the old file or the new one, never half.

kgbuild rewrites its outputs (graph files, annotations.jsonl, the viewer) on
every run.  Writing them in place would leave a truncated file behind when the
process is interrupted or a serializer raises halfway, so every output goes
to a temporary file in the same directory (same filesystem, so the final
rename is atomic), is fsynced, and then replaces the target with os.replace.
On any exception the temporary file is removed and the old file is untouched.

Failures of these file operations raise OutputError (CLI exit code 5);
exceptions raised by the caller's own code inside `atomic_open` propagate
unchanged.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from ..errors import OutputError

__all__ = ["atomic_open", "atomic_write"]


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Replace `path` with `data` atomically (str is written as UTF-8)."""
    if isinstance(data, str):
        with atomic_open(path, "w") as f:
            f.write(data)
    elif isinstance(data, (bytes, bytearray, memoryview)):
        with atomic_open(path, "wb") as f:
            f.write(data)
    else:
        raise TypeError(f"atomic_write needs str or bytes, not {type(data).__name__}")


@contextmanager
def atomic_open(
    path: str | os.PathLike[str], mode: str = "w", *, encoding: str = "utf-8"
) -> Iterator[IO[Any]]:
    """Open a temporary file that replaces `path` when the block exits cleanly.

    mode is "w" (text, `encoding`, newlines written as given: no "\\r\\n"
    translation, so outputs are identical on every platform) or "wb".
    If the block raises, the temporary file is deleted and `path` keeps its
    old content.  A symlink at `path` is followed, so the link survives.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open mode must be 'w' or 'wb', not {mode!r}")
    target = _resolve(Path(path))
    tmp = None
    # A Ctrl-C between creating the temp file and entering `try` would leave
    # it behind: hold SIGINT/SIGTERM until we are inside, then let any pending
    # one arrive there, where the cleanup below runs.
    mask = _hold_interrupts()
    try:
        fd, tmp = _make_temp(target)
        _release_interrupts(mask)
        if mode == "w":
            f = os.fdopen(fd, "w", encoding=encoding, newline="")
        else:
            f = os.fdopen(fd, "wb")
        with f:
            yield f
            _sync(f, target)
        _commit(tmp, target)
    except BaseException:
        _release_interrupts(mask)
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)
        raise
    _sync_directory(target.parent)


_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


def _hold_interrupts():
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)


def _release_interrupts(mask) -> None:
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _resolve(path: Path) -> Path:
    """Follow a symlink so that os.replace updates the file, not the link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _make_temp(target: Path) -> tuple[int, str]:
    """A hidden temp file next to the target: same filesystem, so rename is atomic."""
    try:
        return tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write: {_reason(exc)}", path=str(target)) from exc


def _sync(f: IO[Any], target: Path) -> None:
    """Flush Python and OS buffers so the data is on disk before the rename."""
    try:
        f.flush()
        os.fsync(f.fileno())
    except OSError as exc:
        raise OutputError(f"cannot write: {_reason(exc)}", path=str(target)) from exc


def _commit(tmp: str, target: Path) -> None:
    """Give the temp file the target's permissions and move it into place."""
    try:
        os.chmod(tmp, _file_mode(target))
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write: {_reason(exc)}", path=str(target)) from exc


def _file_mode(target: Path) -> int:
    """Keep an existing file's mode; new files get the usual 0o666 & ~umask.

    mkstemp creates files with mode 0o600, which would make outputs unreadable
    to other users (e.g. a web server serving graph.html).
    """
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it where the OS allows."""
    with suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o022)  # no read-only API elsewhere: set and restore
    os.umask(mask)
    return mask


def _sync_directory(directory: Path) -> None:
    """Persist the rename itself (best effort; not possible on every OS)."""
    with suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
