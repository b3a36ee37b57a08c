"""Person names, titles and acronyms: title words before and inside names, clean person labels,
initials, and acronyms defined in the text ("Syrian Observatory for Human Rights (SOHR)")."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .data import load_titles
from .types import strip_determiner


def person_name_tokens(span: SpacySpan) -> list[Token]:
    """The tokens of a PERSON span without leading titles and trailing possessives."""
    titles = load_titles()
    toks = [t for t in span if t.tag_ != "POS" and t.text not in ("'s", "’s")]
    while toks:
        for n in (3, 2, 1):
            if tuple(t.lower_ for t in toks[:n]) in titles and len(toks) > n:
                toks = toks[n:]
                break
        else:
            break
    return toks


def clean_person_label(text: str) -> str:
    """'Colonel Ryan Dillon' -> 'Ryan Dillon' (titles are facts, not names)."""
    titles = load_titles()
    words = re.sub(r"[’']s$", "", text).split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in (3, 2, 1):
            if len(words) > n and tuple(w.lower() for w in words[:n]) in titles:
                words = words[n:]
                changed = True
                break
    return " ".join(words)


def leading_title(span: SpacySpan, titles: dict) -> tuple[int, str] | None:
    best = None
    for n in (3, 2, 1):
        if len(span) > n and tuple(t.lower_ for t in span[:n]) in titles:
            pred = titles[tuple(t.lower_ for t in span[:n])]
            if pred != "-":
                return n, pred
            best = best or (n, pred)
    return best


def title_ending_at(doc: Doc, end: int, titles: dict) -> tuple[int, str] | None:
    """A title of 1-3 words ending just before token `end`."""
    for n in (3, 2, 1):
        if end - n < 0:
            continue
        words = tuple(t.lower_ for t in doc[end - n : end])
        if words in titles:
            return n, titles[words]
    return None


_MINOR_WORDS = frozenset({"of", "for", "the", "and", "on", "in", "to", "de", "al", "el", "du", "des", "la", "le", "&"})


def initials(label: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", label) if w and w.lower() not in _MINOR_WORDS]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


def looks_like_acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def defined_acronyms(doc: Doc, ents: list[SpacySpan]) -> dict[str, str]:
    """'Syrian Observatory for Human Rights (SOHR)' -> {'SOHR': 'Syrian Observatory ...'}."""
    out = {}
    for ent in ents:
        if ent.end + 2 < len(doc) and doc[ent.end].text == "(" and doc[ent.end + 2].text == ")":
            short = doc[ent.end + 1].text
            if looks_like_acronym(short):
                out[short] = strip_determiner(ent.text)
        if ent.start >= 2 and doc[ent.start - 1].text == "(" and ent.end < len(doc) and doc[ent.end].text == ")":
            short = strip_determiner(ent.text)
            prev = [e for e in ents if e.end == ent.start - 1]
            if prev and looks_like_acronym(short):
                out[short] = strip_determiner(prev[0].text)
    return out
