"""Given/when/then helpers for the funds domain: programmes, people and relief records built
from events, and the rules' findings read as codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from funds.domain import events as ev
from funds.domain import rules
from funds.domain.beneficiary import Beneficiary
from funds.domain.identity import beneficiary_stream, name_id, programme_stream
from funds.domain.programme import Programme
from funds.domain.values import ReliefRecord

from shared.kernel import Aggregate, Event, make_resident_id

D = dt.date
VILLAGE = "石壁村"
NOTICE_OPENS, NOTICE_CLOSES = D(2016, 5, 1), D(2016, 5, 8)
REGISTERED_ON, PAID_ON, PAID_BEFORE = D(2015, 10, 1), D(2016, 6, 1), D(2016, 5, 20)

#: 张三, born 1960-05-01; 李四, born 1930-03-15 (an elder); 王五, born 1980-08-08
ZHANG = make_resident_id("43032119600501001").value
LI = make_resident_id("43032119300315002").value
WANG = make_resident_id("43032119800808003").value


def programme_created(**overrides: Any) -> ev.ProgrammeCreated:
    base = ev.ProgrammeCreated(
        programme_id="p-1",
        code="CY-2016-01",
        name="2016年产业扶贫到户补助",
        source_level="county",
        amount=Decimal("100000"),
        purpose="贫困户发展种养业",
        purpose_code="industry",
        beneficiary_rule="registered_poor",
        standard_amount=Decimal("2000"),
        min_age=None,
        max_age=None,
        planned_start=D(2016, 5, 1),
        disbursement_deadline=D(2016, 10, 31),
        village=None,
        exclusive_with=(),
        created_on=D(2016, 4, 1),
    )
    return replace(base, **overrides)


def allocated(village: str = VILLAGE, amount: str = "20000", pid: str = "p-1") -> ev.FundsAllocated:
    return ev.FundsAllocated(
        programme_id=pid,
        allocation_id=f"a-{village}",
        village=village,
        amount=Decimal(amount),
        allocated_on=D(2016, 4, 10),
    )


def notice_opened(
    village: str | None = VILLAGE, opened: dt.date = NOTICE_OPENS, notice_id: str = "n-1"
) -> ev.PublicNoticeOpened:
    return ev.PublicNoticeOpened(
        programme_id="p-1",
        notice_id=notice_id,
        village=village,
        title="产业扶贫到户补助对象公示",
        opened_on=opened,
        ends_on=opened + dt.timedelta(days=7),
    )


def notice_closed(closed: dt.date = NOTICE_CLOSES, notice_id: str = "n-1") -> ev.PublicNoticeClosed:
    return ev.PublicNoticeClosed(
        programme_id="p-1", notice_id=notice_id, closed_on=closed, objections=0, outcome="无异议"
    )


def settle(aggregate: Aggregate) -> None:
    """Treat the events an aggregate recorded as stored (they are already applied)."""
    aggregate.version += len(aggregate.take_pending())


def given_programme(*events: Event, **overrides: Any) -> Programme:
    """A programme created (with overrides) and then the given events; by default allocated to
    石壁村 with a notice there closed on 2016-05-08."""
    created = programme_created(**overrides)
    history: list[Event] = [created]
    history += list(events) or [
        allocated(pid=created.programme_id),
        notice_opened(),
        notice_closed(),
    ]
    programme = Programme(programme_stream(created.programme_id))
    programme.replay(history)
    return programme


def given_person(id_number: str = ZHANG, *events: Event) -> Beneficiary:
    person = Beneficiary(beneficiary_stream(id_number))
    person.replay(list(events))
    return person


def paid_before(
    programme_id: str, voucher: str = "old", on: dt.date = PAID_BEFORE
) -> ev.BeneficiaryPaid:
    return ev.BeneficiaryPaid(
        programme_id=programme_id,
        disbursement_id=name_id("disbursement", programme_id, voucher),
        disbursement_event_id=f"event-{voucher}",
        village=VILLAGE,
        amount=Decimal("2000"),
        paid_on=on,
    )


def relation(
    cadre: str = "黄军", relation: str = "配偶", id_number: str = ZHANG
) -> ev.CadreRelationRecorded:
    return ev.CadreRelationRecorded(
        relation_id=f"r-{cadre}",
        relative_name="张三",
        relative_id_number=id_number,
        relation=relation,
        cadre_name=cadre,
        cadre_post="村党支部书记",
        cadre_village=VILLAGE,
        recorded_on=D(2016, 1, 5),
    )


def registered(on: dt.date = REGISTERED_ON, *changes: tuple[dt.date, str]) -> ReliefRecord:
    """A household of relief's register (as funds' view reports it)."""
    return ReliefRecord("h-1", VILLAGE, on, tuple(changes))


def when_paid(
    programme: Programme,
    *,
    person: Beneficiary | None = None,
    relief: tuple[ReliefRecord, ...] = (registered(),),
    id_number: str = ZHANG,
    name: str = "张三",
    amount: str = "2000",
    entitled: str | None = None,
    on: dt.date = PAID_ON,
    village: str = VILLAGE,
    voucher: str = "V-001",
) -> list[rules.Finding]:
    """Record a payment on the programme and return what the rules found."""
    paid = programme.disburse(
        ev.DisbursementRecorded(
            programme_id=programme.programme_id,
            disbursement_id=name_id("disbursement", programme.programme_id, voucher),
            voucher_no=voucher,
            village=village,
            beneficiary_kind="person",
            beneficiary_name=name,
            beneficiary_id_number=id_number,
            household_id=None,
            amount=Decimal(amount),
            entitled_amount=Decimal(entitled) if entitled else None,
            paid_on=on,
        )
    )
    history = person or given_person(id_number)
    return rules.assess_disbursement(programme, paid, "event-new", history, relief)


def codes_of(findings: list[rules.Finding]) -> list[str]:
    return sorted(f.code for f in findings)


def finding(findings: list[rules.Finding], code: str) -> rules.Finding:
    (match,) = [f for f in findings if f.code == code]
    return match
