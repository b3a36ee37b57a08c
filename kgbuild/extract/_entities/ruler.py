"""Component 1, kgbuild_actor_ruler: entity spans from curated knowledge, fixing the statistical NER.

Order of `ActorRuler.__call__`: dictionary spans of actor aliases (acronyms case-sensitive,
other aliases case-insensitive) and social-media handles win over overlapping NER spans
(`merge_spans`); gazetteer fixes relabel mistyped places and add missed ones; then span
rules: person names extended over following proper nouns, product names (camelCase, model
numbers, "<name> laptops"), names after a personal title are persons, one-word persons
without evidence become plain names, names after "the town of" are places.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher

from ..doc import doc_text
from .artifacts import designations, model_numbers, objects_of_product_verbs, product_names, product_phrases
from .data import (
    ActorTable,
    Nominal,
    gaz_demonym,
    gaz_lookup,
    gazetteer_module,
    load_actor_table,
    load_given_names,
    load_nominals,
    load_titles,
    speech_verbs,
)
from .names import initials, looks_like_acronym, title_ending_at
from .tokens import actor_use, token_indices
from .types import (
    DETERMINERS,
    NAME_LABELS,
    PLACE_CLASSES,
    norm_alias,
    spacy_label_of_class,
    split_camel,
    strip_determiner,
)


def _is_acronym(alias: str) -> bool:
    letters = alias.replace(".", "").replace("-", "")
    return 1 < len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _shouting(span: SpacySpan) -> bool:
    """A sentence mostly in capitals (a headline in caps): acronyms there are unreliable."""
    words = [t.text for t in span if t.is_alpha and len(t.text) > 1]
    return len(words) >= 3 and sum(w.isupper() for w in words) / len(words) > 0.5


PATTERN_CACHE_VERSION = "1"


def alias_tokens(nlp: Language, exact: tuple[str, ...], lower: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    """The tokens of the actor aliases as `nlp`'s tokenizer splits them: ORTH strings of the
    `exact` (acronym) aliases, LOWER strings of the `lower` ones.

    Tokenizing every alias costs about 0.1-0.3 s of CPU per process, so the result is kept in
    the gazetteer's cache directory (see kgbuild.gazetteer), in a file named by a digest of
    everything it depends on: the aliases, the tokenizer's rules and spaCy's version.
    """
    import spacy

    digest = hashlib.sha256()
    for part in (
        PATTERN_CACHE_VERSION,
        spacy.__version__,
        nlp.lang,
        f"{type(nlp).__module__}.{type(nlp).__qualname__}",
        f"{type(nlp.tokenizer).__module__}.{type(nlp.tokenizer).__qualname__}",
    ):
        digest.update(part.encode("utf-8") + b"\x00")  # type: ignore[union-attr]  # spaCy types Language.lang Optional; a loaded pipeline has one
    digest.update(nlp.tokenizer.to_bytes(exclude=["vocab"]))  # type: ignore[union-attr]  # spaCy types the tokenizer as a bare Callable; Tokenizer has to_bytes
    for group in (exact, lower):
        digest.update(b"\x01" + "\x00".join(group).encode("utf-8", "surrogatepass"))
    name = f"actor-tokens-{digest.hexdigest()[:16]}.json"
    folder = _pattern_cache_dir()
    if folder is not None:
        try:
            with open(folder / name, encoding="utf-8") as f:
                cached = json.load(f)
            if (
                isinstance(cached, dict)
                and set(cached.get("exact", ())) == set(exact)
                and set(cached.get("lower", ())) == set(lower)
            ):
                return cached
        except (OSError, ValueError):
            pass
    result = {
        "exact": {text: [t.text for t in nlp.make_doc(text)] for text in exact},
        "lower": {text: [t.lower_ for t in nlp.make_doc(text)] for text in lower},
    }
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f"{name}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(result), encoding="ascii")  # escaped: any alias, even a lone surrogate
            os.replace(tmp, folder / name)
            for stale in folder.glob("actor-tokens-*.json"):
                if stale.name != name:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass
    return result


def _pattern_cache_dir() -> Path | None:
    gaz = gazetteer_module()
    if gaz is None:
        return None
    return gaz.cache_dir()


class ActorRuler:
    """Dictionary and gazetteer spans that override the statistical NER where confident."""

    def __init__(self, nlp: Language, name: str, alias_files: Iterable[str] = ()):
        self.nlp = nlp
        self.name = name
        self.alias_files = tuple(alias_files)
        self._built_for: tuple[str, ...] | None = None
        self.table = ActorTable()
        self.lower_matcher: PhraseMatcher | None = None  # built on first use (_ensure_matchers)
        self.exact_matcher: PhraseMatcher | None = None

    def _ensure_matchers(self) -> None:
        """Build the phrase matchers on first use (and again if the alias files changed)."""
        files = self.alias_files
        if self._built_for == files:
            return
        from spacy.matcher import PhraseMatcher

        self.table = load_actor_table(files)
        self.lower_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.exact_matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        lower, exact = {}, {}
        for key, actor_id in self.table.by_alias.items():
            surface = self.table.surface[key]
            if _is_acronym(surface):
                exact[surface] = actor_id
            else:
                lower[key] = actor_id
        tokens = alias_tokens(self.nlp, tuple(exact), tuple(lower))
        strings = self.nlp.vocab.strings
        # PhraseMatcher.add takes a pattern as the attribute values of its tokens (ORTH, LOWER):
        # the same trie as from make_doc's Docs, without tokenizing 12,000 aliases per process.
        # Consecutive aliases of one actor go in one call: the patterns enter the trie in the same order.
        for matcher, aliases, toks in (
            (self.exact_matcher, exact, tokens["exact"]),
            (self.lower_matcher, lower, tokens["lower"]),
        ):
            for actor_id, run in itertools.groupby(aliases.items(), key=lambda item: item[1]):
                matcher.add(actor_id, [[strings.add(t) for t in toks[text]] for text, _ in run])  # type: ignore[misc]  # the stub allows only Docs; attribute-value lists work (see above)
        self._built_for = files

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        self._ensure_matchers()
        dictionary = filter_spans(self._dictionary_spans(doc) + self._handle_spans(doc))
        ents = merge_spans(dictionary, list(doc.ents))
        ents = demonyms_are_not_places(doc, ents)
        ents = self._gazetteer_fixes(doc, ents)
        ents = extend_person_names(doc, ents)
        ents = acronyms_of_names(doc, ents)
        ents = product_names(doc, ents)
        ents = model_numbers(doc, ents)
        ents = designations(doc, ents)
        ents = product_phrases(doc, ents)
        ents = objects_of_product_verbs(doc, ents)
        ents = titled_persons(doc, ents)
        ents = unlikely_persons(doc, ents)
        ents = named_by_place_noun(doc, ents)
        doc.ents = filter_spans(ents)
        return doc

    def _dictionary_spans(self, doc: Doc) -> list[SpacySpan]:
        assert self.exact_matcher is not None and self.lower_matcher is not None  # __call__ built them
        spans: list[SpacySpan] = []
        for match_id, start, end in self.exact_matcher(doc):
            span = doc[start:end]
            if _shouting(span.sent if doc.has_annotation("SENT_START") else doc[:]):
                continue
            if norm_alias(span.text) in self.table.metonyms and not actor_use(doc, start, end):
                continue
            spans.append(self._span(doc, start, end, match_id))
        for match_id, start, end in self.lower_matcher(doc):
            span = doc[start:end]
            key = norm_alias(span.text)
            surface = self.table.surface.get(key, "")
            # a capitalised alias ("Islamic State") only matches capitalised text
            if any(c.isupper() for c in surface) and not any(c.isupper() for c in span.text):
                continue
            if key in self.table.metonyms and not actor_use(doc, start, end):
                place = gaz_lookup(span.text)  # "fighting in Khartoum": the city, not the government it stands for
                if place is not None:
                    spans.append(
                        SpacySpan(
                            doc, start, end, label="GPE" if place.cls in PLACE_CLASSES else "LOC", kb_id=str(place.id)
                        )
                    )
                continue
            spans.append(self._span(doc, start, end, match_id))
        return filter_spans(spans)

    def _handle_spans(self, doc: Doc) -> list[SpacySpan]:
        """Social-media handles and hashtags written as one token ("@CENTCOM", "#StateDept"):
        the actor whose alias is the handle without its sign, or its camelCase words."""
        spans: list[SpacySpan] = []
        text = doc_text(doc)
        if "@" not in text and "#" not in text:
            return spans  # no token can start with a sign
        for tok in doc:
            start, handle = tok.i, tok.text[1:]
            if tok.text == "#" and not tok.whitespace_ and tok.i + 1 < len(doc):  # the tokenizer split "#Word"
                handle = doc[tok.i + 1].text
                tok = doc[tok.i + 1]
            elif len(tok.text) < 3 or tok.text[0] not in "@#":
                continue
            if len(handle) < 2 or not handle[0].isalnum():
                continue
            actor = self.table.lookup(handle) or self.table.lookup(split_camel(handle))
            if actor is not None and (not _is_acronym(handle) or handle.isupper()):
                spans.append(SpacySpan(doc, start, tok.i + 1, label=spacy_label_of_class(actor.cls), kb_id=actor.id))
        return spans

    def _span(self, doc: Doc, start: int, end: int, match_id: int) -> SpacySpan:
        actor_id = self.nlp.vocab.strings[match_id]
        actor = self.table.by_id[actor_id]
        return SpacySpan(doc, start, end, label=spacy_label_of_class(actor.cls), kb_id=actor_id)

    def _gazetteer_fixes(self, doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
        """Relabel NER places the model mistyped; add proper-noun places it missed.

        Gazetteers hold many small places named like people or firms ("Dillon",
        "Apple"), so a lone word is only taken as a place when the gazetteer says
        it is a state or region, or a locative preposition comes before it."""
        person_words = {t.lower_ for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
        out = []
        for ent in ents:
            if (
                ent.kb_id_
                or ent.label_ not in ("PERSON", "ORG", "GPE", "LOC")
                or (len(ent) == 1 and ent[0].lower_ in person_words)
            ):
                out.append(ent)
                continue
            place = gaz_lookup(strip_determiner(ent.text))
            if place is not None and (ent.label_ in ("GPE", "LOC") or _confident_place(doc, ent.start, ent.end, place)):
                label = "GPE" if place.cls in PLACE_CLASSES else "LOC"
                out.append(SpacySpan(doc, ent.start, ent.end, label=label, kb_id=str(place.id)))
            else:
                out.append(ent)
        taken = {i for e in out for i in range(e.start, e.end)}
        for start, end in _proper_noun_runs(doc, taken):
            place = gaz_lookup(doc[start:end].text)
            if place is not None and _confident_place(doc, start, end, place):
                label = "GPE" if place.cls in PLACE_CLASSES else "LOC"
                out.append(SpacySpan(doc, start, end, label=label, kb_id=str(place.id)))
        return out


_LOCATIVE = frozenset(
    {"in", "near", "at", "from", "to", "outside", "toward", "towards", "into", "around", "across", "of"}
)


def _confident_place(doc: Doc, start: int, end: int, place) -> bool:
    if place.cls in ("State", "Region") or end - start > 1:
        return True
    return start > 0 and doc[start - 1].lower_ in _LOCATIVE and doc[start - 1].lower_ != "of"


def _proper_noun_runs(doc: Doc, taken: set[int]) -> list[tuple[int, int]]:
    """Maximal runs (<= 4 tokens) of capitalised proper nouns outside existing entities."""
    good = set()
    for i in token_indices(doc, ("PROPN",)):
        if i not in taken:
            tok = doc[i]
            if tok.text[:1].isupper() and tok.is_alpha:
                good.add(i)
    runs, start = [], None
    for i in range(len(doc)):
        ok = i in good
        if ok and start is None:
            start = i
        if not ok and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(doc)))
    return [(s, e) for s, e in runs if e - s <= 4]


def merge_spans(preferred: list[SpacySpan], others: list[SpacySpan]) -> list[SpacySpan]:
    """Dictionary spans win over overlapping NER spans, unless the NER span is a longer
    capitalised name that merely contains the alias ("US Army" holds "US").

    `preferred` do not overlap one another (filter_spans), so the ones an NER span overlaps are
    found by bisection on their starts: linear in the spans, not spans x spans."""
    order = sorted(range(len(preferred)), key=lambda k: preferred[k].start)
    starts = [preferred[k].start for k in order]
    dropped: set[int] = set()  # indices into preferred
    extra: list[SpacySpan] = []
    for ent in others:
        hi = bisect.bisect_left(starts, ent.end)
        lo = hi
        while lo > 0 and preferred[order[lo - 1]].end > ent.start:
            lo -= 1
        overlapping = [order[j] for j in range(lo, hi)]
        if not overlapping:
            extra.append(ent)
            continue
        if all(ent.start <= preferred[k].start and preferred[k].end <= ent.end for k in overlapping):
            inside = {i for k in overlapping for i in range(preferred[k].start, preferred[k].end)}
            if any(t.text[:1].isupper() and t.lower_ not in DETERMINERS for t in ent if t.i not in inside):
                dropped.update(overlapping)
                extra.append(ent)
    return [p for k, p in enumerate(preferred) if k not in dropped] + extra


def demonyms_are_not_places(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """A one-word name that is a demonym ("Ukrainian", "Sudanese") is a nationality (NORP),
    whatever the NER guessed: the entity builder makes it the state it names, never a place
    called "Ukrainian"."""
    out = []
    for ent in ents:
        words = [t for t in ent if t.lower_ not in DETERMINERS]
        if (
            not ent.kb_id_
            and ent.label_ in ("GPE", "LOC", "ORG", "PERSON", "FAC", "MISC")
            and len(words) == 1
            and words[0].text[:1].isupper()
            and gaz_demonym(words[0].text) is not None
            and gaz_lookup(words[0].text) is None
        ):
            ent = SpacySpan(doc, ent.start, ent.end, label="NORP")
        out.append(ent)
    return out


def acronyms_of_names(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'RSF' in a headline the NER missed, 'Rapid Support Forces' in the body: a capitalised
    acronym outside any entity that spells the initials of exactly one organisation name of the
    article is a mention of that organisation (with its curated id, if it has one)."""
    names: dict[str, set[tuple[str, str]]] = {}
    for ent in ents:
        words = [t for t in ent if t.lower_ not in DETERMINERS]
        if ent.label_ == "ORG" and len(words) > 1:
            names.setdefault(initials(" ".join(t.text for t in words)), set()).add((ent.label_, ent.kb_id_))
    if not names:
        return ents
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = list(ents)
    for i in token_indices(doc, ("PROPN", "NOUN")):
        tok = doc[i]
        if i in taken or not looks_like_acronym(tok.text) or len(names.get(tok.text, ())) != 1:
            continue
        if _shouting(tok.sent if doc.has_annotation("SENT_START") else doc[:]):
            continue
        label, kb_id = next(iter(names[tok.text]))
        out.append(SpacySpan(doc, i, i + 1, label=label, kb_id=kb_id))
    return out


def extend_person_names(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'Brett' + 'McGurk': extend a PERSON span over directly following capitalised proper nouns."""
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = []
    for ent in ents:
        if ent.label_ == "PERSON" and not ent.kb_id_:
            end = ent.end
            while (
                end < len(doc)
                and end - ent.end < 2
                and end not in taken
                and doc[end].pos_ == "PROPN"
                and doc[end].text[:1].isupper()
                and doc[end].is_alpha
                and not (ent.sent.end == end if doc.has_annotation("SENT_START") else False)
            ):
                end += 1
            if end != ent.end:
                ent = SpacySpan(doc, ent.start, end, label="PERSON")
        out.append(ent)
    return out


def titled_persons(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """A short capitalised name right after a personal title ("Colonel Ryan Dillon",
    "spokesman X") is a person whatever the NER said; names without letters are dropped."""
    titles = load_titles()
    out = []
    for ent in ents:
        if not any(c.isalpha() for c in ent.text) and ent.label_ in NAME_LABELS:
            continue
        if (
            ent.label_ in ("ORG", "GPE", "NORP", "LOC", "FAC")
            and not ent.kb_id_
            and len(ent) <= 3
            and all(t.text[:1].isupper() for t in ent)
            and title_ending_at(doc, ent.start, titles)
        ):
            ent = SpacySpan(doc, ent.start, ent.end, label="PERSON")
        out.append(ent)
    return out


def unlikely_persons(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """A one-word PERSON guess with no evidence of a person is relabelled a plain name (MISC).

    The small model calls many product and company names persons ("Safari", "Tiger").  A lone
    word is kept a person when it is a given name, part of a longer person name in the article
    ("Dillon" after "Ryan Dillon"), right after a personal title, or the subject of a speech verb."""
    given = load_given_names()
    titles = load_titles()
    full_name_words = {t.lower_ for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    out = []
    for ent in ents:
        words = [t for t in ent if t.tag_ != "POS" and t.is_alpha]
        if ent.label_ == "PERSON" and not ent.kb_id_ and len(words) == 1:
            word = words[0]
            evidence = (
                word.lower_ in given
                or word.lower_ in full_name_words
                or title_ending_at(doc, ent.start, titles) is not None
                or (word.dep_ == "nsubj" and word.head.lemma_ in speech_verbs())
            )
            if not evidence:
                ent = SpacySpan(doc, ent.start, ent.end, label="MISC" if word.tag_ != "NNPS" else "ORG")
        out.append(ent)
    return out


def named_by_place_noun(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'the town of Hmaymah', 'the village of X': a name governed by "<place noun> of" is a place,
    whatever the NER guessed (places missing from the gazetteer still become places)."""
    nominals = load_nominals()
    out = []
    for ent in ents:
        prep = ent.root.head
        noun = prep.head
        if (
            not ent.kb_id_
            and ent.label_ in ("PERSON", "ORG", "MISC", "NORP")
            and ent.root.dep_ == "pobj"
            and prep.lower_ == "of"
            and noun.i < prep.i
            and (nominals.get(noun.lemma_.lower()) or Nominal("", "", frozenset())).cls in ("PopulatedPlace", "Region")
        ):
            ent = SpacySpan(doc, ent.start, ent.end, label="GPE")
        out.append(ent)
    return out
