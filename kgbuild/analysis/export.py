"""Exports for the tools analysts already use.

- GraphML and GEXF (Gephi, Cytoscape, yEd) of the actor graph or the event
  graph, written by networkx;
- CSV node and edge lists of the same graphs (spreadsheets, pandas);
- an event table, one row per event, in ACLED's columns (kgbuild.acled):
  date and its precision, actors and their ACLED types, event type,
  country, admin1, location and coordinates, fatalities, then kgbuild's own
  columns (event IRI, class, CAMEO, PLOVER, modality, confidence, evidence).

Graph attribute values are strings and numbers only (GraphML and GEXF have
no null), and every file is byte-for-byte deterministic: GEXF's
`lastmodifieddate` (today's date) is left out for that reason.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from ..errors import OutputError, UsageError
from ..run.atomic import atomic_write
from . import acled
from .network import GraphData, actor_graph, event_graph, load

FORMATS = ("graphml", "gexf", "csv", "events-csv")
GRAPHS = ("actor", "event")
# ACLED's columns under ACLED's names, then kgbuild's own (kgbuild.acled says how each is filled).
EVENT_COLUMNS = acled.COLUMNS


def export(source: ox.Store | GraphData, fmt: str, out: str | Path, graph: str = "actor") -> list[Path]:
    """Write `fmt` to `out` (a directory for "csv"); return the files written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    if graph not in GRAPHS:
        raise UsageError(f"unknown graph {graph!r}; choose actor or event")
    data = source if isinstance(source, GraphData) else load(source)
    out = Path(out)
    if fmt == "events-csv":
        return [_write(out, events_csv(data))]
    g = actor_graph(data) if graph == "actor" else event_graph(data)
    if fmt == "graphml":
        return [_write(out, graphml_text(g))]
    if fmt == "gexf":
        return [_write(out, gexf_text(g))]
    return [_write(out / "nodes.csv", nodes_csv(g)), _write(out / "edges.csv", edges_csv(g))]


def default_out(fmt: str, graph: str = "actor") -> Path:
    """A sensible output name when the user gives none."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    return Path(
        {
            "graphml": f"{graph}-graph.graphml",
            "gexf": f"{graph}-graph.gexf",
            "csv": f"{graph}-graph-csv",
            "events-csv": "events.csv",
        }[fmt]
    )


def _write(path: Path, text: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create directory: {exc.strerror}", path=str(path.parent)) from exc
    atomic_write(path, text)
    return path


# -- graph files -------------------------------------------------------------------


def graphml_text(g: nx.Graph) -> str:
    return "\n".join(nx.generate_graphml(g)) + "\n"


def gexf_text(g: nx.Graph) -> str:
    text = "\n".join(nx.generate_gexf(g)) + "\n"
    return re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)


def nodes_csv(g: nx.Graph) -> str:
    keys = _attribute_keys(data for _, data in g.nodes(data=True))
    rows = ([n] + [data.get(k, "") for k in keys] for n, data in g.nodes(data=True))
    return _csv(["id"] + keys, rows)


def edges_csv(g: nx.Graph) -> str:
    keys = _attribute_keys(data for _, _, data in g.edges(data=True))
    rows = (
        [a, b, g.nodes[a].get("label", a), g.nodes[b].get("label", b)] + [data.get(k, "") for k in keys]
        for a, b, data in g.edges(data=True)
    )
    return _csv(["source", "target", "source_label", "target_label"] + keys, rows)


def _attribute_keys(dicts) -> list[str]:
    """Attribute names, `label` and `weight` first, the rest sorted."""
    keys: set[str] = set()
    for d in dicts:
        keys.update(d)
    first = [k for k in ("label", "weight") if k in keys]
    return first + sorted(keys - set(first))


def _csv(header: list[str], rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


# -- the event table ------------------------------------------------------------------


def event_rows(data: GraphData) -> list[dict[str, str]]:
    """One dict per event with the EVENT_COLUMNS, all strings ("" when unknown); see kgbuild.acled."""
    return acled.event_rows(data)


def events_csv(data: GraphData) -> str:
    rows = ([row[c] for c in EVENT_COLUMNS] for row in event_rows(data))
    return _csv(list(EVENT_COLUMNS), rows)
