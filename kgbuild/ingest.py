"""Ingest: the only place kgbuild reads articles from disk.

`read_articles` turns files and directories into `Article` records.  Whatever
it yields is final: `Article.text` is the exact string every later stage
indexes into, so all decoding and normalisation happens here and nowhere else.

Formats (chosen by file extension):
    .txt .text .md   plain text, one article per file (HTML inside a .txt is
                     detected and treated as HTML)
    .html .htm       a saved web page, one article per file
    .jsonl           JSON Lines, one article object per line (streamed)
    .json            one article object, or an array of them

An article object has "text" and optionally "doc_id" (or "id"), "title",
"date", "url"; other keys are ignored, so the shared gold evaluation format
(doc_id, text, meta, entities, events) reads as is.

Text: text and HTML files are decoded (BOM, UTF-8, legacy guess; binary
files refused) and normalised by `normalize_text` ("\\n" line breaks, control
characters dropped, NFC).  JSON texts are only sanitised in place (control
characters become spaces, a lone CR becomes LF, no NFC): records often carry
annotations, and their offsets must stay valid for the text as given.

Doc ids (they become IRIs and keys in annotations.jsonl, so they must be
stable across runs):
    * JSON: an explicit "doc_id"/"id" is kept as is (it must be a non-empty
      string), else "u" + sha256(url)[:16], else sha256(text)[:16].
    * Text files: the file stem when it is a safe id (letters, digits, "_",
      "-", "." and at most 64 characters, starting with a letter or digit),
      because users name their articles and expect to see those names in the
      graph; otherwise the content hash.  Renaming a file therefore changes
      its id; content-named ids would be stable under renaming but unreadable.
    * HTML pages: "u" + sha256(canonical url)[:16] when the page declares its
      URL, else the content hash.  Saved pages are often called index.html,
      so their file names are not used.
The content hash is sha256 of the NFC text, first 16 hex digits.

Errors are InputError (exit code 3) with the path (and ":line" for JSONL) in
the message.  Without `on_error` the first one is raised; with it, each one
is passed to `on_error` and reading goes on with the next input (--keep-going).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from .errors import InputError, UsageError
from .records import Article

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "decode_bytes",
    "find_dateline",
    "normalize_text",
    "read_articles",
]

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".jsonl", ".json")
DEFAULT_MAX_BYTES = 20_000_000

_TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})

ErrorHandler = Callable[[InputError], None]


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


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
            files, problems = _list_files(path)
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


# --------------------------------------------------------------------------
# Finding files
# --------------------------------------------------------------------------


def _list_files(path: Path) -> tuple[list[Path], list[InputError]]:
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
        problems.append(InputError(f"cannot list directory: {_os_reason(exc)}", path=str(where)))

    for directory, dirnames, filenames in os.walk(root, onerror=on_walk_error):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or not name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            file = Path(directory, name)
            found.append((file.relative_to(root).parts, file))
    return [file for _, file in sorted(found)], sorted(problems, key=str)


# --------------------------------------------------------------------------
# Reading one file
# --------------------------------------------------------------------------


def _read_any(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """Dispatch on the extension.

    Yields articles, and InputErrors for bad parts of a multi-article file
    (one JSONL line); raises InputError when the whole file is unusable.
    """
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, max_bytes)
    elif suffix == ".json":
        yield from _read_json(path, max_bytes)
    elif suffix in _HTML_SUFFIXES:
        yield _read_html_file(path, max_bytes)
    else:
        yield _read_text_file(path, max_bytes)


def _read_text_file(path: Path, max_bytes: int) -> Article:
    source = str(path)
    with _located(source):
        raw = decode_bytes(_read_bytes(path, max_bytes))
        if _looks_like_html(raw):
            text, title, day, url = _html_parts(raw)
        else:
            text = normalize_text(raw)
            _require_text(text)
            title, day, url = _first_line(text), find_dateline(text), None
        doc_id = _stem_id(path) or _content_id(text)
        return Article(doc_id=doc_id, text=text, title=title, date=day, url=url, source=source)


def _read_html_file(path: Path, max_bytes: int) -> Article:
    source = str(path)
    with _located(source):
        data = _read_bytes(path, max_bytes)
        text, title, day, url = _html_parts(decode_bytes(data, declared=_declared_charset(data)))
        doc_id = _url_id(url) if url else _content_id(text)
        return Article(doc_id=doc_id, text=text, title=title, date=day, url=url, source=source)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The whole file, refusing oversized files before reading them."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise InputError(_too_big("file", size, max_bytes))
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(_os_reason(exc)) from exc
    if len(data) > max_bytes:  # grew since stat, or st_size is meaningless
        raise InputError(_too_big("file", len(data), max_bytes))
    return data


def _too_big(what: str, size: int, limit: int) -> str:
    return f"{what} is {_human_size(size)}, above the {_human_size(limit)} limit (--max-bytes)"


def _human_size(n: int) -> str:
    """Decimal units, as the default limit is 20_000_000 = "20 MB"."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


@contextmanager
def _located(source: str) -> Iterator[None]:
    """Give the InputErrors raised inside (which have no path yet) `source`."""
    try:
        yield
    except InputError as err:
        if err.path is not None:
            raise
        raise InputError(str(err), path=source) from err.__cause__


def _os_reason(exc: OSError) -> str:
    """A one-line, lower-case reason for an OS error (no errno noise)."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied (not readable)"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {(exc.strerror or str(exc)).lower()}"


# --------------------------------------------------------------------------
# Decoding bytes to text
# --------------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its LE mark starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)

_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"PK\x07\x08", "ZIP"),
    (b"\x1f\x8b", "GZIP"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\xfd7zXZ\x00", "XZ"),
    (b"7z\xbc\xaf\x27\x1c", "7Z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\x28\xb5\x2f\xfd", "ZSTD"),
    (b"\x7fELF", "ELF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office"),
    (b"SQLite format 3\x00", "SQLite"),
)

# Single-byte EBCDIC code pages: never used for news, but short Latin texts
# sometimes "fit" them better than cp1252 in charset-normalizer's scoring.
_EBCDIC = ["cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"]

# Characters of a cp1252 decoding that are plausible in Western text.
_WESTERN_PUNCTUATION = frozenset("\u00a0‘’‚“”„–—…•€™«»°£¥¢©®§·×¡¿")

_SNIFF_BYTES = 8192
_MAX_CONTROL_RATIO = 0.1


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode an article file's bytes, or raise InputError if it is not text.

    Order: byte-order mark (UTF-8/16/32); binary signatures (PDF, PNG, ZIP,
    GZIP ...); NUL bytes (BOM-less UTF-16 is recognised, anything else is
    binary); strict UTF-8; the `declared` charset (from an HTML <meta>);
    then a guess for legacy encodings (cp1252, latin-1, cp1251 ...) with
    charset-normalizer.  A decoded text that is mostly control characters
    is binary too.  The result is not yet normalised (see normalize_text).
    """
    text = _decode_with_bom(data)
    if text is None:
        _reject_binary_signature(data)
        text = _decode_with_nul(data) if b"\x00" in data else _decode_unmarked(data, declared)
    _reject_control_heavy(text)
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {name} despite its byte-order mark (byte {exc.start + len(bom)})") from None
    return None


def _reject_binary_signature(data: bytes) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary file ({kind}) is not an article")


def _decode_with_nul(data: bytes) -> str:
    """NUL bytes mean binary, unless the file is UTF-16 without a mark.

    Mostly-ASCII UTF-16 has a NUL in every other byte (the odd ones for
    little-endian, the even ones for big-endian) and almost none elsewhere.
    """
    sample = data[:_SNIFF_BYTES]
    half = len(sample) // 2
    if len(data) % 2 == 0 and half >= 2:
        even_nuls = sample[0::2].count(0) / half
        odd_nuls = sample[1::2].count(0) / half
        codec = None
        if odd_nuls > 0.9 and even_nuls < 0.1:
            codec = "utf-16-le"
        elif even_nuls > 0.9 and odd_nuls < 0.1:
            codec = "utf-16-be"
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
    raise InputError("binary file (NUL bytes) is not an article")


def _decode_unmarked(data: bytes, declared: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return _decode_legacy(data)


def _decode_legacy(data: bytes) -> str:
    """Guess a legacy single/multi-byte encoding, leaning to cp1252.

    charset-normalizer is right for long texts, but for Western text it
    often ties cp1252 with cp1250/cp1257 and picks the wrong one ("naďve"),
    and for a short line with one smart quote it may even pick a CJK code
    page.  So cp1252 wins ties, and when the detector found no language
    evidence at all, a cp1252 decoding that looks like Western text wins.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_exclusion=_EBCDIC))
    cp1252 = _cp1252_or_none(data)
    if not matches:
        if cp1252 is not None and _looks_western(cp1252):
            return cp1252
        raise InputError("cannot decode: not UTF-8 and no known encoding fits")
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    for m in matches:
        if "cp1252" in m.could_be_from_charset and m.chaos <= best.chaos and m.coherence >= best.coherence:
            return str(m)
    if best.coherence == 0 and cp1252 is not None and _looks_western(cp1252):
        return cp1252
    return str(best)


def _cp1252_or_none(data: bytes) -> str | None:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _looks_western(text: str) -> bool:
    """Few non-ASCII characters, all Latin letters or common punctuation."""
    letters = [c for c in text if c.isalpha()]
    foreign = [c for c in text if ord(c) > 127]
    if letters and sum(ord(c) > 127 for c in letters) > 0.3 * len(letters):
        return False  # Cyrillic/Greek read as cp1252: nearly every letter is accented
    return all(c in _WESTERN_PUNCTUATION or (c.isalpha() and "LATIN" in unicodedata.name(c, "")) for c in foreign)


def _reject_control_heavy(text: str) -> None:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return
    controls = sum(1 for c in sample if c not in "\t\n\r\f\v" and unicodedata.category(c) == "Cc")
    if controls > _MAX_CONTROL_RATIO * len(sample):
        raise InputError("binary file (control characters) is not an article")


_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares, for when it is not UTF-8.

    Per the WHATWG encoding standard, latin-1 and ASCII labels mean cp1252.
    """
    found = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if not found:
        return None
    label = found.group(1).decode("ascii").lower()
    if label in {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}:
        return "cp1252"
    return label


# --------------------------------------------------------------------------
# Normalising text
# --------------------------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n?|[\v\f\x85]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalize_text(text: str) -> str:
    """The canonical form of a text article: what all offsets refer to.

    Line breaks become "\\n" (CRLF, CR, and the form feed / vertical tab /
    NEL breaks), other control characters (C0, DEL, C1) are dropped except
    "\\t", and the result is NFC.  Nothing else changes: right-to-left text,
    combining marks, zero-width characters and whitespace are kept.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


def _sanitize_keeping_offsets(text: str) -> str:
    """Make JSON text safe without moving a single character.

    JSON records often carry annotations (the gold format does) whose offsets
    refer to the text as given, so here nothing is inserted or removed and
    no NFC is applied: a CR before LF and other control characters become
    spaces, a lone CR becomes LF.  A lone surrogate (JSON's "\\ud800" escape
    decodes to one) is not Unicode and no RDF syntax can carry it: it becomes
    U+FFFD, one character for one, so offsets stay valid.
    """
    text = _SURROGATES.sub("\ufffd", text)
    text = re.sub("\r(?!\n)", "\n", text)
    return _CONTROLS.sub(" ", text.replace("\r\n", " \n"))


_SURROGATES = re.compile("[\ud800-\udfff]")


def _require_text(text: str) -> None:
    if not text.strip():
        raise InputError("empty file")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


# --------------------------------------------------------------------------
# Datelines
# --------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_SP = r"[^\S\n]+"  # blanks, but a date never spans lines
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})(?!\d)"
_DATE_PATTERNS = (
    re.compile(rf"(?<!\d){_DAY}{_SP}(?:of{_SP})?{_MONTH},?{_SP}{_YEAR}", re.IGNORECASE),  # 30 August, 2017
    re.compile(rf"\b{_MONTH}{_SP}{_DAY},?{_SP}{_YEAR}", re.IGNORECASE),  # Aug. 30, 2017
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"),  # 2017-08-30
)
_DATELINE_LINES = 15
_DATELINE_CHARS = 1500


def find_dateline(text: str) -> str | None:
    """The publication date from a dateline near the top, as "YYYY-MM-DD".

    Looks at the first 15 lines (at most 1500 characters) for the earliest
    "30 August, 2017", "30 August 2017", "August 30, 2017", "Aug. 30, 2017",
    "2017-08-30" or "Wednesday 30 August 2017"; impossible dates are skipped.
    Deliberately limited to the top: dates further down are event dates.
    """
    head = "\n".join(text.split("\n", _DATELINE_LINES)[:_DATELINE_LINES])[:_DATELINE_CHARS]
    found: list[tuple[int, str]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(head):
            iso = _iso_date(m.group("year"), m.group("month"), m.group("day"))
            if iso:
                found.append((m.start(), iso))
                break
    return min(found)[1] if found else None


def _iso_date(year: str, month: str, day: str) -> str | None:
    number = int(month) if month.isdigit() else _MONTHS[month.lower()]
    try:
        return date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


def _normalize_date(value: str) -> str | None:
    """A record's date field as YYYY-MM-DD ("2017-08-30T10:00Z" included)."""
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})(?!\d)", value)
    if m:
        return _iso_date(*m.groups())
    return find_dateline(value)


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------

_NEVER_TEXT = ("script", "style", "noscript", "template")
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    return head.startswith(("<!doctype", "<html")) or (head.startswith("<?xml") and "<html" in head)


def _html_parts(html: str) -> tuple[str, str, str | None, str | None]:
    """(text, title, date, url) of a web page; InputError if it has no text.

    The main text comes from trafilatura, run on a tree from which script,
    style, noscript and template elements were removed first, so their
    content can never leak into the text.  Metadata (title, date, canonical
    url) comes from the untouched page, as it often lives in JSON-LD.
    """
    html = _XML_DECLARATION.sub("", normalize_text(html))
    tree = _parse_html(html)
    if tree is None:
        raise InputError("no text in HTML")
    _drop_never_text(tree)
    text = normalize_text(_trafilatura_text(tree) or _plain_text(tree)).strip("\n")
    if not text.strip():
        raise InputError("no text in HTML")
    title, day, url = _html_metadata(html)
    title = title or _html_title(tree) or _first_line(text)
    return text, title, day or find_dateline(text), url


def _parse_html(html: str) -> Any:
    import lxml.etree
    import lxml.html

    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None


def _drop_never_text(tree: Any) -> None:
    import lxml.etree

    doomed = [el for el in tree.iter(*_NEVER_TEXT, lxml.etree.Comment, lxml.etree.ProcessingInstruction)]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text that follows the element


def _trafilatura_text(tree: Any) -> str:
    """The article body as trafilatura sees it ("" when it finds none)."""
    import trafilatura

    try:
        text = trafilatura.extract(copy.deepcopy(tree), include_comments=False, favor_recall=True)
    except Exception:  # a third-party parser bug must not stop the run: fall back
        return ""
    return text or ""


def _plain_text(tree: Any) -> str:
    """Fallback: all text of <body>, one line per block element."""
    body = tree.find(".//body")
    if body is None:
        return ""
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in body.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _html_metadata(html: str) -> tuple[str | None, str | None, str | None]:
    """(title, date, url) from trafilatura's metadata, None where unknown.

    Date search is not "extensive": that mode turns a "© 2015" footer into
    a publication date of 2015-01-01.
    """
    import trafilatura

    tree = _parse_html(html)
    if tree is None:
        return None, None, None
    try:
        meta = trafilatura.extract_metadata(tree, extensive=False)
    except Exception:  # metadata is optional; a parser bug must not lose the article
        return None, None, None
    title = _clean_field(meta.title)
    day = _normalize_date(meta.date) if meta.date else None
    url = _clean_field(meta.url)
    return title, day, url


def _html_title(tree: Any) -> str:
    for xpath in ("//title", "//h1"):
        for el in tree.xpath(xpath):
            text = " ".join(el.text_content().split())
            if text:
                return text
    return ""


def _clean_field(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(normalize_text(_SURROGATES.sub("\ufffd", value)).split())
    return value or None


# --------------------------------------------------------------------------
# JSON and JSON Lines
# --------------------------------------------------------------------------


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """One article per line, streamed: memory is bounded by one line.

    Bad lines are yielded as InputErrors naming "file:line"; a file that is
    binary, not UTF-8, or has no article line at all raises.
    """
    source = str(path)
    seen_any = False
    with _located(source):
        with _open_binary(path) as f:
            _check_json_lines_start(f)
            for lineno, line in _lines(f, max_bytes):
                where = f"{source}:{lineno}"
                if isinstance(line, int):
                    seen_any = True
                    yield InputError(_too_big("line", line, max_bytes), path=where)
                    continue
                if not line.strip():
                    continue
                seen_any = True
                try:
                    yield _record_article(_parse_json_line(line), where)
                except InputError as err:
                    yield InputError(str(err), path=where)
        if not seen_any:
            raise InputError("empty file")


def _open_binary(path: Path) -> IO[bytes]:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InputError(_os_reason(exc)) from exc


def _check_json_lines_start(f: IO[bytes]) -> None:
    """Refuse binary files and non-UTF-8 byte-order marks; skip a UTF-8 BOM."""
    head = f.read(_SNIFF_BYTES)
    _reject_binary_signature(head)
    for bom, _codec, name in _BOMS:
        if head.startswith(bom) and name != "UTF-8":
            raise InputError(f"JSON Lines must be UTF-8, not {name}")
    if b"\x00" in head:
        raise InputError("binary file (NUL bytes) is not an article")
    f.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)


def _lines(f: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | int]]:
    """(line number, line bytes), or (line number, size) for an oversized line."""
    lineno = 0
    while True:
        line = f.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            yield lineno, len(line) + _skip_rest_of_line(f)
        else:
            yield lineno, line


def _skip_rest_of_line(f: IO[bytes]) -> int:
    """Read past the end of an oversized line; its remaining size (no newline)."""
    skipped = 0
    while True:
        chunk = f.readline(1 << 20)
        if not chunk:
            return skipped
        if chunk.endswith(b"\n"):
            return skipped + len(chunk) - 1
        skipped += len(chunk)


def _parse_json_line(line: bytes) -> Any:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start + 1} of the line)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # huge integers, absurd nesting
        raise InputError(f"invalid JSON: {exc}") from None


def _read_json(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """A single article object, or an array of them ("file.json[3]")."""
    source = str(path)
    with _located(source):
        data = _read_bytes(path, max_bytes)
        if not data.strip():
            raise InputError("empty file")
        _reject_binary_signature(data)
        try:
            value = json.loads(data)  # detects UTF-8/16/32 and skips a UTF-8 BOM
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
        except (ValueError, RecursionError) as exc:
            raise InputError(f"invalid JSON: {exc}") from None
        if isinstance(value, dict):
            yield _record_article(value, source)
            return
        if not isinstance(value, list):
            raise InputError("expected a JSON object or an array of objects")
        if not value:
            raise InputError("empty JSON array")
    for index, item in enumerate(value):
        where = f"{source}[{index}]"
        try:
            yield _record_article(item, where)
        except InputError as err:
            yield InputError(str(err), path=where)


def _record_article(record: Any, source: str) -> Article:
    """An Article from one JSON object (see the module doc for the id rule)."""
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {_json_kind(record)}")
    raw = record.get("text")
    if not isinstance(raw, str) or not raw.strip():
        raise InputError('missing or empty "text"' if raw is None or isinstance(raw, str) else '"text" must be a string')
    text = _sanitize_keeping_offsets(raw)
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    url = _optional_str(record, "url") or _clean_field(meta.get("url"))
    raw_date = _optional_str(record, "date") or _clean_field(meta.get("date"))
    doc_id = _explicit_id(record) or (_url_id(url) if url else _content_id(text))
    return Article(
        doc_id=doc_id,
        text=text,
        title=_optional_str(record, "title") or _first_line(text),
        date=_normalize_date(raw_date) if raw_date else None,
        url=url,
        source=source,
    )


def _explicit_id(record: dict[str, Any]) -> str | None:
    for key in ("doc_id", "id"):
        if key in record and record[key] is not None:
            value = record[key]
            if not isinstance(value, str) or not value.strip():
                raise InputError(f'"{key}" must be a non-empty string, not {json.dumps(value)[:40]}')
            return value
    return None


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f'"{key}" must be a string, not {_json_kind(value)}')
    return _clean_field(value)


def _json_kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


# --------------------------------------------------------------------------
# Doc ids
# --------------------------------------------------------------------------

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def _stem_id(path: Path) -> str | None:
    stem = path.stem
    return stem if _SAFE_ID.fullmatch(stem) else None


def _url_id(url: str) -> str:
    return "u" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def _content_id(text: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]
