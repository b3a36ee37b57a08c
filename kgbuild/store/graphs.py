"""Reading graphs back: a graph file, a `kgbuild build` output directory, or a store.

validate and push both need "the named graphs at this path" as rdflib
Graphs, one per article, wherever they live.  A file without graph names
(Turtle, N-Triples) gives one graph whose identifier is not an IRI; callers
that need a name (push) say so.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef

from ..errors import InputError
from ..rdf.namespaces import ONTOLOGY_IRI, bind_prefixes
from .paths import GraphPath, locate

# rdflib's parser name for each syntax of paths.GRAPH_SUFFIXES
PARSERS = {
    "turtle": "turtle",
    "n-triples": "nt",
    "n-quads": "nquads",
    "trig": "trig",
    "json-ld": "json-ld",
    "rdf/xml": "xml",
}


def load_graphs(path: str | Path, *, ontology: bool = False) -> list[Graph]:
    """The graphs at `path`, one per named graph, sorted by name; the ontology graph only if asked."""
    where = locate(path)
    if where.kind == "store":
        from .persist import read_graphs

        return read_graphs(where.path, ontology=ontology)
    return parse_file(where.path, ontology=ontology)


def parse_file(path: Path, *, ontology: bool = False) -> list[Graph]:
    fmt = PARSERS[GraphPath("file", path).syntax]
    ds = Dataset()
    try:
        ds.parse(str(path), format=fmt)
    except Exception as exc:  # rdflib raises many unrelated exception types for bad syntax
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot parse graph: {reason}", path=str(path)) from exc
    graphs = []
    for g in ds.graphs():
        if len(g) == 0 or (not ontology and str(g.identifier) == ONTOLOGY_IRI):
            continue
        copy = Graph(identifier=g.identifier)
        bind_prefixes(copy)
        for t in g:
            copy.add(t)
        graphs.append(copy)
    return sorted(graphs, key=lambda g: str(g.identifier))


def is_named(graph: Graph) -> bool:
    """Has the graph a real IRI name (not the default graph of a triples file)?"""
    ident = graph.identifier
    return isinstance(ident, URIRef) and not isinstance(ident, BNode) and not str(ident).startswith("urn:x-rdflib:")
