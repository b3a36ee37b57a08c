"""The on-disk store (build --store DIR / query --store DIR) and the shipped example queries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import needs_model
from golden.handmade import BASE, graphs
from kgbuild.store import persist
from kgbuild.errors import StoreError
from kgbuild.rdf.namespaces import KGB, ONTOLOGY_IRI
from kgbuild.rdf.ontology import ontology_graph, query_text
from kgbuild.store.sparql import open_store, run_query


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    persist.add_graphs(path, graphs())
    return path


def test_store_accumulates_articles_and_holds_the_ontology(tmp_path: Path):
    path = tmp_path / "store"
    first = persist.add_graphs(path, graphs()[:1])
    assert (first.written, first.replaced, first.graphs) == (1, 0, 1)
    second = persist.add_graphs(path, graphs()[1:])
    assert (second.written, second.replaced, second.graphs) == (1, 0, 2)
    assert persist.graph_names(path) == sorted(str(g.identifier) for g in graphs())
    assert ONTOLOGY_IRI in persist.graph_names(path, ontology=True)
    expected = sum(len(g) for g in graphs()) + len(ontology_graph())
    assert persist.count(path) == second.triples == expected


def test_rebuilding_an_article_leaves_the_triple_count_unchanged(store_dir: Path):
    before = persist.count(store_dir)
    summary = persist.add_graphs(store_dir, graphs())
    assert summary.replaced == 2
    assert persist.count(store_dir) == before


def test_rebuilding_replaces_the_article_graph(store_dir: Path):
    smaller = Graph(identifier=graphs()[0].identifier)
    for t in list(graphs()[0])[:10]:
        smaller.add(t)
    persist.add_graphs(store_dir, [smaller])
    back = {str(g.identifier): g for g in persist.read_graphs(store_dir)}
    assert len(back[str(smaller.identifier)]) == 10
    assert len(back[str(graphs()[1].identifier)]) == len(graphs()[1])


def test_streaming_builds_load_an_nquads_file_graph_by_graph(tmp_path: Path):
    from kgbuild.rdf.serialize import serialize

    nquads = tmp_path / "all.nq"
    nquads.write_bytes(serialize(graphs(), "nq"))
    first = persist.replace_from_nquads(tmp_path / "store", nquads)
    assert (first.written, first.replaced, first.graphs) == (2, 0, 2)
    again = persist.replace_from_nquads(tmp_path / "store", nquads)
    assert again.replaced == 2 and again.triples == first.triples
    assert persist.count(tmp_path / "store") == persist.add_graphs(tmp_path / "other", graphs()).triples


def test_a_failed_write_leaves_the_old_graph(store_dir: Path):
    """Drop and insert are one transaction: a graph that cannot be written changes nothing."""
    before = persist.count(store_dir)
    broken = Graph(identifier=graphs()[0].identifier)
    broken.add((URIRef("http://example.org/a"), KGB.opposes, URIRef("relative-iri")))  # the store refuses it
    with pytest.raises(StoreError):
        persist.add_graphs(store_dir, [broken])
    assert persist.count(store_dir) == before


_HOLD_LOCK = """
import sys, time
from kgbuild.store import persist
with persist.open_writer(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_a_second_writer_gets_a_clear_error(store_dir: Path):
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(store_dir)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError, match="store is in use by another kgbuild process"):
            persist.add_graphs(store_dir, graphs())
        with pytest.raises(StoreError, match="in use"):
            persist.query(store_dir, "ASK {}")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert persist.add_graphs(store_dir, graphs()).written == 2  # lock released with the process


def test_refuses_a_directory_that_is_not_a_store(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not a kgbuild store"):
        persist.add_graphs(tmp_path, graphs())
    with pytest.raises(StoreError):
        persist.query(tmp_path / "missing", "ASK {}")


def test_query_store_and_open_store_agree(store_dir: Path):
    sparql = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <https://w3id.org/kgbuild/ontology#Event> }"
    assert persist.query(store_dir, sparql).rows == (("5",),)
    assert run_query(open_store(store_dir), sparql).rows == (("5",),)


# --- example queries: known answers on the hand-made articles ------------------------------------


@pytest.fixture
def handmade(store_dir: Path):
    def ask(name: str, **params):
        result = persist.query(store_dir, query_text(name), params)
        return [dict(zip(result.variables, row)) for row in result.rows]

    return ask


def test_who_struck_what(handmade):
    rows = handmade("who_struck_what")
    assert len(rows) == 1
    row = rows[0]
    assert (row["agentLabel"], row["targetLabel"], row["placeLabel"], row["date"], row["type"]) == \
        ("Global Coalition", "bridge near Mosul", "Mosul", "2021-03-03", "Airstrike")
    assert row["sentence"].startswith("Coalition jets struck a bridge near Mosul")
    assert row["url"] == "https://news.example.com/a1"


def test_oppositions_count_reports_and_keep_the_best_confidence(handmade):
    rows = handmade("oppositions")
    assert [(r["subjectLabel"], r["objectLabel"], r["reports"], float(r["confidence"])) for r in rows] == \
        [("Northern Front", "Global Coalition", "2", 0.8)]
    assert rows[0]["example"] in ("The Northern Front condemned the coalition.",
                                  "The Northern Front, which opposes the coalition, signed a ceasefire with the "
                                  "government in Geneva.")


def test_events_of_an_actor_by_label_or_iri(handmade):
    by_label = handmade("events_of_actor", actorLabel="northern FRONT")
    assert [(r["date"], r["type"], r["role"], r["detail"]) for r in by_label] == \
        [("2021-03-01", "Criticism", "agent", None), ("2021-03-05", "Ceasefire", "participant", "signatory")]
    by_iri = handmade("events_of_actor", actor=f"<{BASE}entity/northern-front>")
    assert [r["event"] for r in by_iri] == [r["event"] for r in by_label]
    smith = handmade("events_of_actor", actorLabel="Smith")  # an alias (skos:altLabel)
    assert [(r["type"], r["role"], r["detail"]) for r in smith] == [("Statement", "agent", "speaker")]


def test_a_parameter_cannot_change_the_query(handmade):
    assert handmade("events_of_actor", actorLabel='x") } UNION { ?event ?roleProperty ?actor } #') == []


def test_timeline_is_in_date_order(handmade):
    rows = handmade("timeline")
    assert [(r["date"], r["type"]) for r in rows] == [
        ("2021-03-01", "Criticism"), ("2021-03-03", "Airstrike"), ("2021-03-03", "Statement"),
        ("2021-03-05", "Ceasefire"), ("2021-03-08", "Ceasefire")]
    assert rows[0]["precision"] == "month" and rows[-1]["modality"] == "future"
    assert set(rows[1]["actors"].split(", ")) == {"Global Coalition", "bridge near Mosul"}


def test_quotes_by_person(handmade):
    rows = handmade("quotes_by_person", personLabel="John Smith")
    assert [(r["speaker"], r["organisation"], r["quote"], r["date"]) for r in rows] == \
        [("John Smith", "Global Coalition", "We hit the bridge to stop the convoy", "2021-03-03")]
    assert handmade("quotes_by_person", personLabel="Nobody") == []


def test_provenance_of_one_fact(handmade):
    rows = handmade("fact_provenance", subjectLabel="Northern Front", objectLabel="Global Coalition",
                    predicate=f"<{KGB.opposes}>")
    assert [(r["graph"], r["begin"], r["end"], r["evidence"]) for r in rows] == [
        (f"{BASE}graph/a1", "138", "181", "The Northern Front condemned the coalition."),
        (f"{BASE}graph/b2", "69", "90", "opposes the coalition")]
    assert all(r["run"].startswith(f"{BASE}run/") and r["extractor"] == "handmade" for r in rows)
    assert rows[0]["url"] == "https://news.example.com/a1"


# --- example queries on the sample article -------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory, sample_build: Path):
    from kgbuild.store.graphs import load_graphs

    path = tmp_path_factory.mktemp("sample") / "store"
    persist.add_graphs(path, load_graphs(sample_build / "graph.nq"))

    def ask(name: str, **params):
        result = persist.query(path, query_text(name), params)
        return [dict(zip(result.variables, row)) for row in result.rows]

    return ask


@needs_model
def test_sample_who_struck_what_finds_the_strikes_on_the_road(sample):
    rows = sample("who_struck_what")
    assert any(r["targetLabel"] and "road" in r["targetLabel"] and r["type"] in ("Airstrike", "Attack", "Bombing")
               for r in rows), rows
    assert all(r["sentence"] for r in rows)


@needs_model
def test_sample_quotes_of_dillon(sample):
    rows = sample("quotes_by_person", personLabel="Dillon")
    assert any("cratered the road" in r["quote"] for r in rows), rows
    assert {r["speaker"] for r in rows} == {"Ryan Dillon"}


@needs_model
def test_sample_events_of_hizballah_include_the_deal(sample):
    rows = sample("events_of_actor", actorLabel="Hizballah")
    assert rows and any(r["type"] in ("Agreement", "EvacuationDeal") for r in rows), rows


@needs_model
def test_sample_every_query_runs(sample):
    for name in ("timeline", "oppositions", "fact_provenance", "events_of_actor"):
        sample(name)


@needs_model
def test_sample_rebuild_into_store_keeps_the_count(tmp_path: Path, sample_build: Path):
    from kgbuild.store.graphs import load_graphs

    path = tmp_path / "store"
    persist.add_graphs(path, load_graphs(sample_build / "graph.nq"))
    before = persist.count(path)
    persist.add_graphs(path, load_graphs(sample_build / "graph.nq"))
    assert persist.count(path) == before
