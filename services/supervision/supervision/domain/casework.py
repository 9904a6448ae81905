"""What every piece of supervision casework shares: business dates in order, required
texts, and the overdue rule (逾期), which is derived from a deadline and a day, never stored."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from shared.kernel import Aggregate, Refused


def is_overdue(deadline: dt.date | None, today: dt.date, *, done: bool) -> bool:
    """Past its deadline and not done: overdue (逾期). A standing item (no deadline) never is."""
    return not done and deadline is not None and today > deadline


def days_overdue(deadline: dt.date | None, today: dt.date, *, done: bool) -> int:
    """How many days past the deadline (0 when not overdue)."""
    if deadline is None or not is_overdue(deadline, today, done=done):
        return 0
    return (today - deadline).days


def required(value: str, what: str) -> str:
    """A text the plan's procedure requires (a reason, a finding ...), stripped."""
    text = value.strip()
    if not text:
        raise Refused(f"{what}不能为空 ({what} is required)")
    return text


def evidence_list(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The evidence named, blank entries dropped."""
    return tuple(v.strip() for v in values if v.strip())


class Casework(Aggregate):
    """An aggregate whose facts carry business dates that may not go back in time.

    Subclasses name their stream prefix (`item` → stream `item-<id>`) and, in Chinese, what
    they are (for messages)."""

    PREFIX: ClassVar[str] = ""
    KIND: ClassVar[str] = ""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.started_on: dt.date | None = None
        self.last_on: dt.date | None = None

    @classmethod
    def stream_for(cls, entity_id: str) -> str:
        """The stream id of the entity with this id."""
        return f"{cls.PREFIX}-{entity_id}"

    @property
    def entity_id(self) -> str:
        return self.stream_id.removeprefix(f"{self.PREFIX}-")

    def _dated(self, day: dt.date) -> None:
        """Refuse a fact dated before the last one recorded (work is recorded in order)."""
        if self.last_on is not None and day < self.last_on:
            raise Refused(
                f"日期 {day} 早于上一次记录的日期 {self.last_on} "
                "(a fact cannot precede the last one)"
            )

    def _seen(self, day: dt.date) -> None:
        if self.started_on is None:
            self.started_on = day
        if self.last_on is None or day > self.last_on:
            self.last_on = day
