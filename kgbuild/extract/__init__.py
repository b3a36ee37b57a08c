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

from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from ..errors import ModelError
from ..records import Extraction, Span
from .doc import EXTENSIONS, doc_text, register_extensions  # noqa: F401  (re-exported)

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


@dataclass(frozen=True)
class Settings:
    """The run's configuration of kgbuild's own components, passed explicitly (never read
    from the environment inside a component, so that a Dask worker with another environment
    builds the same graph).

    alias_files: the user's actor alias tables (JSONL), for kgbuild_actor_ruler and kgbuild_entities.
    discourse: cross-sentence argument mechanisms to switch on in kgbuild_events
    ("place", "refer", "topic"; see kgbuild/extract/_events/discourse.py).
    """

    alias_files: tuple[str, ...] = ()
    discourse: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        from ._events.discourse import mechanisms

        mechanisms(self.discourse)  # an unknown name fails here, once, not in every worker

    def config_for(self, component: str) -> dict:
        if component in ("kgbuild_actor_ruler", "kgbuild_entities"):
            return {"alias_files": list(self.alias_files)}
        if component == "kgbuild_events":
            return {"discourse": list(self.discourse)}
        return {}


def _import_factories() -> None:
    """Import the modules whose import registers the factories."""
    from . import acronyms, entities, events, relations, sentences  # noqa: F401  (registration side effects)

    for ep in entry_points(group="kgbuild.extractors"):
        ep.load()


def add_extractors(
    nlp: "Language", names: tuple[str, ...] | None = None, settings: Settings | None = None
) -> "Language":
    """Append kgbuild's components (and a user's extra ones) to `nlp`, configured by `settings`."""
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
            config = (settings or Settings()).config_for(name)
            if name == "kgbuild_actor_ruler" and "ner" in nlp.pipe_names:
                nlp.add_pipe(name, after="ner", config=config)
            else:
                nlp.add_pipe(name, config=config)
        except ValueError as exc:
            raise ModelError(f"unknown extractor {name!r}: {str(exc).splitlines()[0]}") from exc
    return nlp


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
