"""Is an article English?  kgbuild's pipeline is English; other languages give nonsense entities.

A cheap, deterministic check on the text alone (no model): first the script
(most letters Arabic, Cyrillic, Han ... is not English), then the share of
English function words among the words, against the same share for other
languages news comes in (kgbuild/data/function_words.json).  It only warns:
a build still processes the article, and reports it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..data import read_json

OTHER_SHARE = 0.2  # ... and of another language's in a text written in it (well above what chance gives)
MIN_WORDS = 25  # shorter texts (titles, wire briefs) are not judged
ENGLISH_SHARE = 0.12  # English news: about 0.3-0.45 of words are these function words (other languages alike)
# whole words of letters only: not the letters inside "9402E6D7" or "x86"
_WORD = re.compile(r"\b[^\W\d_]+(?:['’][^\W\d_]+)?\b", re.UNICODE)


@dataclass(frozen=True)
class LanguageGuess:
    english: bool
    language: str | None  # "fr", "Arabic script" ...; None when English or unknown
    reason: str


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


@functools.lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    """Language -> its function words (built once: guess runs for every article)."""
    return {lang: frozenset(ws) for lang, ws in read_json("function_words.json").items() if not lang.startswith("_")}


def guess(text: str) -> LanguageGuess:
    """English or not, from the first 20,000 characters."""
    sample = text[:20_000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return LanguageGuess(True, None, "no letters")
    scripts = Counter(_script(ch) for ch in letters)
    script, n = scripts.most_common(1)[0]
    if script != "LATIN" and n / len(letters) > 0.5:
        label = {"CJK": "Chinese/Japanese", "HANGUL": "Korean", "HIRAGANA": "Japanese", "KATAKANA": "Japanese"}.get(
            script, script.title()
        )
        return LanguageGuess(False, f"{label} script", f"most letters are {label} script")
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS:
        return LanguageGuess(True, None, "too short to judge")
    counts = Counter(words)
    share = {lang: sum(counts[w] for w in ws) / len(words) for lang, ws in _function_words().items()}
    if share["en"] >= ENGLISH_SHARE:
        return LanguageGuess(True, None, f"{share['en']:.2f} English function words")
    best = max(sorted(share), key=lambda lang: share[lang])
    if best == "en" or share[best] <= max(share["en"], OTHER_SHARE):
        # few function words of any language (a list of URLs, tables, headlines): no reason to warn
        return LanguageGuess(True, None, "no other language's function words dominate")
    return LanguageGuess(False, best, f"{share[best]:.2f} {best} and only {share['en']:.2f} English function words")


def warning(text: str) -> str | None:
    """A one-line warning for a non-English text, else None."""
    g = guess(text)
    if g.english:
        return None
    what = f"looks like {g.language}" if g.language else "does not look like English"
    return f"{what} ({g.reason}); kgbuild's pipeline is English, entities and events will be unreliable"
