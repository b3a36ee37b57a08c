"""Step 3-4 of kgbuild_events: event arguments (agent, target, place, time, instrument, other) from the dependency parse, mapped to entity nodes."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...records import Argument
from ..timex import normalise
from .lexicon import Lexicon
from .schema import place_for
from .context import (
    ACTOR_LABELS,
    DEST_PREPS,
    ORIGIN_VERBS,
    PLACE_LABELS,
    PLACE_PREPS,
    TIME_PREPS,
    Ctx,
    Trigger,
    tokens_cross_line,
    lemma_of,
    noun_kind,
    pobjs,
    coarse_pos,
    with_conj,
)

from .kinds import (
    actor_like,
    filler_kinds,
    is_actor,
    is_attack_noun,
    is_date,
    is_weapon,
    place_like,
    redirect,
    weapon_owner,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

_MODS = ("compound", "amod", "nummod", "nmod", "quantmod", "poss", "npadvmod", "case")


def _np_start(tok: "Token") -> int:
    """Leftmost token of tok's pre-modifiers (compounds, adjectives, numbers, possessors), contiguous."""
    start = tok.i
    for c in sorted(tok.lefts, key=lambda t: -t.i):
        if c.dep_ in _MODS or (c.dep_ == "punct" and c.text in "-"):
            if c.right_edge.i == start - 1 or c.i == start - 1:
                start = c.left_edge.i
                continue
        break
    return start


def _arg_span(ctx: Ctx, tok: "Token") -> tuple[int, int, str, str | None]:
    """The argument's character span and entity key: the entity mention containing its head, else its NP core."""
    m = ctx.mention_at(tok)
    doc = ctx.doc
    if m:
        a, b = _strip_determiner(ctx, m[0], m[1])
        return a, b, ctx.text[a:b], m[2]
    if tok.ent_type_ and tok.ent_iob_ in ("B", "I"):
        ent = ctx.ent_of(tok)
        if ent is not None:
            a, b = _strip_determiner(ctx, ent.start_char, ent.end_char)
            return a, b, ctx.text[a:b], None
    start = _np_start(tok)
    a = doc[start].idx
    b = tok.idx + len(tok.text)
    a, b = _strip_determiner(ctx, a, b)
    return a, b, ctx.text[a:b], None


ARTICLES = {"the", "a", "an", "this", "that", "these", "those", "each", "every"}


def _strip_determiner(ctx: Ctx, a: int, b: int) -> tuple[int, int]:
    """ "the city" -> "city": the argument names the thing, the article is not part of it."""
    span = ctx.doc.char_span(a, b, alignment_mode="expand")
    if span is None or len(span) < 2:
        return a, b
    i = 0
    while i < len(span) - 1 and span[i].lower_ in ARTICLES and span[i].pos_ in ("DET", "PRON"):
        i += 1
    return (span[i].idx, b) if i else (a, b)


@dataclass
class _Cand:
    role: str
    fine: str | None
    tok: "Token"


def _family(lex: Lexicon, cls: str) -> str:
    """Role-assignment family of an event class."""
    for anc, fam in (
        ("Statement", "statement"),
        ("Negotiation", "talks"),
        ("Agreement", "talks"),
        ("Meeting", "talks"),
        ("Death", "death"),
        ("Injury", "victim"),
        ("Killing", "victim"),
        ("Arrest", "victim"),
        ("Abduction", "victim"),
        ("Release", "victim"),
        ("JudicialEvent", "victim"),
        ("Movement", "movement"),
        ("MilitaryOffensive", "battle"),  # with Battle and War: fought *on* a front, not on a target
        ("ConflictEvent", "conflict"),
        ("Protest", "protest"),
        ("Sanction", "sanction"),
        ("Aid", "aid"),
    ):
        if lex.is_a(cls, anc):
            return fam
    return "generic"


def subjects_of(tok: "Token") -> tuple[list["Token"], list["Token"], list["Token"]]:
    """(active subjects, passive subjects, by-agents) of a verb, inheriting from controllers and conjuncts."""
    act = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
    pas = [c for c in tok.children if c.dep_ == "nsubjpass"]
    agents = [o for c in tok.children if c.dep_ == "agent" for o in pobjs(c)]
    cur, hops = tok, 0
    while (
        not act
        and not pas
        and hops < 3
        and cur.dep_ in ("xcomp", "conj", "advcl", "acl", "relcl", "ccomp", "pcomp")
        and cur.head is not cur
    ):
        head = cur.head
        if tokens_cross_line(tok.doc, cur, head):
            break
        if cur.dep_ == "pcomp":
            # a gerund after a preposition of the clause ("caused a stir by refusing to ...", "was
            # arrested after attacking ..."): its subject is the clause's subject, active or passive
            if (
                cur.tag_ != "VBG"
                or head.dep_ != "prep"
                or coarse_pos(head.head) not in ("VERB", "AUX")
                or tokens_cross_line(tok.doc, head, head.head)
            ):
                break
            verb = head.head
            objs = [c for c in verb.children if c.dep_ == "dobj"]
            if head.lower_ in ("for", "from", "of") and objs:
                # "convicted him for helping", "stopped the convoy from reaching", "accused the
                # rebels of shelling": the object acts
                act = objs
                break
            act = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")] or [
                c for c in verb.children if c.dep_ == "nsubjpass"
            ]
            cur, hops = verb, hops + 1
            continue
        if cur.dep_ in ("acl", "relcl") and coarse_pos(head) in ("NOUN", "PRON"):
            # "fighters heading to meet", "vehicles which appeared"; the participle's noun
            if cur.tag_ == "VBN" and cur.dep_ == "acl":
                pas = [head]
            else:
                act = [head]
            break
        if (
            cur.dep_ == "advcl"
            and not any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
            and cur.tag_ != "VBG"
        ):
            break
        if cur.dep_ == "ccomp":
            break
        act = [c for c in head.children if c.dep_ in ("nsubj", "csubj")]
        hpas = [c for c in head.children if c.dep_ == "nsubjpass"]
        if cur.dep_ == "xcomp" and not act:
            # object control: "urged the government to release them"
            act = [c for c in head.children if c.dep_ == "dobj"] or hpas
        elif cur.dep_ == "conj":
            pas = hpas
        cur, hops = head, hops + 1
    # relative pronouns stand for the noun the clause modifies
    fixed = []
    for s in act:
        if s.lower_ in ("who", "that", "which") and tok.dep_ == "relcl":
            fixed.append(tok.head)
        else:
            fixed.append(s)
    return fixed, pas, agents


def _prep_args(ctx: Ctx, fam: str, head: "Token", is_noun: bool) -> list[_Cand]:
    """Arguments in the prepositional phrases of a trigger or support verb."""
    out: list[_Cand] = []
    for prep in head.children:
        if prep.dep_ not in ("prep", "agent"):
            continue
        p = prep.lower_
        for obj in pobjs(prep):
            if coarse_pos(obj) == "VERB" and not ctx.mention_at(obj):
                continue
            if is_date(ctx, obj):
                if p in TIME_PREPS:
                    out.append(_Cand("time", None, obj))
                continue
            if prep.dep_ == "agent" or p == "by":
                if is_weapon(ctx, obj):
                    out.append(_Cand("instrument", None, obj))
                elif is_attack_noun(ctx, obj):
                    out.append(_Cand("instrument", None, obj))
                else:
                    out.append(_Cand("agent", None, obj))
            elif p in ("on", "upon") and fam in ("victim", "death"):
                # one is killed or wounded *on* a place ("on the battlefield"), never on a target
                if place_like(ctx, obj) or lemma_of(obj) in ctx.lex.cues.get("place_nouns", ()):
                    out.append(_Cand("place", None, obj))
            elif (
                p in ("on", "upon")
                and fam == "battle"
                and (place_like(ctx, obj) or lemma_of(obj) in ctx.lex.cues.get("place_nouns", ()))
            ):
                out.append(_Cand("place", None, obj))
            elif p in ("on", "upon", "against") and fam in ("conflict", "battle", "victim"):
                if (
                    place_like(ctx, obj)
                    and p == "on"
                    and not noun_kind(ctx, obj) & {"FAC"}
                    and lemma_of(obj) not in ctx.lex.cues.get("place_nouns", ())
                ):
                    out.append(_Cand("place", None, obj))
                else:
                    out.append(_Cand("target", None, obj))
            elif (
                fam == "statement"
                and (p in ("against", "at") or (is_noun and p in ("of", "over")))
                and actor_like(ctx, obj)
                and lemma_of(head) not in ("say", "tell")
            ):
                out.append(_Cand("target", None, obj))
            elif p in ("against",) and fam == "statement":
                out.append(_Cand("target", None, obj))
            elif p in ("on", "upon") and fam == "statement" and lemma_of(head) in ("call", "appeal", "prevail"):
                out.append(_Cand("target", "addressee", obj))
            elif p == "at" and fam in ("conflict", "battle") and (is_actor(ctx, obj) or not place_like(ctx, obj)):
                # "fired at protesters", "fired a missile at a ship", "fired rockets at Israel": who or what is aimed at
                out.append(_Cand("target", None, obj))
            elif (
                p in ("against", "on", "upon")
                and fam in ("protest", "sanction")
                and (p == "against" or fam == "sanction")
            ):
                # "protested against the government", "sanctions on/against Iran"
                out.append(_Cand("target", None, obj))
            elif (
                p in ("to", "for")
                and fam in ("aid", "movement")
                and is_actor(ctx, obj)
                and not (fam == "movement" and place_like(ctx, obj))
            ):
                # "aid to Ukraine", "supplied weapons to the Wagner Group": the recipient
                out.append(_Cand("target" if fam == "aid" else "other", None, obj))
            elif p in PLACE_PREPS and place_like(ctx, obj):
                out.append(_Cand("place", None, obj))
            elif p == "from" and fam == "movement" and place_like(ctx, obj):
                out.append(_Cand("place", "origin", obj))
                for p2 in obj.children:  # "from Arsal to Idlib" parsed as one phrase
                    if p2.dep_ == "prep" and p2.lower_ in DEST_PREPS:
                        out.extend(_Cand("place", "destination", o) for o in pobjs(p2) if place_like(ctx, o))
            elif p in DEST_PREPS and fam == "movement" and place_like(ctx, obj):
                out.append(_Cand("place", "destination", obj))
            elif p == "to" and fam == "statement" and actor_like(ctx, obj):
                out.append(_Cand("target", "addressee", obj))
            elif p == "with":
                if fam in ("talks", "battle") and (is_actor(ctx, obj) if fam == "talks" else actor_like(ctx, obj)):
                    # "signed a deal with Iran", "negotiated with Azerbaijan": a state is a party too
                    # the parties of talks are all agents: "met with Putin" (ACE Meet Entity, KAIROS Participant)
                    out.append(_Cand("agent", "signatory", obj) if fam == "talks" else _Cand("other", None, obj))
                elif (fam in ("conflict", "victim") and (is_weapon(ctx, obj) or not actor_like(ctx, obj))) or (
                    fam == "battle" and is_weapon(ctx, obj)
                ):
                    out.append(_Cand("instrument", None, obj))
            elif p == "between":
                if fam in ("talks", "battle", "conflict"):
                    out.append(_Cand("agent", "signatory", obj) if fam == "talks" else _Cand("other", None, obj))
            elif p == "of" and is_noun:
                if fam in ("victim", "death", "movement"):
                    out.append(_Cand("target", "victim" if fam in ("victim", "death") else "passenger", obj))
                elif fam == "conflict":
                    out.append(_Cand("place" if noun_kind(ctx, obj) & {"GPE", "LOC"} else "target", None, obj))
    return out


def _date_children(ctx: Ctx, head: "Token") -> list[_Cand]:
    return [
        _Cand("time", None, c)
        for c in head.children
        if c.dep_ in ("npadvmod", "tmod", "advmod", "obl") and is_date(ctx, c)
    ]


ADDRESSED = ("Appeal", "Demand", "Threat", "Criticism", "SupportStatement", "Deception")


def _verb_args(ctx: Ctx, fam: str, verb: "Token", trigger_is_noun: bool, cls: str = "") -> list[_Cand]:
    """Roles from a verb (the trigger itself, or a light verb of a noun trigger)."""
    out: list[_Cand] = []
    # "urged the government", "threatened him", "criticised Iraq": the object is who is addressed
    addressed = fam == "statement" and ctx.lex.is_any(cls, ADDRESSED)
    act, pas, agents = subjects_of(verb)
    objs = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    if (
        verb.dep_ in ("acl", "amod")
        and verb.tag_ == "VBN"
        and coarse_pos(verb.head) in ("NOUN", "PROPN")
        and not trigger_is_noun
    ):
        pas = pas or [verb.head]
    moved = [
        o for o in objs if not (place_like(ctx, o) and not actor_like(ctx, o))
    ]  # "transport fighters" vs "reach the border"
    subj_role = {"death": "target", "movement": "target" if not moved else "agent"}.get(fam, "agent")
    subj_fine = {"statement": "speaker", "death": "victim", "movement": "passenger" if not moved else None}.get(fam)
    for s in act:
        for t in with_conj(s):
            if (is_weapon(ctx, t) or is_attack_noun(ctx, t)) and fam in ("conflict", "victim", "battle"):
                # "jets struck ...", "the strikes targeted the bridge": the means, and whose they are
                out.append(_Cand("instrument", None, t))
                out.extend(_Cand("agent", None, o) for o in weapon_owner(ctx, t))
            else:
                out.append(_Cand(subj_role, subj_fine, t))
    for s in pas:
        for t in with_conj(s):
            if trigger_is_noun:
                continue  # "strikes were carried out": the passive subject is the event itself
            role, fine = (
                "target",
                {"victim": "victim", "death": "victim", "movement": "passenger", "statement": None}.get(fam),
            )
            if fam == "statement":
                role, fine = ("target", "addressee") if addressed else ("other", "topic")
            out.append(_Cand(role, fine, t))
    for a in agents:
        if is_weapon(ctx, a):
            out.append(_Cand("instrument", None, a))
        else:
            out.append(_Cand("agent", "speaker" if fam == "statement" else None, a))
    for o in objs:
        for t in with_conj(o):
            if fam == "statement":
                if addressed or actor_like(ctx, t) or o.dep_ == "dative":
                    out.append(_Cand("target", "addressee", t))
                else:
                    out.append(_Cand("other", "topic", t))
            elif fam == "talks":
                if is_actor(ctx, redirect(ctx, t)):
                    out.append(_Cand("agent", "signatory", t))  # "met Putin": a party, as the subject is
                else:
                    out.append(_Cand("other", "topic", t))
            elif fam == "movement":
                if place_like(ctx, t) and not actor_like(ctx, t):
                    out.append(_Cand("place", "origin" if lemma_of(verb) in ORIGIN_VERBS else "destination", t))
                else:
                    out.append(_Cand("target", "passenger", t))
            else:
                out.append(_Cand("target", "victim" if fam == "victim" and actor_like(ctx, t) else None, t))
    out.extend(_prep_args(ctx, fam, verb, False))
    out.extend(_date_children(ctx, verb))
    return out


def _place_groups(ctx: Ctx, sent) -> dict[int, tuple[list[int], list, dict[int, str], Counter]]:
    """The candidates of _sentence_place in a sentence, found once per sentence: the named places in
    locative phrases, grouped by line (line number -> token indices in order, the tokens, index -> the
    place's key, key counts)."""
    memo = ctx.memo.setdefault("sentence_places", {})
    groups = memo.get(sent.start)
    if groups is None:
        groups = {}
        for t in sent:
            if t.dep_ != "pobj" or t.head.lower_ not in ("in", "at", "near", "inside", "outside"):
                continue
            if not (
                t.ent_type_ in PLACE_LABELS
                or (ctx.mention_at(t) and noun_kind(ctx, t) & {"GPE", "LOC", "FAC", "PLACE"} and t.pos_ == "PROPN")
            ):
                continue
            idx, toks, keys, counts = groups.setdefault(ctx.newlines[t.i], ([], [], {}, Counter()))
            key = _arg_span(ctx, t)[3] or t.lower_
            idx.append(t.i)
            toks.append(t)
            keys[t.i] = key
            counts[key] += 1
        memo[sent.start] = groups
    return groups


def _sentence_place(ctx: Ctx, trig: Trigger, used: set[int]) -> list[_Cand]:
    """The place of an event its own phrases do not locate: the nearest named place in a locative
    phrase ("in Kabul", "near the border town of X") of the same sentence, when there is exactly one."""
    head = trig.head
    # only the places on the trigger's line count (a line break is a headline or dateline)
    group = _place_groups(ctx, ctx.sent_of(head)).get(ctx.newlines[head.i])
    if group is None:
        return []
    idx, toks, keys, counts = group
    removed = Counter(keys[i] for i in used if i in keys)
    if len(counts) - sum(1 for k, n in removed.items() if n == counts[k]) != 1:
        return []  # not exactly one place named outside the event's own arguments
    # the nearest unused one (the earlier one on a tie)
    k = bisect_left(idx, head.i)
    lo, hi = k - 1, k
    while lo >= 0 and idx[lo] in used:
        lo -= 1
    while hi < len(idx) and idx[hi] in used:
        hi += 1
    if hi >= len(idx) or (lo >= 0 and head.i - idx[lo] <= idx[hi] - head.i):
        return [_Cand("place", None, toks[lo])]
    return [_Cand("place", None, toks[hi])]


def _lifted_places(ctx: Ctx, cands: list[_Cand]) -> list[_Cand]:
    """ "killed by gunmen in Mosul", "strikes on a bridge near Raqqa": a place phrase the parser hung
    on a participant is the event's place too (an event happens where its target is).  Agents that
    are places themselves are skipped ("Iraq in 2003 invaded ..." is rare; "US forces in Iraq" is not).
    """
    out: list[_Cand] = []
    for c in cands:
        h = c.tok
        if c.role not in ("agent", "target") or (c.role == "agent" and place_like(ctx, h)):
            continue
        for prep in h.children:
            if prep.dep_ == "prep" and prep.lower_ in PLACE_PREPS - {"over", "across", "along", "around"}:
                out.extend(
                    _Cand("place", None, o) for o in pobjs(prep) if place_like(ctx, o) and not actor_like(ctx, o)
                )
    return out


def _noun_args(ctx: Ctx, fam: str, noun: "Token") -> list[_Cand]:
    """Roles from a nominal trigger: possessor, modifiers, prepositional phrases."""
    out: list[_Cand] = []
    for c in noun.children:
        if c.dep_ == "poss":
            if fam in ("victim", "death"):
                out.append(_Cand("target", "victim", c))
            else:
                out.append(_Cand("agent", "speaker" if fam == "statement" else None, c))
        elif c.dep_ in ("compound", "amod", "nmod"):
            if lemma_of(c) in ("lead", "back", "sponsor", "led", "backed"):
                if ctx.mention_at(c):
                    continue  # "US-led coalition strikes": the named coalition is the agent
                for cc in c.children:
                    if cc.dep_ in ("npadvmod", "compound", "nmod", "advmod") or cc.ent_type_:
                        out.append(_Cand("agent", None, cc))
                continue
            if is_date(ctx, c):
                out.append(_Cand("time", None, c))
                continue
            m = ctx.mention_at(c)
            kinds = noun_kind(ctx, c)
            if not (m or kinds & ACTOR_LABELS):
                continue
            cls = ctx.entity_cls.get(m[2], "") if m else ""
            if fam in ("victim", "death"):
                out.append(_Cand("target", "victim", c) if kinds & {"PERSON", "NORP"} else _Cand("place", None, c))
            elif cls in ("Facility", "PopulatedPlace", "AdministrativeArea", "Place") or (
                not cls and kinds & {"LOC", "FAC"}
            ):
                out.append(_Cand("place", None, c))
            else:
                out.append(_Cand("agent", "speaker" if fam == "statement" else None, c))
    out.extend(_prep_args(ctx, fam, noun, True))
    out.extend(_date_children(ctx, noun))
    return out


def _adj_args(ctx: Ctx, fam: str, adj: "Token") -> list[_Cand]:
    """ "dead soldiers", "two people were injured", "found guilty": the noun the adjective describes."""
    out: list[_Cand] = []
    if adj.dep_ == "amod" and coarse_pos(adj.head) == "NOUN":
        out.append(_Cand("target", "victim", adj.head))
    elif adj.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "conj"):
        head = adj.head
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
        own = [c for c in adj.children if c.dep_ in ("nsubj", "nsubjpass")]
        if own:  # "police found the driver dead": the small clause has its own subject
            subj = own
        if any(c.dep_ == "dobj" for c in subj):
            # "the blast left five soldiers dead", "found him dead": the object is the one dead, not the subject
            subj = [c for c in subj if c.dep_ == "dobj"]
        out.extend(_Cand("target", "victim", t) for s in subj for t in with_conj(s))
    out.extend(_prep_args(ctx, fam, adj, False))
    return out


def role_arguments(ctx: Ctx, trig: Trigger) -> list[Argument]:
    lex = ctx.lex
    fam = _family(lex, trig.cls)
    head = trig.head
    pos = coarse_pos(head)
    cands: list[_Cand] = []
    if pos == "VERB":
        cands.extend(_verb_args(ctx, fam, head, False, trig.cls))
    elif pos == "ADJ":
        cands.extend(_adj_args(ctx, fam, head))
    else:
        cands.extend(_noun_args(ctx, fam, head))
    for verb in trig.supports:
        for c in _verb_args(ctx, fam, verb, True, trig.cls):
            if c.tok.i in {t.i for t in with_conj(head)}:
                continue  # the event noun itself (object of its light verb)
            cands.append(c)
    for verb in trig.subj_supports:
        for c in _verb_args(ctx, fam, verb, True, trig.cls):
            if c.tok.i == head.i or c.role == "agent" and c.tok.i in {t.i for t in with_conj(head)}:
                continue
            cands.append(c)
    if lex.is_any(trig.cls, ("Agreement",)):
        # a deal's other party stays "other" (its signatory): "the rebels struck a deal with the government"
        cands = [_Cand("other", c.fine, c.tok) if c.fine == "signatory" else c for c in cands]
    if not any(c.role == "place" for c in cands):
        cands.extend(_lifted_places(ctx, cands))
    if not any(c.role == "place" for c in cands) and fam != "statement":
        cands.extend(_sentence_place(ctx, trig, {c.tok.i for c in cands}))
    seen: set[tuple[str, int]] = set()
    args: list[Argument] = []
    trig_chars = (ctx.doc[trig.start].idx, ctx.doc[trig.end - 1].idx + len(ctx.doc[trig.end - 1].text))
    for c in cands:
        c.tok = redirect(ctx, c.tok)
        if c.tok.i in range(trig.start, trig.end) or c.tok.is_punct:
            continue
        if tokens_cross_line(ctx.doc, head, c.tok):
            continue  # a headline or dateline parsed into the next sentence
        if c.role == "time" and normalise(_arg_span(ctx, c.tok)[2], ctx.anchor or "2000-06-15") is None:
            continue  # durations ("week-long") and vague times are not time points
        if (
            c.tok.pos_ == "PRON"
            and c.tok.lower_ in ("it", "that", "which", "this", "what")
            and not ctx.mention_at(c.tok)
        ):
            continue
        if c.tok.pos_ in ("DET", "ADP", "CCONJ", "SCONJ", "PART", "AUX", "VERB") and not (
            c.tok.text[:1].isupper() and ctx.mention_at(c.tok)
        ):
            continue  # (a name the tagger took for a verb, "IS", still counts when it is an entity mention)
        if c.role == "place" and c.tok.pos_ == "ADJ":
            continue  # a demonym ("Ukrainian drones") names who acts, never where
        role = place_for(trig.cls, c.role, filler_kinds(ctx, c.tok))
        if role is None:
            continue  # a filler no role of this event class admits (a date or number as agent ...)
        if role != c.role:
            c = _Cand(role, None, c.tok)
        key = (c.role, c.tok.i)
        if key in seen:
            continue
        seen.add(key)
        a, b, text, ent = _arg_span(ctx, c.tok)
        if a < trig_chars[1] and trig_chars[0] < b:  # never the trigger itself
            a, b = c.tok.idx, c.tok.idx + len(c.tok.text)
            text, ent = c.tok.text, ent
        args.append(Argument(c.role, a, b, text, ent, c.fine))
    args.sort(key=lambda x: (x.start, x.role))
    return args
