"""Aggregate, habitual and generic events never corefer with single ones (kgbuild.resolve.eventcoref).

Hand-built records: made-up articles, entities and events; no spaCy model.
"""

from __future__ import annotations

import dataclasses

import pytest

from kgbuild.records import Argument, Article, Entity, Event, Extraction, Mention, Span
from kgbuild.resolve.eventcoref import Merger, article_facts, merge_events


def ent(key: str, label: str) -> Entity:
    return Entity(key, label, "ArmedGroup", "ORGANIZATION", (Mention(0, 1, label, "ORGANIZATION", key, 0),))


ENTS = (ent("northern-alliance", "Northern Alliance"), ent("river-front", "River Front"), ent("port-sela", "Port Sela"))

TEXT = (
    "Northern Alliance jets struck River Front positions near Port Sela on Tuesday. "
    "The Northern Alliance has launched hundreds of strikes on River Front since 2015."
)


def ev(
    trigger: str,
    cls: str = "Airstrike",
    *,
    specificity: str = "specific",
    date: str | None = None,
    occurrence: int = 0,
    text: str = TEXT,
) -> Event:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(trigger, start + 1)
    args = []
    for role, surface, key in (
        ("agent", "Northern Alliance", "northern-alliance"),
        ("target", "River Front", "river-front"),
    ):
        a = text.index(surface)
        args.append(Argument(role, a, a + len(surface), surface, key))
    return Event(
        Span(start, start + len(trigger), trigger),
        cls,
        "Attack",
        0,
        tuple(args),
        date=date,
        date_precision="day" if date else None,
        specificity=specificity,
    )


def article(doc_id: str, events, text: str = TEXT, date: str = "2017-08-30") -> Extraction:
    return Extraction(
        Article(doc_id, text, date=date, url=f"https://news.example/{doc_id}"), entities=ENTS, events=tuple(events)
    )


SINGLE = ev("struck", date="2017-08-29")
MANY = ev("strikes", specificity="aggregate")  # "hundreds of strikes ... since 2015": no date of its own


def test_an_aggregate_never_joins_a_single_event_in_its_article():
    clusters = merge_events([article("a", [SINGLE, MANY])])
    assert len(clusters) == 2
    single = next(c for c in clusters if c.mentions[0].trigger == "struck")
    assert single.date_start == single.date_end == "2017-08-29"  # not widened to the aggregate's frame
    assert {c.specificity for c in clusters} == {"specific", "aggregate"}


@pytest.mark.parametrize("kind", ["aggregate", "habitual", "generic"])
def test_no_kind_of_many_joins_a_single_event_across_articles(kind):
    other = dataclasses.replace(SINGLE, specificity=kind)  # same class, participants, date: still not the same
    clusters = merge_events([article("a", [SINGLE]), article("b", [other], date="2017-08-30")])
    assert len(clusters) == 2


def test_a_single_event_never_joins_an_earlier_aggregate():
    # the aggregate comes first (in an earlier article): the later single strike still starts its own cluster
    clusters = merge_events([article("a", [MANY], date="2017-08-29"), article("b", [SINGLE])])
    assert [c.mentions[0].trigger for c in clusters] == ["strikes", "struck"]


def test_the_same_aggregate_told_again_merges():
    clusters = merge_events([article("a", [MANY]), article("b", [MANY], date="2017-08-31")])
    assert len(clusters) == 1 and clusters[0].reports == 2 and clusters[0].specificity == "aggregate"


def test_aggregates_with_other_participants_or_kind_stay_apart():
    fewer = Event(MANY.trigger, MANY.cls, "Attack", 0, MANY.arguments[:1], specificity="aggregate")  # no target
    habitual = dataclasses.replace(MANY, specificity="habitual")
    for second in (fewer, habitual):
        clusters = merge_events([article("a", [MANY]), article("b", [second], text=TEXT)])
        assert len(clusters) == 2, second


def test_a_bare_anaphor_does_not_refer_back_to_an_aggregate():
    text = "Rebels have launched dozens of attacks on the Northern Alliance since 2015. The attack was condemned."
    many = Event(
        Span(text.index("attacks"), text.index("attacks") + 7, "attacks"),
        "Attack",
        "Attack",
        0,
        (
            Argument(
                "target", text.index("Northern"), text.index("Northern") + 17, "Northern Alliance", "northern-alliance"
            ),
        ),
        specificity="aggregate",
    )
    a = text.index("attack was")
    anaphor = Event(Span(a, a + 6, "attack"), "Attack", "Attack", 1)
    clusters = merge_events([article("a", [many, anaphor], text=text)])
    assert len(clusters) == 2


def test_light_records_carry_the_specificity():
    facts = article_facts(article("a", [SINGLE, MANY]))
    assert [e.specificity for e in facts.events] == ["specific", "aggregate"]
    m = Merger()
    m.add(facts)
    assert sorted(c.specificity for c in m.clusters) == ["aggregate", "specific"]
