"""The plausible window of business dates (业务日期的合理范围), one definition for every service.

- A fact (the day something happened: `occurred_on`, a meeting, an approval) is dated within
  the programme: not before its first day (the town's reference file, `programme.since`:
  2016-01-01 for 连心惠民, 潭县发〔2016〕1号) and not after today in China.
- A deadline or the end of a period (时限、截止日期) lies within the programme too, and no more
  than `HORIZON_YEARS` after today: a plan runs years, not centuries.
- A date from a person's history (入党日期) may precede the programme; it still has a floor
  of its own and is never in the future.

Request bodies declare these as field types (`BusinessDate`, `Deadline`, `past_date(...)`), so
a date outside its window is refused before any command runs: 422 naming the field, in
Chinese. A command's `occurred_on` is checked again against the service's injected clock by
`shared.clock.business_day`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from fastapi import Query
from pydantic import AfterValidator

from shared.clock import china_today
from shared.town import load_town

#: How far ahead a deadline may lie, in years after today.
HORIZON_YEARS: Final = 10


def programme_since() -> dt.date:
    """The programme's first day: no business fact is dated before it."""
    return load_town().programme_since


def horizon(today: dt.date) -> dt.date:
    """The last day a deadline may fall on: `HORIZON_YEARS` after `today` (28 Feb for 29 Feb)."""
    try:
        return today.replace(year=today.year + HORIZON_YEARS)
    except ValueError:
        return today.replace(year=today.year + HORIZON_YEARS, day=28)


def check_fact_date(day: dt.date, today: dt.date | None = None) -> dt.date:
    """`day` if a fact can have happened then: within the programme and not after today."""
    return _within(day, programme_since(), today or china_today(), "本项目开始", "今天")


def check_deadline(day: dt.date, today: dt.date | None = None) -> dt.date:
    """`day` if a deadline or the end of a period can fall then: within the programme and at
    most `HORIZON_YEARS` after today."""
    end = horizon(today or china_today())
    return _within(day, programme_since(), end, "本项目开始", f"今后{HORIZON_YEARS}年")


def past_date(since: dt.date, what: str) -> AfterValidator:
    """The validator of a date from history: not before `since` (`what` names that day, e.g.
    "中国共产党成立"), not after today. Use as `Annotated[dt.date, past_date(...)]`."""

    def check(day: dt.date) -> dt.date:
        return _within(day, since, china_today(), what, "今天")

    return AfterValidator(check)


def _within(day: dt.date, first: dt.date, last: dt.date, first_is: str, last_is: str) -> dt.date:
    if day < first:
        raise ValueError(
            f"日期 {day} 早于{first_is}（{first}），应在 {first} 至 {last} 之间"
            f" (date {day} is before {first})"
        )
    if day > last:
        raise ValueError(
            f"日期 {day} 晚于{last_is}（{last}），应在 {first} 至 {last} 之间"
            f" (date {day} is after {last})"
        )
    return day


# One-argument wrappers: pydantic passes a second argument (its `info`) to two-argument ones.
def _fact(day: dt.date) -> dt.date:
    return check_fact_date(day)


def _deadline(day: dt.date) -> dt.date:
    return check_deadline(day)


#: The day a fact happened: within the programme, not in the future.
BusinessDate = Annotated[dt.date, AfterValidator(_fact)]

#: A deadline or the end of a period: within the programme, at most ten years ahead.
Deadline = Annotated[dt.date, AfterValidator(_deadline)]

#: The earliest day a read may be asked about: long before any record (the answer is empty).
EARLIEST_AS_OF: Final = dt.date(1900, 1, 1)


def check_as_of(day: dt.date, today: dt.date | None = None) -> dt.date:
    """`day` if a read can be asked "as of" it: from 1900 (before the programme the answer is
    simply empty) to `HORIZON_YEARS` after today (deadlines judged ahead)."""
    end = horizon(today or china_today())
    return _within(day, EARLIEST_AS_OF, end, "1900年", f"今后{HORIZON_YEARS}年")


def _as_of(day: dt.date) -> dt.date:
    return check_as_of(day)


#: The day a read looks at (时间回溯).
AsOfDate = Annotated[dt.date, AfterValidator(_as_of)]

#: The `as_of` query parameter of every read that can look back.
AsOf = Annotated[
    AsOfDate | None, Query(description="截至日期（时间回溯；默认今天）(as of; default today)")
]
