"""What every extraction component shares about a Doc: the extensions they talk through, and its text.

Its own module (not the package's __init__) so that the components import it
without importing the package that imports them: no import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["EXTENSIONS", "doc_text", "register_extensions"]

EXTENSIONS = ("kg_article", "kg_entities", "kg_events", "kg_relations")
_TEXT_KEY = "kgbuild_text"


def register_extensions() -> None:
    from spacy.tokens import Doc

    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def doc_text(doc: "Doc") -> str:
    """doc.text, joined once per Doc and kept in doc.user_data.

    spaCy joins every token's text again on each `doc.text`; a Doc's text never changes (the
    retokenizer keeps it), so every component can share the first result.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text
