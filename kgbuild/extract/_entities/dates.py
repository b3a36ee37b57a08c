"""Dates and numbers: ISO values of date expressions (relative ones against the article date)
and the numeric value of quantities."""

from __future__ import annotations

import calendar
import datetime as _dt
import re


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12})
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}


def parse_iso(value: str | None) -> _dt.date | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def normalise_date(text: str, anchor: _dt.date | None) -> str | None:
    """ISO form (YYYY-MM-DD, YYYY-MM or YYYY) of a date expression, relative ones against `anchor`."""
    low = text.lower().strip()
    low = re.sub(r"^(on|in|at|since|by|from|until|during|the)\s+", "", low)
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", low)
    if m:
        return _safe_iso(int(m[1]), int(m[2]), int(m[3]))
    words = re.findall(r"[a-z]+|\d+", low)
    year = next((int(w) for w in words if w.isdigit() and len(w) == 4 and 1000 < int(w) < 2200), None)
    month = next((_MONTHS[w] for w in words if w in _MONTHS and w != "may" or (w == "may" and len(words) > 1)), None)
    day = next((int(w) for w in words if w.isdigit() and len(w) <= 2 and 1 <= int(w) <= 31), None)
    if month and year:
        return _safe_iso(year, month, day) if day else f"{year:04d}-{month:02d}"
    if month and day and anchor:
        return _safe_iso(anchor.year, month, day)
    if year and len(words) == 1:
        return f"{year:04d}"
    if anchor is None:
        return None
    if low in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return anchor.isoformat()
    if low in ("yesterday", "last night"):
        return (anchor - _dt.timedelta(days=1)).isoformat()
    if low == "tomorrow":
        return (anchor + _dt.timedelta(days=1)).isoformat()
    for w in words:
        if w in _WEEKDAYS:  # news reports past days: the latest such day on or before the anchor
            delta = (anchor.weekday() - _WEEKDAYS[w]) % 7
            return (anchor - _dt.timedelta(days=delta)).isoformat()
    if low in ("last year",):
        return f"{anchor.year - 1:04d}"
    if low in ("this year",):
        return f"{anchor.year:04d}"
    if low in ("last month",):
        first = anchor.replace(day=1) - _dt.timedelta(days=1)
        return f"{first.year:04d}-{first.month:02d}"
    if low in ("this month",):
        return f"{anchor.year:04d}-{anchor.month:02d}"
    return None


def _safe_iso(year: int, month: int, day: int | None) -> str | None:
    try:
        return _dt.date(year, month, day or 1).isoformat() if day else f"{year:04d}-{month:02d}"
    except ValueError:
        return None


def normalise_number(text: str) -> str | None:
    """'308' -> '308', '2,000' -> '2000', 'two' -> '2', '2.4 million' -> '2400000'."""
    low = text.lower().replace(",", "").strip()
    m = re.search(r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion)?", low)
    if m:
        value = float(m[1]) * _SCALES.get(m[2] or "", 1)
        return str(int(value)) if value == int(value) else str(value)
    for word in low.split():
        if word in _NUMBER_WORDS:
            return str(_NUMBER_WORDS[word])
    return None

