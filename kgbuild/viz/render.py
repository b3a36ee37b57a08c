"""The viewer entry points: `render_graph` (an rdflib graph) and `render_path` (a graph path)."""

from __future__ import annotations

from pathlib import Path

from .model import Model
from .page import page_data, page_html
from .triples import Triples


def render_graph(graph, *, title: str) -> str:
    """The viewer page for an rdflib graph (or dataset: all its triples)."""
    return _render(Triples.from_rdflib(graph), title)


def render_path(path: str | Path, *, title: str) -> str:
    """The viewer page for a graph file (.ttl .nq ...), build output dir or store.

    Read through pyoxigraph (kgbuild.store.sparql.open_store): it parses N-Quads and
    Turtle alike, opens on-disk stores, and is much faster than rdflib.
    """
    from ..store.sparql import open_store

    return _render(Triples.from_store(open_store(path)), title)


def _render(triples: "Triples", title: str) -> str:
    model = Model(triples)
    return page_html(page_data(model, title), title)


