"""Benchmark the HTML viewer on a synthetic graph of about 5,000 nodes.

Prints: time to build the graph, time of render_graph, page size, and in
headless Chromium the time until the page is usable (window.kgReady, set on
the network's first draw), plus the cost of a filter change and a selection.

    .venv/bin/python scripts/bench_viewer.py [--nodes 5000] [--html out.html]
    .venv/bin/python scripts/bench_viewer.py --articles 200 1000   # corpus: the actor network page

With --articles, a realistic corpus of N articles (10 events each, actors drawn
with a long tail) opens on the aggregated actor network (kgbuild.viz.corpus):
prints render_graph's time, the network's size and Chromium's time-to-ready.

The graph is made of hand-built extraction records (no spaCy model needed)
converted by the real RDF writer, so the viewer reads exactly what a build
writes: many articles whose actors are shared, giving one big component.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from kgbuild.rdf import Minter, extraction_to_graph
from kgbuild.rdf.serialize import union
from kgbuild.records import Argument, Article, Entity, Event, Extraction, Mention, Relation, Span

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CLASSES = [
    "Person",
    "ArmedGroup",
    "MilitaryForce",
    "State",
    "GovernmentBody",
    "PopulatedPlace",
    "Facility",
    "PeopleGroup",
]
VERBS = [
    ("attacked", "Attack", "Attack"),
    ("shelled", "Shelling", "Attack"),
    ("met", "Meeting", "Negotiation"),
    ("evacuated", "Evacuation", "Evacuation/Transport"),
    ("criticised", "Criticism", "Statement/Criticism"),
]
EVENTS_PER_ARTICLE = 10


def synthetic_extractions(n_nodes: int, seed: int = 1) -> list[Extraction]:
    """Articles whose events and shared actors add up to about n_nodes nodes."""
    rng = random.Random(seed)
    n_entities = n_nodes * 3 // 10
    n_articles = max(1, (n_nodes - n_entities) // EVENTS_PER_ARTICLE)
    pool = [(f"actor-{i}", f"Actor {i}", CLASSES[i % len(CLASSES)]) for i in range(n_entities)]
    return [_article(a, pool, rng) for a in range(n_articles)]


def corpus_extractions(n_articles: int, seed: int = 1) -> list[Extraction]:
    """A realistic corpus: n_articles articles of 10 events over 6 actors per article on average,
    drawn with a long tail (a few actors, like a coalition or IS, recur in many articles)."""
    rng = random.Random(seed)
    pool = [(f"actor-{i}", f"Actor {i}", CLASSES[i % len(CLASSES)]) for i in range(n_articles * 6)]
    weights = [1 / (i + 1) ** 0.9 for i in range(len(pool))]
    return [_article(a, pool, rng, weights) for a in range(n_articles)]


def _article(a: int, pool, rng: random.Random, weights: list[float] | None = None) -> Extraction:
    text, sentences, mentions, events, relations = "", [], {}, [], []
    for s in range(EVENTS_PER_ARTICLE):
        if weights is None:
            agent, target = rng.sample(pool, 2)
        else:
            agent, target = rng.choices(pool, weights, k=2)
            while target == agent:
                target = rng.choices(pool, weights)[0]
        verb, cls, coarse = rng.choice(VERBS)
        start = len(text)
        a_span = (start, start + len(agent[1]))
        v_span = (a_span[1] + 1, a_span[1] + 1 + len(verb))
        t_span = (v_span[1] + 1, v_span[1] + 1 + len(target[1]))
        text += f"{agent[1]} {verb} {target[1]}. "
        sentences.append(Span(start, t_span[1] + 1, text[start : t_span[1] + 1]))
        for ent, (b, e) in ((agent, a_span), (target, t_span)):
            mentions.setdefault(ent, []).append(Mention(b, e, ent[1], "OTHER", ent[0], s))
        month = 1 + (a * 7 + s) % 12
        events.append(
            Event(
                Span(*v_span, verb),
                cls,
                coarse,
                s,
                date=f"2017-{month:02d}-{1 + s:02d}",
                arguments=(
                    Argument("agent", *a_span, agent[1], agent[0]),
                    Argument("target", *t_span, target[1], target[0]),
                ),
                cameo="190",
                confidence=0.8,
            )
        )
        if s % 3 == 0:
            relations.append(Relation(agent[0], "opposes", target[0], start, t_span[1], s, confidence=0.7))
    entities = tuple(
        Entity(key, label, cls, "OTHER", mentions=tuple(ms)) for (key, label, cls), ms in sorted(mentions.items())
    )
    article = Article(doc_id=f"doc{a}", text=text, title=f"Synthetic article {a}", date="2017-12-31")
    return Extraction(article, tuple(sentences), entities, tuple(events), tuple(relations))


def open_in_chromium(html_path: Path) -> dict:
    """Seconds until the page is usable, and the cost of a few interactions."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.perf_counter()
        page.goto(html_path.as_uri())
        deadline = time.monotonic() + 120  # poll from Python: the page's CSP forbids wait_for_function's eval
        while not page.evaluate("() => window.kgReady === true"):
            if time.monotonic() > deadline:
                raise SystemExit("viewer did not become ready within 120 s")
            page.wait_for_timeout(20)
        wall = time.perf_counter() - t0
        ready_ms = page.evaluate("window.kgReadyAt")
        if page.evaluate("window.kgView") == "corpus":  # the aggregated actor network (many articles)
            click_ms = page.evaluate("""() => { const t = performance.now();
                window.kgSelectNode(window.kgActorIds()[0]); return performance.now() - t; }""")
            shown = page.evaluate("() => document.querySelectorAll('.kg-actor-event').length")
            browser.close()
            return {"wall": wall, "ready_ms": ready_ms, "click_ms": click_ms, "shown": shown, "errors": errors}
        filter_ms = page.evaluate("""() => { const t = performance.now();
            document.querySelector('#kg-legend input').click(); document.querySelector('#kg-legend input').click();
            return performance.now() - t; }""")
        select_ms = page.evaluate("""() => { const t = performance.now();
            window.kgSelectEdge(window.kgVisibleEdges()[0]); return performance.now() - t; }""")
        view_ms = page.evaluate("""() => { const t = performance.now();
            window.kgSetView('actors'); window.kgSetView('all'); return performance.now() - t; }""")
        browser.close()
    return {
        "wall": wall,
        "ready_ms": ready_ms,
        "filter_ms": filter_ms,
        "select_ms": select_ms,
        "view_ms": view_ms,
        "errors": errors,
    }


def bench_corpus(n_articles: int, html: Path | None) -> int:
    """Time a corpus of n_articles: render_graph, then time-to-ready of its actor network in Chromium."""
    from kgbuild.viz import render_graph

    t0 = time.perf_counter()
    minter = Minter()
    graph = union([extraction_to_graph(ex, minter) for ex in corpus_extractions(n_articles)])
    t1 = time.perf_counter()
    page = render_graph(graph, title=f"Synthetic corpus ({n_articles} articles)")
    t2 = time.perf_counter()
    out = (
        html.with_suffix(f".{n_articles}.html")
        if html
        else Path(tempfile.mkdtemp(prefix="kgbuild-bench-")) / "corpus.html"
    )
    out.write_text(page, encoding="utf-8")
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1))
    print(
        f"corpus {n_articles} articles: {len(graph)} triples (built in {t1 - t0:.2f} s),"
        f" render_graph {t2 - t1:.2f} s, page {len(page.encode()) / 1e6:.1f} MB"
    )
    print(
        f"  actor network: {len(data['nodes'])} of {data.get('actors_total', '?')} actors,"
        f" {len(data['edges'])} links, {data.get('communities', '?')} communities"
    )
    if not Path(CHROMIUM).exists():
        print(f"chromium not found at {CHROMIUM}: skipping the browser timing")
        return 0
    r = open_in_chromium(out)
    print(
        f"  chromium: ready {r['ready_ms'] / 1000:.2f} s after navigation start (goto→ready wall {r['wall']:.2f} s),"
        f" actor click {r.get('click_ms', 0):.0f} ms ({r.get('shown', 0)} events listed)"
    )
    if r["errors"]:
        print("page errors:", *r["errors"], sep="\n  ")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--articles", type=int, nargs="*", help="corpus mode: time these corpus sizes (e.g. 200 1000)")
    ap.add_argument("--html", type=Path, help="also keep the page here")
    args = ap.parse_args(argv)
    if args.articles:
        return max(bench_corpus(n, args.html) for n in args.articles)

    from kgbuild.viz import render_graph

    t0 = time.perf_counter()
    minter = Minter()
    graph = union([extraction_to_graph(ex, minter) for ex in synthetic_extractions(args.nodes)])
    t1, c1 = time.perf_counter(), time.process_time()
    page = render_graph(graph, title=f"Synthetic graph ({args.nodes} nodes)")
    t2, c2 = time.perf_counter(), time.process_time()
    page_again = render_graph(graph, title=f"Synthetic graph ({args.nodes} nodes)")
    t3 = time.perf_counter()

    out = args.html or Path(tempfile.mkdtemp(prefix="kgbuild-bench-")) / "graph.html"
    out.write_text(page, encoding="utf-8")
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1))
    n_nodes, n_edges = len(data["nodes"]), len(data["edges"])
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (figures scale with load)")
    print(f"graph: {n_nodes} nodes, {n_edges} edges, {len(graph)} triples (built in {t1 - t0:.2f} s)")
    print(
        f"render_graph: {t2 - t1:.2f} s wall, {c2 - c1:.2f} s CPU (second run {t3 - t2:.2f} s wall),"
        f" page {len(page.encode()) / 1e6:.1f} MB, identical: {page == page_again}"
    )
    if not Path(CHROMIUM).exists():
        print(f"chromium not found at {CHROMIUM}: skipping the browser timing")
        return 0
    r = open_in_chromium(out)
    print(f"chromium: usable {r['ready_ms'] / 1000:.2f} s after navigation start (goto→ready wall {r['wall']:.2f} s)")
    print(
        f"          class filter toggle x2 {r['filter_ms']:.0f} ms, view switch x2 {r['view_ms']:.0f} ms,"
        f" edge select {r['select_ms']:.0f} ms"
    )
    if r["errors"]:
        print("page errors:", *r["errors"], sep="\n  ")
        return 1
    print(f"page: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
