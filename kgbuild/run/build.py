"""`kgbuild build`: articles in, graph files out, streaming.

This is the one place the order of the stages is written.  It reads articles
(kgbuild.ingest), extracts and converts them in partitions (the per-article
chain of kgbuild.run.chain, run by kgbuild.run.parallel in this process or on
`jobs` processes, or by kgbuild.run.distributed on a Dask cluster), each
partition leaving sorted runs of N-Quads and annotation lines
on disk (kgbuild.run.sink).  The runs are merged at the end, and every output is
written atomically from the merged stream: graph.nq / graph.nt line by line,
annotations.jsonl sorted by doc_id, and Turtle, TriG, JSON-LD and the HTML
viewer from the N-Quads.  Memory therefore does not grow with the corpus,
except for the whole-graph outputs of small builds (see WHOLE_GRAPH_LIMIT)
and the coreference layer's cluster state (about 1 KB per canonical event,
see _add_coref_run).

Nothing is written until extraction has succeeded, and the outputs are
replaced as a set (kgbuild._atomic.OutputSet: all staged, then all moved
into place, after the store was loaded), so a failure, Ctrl-C or SIGTERM at
any point leaves the previous outputs intact and consistent.  Outputs are sorted, so they do not
depend on input order, on --jobs or on Dask's scheduling.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, OutputError, UsageError
from ..extract import Settings
from ..ingest import DEFAULT_MAX_BYTES, read_articles
from ..nlp import DEFAULT_MODEL
from ..records import Extraction
from .atomic import OutputSet, atomic_write

DEFAULT_FORMATS = ("ttl", "nq")
# Up to this many triples, Turtle, TriG, JSON-LD and graph.html are made by
# kgbuild.rdf.serialize and kgbuild.viz from an in-memory rdflib graph (sorted
# longturtle, compacted JSON-LD).  Above it they are streamed by pyoxigraph
# from the sorted N-Quads (flat memory) and graph.html is skipped.
WHOLE_GRAPH_LIMIT = 100_000


@dataclass(frozen=True)
class Failure:
    source: str
    stage: str
    reason: str


@dataclass(frozen=True)
class BuildSummary:
    articles: int
    entities: int
    events: int
    relations: int
    triples: int
    outputs: tuple[str, ...]
    failures: tuple[Failure, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. "graph.html skipped: ..." or the store summary
    warnings: tuple[Failure, ...] = ()  # articles built but doubtful (e.g. not English); also in report.jsonl

    def text(self) -> str:
        s = (
            f"{self.articles} articles, {self.entities} entities, {self.events} events, "
            f"{self.relations} relations, {self.triples} triples"
        )
        if self.failures:
            s += f"; {len(self.failures)} inputs skipped (see report)"
        if self.warnings:
            s += f"; {len(self.warnings)} warning{'' if len(self.warnings) == 1 else 's'} (see report)"
        return s


@dataclass
class _Totals:
    """What the partitions sent back, summed; the lines stay in their runs on disk."""

    run_dir: Path
    articles: int = 0
    events: int = 0
    relations: int = 0
    triples: int = 0
    nq_runs: list[Path] = field(default_factory=list)
    ann_runs: list[Path] = field(default_factory=list)
    ev_runs: list[Path] = field(default_factory=list)
    title: str = ""

    def __post_init__(self) -> None:
        from .sink import RunWriter

        # Entity keys go to sorted runs, not a set: document-scoped keys are new in every
        # article, so a set would grow with the corpus.  Distinct keys are counted at the end.
        self._keys = RunWriter(self.run_dir, ".keys", limit=50_000)

    def add(self, res) -> None:
        self.articles += res.articles
        self.events += res.events
        self.relations += res.relations
        self.triples += res.triples
        # one key a line: escape "\\" and "\n" (an injective mapping, so counts stay exact)
        self._keys.extend(k.replace("\\", "\\\\").replace("\n", "\\n") + "\n" for k in res.entity_keys)
        self.nq_runs.append(Path(res.nq))
        self.ann_runs.append(Path(res.ann))
        if res.ev:
            self.ev_runs.append(Path(res.ev))
        if not self.title and res.titles:
            self.title = res.titles[0]

    def entities(self) -> int:
        """Distinct entity keys over all partitions (call once, before the run directory goes)."""
        from .sink import merged_bytes

        return sum(1 for _ in merged_bytes(self._keys.close(), tmp_dir=self.run_dir))


def build(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    formats: Sequence[str] = DEFAULT_FORMATS,
    base: str | None = None,
    html: bool = True,
    keep_going: bool = False,
    extractors: tuple[str, ...] | None = None,
    progress: Callable[[Extraction | None], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 1,
    dask: str | None = None,
    store: str | Path | None = None,
    settings: Settings | None = None,
    date: str | None = None,
) -> BuildSummary:
    """Build the graph of `inputs` into `out_dir` (and the on-disk `store`, if given).

    jobs: extraction processes on this machine.  dask: a scheduler address
    ("tcp://host:8786") or "local" to run extraction on a Dask cluster.
    `progress` is called once per article: with its Extraction when it was
    extracted in this process, with None when a worker did it.
    `settings` configures kgbuild's extractors (alias files, discourse
    mechanisms); it is passed to every worker, never read from their environment.
    `date` (YYYY-MM-DD): the publication date of articles that have none of their own.
    """
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {jobs}")
    _preflight(out_dir, store)
    from .chain import fewer_collections

    with fewer_collections():  # the partitions, the coreference layer and the merge (see there)
        return _build(
            inputs,
            out_dir,
            model=model,
            formats=formats,
            base=base,
            html=html,
            keep_going=keep_going,
            extractors=extractors,
            progress=progress,
            max_bytes=max_bytes,
            jobs=jobs,
            dask=dask,
            store=store,
            settings=settings or Settings(),
            date=date,
        )


def _build(
    inputs,
    out_dir,
    *,
    model,
    formats,
    base,
    html,
    keep_going,
    extractors,
    progress,
    max_bytes,
    jobs,
    dask,
    store,
    settings,
    date,
) -> BuildSummary:
    from .chain import Config
    from .parallel import partitions

    out = Path(out_dir)
    failures: list[Failure] = []

    def on_error(err: InputError) -> None:
        failures.append(Failure(err.path or "", "ingest", str(err)))

    warnings: list[Failure] = []

    def on_skip(err: InputError) -> None:  # a FIFO, or an output of an earlier build, in an input directory
        warnings.append(Failure(err.path or "", "ingest", str(err)))

    articles = _checked(
        read_articles(
            list(inputs),
            on_error=on_error if keep_going else None,
            max_bytes=max_bytes,
            on_skip=on_skip,
            default_date=date,
        ),
        warnings,
    )
    # Read the first article before loading the model: bad input fails at once.
    first = next(articles, None)
    cfg = Config(model=model, extractors=extractors, base=base, keep_going=keep_going, settings=settings)
    with _run_dir(out, shared=dask is not None) as run_dir:
        totals = _Totals(run_dir)
        if first is not None:
            parts = partitions(itertools.chain([first], articles))
            for res in _results(parts, cfg, run_dir, jobs, dask, progress):
                totals.add(res)
                failures.extend(Failure(f.source, f.stage, f.reason) for f in res.failures)
        if not totals.articles:
            where = ""
            if failures:
                _write_report(out, failures)
                where = f" ({len(failures)} failed; see {out / 'report.jsonl'})"
            raise InputError("no article could be read" + where)
        _add_coref_run(totals, base, run_dir)
        with OutputSet() as staged:
            outputs, notes = _write_outputs(out, totals, formats, html, [*failures, *warnings], run_dir, staged)
            if store is not None:
                notes.append(_load_store(store, run_dir))
            staged.commit()
        entities = totals.entities()
    return BuildSummary(
        articles=totals.articles,
        entities=entities,
        events=totals.events,
        relations=totals.relations,
        triples=totals.triples,
        outputs=tuple(outputs),
        failures=tuple(failures),
        notes=tuple(notes),
        warnings=tuple(warnings),
    )


def _checked(articles: Iterable, warnings: list[Failure]) -> Iterator:
    """The articles, unchanged; those that do not look English get a warning (kgbuild.language)."""
    from ..ingest.language import warning

    for article in articles:
        reason = warning(article.text)
        if reason is not None:
            warnings.append(Failure(article.source or article.doc_id, "language", f"{article.doc_id}: {reason}"))
        yield article


def _preflight(out_dir: str | Path, store: str | Path | None) -> None:
    """Problems with where the outputs go are found before extraction, not after it."""
    if str(out_dir).strip() == "":
        raise UsageError("--out is empty: give the output directory")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a directory")
    if store is None:
        return
    if str(store).strip() == "":
        raise UsageError("--store is empty: give the store directory")
    s, o = Path(store).resolve(), out.resolve()
    if s == o or s in o.parents:  # a store inside --out is fine; --out inside the store would corrupt it
        raise UsageError(
            f"--store {store} and --out {out_dir} must be separate directories (--out not inside the store)"
        )
    from ..store.persist import check_writable

    check_writable(store)


def _results(parts, cfg, run_dir: Path, jobs: int, dask: str | None, progress) -> Iterator:
    """PartResults in partition order, from wherever extraction runs."""
    if dask:
        from .distributed import run_dask

        return run_dask(parts, cfg, str(run_dir), address=dask, progress=progress)
    from .parallel import run_local

    return run_local(parts, cfg, str(run_dir), jobs=jobs, progress=progress)


class _run_dir:
    """A temporary directory for the runs, removed afterwards whatever happens.

    For Dask it is inside the output directory, which a real cluster must
    share with its workers; otherwise it is in the system's temp directory,
    so a failed build leaves no trace in `out`.
    """

    def __init__(self, out: Path, *, shared: bool) -> None:
        self.out, self.shared = out, shared

    def __enter__(self) -> Path:
        parent = None
        if self.shared:
            _mkdir(self.out)
            parent = self.out
        self.path = Path(tempfile.mkdtemp(prefix=".kgbuild-runs-", dir=parent))
        return self.path

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _mkdir(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory: {exc.strerror}", path=str(out)) from exc


# -- cross-document event coreference ---------------------------------------------


def _add_coref_run(totals: _Totals, base: str | None, run_dir: Path) -> None:
    """The coreference layer ({base}graph/coref) over this build's articles, as one more N-Quads run.

    Merging needs every article's events, in (date, doc_id) order: each
    partition saved light records (kgbuild.rdf.coref.event_record: no text,
    no entities), sorted, and they are merged from disk here.  The layer's
    lines are spilled in sorted runs as they come, so the parent keeps only
    the clusters' state (about 1 KB per canonical event), never an rdflib
    graph of the layer.  As a run it is merged like the article
    graphs and so reaches every output: its own named graph in
    nq/trig/jsonld, the union in ttl/nt, the viewer, and the store (replaced
    as a whole; it covers the articles of this build only, see persist.py).
    """
    from ..rdf import Minter
    from ..rdf.coref import coref_graph_iri, coref_triples, read_records
    from .sink import RunWriter, quad_lines, write_merged

    minter = Minter(base) if base else Minter()
    g = coref_graph_iri(minter)
    runs = RunWriter(run_dir, ".cq", limit=20_000)  # ~4 MB of lines at a time
    triples = coref_triples(read_records(totals.ev_runs, tmp_dir=run_dir), minter)
    while chunk := list(itertools.islice(triples, 20_000)):  # formatted a chunk at a time (quad_lines)
        runs.extend(quad_lines(chunk, g))
    parts = runs.close()
    if len(parts) == 1:  # already sorted and unique
        path = parts[0]
        totals.triples += _count_lines(path)
    elif parts:
        path = run_dir / "coref.nq"
        with open(path, "wb") as f:
            totals.triples += write_merged(parts, f, tmp_dir=run_dir)
    else:
        return
    totals.nq_runs.append(path)


# -- outputs ---------------------------------------------------------------------


def _write_outputs(
    out: Path, totals: _Totals, formats, html: bool, failures, run_dir: Path, staged: OutputSet
) -> tuple[list[str], list[str]]:
    """Stage every output in `staged` (the caller commits them together)."""
    from .sink import merged_bytes, write_merged

    _mkdir(out)
    written: list[str] = []
    notes: list[str] = []
    all_nq = run_dir / "all.nq"
    with open(all_nq, "wb") as f:
        quads = write_merged(totals.nq_runs, f, tmp_dir=run_dir)

    def put(name: str, write: Callable) -> None:
        path = out / name
        try:
            with staged.open(path, "wb") as f:
                write(f)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", path=str(path)) from exc
        written.append(str(path))

    small = quads <= WHOLE_GRAPH_LIMIT
    graphs = _read_graphs(all_nq) if small and (html or set(formats) - {"nq", "nt"}) else None
    for fmt in formats:
        put(f"graph.{_extension(fmt)}", _writer(fmt, all_nq, graphs, run_dir))
    put(
        "annotations.jsonl",
        lambda f: f.writelines(
            line.split(b"\x00", 1)[1] for line in merged_bytes(totals.ann_runs, unique=False, tmp_dir=run_dir)
        ),
    )
    if html and graphs is not None:
        from ..rdf.serialize import union
        from ..viz import render_graph

        page = render_graph(union(graphs), title=_title(totals))
        put("graph.html", lambda f: f.write(page.encode("utf-8")))
    elif html:
        notes.append(
            f"graph.html skipped: {quads:,} triples is above {WHOLE_GRAPH_LIMIT:,}; "
            f"`kgbuild export` writes the actor network for Gephi, `kgbuild view` renders a subset"
        )
    if failures:
        put("report.jsonl", lambda f: f.write(_report_text(failures).encode("utf-8")))
    else:  # a report left by an earlier run would blame inputs this run did not skip
        staged.remove(out / "report.jsonl")
    return written, notes


def _extension(fmt: str) -> str:
    from ..rdf.serialize import extension

    return extension(fmt)


def _writer(fmt: str, all_nq: Path, graphs, run_dir: Path) -> Callable:
    """A function writing format `fmt` to a binary file, from the sorted N-Quads."""
    from .sink import triples_of

    def lines(f, it: Iterable[str]) -> None:
        it = iter(it)
        while chunk := list(itertools.islice(it, 4096)):
            f.write("".join(chunk).encode("utf-8"))

    def copy(f) -> None:
        with open(all_nq, "rb") as src:
            shutil.copyfileobj(src, f)

    if fmt == "nq":
        return copy
    if fmt == "nt":
        return lambda f: lines(f, triples_of(_read_lines(all_nq)))
    if graphs is not None:
        from ..rdf.serialize import serialize

        return lambda f: f.write(serialize(graphs, fmt))
    return lambda f: _stream_with_oxigraph(f, fmt, all_nq, run_dir)


def _stream_with_oxigraph(f, fmt: str, all_nq: Path, run_dir: Path) -> None:
    """Large graphs: pyoxigraph's streaming writers, fed in sorted order.

    Turtle gets the union's triples in subject order (so pyoxigraph groups
    them by subject); TriG and JSON-LD get quads grouped by graph.  JSON-LD
    is then expanded, not compacted with the shipped context.
    """
    import pyoxigraph as ox

    from ..rdf.namespaces import PREFIXES
    from .sink import RunWriter, graph_first, merged, nquad_from_graph_first, triples_of

    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    if fmt == "ttl":
        tmp = run_dir / "union.nt"
        with open(tmp, "w", encoding="utf-8", newline="") as t:
            t.writelines(triples_of(_read_lines(all_nq)))
        ox.serialize(
            ox.parse(path=str(tmp), format=ox.RdfFormat.N_TRIPLES), f, format=ox.RdfFormat.TURTLE, prefixes=prefixes
        )
        return
    runs = RunWriter(run_dir, ".gq")
    for line in _read_lines(all_nq):
        runs.extend((graph_first(line),))
    tmp = run_dir / "by-graph.nq"
    with open(tmp, "w", encoding="utf-8", newline="") as t:
        t.writelines(nquad_from_graph_first(line) for line in merged(runs.close(), tmp_dir=run_dir))
    target = {"trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}.get(fmt)
    if target is None:
        raise UsageError(f"format {fmt!r} cannot be written for a graph above {WHOLE_GRAPH_LIMIT:,} triples; use nq")
    quads = ox.parse(path=str(tmp), format=ox.RdfFormat.N_QUADS)
    if target == ox.RdfFormat.TRIG:
        ox.serialize(quads, f, format=target, prefixes=prefixes)
    else:
        ox.serialize(quads, f, format=target)


def _read_lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8", newline="\n") as f:  # only "\n" ends an N-Quads line
        yield from f


def _count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def _read_graphs(all_nq: Path) -> list:
    """The per-article rdflib graphs of a small build, parsed back from the N-Quads."""
    from rdflib import Dataset
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    ds = Dataset()
    ds.parse(str(all_nq), format="nquads")
    graphs = [g for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]
    return sorted(graphs, key=lambda g: str(g.identifier))


def _load_store(store: str | Path, run_dir: Path) -> str:
    """Replace this build's article graphs in the on-disk store, one transaction each.

    Only the graphs of these articles are replaced, so adding articles costs
    about what they cost alone, and re-adding an article leaves the store as
    it was.  persist.replace_from_nquads stages the N-Quads on disk: flat memory.
    """
    from ..store.persist import replace_from_nquads

    return replace_from_nquads(store, run_dir / "all.nq").text()


def _report_text(failures: Sequence[Failure]) -> str:
    """report.jsonl: one skipped input a line (source, stage, reason)."""
    import json

    return "".join(json.dumps(f.__dict__, ensure_ascii=False, sort_keys=True) + "\n" for f in failures)


def _write_report(out: Path, failures: Sequence[Failure]) -> str:
    """report.jsonl alone, when no article could be read."""

    path = out / "report.jsonl"
    try:
        out.mkdir(parents=True, exist_ok=True)
        atomic_write(path, _report_text(failures))
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=str(path)) from exc
    return str(path)


def _title(totals: _Totals) -> str:
    if totals.articles == 1 and totals.title:
        return totals.title
    return f"kgbuild graph of {totals.articles} articles"
