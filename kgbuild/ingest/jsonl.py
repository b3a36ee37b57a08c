"""JSON and JSON Lines: one article object per line (streamed), or a file of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..records import Article
from .decode import BOMS, SNIFF_BYTES, reject_binary_signature
from .html import clean_field
from .ids import content_id, url_id
from .text import first_line, normalize_date, sanitize_keeping_offsets
from .walk import located, os_reason, read_bytes, shown, too_big


def read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """One article per line, streamed: memory is bounded by one line.

    Bad lines are yielded as InputErrors naming "file:line"; a file that is
    binary, not UTF-8, or has no article line at all raises.
    """
    source = shown(path)
    seen_any = False
    with located(source):
        with _open_binary(path) as f:
            _check_json_lines_start(f)
            for lineno, line in _lines(f, max_bytes):
                where = f"{source}:{lineno}"
                if isinstance(line, int):
                    seen_any = True
                    yield InputError(too_big("line", line, max_bytes), path=where)
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
        raise InputError(os_reason(exc)) from exc


def _check_json_lines_start(f: IO[bytes]) -> None:
    """Refuse binary files and non-UTF-8 byte-order marks; skip a UTF-8 BOM."""
    head = f.read(SNIFF_BYTES)
    reject_binary_signature(head)
    for bom, _codec, name in BOMS:
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


def read_json(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """A single article object, or an array of them ("file.json[3]")."""
    source = shown(path)
    with located(source):
        data = read_bytes(path, max_bytes)
        if not data.strip():
            raise InputError("empty file")
        reject_binary_signature(data)
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
        raise InputError(
            'missing or empty "text"' if raw is None or isinstance(raw, str) else '"text" must be a string'
        )
    text = sanitize_keeping_offsets(raw)
    given = record.get("meta")
    meta = given if isinstance(given, dict) else {}
    url = _optional_str(record, "url") or clean_field(meta.get("url"))
    raw_date = _optional_str(record, "date") or clean_field(meta.get("date"))
    doc_id = _explicit_id(record) or (url_id(url) if url else content_id(text))
    return Article(
        doc_id=doc_id,
        text=text,
        title=_optional_str(record, "title") or first_line(text),
        date=normalize_date(raw_date) if raw_date else None,
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
    return clean_field(value)


def _json_kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
