"""Acronyms that are spelt like function words ("IS", "IT", "WHO", "US").

The small English models read "IS fighters" or "strikes on IS" as the verb *is*:
the statistical tagger and parser see a token's NORM (its lower-cased form), so
an all-caps name that collides with a stop word borrows that word's embedding,
and the parse around it falls apart (no agent, no target).  Before tok2vec runs,
this component gives such a token its own spelling as its NORM, so the model
sees an unknown capitalised word, as it sees most names, while the text, the
offsets and every later component stay as they were.  All-caps stretches
(headlines, shouting) keep the default: there "IS" is most likely the verb.

Only the tagger and parser need this: the NER model has its own embeddings and
already knows "US" (changing its NORM turns "US $199" into an ORG), so
`kgbuild_acronyms_restore`, placed before "ner", puts the default NORMs back.
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

CONTEXT = 4  # tokens either side that show the text is in mixed case


def _mixed_case_around(doc: Doc, i: int) -> bool:
    lo, hi = max(0, i - CONTEXT), min(len(doc), i + CONTEXT + 1)
    return any(t.is_alpha and len(t.text) > 1 and not t.is_upper for t in doc[lo:hi] if t.i != i)


def is_acronym_collision(doc: Doc, i: int) -> bool:
    tok = doc[i]
    text = tok.text
    if not (2 <= len(text) <= 5 and text.isalpha() and text.isupper()):
        return False
    if text.lower() not in STOP_WORDS:
        return False
    if i > 0 and doc[i - 1].like_num:  # "10 AM" is a time of day
        return False
    return _mixed_case_around(doc, i)


_SAVED = "kgbuild_acronym_norms"  # doc.user_data key: [(token index, default norm)]


@Language.component("kgbuild_acronyms")
def acronym_norms(doc: Doc) -> Doc:
    saved = []
    for tok in doc:
        if tok.is_upper and is_acronym_collision(doc, tok.i):
            saved.append((tok.i, tok.norm_))
            tok.norm_ = tok.text
    if saved:
        doc.user_data[_SAVED] = saved
    return doc


@Language.component("kgbuild_acronyms_restore")
def restore_norms(doc: Doc) -> Doc:
    for i, norm in doc.user_data.pop(_SAVED, ()):
        doc[i].norm_ = norm
    return doc
