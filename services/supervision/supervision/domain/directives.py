"""Directives and assigned matters (批示件、交办事项, measure 12 "政令不畅"): received from the
province, city, county or town, assigned, reported on periodically, reported back to the
issuer, completed (件件落实). Overdue is derived from the due date."""

from __future__ import annotations

import datetime as dt

from shared.kernel import Event, Refused

from .casework import Casework, days_overdue, is_overdue, required
from .events import (
    DirectiveAssigned,
    DirectiveCompleted,
    DirectiveProgressReported,
    DirectiveReceived,
    DirectiveReportedBack,
)
from .plan import Plan
from .vocabulary import DIRECTIVE_KINDS, LEVELS, one_of

RECEIVED, ASSIGNED, REPORTED_BACK, COMPLETED = "received", "assigned", "reported_back", "completed"
STATUSES = (RECEIVED, ASSIGNED, REPORTED_BACK, COMPLETED)


def directive_stream(directive_id: str) -> str:
    """`directive-<id>`."""
    return f"directive-{directive_id}"


class Directive(Casework):
    """A 批示件 or 交办事项 tracked to completion."""

    PREFIX = "directive"
    KIND = "批示交办件"

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.directive_id = ""
        self.status = ""
        self.received: DirectiveReceived | None = None
        self.assigned: DirectiveAssigned | None = None
        self.due_on: dt.date | None = None
        self.reports: list[tuple[dt.date, str]] = []
        self.result: str | None = None
        self.reported_back_on: dt.date | None = None
        self.completed_on: dt.date | None = None

    def receive(
        self,
        *,
        directive_id: str,
        kind: str,
        level: str,
        issued_by: str,
        reference: str | None,
        subject: str,
        on: dt.date,
        due_on: dt.date | None,
    ) -> None:
        """Register a directive received (收件登记)."""
        if self.exists:
            raise Refused(f"批示交办件 {directive_id} 已存在 (already received)")
        if due_on is not None and due_on < on:
            raise Refused(f"办理时限 {due_on} 早于收件日期 {on} (due before received)")
        self._record(
            DirectiveReceived(
                directive_id=directive_id,
                kind=one_of(kind, DIRECTIVE_KINDS, "类别"),
                level=one_of(level, LEVELS, "来文层级"),
                issued_by=required(issued_by, "批示/交办领导"),
                reference=(reference or "").strip() or None,
                subject=required(subject, "事项"),
                received_on=on,
                due_on=due_on,
            )
        )

    def assign(
        self, lead_post: str, lead_unit: str, on: dt.date, plan: Plan, due_on: dt.date | None
    ) -> None:
        """Assign the directive (交办) to a lead leader and unit; reassigning is allowed until
        the result is reported back."""
        self._must_be((RECEIVED, ASSIGNED), "交办")
        self._dated(on)
        if due_on is not None and due_on < on:
            raise Refused(f"办理时限 {due_on} 早于交办日期 {on}")
        self._record(
            DirectiveAssigned(
                directive_id=self.directive_id,
                lead_post=plan.require_post(lead_post),
                lead_unit=required(lead_unit, "承办单位"),
                assigned_on=on,
                due_on=due_on,
            )
        )

    def report_progress(self, report: str, on: dt.date) -> None:
        """A periodic progress report (定期报告办理进展) while the directive is in hand."""
        self._must_be((ASSIGNED,), "报告办理进展")
        self._dated(on)
        self._record(
            DirectiveProgressReported(
                directive_id=self.directive_id, reported_on=on, report=required(report, "进展情况")
            )
        )

    def report_back(self, result: str, on: dt.date) -> None:
        """Report the handling result back to the issuer (办理情况反馈)."""
        self._must_be((ASSIGNED,), "反馈办理结果")
        self._dated(on)
        self._record(
            DirectiveReportedBack(
                directive_id=self.directive_id, reported_on=on, result=required(result, "办理结果")
            )
        )

    def complete(self, on: dt.date, note: str = "") -> None:
        """Confirm the directive done (办结): only after the result was reported back."""
        self._must_be((REPORTED_BACK,), "办结")
        self._dated(on)
        self._record(
            DirectiveCompleted(directive_id=self.directive_id, completed_on=on, note=note.strip())
        )

    @property
    def done(self) -> bool:
        """Reported back or completed: the lead unit's part is done on time or not."""
        return self.status in (REPORTED_BACK, COMPLETED)

    @property
    def on_time(self) -> bool:
        """Its result was reported back by its due date (按期办结; no due date: once reported)."""
        if not self.done or self.reported_back_on is None:
            return False
        return self.due_on is None or self.reported_back_on <= self.due_on

    def overdue(self, today: dt.date) -> bool:
        """Past its due date on `today` without a result reported back (逾期)."""
        return is_overdue(self.due_on, today, done=self.done)

    def days_overdue(self, today: dt.date) -> int:
        return days_overdue(self.due_on, today, done=self.done)

    def _must_be(self, statuses: tuple[str, ...], action: str) -> None:
        if not self.exists:
            raise Refused("批示交办件不存在 (no such directive)")
        if self.status not in statuses:
            raise Refused(
                f"批示交办件当前状态为 {self.status}，不能{action} "
                f"(needs status {' / '.join(statuses)})"
            )

    def _apply(self, event: Event) -> None:
        match event:
            case DirectiveReceived():
                self.directive_id, self.status, self.received = event.directive_id, RECEIVED, event
                self.due_on = event.due_on
                self._seen(event.received_on)
            case DirectiveAssigned():
                self.status, self.assigned = ASSIGNED, event
                if event.due_on is not None:
                    self.due_on = event.due_on
                self._seen(event.assigned_on)
            case DirectiveProgressReported():
                self.reports.append((event.reported_on, event.report))
                self._seen(event.reported_on)
            case DirectiveReportedBack():
                self.status, self.result = REPORTED_BACK, event.result
                self.reported_back_on = event.reported_on
                self._seen(event.reported_on)
            case DirectiveCompleted():
                self.status, self.completed_on = COMPLETED, event.completed_on
                self._seen(event.completed_on)
            case _:
                super()._apply(event)
