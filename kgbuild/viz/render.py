"""The viewer entry points: `render_graph` (an rdflib graph) and `render_path` (a graph path)."""

from __future__ import annotations

from pathlib import Path

from .corpus import CORPUS_MIN_ARTICLES, corpus_network
from .model import Model
from .page import corpus_page_html, page_data, page_html
from .style import PROV_DERIVED
from .triples import Lit, Triples


def article_count(triples: Triples) -> int:
    """How many articles the graph's nodes are derived from (prov:wasDerivedFrom objects)."""
    return len({doc for _, docs in triples.pairs(PROV_DERIVED) for doc in docs if isinstance(doc, str)})


def _store(triples: Triples):
    """The triples in an in-memory Oxigraph store, for the SPARQL readers of kgbuild.analysis."""
    import pyoxigraph as ox

    def node(v: str):
        return ox.NamedNode(v) if ":" in v else ox.BlankNode(v)

    store = ox.Store()
    quads = []
    for p, by_subject in sorted(triples.by_pred.items()):
        pred = ox.NamedNode(p)
        for s, objs in by_subject.items():
            subj = node(s)
            for o in objs:
                obj = ox.Literal(o.value, language=o.lang) if isinstance(o, Lit) else node(o)
                quads.append(ox.Quad(subj, pred, obj))
    store.extend(quads)
    return store


def render_graph(graph, *, title: str, notes: list[str] | None = None, corpus: bool | None = None) -> str:
    """The viewer page for an rdflib graph (or dataset: all its triples).

    What could not be drawn (offsets past the text, nodes without a label ...)
    is appended to `notes`, one line per reason, when a list is given.
    `corpus`: draw the aggregated actor network (kgbuild.viz.corpus) instead of
    every node; by default (None) when the graph comes from CORPUS_MIN_ARTICLES
    articles or more.
    """
    return _render(Triples.from_rdflib(graph), title, notes, corpus)


def render_path(path: str | Path, *, title: str, notes: list[str] | None = None, corpus: bool | None = None) -> str:
    """The viewer page for a graph file (.ttl .nq ...), build output dir or store (notes, corpus: as render_graph).

    Read through pyoxigraph (kgbuild.store.sparql.open_store): it parses N-Quads and
    Turtle alike, opens on-disk stores, and is much faster than rdflib.
    """
    from ..store.sparql import open_store

    return _render(Triples.from_store(open_store(path)), title, notes, corpus)


def _render(triples: "Triples", title: str, notes: list[str] | None, corpus: bool | None = None) -> str:
    if corpus is None:
        corpus = article_count(triples) >= CORPUS_MIN_ARTICLES
    if corpus:
        from ..analysis.network import load

        data = corpus_network(load(_store(triples)))
        if data["nodes"]:  # a corpus without actor links falls back to the full viewer
            data["title"] = title
            return corpus_page_html(data, title)
    model = Model(triples)
    html = page_html(page_data(model, title), title)
    if notes is not None:
        notes.extend(model.notes())
    return html
