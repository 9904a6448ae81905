"""Business time (业务时间): the town works in China's time, and officials record dated facts.

- "today" is the day in China by an injected clock;
- "as of D" means by the end of D in China, so it includes every fact dated D;
- a fact dated D (`occurred_on`) is stored at noon UTC of D, the same calendar day in China.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

from shared.kernel import Refused

#: China's time. A fixed UTC+8: China has kept no daylight saving time since 1991, and a fixed
#: offset needs no tz database on the host.
CHINA: Final = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

#: The current instant (timezone-aware); injected so that tests and demos can fix it.
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The system clock, in UTC."""
    return dt.datetime.now(dt.UTC)


def china_date(instant: dt.datetime) -> dt.date:
    """The date in China at `instant` (timezone-aware)."""
    return instant.astimezone(CHINA).date()


def china_today(clock: Clock = utc_now) -> dt.date:
    """Today's date in China by `clock` (default: the system clock)."""
    return china_date(clock())


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of a business date in China: "as of D" includes all of D."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=CHINA)


def as_of_instant(as_of: dt.date | dt.datetime | None) -> dt.datetime | None:
    """The instant an "as of" read stops at: a date means its end in China; a datetime is
    taken as it is; None means no limit."""
    if as_of is None or isinstance(as_of, dt.datetime):
        return as_of
    return end_of_day(as_of)


def noon(day: dt.date) -> dt.datetime:
    """The time a fact dated `day` is stored at: noon UTC (the same calendar day in China)."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def business_day(given: dt.date | None, today: dt.date) -> dt.date:
    """The day a fact happened (业务日期): as the official gives it, or today; never in the
    future — work cannot be recorded before it is done."""
    if given is not None and given > today:
        raise Refused(f"业务日期 {given} 晚于今天 {today} (the business date is in the future)")
    return given or today
