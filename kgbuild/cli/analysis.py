"""`kgbuild stats`, `export`, `timeline` and `story`: the analysis stage (kgbuild.analysis) on a graph path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .app import app


@app.command("stats")
def stats_cmd(
    graph: Annotated[Path, typer.Argument(help="Graph file, build output directory, or store directory.")],
    top: Annotated[int, typer.Option(help="How many central actors to list.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the Louvain community detection.")] = 42,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statistics as JSON.")] = False,
) -> None:
    """Network statistics: sizes, central actors, communities, connected components."""
    from ..analysis.network import network_stats
    from ..store.sparql import open_store

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
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="graphml, gexf, csv (nodes.csv + edges.csv in a directory) or events-csv."),
    ] = "graphml",
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out", "-o", help="File to write (a directory for csv); default: actor-graph.graphml, events.csv ..."
        ),
    ] = None,
    network: Annotated[
        str, typer.Option("--network", help="Which graph for graphml, gexf and csv: actor or event.")
    ] = "actor",
) -> None:
    """Export for Gephi (GraphML, GEXF), spreadsheets (CSV lists) or an ACLED-style event table."""
    from ..analysis.export import default_out, export
    from ..store.sparql import open_store

    target = out or default_out(format, network)
    for path in export(open_store(graph), format, target, graph=network):
        typer.echo(f"wrote {path}")


@app.command("story")
def story_cmd(
    graph: Annotated[Path, typer.Argument(help="Graph file, build output directory, or store directory.")],
    format: Annotated[str, typer.Option("--format", "-f", help="table, csv, md or json.")] = "table",
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", help="Fold away events below this confidence.")
    ] = 0.5,
    show_all: Annotated[bool, typer.Option("--all", help="Show generic and low-confidence events too.")] = False,
) -> None:
    """Each article's events in text order: date | agent | action | target | place | casualties | modality | sentence."""
    from ..analysis.network import load
    from ..analysis.story import FORMATS, render, story
    from ..store.sparql import open_store

    if format not in FORMATS:
        raise UsageError(f"unknown story format {format!r}; choose from {', '.join(FORMATS)}")
    stories = story(load(open_store(graph)), min_confidence=min_confidence, fold=not show_all)
    typer.echo(render(stories, format), nl=False)


@app.command("timeline")
def timeline_cmd(
    graph: Annotated[Path, typer.Argument(help="Graph file, build output directory, or store directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="PNG file to write.")] = Path("timeline.png"),
    title: Annotated[str, typer.Option(help="Figure title.")] = "Events by date and type",
) -> None:
    """Draw events by date and type as a PNG."""
    from ..analysis.timeline import write_timeline
    from ..store.sparql import open_store

    typer.echo(f"wrote {write_timeline(open_store(graph), out, title=title)}")
