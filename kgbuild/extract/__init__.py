"""The extraction stage: spaCy components that turn a Doc into records.

Contract (as in spaCy): every extractor is a pipeline component, Doc in, Doc
out, registered with `spacy.Language.factory` under a name.  kgbuild runs the
components named in `DEFAULT_EXTRACTORS`, in order, after the statistical
pipeline; users add their own with `--extractor NAME` (any factory name,
registered by importing their module, e.g. through the `kgbuild.extractors`
entry point group) without editing this package.

Components communicate only through these Doc extensions, which hold plain
kgbuild records (kgbuild.records), never spaCy objects:

    doc._.kg_article   Article            set by the driver before the pipeline
    doc._.kg_entities  list[Entity]       entity nodes with their mentions
    doc._.kg_events    list[Event]
    doc._.kg_relations list[Relation]

`to_extraction(doc)` bundles them into an Extraction; spaCy objects do not
leave this stage.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from ..errors import ModelError
from ..records import Extraction, Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Order matters: entities first (events attach roles to entity nodes),
# relations last (they read both).
DEFAULT_EXTRACTORS: tuple[str, ...] = (
    "kgbuild_actor_ruler",  # dictionary + gazetteer rules, before the statistical NER result is used
    "kgbuild_entities",
    "kgbuild_events",
    "kgbuild_relations",
)

_EXTENSIONS = ("kg_article", "kg_entities", "kg_events", "kg_relations")


def register_extensions() -> None:
    from spacy.tokens import Doc

    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def _import_factories() -> None:
    """Import the modules whose import registers the factories."""
    from . import acronyms, entities, events, relations, sentences  # noqa: F401  (registration side effects)

    for ep in entry_points(group="kgbuild.extractors"):
        ep.load()


def add_extractors(nlp: "Language", names: tuple[str, ...] | None = None) -> "Language":
    """Append kgbuild's components (and a user's extra ones) to `nlp`."""
    register_extensions()
    _import_factories()
    if "parser" in nlp.pipe_names and "kgbuild_line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("kgbuild_line_breaks", before="parser")
    if "parser" in nlp.pipe_names and "kgbuild_acronyms" not in nlp.pipe_names:
        nlp.add_pipe("kgbuild_acronyms", first=True)  # tok2vec must see the NORMs it sets
        if "ner" in nlp.pipe_names:
            nlp.add_pipe("kgbuild_acronyms_restore", before="ner")
        else:
            nlp.add_pipe("kgbuild_acronyms_restore", after="parser")
    for name in names or DEFAULT_EXTRACTORS:
        if name in nlp.pipe_names:
            continue
        try:
            if name == "kgbuild_actor_ruler" and "ner" in nlp.pipe_names:
                nlp.add_pipe(name, after="ner")
            else:
                nlp.add_pipe(name)
        except ValueError as exc:
            raise ModelError(f"unknown extractor {name!r}: {str(exc).splitlines()[0]}") from exc
    return nlp


_TEXT_KEY = "kgbuild_text"


def doc_text(doc: "Doc") -> str:
    """doc.text, joined once per Doc and kept in doc.user_data.

    spaCy joins every token's text again on each `doc.text`; a Doc's text never changes (the
    retokenizer keeps it), so every component can share the first result.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def to_extraction(doc: "Doc") -> Extraction:
    """Bundle the records the components left on `doc`."""
    text = doc_text(doc)
    if doc.has_annotation("SENT_START"):  # a sentence's text is the doc's text between its offsets
        sentences = tuple(Span(s.start_char, s.end_char, text[s.start_char : s.end_char]) for s in doc.sents)
    else:
        sentences = (Span(0, len(text), text),)
    return Extraction(
        article=doc._.kg_article,
        sentences=sentences,
        entities=tuple(doc._.kg_entities or ()),
        events=tuple(doc._.kg_events or ()),
        relations=tuple(doc._.kg_relations or ()),
    )
