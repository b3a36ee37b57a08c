"""The story of each article: who did what to whom, where and when, in text order.

`story(data)` turns the loaded graph (analysis.load) into one `ArticleStory`
per article, its events sorted by where their trigger stands in the text:
date | agent | action | target | place | casualties | modality | sentence.
Events an analyst skims past are folded away and counted, never silently
dropped:

- *generic* events: no agent, no target, no place and no date ("the strikes
  follow ..."), which say nothing the other rows do not;
- *low-confidence* events: confidence below `min_confidence`.

`render(stories, fmt)` writes them as a terminal table, CSV, Markdown or
JSON; every format is deterministic (same graph, same bytes).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import defaultdict
from dataclasses import asdict, dataclass

from .network import EventInfo, GraphData, roles_under

FORMATS = ("table", "csv", "md", "json")
DEFAULT_MIN_CONFIDENCE = 0.5
COLUMNS = ("date", "agent", "action", "target", "place", "casualties", "modality", "sentence")
# CSV and JSON also name the article and the event, so rows can be joined back to the graph.
CSV_COLUMNS = ("doc", "title") + COLUMNS + ("event", "event_class", "confidence")
_SEP = "; "


@dataclass(frozen=True)
class StoryRow:
    date: str
    agent: str
    action: str
    target: str
    place: str
    casualties: str
    modality: str
    sentence: str
    event: str  # IRI
    event_class: str
    confidence: str


@dataclass(frozen=True)
class ArticleStory:
    doc: str
    title: str
    published: str
    rows: tuple[StoryRow, ...]
    folded_generic: int
    folded_low_confidence: int

    @property
    def folded(self) -> int:
        return self.folded_generic + self.folded_low_confidence


def story(data: GraphData, min_confidence: float = DEFAULT_MIN_CONFIDENCE, fold: bool = True) -> list[ArticleStory]:
    """Per article (by publication date, then IRI), its events in text order."""
    by_doc: dict[str, list[EventInfo]] = defaultdict(list)
    for ev in data.events:
        by_doc[ev.doc].append(ev)
    stories = []
    for doc, events in by_doc.items():
        events.sort(key=lambda e: (e.begin, e.iri))
        rows, generic, weak = [], 0, 0
        for ev in events:
            if fold and is_generic(ev):
                generic += 1
            elif fold and ev.confidence is not None and ev.confidence < min_confidence:
                weak += 1
            else:
                rows.append(story_row(data, ev))
        first = events[0]
        stories.append(ArticleStory(doc, first.title, first.published, tuple(rows), generic, weak))
    stories.sort(key=lambda s: (s.published == "", s.published, s.doc))
    return stories


def is_generic(ev: EventInfo) -> bool:
    """No agent, target, place or date: the event adds nothing a reader can place."""
    return not ev.date and not ev.fillers(*roles_under("agent"), *roles_under("target"), *roles_under("place"))


def story_row(data: GraphData, ev: EventInfo) -> StoryRow:
    return StoryRow(
        date=ev.date or "",
        agent=_labels(data, ev.fillers(*roles_under("agent"))),
        action=action(ev),
        target=_labels(data, ev.fillers(*roles_under("target"))),
        place=_labels(data, ev.fillers(*roles_under("place"))),
        casualties=casualties(data, ev),
        modality=ev.modality,
        sentence=" ".join(ev.evidence.split()),
        event=ev.iri,
        event_class=ev.event_class,
        confidence="" if ev.confidence is None else str(ev.confidence),
    )


def action(ev: EventInfo) -> str:
    """'airstrike (bombed)': the class as the ontology names it, and the words of the text.

    The writer labels an event "<class label>: <trigger>"; a graph from another
    tool may not, so its label, or else its class, stands in.
    """
    kind, sep, _ = ev.label.partition(": ")
    kind = kind if sep else ev.event_class
    trigger = " ".join(ev.trigger.split())
    if not trigger or trigger.lower() == kind.lower():
        return kind or ev.label
    return f"{kind} ({trigger})" if kind else trigger


def casualty_counts(data: GraphData, ev: EventInfo) -> tuple[int | None, int | None]:
    """(killed, injured) of an event; see count_casualties."""
    victims = [data.entities[i].count for i in ev.fillers(*roles_under("target")) if i in data.entities]
    return count_casualties(ev.coarse_type, ev.event_class, ev.modality, ev.killed, ev.injured, victims)


def count_casualties(
    coarse_type: str,
    event_class: str,
    modality: str,
    killed: int | None,
    injured: int | None,
    victim_counts: list[int | None],
) -> tuple[int | None, int | None]:
    """(killed, injured): the counts stated on the event, else its counted victims.

    A death or killing whose victims are "13 people" (a group with kgb:count)
    counts 13 killed; an injury, 13 injured.  Whoever a killing is done to is
    its victim, whether written kgb:victim or kgb:target.  Unknown stays None
    (not 0): ACLED users read 0 as "no one died".
    """
    # "without harming 331 civilians" counts no one: only what the text asserts or reports.
    if killed is None and injured is None and modality in ("asserted", "reported"):
        counted = [n for n in victim_counts if n is not None]
        total = sum(counted) if counted else None
        if coarse_type == "Killing/Death":
            killed = total
        elif event_class == "Injury":
            injured = total
    return killed, injured


def casualties(data: GraphData, ev: EventInfo) -> str:
    return casualty_text(*casualty_counts(data, ev))


def casualty_text(killed: int | None, injured: int | None) -> str:
    """'13 killed, 2 injured' ("" when neither is known)."""
    parts = ([f"{killed} killed"] if killed is not None else []) + (
        [f"{injured} injured"] if injured is not None else []
    )
    return ", ".join(parts)


def _labels(data: GraphData, iris) -> str:
    return _SEP.join(sorted(data.label(i) for i in iris))


# -- output ---------------------------------------------------------------------------


def render(stories: list[ArticleStory], fmt: str) -> str:
    """The stories as text in `fmt` (table, csv, md or json)."""
    if fmt == "csv":
        return _csv(stories)
    if fmt == "md":
        return _markdown(stories)
    if fmt == "json":
        return json.dumps([_as_dict(s) for s in stories], ensure_ascii=False, indent=1) + "\n"
    if fmt == "table":
        return _table(stories)
    raise ValueError(f"unknown story format {fmt!r}")


def folded_note(s: ArticleStory) -> str:
    if not s.folded:
        return ""
    return (
        f"{s.folded} events folded away ({s.folded_generic} generic, "
        f"{s.folded_low_confidence} low-confidence); --all shows them"
    )


def _as_dict(s: ArticleStory) -> dict:
    d = asdict(s)
    d["folded"] = s.folded
    return d


def _csv(stories: list[ArticleStory]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in stories:
        for row in s.rows:
            writer.writerow([s.doc, s.title] + [getattr(row, c) for c in CSV_COLUMNS[2:]])
    return buf.getvalue()


def md_cell(text: str) -> str:
    # A pipe would split the cell and a newline the row; angle brackets would become HTML.
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def _markdown(stories: list[ArticleStory]) -> str:
    lines: list[str] = []
    for s in stories:
        lines.append(f"## {md_cell(s.title or s.doc)}")
        lines.append("")
        if s.published:
            lines += [f"Published {s.published}. Source: {md_cell(s.doc)}", ""]
        lines.append("| " + " | ".join(COLUMNS) + " |")
        lines.append("|" + "---|" * len(COLUMNS))
        for row in s.rows:
            lines.append("| " + " | ".join(md_cell(getattr(row, c)) for c in COLUMNS) + " |")
        note = folded_note(s)
        if note:
            lines += ["", f"_{note}_"]
        lines.append("")
    return "\n".join(lines)


def _table(stories: list[ArticleStory]) -> str:
    """A rich table per article, rendered to text at a fixed width (no terminal probing)."""
    from rich.console import Console
    from rich.table import Table

    width = max(100, shutil.get_terminal_size((160, 24)).columns)
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None, highlight=False)
    for s in stories:
        table = Table(title=s.title or s.doc, title_justify="left", show_lines=False, expand=True)
        for c, ratio in zip(COLUMNS, (2, 3, 3, 3, 3, 2, 2, 8)):
            table.add_column(c, ratio=ratio, overflow="fold")
        for row in s.rows:
            # markup=False everywhere: article text such as "[AFP]" must stay text.
            table.add_row(*(_plain(getattr(row, c)) for c in COLUMNS))
        console.print(table)
        note = folded_note(s)
        if note:
            console.print(note, markup=False)
        if not s.rows and not s.folded:
            console.print("(no events)", markup=False)
    return console.export_text()


def _plain(text: str):
    from rich.text import Text

    return Text(text)
