"""The cross-document coreference layer in RDF (kgbuild.rdf.coref), on hand-made records.

Two articles report the same airstrike a day apart (one dates it 4 March,
the other 5 March); article A also reports an earlier, different event (a
shelling on 1 March).  No spaCy model is needed.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from kgbuild.rdf import Minter, extraction_to_graph
from kgbuild.rdf.coref import (
    canonical_event_iri,
    coref_graph,
    coref_graph_iri,
    event_record,
    read_records,
    write_records,
)
from kgbuild.rdf.namespaces import FARO, KGB, SEM
from kgbuild.rdf.serialize import serialize
from kgbuild.records import Argument, Article, Entity, Event, Extraction, Mention, Span
from kgbuild.store.validate import validate_graphs

BASE = "https://example.org/kgbuild/"
MINTER = Minter(BASE)

TEXT_A = (
    "Northern Army jets struck River Front positions near Port City on Thursday. "
    "River Front shelled Port City on Monday."
)
TEXT_B = "Warplanes of the Northern Army bombed River Front fighters in Port City on Friday, witnesses said."

KEYS = {"Northern Army": "northern-army", "River Front": "river-front", "Port City": "port-city"}
CLASSES = {
    "Northern Army": ("MilitaryForce", "ORGANIZATION"),
    "River Front": ("ArmedGroup", "ORGANIZATION"),
    "Port City": ("PopulatedPlace", "GPE"),
}


def _entities(text: str) -> tuple[Entity, ...]:
    out = []
    for label, key in KEYS.items():
        cls, coarse = CLASSES[label]
        mentions, start = [], text.find(label)
        while start >= 0:
            mentions.append(Mention(start, start + len(label), label, coarse, key, 0))
            start = text.find(label, start + 1)
        if mentions:
            out.append(Entity(key, label, cls, coarse, tuple(mentions)))
    return tuple(out)


def _event(text: str, trigger: str, cls: str, date: str, *roles: tuple[str, str]) -> Event:
    b = text.index(trigger)
    args = tuple(Argument(role, text.index(s), text.index(s) + len(s), s, KEYS[s]) for role, s in roles)
    return Event(
        Span(b, b + len(trigger), trigger),
        cls,
        "Attack",
        0,
        args,
        date=date,
        date_precision="day",
        extractor="handmade",
        confidence=0.9,
    )


def extractions() -> list[Extraction]:
    strike_a = _event(
        TEXT_A,
        "struck",
        "Airstrike",
        "2021-03-04",
        ("agent", "Northern Army"),
        ("target", "River Front"),
        ("place", "Port City"),
    )
    shelling = _event(TEXT_A, "shelled", "Shelling", "2021-03-01", ("agent", "River Front"), ("place", "Port City"))
    strike_b = _event(
        TEXT_B,
        "bombed",
        "Airstrike",
        "2021-03-05",
        ("agent", "Northern Army"),
        ("target", "River Front"),
        ("place", "Port City"),
    )
    a = Extraction(
        Article("a", TEXT_A, date="2021-03-05", url="https://news.example/a"),
        entities=_entities(TEXT_A),
        events=(strike_a, shelling),
    )
    b = Extraction(
        Article("b", TEXT_B, date="2021-03-06", url="https://news.example/b"),
        entities=_entities(TEXT_B),
        events=(strike_b,),
    )
    return [a, b]


def _doc_event(doc_id: str, text: str, trigger: str) -> URIRef:
    b = text.index(trigger)
    return MINTER.event(doc_id, b, b + len(trigger))


def _canonical_of(g, doc_event: URIRef) -> URIRef:
    found = list(g.objects(doc_event, FARO.coreference_of))
    assert len(found) == 1, found
    return found[0]


def test_two_reports_make_one_canonical_event_with_report_count_two():
    g = coref_graph(extractions(), MINTER)
    assert g.identifier == coref_graph_iri(MINTER) == URIRef(f"{BASE}graph/coref")
    strike = _canonical_of(g, _doc_event("a", TEXT_A, "struck"))
    assert _canonical_of(g, _doc_event("b", TEXT_B, "bombed")) == strike
    assert str(strike).startswith(f"{BASE}event/x/")
    assert g.value(strike, KGB.reportCount) == Literal(2, datatype=XSD.integer)
    assert g.value(strike, KGB.mentionCount) == Literal(2, datatype=XSD.integer)
    assert set(g.objects(strike, PROV.wasDerivedFrom)) == {MINTER.doc("a"), MINTER.doc("b")}
    # a kgb:CanonicalEvent only, outside the event classes: kgb:eventClass names its class
    assert set(g.objects(strike, RDF.type)) == {KGB.CanonicalEvent}
    assert g.value(strike, KGB.eventClass) == KGB.Airstrike
    assert g.value(strike, SEM.eventType) is None
    # participants and places under their role and its SEM super-property
    assert (strike, KGB.agent, MINTER.entity("northern-army")) in g
    assert (strike, SEM.hasActor, MINTER.entity("northern-army")) in g
    assert (strike, KGB.place, MINTER.entity("port-city")) in g
    assert (strike, SEM.hasPlace, MINTER.entity("port-city")) in g
    # the date range of the two reports, and the status from the modality
    assert g.value(strike, KGB.date) == Literal("2021-03-04", datatype=XSD.date)
    assert g.value(strike, KGB.endDate) == Literal("2021-03-05", datatype=XSD.date)
    assert g.value(strike, FARO.status) == FARO.happened


def test_the_earlier_shelling_is_a_separate_canonical_event_before_the_strike():
    g = coref_graph(extractions(), MINTER)
    strike = _canonical_of(g, _doc_event("a", TEXT_A, "struck"))
    shelling = _canonical_of(g, _doc_event("a", TEXT_A, "shelled"))
    assert shelling != strike
    assert g.value(shelling, KGB.reportCount) == Literal(1, datatype=XSD.integer)
    assert (shelling, FARO.before, strike) in g
    assert (strike, FARO.before, shelling) not in g
    assert len(set(g.subjects(RDF.type, KGB.CanonicalEvent))) == 2


def test_coref_graph_conforms_alongside_the_article_graphs():
    minter = MINTER
    graphs = [extraction_to_graph(ex, minter) for ex in extractions()] + [coref_graph(extractions(), minter)]
    report = validate_graphs(graphs)
    assert report.conforms, report.text()
    assert not [f for f in report.findings if "graph/coref" in f.graph], report.text()


def test_broken_counts_are_caught_by_the_shapes():
    g = coref_graph(extractions(), MINTER)
    strike = _canonical_of(g, _doc_event("a", TEXT_A, "struck"))
    g.set((strike, KGB.reportCount, Literal(3, datatype=XSD.integer)))
    g.add((strike, URIRef("http://groundedannotationframework.org/gaf#denotedBy"), MINTER.span("a", 0, 5)))
    found = [f.text() for f in validate_graphs([g]).violations]
    assert any("reportCount" in v for v in found), found
    assert any("no mention of its own" in v for v in found), found


def test_no_blank_nodes_and_deterministic_bytes():
    first = serialize([coref_graph(extractions(), MINTER)], "nq")
    again = serialize([coref_graph(list(reversed(extractions())), MINTER)], "nq")
    assert first == again
    assert b"_:" not in first
    assert serialize([coref_graph(extractions(), MINTER)], "trig") == serialize(
        [coref_graph(extractions(), MINTER)], "trig"
    )


def test_loads_in_pyoxigraph_and_sparql_finds_the_report_count():
    graphs = [extraction_to_graph(ex, MINTER) for ex in extractions()] + [coref_graph(extractions(), MINTER)]
    store = ox.Store()
    store.load(serialize(graphs, "nq"), format=ox.RdfFormat.N_QUADS)
    rows = list(
        store.query(
            """
        PREFIX kgb: <https://w3id.org/kgbuild/ontology#>
        PREFIX faro: <http://purl.org/faro/>
        SELECT ?canonical ?n (COUNT(?mention) AS ?m) WHERE {
          GRAPH <https://example.org/kgbuild/graph/coref> { ?canonical kgb:eventClass kgb:Airstrike ; kgb:reportCount ?n }
          ?mention faro:coreference_of ?canonical .
        } GROUP BY ?canonical ?n""",
            use_default_graph_as_union=True,
        )
    )
    assert len(rows) == 1
    assert int(rows[0]["n"].value) == 2 and int(rows[0]["m"].value) == 2
    # every coreferent document event exists in its article graph
    missing = list(
        store.query(
            """
        PREFIX faro: <http://purl.org/faro/>
        PREFIX kgb: <https://w3id.org/kgbuild/ontology#>
        SELECT ?e WHERE { ?e faro:coreference_of ?c FILTER NOT EXISTS { ?e kgb:modality ?x } }""",
            use_default_graph_as_union=True,
        )
    )
    assert not missing


def test_light_records_round_trip_and_give_the_same_graph(tmp_path):
    records = [event_record(ex) for ex in extractions()]
    assert all(not hasattr(r, "text") and not hasattr(r, "entities") for r in records)  # light: no text, no entities
    write_records(tmp_path / "part.ev", records)
    back = list(read_records([tmp_path / "part.ev"]))
    assert serialize([coref_graph(back, MINTER)], "nq") == serialize([coref_graph(extractions(), MINTER)], "nq")


def test_canonical_iri_never_collides_with_a_document_event():
    assert canonical_event_iri(MINTER, "ev-0123") == URIRef(f"{BASE}event/x/ev-0123")
    assert canonical_event_iri(MINTER, "ev-0123") != MINTER.event("x", 0, 123)


def test_no_events_gives_an_empty_graph():
    ex = Extraction(Article("c", "Nothing happened."))
    assert len(coref_graph([ex], MINTER)) == 0
