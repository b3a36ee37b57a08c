"""Extraction in partitions: in-process, on N local processes, or on Dask.

Why partitions: a partition (a few dozen articles) is the unit of work that
a process or a Dask worker takes, runs through `nlp.pipe` and the RDF
conversion, and turns into two sorted runs on disk (see kgbuild.run.sink):
N-Quads lines and annotation lines.  Only a small `PartResult` (counts,
entity keys, failures) travels back, so the parent's memory does not grow
with the corpus and every execution mode ends in the same merge.

Each process loads the model once (kgbuild.nlp caches the pipeline per
process); workers are started with "forkserver" (or "spawn"), never "fork",
so no thread or model state of the parent is copied.  Results are consumed
in partition order, so the output never depends on scheduling.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

from ..records import Article
from .chain import Config, PartResult, process_partition

PARTITION_SIZE = 32  # articles per task: big enough to amortise, small enough to balance


def partitions(articles: Iterable[Article], size: int = PARTITION_SIZE) -> Iterator[list[Article]]:
    it = iter(articles)
    while part := list(islice(it, size)):
        yield part


def run_local(
    parts: Iterable[list[Article]], cfg: Config, run_dir: str, *, jobs: int = 1, progress: Callable | None = None
) -> Iterator[PartResult]:
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
    ctx = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )
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
    importlib.import_module("kgbuild.extract")
    from ..nlp import load_pipeline

    load_pipeline(cfg.model, cfg.extractors, cfg.settings)
