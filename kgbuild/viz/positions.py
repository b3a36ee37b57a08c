"""Layout: node positions, computed here so the page opens without running physics."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from .style import EDGE_LENGTH, SEED, SPRING_MAX_NODES


def layout(nodes: list[str], edges: list[tuple[str, str]], seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Positions in pixels: each connected component laid out alone, then packed.

    News graphs are mostly many small components (one per story) plus a few
    big ones joined by shared actors; laying them out separately is both
    faster and more readable than one global simulation.
    """
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((a, b) for a, b in edges if a != b)
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    boxes = [_component_layout(g, comp, seed) for comp in comps]
    return _pack(boxes)


def _component_layout(g: nx.Graph, comp: list[str], seed: int) -> dict[str, np.ndarray]:
    n = len(comp)
    if n == 1:
        return {comp[0]: np.zeros(2)}
    sub = nx.Graph()
    sub.add_nodes_from(comp)
    sub.add_edges_from(sorted(tuple(sorted(e)) for e in g.subgraph(comp).edges()))
    radius = EDGE_LENGTH * math.sqrt(n) * 0.6
    if n <= SPRING_MAX_NODES:
        pos = nx.spring_layout(sub, seed=seed, iterations=60 if n > 50 else 120)
        return {k: np.asarray(v) * radius for k, v in pos.items()}
    return _sampled_force_layout(sub, comp, seed)


def _sampled_force_layout(
    sub: nx.Graph, comp: list[str], seed: int, iterations: int = 50, sample: int = 128
) -> dict[str, np.ndarray]:
    """Fruchterman-Reingold with repulsion estimated from a random sample of nodes.

    Exact repulsion is O(n^2) per step (and networkx's sparse solver needs
    scipy, which we do not ship); against a sample a step is one small matrix
    product, so 5,000 nodes take a fraction of a second.  Seeded, hence
    deterministic.
    """
    rng = np.random.default_rng(seed)
    n = len(comp)
    index = {v: i for i, v in enumerate(comp)}
    src = np.array([index[a] for a, b in sub.edges()], dtype=np.int64)
    dst = np.array([index[b] for a, b in sub.edges()], dtype=np.int64)
    k = EDGE_LENGTH
    pos = rng.uniform(-1.0, 1.0, (n, 2)) * k * math.sqrt(n) * 0.6
    temp = k * math.sqrt(n) * 0.1
    strength = k * k * n / sample
    for _ in range(iterations):
        others = pos[rng.integers(0, n, sample)]
        # sum_j (p_i - o_j) / |p_i - o_j|^2, written as matrix products
        d2 = (pos**2).sum(1)[:, None] + (others**2).sum(1)[None, :] - 2.0 * pos @ others.T
        inv = 1.0 / np.maximum(d2, 1.0)
        disp = (pos * inv.sum(1)[:, None] - inv @ others) * strength
        diff = pos[src] - pos[dst]
        pull = diff * (np.sqrt((diff**2).sum(1)) / k)[:, None]
        for axis in (0, 1):  # bincount: the fast np.add.at
            disp[:, axis] += np.bincount(dst, pull[:, axis], n) - np.bincount(src, pull[:, axis], n)
        length = np.maximum(np.sqrt((disp**2).sum(1)), 1e-9)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp *= 0.93
    return {v: pos[i] for i, v in enumerate(comp)}


def _pack(boxes: list[dict[str, np.ndarray]]) -> dict[str, tuple[float, float]]:
    """Shelf-pack component layouts (largest first) into a roughly square area.

    Lone nodes get small cells: a wide grid of them would shrink the initial
    zoom until vis-network stops drawing labels.
    """
    sized = []
    for pos in boxes:
        pts = np.array(list(pos.values()))
        lo, hi = pts.min(0), pts.max(0)
        margin = EDGE_LENGTH * (0.5 if len(pos) == 1 else 0.8)
        sized.append((pos, lo, hi - lo + margin))
    total = sum(float(w * h) for _, _, (w, h) in sized)
    row_width = max(math.sqrt(total) * 1.3, max((float(s[2][0]) for s in sized), default=0.0))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for pos, lo, (w, h) in sized:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        for key, p in pos.items():
            out[key] = (float(p[0] - lo[0] + x), float(p[1] - lo[1] + y))
        x += float(w)
        row_h = max(row_h, float(h))
    if out:
        xs, ys = zip(*out.values())
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        out = {k: (round(px - cx, 1), round(py - cy, 1)) for k, (px, py) in out.items()}
    return out
