"""Step 5 of kgbuild_events: modality (negated, conditional, future, reported) from auxiliaries, negation, conditions and reporting frames."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import (
    MODAL_COND,
    MODAL_FUT,
    _Ctx,
    _Trigger,
    _crosses_line,
    _is_passive,
    _lemma,
    _pos,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

def _clause_chain(trig: _Trigger) -> list["Token"]:
    """The verbs whose auxiliaries, negation and conditions govern the event, innermost first."""
    start = trig.supports[-1] if trig.supports else trig.head
    chain = [trig.head] + list(trig.supports) + list(trig.subj_supports)
    cur = start
    hops = 0
    # a noun event: climb to its governing verb ("no strikes were reported" / "will carry out more strikes")
    while _pos(cur) not in ("VERB", "AUX") and cur.head is not cur and hops < 6 and not _crosses_line(cur.doc, cur, cur.head):
        cur = cur.head
        chain.append(cur)
        hops += 1
    while cur.dep_ in ("xcomp", "conj", "aux", "auxpass", "acomp") and cur.head is not cur and hops < 10 and not _crosses_line(cur.doc, cur, cur.head):
        cur = cur.head
        chain.append(cur)
        hops += 1
    return chain


def _modality(ctx: _Ctx, trig: _Trigger) -> str:
    lex = ctx.lex
    chain = _clause_chain(trig)
    head = trig.head
    negated = conditional = future = reported = False
    for t in chain:
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no" and t.i == head.i):
                negated = True
            if c.dep_ in ("aux", "auxpass"):
                if c.lower_ in MODAL_FUT:
                    future = True
                elif c.lower_ in MODAL_COND:
                    conditional = True
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
                conditional = True
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                conditional = True
        if t.dep_ == "pobj" and t.head.lower_ == "without":
            negated = True
        if t.dep_ == "pcomp" and t.head.lower_ == "without":
            negated = True
    top = chain[-1]
    if top.dep_ == "xcomp" or (top.dep_ in ("advcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in top.children)):
        gov = top.head
        if _lemma(gov) in lex.cues.get("future_heads", ()) or top.dep_ in ("advcl", "acl"):
            future = True
        if _lemma(gov) in lex.cues.get("negating_heads", ()):
            negated = True
    if top.dep_ in ("pcomp", "pobj") and top.head.lower_ == "from":
        gov = top.head.head  # "prevent the convoy from reaching" ("from" may hang on the object)
        if _lemma(gov) in lex.cues.get("negating_heads", ()) or (gov.dep_ in ("dobj", "nsubjpass") and _lemma(gov.head) in lex.cues.get("negating_heads", ())):
            negated = True
    if top.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in top.children):
        conditional = True
    # reported: inside a quotation or the clausal complement of a reporting verb
    if ctx.in_quote(head.idx):
        reported = True
    else:
        cur, hops = top, 0
        while cur.head is not cur and hops < 8 and not _crosses_line(cur.doc, cur, cur.head):
            if cur.dep_ in ("ccomp", "parataxis") and _is_reporting(ctx, cur.head):
                reported = True
                break
            if cur.dep_ in ("ROOT",):
                break
            cur, hops = cur.head, hops + 1
    if any(_is_hearsay(ctx, t) for t in chain if t is not head):
        reported = True
    if negated:
        return "negated"
    if conditional:
        return "conditional"
    if future:
        return "future"
    if reported:
        return "reported"
    return "asserted"


def _is_hearsay(ctx: _Ctx, tok: "Token") -> bool:
    """ "X is said / reported / believed to ...": an evidential marker, not a statement by anyone."""
    return (
        _pos(tok) == "VERB"
        and _is_passive(tok)
        and any(c.dep_ == "xcomp" for c in tok.children)
        and not any(c.dep_ == "agent" for c in tok.children)
        and (_is_reporting(ctx, tok) or _lemma(tok) in ("believe", "think", "expect", "understand", "know", "rumour", "rumor"))
    )


def _is_reporting(ctx: _Ctx, tok: "Token") -> bool:
    if _pos(tok) != "VERB":
        return False
    rules = ctx.lex.single.get((_lemma(tok), "VERB"), ())
    return any(ctx.lex.is_a(r.cls, "Statement") for r in rules) or _lemma(tok) in ("believe", "think", "suggest", "claim", "allege")

