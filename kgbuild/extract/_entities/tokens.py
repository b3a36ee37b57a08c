"""Token-level helpers shared by the entity components: fast token selection, quotation test."""

from __future__ import annotations

from typing import Iterable

from spacy.tokens import Doc

from ..doc import doc_text


def token_indices(doc: Doc, pos: Iterable[str] = (), tags: Iterable[str] = (), lowers: Iterable[str] = ()) -> list[int]:
    """Indices, ascending, of the tokens whose pos_ is in `pos`, tag_ in `tags` or lower_ in `lowers`:
    read from one doc.to_array call, without making a Token object per token."""
    import numpy

    from spacy.attrs import LOWER, POS, TAG
    from spacy.parts_of_speech import IDS

    if len(doc) == 0:
        return []
    strings = doc.vocab.strings
    table = doc.to_array([POS, TAG, LOWER])  # uint64 columns; the tag and lower values are string hashes
    mask = numpy.zeros(len(doc), dtype=bool)
    for column, wanted in (
        (0, [IDS[p] for p in pos]),
        (1, [strings.as_int(t) for t in tags]),
        (2, [strings.as_int(w) for w in lowers]),
    ):
        if wanted:
            mask |= numpy.isin(table[:, column], numpy.array(wanted, dtype=numpy.uint64))
    return numpy.flatnonzero(mask).tolist()


def inside_quote(doc: Doc, i: int, text: str | None = None) -> bool:
    """Is token i between quotation marks within its paragraph?  (`text`: doc.text, if at hand.)"""
    if text is None:
        text = doc_text(doc)
    pos = doc[i].idx
    para_start = text.rfind("\n", 0, pos) + 1
    before = text[para_start:pos]
    opens = before.count("“") + before.count('"')
    closes = before.count("”")
    if "“" in before or "”" in before:
        return before.count("“") > closes
    return opens % 2 == 1


def actor_use(doc: Doc, start: int, end: int) -> bool:
    """Is the name doc[start:end] used where an actor is wanted?  A subject ("Washington
    condemned"), a possessor ("Moscow's decision"), the object of an actor preposition
    (data/actor_prepositions.txt: "talks with Moscow") or of a speech verb ("warned Tehran");
    conjuncts follow their first conjunct.  Anywhere else ("fighting in Khartoum", "a Kabul bus
    driver", "Madrid, Spain") a capital or seat of power is the place itself."""
    from .data import load_word_list, speech_verbs

    if not 0 <= start < end <= len(doc):
        return False
    root = doc[start:end].root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    if root.dep_ in ("nsubj", "nsubjpass", "poss"):
        return True
    if root.dep_ == "pobj":
        return root.head.lower_ in load_word_list("actor_prepositions.txt")
    if root.dep_ in ("dobj", "dative"):
        return root.head.lemma_.lower() in speech_verbs()
    return False
