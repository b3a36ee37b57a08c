"""`kgbuild query`: SPARQL text, a .rq file or a canned query (--name) against a graph path or store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .app import app


@app.command("query")
def query_cmd(
    graph: Annotated[
        Optional[str],
        typer.Argument(help="Graph file, build output directory, or store directory (omit with --store)."),
    ] = None,
    query: Annotated[Optional[str], typer.Argument(help="SPARQL text or a .rq file (or use --name).")] = None,
    store_dir: Annotated[
        Optional[Path],
        typer.Option(
            "--store",
            help="Query the on-disk store of `kgbuild build --store DIR` (fails with 'store is in use' while a build writes to it).",
        ),
    ] = None,
    name: Annotated[
        Optional[str], typer.Option("--name", "-n", help="Run a canned query by name (see --list).")
    ] = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the canned queries and their parameters.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    param: Annotated[
        Optional[list[str]],
        typer.Option("--param", "-p", help="NAME=VALUE, bound as an RDF literal (or <IRI> for plain SPARQL)."),
    ] = None,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service", help="Let SERVICE clauses make HTTP requests (refused by default: kgbuild runs offline)."
        ),
    ] = False,
) -> None:
    """Run a SPARQL query, or a canned one (--name), against a graph and print the results."""
    from ..store import queries
    from ..store.sparql import open_store, run_query
    from ..store.tables import render

    if list_queries:
        typer.echo(_query_catalogue(queries.list_queries(), format), nl=False)
        return
    if store_dir is not None and graph is not None and query is None:
        graph, query = None, graph  # `kgbuild query --store DIR QUERY`: the one argument is the query
    if (graph is None) == (store_dir is None):
        raise UsageError("give GRAPH (a graph file, build output directory or store) or --store DIR")
    if (name is None) == (query is None):
        raise UsageError("give either a SPARQL query or --name NAME (kgbuild query --list shows the names)")
    params = _params(param)

    def answer(store):
        if name:
            return queries.run_named(store, name, params)
        sparql = _read_query(query)
        _warn_unknown_terms(sparql)
        return run_query(store, sparql, params, allow_service=allow_service)

    if store_dir is not None:
        from ..store.persist import open_reader

        with open_reader(store_dir) as store:  # shared lock: no build writes meanwhile
            result = answer(store)
    else:
        assert graph is not None  # checked above: GRAPH or --store
        result = answer(open_store(Path(graph)))
    typer.echo(render(result, format), nl=False)


def _warn_unknown_terms(sparql: str) -> None:
    """A misspelt kgb: term silently matches nothing: name it, with the nearest defined term."""
    from ..rdf.namespaces import KGB_URI, PREFIXES
    from ..rdf.ontology import ontology_graph
    from ..store.sparql_lint import unknown_terms

    if KGB_URI not in sparql and "kgb:" not in sparql:
        return
    known = {str(s)[len(KGB_URI) :] for s in ontology_graph().subjects() if str(s).startswith(KGB_URI)}
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    for term, near in unknown_terms(sparql, KGB_URI, known, prefixes):
        hint = f"; did you mean kgb:{near}?" if near else ""
        typer.echo(f"kgbuild: warning: {term} is not a term of the kgbuild ontology{hint}", err=True)


def _query_catalogue(canned, fmt: str) -> str:
    """`kgbuild query --list`: names, parameters and what each query answers."""
    if fmt == "json":
        items = [
            {
                "name": q.name,
                "description": q.description,
                "params": [{"name": p.name, "description": p.description, "required": p.required} for p in q.params],
            }
            for q in canned
        ]
        return json.dumps(items, ensure_ascii=False, indent=1) + "\n"
    lines = []
    for q in canned:
        lines += [q.usage(), f"    {q.description}"]
        lines += [f"    {p.name}: {p.description}{'' if p.required else ' (optional)'}" for p in q.params]
    return "\n".join(lines) + "\n"


def _read_query(query: str) -> str:
    if query.endswith(".rq") or (len(query) < 4096 and "\n" not in query and Path(query).is_file()):
        p = Path(query)
        if not p.is_file():
            raise UsageError(f"{query}: no such query file")
        return p.read_text(encoding="utf-8")
    return query


def _params(values: list[str] | None) -> dict[str, str]:
    out = {}
    for item in values or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {item!r}: expected NAME=VALUE")
        out[name.strip()] = value
    return out
