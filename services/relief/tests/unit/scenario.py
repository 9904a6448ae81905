"""Given events, when a command, then events or a refusal: the relief service run against an
in-memory event store (a fake unit of work) with a fixed clock, the town's reference data, the
policy file and a fake party-member directory."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from types import TracebackType
from typing import Any, TypeVar

import pytest
from relief.adapters.policy_file import load_policy
from relief.application.commands import Command
from relief.application.ports import Scope
from relief.application.service import ReliefService, Written
from relief.domain.events import (
    GuaranteesChecked,
    Helper,
    HouseholdExitedPoverty,
    HouseholdIncomeAssessed,
    HouseholdPaired,
    HouseholdRegistered,
    MemberRecord,
)
from relief.domain.values import KnownMember

from shared.envelope import Actor, Envelope
from shared.eventstore import CommandContext
from shared.kernel import (
    Aggregate,
    ConcurrencyConflict,
    DomainError,
    Event,
    NotFound,
    make_resident_id,
)
from shared.town import load_town

A = TypeVar("A", bound=Aggregate)

TODAY = dt.date(2017, 6, 30)
HOUSEHOLD = "0190b5a8-0000-7000-8000-000000000001"
STREAM = f"household-{HOUSEHOLD}"
POLICY = load_policy()
TOWN = load_town()


def resident(n: int, born: str = "19700101") -> str:
    """A valid ID number of Xiangtan County (430321), distinct for each `n`."""
    return make_resident_id(f"430321{born}{n % 1000:03d}").value


HEAD_ID = resident(11)
SPOUSE_ID = resident(12, "19720305")


@dataclass
class FakeStore:
    streams: dict[str, list[Event]] = field(default_factory=dict)
    conflicts_to_raise: int = 0


class FakeUnitOfWork:
    """The shared UnitOfWork's behaviour in memory: versions checked at commit."""

    def __init__(self, store: FakeStore, ctx: CommandContext) -> None:
        self.store, self.ctx = store, ctx
        self._seen: dict[str, Aggregate] = {}

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    async def load(self, cls: type[A], stream_id: str) -> A:
        if stream_id in self._seen:
            seen = self._seen[stream_id]
            assert isinstance(seen, cls)
            return seen
        events = list(self.store.streams.get(stream_id, []))
        aggregate = cls(stream_id)
        aggregate.replay(events)
        aggregate.version = len(events)
        self._seen[stream_id] = aggregate
        return aggregate

    async def get(self, cls: type[A], stream_id: str, what: str = "") -> A:
        aggregate = await self.load(cls, stream_id)
        if not aggregate.exists:
            raise NotFound(f"{what} {stream_id} 不存在")
        return aggregate

    def add(self, aggregate: Aggregate) -> None:
        self._seen[aggregate.stream_id] = aggregate

    async def commit(self) -> list[Envelope]:
        if self.store.conflicts_to_raise:
            self.store.conflicts_to_raise -= 1
            raise ConcurrencyConflict("another writer won the race")
        pending = {sid: a.take_pending() for sid, a in self._seen.items()}
        for sid, events in pending.items():
            if events and len(self.store.streams.get(sid, [])) != self._seen[sid].version:
                raise ConcurrencyConflict(f"stream {sid} moved on")
        for sid, events in pending.items():
            if events:
                self.store.streams.setdefault(sid, []).extend(events)
                self._seen[sid].version += len(events)
        return []


class FakeMembers:
    def __init__(self, *members: KnownMember) -> None:
        self.known = {m.member_id: m for m in members}

    async def member(self, member_id: str) -> KnownMember | None:
        return self.known.get(member_id)


CTX = CommandContext(
    actor=Actor("agriculture", "agriculture_leader"), town=TOWN.code, correlation_id=uuid.uuid4()
)


class Scenario:
    """One test's world."""

    def __init__(self, *members: KnownMember, today: dt.date = TODAY) -> None:
        self.store = FakeStore()
        self.service = ReliefService(
            uow=lambda ctx: FakeUnitOfWork(self.store, ctx),
            members=FakeMembers(*members),
            policy=POLICY,
            town=TOWN,
            clock=lambda: dt.datetime.combine(today, dt.time(4), tzinfo=dt.UTC),
        )
        self.new: list[tuple[str, Event]] = []
        self.written: Written | None = None

    def given(self, stream_id: str, *events: Event) -> Scenario:
        self.store.streams.setdefault(stream_id, []).extend(events)
        return self

    def _all(self) -> list[tuple[str, Event]]:
        return [(sid, e) for sid, events in self.store.streams.items() for e in events]

    def when(self, cmd: Command, scope: Scope | None = None) -> Scenario:
        before = self._all()
        self.written = asyncio.run(self.service.execute(cmd, CTX, scope or Scope()))
        after = self._all()
        self.new = [pair for pair in after if pair not in before]
        return self

    def then(self, *events: Event) -> None:
        assert [e for _, e in self.new] == list(events)

    def then_types(self, *types: type[Event]) -> None:
        assert [type(e) for _, e in self.new] == list(types)

    def refused(
        self,
        cmd: Command,
        fragment: str,
        *,
        kind: type[DomainError] = DomainError,
        scope: Scope | None = None,
    ) -> DomainError:
        """The command is refused with a message containing `fragment`; nothing is stored."""
        before = self._all()
        with pytest.raises(kind) as caught:
            asyncio.run(self.service.execute(cmd, CTX, scope or Scope()))
        assert fragment in str(caught.value), str(caught.value)
        assert self._all() == before
        return caught.value

    def events(self, stream_id: str) -> list[Event]:
        return list(self.store.streams.get(stream_id, []))


# --- event builders (the "given" side) ------------------------------------------------------


def registered(
    *,
    village: str = "石壁村",
    income: str = "1800",
    on: dt.date = dt.date(2016, 3, 1),
    household_id: str = HOUSEHOLD,
) -> HouseholdRegistered:
    code = TOWN.village(village)
    assert code is not None
    return HouseholdRegistered(
        household_id=household_id,
        village=village,
        village_code=code.code,
        head_name="张建国",
        head_id_number=HEAD_ID,
        members=[
            MemberRecord(name="张建国", id_number=HEAD_ID, relation="户主"),
            MemberRecord(name="李秀英", id_number=SPOUSE_ID, relation="配偶"),
        ],
        causes=["因病"],
        income_per_head=Decimal(income),
        registered_on=on,
    )


def assessed(income: str, year: int = 2016, on: dt.date = dt.date(2016, 11, 20)) -> Event:
    return HouseholdIncomeAssessed(
        household_id=HOUSEHOLD, year=year, income_per_head=Decimal(income), assessed_on=on
    )


def checked(*, housing: bool = True, on: dt.date = dt.date(2016, 11, 25), **others: bool) -> Event:
    values: dict[str, Any] = {"food": True, "clothing": True, "education": True, "medical": True}
    values.update(others)
    return GuaranteesChecked(
        household_id=HOUSEHOLD, housing=housing, notes="", checked_on=on, **values
    )


def exited(on: dt.date = dt.date(2016, 12, 20), income: str = "3200") -> Event:
    return HouseholdExitedPoverty(
        household_id=HOUSEHOLD,
        exited_on=on,
        income_per_head=Decimal(income),
        poverty_line=Decimal("2952"),
        line_year=on.year,
        policy_revision=POLICY.lines.revision,
    )


CADRE = Helper(kind="cadre", name="王志刚", post="镇农业综合服务中心主任")


def paired(helper: Helper = CADRE, on: dt.date = dt.date(2016, 4, 1)) -> Event:
    return HouseholdPaired(household_id=HOUSEHOLD, helper=helper, paired_on=on)
