"""Extraction -> RDF: one self-contained named graph per article.

The model (ontologies/README.md explains it with an example):
- the article is a schema:NewsArticle and the nif:Context holding its text;
  the graph itself says which article and which kgbuild run it came from;
- every mention and evidence sentence is a NIF span `doc#char=b,e`
  (Unicode code points, end exclusive), whose nif:anchorOf is the exact text;
- entities and events are typed nodes linked to their mentions with
  gaf:denotedBy;
- events are n-ary: specific roles (kgb:speaker ...) plus all their
  super-properties (kgb:agent, sem:hasActor), the full rdf:type chain, and
  sem:eventType naming the most specific class, so that plain stores without
  a reasoner answer both generic and specific queries;
- direct actor-to-actor edges are asserted and also reified as rdf:Statement
  nodes that carry evidence and confidence.

Each article graph holds the labels and types of everything it mentions, so
it can be validated, replaced or deleted on its own.  No blank nodes: every
IRI comes from the Minter.
"""

from __future__ import annotations

import datetime
import functools
import logging
import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, GEO, PROV, RDF, RDFS, SKOS, TIME, XSD

from ..records import Argument, Casualties, Entity, Event, Extraction, Relation
from .iris import Minter
from .namespaces import (
    ENTITY_CLASSES,
    FARO,
    GAF,
    KGB,
    NIF,
    RELATION_PROPERTIES,
    ROLE_PROPERTY,
    SCHEMA,
    SEM,
    WD,
    WGS,
    bind_prefixes,
    event_class_names,
    event_types,
    role_property_names,
)
from .ontology import class_ancestors, property_ancestors

log = logging.getLogger(__name__)

SOFTWARE = URIRef("https://w3id.org/kgbuild")

# Terms of the hot paths, looked up once: rdflib's namespace attribute access
# builds (and validates) a new URIRef on every use, ~65,000 times per 120 articles.
_TYPE = RDF.type
_OFFSET_STRING, _PHRASE, _SENTENCE = NIF.OffsetBasedString, NIF.Phrase, NIF.Sentence
_BEGIN, _END, _ANCHOR, _CONTEXT, _IN_SENTENCE = (
    NIF.beginIndex,
    NIF.endIndex,
    NIF.anchorOf,
    NIF.referenceContext,
    NIF.sentence,
)
_LABEL, _PREF_LABEL, _ALT_LABEL = RDFS.label, SKOS.prefLabel, SKOS.altLabel
_DENOTED_BY, _DENOTES = GAF.denotedBy, GAF.denotes
_DERIVED_FROM = PROV.wasDerivedFrom
_CANONICAL_KEY, _RULE, _COUNT, _CONFIDENCE = KGB.canonicalKey, KGB.rule, KGB["count"], KGB.confidence
_EVENT_TYPE, _COARSE_TYPE, _EVIDENCE, _EXTRACTOR = SEM.eventType, KGB.coarseType, KGB.evidence, KGB.extractor
_MODALITY, _STATUS_PROP, _QUOTE, _PARTICIPANT = KGB.modality, FARO.status, KGB.quote, KGB.participant
_CAMEO, _PLOVER, _ACLED_TYPE, _ACLED_SUB = KGB.cameoCode, KGB.ploverCategory, KGB.acledEventType, KGB.acledSubEventType
_DATE, _DATE_PRECISION, _TIME, _TIME_TYPE = KGB.date, KGB.datePrecision, KGB.time, SEM.Time
_STATEMENT, _SUBJECT, _PREDICATE, _OBJECT = RDF.Statement, RDF.subject, RDF.predicate, RDF.object
_XSD_DATE = XSD.date
_CASUALTIES, _CASUALTY_FIGURE = KGB.casualties, KGB.CasualtyFigure
_CASUALTY_KIND, _COUNT_QUALIFIER = KGB.casualtyKind, KGB.countQualifier

MODALITIES = ("asserted", "negated", "future", "conditional", "reported")
MODALITY_STATUS = {
    "asserted": FARO.happened,
    "reported": FARO.happened,
    "negated": FARO.not_happened,
    "future": FARO.planned,
    "conditional": FARO.potential,
}
# Entity class when a record names a class the ontology does not have.
_COARSE_CLASS = {
    "PERSON": "Person",
    "PER": "Person",
    "ORGANIZATION": "Organisation",
    "ORG": "Organisation",
    "GPE": "Place",
    "LOCATION": "Place",
    "LOC": "Place",
    "FAC": "Facility",
    "NORP": "PeopleGroup",
    "DATE": "Date",
    "QUANTITY": "Quantity",
}
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def doc_iri(doc_id: str, minter: Minter | None = None) -> URIRef:
    return (minter or Minter()).doc(doc_id)


def graph_iri(doc_id: str, minter: Minter | None = None) -> URIRef:
    return (minter or Minter()).graph(doc_id)


def _version() -> str:
    from .. import __version__

    return __version__


class _Writer:
    """Writes one article's graph; one method per record kind."""

    def __init__(self, ex: Extraction, minter: Minter) -> None:
        self.ex = ex
        self.m = minter
        self.doc_id = ex.article.doc_id
        self.doc = minter.doc(self.doc_id)
        self.text = ex.article.text
        self.graph = minter.graph(self.doc_id)
        # Plain tuples: indexing them in an rdflib Graph per article cost as
        # much as the conversion itself; the streaming sink formats these.
        self.triples: list[tuple] = []
        # Bound once: called ~1,500 times per article.  It takes the triple as one
        # tuple (list.append), so adding a triple costs no Python call.
        self.add = self.triples.append
        self.entity_keys = {e.key for e in ex.entities}  # Extraction.entity() is a linear scan
        self.entity_class: dict[str, URIRef] = {}
        self.spans: dict[tuple, URIRef] = {}  # (start, end, cls) -> node: each span is written once
        self.entities: dict[str, URIRef] = {}  # key -> IRI, minted once per article
        # Span IRIs are "<doc IRI>#char=b,e" (Minter.span): the doc part is encoded once per article.
        self._span_prefix = f"{self.doc}#char=" if type(minter).span is Minter.span else None

    def typed(self, node: URIRef, cls: URIRef) -> None:
        """rdf:type cls and all its ancestors (no reasoner needed downstream)."""
        self.triples.extend([(node, _TYPE, c) for c in class_ancestors(cls)])

    def related(self, s: URIRef, prop: URIRef, o) -> None:
        """s prop o, plus the same edge under every super-property of prop."""
        self.triples.extend([(s, p, o) for p in property_ancestors(prop)])

    def entity_iri(self, key: str) -> URIRef:
        node = self.entities.get(key)
        if node is None:
            node = self.entities[key] = self.m.entity(key)
        return node

    def grounded(self, start: int, end: int) -> bool:
        return 0 <= start < end <= len(self.text)

    def span(self, start: int, end: int, cls: URIRef = _PHRASE) -> URIRef:
        """A NIF span of the article text; anchorOf is the exact substring."""
        key = (start, end, cls)
        node = self.spans.get(key)
        if node is not None:  # e.g. the sentence of every mention in it: same triples again
            return node
        if self._span_prefix is not None:
            node = URIRef(f"{self._span_prefix}{start},{end}")
        else:
            node = self.m.span(self.doc_id, start, end)
        self.spans[key] = node
        self.triples += (
            (node, _TYPE, _OFFSET_STRING),
            (node, _TYPE, cls),
            (node, _BEGIN, _offset(start)),
            (node, _END, _offset(end)),
            (node, _ANCHOR, plain_literal(self.text[start:end])),
            (node, _CONTEXT, self.doc),
        )
        return node

    def sentence(self, index: int) -> URIRef | None:
        if not 0 <= index < len(self.ex.sentences):
            return None
        s = self.ex.sentences[index]
        if not self.grounded(s.start, s.end):
            return None
        return self.span(s.start, s.end, _SENTENCE)

    # -- article and provenance ------------------------------------------------
    def article(self) -> None:
        a = self.ex.article
        for cls in (SCHEMA.NewsArticle, NIF.Context, PROV.Entity):
            self.add((self.doc, RDF.type, cls))
        self.add((self.doc, NIF.isString, Literal(a.text)))
        self.add((self.doc, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger)))
        self.add((self.doc, NIF.endIndex, Literal(len(a.text), datatype=XSD.nonNegativeInteger)))
        self.add((self.doc, SCHEMA.identifier, Literal(a.doc_id)))
        if a.title:
            self.add((self.doc, SCHEMA.headline, Literal(a.title)))
            self.add((self.doc, DCTERMS.title, Literal(a.title)))
        published = _partial_date(a.date) if a.date else None
        if published:
            self.add((self.doc, SCHEMA.datePublished, published[1]))
        if a.url:
            self.add((self.doc, SCHEMA.url, Literal(a.url, datatype=XSD.anyURI)))

    def provenance(self) -> None:
        """The graph names its source article and the kgbuild run that made it.

        Kept inside the article's own graph, so replacing the graph replaces
        its provenance too.  No timestamp: output bytes stay deterministic.
        """
        graph, run = self.graph, self.m.run(_version())
        self.add((graph, RDF.type, PROV.Entity))
        self.add((graph, PROV.wasDerivedFrom, self.doc))
        self.add((graph, PROV.wasGeneratedBy, run))
        self.add((run, RDF.type, PROV.Activity))
        self.add((run, RDFS.label, Literal(f"kgbuild {_version()}", lang="en")))
        self.add((run, PROV.wasAssociatedWith, SOFTWARE))
        self.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
        self.add((SOFTWARE, RDFS.label, Literal("kgbuild", lang="en")))

    # -- entities --------------------------------------------------------------
    def entity(self, e: Entity) -> None:
        node = self.entity_iri(e.key)
        cls = _entity_class(e)
        self.entity_class[e.key] = cls
        self.typed(node, cls)
        add = self.add
        label = _english(e.label)
        add((node, _LABEL, label))
        add((node, _PREF_LABEL, label))
        add((node, _CANONICAL_KEY, plain_literal(e.key)))
        forms = sorted({m.text for m in e.mentions if m.kind == "name"} | set(e.aliases))
        for form in forms:
            if form and form != e.label:
                add((node, _ALT_LABEL, _english(form)))
        if e.rule:
            add((node, _RULE, plain_literal(e.rule)))
        self.links(node, e)
        if e.count is not None:
            add((node, _COUNT, Literal(e.count, datatype=XSD.integer)))  # KGB.count is str.count
        if e.value:
            add((node, RDF.value, Literal(e.value)))
        add((node, _CONFIDENCE, confidence_literal(e.confidence)))
        add((node, _DERIVED_FROM, self.doc))
        text_len = len(self.text)
        for mention in e.mentions:
            if not 0 <= mention.start < mention.end <= text_len:
                log.warning("%s: mention %r of %s has bad offsets; skipped", self.doc_id, mention.text, e.key)
                continue
            span = self.span(mention.start, mention.end)
            add((node, _DENOTED_BY, span))
            add((span, _DENOTES, node))
            sent = self.sentence(mention.sentence)
            if sent is not None:
                add((span, _IN_SENTENCE, sent))

    def links(self, node: URIRef, e: Entity) -> None:
        """Wikidata / GeoNames identity links and coordinates (WGS84 and GeoSPARQL)."""
        if e.wikidata:
            self.add((node, SKOS.exactMatch, WD[e.wikidata]))
        if e.geonames:
            self.add((node, SKOS.exactMatch, URIRef(f"https://sws.geonames.org/{e.geonames}/")))
        if e.lat is not None and e.lon is not None:
            lat, lon = _decimal(e.lat), _decimal(e.lon)
            self.add((node, WGS.lat, Literal(lat, datatype=XSD.decimal)))
            self.add((node, WGS.long, Literal(lon, datatype=XSD.decimal)))
            geom = URIRef(f"{node}/geometry")
            self.add((node, GEO.hasGeometry, geom))
            self.add((geom, RDF.type, GEO.Geometry))
            # GeoSPARQL's default CRS (CRS84) is longitude first.
            self.add((geom, GEO.asWKT, Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral)))

    # -- events ----------------------------------------------------------------
    def event(self, ev: Event) -> None:
        if not self.grounded(ev.trigger.start, ev.trigger.end):
            log.warning("%s: event trigger %r has bad offsets; skipped", self.doc_id, ev.trigger.text)
            return
        node = self.m.event(self.doc_id, ev.trigger.start, ev.trigger.end)
        cls = event_class(ev.cls)
        self.typed(node, cls)
        add = self.add
        add((node, _EVENT_TYPE, cls))
        add((node, _LABEL, Literal(f"{class_label(cls)}: {ev.trigger.text}", lang="en")))
        add((node, _COARSE_TYPE, plain_literal(ev.coarse)))
        add((node, _DENOTED_BY, self.span(ev.trigger.start, ev.trigger.end)))
        sent = self.sentence(ev.sentence)
        if sent is not None:
            add((node, _EVIDENCE, sent))
        add((node, _DERIVED_FROM, self.doc))
        add((node, _CONFIDENCE, confidence_literal(ev.confidence)))
        if ev.extractor:
            add((node, _EXTRACTOR, plain_literal(ev.extractor)))
        add((node, _MODALITY, plain_literal(ev.modality)))
        if ev.modality in MODALITY_STATUS:
            add((node, _STATUS_PROP, MODALITY_STATUS[ev.modality]))
        if ev.specificity != "specific":  # aggregate | habitual | generic (absent: one occurrence)
            add((node, KGB.specificity, plain_literal(ev.specificity)))
        self.codes(node, ev)
        if ev.date:
            self.date(node, ev)
        if ev.quote:
            add((node, _QUOTE, Literal(ev.quote, lang="en")))
        for arg in ev.arguments:
            self.argument(node, arg)
        for c in ev.casualties:
            self.casualty(node, c)

    def casualty(self, event: URIRef, c: Casualties) -> None:
        """kgb:casualties -> a kgb:CasualtyFigure node: kind, count (rdf:value), qualifier, its phrase."""
        fig = URIRef(f"{event}/casualties/{c.kind}")
        self.related(event, _CASUALTIES, fig)
        self.typed(fig, _CASUALTY_FIGURE)
        self.add((fig, _CASUALTY_KIND, plain_literal(c.kind)))
        self.add((fig, RDF.value, _offset(c.count)))
        if c.qualifier:
            self.add((fig, _COUNT_QUALIFIER, plain_literal(c.qualifier)))
        if self.grounded(c.start, c.end):
            self.add((fig, _DENOTED_BY, self.span(c.start, c.end)))

    def codes(self, node: URIRef, ev: Event) -> None:
        if ev.cameo:
            self.add((node, _CAMEO, Literal(ev.cameo)))
        if ev.plover:
            self.add((node, _PLOVER, Literal(ev.plover)))
        etype, sub = _acled_parts(ev.acled)
        if etype:
            self.add((node, _ACLED_TYPE, plain_literal(etype)))
        if sub:
            self.add((node, _ACLED_SUB, plain_literal(sub)))

    def date(self, node: URIRef, ev: Event) -> None:
        """kgb:date (first day, xsd:date) + precision + an OWL-Time node shared across articles."""
        parsed = _partial_date(ev.date, ev.date_precision) if ev.date else None
        if parsed is None:
            log.warning("%s: event date %r is not ISO 8601; skipped", self.doc_id, ev.date)
            return
        iso, literal, precision = parsed
        first_day = iso + "-01" * (2 - iso.count("-"))
        self.related(node, _DATE, Literal(first_day, datatype=_XSD_DATE))
        self.add((node, _DATE_PRECISION, plain_literal(precision)))
        when = self.m.time(iso)
        self.related(node, _TIME, when)
        self.typed(when, TIME.Instant)
        self.add((when, _TYPE, _TIME_TYPE))
        self.add((when, _LABEL, plain_literal(iso)))
        prop = {"day": TIME.inXSDDate, "month": TIME.inXSDgYearMonth, "year": TIME.inXSDgYear}[precision]
        self.add((when, prop, literal))

    def argument(self, event: URIRef, arg: Argument) -> None:
        if arg.entity is None or arg.entity not in self.entity_keys:
            return  # only real entity arguments become roles (NewsReader's lesson)
        self.related(event, role_property(arg), self.entity_iri(arg.entity))

    # -- relations -------------------------------------------------------------
    def relation(self, r: Relation) -> None:
        if r.subject not in self.entity_keys or r.object not in self.entity_keys:
            return
        if r.predicate not in RELATION_PROPERTIES:
            log.warning("%s: unknown relation %r (not in the ontology); skipped", self.doc_id, r.predicate)
            return
        s, o, p = self.entity_iri(r.subject), self.entity_iri(r.object), KGB[r.predicate]
        self.related(s, p, o)
        st = self.m.statement(self.doc_id, r.subject, r.predicate, r.object, r.start, r.end)
        self.add((st, _TYPE, _STATEMENT))
        self.add((st, _SUBJECT, s))
        self.add((st, _PREDICATE, p))
        self.add((st, _OBJECT, o))
        self.add((st, _CONFIDENCE, confidence_literal(r.confidence)))
        if r.extractor:
            self.add((st, _EXTRACTOR, Literal(r.extractor)))
        if self.grounded(r.start, r.end):
            self.add((st, _DENOTED_BY, self.span(r.start, r.end)))
        sent = self.sentence(r.sentence)
        if sent is not None:
            self.add((st, _EVIDENCE, sent))
        self.add((st, _DERIVED_FROM, self.doc))


def _entity_class(e: Entity) -> URIRef:
    if e.cls in ENTITY_CLASSES:
        return KGB[e.cls]
    fallback = _COARSE_CLASS.get((e.coarse or "").upper(), "Thing")
    log.warning("entity %s: unknown class %r; using kgb:%s", e.key, e.cls, fallback)
    return KGB[fallback]


def event_class(name: str) -> URIRef:
    if name in event_class_names():
        return KGB[name]
    log.warning("unknown event class %r; using kgb:Event", name)
    return KGB.Event


def class_label(cls: URIRef) -> str:
    name = str(cls).rpartition("#")[2]
    try:
        return event_types()["classes"][name]["label"]
    except (KeyError, TypeError):
        return name


def role_property(arg: Argument) -> URIRef:
    """The most specific role property: fine_role if the ontology has it, else the coarse role."""
    return _role_property_of(arg.fine_role, arg.role)


@functools.lru_cache(maxsize=1024)
def _role_property_of(fine_role: str | None, role: str | None) -> URIRef:
    names = role_property_names()
    for r in (fine_role, role):
        if r:
            name = ROLE_PROPERTY.get(r, r)
            if name in names:
                return KGB[name]
    return _PARTICIPANT


def _acled_parts(acled: str | None) -> tuple[str | None, str | None]:
    """ACLED codes are "Event type / Sub-event type"; the type itself may contain '/'."""
    if not acled:
        return None, None
    etype, _, sub = acled.partition(" / ")
    return etype.strip() or None, sub.strip() or None


_PRECISIONS = ("year", "month", "day")


def _partial_date(value: str, precision: str | None = None) -> tuple[str, Literal, str] | None:
    """ISO date, month or year -> (iso, typed literal, precision); None if not a valid date.

    A stated `precision` coarser than the value truncates it ("2017-08-30"
    with precision "month" is August 2017); a finer one is ignored.
    """
    m = _ISO_DATE.match(value.strip())
    if not m:
        return None
    year, month, day = m.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    found = "day" if day else "month" if month else "year"
    if precision in _PRECISIONS and _PRECISIONS.index(precision) < _PRECISIONS.index(found):
        found = precision
    if found == "day":
        iso = f"{year}-{month}-{day}"
        return iso, Literal(iso, datatype=XSD.date), "day"
    if found == "month":
        iso = f"{year}-{month}"
        return iso, Literal(iso, datatype=XSD.gYearMonth), "month"
    return year, Literal(year, datatype=XSD.gYear), "year"


@functools.lru_cache(maxsize=65536)
def _offset(value: int) -> Literal:
    """A character offset literal (shared: Literal construction is costly and offsets recur)."""
    return Literal(value, datatype=XSD.nonNegativeInteger)


@functools.lru_cache(maxsize=65536)
def plain_literal(text: str) -> Literal:
    """A plain literal (shared: an article repeats its mentions' texts, a corpus its labels)."""
    return Literal(text)


@functools.lru_cache(maxsize=65536)
def _english(text: str) -> Literal:
    """A literal tagged @en (shared, as plain_literal)."""
    return Literal(text, lang="en")


@functools.lru_cache(maxsize=4096)
def confidence_literal(value: float) -> Literal:
    return Literal(f"{max(0.0, min(1.0, float(value))):.3f}", datatype=XSD.decimal)


def _decimal(value: float) -> str:
    """A short, stable xsd:decimal lexical form (no exponent, no float noise)."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def extraction_to_triples(ex: Extraction, minter: Minter | None = None) -> list[tuple]:
    """The article graph's triples: unique, as rdflib terms, in a deterministic order.

    The graph's IRI is `minter.graph(ex.article.doc_id)`.  Cheaper than
    `extraction_to_graph` when the triples are only written out (kgbuild.run.sink).
    """
    return list(dict.fromkeys(article_triples(ex, minter)))


def article_triples(ex: Extraction, minter: Minter | None = None) -> list[tuple]:
    """`extraction_to_triples` with its repeats (a span's triples once per mention ...).

    For kgbuild.run.sink.quad_lines, which drops repeated lines anyway: hashing
    every triple here as well (a Literal's hash is a Python call) is wasted.
    """
    w = _Writer(ex, minter or Minter())
    w.article()
    w.provenance()
    for e in ex.entities:
        w.entity(e)
    for ev in ex.events:
        w.event(ev)
    for r in ex.relations:
        w.relation(r)
    return w.triples


def extraction_to_graph(ex: Extraction, minter: Minter | None = None) -> Graph:
    """The article's named graph (its identifier is the graph IRI)."""
    minter = minter or Minter()
    g = Graph(identifier=minter.graph(ex.article.doc_id))
    bind_prefixes(g)
    for t in extraction_to_triples(ex, minter):
        g.add(t)
    return g
