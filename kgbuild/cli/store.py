"""`kgbuild validate` and `kgbuild push`: SHACL validation and upload to a triple store (kgbuild.store)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app


@app.command("validate")
def validate_cmd(
    graph: Annotated[
        Path,
        typer.Argument(help="Graph file (.nq .trig .jsonld .ttl .nt), build output directory or --store directory."),
    ],
    warnings: Annotated[
        bool, typer.Option("--warnings/--no-warnings", help="Also list SHACL warnings (they never fail).")
    ] = True,
    limit: Annotated[Optional[int], typer.Option("--limit", help="Show at most N findings.")] = None,
) -> None:
    """Check a graph against the shipped SHACL shapes, one article graph at a time (exit code 9 on violations)."""
    from ..store.validate import validate_path

    report = validate_path(graph)
    typer.echo(report.text(warnings=warnings, limit=limit), nl=False)
    report.raise_if_invalid()


@app.command("push")
def push_cmd(
    source: Annotated[
        Path,
        typer.Argument(
            help="Build output directory, graph file (.nq .trig .jsonld; .ttl/.nt with --graph) or store directory."
        ),
    ],
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            "-e",
            help="Graph Store endpoint: http://HOST:7878/store (Oxigraph), http://HOST:8890/sparql-graph-crud-auth (Virtuoso), http://HOST:3030/DS/data (Fuseki).",
        ),
    ],
    graph: Annotated[
        Optional[str],
        typer.Option("--graph", help="Put everything into this one named graph instead of one graph per article."),
    ] = None,
    user: Annotated[
        Optional[str], typer.Option("--user", help="User name for HTTP digest or basic authentication.")
    ] = None,
    password: Annotated[
        Optional[str], typer.Option("--password", envvar="KGBUILD_PASSWORD", help="Password (or set KGBUILD_PASSWORD).")
    ] = None,
    method: Annotated[
        str, typer.Option("--method", help="auto (Graph Store PUT, SPARQL Update if refused), gsp or update.")
    ] = "auto",
    update_endpoint: Annotated[
        Optional[str],
        typer.Option("--update-endpoint", help="SPARQL Update endpoint (default: derived from --endpoint)."),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for each answer.")] = 60.0,
    retries: Annotated[
        int, typer.Option("--retries", help="Retries after connection errors, timeouts and 5xx answers.")
    ] = 3,
) -> None:
    """Load the article graphs into a running triple store; pushing again changes nothing."""
    from ..store.push import push

    summary = push(
        source,
        endpoint,
        graph=graph,
        user=user,
        password=password,
        timeout=timeout,
        retries=retries,
        update_endpoint=update_endpoint,
        method=method,
    )
    typer.echo(summary.text())
