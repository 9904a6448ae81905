"""Village finance disclosure (阳光村务, measure 6 (4)): village finances are disclosed every
quarter, by the end of the month after the quarter. A village whose due disclosure is missing
is overdue; that is derived for a given day (the clock's, or an "as of" date)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from funds.domain import events as ev
from funds.domain.values import Quarter
from shared.kernel import (
    Aggregate,
    AlreadyExists,
    Event,
    Refused,
    disclosure_quarters_due,
    disclosure_quarters_overdue,
)

#: The first quarter the town's disclosure rule applies to (the plan dates from 2016).
DISCLOSURE_SINCE = Quarter(2016, 1)


def due_quarters(as_of: dt.date, since: Quarter = DISCLOSURE_SINCE) -> list[Quarter]:
    """Every quarter from `since` whose disclosure was due before `as_of`."""
    return [Quarter.parse(q) for q in disclosure_quarters_due(as_of, str(since))]


class FinanceDisclosures(Aggregate):
    """A village's finance disclosures; stream `disclosure-<village code>`."""

    LEDGER: ClassVar[bool] = True

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.disclosed: dict[Quarter, ev.FinanceDisclosed] = {}

    def disclose(
        self,
        *,
        village: str,
        period: Quarter,
        income_total: Decimal,
        expenditure_total: Decimal,
        channel: str,
        on: dt.date,
    ) -> None:
        """Record the quarter's disclosure; once per quarter, after the quarter ended."""
        if period in self.disclosed:
            raise AlreadyExists(f"{village}{period} 财务已公开 (already disclosed)")
        if on <= period.last_day:
            raise Refused(f"{period} 尚未结束，不能公开该季度财务 (the quarter has not ended)")
        if income_total < 0 or expenditure_total < 0:
            raise Refused("收支金额不能为负 (totals must not be negative)")
        self._record(
            ev.FinanceDisclosed(
                village=village,
                period=str(period),
                income_total=income_total,
                expenditure_total=expenditure_total,
                channel=channel,
                disclosed_on=on,
            )
        )

    def overdue(self, as_of: dt.date, since: Quarter = DISCLOSURE_SINCE) -> list[Quarter]:
        """The due quarters not disclosed by `as_of` (disclosed later counts as missing then)."""
        made = {str(q) for q, d in self.disclosed.items() if d.disclosed_on <= as_of}
        return [Quarter.parse(q) for q in disclosure_quarters_overdue(made, as_of, str(since))]

    def late(self) -> list[Quarter]:
        """Quarters disclosed after they were due."""
        return [q for q, d in sorted(self.disclosed.items()) if d.disclosed_on > q.due_on]

    def _apply(self, event: Event) -> None:
        match event:
            case ev.FinanceDisclosed():
                self.disclosed[Quarter.parse(event.period)] = event
            case _:
                super()._apply(event)
