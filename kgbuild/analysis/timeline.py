"""A timeline picture: events by date and type, as a PNG.

One row per event class (grouped by coarse type, which sets the colour), one
column per date; a dot's area grows with the number of events of that class
on that day.  Month- or year-precision dates sit on the first day of their
period.  Events without a date of their own sit, hollow, on their article's
publication date; events with neither are counted in the title.

The figure is drawn on matplotlib's Agg canvas directly: no pyplot state,
no display needed, and the backend of a notebook that imports this module is
left alone (matplotlib.use("Agg") would switch it).  The PNG carries no
"Software" stamp, so the same graph always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.dates as mdates
import pyoxigraph as ox
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..run.atomic import atomic_write
from .network import GraphData, load
from ..errors import OutputError

_PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
_RC: Any = {"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "kgbuild"}


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


@dataclass(frozen=True)
class Placed:
    """Events of one class on one day: how many carry their own date."""

    own_date: int = 0
    by_publication: int = 0

    @property
    def total(self) -> int:
        return self.own_date + self.by_publication


def counts(data: GraphData) -> tuple[dict[tuple[dt.date, str, str], Placed], int]:
    """((day, coarse type, event class) -> Placed, number of events with no date at all).

    An event without its own date is placed on its article's publication
    date, as GDELT dates events by the report: news is mostly about the day
    before or the day of publication.  Such events are drawn hollow.
    """
    own: Counter = Counter()
    published: Counter = Counter()
    undated = 0
    for ev in data.events:
        day, fallback = parse_date(ev.date), parse_date(ev.published)
        if day is not None:
            own[(day, ev.coarse_type, ev.event_class)] += 1
        elif fallback is not None:
            published[(fallback, ev.coarse_type, ev.event_class)] += 1
        else:
            undated += 1
    keys = sorted(set(own) | set(published))
    return {k: Placed(own[k], published[k]) for k in keys}, undated


def figure(source: ox.Store | GraphData, title: str = "Events by date and type") -> Figure:
    """The timeline as a matplotlib Figure (for notebooks or further styling)."""
    data = source if isinstance(source, GraphData) else load(source)
    placed, undated = counts(data)
    with matplotlib.rc_context(_RC):
        rows = sorted({(coarse, cls) for _, coarse, cls in placed})
        fig = Figure(figsize=(9, max(2.5, 0.35 * len(rows) + 1.8)), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        if placed:
            _draw(ax, placed, rows)
        else:
            ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
            ax.set_yticks([])
        ax.set_title(_title(title, placed, undated))
        fig.tight_layout()
    return fig


def _title(title: str, placed: dict, undated: int) -> str:
    shown = sum(p.total for p in placed.values())
    by_publication = sum(p.by_publication for p in placed.values())
    notes = [f"{by_publication} at their article's date (hollow)"] if by_publication else []
    notes += [f"{undated} undated not shown"] if undated else []
    return f"{title}: {shown} events" + (f"\n({'; '.join(notes)})" if notes else "")


def _draw(ax, placed: dict, rows: list[tuple[str, str]]) -> None:
    y_of = {row: i for i, row in enumerate(rows)}
    colour = {c: _PALETTE[i % len(_PALETTE)] for i, c in enumerate(sorted({c for c, _ in rows}))}
    for (day, coarse, cls), n in placed.items():
        y, c = y_of[(coarse, cls)], colour[coarse]
        ax.scatter(
            [day],
            [y],
            s=40 + 40 * n.total,
            color=c if n.own_date else "white",
            alpha=0.85,
            edgecolors=c if not n.own_date else "black",
            linewidths=1.2 if not n.own_date else 0.5,
            zorder=3,
        )
        if n.total > 1:
            ax.annotate(
                str(n.total),
                (mdates.date2num(day), y),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if n.own_date else c,
                zorder=4,
            )
    ax.set_yticks(range(len(rows)), [f"{cls} ({coarse})" for coarse, cls in rows])
    ax.set_ylim(len(rows) - 0.3, -0.7)  # first row on top
    _date_axis(ax, sorted({day for day, _, _ in placed}))


def _date_axis(ax, days: list[dt.date]) -> None:
    """Whole days on the axis: a news timeline never needs hours."""
    span = (days[-1] - days[0]).days
    pad = dt.timedelta(days=max(1, span // 20))
    ax.set_xlim(days[0] - pad, days[-1] + pad)
    if span <= 10:
        ax.xaxis.set_major_locator(mdates.DayLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
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
