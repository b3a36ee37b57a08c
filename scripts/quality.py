#!/usr/bin/env python3
"""Quality report: kgbuild beside two bare baselines on the annotated dev corpora.

    .venv/bin/python scripts/quality.py [--out docs/quality.md] [--limit N]

Reads every dev corpus present in $KGBUILD_EVAL_DIR or ../shared/eval (next to
the repository), runs the kgbuild pipeline and the baselines of
kgbuild.eval.baselines on the gold texts in the same run, scores all three with
kgbuild.eval.evaluate (the rules of score_gold.py) and prints one markdown table.
Absent corpora are skipped with a message: they are not part of the
repository and must never be copied into it; only figures are written.

The kgbuild pipeline and the baseline parse run in two worker processes, so
the report uses both cores of a small machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kgbuild.eval import baselines  # noqa: E402
from kgbuild.eval import evaluate  # noqa: E402
from kgbuild.eval.evaluate import Counts, EvalReport, ScoreOptions  # noqa: E402
from kgbuild.nlp import DEFAULT_MODEL  # noqa: E402

CORPORA: tuple[str, ...] = ("wikievents", "rams", "meantime", "ecbplus", "m2e2")
# M2E2 (Voice of America news, ACE 2005) annotates every mention of 8 ACE kinds only: events of
# other kinds are left out on both sides (score_gold.py --types), as its README prescribes.
M2E2_TYPES: tuple[str, ...] = ("Attack", "Killing/Death", "Evacuation/Transport", "Negotiation", "Protest", "Arrest")
CORPUS_OPTIONS: Mapping[str, ScoreOptions] = {"m2e2": ScoreOptions(types=frozenset(M2E2_TYPES))}
SYSTEMS: tuple[str, ...] = ("kgbuild", "spaCy NER baseline", "lexicon baseline")
DASH = "–"


def eval_dir() -> Path:
    env = os.environ.get("KGBUILD_EVAL_DIR")
    return Path(env) if env else REPO.parent / "shared" / "eval"


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Runtime:
    """Wall and CPU seconds of one prediction job.  CPU time is the figure to
    compare across runs: wall time also counts whatever else the machine does."""

    wall: float
    cpu: float

    @classmethod
    def since(cls, wall0: float, cpu0: float) -> Runtime:
        return cls(time.perf_counter() - wall0, time.process_time() - cpu0)


def timed_kgbuild(texts: dict[str, dict], model: str) -> tuple[dict[str, dict], Runtime]:
    """Worker job: the kgbuild pipeline on the gold texts (model loading included)."""
    wall0, cpu0 = time.perf_counter(), time.process_time()
    pred = evaluate.predict(texts, model=model)
    return pred, Runtime.since(wall0, cpu0)


def timed_baselines(texts: dict[str, dict], model: str) -> tuple[dict, dict, Runtime]:
    """Worker job: both baselines from one bare spaCy parse (model loading included)."""
    wall0, cpu0 = time.perf_counter(), time.process_time()
    ner, lex = {}, {}
    for n, lx in baselines.baseline_predictions(((k, d["text"]) for k, d in texts.items()), model=model):
        ner[n["doc_id"]], lex[lx["doc_id"]] = n, lx
    return ner, lex, Runtime.since(wall0, cpu0)


@dataclass(frozen=True)
class CorpusRun:
    """The reports of the three systems on one corpus (None: the system failed)."""

    corpus: str
    n_docs: int
    reports: Mapping[str, EvalReport | None]  # default options
    typed7: Mapping[str, EvalReport | None]  # --skip-other: the 7 target event types
    runtimes: Mapping[str, Runtime]
    errors: Mapping[str, str]


def _score(
    gold: dict, pred: dict | None, system: str, seconds: float, opts: ScoreOptions = ScoreOptions()
) -> tuple[EvalReport | None, EvalReport | None]:
    if pred is None:
        return None, None
    full = evaluate.evaluate(gold, pred, system=system, seconds=seconds, options=opts)
    typed7 = evaluate.evaluate(
        gold, pred, system=system, match_modes=("exact",), options=replace(opts, skip_other=True)
    )
    return full, typed7


def _result(future: Future) -> tuple[tuple | None, str | None]:
    try:
        return future.result(), None
    except Exception as exc:  # a broken pipeline must not hide the baselines
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def run_corpora(paths: Mapping[str, Path], limit: int | None, model: str, jobs: int) -> list[CorpusRun]:
    """Submit every prediction job first (the pool keeps both cores busy), then score."""
    golds = {c: evaluate.load_jsonl(p, limit) for c, p in paths.items()}
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        futures = {}
        for corpus, gold in golds.items():
            texts = {k: {"text": d["text"]} for k, d in gold.items()}
            futures[corpus] = (
                pool.submit(timed_kgbuild, texts, model),
                pool.submit(timed_baselines, texts, model),
            )
        return [_score_corpus(c, golds[c], *futures[c]) for c in golds]


def _score_corpus(corpus: str, gold: dict, kg_future: Future, bl_future: Future) -> CorpusRun:
    kg, kg_err = _result(kg_future)
    bl, bl_err = _result(bl_future)
    print(f"{corpus}: scoring", file=sys.stderr)
    none = Runtime(0.0, 0.0)
    preds: dict[str, tuple[dict | None, Runtime]] = {
        SYSTEMS[0]: (kg[0], kg[1]) if kg else (None, none),
        SYSTEMS[1]: (bl[0], bl[2]) if bl else (None, none),
        SYSTEMS[2]: (bl[1], bl[2]) if bl else (None, none),
    }
    opts = CORPUS_OPTIONS.get(corpus, ScoreOptions())
    scored = {s: _score(gold, p, s, rt.wall, opts) for s, (p, rt) in preds.items()}
    errors = {s: e for s, e in ((SYSTEMS[0], kg_err), (SYSTEMS[1], bl_err), (SYSTEMS[2], bl_err)) if e}
    return CorpusRun(
        corpus,
        len(gold),
        {s: r[0] for s, r in scored.items()},
        {s: r[1] for s, r in scored.items()},
        {s: rt for s, (_, rt) in preds.items()},
        errors,
    )


# --------------------------------------------------------------------------- table

# A metric: label, which systems it applies to, and how to read it off a system's results.
Getter = Callable[["SystemResult"], str]


@dataclass(frozen=True)
class SystemResult:
    full: EvalReport  # default options
    typed7: EvalReport  # --skip-other
    runtime: Runtime
    recall_only: bool  # RAMS


def _prf(item: str, mode: str, typed7: bool = False) -> Getter:
    """F1 of an item (recall on RAMS, where only one event per window is annotated)."""

    def get(r: SystemResult) -> str:
        c: Counts | None = (r.typed7 if typed7 else r.full).counts(item, mode)
        if c is None:
            return DASH
        return f"{c.recall if r.recall_only else c.f1:.3f}"

    return get


def _nodes(field: str) -> Getter:
    def get(r: SystemResult) -> str:
        n = r.full.nodes
        if n is None:
            return DASH
        if field == "covered":
            return f"{n.typed_coverage:.3f} ({n.covered_typed}/{n.gold_clusters})"
        if field == "merging":
            return f"{n.merging}/{n.pred_clusters}"
        return f"{n.split}/{n.gold_clusters}"

    return get


def _runtime(r: SystemResult) -> str:
    return f"{r.runtime.cpu:.1f} s ({r.runtime.wall:.1f} s)"


ENTITY, EVENT, ALL = frozenset(SYSTEMS[:2]), frozenset({SYSTEMS[0], SYSTEMS[2]}), frozenset(SYSTEMS)
NODE_GETTERS: tuple[Getter, ...] = (_nodes("covered"), _nodes("merging"), _nodes("split"))
METRICS: tuple[tuple[str, frozenset[str], Getter], ...] = (
    ("entity mentions F1, overlap", ENTITY, _prf("entity", "overlap")),
    ("entity mentions F1, exact", ENTITY, _prf("entity", "exact")),
    ("named gold clusters covered by one node, right type", ENTITY, NODE_GETTERS[0]),
    ("nodes merging 2+ gold clusters", ENTITY, NODE_GETTERS[1]),
    ("gold clusters split over 2+ nodes", ENTITY, NODE_GETTERS[2]),
    ("trigger identification F1", EVENT, _prf("trigger_id", "exact")),
    ("trigger classification F1", EVENT, _prf("trigger_cls", "exact")),
    ("trigger classification F1, 7 types (--skip-other)", EVENT, _prf("trigger_cls", "exact", True)),
    ("argument identification F1, overlap", EVENT, _prf("argument_id", "overlap")),
    ("argument classification F1, overlap", EVENT, _prf("argument_cls", "overlap")),
    ("runtime: CPU (wall), baselines share one parse", ALL, _runtime),
)


def _label(label: str, corpus: str) -> str:
    return label.replace(" F1", " recall") if corpus == "rams" else label


def _cell(run: CorpusRun, system: str, applies: frozenset[str], get: Getter) -> str:
    if system not in applies:
        return DASH
    full, t7 = run.reports.get(system), run.typed7.get(system)
    if full is None or t7 is None:
        return "error"
    return get(SystemResult(full, t7, run.runtimes[system], run.corpus == "rams"))


# M2E2 is scored on its six kinds (--types, so "Other" never counts and --skip-other adds
# nothing); its trigger rows are given with overlap spans too, as the targets are.
M2E2_METRICS: tuple[tuple[str, frozenset[str], Getter], ...] = (
    ("trigger identification F1, overlap", EVENT, _prf("trigger_id", "overlap")),
    ("trigger classification F1, overlap", EVENT, _prf("trigger_cls", "overlap")),
)


def _metrics_for(corpus: str) -> list[tuple[str, frozenset[str], Getter]]:
    """The rows of one corpus: RAMS annotates no entities, and reads recall."""
    rows = [m for m in METRICS if not (corpus == "rams" and m[1] == ENTITY)]
    if corpus == "m2e2":
        at = next(i for i, m in enumerate(rows) if m[0].startswith("trigger classification F1, 7"))
        rows[at : at + 1] = M2E2_METRICS
        # M2E2 annotates no coreference (each mention is its own cluster): node rows say nothing
        rows = [m for m in rows if m[2] not in NODE_GETTERS]
    return [(_label(label, corpus), applies, get) for label, applies, get in rows]


def table(runs: list[CorpusRun]) -> list[str]:
    lines = ["| corpus | metric | " + " | ".join(SYSTEMS) + " |", "|---|---|" + "---|" * len(SYSTEMS)]
    for run in runs:
        for i, (label, applies, get) in enumerate(_metrics_for(run.corpus)):
            name = f"{run.corpus} ({run.n_docs} docs)" if i == 0 else ""
            cells = [_cell(run, s, applies, get) for s in SYSTEMS]
            lines.append(f"| {name} | {label} | " + " | ".join(cells) + " |")
    return lines


def total_cpu(runs: list[CorpusRun], main_cpu: float) -> float:
    """CPU seconds of the whole report: both worker jobs of each corpus plus scoring."""
    return main_cpu + sum(r.runtimes[SYSTEMS[0]].cpu + r.runtimes[SYSTEMS[1]].cpu for r in runs)


def notes(
    runs: list[CorpusRun], skipped: list[str], wall: float, cpu: float, limit: int | None, model: str
) -> list[str]:
    out = [
        "",
        f"Model `{model}`; {'first %d docs per corpus; ' % limit if limit else ''}"
        f"whole report {wall:.0f} s wall clock, {cpu:.0f} s CPU, on {os.cpu_count()} cores "
        "(kgbuild and the baseline parse run in parallel worker processes; wall time also "
        "counts other load on the machine).",
        "",
        "- Mention figures follow ../shared/eval/score_gold.py (greedy one-to-one matching, micro-averaged; "
        "default options, ECB+ ranges = sentences with a gold mention). Triggers use exact spans, "
        "arguments overlap.",
        "- Entity nodes: gold coreference clusters with a name mention (PERSON, ORGANIZATION, GPE, "
        "LOCATION, OTHER; ECB+ mentions left out of coreference are not counted); covered = one "
        "predicted node (mention `cluster`) holds most of its name mentions, matched one-to-one by "
        "overlap on the head word, and has the gold type; merging = a node holding names of 2+ gold "
        "clusters (of all nodes matching a name); split = a gold cluster whose names land in 2+ nodes. "
        "The NER baseline's nodes are mentions with the same type and text.",
        "- Runtime includes loading the model in each worker process.",
        "- spaCy NER baseline: bare `ner` labels mapped to the 7 coarse types (NORP as GPE). "
        "Lexicon baseline: kgbuild/data/baseline_triggers.tsv over spaCy lemmas (verbs and nouns), "
        "subject/object/place/time arguments from direct dependents.",
        "- M2E2 (Voice of America news, ACE 2005 kinds) is scored with `--types "
        + ",".join(M2E2_TYPES)
        + "`: only events of these kinds count, on both sides, for every event row; it annotates no "
        "coreference, so it has no entity-node rows.",
        "- RAMS annotates one event per window: its rows give recall, and it has no entities.",
        "- MEANTIME event types are derived from verb lemmas, not gold; ECB+ types only REPORTING "
        "events (Statement/Criticism) and has no arguments.",
        f"- `{DASH}`: the system does not predict this item or the corpus does not annotate it.",
    ]
    for run in runs:
        out += [f"- {run.corpus}: {system} failed: {err}" for system, err in run.errors.items()]
    out += [f"- {c}: skipped, not found in the evaluation directory" for c in skipped]
    return out


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="also write the report to this markdown file")
    ap.add_argument("--limit", type=int, help="score only the first N documents of each corpus")
    ap.add_argument("--eval-dir", type=Path, default=None, help="default: $KGBUILD_EVAL_DIR or ../shared/eval")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = ap.parse_args(argv)

    root = args.eval_dir or eval_dir()
    paths = {c: root / f"{c}.dev.jsonl" for c in CORPORA if (root / f"{c}.dev.jsonl").is_file()}
    skipped = [c for c in CORPORA if c not in paths]
    for c in skipped:
        print(f"{c}: skipped ({root / f'{c}.dev.jsonl'} not found)", file=sys.stderr)
    if not paths:
        print(f"no evaluation corpora in {root}: nothing to report", file=sys.stderr)
        return 0
    start, cpu0 = time.perf_counter(), time.process_time()
    runs = run_corpora(paths, args.limit, args.model, max(1, args.jobs))
    wall, cpu = time.perf_counter() - start, total_cpu(runs, time.process_time() - cpu0)
    report = "\n".join(
        ["# Extraction quality on the dev corpora", "", "Generated by `make quality` (scripts/quality.py).", ""]
        + table(runs)
        + notes(runs, skipped, wall, cpu, args.limit, args.model)
    )
    sys.path.insert(0, str(REPO / "scripts"))
    from actor_edges import report_lines  # the actor-edge figure on tests/data/actor_edges.jsonl

    report = "\n".join([report, *report_lines(args.model)])
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
