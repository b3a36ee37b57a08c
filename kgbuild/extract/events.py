"""kgbuild_events: typed events with roles, codes, time, modality and quotes.

The spaCy component reads the dependency parse and the entity nodes left by
kgbuild_entities (doc._.kg_entities) and sets doc._.kg_events, a list of
kgbuild.records.Event ordered by trigger offset.

How it works, in the order of `extract_events`:

1. Triggers.  Words from the trigger lexicon (data/triggers.tsv) matched on
   spaCy lemmas and coarse part of speech: multiword nouns first ("air
   strike", "suicide bombing"), then phrasal verbs ("blow up", "shoot dead"),
   then single verbs, nouns and adjectives, each with optional constraints
   (object lemma or type, preposition, conflict context).
2. Light and support verbs ("launched airstrikes", "carry out more strikes",
   "a deal struck between ...", "the strikes targeted a bridge"): the event
   noun gives the type and stays the trigger (so there is one event, keyed by
   the noun's span); the verb contributes its subject, objects, prepositional
   phrases and modality.  A verb used as a light verb never triggers its own
   event ("struck" in "struck a deal" is not an attack).
3. Roles from the dependency parse of the trigger and its support verbs:
   agent (nsubj; the by-phrase of passives), target (dobj; the passive
   subject; "on/against X" for attacks; "of X" for nominal killings), place
   (in/at/near + a place), time (DATE entities), instrument ("with X";
   weapons and aircraft in subject position), other participants ("between
   A and B", "with X" for talks and deals).  Coordinated arguments ("a road
   and a bridge") give one argument each.  Relative clauses, participles
   ("fighters evacuated from Lebanon"), controlled infinitives ("agreed to
   evacuate") and conjoined verbs inherit the missing subject.
4. Argument spans map to entity nodes: the mention of kg_entities that
   contains the argument's head word (so "he" after a quote becomes the
   speaker the entity component linked it to).
5. Modality: negated ("did not", "no strikes", "without", "failed to"),
   conditional ("if ...", would/could/may), future (will, "plan to", purpose
   infinitives), reported (inside a direct quotation, or the clausal
   complement of a reporting verb).  A reporting verb's own statement event
   is asserted.
6. Statements carry the adjacent quotation (Event.quote).
7. Time: the event's own DATE argument normalised by kgbuild.extract.timex
   against the publication date.  An event without its own time expression
   gets no date: copying the dateline would date background events (a 2014
   campaign mentioned in a 2017 article) wrongly, and the article node
   already carries the publication date.
8. Codes (CAMEO, ACLED, PLOVER) from data/event_types.json, inherited from
   the nearest ancestor class when a class has none of its own.

The steps live in kgbuild/extract/_events/: lexicon.py (data files),
context.py (parse helpers, per-document indexes), triggers.py (steps 1-2),
roles.py (3-4; kinds.py: what kind of thing a filler is), modality.py (5), quotes.py (6).  This module keeps the
component, the class refinement, dates, confidence and the assembly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from spacy.language import Language

from ..records import Argument, Event, Span
from .doc import register_extensions
from ._events.context import (  # noqa: F401  (re-exported: kgbuild_relations uses the parse helpers)
    ACTIVE_CTX,
    build_ctx,
    Ctx,
    lemma_of,
    coarse_pos,
    doc_sentences,
    subtree_has,
    Trigger,
    with_conj,
    find_quotes,
)
from ._events.lexicon import DATA, EventType, Lexicon, Rule, load_lexicon  # noqa: F401  (re-exported)
from ._events.casualties import casualties, propagate
from ._events.discourse import discourse_arguments, mechanisms, speakerless_quotes
from ._events.modality import is_hearsay, modality_of
from ._events.quotes import PLAIN_REPORTING, named_speaker, quote_for
from ._events.roles import role_arguments
from ._events.specificity import specificity, time_text
from ._events.triggers import find_triggers
from .timex import normalise

if TYPE_CHECKING:
    from spacy.tokens import Doc

EXTRACTOR = "kgbuild_events"


def _refine_class(ctx: Ctx, trig: Trigger, args: list[Argument]) -> str:
    """Attacks by aircraft are airstrikes, by drones drone strikes; harsh descriptions are criticism."""
    lex = ctx.lex
    cls = trig.cls
    doc = ctx.doc
    if cls in ("Attack", "Bombing", "Explosion", "Shooting"):
        # the words of the trigger's and support verbs' dependents (up to 11 words after them)
        # and of the agent and instrument arguments
        heads = [trig.head, *trig.supports, *trig.subj_supports]
        words: set[str] = set()
        for a in args:
            if a.role in ("agent", "instrument"):
                words.update(w.lower() for w in re.findall(r"[A-Za-z-]+", a.text))
                words.update(lemma_of(t) for t in doc.char_span(a.start, a.end, alignment_mode="expand") or ())
        if words & lex.cues.get("drones", frozenset()) or any(subtree_has(ctx, t, "drones") for t in heads):
            return "DroneStrike"
        if cls in ("Attack", "Bombing") and (
            words & lex.cues.get("aircraft", frozenset()) or any(subtree_has(ctx, t, "aircraft") for t in heads)
        ):
            return "Airstrike"
    if lex.is_a(cls, "Killing") and _offence_name(ctx, trig.head):
        return "Crime"
    if cls in ("Statement", "Report") and coarse_pos(trig.head) == "VERB":
        neg = lex.cues.get("negative_evaluations", frozenset())
        # "described the deal as unacceptable", "called it a disgrace": the predicate after the object
        holders = [trig.head] + [c for c in trig.head.children if c.dep_ == "dobj"]
        for h in holders:
            for c in h.children:
                if c.dep_ in ("prep", "oprd", "advcl", "xcomp", "acomp") and (c.lower_ == "as" or c.dep_ != "prep"):
                    if any(lemma_of(x) in neg for x in c.subtree):
                        return "Criticism"
    return cls


def _offence_name(ctx: Ctx, head) -> bool:
    """A killing noun that names the offence of a charge or verdict, not a killing reported here:
    "charged with murder", "convicted of manslaughter", "charges of premeditated murder"."""
    if coarse_pos(head) != "NOUN" or head.dep_ != "pobj" or head.head.lower_ not in ("of", "with", "for"):
        return False
    return lemma_of(head.head.head) in ctx.lex.cues.get("offence_heads", ())


def _event_date(ctx: Ctx, args: list[Argument]) -> tuple[str | None, str | None]:
    for a in args:
        if a.role == "time":
            t = normalise(time_text(ctx, a), ctx.anchor)
            if t and t.value:  # a time frame ("since 2014") is an interval, no date of the event's own
                return t.value, t.precision
    return None, None


def _confidence(trig: Trigger) -> float:
    if trig.rule.has("light_only") or trig.rule.has("ctx"):
        return 0.7
    if trig.supports or trig.subj_supports or len(trig.rule.words) > 1:
        return 0.9
    return 0.8


def extract_events(doc: "Doc", discourse: dict[str, bool] | None = None) -> list[Event]:
    """All events of a parsed Doc, ordered by trigger offset (never raises on odd input)."""
    if len(doc) == 0:
        return []
    ctx = build_ctx(doc)
    token = ACTIVE_CTX.set(ctx)  # the token-only helpers (tokens_cross_line) use ctx's indexes
    try:
        return _extract_events(ctx, discourse)
    finally:
        ACTIVE_CTX.reset(token)


def _extract_events(ctx: Ctx, discourse: dict[str, bool] | None) -> list[Event]:
    doc = ctx.doc
    triggers = find_triggers(ctx)
    events: list[Event] = []
    for trig in triggers:
        if ctx.lex.is_a(trig.cls, "Statement") and is_hearsay(ctx, trig.head):
            continue
        args = role_arguments(ctx, trig)
        cls = _refine_class(ctx, trig, args)
        etype = ctx.lex.types.get(cls) or ctx.lex.types["Event"]
        a, b = doc[trig.start].idx, doc[trig.end - 1].idx + len(doc[trig.end - 1].text)
        date, precision = _event_date(ctx, args)
        modality = modality_of(ctx, trig)
        quote = quote_for(ctx, trig) if ctx.lex.is_a(cls, "Statement") and coarse_pos(trig.head) == "VERB" else None
        if cls in PLAIN_REPORTING and not quote and not named_speaker(ctx, args):
            continue  # an anonymous attribution ("officials said ..."): its content events are marked reported
        events.append(
            Event(
                trigger=Span(a, b, ctx.text[a:b]),
                cls=etype.name,
                coarse=etype.coarse,
                sentence=ctx.sent_index.get(trig.head.i, 0),
                arguments=tuple(args),
                cameo=etype.cameo,
                acled=etype.acled,
                plover=etype.plover,
                date=date,
                date_precision=precision,
                modality=modality,
                quote=quote,
                specificity=specificity(ctx, trig, args),
                extractor=EXTRACTOR,
                confidence=_confidence(trig),
                casualties=casualties(ctx.lex, etype.name, args, modality, ctx),
            )
        )
    events.sort(key=lambda e: (e.trigger.start, e.trigger.end, e.cls))
    # step 7 (_events/discourse.py): arguments across sentences, quotations without their own speaker
    events = discourse_arguments(ctx, events, discourse)
    events.extend(speakerless_quotes(ctx, events))
    events = propagate(ctx, events)  # an attack's casualties are those of the killing it caused
    events.sort(key=lambda e: (e.trigger.start, e.trigger.end, e.cls))
    repeated = _repeated_sentences(ctx)
    return [e for e in events if e.sentence not in repeated] if repeated else events


REPEAT_MIN_CHARS = 30  # shorter lines ("Reuters", "Share this") repeat by design and report no event


def _repeated_sentences(ctx: Ctx) -> set[int]:
    """Sentences that repeat an earlier one word for word, such as a scraped page's title line
    followed by the same headline: their events were reported once already."""
    seen, out = set(), set()
    for n, (start, end) in enumerate(ctx.sentence_chars()):
        if end - start < REPEAT_MIN_CHARS:
            continue
        key = " ".join(ctx.text[start:end].split())
        if key in seen:
            out.add(n)
        seen.add(key)
    return out


class EventExtractor:
    """The spaCy component: sets doc._.kg_events."""

    def __init__(self, discourse: Iterable[str] = ()) -> None:
        register_extensions()
        load_lexicon()
        names = tuple(discourse)
        self.discourse = mechanisms(names) if names else None  # None: the defaults

    def __call__(self, doc: "Doc") -> "Doc":
        doc._.kg_events = extract_events(doc, self.discourse)
        return doc


@Language.factory(EXTRACTOR, default_config={"discourse": []})
def make_event_extractor(nlp: Language, name: str, discourse: list[str]) -> EventExtractor:
    return EventExtractor(discourse)
