"""Time in the views: "as of" a day, a reporting period, and the plan's month deadlines.

Every view answers `as_of=D`: the state as it was at the end of day D in China
(`shared.clock`), by business time (`occurred_at`), i.e. everything that occurred before D+1
00:00 China time.
A period (`from`/`to`, or `period=2016`, `2016-07`, `2016-Q3`, `2016-H2`) bounds the flows a view
counts (registrations, disbursements, visits, trainings ...): facts that occurred within it. The
state a view shows (stocks: statuses, balances) is taken at the earlier of `as_of` and the end
of the period. Storage is UTC; the screen shows China time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from shared.clock import CHINA, china_date, noon
from shared.kernel import utc


class BadPeriod(ValueError):
    """A period the views do not understand."""


def start_of_day(day: dt.date) -> dt.datetime:
    """The first instant of `day` in China, as UTC."""
    return dt.datetime.combine(day, dt.time(0), CHINA).astimezone(dt.UTC)


def after_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in China, as UTC: the exclusive end of a window that
    includes all of `day` (`shared.clock.end_of_day` is its last instant)."""
    return start_of_day(day + dt.timedelta(days=1))


def local_day(instant: dt.datetime) -> dt.date:
    """The China calendar day of a timestamp (naive: UTC)."""
    return china_date(utc(instant))


def local_text(instant: dt.datetime | None) -> str:
    """`2016-05-03 14:20` in China time (naive: UTC), for screens and exports."""
    if instant is None:
        return ""
    return utc(instant).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def business_text(instant: dt.datetime) -> str:
    """When a fact happened, as officials entered it: a business day is stored at its noon
    (`shared.clock.noon`, shown `2016-05-03`); a time recorded as it happened is shown in
    China time."""
    at = utc(instant)
    if at == noon(at.date()):
        return at.date().isoformat()
    return local_text(instant)


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """`2016` → the year, `2016-07` → the month, `2016-Q3` → the quarter, `2016-H1` → the half."""
    value = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})", value):
        year = int(m[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise BadPeriod(f"月份无效 (bad month): {text}")
        return dt.date(year, month, 1), month_end(year, month)
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])", value):
        year, quarter = int(m[1]), int(m[2])
        return dt.date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)
    if m := re.fullmatch(r"(\d{4})-?H([12])", value):
        year, half = int(m[1]), int(m[2])
        return dt.date(year, 6 * half - 5, 1), month_end(year, 6 * half)
    raise BadPeriod(f"期间格式应为 2016、2016-07、2016-Q3 或 2016-H1 (bad period): {text}")


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def parse_deadline(value: object) -> dt.date | None:
    """A deadline as the plan writes it: `2016-12-31`, `2016-12`, `2016年12月`; `长期` → None."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or "长期" in text:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2}).*", text):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if m := re.fullmatch(r"(\d{4})\s*[-年/]\s*(\d{1,2})\s*月?", text):
        month = int(m[2])
        return month_end(int(m[1]), month) if 1 <= month <= 12 else None
    return None


@dataclass(frozen=True, slots=True)
class Window:
    """What a view is asked about: a state day (`as_of`) and a period for flows."""

    as_of: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def build(
        cls,
        *,
        as_of: dt.date | None = None,
        period: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> Window:
        """From query parameters; `period` fills `start`/`end` where they are not given."""
        if period:
            p_start, p_end = parse_period(period)
            start, end = start or p_start, end or p_end
        if start and end and start > end:
            raise BadPeriod(f"起始日期晚于结束日期 (from {start} is after to {end})")
        return cls(as_of=as_of, start=start, end=end)

    @property
    def state_day(self) -> dt.date | None:
        """The day whose end the state is taken at: the earlier of as_of and the period's end."""
        days = [d for d in (self.as_of, self.end) if d is not None]
        return min(days) if days else None

    @property
    def cutoff(self) -> dt.datetime | None:
        """Exclusive UTC bound for state and flows (None: everything known)."""
        day = self.state_day
        return after_day(day) if day else None

    @property
    def flow_start(self) -> dt.datetime | None:
        """Inclusive UTC bound where counted flows begin (None: from the beginning)."""
        return start_of_day(self.start) if self.start else None

    def reference_day(self, today: dt.date) -> dt.date:
        """The day deadlines are judged against: the state day, or today."""
        return self.state_day or today

    def as_params(self) -> dict[str, str]:
        """The window as query parameters (for links and exports)."""
        out: dict[str, str] = {}
        if self.as_of:
            out["as_of"] = self.as_of.isoformat()
        if self.start:
            out["from"] = self.start.isoformat()
        if self.end:
            out["to"] = self.end.isoformat()
        return out
