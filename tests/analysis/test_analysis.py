"""The networkx projections (event graph, actor graph) and `kgbuild stats`."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from conftest import needs_model
from kgbuild.analysis import network as analysis
from toy_graph import cli_has, run_cli, toy_store, write_toy_graph

ENT = "https://example.org/kgbuild/entity/"


@pytest.fixture()
def data(tmp_path):
    return analysis.load(toy_store(tmp_path))


def test_load_reads_entities_with_their_most_specific_class(data):
    classes = {e.label: (e.cls, e.is_actor) for e in data.entities.values()}
    assert classes["Islamic State"] == ("ArmedGroup", True)
    assert classes["US-led coalition"] == ("Coalition", True)
    assert classes["Albu Kamal"] == ("PopulatedPlace", False)
    assert classes["the road"] == ("Facility", False)
    assert data.entities[ENT + "albu-kamal"].lat == pytest.approx(34.45)


def test_load_reads_events_with_classes_codes_and_most_specific_roles(data):
    by_class = {ev.event_class: ev for ev in data.events}
    strike = by_class["Airstrike"]
    assert (strike.coarse_type, strike.date, strike.date_precision, strike.cameo) == (
        "Attack",
        "2017-08-30",
        "day",
        "195",
    )
    assert (strike.acled_event_type, strike.acled_sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert strike.roles == (
        ("agent", ENT + "coalition"),
        ("place", ENT + "albu-kamal"),
        ("target", ENT + "islamic-state"),
    )
    said = next(ev for ev in data.events if ev.event_class == "Statement" and ev.date)
    assert said.roles == (("speaker", ENT + "ryan-dillon"),)  # agent and sem:hasActor are implied
    assert by_class["Bombing"].date_precision == "month"
    assert [ev.date for ev in data.events][-1] is None  # undated last


def test_most_specific_class_and_roles():
    kgb = "https://w3id.org/kgbuild/ontology#"
    assert (
        analysis.most_specific_class([kgb + "Actor", kgb + "Place", kgb + "State", "http://schema.org/Country"])
        == "State"
    )
    assert analysis.most_specific_class([kgb + "Event", kgb + "Attack", kgb + "Airstrike"]) == "Airstrike"
    assert analysis.most_specific_class(["http://schema.org/Thing"]) == ""
    assert analysis.most_specific_roles(["agent", "speaker"]) == ["speaker"]
    assert {"agent", "speaker"} <= analysis.roles_under("agent")
    assert "victim" in analysis.roles_under("target") and "agent" not in analysis.roles_under("target")


def test_event_graph_is_bipartite_with_role_edges(data):
    g = analysis.event_graph(data)
    assert nx.is_bipartite(g)
    events = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    assert len(events) == len(data.events) == 6
    strike = next(n for n in events if g.nodes[n]["cls"] == "Airstrike")
    assert g.edges[strike, ENT + "islamic-state"]["role"] == "target"
    assert g.nodes[ENT + "albu-kamal"]["kind"] == "entity"
    assert g.nodes[ENT + "coalition"]["kind"] == "actor"
    assert all(v is not None for _, d in g.nodes(data=True) for v in d.values())


def test_actor_graph_links_actors_by_relations_and_shared_events(data):
    g = analysis.actor_graph(data)
    assert set(g.nodes) == {ENT + k for k in ("coalition", "islamic-state", "hizballah", "ryan-dillon", "nasty")}
    strike = g.edges[ENT + "coalition", ENT + "islamic-state"]
    assert (strike["weight"], strike["struck"], strike["relations"]) == (2, 2, "struck")  # statement + airstrike
    talks = g.edges[ENT + "hizballah", ENT + "islamic-state"]
    assert (talks["opposes"], talks["negotiatedWith"], talks["co_participation"], talks["weight"]) == (1, 1, 1, 3)
    assert g.edges[ENT + "ryan-dillon", ENT + "coalition"]["spokespersonOf"] == 1
    assert g.degree(ENT + "nasty") == 0
    only_conflict = analysis.actor_graph(data, relations=("opposes",))
    assert not only_conflict.has_edge(ENT + "ryan-dillon", ENT + "coalition")
    assert only_conflict.edges[ENT + "coalition", ENT + "islamic-state"]["co_participation"] == 1


def test_network_stats(data):
    stats = analysis.network_stats(data)
    assert (stats.events, stats.entities, stats.actors, stats.statements) == (6, 7, 5, 4)
    assert stats.actor_graph == {"nodes": 5, "edges": 3, "density": 0.3}
    assert [c.label for c in stats.by_degree[:2]] == ["Islamic State", "US-led coalition"]
    assert stats.by_degree[0].reports == 5
    assert stats.by_betweenness[0].label == "Islamic State" and stats.by_betweenness[0].betweenness > 0
    assert stats.components[0] == ("Hizballah", "Islamic State", "Ryan Dillon", "US-led coalition")
    assert len(stats.components) == 2
    assert sorted(len(c) for c in stats.communities) == [1, 2, 2]
    text = stats.text()
    assert "actor graph: 5 nodes, 3 edges" in text and "communities (louvain, seed 42)" in text
    json.dumps(stats.to_dict())


def test_network_stats_are_deterministic(tmp_path):
    runs = [analysis.network_stats(toy_store(tmp_path / str(i))).to_dict() for i in range(3)]
    assert runs[0] == runs[1] == runs[2]


def test_empty_graph(tmp_path):
    import pyoxigraph as ox

    stats = analysis.network_stats(ox.Store())
    assert (stats.events, stats.actors, stats.communities, stats.components) == (0, 0, (), ())
    assert "0 events" in stats.text()


@pytest.mark.skipif(not cli_has("stats"), reason="`kgbuild stats` not in kgbuild/cli/ yet")
def test_cli_stats(tmp_path, monkeypatch, capsys):
    graph = str(write_toy_graph(tmp_path))
    code, out, _ = run_cli(monkeypatch, capsys, "stats", graph)
    assert code == 0 and "actor graph: 5 nodes, 3 edges" in out and "connected components: 2" in out
    code, out, _ = run_cli(monkeypatch, capsys, "stats", graph, "--json", "--top", "2")
    assert code == 0 and [c["label"] for c in json.loads(out)["by_degree"]] == ["Islamic State", "US-led coalition"]


@needs_model
def test_sample_stats(sample_store):
    stats = analysis.network_stats(sample_store)
    assert stats.events >= 5 and stats.actors >= 3 and stats.actor_graph["edges"] >= 1
    assert any("coalition" in c.label.lower() for c in stats.by_degree), stats.by_degree
    assert stats.to_dict() == analysis.network_stats(sample_store).to_dict()
