"""Mention level: the items of a document and their greedy one-to-one matching (the rules of score_gold.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from ..errors import UsageError
from .gold import ITEMS, Doc, Span
from .scores import MATCH_MODES, Counts, ItemScore, ModeScores, ScoreOptions


def same(a: Span, b: Span, mode: str) -> bool:
    """Span equality under `mode` (overlap: at least one shared character)."""
    if mode == "exact":
        return a == b
    return a[0] < b[1] and b[0] < a[1]


def match_count(gold: Sequence, pred: Sequence, eq: Callable[[Any, Any], bool]) -> int:
    """Greedy one-to-one matching in gold order: each gold item takes the first free pred."""
    used: set[int] = set()
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and eq(g, p):
                used.add(i)
                break
    return len(used)


def inside(span: Span, ranges: Sequence[Sequence[int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in ranges)


def etype(t: str | None, merge_gpe: bool) -> str | None:
    return "LOCATION" if merge_gpe and t == "GPE" else t


def _trig(ev: Mapping) -> Span:
    return (ev["trigger"]["start"], ev["trigger"]["end"])


def ecb_ranges_of(gold_doc: Doc, opts: ScoreOptions) -> Sequence[Sequence[int]] | None:
    """The character ranges that count in an ECB+ document (None: everything counts)."""
    if gold_doc.get("meta", {}).get("corpus", "") != "ecbplus" or opts.ecb_ranges == "all":
        return None
    key = "annotated_char_ranges" if opts.ecb_ranges == "annotated" else "mention_char_ranges"
    return gold_doc["meta"][key]


# One scored item of one document: name, gold list, pred list, equality, type label.
DocItem = tuple[str, list, list, Callable[[Any, Any], bool], Callable[[Any], str] | None]


def doc_items(gold_doc: Doc, pred_doc: Doc, mode: str, opts: ScoreOptions) -> Iterator[DocItem]:
    """The scored items of one document, with the corpus rules of score_gold.py applied."""
    corpus = gold_doc.get("meta", {}).get("corpus", "")
    gents = [((e["start"], e["end"]), etype(e["type"], opts.merge_gpe)) for e in gold_doc["entities"]]
    pents = [((e["start"], e["end"]), etype(e.get("type"), opts.merge_gpe)) for e in pred_doc.get("entities", [])]
    gevs, pevs = list(gold_doc["events"]), list(pred_doc.get("events", []))
    if opts.types:  # every event item (trigger_id included) sees only these types
        gevs = [e for e in gevs if e.get("type") in opts.types]
        pevs = [e for e in pevs if e.get("type") in opts.types]
    ranges = ecb_ranges_of(gold_doc, opts)
    if ranges is not None:
        gents = [e for e in gents if inside(e[0], ranges)]
        pents = [e for e in pents if inside(e[0], ranges)]
        gevs = [e for e in gevs if inside(_trig(e), ranges)]
        pevs = [e for e in pevs if inside(_trig(e), ranges)]
    if corpus == "rams":
        gspans = [_trig(e) for e in gevs]
        pevs = [e for e in pevs if any(same(_trig(e), s, "overlap") for s in gspans)]
    else:
        yield "entity", gents, pents, lambda a, b: same(a[0], b[0], mode) and a[1] == b[1], _second
        yield "entity_span", gents, pents, lambda a, b: same(a[0], b[0], mode), None

    yield "trigger_id", [_trig(e) for e in gevs], [_trig(e) for e in pevs], _span_eq(mode), None
    gt = [(_trig(e), e["type"]) for e in gevs if e.get("type")]
    pt = [(_trig(e), e.get("type")) for e in pevs]
    if opts.skip_other:
        gt = [x for x in gt if x[1] != "Other"]
        pt = [x for x in pt if x[1] != "Other"]
    if corpus == "ecbplus":  # only REPORTING events carry a type
        pt = [x for x in pt if x[1] == "Statement/Criticism"]
    yield "trigger_cls", gt, pt, lambda a, b: same(a[0], b[0], mode) and a[1] == b[1], _second
    if corpus != "ecbplus":
        ga = [(_trig(e), a["role"], (a["start"], a["end"])) for e in gevs for a in e["arguments"]]
        pa = [(_trig(e), a.get("role"), (a["start"], a["end"])) for e in pevs for a in e.get("arguments", [])]
        yield "argument_id", ga, pa, lambda a, b: same(a[0], b[0], mode) and same(a[2], b[2], mode), None
        yield (
            "argument_cls",
            ga,
            pa,
            lambda a, b: same(a[0], b[0], mode) and a[1] == b[1] and same(a[2], b[2], mode),
            _second,
        )


def _second(x: tuple) -> str:
    return str(x[1])


def _span_eq(mode: str) -> Callable[[Span, Span], bool]:
    return lambda a, b: same(a, b, mode)


def _counts(gold: list, pred: list, eq: Callable) -> Counts:
    return Counts(match_count(gold, pred, eq), len(gold), len(pred))


def _by_type(gold: list, pred: list, eq: Callable, label: Callable[[Any], str]) -> dict[str, Counts]:
    """Per-type counts.  Typed equality never crosses types, so matching within each
    type gives exactly the overall greedy matches, split by type."""
    out: dict[str, Counts] = {}
    for t in sorted({label(x) for x in gold} | {label(x) for x in pred}):
        out[t] = _counts([x for x in gold if label(x) == t], [x for x in pred if label(x) == t], eq)
    return out


def score_mode(
    gold: Mapping[str, Doc], pred: Mapping[str, Doc], mode: str, opts: ScoreOptions = ScoreOptions()
) -> ModeScores:
    """Mention-level scores of `pred` against `gold` under one matching mode."""
    if mode not in MATCH_MODES:
        raise UsageError(f"unknown match mode {mode!r} (expected one of {', '.join(MATCH_MODES)})")
    overall: dict[str, Counts] = {}
    typed: dict[str, dict[str, Counts]] = defaultdict(dict)
    empty: Doc = {"entities": [], "events": []}
    for doc_id, g in gold.items():
        for item, gl, pl, eq, label in doc_items(g, pred.get(doc_id, empty), mode, opts):
            overall[item] = overall.get(item, Counts()) + _counts(gl, pl, eq)
            if label is not None:
                for t, c in _by_type(gl, pl, eq, label).items():
                    typed[item][t] = typed[item].get(t, Counts()) + c
    items = tuple(
        ItemScore(item, overall[item], tuple(sorted(typed.get(item, {}).items()))) for item in ITEMS if item in overall
    )
    return ModeScores(mode, items)
