"""Normalising time expressions against an article's publication date.

News reports date events relative to the dateline ("on Wednesday", "last
week", "yesterday"), so a time expression only gets a value with an anchor:
the article's ISO publication date.  `normalise(text, anchor)` returns a
`Timex(value, precision)` or None when the expression cannot be placed.

Conventions (documented because they are choices):
- A weekday name ("on Wednesday") means the most recent such day on or
  before the dateline; "last Wednesday" the one strictly before it; "next
  Wednesday" the one strictly after.
- A day and month without a year ("on 30 August") takes the dateline's year,
  unless that puts it more than 31 days after the dateline: then the year
  before (news reports the past far more often than the future).
- A month name alone takes the dateline's year unless it lies more than six
  months ahead, then the year before.
- Weeks are not a precision of kgbuild (day | month | year): "this week" and
  "last week" give the month of the week's dateline-side day, precision month.
- An open or stretched time frame is an interval, not a point: "since 2014"
  gives Timex(None, None, start="2014") (a start and no end: the event's date
  is unknown, and it is not the year 2014); "over the past three years",
  "over the past year" give a start and an end (the dateline); "in recent
  days" stays unplaced (None).  Such a frame
  says the event is spread over time (kgbuild.extract._events.specificity).
- `period(value)` is the one reader of the values written here (first and
  last day of YYYY-MM-DD, YYYY-MM, YYYY; an open start "YYYY/.." runs to
  date.max).
- Without an anchor only absolute expressions ("30 August 2017", "2014")
  are normalised.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: i
    for i, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Timex:
    value: str | None  # YYYY-MM-DD, YYYY-MM or YYYY of a point; None for an interval
    precision: str | None  # day | month | year; None for an interval
    start: str | None = None  # an interval's first period ("since 2014" -> "2014")
    end: str | None = None  # its last period, None when open ("since 2014")

    @property
    def is_interval(self) -> bool:
        return self.value is None

    @property
    def iso(self) -> str | None:
        """ISO 8601 form: the value, or an interval "2014/.." (ISO 8601-2 open end), "2014/2017-08-30"."""
        if self.value is not None:
            return self.value
        if self.start is None and self.end is None:
            return None
        return f"{self.start or '..'}/{self.end or '..'}"


def parse_anchor(anchor: str | None) -> dt.date | None:
    """The publication date as a date, or None when absent or malformed."""
    if not anchor:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", anchor)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _day(d: dt.date) -> Timex:
    return Timex(d.isoformat(), "day")


def _month(year: int, month: int) -> Timex:
    return Timex(f"{year:04d}-{month:02d}", "month")


def _year(year: int) -> Timex:
    return Timex(f"{year:04d}", "year")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _absolute(s: str, anchor: dt.date | None) -> Timex | None:
    """Dates that name their day, month or year explicitly."""
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", s)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _day(d) if d else None
    # 30 August 2017 / 30 Aug, 2017 / 30th of August
    day: int | None
    month: int | None
    year: str | None
    m = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?,?(?:\s+(\d{{4}}))?\b", s)
    if not m:  # August 30, 2017 / August 30
        m2 = re.search(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b,?(?:\s+(\d{{4}}))?", s)
        if m2:
            m = m2
            day, month, year = int(m2.group(2)), MONTHS[m2.group(1)], m2.group(3)
        else:
            day = month = year = None
    else:
        day, month, year = int(m.group(1)), MONTHS[m.group(2)], m.group(3)
    if m and day is not None and month is not None:
        if year:
            d = _safe_date(int(year), month, day)
            return _day(d) if d else None
        if anchor is None:
            return None
        d = _safe_date(anchor.year, month, day)
        if d and (d - anchor).days > 31:
            d = _safe_date(anchor.year - 1, month, day)
        return _day(d) if d else None
    # August 2017
    m = re.search(rf"\b({_MONTH_RE})\.?,?\s+(\d{{4}})\b", s)
    if m:
        return _month(int(m.group(2)), MONTHS[m.group(1)])
    return None


def _relative(s: str, anchor: dt.date) -> Timex | None:
    """Expressions placed relative to the dateline."""
    if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", s):
        return _day(anchor)
    if re.search(r"\b(yesterday|last night)\b", s):
        return _day(anchor - dt.timedelta(days=1))
    if re.search(r"\btomorrow\b", s):
        return _day(anchor + dt.timedelta(days=1))
    m = re.search(rf"\b(?:(last|past|previous|next|this|coming)\s+)?({_WEEKDAY_RE})\b", s)
    if m and not re.search(rf"\b({_MONTH_RE})\b", s):
        target = WEEKDAYS[m.group(2)]
        back = (anchor.weekday() - target) % 7
        qual = m.group(1)
        if qual in ("next", "coming"):
            return _day(anchor + dt.timedelta(days=(target - anchor.weekday()) % 7 or 7))
        if qual in ("last", "past", "previous") and back == 0:
            back = 7
        return _day(anchor - dt.timedelta(days=back))
    m = re.search(r"\b(\w+)\s+(day|week|month|year)s?\s+ago\b", s)
    n = _number(m.group(1)) if m else None
    if m and n:
        unit = m.group(2)
        if unit == "day":
            return _day(anchor - dt.timedelta(days=n))
        if unit == "week":
            d = anchor - dt.timedelta(weeks=n)
            return _month(d.year, d.month)
        if unit == "month":
            return _month(*_shift_month(anchor.year, anchor.month, -n))
        return _year(anchor.year - n)
    if re.search(r"\b(this|current)\s+week(end)?\b", s):
        return _month(anchor.year, anchor.month)
    if re.search(r"\b(last|past|previous)\s+week(end)?\b", s):
        d = anchor - dt.timedelta(days=7)
        return _month(d.year, d.month)
    if re.search(r"\bnext\s+week\b", s):
        d = anchor + dt.timedelta(days=7)
        return _month(d.year, d.month)
    if re.search(r"\b(this|current)\s+month\b", s):
        return _month(anchor.year, anchor.month)
    if re.search(r"\b(last|past|previous)\s+month\b", s):
        return _month(*_shift_month(anchor.year, anchor.month, -1))
    if re.search(r"\bnext\s+month\b", s):
        return _month(*_shift_month(anchor.year, anchor.month, 1))
    if re.search(r"\b(this|current)\s+year\b", s):
        return _year(anchor.year)
    if re.search(r"\blast\s+year\b", s):
        return _year(anchor.year - 1)
    if re.search(r"\bnext\s+year\b", s):
        return _year(anchor.year + 1)
    m = re.search(rf"\b({_MONTH_RE})\b", s)
    if m and not (m.group(1) == "may" and not re.search(r"\b(in|since|early|late|mid|last|next|this)\s+may\b", s)):
        month = MONTHS[m.group(1)]
        year = anchor.year
        if re.search(r"\blast\b", s) or month - anchor.month > 6:
            year -= 1
        elif re.search(r"\bnext\b", s):
            year += 1 if month <= anchor.month else 0
        return _month(year, month)
    return None


_UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
    "decade": "decade",
    "decades": "decade",
}


def _back(anchor: dt.date, n: int, unit: str) -> Timex:
    """The point n units before the anchor, at that unit's precision."""
    if unit == "day":
        return _day(anchor - dt.timedelta(days=n))
    if unit == "week":
        d = anchor - dt.timedelta(weeks=n)
        return _month(d.year, d.month)
    if unit == "month":
        return _month(*_shift_month(anchor.year, anchor.month, -n))
    return _year(anchor.year - n * (10 if unit == "decade" else 1))


def _interval(s: str, anchor: dt.date | None) -> Timex | None:
    """Time frames that stretch over a period: "since 2014", "over the past three years"."""
    m = re.match(r"^(?:ever\s+)?since\s+(.+)$", s) or re.match(r"^from\s+(.+?)\s+(?:onwards?|on)$", s)
    if m:
        start = _point(m.group(1), anchor)
        return Timex(None, None, start=start.value, end=None) if start and start.value else None
    m = re.search(
        r"\b(?:over|in|during|for|throughout|within)\s+(?:the\s+)?(?:past|last|previous|recent)\s+"
        r"(?:(\w+)\s+)?(days?|weeks?|months?|years?|decades?)\b",
        s,
    )
    if not m:
        m = re.search(r"\b(?:for|over)\s+(\w+)\s+(days|weeks|months|years|decades)\b", s)
    if m:
        unit = _UNITS[m.group(2)]
        n = _number(m.group(1)) if m.group(1) else (1 if m.group(2) == unit else None)
        if not n:
            return None  # "in recent days", "over the past years": too vague to place
        if anchor is None:
            return Timex(None, None)
        start = _back(anchor, n, unit)
        return Timex(None, None, start=start.value, end=anchor.isoformat())
    return None


def _point(s: str, anchor_date: dt.date | None) -> Timex | None:
    found = _absolute(s, anchor_date)
    if found:
        return found
    if anchor_date is not None:
        found = _relative(s, anchor_date)
        if found:
            return found
    m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b(?!s)", s)  # a bare year ("in 2015")
    if m:
        return _year(int(m.group(1)))
    return None


def period(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a value of this module (YYYY-MM-DD, YYYY-MM, YYYY, or an interval
    "START/END" with ".." for an open end); None if unparsable."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if "/" in value:
        a, _, b = value.partition("/")
        first = period(a) if a != ".." else (dt.date.min, dt.date.min)
        last = period(b) if b != ".." else (dt.date.max, dt.date.max)
        return (first[0], last[1]) if first and last and first[0] <= last[1] else None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return None
    try:
        y = int(m.group(1))
        if m.group(3):
            d = dt.date(y, int(m.group(2)), int(m.group(3)))
            return d, d
        if m.group(2):
            mo = int(m.group(2))
            start = dt.date(y, mo, 1)
            nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
            return start, nxt - dt.timedelta(days=1)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        return None


def normalise(text: str, anchor: str | None = None) -> Timex | None:
    """The value and precision of a time expression, or None if it cannot be placed.

    `anchor` is the ISO publication date of the article (YYYY-MM-DD).
    Never raises: unparseable input gives None.
    """
    if not text:
        return None
    s = " ".join(text.lower().replace("\u2019", "'").split())
    anchor_date = parse_anchor(anchor)
    found = _interval(s, anchor_date)
    if found:
        return found
    return _point(s, anchor_date)
