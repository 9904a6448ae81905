"""The village's books kept by the town's agency (村账乡代理, measure 6 (4)): each income and
expense of a village, by month, booked by the agency's accountant. The quarterly 阳光村务
disclosure is produced from them (`VillageBooks.quarter_totals`); a disclosure whose totals
differ from the books is a red flag (`rules.assess_disclosure`)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import ClassVar, Final

from funds.domain import events as ev
from funds.domain.values import BookEntryKind, Quarter, Step
from shared.kernel import Aggregate, AlreadyExists, Event, Refused

#: The small power (小微权力) an expense exercises, as supervision's list names it.
FINANCE_ITEM: Final = "finance"

_MONTH = re.compile(r"^([1-9]\d{3})-(0[1-9]|1[0-2])$")


def month_start(month: str) -> dt.date:
    """The first day of a "YYYY-MM" month (422 for another shape)."""
    found = _MONTH.match(month)
    if found is None:
        raise Refused(f"月份格式应为 2016-03 (month must look like 2016-03): {month}")
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def entry_steps(kind: str, asked: tuple[str, ...]) -> tuple[str, ...]:
    """An entry's steps: an expense's as the request gives them (known names, each once),
    ending with the booking itself; an income is booked only."""
    if kind != BookEntryKind.EXPENSE:
        return (Step.BOOKED.value,)
    known = {s.value for s in Step}
    unknown = [s for s in asked if s not in known]
    if unknown:
        raise Refused(f"步骤名称无效 (unknown steps): {', '.join(unknown)}")
    if len(set(asked)) != len(asked):
        raise Refused("步骤不能重复 (a step is named twice)")
    return asked if Step.BOOKED.value in asked else (*asked, Step.BOOKED.value)


class VillageBooks(Aggregate):
    """A village's books for a year; stream `books-<village_code>-<year>`."""

    LEDGER: ClassVar[bool] = True

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.entries: dict[str, ev.VillageBookEntryRecorded] = {}

    @property
    def year(self) -> int:
        return int(self.stream_id.rsplit("-", 1)[1])

    def record(self, event: ev.VillageBookEntryRecorded) -> None:
        """Book an income or expense for a month of the books' year, not before the month."""
        if event.entry_id in self.entries:
            raise AlreadyExists(f"账目 {event.entry_id} 已记账 (already booked)")
        if event.kind not in {k.value for k in BookEntryKind}:
            raise Refused(f"收支类别无效 (unknown kind): {event.kind}")
        if event.amount <= 0:
            raise Refused("记账金额须大于零 (amount must be positive)")
        first = month_start(event.month)
        if first.year != self.year:
            raise Refused(f"{event.month} 不属于 {self.year} 年账簿 (another year's books)")
        if event.recorded_on < first:
            raise Refused(f"{event.month} 尚未开始，不能记账 (the month has not begun)")
        self._record(event)

    def quarter_totals(self, period: Quarter, by: dt.date) -> tuple[Decimal, Decimal]:
        """Income and expense booked for the quarter's months, as recorded by `by`."""
        months = {
            f"{period.year}-{m:02d}" for m in range(3 * period.quarter - 2, 3 * period.quarter + 1)
        }
        income = expense = Decimal(0)
        for entry in self.entries.values():
            if entry.month not in months or entry.recorded_on > by:
                continue
            if entry.kind == BookEntryKind.INCOME:
                income += entry.amount
            else:
                expense += entry.amount
        return income, expense

    def _apply(self, event: Event) -> None:
        match event:
            case ev.VillageBookEntryRecorded():
                self.entries[event.entry_id] = event
            case _:
                super()._apply(event)
