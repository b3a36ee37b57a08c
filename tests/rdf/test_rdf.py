"""Extraction -> RDF: the model the writer produces, on hand-made extractions.

The golden file tests/golden/handmade.nq is compared with
rdflib.compare.isomorphic, so harmless reordering never fails the test but any
changed, missing or extra triple does.  After an intended change, rewrite it
with:  KGBUILD_UPDATE_GOLDEN=1 pytest tests/rdf/test_rdf.py
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import PROV, RDF, RDFS, TIME, XSD

from golden.handmade import BASE, TEXT_B, article_a, article_b, graphs
from kgbuild.rdf import Minter, extraction_to_graph
from kgbuild.rdf.namespaces import FARO, GAF, KGB, NIF, SCHEMA, SEM
from kgbuild.rdf.serialize import serialize
from kgbuild.records import Entity, Relation

GOLDEN = Path(__file__).parents[1] / "golden" / "handmade.nq"
E = lambda key: URIRef(f"{BASE}entity/{key}")  # noqa: E731


@pytest.fixture(scope="module")
def a1():
    return extraction_to_graph(article_a(), Minter(BASE))


@pytest.fixture(scope="module")
def b2():
    return extraction_to_graph(article_b(), Minter(BASE))


def test_golden_graphs_are_isomorphic():
    produced = Dataset()
    produced.parse(data=serialize(graphs(), "nq").decode("utf-8"), format="nquads")
    if os.environ.get("KGBUILD_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(serialize(graphs(), "nq"))
    expected = Dataset()
    expected.parse(GOLDEN, format="nquads")
    for g in graphs():
        want, got = expected.graph(g.identifier), produced.graph(g.identifier)
        if not isomorphic(want, got):
            _, only_want, only_got = graph_diff(to_isomorphic(want), to_isomorphic(got))
            pytest.fail(
                f"{g.identifier} differs from the golden file\nmissing:\n"
                f"{only_want.serialize(format='nt')}\nextra:\n{only_got.serialize(format='nt')}"
            )
    assert {str(g.identifier) for g in expected.graphs() if len(g)} == {str(g.identifier) for g in graphs()}


def test_one_named_graph_per_article_with_deterministic_iris(a1, b2):
    assert a1.identifier == URIRef(f"{BASE}graph/a1")
    assert b2.identifier == URIRef(f"{BASE}graph/b2")
    again = extraction_to_graph(article_a(), Minter(BASE))
    assert set(again) == set(a1)


def test_no_blank_nodes(a1, b2):
    for g in (a1, b2):
        assert not [t for t in g if any(isinstance(x, BNode) for x in t)]


def test_article_is_a_nif_context_with_its_text(a1):
    doc = URIRef(f"{BASE}doc/a1")
    assert (doc, RDF.type, SCHEMA.NewsArticle) in a1
    assert (doc, RDF.type, NIF.Context) in a1
    assert a1.value(doc, NIF.isString) == Literal(article_a().article.text)
    assert a1.value(doc, SCHEMA.datePublished) == Literal("2021-03-04", datatype=XSD.date)
    assert a1.value(doc, SCHEMA.url) == Literal("https://news.example.com/a1", datatype=XSD.anyURI)


def test_graph_names_its_article_and_run(a1):
    run = a1.value(a1.identifier, PROV.wasGeneratedBy)
    assert a1.value(a1.identifier, PROV.wasDerivedFrom) == URIRef(f"{BASE}doc/a1")
    assert str(run).startswith(f"{BASE}run/")
    assert (run, RDF.type, PROV.Activity) in a1


def test_type_chain_is_materialised_and_event_type_is_most_specific(a1):
    strike = URIRef(f"{BASE}event/a1/15-21")
    types = set(a1.objects(strike, RDF.type))
    assert {KGB.Airstrike, KGB.Attack, KGB.ConflictEvent, KGB.Event, SEM.Event, SCHEMA.Event} <= types
    assert a1.value(strike, SEM.eventType) == KGB.Airstrike
    bridge_types = set(a1.objects(E("a1%2Fbridge"), RDF.type))
    assert {KGB.Facility, KGB.Place, SEM.Object, SEM.Actor, SEM.Place} <= bridge_types


def test_roles_are_asserted_with_their_super_properties(a1):
    said = URIRef(f"{BASE}event/a1/132-136")
    smith = E("john-smith")
    for prop in (KGB.speaker, KGB.agent, SEM.hasActor):
        assert (said, prop, smith) in a1
    condemned = URIRef(f"{BASE}event/a1/157-166")
    for prop in (KGB.addressee, KGB.target, SEM.hasActor):
        assert (condemned, prop, E("global-coalition")) in a1
    strike = URIRef(f"{BASE}event/a1/15-21")
    for prop in (KGB.place, SEM.hasPlace, SCHEMA.location):
        assert (strike, prop, E("mosul")) in a1


def test_event_codes_dates_and_modality(a1):
    strike = URIRef(f"{BASE}event/a1/15-21")
    assert a1.value(strike, KGB.cameoCode) == Literal("195")
    assert a1.value(strike, KGB.acledEventType) == Literal("Explosions/Remote violence")
    assert a1.value(strike, KGB.acledSubEventType) == Literal("Air/drone strike")
    assert a1.value(strike, KGB.date) == Literal("2021-03-03", datatype=XSD.date)
    assert a1.value(strike, FARO.status) == FARO.happened
    day = URIRef(f"{BASE}time/2021-03-03")
    assert (strike, SEM.hasTime, day) in a1 and (strike, KGB.time, day) in a1
    assert a1.value(day, TIME.inXSDDate) == Literal("2021-03-03", datatype=XSD.date)
    # month precision: kgb:date is the first day (sortable), the time node is the month
    condemned = URIRef(f"{BASE}event/a1/157-166")
    assert a1.value(condemned, KGB.date) == Literal("2021-03-01", datatype=XSD.date)
    assert a1.value(condemned, KGB.datePrecision) == Literal("month")
    month = URIRef(f"{BASE}time/2021-03")
    assert a1.value(month, TIME.inXSDgYearMonth) == Literal("2021-03", datatype=XSD.gYearMonth)


def test_quote_and_planned_event(a1, b2):
    said = URIRef(f"{BASE}event/a1/132-136")
    assert a1.value(said, KGB.quote) == Literal("We hit the bridge to stop the convoy", lang="en")
    truce = URIRef(f"{BASE}event/b2/146-151")
    assert b2.value(truce, FARO.status) == FARO.planned


def test_mentions_are_grounded_in_code_points(b2):
    """Article B has 'é' and an emoji before its mentions: offsets are str indices."""
    spans = list(b2.subjects(RDF.type, NIF.OffsetBasedString))
    assert spans
    for span in spans:
        b, e = int(b2.value(span, NIF.beginIndex)), int(b2.value(span, NIF.endIndex))
        assert str(b2.value(span, NIF.anchorOf)) == TEXT_B[b:e]
        assert str(span) == f"{BASE}doc/b2#char={b},{e}"
    front = TEXT_B.index("Northern Front")
    assert (E("northern-front"), GAF.denotedBy, URIRef(f"{BASE}doc/b2#char={front},{front + 14}")) in b2


def test_entities_have_labels_keys_links_and_coordinates(a1):
    mosul = E("mosul")
    assert a1.value(mosul, RDFS.label) == Literal("Mosul", lang="en")
    assert a1.value(mosul, KGB.canonicalKey) == Literal("mosul")
    geometry = URIRef(f"{mosul}/geometry")
    assert str(a1.value(geometry, URIRef("http://www.opengis.net/ont/geosparql#asWKT"))) == "POINT(43.11889 36.335)"
    smith = E("john-smith")
    assert Literal("Smith", lang="en") in set(a1.objects(smith, URIRef("http://www.w3.org/2004/02/skos/core#altLabel")))


def test_relations_are_direct_edges_and_reified_statements(a1):
    front, coalition = E("northern-front"), E("global-coalition")
    assert (front, KGB.opposes, coalition) in a1
    statements = [st for st in a1.subjects(RDF.predicate, KGB.opposes) if (st, RDF.subject, front) in a1]
    assert len(statements) == 1
    st = statements[0]
    assert (st, RDF.type, RDF.Statement) in a1
    assert a1.value(st, KGB.confidence) == Literal("0.600", datatype=XSD.decimal)
    assert a1.value(st, KGB.extractor) == Literal("handmade")
    assert (a1.value(st, KGB.evidence), RDF.type, NIF.Sentence) in a1


def test_unknown_entity_class_falls_back_by_coarse_type(caplog):
    ex = article_a()
    odd = replace(ex.entities[3], cls="Wizard")  # john-smith, coarse PERSON
    ex = replace(ex, entities=(*ex.entities[:3], odd, *ex.entities[4:]))
    with caplog.at_level(logging.WARNING):
        g = extraction_to_graph(ex, Minter(BASE))
    assert (E("john-smith"), RDF.type, KGB.Person) in g
    assert "Wizard" in caplog.text


def test_unknown_predicate_and_bad_offsets_are_skipped_not_fatal(caplog):
    ex = article_a()
    bad_rel = Relation("john-smith", "admires", "global-coalition", 0, 5, sentence=0)
    bad_ent = Entity(
        "ghost",
        "Ghost",
        "Person",
        "PERSON",
        mentions=(replace(ex.entities[3].mentions[0], start=500, end=505, entity="ghost"),),
    )
    ex = replace(ex, relations=(*ex.relations, bad_rel), entities=(*ex.entities, bad_ent))
    with caplog.at_level(logging.WARNING):
        g = extraction_to_graph(ex, Minter(BASE))
    assert not [t for t in g if any(str(x).endswith("#admires") for x in t)]
    assert (E("ghost"), GAF.denotedBy, None) not in g
    assert "admires" in caplog.text and "bad offsets" in caplog.text


def test_closed_namespace_rejects_misspelt_terms():
    with pytest.raises(AttributeError):
        KGB.agnet  # noqa: B018


def test_instance_base_is_configurable():
    g = extraction_to_graph(article_b(), Minter("https://data.example.net/kg"))
    assert g.identifier == URIRef("https://data.example.net/kg/graph/b2")
    assert all(not str(s).startswith(BASE) for s, _, _ in g)
