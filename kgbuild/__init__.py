"""kgbuild: an offline event-knowledge-graph builder for news.

The public API is small; everything else lives in private modules:

    from kgbuild import build, extract, read_articles, open_store, run_query
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


def __getattr__(name: str):
    # Lazy re-exports: importing kgbuild must not import spaCy or load a model.
    if name == "build":
        from .build import build

        return build
    if name in ("extract", "extract_one"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "read_articles":
        from .ingest import read_articles

        return read_articles
    if name in ("open_store", "run_query"):
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module 'kgbuild' has no attribute {name!r}")


__all__ = [
    "__version__", "build", "extract", "extract_one", "read_articles", "open_store", "run_query",
    "Article", "Argument", "Entity", "Event", "Extraction", "Mention", "Relation", "Span",
    "KgbuildError", "InputError", "ModelError", "OutputError", "QueryError", "RemoteError",
    "StoreError", "UsageError", "ValidationError",
]
