"""Ontology look-ups: event classes and their depth, styles of entity classes, roles, colours."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from ..rdf.namespaces import KGB_URI
from .style import DIRECT_COLORS, ENTITY_STYLES, OTHER_EDGE_COLOR, ROLE_COLORS, kgb_iri
from .triples import Lit


@lru_cache(maxsize=1)
def event_classes() -> dict[str, dict]:
    """Event class -> {parent, coarse, label, ...} from kgbuild/data/event_types.json."""
    try:
        data = json.loads(resources.files("kgbuild.data").joinpath("event_types.json").read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {"Event": {"parent": None, "coarse": "Other"}}
    return data.get("classes", data)


@lru_cache(maxsize=None)
def class_depth(cls: str) -> int:
    """How deep a class sits (events: event_types.json; others: the ontology)."""
    events = event_classes()
    if cls in events:
        depth, seen = 0, set()
        while cls in events and events[cls].get("parent") and cls not in seen:
            seen.add(cls)
            cls, depth = events[cls]["parent"], depth + 1
        return depth + 1
    try:
        from rdflib import URIRef

        from ..rdf.ontology import class_ancestors

        return len(class_ancestors(URIRef(kgb_iri(cls))))
    except Exception:  # noqa: BLE001 - a missing/broken ontology only costs precision
        return 0


def entity_style_class(kinds: list[str]) -> str:
    styled = [c for c in kinds if c in ENTITY_STYLES]
    return max(styled, key=lambda c: (class_depth(c), c)) if styled else "Other"


@lru_cache(maxsize=1)
def role_names() -> tuple[str, ...]:
    """Role properties: those the ontology data declares, and the ones we colour."""
    try:
        from ..rdf.namespaces import role_property_names

        declared = set(role_property_names())
    except Exception:  # noqa: BLE001 - an older or broken data file only costs new roles
        declared = set()
    return tuple(sorted(declared | set(ROLE_COLORS)))


@lru_cache(maxsize=None)
def _property_ancestors(name: str) -> tuple[str, ...]:
    """kgb: super-properties of kgb:name, nearest first where the ontology says so."""
    try:
        from rdflib import URIRef

        from ..rdf.ontology import property_ancestors

        found = [local(str(p)) for p in property_ancestors(URIRef(kgb_iri(name))) if str(p).startswith(KGB_URI)]
    except Exception:  # noqa: BLE001
        found = []
    return tuple(sorted(set(found) - {name}))


def most_specific(props: set[str]) -> set[str]:
    """Drop properties implied by a finer one present too (kgb:speaker implies kgb:agent).

    The RDF writer asserts every super-property so plain stores answer generic
    queries; drawn, they would double every edge.
    """
    implied = {a for p in props for a in _property_ancestors(p)}
    return props - implied


def edge_color(kind: str, rel: str) -> str:
    table = ROLE_COLORS if kind == "role" else DIRECT_COLORS
    for name in (rel, *_property_ancestors(rel)):
        if name in table:
            return table[name]
    return OTHER_EDGE_COLOR


def local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] or iri


def max_conf(values: list) -> float | None:
    nums = []
    for v in values:
        try:
            nums.append(float(v.value if isinstance(v, Lit) else v))
        except (TypeError, ValueError):
            pass
    return round(max(nums), 3) if nums else None
