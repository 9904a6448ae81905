"""Member education and training (党员教育培训"五项计划", measure 8): sessions held at county,
town or branch level, and the plan's targets derived from the attendance —

- every branch secretary: ≥ 1 county-level and ≥ 2 town-level (党委) sessions a year;
- every member: ≥ 1 branch session (党支部集中培训) each month;
- ≥ 16 members sent to degree education (大专以上学历教育) in the year;
- 50 members trained in entrepreneurship and employment (创业就业培训) in the year.

A month counts once it is over (as of its last day); a member's first month counts only when
the member was registered on its first day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from party.domain.events import TrainingSessionHeld
from shared.kernel import (
    Aggregate,
    AlreadyExists,
    Event,
    Refused,
    training_months_required,
)

LEVELS = {"county": "县级", "town": "镇党委", "branch": "党支部"}
PROGRAMMES = {
    "capability": "能力提升",
    "backbone": "骨干培养",
    "all_members": "全员培训",
    "farmer_students": "农民大学生培养",
    "entrepreneurship": "创业就业培训",
}
SECRETARY_COUNTY_SESSIONS = 1
SECRETARY_TOWN_SESSIONS = 2
DEGREE_EDUCATION_TARGET = 16
ENTREPRENEURSHIP_TARGET = 50


@dataclass(frozen=True, slots=True)
class Attendee:
    """A member named as attending: must be active and, for a branch session, of the branch."""

    member_id: str
    branch_id: str
    active: bool


class TrainingSession(Aggregate):
    """One training session and who attended."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.session_id = stream_id
        self.held: TrainingSessionHeld | None = None

    def hold(
        self,
        *,
        level: str,
        programme: str,
        topic: str,
        held_on: dt.date,
        branch_id: str | None,
        attendees: Sequence[Attendee],
    ) -> None:
        if self.exists:
            raise AlreadyExists(f"培训 {self.session_id} 已登记 (already recorded)")
        if level not in LEVELS:
            raise Refused(f"培训层级 {level} 无效，应为 {', '.join(LEVELS)} (unknown level)")
        if programme not in PROGRAMMES:
            raise Refused(f"培训计划 {programme} 无效 (unknown programme)")
        if (level == "branch") != (branch_id is not None):
            raise Refused("党支部培训须注明支部，县级和镇级培训不注明 (branch_id only for branch)")
        ids = [a.member_id for a in attendees]
        if not ids:
            raise Refused("参训党员不能为空 (attendees required)")
        if len(set(ids)) != len(ids):
            raise Refused("参训党员重复 (an attendee is named twice)")
        if inactive := [a.member_id for a in attendees if not a.active]:
            raise Refused(f"已出党人员不能登记参训: {', '.join(inactive)} (left the party)")
        if branch_id is not None and (
            others := [a.member_id for a in attendees if a.branch_id != branch_id]
        ):
            raise Refused(f"以下党员不属于本支部: {', '.join(others)} (not of the branch)")
        self._record(
            TrainingSessionHeld(
                session_id=self.session_id,
                level=level,
                programme=programme,
                topic=topic,
                held_on=held_on,
                branch_id=branch_id,
                attendee_ids=tuple(ids),
            )
        )

    def _apply(self, event: Event) -> None:
        assert isinstance(event, TrainingSessionHeld)
        self.held = event


# --- targets -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attendance:
    """One session a member attended."""

    session_id: str
    level: str
    programme: str
    held_on: dt.date


@dataclass(frozen=True, slots=True)
class PersonTraining:
    """One person's training in a year against the plan's targets."""

    year: int
    county_sessions: int
    town_sessions: int
    branch_months: tuple[int, ...]
    months_required: tuple[int, ...]
    secretary: bool

    @property
    def months_missed(self) -> tuple[int, ...]:
        return tuple(m for m in self.months_required if m not in self.branch_months)

    @property
    def monthly_target_met(self) -> bool:
        return not self.months_missed

    @property
    def secretary_target_met(self) -> bool | None:
        if not self.secretary:
            return None
        return (
            self.county_sessions >= SECRETARY_COUNTY_SESSIONS
            and self.town_sessions >= SECRETARY_TOWN_SESSIONS
        )


#: The months a member had to attend a branch session: the shared kernel's definition, which
#: the projection's `party/training` counts with too.
months_required = training_months_required


def person_training(
    year: int,
    attended: Iterable[Attendance],
    *,
    member_since: dt.date,
    as_of: dt.date,
    secretary: bool,
) -> PersonTraining:
    """A person's sessions of `year` up to `as_of`, counted against the targets."""
    in_year = [a for a in attended if a.held_on.year == year and a.held_on <= as_of]
    return PersonTraining(
        year=year,
        county_sessions=sum(1 for a in in_year if a.level == "county"),
        town_sessions=sum(1 for a in in_year if a.level == "town"),
        branch_months=tuple(sorted({a.held_on.month for a in in_year if a.level == "branch"})),
        months_required=months_required(year, member_since, as_of),
        secretary=secretary,
    )
