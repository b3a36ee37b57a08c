"""The model: what the page shows (nodes, edges, evidence), read from the indexed triples."""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..rdf.namespaces import KGB_URI
from .ontology import (
    class_depth,
    entity_style_class,
    event_classes,
    local,
    max_conf,
    most_specific,
    role_names,
)
from .style import (
    DCT_TITLE,
    EVENT_STYLES,
    GAF_DENOTED_BY,
    MAX_EVIDENCE,
    NIF_ANCHOR,
    NIF_BEGIN,
    NIF_CONTEXT,
    NIF_CONTEXT_CLASS,
    NIF_END,
    NIF_SENTENCE,
    NIF_STRING,
    PROV_DERIVED,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_STATEMENT,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_LABEL,
    SCHEMA_ARTICLE,
    SCHEMA_HEADLINE,
    SCHEMA_ID,
    SCHEMA_PUBLISHED,
    SEM_EVENT,
    SEM_EVENT_TYPE,
    SKOS_ALT,
    SKOS_MATCH,
    SKOS_PREF,
    kgb_iri,
)
from .triples import Lit, Triples


@dataclass(frozen=True)
class SpanInfo:
    doc: str
    begin: int
    end: int
    anchor: str | None


@dataclass
class NodeRec:
    iri: str
    kind: str  # entity | event
    label: str
    cls: str  # most specific class (local name)
    group: str  # legend key
    info: dict


@dataclass
class EdgeRec:
    source: str
    target: str
    rel: str  # role or predicate local name
    kind: str  # role | direct
    info: dict


class Model:
    """Entities, events, role edges, direct edges and their evidence."""

    def __init__(self, t: Triples) -> None:
        self.t = t
        self.types: dict[str, set[str]] = {s: set(os) for s, os in t.pairs(RDF_TYPE)}
        self.docs = _Docs(t)
        self.skipped: dict[str, int] = defaultdict(int)  # what could not be drawn, by reason (see notes())
        self.spans = _Spans(t, self.docs, self.skipped)
        self.sentences: dict[str, int] = {}  # sentence text -> index in the shared table
        self._mention_cache: dict[str, list[SpanInfo]] = {}
        self._players_cache: dict[str, dict[str, list[str]]] = {}
        # Canonical events (the cross-report coreference layer) summarise the
        # document events drawn here; drawing both would show each event twice.
        canonical = {s for s, kinds in self.types.items() if kgb_iri("CanonicalEvent") in kinds}
        event_iris = sorted(s for s in self.types if s not in canonical and self._is_event(s))
        self.events = set(event_iris)
        entity_iris = sorted(
            s for s in self.types if s not in self.events and s not in canonical and self._is_entity(s)
        )
        self.entities = set(entity_iris)
        self.nodes: dict[str, NodeRec] = {}
        for iri in entity_iris:
            self.nodes[iri] = self._entity(iri)
        for iri in event_iris:
            self.nodes[iri] = self._event(iri)
        self.edges: list[EdgeRec] = self._role_edges(event_iris) + self._direct_edges()
        self.edges.sort(key=lambda e: (e.source, e.rel, e.target))
        if not self.nodes and self.types:
            # A graph from another tool: nothing typed with the kgbuild ontology to draw.
            self.skipped["typed resources outside the kgbuild ontology (no entity or event to draw)"] = len(self.types)

    def notes(self) -> list[str]:
        """What was left out, one line per reason ("3 mention offsets run past their article's text")."""
        return [f"{n} {reason}: skipped" for reason, n in sorted(self.skipped.items())]

    # -- classification --------------------------------------------------------
    def _is_event(self, iri: str) -> bool:
        if self.t.first(iri, kgb_iri("coarseType")) is not None:
            return True
        kinds = self.types[iri]
        return bool({kgb_iri("Event"), SEM_EVENT} & kinds) or any(
            local(c) in event_classes() for c in kinds if c.startswith(KGB_URI)
        )

    def _is_entity(self, iri: str) -> bool:
        return any(c.startswith(KGB_URI) for c in self.types[iri])

    def _kgb_types(self, iri: str) -> list[str]:
        return sorted(local(c) for c in self.types.get(iri, ()) if c.startswith(KGB_URI))

    # -- nodes -----------------------------------------------------------------
    def _label(self, iri: str) -> str:
        labels = [v for v in self.t.values(iri, SKOS_PREF) or self.t.values(iri, RDFS_LABEL) if isinstance(v, Lit)]
        if not labels:
            self.skipped["nodes without a label (named by their IRI instead)"] += 1
            return local(iri) or iri
        labels.sort(key=lambda v: (v.lang not in ("en", None), v.value))  # English first
        return labels[0].value

    def _entity(self, iri: str) -> NodeRec:
        kinds = self._kgb_types(iri)
        cls = max(kinds, key=lambda c: (class_depth(c), c))
        style_cls = entity_style_class(kinds)
        label = self._label(iri)
        info: dict[str, Any] = {
            "k": "entity",
            "iri": iri,
            "label": label,
            "cls": cls,
            "conf": max_conf(self.t.values(iri, kgb_iri("confidence"))),
            "alt": sorted({v.value for v in self.t.values(iri, SKOS_ALT) if isinstance(v, Lit)} - {label}),
            "ids": [v for v in self.t.values(iri, SKOS_MATCH) if isinstance(v, str)],
        }
        mentions = self._mentions(iri)
        info["ev"], info["more"] = self._mention_evidence(mentions)
        info["n"] = len(mentions)
        return NodeRec(iri, "entity", label, cls, "cls:" + style_cls, info)

    def _event(self, iri: str) -> NodeRec:
        named = [local(c) for c in self.t.values(iri, SEM_EVENT_TYPE) if isinstance(c, str) and c.startswith(KGB_URI)]
        kinds = named or [c for c in self._kgb_types(iri) if c in event_classes()] or self._kgb_types(iri) or ["Event"]
        cls = max(kinds, key=lambda c: (class_depth(c), c))
        coarse = self.t.text(iri, kgb_iri("coarseType")) or event_classes().get(cls, {}).get("coarse") or "Other"
        if coarse not in EVENT_STYLES:
            coarse = "Other"
        label = self._label(iri)
        date, dated_by = self._event_date(iri)
        info = {
            "k": "event",
            "iri": iri,
            "label": label,
            "cls": cls,
            "coarse": coarse,
            "conf": max_conf(self.t.values(iri, kgb_iri("confidence"))),
            "date": date,
            "dateOf": dated_by,
        }
        for key, prop in (
            ("cameo", "cameoCode"),
            ("acled", "acledEventType"),
            ("acledSub", "acledSubEventType"),
            ("plover", "ploverCategory"),
            ("modality", "modality"),
            ("quote", "quote"),
            ("extractor", "extractor"),
            ("precision", "datePrecision"),
        ):
            value = self.t.text(iri, kgb_iri(prop))
            if value:
                info[key] = value
        info["ev"] = self._event_evidence(iri, players=self._role_players(iri))
        return NodeRec(iri, "event", label, cls, "event:" + coarse, info)

    def _event_date(self, iri: str) -> tuple[str | None, str | None]:
        """The event's own date, else the date its article was published."""
        dates = sorted(v.value for v in self.t.values(iri, kgb_iri("date")) if isinstance(v, Lit))
        if dates:
            return dates[0], "event"
        for doc in self.t.values(iri, PROV_DERIVED):
            published = self.docs.date(doc)
            if published:
                return published, "article"
        return None, None

    # -- edges -----------------------------------------------------------------
    def _role_players(self, event: str) -> dict[str, list[str]]:
        """entity -> its most specific roles in the event (kgb:speaker, not also kgb:agent)."""
        if event not in self._players_cache:
            roles: dict[str, set[str]] = defaultdict(set)
            for role in role_names():
                for player in self.t.values(event, kgb_iri(role)):
                    if isinstance(player, str) and player in self.entities:
                        roles[player].add(role)
            self._players_cache[event] = {p: sorted(most_specific(rs)) for p, rs in sorted(roles.items())}
        return self._players_cache[event]

    def _role_edges(self, events: list[str]) -> list[EdgeRec]:
        out = []
        for ev in events:
            for player, roles in self._role_players(ev).items():
                for role in roles:
                    info = {"rel": role, "ev": self._event_evidence(ev, players={player: [role]})}
                    out.append(EdgeRec(ev, player, role, "role", info))
        return out

    def _direct_edges(self) -> list[EdgeRec]:
        """kgb: properties between two entity nodes, with their rdf:Statement evidence."""
        pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
        role_props = {kgb_iri(r) for r in role_names()}
        for p, by_subject in self.t.by_pred.items():
            if not p.startswith(KGB_URI) or p in role_props:
                continue
            for s, objects in by_subject.items():
                if s in self.entities:
                    for o in objects:
                        if isinstance(o, str) and o in self.entities:
                            pairs[(s, o)].add(local(p))
        statements = self._statements()
        out = []
        for (s, o), rels in sorted(pairs.items()):
            for rel in sorted(most_specific(rels)):
                stmts = statements.get((s, kgb_iri(rel), o), [])
                info: dict[str, Any] = {
                    "rel": rel,
                    "conf": max_conf([c for st in stmts for c in self.t.values(st, kgb_iri("confidence"))]),
                }
                info["ev"], info["more"] = self._statement_evidence(stmts, s, o)
                out.append(EdgeRec(s, o, rel, "direct", info))
        return out

    def _statements(self) -> dict[tuple[str, str, str], list[str]]:
        out: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for st in sorted(s for s, kinds in self.types.items() if RDF_STATEMENT in kinds):
            s, p, o = (self.t.first(st, x) for x in (RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT))
            if isinstance(s, str) and isinstance(p, str) and isinstance(o, str):
                out[(s, p, o)].append(st)
        return out

    # -- evidence --------------------------------------------------------------
    def mentions(self, iri: str) -> list[SpanInfo]:
        """The node's text spans (gaf:denotedBy), in text order; the first is an event's trigger."""
        return self._mentions(iri)

    def _mentions(self, iri: str) -> list[SpanInfo]:
        if iri not in self._mention_cache:
            found = (self.spans.get(s) for s in self.t.values(iri, GAF_DENOTED_BY) if isinstance(s, str))
            self._mention_cache[iri] = sorted((m for m in found if m), key=lambda m: (m.doc, m.begin, m.end))
        return self._mention_cache[iri]

    def _mention_evidence(self, mentions: list[SpanInfo]) -> tuple[list[dict], int]:
        """One item per sentence holding mentions (all of them highlighted)."""
        groups: dict[tuple, list[SpanInfo]] = {}
        for m in mentions:
            groups.setdefault(self.spans.context(m), []).append(m)
        items = [self._item(ctx, [(m.begin, m.end, "mention") for m in ms]) for ctx, ms in groups.items()]
        return items[:MAX_EVIDENCE], max(0, len(items) - MAX_EVIDENCE)

    def _event_evidence(self, event: str, players: dict[str, list[str]]) -> list[dict]:
        """The event's sentence(s), the trigger and the role players' mentions highlighted."""
        triggers = self._mentions(event)
        sentences = [self.spans.get(s) for s in self.t.values(event, kgb_iri("evidence")) if isinstance(s, str)]
        contexts = [self.spans.context(s) for s in sentences if s] or [self.spans.context(m) for m in triggers[:1]]
        items = []
        for ctx in sorted(set(contexts)):
            marks = [(m.begin, m.end, "trigger") for m in triggers if m.doc == ctx[0]]
            for player in players:
                marks += [(m.begin, m.end, "arg") for m in self._mentions(player) if m.doc == ctx[0]]
            item = self._item(ctx, marks)
            item["c"] = max_conf(self.t.values(event, kgb_iri("confidence")))
            items.append(item)
        return items[:MAX_EVIDENCE]

    def _statement_evidence(self, stmts: list[str], subject: str, obj: str) -> tuple[list[dict], int]:
        items = []
        for st in stmts:
            found = [self.spans.get(s) for s in self.t.values(st, GAF_DENOTED_BY) if isinstance(s, str)]
            cues = [c for c in found if c]
            sentences = [self.spans.get(s) for s in self.t.values(st, kgb_iri("evidence")) if isinstance(s, str)]
            contexts = [self.spans.context(s) for s in sentences if s] or [self.spans.context(c) for c in cues[:1]]
            for ctx in contexts:
                marks = [(c.begin, c.end, "cue") for c in cues if c.doc == ctx[0] and (c.begin, c.end) != ctx[1:3]]
                for player in (subject, obj):
                    marks += [(m.begin, m.end, "arg") for m in self._mentions(player) if m.doc == ctx[0]]
                item = self._item(ctx, marks)
                item["c"] = max_conf(self.t.values(st, kgb_iri("confidence")))
                items.append(item)
        return items[:MAX_EVIDENCE], max(0, len(items) - MAX_EVIDENCE)

    def _item(self, ctx: tuple[str, int, int, str], marks: list[tuple[int, int, str]]) -> dict:
        doc, begin, end, text = ctx
        # An edited graph may give a sentence more characters than its text holds: marks stay inside the text.
        end = min(end, begin + len(text))
        index = self.sentences.setdefault(text, len(self.sentences))
        rel = _utf16_marks(text, _relative_marks(marks, begin, end, text))
        return {"d": self.docs.index(doc), "s": index, "b": begin, "m": rel}


def _relative_marks(marks: list[tuple[int, int, str]], begin: int, end: int, text: str) -> list[list]:
    """Marks clipped to the sentence [begin, end), relative to begin, sorted, never overlapping.

    The page cuts the sentence at these offsets, so marks cannot nest.
    Mentions, triggers and arguments win (the earlier, then longer, one on a
    clash); a relation's cue words only fill the gaps between them, so a cue
    spanning "A criticised B" still shows A and B as the players.
    """
    clipped = {(max(b, begin) - begin, min(e, end) - begin, k) for b, e, k in marks if min(e, end) > max(b, begin)}
    players = _non_overlapping(m for m in clipped if m[2] != "cue")
    pieces = [piece for m in clipped if m[2] == "cue" for piece in _gaps(m, players, text)]
    return [list(m) for m in _non_overlapping(players + pieces)]


def _non_overlapping(marks) -> list[tuple[int, int, str]]:
    out, last = [], 0
    for b, e, k in sorted(marks, key=lambda m: (m[0], -m[1], m[2])):
        if b >= last:
            out.append((b, e, k))
            last = e
    return out


def _gaps(mark: tuple[int, int, str], taken: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """The parts of mark not covered by taken marks, without edge whitespace."""
    pieces, at = [], mark[0]
    for b, e, _ in taken:
        if e <= at or b >= mark[1]:
            continue
        pieces.append((at, b))
        at = max(at, e)
    pieces.append((at, mark[1]))
    out = []
    for b, e in pieces:
        while b < e and text[b].isspace():
            b += 1
        while e > b and text[e - 1].isspace():
            e -= 1
        if e > b:
            out.append((b, e, mark[2]))
    return out


def _utf16_marks(text: str, marks: list[list]) -> list[list]:
    """Code-point offsets -> UTF-16 offsets, the unit of JavaScript's String.slice.

    Without this, every character outside the BMP (emoji, some CJK) before a
    mention would shift its highlight by one.
    """
    if not marks or all(ord(c) <= 0xFFFF for c in text):
        return marks

    def conv(i: int) -> int:
        return i + sum(1 for c in text[:i] if ord(c) > 0xFFFF)

    return [[conv(b), conv(e), k] for b, e, k in marks]


class _Docs:
    """Articles: index in the page's table, title, date, text."""

    def __init__(self, t: Triples) -> None:
        self.t = t
        self.iris = sorted(
            s
            for s, kinds in ((s, t.values(s, RDF_TYPE)) for s in t.subjects(RDF_TYPE))
            if SCHEMA_ARTICLE in kinds or NIF_CONTEXT_CLASS in kinds
        )
        self._index = {iri: i for i, iri in enumerate(self.iris)}
        self._text: dict[str, str | None] = {}

    def index(self, iri: str) -> int:
        if iri not in self._index:  # a span whose article is not in the graph
            self._index[iri] = len(self.iris)
            self.iris.append(iri)
        return self._index[iri]

    def date(self, iri: str) -> str | None:
        return self.t.text(iri, SCHEMA_PUBLISHED)

    def text(self, iri: str) -> str | None:
        if iri not in self._text:
            self._text[iri] = self.t.text(iri, NIF_STRING)
        return self._text[iri]

    def table(self) -> list[dict]:
        return [
            {
                "id": self.t.text(iri, SCHEMA_ID) or iri,
                "title": self.t.text(iri, SCHEMA_HEADLINE) or self.t.text(iri, DCT_TITLE) or "",
                "date": self.date(iri) or "",
            }
            for iri in self.iris
        ]


class _Spans:
    """NIF spans, and the sentence around any span."""

    CONTEXT_CHARS = 240  # how far to look for a sentence boundary without a NIF sentence

    def __init__(self, t: Triples, docs: _Docs, skipped: dict[str, int]) -> None:
        self.t = t
        self.docs = docs
        self.skipped = skipped
        self._cache: dict[str, SpanInfo | None] = {}
        by_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for s, kinds in t.pairs(RDF_TYPE):
            if NIF_SENTENCE in kinds:
                span = self.get(s)
                if span:
                    by_doc[span.doc].append((span.begin, span.end, s))
        self.sentences = {doc: sorted(v) for doc, v in by_doc.items()}

    def get(self, iri: str) -> SpanInfo | None:
        if iri not in self._cache:
            self._cache[iri] = self._read(iri)
        return self._cache[iri]

    def _read(self, iri: str) -> SpanInfo | None:
        doc = self.t.first(iri, NIF_CONTEXT)
        begin, end = self.t.text(iri, NIF_BEGIN), self.t.text(iri, NIF_END)
        if not isinstance(doc, str) or begin is None or end is None:
            return None
        try:
            b, e = int(begin), int(end)
        except ValueError:
            self.skipped["text spans with offsets that are not numbers"] += 1
            return None
        text = self.docs.text(doc)
        if b < 0 or e < b:
            self.skipped["text spans that end before they begin"] += 1
            return None
        if text is not None and e > len(text):
            # Offsets are the one thing that ties the graph to the article: past its end they point nowhere.
            self.skipped["text spans whose offsets run past their article's text"] += 1
            return None
        return SpanInfo(doc, b, e, self.t.text(iri, NIF_ANCHOR))

    def context(self, span: SpanInfo) -> tuple[str, int, int, str]:
        """(doc, begin, end, text) of the NIF sentence holding span, else a text window."""
        sents = self.sentences.get(span.doc, [])
        last = bisect.bisect_right(sents, (span.begin, math.inf, "")) - 1
        for i in range(last, max(-1, last - 3), -1):  # a few back, in case sentences overlap
            begin, end, iri = sents[i]
            if end >= span.end:
                sent = self.get(iri)
                assert sent is not None  # self.sentences holds only spans get() read
                text = sent.anchor if sent.anchor is not None else self._slice(span.doc, begin, end)
                if text is not None:
                    return (span.doc, begin, end, text)
        return self._window(span)

    def _slice(self, doc: str, begin: int, end: int) -> str | None:
        text = self.docs.text(doc)
        return text[begin:end] if text is not None and end <= len(text) else None

    def _window(self, span: SpanInfo) -> tuple[str, int, int, str]:
        text = self.docs.text(span.doc)
        if text is None or span.end > len(text):
            anchor = span.anchor if span.anchor is not None else ""
            return (span.doc, span.begin, span.begin + len(anchor), anchor)
        lo = max(0, span.begin - self.CONTEXT_CHARS)
        hi = min(len(text), span.end + self.CONTEXT_CHARS)
        left = max((m.end() for m in re.finditer(r"[.!?]\s|\n", text[lo : span.begin])), default=0) + lo
        right_m = re.search(r"[.!?](\s|$)|\n", text[span.end : hi])
        right = span.end + right_m.start() + 1 if right_m else hi
        return (span.doc, left, right, text[left:right])
