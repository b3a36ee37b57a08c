"""The catalogue of canned, parameterised SPARQL queries.

Analysts ask the same questions again and again (what happened in order,
what did an actor do, who struck what, what did a person say, where does a
fact come from), so kgbuild ships them as .rq files in kgbuild/data/queries.
Each file starts with a header that describes it:

    # name: events-of-actor
    # description: Events in which an actor takes part ...
    # params: actor (the actor's label ...), other? (an optional one ...)
    # audience: internal      (optional: a query kgbuild itself runs, e.g. analysis's
    #                          graph readers; `query --list` leaves it out, --name runs it)

Parameters are bound as RDF literals through SPARQL substitution
(pyoxigraph's `substitutions`, SEP-0007), never pasted into the query text,
so no value can change what a query does.  Substitution needs the variable in
the SELECT clause; the echoed parameter columns are dropped from the result.
Optional parameters (`name?`) that are not given are bound to "", which the
queries read as "any".
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from importlib import resources

import pyoxigraph as ox

from ..errors import QueryError, UsageError
from .sparql import QueryResult, run_query

_QUERY_DIR = "queries"
_HEADER = re.compile(r"^#\s*(name|description|params?|audience)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\?)?\s*\(([^()]*)\)")


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    required: bool = True


@dataclass(frozen=True)
class CannedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    sparql: str = field(default="", repr=False)
    internal: bool = False  # "# audience: internal": kgbuild's own (analysis, viewer), not listed

    def usage(self) -> str:
        """One line for `kgbuild query --list`."""
        args = " ".join(f"--param {p.name}=…" if p.required else f"[--param {p.name}=…]" for p in self.params)
        return f"{self.name} {args}".rstrip()


def list_queries() -> list[CannedQuery]:
    """All shipped queries for users, sorted by name (kgbuild's internal ones left out)."""
    return sorted((q for q in _catalogue().values() if not q.internal), key=lambda q: q.name)


def get_query(name: str) -> CannedQuery:
    """The query called `name`; QueryError (with a suggestion) if there is none."""
    catalogue = _catalogue()
    if name in catalogue:
        return catalogue[name]
    close = difflib.get_close_matches(name, catalogue, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; choose from {', '.join(sorted(catalogue))}"
    raise QueryError(f"no canned query named {name!r}{hint}")


def run_named(store: ox.Store, name: str, params: dict[str, str] | None = None) -> QueryResult:
    """Run the canned query `name` with `params` bound as RDF literals."""
    query = get_query(name)
    bindings = bind_params(query, params or {})
    result = run_query(store, query.sparql, bindings)
    return _drop_columns(result, set(bindings))


def bind_params(query: CannedQuery, params: dict[str, str]) -> dict[str, ox.Literal]:
    """Check `params` against the query's declaration and make them literals.

    Every value becomes a plain xsd:string literal, even one that looks like
    an IRI: queries compare it with STR(), so an IRI can still be given.
    """
    declared = {p.name for p in query.params}
    unknown = sorted(set(params) - declared)
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        raise UsageError(f"query {query.name!r} has no parameter {unknown[0]!r} (parameters: {allowed})")
    bound: dict[str, ox.Literal] = {}
    for p in query.params:
        value = params.get(p.name)
        if value is None and p.required:
            raise UsageError(f"query {query.name!r} needs --param {p.name}=… ({p.description})")
        if value is not None and not isinstance(value, str):
            raise UsageError(f"parameter {p.name!r} must be a string, not {type(value).__name__}")
        bound[p.name] = ox.Literal(value or "")
    return bound


def _drop_columns(result: QueryResult, names: set[str]) -> QueryResult:
    """Remove the parameter columns that substitution forced into the projection."""
    keep = [i for i, v in enumerate(result.variables) if v not in names]
    return QueryResult(
        variables=tuple(result.variables[i] for i in keep),
        rows=tuple(tuple(row[i] for i in keep) for row in result.rows),
        boolean=result.boolean,
    )


# -- reading the catalogue -----------------------------------------------------


@functools.lru_cache(maxsize=1)
def _catalogue() -> dict[str, CannedQuery]:
    folder = resources.files("kgbuild.data").joinpath(_QUERY_DIR)
    queries: dict[str, CannedQuery] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            query = parse_query_file(entry.read_text(encoding="utf-8"), default_name=entry.name[:-3])
            if query.name in queries:
                raise QueryError(f"two canned queries are named {query.name!r}")
            queries[query.name] = query
    return queries


def parse_query_file(text: str, default_name: str = "") -> CannedQuery:
    """A CannedQuery from an .rq file's header comments and body."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key in ("param", "params"):
            params.extend(_parse_params(value))
        else:
            fields[key] = value
    name = fields.get("name") or default_name
    if not name:
        raise QueryError("canned query without a name")
    internal = fields.get("audience", "").lower() == "internal"
    return CannedQuery(name, fields.get("description", ""), tuple(params), text, internal)


def _parse_params(value: str) -> list[Param]:
    """`actor (label of an actor), other? (optional)` -> Params."""
    found = [Param(n, d.strip(), required=not opt) for n, opt, d in _PARAM.findall(value)]
    if not found and value.strip():
        raise QueryError(f"cannot read parameter declaration {value!r}: write `name (description)`")
    return found
