"""Normalising text (line breaks, control characters, NFC) and finding a dateline."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from ..errors import InputError

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


def sanitize_keeping_offsets(text: str) -> str:
    """Make JSON text safe without moving a single character.

    JSON records often carry annotations (the gold format does) whose offsets
    refer to the text as given, so here nothing is inserted or removed and
    no NFC is applied: a CR before LF and other control characters become
    spaces, a lone CR becomes LF.  A lone surrogate (JSON's "\\ud800" escape
    decodes to one) is not Unicode and no RDF syntax can carry it: it becomes
    U+FFFD, one character for one, so offsets stay valid.
    """
    text = SURROGATES.sub("\ufffd", text)
    text = re.sub("\r(?!\n)", "\n", text)
    return _CONTROLS.sub(" ", text.replace("\r\n", " \n"))


SURROGATES = re.compile("[\ud800-\udfff]")


_FRONT_MATTER_LINE = re.compile(r"(?P<key>[A-Za-z]+)[^\S\n]*:[^\S\n]*(?P<value>.*?)[^\S\n]*")
FRONT_MATTER_KEYS = ("date", "title", "url")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(metadata, the text without it) for a text article that starts with front matter.

    Front matter is a block of "key: value" lines at the very top, ended by a
    blank line, whose keys are all among date, title and url (any case),
    each at most once:

        date: 2024-03-01
        title: Shelling resumes in Idlib

        IDLIB, Syria - ...

    The block and the blank lines after it are removed from the text, so all
    offsets refer to the article proper.  Anything else at the top (a line
    that is not "key: value", another key, no blank line after it) is no
    front matter and the text is returned whole.  A date must be a real
    YYYY-MM-DD (or any form normalize_date reads), else InputError.
    """
    head, sep, rest = text.partition("\n\n")
    if not sep or not head.strip():
        return {}, text
    meta: dict[str, str] = {}
    for line in head.split("\n"):
        m = _FRONT_MATTER_LINE.fullmatch(line)
        if m is None:
            return {}, text
        key = m.group("key").lower()
        if key not in FRONT_MATTER_KEYS or key in meta or not m.group("value"):
            return {}, text
        meta[key] = m.group("value")
    if "date" in meta:
        day = normalize_date(meta["date"])
        if day is None:
            raise InputError(f"front matter: date {meta['date']!r} is not a date (use YYYY-MM-DD)")
        meta["date"] = day
    return meta, rest.lstrip("\n")


def require_text(text: str) -> None:
    if not text.strip():
        raise InputError("empty file")


def first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
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


def normalize_date(value: str) -> str | None:
    """A record's date field as YYYY-MM-DD ("2017-08-30T10:00Z" included)."""
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})(?!\d)", value)
    if m:
        return _iso_date(*m.groups())
    return find_dateline(value)
