"""Sentence boundaries at line breaks.

News text puts headlines, bylines and datelines on lines of their own, with no
final full stop; the statistical parser then glues a headline to the first
sentence of the body, and events and roles leak across them.  Marking the
token after a line break as a sentence start before the parser runs makes the
parser respect that boundary (it keeps pre-set boundaries).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kgbuild_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text_with_ws or (token.is_space and "\n" in token.text):
            doc[i + 1].is_sent_start = True
    return doc
