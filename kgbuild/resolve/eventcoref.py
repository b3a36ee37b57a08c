"""Event coreference and a timeline over extracted events (spaCy-free).

Within one article a story mentions the same event several times ("coalition
jets struck the bridge on Tuesday ... the strike cut the road"), and across
articles several reports describe one event.  The extractor keeps every
mention as its own Event (annotated corpora mark repeated mentions); this
module groups them:

    clusters = merge_events(extractions)          # list[EventCluster]
    before   = order_events(clusters)             # list[(earlier key, later key)]

merge_events keeps every mention; a streaming build uses `Merger` directly,
one article's `ArticleFacts` at a time, and keeps only the clusters' state.

Two event mentions corefer when

* their types agree: the same class, or one class an ancestor of the other
  in data/event_types.json ("Airstrike" and "Attack"), never across coarse
  types;
* their modality agrees on whether the event happened (a negated or future
  mention never merges with an asserted one);
* they are both single happenings (Event.specificity "specific"): an
  aggregate ("hundreds of air strikes since 2014"), habitual ("shell the town
  every day") or generic ("such attacks") mention never merges with a single
  one, whatever it shares with it; it joins only the same aggregate told
  again (the same specificity and class, the very same participants, places
  and time) and otherwise stays a cluster of its own;
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

from ..extract.timex import period as _timex_period
from ..records import Event, Extraction

PARTICIPANT_ROLES = ("agent", "target", "other")
SPECIFIC = "specific"  # Event.specificity of a single happening
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
    specificity: str = "specific"  # its members' Event.specificity (they all have the same)

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.doc_id for m in self.mentions))


# ---------------------------------------------------------------- dates


# The first and last day of an ISO date, month (YYYY-MM) or year (YYYY); None if unparsable.
# kgbuild.extract.timex writes the values, so it is the one place that reads them.
period = _timex_period


def _overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date], slack: int) -> bool:
    pad = dt.timedelta(days=max(0, slack))
    return a[0] - pad <= b[1] and b[0] - pad <= a[1]


# ---------------------------------------------------------------- type compatibility


def _ancestors_of() -> dict[str, tuple[str, ...]]:
    try:
        from ..extract._events.lexicon import load_lexicon

        return {name: t.ancestors for name, t in load_lexicon().types.items()}
    except Exception:  # the data files are part of the package; never fail merging over them
        return {}


def _types_agree(anc: dict[str, tuple[str, ...]], a: Event | EventFacts, b_cls: str, b_coarse: str) -> bool:
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


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What merging needs of one event, computed where its Extraction is.

    Why: a streaming build cannot keep every article's Extraction (text,
    entities, sentences) until the end; it keeps these instead.  The article
    text only decides `anaphor`, so it is not needed afterwards.
    """

    key: str  # Event.key
    start: int
    end: int
    cls: str
    coarse: str
    sentence: int
    trigger: str
    modality: str
    date: str | None
    confidence: float
    participants: tuple[str, ...]  # sorted keys; document-scoped ones as "doc_id#key"
    places: tuple[str, ...]  # sorted
    agents: tuple[str, ...]  # sorted
    anaphor: bool
    # for writers (kgbuild.rdf.coref): (role, fine_role, entity key) of the participant and place
    # arguments that name an article-independent entity node
    roles: tuple[tuple[str, str, str], ...] = ()
    specificity: str = "specific"  # Event.specificity: only "specific" mentions merge with each other


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """One article's events as merging sees them (see EventFacts)."""

    doc_id: str
    date: str | None
    source: str  # the article's url, else its source path, else its doc_id
    events: tuple[EventFacts, ...]

    @property
    def order(self) -> tuple[str, str]:
        """Articles are merged in this order (publication date, doc_id)."""
        return (self.date or "", self.doc_id)


def article_facts(ex: Extraction) -> ArticleFacts:
    roles: dict[str, tuple[tuple[str, str, str], ...]] = {}
    events = [ev for ev in ex.events if isinstance(ev, Event)]
    for ev in events:
        # keyed by trigger span, the last event with a span wins: the writers have always
        # looked an event up by (doc_id, key), and the output must not change
        roles[ev.key] = tuple(
            (a.role, a.fine_role or "", a.entity)
            for a in ev.arguments
            if a.role in PARTICIPANT_ROLES + ("place",)
            and a.entity
            and (ent := ex.entity(a.entity)) is not None
            and not ent.doc_scoped
        )
    return ArticleFacts(
        doc_id=ex.article.doc_id,
        date=ex.article.date,
        source=_source(ex),
        events=tuple(
            EventFacts(
                ev.key,
                ev.trigger.start,
                ev.trigger.end,
                ev.cls,
                ev.coarse,
                ev.sentence,
                ev.trigger.text,
                ev.modality,
                ev.date,
                ev.confidence,
                tuple(sorted(_participants(ex, ev))),
                tuple(sorted(_places(ex, ev))),
                tuple(sorted(_participants(ex, ev, ("agent",)))),
                _is_bare_anaphor(ex, ev),
                roles[ev.key],
                getattr(ev, "specificity", SPECIFIC) or SPECIFIC,
            )
            for ev in events
        ),
    )


@dataclass(slots=True)
class ClusterState:
    """A cluster being built: what later mentions are compared with, and what its writers need.

    It holds no list of mentions (Merger.add reports each one as it joins),
    so a cluster costs the same whatever its size.
    """

    key: str  # stable id: hash of the first mention's doc_id and event key
    cls: str
    coarse: str
    happened: bool
    modality: str
    trigger: str  # the first mention's trigger text
    mentions: int = 0
    docs: dict[str, None] = field(default_factory=dict)  # doc_ids, in first-report order
    participants: dict[str, None] = field(default_factory=dict)
    places: dict[str, None] = field(default_factory=dict)
    agents: dict[str, None] = field(default_factory=dict)
    periods: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # distinct periods of dated mentions
    doc_periods: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)  # article dates
    confidence: float = 0.0
    specificity: str = SPECIFIC  # its members' (a cluster never mixes single and aggregate events)

    @property
    def reports(self) -> int:
        return len(self.docs)

    @property
    def date_start(self) -> str | None:
        return min(p[0] for p in self.periods).isoformat() if self.periods else None

    @property
    def date_end(self) -> str | None:
        return max(p[1] for p in self.periods).isoformat() if self.periods else None


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
    c: ClusterState,
    anc: dict[str, tuple[str, ...]],
    ev: EventFacts,
    doc_id: str,
    ev_period: tuple[dt.date, dt.date] | None,
    art_period: tuple[dt.date, dt.date] | None,
    max_days: int,
) -> bool:
    if not _types_agree(anc, ev, c.cls, c.coarse):
        return False
    if (ev.modality not in NOT_HAPPENED) != c.happened:
        return False
    if ev.specificity != c.specificity:
        return False  # "hundreds of strikes since 2014" is not the strike of 30 August
    same_doc = doc_id in c.docs
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
    shared_agent = not c.agents.keys().isdisjoint(ev.agents)
    if ev.agents and c.agents and not shared_agent:
        return False
    if _is_statement(anc, c.cls) and not (shared_agent or ev.anaphor and same_doc):
        return False
    if ev.specificity != SPECIFIC:
        # only the same aggregate told again: the same class, participants, places and time
        return (
            ev.cls == c.cls
            and bool(ev.participants or ev.places)
            and c.participants.keys() == set(ev.participants)
            and c.places.keys() == set(ev.places)
            and c.periods == ([ev_period] if ev_period else [])
        )
    # something shared (Merger._candidates relies on this being required)
    if not c.participants.keys().isdisjoint(ev.participants) or not c.places.keys().isdisjoint(ev.places):
        return True
    return ev.anaphor and same_doc


def _is_statement(anc: dict[str, tuple[str, ...]], cls: str) -> bool:
    return "Statement" in anc.get(cls, (cls,))


def _key(doc_id: str, event_key: str) -> str:
    return "ev-" + hashlib.sha1(f"{doc_id}\x1f{event_key}".encode("utf-8")).hexdigest()[:16]


class Merger:
    """merge_events one article at a time, for streaming: only the clusters' state is kept.

    Articles must come in ArticleFacts.order (merge_events sorts them; a
    streaming build sorts them on disk).  `add` returns, for each kept event
    of the article in the order merged, the index of its cluster in
    `clusters`, so a caller can write what it needs of each mention at once.
    """

    def __init__(self, *, max_days: int = 2, cross_document: bool = True, min_confidence: float = 0.0) -> None:
        self.max_days, self.cross_document, self.min_confidence = max_days, cross_document, min_confidence
        self.anc = _ancestors_of()
        self.clusters: list[ClusterState] = []
        # Why an index: a mention can only join a cluster of its coarse type sharing a participant
        # or a place with it, or (a bare anaphor) one of its own article (see _compatible).  Looking
        # only at those gives the same result as trying every cluster, without quadratic time.
        self._shared: dict[tuple[str, str, str], list[int]] = {}  # ("p"|"l", coarse, key) -> clusters
        self._in_doc: dict[str, list[int]] = {}  # doc_id -> clusters with a mention in it
        self._last: tuple[str, str] | None = None

    def add(self, art: ArticleFacts) -> list[tuple[int, EventFacts]]:
        order = art.order
        if self._last is not None and order < self._last:
            raise ValueError(f"articles must be merged in (date, doc_id) order: {order} after {self._last}")
        self._last = order
        doc_id = art.doc_id
        art_period = period(art.date)
        pool_start = 0 if self.cross_document else len(self.clusters)
        joined: list[tuple[int, EventFacts]] = []
        for ev in sorted(art.events, key=lambda e: (e.start, e.end, e.cls)):
            if ev.confidence < self.min_confidence:
                continue
            ev_period = period(ev.date)
            i = next(
                (
                    i
                    for i in self._candidates(ev, doc_id, pool_start)
                    if _compatible(self.clusters[i], self.anc, ev, doc_id, ev_period, art_period, self.max_days)
                ),
                None,
            )
            if i is None:
                i = len(self.clusters)
                self.clusters.append(
                    ClusterState(
                        _key(doc_id, ev.key),
                        ev.cls,
                        ev.coarse,
                        ev.modality not in NOT_HAPPENED,
                        ev.modality,
                        ev.trigger,
                        specificity=ev.specificity,
                    )
                )
            else:
                c = self.clusters[i]
                c.cls = _more_specific(self.anc, c.cls, ev.cls)
                if ev.modality == "asserted":
                    c.modality = "asserted"
            self._join(i, ev, doc_id, ev_period, art_period)
            joined.append((i, ev))
        return joined

    def _candidates(self, ev: EventFacts, doc_id: str, pool_start: int) -> list[int]:
        """Clusters `ev` could join: the earliest created first, the latest first for a bare anaphor."""
        found: set[int] = set()
        for kind, keys in (("p", ev.participants), ("l", ev.places)):
            for k in keys:
                found.update(self._shared.get((kind, ev.coarse, k), ()))
        if ev.anaphor:
            found.update(self._in_doc.get(doc_id, ()))
        return sorted((i for i in found if i >= pool_start), reverse=ev.anaphor)

    def _join(self, i: int, ev: EventFacts, doc_id: str, ev_period, art_period) -> None:
        c = self.clusters[i]
        c.mentions += 1
        if doc_id not in c.docs:
            c.docs[doc_id] = None
            self._in_doc.setdefault(doc_id, []).append(i)
        for kind, keys, have in (("p", ev.participants, c.participants), ("l", ev.places, c.places)):
            for k in keys:
                if k not in have:
                    have[k] = None
                    self._shared.setdefault((kind, c.coarse, k), []).append(i)
        c.agents.update(dict.fromkeys(ev.agents))
        if ev_period and ev_period not in c.periods:  # only overlaps, min and max are asked of them
            c.periods.append(ev_period)
        if art_period:
            c.doc_periods.setdefault(doc_id, art_period)
        c.confidence = max(c.confidence, ev.confidence)


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
    exs = [ex for ex in extractions if isinstance(ex, Extraction)]
    exs.sort(key=lambda ex: (ex.article.date or "", ex.article.doc_id))
    merger = Merger(max_days=max_days, cross_document=cross_document, min_confidence=min_confidence)
    mentions: list[list[EventMention]] = []
    for ex in exs:
        art = article_facts(ex)
        for i, ev in merger.add(art):
            if i == len(mentions):
                mentions.append([])
            mentions[i].append(EventMention(art.doc_id, ev.key, ev.sentence, ev.trigger, art.source))
    return [
        EventCluster(
            key=c.key,
            cls=c.cls,
            coarse=c.coarse,
            mentions=tuple(ms),
            reports=c.reports,
            sources=tuple(dict.fromkeys(m.source for m in ms)),
            participants=tuple(k for k in c.participants if "#" not in k),
            places=tuple(k for k in c.places if "#" not in k),
            date_start=c.date_start,
            date_end=c.date_end,
            modality=c.modality,
            confidence=round(c.confidence, 3),
            specificity=c.specificity,
        )
        for c, ms in zip(merger.clusters, mentions)
    ]


# ---------------------------------------------------------------- timeline


def order_events(
    items: Sequence[EventCluster | ClusterState | Event], *, keys: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """before-relations between dated events: (earlier, later) pairs of keys.

    An event is before another when its whole period ends before the other's
    starts (a day-precision event on 3 August is before one on 5 August; an
    August event is neither before nor after one on 10 August).  Only the
    covering pairs are returned (the transitive reduction of the order over
    distinct periods), so a chain of n dated periods gives about n edges, not
    n².  Items are EventClusters (their key, date_start..date_end) or Events
    (their key, or `keys[i]` when given, and their date period); a Merger's
    ClusterStates count as EventClusters.  Undated items take no part.
    """
    dated: list[tuple[tuple[dt.date, dt.date], str]] = []
    for i, it in enumerate(items):
        if isinstance(it, (EventCluster, ClusterState)):
            s, e = period(it.date_start), period(it.date_end)
            if not s or not e:
                continue
            p, key = (s[0], e[1]), it.key
        elif isinstance(it, Event):
            q = period(it.date)
            if q is None:
                continue
            p = q
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
