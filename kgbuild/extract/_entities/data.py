"""The data the entity components read: actors and alias files, nominals, titles, word lists,
speech verbs (rows of triggers.tsv marked `speech`), and the optional offline gazetteer.

Alias files are passed in explicitly (the components' `alias_files` config); only
"""

from __future__ import annotations

import difflib
import functools
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .types import norm_alias, slug

log = logging.getLogger("kgbuild.extract.entities")

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"

# ---------------------------------------------------------------------------
# Data: actors, alias files, nominals, titles, gazetteer
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    id: str
    label: str
    cls: str
    wikidata: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class ActorTable:
    """Actors by id and by normalised alias (later files override earlier ones)."""

    by_id: dict[str, Actor] = field(default_factory=dict)
    by_alias: dict[str, str] = field(default_factory=dict)  # norm alias -> actor id
    surface: dict[str, str] = field(default_factory=dict)  # norm alias -> alias as written
    # norm aliases that name the actor only by metonymy (a capital for its government, "Kremlin"):
    # the actor where an actor is wanted, the place itself in locative use (see tokens.actor_use)
    metonyms: set[str] = field(default_factory=set)

    def add_rows(self, rows: Iterable[dict]) -> None:
        for row in rows:
            actor_id = str(row.get("id") or "").strip()
            label = str(row.get("label") or "").strip()
            if not actor_id or not label:
                continue
            aliases = [label, *(row.get("aliases") or []), *(row.get("metonym_aliases") or [])]
            actor = Actor(
                id=actor_id,
                label=label,
                cls=str(row.get("class") or row.get("cls") or "Organisation"),
                wikidata=row.get("wikidata") or None,
                country=row.get("country") or None,
                aliases=tuple(dict.fromkeys(a for a in aliases if isinstance(a, str) and a.strip())),
            )
            self.by_id[actor_id] = actor
            metonyms = {norm_alias(a) for a in row.get("metonym_aliases") or [] if isinstance(a, str)}
            metonyms -= {norm_alias(a) for a in [label, *(row.get("aliases") or [])] if isinstance(a, str)}
            for alias in actor.aliases:
                key = norm_alias(alias)
                if key:
                    self.by_alias[key] = actor_id
                    self.surface[key] = alias.lstrip("#@").strip()
                    if key in metonyms:
                        self.metonyms.add(key)
                    else:
                        self.metonyms.discard(key)

    def lookup(self, name: str) -> Actor | None:
        actor_id = self.by_alias.get(norm_alias(name))
        return self.by_id.get(actor_id) if actor_id else None


def read_jsonl(path: str | os.PathLike) -> list[dict]:
    """Rows of a JSON-lines file; blank lines and '#' comments skipped, bad lines logged and skipped."""
    rows = []
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    log.warning("%s:%d: skipped malformed alias row (%s)", path, n, exc)
                    continue
                if isinstance(row, dict):
                    rows.append(row)
    except OSError as exc:
        log.warning("alias file %s not read: %s", path, exc)
    return rows


@functools.lru_cache(maxsize=8)
def load_actor_table(alias_files: tuple[str, ...] = ()) -> ActorTable:
    """The built-in actors plus the user's alias files (cached per file list)."""
    table = ActorTable()
    builtin = DATA_DIR / "actors.jsonl"
    if builtin.exists():
        table.add_rows(read_jsonl(builtin))
    for path in alias_files:
        table.add_rows(read_jsonl(path))
    return table


@dataclass(frozen=True)
class Nominal:
    coarse: str
    cls: str
    refers: frozenset[str]


def _read_tsv(name: str) -> list[list[str]]:
    path = DATA_DIR / name
    rows: list[list[str]] = []
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([c.strip() for c in line.split("\t")])
    return rows


@functools.lru_cache(maxsize=1)
def load_nominals() -> dict[str, Nominal]:
    """Head nouns that make a nominal mention (first row of a lemma wins)."""
    table: dict[str, Nominal] = {}
    for row in _read_tsv("nominals.tsv"):
        if len(row) < 3 or row[0] in table:
            continue
        refers = frozenset() if len(row) < 4 or row[3] in ("", "-") else frozenset(row[3].split(","))
        table[row[0].lower()] = Nominal(row[1], row[2], refers)
    return table


@functools.lru_cache(maxsize=1)
def load_titles() -> dict[tuple[str, ...], str]:
    """Titles as lowercase token tuples -> relation predicate ('-' for none)."""
    out = {}
    for row in _read_tsv("titles.tsv"):
        if row and row[0]:
            words = tuple(re.findall(r"[\w.]+(?:-[\w.]+)*", row[0].lower()))
            out[words] = row[1] if len(row) > 1 else "-"
    return out


@functools.lru_cache(maxsize=1)
def gazetteer_module():
    """kgbuild.gazetteer if available (it is optional for this module)."""
    try:
        from ...kb import gazetteer
    except Exception as exc:  # missing or broken: places fall back to NER alone
        log.info("gazetteer unavailable: %s", exc)
        return None
    return gazetteer


@functools.lru_cache(maxsize=65536)  # per process: a name recurs in many articles
def gaz_lookup(name: str):
    """The gazetteer's place for `name`, if its label is spelled like the name: an
    alternate-name hit that looks nothing like the text is more likely a person."""
    gaz = gazetteer_module()
    if gaz is None or not name or len(name) > 80:
        return None
    try:
        place = gaz.lookup(name)
    except Exception:  # noqa: BLE001 - a gazetteer failure must not stop extraction
        return None
    if place is None:
        return None
    a, b = slug(name).replace("-", ""), slug(str(place.label)).replace("-", "")
    if a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.75 or a in b or b in a:
        return place
    return None


def gaz_demonym(word: str):
    gaz = gazetteer_module()
    if gaz is None or not word or len(word) > 40:
        return None
    try:
        return gaz.demonym(word)
    except Exception:  # noqa: BLE001
        return None


@functools.lru_cache(maxsize=None)
def load_word_list(name: str) -> frozenset[str]:
    """Lowercased words of kgbuild/data/NAME, one a line ('#' lines are comments); empty if absent."""
    path = DATA_DIR / name
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def load_given_names() -> frozenset[str]:
    """Lowercased given names from kgbuild/data/given_names.txt."""
    return load_word_list("given_names.txt")


def load_product_qualifiers() -> frozenset[str]:
    """Lowercased model words ("Pro", "Air", "OS") from kgbuild/data/product_qualifiers.txt."""
    return load_word_list("product_qualifiers.txt")


@functools.lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    """Lemmas of the verbs that report speech: the triggers.tsv rows with the `speech` flag
    (one lexicon for the event extractor's Statement triggers and the entity rules)."""
    out = set()
    for row in _read_tsv("triggers.tsv"):
        if len(row) > 3 and row[1].upper() == "VERB" and "speech" in (c.strip() for c in row[3].split(";")):
            out.add(row[0].lower())
    return frozenset(out)
