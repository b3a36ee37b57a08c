"""The sample article end to end: the graph must tell its story.

These checks are about what a user sees, phrased through SPARQL, the way a
user would ask; the names come from the article, the mechanisms are general.
"""

from __future__ import annotations

import json
import re

from rdflib import Graph

from kgbuild.store.sparql import run_query


def rows(store, sparql):
    return run_query(store, sparql).rows


def test_e2e_outputs_exist_and_parse(sample_build):
    g = Graph()
    g.parse(sample_build / "graph.ttl", format="turtle")
    assert len(g) > 200
    lines = (sample_build / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["entities"] and doc["events"]
    for m in doc["entities"]:
        assert doc["text"][m["start"] : m["end"]] == m["text"]


def test_e2e_airstrike_by_coalition_on_road_or_bridge(sample_store):
    found = rows(
        sample_store,
        """
        SELECT ?e ?agent ?target ?sentence WHERE {
          ?e a kgb:Attack ; kgb:agent ?a ; kgb:target ?t ; kgb:evidence ?s .
          ?a rdfs:label ?agent . ?t rdfs:label ?target . ?s nif:anchorOf ?sentence .
        }""",
    )
    hits = [
        r
        for r in found
        if re.search(r"coalition|\bUS\b|United States", r[1], re.I) and re.search(r"road|bridge", r[2], re.I)
    ]
    assert hits, found
    assert all(r[3] for r in hits)


def test_e2e_deal_between_hizballah_and_is(sample_store):
    found = rows(
        sample_store,
        """
        SELECT DISTINCT ?label WHERE {
          ?e a kgb:Agreement ; sem:hasActor ?a . ?a rdfs:label ?label .
        }""",
    )
    labels = " ".join(r[0] for r in found)
    assert re.search(r"H[ei][zs]b[aiou]ll?ah", labels), found
    assert re.search(r"Islamic State|\bIS\b", labels), found


def test_e2e_evacuation_event_exists(sample_store):
    found = rows(sample_store, "SELECT ?e WHERE { ?e a kgb:Evacuation }")
    assert found


def test_e2e_who_opposes_whom(sample_store):
    found = rows(
        sample_store,
        """
        SELECT ?s ?o WHERE { ?a kgb:opposes ?b . ?a rdfs:label ?s . ?b rdfs:label ?o }""",
    )
    assert any(re.search(r"Islamic State|\bIS\b", o) for _, o in found), found


def test_e2e_every_entity_and_event_has_provenance(sample_store):
    missing = rows(
        sample_store,
        """
        SELECT ?x WHERE {
          { ?x a kgb:Event FILTER NOT EXISTS { ?x a kgb:CanonicalEvent } } UNION { ?x a kgb:Actor }
          FILTER NOT EXISTS { ?x gaf:denotedBy ?m . ?m nif:beginIndex ?b ; nif:endIndex ?e ; nif:referenceContext ?d }
        }""",
    )
    assert not missing
    # a canonical event (coreference layer) is grounded through its document events
    canonical = rows(sample_store, "SELECT ?x WHERE { ?x a kgb:CanonicalEvent }")
    assert canonical
    ungrounded = rows(
        sample_store,
        """
        SELECT ?x WHERE {
          ?x a kgb:CanonicalEvent .
          FILTER NOT EXISTS { ?ev faro:coreference_of ?x ; gaf:denotedBy ?m . ?m nif:referenceContext ?d }
        }""",
    )
    assert not ungrounded


def test_e2e_html_is_offline(sample_build):
    html = (sample_build / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)


def test_e2e_no_blank_nodes(sample_build):
    text = (sample_build / "graph.nq").read_text(encoding="utf-8")
    assert "_:" not in text
