"""The corpus default: an aggregated actor network, drawn instead of every node.

For many articles the full graph is thousands of tiny components; what an
analyst reads first is who deals with whom.  `corpus_network` is a pure
function of `kgbuild.analysis.network.GraphData`: the actor graph
(`actor_graph`, edge weight = number of reports: events and statements
linking the two actors), its top actors by weighted degree, Louvain
communities (seeded), fixed positions, and per actor its events with their
evidence sentence for the drill-down panel.  Deterministic: same input, same
output.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from ..analysis.network import GraphData, actor_graph, communities

CORPUS_MIN_ARTICLES = 20  # from this many articles, the page opens on the actor network
TOP_ACTORS = 150
EVENTS_PER_ACTOR = 50
SEED = 42
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")


def corpus_network(data: GraphData, top: int = TOP_ACTORS, seed: int = SEED) -> dict:
    """Nodes (top actors), weighted edges, communities and each actor's events, as JSON-able values."""
    g = actor_graph(data)
    ranked = sorted(g.nodes, key=lambda n: (-int(g.degree(n, weight="weight")), -g.degree(n), g.nodes[n]["label"], n))
    keep = [n for n in ranked if g.degree(n) > 0][:top]
    sub = g.subgraph(keep).copy()
    if sub.number_of_nodes():  # the main component only: far-off islands would shrink it below legible size
        main = min(nx.connected_components(sub), key=lambda c: (-len(c), sorted(c)))
        keep = [n for n in keep if n in main]
        sub = g.subgraph(keep).copy()
    groups = (
        sorted((sorted(c) for c in communities(sub, seed=seed)), key=lambda c: (-len(c), c))
        if sub.number_of_nodes()
        else []
    )
    community = {n: i for i, group in enumerate(groups) for n in group}
    pos = _positions(sub, seed)
    ids = {iri: f"a{i}" for i, iri in enumerate(sorted(keep))}
    wdeg = {n: int(sub.degree(n, weight="weight")) for n in sub.nodes}
    biggest = max(wdeg.values(), default=1) or 1
    nodes = []
    for iri in sorted(keep):
        attrs = g.nodes[iri]
        c = community[iri]
        nodes.append(
            {
                "id": ids[iri],
                "label": attrs["label"],
                "cls": attrs["cls"],
                "community": c,
                "color": PALETTE[c % len(PALETTE)],
                "weight": wdeg[iri],
                "events": attrs["events"],
                "size": round(8 + 22 * (wdeg[iri] / biggest) ** 0.5, 2),
                "x": pos[iri][0],
                "y": pos[iri][1],
            }
        )
    edges = []
    for i, (a, b) in enumerate(sorted(tuple(sorted(e)) for e in sub.edges)):
        attrs = sub.edges[a, b]
        edges.append(
            {"id": f"w{i}", "from": ids[a], "to": ids[b], "weight": attrs["weight"], "relations": attrs["relations"]}
        )
    return {
        "nodes": nodes,
        "edges": edges,
        "communities": len(groups),
        "actors_total": sum(1 for n in g.nodes if g.degree(n) > 0),
        "articles": len({ev.doc for ev in data.events if ev.doc}),
        "events_of": _events_of(data, ids),
    }


def _positions(g: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Spring layout, seeded, weighted; rounded so that output is byte-stable."""
    if g.number_of_nodes() == 0:
        return {}
    scale = 120 * max(3.0, g.number_of_nodes() ** 0.5)
    raw = nx.spring_layout(g, k=3 / g.number_of_nodes() ** 0.5, weight=None, seed=seed, scale=scale, iterations=100)
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in sorted(raw.items())}


def _events_of(data: GraphData, ids: dict[str, str]) -> dict[str, list[dict]]:
    """Per kept actor: its events (date order), each with roles, article and evidence sentence."""
    out: dict[str, list[dict]] = defaultdict(list)
    for ev in data.events:
        roles: dict[str, list[str]] = defaultdict(list)
        for role, iri in ev.roles:
            roles[role].append(data.label(iri))
        for iri in sorted({iri for _, iri in ev.roles if iri in ids}):
            if len(out[ids[iri]]) >= EVENTS_PER_ACTOR:
                continue
            mine = sorted(role for role, who in ev.roles if who == iri)
            out[ids[iri]].append(
                {
                    "label": ev.label,
                    "cls": ev.event_class,
                    "date": ev.date or "",
                    "as": ", ".join(mine),
                    "roles": [[r, ", ".join(sorted(w))] for r, w in sorted(roles.items())],
                    "title": ev.title or ev.doc,
                    "sentence": ev.evidence,
                    "confidence": ev.confidence,
                }
            )
    return dict(sorted(out.items()))
