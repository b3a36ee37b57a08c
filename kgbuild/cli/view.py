"""`kgbuild view`: the offline HTML viewer for a graph path (kgbuild.viz)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app


@app.command("view")
def view_cmd(
    graph: Annotated[Path, typer.Argument(help="Graph file (.ttl, .nq ...), build output directory or store.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("graph.html"),
    title: Annotated[str, typer.Option(help="Page title.")] = "kgbuild graph",
    corpus: Annotated[
        Optional[bool],
        typer.Option(
            "--corpus/--full",
            help="Force the aggregated actor network (--corpus) or the full viewer (--full); "
            "default: the actor network from 20 articles up.",
        ),
    ] = None,
) -> None:
    """Write the self-contained, offline HTML viewer for a graph."""
    from ..run.atomic import atomic_write
    from ..viz import render_path

    notes: list[str] = []
    atomic_write(out, render_path(graph, title=title, notes=notes, corpus=corpus))
    typer.echo(f"wrote {out}")
    for note in notes:  # what could not be drawn (offsets past the text, nodes without a label ...)
        typer.echo(f"  {note}")
