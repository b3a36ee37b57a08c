"""Entity extraction: the actor ruler and the entity-node builder.

Two spaCy components, registered with `Language.factory`:

kgbuild_actor_ruler  (runs right after "ner")
    Fixes and adds entity spans where curated knowledge is more reliable than
    the statistical NER: aliases of actors from kgbuild/data/actors.jsonl and
    the user's alias files (KGBUILD_ALIASES or the `alias_files` config),
    places from the offline gazetteer, and person names the NER cut short.
    The curated id travels on the span as its `kb_id`, so the next component
    knows which node a span denotes.

kgbuild_entities
    Turns names, nominals ("the militants", "a small bridge"), pronouns,
    dates and quantities into Entity nodes with their Mentions, resolves
    mentions within the document (acronyms, surnames, demonyms, reliable
    pronoun and nominal coreference), types each node consistently and records
    title relations ("coalition spokesman X" -> X spokespersonOf coalition).

Word lists live in kgbuild/data (nominals.tsv, titles.tsv); the names of
actors and places only in actors.jsonl and the gazetteer, never in code.
"""

from __future__ import annotations

import difflib
import datetime as _dt
import functools
import hashlib
import itertools
import json
import logging
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from ..records import Entity, Mention, Relation
from . import doc_text
from ._events.specificity import frame_text

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ALIASES_ENV = "KGBUILD_ALIASES"
EXTRACTOR = "kgbuild_entities"

# ---------------------------------------------------------------------------
# Classes and types
# ---------------------------------------------------------------------------

ORG_CLASSES = frozenset(
    {
        "Organisation",
        "ArmedGroup",
        "MilitaryForce",
        "Coalition",
        "GovernmentBody",
        "MediaOrganisation",
        "NGO",
        "InternationalOrganisation",
    }
)
PLACE_CLASSES = frozenset({"State", "PopulatedPlace", "Region"})
OTHER_CLASSES = frozenset({"Weapon", "Vehicle", "Product", "NamedEvent", "CreativeWork", "Law", "Language", "Thing"})


def coarse_of_class(cls: str) -> str:
    """The coarse mention type of an ontology class."""
    if cls in ("Person", "PeopleGroup"):
        return "PERSON"
    if cls in ORG_CLASSES:
        return "ORGANIZATION"
    if cls in PLACE_CLASSES:
        return "GPE"
    if cls == "Facility":
        return "LOCATION"
    if cls == "Date":
        return "DATE"
    if cls == "Quantity":
        return "QUANTITY"
    return "OTHER"


def spacy_label_of_class(cls: str) -> str:
    """The spaCy NER label the actor ruler gives a span of this class."""
    return {"PERSON": "PERSON", "ORGANIZATION": "ORG", "GPE": "GPE", "LOCATION": "FAC"}.get(coarse_of_class(cls), "ORG")


# spaCy OntoNotes label -> (coarse type, default class); None = not an entity mention.
NER_LABELS: dict[str, tuple[str, str] | None] = {
    "PERSON": ("PERSON", "Person"),
    "ORG": ("ORGANIZATION", "Organisation"),
    "GPE": ("GPE", "PopulatedPlace"),
    "LOC": ("LOCATION", "Region"),
    "FAC": ("LOCATION", "Facility"),
    "NORP": ("ORGANIZATION", "Organisation"),  # refined: demonyms -> the state, plurals -> people
    "DATE": ("DATE", "Date"),
    "TIME": ("DATE", "Date"),
    "CARDINAL": ("QUANTITY", "Quantity"),
    "MONEY": ("QUANTITY", "Quantity"),
    "PERCENT": ("QUANTITY", "Quantity"),
    "QUANTITY": ("QUANTITY", "Quantity"),
    "PRODUCT": ("OTHER", "Product"),
    "EVENT": ("OTHER", "NamedEvent"),
    "WORK_OF_ART": ("OTHER", "CreativeWork"),
    "LAW": ("OTHER", "Law"),
    "LANGUAGE": ("OTHER", "Language"),
    "MISC": ("OTHER", "Thing"),  # a name of unknown kind (see unlikely_persons)
    "ORDINAL": None,
}
DEFAULT_CLASS = {"PERSON": "Person", "ORGANIZATION": "Organisation", "GPE": "PopulatedPlace", "LOCATION": "Region", "DATE": "Date", "QUANTITY": "Quantity", "OTHER": "Thing"}
FREQUENCY_WORDS = frozenset({"annual", "annually", "daily", "weekly", "monthly", "yearly", "quarterly", "hourly", "nightly", "biannual"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "MISC"})

# ---------------------------------------------------------------------------
# Normalisation helpers
# ---------------------------------------------------------------------------

_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_QUOTES = "\"“”«»„"


def norm_alias(text: str) -> str:
    """The lookup form of a name: case-folded, '#'/quotes/possessive dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = text.lstrip("#@").strip(_QUOTES + "'’ ")
    text = _POSSESSIVE.sub("", text)
    text = text.replace("’", "'").replace("‐", "-").replace("–", "-")
    return _SPACES.sub(" ", text).casefold()


# Compiled once: norm_alias runs for every alias of the actor table (12,000 per process) and every span.
_POSSESSIVE = re.compile(r"[’']s$")
_SPACES = re.compile(r"\s+")


def slug(text: str) -> str:
    """A key from a label: lowercase ASCII letters, digits and '-'; Unicode letters kept if no ASCII form."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_form = folded.encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_form).strip("-")
    if out:
        return out[:80]
    out = re.sub(r"[\W_]+", "-", text.casefold()).strip("-")
    return out[:80] or "x"


def doc_scoped_key(prefix: str, doc_id: str, text: str, start: int) -> str:
    """Key of an article-scoped node ("a small bridge"): stable for the same article and offset."""
    digest = hashlib.sha256(f"{doc_id}\x00{text}\x00{start}".encode("utf-8")).hexdigest()[:8]
    return f"{slug(prefix)}-{digest}"


def split_camel(text: str) -> str:
    """'StateDept' -> 'State Dept', 'anti_IS' -> 'anti IS': the words of a handle."""
    text = re.sub(r"[_]+", " ", text)
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).strip()


def handle_word(text: str) -> str:
    """'@coalition' -> 'coalition': a handle or hashtag read as the word it spells."""
    return text[1:] if len(text) > 1 and text[0] in "@#" and text[1].isalnum() else text


def strip_determiner(text: str) -> str:
    words = text.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return " ".join(words) or text


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
            for alias in actor.aliases:
                key = norm_alias(alias)
                if key:
                    self.by_alias[key] = actor_id
                    self.surface[key] = alias.lstrip("#@").strip()

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


def alias_files_from_env() -> list[str]:
    """Paths listed in $KGBUILD_ALIASES (os.pathsep separated)."""
    value = os.environ.get(ALIASES_ENV, "")
    return [p for p in value.split(os.pathsep) if p.strip()]


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
    rows = []
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
def _gazetteer():
    """kgbuild.gazetteer if available (it is optional for this module)."""
    try:
        from ..kb import gazetteer
    except Exception as exc:  # missing or broken: places fall back to NER alone
        log.info("gazetteer unavailable: %s", exc)
        return None
    return gazetteer


@functools.lru_cache(maxsize=65536)  # per process: a name recurs in many articles
def gaz_lookup(name: str):
    """The gazetteer's place for `name`, if its label is spelled like the name: an
    alternate-name hit that looks nothing like the text is more likely a person."""
    gaz = _gazetteer()
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
    gaz = _gazetteer()
    if gaz is None or not word or len(word) > 40:
        return None
    try:
        return gaz.demonym(word)
    except Exception:  # noqa: BLE001
        return None


# ---------------------------------------------------------------------------
# Component 1: the actor ruler
# ---------------------------------------------------------------------------


def _is_acronym(alias: str) -> bool:
    letters = alias.replace(".", "").replace("-", "")
    return 1 < len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _shouting(span: SpacySpan) -> bool:
    """A sentence mostly in capitals (a headline in caps): acronyms there are unreliable."""
    words = [t.text for t in span if t.is_alpha and len(t.text) > 1]
    return len(words) >= 3 and sum(w.isupper() for w in words) / len(words) > 0.5


PATTERN_CACHE_VERSION = "1"


def alias_tokens(nlp: Language, exact: tuple[str, ...], lower: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    """The tokens of the actor aliases as `nlp`'s tokenizer splits them: ORTH strings of the
    `exact` (acronym) aliases, LOWER strings of the `lower` ones.

    Tokenizing every alias costs about 0.1-0.3 s of CPU per process, so the result is kept in
    the gazetteer's cache directory (see kgbuild.gazetteer), in a file named by a digest of
    everything it depends on: the aliases, the tokenizer's rules and spaCy's version.
    """
    import spacy

    digest = hashlib.sha256()
    for part in (PATTERN_CACHE_VERSION, spacy.__version__, nlp.lang, f"{type(nlp).__module__}.{type(nlp).__qualname__}",
                 f"{type(nlp.tokenizer).__module__}.{type(nlp.tokenizer).__qualname__}"):
        digest.update(part.encode("utf-8") + b"\x00")
    digest.update(nlp.tokenizer.to_bytes(exclude=["vocab"]))
    for group in (exact, lower):
        digest.update(b"\x01" + "\x00".join(group).encode("utf-8", "surrogatepass"))
    name = f"actor-tokens-{digest.hexdigest()[:16]}.json"
    folder = _pattern_cache_dir()
    if folder is not None:
        try:
            with open(folder / name, encoding="utf-8") as f:
                cached = json.load(f)
            if isinstance(cached, dict) and set(cached.get("exact", ())) == set(exact) and set(cached.get("lower", ())) == set(lower):
                return cached
        except (OSError, ValueError):
            pass
    result = {
        "exact": {text: [t.text for t in nlp.make_doc(text)] for text in exact},
        "lower": {text: [t.lower_ for t in nlp.make_doc(text)] for text in lower},
    }
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f"{name}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(result), encoding="ascii")  # escaped: any alias, even a lone surrogate
            os.replace(tmp, folder / name)
            for stale in folder.glob("actor-tokens-*.json"):
                if stale.name != name:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass
    return result


def _pattern_cache_dir() -> Path | None:
    gaz = _gazetteer()
    if gaz is None:
        return None
    return gaz._cache_dir()


class ActorRuler:
    """Dictionary and gazetteer spans that override the statistical NER where confident."""

    def __init__(self, nlp: Language, name: str, alias_files: Iterable[str] = ()):
        self.nlp = nlp
        self.name = name
        self.alias_files = tuple(alias_files)
        self._built_for: tuple[str, ...] | None = None
        self.table = ActorTable()
        self.lower_matcher = None
        self.exact_matcher = None

    def _files(self) -> tuple[str, ...]:
        return (*self.alias_files, *alias_files_from_env())

    def _ensure_matchers(self) -> None:
        """Build the phrase matchers on first use (and again if the alias files changed)."""
        files = self._files()
        if self._built_for == files:
            return
        from spacy.matcher import PhraseMatcher

        self.table = load_actor_table(files)
        self.lower_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.exact_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        lower, exact = {}, {}
        for key, actor_id in self.table.by_alias.items():
            surface = self.table.surface[key]
            if _is_acronym(surface):
                exact[surface] = actor_id
            else:
                lower[key] = actor_id
        tokens = alias_tokens(self.nlp, tuple(exact), tuple(lower))
        strings = self.nlp.vocab.strings
        # PhraseMatcher.add takes a pattern as the attribute values of its tokens (ORTH, LOWER):
        # the same trie as from make_doc's Docs, without tokenizing 12,000 aliases per process.
        # Consecutive aliases of one actor go in one call: the patterns enter the trie in the same order.
        for matcher, aliases, toks in ((self.exact_matcher, exact, tokens["exact"]), (self.lower_matcher, lower, tokens["lower"])):
            for actor_id, run in itertools.groupby(aliases.items(), key=lambda item: item[1]):
                matcher.add(actor_id, [[strings.add(t) for t in toks[text]] for text, _ in run])
        self._built_for = files

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        self._ensure_matchers()
        dictionary = filter_spans(self._dictionary_spans(doc) + self._handle_spans(doc))
        ents = merge_spans(dictionary, list(doc.ents))
        ents = self._gazetteer_fixes(doc, ents)
        ents = extend_person_names(doc, ents)
        ents = product_names(doc, ents)
        ents = product_phrases(doc, ents)
        ents = titled_persons(doc, ents)
        ents = unlikely_persons(doc, ents)
        ents = named_by_place_noun(doc, ents)
        doc.ents = filter_spans(ents)
        return doc

    def _dictionary_spans(self, doc: Doc) -> list[SpacySpan]:
        spans = []
        for match_id, start, end in self.exact_matcher(doc):
            span = doc[start:end]
            if _shouting(span.sent if doc.has_annotation("SENT_START") else doc[:]):
                continue
            spans.append(self._span(doc, start, end, match_id))
        for match_id, start, end in self.lower_matcher(doc):
            span = doc[start:end]
            surface = self.table.surface.get(norm_alias(span.text), "")
            # a capitalised alias ("Islamic State") only matches capitalised text
            if any(c.isupper() for c in surface) and not any(c.isupper() for c in span.text):
                continue
            spans.append(self._span(doc, start, end, match_id))
        return filter_spans(spans)

    def _handle_spans(self, doc: Doc) -> list[SpacySpan]:
        """Social-media handles and hashtags written as one token ("@CENTCOM", "#StateDept"):
        the actor whose alias is the handle without its sign, or its camelCase words."""
        spans = []
        text = doc_text(doc)
        if "@" not in text and "#" not in text:
            return spans  # no token can start with a sign
        for tok in doc:
            start, handle = tok.i, tok.text[1:]
            if tok.text == "#" and not tok.whitespace_ and tok.i + 1 < len(doc):  # the tokenizer split "#Word"
                handle = doc[tok.i + 1].text
                tok = doc[tok.i + 1]
            elif len(tok.text) < 3 or tok.text[0] not in "@#":
                continue
            if len(handle) < 2 or not handle[0].isalnum():
                continue
            actor = self.table.lookup(handle) or self.table.lookup(split_camel(handle))
            if actor is not None and (not _is_acronym(handle) or handle.isupper()):
                spans.append(SpacySpan(doc, start, tok.i + 1, label=spacy_label_of_class(actor.cls), kb_id=actor.id))
        return spans

    def _span(self, doc: Doc, start: int, end: int, match_id: int) -> SpacySpan:
        actor_id = self.nlp.vocab.strings[match_id]
        actor = self.table.by_id[actor_id]
        return SpacySpan(doc, start, end, label=spacy_label_of_class(actor.cls), kb_id=actor_id)

    def _gazetteer_fixes(self, doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
        """Relabel NER places the model mistyped; add proper-noun places it missed.

        Gazetteers hold many small places named like people or firms ("Dillon",
        "Apple"), so a lone word is only taken as a place when the gazetteer says
        it is a state or region, or a locative preposition comes before it."""
        person_words = {t.lower_ for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
        out = []
        for ent in ents:
            if ent.kb_id_ or ent.label_ not in ("PERSON", "ORG", "GPE", "LOC") or (len(ent) == 1 and ent[0].lower_ in person_words):
                out.append(ent)
                continue
            place = gaz_lookup(strip_determiner(ent.text))
            if place is not None and (ent.label_ in ("GPE", "LOC") or _confident_place(doc, ent.start, ent.end, place)):
                label = "GPE" if place.cls in PLACE_CLASSES else "LOC"
                out.append(SpacySpan(doc, ent.start, ent.end, label=label, kb_id=str(place.id)))
            else:
                out.append(ent)
        taken = {i for e in out for i in range(e.start, e.end)}
        for start, end in _proper_noun_runs(doc, taken):
            place = gaz_lookup(doc[start:end].text)
            if place is not None and _confident_place(doc, start, end, place):
                label = "GPE" if place.cls in PLACE_CLASSES else "LOC"
                out.append(SpacySpan(doc, start, end, label=label, kb_id=str(place.id)))
        return out


_LOCATIVE = frozenset({"in", "near", "at", "from", "to", "outside", "toward", "towards", "into", "around", "across", "of"})


def _confident_place(doc: Doc, start: int, end: int, place) -> bool:
    if place.cls in ("State", "Region") or end - start > 1:
        return True
    return start > 0 and doc[start - 1].lower_ in _LOCATIVE and doc[start - 1].lower_ != "of"


def _proper_noun_runs(doc: Doc, taken: set[int]) -> list[tuple[int, int]]:
    """Maximal runs (<= 4 tokens) of capitalised proper nouns outside existing entities."""
    good = set()
    for i in _token_indices(doc, ("PROPN",)):
        if i not in taken:
            tok = doc[i]
            if tok.text[:1].isupper() and tok.is_alpha:
                good.add(i)
    runs, start = [], None
    for i in range(len(doc)):
        ok = i in good
        if ok and start is None:
            start = i
        if not ok and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(doc)))
    return [(s, e) for s, e in runs if e - s <= 4]


def merge_spans(preferred: list[SpacySpan], others: list[SpacySpan]) -> list[SpacySpan]:
    """Dictionary spans win over overlapping NER spans, unless the NER span is a longer
    capitalised name that merely contains the alias ("US Army" holds "US")."""
    out = list(preferred)
    for ent in others:
        overlapping = [p for p in preferred if p.start < ent.end and ent.start < p.end]
        if not overlapping:
            out.append(ent)
            continue
        if all(ent.start <= p.start and p.end <= ent.end for p in overlapping):
            extra = [t for t in ent if not any(p.start <= t.i < p.end for p in overlapping)]
            if any(t.text[:1].isupper() and t.lower_ not in _DETERMINERS for t in extra):
                out = [p for p in out if p not in overlapping]
                out.append(ent)
    return out


def extend_person_names(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'Brett' + 'McGurk': extend a PERSON span over directly following capitalised proper nouns."""
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = []
    for ent in ents:
        if ent.label_ == "PERSON" and not ent.kb_id_:
            end = ent.end
            while (
                end < len(doc)
                and end - ent.end < 2
                and end not in taken
                and doc[end].pos_ == "PROPN"
                and doc[end].text[:1].isupper()
                and doc[end].is_alpha
                and not (ent.sent.end == end if doc.has_annotation("SENT_START") else False)
            ):
                end += 1
            if end != ent.end:
                ent = SpacySpan(doc, ent.start, end, label="PERSON")
        out.append(ent)
    return out


_CAMEL = re.compile(r"^[a-z]{1,2}[A-Z][A-Za-z]+$")  # iPhone, eReader: product-style names
_CAMEL_HINT = re.compile(r"[a-z][A-Z]")  # what every _CAMEL match contains
_MODEL = re.compile(r"^(\d[\w.]*|[A-Z]{1,3}\d[\w]*)$")  # "4", "3GS", "X5", "10.4"


def titled_persons(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """A short capitalised name right after a personal title ("Colonel Ryan Dillon",
    "spokesman X") is a person whatever the NER said; names without letters are dropped."""
    titles = load_titles()
    out = []
    for ent in ents:
        if not any(c.isalpha() for c in ent.text) and ent.label_ in NAME_LABELS:
            continue
        if (
            ent.label_ in ("ORG", "GPE", "NORP", "LOC", "FAC")
            and not ent.kb_id_
            and len(ent) <= 3
            and all(t.text[:1].isupper() for t in ent)
            and _title_ending_at(doc, ent.start, titles)
        ):
            ent = SpacySpan(doc, ent.start, ent.end, label="PERSON")
        out.append(ent)
    return out


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


def unlikely_persons(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """A one-word PERSON guess with no evidence of a person is relabelled a plain name (MISC).

    The small model calls many product and company names persons ("Safari", "Tiger").  A lone
    word is kept a person when it is a given name, part of a longer person name in the article
    ("Dillon" after "Ryan Dillon"), right after a personal title, or the subject of a speech verb."""
    given = load_given_names()
    titles = load_titles()
    full_name_words = {t.lower_ for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    out = []
    for ent in ents:
        words = [t for t in ent if t.tag_ != "POS" and t.is_alpha]
        if ent.label_ == "PERSON" and not ent.kb_id_ and len(words) == 1:
            word = words[0]
            evidence = (
                word.lower_ in given
                or word.lower_ in full_name_words
                or _title_ending_at(doc, ent.start, titles) is not None
                or (word.dep_ == "nsubj" and word.head.lemma_ in SPEECH_VERBS)
            )
            if not evidence:
                ent = SpacySpan(doc, ent.start, ent.end, label="MISC" if word.tag_ != "NNPS" else "ORG")
        out.append(ent)
    return out


def named_by_place_noun(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'the town of Hmaymah', 'the village of X': a name governed by "<place noun> of" is a place,
    whatever the NER guessed (places missing from the gazetteer still become places)."""
    nominals = load_nominals()
    out = []
    for ent in ents:
        prep = ent.root.head
        noun = prep.head
        if (
            not ent.kb_id_
            and ent.label_ in ("PERSON", "ORG", "MISC", "NORP")
            and ent.root.dep_ == "pobj"
            and prep.lower_ == "of"
            and noun.i < prep.i
            and (nominals.get(noun.lemma_.lower()) or Nominal("", "", frozenset())).cls in ("PopulatedPlace", "Region")
        ):
            ent = SpacySpan(doc, ent.start, ent.end, label="GPE")
        out.append(ent)
    return out


def product_names(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """camelCase names ("iPhone 4") and PRODUCT spans with their model number are products."""
    curated = {i for e in ents if e.kb_id_ for i in range(e.start, e.end)}
    out, spans = [], []
    # a camelCase token holds a lower-case letter followed by a capital: look at the tokens only if the text does
    for tok in (doc if _CAMEL_HINT.search(doc_text(doc)) else ()):
        if _CAMEL.match(tok.text) and tok.i not in curated:
            end = tok.i + 1
            while end < len(doc) and end - tok.i < 3 and _MODEL.match(doc[end].text):
                end += 1
            spans.append(SpacySpan(doc, tok.i, end, label="PRODUCT"))
    for ent in ents:
        if ent.label_ == "PRODUCT" and ent.end < len(doc) and _MODEL.match(doc[ent.end].text):
            ent = SpacySpan(doc, ent.start, ent.end + 1, label="PRODUCT")
        if any(p.start < ent.end and ent.start < p.end for p in spans) and not ent.kb_id_:
            continue  # the product span replaces NER's guess ("iPhone" as ORG, "4" as CARDINAL)
        out.append(ent)
    return out + spans


def load_product_qualifiers() -> frozenset[str]:
    """Lowercased model words ("Pro", "Air", "OS") from kgbuild/data/product_qualifiers.txt."""
    return load_word_list("product_qualifiers.txt")


def _product_head(doc: Doc, ent: SpacySpan) -> Token | None:
    """The product noun a name modifies ("MacBook Air laptops", "Mac OS X operating system"),
    if every token between the name and that noun is a noun or adjective modifier."""
    nominals = load_nominals()
    head = ent.root.head
    if ent.root.dep_ != "compound" or head.i < ent.end or head.i - ent.end > 2 or head.pos_ != "NOUN":
        return None
    nominal = nominals.get(head.lemma_.lower()) or nominals.get(head.lower_)
    if nominal is None or nominal.cls not in ("Product", "Vehicle"):
        return None
    if any(t.pos_ not in ("NOUN", "ADJ", "PROPN") for t in doc[ent.end : head.i]):
        return None
    return head


def _model_name(ent: SpacySpan) -> bool:
    """'MacBook Pro', 'Mac OS X', 'Galaxy S10', 'Windows 7': a qualifier or model number after the brand."""
    words = [t for t in ent if t.lower_ not in _DETERMINERS]
    if len(words) < 2 or not words[0].text[:1].isupper():
        return False
    nominals = load_nominals()
    if any((nominals.get(t.lower_) or nominals.get(t.lemma_.lower()) or Nominal("", "", frozenset())).coarse == "ORGANIZATION" for t in words):
        return False  # "Air Force Security Forces", "Pro Bono Office": an organisation's name
    qualifiers = load_product_qualifiers()
    return any(t.lower_ in qualifiers for t in words[1:]) or bool(_MODEL.match(words[-1].text) and any(c.isdigit() for c in words[-1].text))


def product_phrases(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """Names the NER typed as firms or people that name products.

    A name directly modifying a product noun ("MacBook Air laptops") is a product and its
    mention takes the noun in; so is a name with a model word or number after the brand
    ("Mac OS X", "Galaxy S10").  A one-word brand also used on its own in the article
    ("Ford said ... Ford trucks") stays the company."""
    labels = ("ORG", "PERSON", "MISC", "PRODUCT")
    standalone = Counter(e.text.lower() for e in ents if e.label_ in labels and _product_head(doc, e) is None)
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = []
    for ent in ents:
        if ent.kb_id_ or ent.label_ not in labels:
            out.append(ent)
            continue
        head = _product_head(doc, ent)
        if head is not None and (len(ent) > 1 or not standalone[ent.text.lower()]) and not any(i in taken for i in range(ent.end, head.i + 1)):
            ent = SpacySpan(doc, ent.start, head.i + 1, label="PRODUCT")
        elif ent.label_ != "PRODUCT" and _model_name(ent):
            ent = SpacySpan(doc, ent.start, ent.end, label="PRODUCT")
        out.append(ent)
    return out


@Language.factory("kgbuild_actor_ruler", default_config={"alias_files": []})
def make_actor_ruler(nlp: Language, name: str, alias_files: list[str]) -> ActorRuler:
    return ActorRuler(nlp, name, alias_files)


# ---------------------------------------------------------------------------
# Component 2: the entity-node builder
# ---------------------------------------------------------------------------

PRON_PERSON = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
PRON_FIRST = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
PRON_FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
PRON_SECOND = frozenset({"you", "your", "yours", "yourself", "yourselves"})
PRON_PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
PRON_IT = frozenset({"it", "its", "itself"})
_NOMINAL_MODIFIERS = frozenset({"det", "amod", "nummod", "compound", "quantmod", "advmod", "punct"})
PRON_RELATIVE = frozenset({"who", "whom", "whose"})
SPEECH_VERBS = frozenset(
    {"say", "tell", "add", "state", "claim", "announce", "warn", "insist", "explain", "declare", "report",
     "write", "note", "confirm", "deny", "acknowledge", "ask", "reply", "respond", "argue", "stress"}
)
PERSON_CLASSES = frozenset({"Person"})
PLURAL_CLASSES = frozenset({"PeopleGroup"}) | ORG_CLASSES - {"MediaOrganisation"}
# Nominal coreference: classes specific enough that "the coalition" / "the militants" may join the
# article's only node of that class however far back it was named; salience of a candidate node.
SPECIFIC_CLASSES = frozenset({"Coalition", "ArmedGroup", "MilitaryForce", "InternationalOrganisation"})
SALIENCE_WINDOW = 3  # sentences: a candidate must have been mentioned this recently
SALIENCE_DECAY = 0.7  # weight of a mention one sentence further back
MENTION_WEIGHT = {"name": 1.0, "nominal": 0.6, "pronoun": 0.3}
CORE_ARGS = frozenset({"nsubj", "nsubjpass", "dobj", "iobj", "dative"})
PRON_INDEFINITE_PERSON = frozenset({"others", "anyone", "everyone", "someone", "somebody", "nobody", "everybody", "anybody"})


@dataclass
class Cluster:
    """An entity node under construction."""

    key: str
    label: str
    cls: str
    rule: str
    doc_scoped: bool = False
    mentions: list[Mention] = field(default_factory=list)
    votes: Counter = field(default_factory=Counter)  # coarse type votes from names
    fixed_coarse: str | None = None  # decided by curated data (dictionary, gazetteer)
    wikidata: str | None = None
    geonames: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    count: int | None = None
    value: str | None = None
    confidence: float = 1.0
    lemma: str | None = None  # head noun of a nominal node

    @property
    def coarse(self) -> str:
        if self.fixed_coarse:
            return self.fixed_coarse
        if self.votes:
            return sorted(self.votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        return coarse_of_class(self.cls)


def _token_indices(doc: Doc, pos: Iterable[str] = (), tags: Iterable[str] = (), lowers: Iterable[str] = ()) -> list[int]:
    """Indices, ascending, of the tokens whose pos_ is in `pos`, tag_ in `tags` or lower_ in `lowers`:
    read from one doc.to_array call, without making a Token object per token."""
    import numpy

    from spacy.attrs import LOWER, POS, TAG
    from spacy.parts_of_speech import IDS

    if len(doc) == 0:
        return []
    strings = doc.vocab.strings
    table = doc.to_array([POS, TAG, LOWER])  # uint64 columns; the tag and lower values are string hashes
    mask = numpy.zeros(len(doc), dtype=bool)
    for column, wanted in ((0, [IDS[p] for p in pos]), (1, [strings.as_int(t) for t in tags]),
                           (2, [strings.as_int(w) for w in lowers])):
        if wanted:
            mask |= numpy.isin(table[:, column], numpy.array(wanted, dtype=numpy.uint64))
    return numpy.flatnonzero(mask).tolist()


class DocEntities:
    """Builds the entity nodes of one Doc; one instance per document."""

    def __init__(self, doc: Doc, actors: ActorTable):
        self.doc = doc
        self.actors = actors
        article = doc._.kg_article if Doc.has_extension("kg_article") else None
        self.doc_id = getattr(article, "doc_id", "") or ""
        self.article_date = _parse_iso(getattr(article, "date", None))
        self.clusters: dict[str, Cluster] = {}
        self.token_cluster: dict[int, str] = {}  # token index -> cluster key (any mention)
        self.mentioned: set[int] = set()  # tokens inside emitted mentions of names
        self.sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]  # spaCy walks the doc per doc.sents
        self.sent_starts = [s.start for s in self.sents] if doc.has_annotation("SENT_START") else [0]
        self.text = doc_text(doc)
        self.relations: list[Relation] = []
        self.counts: dict[int, int] = {}  # head token -> count for people groups
        self.nominal_heads: list[tuple[int, str, str]] = []  # (char offset, head lemma, node key) of nominals
        self.nominal_mods: dict[int, frozenset[str]] = {}  # char offset of a nominal's head -> its identity modifiers
        self.pending_roles: list[tuple] = []  # role phrases before names, see _title_apposition

    # -- bookkeeping ----------------------------------------------------

    def sentence_of(self, token_i: int) -> int:
        lo, hi = 0, len(self.sent_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sent_starts[mid] <= token_i:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def cluster(self, key: str, **kwargs) -> Cluster:
        if key not in self.clusters:
            self.clusters[key] = Cluster(key=key, **kwargs)
        return self.clusters[key]

    def add_mention(self, cluster: Cluster, start: int, end: int, coarse: str, kind: str, confidence: float = 1.0) -> Mention:
        if 0 <= start < end <= len(self.doc):  # a span's offsets and text, without making the Span
            last = self.doc[end - 1]
            start_char, end_char = self.doc[start].idx, last.idx + len(last)
            text = self.text[start_char:end_char]
        else:
            span = self.doc[start:end]
            start_char, end_char, text = span.start_char, span.end_char, span.text
        mention = Mention(
            start=start_char,
            end=end_char,
            text=text,
            coarse=coarse,
            entity=cluster.key,
            sentence=self.sentence_of(start),
            kind=kind,
            extractor=EXTRACTOR,
            confidence=confidence,
        )
        cluster.mentions.append(mention)
        for i in range(start, end):
            self.token_cluster.setdefault(i, cluster.key)
        return mention

    # -- the whole run --------------------------------------------------

    def build(self) -> tuple[list[Entity], list[Relation]]:
        names = [e for e in self.doc.ents if e.label_ in NAME_LABELS]
        self.add_names(names)
        self.add_values([e for e in self.doc.ents if e.label_ not in NAME_LABELS])
        self.add_title_mentions()
        self.add_nominals()
        self.add_role_relations()
        self.add_pronouns()
        self.add_title_relations()
        return self.entities(), self.relations

    # -- names ----------------------------------------------------------

    def add_names(self, ents: list[SpacySpan]) -> None:
        """Cluster name mentions: curated ids, acronyms, surnames, then normalised labels."""
        acronyms = defined_acronyms(self.doc, ents)
        # full names first, so a surname can join a name that appears later in the text
        order = sorted(ents, key=lambda e: (not (e.label_ == "PERSON" and len(person_name_tokens(e)) > 1), e.start))
        for ent in order:
            demonym_place = self._demonym_place(ent) if ent.label_ == "NORP" else None
            if demonym_place is not None:
                self.add_place_mention(ent.start, ent.end, demonym_place, rule="demonym")
                continue
            if ent.label_ == "NORP":
                self._add_norp(ent)
                continue
            cluster, rule = self._name_cluster(ent, acronyms)
            coarse, _ = NER_LABELS[ent.label_]
            if not ent.kb_id_ and rule != "surname":  # a lone surname's NER label is unreliable
                cluster.votes[coarse] += 2 if len(ent) > 1 else 1
            self.add_mention(cluster, ent.start, ent.end, coarse, "name")
            self.mentioned.update(range(ent.start, ent.end))
        for cluster in self.clusters.values():  # one type per node: fix every name mention
            if coarse_of_class(cluster.cls) != cluster.coarse:
                cluster.cls = DEFAULT_CLASS[cluster.coarse]
            cluster.mentions = [_retype(m, cluster.coarse) for m in cluster.mentions]

    def _name_cluster(self, ent: SpacySpan, acronyms: dict[str, str]) -> tuple[Cluster, str]:
        if ent.kb_id_:
            return self._curated_cluster(ent), "alias-table"
        coarse, cls = NER_LABELS[ent.label_]
        text = strip_determiner(ent.text)
        if len(ent) == 1 and ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
            existing = self._surname_match(text)
            if existing is not None:  # 'Dillon' after 'Ryan Dillon', whatever the NER thought
                return existing, "surname"
        if ent.label_ == "PERSON":
            name = " ".join(t.text for t in person_name_tokens(ent)) or text
            existing = self._surname_match(name)
            if existing is not None:
                return existing, "surname"
            return self.cluster(slug(name), label=name, cls="Person", rule="ner"), "ner"
        actor = self.actors.lookup(text)
        if actor is not None:
            return self._actor_cluster(actor), "alias-table"
        national = self._national_body(ent)
        if national is not None:
            return national, "demonym"
        long_form = acronyms.get(text)
        if long_form and slug(long_form) in self.clusters:
            cluster = self.clusters[slug(long_form)]
            cluster.rule = cluster.rule if "acronym" in cluster.rule else cluster.rule + "+acronym"
            return cluster, "acronym"
        for short, long in acronyms.items():
            if long == text and slug(short) in self.clusters:  # acronym seen before its long form
                return self.clusters[slug(short)], "acronym"
        if ent.label_ in ("ORG",) and _looks_like_acronym(text):
            match = self._initials_match(text)
            if match is not None:
                return match, "acronym"
        return self.cluster(slug(text), label=text, cls=cls, rule="ner"), "ner"

    def _national_body(self, ent: SpacySpan) -> Cluster | None:
        """'Gabonese navy', 'the Chadian government' (uncurated): the state's body, linked to
        the state by its country, one node per state and head noun ('Gabon navy')."""
        words = [t for t in ent if t.lower_ not in _DETERMINERS]
        if ent.label_ != "ORG" or len(words) != 2:
            return None
        nominal = load_nominals().get(words[1].lemma_.lower()) or load_nominals().get(words[1].lower_)
        state = gaz_demonym(words[0].text) if nominal and nominal.coarse == "ORGANIZATION" else None
        if state is None:
            return None
        lemma = words[1].lemma_.lower()
        label = f"{state.label} {lemma}"
        cluster = self.cluster(slug(label), label=label, cls=nominal.cls, rule="nominal+demonym", country=state.country)
        cluster.fixed_coarse = "ORGANIZATION"
        return cluster

    def _curated_cluster(self, ent: SpacySpan) -> Cluster:
        actor = self.actors.by_id.get(ent.kb_id_)
        if actor is not None:
            return self._actor_cluster(actor)
        place = gaz_lookup(strip_determiner(ent.text))
        if place is not None and str(place.id) == ent.kb_id_:
            return self._place_cluster(place)
        coarse, cls = NER_LABELS.get(ent.label_) or ("OTHER", "Thing")
        return self.cluster(ent.kb_id_, label=strip_determiner(ent.text), cls=cls, rule="alias-table")

    def _actor_cluster(self, actor: Actor) -> Cluster:
        cluster = self.cluster(actor.id, label=actor.label, cls=actor.cls, rule="alias-table", wikidata=actor.wikidata, country=actor.country)
        cluster.fixed_coarse = coarse_of_class(actor.cls)
        return cluster

    def _place_cluster(self, place) -> Cluster:
        cluster = self.cluster(
            str(place.id),
            label=place.label,
            cls=place.cls,
            rule="gazetteer",
            geonames=getattr(place, "geonames", None),
            country=getattr(place, "country", None),
            lat=getattr(place, "lat", None),
            lon=getattr(place, "lon", None),
        )
        cluster.fixed_coarse = coarse_of_class(place.cls) if place.cls != "Facility" else "LOCATION"
        return cluster

    def add_place_mention(self, start: int, end: int, place, rule: str, kind: str = "name") -> None:
        cluster = self._place_cluster(place)
        if cluster.rule == "gazetteer" and rule != "gazetteer":
            cluster.rule = f"gazetteer+{rule}"
        self.add_mention(cluster, start, end, cluster.coarse, kind)
        self.mentioned.update(range(start, end))

    def _demonym_place(self, ent: SpacySpan):
        place = gaz_demonym(ent.text)
        if place is None and len(ent) > 1:
            place = gaz_demonym(ent[-1].text)
        return place

    def _add_norp(self, ent: SpacySpan) -> None:
        """Non-demonym nationalities, religions, political groups: people when plural, else a group."""
        text = strip_determiner(ent.text)
        actor = self.actors.lookup(text)
        if actor is not None:
            cluster = self._actor_cluster(actor)
            self.add_mention(cluster, ent.start, ent.end, cluster.coarse, "name")
        elif ent[-1].tag_ in ("NNPS", "NNS"):
            cluster = self.cluster(slug(text), label=text, cls="PeopleGroup", rule="ner")
            cluster.fixed_coarse = "PERSON"
            self.add_mention(cluster, ent.start, ent.end, "PERSON", "name")
        else:
            return
        self.mentioned.update(range(ent.start, ent.end))

    def _surname_match(self, name: str) -> Cluster | None:
        """A one-word person name that is the last (or first) word of exactly one full name."""
        words = name.split()
        if len(words) != 1:
            return None
        word = words[0].lower()
        hits = [
            c
            for c in self.clusters.values()
            if c.cls == "Person" and len(c.label.split()) > 1 and word in (c.label.split()[-1].lower(), c.label.split()[0].lower())
        ]
        if len(hits) == 1:
            if "surname" not in hits[0].rule:
                hits[0].rule += "+surname"
            return hits[0]
        return None

    def _initials_match(self, acronym: str) -> Cluster | None:
        letters = acronym.replace(".", "").upper()
        hits = [c for c in self.clusters.values() if c.cls in ORG_CLASSES | {"Organisation"} and initials(c.label) == letters]
        return hits[0] if len(hits) == 1 else None

    # -- dates and quantities -------------------------------------------

    def add_values(self, ents: list[SpacySpan]) -> None:
        for ent in ents:
            mapped = NER_LABELS.get(ent.label_)
            if mapped is None:
                continue
            coarse, cls = mapped
            if cls == "Date":
                if ent.text.lower() in FREQUENCY_WORDS:
                    continue  # "annual", "weekly": how often, not when; no date node
                value = normalise_date(frame_text(ent), self.article_date)  # "since 2014": from 2014 on
                key = f"date-{value}" if value else doc_scoped_key("date", self.doc_id, ent.text, ent.start_char)
                cluster = self.cluster(key, label=ent.text, cls="Date", rule="ner", doc_scoped=not value, value=value)
            else:
                if ent.label_ == "CARDINAL" and self._cardinal_is_people(ent):
                    continue
                key = doc_scoped_key("quantity", self.doc_id, ent.text, ent.start_char)
                cluster = self.cluster(key, label=ent.text, cls="Quantity", rule="ner", doc_scoped=True, value=normalise_number(ent.text))
            cluster.fixed_coarse = coarse
            self.add_mention(cluster, ent.start, ent.end, coarse, "name")

    def _cardinal_is_people(self, ent: SpacySpan) -> bool:
        """A bare number is a count, not a thing: it becomes a people group's Entity.count
        ("308 fighters") or, as a clause subject ("two died"), a PeopleGroup node.  (Emitting
        every number as a Quantity mention was measured: it costs more precision than it gains.)"""
        if ent.root.dep_ in ("nsubj", "nsubjpass") and ent.root.head.pos_ in ("VERB", "AUX"):
            self._people_number(ent)
        else:
            self._is_group_count(ent)
        return True

    def _people_number(self, ent: SpacySpan) -> None:
        """'Two were killed': a number as the subject of a clause denotes people."""
        value = normalise_number(ent.text)
        key = doc_scoped_key("people", self.doc_id, ent.text, ent.start_char)
        cluster = self.cluster(key, label=ent.text, cls="PeopleGroup", rule="number-subject", doc_scoped=True, confidence=0.6)
        cluster.count = int(value) if value and value.isdigit() else None
        cluster.fixed_coarse = "PERSON"
        self.add_mention(cluster, ent.start, ent.end, "PERSON", "nominal", 0.6)

    def _is_group_count(self, ent: SpacySpan) -> bool:
        """'308' in '308 IS fighters' is the size of a group, kept as Entity.count."""
        head = ent.root.head
        nominal = load_nominals().get(head.lemma_.lower())
        if ent.root.dep_ == "nummod" and nominal is not None and nominal.cls == "PeopleGroup":
            value = normalise_number(ent.text)
            if value is not None and value.isdigit():
                self.counts[head.i] = int(value)
            return True
        return False

    # -- nominals -------------------------------------------------------

    def add_title_mentions(self) -> None:
        """'Apple CEO Steve Jobs', 'coalition spokesman X': the title before a name denotes the person."""
        titles = load_titles()
        for cluster in list(self.clusters.values()):
            if cluster.cls != "Person":
                continue
            for m in list(cluster.mentions):
                span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None or m.kind != "name":
                    continue
                end = span.start
                while True:
                    found = _title_ending_at(self.doc, end, titles)
                    if not found or any(i in self.mentioned for i in range(end - found[0], end)):
                        break
                    end -= found[0]
                if end < span.start:
                    self.add_mention(cluster, end, span.start, "PERSON", "nominal", 0.8)
                    self.mentioned.update(range(end, span.start))

    def add_nominals(self) -> None:
        """Common-noun mentions from nominals.tsv; definite ones corefer where a match is near."""
        table = load_nominals()
        doc = self.doc
        for i in _token_indices(doc, ("NOUN", "PROPN")):
            if i in self.mentioned:
                continue
            tok = doc[i]
            nominal = table.get(handle_word(tok.lemma_.lower())) or table.get(handle_word(tok.lower_))
            if nominal is None or tok.text[:1].isupper() and tok.pos_ == "PROPN" and tok.i > 0 and not tok.is_sent_start:
                continue
            if tok.dep_ == "compound" and nominal.coarse == "PERSON" and tok.head.i in self.mentioned:
                key = self.token_cluster.get(tok.head.i)
                if key and self.clusters[key].cls == "Person":  # "Apple CEO Steve Jobs": the title names him
                    self.add_mention(self.clusters[key], tok.i, tok.i + 1, "PERSON", "nominal", 0.8)
                continue
            if tok.dep_ == "compound" and nominal.coarse != "ORGANIZATION":
                if self._product_of_maker(tok, nominal, table):  # "car" in "the largest car maker"
                    self._add_nominal(tok, tok.i, nominal)
                continue
            start = self._nominal_start(tok)
            if nominal.coarse == "PERSON" and self._title_apposition(tok, start):
                continue
            self._add_nominal(tok, start, nominal)

    def _title_apposition(self, head: Token, start: int) -> bool:
        """'the US envoy to the coalition Brett McGurk', 'the company's chief executive, Jane Roe':
        a role phrase right before a person's name denotes that person (a mention of the name's
        node); a role word from titles.tsv with an organisation in the phrase also gives a fact."""
        appos = [c for c in head.rights if c.dep_ == "appos"]
        right = max(head.i, (appos[0].left_edge.i - 1) if appos else head.right_edge.i)
        if right - head.i > 8 or right + 1 >= len(self.doc):
            return False
        nxt = right + 1
        if self.doc[nxt].text == "," and nxt + 1 < len(self.doc):
            nxt += 1
        key = self.token_cluster.get(nxt)
        cluster = self.clusters.get(key) if key else None
        if cluster is None or cluster.cls != "Person" or (nxt > 0 and self.token_cluster.get(nxt - 1) == key):
            return False
        if any(i in self.mentioned for i in range(start, head.i + 1)):
            return False
        self.add_mention(cluster, start, head.i + 1, "PERSON", "nominal", 0.8)
        self.mentioned.update(range(start, head.i + 1))
        found = _title_ending_at(self.doc, head.i + 1, load_titles())
        predicate = found[1] if found else load_titles().get((head.lemma_.lower(),))
        if predicate and predicate != "-":  # decided once every nominal has its node ("envoy to the coalition")
            end_tok = self.doc[nxt]
            name_end = max((m.end for m in cluster.mentions if m.start == end_tok.idx), default=end_tok.idx + len(end_tok))
            self.pending_roles.append((cluster.key, predicate, head, right, self.doc[start].idx, name_end))
        return True

    def add_role_relations(self) -> None:
        """The facts of role phrases before names, once the organisations in them are resolved."""
        for person, predicate, head, right, start, end in self.pending_roles:
            org = self._role_organisation(head, right)
            if org is not None and org.key != person:
                self._relation(person, predicate, org.key, start, end)

    def _role_organisation(self, head: Token, right: int) -> Cluster | None:
        """The organisation (or state) a role phrase names: the object of its 'to/of/for/at'
        ("envoy to the coalition") first, else a modifier ("the US envoy", "the company's chief")."""
        def org_at(i: int) -> Cluster | None:
            key = self.token_cluster.get(i)
            c = self.clusters.get(key) if key else None
            return c if c is not None and c.coarse in ("ORGANIZATION", "GPE") else None

        for prep in head.rights:
            if prep.dep_ == "prep" and prep.lower_ in ("to", "of", "for", "at") and prep.i <= right:
                for obj in prep.children:
                    if obj.dep_ == "pobj" and org_at(obj.i) is not None:
                        return org_at(obj.i)
        for child in head.lefts:
            if child.dep_ in ("poss", "compound", "nmod", "amod") and org_at(child.i) is not None:
                return org_at(child.i)
        return None

    @staticmethod
    def _product_of_maker(tok: Token, nominal: Nominal, table: dict[str, Nominal]) -> bool:
        """A product noun modifying a firm noun ("car manufacturer", "auto makers") names the
        product line: a mention of its own inside the firm's nominal."""
        head = table.get(tok.head.lemma_.lower()) or table.get(tok.head.lower_)
        return nominal.cls in ("Product", "Vehicle") and head is not None and head.coarse == "ORGANIZATION" and tok.head.i > tok.i

    def _nominal_start(self, head: Token) -> int:
        """Left edge of the nominal phrase: determiners and modifiers directly before the head."""
        start = head.i
        for child in sorted(head.lefts, key=lambda t: -t.i):
            if child.dep_ not in _NOMINAL_MODIFIERS or child.i in self.mentioned:
                break
            sub = list(child.subtree)
            simple = (
                sub[-1].i == start - 1
                and len(sub) <= 4
                and all(t is child or (t.dep_ in _NOMINAL_MODIFIERS and (t.pos_ != "NOUN" or t.dep_ == "compound")) for t in sub)
            )
            if not simple and child.i != start - 1:
                break
            left = sub[0].i if simple else child.i
            if any(i in self.mentioned for i in range(left, child.i)):
                left = child.i
            start = left
        return start

    def _add_nominal(self, head: Token, start: int, nominal: Nominal) -> None:
        span = self.doc[start : head.i + 1]
        determiners = {t.lower_ for t in span if t.dep_ == "det"}
        has_poss = any(c.dep_ == "poss" for c in head.children)
        definite = bool(determiners & {"the", "this", "that", "these", "those"}) or has_poss
        plural = head.tag_ in ("NNS", "NNPS")
        bare = not determiners and not has_poss and not any(t.like_num for t in span)
        lemma = head.lemma_.lower()
        self.nominal_mods[head.idx] = self._identity_modifiers(head)
        state = self._modifier_state(head)
        if state is not None and nominal.coarse == "ORGANIZATION":
            label = f"{state.label} {lemma}"
            cluster = self.cluster(slug(label), label=label, cls=nominal.cls, rule="nominal+demonym", country=state.country)
            cluster.fixed_coarse = nominal.coarse
            self.add_mention(cluster, start, head.i + 1, nominal.coarse, "nominal", 0.8)
            return
        antecedent = None
        if definite or (bare and (plural or nominal.coarse == "ORGANIZATION")):
            antecedent = self._nominal_antecedent(head, nominal, lemma, definite=definite, plural=plural)
        if antecedent is not None:
            self.add_mention(antecedent, start, head.i + 1, nominal.coarse, "nominal", 0.6)
            self.nominal_heads.append((head.idx, lemma, antecedent.key))
            return
        key = doc_scoped_key(lemma, self.doc_id, span.text, span.start_char)
        label = strip_determiner(span.text)
        cluster = self.cluster(key, label=label, cls=nominal.cls, rule="nominal", doc_scoped=True, confidence=0.7, lemma=lemma)
        cluster.fixed_coarse = nominal.coarse
        cluster.count = self.counts.get(head.i)
        self.add_mention(cluster, start, head.i + 1, nominal.coarse, "nominal", 0.7)
        self.nominal_heads.append((head.idx, lemma, cluster.key))

    def _modifier_state(self, head: Token):
        """'Iraqi forces', 'the Syrian government': the state a demonym/place modifier names."""
        for child in head.lefts:
            if child.dep_ in ("amod", "compound", "poss"):
                key = self.token_cluster.get(child.i)
                if key and self.clusters[key].cls == "State":
                    return self.clusters[key]
        return None

    def _nominal_antecedent(self, head: Token, nominal: Nominal, lemma: str, definite: bool, plural: bool) -> Cluster | None:
        """The node this nominal repeats.

        1. the latest earlier nominal with the same head noun ("the convoy" ... "the convoy"),
           unless it counted a different group;
        2. for a definite nominal ("the militants", "the group"), the most *salient* named node
           of a fitting class: frequent and recent mentions both count, so a passing mention
           of another actor in the previous clause does not steal the reference;
        3. the only node of a specific class in the article ("the coalition", "coalition
           spokesman" when one coalition is named), however far back it was named.
        Nodes coordinated with the nominal ("Hizballah and the militants") or co-arguments of
        its verb ("Hizballah attacked the militants") are never its antecedent."""
        same = self._same_head_antecedent(head, lemma)
        if same is not None or not nominal.refers:
            return same
        excluded = self._disjoint_keys(head)
        candidates = [c for c in self._fitting_clusters(nominal.refers, head.idx) if c.key not in excluded]
        if definite:
            salient = self._most_salient(head, candidates)
            if salient is not None:
                return salient
        if (definite or not plural) and nominal.refers <= SPECIFIC_CLASSES and len(candidates) == 1:
            only = candidates[0]
            if "nominal" not in only.rule:
                only.rule += "+nominal"
            return only
        return None

    def _same_head_antecedent(self, head: Token, lemma: str) -> Cluster | None:
        """The node of the latest earlier nominal with this head noun (if the counts agree, and
        this one names no group the earlier one did not: "Kurdish fighters" are not "IS fighters")."""
        count = self.counts.get(head.i)
        mods = self.nominal_mods.get(head.idx, frozenset())
        seen: dict[str, int] = {}  # fitting node -> its earlier nominals with this head
        for pos, other, key in reversed(self.nominal_heads):
            if pos >= head.idx or other != lemma:
                continue
            cluster = self.clusters[key]
            if cluster.count and count not in (None, cluster.count):
                continue
            if mods and not mods <= self.nominal_mods.get(pos, frozenset()):
                continue
            if mods:
                return cluster
            seen[key] = seen.get(key, 0) + 1
        # An unmodified "the fighters" with several groups of fighters before it repeats the
        # most often mentioned one (max keeps the first, i.e. the latest, on a tie).
        return self.clusters[max(seen, key=seen.__getitem__)] if seen else None

    def _identity_modifiers(self, head: Token) -> frozenset[str]:
        """Modifiers saying whose or which group a nominal is: names, demonyms ("IS fighters",
        "Kurdish and Arab fighters", "Hizballah's fighters"), with their conjuncts."""
        out: set[str] = set()
        stack = [c for c in head.lefts if c.dep_ in ("amod", "compound", "nmod", "poss")]
        while stack:
            t = stack.pop()
            if t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "GPE", "ORG") or t.i in self.token_cluster:
                out.add(t.lower_)
                stack.extend(c for c in t.children if c.dep_ == "conj")
        return frozenset(out)

    def _fitting_clusters(self, classes: frozenset[str], before: int) -> list[Cluster]:
        """Nodes of one of `classes` named before char offset `before` (antecedents precede)."""
        return [
            c for c in self.clusters.values()
            if c.cls in classes and not c.doc_scoped and any(m.kind == "name" and m.start < before for m in c.mentions)
        ]

    def _most_salient(self, head: Token, candidates: list[Cluster]) -> Cluster | None:
        """Salience = sum over earlier mentions of kind weight x decay^(sentences back),
        among nodes mentioned within SALIENCE_WINDOW sentences; ties go to the latest."""
        sent = self.sentence_of(head.i)
        best, best_score = None, (0.0, -1)
        for cluster in candidates:
            earlier = [m for m in cluster.mentions if m.start < head.idx]
            if not earlier or max(m.sentence for m in earlier) < sent - SALIENCE_WINDOW:
                continue
            score = sum(MENTION_WEIGHT.get(m.kind, 0.3) * SALIENCE_DECAY ** (sent - m.sentence) for m in earlier)
            key = (round(score, 6), max(m.start for m in earlier))
            if key > best_score:
                best, best_score = cluster, key
        return best

    def _disjoint_keys(self, head: Token) -> set[str]:
        """Nodes that cannot be this nominal's referent: its conjuncts and its verb's other arguments."""
        top = head
        while top.dep_ == "conj" and top.head.i != top.i:
            top = top.head
        tokens, stack = [], [top]
        while stack:
            t = stack.pop()
            tokens.append(t)
            stack.extend(c for c in t.children if c.dep_ == "conj")
        verb = top.head
        if top.dep_ in CORE_ARGS and verb.pos_ in ("VERB", "AUX"):
            tokens.extend(c for c in verb.children if c.dep_ in CORE_ARGS)
            tokens.extend(g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj")
        return {self.token_cluster[t.i] for t in tokens if t.i != head.i and t.i in self.token_cluster}

    # -- pronouns -------------------------------------------------------

    def add_pronouns(self) -> None:
        """Third-person pronouns first (so "he told AFP" names a quote's speaker), then first person."""
        doc = self.doc
        candidates = [
            doc[i] for i in _token_indices(doc, ("PRON",), ("PRP", "PRP$", "WP", "WP$", "WDT", "WRB"), PRON_INDEFINITE_PERSON)
            if i not in self.token_cluster
        ]
        for tok in candidates:
            self._third_person(tok)
        for tok in candidates:
            low = tok.lower_
            if tok.i in self.token_cluster or low not in PRON_FIRST | PRON_SECOND or tok.text == "US":
                continue
            target = self._quote_speaker(tok) if low in PRON_FIRST else None
            if target is None and low in PRON_FIRST_PLURAL:
                continue  # an unresolved "we" may be a person, a group or a state: no guess
            self._pronoun(tok, target, "PERSON")

    def _third_person(self, tok: Token) -> None:
        low = tok.lower_
        if low in PRON_PERSON:
            self._pronoun(tok, self._recent(tok, PERSON_CLASSES, sentences=3), "PERSON")
        elif low in PRON_PLURAL:
            target = self._recent(tok, PLURAL_CLASSES, sentences=2)
            self._pronoun(tok, target, target.coarse if target else "PERSON")
        elif low in PRON_IT:
            if low == "its" or not _expletive_it(tok):
                target = self._recent(tok, ORG_CLASSES | OTHER_CLASSES, sentences=2)
                if target is not None:
                    self._pronoun(tok, target, target.coarse)
        elif low in PRON_RELATIVE:
            target = self._relative_antecedent(tok)
            if target is not None and target.coarse == "PERSON":
                self._pronoun(tok, target, "PERSON")
        elif low in PRON_INDEFINITE_PERSON:
            self._pronoun(tok, None, "PERSON")
        elif low in ("which", "that") and tok.tag_ in ("WDT", "WP") and tok.head.dep_ == "relcl":
            target = self._relative_antecedent(tok)
            if target is not None:
                self._pronoun(tok, target, target.coarse)
        elif low == "where" and tok.tag_ == "WRB":
            target = self._relative_antecedent(tok)
            if target is not None and target.coarse in ("GPE", "LOCATION"):
                self._pronoun(tok, target, target.coarse)
            elif target is None:
                self._pronoun(tok, None, "LOCATION")

    def _relative_antecedent(self, tok: Token) -> Cluster | None:
        """'the men who ...': the node of the noun a relative clause modifies."""
        if tok.head.dep_ != "relcl":
            return None
        key = self.token_cluster.get(tok.head.head.i)
        return self.clusters[key] if key else None

    def _pronoun(self, tok: Token, target: Cluster | None, coarse: str) -> None:
        if target is None:
            key = doc_scoped_key("pronoun", self.doc_id, tok.text, tok.idx)
            cls = {"PERSON": "Person", "LOCATION": "Region"}.get(coarse, "Thing")
            target = self.cluster(key, label=tok.text, cls=cls, rule="pronoun-unresolved", doc_scoped=True, confidence=0.3)
            target.fixed_coarse = coarse
            self.add_mention(target, tok.i, tok.i + 1, coarse, "pronoun", 0.3)
        else:
            self.add_mention(target, tok.i, tok.i + 1, coarse, "pronoun", 0.6)

    def _recent(self, tok: Token, classes: frozenset[str], sentences: int) -> Cluster | None:
        """The node of the closest preceding name or nominal of one of `classes`."""
        sent = self.sentence_of(tok.i)
        best, best_pos = None, -1
        for cluster in self.clusters.values():
            if cluster.cls not in classes or cluster.rule == "pronoun-unresolved":
                continue
            for m in cluster.mentions:
                if m.start < tok.idx and m.sentence >= sent - sentences and m.kind != "pronoun" and m.start > best_pos:
                    best, best_pos = cluster, m.start
        return best

    def _quote_speaker(self, tok: Token) -> Cluster | None:
        """'"...I..." X said' / 'X said: "...I..."': the subject of the speech verb of the quote."""
        if not _inside_quote(self.doc, tok.i, self.text):
            return None
        sent_i = self.sentence_of(tok.i)
        for s in self.sents[max(0, sent_i - 1) : sent_i + 2]:
            for t in s:
                if t.lemma_ in SPEECH_VERBS and not _inside_quote(self.doc, t.i, self.text):
                    for child in t.children:
                        if child.dep_ == "nsubj":
                            key = self.token_cluster.get(child.i)
                            if key and self.clusters[key].cls == "Person":
                                return self.clusters[key]
        return None

    # -- title relations ------------------------------------------------

    def add_title_relations(self) -> None:
        """'<org> spokesman <person>', '<state> Prime Minister <person>', '<person>, leader of <org>'."""
        titles = load_titles()
        for cluster in list(self.clusters.values()):
            if cluster.cls != "Person":
                continue
            for m in cluster.mentions:
                if m.kind != "name":
                    continue
                span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None:
                    continue
                found = self._title_before(span, titles) or self._title_appositive(span, titles)
                if found is not None:
                    predicate, org, start, end = found
                    if org.key != cluster.key:
                        self._relation(cluster.key, predicate, org.key, start, end)

    def _title_before(self, span: SpacySpan, titles: dict) -> tuple | None:
        i = span.start
        # titles may be inside the NER span ("Prime Minister Haider al-Abadi")
        inner = _leading_title(span, titles)
        predicate = inner[1] if inner else None
        j = i
        while True:
            found = _title_ending_at(self.doc, j, titles)
            if not found:
                break
            length, pred = found
            j -= length
            if pred != "-":
                predicate = pred  # the leftmost role word decides ("coalition spokesman Colonel X")
        if predicate is None or predicate == "-":
            return None
        k = j - 1
        if k >= 0 and self.doc[k].tag_ == "POS":
            k -= 1
        if k < 0:
            return None
        key = self.token_cluster.get(k)
        if key is None:
            return None
        org = self.clusters[key]
        if org.coarse not in ("ORGANIZATION", "GPE"):
            return None
        org_start = min(t for t, c in self.token_cluster.items() if c == key and t <= k and t >= k - 8)
        return predicate, org, self.doc[org_start].idx, span.end_char

    def _title_appositive(self, span: SpacySpan, titles: dict) -> tuple | None:
        for tok in span.root.children:
            if tok.dep_ != "appos":
                continue
            pred = titles.get((tok.lower_,)) or titles.get((tok.lemma_.lower(),))
            if not pred or pred == "-":
                continue
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in ("of", "for"):
                    for obj in prep.children:
                        key = self.token_cluster.get(obj.i)
                        if key and self.clusters[key].coarse in ("ORGANIZATION", "GPE"):
                            end = max(obj.i, max((t.i for t in obj.subtree), default=obj.i))
                            return pred, self.clusters[key], span.start_char, self.doc[end].idx + len(self.doc[end])
            poss = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod")]
            for p in poss:
                key = self.token_cluster.get(p.i)
                if key and self.clusters[key].coarse in ("ORGANIZATION", "GPE"):
                    return pred, self.clusters[key], span.start_char, tok.idx + len(tok)
        return None

    def _relation(self, subject: str, predicate: str, obj: str, start: int, end: int) -> None:
        rel = Relation(
            subject=subject,
            predicate=predicate,
            object=obj,
            start=start,
            end=end,
            sentence=self.sentence_of(self.doc.char_span(start, end, alignment_mode="expand").start) if end > start else 0,
            extractor=EXTRACTOR,
            confidence=0.8,
        )
        if rel not in self.relations:
            self.relations.append(rel)

    # -- output ---------------------------------------------------------

    def entities(self) -> list[Entity]:
        out = []
        for c in self.clusters.values():
            if not c.mentions:
                continue
            mentions = tuple(sorted(set(c.mentions), key=lambda m: (m.start, m.end, m.coarse)))
            aliases = tuple(sorted({strip_determiner(m.text) for m in mentions if m.kind == "name"} - {c.label}))
            label = c.label
            if c.cls == "Person" and c.rule != "alias-table":
                label = max((clean_person_label(m.text) for m in mentions if m.kind == "name"), key=len, default=label) or label
            out.append(
                Entity(
                    key=c.key,
                    label=label,
                    cls=c.cls,
                    coarse=c.coarse,
                    mentions=mentions,
                    aliases=aliases,
                    doc_scoped=c.doc_scoped,
                    wikidata=c.wikidata,
                    geonames=str(c.geonames) if c.geonames is not None else None,
                    country=c.country,
                    lat=c.lat,
                    lon=c.lon,
                    count=c.count,
                    value=c.value,
                    rule=c.rule,
                    confidence=c.confidence,
                )
            )
        out.sort(key=lambda e: (e.mentions[0].start, e.mentions[0].end, e.key))
        return out


def _expletive_it(tok: Token) -> bool:
    """'It is clear that ...', 'it was reported': a dummy subject, not a reference."""
    if tok.dep_ == "expl":
        return True
    head = tok.head
    if head.lemma_ in ("be", "seem", "appear", "remain", "become", "take", "rain", "matter"):
        return True
    return any(c.dep_ in ("ccomp", "xcomp") and c.i > head.i for c in head.children) and head.lemma_ not in SPEECH_VERBS


def _retype(m: Mention, coarse: str) -> Mention:
    if m.kind != "name" or m.coarse == coarse:
        return m
    return Mention(m.start, m.end, m.text, coarse, m.entity, m.sentence, m.kind, m.extractor, m.confidence)


# ---------------------------------------------------------------------------
# Person names, titles, acronyms
# ---------------------------------------------------------------------------


def _title_words() -> set[str]:
    return {w for t in load_titles() for w in t}


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


def _leading_title(span: SpacySpan, titles: dict) -> tuple[int, str] | None:
    best = None
    for n in (3, 2, 1):
        if len(span) > n and tuple(t.lower_ for t in span[:n]) in titles:
            pred = titles[tuple(t.lower_ for t in span[:n])]
            if pred != "-":
                return n, pred
            best = best or (n, pred)
    return best


def _title_ending_at(doc: Doc, end: int, titles: dict) -> tuple[int, str] | None:
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


def _looks_like_acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def defined_acronyms(doc: Doc, ents: list[SpacySpan]) -> dict[str, str]:
    """'Syrian Observatory for Human Rights (SOHR)' -> {'SOHR': 'Syrian Observatory ...'}."""
    out = {}
    for ent in ents:
        if ent.end + 2 < len(doc) and doc[ent.end].text == "(" and doc[ent.end + 2].text == ")":
            short = doc[ent.end + 1].text
            if _looks_like_acronym(short):
                out[short] = strip_determiner(ent.text)
        if ent.start >= 2 and doc[ent.start - 1].text == "(" and ent.end < len(doc) and doc[ent.end].text == ")":
            short = strip_determiner(ent.text)
            prev = [e for e in ents if e.end == ent.start - 1]
            if prev and _looks_like_acronym(short):
                out[short] = strip_determiner(prev[0].text)
    return out


def _inside_quote(doc: Doc, i: int, text: str | None = None) -> bool:
    """Is token i between quotation marks within its paragraph?  (`text`: doc.text, if at hand.)"""
    if text is None:
        text = doc_text(doc)
    pos = doc[i].idx
    para_start = text.rfind("\n", 0, pos) + 1
    before = text[para_start:pos]
    opens = before.count("“") + before.count('"')
    closes = before.count("”")
    if "“" in before or "”" in before:
        return before.count("“") > closes
    return opens % 2 == 1


# ---------------------------------------------------------------------------
# Dates and numbers
# ---------------------------------------------------------------------------

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12})
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}


def _parse_iso(value: str | None) -> _dt.date | None:
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
    from .timex import normalise

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


# ---------------------------------------------------------------------------
# The component
# ---------------------------------------------------------------------------


class EntityBuilder:
    """spaCy component: sets doc._.kg_entities and appends title relations to doc._.kg_relations."""

    def __init__(self, nlp: Language, name: str, alias_files: Iterable[str] = ()):
        self.name = name
        self.alias_files = tuple(alias_files)

    def __call__(self, doc: Doc) -> Doc:
        from . import register_extensions

        register_extensions()
        actors = load_actor_table((*self.alias_files, *alias_files_from_env()))
        entities, relations = DocEntities(doc, actors).build() if len(doc) else ([], [])
        doc._.kg_entities = entities
        if doc._.kg_relations is None:
            doc._.kg_relations = []
        doc._.kg_relations.extend(relations)
        return doc


@Language.factory("kgbuild_entities", default_config={"alias_files": []})
def make_entity_builder(nlp: Language, name: str, alias_files: list[str]) -> EntityBuilder:
    return EntityBuilder(nlp, name, alias_files)
