"""Extraction -> RDF: one self-contained graph per article.

The model (see ontologies/kgbuild.ttl and README):
- the article is a schema:NewsArticle and nif:Context holding the text;
- every mention and evidence sentence is a NIF span `doc#char=b,e`;
- entities and events are typed nodes with gaf:denotedBy links to mentions;
- events are n-ary: specific roles (kgb:agent ...) plus their SEM
  super-properties, and the full rdf:type chain, asserted so that plain stores
  without a reasoner answer generic queries;
- direct actor-to-actor edges are asserted and also reified as rdf:Statement
  nodes that carry evidence and confidence.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD, PROV, DCTERMS, GEO

from ..records import Entity, Event, Extraction, Relation
from .iris import Minter
from .namespaces import FARO, GAF, KGB, NIF, SCHEMA, SEM, WD, WGS, bind_prefixes
from .ontology import class_ancestors, property_ancestors

_ROLE_PROPERTY = {
    "agent": "agent",
    "target": "target",
    "place": "place",
    "time": "time",
    "instrument": "instrument",
    "other": "participant",
    "participant": "participant",
}

_STATUS = {"asserted": FARO.happened, "reported": FARO.happened, "negated": FARO.not_happened,
           "future": FARO.planned, "conditional": FARO.potential}


def doc_iri(doc_id: str, minter: Minter | None = None) -> URIRef:
    return (minter or Minter()).doc(doc_id)


def graph_iri(doc_id: str, minter: Minter | None = None) -> URIRef:
    return (minter or Minter()).graph(doc_id)


def _kgb(name: str) -> URIRef:
    """A term of our closed namespace (fails loudly on an unknown name)."""
    return KGB[name]


class _Writer:
    def __init__(self, ex: Extraction, minter: Minter) -> None:
        self.ex = ex
        self.m = minter
        self.doc_id = ex.article.doc_id
        self.doc = minter.doc(self.doc_id)
        self.g = Graph(identifier=minter.graph(self.doc_id))
        bind_prefixes(self.g)

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def typed(self, node: URIRef, cls: str) -> None:
        for c in class_ancestors(_kgb(cls)):
            self.add(node, RDF.type, c)

    def span(self, start: int, end: int, cls: URIRef = NIF.Phrase) -> URIRef:
        node = self.m.span(self.doc_id, start, end)
        text = self.ex.article.text
        self.add(node, RDF.type, NIF.OffsetBasedString)
        self.add(node, RDF.type, cls)
        self.add(node, NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger))
        self.add(node, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger))
        self.add(node, NIF.anchorOf, Literal(text[start:end]))
        self.add(node, NIF.referenceContext, self.doc)
        return node

    def sentence(self, index: int) -> URIRef | None:
        if not 0 <= index < len(self.ex.sentences):
            return None
        s = self.ex.sentences[index]
        return self.span(s.start, s.end, NIF.Sentence)

    # -- article ---------------------------------------------------------------
    def article(self) -> None:
        a = self.ex.article
        self.add(self.doc, RDF.type, SCHEMA.NewsArticle)
        self.add(self.doc, RDF.type, NIF.Context)
        self.add(self.doc, RDF.type, PROV.Entity)
        self.add(self.doc, NIF.isString, Literal(a.text))
        self.add(self.doc, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger))
        self.add(self.doc, NIF.endIndex, Literal(len(a.text), datatype=XSD.nonNegativeInteger))
        self.add(self.doc, SCHEMA.identifier, Literal(a.doc_id))
        if a.title:
            self.add(self.doc, SCHEMA.headline, Literal(a.title))
            self.add(self.doc, DCTERMS.title, Literal(a.title))
        if a.date:
            self.add(self.doc, SCHEMA.datePublished, _date_literal(a.date))
        if a.url:
            self.add(self.doc, SCHEMA.url, Literal(a.url, datatype=XSD.anyURI))

    # -- entities --------------------------------------------------------------
    def entity(self, e: Entity) -> None:
        node = self.m.entity(e.key)
        self.typed(node, e.cls)
        self.add(node, RDFS.label, Literal(e.label, lang="en"))
        self.add(node, SKOS.prefLabel, Literal(e.label, lang="en"))
        self.add(node, _kgb("canonicalKey"), Literal(e.key))
        forms = sorted({m.text for m in e.mentions if m.kind == "name"} | set(e.aliases))
        for form in forms:
            if form != e.label:
                self.add(node, SKOS.altLabel, Literal(form, lang="en"))
        if e.rule:
            self.add(node, _kgb("rule"), Literal(e.rule))
        if e.wikidata:
            self.add(node, SKOS.exactMatch, WD[e.wikidata])
        if e.geonames:
            self.add(node, SKOS.exactMatch, URIRef(f"https://sws.geonames.org/{e.geonames}/"))
        if e.lat is not None and e.lon is not None:
            self.add(node, WGS.lat, Literal(e.lat, datatype=XSD.decimal))
            self.add(node, WGS.long, Literal(e.lon, datatype=XSD.decimal))
            geom = URIRef(f"{node}/geometry")
            self.add(node, GEO.hasGeometry, geom)
            self.add(geom, RDF.type, GEO.Geometry)
            self.add(geom, GEO.asWKT, Literal(f"POINT({e.lon} {e.lat})", datatype=GEO.wktLiteral))
        if e.count is not None:
            self.add(node, _kgb("count"), Literal(e.count, datatype=XSD.integer))
        if e.value:
            self.add(node, RDF.value, Literal(e.value))
        self.add(node, _kgb("confidence"), _conf(e.confidence))
        self.add(node, PROV.wasDerivedFrom, self.doc)
        for mention in e.mentions:
            span = self.span(mention.start, mention.end)
            self.add(node, GAF.denotedBy, span)
            self.add(span, GAF.denotes, node)

    # -- events ----------------------------------------------------------------
    def event(self, ev: Event) -> None:
        node = self.m.event(self.doc_id, ev.trigger.start, ev.trigger.end)
        self.typed(node, ev.cls)
        self.add(node, RDFS.label, Literal(f"{ev.cls}: {ev.trigger.text}", lang="en"))
        self.add(node, _kgb("coarseType"), Literal(ev.coarse))
        mention = self.span(ev.trigger.start, ev.trigger.end)
        self.add(node, GAF.denotedBy, mention)
        sent = self.sentence(ev.sentence)
        if sent is not None:
            self.add(node, _kgb("evidence"), sent)
        self.add(node, PROV.wasDerivedFrom, self.doc)
        self.add(node, _kgb("confidence"), _conf(ev.confidence))
        if ev.extractor:
            self.add(node, _kgb("extractor"), Literal(ev.extractor))
        self.add(node, _kgb("modality"), Literal(ev.modality))
        self.add(node, FARO.status, _STATUS.get(ev.modality, FARO.happened))
        for name, value in (("cameoCode", ev.cameo), ("ploverCategory", ev.plover)):
            if value:
                self.add(node, _kgb(name), Literal(value))
        if ev.acled:
            etype, _, sub = ev.acled.partition("/")
            self.add(node, _kgb("acledEventType"), Literal(etype.strip()))
            if sub.strip():
                self.add(node, _kgb("acledSubEventType"), Literal(sub.strip()))
        if ev.date:
            self.add(node, _kgb("date"), _date_literal(ev.date))
            self.add(node, _kgb("time"), self.m.time(ev.date))
            self.add(node, SEM.hasTime, self.m.time(ev.date))
            if ev.date_precision:
                self.add(node, _kgb("datePrecision"), Literal(ev.date_precision))
        if ev.quote:
            self.add(node, _kgb("quote"), Literal(ev.quote, lang="en"))
        for arg in ev.arguments:
            self.argument(node, arg)

    def argument(self, event: URIRef, arg) -> None:
        if arg.entity is None or self.ex.entity(arg.entity) is None:
            return  # only real entity arguments become roles (NewsReader's lesson)
        prop = _kgb(arg.fine_role) if arg.fine_role and arg.fine_role in _FINE_ROLES else _kgb(_ROLE_PROPERTY.get(arg.role, "participant"))
        target = self.m.entity(arg.entity)
        for p in property_ancestors(prop):
            self.add(event, p, target)

    # -- relations -------------------------------------------------------------
    def relation(self, r: Relation) -> None:
        if self.ex.entity(r.subject) is None or self.ex.entity(r.object) is None:
            return
        s, o = self.m.entity(r.subject), self.m.entity(r.object)
        p = _kgb(r.predicate)
        self.add(s, p, o)
        st = self.m.statement(self.doc_id, r.subject, r.predicate, r.object, r.start, r.end)
        self.add(st, RDF.type, RDF.Statement)
        self.add(st, RDF.subject, s)
        self.add(st, RDF.predicate, p)
        self.add(st, RDF.object, o)
        self.add(st, _kgb("confidence"), _conf(r.confidence))
        if r.extractor:
            self.add(st, _kgb("extractor"), Literal(r.extractor))
        self.add(st, GAF.denotedBy, self.span(r.start, r.end))
        sent = self.sentence(r.sentence)
        if sent is not None:
            self.add(st, _kgb("evidence"), sent)
        self.add(st, PROV.wasDerivedFrom, self.doc)


_FINE_ROLES = {"speaker", "addressee", "victim", "origin", "destination", "participant", "agent", "target", "place", "time", "instrument"}


def _conf(value: float) -> Literal:
    return Literal(f"{max(0.0, min(1.0, value)):.3f}", datatype=XSD.decimal)


def _date_literal(value: str) -> Literal:
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    if len(value) == 4:
        return Literal(value, datatype=XSD.gYear)
    return Literal(value)


def extraction_to_graph(ex: Extraction, minter: Minter | None = None) -> Graph:
    """The article's named graph (its identifier is the graph IRI)."""
    w = _Writer(ex, minter or Minter())
    w.article()
    for e in ex.entities:
        w.entity(e)
    for ev in ex.events:
        w.event(ev)
    for r in ex.relations:
        w.relation(r)
    return w.g
