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
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from ..nlp import DEFAULT_MODEL

MATCH_MODES: tuple[str, ...] = ("exact", "overlap")
ECB_RANGES: tuple[str, ...] = ("annotated", "mentions", "all")
ITEMS: tuple[str, ...] = (
    "entity",
    "entity_span",
    "trigger_id",
    "trigger_cls",
    "argument_id",
    "argument_cls",
)
# Types whose clusters can be named nodes; dates and amounts are values, not actors.
NODE_TYPES = frozenset({"PERSON", "ORGANIZATION", "GPE", "LOCATION", "OTHER"})

CORPUS_NOTES: Mapping[str, str] = {
    "rams": "RAMS annotates one event per window: read recall; entities are not scored.",
    "ecbplus": "ECB+: only annotated sentences count; gold events are untyped except "
    "REPORTING (Statement/Criticism); no arguments.",
    "meantime": "MEANTIME event types are derived from verb lemmas, not gold: "
    "trigger_cls is a sanity check.",
}

Doc = Mapping[str, Any]
Span = tuple[int, int]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Counts:
    """Matched, gold and predicted item counts; P/R/F1 follow score_gold.py."""

    matched: int = 0
    gold: int = 0
    pred: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.matched + other.matched, self.gold + other.gold, self.pred + other.pred)

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "gold": self.gold,
            "pred": self.pred,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class ItemScore:
    """One scored item, overall and broken down by type (or role)."""

    item: str
    overall: Counts
    by_type: tuple[tuple[str, Counts], ...] = ()


@dataclass(frozen=True, slots=True)
class ModeScores:
    """All items under one matching mode (exact or overlap)."""

    mode: str
    items: tuple[ItemScore, ...]

    def get(self, item: str) -> ItemScore | None:
        return next((s for s in self.items if s.item == item), None)


@dataclass(frozen=True, slots=True)
class NodeScores:
    """Entity-node level figures over gold clusters that contain a name.

    A gold cluster is *covered* when one predicted cluster holds a strict
    majority of its name mentions (matched by overlap); *covered_typed* also
    needs the predicted cluster's majority type to equal the gold one.  A gold
    cluster is *split* when its matched name mentions land in two or more
    predicted clusters; a predicted cluster is *merging* when its mentions match
    name mentions of two or more gold clusters.  *pred_clusters* counts the
    predicted clusters that match any gold name mention (the merge denominator).
    """

    gold_clusters: int = 0
    covered: int = 0
    covered_typed: int = 0
    split: int = 0
    missed: int = 0
    pred_clusters: int = 0
    merging: int = 0

    def __add__(self, other: NodeScores) -> NodeScores:
        return NodeScores(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def coverage(self) -> float:
        return self.covered / self.gold_clusters if self.gold_clusters else 0.0

    @property
    def typed_coverage(self) -> float:
        return self.covered_typed / self.gold_clusters if self.gold_clusters else 0.0


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """The options of score_gold.py (same names, same defaults)."""

    skip_other: bool = False  # trigger_cls: drop 'Other' events on both sides
    merge_gpe: bool = False  # score GPE as LOCATION
    ecb_ranges: str = "mentions"  # annotated | mentions | all


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Every figure of one system on one gold file."""

    corpus: str
    system: str
    n_docs: int
    options: ScoreOptions
    modes: tuple[ModeScores, ...]
    nodes: NodeScores | None = None
    seconds: float = 0.0  # time spent producing the predictions (0 for a --pred file)
    notes: tuple[str, ...] = field(default=())

    def scores(self, mode: str) -> ModeScores:
        for m in self.modes:
            if m.mode == mode:
                return m
        raise KeyError(mode)

    def counts(self, item: str, mode: str) -> Counts | None:
        score = self.scores(mode).get(item)
        return score.overall if score else None


# --------------------------------------------------------------------------- loading


def load_jsonl(path: str | Path, limit: int | None = None) -> dict[str, dict]:
    """doc_id -> document, like score_gold.load (a repeated doc_id: last one wins)."""
    docs: dict[str, dict] = {}
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if limit is not None and n > limit:
                    break
                if not line.strip():
                    continue
                doc = json.loads(line)
                docs[doc["doc_id"]] = doc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(f"line {n}: not a gold-format document ({exc})", path=str(path)) from exc
    return docs


def corpus_of(gold: Mapping[str, Doc]) -> str:
    """The corpus name of a gold file (its most frequent meta.corpus)."""
    names = Counter(d.get("meta", {}).get("corpus", "") for d in gold.values())
    return names.most_common(1)[0][0] if names else ""


def validate_doc(doc: Doc) -> list[str]:
    """Problems that make `doc` unusable as a gold-format prediction (empty if fine)."""
    problems: list[str] = []
    if not isinstance(doc.get("doc_id"), str):
        problems.append("doc_id missing")
    text = doc.get("text")
    for i, e in enumerate(doc.get("entities", [])):
        problems += _span_problems(e, text, f"entities[{i}]")
        if not e.get("type"):
            problems.append(f"entities[{i}]: no type")
    for i, ev in enumerate(doc.get("events", [])):
        problems += _span_problems(ev.get("trigger", {}), text, f"events[{i}].trigger")
        for j, a in enumerate(ev.get("arguments", [])):
            problems += _span_problems(a, text, f"events[{i}].arguments[{j}]")
            if not a.get("role"):
                problems.append(f"events[{i}].arguments[{j}]: no role")
    return problems


def _span_problems(item: Mapping, text: str | None, where: str) -> list[str]:
    start, end = item.get("start"), item.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
        return [f"{where}: bad offsets {start!r}..{end!r}"]
    if text is not None and "text" in item and text[start:end] != item["text"]:
        return [f"{where}: text {item['text']!r} != {text[start:end]!r}"]
    return []


# --------------------------------------------------------------------------- mention level


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


def _inside(span: Span, ranges: Sequence[Sequence[int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in ranges)


def _etype(t: str | None, merge_gpe: bool) -> str | None:
    return "LOCATION" if merge_gpe and t == "GPE" else t


def _trig(ev: Mapping) -> Span:
    return (ev["trigger"]["start"], ev["trigger"]["end"])


def _ecb_ranges(gold_doc: Doc, opts: ScoreOptions) -> Sequence[Sequence[int]] | None:
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
    gents = [((e["start"], e["end"]), _etype(e["type"], opts.merge_gpe)) for e in gold_doc["entities"]]
    pents = [
        ((e["start"], e["end"]), _etype(e.get("type"), opts.merge_gpe))
        for e in pred_doc.get("entities", [])
    ]
    gevs, pevs = list(gold_doc["events"]), list(pred_doc.get("events", []))
    ranges = _ecb_ranges(gold_doc, opts)
    if ranges is not None:
        gents = [e for e in gents if _inside(e[0], ranges)]
        pents = [e for e in pents if _inside(e[0], ranges)]
        gevs = [e for e in gevs if _inside(_trig(e), ranges)]
        pevs = [e for e in pevs if _inside(_trig(e), ranges)]
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
        pa = [
            (_trig(e), a.get("role"), (a["start"], a["end"]))
            for e in pevs
            for a in e.get("arguments", [])
        ]
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
        ItemScore(item, overall[item], tuple(sorted(typed.get(item, {}).items())))
        for item in ITEMS
        if item in overall
    )
    return ModeScores(mode, items)


# --------------------------------------------------------------------------- entity nodes

_NOT_NAMES = frozenset(
    """i me my mine we us our ours you your yours he him his she her hers it its they them
    their theirs who whom whose which what that this these those there here one someone
    the a an some any all both each every another other such no none""".split()
)
_LEADING = frozenset("the a an in on at from of for to by near into inside outside".split())
# Words that end the head phrase: "Center in Malibu", "Reid, 33, who ...".
_BREAKERS = frozenset("of in at on for who whom whose which that with from to by and or , ; (".split())
_TOKEN = re.compile(r"[^\W\d_][\w'’.&-]*|[,;(]")
_WORD = re.compile(r"[^\W\d_][\w'’.&-]*")
_NAME_SYNTAX = frozenset({"NAM", "PRE.NAM"})
_SENTENCE_END = ".!?\n\"“'‘`(:;-–—"


@dataclass(frozen=True, slots=True)
class DocVocab:
    """How a document writes its words: lower case anywhere, capitalised mid-sentence.

    A capitalised sentence-initial word is a name only if the document also
    capitalises it mid-sentence or never writes it in lower case ("Police said"
    vs "Lohan said"; URLs in ECB+ texts hold lower-cased names).
    """

    lower: frozenset[str]
    mid_caps: frozenset[str]

    @classmethod
    def of(cls, text: str) -> DocVocab:
        lower, mid_caps = set(), set()
        for m in _WORD.finditer(text):
            w = _bare(m.group())
            if not w:
                continue
            if w.islower():
                lower.add(w)
            elif _capitalised(w) and not _sentence_initial(text, m.start()):
                mid_caps.add(w)
        return cls(frozenset(lower), frozenset(mid_caps))


def _capitalised(word: str) -> bool:
    """"Reid", "US", and also "iPhone"."""
    return word[0].isupper() or any(c.isupper() for c in word[1:])


def _sentence_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _head(text: str, start: int, end: int) -> tuple[str, int] | None:
    """The head word of a mention (last word before a preposition, comma, relative
    pronoun...) with its offset; leading articles and prepositions are skipped."""
    head: tuple[str, int] | None = None
    for m in _TOKEN.finditer(text, start, end):
        w = m.group()
        if head is None and w.lower() in _LEADING:
            continue
        if w.lower() in _BREAKERS:
            if head is not None:
                break
            continue
        head = (_bare(w) or w, m.start())
    return head


def _bare(word: str) -> str:
    """The word without a possessive or trailing full stop: "Reid's", "Reid." -> "Reid"."""
    return re.sub(r"(['’]s?|\.)+$", "", word) if len(word) > 2 else word


def is_name(mention: Mapping, text: str, vocab: DocVocab) -> bool:
    """Does this mention look like a proper name (rather than a nominal or pronoun)?

    Uses the annotation when it says so (MEANTIME ``syntactic_type`` NAM/PRE.NAM,
    kgbuild's ``kind``).  WikiEvents and ECB+ do not mark names, so otherwise the
    head word decides: capitalised, not a pronoun, and not a common word that
    merely starts a sentence.  "a north Houston business" is no name; "Betty Ford
    Center in Rancho Mirage" is.
    """
    syntax = mention.get("syntactic_type")
    if syntax:
        return syntax in _NAME_SYNTAX
    if mention.get("kind"):
        return mention["kind"] == "name"
    head = _head(text, mention["start"], mention["end"])
    if head is None:
        return False
    word, pos = head
    if word.isupper() and len(word) > 1:  # an acronym: "US", "IRA", "TMZ"
        return True
    if not _capitalised(word) or word.lower() in _NOT_NAMES:
        return False
    if _sentence_initial(text, pos):
        return word.lower() not in vocab.lower or word in vocab.mid_caps
    return True


def _head_span(mention: Mapping, text: str) -> Span:
    """Where the mention's head word is (the whole mention if none is found)."""
    head = _head(text, mention["start"], mention["end"]) if text else None
    if head is None:
        return (mention["start"], mention["end"])
    return (head[1], head[1] + len(head[0]))


def align_mentions(gold: Sequence[Mapping], pred: Sequence[Mapping], text: str = "") -> dict[int, int]:
    """One-to-one overlap alignment, gold index -> pred index, best pairs first.

    A prediction must overlap the gold mention's head word: "Apple" inside the
    gold mention "Apple CEO" is not a mention of the CEO.  Pairs are taken in
    order of quality (same span, then more shared characters, then the shorter
    prediction), so a nested gold mention ("General Motors' Saturn unit" around
    "General Motors") cannot steal the prediction of the name it contains.
    """
    pairs = []
    for gi, g in enumerate(gold):
        head = _head_span(g, text)
        for pi, p in enumerate(pred):
            shared = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if shared > 0 and same(head, (p["start"], p["end"]), "overlap"):
                exact = (g["start"], g["end"]) == (p["start"], p["end"])
                pairs.append(((exact, shared, p["start"] - p["end"], -gi, -pi), gi, pi))
    aligned: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in sorted(pairs, reverse=True):
        if gi not in aligned and pi not in used:
            aligned[gi] = pi
            used.add(pi)
    return aligned


def _majority(values: Iterable[str | None]) -> str | None:
    common = Counter(values).most_common(1)
    return common[0][0] if common else None


def _pred_cluster(p: Mapping, index: int) -> str:
    """A predicted mention's node; a mention without a cluster is its own node."""
    cluster = p.get("cluster")
    return str(cluster) if cluster not in (None, "") else f"#mention{index}"


def _unlinked(mention: Mapping) -> bool:
    """A mention the annotators left out of coreference (ECB+: coref_link null, its
    own id as cluster).  It says nothing about nodes: "Microsoft" may be the same
    company as a linked "Microsoft" chain, so it is not scored."""
    return "coref_link" in mention and mention["coref_link"] is None and mention["cluster"] == mention.get("id")


def _gold_name_mentions(gold_doc: Doc, opts: ScoreOptions) -> list[Mapping]:
    """Gold mentions that are names of a node type (inside the scored ranges)."""
    text = gold_doc.get("text", "")
    ranges = _ecb_ranges(gold_doc, opts)
    vocab = DocVocab.of(text)
    return [
        m
        for m in gold_doc["entities"]
        if (ranges is None or _inside((m["start"], m["end"]), ranges))
        and m["type"] in NODE_TYPES
        and not _unlinked(m)
        and is_name(m, text, vocab)
    ]


def _pred_mentions(gold_doc: Doc, pred_doc: Doc, opts: ScoreOptions) -> list[Mapping]:
    ranges = _ecb_ranges(gold_doc, opts)
    return [
        dict(p, _node=_pred_cluster(p, i))
        for i, p in enumerate(pred_doc.get("entities", []))
        if ranges is None or _inside((p["start"], p["end"]), ranges)
    ]


def _node_types(pred: Sequence[Mapping], merge_gpe: bool) -> dict[str, str | None]:
    """Each predicted node's type: the majority type of its mentions."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for p in pred:
        votes[p["_node"]][_etype(p.get("type"), merge_gpe)] += 1
    return {node: c.most_common(1)[0][0] for node, c in votes.items()}


def score_nodes_doc(gold_doc: Doc, pred_doc: Doc, opts: ScoreOptions = ScoreOptions()) -> NodeScores:
    """Entity-node figures for one document (see NodeScores)."""
    names = _gold_name_mentions(gold_doc, opts)
    pred = _pred_mentions(gold_doc, pred_doc, opts)
    aligned = align_mentions(names, pred, gold_doc.get("text", ""))
    node_type = _node_types(pred, opts.merge_gpe)
    clusters: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(names):
        clusters[str(m["cluster"])].append(i)
    covered = covered_typed = split = missed = 0
    gold_of_node: dict[str, set[str]] = defaultdict(set)
    for cluster, members in clusters.items():
        nodes = Counter(pred[aligned[i]]["_node"] for i in members if i in aligned)
        for node in nodes:
            gold_of_node[node].add(cluster)
        missed += not nodes
        split += len(nodes) > 1
        if not nodes:
            continue
        node, n = nodes.most_common(1)[0]
        if 2 * n > len(members):  # a strict majority of the name mentions
            covered += 1
            gold_type = _majority(_etype(names[i]["type"], opts.merge_gpe) for i in members)
            covered_typed += node_type[node] == gold_type
    merging = sum(len(c) > 1 for c in gold_of_node.values())
    return NodeScores(len(clusters), covered, covered_typed, split, missed, len(gold_of_node), merging)


def score_nodes(
    gold: Mapping[str, Doc], pred: Mapping[str, Doc], opts: ScoreOptions = ScoreOptions()
) -> NodeScores | None:
    """Entity-node figures over a corpus; None where entities are not annotated (RAMS)."""
    total, scored = NodeScores(), False
    for doc_id, g in gold.items():
        if g.get("meta", {}).get("corpus", "") == "rams":
            continue
        scored = True
        total = total + score_nodes_doc(g, pred.get(doc_id, {"entities": []}), opts)
    return total if scored else None


# --------------------------------------------------------------------------- reports


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


def predict(
    gold: Mapping[str, Doc], *, model: str = DEFAULT_MODEL, batch_size: int = 32
) -> dict[str, dict]:
    """Run the kgbuild pipeline on the gold texts; predictions in the gold format."""
    from ..run.annotations import to_annotation
    from ..run.pipeline import extract
    from ..records import Article

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
) -> EvalReport:
    """Score PRED (or, without it, the kgbuild pipeline run on the gold texts) against GOLD.

    `limit` keeps the first N gold documents (predictions for others are ignored,
    as score_gold.py ignores documents not in the gold file).
    """
    options = ScoreOptions(skip_other=skip_other, merge_gpe=merge_gpe, ecb_ranges=ecb_ranges)
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
        "options": asdict(report.options),
        "seconds": round(report.seconds, 3),
        "notes": list(report.notes),
        "scores": {
            m.mode: {
                s.item: dict(s.overall.as_dict(), by_type={t: c.as_dict() for t, c in s.by_type})
                for s in m.items
            }
            for m in report.modes
        },
        "nodes": _nodes_dict(report.nodes),
    }


def _nodes_dict(nodes: NodeScores | None) -> dict[str, Any] | None:
    if nodes is None:
        return None
    return dict(asdict(nodes), coverage=nodes.coverage, typed_coverage=nodes.typed_coverage)


def _table_lines(report: EvalReport) -> Iterator[str]:
    opts = ", ".join(f"{k}={v}" for k, v in asdict(report.options).items())
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
