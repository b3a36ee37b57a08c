"""What a graph path holds: the one answer every command uses.

query, stats, export, timeline, view (through sparql.open_store) and
validate, push (through graphs.load_graphs) all take "a graph path".  It is

- an on-disk Oxigraph store directory (`build --store DIR`): it has
  RocksDB's CURRENT file, table files (*.sst) or kgbuild's lock file;
- a `kgbuild build` output directory: its best graph file is used, named
  graphs first (graph.nq, graph.trig, graph.jsonld), then the unions
  (graph.ttl, graph.nt): whatever --format wrote, every command finds it;
- a graph file, whatever its name; its suffix says the syntax (GRAPH_SUFFIXES).

Before this module the readers decided on their own and disagreed: after
`build --format jsonld`, validate found graph.jsonld and query did not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import InputError

LOCK_FILE = "kgbuild.lock"  # see persist.py: one writer or many readers
# The files `kgbuild build` writes, best first (named graphs before unions).
OUTPUT_FILES = ("graph.nq", "graph.trig", "graph.jsonld", "graph.ttl", "graph.nt")
# Graph file suffixes and their syntax (both readers accept all of them).
GRAPH_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "n-triples",
    ".nq": "n-quads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "rdf/xml",
}


@dataclass(frozen=True)
class GraphPath:
    """Where the graph at a user's path really is."""

    kind: Literal["store", "file"]
    path: Path

    @property
    def syntax(self) -> str:
        """The syntax of a graph file (see GRAPH_SUFFIXES); raises InputError if unknown."""
        syntax = GRAPH_SUFFIXES.get(self.path.suffix.lower())
        if syntax is None:
            known = ", ".join(sorted(GRAPH_SUFFIXES))
            raise InputError(f"unknown graph format {self.path.suffix!r} (use {known})", path=str(self.path))
        return syntax


def is_store(path: str | Path) -> bool:
    """Does `path` look like an Oxigraph store directory (ours or not)?"""
    p = Path(path)
    if not p.is_dir():
        return False
    if (p / "CURRENT").is_file() or (p / LOCK_FILE).is_file():
        return True
    return any(child.suffix == ".sst" for child in p.iterdir())


def locate(path: str | Path) -> GraphPath:
    """What `path` holds: a store, or the graph file to read (InputError if neither)."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file or directory", path=str(p))
    if not p.is_dir():
        return GraphPath("file", p)
    if is_store(p):
        return GraphPath("store", p)
    for name in OUTPUT_FILES:
        if (p / name).is_file():
            return GraphPath("file", p / name)
    raise InputError("directory holds no graph (graph.nq, graph.ttl ...) nor a kgbuild store", path=str(p))
