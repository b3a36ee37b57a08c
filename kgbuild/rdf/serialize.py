"""Serialisation formats as plugins: name -> writer.

Each writer takes the per-article named graphs and returns bytes.  Every
output is deterministic (same bytes across runs and PYTHONHASHSEED values),
so outputs can be diffed, cached and compared in tests:
- N-Triples and N-Quads are sorted, de-duplicated lines;
- Turtle uses rdflib's `longturtle`, the one rdflib serialiser that sorts;
- TriG is written graph by graph (sorted by graph IRI) from longturtle bodies,
  because rdflib's own TriG order changes between runs;
- JSON-LD is compacted with the shipped context (embedded in the file, so no
  parser ever fetches it) and its arrays are sorted.

N-Quads, TriG and JSON-LD keep one named graph per article: loading them into
a store and re-loading an article replaces that article's graph instead of
duplicating it.  Turtle and N-Triples hold the union (no graph names).
Register another format with `register_format`.
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

MEDIA_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
}


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
    """All triples of all graphs in one graph (duplicates collapse)."""
    g = Graph()
    bind_prefixes(g)
    for part in graphs:
        for t in part:
            g.add(t)
    return g


def _sorted_lines(data: str) -> bytes:
    # split("\n"), not splitlines(): literals may hold U+2028, U+0085, \x0c ... which
    # N-Triples writes raw and splitlines() would treat as line ends.
    lines = sorted({line for line in data.split("\n") if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


@register_format("ttl", "ttl")
def _turtle(graphs: list[Graph]) -> bytes:
    return union(graphs).serialize(format="longturtle", encoding="utf-8")


@register_format("nt", "nt")
def _ntriples(graphs: list[Graph]) -> bytes:
    return _sorted_lines(union(graphs).serialize(format="nt", encoding="utf-8").decode("utf-8"))


def dataset(graphs: list[Graph]) -> Dataset:
    """A Dataset with one named graph per input graph (its identifier is the graph name)."""
    ds = Dataset()
    bind_prefixes(ds)
    for part in graphs:
        target = ds.graph(part.identifier)
        for t in part:
            target.add(t)
    return ds


@register_format("nq", "nq")
def _nquads(graphs: list[Graph]) -> bytes:
    return _sorted_lines(dataset(graphs).serialize(format="nquads", encoding="utf-8").decode("utf-8"))


@register_format("trig", "trig")
def _trig(graphs: list[Graph]) -> bytes:
    prefixes: dict[str, str] = {}
    blocks: list[str] = []
    for part in _merged_by_name(graphs):
        head, body = _split_longturtle(part)
        for line in head:
            name = line.split()[1]
            if prefixes.setdefault(name, line) != line:  # two graphs disagree on a generated prefix
                return _trig_fallback(graphs)
        # Body lines are copied as they are: indenting them would change multi-line """literals""".
        blocks.append(f"<{part.identifier}> {{\n" + "".join(f"{ln}\n" for ln in body) + "}\n")
    head_text = "".join(line + "\n" for _, line in sorted(prefixes.items()))
    return (head_text + "\n" + "\n".join(blocks)).encode("utf-8")


def _merged_by_name(graphs: list[Graph]) -> list[Graph]:
    """One graph per graph name (two inputs with the same name are merged), sorted by name."""
    by_name: dict[str, Graph] = {}
    for part in graphs:
        key = str(part.identifier)
        if key not in by_name:
            by_name[key] = Graph(identifier=part.identifier)
            bind_prefixes(by_name[key])
        for t in part:
            by_name[key].add(t)
    return [by_name[k] for k in sorted(by_name)]


def _split_longturtle(graph: Graph) -> tuple[list[str], list[str]]:
    """longturtle text of a graph split into its leading PREFIX lines and its body lines.

    Only the leading lines count as prefixes: a multi-line literal may itself
    contain a line starting with "PREFIX ".
    """
    lines = graph.serialize(format="longturtle").split("\n")
    start = 0
    while start < len(lines) and (lines[start].startswith("PREFIX ") or not lines[start].strip()):
        start += 1
    head = [line for line in lines[:start] if line.startswith("PREFIX ")]
    body = lines[start:]
    while body and not body[-1].strip():
        body.pop()
    return head, body


def _trig_fallback(graphs: list[Graph]) -> bytes:
    """rdflib's TriG writer: correct but not byte-stable; only for exotic prefix clashes."""
    return dataset(graphs).serialize(format="trig", encoding="utf-8")


def jsonld_context() -> dict:
    """The shipped JSON-LD context (ontologies/context.jsonld), as a dict."""
    text = resources.files("kgbuild.ontologies").joinpath("context.jsonld").read_text("utf-8")
    return json.loads(text)


@register_format("jsonld", "jsonld")
def _jsonld(graphs: list[Graph]) -> bytes:
    ds = dataset(graphs)
    try:
        context = jsonld_context()["@context"]
    except (FileNotFoundError, KeyError):
        context = None
    data = json.loads(ds.serialize(format="json-ld", context=context, auto_compact=bool(context)))
    return (json.dumps(_sort_jsonld(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _sort_jsonld(node, key: str | None = None):
    """Sort JSON-LD arrays (node lists by @id) so the bytes do not depend on hashing.

    Arrays are unordered sets in JSON-LD, except under "@list", which is kept.
    """
    if isinstance(node, dict):
        return {k: _sort_jsonld(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sort_jsonld(v) for v in node]
        if key == "@list":
            return items
        return sorted(items, key=_jsonld_key)
    return node


def _jsonld_key(value) -> tuple[str, str]:
    ident = value.get("@id", "") if isinstance(value, dict) else ""
    return ident, json.dumps(value, sort_keys=True, ensure_ascii=False)
