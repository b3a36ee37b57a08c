"""Step 5 of kgbuild_events: modality (negated, conditional, future, reported) from auxiliaries, negation, conditions and reporting frames."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import (
    MODAL_COND,
    MODAL_FUT,
    Ctx,
    Trigger,
    tokens_cross_line,
    is_passive,
    lemma_of,
    coarse_pos,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


def _clause_chain(trig: Trigger) -> list["Token"]:
    """The verbs whose auxiliaries, negation and conditions govern the event, innermost first."""
    start = trig.supports[-1] if trig.supports else trig.head
    chain = [trig.head] + list(trig.supports) + list(trig.subj_supports)
    cur = start
    hops = 0
    # a noun event: climb to its governing verb ("no strikes were reported" / "will carry out more strikes")
    while (
        coarse_pos(cur) not in ("VERB", "AUX")
        and cur.head is not cur
        and hops < 6
        and not tokens_cross_line(cur.doc, cur, cur.head)
    ):
        cur = cur.head
        chain.append(cur)
        hops += 1
    while (
        cur.dep_ in ("xcomp", "conj", "aux", "auxpass", "acomp")
        and cur.head is not cur
        and hops < 10
        and not tokens_cross_line(cur.doc, cur, cur.head)
    ):
        cur = cur.head
        chain.append(cur)
        hops += 1
    return chain


def _child_cues(ctx: Ctx, t: "Token") -> frozenset[str]:
    """What the dependents of t say about modality, read once per token (a root can have
    thousands of conjoined children, and every trigger in its chain asks)."""
    memo = ctx.memo.setdefault("child_cues", {})
    cues = memo.get(t.i) if t.doc is ctx.doc else None
    if cues is None:
        found = set()
        for c in t.children:
            if c.dep_ == "neg":
                found.add("neg")
            if c.dep_ == "det" and c.lower_ == "no":
                found.add("det_no")
            if c.dep_ in ("aux", "auxpass"):
                if c.lower_ in MODAL_FUT:
                    found.add("future")
                elif c.lower_ in MODAL_COND:
                    found.add("conditional")
            if c.dep_ == "aux" and c.lower_ == "to":
                found.add("aux_to")
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
                found.add("if_clause")
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                found.add("mark_cond")
            if c.dep_ == "mark" and c.lower_ in ("if", "unless"):
                found.add("mark_if")
        cues = frozenset(found)
        if t.doc is ctx.doc:
            memo[t.i] = cues
    return cues


def modality_of(ctx: Ctx, trig: Trigger) -> str:
    lex = ctx.lex
    chain = _clause_chain(trig)
    head = trig.head
    negated = conditional = future = reported = False
    for t in chain:
        cues = _child_cues(ctx, t)
        if "neg" in cues or ("det_no" in cues and t.i == head.i):
            negated = True
        if "future" in cues:
            future = True
        if "conditional" in cues or "if_clause" in cues or "mark_cond" in cues:
            conditional = True
        if t.dep_ == "pobj" and t.head.lower_ == "without":
            negated = True
        if t.dep_ == "pcomp" and t.head.lower_ == "without":
            negated = True
    top = chain[-1]
    # the chain climbs through infinitive and gerund complements ("threatened to attack", "denied
    # attacking"): the verb each one complements decides, as for the top of the chain below
    for t in chain[:-1]:
        if t.dep_ == "xcomp" and t.head in chain:
            if lemma_of(t.head) in lex.cues.get("future_heads", ()):
                future = True
            if lemma_of(t.head) in lex.cues.get("negating_heads", ()):
                negated = True
    if top.dep_ == "xcomp" or (top.dep_ in ("advcl", "acl") and "aux_to" in _child_cues(ctx, top)):
        gov = top.head
        if lemma_of(gov) in lex.cues.get("future_heads", ()) or top.dep_ in ("advcl", "acl"):
            future = True
        if lemma_of(gov) in lex.cues.get("negating_heads", ()):
            negated = True
    if top.dep_ in ("pcomp", "pobj") and top.head.lower_ == "from":
        gov = top.head.head  # "prevent the convoy from reaching" ("from" may hang on the object)
        if lemma_of(gov) in lex.cues.get("negating_heads", ()) or (
            gov.dep_ in ("dobj", "nsubjpass") and lemma_of(gov.head) in lex.cues.get("negating_heads", ())
        ):
            negated = True
    if top.dep_ == "advcl" and "mark_if" in _child_cues(ctx, top):
        conditional = True
    # reported: inside a quotation or the clausal complement of a reporting verb
    if ctx.in_quote(head.idx):
        reported = True
    else:
        cur, hops = top, 0
        while cur.head is not cur and hops < 8 and not tokens_cross_line(cur.doc, cur, cur.head):
            if cur.dep_ in ("ccomp", "parataxis") and _is_reporting(ctx, cur.head):
                reported = True
                break
            if cur.dep_ in ("ROOT",):
                break
            cur, hops = cur.head, hops + 1
    if any(is_hearsay(ctx, t) for t in chain if t is not head):
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


def is_hearsay(ctx: Ctx, tok: "Token") -> bool:
    """ "X is said / reported / believed to ...": an evidential marker, not a statement by anyone."""
    if tok.doc is not ctx.doc:
        return _hearsay(ctx, tok)
    memo = ctx.memo.setdefault("hearsay", {})
    if tok.i not in memo:
        memo[tok.i] = _hearsay(ctx, tok)
    return memo[tok.i]


def _hearsay(ctx: Ctx, tok: "Token") -> bool:
    return (
        coarse_pos(tok) == "VERB"
        and is_passive(tok)
        and any(c.dep_ == "xcomp" for c in tok.children)
        and not any(c.dep_ == "agent" for c in tok.children)
        and (
            _is_reporting(ctx, tok)
            or lemma_of(tok) in ("believe", "think", "expect", "understand", "know", "rumour", "rumor")
        )
    )


def _is_reporting(ctx: Ctx, tok: "Token") -> bool:
    if coarse_pos(tok) != "VERB":
        return False
    rules = ctx.lex.single.get((lemma_of(tok), "VERB"), ())
    return any(ctx.lex.is_a(r.cls, "Statement") for r in rules) or lemma_of(tok) in (
        "believe",
        "think",
        "suggest",
        "claim",
        "allege",
    )
