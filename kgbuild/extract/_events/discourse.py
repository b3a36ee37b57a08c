"""Step 7 of kgbuild_events: arguments from the discourse, and quotations without their own speaker.

The parse gives an event only what its own sentence says.  News prose spreads an
episode over several sentences, and three general mechanisms carry participants
across sentence boundaries (each inferred argument is marked `inferred=True`, with
a lower confidence, and is added only where the event has no argument of that role
of its own):

1. Referring event nouns.  A definite event noun ("the attack", "this strike",
   "those talks") refers back to an event reported just before (same class or
   same coarse type, at most REFER_WINDOW sentences back): it shares that event's
   participants (agent, target, instrument, place).
2. The episode's place.  An event that names no place, in a sentence that names no
   place at all, happens where the event just before it happened (the nearest
   earlier event with a place, at most PLACE_WINDOW sentences back, with no
   heading in between).  A sentence naming another place is a change of scene and
   breaks the chain.
3. The discourse topic.  An event verb with no subject of its own at all (a
   subjectless clause, "Then crossed the border ...", or a gerund or
   infinitive hanging on a non-verbal head) takes the subject of the previous
   sentence's main clause when that subject is an actor: the topic continues as a
   pronoun would.

The three mechanisms are OFF by default (MECHANISMS below): on the annotated dev corpora
each lowered WikiEvents argument F1 (those corpora annotate arguments in the trigger's own
sentence) and raised RAMS argument recall by at most 0.003.  Event coreference
(kgbuild/eventcoref.py) already joins a bare "the attack" to its antecedent in the graph.

Time is deliberately not carried: a date is a strong claim about when, and the
events of an episode are often reported out of order ("... after talks on
Monday"); events keep only their own time expressions.

Quotations (speakerless_quotes): a sentence that is only a direct quotation, with
no verb outside the quotation marks, continues the quote of the adjacent sentence
(previous first, then next) in the same paragraph, or, for a paragraph that is a
quotation from beginning to end, of the last sentence of the paragraph before: it
becomes a statement event of that speaker carrying its words.  A quotation with
no attributed neighbour stays unattributed.
"""

from __future__ import annotations

from collections.abc import Iterable
from bisect import bisect_left
from dataclasses import replace
from typing import TYPE_CHECKING

from ...errors import UsageError
from ...records import Argument, Event, Span
from .context import QUOTE_CHARS, Ctx, lemma_of, noun_kind, coarse_pos

if TYPE_CHECKING:
    from spacy.tokens import Token

EXTRACTOR = "kgbuild_events"

REFER_WINDOW = 3  # sentences back a referring event noun looks for its antecedent
PLACE_WINDOW = 2  # sentences back the episode's place is carried
INFERRED_CONFIDENCE = {"refer": 0.7, "place": 0.6, "topic": 0.5, "quote": 0.7}
REFERRING_DETS = {"the", "this", "that", "these", "those"}
ACTOR_COARSE = {"PERSON", "ORGANIZATION", "GPE"}
PLACE_COARSE = {"GPE", "LOCATION"}
# Which mechanisms run.  All three are off by default: measured on the annotated dev corpora
# (WikiEvents argument F1, RAMS argument recall) each one lowered F1 more than it raised recall,
# because those corpora annotate an argument only in the trigger's own sentence or only for one
# event of a window.  They stay available (tests and measurements switch them on one by one).
MECHANISMS = {"refer": False, "place": False, "topic": False}
# Users who want them (e.g. to see an episode's place on every event) name them in the run's
# configuration (kgbuild.extract.Settings.discourse; the CLI reads KGBUILD_DISCOURSE=place,refer).


def mechanisms(names: Iterable[str]) -> dict[str, bool]:
    """Which mechanisms run when `names` are switched on; UsageError for an unknown name."""
    chosen = {n.strip() for n in names if n.strip()}
    unknown = chosen - MECHANISMS.keys()
    if unknown:
        raise UsageError(
            f"unknown discourse mechanism(s) {', '.join(sorted(unknown))}; choose among {', '.join(MECHANISMS)}"
        )
    return {k: k in chosen for k in MECHANISMS}


def _line_of(ctx: Ctx, char: int) -> int:
    breaks = ctx.memo.get("line_breaks")
    if breaks is None:
        breaks = ctx.memo["line_breaks"] = [i for i, ch in enumerate(ctx.text) if ch == "\n"]
    return bisect_left(breaks, char)


def _head(ctx: Ctx, ev: Event) -> "Token | None":
    span = ctx.doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _sentence_mentions(ctx: Ctx, n: int) -> list[tuple[int, int, str, str]]:
    a, b = ctx.sentence_chars()[n]
    return [m for m in ctx.mentions if a <= m[0] < b]


def _heading_between(ctx: Ctx, first: int, last: int) -> bool:
    """Whether a short verbless line (a heading, a list item) or the title lies between sentences
    first and last (inclusive of the sentences in between only)."""
    spans = ctx.sentence_chars()
    doc = ctx.doc
    for n in range(first + 1, last):
        a, b = spans[n]
        sp = doc.char_span(a, b, alignment_mode="expand")
        if sp is not None and not any(t.pos_ in ("VERB", "AUX") for t in sp):
            return True
    return False


def _inferred(arg: Argument, how: str, role: str | None = None, fine: str | None = None) -> Argument:
    return replace(
        arg,
        role=role or arg.role,
        fine_role=fine if fine is not None else arg.fine_role,
        inferred=True,
        confidence=min(arg.confidence, INFERRED_CONFIDENCE[how]),
    )


def _roles(ev: Event) -> set[str]:
    return {a.role for a in ev.arguments}


# --------------------------------------------------------------------------- 1. referring event nouns


def _is_referring(tok: "Token") -> bool:
    """A definite event noun without participants of its own ("the attack", "this strike")."""
    if coarse_pos(tok) != "NOUN" or tok.pos_ == "PROPN":
        return False
    return any(c.dep_ == "det" and c.lower_ in REFERRING_DETS for c in tok.children)


def _antecedent(ctx: Ctx, events: list[Event], k: int) -> Event | None:
    ev = events[k]
    for j in range(k - 1, -1, -1):
        prev = events[j]
        if ev.sentence - prev.sentence > REFER_WINDOW:
            break
        if prev.trigger.end > ev.trigger.start:
            continue
        if prev.coarse != ev.coarse:
            continue
        same = prev.cls == ev.cls or _lemma_of(ctx, prev) == _lemma_of(ctx, ev)
        if same:
            return prev if any(not a.inferred for a in prev.arguments) else None
    return None


def _lemma_of(ctx: Ctx, ev: Event) -> str:
    head = _head(ctx, ev)
    return lemma_of(head) if head is not None else ev.trigger.text.lower()


def _refer(ctx: Ctx, events: list[Event], k: int) -> list[Argument]:
    ev = events[k]
    head = _head(ctx, ev)
    if head is None or not _is_referring(head):
        return []
    ante = _antecedent(ctx, events, k)
    if ante is None:
        return []
    have = _roles(ev)
    own = {(a.start, a.end) for a in ev.arguments}
    out = []
    for a in ante.arguments:
        if a.role in ("agent", "target", "instrument", "place") and a.role not in have and (a.start, a.end) not in own:
            if a.start < ev.trigger.end and ev.trigger.start < a.end:
                continue
            out.append(_inferred(a, "refer"))
    return out


# --------------------------------------------------------------------------- 2. the episode's place


def _place(ctx: Ctx, events: list[Event], k: int) -> list[Argument]:
    ev = events[k]
    if "place" in _roles(ev) or ctx.lex.is_a(ev.cls, "Statement"):
        return []
    if any(
        m[3] in PLACE_COARSE
        or ctx.entity_cls.get(m[2]) in ("Facility", "PopulatedPlace", "AdministrativeArea", "Place")
        for m in _sentence_mentions(ctx, ev.sentence)
    ):
        return []  # the sentence names a place: a change of scene (or the parse chose not to locate it there)
    a, b = ctx.sentence_tokens()[ev.sentence]
    if any(coarse_pos(t) == "NOUN" and "PLACE" in noun_kind(ctx, t) for t in ctx.doc[a:b]):
        return []  # "the area", "the base": a place of its own, even unnamed
    for j in range(k - 1, -1, -1):
        prev = events[j]
        if prev.sentence == ev.sentence:
            continue
        if ev.sentence - prev.sentence > PLACE_WINDOW or _heading_between(ctx, prev.sentence, ev.sentence):
            return []
        places = [a for a in prev.arguments if a.role == "place" and not a.inferred]
        if places:
            return [_inferred(places[0], "place")]
    return []


# --------------------------------------------------------------------------- 3. the discourse topic


def _has_subject(tok: "Token") -> bool:
    from .roles import subjects_of

    act, pas, agents = subjects_of(tok)
    return bool(act or pas or agents)


def _main_subject(ctx: Ctx, n: int) -> tuple[int, int, str, str] | None:
    """The actor mention heading the subject of sentence n's main verb."""
    a, b = ctx.sentence_tokens()[n]
    root = next((t for t in ctx.doc[a:b] if t.dep_ == "ROOT"), None)
    if root is None or coarse_pos(root) not in ("VERB", "AUX"):
        return None
    subj = [c for c in root.children if c.dep_ == "nsubj"]
    if len(subj) != 1:
        return None
    m = ctx.mention_at(subj[0])
    if m is None or m[3] not in ACTOR_COARSE:
        return None
    return m


def _topic(ctx: Ctx, events: list[Event], k: int) -> list[Argument]:
    ev = events[k]
    if "agent" in _roles(ev) or ev.sentence == 0:
        return []
    head = _head(ctx, ev)
    if head is None or coarse_pos(head) != "VERB" or head.tag_ not in ("VBD", "VBZ", "VBP") or _has_subject(head):
        return []
    if head.dep_ not in ("ROOT", "conj", "advcl", "xcomp", "pcomp") or ctx.in_quote(head.idx):
        return []
    if any(c.dep_ in ("nsubjpass", "auxpass", "expl") for c in head.children):
        return []
    if _heading_between(ctx, ev.sentence - 1, ev.sentence):
        return []
    m = _main_subject(ctx, ev.sentence - 1)
    if m is None:
        return []
    text = ctx.text[m[0] : m[1]]
    fine = "speaker" if ctx.lex.is_a(ev.cls, "Statement") else None
    return [Argument("agent", m[0], m[1], text, m[2], fine, inferred=True, confidence=INFERRED_CONFIDENCE["topic"])]


def discourse_arguments(ctx: Ctx, events: list[Event], on: dict[str, bool] | None = None) -> list[Event]:
    """events (ordered by trigger offset) with the arguments the discourse supplies added
    (by the mechanisms `on` switches on; MECHANISMS by default)."""
    on = on if on is not None else MECHANISMS
    if not any(on.values()):
        return events
    out = list(events)
    for k, ev in enumerate(out):
        extra: list[Argument] = []
        if on["refer"]:
            extra.extend(_refer(ctx, out, k))
        cur = replace(ev, arguments=ev.arguments + tuple(extra)) if extra else ev
        more: list[Argument] = []
        if on["place"]:
            more.extend(_place(ctx, out[:k] + [cur], k))
        if on["topic"]:
            more.extend(_topic(ctx, out[:k] + [cur], k))
        extra.extend(more)
        if extra:
            args = sorted(ev.arguments + tuple(extra), key=lambda x: (x.start, x.role))
            out[k] = replace(ev, arguments=tuple(args))
    return out


# --------------------------------------------------------------------------- speakerless quotations


def _words_outside_quotes(ctx: Ctx, a: int, b: int) -> list["Token"]:
    sp = ctx.doc.char_span(a, b, alignment_mode="expand")
    if sp is None:
        return []
    return [
        t for t in sp if not t.is_punct and not t.is_space and t.text not in QUOTE_CHARS and not ctx.in_quote(t.idx)
    ]


def _bare_quote(ctx: Ctx, n: int) -> list[tuple[int, int]]:
    """The quotations making up sentence n when nothing else (no verb, no speaker) is outside them."""
    a, b = ctx.sentence_chars()[n]
    quotes = [(x, y) for x, y in ctx.quotes_near(a, b) if x < b and a < y]
    if not quotes or _words_outside_quotes(ctx, a, b):
        return []
    return quotes


def _speaker_statement(ctx: Ctx, by_sentence: dict[int, list[Event]], n: int) -> Event | None:
    """The attributed quote statement of sentence n: a statement with a quotation and a speaker."""
    for ev in by_sentence.get(n, ()):
        if (
            ev.quote
            and ctx.lex.is_a(ev.cls, "Statement")
            and any(a.role == "agent" and not a.inferred for a in ev.arguments)
        ):
            return ev
    return None


def speakerless_quotes(ctx: Ctx, events: list[Event]) -> list[Event]:
    """Statement events for quotations with no speaker of their own, attributed to the speaker of the
    adjacent quotation (see the module docstring); [] when there are none."""
    if not ctx.quotes:
        return []
    spans = ctx.sentence_chars()
    by_sentence: dict[int, list[Event]] = {}
    for ev in events:
        by_sentence.setdefault(ev.sentence, []).append(ev)
    stype = ctx.lex.types.get("Statement")
    if stype is None:
        return []
    taken = {(e.trigger.start, e.trigger.end) for e in events}
    # the words already carried by a statement (a quotation running over several sentences
    # before its "he said" belongs to that statement)
    said = [e.quote for e in events if e.quote]
    out: list[Event] = []
    for n in range(len(spans)):
        quotes = _bare_quote(ctx, n)
        if not quotes or by_sentence.get(n):
            continue
        if any(ctx.text[x:y].strip().strip(",").strip() in q for x, y in quotes for q in said):
            continue
        line = _line_of(ctx, spans[n][0])
        donor = None
        # the previous, then the next sentence of the same paragraph
        for m in (n - 1, n + 1):
            if 0 <= m < len(spans) and _line_of(ctx, spans[m][0]) == line:
                donor = _speaker_statement(ctx, by_sentence, m)
                if donor is not None:
                    break
        if donor is None and n > 0:
            # a paragraph that is all quotation continues the quote ending the paragraph before
            first = n == 0 or _line_of(ctx, spans[n - 1][0]) != line
            m = n
            while m < len(spans) and _line_of(ctx, spans[m][0]) == line and _bare_quote(ctx, m):
                m += 1
            rest = m == len(spans) or _line_of(ctx, spans[m][0]) != line
            if first and rest and _line_of(ctx, spans[n - 1][0]) == line - 1:
                donor = _speaker_statement(ctx, by_sentence, n - 1)
        if donor is None:
            continue
        a, b = quotes[0][0], quotes[-1][1]
        # the words themselves, without the marks and the closing punctuation's spaces
        while a < b and ctx.text[a].isspace():
            a += 1
        while b > a and ctx.text[b - 1].isspace():
            b -= 1
        if b <= a or (a, b) in taken:
            continue
        taken.add((a, b))
        speakers = tuple(
            _inferred(x, "quote", fine="speaker") for x in donor.arguments if x.role == "agent" and not x.inferred
        )
        words = " ... ".join(ctx.text[x:y].strip().strip(",").strip() for x, y in quotes)
        out.append(
            Event(
                trigger=Span(a, b, ctx.text[a:b]),
                cls=stype.name,
                coarse=stype.coarse,
                sentence=n,
                arguments=speakers,
                cameo=stype.cameo,
                acled=stype.acled,
                plover=stype.plover,
                modality="asserted",
                quote=words or None,
                extractor=EXTRACTOR,
                confidence=INFERRED_CONFIDENCE["quote"],
            )
        )
        # a run of bare quote sentences continues the same speaker
        by_sentence.setdefault(n, []).append(
            replace(out[-1], arguments=tuple(replace(x, inferred=False) for x in speakers))
        )
    return out
