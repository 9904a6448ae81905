"""The funds handlers through the shared pipeline, on a memory store: a payment and the red
flags it raises in the same command (by the system, caused by the payment), the deadline check
raising flags by the person who ran it and once only, one retry policy, the business-date rule,
the village scope, and supervision's conclusion recorded once per clue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from funds.application import commands as c
from funds.application import oversight, programmes, villages
from funds.domain import codes
from funds.domain import events as ev
from funds.domain.identity import beneficiary_stream, programme_stream, red_flag_stream

from shared.envelope import SYSTEM_ACTOR, Actor
from shared.kernel import AlreadyExists, ConcurrencyConflict, Refused
from shared.pipeline import OutOfScope, Scope
from shared.roles import Role

from .funds_world import ECONOMIC, TODAY, Funds
from .scenario import (
    PAID_ON,
    VILLAGE,
    ZHANG,
    allocated,
    notice_closed,
    notice_opened,
    programme_created,
    registered,
)

PROGRAMME = programme_stream("p-1")
RED_FLAG_RAISED = ev.RedFlagRaised.event_type


@pytest.fixture
def funds() -> Funds:
    funds = Funds()
    funds.given(PROGRAMME, programme_created(), allocated(), notice_opened(), notice_closed())
    return funds


def payment(voucher: str = "V-1", **overrides: Any) -> c.RecordDisbursement:
    fields: dict[str, Any] = {
        "programme_id": "p-1",
        "voucher_no": voucher,
        "village": VILLAGE,
        "beneficiary_name": "张三",
        "beneficiary_id_number": ZHANG,
        "amount": Decimal("2000"),
        "occurred_on": PAID_ON,
    } | overrides
    return c.RecordDisbursement(**fields)


def flags(funds: Funds) -> list[ev.RedFlagRaised]:
    raised = [funds.then(s)[0] for s in funds.streams("redflag-")]
    return [e for e in raised if isinstance(e, ev.RedFlagRaised)]


async def test_a_payment_to_a_registered_person_raises_no_flag(funds: Funds) -> None:
    funds.register.households[ZHANG] = [registered()]
    written = await funds.when(programmes.disburse, payment())
    [recorded] = funds.then(PROGRAMME)[4:]
    assert isinstance(recorded, ev.DisbursementRecorded)
    assert (recorded.paid_on, recorded.amount) == (PAID_ON, Decimal("2000"))
    assert (written.id, written.stream_id, written.version) == (
        recorded.disbursement_id,
        PROGRAMME,
        5,
    )
    assert [e.type for e in written.events] == [
        "funds.DisbursementRecorded",
        "funds.BeneficiaryPaid",
    ]
    assert flags(funds) == []


async def test_a_payment_to_someone_not_registered_raises_a_flag_by_the_system_in_the_same_command(
    funds: Funds,
) -> None:
    written = await funds.when(programmes.disburse, payment())
    [flag] = flags(funds)
    assert flag.code == codes.UNREGISTERED and flag.raised_on == PAID_ON
    [paid_env] = funds.stored(PROGRAMME)[4:]
    [flag_env] = funds.stored(red_flag_stream(flag.flag_id))
    assert flag_env.actor == SYSTEM_ACTOR  # the rule raised it ...
    assert flag_env.causation_id == paid_env.event_id  # ... caused by the payment
    assert flag_env.correlation_id == paid_env.correlation_id
    assert flag_env.occurred_at.date() == PAID_ON
    [raised] = written.raised(RED_FLAG_RAISED)
    assert raised.stream_id == red_flag_stream(flag.flag_id)
    [paid] = funds.then(beneficiary_stream(ZHANG))
    assert isinstance(paid, ev.BeneficiaryPaid)
    assert paid.disbursement_event_id == str(paid_env.event_id)


async def test_a_repeated_voucher_is_refused_and_raises_nothing_again(funds: Funds) -> None:
    await funds.when(programmes.disburse, payment())
    before = len(funds.store.log)
    with pytest.raises(AlreadyExists):
        await funds.when(programmes.disburse, payment())
    assert len(funds.store.log) == before and len(flags(funds)) == 1


async def test_a_lost_race_is_retried_unless_the_caller_gave_the_version_it_read(
    funds: Funds,
) -> None:
    funds.register.households[ZHANG] = [registered()]
    funds.store.conflicts_to_raise = 2
    written = await funds.when(programmes.disburse, payment("V-1"))
    assert written.version == 5 and len(funds.then(PROGRAMME)) == 5
    funds.store.conflicts_to_raise = 1
    with pytest.raises(ConcurrencyConflict):
        await funds.when(programmes.disburse, payment("V-2", expected_version=5))
    assert len(funds.then(PROGRAMME)) == 5
    with pytest.raises(ConcurrencyConflict):  # a stale version: 409 without a try
        await funds.when(programmes.disburse, payment("V-2", expected_version=4))


async def test_a_business_date_after_the_clocks_today_is_refused_and_nothing_stored(
    funds: Funds,
) -> None:
    before = len(funds.store.log)
    with pytest.raises(Refused, match="晚于今天"):
        await funds.when(programmes.disburse, payment(occurred_on=TODAY + dt.timedelta(days=1)))
    assert len(funds.store.log) == before


async def test_without_a_date_the_command_happens_on_the_clocks_today(funds: Funds) -> None:
    funds.register.households[ZHANG] = [registered()]
    await funds.when(programmes.disburse, payment(occurred_on=None))
    [recorded] = funds.then(PROGRAMME)[4:]
    assert isinstance(recorded, ev.DisbursementRecorded) and recorded.paid_on == TODAY


async def test_the_deadline_check_raises_flags_by_the_person_who_ran_it_and_once(
    funds: Funds,
) -> None:
    discipline = Actor("zhaogang", Role.DISCIPLINE_SECRETARY.value)
    async with funds.work(dt.date(2016, 6, 1), discipline) as uow:
        assert await oversight.check_deadlines(c.CheckDeadlines(), uow) == 1
        committed = await uow.commit()
    [flag] = flags(funds)
    assert flag.code == codes.NOT_STARTED and flag.raised_on == dt.date(2016, 6, 1)
    [env] = committed
    assert env.event_type == RED_FLAG_RAISED
    assert env.actor == discipline and env.causation_id is None  # no event caused it
    async with funds.work(actor=ECONOMIC) as uow:
        assert await oversight.check_deadlines(c.CheckDeadlines(), uow) == 0
        assert await uow.commit() == []
    assert len(flags(funds)) == 1


async def test_a_village_clerk_discloses_their_own_village_only(funds: Funds) -> None:
    clerk = Actor("clerk-shibi", Role.VILLAGE_CLERK.value)
    quarter = {"period": "2016Q1", "income_total": Decimal(1000), "expenditure_total": 0}
    own = await funds.when(
        villages.disclose,
        c.DiscloseFinances(village=VILLAGE, occurred_on=dt.date(2016, 4, 10), **quarter),
        Scope(VILLAGE),
        clerk,
    )
    assert own.id == "2016Q1" and [e.type for e in own.events] == ["funds.FinanceDisclosed"]
    before = len(funds.store.log)
    with pytest.raises(OutOfScope):
        await funds.when(
            villages.disclose,
            c.DiscloseFinances(village="金霞村", occurred_on=dt.date(2016, 4, 10), **quarter),
            Scope(VILLAGE),
            clerk,
        )
    assert len(funds.store.log) == before


async def test_a_concluded_clue_is_recorded_on_its_flag_once(funds: Funds) -> None:
    await funds.when(programmes.disburse, payment())
    [flag] = flags(funds)
    cmd = c.RecordClueOutcome(
        flag_id=flag.flag_id,
        clue_id="clue-1",
        outcome="accountability",
        concluded_on=dt.date(2016, 6, 20),
    )
    first = await funds.when(oversight.record_clue_outcome, cmd, actor=SYSTEM_ACTOR)
    again = await funds.when(oversight.record_clue_outcome, cmd, actor=SYSTEM_ACTOR)
    assert [e.type for e in first.events] == ["funds.RedFlagOutcomeRecorded"]
    assert again.events == ()
    unknown = await funds.when(
        oversight.record_clue_outcome, cmd.model_copy(update={"flag_id": "nope"})
    )
    assert unknown.events == () and funds.stored(red_flag_stream("nope")) == []
    outcomes = [
        e
        for e in funds.then(red_flag_stream(flag.flag_id))
        if isinstance(e, ev.RedFlagOutcomeRecorded)
    ]
    assert [(o.clue_id, o.outcome) for o in outcomes] == [("clue-1", "accountability")]
