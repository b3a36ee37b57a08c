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
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from spacy.language import Language

from ..records import Argument, Entity, Event, Span
from . import register_extensions
from .timex import normalise

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

DATA = Path(__file__).resolve().parent.parent / "data"
EXTRACTOR = "kgbuild_events"

# ---------------------------------------------------------------- lexicons


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    parent: str | None
    coarse: str
    ancestors: tuple[str, ...]  # itself first, then parent, ... up to Event
    cameo: str | None
    acled: str | None
    plover: str | None


@dataclass(frozen=True, slots=True)
class Rule:
    words: tuple[str, ...]  # lemmas; hyphenated words are split into word, "-", word
    pos: str  # VERB NOUN ADJ LIGHT
    cls: str  # event class, or for LIGHT rows the allowed classes joined by |
    constraints: tuple[tuple[str, str], ...] = ()

    def has(self, key: str) -> bool:
        return any(k == key for k, _ in self.constraints)


@dataclass
class Lexicon:
    types: dict[str, EventType]
    single: dict[tuple[str, str], list[Rule]]
    multi: dict[str, list[Rule]]  # first word -> rules, longest first
    light: dict[str, list[Rule]]  # verb lemma -> LIGHT rules
    cues: dict[str, frozenset[str]]

    def is_a(self, cls: str, ancestor: str) -> bool:
        t = self.types.get(cls)
        return bool(t) and ancestor in t.ancestors

    def is_any(self, cls: str, ancestors: Iterable[str]) -> bool:
        return any(self.is_a(cls, a) for a in ancestors)


def _split_words(lemma: str) -> tuple[str, ...]:
    out: list[str] = []
    for w in lemma.lower().split():
        parts = w.split("-")
        for i, p in enumerate(parts):
            if i:
                out.append("-")
            if p:
                out.append(p)
    return tuple(out)


def _parse_constraints(text: str) -> tuple[tuple[str, str], ...]:
    out = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        key, _, value = part.partition("=")
        out.append((key.strip(), value.strip()))
    return tuple(out)


def _load_types(path: Path) -> dict[str, EventType]:
    raw = json.loads(path.read_text(encoding="utf-8"))["classes"]
    types: dict[str, EventType] = {}

    def chain(name: str) -> tuple[str, ...]:
        seen: list[str] = []
        while name and name in raw and name not in seen:
            seen.append(name)
            name = raw[name].get("parent")
        return tuple(seen)

    for name, spec in raw.items():
        anc = chain(name)

        def code(key: str) -> str | None:
            for a in anc:
                if raw[a].get(key):
                    return raw[a][key]
            return None

        types[name] = EventType(name, spec.get("parent"), spec.get("coarse") or "Other", anc, code("cameo"), code("acled"), code("plover"))
    return types


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The event classes, trigger lexicon and cue lists (read once per process)."""
    types = _load_types(DATA / "event_types.json")
    single: dict[tuple[str, str], list[Rule]] = {}
    multi: dict[str, list[Rule]] = {}
    light: dict[str, list[Rule]] = {}
    for line in (DATA / "triggers.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            continue
        words, pos, cls = _split_words(cols[0]), cols[1].strip().upper(), cols[2].strip()
        rule = Rule(words, pos, cls, _parse_constraints(cols[3]) if len(cols) > 3 else ())
        if pos == "LIGHT":
            light.setdefault(words[0], []).append(rule)
        elif cls not in types:
            continue  # a class missing from event_types.json: ignore the row rather than crash
        elif len(words) == 1:
            single.setdefault((words[0], pos), []).append(rule)
        else:
            multi.setdefault(words[0], []).append(rule)
    for rules in multi.values():
        rules.sort(key=lambda r: -len(r.words))
    raw_cues = json.loads((DATA / "event_cues.json").read_text(encoding="utf-8"))
    cues = {k: frozenset(v) for k, v in raw_cues.items() if isinstance(v, list)}
    return Lexicon(types, single, multi, light, cues)


# ---------------------------------------------------------------- small parse helpers

SUBJ = ("nsubj", "nsubjpass", "csubj")
NEG_WORDS = {"not", "n't", "never", "no", "nor"}
MODAL_COND = {"would", "could", "might", "may", "can", "should", "must", "ought"}
MODAL_FUT = {"will", "'ll", "shall", "wo"}
PLACE_PREPS = {"in", "at", "near", "inside", "outside", "across", "around", "throughout", "within", "along", "over"}
DEST_PREPS = {"to", "toward", "towards", "into", "for"}
TIME_PREPS = {"on", "in", "during", "after", "before", "since", "until", "by", "at", "from", "between", "over", "through", "throughout"}
ACTOR_LABELS = {"PERSON", "ORG", "NORP", "GPE"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
QUOTE_CHARS = '"\u201c\u201d\u201e\u00ab\u00bb'
ORIGIN_VERBS = {"leave", "flee", "escape", "depart", "exit", "abandon", "evacuate", "quit"}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "who", "which", "that"}


def _pos(tok: "Token") -> str:
    if tok.pos_ == "PROPN":
        return "NOUN"
    if tok.pos_ == "AUX":
        return "AUX"
    return tok.pos_


def _lemma(tok: "Token") -> str:
    return tok.lemma_.lower() if tok.lemma_ else tok.lower_


def _with_conj(tok: "Token") -> list["Token"]:
    """tok and the tokens coordinated with it ("a road and a bridge")."""
    out = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ == "conj" and c not in out and (_pos(c) in ("NOUN", "PRON", "NUM", "ADJ", "X") or (c.text[:1].isupper() and not any(x.dep_ in SUBJ for x in c.children))):
                out.append(c)
                stack.append(c)
    return sorted(out, key=lambda t: t.i)


def _is_passive(verb: "Token") -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    return verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod") and not any(c.dep_ == "nsubj" for c in verb.children)


def _pobjs(prep: "Token") -> list["Token"]:
    objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    # "close to X", "next to X": the object hangs on the second preposition
    for c in prep.children:
        if c.dep_ == "prep":
            objs.extend(cc for cc in c.children if cc.dep_ == "pobj")
    out: list["Token"] = []
    for o in objs:
        out.extend(_with_conj(o))
    return out


# ---------------------------------------------------------------- doc context


@dataclass
class _Ctx:
    """Per-document indexes shared by the steps."""

    doc: "Doc"
    lex: Lexicon
    mentions: list[tuple[int, int, str, str]]  # (start, end, entity key, coarse)
    entity_cls: dict[str, str]
    sent_index: dict[int, int]  # token index -> sentence number
    sent_flags: dict[int, dict[str, set[int]]]  # sentence number -> flag -> token indices of its cue words
    quotes: list[tuple[int, int]]  # char spans of quotation contents
    anchor: str | None
    text: str = ""  # doc.text, cached (spaCy rebuilds it on every access)
    entities: dict[str, Entity] = field(default_factory=dict)

    def mention_at(self, tok: "Token") -> tuple[int, int, str, str] | None:
        """The smallest entity mention containing tok."""
        best = None
        for m in self.mentions:
            if m[0] <= tok.idx < m[1]:
                if best is None or (m[1] - m[0]) < (best[1] - best[0]):
                    best = m
        return best

    def in_quote(self, char: int) -> bool:
        return any(a <= char < b for a, b in self.quotes)


def _sentences(doc: "Doc") -> list[tuple[int, int]]:
    if len(doc) == 0:
        return []
    try:
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            return [(s.start, s.end) for s in doc.sents]
    except ValueError:
        pass
    return [(0, len(doc))]


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of the contents of direct quotations.

    Curly quotes pair as opening/closing; straight double quotes pair in
    order within a paragraph (an odd one out, an unclosed quote, is ignored).
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        base = para.start()
        p = para.group(0)
        opened: int | None = None
        for m in re.finditer(r'["\u201c\u201d\u201e\u00ab\u00bb]', p):
            ch = m.group(0)
            if ch in "\u201c\u201e\u00ab" or (ch == '"' and opened is None):
                if opened is None:
                    opened = m.end()
                continue
            if opened is not None:
                if m.start() > opened:
                    spans.append((base + opened, base + m.start()))
                opened = None
            elif ch == "\u201d":
                continue
    return spans


def _build_ctx(doc: "Doc") -> _Ctx:
    lex = load_lexicon()
    mentions: list[tuple[int, int, str, str]] = []
    entity_cls: dict[str, str] = {}
    entities: dict[str, Entity] = {}
    for ent in doc._.kg_entities or ():
        if not isinstance(ent, Entity):
            continue
        entity_cls[ent.key] = ent.cls
        entities[ent.key] = ent
        for m in ent.mentions:
            mentions.append((m.start, m.end, ent.key, ent.coarse))
    sent_index: dict[int, int] = {}
    sent_flags: dict[int, set[str]] = {}
    conflict, justice = lex.cues.get("conflict_cues", frozenset()), lex.cues.get("justice_cues", frozenset())
    for n, (a, b) in enumerate(_sentences(doc)):
        flags: dict[str, set[int]] = {"conflict": set(), "justice": set()}
        for i in range(a, b):
            sent_index[i] = n
            lem = _lemma(doc[i])
            if lem in conflict:
                flags["conflict"].add(i)
            if lem in justice:
                flags["justice"].add(i)
        sent_flags[n] = flags
    article = doc._.kg_article
    anchor = getattr(article, "date", None)
    text = doc.text
    return _Ctx(doc, lex, mentions, entity_cls, sent_index, sent_flags, find_quotes(text), anchor, text, entities)


# ---------------------------------------------------------------- triggers


@dataclass
class _Trigger:
    head: "Token"  # the token whose parse gives the roles
    start: int  # token span of the trigger text
    end: int
    cls: str
    rule: Rule
    supports: list["Token"] = field(default_factory=list)  # light/support verbs
    subj_supports: list["Token"] = field(default_factory=list)  # support verbs whose subject is the event noun


def _object_of(tok: "Token") -> list["Token"]:
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
    if not objs and tok.dep_ in ("acl", "amod") and tok.tag_ == "VBN":
        objs = [tok.head]
    if not objs and _pos(tok) == "NOUN":
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "on", "against"):
                objs.extend(cc for cc in c.children if cc.dep_ == "pobj")
    return objs


def _noun_kind(ctx: _Ctx, tok: "Token") -> set[str]:
    """What kind of thing tok denotes: spaCy label, PLACE or PERSON (from the entity node or the noun)."""
    kinds: set[str] = set()
    if tok.ent_type_:
        kinds.add(tok.ent_type_)
    m = ctx.mention_at(tok)
    if m:
        coarse = m[3]
        kinds.add({"ORGANIZATION": "ORG", "LOCATION": "LOC"}.get(coarse, coarse))
        cls = ctx.entity_cls.get(m[2], "")
        if cls in ("Facility", "PopulatedPlace", "AdministrativeArea", "Place", "State", "Location"):
            kinds.add("PLACE")
        if cls in ("Person", "PeopleGroup"):
            kinds.add("PERSON")
    lem = _lemma(tok)
    if lem in ctx.lex.cues.get("place_nouns", ()):
        kinds.add("PLACE")
    if lem in ctx.lex.cues.get("person_nouns", ()) or (tok.pos_ == "PRON" and tok.lower_ in ("him", "her", "them", "us", "me", "himself", "herself", "themselves")):
        kinds.add("PERSON")
    if kinds & PLACE_LABELS:
        kinds.add("PLACE")
    return kinds


def _check(ctx: _Ctx, rule: Rule, tok: "Token") -> bool:
    """Whether the optional constraints of a lexicon row hold for trigger token tok."""
    for key, value in rule.constraints:
        allowed = set(value.split("|")) if value else set()
        if key == "obj":
            objs = _object_of(tok)
            if not any(_lemma(o) in allowed for o in objs):
                return False
        elif key == "obj_ent":
            objs = _object_of(tok)
            if not any(_noun_kind(ctx, o) & allowed for o in objs):
                return False
        elif key == "prep":
            # on the trigger, or on its object ("prevent the convoy from reaching")
            holders = [tok] + [c for c in tok.children if c.dep_ == "dobj"]
            if not any(c.dep_ in ("prep", "prt", "agent", "dative") and _lemma(c) in allowed for h in holders for c in h.children):
                return False
        elif key == "ctx":
            # a cue word other than the trigger itself ("strike" does not make its own context)
            flags = ctx.sent_flags.get(ctx.sent_index.get(tok.i, 0), {})
            present = bool(flags.get(value.lstrip("!"), set()) - {tok.i})
            if present == value.startswith("!"):
                return False
        elif key == "xcomp":
            if not any(c.dep_ == "xcomp" for c in tok.children):
                return False
        elif key == "intrans":
            if any(c.dep_ == "dobj" for c in tok.children):
                return False
        elif key == "clause":
            has_clause = any(c.dep_ in ("ccomp", "xcomp", "parataxis", "oprd") for c in tok.children) or tok.dep_ == "parataxis"
            if not has_clause and not _adjacent_quote(ctx, tok):
                return False
        elif key == "light_only":
            return False  # only a light verb can license these (see _attach_light_verbs)
    return True


def _adjacent_quote(ctx: _Ctx, tok: "Token") -> tuple[int, int] | None:
    """A quotation right before or after the verb, in its sentence (for '"...," he said')."""
    sent = tok.sent
    best = None
    for a, b in ctx.quotes:
        if b <= sent.start_char - 1 or a >= sent.end_char:
            continue
        if ctx.in_quote(tok.idx):
            continue
        gap = tok.idx - b if b <= tok.idx else a - (tok.idx + len(tok.text))
        if gap < 0 or gap > 60:
            continue
        if best is None or gap < best[0]:
            best = (gap, (a, b))
    return best[1] if best else None


def _match_multi(ctx: _Ctx, used: set[int]) -> list[_Trigger]:
    doc, lex = ctx.doc, ctx.lex
    out: list[_Trigger] = []
    lemmas = [_lemma(t) for t in doc]
    lowers = [t.lower_ for t in doc]
    for i, tok in enumerate(doc):
        if i in used:
            continue
        rules = list(lex.multi.get(lemmas[i], ()))
        if lowers[i] != lemmas[i]:
            rules += [r for r in lex.multi.get(lowers[i], ()) if r not in rules]
        for rule in rules:
            n = len(rule.words)
            seq_l = lemmas[i : i + n]
            seq_w = lowers[i : i + n]
            if len(seq_l) == n and all(w in (a, b) for w, a, b in zip(rule.words, seq_l, seq_w)) and not any(j in used for j in range(i, i + n)):
                if rule.pos == "NOUN":
                    head = max((doc[j] for j in range(i, i + n) if _pos(doc[j]) == "NOUN"), key=lambda t: t.i, default=None)
                    if head is None:
                        continue
                else:
                    head = doc[i]
                    if _pos(head) != "VERB":
                        continue
                if not _check(ctx, rule, head):
                    continue
                out.append(_Trigger(head, i, i + n, rule.cls, rule))
                used.update(range(i, i + n))
                break
            if rule.pos == "VERB" and n == 2 and lemmas[i] == rule.words[0] and _pos(tok) == "VERB" and i not in used:
                # phrasal verb with its particle or complement elsewhere: "blew himself up", "shot him dead"
                part = [c for c in tok.children if _lemma(c) == rule.words[1] and c.dep_ in ("prt", "advmod", "acomp", "oprd", "dobj", "xcomp", "ccomp", "prep")]
                if part and _check(ctx, rule, tok):
                    out.append(_Trigger(tok, i, i + 1, rule.cls, rule))
                    used.add(i)
                    break
    return out


def _skip_noun(ctx: _Ctx, tok: "Token") -> bool:
    """Nouns that are names or modifiers of non-events ("attack helicopter", "Syrian Democratic Forces")."""
    if tok.ent_type_ in ("ORG", "PERSON", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"):
        return True
    if tok.dep_ == "compound" and _lemma(tok.head) in ctx.lex.cues.get("non_event_compound_heads", ()):
        return True
    return False


def _match_single(ctx: _Ctx, used: set[int]) -> tuple[list[_Trigger], dict[int, list[Rule]]]:
    """Single-word triggers, plus the light-only nouns (licensed later by a light verb)."""
    out: list[_Trigger] = []
    light_only: dict[int, list[Rule]] = {}
    lex = ctx.lex
    for tok in ctx.doc:
        if tok.i in used or tok.is_punct or tok.is_space:
            continue
        pos = _pos(tok)
        if pos not in ("VERB", "NOUN", "ADJ"):
            continue
        rules = lex.single.get((_lemma(tok), pos)) or lex.single.get((tok.lower_, pos)) or []
        if not rules and pos == "ADJ":  # "injured", "wounded" tagged as participles
            rules = lex.single.get((tok.lower_, "ADJ"), [])
        if not rules and pos == "VERB" and tok.tag_ == "VBN":
            rules = lex.single.get((tok.lower_, "ADJ"), [])
        if pos == "NOUN" and _skip_noun(ctx, tok):
            continue
        for rule in rules:
            if rule.has("light_only"):
                light_only.setdefault(tok.i, []).append(rule)
                continue
            if _check(ctx, rule, tok):
                out.append(_Trigger(tok, tok.i, tok.i + 1, rule.cls, rule))
                used.add(tok.i)
                break
    return out, light_only


def _event_nouns_of(ctx: _Ctx, verb: "Token", subj: bool) -> list["Token"]:
    """The nouns a light/support verb may govern: objects, passive subjects, the noun it modifies."""
    if subj:
        cands = [c for c in verb.children if c.dep_ == "nsubj"]
    else:
        cands = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        if verb.dep_ in ("acl", "relcl") and _pos(verb.head) == "NOUN":
            cands.append(verb.head)
        if not cands:  # "the attacks carried out by", "strikes were launched"
            cands = [c for c in verb.children if c.dep_ == "attr"]
        if not cands and _is_passive(verb):  # "the deal is said to have been struck"
            act, pas, _ = _subjects(verb)
            cands = pas or act
    out: list["Token"] = []
    quant = ctx.lex.cues.get("quantifier_nouns", ())
    for c in cands:
        if _crosses_line(verb.doc, verb, c):
            continue
        for t in _with_conj(c):
            out.append(t)
            if _lemma(t) in quant:  # "a wave of airstrikes", "hundreds of air strikes"
                for p in t.children:
                    if p.dep_ == "prep" and p.lower_ == "of":
                        out.extend(x for o in p.children if o.dep_ == "pobj" for x in _with_conj(o))
    return out


def _attach_light_verbs(ctx: _Ctx, triggers: list[_Trigger], light_only: dict[int, list[Rule]]) -> list[_Trigger]:
    """Attach light/support verbs to the event nouns they govern; drop the verbs' own triggers."""
    lex = ctx.lex
    by_head = {t.head.i: t for t in triggers}
    consumed: set[int] = set()
    for verb in ctx.doc:
        if _pos(verb) != "VERB":
            continue
        for rule in lex.light.get(_lemma(verb), ()):
            if len(rule.words) > 1 and not any(_lemma(c) == rule.words[1] for c in verb.children if c.dep_ in ("prt", "advmod", "prep")):
                continue
            allowed = rule.cls.split("|")
            subj = rule.has("subj_noun")
            attached = False
            for noun in _event_nouns_of(ctx, verb, subj):
                trig = by_head.get(noun.i)
                if trig is None and noun.i in light_only:
                    for lo in light_only[noun.i]:
                        if "*" in allowed or lex.is_any(lo.cls, allowed):
                            trig = _Trigger(noun, noun.i, noun.i + 1, lo.cls, lo)
                            triggers.append(trig)
                            by_head[noun.i] = trig
                            break
                if trig is None or trig.head.i == verb.i or _pos(trig.head) != "NOUN":
                    continue
                if "*" not in allowed and not lex.is_any(trig.cls, allowed):
                    continue
                (trig.subj_supports if subj else trig.supports).append(verb)
                attached = True
            if attached:
                consumed.add(verb.i)
                break
    return [t for t in triggers if t.head.i not in consumed or _pos(t.head) != "VERB"]


def _merge_speech_participles(ctx: _Ctx, triggers: list[_Trigger]) -> list[_Trigger]:
    """ "..., Nasrallah said, addressing Iraqi officials": one statement; the participle adds the addressee."""
    by_head = {t.head.i: t for t in triggers}
    drop: set[int] = set()
    for t in triggers:
        h = t.head
        if _pos(h) != "VERB" or h.dep_ != "advcl" or h.tag_ != "VBG" or not ctx.lex.is_a(t.cls, "Statement"):
            continue
        main = by_head.get(h.head.i)
        if main is not None and main.head.i != h.i and ctx.lex.is_a(main.cls, "Statement") and _pos(main.head) == "VERB":
            main.supports.append(h)
            drop.add(h.i)
    return [t for t in triggers if t.head.i not in drop]


def find_triggers(ctx: _Ctx) -> list[_Trigger]:
    used: set[int] = set()
    triggers = _match_multi(ctx, used)
    singles, light_only = _match_single(ctx, used)
    triggers.extend(singles)
    triggers = _attach_light_verbs(ctx, triggers, light_only)
    return _merge_speech_participles(ctx, triggers)


# ---------------------------------------------------------------- arguments

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


def _arg_span(ctx: _Ctx, tok: "Token") -> tuple[int, int, str, str | None]:
    """The argument's character span and entity key: the entity mention containing its head, else its NP core."""
    m = ctx.mention_at(tok)
    doc = ctx.doc
    if m:
        a, b = _strip_determiner(ctx, m[0], m[1])
        return a, b, ctx.text[a:b], m[2]
    if tok.ent_type_ and tok.ent_iob_ in ("B", "I"):
        ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None:
            a, b = _strip_determiner(ctx, ent.start_char, ent.end_char)
            return a, b, ctx.text[a:b], None
    start = _np_start(tok)
    a = doc[start].idx
    b = tok.idx + len(tok.text)
    a, b = _strip_determiner(ctx, a, b)
    return a, b, ctx.text[a:b], None


ARTICLES = {"the", "a", "an", "this", "that", "these", "those", "each", "every"}


def _strip_determiner(ctx: _Ctx, a: int, b: int) -> tuple[int, int]:
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
        ("Battle", "battle"),
        ("War", "battle"),
        ("ConflictEvent", "conflict"),
        ("Protest", "protest"),
    ):
        if lex.is_a(cls, anc):
            return fam
    return "generic"


def _subjects(tok: "Token") -> tuple[list["Token"], list["Token"], list["Token"]]:
    """(active subjects, passive subjects, by-agents) of a verb, inheriting from controllers and conjuncts."""
    act = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
    pas = [c for c in tok.children if c.dep_ == "nsubjpass"]
    agents = [o for c in tok.children if c.dep_ == "agent" for o in _pobjs(c)]
    cur, hops = tok, 0
    while not act and not pas and hops < 3 and cur.dep_ in ("xcomp", "conj", "advcl", "acl", "relcl", "ccomp") and cur.head is not cur:
        head = cur.head
        if _crosses_line(tok.doc, cur, head):
            break
        if cur.dep_ in ("acl", "relcl") and _pos(head) in ("NOUN", "PRON"):
            # "fighters heading to meet", "vehicles which appeared"; the participle's noun
            if cur.tag_ == "VBN" and cur.dep_ == "acl":
                pas = [head]
            else:
                act = [head]
            break
        if cur.dep_ == "advcl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children) and cur.tag_ != "VBG":
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


def _is_weapon(ctx: _Ctx, tok: "Token") -> bool:
    lem = _lemma(tok)
    cues = ctx.lex.cues
    return lem in cues.get("weapons", ()) or lem in cues.get("aircraft", ()) or lem in cues.get("drones", ())


def _weapon_owner(ctx: _Ctx, tok: "Token") -> list["Token"]:
    """The actor of "US planes", "jets from the coalition", "the coalition's aircraft"."""
    out = []
    for c in tok.children:
        if c.dep_ in ("compound", "poss", "amod", "nmod") and (c.ent_type_ in ACTOR_LABELS or ctx.mention_at(c)):
            out.append(c)
        if c.dep_ == "prep" and c.lower_ in ("from", "of"):
            out.extend(_pobjs(c))
    return out


def _place_like(ctx: _Ctx, tok: "Token") -> bool:
    return bool(_noun_kind(ctx, tok) & {"PLACE", "GPE", "LOC", "FAC"})


def _actor_like(ctx: _Ctx, tok: "Token") -> bool:
    kinds = _noun_kind(ctx, tok)
    return bool(kinds & {"PERSON", "ORG", "NORP"}) or (tok.pos_ == "PRON" and tok.lower_ in PRONOUNS)


def _is_date(ctx: _Ctx, tok: "Token") -> bool:
    if tok.ent_type_ in ("DATE", "TIME"):
        return True
    m = ctx.mention_at(tok)
    return bool(m and m[3] == "DATE")


def _prep_args(ctx: _Ctx, fam: str, head: "Token", is_noun: bool) -> list[_Cand]:
    """Arguments in the prepositional phrases of a trigger or support verb."""
    out: list[_Cand] = []
    for prep in head.children:
        if prep.dep_ not in ("prep", "agent"):
            continue
        p = prep.lower_
        for obj in _pobjs(prep):
            if _pos(obj) == "VERB" and not ctx.mention_at(obj):
                continue
            if _is_date(ctx, obj):
                if p in TIME_PREPS:
                    out.append(_Cand("time", None, obj))
                continue
            if prep.dep_ == "agent" or p == "by":
                if _is_weapon(ctx, obj):
                    out.append(_Cand("instrument", None, obj))
                elif _pos(obj) == "NOUN" and _lemma(obj) in ("airstrike", "strike", "attack", "bombing", "shelling"):
                    out.append(_Cand("instrument", None, obj))
                else:
                    out.append(_Cand("agent", None, obj))
            elif p in ("on", "upon", "against") and fam in ("conflict", "battle", "victim"):
                if _place_like(ctx, obj) and p == "on" and not _noun_kind(ctx, obj) & {"FAC"} and _lemma(obj) not in ctx.lex.cues.get("place_nouns", ()):
                    out.append(_Cand("place", None, obj))
                else:
                    out.append(_Cand("target", None, obj))
            elif fam == "statement" and (p in ("against", "at") or (is_noun and p in ("of", "over"))) and _actor_like(ctx, obj) and not _lemma(head) in ("say", "tell"):
                out.append(_Cand("target", None, obj))
            elif p in ("against",) and fam == "statement":
                out.append(_Cand("target", None, obj))
            elif p in ("on", "upon") and fam == "statement" and _lemma(head) in ("call", "appeal", "prevail"):
                out.append(_Cand("target", "addressee", obj))
            elif p == "at" and fam in ("conflict", "battle") and _actor_like(ctx, obj):
                out.append(_Cand("target", None, obj))
            elif p in PLACE_PREPS and _place_like(ctx, obj):
                out.append(_Cand("place", None, obj))
            elif p == "from" and fam == "movement" and _place_like(ctx, obj):
                out.append(_Cand("place", "origin", obj))
                for p2 in obj.children:  # "from Arsal to Idlib" parsed as one phrase
                    if p2.dep_ == "prep" and p2.lower_ in DEST_PREPS:
                        out.extend(_Cand("place", "destination", o) for o in _pobjs(p2) if _place_like(ctx, o))
            elif p in DEST_PREPS and fam == "movement" and _place_like(ctx, obj):
                out.append(_Cand("place", "destination", obj))
            elif p == "to" and fam == "statement" and _actor_like(ctx, obj):
                out.append(_Cand("target", "addressee", obj))
            elif p == "with":
                if fam in ("talks", "battle") and _actor_like(ctx, obj):
                    out.append(_Cand("other", "signatory" if fam == "talks" else None, obj))
                elif fam in ("conflict", "victim") and (_is_weapon(ctx, obj) or not _actor_like(ctx, obj)):
                    out.append(_Cand("instrument", None, obj))
            elif p == "between":
                if fam in ("talks", "battle", "conflict"):
                    out.append(_Cand("other", "signatory" if fam == "talks" else None, obj))
            elif p == "of" and is_noun:
                if fam in ("victim", "death", "movement"):
                    out.append(_Cand("target", "victim" if fam in ("victim", "death") else "passenger", obj))
                elif fam == "conflict":
                    out.append(_Cand("place" if _noun_kind(ctx, obj) & {"GPE", "LOC"} else "target", None, obj))
    return out


def _date_children(ctx: _Ctx, head: "Token") -> list[_Cand]:
    return [_Cand("time", None, c) for c in head.children if c.dep_ in ("npadvmod", "tmod", "advmod", "obl") and _is_date(ctx, c)]


ADDRESSED = ("Appeal", "Demand", "Threat", "Criticism", "SupportStatement", "Deception")


def _verb_args(ctx: _Ctx, fam: str, verb: "Token", trigger_is_noun: bool, cls: str = "") -> list[_Cand]:
    """Roles from a verb (the trigger itself, or a light verb of a noun trigger)."""
    out: list[_Cand] = []
    # "urged the government", "threatened him", "criticised Iraq": the object is who is addressed
    addressed = fam == "statement" and ctx.lex.is_any(cls, ADDRESSED)
    act, pas, agents = _subjects(verb)
    passive = _is_passive(verb) or bool(pas)
    objs = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    if verb.dep_ in ("acl", "amod") and verb.tag_ == "VBN" and _pos(verb.head) in ("NOUN", "PROPN") and not trigger_is_noun:
        pas = pas or [verb.head]
    moved = [o for o in objs if not (_place_like(ctx, o) and not _actor_like(ctx, o))]  # "transport fighters" vs "reach the border"
    subj_role = {"death": "target", "movement": "target" if not moved else "agent"}.get(fam, "agent")
    subj_fine = {"statement": "speaker", "death": "victim", "movement": "passenger" if not moved else None}.get(fam)
    for s in act:
        for t in _with_conj(s):
            if _is_weapon(ctx, t) and fam in ("conflict", "victim", "battle"):
                out.append(_Cand("instrument", None, t))
                out.extend(_Cand("agent", None, o) for o in _weapon_owner(ctx, t))
            else:
                out.append(_Cand(subj_role, subj_fine, t))
    for s in pas:
        for t in _with_conj(s):
            if trigger_is_noun:
                continue  # "strikes were carried out": the passive subject is the event itself
            role, fine = ("target", {"victim": "victim", "death": "victim", "movement": "passenger", "statement": None}.get(fam))
            if fam == "statement":
                role, fine = ("target", "addressee") if addressed else ("other", "topic")
            out.append(_Cand(role, fine, t))
    for a in agents:
        if _is_weapon(ctx, a):
            out.append(_Cand("instrument", None, a))
        else:
            out.append(_Cand("agent", "speaker" if fam == "statement" else None, a))
    for o in objs:
        for t in _with_conj(o):
            if fam == "statement":
                if addressed or _actor_like(ctx, t) or o.dep_ == "dative":
                    out.append(_Cand("target", "addressee", t))
                else:
                    out.append(_Cand("other", "topic", t))
            elif fam == "talks":
                out.append(_Cand("other", "signatory" if _actor_like(ctx, t) else "topic", t))
            elif fam == "movement":
                if _place_like(ctx, t) and not _actor_like(ctx, t):
                    out.append(_Cand("place", "origin" if _lemma(verb) in ORIGIN_VERBS else "destination", t))
                else:
                    out.append(_Cand("target", "passenger", t))
            else:
                out.append(_Cand("target", "victim" if fam == "victim" and _actor_like(ctx, t) else None, t))
    out.extend(_prep_args(ctx, fam, verb, False))
    out.extend(_date_children(ctx, verb))
    return out


def _sentence_place(ctx: _Ctx, trig: _Trigger, used: set[int]) -> list[_Cand]:
    """The place of an event its own phrases do not locate: the nearest named place in a locative
    phrase ("in Kabul", "near the border town of X") of the same sentence, when there is exactly one."""
    head = trig.head
    sent = head.sent
    found = []
    for t in sent:
        if t.i in used or t.dep_ != "pobj" or t.head.lower_ not in ("in", "at", "near", "inside", "outside"):
            continue
        if not (t.ent_type_ in PLACE_LABELS or (ctx.mention_at(t) and _noun_kind(ctx, t) & {"GPE", "LOC", "FAC", "PLACE"} and t.pos_ == "PROPN")):
            continue
        if _crosses_line(ctx.doc, head, t):
            continue
        found.append(t)
    heads = {(_arg_span(ctx, t)[3] or t.lower_) for t in found}
    if len(heads) != 1:
        return []
    return [_Cand("place", None, min(found, key=lambda t: abs(t.i - head.i)))]


def _lifted_places(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """ "killed by gunmen in Mosul", "strikes on a bridge near Raqqa": a place phrase the parser hung
    on a participant is the event's place too (an event happens where its target is).  Agents that
    are places themselves are skipped ("Iraq in 2003 invaded ..." is rare; "US forces in Iraq" is not).
    """
    out = []
    for c in cands:
        h = c.tok
        if c.role not in ("agent", "target") or (c.role == "agent" and _place_like(ctx, h)):
            continue
        for prep in h.children:
            if prep.dep_ == "prep" and prep.lower_ in PLACE_PREPS - {"over", "across", "along", "around"}:
                out.extend(_Cand("place", None, o) for o in _pobjs(prep) if _place_like(ctx, o) and not _actor_like(ctx, o))
    return out


def _noun_args(ctx: _Ctx, fam: str, noun: "Token") -> list[_Cand]:
    """Roles from a nominal trigger: possessor, modifiers, prepositional phrases."""
    out: list[_Cand] = []
    for c in noun.children:
        if c.dep_ == "poss":
            if fam in ("victim", "death"):
                out.append(_Cand("target", "victim", c))
            else:
                out.append(_Cand("agent", "speaker" if fam == "statement" else None, c))
        elif c.dep_ in ("compound", "amod", "nmod"):
            if _lemma(c) in ("lead", "back", "sponsor", "led", "backed"):
                if ctx.mention_at(c):
                    continue  # "US-led coalition strikes": the named coalition is the agent
                for cc in c.children:
                    if cc.dep_ in ("npadvmod", "compound", "nmod", "advmod") or cc.ent_type_:
                        out.append(_Cand("agent", None, cc))
                continue
            if _is_date(ctx, c):
                out.append(_Cand("time", None, c))
                continue
            m = ctx.mention_at(c)
            kinds = _noun_kind(ctx, c)
            if not (m or kinds & ACTOR_LABELS):
                continue
            cls = ctx.entity_cls.get(m[2], "") if m else ""
            if fam in ("victim", "death"):
                out.append(_Cand("target", "victim", c) if kinds & {"PERSON", "NORP"} else _Cand("place", None, c))
            elif cls in ("Facility", "PopulatedPlace", "AdministrativeArea", "Place") or (not cls and kinds & {"LOC", "FAC"}):
                out.append(_Cand("place", None, c))
            else:
                out.append(_Cand("agent", "speaker" if fam == "statement" else None, c))
    out.extend(_prep_args(ctx, fam, noun, True))
    out.extend(_date_children(ctx, noun))
    return out


def _adj_args(ctx: _Ctx, fam: str, adj: "Token") -> list[_Cand]:
    """ "dead soldiers", "two people were injured", "found guilty": the noun the adjective describes."""
    out: list[_Cand] = []
    if adj.dep_ == "amod" and _pos(adj.head) == "NOUN":
        out.append(_Cand("target", "victim", adj.head))
    elif adj.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "conj"):
        head = adj.head
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
        out.extend(_Cand("target", "victim", t) for s in subj for t in _with_conj(s))
    out.extend(_prep_args(ctx, fam, adj, False))
    return out


def _redirect(ctx: _Ctx, tok: "Token") -> "Token":
    """ "a group of IS fighters", "hundreds of civilians": the argument is what the quantity counts."""
    if _lemma(tok) in ctx.lex.cues.get("quantifier_nouns", ()) or _lemma(tok) in ("group", "remnant", "handful", "contingent"):
        for p in tok.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                for o in p.children:
                    if o.dep_ == "pobj" and _pos(o) in ("NOUN", "PRON"):
                        return o
    return tok


def _crosses_line(doc: "Doc", a: "Token", b: "Token") -> bool:
    """Whether a line break separates two tokens (a headline parsed into the next sentence)."""
    lo, hi = sorted((a.i, b.i))
    return any("\n" in doc[i].text_with_ws for i in range(lo, hi))


def _arguments(ctx: _Ctx, trig: _Trigger) -> list[Argument]:
    lex = ctx.lex
    fam = _family(lex, trig.cls)
    head = trig.head
    pos = _pos(head)
    cands: list[_Cand] = []
    if pos == "VERB":
        cands.extend(_verb_args(ctx, fam, head, False, trig.cls))
    elif pos == "ADJ":
        cands.extend(_adj_args(ctx, fam, head))
    else:
        cands.extend(_noun_args(ctx, fam, head))
    for verb in trig.supports:
        for c in _verb_args(ctx, fam, verb, True, trig.cls):
            if c.tok.i in {t.i for t in _with_conj(head)}:
                continue  # the event noun itself (object of its light verb)
            cands.append(c)
    for verb in trig.subj_supports:
        for c in _verb_args(ctx, fam, verb, True, trig.cls):
            if c.tok.i == head.i or c.role == "agent" and c.tok.i in {t.i for t in _with_conj(head)}:
                continue
            cands.append(c)
    if not any(c.role == "place" for c in cands):
        cands.extend(_lifted_places(ctx, cands))
    if not any(c.role == "place" for c in cands) and fam != "statement":
        cands.extend(_sentence_place(ctx, trig, {c.tok.i for c in cands}))
    seen: set[tuple[str, int]] = set()
    args: list[Argument] = []
    trig_chars = (ctx.doc[trig.start].idx, ctx.doc[trig.end - 1].idx + len(ctx.doc[trig.end - 1].text))
    for c in cands:
        c.tok = _redirect(ctx, c.tok)
        if c.tok.i in range(trig.start, trig.end) or c.tok.is_punct:
            continue
        if _crosses_line(ctx.doc, head, c.tok):
            continue  # a headline or dateline parsed into the next sentence
        if c.role == "time" and normalise(_arg_span(ctx, c.tok)[2], ctx.anchor or "2000-06-15") is None:
            continue  # durations ("week-long") and vague times are not time points
        if c.tok.pos_ == "PRON" and c.tok.lower_ in ("it", "that", "which", "this", "what") and not ctx.mention_at(c.tok):
            continue
        if c.tok.pos_ in ("DET", "ADP", "CCONJ", "SCONJ", "PART", "AUX", "VERB") and not (c.tok.text[:1].isupper() and ctx.mention_at(c.tok)):
            continue  # (a name the tagger took for a verb, "IS", still counts when it is an entity mention)
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


# ---------------------------------------------------------------- refinement, modality, quotes, time


def _refine_class(ctx: _Ctx, trig: _Trigger, args: list[Argument]) -> str:
    """Attacks by aircraft are airstrikes, by drones drone strikes; harsh descriptions are criticism."""
    lex = ctx.lex
    cls = trig.cls
    doc = ctx.doc
    if cls in ("Attack", "Bombing", "Explosion", "Shooting"):
        words = set()
        for t in [trig.head, *trig.supports, *trig.subj_supports]:
            for c in t.children:
                words.update(_lemma(x) for x in c.subtree if x.i < t.i + 12)
        for a in args:
            if a.role in ("agent", "instrument"):
                words.update(w.lower() for w in re.findall(r"[A-Za-z-]+", a.text))
                words.update(_lemma(t) for t in doc.char_span(a.start, a.end, alignment_mode="expand") or ())
        if words & lex.cues.get("drones", frozenset()):
            return "DroneStrike"
        if words & lex.cues.get("aircraft", frozenset()) and cls in ("Attack", "Bombing"):
            return "Airstrike"
    if cls in ("Statement", "Report") and _pos(trig.head) == "VERB":
        neg = lex.cues.get("negative_evaluations", frozenset())
        # "described the deal as unacceptable", "called it a disgrace": the predicate after the object
        holders = [trig.head] + [c for c in trig.head.children if c.dep_ == "dobj"]
        for h in holders:
            for c in h.children:
                if c.dep_ in ("prep", "oprd", "advcl", "xcomp", "acomp") and (c.lower_ == "as" or c.dep_ != "prep"):
                    if any(_lemma(x) in neg for x in c.subtree):
                        return "Criticism"
    return cls


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


def _quote_for(ctx: _Ctx, trig: _Trigger) -> str | None:
    """The direct quotation a statement introduces: adjacent to the verb, or inside its complement."""
    head = trig.head
    if ctx.in_quote(head.idx):
        return None
    sent = head.sent
    found: list[tuple[int, int]] = []
    adj = _adjacent_quote(ctx, head)
    if adj:
        found.append(adj)
    # quotations inside the verb's own complements ('described the deal as "unacceptable"')
    sub_chars = [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text)) for c in head.children if c.dep_ not in ("nsubj", "nsubjpass", "punct")]
    for a, b in ctx.quotes:
        if a >= sent.end_char or b <= sent.start_char:
            continue
        if any(x <= a and b <= y + 1 for x, y in sub_chars) and (a, b) not in found:
            found.append((a, b))
    if not found:
        return None
    found.sort()
    text = " ... ".join(ctx.text[a:b].strip().strip(",").strip() for a, b in found)
    return text or None


def _event_date(ctx: _Ctx, args: list[Argument]) -> tuple[str | None, str | None]:
    for a in args:
        if a.role == "time":
            t = normalise(a.text, ctx.anchor)
            if t:
                return t.value, t.precision
    return None, None


def _confidence(trig: _Trigger) -> float:
    if trig.rule.has("light_only") or trig.rule.has("ctx"):
        return 0.7
    if trig.supports or trig.subj_supports or len(trig.rule.words) > 1:
        return 0.9
    return 0.8


PLAIN_REPORTING = ("Statement", "Report")


def _named_speaker(ctx: _Ctx, args: list[Argument]) -> bool:
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
                if ent.cls != "PeopleGroup" and any(m.kind == "name" for m in ent.mentions):
                    return True
                continue
        span = ctx.doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is not None and any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in span):
            return True
    return False


def extract_events(doc: "Doc") -> list[Event]:
    """All events of a parsed Doc, ordered by trigger offset (never raises on odd input)."""
    if len(doc) == 0:
        return []
    ctx = _build_ctx(doc)
    triggers = find_triggers(ctx)
    events: list[Event] = []
    for trig in triggers:
        if ctx.lex.is_a(trig.cls, "Statement") and _is_hearsay(ctx, trig.head):
            continue
        args = _arguments(ctx, trig)
        cls = _refine_class(ctx, trig, args)
        etype = ctx.lex.types.get(cls) or ctx.lex.types["Event"]
        a, b = doc[trig.start].idx, doc[trig.end - 1].idx + len(doc[trig.end - 1].text)
        date, precision = _event_date(ctx, args)
        quote = _quote_for(ctx, trig) if ctx.lex.is_a(cls, "Statement") and _pos(trig.head) == "VERB" else None
        if cls in PLAIN_REPORTING and not quote and not _named_speaker(ctx, args):
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
                modality=_modality(ctx, trig),
                quote=quote,
                extractor=EXTRACTOR,
                confidence=_confidence(trig),
            )
        )
    events.sort(key=lambda e: (e.trigger.start, e.trigger.end, e.cls))
    return events


class EventExtractor:
    """The spaCy component: sets doc._.kg_events."""

    def __init__(self) -> None:
        register_extensions()
        load_lexicon()

    def __call__(self, doc: "Doc") -> "Doc":
        doc._.kg_events = extract_events(doc)
        return doc


@Language.factory(EXTRACTOR)
def make_event_extractor(nlp: Language, name: str) -> EventExtractor:
    return EventExtractor()
