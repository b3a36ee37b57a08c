"""One date normaliser: a date node (kgbuild.extract.entities) and the events it dates
(kgbuild.extract.timex) read every expression the same way.

They used to disagree: "last Wednesday" on a Wednesday dateline was that very day for the
date node and the week before for the event; "since 2014" was the year 2014 for both.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kgbuild.extract.entities import normalise_date
from kgbuild.extract.timex import normalise

ANCHOR = dt.date(2017, 8, 30)  # a Wednesday


@pytest.mark.parametrize(
    "text",
    [
        "last Wednesday",
        "Wednesday",
        "next Friday",
        "on 25 December",
        "since 2014",
        "over the past two years",
        "three days ago",
        "last week",
        "in May",
        "August 2016",
        "2015",
        "yesterday",
        "a while",
    ],
)
def test_date_nodes_and_event_dates_agree(text):
    t = normalise(text, ANCHOR.isoformat())
    assert normalise_date(text, ANCHOR) == (t.iso if t else None)


def test_the_cases_that_used_to_drift():
    assert normalise_date("last Wednesday", ANCHOR) == "2017-08-23"  # strictly before the dateline
    assert normalise_date("on 25 December", ANCHOR) == "2016-12-25"  # not four months ahead
    assert normalise_date("since 2014", ANCHOR) == "2014/.."  # an open interval, not the year
    assert normalise_date("since 2014", ANCHOR) != normalise_date("in 2014", ANCHOR) == "2014"


def test_without_anchor_only_absolute_dates():
    assert normalise_date("30 August 2017", None) == "2017-08-30"
    assert normalise_date("yesterday", None) is None
