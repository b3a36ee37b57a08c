"""Entity nodes: does one predicted node cover each named gold cluster, with the right type; merges and splits."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .gold import NODE_TYPES, Doc, Span
from .mentions import ecb_ranges_of, etype, inside, same
from .scores import NodeScores, ScoreOptions

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
    """ "Reid", "US", and also "iPhone"."""
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
    ranges = ecb_ranges_of(gold_doc, opts)
    vocab = DocVocab.of(text)
    return [
        m
        for m in gold_doc["entities"]
        if (ranges is None or inside((m["start"], m["end"]), ranges))
        and m["type"] in NODE_TYPES
        and not _unlinked(m)
        and is_name(m, text, vocab)
    ]


def _pred_mentions(gold_doc: Doc, pred_doc: Doc, opts: ScoreOptions) -> list[Mapping]:
    ranges = ecb_ranges_of(gold_doc, opts)
    return [
        dict(p, _node=_pred_cluster(p, i))
        for i, p in enumerate(pred_doc.get("entities", []))
        if ranges is None or inside((p["start"], p["end"]), ranges)
    ]


def _node_types(pred: Sequence[Mapping], merge_gpe: bool) -> dict[str, str | None]:
    """Each predicted node's type: the majority type of its mentions."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for p in pred:
        votes[p["_node"]][etype(p.get("type"), merge_gpe)] += 1
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
            gold_type = _majority(etype(names[i]["type"], opts.merge_gpe) for i in members)
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
