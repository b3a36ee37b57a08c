"""Finding article files under a path, and reading a file's bytes within the size limit."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".jsonl", ".json")


def shown(path: str | os.PathLike[str]) -> str:
    """A path as text that can be printed and written as UTF-8 JSON.

    A file name that is not UTF-8 reaches Python with lone surrogates
    ("caf\\udce9.txt"), which no UTF-8 output can carry; its undecodable
    bytes are shown as backslash escapes instead ("caf\\xe9.txt").
    """
    text = os.fspath(path)
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def list_files(path: Path) -> tuple[list[Path], list[InputError], list[InputError]]:
    """The article files `path` stands for, in a deterministic order; the
    subdirectories that could not be listed; and what a directory walk
    skipped on purpose (special files, kgbuild's own outputs), with why."""
    where = shown(path)
    if not os.path.lexists(path):
        raise InputError("no such file or directory", path=where)
    if path.is_dir():
        files, problems, skipped = _walk(path)
        if not files and not problems:
            found = "no articles found (looked for .txt, .html, .jsonl)"
            if skipped:
                found += f"; skipped {len(skipped)}: " + "; ".join(f"{e.path}: {e}" for e in skipped[:3])
            raise InputError(found, path=where)
        return files, problems, skipped
    if path.is_file():
        return [path], [], []
    if path.is_symlink():
        raise InputError("broken symbolic link", path=where)
    raise InputError(f"not a regular file or directory ({special_kind(path)})", path=where)


def _walk(root: Path) -> tuple[list[Path], list[InputError], list[InputError]]:
    """Supported, non-hidden files under `root`, sorted by relative path.

    Unreadable subdirectories are reported and skipped.  Symlinks to files
    are read; symlinks to directories are not followed (no cycles).  Never
    read, but returned as skipped with the reason: FIFOs, sockets and
    devices (opening a FIFO would block the build for ever), and the files
    kgbuild itself writes (its viewer graph.html, annotations.jsonl and
    report.jsonl, recognised by their content, whatever their names: an
    --out directory inside an input directory is not read back as articles).
    """
    found: list[tuple[tuple[str, ...], Path]] = []
    problems: list[InputError] = []
    skipped: list[InputError] = []

    def on_walk_error(exc: OSError) -> None:
        where = exc.filename or str(root)
        problems.append(InputError(f"cannot list directory: {os_reason(exc)}", path=shown(where)))

    for directory, dirnames, filenames in os.walk(root, onerror=on_walk_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or not name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            file = Path(directory, name)
            reason = _skip_reason(file)
            if reason is not None:
                skipped.append(InputError(f"skipped: {reason}", path=shown(file)))
                continue
            found.append((file.relative_to(root).parts, file))
    return [file for _, file in sorted(found)], sorted(problems, key=str), sorted(skipped, key=lambda e: e.path or "")


def _skip_reason(file: Path) -> str | None:
    """Why a file found in a directory is not read, or None to read it."""
    try:
        mode = os.stat(file).st_mode
    except OSError:
        return None  # a broken link or a vanished file: reading it reports the error
    if not stat.S_ISREG(mode):
        return f"not a regular file ({special_kind(file)})"
    if is_kgbuild_output(file):
        return "written by kgbuild (an output of an earlier build), not an article"
    return None


def special_kind(path: Path) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "unreadable"
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return kind
    return "a special file"


# What kgbuild's own outputs start with.  The viewer declares itself in a
# <meta name="generator">; annotations.jsonl and report.jsonl are JSON Lines
# with sorted keys, so their first keys are fixed (kgbuild.run.annotations,
# kgbuild.run.build._report_text).
_OUTPUT_HEAD = 4096
_VIEWER = re.compile(rb"""<meta\s+name=["']?generator["']?\s+content=["']?kgbuild["'\s>]""", re.IGNORECASE)
_JSON_STR = rb'"(?:[^"\\]|\\.)*"'
_ANNOTATIONS = re.compile(rb'\{"date": (?:null|' + _JSON_STR + rb'), "doc_id": ' + _JSON_STR + rb', "entities": \[')
_REPORT = re.compile(rb'\{"reason": ' + _JSON_STR + rb', "source": ' + _JSON_STR + rb', "stage": ' + _JSON_STR + rb"\}")


def is_kgbuild_output(file: Path) -> bool:
    """Is `file` an output of kgbuild (viewer, annotations, report), judged by its first bytes?"""
    suffix = file.suffix.lower()
    if suffix not in (".html", ".htm", ".jsonl"):
        return False
    try:
        with open(file, "rb") as f:
            head = f.read(_OUTPUT_HEAD)
    except OSError:
        return False
    if suffix == ".jsonl":
        return bool(_ANNOTATIONS.match(head) or _REPORT.match(head))
    return bool(_VIEWER.search(head))


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The whole file, refusing oversized files before reading them."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block here for ever, a device never end
            raise InputError(f"not a regular file ({special_kind(path)})")
        size = st.st_size
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
