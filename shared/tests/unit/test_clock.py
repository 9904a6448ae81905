"""Business time: "today" is the day in China by the injected clock, "as of D" covers all of
D, and a fact dated D is stored on D."""

import datetime as dt

import pytest

from shared.clock import (
    CHINA,
    as_of_instant,
    business_day,
    china_date,
    china_today,
    end_of_day,
    noon,
)
from shared.kernel import Refused


def test_today_is_the_day_in_china() -> None:
    assert china_today(lambda: dt.datetime(2016, 12, 31, 17, 0, tzinfo=dt.UTC)) == dt.date(
        2017, 1, 1
    )
    assert china_today(lambda: dt.datetime(2016, 12, 31, 1, 0, tzinfo=dt.UTC)) == dt.date(
        2016, 12, 31
    )
    assert abs(china_today() - dt.datetime.now(dt.UTC).date()) <= dt.timedelta(days=1)
    assert china_date(dt.datetime(2016, 6, 10, 16, 0, tzinfo=dt.UTC)) == dt.date(2016, 6, 11)


def test_as_of_a_day_includes_facts_dated_that_day() -> None:
    stored = noon(dt.date(2016, 9, 30))
    assert stored == dt.datetime(2016, 9, 30, 12, 0, tzinfo=dt.UTC)
    assert stored <= end_of_day(dt.date(2016, 9, 30))
    assert stored > end_of_day(dt.date(2016, 9, 29))
    assert end_of_day(dt.date(2016, 9, 30)).utcoffset() == CHINA.utcoffset(None)
    assert end_of_day(dt.date(2016, 9, 30)) == dt.datetime(
        2016, 9, 30, 15, 59, 59, 999999, tzinfo=dt.UTC
    )


def test_as_of_is_a_day_an_instant_or_nothing() -> None:
    instant = dt.datetime(2016, 9, 30, 3, 0, tzinfo=dt.UTC)
    assert as_of_instant(instant) is instant
    assert as_of_instant(dt.date(2016, 9, 30)) == end_of_day(dt.date(2016, 9, 30))
    assert as_of_instant(None) is None


def test_a_business_day_defaults_to_today_and_is_never_in_the_future() -> None:
    today = dt.date(2016, 6, 1)
    assert business_day(None, today) == today
    assert business_day(dt.date(2016, 5, 3), today) == dt.date(2016, 5, 3)
    with pytest.raises(Refused, match="晚于今天"):
        business_day(dt.date(2016, 6, 2), today)
