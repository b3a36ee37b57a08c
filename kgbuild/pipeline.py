"""Running the extraction stage over a stream of articles.

`extract(articles)` yields one Extraction per Article, in input order.  spaCy
objects are created and dropped here; only records leave.  Articles flow
through `nlp.pipe` in batches so memory stays flat on large corpora.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .extract import to_extraction
from .nlp import DEFAULT_MODEL, load_pipeline
from .records import Article, Extraction


def extract(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    extractors: tuple[str, ...] | None = None,
    batch_size: int = 16,
) -> Iterator[Extraction]:
    """Extract entities, events and relations from each article."""
    nlp = load_pipeline(model, extractors)

    def docs():
        for article in articles:
            doc = nlp.make_doc(article.text)
            doc._.kg_article = article
            yield doc

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        yield to_extraction(doc)


def extract_one(article: Article, **kwargs) -> Extraction:
    """Convenience for a single article (tests, notebooks)."""
    return next(extract([article], **kwargs))
