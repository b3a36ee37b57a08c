"""`kgbuild build`: articles in, graph files out.

Reads articles (ingest), extracts (pipeline), converts each article to its
named graph (rdf), then writes every output atomically: graph files in the
requested formats, annotations.jsonl and the HTML viewer.  Nothing is written
until extraction has succeeded, so a failure or Ctrl-C leaves the previous
outputs intact.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .annotations import dumps as annotation_line  # `from . import annotations` would get the __future__ feature
from ._atomic import atomic_write
from .errors import InputError, KgbuildError, OutputError
from .ingest import DEFAULT_MAX_BYTES, read_articles
from .nlp import DEFAULT_MODEL
from .pipeline import extract
from .rdf import Minter, extraction_to_graph
from .rdf.serialize import extension, serialize
from .records import Extraction

DEFAULT_FORMATS = ("ttl", "nq")


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

    def text(self) -> str:
        s = (f"{self.articles} articles, {self.entities} entities, {self.events} events, "
             f"{self.relations} relations, {self.triples} triples")
        if self.failures:
            s += f"; {len(self.failures)} inputs skipped (see report)"
        return s


@dataclass
class _Collected:
    extractions: list[Extraction] = field(default_factory=list)
    graphs: list[Graph] = field(default_factory=list)


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
    progress: Callable[[Extraction], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> BuildSummary:
    out = Path(out_dir)
    failures: list[Failure] = []

    def on_error(err: InputError) -> None:
        failures.append(Failure(err.path or "", "ingest", str(err)))

    def on_article_error(article, exc: Exception) -> None:
        failures.append(Failure(article.source or article.doc_id, "extract", _reason(exc)))

    minter = Minter(base) if base else Minter()
    articles = read_articles(list(inputs), on_error=on_error if keep_going else None, max_bytes=max_bytes)
    # Read the first article before loading the model: bad input fails at once.
    first = next(articles, None)
    got = _Collected()
    stream = () if first is None else extract(
        itertools.chain([first], articles), model=model, extractors=extractors,
        on_error=on_article_error if keep_going else None,
    )
    for ex in stream:
        try:
            graph = extraction_to_graph(ex, minter)
        except Exception as exc:
            if not keep_going:
                raise
            failures.append(Failure(ex.article.source or ex.article.doc_id, "rdf", _reason(exc)))
            continue
        got.extractions.append(ex)
        got.graphs.append(graph)
        if progress:
            progress(ex)
    if not got.extractions:
        where = ""
        if failures:
            _write_report(out, failures)
            where = f" ({len(failures)} failed; see {out / 'report.jsonl'})"
        raise InputError("no article could be read" + where)
    outputs = _write_outputs(out, got, formats, html, failures)
    return BuildSummary(
        articles=len(got.extractions),
        entities=len({e.key for ex in got.extractions for e in ex.entities}),
        events=sum(len(ex.events) for ex in got.extractions),
        relations=sum(len(ex.relations) for ex in got.extractions),
        triples=sum(len(g) for g in got.graphs),
        outputs=tuple(outputs),
        failures=tuple(failures),
    )


def _write_outputs(out: Path, got: _Collected, formats, html: bool, failures) -> list[str]:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory: {exc.strerror}", path=str(out)) from exc
    written: list[str] = []

    def put(name: str, data: str | bytes) -> None:
        path = out / name
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", path=str(path)) from exc
        written.append(str(path))

    for fmt in formats:
        put(f"graph.{extension(fmt)}", serialize(got.graphs, fmt))
    put("annotations.jsonl", "".join(annotation_line(ex) + "\n" for ex in got.extractions))
    if html:
        from .viz import render_graph
        from .rdf.serialize import union

        put("graph.html", render_graph(union(got.graphs), title=_title(got)))
    if failures:
        written.append(_write_report(out, failures))
    else:  # a report left by an earlier run would blame inputs this run did not skip
        try:
            (out / "report.jsonl").unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot remove the old report: {exc.strerror}", path=str(out / "report.jsonl")) from exc
    return written


def _write_report(out: Path, failures: Sequence[Failure]) -> str:
    """report.jsonl: one skipped input a line (source, stage, reason)."""
    import json

    path = out / "report.jsonl"
    try:
        out.mkdir(parents=True, exist_ok=True)
        atomic_write(path, "".join(json.dumps(f.__dict__, ensure_ascii=False, sort_keys=True) + "\n" for f in failures))
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=str(path)) from exc
    return str(path)


def _reason(exc: Exception) -> str:
    """One line saying why an article failed (the type too, for unexpected errors)."""
    text = str(exc) if isinstance(exc, KgbuildError) else f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())


def _title(got: _Collected) -> str:
    if len(got.extractions) == 1 and got.extractions[0].article.title:
        return got.extractions[0].article.title
    return f"kgbuild graph of {len(got.extractions)} articles"
