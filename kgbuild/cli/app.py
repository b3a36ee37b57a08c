"""The typer application and `main`: every KgbuildError becomes a one-line message on stderr
and its exit code (see kgbuild.errors); anything else is a bug and is reported as such.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .. import __version__
from ..errors import KgbuildError

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
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """kgbuild: news articles in, an event knowledge graph out."""


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
