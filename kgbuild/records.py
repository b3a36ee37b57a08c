"""Typed, frozen records passed between the pipeline stages.

ingest -> Article; extract -> Extraction (mentions, entities, events,
relations); resolve, rdf, viz and annotations read Extraction.  No spaCy
object ever appears here, so every later stage is spaCy-free.

All offsets are Python str indices (Unicode code points) into Article.text,
end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Article:
    doc_id: str
    text: str
    title: str = ""
    date: str | None = None  # ISO 8601 publication date (YYYY-MM-DD) if known
    url: str | None = None
    source: str = ""  # path (and line number for JSONL) it was read from


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in the text."""

    start: int
    end: int
    text: str
    coarse: str  # PERSON, ORGANIZATION, GPE, LOCATION, DATE, QUANTITY, OTHER
    entity: str  # key of the Entity node it denotes (its cluster)
    sentence: int  # index into Extraction.sentences
    kind: str = "name"  # name | nominal | pronoun
    extractor: str = ""
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Entity:
    """One node: a real-world thing with all its mentions in one article.

    `key` is the stable identity used for the IRI: a curated id from the
    actor/place data when known (shared across articles), otherwise a slug of
    the normalised name, or for generic things ("a small bridge") a
    document-scoped key.
    """

    key: str
    label: str
    cls: str  # ontology class local name, e.g. "ArmedGroup", "State", "Facility"
    coarse: str
    mentions: tuple[Mention, ...] = ()
    aliases: tuple[str, ...] = ()
    doc_scoped: bool = False
    wikidata: str | None = None
    geonames: str | None = None
    country: str | None = None  # ISO 3166 alpha-2 of a place
    lat: float | None = None
    lon: float | None = None
    count: int | None = None  # size of a group of people ("308 fighters")
    value: str | None = None  # normalised value of a DATE or QUANTITY
    rule: str = ""  # how the node was formed (alias table, gazetteer, NER ...)
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Argument:
    role: str  # agent, target, place, time, instrument, other (participant)
    start: int
    end: int
    text: str
    entity: str | None = None  # Entity.key when the argument is a node
    fine_role: str | None = None  # finer ontology role, e.g. "speaker", "origin"
    # inferred from the discourse (an earlier sentence, a referring event noun, an adjacent
    # quote's speaker) rather than read from the trigger's own sentence; confidence is lower then
    inferred: bool = False
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Casualties:
    """A casualty figure of an event: "killing at least 12 civilians" -> killed, 12, "at least"."""

    kind: str  # killed | injured | abducted | arrested
    count: int
    qualifier: str | None = None  # at least | more than | about | up to | fewer than | nearly (None: exact)
    start: int = 0  # the phrase that gives the figure
    end: int = 0


@dataclass(frozen=True, slots=True)
class Event:
    trigger: Span
    cls: str  # ontology class local name, e.g. "Airstrike"
    coarse: str  # Attack, Offensive/Battle, Killing/Death, ... Other
    sentence: int
    arguments: tuple[Argument, ...] = ()
    cameo: str | None = None
    acled: str | None = None  # "Event type / Sub-event type"
    plover: str | None = None
    date: str | None = None  # ISO date (or YYYY-MM / YYYY) of the event
    date_precision: str | None = None  # day | month | year
    modality: str = "asserted"  # asserted | negated | future | conditional | reported
    quote: str | None = None  # for statements: the quoted words
    # one occurrence, or many: specific | aggregate ("hundreds of strikes") | habitual
    # ("every day", "since 2014") | generic ("such attacks"); see extract/_events/specificity.py
    specificity: str = "specific"
    extractor: str = ""
    confidence: float = 1.0
    casualties: tuple[Casualties, ...] = ()  # killed, injured, abducted, arrested counts

    @property
    def key(self) -> str:
        return f"{self.trigger.start}-{self.trigger.end}"


@dataclass(frozen=True, slots=True)
class Relation:
    """A direct actor-to-actor edge with its evidence span."""

    subject: str  # Entity.key
    predicate: str  # ontology property local name, e.g. "opposes", "spokespersonOf"
    object: str  # Entity.key
    start: int  # evidence span (usually the sentence, or the cue words)
    end: int
    sentence: int
    extractor: str = ""
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    sentences: tuple[Span, ...] = ()
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    def entity(self, key: str) -> Entity | None:
        for e in self.entities:
            if e.key == key:
                return e
        return None
