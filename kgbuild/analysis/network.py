"""The graph as networkx graphs, and the network statistics analysts ask for.

RDF is the exchange format, but questions such as "who is central", "which
groups cluster together" are graph algorithms, and networkx has them.  This
module reads the store once (`load`) into plain records, then projects them:

- the *event graph*: bipartite, event nodes <-> the entities that fill their
  roles (actors and places), each edge carrying the role names;
- the *actor graph*: undirected, between entities typed kgb:Actor, linked by
  direct relations (opposes, supports, negotiatedWith, struck and the
  affiliations leaderOf, spokespersonOf, memberOf) and by events both took
  part in.  An attack with one as agent and the other as target counts as
  `struck`; any other shared event as `co_participation`.  An edge's
  `weight` is its number of reports: one per reified statement, one per
  event.

Every output is deterministic: nodes and edges are added in sorted order,
community detection is seeded, and ties are broken by label then IRI.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef

from ..rdf.namespaces import KGB_URI, role_property_names
from ..rdf.ontology import class_ancestors, property_ancestors
from ..store.sparql import run_query

SEM_HAS_ACTOR = URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasActor")
# Every role property of the ontology except time (its filler is no entity).
ROLES = tuple(r for r in role_property_names() if r != "time")
ACTOR_RELATIONS = ("opposes", "supports", "negotiatedWith", "struck", "leaderOf", "spokespersonOf", "memberOf")
CO_PARTICIPATION = "co_participation"
ATTACK = "Attack"

_PREFIXES = """
PREFIX kgb:    <https://w3id.org/kgbuild/ontology#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sem:    <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX wgs:    <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX gaf:    <http://groundedannotationframework.org/gaf#>
PREFIX nif:    <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
PREFIX faro:   <http://purl.org/faro/>
"""

# Entities are the nodes with a kgb:canonicalKey (the writer gives one to each).
_ENTITIES = (
    _PREFIXES
    + """
SELECT ?entity (MIN(STR(?l)) AS ?label) (MIN(STR(?la)) AS ?lat) (MIN(STR(?lo)) AS ?lon)
       (MIN(STR(?cnt)) AS ?count) (MIN(STR(?gn)) AS ?geonames)
WHERE {
  ?entity kgb:canonicalKey ?key ; rdfs:label ?l .
  OPTIONAL { ?entity wgs:lat ?la ; wgs:long ?lo }
  OPTIONAL { ?entity kgb:count ?cnt }
  OPTIONAL { ?entity skos:exactMatch ?gn FILTER(STRSTARTS(STR(?gn), "https://sws.geonames.org/")) }
}
GROUP BY ?entity
"""
)
_TYPES = (
    _PREFIXES
    + """
SELECT DISTINCT ?node ?type WHERE {
  { ?node kgb:canonicalKey ?key } UNION { ?node kgb:coarseType ?coarse }
  ?node a ?type .
  FILTER(STRSTARTS(STR(?type), STR(kgb:)))
}
"""
)
# Events are the nodes with a kgb:coarseType (the writer gives one to each),
# except the canonical events of the coreference layer ({base}graph/coref):
# they stand for several of these reports and would count them twice.
_EVENTS = (
    _PREFIXES
    + """
SELECT ?event (MIN(STR(?l)) AS ?label) (MIN(?c) AS ?coarse) (MIN(STR(?cls)) AS ?event_type)
       (MIN(STR(?d)) AS ?date) (MIN(?dp) AS ?date_precision) (MIN(?m) AS ?modality) (MIN(STR(?conf)) AS ?confidence) (MIN(?cameo_) AS ?cameo)
       (MIN(?at) AS ?acled_type) (MIN(?ast) AS ?acled_sub)
       (MIN(?trig) AS ?trigger) (MIN(?b) AS ?begin) (MIN(STR(?doc_)) AS ?doc)
       (MIN(?title_) AS ?title) (MIN(STR(?url_)) AS ?url) (MIN(STR(?pub_)) AS ?published)
       (MIN(?ev) AS ?evidence) (MIN(?plover_) AS ?plover) (MIN(STR(?canon)) AS ?canonical)
       (MAX(STR(?killed_)) AS ?killed) (MAX(STR(?injured_)) AS ?injured)
WHERE {
  ?event kgb:coarseType ?c ; rdfs:label ?l .
  FILTER NOT EXISTS { ?event a kgb:CanonicalEvent }
  OPTIONAL { ?event sem:eventType ?cls }
  OPTIONAL { ?event kgb:date ?d }
  OPTIONAL { ?event kgb:datePrecision ?dp }
  OPTIONAL { ?event kgb:modality ?m }
  OPTIONAL { ?event kgb:confidence ?conf }
  OPTIONAL { ?event kgb:cameoCode ?cameo_ }
  OPTIONAL { ?event kgb:acledEventType ?at }
  OPTIONAL { ?event kgb:acledSubEventType ?ast }
  OPTIONAL { ?event kgb:ploverCategory ?plover_ }
  OPTIONAL { ?event faro:coreference_of ?canon }
  # Casualty figures (kgb:casualties -> a kgb:CasualtyFigure with a kind and rdf:value);
  # graphs without them leave both unbound.
  OPTIONAL { ?event kgb:casualties ?dead . ?dead kgb:casualtyKind ?deadKind ; rdf:value ?killed_
             FILTER(STR(?deadKind) = "killed") }
  OPTIONAL { ?event kgb:casualties ?hurt . ?hurt kgb:casualtyKind ?hurtKind ; rdf:value ?injured_
             FILTER(STR(?hurtKind) = "injured") }
  OPTIONAL { ?event gaf:denotedBy ?mention . ?mention nif:anchorOf ?trig ; nif:beginIndex ?b }
  OPTIONAL { ?event kgb:evidence ?sent . ?sent nif:anchorOf ?ev }
  OPTIONAL {
    ?event prov:wasDerivedFrom ?doc_ .
    OPTIONAL { ?doc_ schema:headline ?title_ }
    OPTIONAL { ?doc_ schema:url ?url_ }
    OPTIONAL { ?doc_ schema:datePublished ?pub_ }
  }
}
GROUP BY ?event
"""
)
_ROLES = (
    _PREFIXES
    + """
SELECT DISTINCT ?event ?role ?entity WHERE {
  VALUES ?role { %s }
  ?event kgb:coarseType ?c ; ?role ?entity .
  FILTER NOT EXISTS { ?event a kgb:CanonicalEvent }
  ?entity kgb:canonicalKey ?key .
}
"""
    % " ".join(f"kgb:{r}" for r in ROLES)
)
_STATEMENTS = (
    _PREFIXES
    + """
SELECT ?statement ?subject ?predicate ?object (MIN(STR(?conf)) AS ?confidence) (MIN(STR(?d)) AS ?doc)
WHERE {
  ?statement a rdf:Statement ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object .
  OPTIONAL { ?statement kgb:confidence ?conf }
  OPTIONAL { ?statement prov:wasDerivedFrom ?d }
}
GROUP BY ?statement ?subject ?predicate ?object
"""
)


# -- records -------------------------------------------------------------------


@dataclass(frozen=True)
class EntityInfo:
    iri: str
    label: str
    cls: str  # most specific kgb class, local name ("ArmedGroup")
    is_actor: bool
    lat: float | None = None
    lon: float | None = None
    count: int | None = None  # size of a group of people ("308 fighters")
    geonames: str = ""  # GeoNames id of a place ("" if not linked)


@dataclass(frozen=True)
class EventInfo:
    iri: str
    label: str
    event_class: str  # most specific kgb class, local name ("Airstrike")
    coarse_type: str
    date: str | None  # xsd:date; the first day of the period for month or year precision
    date_precision: str  # day | month | year ("" when undated)
    modality: str
    confidence: float | None
    cameo: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    trigger: str
    begin: int
    doc: str
    title: str
    url: str
    published: str  # the article's publication date ("" if unknown)
    evidence: str
    roles: tuple[tuple[str, str], ...] = ()  # (role local name, entity IRI), most specific roles
    plover: str | None = None
    canonical: str = ""  # the coreference layer's event this one reports ("" if none)
    killed: int | None = None  # casualty figures stated on the event (kgb:casualties, kind killed / injured)
    injured: int | None = None

    def fillers(self, *roles: str) -> tuple[str, ...]:
        """IRIs of the entities in any of `roles` (sorted, no repeats)."""
        return tuple(sorted({iri for role, iri in self.roles if role in roles}))


@dataclass(frozen=True)
class StatementInfo:
    iri: str
    subject: str
    predicate: str  # local name ("opposes")
    object: str
    confidence: float | None
    doc: str


@dataclass(frozen=True)
class GraphData:
    """What the projections need from the store, read once."""

    entities: Mapping[str, EntityInfo]
    events: tuple[EventInfo, ...]
    statements: tuple[StatementInfo, ...]

    def label(self, iri: str) -> str:
        entity = self.entities.get(iri)
        return entity.label if entity else iri


# -- reading the store -----------------------------------------------------------


def load(store: ox.Store) -> GraphData:
    """Read entities, events with their roles, and reified statements."""
    types = _types(store)
    entities = {row["entity"]: _entity(row, types.get(row["entity"], set())) for row in _rows(store, _ENTITIES)}
    roles = _roles(store)
    events = [_event(row, types.get(row["event"], set()), roles.get(row["event"], {})) for row in _rows(store, _EVENTS)]
    events.sort(key=lambda e: (e.date is None, e.date or "", e.doc, e.begin, e.iri))
    statements = sorted((_statement(row) for row in _rows(store, _STATEMENTS)), key=lambda s: s.iri)
    return GraphData(dict(sorted(entities.items())), tuple(events), tuple(statements))


def _rows(store: ox.Store, sparql: str) -> list[dict[str, Any]]:
    # the queries bind every selected variable; OPTIONAL ones may be None
    result = run_query(store, sparql)
    return [dict(zip(result.variables, row)) for row in result.rows]


def _types(store: ox.Store) -> dict[str, set[str]]:
    types: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, _TYPES):
        types[row["node"]].add(row["type"])
    return types


def _roles(store: ox.Store) -> dict[str, dict[str, set[str]]]:
    """event -> entity -> role local names."""
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _rows(store, _ROLES):
        roles[row["event"]][row["entity"]].add(_local(row["role"]))
    return roles


def _entity(row: dict, types: set[str]) -> EntityInfo:
    return EntityInfo(
        iri=row["entity"],
        label=row["label"] or row["entity"],
        cls=most_specific_class(types),
        is_actor=f"{KGB_URI}Actor" in types,
        lat=_float(row["lat"]),
        lon=_float(row["lon"]),
        count=_int(row.get("count")),
        geonames=(row.get("geonames") or "").rstrip("/").rsplit("/", 1)[-1],
    )


def _event(row: dict, types: set[str], roles: Mapping[str, set[str]]) -> EventInfo:
    pairs = sorted((role, entity) for entity, names in roles.items() for role in most_specific_roles(names))
    return EventInfo(
        iri=row["event"],
        label=row["label"] or "",
        event_class=_local(row["event_type"]) if row["event_type"] else most_specific_class(types) or "Event",
        coarse_type=row["coarse"] or "Other",
        date=row["date"],
        date_precision=row["date_precision"] or ("day" if row["date"] else ""),
        modality=row["modality"] or "asserted",
        confidence=_float(row["confidence"]),
        cameo=row["cameo"],
        acled_event_type=row["acled_type"],
        acled_sub_event_type=row["acled_sub"],
        trigger=row["trigger"] or "",
        begin=_int(row["begin"]) or 0,
        doc=row["doc"] or "",
        title=row["title"] or "",
        url=row["url"] or "",
        published=row["published"] or "",
        evidence=row["evidence"] or "",
        roles=tuple(pairs),
        plover=row.get("plover"),
        canonical=row.get("canonical") or "",
        killed=_int(row.get("killed")),
        injured=_int(row.get("injured")),
    )


def _statement(row: dict) -> StatementInfo:
    return StatementInfo(
        row["statement"],
        row["subject"],
        _local(row["predicate"]),
        row["object"],
        _float(row["confidence"]),
        row["doc"] or "",
    )


def most_specific_class(types: Iterable[str]) -> str:
    """The local name of the kgb class no other given class descends from.

    The writer asserts the whole rdf:type chain; the ontology tells which one
    is the leaf.  Ties (multiple inheritance) go to the deeper, then the
    alphabetically first class, so the answer never depends on set order.
    """
    kgb = sorted(t for t in types if t.startswith(KGB_URI))
    ancestors = {t: {str(a) for a in class_ancestors(URIRef(t))} for t in kgb}
    leaves = [t for t in kgb if not any(t != o and t in ancestors[o] for o in kgb)]
    if not leaves:
        return ""
    best = min(leaves, key=lambda t: (-len(ancestors[t]), t))
    return _local(best)


def most_specific_roles(roles: Iterable[str]) -> list[str]:
    """Drop roles implied by another given role (speaker implies agent)."""
    names = set(roles)
    implied = {_local(str(a)) for r in names for a in property_ancestors(URIRef(KGB_URI + r)) if _local(str(a)) != r}
    return sorted(names - implied)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    """A count from a literal; anything that is not a whole number (an edited graph) is unknown."""
    number = _float(value)
    return int(number) if number is not None and number.is_integer() and number >= 0 else None


def roles_under(prop: str | URIRef) -> frozenset[str]:
    """Role names that are `prop` or its sub-properties in the ontology.

    `prop` is a kgb local name ("target") or a full IRI (sem:hasActor), so
    code asks for "every kind of target" and picks up victims, addressees
    and any role the ontology adds later.
    """
    iri = URIRef(prop if ":" in str(prop) else KGB_URI + str(prop))
    return frozenset(r for r in ROLES if iri in property_ancestors(URIRef(KGB_URI + r)))


def actor_roles() -> frozenset[str]:
    """Roles that make an entity a participant (sub-properties of sem:hasActor)."""
    return roles_under(SEM_HAS_ACTOR)


# -- projections ---------------------------------------------------------------------


def event_graph(data: GraphData) -> nx.Graph:
    """Bipartite graph: events (bipartite=0) <-> role fillers (bipartite=1)."""
    g = nx.Graph(name="kgbuild event graph")
    for ev in data.events:
        g.add_node(
            ev.iri,
            bipartite=0,
            kind="event",
            label=ev.label,
            cls=ev.event_class,
            coarse_type=ev.coarse_type,
            date=ev.date or "",
            modality=ev.modality,
        )
    for iri in sorted({iri for ev in data.events for _, iri in ev.roles}):
        entity = data.entities.get(iri)
        g.add_node(
            iri,
            bipartite=1,
            kind="actor" if entity and entity.is_actor else "entity",
            label=data.label(iri),
            cls=entity.cls if entity else "",
        )
    for ev in data.events:
        by_entity: dict[str, list[str]] = defaultdict(list)
        for role, iri in ev.roles:
            by_entity[iri].append(role)
        for iri, roles in sorted(by_entity.items()):
            g.add_edge(ev.iri, iri, role=";".join(sorted(roles)))
    return g


def actor_graph(data: GraphData, relations: tuple[str, ...] = ACTOR_RELATIONS) -> nx.Graph:
    """Weighted, undirected graph of actors; see the module docstring."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a, b, kind in _actor_links(data, relations):
        counts[(a, b) if a <= b else (b, a)][kind] += 1
    g = nx.Graph(name="kgbuild actor graph")
    events_of = _event_counts(data)
    for iri, entity in data.entities.items():
        if entity.is_actor:
            g.add_node(iri, kind="actor", label=entity.label, cls=entity.cls, events=events_of.get(iri, 0))
    kinds = tuple(relations) + (CO_PARTICIPATION,)
    for (a, b), per_kind in sorted(counts.items()):
        attrs = {k: per_kind.get(k, 0) for k in kinds}
        g.add_edge(
            a, b, weight=sum(per_kind.values()), relations=";".join(k for k in kinds if per_kind.get(k)), **attrs
        )
    return g


def _actor_links(data: GraphData, relations: tuple[str, ...]) -> Iterable[tuple[str, str, str]]:
    """(actor, actor, kind) once per report."""
    actors = {iri for iri, e in data.entities.items() if e.is_actor}
    for st in data.statements:
        if st.predicate in relations and st.subject in actors and st.object in actors and st.subject != st.object:
            yield st.subject, st.object, st.predicate
    participant_roles, agents, victims = actor_roles(), roles_under("agent"), roles_under("target")
    for ev in data.events:
        members = [iri for iri in ev.fillers(*participant_roles) if iri in actors]
        attack = ev.coarse_type == ATTACK
        attackers = set(ev.fillers(*agents)) if attack else set()
        targets = set(ev.fillers(*victims)) if attack else set()
        for a, b in itertools.combinations(members, 2):
            struck = (a in attackers and b in targets) or (b in attackers and a in targets)
            yield a, b, "struck" if struck and "struck" in relations else CO_PARTICIPATION


def _event_counts(data: GraphData) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for ev in data.events:
        for iri in {iri for _, iri in ev.roles}:
            counts[iri] += 1
    return counts


# -- statistics ----------------------------------------------------------------------


@dataclass(frozen=True)
class Central:
    label: str
    iri: str
    degree: int  # distinct partners
    reports: int  # weighted degree
    betweenness: float


@dataclass(frozen=True)
class NetworkStats:
    events: int
    entities: int
    actors: int
    statements: int
    event_graph: dict  # nodes, edges
    actor_graph: dict  # nodes, edges, density
    by_degree: tuple[Central, ...]
    by_betweenness: tuple[Central, ...]
    communities: tuple[tuple[str, ...], ...]  # labels, largest first
    components: tuple[tuple[str, ...], ...]
    seed: int = 42

    def to_dict(self) -> dict:
        return asdict(self)

    def text(self, show: int = 10) -> str:
        """The human-readable report printed by `kgbuild stats`."""
        eg, ag = self.event_graph, self.actor_graph
        lines = [
            f"{self.events} events, {self.entities} entities ({self.actors} actors), {self.statements} relation reports",
            f"event graph: {eg['nodes']} nodes, {eg['edges']} edges",
            f"actor graph: {ag['nodes']} nodes, {ag['edges']} edges, density {ag['density']:.3f}",
            "",
            "most central actors by degree:",
            *(f"  {c.label}: degree {c.degree}, reports {c.reports}" for c in self.by_degree[:show]),
            "most central actors by betweenness:",
            *(f"  {c.label}: {c.betweenness:.3f}" for c in self.by_betweenness[:show]),
            "",
            _groups("communities (louvain, seed %d)" % self.seed, self.communities, show),
            _groups("connected components", self.components, show),
        ]
        return "\n".join(lines) + "\n"


def _groups(title: str, groups: tuple[tuple[str, ...], ...], show: int) -> str:
    big = [g for g in groups if len(g) > 1]
    single = len(groups) - len(big)
    lines = [f"{title}: {len(groups)} ({single} single actors)"]
    lines += [f"  {i}. {', '.join(g)}" for i, g in enumerate(big[:show], 1)]
    return "\n".join(lines)


def network_stats(source: ox.Store | GraphData, top: int = 10, seed: int = 42) -> NetworkStats:
    """Sizes, central actors, communities and components of the actor graph."""
    data = source if isinstance(source, GraphData) else load(source)
    eg, ag = event_graph(data), actor_graph(data)
    central = _centrality(ag, seed)
    return NetworkStats(
        events=len(data.events),
        entities=len(data.entities),
        actors=ag.number_of_nodes(),
        statements=len(data.statements),
        event_graph={"nodes": eg.number_of_nodes(), "edges": eg.number_of_edges()},
        actor_graph={
            "nodes": ag.number_of_nodes(),
            "edges": ag.number_of_edges(),
            "density": round(nx.density(ag), 6) if ag.number_of_nodes() > 1 else 0.0,
        },
        by_degree=tuple(sorted(central, key=lambda c: (-c.degree, -c.reports, c.label, c.iri))[:top]),
        by_betweenness=tuple(sorted(central, key=lambda c: (-c.betweenness, -c.degree, c.label, c.iri))[:top]),
        communities=_labelled(ag, communities(ag, seed)),
        components=_labelled(ag, nx.connected_components(ag)),
        seed=seed,
    )


def _centrality(g: nx.Graph, seed: int) -> list[Central]:
    # Exact betweenness is cubic; past a few thousand actors sample, seeded.
    k = 500 if g.number_of_nodes() > 2000 else None
    between = nx.betweenness_centrality(g, k=k, seed=seed) if g.number_of_nodes() else {}
    return [
        Central(g.nodes[n]["label"], n, g.degree(n), int(g.degree(n, weight="weight")), round(between.get(n, 0.0), 6))
        for n in g.nodes
    ]


def communities(g: nx.Graph, seed: int = 42) -> list[set[str]]:
    """Louvain communities (weighted by reports, seeded so runs agree)."""
    if g.number_of_nodes() == 0:
        return []
    return nx.community.louvain_communities(g, weight="weight", seed=seed)


def _labelled(g: nx.Graph, groups: Iterable[set[str]]) -> tuple[tuple[str, ...], ...]:
    """Groups as sorted label tuples, largest first, then alphabetically."""
    named = [tuple(sorted(g.nodes[n]["label"] for n in group)) for group in groups]
    return tuple(sorted(named, key=lambda labels: (-len(labels), labels)))
