"""Extraction in partitions: in-process, on N local processes, or on Dask.

Why partitions: a partition (a few dozen articles) is the unit of work that
a process or a Dask worker takes, runs through `nlp.pipe` and the RDF
conversion, and turns into two sorted runs on disk (see kgbuild.sink):
N-Quads lines and annotation lines.  Only a small `PartResult` (counts,
entity keys, failures) travels back, so the parent's memory does not grow
with the corpus and every execution mode ends in the same merge.

Each process loads the model once (kgbuild.nlp caches the pipeline per
process); workers are started with "forkserver" (or "spawn"), never "fork",
so no thread or model state of the parent is copied.  Results are consumed
in partition order, so the output never depends on scheduling.
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from .records import Article

PARTITION_SIZE = 32  # articles per task: big enough to amortise, small enough to balance
# Allocations between two young-generation collections while building (Python's default is 700).
GC_YOUNG_THRESHOLD = 20_000


@dataclass(frozen=True)
class Config:
    """What a worker needs to process articles exactly like a local build."""

    model: str
    extractors: tuple[str, ...] | None = None
    base: str | None = None
    keep_going: bool = False
    batch_size: int = 16


@dataclass(frozen=True)
class Skipped:
    source: str
    stage: str
    reason: str


@dataclass
class PartResult:
    """What a partition sends back: counts only, the lines are in its runs."""

    index: int
    nq: str  # path of the sorted N-Quads run
    ann: str  # path of the sorted annotation run
    ev: str = ""  # path of the light event records, for the coreference layer (kgbuild.rdf.coref)
    articles: int = 0
    events: int = 0
    relations: int = 0
    triples: int = 0
    entity_keys: set[str] = field(default_factory=set)
    graphs: list[str] = field(default_factory=list)  # graph IRIs written
    titles: list[str] = field(default_factory=list)  # first title only (the viewer's page title)
    failures: list[Skipped] = field(default_factory=list)


def partitions(articles: Iterable[Article], size: int = PARTITION_SIZE) -> Iterator[list[Article]]:
    it = iter(articles)
    while part := list(islice(it, size)):
        yield part


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Young-generation garbage collections every GC_YOUNG_THRESHOLD allocations, not every 700.

    Extraction and conversion allocate millions of short-lived container
    objects (tokens' spans, triples, records) and keep many of them for an
    article or a partition; with the default threshold the collector runs
    ~500 times per 120 articles, rescanning the survivors and promoting them
    into the older generations, which then get full collections too (about
    0.1 s of CPU per 120 articles).  Collections still happen, only less
    often; the previous thresholds are restored afterwards (nesting is fine).
    """
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_YOUNG_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def process_partition(articles: list[Article], cfg: Config, run_dir: str, index: int,
                      progress: Callable | None = None) -> PartResult:
    """Extract, convert and write the runs of one partition (runs in any process)."""
    with fewer_collections():
        return _process_partition(articles, cfg, run_dir, index, progress)


def _process_partition(articles: list[Article], cfg: Config, run_dir: str, index: int,
                       progress: Callable | None = None) -> PartResult:
    from .annotations import dumps as annotation_line
    from .build import _reason
    from .pipeline import extract
    from .rdf import Minter
    from .rdf.convert import article_triples
    from .rdf.coref import event_record, write_records
    from .sink import SEP, quad_lines, write_run

    stem = Path(run_dir) / f"part-{index:08d}"
    res = PartResult(index, str(stem.with_suffix(".nq")), str(stem.with_suffix(".ann")), str(stem.with_suffix(".ev")))
    minter = Minter(cfg.base) if cfg.base else Minter()
    quads: list[str] = []
    notes: list[str] = []
    records: list = []  # light (no text, no entities): cross-document coreference merges them all at the end

    def on_error(article: Article, exc: Exception) -> None:
        res.failures.append(Skipped(article.source or article.doc_id, "extract", _reason(exc)))

    stream = extract(articles, model=cfg.model, extractors=cfg.extractors, batch_size=cfg.batch_size,
                     on_error=on_error if cfg.keep_going else None)
    for ex in stream:
        try:
            triples = article_triples(ex, minter)  # no rdflib Graph: only lines are needed (quad_lines drops repeats)
        except Exception as exc:
            if not cfg.keep_going:
                raise
            res.failures.append(Skipped(ex.article.source or ex.article.doc_id, "rdf", _reason(exc)))
            continue
        graph = minter.graph(ex.article.doc_id)
        lines = quad_lines(triples, graph)
        quads.extend(lines)
        notes.append(f"{ex.article.doc_id}{SEP}{annotation_line(ex)}\n")
        records.append(event_record(ex))
        _count(res, ex, len(lines), graph)
        if progress:
            progress(ex)
    write_run(res.nq, quads)
    write_run(res.ann, notes, unique=False)
    write_records(res.ev, records)
    return res


def _count(res: PartResult, ex, triples: int, graph_iri) -> None:
    res.articles += 1
    res.events += len(ex.events)
    res.relations += len(ex.relations)
    res.triples += triples
    res.entity_keys.update(e.key for e in ex.entities)
    res.graphs.append(str(graph_iri))
    if not res.titles:
        res.titles.append(ex.article.title or "")


def run_local(parts: Iterable[list[Article]], cfg: Config, run_dir: str, *, jobs: int = 1,
              progress: Callable | None = None) -> Iterator[PartResult]:
    """PartResults in partition order, from this process (jobs=1) or `jobs` processes."""
    if jobs <= 1:
        for i, part in enumerate(parts):
            yield process_partition(part, cfg, run_dir, i, progress)
        return
    yield from _run_pool(parts, cfg, run_dir, jobs, progress)


def _run_pool(parts, cfg: Config, run_dir: str, jobs: int, progress) -> Iterator[PartResult]:
    """A bounded window of tasks (2 per process): articles are read as workers free up.

    multiprocessing.Pool.imap would read the whole input up front.
    """
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_warm, initargs=(cfg,)) as pool:
        def submit(i: int, part: list[Article]):
            return pool.submit(process_partition, part, cfg, run_dir, i)

        for future in in_order(parts, submit, 2 * jobs):
            yield done(future.result(), progress)


def in_order(parts: Iterable[list[Article]], submit: Callable, window: int) -> Iterator:
    """The futures of submit(index, partition), in partition order, with at most `window` in
    flight: the input is read only as workers free up, and the output never depends on scheduling."""
    pending: deque = deque()
    for i, part in enumerate(parts):
        pending.append(submit(i, part))
        if len(pending) >= window:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


def done(res: PartResult, progress: Callable | None) -> PartResult:
    """A worker's result, counted in `progress` (once per article, with None: no Extraction here)."""
    if progress:
        for _ in range(res.articles):
            progress(None)
    return res


def _warm(cfg: Config) -> None:
    """Load the model when the worker starts, once per process."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core per process: no oversubscription
    # Import the kgbuild.extract subpackage first: before it is imported,
    # nlp.py's `from . import extract` gets kgbuild's lazy `extract` function.
    importlib.import_module(".extract", __package__)
    from .nlp import load_pipeline

    load_pipeline(cfg.model, cfg.extractors)
