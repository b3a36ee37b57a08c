"""Dates and numbers: ISO values of date expressions (relative ones against the article date)
and the numeric value of quantities."""

from __future__ import annotations

import datetime as _dt
import re


_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update(
    {
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
        "hundred": 100,
        "dozen": 12,
    }
)
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}


def parse_iso(value: str | None) -> _dt.date | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def normalise_date(text: str, anchor: _dt.date | None) -> str | None:
    """ISO form (YYYY-MM-DD, YYYY-MM, YYYY, or an interval "2014/.." for "since 2014") of a date
    expression, relative ones against `anchor`.  kgbuild.extract.timex is the one date normaliser:
    a date node and the events it dates must read "last Wednesday" the same way."""
    from ..timex import normalise

    t = normalise(text, anchor.isoformat() if anchor else None)
    return t.iso if t else None


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
