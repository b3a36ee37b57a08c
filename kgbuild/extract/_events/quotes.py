"""Step 6 of kgbuild_events: the direct quotation a statement introduces, and which plain reporting verbs are kept as statements."""

from __future__ import annotations


from ...records import Argument
from .context import Ctx, Trigger, adjacent_quote


def quote_for(ctx: Ctx, trig: Trigger) -> str | None:
    """The direct quotation a statement introduces: adjacent to the verb, or inside its complement."""
    head = trig.head
    if ctx.in_quote(head.idx):
        return None
    sent = ctx.sent_of(head)
    found: list[tuple[int, int]] = []
    adj = adjacent_quote(ctx, head)
    if adj:
        found.append(adj)
    # quotations inside the verb's own complements ('described the deal as "unacceptable"')
    sub_chars = [
        (c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
        for c in head.children
        if c.dep_ not in ("nsubj", "nsubjpass", "punct")
    ]
    if sub_chars:
        seen = set(found)
        # only quotations inside the sentence and within the complements' overall extent can qualify
        lo = max(sent.start_char, min(x for x, _ in sub_chars)) + 1
        hi = min(sent.end_char - 1, max(y for _, y in sub_chars))
        for a, b in ctx.quotes_near(lo, hi):
            if a >= sent.end_char or b <= sent.start_char:
                continue
            if any(x <= a and b <= y + 1 for x, y in sub_chars) and (a, b) not in seen:
                found.append((a, b))
                seen.add((a, b))
    if not found:
        return None
    found.sort()
    text = " ... ".join(ctx.text[a:b].strip().strip(",").strip() for a, b in found)
    return text or None


PLAIN_REPORTING = ("Statement", "Report")


def named_speaker(ctx: Ctx, args: list[Argument]) -> bool:
    """Whether a statement's speaker is a named actor (directly or through a linked pronoun).


    Plain reporting verbs without a quotation ("police said the blast ...") are kept as Statement
    events only for named speakers: the many anonymous attributions of news prose are not events an
    analyst looks for, and the events they report keep modality "reported".
    """
    for a in args:
        if a.role != "agent":
            continue
        if a.entity:
            ent = ctx.entities.get(a.entity)
            if ent is not None:
                named = ctx.memo.setdefault("named_entity", {})  # an entity can have thousands of mentions
                if a.entity not in named:
                    named[a.entity] = ent.cls != "PeopleGroup" and any(m.kind == "name" for m in ent.mentions)
                if named[a.entity]:
                    return True
                continue
        span = ctx.doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is not None and any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in span):
            return True
    return False
