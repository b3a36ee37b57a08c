"""Sentence boundaries at line breaks.

News text puts headlines, bylines and datelines on lines of their own, with no
final full stop; the statistical parser then glues a headline to the first
sentence of the body, and events and roles leak across them.  Marking the
token after a line break as a sentence start before the parser runs makes the
parser respect that boundary (it keeps pre-set boundaries).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from .doc import doc_text


@Language.component("kgbuild_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """The token after each token whose text or trailing whitespace holds a line break starts a sentence.

    The line breaks are found in doc.text and mapped to their tokens by character offset (the
    tokens' texts with whitespace tile the text), instead of reading every token."""
    text = doc_text(doc)
    if "\n" not in text or len(doc) < 2:
        return doc
    starts = doc.to_array([IDX]).tolist()
    last = len(doc) - 1
    done = -1
    pos = text.find("\n")
    while pos >= 0:
        i = bisect_right(starts, pos) - 1  # the token whose text_with_ws holds this line break
        if i != done and i < last:
            doc[i + 1].is_sent_start = True
            done = i
        pos = text.find("\n", pos + 1)
    return doc
