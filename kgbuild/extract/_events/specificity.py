"""Is an event one occurrence, or many? (Event.specificity)

News tells of single happenings ("coalition jets struck the bridge on
Wednesday") and, in background sentences, of many at once ("hundreds of air
strikes since 2014", "militants attack the town every day") or of a kind of
event ("such attacks are rare").  Only the first kind can be the same event
as another report; kgbuild.resolve.eventcoref never merges the others with a
single happening.  Read from the parse of the trigger, its support verbs and
its own arguments, never from the words of one article:

* "aggregate": a plural trigger counted or quantified: a number above one
  ("20 raids", "more than 20 raids"), a quantity noun it is "of" ("hundreds of
  strikes", "dozens of attacks", "a wave of bombings"), a quantifier
  ("several attacks", "repeated strikes", "daily raids"); a verb counted in
  times ("struck the town three times").
* "habitual": the trigger or a support verb has a frequency adverb
  ("regularly", "repeatedly", "daily"), a frequency phrase ("every day", "each
  week"), or a time frame that stretches over a period ("since 2014", "over
  the past three years": kgbuild.extract.timex gives an interval for it),
  unless the trigger is singled out ("the first strike since 2014").
* "generic": a kind of event, not an occurrence: "such attacks"; a bare
  plural trigger with no argument of its own as the subject of a verb in the
  simple present ("Airstrikes kill civilians").
* otherwise "specific".

`time_text` gives a time argument with the preposition that governs it
("since 2014", not "2014"), so the normaliser sees the frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...records import Argument
from ..timex import normalise

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from .context import Ctx, Trigger

SPECIFIC, AGGREGATE, HABITUAL, GENERIC = "specific", "aggregate", "habitual", "generic"
SPECIFICITIES = (SPECIFIC, AGGREGATE, HABITUAL, GENERIC)

# nouns that count or group what they are "of": "hundreds of strikes", "a wave of attacks"
QUANTITY_NOUNS = frozenset(
    {
        "hundred",
        "hundreds",
        "dozen",
        "dozens",
        "thousand",
        "thousands",
        "score",
        "scores",
        "ten",
        "tens",
        "million",
        "millions",
        "number",
        "numbers",
        "lot",
        "lots",
        "series",
        "wave",
        "waves",
        "spate",
        "string",
        "barrage",
        "succession",
        "flurry",
        "rash",
        "campaign",
        "string",
        "streak",
        "volley",
        "round",
        "rounds",
        "plenty",
        "majority",
        "handful",
        "couple",
        "cycle",
    }
)
# determiners and adjectives that quantify a plural: "several attacks", "repeated strikes"
QUANTIFIERS = frozenset(
    {
        "many",
        "several",
        "numerous",
        "multiple",
        "countless",
        "various",
        "few",
        "some",
        "more",
        "most",
        "repeated",
        "frequent",
        "daily",
        "nightly",
        "weekly",
        "monthly",
        "regular",
        "constant",
        "continual",
        "continued",
        "continuous",
        "incessant",
        "sporadic",
        "occasional",
        "recurrent",
        "recurring",
        "routine",
        "persistent",
        "relentless",
        "almost-daily",
        "near-daily",
        "successive",
        "serial",
    }
)
FREQUENCY_ADVERBS = frozenset(
    {
        "regularly",
        "repeatedly",
        "routinely",
        "often",
        "frequently",
        "daily",
        "nightly",
        "weekly",
        "monthly",
        "constantly",
        "continually",
        "habitually",
        "usually",
        "typically",
        "sometimes",
        "occasionally",
        "always",
        "generally",
        "periodically",
        "sporadically",
        "again and again",
        "persistently",
    }
)
TIME_UNITS = frozenset({"day", "night", "week", "month", "year", "morning", "evening", "time", "weekend", "hour"})
DISTRIBUTIVES = frozenset({"every", "each"})
SINGLING_OUT = frozenset(
    {
        "first",
        "last",
        "latest",
        "only",
        "single",
        "deadliest",
        "biggest",
        "largest",
        "worst",
        "second",
        "third",
        "new",
        "recent",
    }
)
FRAME_PREPOSITIONS = frozenset({"since", "over", "for", "during", "throughout", "within", "in", "from"})


def _number(tok: "Token") -> float | None:
    text = tok.lower_.replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    from ..timex import NUMBER_WORDS

    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS[text])
    if text in QUANTITY_NOUNS or tok.like_num:
        return 2.0  # "hundreds", "dozen", "forty": many
    return None


def _counted(tok: "Token") -> bool:
    """A number above one, or a quantifier, among the word's modifiers."""
    for c in tok.children:
        if c.dep_ == "nummod":
            n = _number(c)
            if n is not None and n > 1:
                return True
        if c.dep_ in ("amod", "det", "quantmod", "advmod", "nummod") and c.lower_ in QUANTIFIERS:
            return True
    return False


def _of_quantity(tok: "Token") -> bool:
    """ "hundreds of strikes", "a wave of attacks", "more than 20 of the raids" is not asked here."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "of" or prep.i == tok.i:
        return False
    holder = prep.head
    if holder.lower_ in QUANTITY_NOUNS or holder.lemma_.lower() in QUANTITY_NOUNS:
        return not any(c.lower_ in ("the", "these", "those") for c in tok.children if c.dep_ == "det")
    return holder.like_num and (_number(holder) or 0) > 1 and not any(c.dep_ == "det" for c in tok.children)


def _plural(tok: "Token") -> bool:
    return tok.tag_ in ("NNS", "NNPS") or "Plur" in tok.morph.get("Number", [])


def _frequency(tok: "Token") -> bool:
    """A frequency adverb or phrase on the word: "regularly", "every day", "three times"."""
    for c in tok.children:
        if c.dep_ in ("advmod", "npadvmod", "amod") and c.lower_ in FREQUENCY_ADVERBS:
            return True
        if c.dep_ in ("npadvmod", "dobj", "advmod", "obl", "nmod") and c.lemma_.lower() in TIME_UNITS:
            if any(d.lower_ in DISTRIBUTIVES for d in c.children):
                return True  # "every day", "each week"
            if c.lower_ == "times" and _counted(c):
                return True  # "three times", "dozens of times" below
        if c.dep_ == "prep" and c.lower_ in ("on", "in"):  # "on a daily basis", "in waves"
            for p in c.children:
                if p.dep_ == "pobj" and (
                    p.lemma_.lower() == "basis"
                    and any(a.lower_ in QUANTIFIERS for a in p.children)
                    or p.lower_ == "waves"
                ):
                    return True
        if c.dep_ in ("npadvmod", "dobj") and c.lower_ in QUANTITY_NOUNS:  # "dozens of times"
            if any(p.lower_ == "of" and any(t.lower_ == "times" for t in p.children) for p in c.children):
                return True
    return False


def frame_text(span: "SpacySpan") -> str:
    """A time expression with the preposition that governs it ("since 2014" for the span "2014"),
    else its own text: the normaliser needs the frame to tell a start from a point."""
    if span is None or not len(span):
        return "" if span is None else span.text
    root = span.root
    prep = root.head if root.dep_ == "pobj" else None
    if prep is not None and prep.lower_ in FRAME_PREPOSITIONS and prep.i < span.start:
        lead = " ".join(t.text for t in span.doc[prep.i : span.start])  # "since", "over the"
        return f"{lead} {span.text}"
    return span.text


def time_text(ctx: "Ctx", arg: Argument) -> str:
    """A time argument with the preposition that governs it ("since 2014"), else its own text."""
    span = ctx.doc.char_span(arg.start, arg.end, alignment_mode="expand")
    if span is None or not len(span):
        return arg.text
    text = frame_text(span)
    return text[: len(text) - len(span.text)] + arg.text


def _frame_is_interval(ctx: "Ctx", args: list[Argument]) -> bool:
    """The event's time is a stretch ("since 2014") and no point ("on Tuesday") pins it down."""
    found = [t for a in args if a.role == "time" and (t := normalise(time_text(ctx, a), ctx.anchor)) is not None]
    return any(t.is_interval for t in found) and not any(t.value for t in found)


def specificity(ctx: "Ctx", trig: "Trigger", args: list[Argument]) -> str:
    """SPECIFIC, AGGREGATE, HABITUAL or GENERIC for one trigger (see the module docstring)."""
    head = trig.head
    verbs = [*trig.supports, *trig.subj_supports]
    noun = head.pos_ in ("NOUN", "PROPN")
    singled = any(c.dep_ in ("amod", "advmod") and c.lower_ in SINGLING_OUT for c in head.children)
    if noun and _plural(head) and (_counted(head) or _of_quantity(head)):
        return AGGREGATE
    if not noun and _frequency(head) and any(c.lower_ == "times" for c in head.children):
        return AGGREGATE  # "struck the town three times"
    if _frequency(head) or any(_frequency(v) for v in verbs):
        return HABITUAL
    if not singled and _frame_is_interval(ctx, args):
        return HABITUAL
    if noun and any(c.dep_ in ("det", "amod", "predet") and c.lower_ == "such" for c in head.children):
        return GENERIC
    if (
        noun
        and _plural(head)
        and head.dep_ == "nsubj"
        and not args
        and not any(c.dep_ in ("det", "poss", "nummod", "compound", "amod") for c in head.children)
    ):
        verb = head.head
        if verb.tag_ in ("VBP", "VBZ") and not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
            return GENERIC  # "Airstrikes kill civilians"
    return SPECIFIC
