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
from kgbuild.rdf.ontology import ontology_graph
from kgbuild.store import queries
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
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(store_dir)], stdout=subprocess.PIPE, text=True)
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


def canned(path: Path, name: str, **params) -> list[dict]:
    """Rows of the canned query `name` (the one catalogue, kgbuild/data/queries) on the store at `path`."""
    with persist.open_reader(path) as store:
        return list(queries.run_named(store, name, params))


@pytest.fixture
def handmade(store_dir: Path):
    return lambda name, **params: canned(store_dir, name, **params)


def test_who_struck_what(handmade):
    rows = [r for r in handmade("who-struck-what") if r["action"] == "Airstrike"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["attackers"], row["target"], row["places"], row["date"]) == (
        "Global Coalition",
        "bridge near Mosul",
        "Mosul",
        "2021-03-03",
    )
    assert row["sentence"].startswith("Coalition jets struck a bridge near Mosul")


def test_oppositions_count_reports_and_keep_the_best_confidence(handmade):
    rows = handmade("oppositions")
    assert [(r["subjectLabel"], r["objectLabel"], r["reports"], float(r["confidence"])) for r in rows] == [
        ("Northern Front", "Global Coalition", "2", 0.8)
    ]
    assert rows[0]["example"] in (
        "The Northern Front condemned the coalition.",
        "The Northern Front, which opposes the coalition, signed a ceasefire with the government in Geneva.",
    )


def test_events_of_an_actor_by_label_or_iri(handmade):
    by_label = handmade("events-of-actor", actor="northern FRONT")
    assert [(r["date"], r["event_class"], r["roles"]) for r in by_label] == [
        ("2021-03-01", "Criticism", "agent"),
        ("2021-03-05", "Ceasefire", "participant; signatory"),
    ]
    by_iri = handmade("events-of-actor", actor=f"{BASE}entity/northern-front")
    assert [r["event"] for r in by_iri] == [r["event"] for r in by_label]
    smith = handmade("events-of-actor", actor="Smith")  # an alias (skos:altLabel)
    assert [(r["event_class"], r["roles"]) for r in smith] == [("Statement", "speaker; agent")]


def test_a_parameter_cannot_change_the_query(handmade):
    assert handmade("events-of-actor", actor='x") } UNION { ?event ?roleProperty ?actor } #') == []


def test_timeline_is_in_date_order_and_holds_only_article_events(handmade):
    rows = handmade("timeline")
    assert [(r["date"], r["event_class"]) for r in rows] == [
        ("2021-03-01", "Criticism"),
        ("2021-03-03", "Airstrike"),
        ("2021-03-03", "Statement"),
        ("2021-03-05", "Ceasefire"),
        ("2021-03-08", "Ceasefire"),
    ]
    assert rows[0]["date_precision"] == "month" and rows[-1]["modality"] == "future"
    assert (rows[1]["agents"], rows[1]["targets"]) == ("Global Coalition", "bridge near Mosul")


def test_quotes_of_a_person(handmade):
    rows = handmade("quotes-of-person", person="John Smith")
    assert [(r["speaker"], r["quote"], r["date"]) for r in rows] == [
        ("John Smith", "We hit the bridge to stop the convoy", "2021-03-03")
    ]
    assert handmade("quotes-of-person", person="Nobody") == []


def test_evidence_of_one_fact(handmade):
    rows = handmade("evidence", subject="Northern Front", predicate="opposes", object="Global Coalition")
    assert sorted((r["article"], float(r["confidence"])) for r in rows) == [
        ("Ceasefire signed in Geneva", 0.8),
        ("Coalition strikes bridge near Mosul", 0.6),
    ]
    assert {r["sentence"] for r in rows} >= {"The Northern Front condemned the coalition."}


# --- canned queries on the sample article --------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory, sample_build: Path):
    from kgbuild.store.graphs import load_graphs

    path = tmp_path_factory.mktemp("sample") / "store"
    persist.add_graphs(path, load_graphs(sample_build / "graph.nq"))
    return lambda name, **params: canned(path, name, **params)


@needs_model
def test_sample_who_struck_what_finds_the_strikes_on_the_road(sample):
    rows = sample("who-struck-what")
    assert any(r["target"] and "road" in r["target"] for r in rows), rows
    assert all(r["sentence"] for r in rows if r["action"] != "struck")


@needs_model
def test_sample_quotes_of_dillon(sample):
    rows = sample("quotes-of-person", person="Dillon")
    assert any("cratered the road" in r["quote"] for r in rows), rows
    assert {r["speaker"] for r in rows} == {"Ryan Dillon"}


@needs_model
def test_sample_events_of_hizballah_include_the_deal(sample):
    rows = sample("events-of-actor", actor="Hizballah")
    assert rows and any(r["event_class"] in ("Agreement", "EvacuationDeal") for r in rows), rows


@needs_model
def test_sample_every_canned_query_runs(sample):
    for q in queries.list_queries():
        params = {p.name: "Hizballah" for p in q.params if p.required}
        sample(q.name, **params)


@needs_model
def test_sample_rebuild_into_store_keeps_the_count(tmp_path: Path, sample_build: Path):
    from kgbuild.store.graphs import load_graphs

    path = tmp_path / "store"
    persist.add_graphs(path, load_graphs(sample_build / "graph.nq"))
    before = persist.count(path)
    persist.add_graphs(path, load_graphs(sample_build / "graph.nq"))
    assert persist.count(path) == before
