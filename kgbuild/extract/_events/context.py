"""Parse helpers and the per-document context shared by the steps of kgbuild_events."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...records import Entity
from ..doc import doc_text
from .lexicon import Lexicon, Rule, load_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SUBJ = ("nsubj", "nsubjpass", "csubj")


NEG_WORDS = {"not", "n't", "never", "no", "nor"}


MODAL_COND = {"would", "could", "might", "may", "can", "should", "must", "ought"}


MODAL_FUT = {"will", "'ll", "shall", "wo"}


PLACE_PREPS = {"in", "at", "near", "inside", "outside", "across", "around", "throughout", "within", "along", "over"}


DEST_PREPS = {"to", "toward", "towards", "into", "for"}


TIME_PREPS = {
    "on",
    "in",
    "during",
    "after",
    "before",
    "since",
    "until",
    "by",
    "at",
    "from",
    "between",
    "over",
    "through",
    "throughout",
}


ACTOR_LABELS = {"PERSON", "ORG", "NORP", "GPE"}


PLACE_LABELS = {"GPE", "LOC", "FAC"}


QUOTE_CHARS = '"\u201c\u201d\u201e\u00ab\u00bb'


ORIGIN_VERBS = {"leave", "flee", "escape", "depart", "exit", "abandon", "evacuate", "quit"}


PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "who", "which", "that"}


def coarse_pos(tok: "Token") -> str:
    if tok.pos_ == "PROPN":
        return "NOUN"
    if tok.pos_ == "AUX":
        return "AUX"
    return tok.pos_


def lemma_of(tok: "Token") -> str:
    return tok.lemma_.lower() if tok.lemma_ else tok.lower_


def with_conj(tok: "Token") -> list["Token"]:
    """tok and the tokens coordinated with it ("a road and a bridge")."""
    out = [tok]
    seen = {tok.i}
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if (
                c.dep_ == "conj"
                and c.i not in seen
                and (
                    coarse_pos(c) in ("NOUN", "PRON", "NUM", "ADJ", "X")
                    or (c.text[:1].isupper() and not any(x.dep_ in SUBJ for x in c.children))
                )
            ):
                out.append(c)
                seen.add(c.i)
                stack.append(c)
    return sorted(out, key=lambda t: t.i)


def is_passive(verb: "Token") -> bool:
    ctx = ACTIVE_CTX.get()
    if ctx is not None and ctx.doc is verb.doc:
        memo = ctx.memo.setdefault("passive", {})
        if verb.i not in memo:
            memo[verb.i] = _is_passive_uncached(verb)
        return memo[verb.i]
    return _is_passive_uncached(verb)


def _is_passive_uncached(verb: "Token") -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    return verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod") and not any(c.dep_ == "nsubj" for c in verb.children)


def pobjs(prep: "Token") -> list["Token"]:
    objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    # "close to X", "next to X": the object hangs on the second preposition
    for c in prep.children:
        if c.dep_ == "prep":
            objs.extend(cc for cc in c.children if cc.dep_ == "pobj")
    out: list["Token"] = []
    for o in objs:
        out.extend(with_conj(o))
    return out


_POS_NAMES: dict[int, str] = {}
_STRING_OF: dict[int, str] = {}  # hash -> string, per process (the StringStore's lookup costs more)


@dataclass
class Tokens:
    """Per-token attributes of a Doc, read in one doc.to_array call instead of one Token object
    per token and pass: lemma (as lemma_of), lower_, coarse POS (as coarse_pos), is_punct, is_space, idx,
    and whether the token's text_with_ws holds a line break."""

    lemma: list[str]
    lower: list[str]
    pos: list[str]
    punct: list[bool]
    space: list[bool]
    idx: list[int]
    newline: list[bool]

    @classmethod
    def of(cls, doc: "Doc") -> "Tokens":
        from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LOWER, POS
        from spacy.parts_of_speech import NAMES

        if len(doc) == 0:
            return cls([], [], [], [], [], [], [])
        rows = doc.to_array([LEMMA, LOWER, POS, IS_PUNCT, IS_SPACE, IDX]).T.tolist()
        strings, memo = doc.vocab.strings, _STRING_OF
        if len(memo) > 200_000:  # bounded: a huge corpus's vocabulary is not kept
            memo.clear()
        for h in set(rows[0]).union(rows[1]).difference(memo):
            memo[h] = strings[h]
        lower = [memo[h] for h in rows[1]]
        lemma = [memo[h].lower() if h else low for h, low in zip(rows[0], lower)]  # lemma_of
        if not _POS_NAMES:
            _POS_NAMES.update({k: ("NOUN" if v == "PROPN" else v) for k, v in NAMES.items()})
        pos = [_POS_NAMES.get(p, "") for p in rows[2]]
        idx = rows[5]
        t = doc_text(doc)
        ends = idx[1:] + [len(t)]
        newline = [("\n" in t[a:b]) for a, b in zip(idx, ends)]
        return cls(lemma, lower, pos, [bool(x) for x in rows[3]], [bool(x) for x in rows[4]], idx, newline)


@dataclass
class Ctx:
    """Per-document indexes shared by the steps.

    Lookups that would otherwise scan the whole document or sentence per
    token (mentions, quotations, line breaks, entity spans) are answered from
    indexes built once per Doc, so that one long sentence with many triggers
    does not cost quadratic time.
    """

    doc: "Doc"
    lex: Lexicon
    mentions: list[tuple[int, int, str, str]]  # (start, end, entity key, coarse)
    entity_cls: dict[str, str]
    sent_index: dict[int, int]  # token index -> sentence number
    sent_flags: dict[int, dict[str, set[int]]]  # sentence number -> flag -> token indices of its cue words
    quotes: list[tuple[int, int]]  # char spans of quotation contents
    anchor: str | None
    text: str = ""  # doc.text, cached (spaCy rebuilds it on every access)
    entities: dict[str, Entity] = field(default_factory=dict)
    # per-step memo tables (keyed by sentence start, line, ...), filled on first use
    memo: dict = field(default_factory=dict, repr=False)
    tokens: Tokens | None = field(default=None, repr=False)  # made from doc when not given

    def __post_init__(self) -> None:
        if self.tokens is None:
            self.tokens = Tokens.of(self.doc)
        # smallest mention containing each token start (ties: the first mention listed wins)
        starts = self.tokens.idx
        best: dict[int, tuple[int, int, str, str]] = {}
        for m in self.mentions:
            for k in range(bisect_left(starts, m[0]), bisect_left(starts, m[1])):
                cur = best.get(starts[k])
                if cur is None or (m[1] - m[0]) < (cur[1] - cur[0]):
                    best[starts[k]] = m
        self._mention_by_idx = best
        # quotations sorted and disjoint (as find_quotes returns them): bisect instead of scanning
        qs = self.quotes
        self._quotes_sorted = all(a < b for a, b in qs) and all(qs[k][1] <= qs[k + 1][0] for k in range(len(qs) - 1))
        self._quote_starts = [a for a, _ in qs]
        self._quote_ends = [b for _, b in qs]
        # newlines[i]: how many of the tokens before i contain a line break (see tokens_cross_line)
        nl = [0]
        for flag in self.tokens.newline:
            nl.append(nl[-1] + flag)
        self.newlines = nl

    @property
    def toks(self) -> Tokens:
        """The token columns (tokens, made by __post_init__ when not given)."""
        assert self.tokens is not None
        return self.tokens

    def sentence_tokens(self) -> list[tuple[int, int]]:
        """Token ranges of the sentences, by sentence number (computed once per document)."""
        toks = self.memo.get("sent_tokens")
        if toks is None:
            toks = self.memo["sent_tokens"] = doc_sentences(self.doc)
        return toks

    def sentence_chars(self) -> list[tuple[int, int]]:
        """Character spans of the sentences, by sentence number."""
        spans = self.memo.get("sent_chars")
        if spans is None:
            doc = self.doc
            spans = self.memo["sent_chars"] = [
                (doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b in self.sentence_tokens()
            ]
        return spans

    def mention_at(self, tok: "Token") -> tuple[int, int, str, str] | None:
        """The smallest entity mention containing tok."""
        if tok.doc is self.doc:
            return self._mention_by_idx.get(tok.idx)
        best = None
        for m in self.mentions:
            if m[0] <= tok.idx < m[1]:
                if best is None or (m[1] - m[0]) < (best[1] - best[0]):
                    best = m
        return best

    def in_quote(self, char: int) -> bool:
        if self._quotes_sorted:
            k = bisect_right(self._quote_starts, char) - 1
            return k >= 0 and char < self._quote_ends[k]
        return any(a <= char < b for a, b in self.quotes)

    def quotes_near(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The quotations, in order, that may end at or after char lo and start at or before char hi
        (a superset of them when the quotations are not sorted and disjoint)."""
        if not self._quotes_sorted:
            return self.quotes
        k = bisect_left(self._quote_ends, lo)
        out = []
        while k < len(self.quotes) and self._quote_starts[k] <= hi:
            out.append(self.quotes[k])
            k += 1
        return out

    def crosses_line(self, i: int, j: int) -> bool:
        """Whether a line break separates tokens i and j (as tokens_cross_line)."""
        lo, hi = (i, j) if i <= j else (j, i)
        return self.newlines[hi] > self.newlines[lo]

    def sent_of(self, tok: "Token"):
        """tok.sent, memoised per sentence (spaCy walks the sentence on every tok.sent)."""
        spans = self.memo.setdefault("sents", {})
        n = self.sent_index.get(tok.i)
        span = spans.get(n)
        if span is None or not (span.start <= tok.i < span.end) or tok.doc is not self.doc:
            span = tok.sent
            if tok.doc is self.doc:
                spans[n] = span
        return span

    def ent_of(self, tok: "Token"):
        """The doc.ents span containing tok, or None."""
        table = self.memo.get("ents")
        if table is None:
            table = {}
            for e in self.doc.ents:
                for i in range(e.start, e.end):
                    table.setdefault(i, e)
            self.memo["ents"] = table
        return table.get(tok.i)


def _subtree_ranges(ctx: Ctx) -> tuple[list[int], list[int]] | None:
    """Each token's subtree as a range of token indices (first, last), when every subtree is
    contiguous (a projective parse, as spaCy's parser makes); None otherwise."""
    if "subtree_ranges" in ctx.memo:
        return ctx.memo["subtree_ranges"]
    doc = ctx.doc
    n = len(doc)
    toks = list(doc)
    heads = [t.head.i for t in toks]
    depth = [-1] * n
    for i in range(n):
        path: list[int] = []
        j = i
        while depth[j] < 0 and heads[j] != j and len(path) <= n:
            path.append(j)
            j = heads[j]
        if len(path) > n:  # a cycle: not a tree
            ctx.memo["subtree_ranges"] = None
            return None
        d = depth[j] if depth[j] >= 0 else 0
        depth[j] = d
        for k in reversed(path):
            d += 1
            depth[k] = d
    lo, hi, size = list(range(n)), list(range(n)), [1] * n
    for i in sorted(range(n), key=lambda k: -depth[k]):
        h = heads[i]
        if h != i:
            lo[h] = min(lo[h], lo[i])
            hi[h] = max(hi[h], hi[i])
            size[h] += size[i]
    ok = all(
        size[i] == hi[i] - lo[i] + 1 and toks[i].left_edge.i == lo[i] and toks[i].right_edge.i == hi[i]
        for i in range(n)
    )
    ranges = (lo, hi) if ok else None
    ctx.memo["subtree_ranges"] = ranges
    return ranges


def subtree_has(ctx: Ctx, tok: "Token", cue: str, window: int = 12) -> bool:
    """Whether a dependent of tok, direct or not, before tok.i + window has its lemma in the cue list
    (the words of `for c in tok.children: c.subtree`, read from an index instead of the tree)."""
    cues = ctx.lex.cues.get(cue, frozenset())
    ranges = _subtree_ranges(ctx) if tok.doc is ctx.doc else None
    if ranges is None:
        return any(lemma_of(x) in cues for c in tok.children for x in c.subtree if x.i < tok.i + window)
    positions = ctx.memo.setdefault("cue_positions", {})
    if cue not in positions:
        positions[cue] = [i for i, lemma in enumerate(ctx.toks.lemma) if lemma in cues]
    pos = positions[cue]
    lo, hi = ranges
    last = min(hi[tok.i], tok.i + window - 1)
    k = bisect_left(pos, lo[tok.i])
    while k < len(pos) and pos[k] <= last:
        if pos[k] != tok.i:
            return True
        k += 1
    return False


# the context of the document extract_events is working on: lets the helpers that get
# only tokens (tokens_cross_line) use its indexes
ACTIVE_CTX: ContextVar["Ctx | None"] = ContextVar("kgbuild_events_ctx", default=None)


def doc_sentences(doc: "Doc") -> list[tuple[int, int]]:
    if len(doc) == 0:
        return []
    try:
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            return [(s.start, s.end) for s in doc.sents]
    except ValueError:
        pass
    return [(0, len(doc))]


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of the contents of direct quotations.


    Curly quotes pair as opening/closing; straight double quotes pair in
    order within a paragraph (an odd one out, an unclosed quote, is ignored).
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        base = para.start()
        p = para.group(0)
        opened: int | None = None
        for m in re.finditer(r'["\u201c\u201d\u201e\u00ab\u00bb]', p):
            ch = m.group(0)
            if ch in "\u201c\u201e\u00ab" or (ch == '"' and opened is None):
                if opened is None:
                    opened = m.end()
                continue
            if opened is not None:
                if m.start() > opened:
                    spans.append((base + opened, base + m.start()))
                opened = None
            elif ch == "\u201d":
                continue
    return spans


def build_ctx(doc: "Doc") -> Ctx:
    lex = load_lexicon()
    mentions: list[tuple[int, int, str, str]] = []
    entity_cls: dict[str, str] = {}
    entities: dict[str, Entity] = {}
    for ent in doc._.kg_entities or ():
        if not isinstance(ent, Entity):
            continue
        entity_cls[ent.key] = ent.cls
        entities[ent.key] = ent
        for m in ent.mentions:
            mentions.append((m.start, m.end, ent.key, ent.coarse))
    sent_index: dict[int, int] = {}
    sent_flags: dict[int, dict[str, set[int]]] = {}
    # every "<flag>_cues" list of event_cues.json is a sentence flag (ctx=<flag> in triggers.tsv)
    flag_of = lex.cue_flags()
    names = sorted({f for fs in flag_of.values() for f in fs})
    tokens = Tokens.of(doc)
    lemmas = tokens.lemma
    sents = doc_sentences(doc)
    for n, (a, b) in enumerate(sents):
        flags: dict[str, set[int]] = {f: set() for f in names}
        for i in range(a, b):
            sent_index[i] = n
            for f in flag_of.get(lemmas[i], ()):
                flags[f].add(i)
        sent_flags[n] = flags
    article = doc._.kg_article
    anchor = getattr(article, "date", None)
    text = doc_text(doc)
    return Ctx(
        doc,
        lex,
        mentions,
        entity_cls,
        sent_index,
        sent_flags,
        find_quotes(text),
        anchor,
        text,
        entities,
        memo={"sent_tokens": sents},
        tokens=tokens,
    )


@dataclass
class Trigger:
    head: "Token"  # the token whose parse gives the roles
    start: int  # token span of the trigger text
    end: int
    cls: str
    rule: Rule
    supports: list["Token"] = field(default_factory=list)  # light/support verbs
    subj_supports: list["Token"] = field(default_factory=list)  # support verbs whose subject is the event noun


def object_of(tok: "Token") -> list["Token"]:
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
    if not objs and tok.dep_ in ("acl", "amod") and tok.tag_ == "VBN":
        objs = [tok.head]
    if not objs and coarse_pos(tok) == "NOUN":
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "on", "against"):
                objs.extend(cc for cc in c.children if cc.dep_ == "pobj")
    return objs


def noun_kind(ctx: Ctx, tok: "Token") -> set[str]:
    """What kind of thing tok denotes: spaCy label, PLACE or PERSON (from the entity node or the noun)."""
    kinds: set[str] = set()
    if tok.ent_type_:
        kinds.add(tok.ent_type_)
    m = ctx.mention_at(tok)
    if m:
        coarse = m[3]
        kinds.add({"ORGANIZATION": "ORG", "LOCATION": "LOC"}.get(coarse, coarse))
        cls = ctx.entity_cls.get(m[2], "")
        if cls in ("Facility", "PopulatedPlace", "AdministrativeArea", "Place", "State", "Location"):
            kinds.add("PLACE")
        if cls in ("Person", "PeopleGroup"):
            kinds.add("PERSON")
    lem = lemma_of(tok)
    cues = ctx.lex.cues
    if lem in cues.get("place_nouns", ()) or lem in cues.get("venue_nouns", ()):
        kinds.add("PLACE")
    if (
        lem in cues.get("person_nouns", ())
        or lem in cues.get("party_nouns", ())
        or (tok.pos_ == "PRON" and tok.lower_ in ("him", "her", "them", "us", "me", "himself", "herself", "themselves"))
    ):
        kinds.add("PERSON")
    if kinds & PLACE_LABELS:
        kinds.add("PLACE")
    return kinds


def adjacent_quote(ctx: Ctx, tok: "Token") -> tuple[int, int] | None:
    """A quotation right before or after the verb, in its sentence (for '"...," he said')."""
    sent = ctx.sent_of(tok)
    if ctx.in_quote(tok.idx):
        return None
    best = None
    end = tok.idx + len(tok.text)
    for a, b in ctx.quotes_near(tok.idx - 60, end + 60):
        if b <= sent.start_char - 1 or a >= sent.end_char:
            continue
        gap = tok.idx - b if b <= tok.idx else a - end
        if gap < 0 or gap > 60:
            continue
        if best is None or gap < best[0]:
            best = (gap, (a, b))
    return best[1] if best else None


def tokens_cross_line(doc: "Doc", a: "Token", b: "Token") -> bool:
    """Whether a line break separates two tokens (a headline parsed into the next sentence)."""
    ctx = ACTIVE_CTX.get()
    if ctx is not None and ctx.doc is doc:
        return ctx.crosses_line(a.i, b.i)
    lo, hi = sorted((a.i, b.i))
    return any("\n" in doc[i].text_with_ws for i in range(lo, hi))
