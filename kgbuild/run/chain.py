"""The per-article chain: article -> Extraction -> RDF -> N-Quads, annotation line, coreference record.

This is the one place that says what happens to each article, in order
(`process_partition`, for a partition of a few dozen articles):

1. extract: spaCy plus kgbuild's components (run/pipeline.py -> kgbuild.extract),
   one `Extraction` record per article;
2. RDF: the article's named graph as triples (kgbuild.rdf.convert);
3. N-Quads: sorted, de-duplicated lines (run/sink.py), one run file per partition;
4. annotation line: the article in the evaluation corpora's JSON format
   (run/annotations.py), one run file per partition;
5. coreference record: the article's events, light, for the cross-document
   event coreference done once at the end of the build (kgbuild.rdf.coref,
   kgbuild.resolve).

It runs in whatever process the runner picked (run/parallel.py locally,
run/distributed.py on Dask); only a small `PartResult` (counts, entity keys,
failures) travels back.  The order of the whole build (ingest, partitions,
merge, coreference layer, output files, store) is in run/build.py.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KgbuildError
from ..extract import Settings
from ..records import Article

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
    settings: Settings = Settings()  # the extractors' own configuration (alias files, discourse)


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


def process_partition(
    articles: list[Article], cfg: Config, run_dir: str, index: int, progress: Callable | None = None
) -> PartResult:
    """Extract, convert and write the runs of one partition (runs in any process)."""
    with fewer_collections():
        return _process(articles, cfg, run_dir, index, progress)


def _process(
    articles: list[Article], cfg: Config, run_dir: str, index: int, progress: Callable | None = None
) -> PartResult:
    from .annotations import dumps as annotation_line
    from .pipeline import extract
    from ..rdf import Minter
    from ..rdf.convert import article_triples
    from ..rdf.coref import event_record, write_records
    from .sink import SEP, quad_lines, write_run

    stem = Path(run_dir) / f"part-{index:08d}"
    res = PartResult(index, str(stem.with_suffix(".nq")), str(stem.with_suffix(".ann")), str(stem.with_suffix(".ev")))
    minter = Minter(cfg.base) if cfg.base else Minter()
    quads: list[str] = []
    notes: list[str] = []
    records: list = []  # light (no text, no entities): cross-document coreference merges them all at the end

    def on_error(article: Article, exc: Exception) -> None:
        res.failures.append(Skipped(article.source or article.doc_id, "extract", failure_reason(exc)))

    stream = extract(
        articles,
        model=cfg.model,
        extractors=cfg.extractors,
        settings=cfg.settings,
        batch_size=cfg.batch_size,
        on_error=on_error if cfg.keep_going else None,
    )
    for ex in stream:
        try:
            triples = article_triples(ex, minter)  # no rdflib Graph: only lines are needed (quad_lines drops repeats)
        except Exception as exc:
            if not cfg.keep_going:
                raise
            res.failures.append(Skipped(ex.article.source or ex.article.doc_id, "rdf", failure_reason(exc)))
            continue
        graph = minter.graph(ex.article.doc_id)
        lines = quad_lines(triples, graph)
        quads.extend(lines)
        notes.append(f"{ex.article.doc_id}{SEP}{annotation_line(ex)}\n")
        records.append(event_record(ex))
        count(res, ex, len(lines), graph)
        if progress:
            progress(ex)
    write_run(res.nq, quads)
    write_run(res.ann, notes, unique=False)
    write_records(res.ev, records)
    return res


def count(res: PartResult, ex, triples: int, graph_iri) -> None:
    res.articles += 1
    res.events += len(ex.events)
    res.relations += len(ex.relations)
    res.triples += triples
    res.entity_keys.update(e.key for e in ex.entities)
    res.graphs.append(str(graph_iri))
    if not res.titles:
        res.titles.append(ex.article.title or "")


def failure_reason(exc: Exception) -> str:
    """One line saying why an article failed (the type too, for unexpected errors)."""
    text = str(exc) if isinstance(exc, KgbuildError) else f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())
