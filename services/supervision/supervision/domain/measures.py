"""The plan's 14 measures (主要措施) as supervised items: registered once each from the plan."""

from __future__ import annotations

import datetime as dt

from shared.kernel import Aggregate, AlreadyExists, Event

from .events import MeasureRegistered
from .plan import Plan


def measure_stream(plan_id: str, number: int) -> str:
    """`measure-<plan>-<nn>`, e.g. `measure-2016-07`."""
    return f"measure-{plan_id}-{number:02d}"


class Measure(Aggregate):
    """One measure of the plan, with its lead, deadline and targets."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.registered: MeasureRegistered | None = None

    def register(self, plan: Plan, number: int, on: dt.date) -> None:
        """Register measure `number` of `plan` for supervision (once)."""
        spec = plan.measure(number)
        if self.exists:
            raise AlreadyExists(f"第 {number} 项措施已登记 (measure {number} is registered)")
        self._record(
            MeasureRegistered(
                plan_id=plan.plan_id,
                plan_version=plan.version,
                number=spec.number,
                title=spec.title,
                group=spec.group,
                group_title=plan.group(spec.group).title,
                lead_post=spec.lead_post,
                lead_units=spec.lead_units,
                deadline=spec.deadline,
                due_on=spec.due_on,
                tasks=spec.tasks,
                targets=spec.targets,
                problems=spec.problems,
                registered_on=on,
            )
        )

    def _apply(self, event: Event) -> None:
        if isinstance(event, MeasureRegistered):
            self.registered = event
        else:
            super()._apply(event)
