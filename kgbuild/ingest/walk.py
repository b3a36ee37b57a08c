"""Finding article files under a path, and reading a file's bytes within the size limit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".jsonl", ".json")


def list_files(path: Path) -> tuple[list[Path], list[InputError]]:
    """The article files `path` stands for, in a deterministic order, and
    the subdirectories that could not be listed."""
    if not os.path.lexists(path):
        raise InputError("no such file or directory", path=str(path))
    if path.is_dir():
        files, problems = _walk(path)
        if not files and not problems:
            raise InputError("no articles found (looked for .txt, .html, .jsonl)", path=str(path))
        return files, problems
    if path.is_file():
        return [path], []
    if path.is_symlink():
        raise InputError("broken symbolic link", path=str(path))
    raise InputError("not a regular file or directory", path=str(path))


def _walk(root: Path) -> tuple[list[Path], list[InputError]]:
    """Supported, non-hidden files under `root`, sorted by relative path.

    Unreadable subdirectories are reported and skipped.  Symlinks to files
    are read; symlinks to directories are not followed (no cycles).
    """
    found: list[tuple[tuple[str, ...], Path]] = []
    problems: list[InputError] = []

    def on_walk_error(exc: OSError) -> None:
        where = exc.filename or str(root)
        problems.append(InputError(f"cannot list directory: {os_reason(exc)}", path=str(where)))

    for directory, dirnames, filenames in os.walk(root, onerror=on_walk_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or not name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            file = Path(directory, name)
            found.append((file.relative_to(root).parts, file))
    return [file for _, file in sorted(found)], sorted(problems, key=str)


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The whole file, refusing oversized files before reading them."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise InputError(too_big("file", size, max_bytes))
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(os_reason(exc)) from exc
    if len(data) > max_bytes:  # grew since stat, or st_size is meaningless
        raise InputError(too_big("file", len(data), max_bytes))
    return data


def too_big(what: str, size: int, limit: int) -> str:
    return f"{what} is {_human_size(size)}, above the {_human_size(limit)} limit (--max-bytes)"


def _human_size(n: int) -> str:
    """Decimal units, as the default limit is 20_000_000 = "20 MB"."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


@contextmanager
def located(source: str) -> Iterator[None]:
    """Give the InputErrors raised inside (which have no path yet) `source`."""
    try:
        yield
    except InputError as err:
        if err.path is not None:
            raise
        raise InputError(str(err), path=source) from err.__cause__


def os_reason(exc: OSError) -> str:
    """A one-line, lower-case reason for an OS error (no errno noise)."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied (not readable)"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {(exc.strerror or str(exc)).lower()}"
