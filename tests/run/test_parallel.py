"""Streaming and parallel builds: same bytes whatever the mode, order or partitioning.

No timings here: speed is measured by scripts/bench.py, never asserted.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import needs_model

ARTICLES = {
    "a1": "Rebels attacked the town of Kidal on Monday. The army of Mali said ten soldiers were killed.",
    "a2": "The United Nations condemned the attack in Kidal. Antonio Guterres called for talks.",
    "a3": "Protesters marched in Bamako on Tuesday. Police arrested twenty people.",
    "a4": "France and Mali signed a security agreement in Paris. The deal was criticised by rebels.",
}
OUTPUTS = ("graph.nq", "graph.nt", "graph.ttl", "annotations.jsonl")


def write_articles(folder: Path, names) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.txt").write_text(ARTICLES[name], encoding="utf-8")
    return folder


def same_outputs(a: Path, b: Path, names=OUTPUTS) -> None:
    for name in names:
        assert filecmp.cmp(a / name, b / name, shallow=False), name


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_articles(tmp_path_factory.mktemp("corpus"), ARTICLES)


@pytest.fixture(scope="module")
def local_build(corpus, tmp_path_factory) -> Path:
    from kgbuild.run.build import build

    out = tmp_path_factory.mktemp("j1")
    build([corpus], out, formats=("nq", "nt", "ttl"), html=False)
    return out


# -- the sink, without a model ---------------------------------------------------


def test_merged_runs_are_sorted_and_unique(tmp_path):
    from kgbuild.run.sink import merged, write_run

    write_run(tmp_path / "a.nq", ["b\n", "a\n", "b\n"])
    write_run(tmp_path / "b.nq", ["c\n", "a\n"])
    assert list(merged([tmp_path / "a.nq", tmp_path / "b.nq"])) == ["a\n", "b\n", "c\n"]


def test_merge_in_passes_when_there_are_many_runs(tmp_path, monkeypatch):
    from kgbuild.run import sink

    monkeypatch.setattr(sink, "MERGE_FANIN", 3)
    runs = []
    for i in range(10):
        sink.write_run(tmp_path / f"{i}.nq", [f"{j:02d}\n" for j in range(i, 20, 3)])
        runs.append(tmp_path / f"{i}.nq")
    assert list(sink.merged(runs, tmp_dir=tmp_path)) == [f"{j:02d}\n" for j in range(20)]


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 18])
def test_block_merge_equals_a_heap_merge(tmp_path, monkeypatch, block):
    """The block merge reads a few lines of each run at a time: same lines as heapq.merge, in every case."""
    import heapq
    import io
    import random

    from kgbuild.run import sink

    monkeypatch.setattr(sink, "MERGE_BLOCK", block)
    rng = random.Random(block)
    for trial in range(40):
        unique = trial % 2 == 0
        runs, sorted_runs = [], []
        for r in range(rng.randint(1, 5)):
            lines = [
                f"{rng.randint(0, rng.choice([3, 40, 500])):03d}{'é' if rng.random() < 0.1 else ''}\n"
                for _ in range(rng.randint(0, 60))
            ]
            path = tmp_path / f"{trial}-{r}.nq"
            sink.write_run(path, lines, unique=unique)
            runs.append(path)
            sorted_runs.append(sorted(set(lines)) if unique else sorted(lines))
        for merge_unique in (True, False):
            expected = list(heapq.merge(*sorted_runs))
            if merge_unique:
                expected = list(dict.fromkeys(expected))
            assert list(sink.merged(runs, unique=merge_unique)) == expected
            out = io.BytesIO()
            assert sink.write_merged(runs, out, unique=merge_unique) == len(expected)
            assert out.getvalue() == "".join(expected).encode("utf-8")


def test_run_writer_spills_bounded_runs(tmp_path):
    from kgbuild.run.sink import RunWriter, merged

    w = RunWriter(tmp_path, ".nq", limit=3)
    for i in reversed(range(10)):
        w.extend([f"{i}\n"])
    runs = w.close()
    assert len(runs) == 4
    assert list(merged(runs)) == [f"{i}\n" for i in range(10)]


def test_quad_lines_match_rdflib_serialiser():
    from rdflib import Dataset, Graph, Literal, URIRef

    from kgbuild.run.sink import quad_lines

    g = Graph(identifier=URIRef("http://x/g"))
    g.add((URIRef("http://x/s"), URIRef("http://x/p"), Literal('a "quoted"\nline', lang="en")))
    g.add(
        (
            URIRef("http://x/s"),
            URIRef("http://x/q"),
            Literal("1.50", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
        )
    )
    ds = Dataset()
    for t in g:
        ds.graph(g.identifier).add(t)
    expected = sorted(line + "\n" for line in ds.serialize(format="nquads").splitlines() if line.strip())
    assert quad_lines(g, g.identifier) == expected


def test_union_of_sorted_quads_keeps_order():
    from kgbuild.run.sink import triples_of

    quads = sorted(
        [
            '<s> <p> "a" <g1> .\n',
            '<s> <p> "a" <g2> .\n',
            '<s> <p> "a"@en <g1> .\n',
            '<s> <p> "ab" <g1> .\n',
        ]
    )
    assert list(triples_of(quads)) == ['<s> <p> "a" .\n', '<s> <p> "a"@en .\n', '<s> <p> "ab" .\n']


# -- builds ------------------------------------------------------------------------


@needs_model
def test_jobs_2_gives_the_same_bytes_as_jobs_1(corpus, local_build, tmp_path):
    from kgbuild.run.build import build

    summary = build([corpus], tmp_path, formats=("nq", "nt", "ttl"), html=False, jobs=2)
    assert summary.articles == len(ARTICLES)
    same_outputs(local_build, tmp_path)


@needs_model
def test_output_does_not_depend_on_input_order_or_partitioning(corpus, local_build, tmp_path, monkeypatch):
    from kgbuild.run import parallel
    from kgbuild.run.build import build

    monkeypatch.setattr(parallel, "PARTITION_SIZE", 1)
    files = sorted(corpus.iterdir(), reverse=True)
    build(files, tmp_path, formats=("nq", "nt", "ttl"), html=False)
    same_outputs(local_build, tmp_path)


@needs_model
def test_large_graph_path_streams_the_same_graph(corpus, local_build, tmp_path, monkeypatch):
    """Above WHOLE_GRAPH_LIMIT Turtle comes from pyoxigraph: other bytes, same triples; no viewer."""
    from kgbuild.run import build as build_module

    monkeypatch.setattr(build_module, "WHOLE_GRAPH_LIMIT", 10)
    summary = build_module.build([corpus], tmp_path, formats=("nq", "ttl", "trig"), html=True)
    same_outputs(local_build, tmp_path, ("graph.nq", "annotations.jsonl"))
    assert not (tmp_path / "graph.html").exists()
    assert any("graph.html skipped" in n for n in summary.notes)
    small, big = ox.Store(), ox.Store()
    small.bulk_load(path=str(local_build / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    big.bulk_load(path=str(tmp_path / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert set(small) == set(big)
    trig = ox.Store()
    trig.bulk_load(path=str(tmp_path / "graph.trig"), format=ox.RdfFormat.TRIG)
    nq = ox.Store()
    nq.bulk_load(path=str(tmp_path / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    assert set(trig) == set(nq)


@needs_model
def test_store_is_incremental_and_rebuilding_changes_nothing(tmp_path):
    from kgbuild.run.build import build
    from kgbuild.store.persist import ONTOLOGY_GRAPH, open_reader

    first = write_articles(tmp_path / "first", ["a1", "a2"])
    second = write_articles(tmp_path / "second", ["a3"])
    store = tmp_path / "store"

    def article_quads(quads) -> set:
        """Article graphs only: the ontology and the build-wide coreference layer are replaced whole."""
        return {
            q
            for q in quads
            if q.graph_name != ox.NamedNode(ONTOLOGY_GRAPH) and not q.graph_name.value.endswith("/graph/coref")
        }

    def quads() -> set:
        with open_reader(store) as st:
            return article_quads(st)

    build([first], tmp_path / "o1", formats=("nq",), html=False, store=store)
    after_first = quads()
    build([first], tmp_path / "o2", formats=("nq",), html=False, store=store)
    assert quads() == after_first  # re-adding the same articles changes nothing
    summary = build([second], tmp_path / "o3", formats=("nq",), html=False, store=store)
    assert "wrote 1 article graphs (0 replaced)" in summary.notes[-1]
    only_second = ox.Store()
    only_second.bulk_load(path=str(tmp_path / "o3" / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    assert quads() == after_first | article_quads(only_second)


@needs_model
def test_bad_jobs_value_is_a_usage_error(corpus, tmp_path):
    from kgbuild.run.build import build
    from kgbuild.errors import UsageError

    with pytest.raises(UsageError):
        build([corpus], tmp_path, jobs=0)
