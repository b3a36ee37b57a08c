"""Reading articles: `read_articles`, the state of one call (error policy, doc ids seen), dispatch on the extension."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, UsageError
from ..records import Article
from .decode import declared_charset, decode_bytes
from .html import html_parts, looks_like_html
from .ids import check_id, content_id, html_stem_id, stem_id, url_id
from .jsonl import read_json, read_jsonl
from .text import find_dateline, first_line, normalize_date, normalize_text, require_text, split_front_matter
from .walk import list_files, located, read_bytes, shown

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20_000_000
_TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})

ErrorHandler = Callable[[InputError], None]


def read_articles(
    paths: Sequence[str | Path],
    *,
    on_error: ErrorHandler | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_skip: ErrorHandler | None = None,
    default_date: str | None = None,
) -> Iterator[Article]:
    """Yield the articles found in `paths` (files or directories), in order.

    Directories are searched recursively for the supported extensions,
    skipping hidden files and directories; their files are visited sorted by
    path relative to the directory, so the output never depends on the order
    the filesystem lists them in.  A file named explicitly is read whatever
    its extension (unknown extensions are read as text).  The same file
    reached twice (e.g. a directory and a file inside it) is read once.

    Files above `max_bytes` are refused before being read; JSON Lines files
    are streamed, and only a single line above `max_bytes` is refused.

    A directory walk skips FIFOs, sockets and devices, and kgbuild's own
    outputs (recognised by content: the viewer, annotations.jsonl,
    report.jsonl); each skip is passed to `on_skip` (default: logged as a
    warning), never an error.

    `default_date` (YYYY-MM-DD, `kgbuild build --date`) is the publication
    date of every article that has none of its own (no front matter, record
    field, page metadata or dateline gave one).

    Every doc id is checked (ids.check_id): NFC-normalised before the
    duplicate check, refused (InputError) with control characters, lone
    surrogates or a reserved name such as "coref".

    This is a generator: nothing is read, and no error is raised, until it is
    iterated.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # a lone path would otherwise be iterated per character
    if max_bytes <= 0:
        raise UsageError(f"--max-bytes must be positive, not {max_bytes}")
    if default_date is not None:
        day = normalize_date(default_date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", default_date.strip()) else None
        if day is None:
            raise UsageError(f"--date {default_date!r} is not a date: use YYYY-MM-DD")
        default_date = day
    run = _Run(on_error=on_error, max_bytes=max_bytes, on_skip=on_skip or _log_skip, default_date=default_date)
    for path in paths:
        yield from run.read_path(Path(path))


@dataclass
class _Run:
    """State of one read_articles call: error policy and the ids seen so far."""

    on_error: ErrorHandler | None
    max_bytes: int
    on_skip: ErrorHandler
    default_date: str | None = None
    ids: dict[str, str] = field(default_factory=dict)  # doc id -> source
    files: set[str] = field(default_factory=set)  # real paths already read

    def fail(self, err: InputError) -> None:
        """Raise the error, or report it and carry on (--keep-going)."""
        if self.on_error is None:
            raise err
        self.on_error(err)

    def read_path(self, path: Path) -> Iterator[Article]:
        try:
            files, problems, skipped = list_files(path)
        except InputError as err:
            self.fail(err)
            return
        for problem in problems:
            self.fail(problem)
        for skip in skipped:
            self.on_skip(skip)
        for file in files:
            yield from self.read_file(file)

    def read_file(self, path: Path) -> Iterator[Article]:
        real = os.path.realpath(path)
        if real in self.files:
            return
        self.files.add(real)
        try:
            for item in _read_any(path, self.max_bytes):
                if isinstance(item, InputError):
                    self.fail(item)
                    continue
                checked = self._checked(item)
                if checked is not None and self._is_new(checked):
                    yield checked
        except InputError as err:
            self.fail(err)

    def _checked(self, article: Article) -> Article | None:
        """The article with its id checked and NFC (ids.check_id), or None after a failure."""
        try:
            doc_id = check_id(article.doc_id)
        except InputError as err:
            self.fail(InputError(str(err), path=article.source))
            return None
        changes: dict[str, str] = {}
        if doc_id != article.doc_id:
            changes["doc_id"] = doc_id
        if article.date is None and self.default_date is not None:
            changes["date"] = self.default_date
        return dataclasses.replace(article, **changes) if changes else article

    def _is_new(self, article: Article) -> bool:
        """Record the doc id; a second article with the same id is an error."""
        first = self.ids.get(article.doc_id)
        if first is None:
            self.ids[article.doc_id] = article.source
            return True
        self.fail(InputError(f"duplicate doc id {article.doc_id}, also in {first}", path=article.source))
        return False


def _log_skip(err: InputError) -> None:
    log.warning("%s: %s", err.path, err)


def _read_any(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """Dispatch on the extension.

    Yields articles, and InputErrors for bad parts of a multi-article file
    (one JSONL line); raises InputError when the whole file is unusable.
    """
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(path, max_bytes)
    elif suffix == ".json":
        yield from read_json(path, max_bytes)
    elif suffix in _HTML_SUFFIXES:
        yield _read_html_file(path, max_bytes)
    else:
        yield _read_text_file(path, max_bytes)


def _read_text_file(path: Path, max_bytes: int) -> Article:
    source = shown(path)
    with located(source):
        raw = decode_bytes(read_bytes(path, max_bytes))
        if looks_like_html(raw):
            text, title, day, url = html_parts(raw)
        else:
            meta, text = split_front_matter(normalize_text(raw))
            require_text(text)
            title = meta.get("title") or first_line(text)
            day = meta.get("date") or find_dateline(text)
            url = meta.get("url")
        doc_id = stem_id(path) or content_id(text)
        return Article(doc_id=doc_id, text=text, title=title, date=day, url=url, source=source)


def _read_html_file(path: Path, max_bytes: int) -> Article:
    source = shown(path)
    with located(source):
        data = read_bytes(path, max_bytes)
        text, title, day, url = html_parts(decode_bytes(data, declared=declared_charset(data)))
        doc_id = html_stem_id(path) or (url_id(url) if url else content_id(text))
        return Article(doc_id=doc_id, text=text, title=title, date=day, url=url, source=source)
