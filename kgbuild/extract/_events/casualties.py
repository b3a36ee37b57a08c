"""Casualty figures of events: killed, injured, abducted and arrested counts read from the
victims' phrases ("killing at least 12 civilians" -> killed 12, qualifier "at least"; "more than
700 people were killed"; "wounded 30").

The kind comes from the event class (data/event_roles.json "casualties": class -> kind, inherited
down the class hierarchy); the count and its qualifier from the victim argument's own words, so
no rescan of the document: one look at each victim phrase of each casualty event.
"""

from __future__ import annotations

import re
from typing import Any

from ...records import Argument, Casualties
from .schema import load_schema

_UNITS = {
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
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "dozen": 12,
}
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}
QUALIFIERS = {
    "at least": "at least",
    "no fewer than": "at least",
    "no less than": "at least",
    "more than": "more than",
    "over": "more than",
    "upwards of": "more than",
    "about": "about",
    "around": "about",
    "an estimated": "about",
    "estimated": "about",
    "some": "about",
    "approximately": "about",
    "roughly": "about",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "up to": "up to",
    "as many as": "up to",
    "at most": "up to",
    "fewer than": "fewer than",
    "less than": "fewer than",
    "under": "fewer than",
}
_NUMBER = (
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:a |one )?(?:"
    + "|".join(sorted(_UNITS, key=len, reverse=True))
    + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)"
)
_SCALE = r"(?:\s+(dozen|hundred|thousand|million))?"
_QUAL = r"(?:(" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")\s+)?"
_FIGURE = re.compile(r"^(?:another\s+|the\s+)?" + _QUAL + _NUMBER + _SCALE + r"\b", re.I)


def _value(number: str, scale: str | None) -> int | None:
    n = number.lower().replace(",", "")
    try:
        v = float(n)
    except ValueError:
        words = re.split(r"[- ]", n.removeprefix("a ").removeprefix("one "))
        v = 0
        for w in words:
            if w in _UNITS:
                v += _UNITS[w]
            elif w == "dozen":
                v = (v or 1) * 12
            else:
                return None
    if scale:
        v *= _SCALES[scale.lower()]
    return int(v) if v >= 1 else None


def figure(text: str) -> tuple[int, str | None] | None:
    """(count, qualifier) of a victim phrase, or None when it gives no number ("civilians")."""
    m = _FIGURE.match(text.strip())
    if not m:
        return None
    value = _value(m.group(2), m.group(3))
    if value is None:
        return None
    return value, QUALIFIERS.get((m.group(1) or "").lower())


def kind_of(lex, cls: str) -> str | None:
    """The casualty kind of an event class (killed, injured ...), from event_roles.json."""
    table = load_schema().get("casualties", {})
    etype = lex.types.get(cls)
    for anc in etype.ancestors if etype else ():
        if anc in table:
            return table[anc]
    return None


def _phrase(ctx, a: Argument) -> tuple[str, int]:
    """The victim phrase with its number: the argument's text, or from the left edge of its head's
    noun phrase when the argument is only the named part ("the murder of eight Lebanese troops")."""
    if ctx is None:
        return a.text, a.start
    span = ctx.doc.char_span(a.start, a.end, alignment_mode="expand")
    if span is None or not len(span):
        return a.text, a.start
    root = span.root
    if any(c.dep_ in ("nummod", "quantmod") for c in root.children) and root.left_edge.idx < a.start:
        start = root.left_edge.idx
        return ctx.text[start : a.end], start
    return a.text, a.start


def casualties(
    lex, cls: str, args: tuple[Argument, ...] | list[Argument], modality: str, ctx=None
) -> tuple[Casualties, ...]:
    """The casualty figures of one event: one per victim phrase with a number (summed per kind when
    the victims are coordinated: "12 soldiers and 3 civilians" -> 15, qualified if either is)."""
    kind = kind_of(lex, cls)
    if kind is None or modality in ("negated", "conditional", "future"):
        return ()
    total, quals, start, end = 0, set(), None, None
    for a in args:
        if a.role != "target" or a.inferred:
            continue
        text, a_start = _phrase(ctx, a)
        got = figure(text)
        if got is None:
            continue
        total += got[0]
        quals.add(got[1])
        start = a_start if start is None else min(start, a_start)
        end = a.end if end is None else max(end, a.end)
    if not total:
        return ()
    quals.discard(None)
    qual = next(iter(quals)) if len(quals) == 1 else ("at least" if quals else None)
    return (Casualties(kind, total, qual, start or 0, end or 0),)


def propagate(ctx, events: list) -> list:
    """An attack's casualties are those of the killing it caused: "the strike killed 12" (the
    attack is the killing's agent or instrument) and "shelled the town, killing 12" (the killing is
    a participle clause of the attack).  Returns the events with the figures copied (each kind once)."""
    from dataclasses import replace

    with_figures = [e for e in events if e.casualties]
    if not with_figures:
        return events
    lex = ctx.lex
    attacks = [e for e in events if lex.is_a(e.cls, "ConflictEvent") and not kind_of(lex, e.cls)]
    if not attacks:
        return events
    by_head: dict[int, Any] = {}
    by_sentence: dict[int, list] = {}
    for e in attacks:
        by_sentence.setdefault(e.sentence, []).append(e)
        span = ctx.doc.char_span(e.trigger.start, e.trigger.end, alignment_mode="expand")
        if span is not None and len(span):
            by_head[span.root.i] = e
    extra: dict[int, list[Casualties]] = {}
    for e in with_figures:
        causes = [
            a
            for a in by_sentence.get(e.sentence, ())
            if any(
                x.role in ("agent", "instrument") and x.start <= a.trigger.start and a.trigger.end <= x.end
                for x in e.arguments
            )
        ]
        span = ctx.doc.char_span(e.trigger.start, e.trigger.end, alignment_mode="expand")
        if span is not None and len(span):
            head = span.root
            if head.dep_ in ("advcl", "conj", "xcomp") and head.head.i in by_head:
                causes.append(by_head[head.head.i])
        for a in causes:
            extra.setdefault(id(a), []).extend(e.casualties)
    if not extra:
        return events
    out = []
    for e in events:
        add = extra.get(id(e))
        if add:
            have = {c.kind for c in e.casualties}
            new = []
            for c in add:
                if c.kind not in have:
                    have.add(c.kind)
                    new.append(c)
            e = replace(e, casualties=e.casualties + tuple(new))
        out.append(e)
    return out
