"""The cross-document coreference layer: graph {base}graph/coref.

Why a separate graph: article graphs are self-contained and are replaced one
by one, so two reports of the same airstrike keep their own document events
(ontology.md §3.3: events never merge across documents by IRI, which would be
unsafe and would tie one article's graph to another's).  Instead
kgbuild.resolve.eventcoref groups the events into clusters, and this module writes
one *canonical event* per cluster:

    <{base}event/x/ev-…>  a kgb:CanonicalEvent ;
        kgb:eventClass kgb:Airstrike ; rdfs:label "airstrike: airstrikes (2 reports)"@en ;
        kgb:reportCount 2 ; kgb:mentionCount 3 ;
        kgb:agent <entity/…> ; sem:hasActor <entity/…> ; kgb:place <entity/…> ; … ;
        kgb:date "2017-08-29"^^xsd:date ; kgb:endDate "2017-08-30"^^xsd:date ;
        kgb:modality "asserted" ; faro:status faro:happened ;
        [kgb:specificity "aggregate" ;]   # only on clusters of aggregate/habitual/generic mentions
        prov:wasDerivedFrom <doc/a1> , <doc/b2> ;
        faro:before <{base}event/x/ev-…> .
    <{base}event/a1/37-46> faro:coreference_of <{base}event/x/ev-…> .

Why kgb:eventClass and not rdf:type: a canonical event stands for document
events that are already typed; typed kgb:Airstrike too, it would count twice
in every per-class count (`?e a kgb:Airstrike`).  kgb:CanonicalEvent is
therefore outside the event-class hierarchy, and the class it stands for is
named by kgb:eventClass (its ancestors through rdfs:subClassOf).

Every cluster gets a canonical node, also single-mention ones, so a timeline
or a count of "distinct events" can be asked of canonical events alone
(`?e a kgb:CanonicalEvent`), without mixing in the document events.  A
canonical event has no gaf:denotedBy of its own: its mentions are those of
its document events, reached through faro:coreference_of.  The graph refers
to entities and articles by IRI only (their labels and types live in the
article graphs), so it is small, validates on its own against the
kgbsh:CanonicalEventShape, and is rebuilt as a whole.  No blank nodes; the
same extractions give the same triples (cluster keys are hashes of their
first mention, merge_events is deterministic).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..resolve.eventcoref import SPECIFIC, ArticleFacts, ClusterState, EventFacts, Merger, article_facts, order_events
from ..records import Argument, Event, Extraction
from .convert import MODALITY_STATUS, class_label, confidence_literal, event_class, plain_literal, role_property
from .iris import Minter, segment
from .namespaces import FARO, KGB, bind_prefixes
from .ontology import class_ancestors, property_ancestors

log = logging.getLogger(__name__)

COREF_GRAPH = "graph/coref"  # relative to the base


def coref_graph_iri(minter: Minter | None = None) -> URIRef:
    return URIRef(f"{(minter or Minter()).base}{COREF_GRAPH}")


def canonical_event_iri(minter: Minter, cluster_key: str) -> URIRef:
    """`{base}event/x/{key}`: the key is already a hash of the cluster's first mention.

    Document events are `event/{doc}/{begin}-{end}`, so "ev-…" in place of
    "begin-end" never collides with one, whatever the doc_id.
    """
    return URIRef(f"{minter.base}event/x/{segment(cluster_key)}")


def coref_graph(
    extractions: Iterable[Extraction | ArticleFacts],
    minter: Minter | None = None,
    *,
    max_days: int = 2,
    cross_document: bool = True,
) -> Graph:
    """The coreference layer of `extractions` or their light records (any order: merging sorts them)."""
    minter = minter or Minter()
    records = sorted(
        (
            event_record(x) if isinstance(x, Extraction) else x
            for x in extractions
            if isinstance(x, (Extraction, ArticleFacts))
        ),
        key=lambda r: r.order,
    )
    g = Graph(identifier=coref_graph_iri(minter))
    bind_prefixes(g)
    for t in coref_triples(records, minter, max_days=max_days, cross_document=cross_document):
        g.add(t)
    return g


def coref_triples(
    records: Iterable[ArticleFacts],
    minter: Minter,
    *,
    max_days: int = 2,
    cross_document: bool = True,
) -> Iterator[tuple]:
    """The layer's triples (with repeats), from light records in ArticleFacts.order.

    Streams: what a mention contributes (its coreference_of link, its
    article, its participants and places) is yielded as it joins its
    cluster, so only the clusters' state (eventcoref.ClusterState) is kept;
    each canonical event's own triples and the faro:before links follow at
    the end.
    """
    merger = Merger(max_days=max_days, cross_document=cross_document)
    own = coref_graph_iri(minter)
    warned = False
    for rec in records:
        if not warned and minter.graph(rec.doc_id) == own:
            warned = True
            log.warning(
                "an article's doc_id gives it the graph IRI of the coreference layer %s; the two graphs will be merged",
                own,
            )
        for i, ev in merger.add(rec):
            yield from _mention(minter, canonical_event_iri(minter, merger.clusters[i].key), rec.doc_id, ev)
    for c in merger.clusters:
        yield from _canonical(minter, c)
    for earlier, later in order_events(merger.clusters):
        yield (canonical_event_iri(minter, earlier), _BEFORE, canonical_event_iri(minter, later))


# Terms looked up once: rdflib's namespace attribute access builds (and, for
# RDF/RDFS/PROV, validates) a new URIRef on every use.
_TYPE, _LABEL, _DERIVED_FROM = RDF.type, RDFS.label, PROV.wasDerivedFrom
_EVENT_CLASS, _COARSE_TYPE, _CONFIDENCE, _MODALITY = KGB.eventClass, KGB.coarseType, KGB.confidence, KGB.modality
_SPECIFICITY = KGB.specificity
_REPORT_COUNT, _MENTION_COUNT, _END_DATE = KGB.reportCount, KGB.mentionCount, KGB.endDate
_STATUS_PROP, _BEFORE, _COREFERENCE_OF = FARO.status, FARO.before, FARO.coreference_of


def _canonical(minter: Minter, c: ClusterState) -> Iterator[tuple]:
    node = canonical_event_iri(minter, c.key)
    cls = event_class(c.cls)
    for t in _canonical_types():
        yield (node, _TYPE, t)
    yield (node, _EVENT_CLASS, cls)
    if c.specificity != SPECIFIC:
        yield (node, _SPECIFICITY, plain_literal(c.specificity))
    label = f"{class_label(cls)}: {c.trigger}" + (f" ({c.reports} reports)" if c.reports > 1 else "")
    yield (node, _LABEL, Literal(label, lang="en"))
    yield (node, _COARSE_TYPE, plain_literal(c.coarse))
    yield (node, _REPORT_COUNT, _integer(c.reports))
    yield (node, _MENTION_COUNT, _integer(c.mentions))
    yield (node, _CONFIDENCE, confidence_literal(round(c.confidence, 3)))
    yield (node, _MODALITY, plain_literal(c.modality))
    if c.modality in MODALITY_STATUS:
        yield (node, _STATUS_PROP, MODALITY_STATUS[c.modality])
    if c.date_start:
        start = _date(c.date_start)
        for p in _date_properties():
            yield (node, p, start)
    if c.date_end:
        yield (node, _END_DATE, _date(c.date_end))


@lru_cache(maxsize=1)
def _canonical_types() -> tuple[URIRef, ...]:
    """kgb:CanonicalEvent and its super-classes: none of them an event class."""
    return tuple(sorted(class_ancestors(KGB.CanonicalEvent)))


@lru_cache(maxsize=1)
def _date_properties() -> tuple[URIRef, ...]:
    return tuple(property_ancestors(KGB.date))


@lru_cache(maxsize=4096)
def _integer(value: int) -> Literal:
    """An xsd:integer literal (shared: counts recur); `value` is always an int (bool never comes here)."""
    return Literal(value, datatype=XSD.integer)


@lru_cache(maxsize=4096)
def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def _mention(minter: Minter, node: URIRef, doc_id: str, ev: EventFacts) -> Iterator[tuple]:
    """One member: its document event, its article, and its participants and places.

    The participants and places go under their specific role and its
    super-properties.  Document-scoped entities ("a small bridge") are left
    out, as merge_events leaves them out: their IRI means something only
    inside their article (EventFacts.roles holds only the others).
    """
    yield (node, _DERIVED_FROM, minter.doc(doc_id))
    yield (minter.event(doc_id, ev.start, ev.end), _COREFERENCE_OF, node)
    for role, fine_role, entity in ev.roles:
        for p in _role_properties(role, fine_role):
            yield (node, p, minter.entity(entity))


@lru_cache(maxsize=None)  # a handful of (role, fine_role) pairs
def _role_properties(role: str, fine_role: str) -> tuple[URIRef, ...]:
    return tuple(property_ancestors(role_property(Argument(role, 0, 0, "", fine_role=fine_role or None))))


def _grounded(ex: Extraction) -> Extraction:
    """Only events whose trigger lies in the text: convert.py writes no document event for the others."""
    n = len(ex.article.text) if isinstance(ex.article.text, str) else 0
    kept = tuple(ev for ev in ex.events if isinstance(ev, Event) and 0 <= ev.trigger.start < ev.trigger.end <= n)
    return ex if len(kept) == len(ex.events) else dataclasses.replace(ex, events=kept)


# -- light records, for streaming builds ----------------------------------------
#
# A streaming build converts articles in worker processes and keeps no
# Extraction.  Each partition therefore saves, per article, what merging and
# this layer need of it (eventcoref.ArticleFacts: no text, sentences,
# entities or relations), sorted in merge order; the parent merges the
# partitions' records in that order (a heap merge on disk) and writes the
# layer as it goes.


def event_record(ex: Extraction) -> ArticleFacts:
    """What the coreference layer needs of an extraction (its grounded events only)."""
    return article_facts(_grounded(ex))


def write_records(path: str | Path, records: Iterable[ArticleFacts]) -> None:
    """Save light records, sorted in merge order (written and read back by the same build)."""
    from ..run.sink import write_pickled_run

    write_pickled_run(path, records, key=_order)


def read_records(paths: Iterable[str | Path], *, tmp_dir: str | Path | None = None) -> Iterator[ArticleFacts]:
    """The records saved by write_records in `paths`, merged in merge order (as a stable sort would)."""
    from ..run.sink import merged_pickled

    return merged_pickled([Path(p) for p in paths], key=_order, tmp_dir=tmp_dir)


def _order(rec: ArticleFacts) -> tuple[str, str]:
    return rec.order
