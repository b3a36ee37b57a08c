"""Steps 1-2 of kgbuild_events: trigger words from the lexicon, light and support verbs attached to their event nouns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import Rule
from .context import (
    Ctx,
    Trigger,
    adjacent_quote,
    tokens_cross_line,
    is_passive,
    lemma_of,
    noun_kind,
    object_of,
    coarse_pos,
    with_conj,
)
from .roles import subjects_of

if TYPE_CHECKING:
    from spacy.tokens import Token


def _check(ctx: Ctx, rule: Rule, tok: "Token") -> bool:
    """Whether the optional constraints of a lexicon row hold for trigger token tok."""
    for key, value in rule.constraints:
        allowed = set(value.split("|")) if value else set()
        if key == "obj":
            objs = object_of(tok)
            if value.startswith("!"):  # obj=!a|b: no object with one of these lemmas
                if any(lemma_of(o) in set(value[1:].split("|")) for o in objs):
                    return False
            elif not any(lemma_of(o) in allowed for o in objs):
                return False
        elif key == "obj_ent":
            objs = object_of(tok)
            if not any(noun_kind(ctx, o) & allowed for o in objs):
                return False
        elif key == "prep":
            # on the trigger, or on its object ("prevent the convoy from reaching")
            holders = [tok] + [c for c in tok.children if c.dep_ == "dobj"]
            if not any(
                c.dep_ in ("prep", "prt", "agent", "dative") and lemma_of(c) in allowed
                for h in holders
                for c in h.children
            ):
                return False
        elif key == "ctx":
            # a cue word other than the trigger itself ("strike" does not make its own context)
            flags = ctx.sent_flags.get(ctx.sent_index.get(tok.i, 0), {})
            cues = flags.get(value.lstrip("!"), set())
            present = len(cues) > (1 if tok.i in cues else 0)
            if present == value.startswith("!"):
                return False
        elif key == "xcomp":
            if not any(c.dep_ == "xcomp" for c in tok.children):
                return False
        elif key == "passive":
            if not is_passive(tok):
                return False
        elif key == "active":
            if is_passive(tok):
                return False
        elif key == "mover":
            if not _has_mover(ctx, tok):
                return False
        elif key == "intrans":
            if any(c.dep_ == "dobj" for c in tok.children):
                return False
        elif key == "clause":
            has_clause = (
                any(c.dep_ in ("ccomp", "xcomp", "parataxis", "oprd") for c in tok.children) or tok.dep_ == "parataxis"
            )
            if not has_clause and not adjacent_quote(ctx, tok):
                return False
        elif key == "light_only":
            return False  # only a light verb can license these (see _attach_light_verbs)
    return True


MOVER_KINDS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
PERSONAL = frozenset({"i", "you", "he", "she", "we", "they", "who", "him", "her", "us", "them", "me"})


def _has_mover(ctx: Ctx, tok: "Token") -> bool:
    """Whether a movement verb moves someone: its subject or object (when it has one) is a person,
    group, organisation, state or vehicle, not an abstraction ("the focus moved to")."""
    act, pas, _ = subjects_of(tok)
    cands = act + pas + [c for c in tok.children if c.dep_ == "dobj"]
    if not cands:
        return True  # nothing to judge by
    vehicles = ctx.lex.cues.get("vehicles", ())
    for c in cands:
        if c.lower_ in PERSONAL or lemma_of(c) in vehicles or noun_kind(ctx, c) & MOVER_KINDS:
            return True
        if any(
            o.dep_ == "pobj" and (noun_kind(ctx, o) & MOVER_KINDS)
            for p in c.children
            if p.dep_ == "prep" and p.lower_ == "of"
            for o in p.children
        ):
            return True  # "thousands of refugees", "a group of soldiers"
    return False


def _match_multi(ctx: Ctx, used: set[int]) -> list[Trigger]:
    doc, lex = ctx.doc, ctx.lex
    out: list[Trigger] = []
    lemmas = ctx.toks.lemma
    lowers = ctx.toks.lower
    multi = lex.multi
    for i in range(len(lemmas)):
        if i in used or (lemmas[i] not in multi and lowers[i] not in multi):
            continue  # no rule starts with this word (the loop below would not run)
        tok = doc[i]
        rules = list(multi.get(lemmas[i], ()))
        if lowers[i] != lemmas[i]:
            rules += [r for r in multi.get(lowers[i], ()) if r not in rules]
        for rule in rules:
            n = len(rule.words)
            seq_l = lemmas[i : i + n]
            seq_w = lowers[i : i + n]
            if (
                len(seq_l) == n
                and all(w in (a, b) for w, a, b in zip(rule.words, seq_l, seq_w))
                and not any(j in used for j in range(i, i + n))
            ):
                if rule.pos == "NOUN":
                    head = max(
                        (doc[j] for j in range(i, i + n) if coarse_pos(doc[j]) == "NOUN"),
                        key=lambda t: t.i,
                        default=None,
                    )
                    if head is None:
                        continue
                else:
                    head = doc[i]
                    if coarse_pos(head) != "VERB":
                        continue
                if not _check(ctx, rule, head):
                    continue
                out.append(Trigger(head, i, i + n, rule.cls, rule))
                used.update(range(i, i + n))
                break
            if (
                rule.pos == "VERB"
                and n == 2
                and lemmas[i] == rule.words[0]
                and coarse_pos(tok) == "VERB"
                and i not in used
            ):
                # phrasal verb with its particle or complement elsewhere: "blew himself up", "shot him dead"
                part = [
                    c
                    for c in tok.children
                    if lemma_of(c) == rule.words[1]
                    and c.dep_ in ("prt", "advmod", "acomp", "oprd", "dobj", "xcomp", "ccomp", "prep")
                ]
                if part and _check(ctx, rule, tok):
                    out.append(Trigger(tok, i, i + 1, rule.cls, rule))
                    used.add(i)
                    break
    return out


def _skip_noun(ctx: Ctx, tok: "Token") -> bool:
    """Nouns that are names or modifiers of non-events ("attack helicopter", "Syrian Democratic Forces")."""
    if tok.ent_type_ in ("ORG", "PERSON", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"):
        return True
    if tok.dep_ == "compound" and lemma_of(tok.head) in ctx.lex.cues.get("non_event_compound_heads", ()):
        return True
    return False


def _date_word(ctx: Ctx, tok: "Token") -> bool:
    """A month name used as a date, not the event word it spells ("March 2, 2014", "in May",
    "last March"): next to a number, inside a DATE/TIME entity, or capitalised after a
    preposition or date modifier.  A month with a possessive or article is a name ("the
    Women's March", "the March on Washington"), whatever the NER says."""
    if tok.lower_ not in ctx.lex.cues.get("month_names", ()):
        return False
    doc = tok.doc
    if any(0 <= j < len(doc) and doc[j].like_num for j in (tok.i - 1, tok.i + 1)):
        return True
    if any(c.dep_ in ("poss", "det") for c in tok.children):
        return False
    if tok.ent_type_ in ("DATE", "TIME"):
        return True
    if not tok.text[:1].isupper():
        return False
    prev = doc[tok.i - 1] if tok.i > 0 else None
    return prev is not None and (prev.pos_ == "ADP" or prev.lower_ in ctx.lex.cues.get("date_modifiers", ()))


def _state_participle(tok: "Token") -> bool:
    """A participle that describes people rather than reports a movement: "displaced
    civilians", "fleeing families", "the displaced" (a modifier, or a nominal with a determiner)."""
    if tok.dep_ == "amod":
        return True
    return tok.tag_ in ("VBN", "VBG", "JJ") and any(c.dep_ == "det" for c in tok.children)


def _match_single(ctx: Ctx, used: set[int]) -> tuple[list[Trigger], dict[int, list[Rule]]]:
    """Single-word triggers, plus the light-only nouns (licensed later by a light verb)."""
    out: list[Trigger] = []
    light_only: dict[int, list[Rule]] = {}
    lex = ctx.lex
    doc, t = ctx.doc, ctx.toks
    for i, pos in enumerate(t.pos):
        if pos not in ("VERB", "NOUN", "ADJ") or i in used or t.punct[i] or t.space[i]:
            continue
        lemma, lower = t.lemma[i], t.lower[i]
        rules = lex.single.get((lemma, pos)) or lex.single.get((lower, pos)) or []
        if not rules and pos == "ADJ":  # "injured", "wounded" tagged as participles
            rules = lex.single.get((lower, "ADJ"), [])
        if not rules and pos == "VERB" and doc[i].tag_ == "VBN":
            rules = lex.single.get((lower, "ADJ"), [])
        if not rules:
            continue  # nothing to match (the _skip_noun test below only decides between skips)
        tok = doc[i]
        if pos == "NOUN" and _skip_noun(ctx, tok):
            continue
        if _date_word(ctx, tok):
            continue
        for rule in rules:
            if rule.has("light_only"):
                light_only.setdefault(tok.i, []).append(rule)
                continue
            if pos != "NOUN" and _state_participle(tok) and lex.is_a(rule.cls, "Movement"):
                continue
            if _check(ctx, rule, tok):
                out.append(Trigger(tok, tok.i, tok.i + 1, rule.cls, rule))
                used.add(tok.i)
                break
    return out, light_only


def _event_nouns_of(ctx: Ctx, verb: "Token", subj: bool) -> list["Token"]:
    """The nouns a light/support verb may govern: objects, passive subjects, the noun it modifies."""
    if subj:
        cands = [c for c in verb.children if c.dep_ == "nsubj"]
    else:
        cands = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if verb.dep_ in ("acl", "relcl") and coarse_pos(verb.head) == "NOUN":
            cands.append(verb.head)
        if not cands:  # "the attacks carried out by", "strikes were launched"
            cands = [c for c in verb.children if c.dep_ == "attr"]
        if not cands and is_passive(verb):  # "the deal is said to have been struck"
            act, pas, _ = subjects_of(verb)
            cands = pas or act
    out: list["Token"] = []
    quant = ctx.lex.cues.get("quantifier_nouns", ())
    for c in cands:
        if tokens_cross_line(verb.doc, verb, c):
            continue
        for t in with_conj(c):
            out.append(t)
            if lemma_of(t) in quant:  # "a wave of airstrikes", "hundreds of air strikes"
                for p in t.children:
                    if p.dep_ == "prep" and p.lower_ == "of":
                        out.extend(x for o in p.children if o.dep_ == "pobj" for x in with_conj(o))
    return out


def _attach_light_verbs(ctx: Ctx, triggers: list[Trigger], light_only: dict[int, list[Rule]]) -> list[Trigger]:
    """Attach light/support verbs to the event nouns they govern; drop the verbs' own triggers."""
    lex = ctx.lex
    by_head = {t.head.i: t for t in triggers}
    consumed: set[int] = set()
    doc, t = ctx.doc, ctx.toks
    for i, pos in enumerate(t.pos):
        if pos != "VERB" or t.lemma[i] not in lex.light:
            continue
        verb = doc[i]
        for rule in lex.light.get(t.lemma[i], ()):
            if len(rule.words) > 1 and not any(
                lemma_of(c) == rule.words[1] for c in verb.children if c.dep_ in ("prt", "advmod", "prep")
            ):
                continue
            allowed = rule.cls.split("|")
            subj = rule.has("subj_noun")
            attached = False
            for noun in _event_nouns_of(ctx, verb, subj):
                trig = by_head.get(noun.i)
                if trig is None and noun.i in light_only:
                    for lo in light_only[noun.i]:
                        if "*" in allowed or lex.is_any(lo.cls, allowed):
                            trig = Trigger(noun, noun.i, noun.i + 1, lo.cls, lo)
                            triggers.append(trig)
                            by_head[noun.i] = trig
                            break
                if trig is None or trig.head.i == verb.i or coarse_pos(trig.head) != "NOUN":
                    continue
                if "*" not in allowed and not lex.is_any(trig.cls, allowed):
                    continue
                (trig.subj_supports if subj else trig.supports).append(verb)
                attached = True
            if attached:
                consumed.add(verb.i)
                break
    return [t for t in triggers if t.head.i not in consumed or coarse_pos(t.head) != "VERB"]


def _merge_speech_participles(ctx: Ctx, triggers: list[Trigger]) -> list[Trigger]:
    """ "..., Nasrallah said, addressing Iraqi officials": one statement; the participle adds the addressee."""
    by_head = {t.head.i: t for t in triggers}
    drop: set[int] = set()
    for t in triggers:
        h = t.head
        if coarse_pos(h) != "VERB" or h.dep_ != "advcl" or h.tag_ != "VBG" or not ctx.lex.is_a(t.cls, "Statement"):
            continue
        main = by_head.get(h.head.i)
        if (
            main is not None
            and main.head.i != h.i
            and ctx.lex.is_a(main.cls, "Statement")
            and coarse_pos(main.head) == "VERB"
        ):
            main.supports.append(h)
            drop.add(h.i)
    return [t for t in triggers if t.head.i not in drop]


def _line_bounds(ctx: Ctx) -> tuple[list[int], list[int]]:
    """For each token, the first and last token of its line, as _heading_line delimits lines (built once per Doc)."""
    bounds = ctx.memo.get("line_bounds")
    if bounds is None:
        n = len(ctx.doc)
        breaks = ctx.toks.newline
        space = ctx.toks.space
        left = [0] * n
        for i in range(1, n):
            left[i] = i if breaks[i - 1] or space[i - 1] else left[i - 1]
        right = [n - 1] * n
        for i in range(n - 2, -1, -1):
            right[i] = i if breaks[i] or space[i + 1] else right[i + 1]
        bounds = ctx.memo["line_bounds"] = (left, right)
    return bounds


def _heading_line(tok: "Token", ctx: Ctx | None = None) -> bool:
    """Whether tok stands on a short line without a verb: a section heading or a list item
    ("Car bombs", "==Reactions==", "* 2014 Bagram Airfield bombing"), which names an event
    described elsewhere rather than reporting one."""
    doc = tok.doc
    if ctx is not None and ctx.doc is doc:
        left, right = _line_bounds(ctx)
        a, b = left[tok.i], right[tok.i]
        cache = ctx.memo.setdefault("heading_line", {})
        if (a, b) not in cache:
            cache[(a, b)] = _heading_span(doc, a, b, ctx)
        return cache[(a, b)]
    a = tok.i
    while a > 0 and "\n" not in doc[a - 1].text_with_ws and not doc[a - 1].is_space:
        a -= 1
    b = tok.i
    while b < len(doc) - 1 and "\n" not in doc[b].text_with_ws and not doc[b + 1].is_space:
        b += 1
    return _heading_span(doc, a, b)


def _heading_span(doc, a: int, b: int, ctx: Ctx | None = None) -> bool:
    """_heading_line for the line of tokens a..b."""
    words = [t for t in doc[a : b + 1] if not t.is_punct and not t.is_space]
    if ctx is not None:
        if "first_word" not in ctx.memo:
            ctx.memo["first_word"] = next((i for i, space in enumerate(ctx.toks.space) if not space), -1)
        first = ctx.memo["first_word"]
    else:
        first = next((t.i for t in doc if not t.is_space), -1)
    if not words or words[0].i == first or len(words) > 8:
        return False  # the first line is the article's title: titles report events ("Bomb blast in X")
    return not any(t.pos_ in ("VERB", "AUX") or t.tag_ in ("VBD", "VBZ", "VBP", "VBN", "VBG") for t in words)


def _kind_modifier(ctx: Ctx, trig: Trigger) -> bool:
    """A nominal trigger that only classifies another noun ("terrorism investigation", "surveillance
    video", "arrest warrants", "asylum seekers"): it names a kind of activity, not an occurrence.
    Violent incidents keep their event even as modifiers: "the marathon bombing suspect" still
    refers to one attack."""
    head = trig.head
    if coarse_pos(head) != "NOUN" or head.dep_ != "compound":
        return False
    return not ctx.lex.is_a(trig.cls, "Attack")


def _not_mentions(ctx: Ctx, triggers: list[Trigger]) -> list[Trigger]:
    """Drop nominal triggers that do not report an occurrence: kind modifiers and headings."""
    out = []
    for t in triggers:
        if coarse_pos(t.head) == "NOUN" and not t.supports and not t.subj_supports:
            if _kind_modifier(ctx, t) or _heading_line(t.head, ctx):
                continue
        out.append(t)
    return out


def _restated_nouns(ctx: Ctx, triggers: list[Trigger]) -> list[Trigger]:
    """A state noun (event_cues.json state_nouns) in an in/into/under phrase of a verb trigger of
    the same class restates the verb's event ("held in custody", "taken into detention"): one
    event, the verb's.  Other nouns name an event of their own ("sold in an auction", "gathered
    at a rally"): both stay."""
    verbs = {t.head.i: t for t in triggers if coarse_pos(t.head) == "VERB"}
    if not verbs:
        return triggers
    out = []
    for t in triggers:
        h = t.head
        if (
            coarse_pos(h) == "NOUN"
            and h.dep_ == "pobj"
            and h.head.dep_ == "prep"
            and h.head.lower_ in ("in", "into", "under")
        ):
            v = verbs.get(h.head.head.i)
            if v is not None and v.cls == t.cls and lemma_of(h) in ctx.lex.cues.get("state_nouns", ()):
                continue
        out.append(t)
    return out


def find_triggers(ctx: Ctx) -> list[Trigger]:
    used: set[int] = set()
    triggers = _match_multi(ctx, used)
    singles, light_only = _match_single(ctx, used)
    triggers.extend(singles)
    triggers = _attach_light_verbs(ctx, triggers, light_only)
    triggers = _not_mentions(ctx, triggers)
    triggers = _restated_nouns(ctx, triggers)
    return _merge_speech_participles(ctx, triggers)
