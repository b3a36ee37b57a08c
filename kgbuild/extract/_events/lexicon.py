"""The event lexicons: classes and codes (event_types.json), trigger rows (triggers.tsv), cue lists (event_cues.json)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


DATA = Path(__file__).resolve().parent.parent.parent / "data"


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    parent: str | None
    coarse: str
    ancestors: tuple[str, ...]  # itself first, then parent, ... up to Event
    cameo: str | None
    acled: str | None
    plover: str | None


@dataclass(frozen=True, slots=True)
class Rule:
    words: tuple[str, ...]  # lemmas; hyphenated words are split into word, "-", word
    pos: str  # VERB NOUN ADJ LIGHT
    cls: str  # event class, or for LIGHT rows the allowed classes joined by |
    constraints: tuple[tuple[str, str], ...] = ()

    def has(self, key: str) -> bool:
        return any(k == key for k, _ in self.constraints)


@dataclass
class Lexicon:
    types: dict[str, EventType]
    single: dict[tuple[str, str], list[Rule]]
    multi: dict[str, list[Rule]]  # first word -> rules, longest first
    light: dict[str, list[Rule]]  # verb lemma -> LIGHT rules
    cues: dict[str, frozenset[str]]
    _flags: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)

    def is_a(self, cls: str, ancestor: str) -> bool:
        t = self.types.get(cls)
        return t is not None and ancestor in t.ancestors

    def is_any(self, cls: str, ancestors: Iterable[str]) -> bool:
        return any(self.is_a(cls, a) for a in ancestors)

    def cue_flags(self) -> dict[str, tuple[str, ...]]:
        """lemma -> the sentence flags it raises: each "<flag>_cues" list of event_cues.json
        (conflict, justice, protest) is one flag, tested by ctx=<flag> rows of triggers.tsv."""
        if self._flags is None:
            out: dict[str, list[str]] = {}
            for key in sorted(self.cues):
                if key.endswith("_cues"):
                    for lemma in self.cues[key]:
                        out.setdefault(lemma, []).append(key[: -len("_cues")])
            self._flags = {k: tuple(v) for k, v in out.items()}
        return self._flags


def _split_words(lemma: str) -> tuple[str, ...]:
    out: list[str] = []
    for w in lemma.lower().split():
        parts = w.split("-")
        for i, p in enumerate(parts):
            if i:
                out.append("-")
            if p:
                out.append(p)
    return tuple(out)


def _parse_constraints(text: str) -> tuple[tuple[str, str], ...]:
    out = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        key, _, value = part.partition("=")
        out.append((key.strip(), value.strip()))
    return tuple(out)


def _load_types(path: Path) -> dict[str, EventType]:
    raw = json.loads(path.read_text(encoding="utf-8"))["classes"]
    types: dict[str, EventType] = {}

    def chain(name: str) -> tuple[str, ...]:
        seen: list[str] = []
        while name and name in raw and name not in seen:
            seen.append(name)
            name = raw[name].get("parent")
        return tuple(seen)

    for name, spec in raw.items():
        anc = chain(name)

        def code(key: str) -> str | None:
            for a in anc:
                if raw[a].get(key):
                    return raw[a][key]
            return None

        types[name] = EventType(
            name, spec.get("parent"), spec.get("coarse") or "Other", anc, code("cameo"), code("acled"), code("plover")
        )
    return types


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The event classes, trigger lexicon and cue lists (read once per process)."""
    types = _load_types(DATA / "event_types.json")
    single: dict[tuple[str, str], list[Rule]] = {}
    multi: dict[str, list[Rule]] = {}
    light: dict[str, list[Rule]] = {}
    for line in (DATA / "triggers.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            continue
        words, pos, cls = _split_words(cols[0]), cols[1].strip().upper(), cols[2].strip()
        rule = Rule(words, pos, cls, _parse_constraints(cols[3]) if len(cols) > 3 else ())
        if pos == "LIGHT":
            light.setdefault(words[0], []).append(rule)
        elif cls not in types:
            continue  # a class missing from event_types.json: ignore the row rather than crash
        elif len(words) == 1:
            single.setdefault((words[0], pos), []).append(rule)
        else:
            multi.setdefault(words[0], []).append(rule)
    for rules in multi.values():
        rules.sort(key=lambda r: -len(r.words))
    raw_cues = json.loads((DATA / "event_cues.json").read_text(encoding="utf-8"))
    cues = {k: frozenset(v) for k, v in raw_cues.items() if isinstance(v, list)}
    return Lexicon(types, single, multi, light, cues)
