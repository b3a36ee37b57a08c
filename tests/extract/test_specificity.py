"""One occurrence or many (kgbuild.extract._events.specificity) on hand-written sentences."""

from __future__ import annotations

import pytest

from kgbuild.records import Article, Event
from tests.conftest import needs_model

pytestmark = needs_model

DATE = "2017-08-30"  # a Wednesday


def run(nlp, text: str) -> list[Event]:
    from kgbuild.extract.events import extract_events

    doc = nlp(text)
    doc._.kg_article = Article("t", text, date=DATE)
    doc._.kg_entities = []
    return extract_events(doc)


def event(nlp, text: str, trigger: str) -> Event:
    found = [e for e in run(nlp, text) if e.trigger.text == trigger]
    assert len(found) == 1, [(e.trigger.text, e.cls) for e in run(nlp, text)]
    return found[0]


@pytest.mark.parametrize(
    "text, trigger, expected",
    [
        # counted or quantified plurals
        (
            "The Northern Alliance has launched hundreds of air strikes on the rebels since 2015.",
            "air strikes",
            "aggregate",
        ),
        ("Rebels carried out dozens of attacks on the northern villages last month.", "attacks", "aggregate"),
        ("Government jets conducted more than 20 raids on the valley.", "raids", "aggregate"),
        ("Rebels attacked the convoy three times on Monday.", "attacked", "aggregate"),
        # frequency and stretched time frames
        ("Militants shell the market town every day, residents said.", "shell", "habitual"),
        ("The army regularly bombs rebel positions in the hills.", "bombs", "habitual"),
        ("Rebel fighters have attacked the garrison repeatedly over the past three years.", "attacked", "habitual"),
        # kinds of event
        ("Such attacks are rare in the capital.", "attacks", "generic"),
        ("Airstrikes kill civilians.", "Airstrikes", "generic"),
        # single happenings
        ("Jets from the alliance bombed a bridge near the river on Tuesday.", "bombed", "specific"),
        ("It was the first attack on the town since 2012.", "attack", "specific"),
        ("Gunmen stormed the hotel last Wednesday.", "stormed", "specific"),
    ],
)
def test_specificity(nlp, text, trigger, expected):
    assert event(nlp, text, trigger).specificity == expected


def test_since_year_leaves_the_event_undated(nlp):
    e = event(
        nlp, "The Northern Alliance has launched hundreds of air strikes on the rebels since 2015.", "air strikes"
    )
    assert e.date is None and e.date_precision is None  # an open interval, not the year 2015
    assert [a.text for a in e.arguments if a.role == "time"] == ["2015"]  # the argument is kept


def test_a_dated_single_event_keeps_its_date(nlp):
    e = event(nlp, "Gunmen stormed the hotel last Wednesday.", "stormed")
    assert (e.date, e.date_precision) == ("2017-08-23", "day")


def test_a_date_mention_reads_its_frame(nlp):
    from kgbuild.extract._events.specificity import frame_text

    doc = nlp("The army has shelled the town since 2014, and again on 3 May.")
    dates = {e.text: frame_text(e) for e in doc.ents if e.label_ == "DATE"}
    assert dates.get("2014") == "since 2014"
    assert dates.get("3 May") == "3 May"  # "on" is no frame: a point stays a point


def test_a_point_in_time_pins_down_an_event_with_a_frame(nlp):
    e = event(nlp, "Since 2014 the rebels have attacked the garrison on Tuesday.", "attacked")
    assert e.specificity == "specific" and e.date == "2017-08-29"  # the frame does not hide the day
    e = event(nlp, "The rebels have attacked the garrison since Monday.", "attacked")
    assert e.specificity == "habitual" and e.date is None
