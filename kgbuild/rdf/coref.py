"""The cross-document coreference layer: graph {base}graph/coref.

Why a separate graph: article graphs are self-contained and are replaced one
by one, so two reports of the same airstrike keep their own document events
(ontology.md §3.3: events never merge across documents by IRI, which would be
unsafe and would tie one article's graph to another's).  Instead
kgbuild.eventcoref groups the events into clusters, and this module writes
one *canonical event* per cluster:

    <{base}event/x/ev-…>  a kgb:CanonicalEvent, kgb:Airstrike, kgb:Attack, … ;
        sem:eventType kgb:Airstrike ; rdfs:label "airstrike: airstrikes (2 reports)"@en ;
        kgb:reportCount 2 ; kgb:mentionCount 3 ;
        kgb:agent <entity/…> ; sem:hasActor <entity/…> ; kgb:place <entity/…> ; … ;
        kgb:date "2017-08-29"^^xsd:date ; kgb:endDate "2017-08-30"^^xsd:date ;
        kgb:modality "asserted" ; faro:status faro:happened ;
        prov:wasDerivedFrom <doc/a1> , <doc/b2> ;
        faro:before <{base}event/x/ev-…> .
    <{base}event/a1/37-46> faro:coreference_of <{base}event/x/ev-…> .

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
import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..eventcoref import PARTICIPANT_ROLES, EventCluster, merge_events, order_events
from ..records import Event, Extraction
from .convert import _STATUS, _class_label, _conf, _event_class, _role_property
from .iris import Minter, segment
from .namespaces import FARO, KGB, SEM, bind_prefixes
from .ontology import class_ancestors, property_ancestors

log = logging.getLogger(__name__)

COREF_GRAPH = "graph/coref"  # relative to the base
# Argument roles carried over to the canonical event: the ones merge_events
# compares (participants and places), under their most specific property.
_ROLES = PARTICIPANT_ROLES + ("place",)


def coref_graph_iri(minter: Minter | None = None) -> URIRef:
    return URIRef(f"{(minter or Minter()).base}{COREF_GRAPH}")


def canonical_event_iri(minter: Minter, cluster_key: str) -> URIRef:
    """`{base}event/x/{key}`: the key is already a hash of the cluster's first mention.

    Document events are `event/{doc}/{begin}-{end}`, so "ev-…" in place of
    "begin-end" never collides with one, whatever the doc_id.
    """
    return URIRef(f"{minter.base}event/x/{segment(cluster_key)}")


def coref_graph(
    extractions: Iterable[Extraction],
    minter: Minter | None = None,
    *,
    max_days: int = 2,
    cross_document: bool = True,
) -> Graph:
    """The coreference layer of `extractions` (any order: merging sorts them)."""
    minter = minter or Minter()
    exs = [_grounded(ex) for ex in extractions if isinstance(ex, Extraction)]
    if any(minter.graph(ex.article.doc_id) == coref_graph_iri(minter) for ex in exs):
        log.warning("an article's doc_id gives it the graph IRI of the coreference layer %s; "
                    "the two graphs will be merged", coref_graph_iri(minter))
    clusters = merge_events(exs, max_days=max_days, cross_document=cross_document)
    events = {(ex.article.doc_id, ev.key): (ex, ev) for ex in exs for ev in ex.events}
    g = Graph(identifier=coref_graph_iri(minter))
    bind_prefixes(g)
    for cluster in clusters:
        _canonical(g, minter, cluster, events)
    for earlier, later in order_events(clusters):
        g.add((canonical_event_iri(minter, earlier), FARO.before, canonical_event_iri(minter, later)))
    return g


def _grounded(ex: Extraction) -> Extraction:
    """Only events whose trigger lies in the text: convert.py writes no document event for the others."""
    n = len(ex.article.text) if isinstance(ex.article.text, str) else 0
    kept = tuple(ev for ev in ex.events if isinstance(ev, Event) and 0 <= ev.trigger.start < ev.trigger.end <= n)
    return ex if len(kept) == len(ex.events) else dataclasses.replace(ex, events=kept)


def _canonical(g: Graph, minter: Minter, c: EventCluster, events: dict) -> None:
    node = canonical_event_iri(minter, c.key)
    cls = _event_class(c.cls)
    for t in sorted(set(class_ancestors(cls)) | set(class_ancestors(KGB.CanonicalEvent))):
        g.add((node, RDF.type, t))
    g.add((node, SEM.eventType, cls))
    label = f"{_class_label(cls)}: {c.mentions[0].trigger}" + (f" ({c.reports} reports)" if c.reports > 1 else "")
    g.add((node, RDFS.label, Literal(label, lang="en")))
    g.add((node, KGB.coarseType, Literal(c.coarse)))
    g.add((node, KGB.reportCount, Literal(c.reports, datatype=XSD.integer)))
    g.add((node, KGB.mentionCount, Literal(len(c.mentions), datatype=XSD.integer)))
    g.add((node, KGB.confidence, _conf(c.confidence)))
    g.add((node, KGB.modality, Literal(c.modality)))
    if c.modality in _STATUS:
        g.add((node, FARO.status, _STATUS[c.modality]))
    if c.date_start:
        for p in property_ancestors(KGB.date):
            g.add((node, p, Literal(c.date_start, datatype=XSD.date)))
    if c.date_end:
        g.add((node, KGB.endDate, Literal(c.date_end, datatype=XSD.date)))
    for doc_id in c.doc_ids:
        g.add((node, PROV.wasDerivedFrom, minter.doc(doc_id)))
    for m in c.mentions:
        ex, ev = events[(m.doc_id, m.event_key)]
        g.add((minter.event(m.doc_id, ev.trigger.start, ev.trigger.end), FARO.coreference_of, node))
        _roles(g, minter, node, ex, ev)


def _roles(g: Graph, minter: Minter, node: URIRef, ex: Extraction, ev: Event) -> None:
    """The member's participants and places, under their specific role and its super-properties.

    Document-scoped entities ("a small bridge") are left out, as merge_events
    leaves them out: their IRI means something only inside their article.
    """
    for arg in ev.arguments:
        if arg.role not in _ROLES or not arg.entity:
            continue
        ent = ex.entity(arg.entity)
        if ent is None or ent.doc_scoped:
            continue
        for p in property_ancestors(_role_property(arg)):
            g.add((node, p, minter.entity(arg.entity)))



# -- light records, for streaming builds ----------------------------------------
#
# A streaming build converts articles in worker processes and keeps no
# Extraction; the coreference layer, though, needs the events of all articles
# at once.  Each partition therefore saves a light copy of its extractions
# (article, events and the entities they name; no sentences, mentions'
# sentences or relations), and the parent merges them at the end.  The
# article text stays: merge_events reads the words before a trigger to tell
# an anaphoric "the attack" from a new one.


def event_record(ex: Extraction) -> Extraction:
    """What the coreference layer needs of an extraction."""
    named = {a.entity for ev in ex.events for a in ev.arguments if a.entity}
    entities = tuple(dataclasses.replace(e, mentions=()) for e in ex.entities if e.key in named)
    return Extraction(article=ex.article, entities=entities, events=ex.events)


def write_records(path: str | Path, records: Iterable[Extraction]) -> None:
    """Save light records (pickle: written and read back by the same build, in its own run directory)."""
    with open(path, "wb") as f:
        pickle.dump(list(records), f, protocol=pickle.HIGHEST_PROTOCOL)


def read_records(paths: Iterable[str | Path]) -> Iterator[Extraction]:
    """The records saved by write_records, file after file."""
    for path in paths:
        with open(path, "rb") as f:
            yield from pickle.load(f)
