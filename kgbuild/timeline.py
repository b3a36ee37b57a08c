"""A timeline picture: events by date and type, as a PNG.

One row per event class (grouped by coarse type, which sets the colour), one
column per date; a dot's area grows with the number of events of that class
on that day.  Month- or year-precision dates sit on the first day of their
period.  Undated events cannot be placed and are counted in the title.

The figure is drawn on matplotlib's Agg canvas directly: no pyplot state,
no display needed, and the backend of a notebook that imports this module is
left alone (matplotlib.use("Agg") would switch it).  The PNG carries no
"Software" stamp, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import pyoxigraph as ox
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._atomic import atomic_write
from .analysis import GraphData, load
from .errors import OutputError

_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf")
_RC = {"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "kgbuild"}


def parse_date(value: str | None) -> dt.date | None:
    """xsd:date, gYearMonth or gYear text -> a date (first day of the period)."""
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        numbers = [int(p) for p in parts if p]
        year, month, day = (numbers + [1, 1])[:3]
        return dt.date(year, month, day)
    except (ValueError, TypeError):
        return None


def counts(data: GraphData) -> tuple[Counter, int]:
    """((date, coarse type, event class) -> events, number of undated events)."""
    placed: Counter = Counter()
    undated = 0
    for ev in data.events:
        day = parse_date(ev.date)
        if day is None:
            undated += 1
        else:
            placed[(day, ev.coarse_type, ev.event_class)] += 1
    return placed, undated


def figure(source: ox.Store | GraphData, title: str = "Events by date and type") -> Figure:
    """The timeline as a matplotlib Figure (for notebooks or further styling)."""
    data = source if isinstance(source, GraphData) else load(source)
    placed, undated = counts(data)
    with matplotlib.rc_context(_RC):
        rows = sorted({(coarse, cls) for _, coarse, cls in placed})
        fig = Figure(figsize=(9, max(2.5, 0.4 * len(rows) + 1.6)), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        if placed:
            _draw(ax, placed, rows)
        else:
            ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
            ax.set_yticks([])
        suffix = f" ({undated} undated not shown)" if undated else ""
        ax.set_title(f"{title}: {sum(placed.values())} events{suffix}")
        fig.tight_layout()
    return fig


def _draw(ax, placed: Counter, rows: list[tuple[str, str]]) -> None:
    y_of = {row: i for i, row in enumerate(rows)}
    colour = {c: _PALETTE[i % len(_PALETTE)] for i, c in enumerate(sorted({c for c, _ in rows}))}
    for (day, coarse, cls), n in sorted(placed.items()):
        ax.scatter([day], [y_of[(coarse, cls)]], s=40 + 60 * n, color=colour[coarse], alpha=0.8,
                   edgecolors="black", linewidths=0.5, zorder=3)
        if n > 1:
            ax.annotate(str(n), (mdates.date2num(day), y_of[(coarse, cls)]), ha="center", va="center",
                        fontsize=7, color="white", zorder=4)
    ax.set_yticks(range(len(rows)), [f"{cls} ({coarse})" for coarse, cls in rows])
    ax.set_ylim(len(rows) - 0.3, -0.7)  # first row on top
    days = sorted({day for day, _, _ in placed})
    pad = max(dt.timedelta(days=1), (days[-1] - days[0]) / 20)
    ax.set_xlim(days[0] - pad, days[-1] + pad)
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(True, axis="x", linestyle=":", linewidth=0.5)


def render_png(source: ox.Store | GraphData, title: str = "Events by date and type") -> bytes:
    """The timeline as PNG bytes, without a timestamp or version stamp."""
    fig = figure(source, title)
    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def write_timeline(source: ox.Store | GraphData, out: str | Path, title: str = "Events by date and type") -> Path:
    """Write the PNG atomically to `out` (creating its directory)."""
    path = Path(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create directory: {exc.strerror}", path=str(path.parent)) from exc
    atomic_write(path, render_png(source, title))
    return path
