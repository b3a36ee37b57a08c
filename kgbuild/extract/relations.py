"""kgbuild_relations: direct actor-to-actor edges, each with its evidence.

Reads doc._.kg_entities and doc._.kg_events and appends Relation records to
doc._.kg_relations (which may already hold title relations such as
spokespersonOf and leaderOf from the entity component; those are kept).

Edges and where they come from:
- Event edges follow the rules of each event class in data/event_roles.json
  ("edges", inherited down the class hierarchy): attacks give struck and
  opposes (agent -> target), offensives, killings, abductions, blockades,
  sanctions and protests opposes; criticism, rejection, threats and demands
  opposes (speaker -> target, whatever the content's modality: the statement
  was made); meetings, talks and agreements negotiatedWith among their parties
  (symmetric: one edge per pair in canonical order, subject key < object key);
  aid and supply supports (agent -> recipient).  A rule that needs the event
  to have happened takes asserted and reported events (a source is
  attribution, not a reason to drop the edge), never negated, conditional or
  future ones.  A side is an argument's node, the group or state its people
  or forces belong to ("IS fighters", "Russia's forces", "jihadists of the
  JNIM group"), or the agent of an event the argument names ("rejected
  Washington's demand"); a statement whose content is another event takes
  that event's targets ("threatened to attack Seoul").  Coordinated agents
  are two sides only when nothing else fills a role ("A and B clashed").
- supports (subject -> object), read off the parse: support verbs ("is backing X", "aided X",
  "armed X"), aid nouns ("sent aid to X", "X's backing of Y"), cooperation verbs
  ("X cooperated with Y"); "X and its allies" is not used (no named ally), "Y, an ally of X"
  and "X-backed Y" are.
- locatedIn (place -> place): "X in Y", "the town of X" modified by a
  country adjective ("the eastern Syrian town of Albu Kamal"), "X, Y"
  appositions of places ("Strasbourg, eastern France").
Evidence is the sentence; confidence is the event's confidence (a little
lower for pattern-only edges).  Output order is deterministic (by evidence
offset, predicate, subject, object) and duplicates (same triple, same
sentence) are dropped.
"""

from __future__ import annotations

import bisect

from typing import TYPE_CHECKING

from spacy.language import Language

from ..records import Entity, Event, Relation
from .doc import register_extensions
from ._events.context import Tokens
from ._events.schema import edge_rules, entity_kinds, symmetric
from .events import lemma_of, coarse_pos, doc_sentences, with_conj, load_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

EXTRACTOR = "kgbuild_relations"

# Which nodes are actors, places, groups: their class's place in the ontology hierarchy
# (schema.entity_kinds); the coarse type decides only for a class the ontology does not declare.
ACTOR_COARSE = {"PERSON", "ORGANIZATION", "GPE"}
PLACE_COARSE = {"GPE", "LOCATION"}


class _Index:
    """Entities by key and by character position."""

    def __init__(self, entities: list[Entity]):
        self.by_key = {e.key: e for e in entities}
        self.mentions = sorted((m.start, m.end, e.key) for e in entities for m in e.mentions)
        # Only mentions starting in [start - longest, end) can overlap a span:
        # bisect to them instead of scanning every mention per lookup.
        self.starts = [a for a, _, _ in self.mentions]
        self.longest = max((b - a for a, b, _ in self.mentions), default=0)

    def at(self, start: int, end: int) -> str | None:
        """The smallest mention overlapping [start, end) (the first such, in start order)."""
        best = None
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        for a, b, key in self.mentions[lo:hi]:
            if start < b and (best is None or (b - a) < (best[1] - best[0])):
                best = (a, b, key)
        return best[2] if best else None

    def is_actor(self, key: str | None) -> bool:
        e = self.by_key.get(key or "")
        if e is None:
            return False
        kinds = entity_kinds(e.cls)
        return "Actor" in kinds if kinds else e.coarse in ACTOR_COARSE

    def is_place(self, key: str | None) -> bool:
        e = self.by_key.get(key or "")
        if e is None:
            return False
        kinds = entity_kinds(e.cls)
        return "Place" in kinds if kinds else e.coarse in PLACE_COARSE


def _sentence_chars(doc: "Doc", sents: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences (`sents`: their token spans, if already at hand)."""
    return [
        (doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b in (doc_sentences(doc) if sents is None else sents)
    ]


def _sentence_span(sents: list[tuple[int, int]], n: int) -> tuple[int, int]:
    if 0 <= n < len(sents):
        return sents[n]
    return (sents[0][0], sents[-1][1]) if sents else (0, 0)


HAPPENED = ("asserted", "reported")  # a reported event keeps its source as attribution, and its edge
STATED = ("asserted", "reported", "future")  # a threat or demand made, a meeting planned: not negated or conditional


def _event_edges(doc: "Doc", idx: _Index, events: list[Event]) -> list[Relation]:
    """The actor edges of the events, by the rules of their event class in event_roles.json."""
    out: list[Relation] = []
    sents = _sentence_chars(doc)
    sym = symmetric()
    by_sentence: dict[int, list[Event]] = {}
    for ev in events:
        by_sentence.setdefault(ev.sentence, []).append(ev)

    def add(s: str | None, p: str, o: str | None, ev: Event, conf: float) -> None:
        if not s or not o or s == o:
            return
        if p in sym and o < s:
            s, o = o, s  # one edge per pair, in canonical order
        a, b = _sentence_span(sents, ev.sentence)
        out.append(Relation(s, p, o, a, b, ev.sentence, EXTRACTOR, round(conf, 3)))

    for ev in events:
        rules = edge_rules(ev.cls)
        if not rules:
            continue
        fillers = _role_fillers(doc, idx, ev, by_sentence.get(ev.sentence, ()))
        for rule in rules:
            if ev.modality not in (HAPPENED if rule.happened else STATED):
                continue
            conf = ev.confidence * (1.0 if ev.modality == "asserted" else 0.9)
            if rule.sole and any(
                idx.is_actor(k) for r in ("target", "other") if r != rule.subject for k, _, _ in fillers.get(r, ())
            ):
                continue  # "the US and its allies struck IS": coordinated agents are one side
            if rule.own_clause and not _in_own_clause(doc, ev, rule.subject):
                continue  # agents inherited from another clause are not the two sides of this one
            subjects = [f for f in fillers.get(rule.subject, ()) if idx.is_actor(f[0])]
            objects = [f for f in fillers.get(rule.object, ()) if not rule.object_actor or idx.is_actor(f[0])]
            if not rule.object_actor:
                objects = [f for f in objects if f[1] == 1.0]  # struck: what the event hit itself
            for s, fs, ns in subjects:
                for o, fo, no in objects:
                    if ns == no or (rule.subject == rule.object and rule.predicate not in sym and s > o):
                        continue  # never a group and its own members ("IS fighters")
                    add(s, rule.predicate, o, ev, conf * min(fs, fo))
                    if rule.subject == rule.object and rule.predicate not in sym:
                        add(o, rule.predicate, s, ev, conf * min(fs, fo))
    return out


def _role_fillers(doc: "Doc", idx: _Index, ev: Event, neighbours) -> dict[str, list[tuple[str, float, int]]]:
    """role -> (entity key, weight, argument number) of an event: each argument's node (1.0); the group or state its
    people or forces belong to ("IS fighters", "Russia's forces", "jihadists of the JNIM group": 0.9);
    for an argument that names another event ("rejected Washington's demand", "condemned Israel's
    raid"), that event's agents as targets (0.9); for a statement whose content is another event of
    the sentence ("threatened to strike Israel"), that event's targets as its targets (0.9).  Fine
    roles count as their role (a speaker is an agent).  `neighbours`: the events of the sentence."""
    out: dict[str, list[tuple[str, float, int]]] = {}
    for n, a in enumerate(ev.arguments):
        got = out.setdefault(a.role, [])
        if a.entity:
            got.append((a.entity, 1.0, n))
        got.extend((g, 0.9, n) for g in _affiliations(doc, idx, a.start, a.end, a.entity))
        if a.role in ("target", "other") and not (a.entity and idx.is_actor(a.entity)):
            for other in neighbours:
                if other is not ev and a.start <= other.trigger.start and other.trigger.end <= a.end:
                    out.setdefault("target", []).extend(
                        (x.entity, 0.9, n) for x in other.arguments if x.role == "agent" and x.entity
                    )
    if not any(idx.is_actor(k) for k, _, _ in out.get("target", ())) and len(neighbours) > 1:
        head = _trigger_head(doc, ev)
        for other in neighbours:
            oh = _trigger_head(doc, other) if other is not ev else None
            if oh is not None and head is not None and oh.head.i == head.i and oh.dep_ in ("xcomp", "ccomp"):
                out.setdefault("target", []).extend(
                    (x.entity, 0.9, -1) for x in other.arguments if x.role == "target" and x.entity
                )
    return out


def _in_own_clause(doc: "Doc", ev: Event, role: str) -> bool:
    """Whether all `role` arguments of ev lie in its trigger's own subtree ("A and B clashed")."""
    head = _trigger_head(doc, ev)
    if head is None:
        return False
    a, b = head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)
    return all(a <= x.start and x.end <= b for x in ev.arguments if x.role == role)


def _trigger_head(doc: "Doc", ev: Event) -> "Token | None":
    span = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _is_group(cls: str) -> bool:
    """An organisation or a state: what people and forces belong to."""
    return bool(entity_kinds(cls) & {"Organisation", "State"})


def _affiliations(doc: "Doc", idx: _Index, start: int, end: int, own: str | None, depth: int = 0) -> list[str]:
    """Organisations named in the modifiers of a people argument ("IS fighters", "Hamas's gunmen")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    own_cls = idx.by_key.get(own or "")
    if own_cls is not None and _is_group(own_cls.cls) and own_cls.cls != "MilitaryForce" and depth == 0:
        return []  # a named group is its own side ("the Syrian army": the forces of Syria, only via a possessor)
    head = span.root
    cues = load_lexicon().cues
    # "opponents of X", "X's allies": X is the other side, not the group they belong to
    relational = lemma_of(head) in cues.get("opposition_nouns", ()) or lemma_of(head) in cues.get("support_nouns", ())
    out = []
    for c in head.children:
        if c.dep_ in ("compound", "amod", "nmod") or (
            c.dep_ in ("poss", "prep") and not relational and (c.dep_ == "poss" or c.lower_ == "of")
        ):
            toks = [c] if c.dep_ != "prep" else [o for o in c.children if o.dep_ == "pobj"]
            for t in toks:
                key = _tok_entity(idx, t)
                ent = idx.by_key.get(key or "")
                if (
                    ent is not None
                    and key is not None
                    and key != own
                    and (_is_group(ent.cls) or (c.dep_ == "prep" and depth < 1 and idx.is_actor(key)))
                ):
                    out.append(key)
                if c.dep_ == "prep" and depth < 1 and t.i != head.i:
                    # "a convoy of African Union troops", "jihadists of the JNIM group": one level down
                    out.extend(_affiliations(doc, idx, t.idx, t.idx + len(t.text), key, depth + 1))
    return out


def _tok_entity(idx: _Index, tok: "Token") -> str | None:
    return idx.at(tok.idx, tok.idx + len(tok.text))


def _negated(tok: "Token") -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


_BACKING = ("back", "sponsor", "support", "arm", "fund")  # "X-backed Y"


def _pattern_edges(doc: "Doc", idx: _Index) -> list[Relation]:
    """Edges read straight off the parse: supports, opposition nouns, locatedIn."""
    lex = load_lexicon()
    support_verbs = lex.cues.get("support_verbs", frozenset())
    support_nouns = lex.cues.get("support_nouns", frozenset())
    opp_nouns = lex.cues.get("opposition_nouns", frozenset())
    aid_nouns = lex.cues.get("aid_nouns", frozenset())
    coop_verbs = lex.cues.get("cooperation_verbs", frozenset())
    sents = doc_sentences(doc)
    sent_of = {i: n for n, (a, b) in enumerate(sents) for i in range(a, b)}
    sent_chars = _sentence_chars(doc, sents)
    out: list[Relation] = []

    def add(s: str | None, p: str, o: str | None, tok: "Token", conf: float) -> None:
        if not s or not o or s == o:
            return
        n = sent_of.get(tok.i, 0)
        a, b = _sentence_span(sent_chars, n)
        out.append(Relation(s, p, o, a, b, n, EXTRACTOR, conf))

    table = Tokens.of(doc)
    for i, (lem, pos) in enumerate(zip(table.lemma, table.pos)):
        if pos != "VERB" and pos != "NOUN" and lem not in _BACKING:
            continue  # every pattern below needs a verb, a noun or a "backed" participle
        tok = doc[i]
        # X backs / aids / arms Y
        if coarse_pos(tok) == "VERB" and lem in support_verbs and not _negated(tok) and tok.dep_ not in ("amod",):
            subj = [t for c in tok.children if c.dep_ == "nsubj" for t in with_conj(c)]
            if not subj and tok.dep_ == "conj":
                subj = [t for c in tok.head.children if c.dep_ == "nsubj" for t in with_conj(c)]
            objs = [t for c in tok.children if c.dep_ == "dobj" for t in with_conj(c)]
            for s in subj:
                for o in objs:
                    se, oe = _tok_entity(idx, s), _tok_entity(idx, o)
                    if idx.is_actor(se) and idx.is_actor(oe):
                        add(se, "supports", oe, tok, 0.75)
        # "X sent aid to Y", "X's backing of Y", "X pledged support for Y"
        if pos == "NOUN" and lem in aid_nouns:
            for giver, taker in _aid_sides(tok):
                se, oe = _tok_entity(idx, giver), _tok_entity(idx, taker)
                if idx.is_actor(se) and idx.is_actor(oe):
                    add(se, "supports", oe, tok, 0.7)
        # "X cooperated with Y", "X sided with Y"
        if pos == "VERB" and lem in coop_verbs and not _negated(tok):
            subj = [t for c in tok.children if c.dep_ == "nsubj" for t in with_conj(c)]
            partners = [
                t
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "with"
                for o in c.children
                if o.dep_ == "pobj"
                for t in with_conj(o)
            ]
            for s_ in subj:
                for o in partners:
                    se, oe = _tok_entity(idx, s_), _tok_entity(idx, o)
                    if idx.is_actor(se) and idx.is_actor(oe):
                        add(se, "supports", oe, tok, 0.7)
        # "X-backed Y"
        if lem in _BACKING and tok.dep_ == "amod" and tok.tag_ == "VBN":
            backer = [c for c in tok.children if c.dep_ in ("npadvmod", "compound", "nmod")]
            for b in backer:
                add(_tok_entity(idx, b), "supports", _tok_entity(idx, tok.head), tok, 0.75)
        # "Y, an ally of X" / "allies of X" / "opponents of X"
        if coarse_pos(tok) == "NOUN" and (lem in support_nouns or lem in opp_nouns):
            pred = "supports" if lem in support_nouns else "opposes"
            objs = [
                t
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for o in c.children
                if o.dep_ == "pobj"
                for t in with_conj(o)
            ]
            holders: list["Token"] = []
            if tok.dep_ == "appos":
                holders.append(tok.head)
            if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "ROOT"):
                holders.append(tok)
            for h in holders:
                he = _tok_entity(idx, h)
                for o in objs:
                    oe = _tok_entity(idx, o)
                    if idx.is_actor(he) and idx.is_actor(oe):
                        add(he, pred, oe, tok, 0.7)
        # locatedIn: "X in Y", "X, Y"
        if coarse_pos(tok) == "NOUN":
            te = _tok_entity(idx, tok)
            if te and idx.is_place(te):
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ in ("in", "inside", "within"):
                        for o in c.children:
                            if o.dep_ == "pobj":
                                oe = _tok_entity(idx, o)
                                if oe and idx.is_place(oe):
                                    add(te, "locatedIn", oe, tok, 0.7)
                    if c.dep_ == "appos":
                        ce = _tok_entity(idx, c)
                        if ce and idx.is_place(ce) and _is_larger(idx, ce, te):
                            add(te, "locatedIn", ce, tok, 0.6)
            # "the (eastern) Syrian town of Albu Kamal": the named place is in the country the adjective names
            if lem in lex.cues.get("place_nouns", frozenset()):
                named = [
                    o
                    for c in tok.children
                    if c.dep_ == "prep" and c.lower_ == "of"
                    for o in c.children
                    if o.dep_ == "pobj"
                ]
                countries = [c for c in tok.children if c.dep_ in ("amod", "compound") and _tok_entity(idx, c)]
                for n in named:
                    ne = _tok_entity(idx, n)
                    for c in countries:
                        ce = _tok_entity(idx, c)
                        if ne and ce and idx.is_place(ne) and _is_larger(idx, ce, ne):
                            add(ne, "locatedIn", ce, tok, 0.7)
    return out


def _aid_sides(noun: "Token") -> list[tuple["Token", "Token"]]:
    """(giver, recipient) token pairs of an aid noun: the giver is its possessor or the subject of the
    verb that governs it ("sent aid", "gave 50 million euros in aid"), the recipient the object of
    "to", "for" or (after a possessor) "of", on the noun or on that verb.  Not under a negated verb."""
    givers = [t for c in noun.children if c.dep_ == "poss" for t in with_conj(c)]
    verb = None
    if noun.dep_ in ("dobj", "nsubjpass"):
        verb = noun.head
    elif noun.dep_ == "pobj" and noun.head.lower_ in ("in", "of", "with"):
        # "gave 50 million euros in aid", "provided $500 million in assistance": the amount is the object
        amount = noun.head.head
        verb = (
            amount
            if amount.pos_ == "VERB"
            else (amount.head if amount.dep_ == "dobj" and amount.head.pos_ == "VERB" else None)
        )
    if verb is not None and _negated(verb):
        return []
    if verb is not None and not givers:
        givers = [t for c in verb.children if c.dep_ == "nsubj" for t in with_conj(c)]
    preps = ("to", "for", "of") if any(c.dep_ == "poss" for c in noun.children) else ("to", "for")
    holders = [noun] + ([verb] if verb is not None else [])
    takers = [
        t
        for h in holders
        for c in h.children
        if c.dep_ in ("prep", "dative") and c.lower_ in preps
        for o in c.children
        if o.dep_ == "pobj"
        for t in with_conj(o)
    ]
    return [(g, t) for g in givers for t in takers]


def _is_larger(idx: _Index, outer: str, inner: str) -> bool:
    """Whether `outer` can contain `inner` (a state contains anything that is not a state)."""
    o, i = idx.by_key.get(outer), idx.by_key.get(inner)
    if o is None or i is None:
        return False
    if o.cls == "State":
        return i.cls != "State"
    if o.cls in ("AdministrativeArea", "Region", "Place", "Location"):
        return i.cls in ("PopulatedPlace", "Facility")
    if o.cls == "PopulatedPlace":
        return i.cls == "Facility"
    return False


def extract_relations(doc: "Doc") -> list[Relation]:
    """The kgbuild_relations edges of a Doc (without the entity component's own relations)."""
    if len(doc) == 0:
        return []
    entities = [e for e in (doc._.kg_entities or ()) if isinstance(e, Entity)]
    idx = _Index(entities)
    events = [e for e in (doc._.kg_events or ()) if isinstance(e, Event)]
    rels = _event_edges(doc, idx, events) + _pattern_edges(doc, idx)
    seen: set[tuple[str, str, str, int]] = set()
    out: list[Relation] = []
    for r in sorted(rels, key=lambda r: (r.start, r.predicate, r.subject, r.object, -r.confidence)):
        key = (r.subject, r.predicate, r.object, r.sentence)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


class RelationExtractor:
    """The spaCy component: appends to doc._.kg_relations."""

    def __init__(self) -> None:
        register_extensions()

    def __call__(self, doc: "Doc") -> "Doc":
        existing = list(doc._.kg_relations or ())
        have = {(r.subject, r.predicate, r.object, r.sentence) for r in existing}
        new = [r for r in extract_relations(doc) if (r.subject, r.predicate, r.object, r.sentence) not in have]
        doc._.kg_relations = existing + new
        return doc


@Language.factory(EXTRACTOR)
def make_relation_extractor(nlp: Language, name: str) -> RelationExtractor:
    return RelationExtractor()
