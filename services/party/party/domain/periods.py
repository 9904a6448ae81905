"""Dates and periods the party rules count in: assessment periods, months of probation."""

from __future__ import annotations

import datetime as dt
import re

from shared.kernel import Refused

_PERIOD = re.compile(r"^(\d{4})(?:-(H1|H2))?$")


def period_key(period: str) -> tuple[int, int]:
    """Order of assessment periods: `2016-H1` < `2016-H2` = `2016` (a year ends with its H2)."""
    match = _PERIOD.match(period)
    if match is None:
        raise Refused(f"考核期 {period!r} 格式错误，应为 2016 或 2016-H1/2016-H2 (bad period)")
    half = match.group(2)
    return int(match.group(1)), 1 if half == "H1" else 2


def period_year(period: str) -> int:
    return period_key(period)[0]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def one_year_after(day: dt.date) -> dt.date:
    return add_months(day, 12)
