"""The event-role schema (kgbuild/data/event_roles.json): which kinds of entity may fill each role of
an event class, and which actor edges an event class gives.

One source for extraction (roles.py checks every filler against it), the actor edges
(relations.py) and the SHACL role-range shapes (scripts/build_ontology.py writes them into
ontologies/shapes.ttl).  Entity kinds are the classes of the kgbuild ontology: an entity of class
C fits a range that names C or any super-class of C (read from ontologies/kgbuild.ttl), so
"Actor" admits persons, organisations, armed groups, states and groups of people, and the groups
are never restated here.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from .lexicon import DATA, load_lexicon

ROLES_FILE = DATA / "event_roles.json"
ROLE_ORDER = ("agent", "target", "place", "time", "instrument", "other")


@dataclass(frozen=True)
class EdgeRule:
    predicate: str
    subject: str  # role of the subject
    object: str  # role of the object
    happened: bool  # only from events that happened (asserted or reported)
    object_actor: bool = True  # the object must be an actor (struck: any target)
    own_clause: bool = False  # the subject's fillers must lie in the trigger's own clause (subtree)
    sole: bool = False  # only when no actor fills another role ("A and B clashed", not "A and B struck C")


@functools.lru_cache(maxsize=1)
def load_schema() -> dict:
    return json.loads(ROLES_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def entity_kinds(cls: str) -> frozenset[str]:
    """The ontology class local name `cls` and all its super-classes in the kgb namespace (empty
    for a name the ontology does not declare: nothing is known of its kind)."""
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF

    from ...rdf.ontology import class_ancestors, ontology_graph

    kgb = "https://w3id.org/kgbuild/ontology#"
    if (URIRef(kgb + cls), RDF.type, OWL.Class) not in ontology_graph():
        return frozenset()
    return frozenset(str(u)[len(kgb) :] for u in class_ancestors(URIRef(kgb + cls)) if str(u).startswith(kgb))


@functools.lru_cache(maxsize=None)
def ranges(event_cls: str) -> dict[str, tuple[str, ...]]:
    """role -> entity classes allowed, for an event class (inherited down its class hierarchy)."""
    lex = load_lexicon()
    spec = load_schema()["ranges"]
    etype = lex.types.get(event_cls) or lex.types["Event"]
    out: dict[str, tuple[str, ...]] = {}
    for anc in reversed(etype.ancestors):  # Event first, the class itself last: the nearest wins
        out.update({role: tuple(v) for role, v in spec.get(anc, {}).items()})
    return out


def fits(event_cls: str, role: str, kinds: frozenset[str]) -> bool:
    allowed = ranges(event_cls).get(role)
    return allowed is None or bool(kinds & set(allowed))


def place_for(event_cls: str, role: str, kinds: frozenset[str]) -> str | None:
    """The role a filler of these kinds takes: its own if it fits, else the first of the schema's
    moves that admits it, else None (drop it).  Unknown kinds (no node, nothing in the parse) stay."""
    if not kinds or fits(event_cls, role, kinds):
        return role
    for other in load_schema()["moves"].get(role, ()):
        if fits(event_cls, other, kinds):
            return other
    return None


@functools.lru_cache(maxsize=None)
def edge_rules(event_cls: str) -> tuple[EdgeRule, ...]:
    """The actor-edge rules of an event class: those of its nearest ancestor that has any."""
    lex = load_lexicon()
    spec = load_schema()["edges"]
    etype = lex.types.get(event_cls) or lex.types["Event"]
    for anc in etype.ancestors:  # the class itself first
        if anc in spec:
            return tuple(EdgeRule(**r) for r in spec[anc])
    return ()


def symmetric() -> frozenset[str]:
    return frozenset(load_schema().get("symmetric", ()))
