"""Atomic file writes: readers see the old file or the new one, never half.

kgbuild rewrites its outputs (graph files, annotations.jsonl, the viewer) on
every run.  Writing them in place would leave a truncated file behind when the
process is interrupted or a serializer raises halfway, so every output goes
to a temporary file in the same directory (same filesystem, so the final
rename is atomic), is fsynced, and then replaces the target with os.replace.
On any exception the temporary file is removed and the old file is untouched.

A build writes several files that must agree (graph.ttl, graph.nq,
annotations.jsonl, graph.html): `OutputSet` stages them all as temporary
files and moves them into place together only once every one is written, so
a failure part-way (disk full, an unwritable file, Ctrl-C, SIGTERM) leaves
the previous set whole.  Targets that are not regular files (a FIFO, a
device such as /dev/null) are refused, never replaced by a file.

Failures of these file operations raise OutputError (CLI exit code 5);
exceptions raised by the caller's own code inside `atomic_open` propagate
unchanged.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from ..errors import OutputError

__all__ = ["OutputSet", "atomic_open", "atomic_write"]


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
def atomic_open(path: str | os.PathLike[str], mode: str = "w", *, encoding: str = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file that replaces `path` when the block exits cleanly.

    mode is "w" (text, `encoding`, newlines written as given: no "\\r\\n"
    translation, so outputs are identical on every platform) or "wb".
    If the block raises, the temporary file is deleted and `path` keeps its
    old content.  A symlink at `path` is followed, so the link survives.
    """
    # One file is a set of one: the staging, interrupt holding and clean-up are OutputSet's.
    with OutputSet() as outputs:
        with outputs.open(path, mode, encoding=encoding) as f:
            yield f
        outputs.commit()


class OutputSet:
    """Files replaced as a set: `open` stages each, `commit` moves all into place, else none.

        with OutputSet() as outputs:
            with outputs.open(out / "graph.ttl") as f: ...
            with outputs.open(out / "graph.nq") as f: ...
            outputs.remove(out / "report.jsonl")
            outputs.commit()

    Leaving the block without `commit` (an exception, an interrupt) deletes
    the staged files; the targets keep their old content.  The renames in
    `commit` run with SIGINT/SIGTERM held, so an interrupt cannot split them.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[str, Path]] = []
        self._removals: list[Path] = []
        self.committed = False

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.discard()

    @contextmanager
    def open(self, path: str | os.PathLike[str], mode: str = "wb", *, encoding: str = "utf-8") -> Iterator[IO[Any]]:
        if mode not in ("w", "wb"):
            raise ValueError(f"mode must be 'w' or 'wb', not {mode!r}")
        target = _resolve(Path(path))
        check_regular(target)
        mask = _hold_interrupts()
        try:
            fd, tmp = _make_temp(target)
            self._staged.append((tmp, target))  # from here on, discard() removes it
        finally:
            _release_interrupts(mask)
        f: IO[Any] = os.fdopen(fd, "w", encoding=encoding, newline="") if mode == "w" else os.fdopen(fd, "wb")
        with f:
            yield f
            _sync(f, target)

    def remove(self, path: str | os.PathLike[str]) -> None:
        """Delete `path` at commit (e.g. a stale report), with the rest of the set."""
        self._removals.append(Path(path))

    def commit(self) -> None:
        mask = _hold_interrupts()
        try:
            for tmp, target in self._staged:
                _commit(tmp, target)
            for path in self._removals:
                try:
                    path.unlink(missing_ok=True)
                except OSError as exc:
                    raise OutputError(f"cannot remove: {_reason(exc)}", path=str(path)) from exc
            self.committed = True
        finally:
            _release_interrupts(mask)
        for directory in sorted({target.parent for _, target in self._staged}):
            _sync_directory(directory)

    def discard(self) -> None:
        for tmp, _ in self._staged:
            with suppress(OSError):
                os.unlink(tmp)
        self._staged.clear()


def check_regular(target: Path) -> None:
    """An output must be a regular file or not exist yet: never replace a FIFO or a device."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot write: {_reason(exc)}", path=str(target)) from exc
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device, FIFO or socket)"
        raise OutputError(f"cannot write: the output path is {kind}", path=str(target))


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
