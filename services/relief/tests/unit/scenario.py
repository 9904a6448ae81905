"""Given events, when a command, then events or a refusal: the relief service run against an
memory store through the shared pipeline with a fixed clock, the town's reference data, the
policy file and a fake party-member directory."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, TypeVar

import pytest
import relief.entrypoints.routes  # noqa: F401  (declares every command's handler)
from relief.adapters.policy_file import load_policy
from relief.application import commands as c
from relief.application.ports import Deps
from relief.domain.events import (
    GuaranteesChecked,
    Helper,
    HouseholdExitedPoverty,
    HouseholdIncomeAssessed,
    HouseholdPaired,
    HouseholdRegistered,
    MemberRecord,
)
from relief.domain.household_record import Person
from relief.domain.sites import DutyShift
from relief.domain.values import KnownMember

from shared.codec import decode
from shared.command_routes import handler_for
from shared.envelope import Actor
from shared.eventstore import CommandContext
from shared.kernel import (
    Aggregate,
    DomainError,
    Event,
    make_resident_id,
)
from shared.pipeline import WHOLE_TOWN, Command, Pipeline, Scope, Written
from shared.testing.memory import MemoryStore
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


class FakeMembers:
    def __init__(self, *members: KnownMember) -> None:
        self.known = {m.member_id: m for m in members}

    async def member(self, member_id: str) -> KnownMember | None:
        return self.known.get(member_id)


CTX = CommandContext(
    actor=Actor("agriculture", "agriculture_leader"), town=TOWN.code, correlation_id=uuid.uuid4()
)


C = TypeVar("C", bound=Command)


def unchecked(cls: type[C], **values: Any) -> C:
    """A command built without its body's checks (pydantic's `model_construct`), to test the
    domain's own refusals of what the HTTP layer would already refuse; members and shifts may
    be given as domain values."""
    converted = {
        key: [
            c.MemberIn.model_construct(name=v.name, id_number=v.id_number, relation=v.relation)
            if isinstance(v, Person)
            else c.ShiftIn.model_construct(weekday=v.weekday, cadre=v.cadre, post=v.post)
            if isinstance(v, DutyShift)
            else v
            for v in value
        ]
        if isinstance(value, list)
        else value
        for key, value in values.items()
    }
    return cls.model_construct(**converted)


class Scenario:
    """One test's world: the relief handlers run through the shared pipeline on the memory
    store, with a fixed clock, the policy file and a fake party-member directory."""

    def __init__(self, *members: KnownMember, today: dt.date = TODAY) -> None:
        self.store = MemoryStore()
        self.pipeline = Pipeline(
            self.store,
            town=TOWN,
            deps=Deps(policy=POLICY, members=FakeMembers(*members)),
            clock=lambda: dt.datetime.combine(today, dt.time(4), tzinfo=dt.UTC),
        )
        self.new: list[tuple[str, Event]] = []
        self.written: Written | None = None

    def given(self, stream_id: str, *events: Event) -> Scenario:
        self.store.given(stream_id, *events, ctx=CTX)
        return self

    def _run(self, cmd: Command, scope: Scope | None) -> Written:
        return asyncio.run(self.pipeline.run(handler_for(cmd), cmd, CTX, scope or WHOLE_TOWN))

    def when(self, cmd: Command, scope: Scope | None = None) -> Scenario:
        before = len(self.store.log)
        self.written = self._run(cmd, scope)
        self.new = [
            (e.stream_id, decode(e.event_type, e.schema_version, e.payload))
            for e in self.store.log[before:]
        ]
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
        before = len(self.store.log)
        with pytest.raises(kind) as caught:
            self._run(cmd, scope)
        assert fragment in str(caught.value), str(caught.value)
        assert len(self.store.log) == before
        return caught.value

    def events(self, stream_id: str) -> list[Event]:
        return self.store.events(stream_id)

    def stored(self) -> list[tuple[str, Event]]:
        """Every stored event with its stream, in the order stored."""
        return [
            (e.stream_id, decode(e.event_type, e.schema_version, e.payload)) for e in self.store.log
        ]


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
