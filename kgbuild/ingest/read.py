"""Reading articles: `read_articles`, the state of one call (error policy, doc ids seen), dispatch on the extension."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, UsageError
from ..records import Article
from .decode import declared_charset, decode_bytes
from .html import html_parts, looks_like_html
from .ids import content_id, stem_id, url_id
from .jsonl import read_json, read_jsonl
from .text import find_dateline, first_line, normalize_text, require_text
from .walk import list_files, located, read_bytes

DEFAULT_MAX_BYTES = 20_000_000
_TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})

ErrorHandler = Callable[[InputError], None]


def read_articles(
    paths: Sequence[str | Path],
    *,
    on_error: ErrorHandler | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
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

    This is a generator: nothing is read, and no error is raised, until it is
    iterated.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # a lone path would otherwise be iterated per character
    if max_bytes <= 0:
        raise UsageError(f"--max-bytes must be positive, not {max_bytes}")
    run = _Run(on_error=on_error, max_bytes=max_bytes)
    for path in paths:
        yield from run.read_path(Path(path))


@dataclass
class _Run:
    """State of one read_articles call: error policy and the ids seen so far."""

    on_error: ErrorHandler | None
    max_bytes: int
    ids: dict[str, str] = field(default_factory=dict)  # doc id -> source
    files: set[str] = field(default_factory=set)  # real paths already read

    def fail(self, err: InputError) -> None:
        """Raise the error, or report it and carry on (--keep-going)."""
        if self.on_error is None:
            raise err
        self.on_error(err)

    def read_path(self, path: Path) -> Iterator[Article]:
        try:
            files, problems = list_files(path)
        except InputError as err:
            self.fail(err)
            return
        for problem in problems:
            self.fail(problem)
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
                elif self._is_new(item):
                    yield item
        except InputError as err:
            self.fail(err)

    def _is_new(self, article: Article) -> bool:
        """Record the doc id; a second article with the same id is an error."""
        first = self.ids.get(article.doc_id)
        if first is None:
            self.ids[article.doc_id] = article.source
            return True
        self.fail(InputError(f"duplicate doc id {article.doc_id}, also in {first}", path=article.source))
        return False


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
    source = str(path)
    with located(source):
        raw = decode_bytes(read_bytes(path, max_bytes))
        if looks_like_html(raw):
            text, title, day, url = html_parts(raw)
        else:
            text = normalize_text(raw)
            require_text(text)
            title, day, url = first_line(text), find_dateline(text), None
        doc_id = stem_id(path) or content_id(text)
        return Article(doc_id=doc_id, text=text, title=title, date=day, url=url, source=source)


def _read_html_file(path: Path, max_bytes: int) -> Article:
    source = str(path)
    with located(source):
        data = read_bytes(path, max_bytes)
        text, title, day, url = html_parts(decode_bytes(data, declared=declared_charset(data)))
        doc_id = url_id(url) if url else content_id(text)
        return Article(doc_id=doc_id, text=text, title=title, date=day, url=url, source=source)
