"""The command line: a thin typer layer over plain library functions, one module per command group.

app.py holds the typer application and `main` (the `kgbuild` console script
and `python -m kgbuild`): errors become one-line messages and exit codes.
The commands, in pipeline order: build.py (build), query.py (query),
analysis.py (stats, export, timeline), store.py (validate, push), view.py
(view), evaluate.py (eval).  Each command imports its stage lazily, so
`kgbuild --help` does not import spaCy.
"""

from .app import app, main

# Each command module registers its commands on `app` when imported; the order
# here is the order of `kgbuild --help` (pipeline order), so keep it unsorted.
from . import build, query, analysis, store, view, evaluate  # noqa: E402, F401, I001

__all__ = ["app", "main"]
