"""Given/when/then helpers for the party's unit tests: facts as events, aggregates rebuilt
from them, refusals checked by message — and, for the handlers, the shared pipeline on a
memory store (`Party`: given events in streams, when a command, then the events it appended)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar, cast

import pytest
from party.adapters.queries import Queries
from party.adapters.rulebooks import load_rule_books, load_scoring_sheets
from party.application.dependencies import Deps
from party.domain.appraisal import AppraisalFacts
from party.domain.events import (
    BranchDesignatedWeak,
    BranchEstablished,
    MemberGraded,
    MemberJoined,
    PointsAwarded,
    PointsDeducted,
    UnqualifiedMemberIdentified,
)

from shared.envelope import Actor
from shared.eventstore import CommandContext
from shared.kernel import Aggregate, DomainError, Event, make_resident_id
from shared.pipeline import WHOLE_TOWN, Command, Handler, Pipeline, Scope, Written
from shared.readers import AggregateReader
from shared.testing.memory import MemoryStore
from shared.town import load_town

BOOKS = load_rule_books()
BOOK = BOOKS.for_year(2016)
SHEETS = load_scoring_sheets()
SHEET = SHEETS.for_year(2016)

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


# --- handlers: the pipeline on a memory store ---------------------------------------------

TOWN = load_town()
#: The handlers' "today" (the pipeline's clock): 2017-06-30 in China.
TODAY = dt.date(2017, 6, 30)
ORGANISATION = Actor("organisation", "organisation_member")


class MemoryQueries:
    """The lookups the handlers consult (`Queries`), answered from the memory store's log."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    async def members_by_id(self, member_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for env in self.store.log:
            member_id = env.payload.get("member_id")
            if env.event_type == "party.MemberJoined" and member_id in member_ids:
                rows[member_id] = {
                    "member_id": member_id,
                    "branch_id": env.payload["branch_id"],
                    "status": env.payload["membership"],
                }
            elif env.event_type == "party.MemberTransferred" and member_id in rows:
                rows[member_id]["branch_id"] = env.payload["to_branch_id"]
        return rows

    async def awaiting(self, member_id: str) -> list[str]:
        waiting: dict[str, None] = {}
        for env in self.store.log:
            case_id = str(env.payload.get("case_id"))
            if (
                env.event_type == "party.AccountabilityUnmatched"
                and env.payload["reason"] == "unknown_member"
                and env.payload["subject_member_id"] == member_id
            ):
                waiting[case_id] = None
            elif env.event_type == "party.AccountabilityMatched":
                waiting.pop(case_id, None)
        return list(waiting)


class MemoryFacts:
    """Party's table of supervision's appraisal facts, in memory (`facts.given(...)`)."""

    def __init__(self) -> None:
        self.years: dict[int, AppraisalFacts] = {}

    def given(self, facts: AppraisalFacts) -> None:
        self.years[facts.year] = facts

    async def facts(self, year: int) -> AppraisalFacts | None:
        return self.years.get(year)


class Party:
    """The party's handlers run by the shared pipeline on a memory store: given events, when
    a command, then the events it appended (as stored)."""

    def __init__(self) -> None:
        self.store = MemoryStore()
        self.facts = MemoryFacts()
        deps = Deps(
            reader=cast(AggregateReader, None),  # reads only; no handler uses it
            queries=cast(Queries, MemoryQueries(self.store)),
            books=BOOKS,
            sheets=SHEETS,
            facts=self.facts,
        )
        self.pipeline = Pipeline(
            self.store,
            town=TOWN,
            deps=deps,
            clock=lambda: dt.datetime.combine(TODAY, dt.time(4), tzinfo=dt.UTC),
            name="party",
        )

    def ctx(self, actor: Actor = ORGANISATION) -> CommandContext:
        return CommandContext(actor=actor, town=TOWN.code, correlation_id=uuid.uuid4())

    def given(self, stream_id: str, *events: Event) -> None:
        self.store.given(stream_id, *events, ctx=self.ctx())

    async def when(self, handler: Handler[Any], cmd: Command, scope: Scope = WHOLE_TOWN) -> Written:
        return await self.pipeline.run(handler, cmd, self.ctx(), scope)

    def then(self, stream_id: str) -> list[Event]:
        return self.store.events(stream_id)
