"""SPARQL over the graph, on an embedded Oxigraph store (pyoxigraph).

`open_store(path)` accepts whatever paths.locate accepts: a graph file, an
output directory written by `kgbuild build` (its best graph file), or an
on-disk Oxigraph store directory.  Queries run with the union of all
named graphs as the default graph, so they need no GRAPH clause.
Parameters are bound as RDF terms with SPARQL's `substitutions`, never pasted
into the query text.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, QueryError, StoreError
from .paths import GraphPath, locate
from .sparql_lint import uses_service

# pyoxigraph's name for each syntax of paths.GRAPH_SUFFIXES
_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "n-quads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdf/xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query: `variables`, `rows` of plain strings (None for unbound), or `boolean` for ASK.

    Iterating gives one dict per row, keyed by variable name:

        for row in run_query(store, "SELECT ?e ?label WHERE { ?e rdfs:label ?label }"):
            print(row["e"], row["label"])
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    boolean: bool | None = None

    def __iter__(self) -> Iterator[dict[str, str | None]]:
        return (dict(zip(self.variables, row)) for row in self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.boolean is not None else bool(self.rows)


def open_store(path: str | Path) -> ox.Store:
    """An Oxigraph store holding the graph at `path`."""
    where = locate(path)
    if where.kind == "store":
        try:
            return ox.Store.read_only(str(where.path))
        except OSError as exc:
            raise StoreError(f"cannot open store: {exc}", path=str(where.path)) from exc
    return load_file(where.path)


def load_file(path: Path) -> ox.Store:
    """A new in-memory store holding the graph file `path`."""
    fmt = _FORMATS[GraphPath("file", path).syntax]
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"cannot parse graph: {exc}", path=str(path)) from exc
    return store


def default_prefixes() -> dict[str, str]:
    """The prefixes every query may use without declaring them."""
    from ..rdf.namespaces import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


def _term(value) -> ox.NamedNode | ox.Literal:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    return ox.Literal(str(value))


def _substitutions(params: dict) -> dict:
    """Parameters as RDF terms; a bad name or IRI is the user's error, not a crash."""
    subs = {}
    for name, value in params.items():
        try:
            subs[ox.Variable(str(name).lstrip("?$"))] = _term(value)
        except (ValueError, SyntaxError) as exc:
            raise QueryError(f"bad query parameter {name!r}: {exc}") from exc
    return subs


def _render(term) -> str | None:
    if term is None:
        return None
    return term.value if hasattr(term, "value") else str(term)


def run_query(store: ox.Store, sparql: str, params: dict | None = None, *, allow_service: bool = False) -> QueryResult:
    """Run a SELECT or ASK query; `params` bind variables as RDF terms.

    SERVICE clauses are refused unless `allow_service` (kgbuild runs offline;
    Oxigraph would make the HTTP requests).  The query runs in a worker thread
    so that Ctrl-C interrupts even a long native evaluation."""
    if not allow_service and uses_service(sparql):
        raise QueryError(
            "SERVICE is refused: kgbuild runs offline and a SERVICE clause makes HTTP requests "
            "(kgbuild query --allow-service lets it)"
        )
    return _interruptible(lambda: _evaluate(store, sparql, params))


def _interruptible(work):
    """Run `work` in a daemon thread, waiting in short slices so KeyboardInterrupt reaches us."""
    box: dict[str, object] = {}

    def target() -> None:
        seen: BaseException | None
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller's thread
            # Oxigraph's result objects may only be dropped by the thread that made them: clear the
            # frames (and their locals) the tracebacks hold before the exception changes thread.
            seen = exc
            while seen is not None:
                traceback.clear_frames(seen.__traceback__)
                seen = seen.__cause__ or seen.__context__
            box["error"] = exc

    thread = threading.Thread(target=target, name="kgbuild-query", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.1)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]


def _evaluate(store: ox.Store, sparql: str, params: dict | None) -> QueryResult:
    subs = _substitutions(params or {})
    try:
        result = store.query(
            sparql, use_default_graph_as_union=True, substitutions=subs or None, prefixes=default_prefixes()
        )
        return _materialise(result)
    except SyntaxError as exc:
        raise QueryError(f"invalid SPARQL: {str(exc).splitlines()[0]}") from exc
    except (OSError, ValueError, RuntimeError) as exc:
        # pyoxigraph raises RuntimeError e.g. for a parameter the query does not select; evaluation
        # is lazy, so errors can also come while the solutions are read
        raise QueryError(f"query failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc


def _materialise(result) -> QueryResult:
    if isinstance(result, bool) or isinstance(result, ox.QueryBoolean):
        return QueryResult((), (), bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(_render(sol[v]) for v in variables) for sol in result)
        return QueryResult(variables, rows)
    # CONSTRUCT / DESCRIBE: triples as rows
    rows = tuple((_render(t.subject), _render(t.predicate), _render(t.object)) for t in result)
    return QueryResult(("subject", "predicate", "object"), rows)
