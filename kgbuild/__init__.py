"""kgbuild: an offline event-knowledge-graph builder for news.

The public API is small; everything else lives in the stage packages:

    from kgbuild import build, extract_one, read_articles, open_store, run_query

(`kgbuild.run.pipeline.extract` streams many articles; `kgbuild.extract` is the
extraction subpackage.)  The subpackages are the pipeline's stages, in
data-flow order: ingest, kb, extract, resolve, rdf, run, store, analysis,
viz, eval, cli (see README, "Pipeline"); records.py and errors.py are shared
by all of them, nlp.py loads the spaCy pipeline.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (  # noqa: E402
    InputError,
    KgbuildError,
    ModelError,
    OutputError,
    QueryError,
    RemoteError,
    StoreError,
    UsageError,
    ValidationError,
)
from .records import Argument, Article, Entity, Event, Extraction, Mention, Relation, Span  # noqa: E402


_LAZY = {
    "build": ("run.build", "build"),
    "extract_one": ("run.pipeline", "extract_one"),
    "read_articles": ("ingest", "read_articles"),
    "open_store": ("store.sparql", "open_store"),
    "run_query": ("store.sparql", "run_query"),
}


def __getattr__(name: str):
    # Lazy re-exports: importing kgbuild must not import spaCy or load a model.
    if name not in _LAZY:
        raise AttributeError(f"module 'kgbuild' has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    value = getattr(importlib.import_module(f".{module}", __name__), attr)
    globals()[name] = value
    return value


__all__ = [
    "Argument",
    "Article",
    "Entity",
    "Event",
    "Extraction",
    "InputError",
    "KgbuildError",
    "Mention",
    "ModelError",
    "OutputError",
    "QueryError",
    "Relation",
    "RemoteError",
    "Span",
    "StoreError",
    "UsageError",
    "ValidationError",
    "__version__",
    "build",
    "extract_one",
    "open_store",
    "read_articles",
    "run_query",
]
