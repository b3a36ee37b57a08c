"""Serialisation formats as plugins: name -> writer.

Each writer takes the per-article named graphs and returns bytes.  All
output is deterministic: line formats are sorted, Turtle uses rdflib's
`longturtle` (the one rdflib serialiser that is byte-stable across
PYTHONHASHSEED values).  Register another format with `register_format`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from importlib import resources

from rdflib import Dataset, Graph

from ..errors import UsageError
from .namespaces import bind_prefixes

Writer = Callable[[list[Graph]], bytes]
_FORMATS: dict[str, tuple[str, Writer]] = {}  # name -> (file extension, writer)


def register_format(name: str, extension: str) -> Callable[[Writer], Writer]:
    def deco(fn: Writer) -> Writer:
        _FORMATS[name] = (extension, fn)
        return fn

    return deco


def formats() -> list[str]:
    return sorted(_FORMATS)


def extension(name: str) -> str:
    return _lookup(name)[0]


def serialize(graphs: Iterable[Graph], fmt: str) -> bytes:
    return _lookup(fmt)[1](list(graphs))


def _lookup(name: str) -> tuple[str, Writer]:
    try:
        return _FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown RDF format {name!r}; choose from {', '.join(formats())}") from None


def union(graphs: list[Graph]) -> Graph:
    g = Graph()
    bind_prefixes(g)
    for part in graphs:
        for t in part:
            g.add(t)
    return g


def _sorted_lines(data: str) -> bytes:
    lines = sorted({line for line in data.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


@register_format("ttl", "ttl")
def _turtle(graphs: list[Graph]) -> bytes:
    return union(graphs).serialize(format="longturtle", encoding="utf-8")


@register_format("nt", "nt")
def _ntriples(graphs: list[Graph]) -> bytes:
    return _sorted_lines(union(graphs).serialize(format="nt", encoding="utf-8").decode("utf-8"))


def _dataset(graphs: list[Graph]) -> Dataset:
    ds = Dataset()
    bind_prefixes(ds)
    for part in graphs:
        target = ds.graph(part.identifier)
        for t in part:
            target.add(t)
    return ds


@register_format("nq", "nq")
def _nquads(graphs: list[Graph]) -> bytes:
    return _sorted_lines(_dataset(graphs).serialize(format="nquads", encoding="utf-8").decode("utf-8"))


@register_format("trig", "trig")
def _trig(graphs: list[Graph]) -> bytes:
    # rdflib's TriG order varies between runs: write graph by graph, each as
    # sorted-input longturtle, so the bytes are stable.
    out = []
    prefixes_done = False
    for part in sorted(graphs, key=lambda g: str(g.identifier)):
        body = part.serialize(format="longturtle")
        head, lines = [], []
        for line in body.splitlines():
            (head if line.startswith("PREFIX ") else lines).append(line)
        if not prefixes_done:
            out.extend(head)
            out.append("")
            prefixes_done = True
        out.append(f"<{part.identifier}> {{")
        out.extend("    " + line if line else "" for line in lines)
        out.append("}")
        out.append("")
    return "\n".join(out).encode("utf-8")


def jsonld_context() -> dict:
    return json.loads(resources.files("kgbuild.ontologies").joinpath("context.jsonld").read_text("utf-8"))


@register_format("jsonld", "jsonld")
def _jsonld(graphs: list[Graph]) -> bytes:
    ds = _dataset(graphs)
    try:
        context = jsonld_context()["@context"]
    except (FileNotFoundError, KeyError):
        context = None
    data = json.loads(ds.serialize(format="json-ld", context=context, auto_compact=bool(context)))
    return (json.dumps(_sort_jsonld(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _sort_jsonld(node):
    """Sort JSON-LD arrays by a stable key so the bytes do not depend on hashing."""
    if isinstance(node, dict):
        return {k: _sort_jsonld(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sort_jsonld(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node
