"""The viewer entry points: `render_graph` (an rdflib graph) and `render_path` (a graph path)."""

from __future__ import annotations

from pathlib import Path

from .model import Model
from .page import page_data, page_html
from .triples import Triples


def render_graph(graph, *, title: str, notes: list[str] | None = None) -> str:
    """The viewer page for an rdflib graph (or dataset: all its triples).

    What could not be drawn (offsets past the text, nodes without a label ...)
    is appended to `notes`, one line per reason, when a list is given.
    """
    return _render(Triples.from_rdflib(graph), title, notes)


def render_path(path: str | Path, *, title: str, notes: list[str] | None = None) -> str:
    """The viewer page for a graph file (.ttl .nq ...), build output dir or store (notes: as render_graph).

    Read through pyoxigraph (kgbuild.store.sparql.open_store): it parses N-Quads and
    Turtle alike, opens on-disk stores, and is much faster than rdflib.
    """
    from ..store.sparql import open_store

    return _render(Triples.from_store(open_store(path)), title, notes)


def _render(triples: "Triples", title: str, notes: list[str] | None) -> str:
    model = Model(triples)
    html = page_html(page_data(model, title), title)
    if notes is not None:
        notes.extend(model.notes())
    return html
