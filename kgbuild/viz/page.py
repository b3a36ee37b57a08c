"""The page: the model as vis-network data and the self-contained HTML around it."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .model import Model
from .ontology import edge_color
from .panels import basemap, captions, map_points, story_table, story_view
from .positions import layout
from .style import (
    EDGE_LENGTH,
    ENTITY_STYLES,
    EVENT_STYLES,
    LABEL_MAX,
    OTHER_ENTITY,
    PHYSICS_MAX_NODES,
    SEED,
    Style,
)


def page_data(model: Model, title: str) -> dict:
    """Everything the page needs, as plain JSON-able values (ids n0.., e0..)."""
    iris = sorted(model.nodes)
    ids = {iri: f"n{i}" for i, iri in enumerate(iris)}
    pos_all = layout(iris, [(e.source, e.target) for e in model.edges])
    direct = [e for e in model.edges if e.kind == "direct"]
    actor_nodes = sorted({x for e in direct for x in (e.source, e.target)})
    pos_actors = layout(actor_nodes, [(e.source, e.target) for e in direct])
    big = len(iris) > PHYSICS_MAX_NODES
    net = _network(model, iris, ids, pos_all, big, captions(model))

    node_info = {}
    story = story_view(model)
    for iri in iris:
        rec = model.nodes[iri]
        info = dict(rec.info, group=rec.group)
        if iri in story:
            info["sv"] = story[iri] + 1  # shown in the default "story" view; 1 = most important
        if iri in pos_actors:
            info["a"] = list(pos_actors[iri])
        node_info[ids[iri]] = info
    edge_info = {f"e{i}": dict(e.info, kind=e.kind) for i, e in enumerate(model.edges)}
    points = map_points(model, ids)
    return {
        "title": title,
        "big": big,
        "options": _vis_options(big),
        "nodes": net.nodes,
        "edges": net.edges,
        "info": {"nodes": node_info, "edges": edge_info},
        "legend": _legend(model),
        "relations": _relation_legend(model),
        "docs": model.docs.table(),
        "story": story_table(model, ids),
        "map": {"points": points, "outline": basemap() if points else ""},
        "sentences": sorted(model.sentences, key=model.sentences.__getitem__),
    }


def _network(model: Model, iris: list[str], ids: dict[str, str], pos: dict, big: bool, caption: dict[str, str]):
    """The vis-network nodes and edges, built with pyvis; events are labelled by who did what to whom."""
    net = _network_class()()
    degree: dict[str, int] = defaultdict(int)
    for e in model.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    for iri in iris:
        rec = model.nodes[iri]
        style = _group_style(rec.group)
        x, y = pos[iri]
        size = 16 if rec.kind == "event" else min(32, 11 + 4 * math.log2(1 + degree[iri]))
        # An event caption says who did what to whom: it may run longer than a name.
        label = _short(caption[iri], 2 * LABEL_MAX) if iri in caption else _short(rec.label)
        net.add_node(ids[iri], label=label, shape=style.shape, color=style.color, x=x, y=y, size=round(size, 1))
    pair_count: dict[frozenset, int] = defaultdict(int)
    for i, e in enumerate(model.edges):
        pair = frozenset((e.source, e.target))
        nth = pair_count[pair]
        pair_count[pair] += 1
        color = edge_color(e.kind, e.rel)
        options: dict[str, Any] = {
            "id": f"e{i}",
            "label": e.rel,
            "color": color,
            "width": 1 if e.kind == "role" else 2.5,
        }
        if nth:  # parallel edges between one pair: bend them apart so both stay readable
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.2 * nth, 2)}
        net.add_edge(ids[e.source], ids[e.target], **options)
    return net


@lru_cache(maxsize=1)
def _network_class():
    """pyvis's Network, with a set for node look-ups (pyvis imports IPython: load it lazily)."""
    from pyvis.network import Network

    class FastNetwork(Network):
        """pyvis checks each add_edge endpoint against a list of node ids: quadratic,
        seconds at 5,000 nodes.  Answer that check from a set instead."""

        def __init__(self) -> None:
            # cdn_resources matters only for pyvis's own HTML, which we never write.
            super().__init__(directed=True, cdn_resources="in_line")
            self._id_set: set = set()

        def add_node(self, n_id, **options) -> None:
            super().add_node(n_id, **options)
            self._id_set.add(n_id)

        def get_nodes(self):
            return self._id_set

    return FastNetwork


def _group_style(group: str) -> Style:
    kind, _, name = group.partition(":")
    if kind == "event":
        return EVENT_STYLES.get(name, EVENT_STYLES["Other"])
    return ENTITY_STYLES.get(name, OTHER_ENTITY)


def _legend(model: Model) -> list[dict]:
    """Legend rows (which double as class filters), entities first, with counts."""
    counts: dict[str, int] = defaultdict(int)
    for rec in model.nodes.values():
        counts[rec.group] += 1
    order = [f"cls:{c}" for c in ENTITY_STYLES] + ["cls:Other"] + [f"event:{c}" for c in EVENT_STYLES]
    return [
        {
            "key": g,
            "label": _group_style(g).label,
            "shape": _group_style(g).shape,
            "color": _group_style(g).color,
            "count": counts[g],
        }
        for g in order
        if counts.get(g)
    ]


def _relation_legend(model: Model) -> list[dict]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for e in model.edges:
        counts[(e.kind, e.rel)] += 1
    return [
        {"kind": kind, "key": rel, "count": n, "color": edge_color(kind, rel)}
        for (kind, rel), n in sorted(counts.items())
    ]


def _vis_options(big: bool) -> dict:
    """vis-network options; big graphs: no physics, straight edges, no edge drawing while moving."""
    options = {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": SEED},
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False,
            "font": {"size": 11, "align": "middle", "color": "#444444", "strokeWidth": 3},
            "color": {"inherit": False},
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 300,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": False,
            "multiselect": False,
        },
    }
    if big:
        options["physics"] = {"enabled": False}
    else:
        options["physics"] = {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -2500,
                "springLength": EDGE_LENGTH * 0.8,
                "centralGravity": 0.3,
                "avoidOverlap": 0.2,
                "damping": 0.4,
            },
            "stabilization": {"enabled": True, "iterations": 150, "fit": True},
        }
    return options


def _short(label: str, limit: int = LABEL_MAX) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def embed_json(data) -> str:
    """JSON safe inside a <script> element: no `</script>`, `<!--` or HTML entity can form."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def _asset(name: str) -> str:
    return resources.files("kgbuild.viz").joinpath("assets", name).read_text("utf-8")


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS, from the installed pyvis package (not copied into the repo)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text("utf-8"), (lib / "vis-network.css").read_text("utf-8")


def _inline_safe(text: str, tag: str) -> str:
    """Refuse code that would close its own element early (never true of our assets)."""
    if re.search(rf"</{tag}", text, re.IGNORECASE) or "<!--" in text:
        raise ValueError(f"asset cannot be inlined in <{tag}>")
    return text


def _script_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def corpus_page_html(data: dict, title: str) -> str:
    """The corpus page: the aggregated actor network (kgbuild.viz.corpus) and its drill-down panel."""
    vis_js, vis_css = _vis_assets()
    scripts = [_inline_safe(vis_js, "script"), _inline_safe(_asset("corpus.js"), "script")]
    csp = (
        "default-src 'none'; script-src " + " ".join(_script_hash(s) for s in scripts) + " 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    values = {
        "CSP": html.escape(csp, quote=True),
        "TITLE": html.escape(title, quote=True),
        "VIS_CSS": _inline_safe(vis_css, "style"),
        "VIEWER_CSS": _inline_safe(_asset("viewer.css"), "style"),
        "DATA": embed_json(data),
        "VIS_JS": scripts[0],
        "CORPUS_JS": scripts[1],
    }
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], _asset("corpus.html"))


def page_html(data: dict, title: str) -> str:
    vis_js, vis_css = _vis_assets()
    viewer_js = _inline_safe(_asset("viewer.js"), "script")
    panels_js = _inline_safe(_asset("panels.js"), "script")
    scripts = [_inline_safe(vis_js, "script"), viewer_js, panels_js]
    # Hashes make browsers ignore 'unsafe-inline' (kept for very old ones):
    # only these scripts can run, not even an injected onerror= attribute.
    csp = (
        "default-src 'none'; script-src " + " ".join(_script_hash(s) for s in scripts) + " 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    values = {
        "CSP": html.escape(csp, quote=True),
        "TITLE": html.escape(title, quote=True),
        "VIS_CSS": _inline_safe(vis_css, "style"),
        "VIEWER_CSS": _inline_safe(_asset("viewer.css"), "style"),
        "DATA": embed_json(data),
        "VIS_JS": scripts[0],
        "VIEWER_JS": scripts[1],
        "PANELS_JS": scripts[2],
    }
    # One pass, so text inserted for one marker is never scanned for another.
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], _asset("viewer.html"))
