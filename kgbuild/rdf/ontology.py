"""The shipped ontology and shapes, read lazily from the installed package.

Everything is read with importlib.resources from `kgbuild.ontologies`
(pyproject maps that package to ontologies/), so an installed copy finds its
files without the repository.  The writer needs each class's and property's
ancestors, so that the output carries the full rdf:type chain and every
role's super-properties (plain stores have no reasoner, and a query for
kgb:Attack or sem:hasActor must still find an Airstrike's agent).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

ONTOLOGY_FILE = "kgbuild.ttl"
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"


def ontology_path(name: str = ONTOLOGY_FILE) -> Path:
    """Path of a file shipped in kgbuild.ontologies (works from an installed copy)."""
    return Path(str(resources.files("kgbuild.ontologies").joinpath(name)))


def read_text(name: str) -> str:
    """Text of a file shipped in kgbuild.ontologies (also works from a zipped install)."""
    return resources.files("kgbuild.ontologies").joinpath(name).read_text("utf-8")


def _parse(name: str) -> Graph:
    g = Graph()
    g.parse(data=read_text(name), format="turtle")
    return g


@functools.lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology as an rdflib Graph (cached: treat it as read-only)."""
    return _parse(ONTOLOGY_FILE)


@functools.lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes as an rdflib Graph (cached: treat it as read-only)."""
    return _parse(SHAPES_FILE)


def _closure(start: URIRef, link: URIRef) -> tuple[URIRef, ...]:
    g = ontology_graph()
    seen = {start}
    todo = [start]
    while todo:
        for parent in g.objects(todo.pop(), link):
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return tuple(sorted(seen))


@functools.lru_cache(maxsize=None)
def class_ancestors(cls: URIRef) -> tuple[URIRef, ...]:
    """cls and all its super-classes (transitively), sorted for determinism."""
    return _closure(cls, RDFS.subClassOf)


@functools.lru_cache(maxsize=None)
def property_ancestors(prop: URIRef) -> tuple[URIRef, ...]:
    """prop and all its super-properties (transitively), sorted for determinism."""
    return _closure(prop, RDFS.subPropertyOf)


@functools.lru_cache(maxsize=None)
def is_subclass(cls: URIRef, ancestor: URIRef) -> bool:
    return ancestor in class_ancestors(cls)
