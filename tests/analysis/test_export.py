"""Exports (GraphML, GEXF, CSV lists, the event table) and the timeline PNG."""

from __future__ import annotations

import csv
import dataclasses
import io

import networkx as nx
import pyoxigraph as ox
import pytest

from conftest import needs_model
from kgbuild.analysis import network as analysis
from kgbuild.analysis import export
from kgbuild.analysis import timeline
from kgbuild.errors import UsageError
from kgbuild.rdf.convert import extraction_to_graph
from kgbuild.rdf.serialize import serialize
from kgbuild.store.sparql import load_file
from toy_graph import NASTY, cli_has, run_cli, toy_extraction, toy_store, write_toy_graph

ENT = "https://example.org/kgbuild/entity/"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture()
def data(tmp_path):
    return analysis.load(toy_store(tmp_path / "graph"))


def read_csv(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# -- graph formats ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
@pytest.mark.parametrize("graph", export.GRAPHS)
def test_graph_files_are_read_back_by_networkx(data, tmp_path, fmt, reader, graph):
    expected = analysis.actor_graph(data) if graph == "actor" else analysis.event_graph(data)
    [path] = export.export(data, fmt, tmp_path / f"g.{fmt}", graph=graph)
    back = reader(path)
    assert set(back.nodes) == set(expected.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in expected.edges}
    for n, attrs in expected.nodes(data=True):
        assert back.nodes[n]["label"] == attrs["label"]
    if graph == "actor":
        assert back.edges[ENT + "hizballah", ENT + "islamic-state"]["weight"] == 3
        assert int(back.edges[ENT + "hizballah", ENT + "islamic-state"]["opposes"]) == 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_are_deterministic(data, tmp_path, fmt):
    first = export.export(data, fmt, tmp_path / "a" / f"g.{fmt}")[0].read_bytes()
    again = export.export(analysis.load(toy_store(tmp_path / "other")), fmt, tmp_path / "b" / f"g.{fmt}")[
        0
    ].read_bytes()
    assert first == again
    assert b"lastmodifieddate" not in first


def test_csv_node_and_edge_lists(data, tmp_path):
    nodes_path, edges_path = export.export(data, "csv", tmp_path / "lists")
    assert (nodes_path.name, edges_path.name) == ("nodes.csv", "edges.csv")
    nodes, edges = read_csv(nodes_path), read_csv(edges_path)
    assert len(nodes) == 5 and len(edges) == 3
    assert list(nodes[0])[:2] == ["id", "label"]
    assert NASTY in {n["label"] for n in nodes}  # quotes survive CSV quoting
    talks = next(e for e in edges if {e["source_label"], e["target_label"]} == {"Hizballah", "Islamic State"})
    assert (talks["weight"], talks["relations"]) == ("3", "opposes;negotiatedWith;co_participation")


def test_event_table_has_one_row_per_event_in_acled_columns(data, tmp_path):
    [path] = export.export(data, "events-csv", tmp_path / "events.csv")
    rows = read_csv(path)
    assert list(rows[0]) == list(export.EVENT_COLUMNS)
    assert list(export.EVENT_COLUMNS[:22]) == [
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "assoc_actor_1",
        "inter1",
        "actor2",
        "assoc_actor_2",
        "inter2",
        "interaction",
        "civilian_targeting",
        "iso",
        "country",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "time_precision",
        "source",
        "notes",
        "fatalities",
    ]
    assert len(rows) == len(data.events) == 6
    strike = next(r for r in rows if r["event_class"] == "Airstrike")
    assert strike == {
        "event_date": "2017-08-30",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "US-led coalition",
        "assoc_actor_1": "",
        "inter1": "8",
        "actor2": "Islamic State",
        "assoc_actor_2": "",
        "inter2": "2",
        "interaction": "28",
        "civilian_targeting": "",
        "iso": "",
        "country": "",
        "admin1": "",
        "location": "Albu Kamal",
        "latitude": "34.45",
        "longitude": "40.92",
        "geo_precision": "1",
        "time_precision": "1",
        "source": "Toy article",
        "notes": "US-led coalition → Islamic State: airstrike (struck)",
        "fatalities": "",
        "event_iri": "https://example.org/kgbuild/event/toy-1/14-20",
        "event_class": "Airstrike",
        "cameo": "195",
        "plover": "FIGHT",
        "modality": "asserted",
        "confidence": "0.9",
        "evidence": "The coalition struck Islamic State near Albu Kamal.",
        "source_url": "https://example.org/toy",
        "source_title": "Toy article",
    }
    talks = next(r for r in rows if r["event_class"] == "Negotiation")
    assert (talks["actor1"], talks["actor2"], talks["modality"]) == ("Hizballah", "Islamic State", "reported")
    assert (talks["inter1"], talks["inter2"], talks["interaction"]) == ("2", "2", "22")
    said = next(
        r
        for r in rows
        if r["event_class"] == "Statement" and r["event_date"] == "2017-08-30" and r["actor1"] == "Ryan Dillon"
    )
    assert said["inter1"] == "8"  # the coalition's spokesman is coded as the coalition
    bombed = next(r for r in rows if r["event_class"] == "Bombing")
    assert (bombed["event_date"], bombed["time_precision"]) == ("2017-08-01", "3")


def test_export_rejects_unknown_format_and_graph(data, tmp_path):
    with pytest.raises(UsageError):
        export.export(data, "xlsx", tmp_path / "x")
    with pytest.raises(UsageError):
        export.export(data, "graphml", tmp_path / "x", graph="people")


def test_export_of_an_empty_graph(tmp_path):
    empty = analysis.load(ox.Store())
    for fmt in export.FORMATS:
        export.export(empty, fmt, tmp_path / export.default_out(fmt))
    assert read_csv(tmp_path / "events.csv") == []
    assert nx.read_graphml(tmp_path / "actor-graph.graphml").number_of_nodes() == 0


# -- timeline ----------------------------------------------------------------------------


def test_timeline_png_is_deterministic_and_unstamped(data, tmp_path):
    png = timeline.render_png(data)
    assert png.startswith(PNG)
    assert png == timeline.render_png(analysis.load(toy_store(tmp_path / "again")))
    assert b"Software" not in png and b"matplotlib" not in png.lower()
    out = timeline.write_timeline(data, tmp_path / "timeline.png")
    assert out.read_bytes() == png


def test_timeline_places_events_by_their_date_or_their_articles(data):
    placed, undated = timeline.counts(data)
    assert undated == 0
    assert sum(p.own_date for p in placed.values()) == 5
    assert [p.by_publication for p in placed.values() if p.by_publication] == [1]  # the undated statement
    assert timeline.parse_date("2017-08-01") == timeline.parse_date("2017-08")
    assert timeline.parse_date("garbage") is None and timeline.parse_date(None) is None
    fig = timeline.figure(data)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Airstrike (Attack)" in labels
    assert "6 events" in fig.axes[0].get_title() and "1 at their article's date" in fig.axes[0].get_title()


def test_timeline_counts_events_without_any_date(tmp_path):
    ex = toy_extraction()
    undated_article = dataclasses.replace(ex, article=dataclasses.replace(ex.article, date=None))
    path = tmp_path / "graph.nq"
    path.write_bytes(serialize([extraction_to_graph(undated_article)], "nq"))
    data = analysis.load(load_file(path))
    placed, undated = timeline.counts(data)
    assert undated == 1 and sum(p.total for p in placed.values()) == 5
    assert "1 undated not shown" in timeline.figure(data).axes[0].get_title()


def test_timeline_of_a_graph_without_dated_events():
    assert timeline.render_png(ox.Store()).startswith(PNG)


# -- the command line ------------------------------------------------------------------------


@pytest.mark.skipif(not cli_has("export"), reason="`kgbuild export` not in kgbuild/cli/ yet")
def test_cli_export_every_format(tmp_path, monkeypatch, capsys):
    graph = str(write_toy_graph(tmp_path / "in"))
    outs = {"graphml": "g.graphml", "gexf": "g.gexf", "csv": "lists", "events-csv": "events.csv"}
    for fmt, name in outs.items():
        code, out, _ = run_cli(monkeypatch, capsys, "export", graph, "--format", fmt, "--out", str(tmp_path / name))
        assert code == 0 and out.startswith("wrote ")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == 5
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_edges() == 3
    assert len(read_csv(tmp_path / "lists" / "edges.csv")) == 3
    assert len(read_csv(tmp_path / "events.csv")) == 6
    code, _, _ = run_cli(
        monkeypatch,
        capsys,
        "export",
        graph,
        "--format",
        "graphml",
        "--network",
        "event",
        "--out",
        str(tmp_path / "e.graphml"),
    )
    assert code == 0 and nx.is_bipartite(nx.read_graphml(tmp_path / "e.graphml"))
    code, _, err = run_cli(monkeypatch, capsys, "export", graph, "--format", "xlsx")
    assert code == 2 and "unknown export format" in err


@pytest.mark.skipif(not cli_has("timeline"), reason="`kgbuild timeline` not in kgbuild/cli/ yet")
def test_cli_timeline(tmp_path, monkeypatch, capsys):
    graph = str(write_toy_graph(tmp_path / "in"))
    code, out, _ = run_cli(monkeypatch, capsys, "timeline", graph, "--out", str(tmp_path / "t" / "timeline.png"))
    assert code == 0 and (tmp_path / "t" / "timeline.png").read_bytes().startswith(PNG)


# -- the sample article --------------------------------------------------------------------


@needs_model
@pytest.mark.parametrize("fmt", export.FORMATS)
def test_sample_exports(sample_store, tmp_path, fmt):
    data = analysis.load(sample_store)
    paths = export.export(data, fmt, tmp_path / export.default_out(fmt))
    if fmt == "graphml":
        assert nx.read_graphml(paths[0]).number_of_nodes() == analysis.actor_graph(data).number_of_nodes()
    elif fmt == "gexf":
        assert nx.read_gexf(paths[0]).number_of_edges() == analysis.actor_graph(data).number_of_edges()
    elif fmt == "csv":
        assert len(read_csv(paths[0])) == analysis.actor_graph(data).number_of_nodes()
    else:
        rows = read_csv(paths[0])
        assert len(rows) == len(data.events) >= 5
        assert any(r["event_class"] == "Airstrike" and "road" in r["notes"] for r in rows)
        assert any(r["event_date"] == "2017-08-30" for r in rows)
        assert all(r["evidence"] and r["source"] and r["event_iri"] for r in rows)
        # The headline's "strikes" are the airstrikes the article tells of: one code for both.
        headline = [
            r
            for r in rows
            if r["evidence"].startswith("US-led coalition strikes prevent") and r["event_class"] == "Attack"
        ]
        assert headline and {r["event_type"] for r in headline} == {"Explosions/Remote violence"}
        deir = [r for r in rows if r["location"] == "Deir ez-Zor"]
        assert deir and {(r["country"], r["iso"], r["geo_precision"]) for r in deir} == {("Syria", "760", "1")}


@needs_model
def test_sample_timeline(sample_store, tmp_path):
    out = timeline.write_timeline(sample_store, tmp_path / "timeline.png")
    assert out.read_bytes().startswith(PNG)
    assert out.read_bytes() == timeline.render_png(sample_store)
