"""A member's records: points by year and the 不合格党员 handling procedure (its decisions,
outcomes and the order of its steps)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from party.domain.events import MemberGraded

DECISIONS = {"rectify": "限期改正", "persuade_to_withdraw": "劝其退党", "remove": "除名"}
OUTCOMES = {"corrected": "已改正", "withdrew": "已退党", "removed": "已除名"}
#: Which outcomes each decision can end in (a member who does not correct is removed).
OUTCOMES_OF = {
    "rectify": ("corrected", "removed"),
    "persuade_to_withdraw": ("withdrew", "removed"),
    "remove": ("removed",),
}


@dataclass(frozen=True, slots=True)
class PointsRecord:
    """One award or deduction on the member's record (deductions negative)."""

    record_id: str
    rule_code: str
    points: int
    quantity: int
    recorded_on: dt.date
    evidence: str
    case_id: str | None


@dataclass(slots=True)
class YearRecord:
    """A member's points in one year, before the base points of the rule book."""

    awards: int = 0
    deductions: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    records: list[PointsRecord] = field(default_factory=list)
    graded: MemberGraded | None = None

    def total(self, base: int) -> int:
        return base + self.awards - self.deductions


@dataclass(slots=True)
class Procedure:
    """The 不合格党员 handling procedure opened by one year's grading."""

    year: int
    points: int
    identified_on: dt.date
    step: str = "identified"
    last_on: dt.date | None = None
    talked_by: str | None = None
    decision: str | None = None
    outcome: str | None = None

    @property
    def open(self) -> bool:
        return self.outcome is None


NEXT_STEP = {"talk": "identified", "decision": "talked", "outcome": "decided"}
STEP_NAMES = {
    "identified": "认定",
    "talked": "谈话",
    "decided": "处置决定",
    "concluded": "处置结果",
}
