"""Running the extraction stage over a stream of articles.

`extract(articles)` yields one Extraction per Article, in input order.  spaCy
objects are created and dropped here; only records leave.  Articles flow
through `nlp.pipe` in batches so memory stays flat on large corpora.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from ..errors import InputError
from ..extract import to_extraction
from ..nlp import DEFAULT_MODEL, load_pipeline
from ..records import Article, Extraction


def extract(
    articles: Iterable[Article],
    *,
    model: str = DEFAULT_MODEL,
    extractors: tuple[str, ...] | None = None,
    batch_size: int = 16,
    on_error: Callable[[Article, Exception], None] | None = None,
) -> Iterator[Extraction]:
    """Extract entities, events and relations from each article.

    An article longer than the model accepts (nlp.max_length characters) is
    an InputError.  Without `on_error` the first failure propagates; with it
    (--keep-going) a failing article is passed to `on_error` with its
    exception and skipped, and the others go on.
    """
    nlp = load_pipeline(model, extractors)

    def make_doc(article: Article):
        if len(article.text) > nlp.max_length:
            raise InputError(
                f"text is {len(article.text):,} characters, above the model's limit of {nlp.max_length:,}; split it",
                path=article.source or article.doc_id,
            )
        doc = nlp.make_doc(article.text)
        doc._.kg_article = article
        return doc

    if on_error is None:
        for doc in nlp.pipe(map(make_doc, articles), batch_size=batch_size):
            yield to_extraction(doc)
        return
    it = iter(articles)
    while batch := list(islice(it, batch_size)):
        try:
            done = [to_extraction(doc) for doc in nlp.pipe(map(make_doc, batch), batch_size=batch_size)]
        except Exception:  # redo the batch one article at a time: only the failing ones are skipped
            done = []
            for article in batch:
                try:
                    done.append(to_extraction(nlp(make_doc(article))))
                except Exception as exc:
                    on_error(article, exc)
        yield from done


def extract_one(article: Article, **kwargs) -> Extraction:
    """Convenience for a single article (tests, notebooks)."""
    return next(extract([article], **kwargs))
