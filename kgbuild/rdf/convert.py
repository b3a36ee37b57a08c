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

from ..records import Argument, Entity, Event, Extraction, Relation
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

MODALITIES = ("asserted", "negated", "future", "conditional", "reported")
_STATUS = {
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
        self.add = self._add  # bound once: called ~1,500 times per article
        self.entity_class: dict[str, URIRef] = {}
        self.spans: dict[tuple, URIRef] = {}  # (start, end, cls) -> node: each span is written once

    def _add(self, s, p, o) -> None:
        self.triples.append((s, p, o))

    def typed(self, node: URIRef, cls: URIRef) -> None:
        """rdf:type cls and all its ancestors (no reasoner needed downstream)."""
        for c in class_ancestors(cls):
            self.add(node, RDF.type, c)

    def related(self, s: URIRef, prop: URIRef, o) -> None:
        """s prop o, plus the same edge under every super-property of prop."""
        for p in property_ancestors(prop):
            self.add(s, p, o)

    def grounded(self, start: int, end: int) -> bool:
        return 0 <= start < end <= len(self.text)

    def span(self, start: int, end: int, cls: URIRef = NIF.Phrase) -> URIRef:
        """A NIF span of the article text; anchorOf is the exact substring."""
        key = (start, end, cls)
        node = self.spans.get(key)
        if node is not None:  # e.g. the sentence of every mention in it: same triples again
            return node
        node = self.spans[key] = self.m.span(self.doc_id, start, end)
        self.add(node, RDF.type, NIF.OffsetBasedString)
        self.add(node, RDF.type, cls)
        self.add(node, NIF.beginIndex, _offset(start))
        self.add(node, NIF.endIndex, _offset(end))
        self.add(node, NIF.anchorOf, Literal(self.text[start:end]))
        self.add(node, NIF.referenceContext, self.doc)
        return node

    def sentence(self, index: int) -> URIRef | None:
        if not 0 <= index < len(self.ex.sentences):
            return None
        s = self.ex.sentences[index]
        if not self.grounded(s.start, s.end):
            return None
        return self.span(s.start, s.end, NIF.Sentence)

    # -- article and provenance ------------------------------------------------
    def article(self) -> None:
        a = self.ex.article
        for cls in (SCHEMA.NewsArticle, NIF.Context, PROV.Entity):
            self.add(self.doc, RDF.type, cls)
        self.add(self.doc, NIF.isString, Literal(a.text))
        self.add(self.doc, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger))
        self.add(self.doc, NIF.endIndex, Literal(len(a.text), datatype=XSD.nonNegativeInteger))
        self.add(self.doc, SCHEMA.identifier, Literal(a.doc_id))
        if a.title:
            self.add(self.doc, SCHEMA.headline, Literal(a.title))
            self.add(self.doc, DCTERMS.title, Literal(a.title))
        published = _partial_date(a.date) if a.date else None
        if published:
            self.add(self.doc, SCHEMA.datePublished, published[1])
        if a.url:
            self.add(self.doc, SCHEMA.url, Literal(a.url, datatype=XSD.anyURI))

    def provenance(self) -> None:
        """The graph names its source article and the kgbuild run that made it.

        Kept inside the article's own graph, so replacing the graph replaces
        its provenance too.  No timestamp: output bytes stay deterministic.
        """
        graph, run = self.graph, self.m.run(_version())
        self.add(graph, RDF.type, PROV.Entity)
        self.add(graph, PROV.wasDerivedFrom, self.doc)
        self.add(graph, PROV.wasGeneratedBy, run)
        self.add(run, RDF.type, PROV.Activity)
        self.add(run, RDFS.label, Literal(f"kgbuild {_version()}", lang="en"))
        self.add(run, PROV.wasAssociatedWith, SOFTWARE)
        self.add(SOFTWARE, RDF.type, PROV.SoftwareAgent)
        self.add(SOFTWARE, RDFS.label, Literal("kgbuild", lang="en"))

    # -- entities --------------------------------------------------------------
    def entity(self, e: Entity) -> None:
        node = self.m.entity(e.key)
        cls = _entity_class(e)
        self.entity_class[e.key] = cls
        self.typed(node, cls)
        self.add(node, RDFS.label, Literal(e.label, lang="en"))
        self.add(node, SKOS.prefLabel, Literal(e.label, lang="en"))
        self.add(node, KGB.canonicalKey, Literal(e.key))
        forms = sorted({m.text for m in e.mentions if m.kind == "name"} | set(e.aliases))
        for form in forms:
            if form and form != e.label:
                self.add(node, SKOS.altLabel, Literal(form, lang="en"))
        if e.rule:
            self.add(node, KGB.rule, Literal(e.rule))
        self.links(node, e)
        if e.count is not None:
            self.add(node, KGB["count"], Literal(e.count, datatype=XSD.integer))  # KGB.count is str.count
        if e.value:
            self.add(node, RDF.value, Literal(e.value))
        self.add(node, KGB.confidence, _conf(e.confidence))
        self.add(node, PROV.wasDerivedFrom, self.doc)
        for mention in e.mentions:
            if not self.grounded(mention.start, mention.end):
                log.warning("%s: mention %r of %s has bad offsets; skipped", self.doc_id, mention.text, e.key)
                continue
            span = self.span(mention.start, mention.end)
            self.add(node, GAF.denotedBy, span)
            self.add(span, GAF.denotes, node)
            sent = self.sentence(mention.sentence)
            if sent is not None:
                self.add(span, NIF.sentence, sent)

    def links(self, node: URIRef, e: Entity) -> None:
        """Wikidata / GeoNames identity links and coordinates (WGS84 and GeoSPARQL)."""
        if e.wikidata:
            self.add(node, SKOS.exactMatch, WD[e.wikidata])
        if e.geonames:
            self.add(node, SKOS.exactMatch, URIRef(f"https://sws.geonames.org/{e.geonames}/"))
        if e.lat is not None and e.lon is not None:
            lat, lon = _decimal(e.lat), _decimal(e.lon)
            self.add(node, WGS.lat, Literal(lat, datatype=XSD.decimal))
            self.add(node, WGS.long, Literal(lon, datatype=XSD.decimal))
            geom = URIRef(f"{node}/geometry")
            self.add(node, GEO.hasGeometry, geom)
            self.add(geom, RDF.type, GEO.Geometry)
            # GeoSPARQL's default CRS (CRS84) is longitude first.
            self.add(geom, GEO.asWKT, Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral))

    # -- events ----------------------------------------------------------------
    def event(self, ev: Event) -> None:
        if not self.grounded(ev.trigger.start, ev.trigger.end):
            log.warning("%s: event trigger %r has bad offsets; skipped", self.doc_id, ev.trigger.text)
            return
        node = self.m.event(self.doc_id, ev.trigger.start, ev.trigger.end)
        cls = _event_class(ev.cls)
        self.typed(node, cls)
        self.add(node, SEM.eventType, cls)
        self.add(node, RDFS.label, Literal(f"{_class_label(cls)}: {ev.trigger.text}", lang="en"))
        self.add(node, KGB.coarseType, Literal(ev.coarse))
        self.add(node, GAF.denotedBy, self.span(ev.trigger.start, ev.trigger.end))
        sent = self.sentence(ev.sentence)
        if sent is not None:
            self.add(node, KGB.evidence, sent)
        self.add(node, PROV.wasDerivedFrom, self.doc)
        self.add(node, KGB.confidence, _conf(ev.confidence))
        if ev.extractor:
            self.add(node, KGB.extractor, Literal(ev.extractor))
        self.add(node, KGB.modality, Literal(ev.modality))
        if ev.modality in _STATUS:
            self.add(node, FARO.status, _STATUS[ev.modality])
        self.codes(node, ev)
        if ev.date:
            self.date(node, ev)
        if ev.quote:
            self.add(node, KGB.quote, Literal(ev.quote, lang="en"))
        for arg in ev.arguments:
            self.argument(node, arg)

    def codes(self, node: URIRef, ev: Event) -> None:
        if ev.cameo:
            self.add(node, KGB.cameoCode, Literal(ev.cameo))
        if ev.plover:
            self.add(node, KGB.ploverCategory, Literal(ev.plover))
        etype, sub = _acled_parts(ev.acled)
        if etype:
            self.add(node, KGB.acledEventType, Literal(etype))
        if sub:
            self.add(node, KGB.acledSubEventType, Literal(sub))

    def date(self, node: URIRef, ev: Event) -> None:
        """kgb:date (first day, xsd:date) + precision + an OWL-Time node shared across articles."""
        parsed = _partial_date(ev.date, ev.date_precision)
        if parsed is None:
            log.warning("%s: event date %r is not ISO 8601; skipped", self.doc_id, ev.date)
            return
        iso, literal, precision = parsed
        first_day = iso + "-01" * (2 - iso.count("-"))
        self.related(node, KGB.date, Literal(first_day, datatype=XSD.date))
        self.add(node, KGB.datePrecision, Literal(precision))
        when = self.m.time(iso)
        self.related(node, KGB.time, when)
        self.typed(when, TIME.Instant)
        self.add(when, RDF.type, SEM.Time)
        self.add(when, RDFS.label, Literal(iso))
        prop = {"day": TIME.inXSDDate, "month": TIME.inXSDgYearMonth, "year": TIME.inXSDgYear}[precision]
        self.add(when, prop, literal)

    def argument(self, event: URIRef, arg: Argument) -> None:
        if arg.entity is None or self.ex.entity(arg.entity) is None:
            return  # only real entity arguments become roles (NewsReader's lesson)
        self.related(event, _role_property(arg), self.m.entity(arg.entity))

    # -- relations -------------------------------------------------------------
    def relation(self, r: Relation) -> None:
        if self.ex.entity(r.subject) is None or self.ex.entity(r.object) is None:
            return
        if r.predicate not in RELATION_PROPERTIES:
            log.warning("%s: unknown relation %r (not in the ontology); skipped", self.doc_id, r.predicate)
            return
        s, o, p = self.m.entity(r.subject), self.m.entity(r.object), KGB[r.predicate]
        self.related(s, p, o)
        st = self.m.statement(self.doc_id, r.subject, r.predicate, r.object, r.start, r.end)
        self.add(st, RDF.type, RDF.Statement)
        self.add(st, RDF.subject, s)
        self.add(st, RDF.predicate, p)
        self.add(st, RDF.object, o)
        self.add(st, KGB.confidence, _conf(r.confidence))
        if r.extractor:
            self.add(st, KGB.extractor, Literal(r.extractor))
        if self.grounded(r.start, r.end):
            self.add(st, GAF.denotedBy, self.span(r.start, r.end))
        sent = self.sentence(r.sentence)
        if sent is not None:
            self.add(st, KGB.evidence, sent)
        self.add(st, PROV.wasDerivedFrom, self.doc)


def _entity_class(e: Entity) -> URIRef:
    if e.cls in ENTITY_CLASSES:
        return KGB[e.cls]
    fallback = _COARSE_CLASS.get((e.coarse or "").upper(), "Thing")
    log.warning("entity %s: unknown class %r; using kgb:%s", e.key, e.cls, fallback)
    return KGB[fallback]


def _event_class(name: str) -> URIRef:
    if name in event_class_names():
        return KGB[name]
    log.warning("unknown event class %r; using kgb:Event", name)
    return KGB.Event


def _class_label(cls: URIRef) -> str:
    name = str(cls).rpartition("#")[2]
    try:
        return event_types()["classes"][name]["label"]
    except (KeyError, TypeError):
        return name


def _role_property(arg: Argument) -> URIRef:
    """The most specific role property: fine_role if the ontology has it, else the coarse role."""
    names = role_property_names()
    for role in (arg.fine_role, arg.role):
        if role:
            name = ROLE_PROPERTY.get(role, role)
            if name in names:
                return KGB[name]
    return KGB.participant


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


@functools.lru_cache(maxsize=4096)
def _conf(value: float) -> Literal:
    return Literal(f"{max(0.0, min(1.0, float(value))):.3f}", datatype=XSD.decimal)


def _decimal(value: float) -> str:
    """A short, stable xsd:decimal lexical form (no exponent, no float noise)."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def extraction_to_triples(ex: Extraction, minter: Minter | None = None) -> list[tuple]:
    """The article graph's triples: unique, as rdflib terms, in a deterministic order.

    The graph's IRI is `minter.graph(ex.article.doc_id)`.  Cheaper than
    `extraction_to_graph` when the triples are only written out (kgbuild.sink).
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
    return list(dict.fromkeys(w.triples))


def extraction_to_graph(ex: Extraction, minter: Minter | None = None) -> Graph:
    """The article's named graph (its identifier is the graph IRI)."""
    minter = minter or Minter()
    g = Graph(identifier=minter.graph(ex.article.doc_id))
    bind_prefixes(g)
    for t in extraction_to_triples(ex, minter):
        g.add(t)
    return g
