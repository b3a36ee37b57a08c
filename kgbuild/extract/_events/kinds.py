"""What kind of thing an argument token is (actor, place, date, weapon, ...), for the role schema of roles.py.

The kinds come from the entity node under the token (its ontology class, via schema.entity_kinds)
and, where there is none, from the parse and the lexicon's noun lists; `redirect` moves from a
word to the token that stands for the filler ("the town of X" -> X)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .schema import entity_kinds
from .context import (
    ACTOR_LABELS,
    PRONOUNS,
    Ctx,
    lemma_of,
    noun_kind,
    pobjs,
    coarse_pos,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


def is_attack_noun(ctx: Ctx, tok: "Token") -> bool:
    """ "(killed by) airstrikes", "strikes (targeted)": an attack named as the means of another."""
    return coarse_pos(tok) == "NOUN" and lemma_of(tok) in ctx.lex.cues.get("attack_nouns", ())


def is_weapon(ctx: Ctx, tok: "Token") -> bool:
    lem = lemma_of(tok)
    cues = ctx.lex.cues
    return lem in cues.get("weapons", ()) or lem in cues.get("aircraft", ()) or lem in cues.get("drones", ())


def weapon_owner(ctx: Ctx, tok: "Token") -> list["Token"]:
    """The actor of "US planes", "jets from the coalition", "the coalition's aircraft"."""
    out = []
    for c in tok.children:
        if c.dep_ in ("compound", "poss", "amod", "nmod") and (c.ent_type_ in ACTOR_LABELS or ctx.mention_at(c)):
            out.append(c)
        if c.dep_ == "prep" and c.lower_ in ("from", "of"):
            out.extend(pobjs(c))
    return out


def place_like(ctx: Ctx, tok: "Token") -> bool:
    return bool(noun_kind(ctx, tok) & {"PLACE", "GPE", "LOC", "FAC"})


def actor_like(ctx: Ctx, tok: "Token") -> bool:
    kinds = noun_kind(ctx, tok)
    return bool(kinds & {"PERSON", "ORG", "NORP"}) or (tok.pos_ == "PRON" and tok.lower_ in PRONOUNS)


def is_actor(ctx: Ctx, tok: "Token") -> bool:
    """An actor by its node's ontology class (a state too) or by the parse."""
    return actor_like(ctx, tok) or "Actor" in filler_kinds(ctx, tok)


def is_date(ctx: Ctx, tok: "Token") -> bool:
    if tok.ent_type_ in ("DATE", "TIME"):
        return True
    m = ctx.mention_at(tok)
    return bool(m and m[3] == "DATE")


NUMBER_LABELS = {"CARDINAL", "QUANTITY", "PERCENT", "MONEY", "ORDINAL"}


def filler_kinds(ctx: Ctx, tok: "Token") -> frozenset[str]:
    """The ontology classes (with their super-classes) of a role filler: its entity node's class,
    else what the parse says (a date or time expression, a number, a weapon or vehicle word).
    Empty when nothing is known: such a filler keeps its role."""
    m = ctx.mention_at(tok)
    cls = ctx.entity_cls.get(m[2], "") if m else ""
    if m and m[3] == "DATE" and not cls:
        cls = "Date"
    if tok.pos_ == "NUM" and tok.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY"):
        return frozenset()  # a bare number stands for what it counts ("killed 13 and wounded 71")
    if cls == "Quantity" and tok.ent_type_ not in NUMBER_LABELS:
        return frozenset()  # "nine lives": a noun counted, not an amount
    if not cls:
        if tok.ent_type_ in ("DATE", "TIME"):
            cls = "Date"
        elif tok.ent_type_ in NUMBER_LABELS and tok.pos_ in ("NUM", "SYM"):  # "$5 million", not "nine lives"
            cls = "Quantity"
        elif is_weapon(ctx, tok):
            lem = lemma_of(tok)
            cues = ctx.lex.cues
            cls = "Vehicle" if lem in cues.get("aircraft", ()) or lem in cues.get("drones", ()) else "Weapon"
    kinds = entity_kinds(cls) if cls else frozenset()
    if kinds and "Actor" not in kinds and tok.ent_type_ in ("PERSON", "ORG", "NORP"):
        kinds = kinds | entity_kinds("Actor")  # the parse says actor: on conflicting evidence, drop nothing
    return kinds


def redirect(ctx: Ctx, tok: "Token") -> "Token":
    """ "a group of IS fighters", "hundreds of civilians": the argument is what the quantity counts;
    "fighters who were heading ...": a relative pronoun stands for the noun its clause modifies."""
    if tok.tag_ in ("WP", "WDT") and tok.lower_ in ("who", "whom", "which", "that"):
        clause = tok.head
        for _ in range(3):  # up through "were heading to meet" to the relative clause's verb
            if clause.dep_ == "relcl":
                return clause.head
            if clause.dep_ not in ("xcomp", "conj", "ccomp") or clause.head is clause:
                break
            clause = clause.head
    if coarse_pos(tok) == "NOUN" and not ctx.mention_at(tok):
        # "his Chinese counterpart Wang Yi", "the group's leader, Abu X": the name in apposition
        for c in tok.children:
            if c.dep_ == "appos" and ctx.mention_at(c) and c.i > tok.i:
                return c
    if lemma_of(tok) in ctx.lex.cues.get("quantifier_nouns", ()) or lemma_of(tok) in (
        "group",
        "remnant",
        "handful",
        "contingent",
    ):
        for p in tok.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                for o in p.children:
                    if o.dep_ == "pobj" and coarse_pos(o) in ("NOUN", "PRON"):
                        return o
    return tok
