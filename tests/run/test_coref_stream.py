"""The streaming coreference layer: same clusters and bytes as merging everything in memory.

A build keeps light records (eventcoref.ArticleFacts) sorted on disk and
merges them with eventcoref.Merger, which looks only at the clusters a
mention could join (an index by coarse type and shared participant or
place).  These tests check, on random hand-made extractions (no spaCy),
that the index changes nothing, that the on-disk merge is a stable sort,
and that build._add_coref_run writes the lines of coref_graph.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kgbuild.resolve import eventcoref
from kgbuild.run import sink
from kgbuild.run.build import _add_coref_run, _Totals
from kgbuild.resolve.eventcoref import Merger, merge_events, order_events
from kgbuild.rdf import Minter
from kgbuild.rdf.coref import coref_graph, event_record, write_records
from kgbuild.records import Argument, Article, Entity, Event, Extraction, Span
from kgbuild.run.sink import merged_pickled, quad_lines, write_pickled_run

CLASSES = [
    ("Airstrike", "Attack"),
    ("Attack", "Attack"),
    ("Shelling", "Attack"),
    ("Statement", "Statement/Criticism"),
    ("Criticism", "Statement/Criticism"),
    ("Evacuation", "Evacuation/Transport"),
    ("Event", "Other"),
]
ACTORS = ["army", "rebels", "coalition", "police", "un"]
PLACES = ["port-city", "hill-town", "river-bend"]
DATES = [None, "2021-03-01", "2021-03-02", "2021-03-05", "2021-03", "2021", "garbage"]
MODALITIES = ["asserted", "asserted", "reported", "negated", "future"]
WORDS = "the this a strike report said forces near town that attack they".split()


def random_extractions(seed: int, n: int = 40) -> list[Extraction]:
    rng = random.Random(seed)
    out = []
    for d in range(n):
        words = [rng.choice(WORDS) for _ in range(60)]
        text = " ".join(words)
        entities = (
            [Entity(k, k.title(), "ArmedGroup", "ORGANIZATION") for k in ACTORS]
            + [Entity(k, k.title(), "PopulatedPlace", "GPE") for k in PLACES]
            + [Entity("a-bridge", "a bridge", "Facility", "OTHER", doc_scoped=True)]
        )
        events = []
        for _ in range(rng.randint(0, 6)):
            i = rng.randrange(len(words))
            start = sum(len(w) + 1 for w in words[:i])
            end = start + len(words[i]) if rng.random() > 0.05 else len(text) + 5  # a few ungrounded
            cls, coarse = rng.choice(CLASSES)
            args = []
            for role in ("agent", "target", "other", "place"):
                if rng.random() < 0.4:
                    key = rng.choice(PLACES + ["a-bridge"] if role == "place" else ACTORS + ["a-bridge"])
                    args.append(
                        Argument(
                            role,
                            0,
                            1,
                            key,
                            key,
                            fine_role="speaker" if cls == "Statement" and role == "agent" else None,
                        )
                    )
            if rng.random() < 0.1:
                args.append(Argument("place", 0, 1, "Some  Valley"))  # a place without a node
            events.append(
                Event(
                    Span(start, end, words[i]),
                    cls,
                    coarse,
                    rng.randrange(3),
                    tuple(args),
                    date=rng.choice(DATES),
                    modality=rng.choice(MODALITIES),
                    confidence=round(rng.random(), 4),
                )
            )
        date = rng.choice(DATES[:4])
        out.append(
            Extraction(
                Article(
                    f"d{rng.randrange(10 * n):03d}-{d}",
                    text,
                    date=date,
                    url=f"https://news.example/{d}" if d % 3 else None,
                ),
                entities=tuple(entities),
                events=tuple(events),
            )
        )
    return out


def _scan_every_cluster(self, ev, doc_id, pool_start):
    """What merging did before the index: try every cluster (the latest first for an anaphor)."""
    found = range(pool_start, len(self.clusters))
    return list(reversed(found)) if ev.anaphor else list(found)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("cross_document", [True, False])
def test_the_candidate_index_gives_what_trying_every_cluster_gives(seed, cross_document, monkeypatch):
    exs = random_extractions(seed)
    indexed = merge_events(exs, cross_document=cross_document)
    monkeypatch.setattr(Merger, "_candidates", _scan_every_cluster)
    assert merge_events(exs, cross_document=cross_document) == indexed
    assert any(c.reports > 1 for c in indexed) or not cross_document  # the test does merge across articles


def test_order_events_takes_cluster_states_like_clusters():
    exs = random_extractions(3)
    merger = Merger()
    for ex in sorted(exs, key=lambda ex: (ex.article.date or "", ex.article.doc_id)):
        merger.add(eventcoref.article_facts(ex))
    assert order_events(merger.clusters) == order_events(merge_events(exs))


def test_merger_refuses_articles_out_of_order():
    a, b = (eventcoref.ArticleFacts(d, "2021-03-01", d, ()) for d in ("a", "b"))
    merger = Merger()
    merger.add(b)
    with pytest.raises(ValueError):
        merger.add(a)


def test_pickled_runs_merge_as_a_stable_sort(tmp_path, monkeypatch):
    monkeypatch.setattr(sink, "MERGE_FANIN", 3)  # force merge passes
    rng = random.Random(7)
    runs, everything = [], []
    for r in range(10):
        items = [(rng.randrange(5), r, i) for i in range(rng.randrange(8))]
        everything += items
        path = tmp_path / f"run-{r}.ev"
        write_pickled_run(path, items, key=lambda t: t[0])
        runs.append(path)
    got = list(merged_pickled(runs, key=lambda t: t[0], tmp_dir=tmp_path))
    assert got == sorted(everything, key=lambda t: t[0])  # ties keep run order, then order in the run


def test_streamed_layer_is_the_coref_graph(tmp_path, monkeypatch):
    monkeypatch.setattr(sink, "MERGE_FANIN", 2)
    exs = random_extractions(11, n=60)
    minter = Minter("https://example.org/kg/")
    totals = _Totals(tmp_path)
    for i in range(0, len(exs), 7):  # partitions
        path = tmp_path / f"part-{i:04d}.ev"
        write_records(path, [event_record(ex) for ex in exs[i : i + 7]])
        totals.ev_runs.append(path)
    _add_coref_run(totals, "https://example.org/kg/", tmp_path)
    graph = coref_graph(exs, minter)
    assert len(graph) > 100
    assert Path(totals.nq_runs[-1]).read_text(encoding="utf-8") == "".join(quad_lines(graph, graph.identifier))
    assert totals.triples == len(graph)


def test_entity_keys_are_counted_once_across_partitions(tmp_path):
    class Res:
        articles = events = relations = triples = 0
        nq, ann, ev, titles = "x.nq", "x.ann", "", []

    totals = _Totals(tmp_path)
    for keys in ({"a", "b"}, {"b", "c\nd"}, {"c", "d", "c\\nd"}):
        res = Res()
        res.entity_keys = keys
        totals.add(res)
    assert totals.entities() == 6
