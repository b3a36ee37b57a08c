"""Event coreference and a timeline over extracted events (spaCy-free).

Within one article a story mentions the same event several times ("coalition
jets struck the bridge on Tuesday ... the strike cut the road"), and across
articles several reports describe one event.  The extractor keeps every
mention as its own Event (annotated corpora mark repeated mentions); this
module groups them:

    clusters = merge_events(extractions)          # list[EventCluster]
    before   = order_events(clusters)             # list[(earlier key, later key)]

Two event mentions corefer when

* their types agree: the same class, or one class an ancestor of the other
  in data/event_types.json ("Airstrike" and "Attack"), never across coarse
  types;
* their modality agrees on whether the event happened (a negated or future
  mention never merges with an asserted one);
* their times overlap: both dates known and their periods (day, month or
  year, widened by `max_days`) overlap; an undated mention takes its
  article's publication date (widened the same way) across articles, and
  is compatible with any time inside its own article;
* and they share something: a participant (agent, target or other
  argument: the same entity node; across articles only nodes with an
  article-independent key) or a place.  Inside an article a bare anaphoric
  mention ("the attack", "the bombing": a nominal trigger without any
  participant or place of its own) also joins the latest earlier event of
  its class.

A cluster's participants, places and dates are the union of its members', so
later mentions are compared with everything learnt so far.  The result is
deterministic: articles are taken in (publication date, doc_id) order, events
in text order, and each mention joins the earliest-created compatible
cluster.  Nothing here raises on odd input (missing dates, unparsable dates,
events without arguments).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .records import Event, Extraction

PARTICIPANT_ROLES = ("agent", "target", "other")
NOT_HAPPENED = frozenset({"negated", "future", "conditional"})


@dataclass(frozen=True, slots=True)
class EventMention:
    """One event of one article, as referenced by a cluster."""

    doc_id: str
    event_key: str  # Event.key (trigger offsets) inside that article
    sentence: int
    trigger: str
    source: str  # the article's url, else its source path, else its doc_id


@dataclass(frozen=True, slots=True)
class EventCluster:
    """One real-world event with all its mentions (possibly in several articles)."""

    key: str  # stable id: hash of the first mention's doc_id and event key
    cls: str  # the most specific class among the members ("Airstrike" over "Attack")
    coarse: str
    mentions: tuple[EventMention, ...]
    reports: int  # number of distinct articles reporting it
    sources: tuple[str, ...]  # those articles' urls / sources, in first-report order
    participants: tuple[str, ...]  # entity keys of agents, targets, other participants
    places: tuple[str, ...]  # entity keys (or normalised texts) of places
    date_start: str | None  # ISO day: start of the earliest period of its dated mentions
    date_end: str | None  # ISO day: end of the latest period
    modality: str  # "asserted" if any member is asserted, else the first member's
    confidence: float  # the highest member confidence

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.doc_id for m in self.mentions))


# ---------------------------------------------------------------- dates


def period(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of an ISO date, month (YYYY-MM) or year (YYYY); None if unparsable."""
    if not value or not isinstance(value, str):
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not m:
        return None
    try:
        y = int(m.group(1))
        if m.group(3):
            d = dt.date(y, int(m.group(2)), int(m.group(3)))
            return d, d
        if m.group(2):
            mo = int(m.group(2))
            first = dt.date(y, mo, 1)
            nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        return None


def _overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date], slack: int) -> bool:
    pad = dt.timedelta(days=max(0, slack))
    return a[0] - pad <= b[1] and b[0] - pad <= a[1]


# ---------------------------------------------------------------- type compatibility


def _ancestors_of() -> dict[str, tuple[str, ...]]:
    try:
        from .extract._events.lexicon import load_lexicon

        return {name: t.ancestors for name, t in load_lexicon().types.items()}
    except Exception:  # the data files are part of the package; never fail merging over them
        return {}


def _types_agree(anc: dict[str, tuple[str, ...]], a: Event, b_cls: str, b_coarse: str) -> bool:
    if a.coarse != b_coarse:
        return False
    if a.cls == b_cls:
        return True
    if "Event" in (a.cls, b_cls):
        return False  # the root class says nothing about what happened
    return b_cls in anc.get(a.cls, ()) or a.cls in anc.get(b_cls, ())


def _more_specific(anc: dict[str, tuple[str, ...]], a: str, b: str) -> str:
    """Of two compatible classes, the one lower in the hierarchy."""
    return a if len(anc.get(a, ())) >= len(anc.get(b, ())) else b


# ---------------------------------------------------------------- merging


@dataclass
class _Open:
    """A cluster being built."""

    first_doc: str
    first_key: str
    cls: str
    coarse: str
    happened: bool
    modality: str
    mentions: list[EventMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    participants: dict[str, None] = field(default_factory=dict)
    places: dict[str, None] = field(default_factory=dict)
    agents: dict[str, None] = field(default_factory=dict)
    periods: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # dated mentions
    doc_periods: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)  # article dates
    confidence: float = 0.0


def _source(ex: Extraction) -> str:
    a = ex.article
    return a.url or a.source or a.doc_id


def _participants(ex: Extraction, ev: Event, roles: tuple[str, ...] = PARTICIPANT_ROLES) -> set[str]:
    out: set[str] = set()
    for a in ev.arguments:
        if a.role in roles and a.entity:
            ent = ex.entity(a.entity)
            if ent is not None and ent.doc_scoped:
                out.add(f"{ex.article.doc_id}#{a.entity}")  # only meaningful inside its article
            else:
                out.add(a.entity)
    return out


def _places(ex: Extraction, ev: Event) -> set[str]:
    out: set[str] = set()
    for a in ev.arguments:
        if a.role != "place":
            continue
        if a.entity:
            ent = ex.entity(a.entity)
            out.add(f"{ex.article.doc_id}#{a.entity}" if ent is not None and ent.doc_scoped else a.entity)
        elif a.text.strip():
            out.add("text:" + " ".join(a.text.lower().split()))
    return out


ANAPHORIC_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "such"})


def _is_bare_anaphor(ex: Extraction, ev: Event) -> bool:
    """ "the attack", "this deadly bombing": a definite or demonstrative noun phrase with no
    participant or place of its own refers back to an event already told."""
    if any(a.role in PARTICIPANT_ROLES + ("place",) for a in ev.arguments):
        return False
    text = ex.article.text if isinstance(ex.article.text, str) else ""
    before = re.findall(r"[A-Za-z']+", text[max(0, ev.trigger.start - 40) : ev.trigger.start].lower())[-3:]
    return any(w in ANAPHORIC_DETERMINERS for w in before)


def _compatible(
    c: _Open,
    anc: dict[str, tuple[str, ...]],
    ev: Event,
    doc_id: str,
    ev_period: tuple[dt.date, dt.date] | None,
    art_period: tuple[dt.date, dt.date] | None,
    parts: set[str],
    places: set[str],
    agents: set[str],
    anaphor: bool,
    max_days: int,
) -> bool:
    if not _types_agree(anc, ev, c.cls, c.coarse):
        return False
    if (ev.modality not in NOT_HAPPENED) != c.happened:
        return False
    same_doc = any(m.doc_id == doc_id for m in c.mentions)
    # time
    if ev_period and c.periods:
        if not any(_overlap(ev_period, p, max_days) for p in c.periods):
            return False
    elif not same_doc:
        mine = ev_period or art_period
        theirs = c.periods or list(c.doc_periods.values())
        if mine is None or not theirs or not any(_overlap(mine, p, max_days) for p in theirs):
            return False  # across articles an undated pair must at least be reported at the same time
    # different agents make different events (the coalition's strikes are not Russia's); a
    # statement is its speaker's, so statements need the same speaker
    if agents and c.agents and not agents & c.agents.keys():
        return False
    if _is_statement(anc, c.cls) and not (agents & c.agents.keys() or anaphor and same_doc):
        return False
    # something shared
    if parts & c.participants.keys() or places & c.places.keys():
        return True
    return anaphor and same_doc


def _is_statement(anc: dict[str, tuple[str, ...]], cls: str) -> bool:
    return "Statement" in anc.get(cls, (cls,))


def _key(doc_id: str, event_key: str) -> str:
    return "ev-" + hashlib.sha1(f"{doc_id}\x1f{event_key}".encode("utf-8")).hexdigest()[:16]


def merge_events(
    extractions: Iterable[Extraction],
    *,
    max_days: int = 2,
    cross_document: bool = True,
    min_confidence: float = 0.0,
) -> list[EventCluster]:
    """Group the events of the extractions into clusters of coreferent mentions.

    `max_days` widens every date period before comparing (reports date an
    event a day apart; an article dated the day after).  With
    `cross_document=False` only mentions inside one article merge.  Events
    below `min_confidence` are left out.  Every kept event is in exactly one
    cluster; clusters come in order of their first mention.
    """
    anc = _ancestors_of()
    exs = [ex for ex in extractions if isinstance(ex, Extraction)]
    exs.sort(key=lambda ex: (ex.article.date or "", ex.article.doc_id))
    clusters: list[_Open] = []
    for ex in exs:
        doc_id = ex.article.doc_id
        art_period = period(ex.article.date)
        pool_start = 0 if cross_document else len(clusters)
        for ev in sorted(ex.events, key=lambda e: (e.trigger.start, e.trigger.end, e.cls)):
            if not isinstance(ev, Event) or ev.confidence < min_confidence:
                continue
            ev_period = period(ev.date)
            parts = _participants(ex, ev)
            places = _places(ex, ev)
            agents = _participants(ex, ev, ("agent",))
            anaphor = _is_bare_anaphor(ex, ev)
            target = None
            candidates = clusters[pool_start:]
            # a bare anaphor joins the latest compatible cluster of its article; others the earliest
            for c in reversed(candidates) if anaphor else candidates:
                if _compatible(c, anc, ev, doc_id, ev_period, art_period, parts, places, agents, anaphor, max_days):
                    target = c
                    break
            if target is None:
                target = _Open(doc_id, ev.key, ev.cls, ev.coarse, ev.modality not in NOT_HAPPENED, ev.modality)
                clusters.append(target)
            else:
                target.cls = _more_specific(anc, target.cls, ev.cls)
                if ev.modality == "asserted":
                    target.modality = "asserted"
            target.mentions.append(EventMention(doc_id, ev.key, ev.sentence, ev.trigger.text, _source(ex)))
            target.events.append(ev)
            target.participants.update(dict.fromkeys(sorted(parts)))
            target.places.update(dict.fromkeys(sorted(places)))
            target.agents.update(dict.fromkeys(sorted(agents)))
            if ev_period:
                target.periods.append(ev_period)
            if art_period:
                target.doc_periods.setdefault(doc_id, art_period)
            target.confidence = max(target.confidence, ev.confidence)
    out: list[EventCluster] = []
    for c in clusters:
        docs = list(dict.fromkeys(m.doc_id for m in c.mentions))
        sources = list(dict.fromkeys(m.source for m in c.mentions))
        start = min((p[0] for p in c.periods), default=None)
        end = max((p[1] for p in c.periods), default=None)
        out.append(
            EventCluster(
                key=_key(c.first_doc, c.first_key),
                cls=c.cls,
                coarse=c.coarse,
                mentions=tuple(c.mentions),
                reports=len(docs),
                sources=tuple(sources),
                participants=tuple(k for k in c.participants if "#" not in k),
                places=tuple(k for k in c.places if "#" not in k),
                date_start=start.isoformat() if start else None,
                date_end=end.isoformat() if end else None,
                modality=c.modality,
                confidence=round(c.confidence, 3),
            )
        )
    return out


# ---------------------------------------------------------------- timeline


def order_events(items: Sequence[EventCluster | Event], *, keys: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """before-relations between dated events: (earlier, later) pairs of keys.

    An event is before another when its whole period ends before the other's
    starts (a day-precision event on 3 August is before one on 5 August; an
    August event is neither before nor after one on 10 August).  Only the
    covering pairs are returned (the transitive reduction of the order over
    distinct periods), so a chain of n dated periods gives about n edges, not
    n².  Items are EventClusters (their key, date_start..date_end) or Events
    (their key, or `keys[i]` when given, and their date period).  Undated
    items take no part.
    """
    dated: list[tuple[tuple[dt.date, dt.date], str]] = []
    for i, it in enumerate(items):
        if isinstance(it, EventCluster):
            s, e = period(it.date_start), period(it.date_end)
            if not s or not e:
                continue
            p, key = (s[0], e[1]), it.key
        elif isinstance(it, Event):
            p = period(it.date)
            if p is None:
                continue
            key = keys[i] if keys is not None and i < len(keys) else it.key
        else:
            continue
        dated.append((p, key))
    groups: dict[tuple[dt.date, dt.date], list[str]] = {}
    for p, key in dated:
        groups.setdefault(p, [])
        if key not in groups[p]:
            groups[p].append(key)
    spans = sorted(groups)  # by start, then end
    starts = [p[0] for p in spans]
    # suffix minimum of the ends: the earliest end among spans starting at index >= j
    min_end: list[dt.date] = [dt.date.max] * (len(spans) + 1)
    for j in range(len(spans) - 1, -1, -1):
        min_end[j] = min(spans[j][1], min_end[j + 1])
    edges: list[tuple[str, str]] = []
    for a in spans:
        j = bisect.bisect_right(starts, a[1])  # first span starting after a ends
        if j >= len(spans):
            continue
        # b covers a when nothing lies wholly between them: b starts no later than the earliest end after a
        for b in spans[j:]:
            if b[0] > min_end[j]:
                break
            for ka in groups[a]:
                for kb in groups[b]:
                    edges.append((ka, kb))
    return edges


def cluster_of(clusters: Sequence[EventCluster]) -> dict[tuple[str, str], str]:
    """(doc_id, Event.key) -> cluster key, for writers that emit per-article events."""
    return {(m.doc_id, m.event_key): c.key for c in clusters for m in c.mentions}
