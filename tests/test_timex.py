"""Time normalisation against the publication date (kgbuild.extract.timex).

The anchor 2017-08-30 is a Wednesday; every expectation below is worked out
by hand from a calendar.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgbuild.extract.timex import Timex, normalise

ANCHOR = "2017-08-30"  # a Wednesday


@pytest.mark.parametrize(
    "text, value, precision",
    [
        # a weekday is the most recent such day on or before the dateline
        ("Wednesday", "2017-08-30", "day"),
        ("on Monday", "2017-08-28", "day"),
        ("Thursday", "2017-08-24", "day"),
        ("Tuesday night", "2017-08-29", "day"),
        ("last Wednesday", "2017-08-23", "day"),
        ("next Friday", "2017-09-01", "day"),
        ("yesterday", "2017-08-29", "day"),
        ("today", "2017-08-30", "day"),
        ("three days ago", "2017-08-27", "day"),
        # explicit dates, with and without year
        ("30 August, 2017", "2017-08-30", "day"),
        ("on 12 August", "2017-08-12", "day"),
        ("August 12", "2017-08-12", "day"),
        ("Dec. 3, 2016", "2016-12-03", "day"),
        ("2015-12-21", "2015-12-21", "day"),
        ("on 25 December", "2016-12-25", "day"),  # would be four months ahead: the past one
        # months and years
        ("in July", "2017-07", "month"),
        ("August 2016", "2016-08", "month"),
        ("last month", "2017-07", "month"),
        ("this week", "2017-08", "month"),
        ("in 2015", "2015", "year"),
        ("last year", "2016", "year"),
    ],
)
def test_normalise(text, value, precision):
    assert normalise(text, ANCHOR) == Timex(value, precision)


@pytest.mark.parametrize("text", ["", "week-long", "recent days", "the 1990s", "may", "a long time"])
def test_unplaceable_expressions_give_none(text):
    assert normalise(text, ANCHOR) is None


def test_relative_expressions_need_an_anchor():
    assert normalise("on Monday", None) is None
    assert normalise("yesterday", "not a date") is None
    assert normalise("30 August 2017", None) == Timex("2017-08-30", "day")


def test_weekday_across_a_month_boundary():
    assert normalise("Friday", "2017-09-02") == Timex("2017-09-01", "day")  # a Saturday dateline
    assert normalise("Thursday", "2017-09-02") == Timex("2017-08-31", "day")


@given(st.text(max_size=40), st.one_of(st.none(), st.just(ANCHOR), st.text(max_size=12)))
def test_never_raises(text, anchor):
    result = normalise(text, anchor)
    assert result is None or result.precision in ("day", "month", "year")
