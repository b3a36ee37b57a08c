"""Scoring extraction output against annotated news (the `kgbuild eval` library).

Gold and predictions share one JSON-lines format (../shared/eval/README.md;
`annotations.jsonl` from `kgbuild build` is such a prediction file).  The
mention-level rules reimplement the reference scorer score_gold.py exactly, so
that a figure printed here can be checked against it:

* items: ``entity`` (span, type), ``entity_span`` (span), ``trigger_id``
  (trigger span), ``trigger_cls`` (trigger span, type), ``argument_id``
  (trigger span, argument span), ``argument_cls`` (trigger span, role,
  argument span);
* greedy one-to-one matching in gold order, counts micro-averaged over
  documents; documents absent from the predictions count as empty;
* ``exact`` spans must be equal, ``overlap`` spans must share a character;
* corpus rules, read from gold ``meta.corpus``: RAMS annotates ONE event per
  window, so predicted events whose trigger does not overlap the gold trigger
  are ignored and entities are not scored (read recall); ECB+ ignores
  everything outside the annotated sentences and scores only REPORTING
  (Statement/Criticism) events for trigger_cls, and has no arguments;
  MEANTIME's event types are derived from verb lemmas (a sanity check only).

On top of score_gold.py this module gives per-type figures (entity type,
event type, argument role) and entity-node scores: does one predicted node
(mention ``cluster``) cover each named gold cluster with the right type, and
how many nodes wrongly merge gold clusters or split one.  That is what a user
of the graph sees, which mention-level F1 hides.

Files: evaluate.py (this: `evaluate`, `evaluate_files`, reports; the
library's API, re-exported below), gold.py (the gold format: loading,
checking, corpora), mentions.py (mention-level items and matching, the
score_gold.py rules), nodes.py (entity-node scores), scores.py (counts,
scores, options, the report record).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from ..nlp import DEFAULT_MODEL

# The scorer's whole API, as before the split into files (tests and scripts/quality.py use
# it from here); evaluate.py uses most of it itself.
from .gold import CORPUS_NOTES, Doc, ITEMS, NODE_TYPES, Span, corpus_of, load_jsonl, validate_doc  # noqa: F401
from .mentions import DocItem, doc_items, match_count, same, score_mode  # noqa: F401
from .nodes import DocVocab, align_mentions, is_name, score_nodes, score_nodes_doc  # noqa: F401
from .scores import Counts, ECB_RANGES, EvalReport, ItemScore, MATCH_MODES, ModeScores, NodeScores, ScoreOptions  # noqa: F401

__all__ = [
    "CORPUS_NOTES",
    "Counts",
    "Doc",
    "DocItem",
    "DocVocab",
    "ECB_RANGES",
    "EvalReport",
    "ITEMS",
    "ItemScore",
    "MATCH_MODES",
    "ModeScores",
    "NODE_TYPES",
    "NodeScores",
    "ScoreOptions",
    "Span",
    "align_mentions",
    "corpus_of",
    "doc_items",
    "evaluate",
    "evaluate_files",
    "format_report",
    "is_name",
    "load_jsonl",
    "match_count",
    "predict",
    "report_dict",
    "same",
    "score_mode",
    "score_nodes",
    "score_nodes_doc",
    "validate_doc",
]


def evaluate(
    gold: Mapping[str, Doc],
    pred: Mapping[str, Doc],
    *,
    system: str = "kgbuild",
    match_modes: Sequence[str] = MATCH_MODES,
    options: ScoreOptions = ScoreOptions(),
    seconds: float = 0.0,
) -> EvalReport:
    """Score in-memory predictions against in-memory gold under each match mode."""
    _check_options(match_modes, options)
    corpus = corpus_of(gold)
    notes = (CORPUS_NOTES[corpus],) if corpus in CORPUS_NOTES else ()
    return EvalReport(
        corpus=corpus,
        system=system,
        n_docs=len(gold),
        options=options,
        modes=tuple(score_mode(gold, pred, m, options) for m in match_modes),
        nodes=score_nodes(gold, pred, options),
        seconds=seconds,
        notes=notes,
    )


def _check_options(match_modes: Sequence[str], options: ScoreOptions) -> None:
    bad = [m for m in match_modes if m not in MATCH_MODES]
    if bad or not match_modes:
        raise UsageError(f"match modes must be among {', '.join(MATCH_MODES)}, got {list(match_modes)}")
    if options.ecb_ranges not in ECB_RANGES:
        raise UsageError(f"ecb_ranges must be one of {', '.join(ECB_RANGES)}")


def predict(gold: Mapping[str, Doc], *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> dict[str, dict]:
    """Run the kgbuild pipeline on the gold texts; predictions in the gold format."""
    from ..records import Article
    from ..run.annotations import to_annotation
    from ..run.pipeline import extract

    articles = (Article(doc_id=doc_id, text=d["text"]) for doc_id, d in gold.items())
    out: dict[str, dict] = {}
    for ex in extract(articles, model=model, batch_size=batch_size):
        ann = to_annotation(ex)
        ann.pop("text", None)  # the gold already holds it; keeps memory flat
        out[ann["doc_id"]] = ann
    return out


def evaluate_files(
    gold_path: str | Path,
    pred_path: str | Path | None = None,
    *,
    model: str = DEFAULT_MODEL,
    match_modes: Sequence[str] = MATCH_MODES,
    limit: int | None = None,
    skip_other: bool = False,
    merge_gpe: bool = False,
    ecb_ranges: str = "mentions",
    batch_size: int = 32,
    types: Iterable[str] | None = None,
) -> EvalReport:
    """Score PRED (or, without it, the kgbuild pipeline run on the gold texts) against GOLD.

    `limit` keeps the first N gold documents (predictions for others are ignored,
    as score_gold.py ignores documents not in the gold file).
    """
    options = ScoreOptions(
        skip_other=skip_other,
        merge_gpe=merge_gpe,
        ecb_ranges=ecb_ranges,
        types=frozenset(types) if types else None,
    )
    _check_options(match_modes, options)
    gold = load_jsonl(gold_path, limit)
    if not gold:
        raise InputError("no documents", path=str(gold_path))
    start = time.perf_counter()
    if pred_path is None:
        pred, system = predict(gold, model=model, batch_size=batch_size), f"kgbuild ({model})"
        seconds = time.perf_counter() - start
    else:
        pred, system, seconds = load_jsonl(pred_path), str(pred_path), 0.0
    return evaluate(gold, pred, system=system, match_modes=match_modes, options=options, seconds=seconds)


def format_report(report: EvalReport, fmt: str = "table") -> str:
    """The report as markdown tables ("table") or as JSON for scripts ("json")."""
    if fmt == "json":
        return json.dumps(report_dict(report), indent=2, sort_keys=True)
    if fmt != "table":
        raise UsageError(f"unknown format {fmt!r} (expected table or json)")
    return "\n".join(_table_lines(report))


def report_dict(report: EvalReport) -> dict[str, Any]:
    """A JSON-ready dict: every count with its precision, recall and F1."""
    return {
        "corpus": report.corpus,
        "system": report.system,
        "n_docs": report.n_docs,
        "options": dict(asdict(report.options), types=sorted(report.options.types) if report.options.types else None),
        "seconds": round(report.seconds, 3),
        "notes": list(report.notes),
        "scores": {
            m.mode: {s.item: dict(s.overall.as_dict(), by_type={t: c.as_dict() for t, c in s.by_type}) for s in m.items}
            for m in report.modes
        },
        "nodes": _nodes_dict(report.nodes),
    }


def _nodes_dict(nodes: NodeScores | None) -> dict[str, Any] | None:
    if nodes is None:
        return None
    return dict(asdict(nodes), coverage=nodes.coverage, typed_coverage=nodes.typed_coverage)


def _table_lines(report: EvalReport) -> Iterator[str]:
    opts = ", ".join(
        f"{k}={','.join(sorted(v)) if isinstance(v, frozenset) else v}" for k, v in asdict(report.options).items()
    )
    yield f"# {report.system} on {report.corpus or 'gold'} ({report.n_docs} docs; {opts})"
    yield from (f"note: {n}" for n in report.notes)
    for m in report.modes:
        yield ""
        yield f"## {m.mode} match"
        yield "| item | gold | pred | match | P | R | F1 |"
        yield "|---|---|---|---|---|---|---|"
        for s in m.items:
            yield _row(s.item, s.overall)
            for t, c in s.by_type:
                yield _row(f"  {s.item}:{t}", c)
    if report.nodes is not None:
        n = report.nodes
        yield ""
        yield "## entity nodes (gold clusters with a name; overlap)"
        yield "| gold clusters | covered | covered, right type | split | missed | pred nodes | merging |"
        yield "|---|---|---|---|---|---|---|"
        yield (
            f"| {n.gold_clusters} | {n.covered} ({n.coverage:.3f}) | {n.covered_typed} "
            f"({n.typed_coverage:.3f}) | {n.split} | {n.missed} | {n.pred_clusters} | {n.merging} |"
        )
    if report.seconds:
        yield ""
        yield f"runtime: {report.seconds:.1f} s"


def _row(name: str, c: Counts) -> str:
    return f"| {name} | {c.gold} | {c.pred} | {c.matched} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} |"
