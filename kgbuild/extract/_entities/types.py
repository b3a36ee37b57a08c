"""Ontology classes of entity nodes, spaCy label mapping, and the normalisation of names and keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ...records import Mention

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
DEFAULT_CLASS = {
    "PERSON": "Person",
    "ORGANIZATION": "Organisation",
    "GPE": "PopulatedPlace",
    "LOCATION": "Region",
    "DATE": "Date",
    "QUANTITY": "Quantity",
    "OTHER": "Thing",
}
FREQUENCY_WORDS = frozenset(
    {"annual", "annually", "daily", "weekly", "monthly", "yearly", "quarterly", "hourly", "nightly", "biannual"}
)
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "MISC"}
)

# ---------------------------------------------------------------------------
# Normalisation helpers
# ---------------------------------------------------------------------------

DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_QUOTES = '"“”«»„'


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
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return " ".join(words) or text


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
