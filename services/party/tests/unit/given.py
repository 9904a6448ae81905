"""Given/when/then helpers for the party domain's unit tests: facts as events, aggregates
rebuilt from them, refusals checked by message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from party.adapters.rulebooks import load_rule_books, load_scoring_sheets
from party.domain.events import (
    BranchDesignatedWeak,
    BranchEstablished,
    MemberGraded,
    MemberJoined,
    PointsAwarded,
    PointsDeducted,
    UnqualifiedMemberIdentified,
)

from shared.kernel import Aggregate, DomainError, Event, make_resident_id

BOOKS = load_rule_books()
BOOK = BOOKS.for_year(2016)
SHEET = load_scoring_sheets().for_year(2016)

A = TypeVar("A", bound=Aggregate)


def given(cls: type[A], *events: Event, stream_id: str = "") -> A:
    """An aggregate rebuilt from past events."""
    aggregate = cls(stream_id or _default_stream(cls))
    aggregate.replay(list(events))
    aggregate.version = len(events)
    return aggregate


def _default_stream(cls: type[Aggregate]) -> str:
    return {"Member": "member-0001", "Branch": "branch-a"}.get(cls.__name__, "s-1")


def then(aggregate: Aggregate) -> list[Event]:
    """The events a command recorded (and, as a commit would, the aggregate moves on)."""
    pending = aggregate.take_pending()
    aggregate.version += len(pending)
    return pending


def then_refused(
    command: Callable[[], Any], match: str, error: type[DomainError] = DomainError
) -> None:
    with pytest.raises(error, match=match):
        command()


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


ADULT_ID = make_resident_id("43032119800101001")  # born 1980-01-01


def joined(
    *,
    membership: str = "full",
    joined_party_on: str = "2005-07-01",
    on: str = "2016-01-01",
    branch_id: str = "branch-a",
    member_id: str = "member-0001",
) -> MemberJoined:
    return MemberJoined(
        member_id=member_id,
        branch_id=branch_id,
        name="张伟",
        village="石壁村",
        id_number=ADULT_ID.value,
        membership=membership,
        joined_party_on=day(joined_party_on),
        joined_on=day(on),
    )


def awarded(code: str, points: int, on: str, record_id: str = "") -> PointsAwarded:
    return PointsAwarded(
        member_id="member-0001",
        record_id=record_id or f"r-{code}-{on}-{points}",
        rule_code=code,
        rule_book=BOOK.version,
        points=points,
        quantity=1,
        year=day(on).year,
        evidence="test",
        recorded_on=day(on),
    )


def deducted(code: str, points: int, on: str, record_id: str = "") -> PointsDeducted:
    return PointsDeducted(
        member_id="member-0001",
        record_id=record_id or f"d-{code}-{on}-{points}",
        rule_code=code,
        rule_book=BOOK.version,
        points=points,
        quantity=1,
        year=day(on).year,
        evidence="test",
        recorded_on=day(on),
    )


def graded(year: int, points: int, level: str = "qualified", name: str = "合格") -> MemberGraded:
    return MemberGraded(
        member_id="member-0001",
        year=year,
        points=points,
        level=level,
        level_name=name,
        rule_book=BOOK.version,
        graded_on=dt.date(year, 12, 20),
    )


def identified(year: int, points: int = 55) -> UnqualifiedMemberIdentified:
    return UnqualifiedMemberIdentified(
        member_id="member-0001", year=year, points=points, identified_on=dt.date(year, 12, 20)
    )


def established(
    branch_id: str = "branch-a", kind: str = "village", village: str | None = "石壁村"
) -> BranchEstablished:
    return BranchEstablished(
        branch_id=branch_id,
        name=f"{village or '机关'}党支部",
        kind=kind,
        village=village,
        village_code="430321100201" if village else None,
        established_on=day("2016-01-04"),
    )


def designated(
    period: str = "2016", on: str = "2017-01-10", branch_id: str = "branch-a"
) -> BranchDesignatedWeak:
    return BranchDesignatedWeak(
        branch_id=branch_id,
        branch_name="石壁村党支部",
        village="石壁村",
        period=period,
        score=Decimal("55.00"),
        rank=38,
        branches_assessed=38,
        weak_share_percent=Decimal(10),
        designated_on=day(on),
    )
