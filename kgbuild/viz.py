"""The offline HTML viewer: an RDF graph in, one self-contained HTML page out.

Why it is built this way (see issue 7):

- pyvis builds the network data (nodes, edges, vis-network options), but its
  own HTML writers are never used: `write_html` in `local` mode copies a lib/
  folder into the working directory and every mode links Bootstrap or a CDN.
  We fill our own template (kgbuild/viz_assets/) and inline vis-network's
  JS/CSS read from the installed pyvis package, so the page is one file that
  makes no request when it opens.
- Every piece of article text (names, sentences, quotes, titles) travels as
  JSON inside `<script type="application/json">`, with `<`, `>`, `&` and
  U+2028/2029 escaped, and the page only ever writes it with textContent.
  A Content-Security-Policy allows nothing but the page's own two scripts
  (by hash) and data: images, as a second wall should anything slip through.
- Evidence (sentences, highlight offsets relative to the sentence, article
  title and date, codes) is computed here, so the page does no text work.
- Positions are computed here (networkx spring layout per connected
  component, a sampled force layout for big components); physics is off past
  PHYSICS_MAX_NODES, so 5,000 nodes open in a couple of seconds.
- Output is deterministic: nodes and edges sorted by IRI, fixed seeds,
  rounded positions, sorted JSON keys, no timestamps.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, NamedTuple

import networkx as nx
import numpy as np

from .rdf.namespaces import GAF, KGB_URI, NIF, SCHEMA, SEM

# --- tunables ----------------------------------------------------------------

PHYSICS_MAX_NODES = 300  # above this, physics is off and positions are final
SPRING_MAX_NODES = 400  # components up to this size use networkx's spring layout
MAX_EVIDENCE = 5  # evidence sentences kept per node or edge
LABEL_MAX = 40  # characters of a node label drawn on the canvas
EDGE_LENGTH = 110.0  # ideal edge length in pixels
SEED = 7

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_SUBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"
RDF_PREDICATE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"
RDF_OBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object"
RDF_STATEMENT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
SKOS_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
DCT_TITLE = "http://purl.org/dc/terms/title"
GAF_DENOTED_BY = str(GAF.denotedBy)
NIF_ANCHOR, NIF_BEGIN, NIF_END = str(NIF.anchorOf), str(NIF.beginIndex), str(NIF.endIndex)
NIF_CONTEXT, NIF_STRING, NIF_SENTENCE = str(NIF.referenceContext), str(NIF.isString), str(NIF.Sentence)
NIF_CONTEXT_CLASS = str(NIF.Context)
SCHEMA_ARTICLE, SCHEMA_HEADLINE = str(SCHEMA.NewsArticle), str(SCHEMA.headline)
SCHEMA_PUBLISHED, SCHEMA_ID = str(SCHEMA.datePublished), str(SCHEMA.identifier)
SEM_EVENT, SEM_EVENT_TYPE = str(SEM.Event), str(SEM.eventType)


def _k(name: str) -> str:
    """IRI of a kgb: term (as text, so unknown terms in foreign graphs are fine)."""
    return KGB_URI + name


# --- visual vocabulary ---------------------------------------------------------


class Style(NamedTuple):
    label: str
    shape: str
    color: str


# Most specific class wins (see _entity_style); orgs share a shape, differ in colour.
ENTITY_STYLES: dict[str, Style] = {
    "Person": Style("Person", "dot", "#e8833a"),
    "Organisation": Style("Organisation", "square", "#4e79a7"),
    "ArmedGroup": Style("Armed group", "square", "#a0292f"),
    "MilitaryForce": Style("Military force", "square", "#5b4a8a"),
    "Coalition": Style("Coalition", "square", "#8e6bbf"),
    "GovernmentBody": Style("Government body", "square", "#2f6db5"),
    "MediaOrganisation": Style("Media", "square", "#2aa1b3"),
    "NGO": Style("NGO", "square", "#3f9b4b"),
    "InternationalOrganisation": Style("International org.", "square", "#7a8b2c"),
    "State": Style("State", "hexagon", "#d4a017"),
    "Region": Style("Region", "triangle", "#6aa84f"),
    "PopulatedPlace": Style("Populated place", "triangle", "#38761d"),
    "Place": Style("Place", "triangle", "#93c47d"),
    "Facility": Style("Facility", "triangleDown", "#8d6e63"),
    "PeopleGroup": Style("People group", "star", "#e377c2"),
    "Artifact": Style("Artifact", "dot", "#b5a642"),
    "Date": Style("Date", "dot", "#9e9e9e"),
    "Quantity": Style("Quantity", "dot", "#c7c7c7"),
    "Actor": Style("Other actor", "dot", "#7f7f7f"),
    "Entity": Style("Other entity", "dot", "#aaaaaa"),
}
OTHER_ENTITY = ENTITY_STYLES["Entity"]

EVENT_STYLES: dict[str, Style] = {
    "Attack": Style("Event: attack", "diamond", "#d62728"),
    "Offensive/Battle": Style("Event: offensive/battle", "diamond", "#ff7f0e"),
    "Killing/Death": Style("Event: killing/death", "diamond", "#3b3b3b"),
    "Evacuation/Transport": Style("Event: evacuation/transport", "diamond", "#17becf"),
    "Agreement/Deal": Style("Event: agreement/deal", "diamond", "#2ca02c"),
    "Negotiation": Style("Event: negotiation", "diamond", "#1f77b4"),
    "Statement/Criticism": Style("Event: statement/criticism", "diamond", "#9467bd"),
    "Protest": Style("Event: protest", "diamond", "#e377c2"),
    "Arrest": Style("Event: arrest", "diamond", "#bcbd22"),
    "Other": Style("Event: other", "diamond", "#8c8c8c"),
}

# Event roles (edges event -> role player) and direct actor-to-actor edges.
ROLE_COLORS = {
    "agent": "#4d4d4d", "target": "#c0392b", "place": "#2e8b57", "time": "#9e9e9e",
    "participant": "#777777", "instrument": "#a0522d", "speaker": "#5b5ea6",
    "addressee": "#8a8fd1", "victim": "#8b0000", "origin": "#3a9d8f", "destination": "#3a9d8f",
    "passenger": "#6b8e23", "signatory": "#2ca02c", "topic": "#b07aa1",
}
DIRECT_COLORS = {
    "opposes": "#d62728", "struck": "#8b0000", "negotiatedWith": "#1f77b4",
    "supports": "#2ca02c", "leaderOf": "#9467bd", "spokespersonOf": "#17becf",
    "locatedIn": "#7f7f7f", "memberOf": "#8c564b",
}
OTHER_EDGE_COLOR = "#999999"


# --- public API ---------------------------------------------------------------


def render_graph(graph, *, title: str) -> str:
    """The viewer page for an rdflib graph (or dataset: all its triples)."""
    return _render(_Triples.from_rdflib(graph), title)


def render_path(path: str | Path, *, title: str) -> str:
    """The viewer page for a graph file (.ttl .nq ...), build output dir or store.

    Read through pyoxigraph (kgbuild.store.open_store): it parses N-Quads and
    Turtle alike, opens on-disk stores, and is much faster than rdflib.
    """
    from .store import open_store

    return _render(_Triples.from_store(open_store(path)), title)


def _render(triples: "_Triples", title: str) -> str:
    model = _Model(triples)
    return _page(_data(model, title), title)


# --- the triples, indexed once ------------------------------------------------


class Lit(NamedTuple):
    """A literal: its lexical form and language tag."""

    value: str
    lang: str | None = None


class _Triples:
    """All triples indexed by predicate then subject (a set of objects each).

    One pass over the graph, then constant-time look-ups; IRIs and blank
    nodes are plain str, literals Lit.  Values are sorted on read so that
    nothing depends on the graph's iteration (hash) order.
    """

    def __init__(self) -> None:
        self.by_pred: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))

    def add(self, s: str, p: str, o) -> None:
        self.by_pred[p][s].add(o)

    @classmethod
    def from_rdflib(cls, graph) -> "_Triples":
        """A Graph's triples, or all named graphs of a Dataset/ConjunctiveGraph."""
        from rdflib import ConjunctiveGraph, Literal

        if isinstance(graph, ConjunctiveGraph):
            triples = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
        else:
            triples = graph.triples((None, None, None))
        t = cls()
        for s, p, o in triples:
            t.add(str(s), str(p), Lit(str(o), o.language) if isinstance(o, Literal) else str(o))
        return t

    @classmethod
    def from_store(cls, store) -> "_Triples":
        import pyoxigraph as ox

        t = cls()
        for q in store.quads_for_pattern(None, None, None, None):
            o = q.object
            value = Lit(o.value, o.language) if isinstance(o, ox.Literal) else o.value
            t.add(q.subject.value, q.predicate.value, value)
        return t

    def values(self, s: str, p: str) -> list:
        found = self.by_pred.get(p, {}).get(s)
        if not found:
            return []
        return list(found) if len(found) == 1 else sorted(found, key=_sort_key)

    def first(self, s: str, p: str):
        vals = self.values(s, p)
        return vals[0] if vals else None

    def text(self, s: str, p: str) -> str | None:
        v = self.first(s, p)
        return v.value if isinstance(v, Lit) else v

    def subjects(self, p: str) -> Iterable[str]:
        return self.by_pred.get(p, {}).keys()

    def pairs(self, p: str) -> Iterable[tuple[str, set]]:
        return self.by_pred.get(p, {}).items()


def _sort_key(v) -> tuple:
    return (1, v.value, v.lang or "") if isinstance(v, Lit) else (0, v, "")


# --- the model: what the page shows -------------------------------------------


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


class _Model:
    """Entities, events, role edges, direct edges and their evidence."""

    def __init__(self, t: _Triples) -> None:
        self.t = t
        self.types: dict[str, set[str]] = {s: set(os) for s, os in t.pairs(RDF_TYPE)}
        self.docs = _Docs(t)
        self.spans = _Spans(t, self.docs)
        self.sentences: dict[str, int] = {}  # sentence text -> index in the shared table
        self._mention_cache: dict[str, list[SpanInfo]] = {}
        self._players_cache: dict[str, dict[str, list[str]]] = {}
        # Canonical events (the cross-report coreference layer) summarise the
        # document events drawn here; drawing both would show each event twice.
        canonical = {s for s, kinds in self.types.items() if _k("CanonicalEvent") in kinds}
        event_iris = sorted(s for s in self.types if s not in canonical and self._is_event(s))
        self.events = set(event_iris)
        entity_iris = sorted(s for s in self.types
                             if s not in self.events and s not in canonical and self._is_entity(s))
        self.entities = set(entity_iris)
        self.nodes: dict[str, NodeRec] = {}
        for iri in entity_iris:
            self.nodes[iri] = self._entity(iri)
        for iri in event_iris:
            self.nodes[iri] = self._event(iri)
        self.edges: list[EdgeRec] = self._role_edges(event_iris) + self._direct_edges()
        self.edges.sort(key=lambda e: (e.source, e.rel, e.target))

    # -- classification --------------------------------------------------------
    def _is_event(self, iri: str) -> bool:
        if self.t.first(iri, _k("coarseType")) is not None:
            return True
        kinds = self.types[iri]
        return bool({_k("Event"), SEM_EVENT} & kinds) or any(
            _local(c) in _event_classes() for c in kinds if c.startswith(KGB_URI))

    def _is_entity(self, iri: str) -> bool:
        return any(c.startswith(KGB_URI) for c in self.types[iri])

    def _kgb_types(self, iri: str) -> list[str]:
        return sorted(_local(c) for c in self.types.get(iri, ()) if c.startswith(KGB_URI))

    # -- nodes -----------------------------------------------------------------
    def _label(self, iri: str) -> str:
        labels = [v for v in self.t.values(iri, SKOS_PREF) or self.t.values(iri, RDFS_LABEL) if isinstance(v, Lit)]
        if not labels:
            return _local(iri)
        labels.sort(key=lambda v: (v.lang not in ("en", None), v.value))  # English first
        return labels[0].value

    def _entity(self, iri: str) -> NodeRec:
        kinds = self._kgb_types(iri)
        cls = max(kinds, key=lambda c: (_class_depth(c), c))
        style_cls = _entity_style_class(kinds)
        label = self._label(iri)
        info = {
            "k": "entity",
            "iri": iri,
            "label": label,
            "cls": cls,
            "conf": _max_conf(self.t.values(iri, _k("confidence"))),
            "alt": sorted({v.value for v in self.t.values(iri, SKOS_ALT) if isinstance(v, Lit)} - {label}),
            "ids": [v for v in self.t.values(iri, SKOS_MATCH) if isinstance(v, str)],
        }
        mentions = self._mentions(iri)
        info["ev"], info["more"] = self._mention_evidence(mentions)
        info["n"] = len(mentions)
        return NodeRec(iri, "entity", label, cls, "cls:" + style_cls, info)

    def _event(self, iri: str) -> NodeRec:
        named = [_local(c) for c in self.t.values(iri, SEM_EVENT_TYPE) if isinstance(c, str) and c.startswith(KGB_URI)]
        kinds = named or [c for c in self._kgb_types(iri) if c in _event_classes()] or self._kgb_types(iri) or ["Event"]
        cls = max(kinds, key=lambda c: (_class_depth(c), c))
        coarse = self.t.text(iri, _k("coarseType")) or _event_classes().get(cls, {}).get("coarse") or "Other"
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
            "conf": _max_conf(self.t.values(iri, _k("confidence"))),
            "date": date,
            "dateOf": dated_by,
        }
        for key, prop in (("cameo", "cameoCode"), ("acled", "acledEventType"), ("acledSub", "acledSubEventType"),
                          ("plover", "ploverCategory"), ("modality", "modality"), ("quote", "quote"),
                          ("extractor", "extractor"), ("precision", "datePrecision")):
            value = self.t.text(iri, _k(prop))
            if value:
                info[key] = value
        info["ev"] = self._event_evidence(iri, players=self._role_players(iri))
        return NodeRec(iri, "event", label, cls, "event:" + coarse, info)

    def _event_date(self, iri: str) -> tuple[str | None, str | None]:
        """The event's own date, else the date its article was published."""
        dates = sorted(v.value for v in self.t.values(iri, _k("date")) if isinstance(v, Lit))
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
            for role in _roles():
                for player in self.t.values(event, _k(role)):
                    if isinstance(player, str) and player in self.entities:
                        roles[player].add(role)
            self._players_cache[event] = {p: sorted(_most_specific(rs)) for p, rs in sorted(roles.items())}
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
        role_props = {_k(r) for r in _roles()}
        for p, by_subject in self.t.by_pred.items():
            if not p.startswith(KGB_URI) or p in role_props:
                continue
            for s, objects in by_subject.items():
                if s in self.entities:
                    for o in objects:
                        if isinstance(o, str) and o in self.entities:
                            pairs[(s, o)].add(_local(p))
        statements = self._statements()
        out = []
        for (s, o), rels in sorted(pairs.items()):
            for rel in sorted(_most_specific(rels)):
                stmts = statements.get((s, _k(rel), o), [])
                info = {"rel": rel, "conf": _max_conf([c for st in stmts for c in self.t.values(st, _k("confidence"))])}
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
        sentences = [self.spans.get(s) for s in self.t.values(event, _k("evidence")) if isinstance(s, str)]
        contexts = [self.spans.context(s) for s in sentences if s] or [self.spans.context(m) for m in triggers[:1]]
        items = []
        for ctx in sorted(set(contexts)):
            marks = [(m.begin, m.end, "trigger") for m in triggers if m.doc == ctx[0]]
            for player in players:
                marks += [(m.begin, m.end, "arg") for m in self._mentions(player) if m.doc == ctx[0]]
            item = self._item(ctx, marks)
            item["c"] = _max_conf(self.t.values(event, _k("confidence")))
            items.append(item)
        return items[:MAX_EVIDENCE]

    def _statement_evidence(self, stmts: list[str], subject: str, obj: str) -> tuple[list[dict], int]:
        items = []
        for st in stmts:
            cues = [self.spans.get(s) for s in self.t.values(st, GAF_DENOTED_BY) if isinstance(s, str)]
            cues = [c for c in cues if c]
            sentences = [self.spans.get(s) for s in self.t.values(st, _k("evidence")) if isinstance(s, str)]
            contexts = [self.spans.context(s) for s in sentences if s] or [self.spans.context(c) for c in cues[:1]]
            for ctx in contexts:
                marks = [(c.begin, c.end, "cue") for c in cues if c.doc == ctx[0] and (c.begin, c.end) != ctx[1:3]]
                for player in (subject, obj):
                    marks += [(m.begin, m.end, "arg") for m in self._mentions(player) if m.doc == ctx[0]]
                item = self._item(ctx, marks)
                item["c"] = _max_conf(self.t.values(st, _k("confidence")))
                items.append(item)
        return items[:MAX_EVIDENCE], max(0, len(items) - MAX_EVIDENCE)

    def _item(self, ctx: tuple[str, int, int, str], marks: list[tuple[int, int, str]]) -> dict:
        doc, begin, end, text = ctx
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

    def __init__(self, t: _Triples) -> None:
        self.t = t
        self.iris = sorted(s for s, kinds in ((s, t.values(s, RDF_TYPE)) for s in t.subjects(RDF_TYPE))
                           if SCHEMA_ARTICLE in kinds or NIF_CONTEXT_CLASS in kinds)
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
        return [{"id": self.t.text(iri, SCHEMA_ID) or iri,
                 "title": self.t.text(iri, SCHEMA_HEADLINE) or self.t.text(iri, DCT_TITLE) or "",
                 "date": self.date(iri) or ""} for iri in self.iris]


class _Spans:
    """NIF spans, and the sentence around any span."""

    CONTEXT_CHARS = 240  # how far to look for a sentence boundary without a NIF sentence

    def __init__(self, t: _Triples, docs: _Docs) -> None:
        self.t = t
        self.docs = docs
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
            return SpanInfo(doc, int(begin), int(end), self.t.text(iri, NIF_ANCHOR))
        except ValueError:
            return None

    def context(self, span: SpanInfo) -> tuple[str, int, int, str]:
        """(doc, begin, end, text) of the NIF sentence holding span, else a text window."""
        sents = self.sentences.get(span.doc, [])
        last = bisect.bisect_right(sents, (span.begin, math.inf, "")) - 1
        for i in range(last, max(-1, last - 3), -1):  # a few back, in case sentences overlap
            begin, end, iri = sents[i]
            if end >= span.end:
                sent = self.get(iri)
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
        left = max((m.end() for m in re.finditer(r"[.!?]\s|\n", text[lo:span.begin])), default=0) + lo
        right_m = re.search(r"[.!?](\s|$)|\n", text[span.end:hi])
        right = span.end + right_m.start() + 1 if right_m else hi
        return (span.doc, left, right, text[left:right])


# --- ontology look-ups ------------------------------------------------------------


@lru_cache(maxsize=1)
def _event_classes() -> dict[str, dict]:
    """Event class -> {parent, coarse, label, ...} from kgbuild/data/event_types.json."""
    try:
        data = json.loads(resources.files("kgbuild.data").joinpath("event_types.json").read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {"Event": {"parent": None, "coarse": "Other"}}
    return data.get("classes", data)


@lru_cache(maxsize=None)
def _class_depth(cls: str) -> int:
    """How deep a class sits (events: event_types.json; others: the ontology)."""
    events = _event_classes()
    if cls in events:
        depth, seen = 0, set()
        while cls in events and events[cls].get("parent") and cls not in seen:
            seen.add(cls)
            cls, depth = events[cls]["parent"], depth + 1
        return depth + 1
    try:
        from rdflib import URIRef

        from .rdf.ontology import class_ancestors

        return len(class_ancestors(URIRef(_k(cls))))
    except Exception:  # noqa: BLE001 - a missing/broken ontology only costs precision
        return 0


def _entity_style_class(kinds: list[str]) -> str:
    styled = [c for c in kinds if c in ENTITY_STYLES]
    return max(styled, key=lambda c: (_class_depth(c), c)) if styled else "Other"


@lru_cache(maxsize=1)
def _roles() -> tuple[str, ...]:
    """Role properties: those the ontology data declares, and the ones we colour."""
    try:
        from .rdf.namespaces import role_property_names

        declared = set(role_property_names())
    except Exception:  # noqa: BLE001 - an older or broken data file only costs new roles
        declared = set()
    return tuple(sorted(declared | set(ROLE_COLORS)))


@lru_cache(maxsize=None)
def _property_ancestors(name: str) -> tuple[str, ...]:
    """kgb: super-properties of kgb:name, nearest first where the ontology says so."""
    try:
        from rdflib import URIRef

        from .rdf.ontology import property_ancestors

        found = [_local(str(p)) for p in property_ancestors(URIRef(_k(name))) if str(p).startswith(KGB_URI)]
    except Exception:  # noqa: BLE001
        found = []
    return tuple(sorted(set(found) - {name}))


def _most_specific(props: set[str]) -> set[str]:
    """Drop properties implied by a finer one present too (kgb:speaker implies kgb:agent).

    The RDF writer asserts every super-property so plain stores answer generic
    queries; drawn, they would double every edge.
    """
    implied = {a for p in props for a in _property_ancestors(p)}
    return props - implied


def _edge_color(kind: str, rel: str) -> str:
    table = ROLE_COLORS if kind == "role" else DIRECT_COLORS
    for name in (rel, *_property_ancestors(rel)):
        if name in table:
            return table[name]
    return OTHER_EDGE_COLOR


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] or iri


def _max_conf(values: list) -> float | None:
    nums = []
    for v in values:
        try:
            nums.append(float(v.value if isinstance(v, Lit) else v))
        except (TypeError, ValueError):
            pass
    return round(max(nums), 3) if nums else None


# --- layout ----------------------------------------------------------------------


def layout(nodes: list[str], edges: list[tuple[str, str]], seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Positions in pixels: each connected component laid out alone, then packed.

    News graphs are mostly many small components (one per story) plus a few
    big ones joined by shared actors; laying them out separately is both
    faster and more readable than one global simulation.
    """
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((a, b) for a, b in edges if a != b)
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    boxes = [_component_layout(g, comp, seed) for comp in comps]
    return _pack(boxes)


def _component_layout(g: nx.Graph, comp: list[str], seed: int) -> dict[str, np.ndarray]:
    n = len(comp)
    if n == 1:
        return {comp[0]: np.zeros(2)}
    sub = nx.Graph()
    sub.add_nodes_from(comp)
    sub.add_edges_from(sorted(tuple(sorted(e)) for e in g.subgraph(comp).edges()))
    radius = EDGE_LENGTH * math.sqrt(n) * 0.6
    if n <= SPRING_MAX_NODES:
        pos = nx.spring_layout(sub, seed=seed, iterations=60 if n > 50 else 120)
        return {k: np.asarray(v) * radius for k, v in pos.items()}
    return _sampled_force_layout(sub, comp, seed)


def _sampled_force_layout(sub: nx.Graph, comp: list[str], seed: int, iterations: int = 50, sample: int = 128) -> dict[str, np.ndarray]:
    """Fruchterman-Reingold with repulsion estimated from a random sample of nodes.

    Exact repulsion is O(n^2) per step (and networkx's sparse solver needs
    scipy, which we do not ship); against a sample a step is one small matrix
    product, so 5,000 nodes take a fraction of a second.  Seeded, hence
    deterministic.
    """
    rng = np.random.default_rng(seed)
    n = len(comp)
    index = {v: i for i, v in enumerate(comp)}
    src = np.array([index[a] for a, b in sub.edges()], dtype=np.int64)
    dst = np.array([index[b] for a, b in sub.edges()], dtype=np.int64)
    k = EDGE_LENGTH
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * k * math.sqrt(n) * 0.6
    temp = k * math.sqrt(n) * 0.1
    strength = k * k * n / sample
    for _ in range(iterations):
        others = pos[rng.integers(0, n, sample)]
        # sum_j (p_i - o_j) / |p_i - o_j|^2, written as matrix products
        d2 = (pos ** 2).sum(1)[:, None] + (others ** 2).sum(1)[None, :] - 2.0 * pos @ others.T
        inv = 1.0 / np.maximum(d2, 1.0)
        disp = (pos * inv.sum(1)[:, None] - inv @ others) * strength
        diff = pos[src] - pos[dst]
        pull = diff * (np.sqrt((diff ** 2).sum(1)) / k)[:, None]
        for axis in (0, 1):  # bincount: the fast np.add.at
            disp[:, axis] += np.bincount(dst, pull[:, axis], n) - np.bincount(src, pull[:, axis], n)
        length = np.maximum(np.sqrt((disp ** 2).sum(1)), 1e-9)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp *= 0.93
    return {v: pos[i] for i, v in enumerate(comp)}


def _pack(boxes: list[dict[str, np.ndarray]]) -> dict[str, tuple[float, float]]:
    """Shelf-pack component layouts (largest first) into a roughly square area.

    Lone nodes get small cells: a wide grid of them would shrink the initial
    zoom until vis-network stops drawing labels.
    """
    sized = []
    for pos in boxes:
        pts = np.array(list(pos.values()))
        lo, hi = pts.min(0), pts.max(0)
        margin = EDGE_LENGTH * (0.5 if len(pos) == 1 else 0.8)
        sized.append((pos, lo, hi - lo + margin))
    total = sum(float(w * h) for _, _, (w, h) in sized)
    row_width = max(math.sqrt(total) * 1.3, max((float(s[2][0]) for s in sized), default=0.0))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for pos, lo, (w, h) in sized:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        for key, p in pos.items():
            out[key] = (float(p[0] - lo[0] + x), float(p[1] - lo[1] + y))
        x += float(w)
        row_h = max(row_h, float(h))
    if out:
        xs, ys = zip(*out.values())
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        out = {k: (round(px - cx, 1), round(py - cy, 1)) for k, (px, py) in out.items()}
    return out


# --- page data -----------------------------------------------------------------


def _data(model: _Model, title: str) -> dict:
    """Everything the page needs, as plain JSON-able values (ids n0.., e0..)."""
    iris = sorted(model.nodes)
    ids = {iri: f"n{i}" for i, iri in enumerate(iris)}
    pos_all = layout(iris, [(e.source, e.target) for e in model.edges])
    direct = [e for e in model.edges if e.kind == "direct"]
    actor_nodes = sorted({x for e in direct for x in (e.source, e.target)})
    pos_actors = layout(actor_nodes, [(e.source, e.target) for e in direct])
    big = len(iris) > PHYSICS_MAX_NODES
    net = _network(model, iris, ids, pos_all, big)

    node_info = {}
    for iri in iris:
        rec = model.nodes[iri]
        info = dict(rec.info, group=rec.group)
        if iri in pos_actors:
            info["a"] = list(pos_actors[iri])
        node_info[ids[iri]] = info
    edge_info = {f"e{i}": dict(e.info, kind=e.kind) for i, e in enumerate(model.edges)}
    return {
        "title": title,
        "big": big,
        "options": _vis_options(big),
        "nodes": net.nodes,
        "edges": net.edges,
        "info": {"nodes": node_info, "edges": edge_info},
        "legend": _legend(model),
        "relations": _relation_legend(model),
        "docs": model.docs.table(),
        "sentences": sorted(model.sentences, key=model.sentences.get),
    }


def _network(model: _Model, iris: list[str], ids: dict[str, str], pos: dict, big: bool):
    """The vis-network nodes and edges, built with pyvis."""
    net = _network_class()()
    degree: dict[str, int] = defaultdict(int)
    for e in model.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    for iri in iris:
        rec = model.nodes[iri]
        style = _group_style(rec.group)
        x, y = pos[iri]
        size = 16 if rec.kind == "event" else min(32, 11 + 4 * math.log2(1 + degree[iri]))
        net.add_node(ids[iri], label=_short(rec.label), shape=style.shape, color=style.color,
                     x=x, y=y, size=round(size, 1))
    pair_count: dict[frozenset, int] = defaultdict(int)
    for i, e in enumerate(model.edges):
        pair = frozenset((e.source, e.target))
        nth = pair_count[pair]
        pair_count[pair] += 1
        color = _edge_color(e.kind, e.rel)
        options = {"id": f"e{i}", "label": e.rel, "color": color, "width": 1 if e.kind == "role" else 2.5}
        if nth:  # parallel edges between one pair: bend them apart so both stay readable
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.2 * nth, 2)}
        net.add_edge(ids[e.source], ids[e.target], **options)
    return net


@lru_cache(maxsize=1)
def _network_class():
    """pyvis's Network, with a set for node look-ups (pyvis imports IPython: load it lazily)."""
    from pyvis.network import Network

    class FastNetwork(Network):
        """pyvis checks each add_edge endpoint against a list of node ids: quadratic,
        seconds at 5,000 nodes.  Answer that check from a set instead."""

        def __init__(self) -> None:
            # cdn_resources matters only for pyvis's own HTML, which we never write.
            super().__init__(directed=True, cdn_resources="in_line")
            self._id_set: set = set()

        def add_node(self, n_id, **options) -> None:
            super().add_node(n_id, **options)
            self._id_set.add(n_id)

        def get_nodes(self):
            return self._id_set

    return FastNetwork


def _group_style(group: str) -> Style:
    kind, _, name = group.partition(":")
    if kind == "event":
        return EVENT_STYLES.get(name, EVENT_STYLES["Other"])
    return ENTITY_STYLES.get(name, OTHER_ENTITY)


def _legend(model: _Model) -> list[dict]:
    """Legend rows (which double as class filters), entities first, with counts."""
    counts: dict[str, int] = defaultdict(int)
    for rec in model.nodes.values():
        counts[rec.group] += 1
    order = [f"cls:{c}" for c in ENTITY_STYLES] + ["cls:Other"] + [f"event:{c}" for c in EVENT_STYLES]
    return [{"key": g, "label": _group_style(g).label, "shape": _group_style(g).shape,
             "color": _group_style(g).color, "count": counts[g]} for g in order if counts.get(g)]


def _relation_legend(model: _Model) -> list[dict]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for e in model.edges:
        counts[(e.kind, e.rel)] += 1
    return [{"kind": kind, "key": rel, "count": n, "color": _edge_color(kind, rel)}
            for (kind, rel), n in sorted(counts.items())]


def _vis_options(big: bool) -> dict:
    """vis-network options; big graphs: no physics, straight edges, no edge drawing while moving."""
    options = {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": SEED},
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3,
                                             "strokeColor": "#ffffff"}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False,
                  "font": {"size": 11, "align": "middle", "color": "#444444", "strokeWidth": 3},
                  "color": {"inherit": False}, "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 300, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "keyboard": False, "multiselect": False},
    }
    if big:
        options["physics"] = {"enabled": False}
    else:
        options["physics"] = {"enabled": True, "solver": "barnesHut",
                              "barnesHut": {"gravitationalConstant": -2500, "springLength": EDGE_LENGTH * 0.8,
                                            "centralGravity": 0.3, "avoidOverlap": 0.2, "damping": 0.4},
                              "stabilization": {"enabled": True, "iterations": 150, "fit": True}}
    return options


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1].rstrip() + "…"


# --- the page ------------------------------------------------------------------

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def embed_json(data) -> str:
    """JSON safe inside a <script> element: no `</script>`, `<!--` or HTML entity can form."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def _asset(name: str) -> str:
    return resources.files("kgbuild").joinpath("viz_assets", name).read_text("utf-8")


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS, from the installed pyvis package (not copied into the repo)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text("utf-8"), (lib / "vis-network.css").read_text("utf-8")


def _inline_safe(text: str, tag: str) -> str:
    """Refuse code that would close its own element early (never true of our assets)."""
    if re.search(rf"</{tag}", text, re.IGNORECASE) or "<!--" in text:
        raise ValueError(f"asset cannot be inlined in <{tag}>")
    return text


def _script_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def _page(data: dict, title: str) -> str:
    vis_js, vis_css = _vis_assets()
    viewer_js = _inline_safe(_asset("viewer.js"), "script")
    scripts = [_inline_safe(vis_js, "script"), viewer_js]
    # Hashes make browsers ignore 'unsafe-inline' (kept for very old ones):
    # only these two scripts can run, not even an injected onerror= attribute.
    csp = ("default-src 'none'; script-src " + " ".join(_script_hash(s) for s in scripts) + " 'unsafe-inline'; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    values = {
        "CSP": html.escape(csp, quote=True),
        "TITLE": html.escape(title, quote=True),
        "VIS_CSS": _inline_safe(vis_css, "style"),
        "VIEWER_CSS": _inline_safe(_asset("viewer.css"), "style"),
        "DATA": embed_json(data),
        "VIS_JS": scripts[0],
        "VIEWER_JS": scripts[1],
    }
    # One pass, so text inserted for one marker is never scanned for another.
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], _asset("viewer.html"))
