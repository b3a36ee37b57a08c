"""The corpus default: the aggregated actor network (kgbuild.viz.corpus), as data and in Chromium."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_viewer import corpus_extractions  # noqa: E402
from test_viewer_browser import CHROMIUM, CHROMIUM_ARGS, open_page, playwright_api, write  # noqa: E402
from test_viz import HOSTILE, page_data  # noqa: E402

from kgbuild.analysis.network import actor_graph, load  # noqa: E402
from kgbuild.rdf import Minter, extraction_to_graph  # noqa: E402
from kgbuild.rdf.serialize import union  # noqa: E402
from kgbuild.viz import render_graph  # noqa: E402
from kgbuild.viz.corpus import CORPUS_MIN_ARTICLES, corpus_network  # noqa: E402
from kgbuild.viz.render import _store, article_count  # noqa: E402
from kgbuild.viz.triples import Triples  # noqa: E402


def corpus_graph(n_articles: int = 30, hostile: bool = False):
    exs = corpus_extractions(n_articles)
    if hostile:  # the most frequent actor's name tries to become markup
        exs = [
            dataclasses.replace(
                ex,
                entities=tuple(
                    dataclasses.replace(e, label=HOSTILE[0]) if e.key == "actor-0" else e for e in ex.entities
                ),
            )
            for ex in exs
        ]
    minter = Minter()
    return union([extraction_to_graph(ex, minter) for ex in exs])


@pytest.fixture(scope="module")
def graph():
    return corpus_graph()


@pytest.fixture(scope="module")
def data(graph):
    return load(_store(Triples.from_rdflib(graph)))


def test_aggregation_keeps_top_actors_with_report_weights(data):
    net = corpus_network(data, top=25)
    g = actor_graph(data)
    assert len(net["nodes"]) == 25 and net["actors_total"] > 25
    iri = {n["id"]: n for n in net["nodes"]}
    kept_weights = sorted((n["weight"] for n in net["nodes"]), reverse=True)
    assert kept_weights[0] >= kept_weights[-1] > 0
    by_label = {g.nodes[n]["label"]: n for n in g.nodes}
    for e in net["edges"]:
        a, b = by_label[iri[e["from"]]["label"]], by_label[iri[e["to"]]["label"]]
        assert e["weight"] == g.edges[a, b]["weight"] >= 1  # the weight is actor_graph's count of reports
    assert net["communities"] >= 1 and {n["community"] for n in net["nodes"]} == set(range(net["communities"]))
    assert net["articles"] == 30
    # drill-down: every kept actor lists its events, with the evidence sentence
    for n in net["nodes"]:
        evs = net["events_of"][n["id"]]
        assert evs and all(ev["sentence"] and ev["label"] for ev in evs)
        assert len(evs) == min(n["events"], 50)


def test_aggregation_is_a_deterministic_pure_function(data, graph):
    assert corpus_network(data) == corpus_network(data)
    again = load(_store(Triples.from_rdflib(graph)))
    assert corpus_network(again) == corpus_network(data)
    assert render_graph(graph, title="c") == render_graph(graph, title="c")


def test_corpus_default_is_chosen_by_article_count(graph):
    assert article_count(Triples.from_rdflib(graph)) == 30 >= CORPUS_MIN_ARTICLES
    assert "kg-actor" in render_graph(graph, title="c") or "corpus" in render_graph(graph, title="c")
    small = corpus_graph(3)
    assert article_count(Triples.from_rdflib(small)) == 3
    assert "kgActorIds" not in render_graph(small, title="s")  # few articles: the full viewer, Story view
    assert "kgActorIds" not in render_graph(graph, title="c", corpus=False)


@pytest.mark.browser
def test_corpus_opens_on_the_actor_network_and_drills_into_an_actor(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed")
    html = render_graph(corpus_graph(40, hostile=True), title=HOSTILE[1])
    data = page_data(html)
    assert 0 < len(data["nodes"]) <= 300 and all(e["weight"] >= 1 for e in data["edges"])
    assert any(e["weight"] > 1 for e in data["edges"])
    hostile = next(n["id"] for n in data["nodes"] if n["label"] == HOSTILE[0])
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        opened = open_page(browser, write(tmp_path, "corpus.html", html))
        page = opened.page
        assert page.evaluate("() => window.kgView") == "corpus"
        assert page.evaluate("() => window.kgReadyAt") < 20_000
        assert "actors" in page.inner_text("#kg-stats")
        assert page.evaluate("() => window.kgLabelPx()") >= 11  # the top actors' labels are legible
        # click the actor on the canvas: its events and their evidence show in the panel
        pos = page.evaluate(
            "(id) => { const n = window.kgNetworkPos(id); return n; }",
            hostile,
        )
        page.mouse.click(pos["x"], pos["y"])
        assert page.text_content("#kg-panel h2") == HOSTILE[0]  # text, never markup
        assert page.locator("#kg-panel .kg-actor-event").count() > 0
        assert page.locator("#kg-panel .kg-sentence").count() > 0
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator("#kg-panel script, #kg-panel img, #kg-panel b").count() == 0
        opened.assert_clean()
        browser.close()
