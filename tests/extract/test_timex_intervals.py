"""Time frames as intervals (kgbuild.extract.timex): "since 2014" is not the year 2014.

Hand-written expressions; the anchor 2017-08-30 is a Wednesday.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kgbuild.extract.timex import Timex, normalise, period

ANCHOR = "2017-08-30"


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("since 2014", "2014", None),  # open: a start, no end
        ("ever since March 2011", "2011-03", None),
        ("since 12 June", "2017-06-12", None),
        ("since last Wednesday", "2017-08-23", None),
        ("from 2009 onwards", "2009", None),
        ("over the past three years", "2014", "2017-08-30"),
        ("in the last two months", "2017-06", "2017-08-30"),
        ("for five years", "2012", "2017-08-30"),
        ("over the past year", "2016", "2017-08-30"),
    ],
)
def test_time_frames_are_intervals_not_points(text, start, end):
    t = normalise(text, ANCHOR)
    assert t == Timex(None, None, start=start, end=end)
    assert t.is_interval and t.value is None  # an event in this frame has no date of its own


def test_an_open_interval_reads_as_iso_8601_and_as_a_period():
    t = normalise("since 2014", ANCHOR)
    assert t.iso == "2014/.."
    assert period(t.iso) == (dt.date(2014, 1, 1), dt.date.max)
    assert period("2014/2015-06") == (dt.date(2014, 1, 1), dt.date(2015, 6, 30))
    assert period("2015/2014") is None  # ends before it starts


def test_points_stay_points():
    assert normalise("in 2014", ANCHOR) == Timex("2014", "year")
    assert normalise("2014", ANCHOR) == Timex("2014", "year")
    assert normalise("on 30 August", ANCHOR) == Timex("2017-08-30", "day")
    assert not normalise("in 2014", ANCHOR).is_interval


def test_period_reads_every_point_precision():
    assert period("2017-08-30") == (dt.date(2017, 8, 30), dt.date(2017, 8, 30))
    assert period("2016-02") == (dt.date(2016, 2, 1), dt.date(2016, 2, 29))
    assert period("2014") == (dt.date(2014, 1, 1), dt.date(2014, 12, 31))
    assert period("soon") is None and period(None) is None and period("2017-02-30") is None


def test_vague_frames_stay_unplaced():
    assert normalise("in recent days", ANCHOR) is None
    assert normalise("over the past years", ANCHOR) is None


def test_a_frame_without_anchor_is_still_an_interval():
    t = normalise("over the past three years")
    assert t is not None and t.is_interval and t.start is None and t.iso is None
