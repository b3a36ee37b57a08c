"""The shipped ontology, read lazily from the installed package.

Only what the writer needs: each class's ancestors, so that the output
carries the full rdf:type chain (plain stores have no reasoner, and a query
for kgb:Attack must still find an Airstrike).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

ONTOLOGY_FILE = "kgbuild.ttl"
SHAPES_FILE = "shapes.ttl"


def ontology_path(name: str = ONTOLOGY_FILE) -> Path:
    """Path of a file shipped in kgbuild.ontologies (works from an installed copy)."""
    return Path(str(resources.files("kgbuild.ontologies").joinpath(name)))


@functools.lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    g = Graph()
    g.parse(ontology_path(), format="turtle")
    return g


@functools.lru_cache(maxsize=None)
def class_ancestors(cls: URIRef) -> tuple[URIRef, ...]:
    """cls and all its super-classes (transitively), sorted for determinism."""
    g = ontology_graph()
    seen = {cls}
    todo = [cls]
    while todo:
        for parent in g.objects(todo.pop(), RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return tuple(sorted(seen))


@functools.lru_cache(maxsize=None)
def property_ancestors(prop: URIRef) -> tuple[URIRef, ...]:
    g = ontology_graph()
    seen = {prop}
    todo = [prop]
    while todo:
        for parent in g.objects(todo.pop(), RDFS.subPropertyOf):
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return tuple(sorted(seen))
