"""Accountability decided in supervision deducts points here (问责扣分), exactly once.

Each decision (`case_id`) gets its own stream `accountability-<case_id>`: the first delivery
records whether it matched a known member (and the deduction, record id
`accountability-<case_id>` on the member) or why not; a redelivery finds the stream and does
nothing. A decision naming a member not (yet) registered here waits: when that member is
registered, the deduction is made then (supervision may decide before party records the
member, or a fresh party store may read old decisions first)."""

from __future__ import annotations

import datetime as dt

from party.domain.events import AccountabilityMatched, AccountabilityUnmatched
from party.domain.rules import PointsRule
from shared.kernel import Aggregate, AlreadyExists, Event

NO_MEMBER_NAMED = "no_member_named"
UNKNOWN_MEMBER = "unknown_member"
REFUSED = "refused"


def accountability_stream(case_id: str) -> str:
    return f"accountability-{case_id}"


def deduction_record_id(case_id: str) -> str:
    return f"accountability-{case_id}"


class AccountabilityCase(Aggregate):
    """What became of one accountability decision of supervision."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.outcome: AccountabilityMatched | AccountabilityUnmatched | None = None

    @property
    def awaiting_member(self) -> str | None:
        """The member id an unmatched decision named before that member was registered."""
        outcome = self.outcome
        if isinstance(outcome, AccountabilityUnmatched) and outcome.reason == UNKNOWN_MEMBER:
            return outcome.subject_member_id
        return None

    def matched(
        self, *, case_id: str, member_id: str, kind: str, rule: PointsRule, decided_on: dt.date
    ) -> None:
        """The deduction was made: on first delivery, or later when the member it named (then
        unknown) is registered."""
        if self.exists and self.awaiting_member != member_id:
            raise AlreadyExists(f"问责 {self.stream_id} 已处理 (already handled)")
        self._record(
            AccountabilityMatched(
                case_id=case_id,
                member_id=member_id,
                kind=kind,
                rule_code=rule.code,
                points=rule.points,
                record_id=deduction_record_id(case_id),
                decided_on=decided_on,
            )
        )

    def unmatched(
        self,
        *,
        case_id: str,
        subject_member_id: str | None,
        subject_name: str,
        kind: str,
        reason: str,
        detail: str,
        decided_on: dt.date,
    ) -> None:
        self._first()
        self._record(
            AccountabilityUnmatched(
                case_id=case_id,
                subject_member_id=subject_member_id,
                subject_name=subject_name,
                kind=kind,
                reason=reason,
                detail=detail,
                decided_on=decided_on,
            )
        )

    def _first(self) -> None:
        if self.exists:
            raise AlreadyExists(f"问责 {self.stream_id} 已处理 (already handled)")

    def _apply(self, event: Event) -> None:
        assert isinstance(event, AccountabilityMatched | AccountabilityUnmatched)
        self.outcome = event
