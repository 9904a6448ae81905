"""Handlers of fund programmes (惠农涉农资金): create, allocate, start, disburse, spend, change,
公示. Each is `(cmd, uow) -> (id, programme)`, run by the pipeline in one transaction."""

from __future__ import annotations

from funds.application import commands as c
from funds.application.flags import raise_flags
from funds.application.ports import Deps
from funds.domain import events as ev
from funds.domain import rules
from funds.domain.beneficiary import Beneficiary
from funds.domain.identity import (
    beneficiary_stream,
    child_id,
    programme_id_for,
    programme_stream,
)
from funds.domain.programme import Programme
from shared.kernel import check_version
from shared.pipeline import Done, Work

PROGRAMME = "资金项目"


async def _programme(uow: Work[Deps], programme_id: str, expected: int | None) -> Programme:
    programme = await uow.get(Programme, programme_stream(programme_id), PROGRAMME)
    check_version(programme, expected)
    return programme


async def create(cmd: c.CreateProgramme, uow: Work[Deps]) -> Done:
    """Create a programme; its code makes its id, so a repeat is refused (409)."""
    village = uow.town.known_village(cmd.village).name if cmd.village else None
    uow.scope.check(village)
    programme_id = programme_id_for(uow.ctx.town, cmd.code)
    programme = await uow.load(Programme, programme_stream(programme_id))
    others = [
        await uow.get(Programme, programme_stream(other), PROGRAMME)
        for other in dict.fromkeys(cmd.exclusive_with)
    ]
    programme.create(
        ev.ProgrammeCreated(
            programme_id=programme_id,
            code=cmd.code.strip(),
            name=cmd.name,
            source_level=cmd.source_level,
            amount=cmd.amount,
            purpose=cmd.purpose,
            purpose_code=cmd.purpose_code,
            beneficiary_rule=cmd.beneficiary_rule,
            standard_amount=cmd.standard_amount,
            min_age=cmd.min_age,
            max_age=cmd.max_age,
            planned_start=cmd.planned_start,
            disbursement_deadline=cmd.disbursement_deadline,
            village=village,
            exclusive_with=tuple(o.programme_id for o in others),
            created_on=uow.day,
        )
    )
    for other in others:  # exclusivity holds both ways
        other.declare_exclusive(programme_id, uow.day)
    return programme_id, programme


async def allocate(cmd: c.AllocateFunds, uow: Work[Deps]) -> Done:
    village = uow.town.known_village(cmd.village).name
    uow.scope.check(village)
    allocation_id = child_id(cmd.programme_id, "allocation", cmd.reference)
    programme = await _programme(uow, cmd.programme_id, cmd.expected_version)
    programme.allocate(allocation_id, village, cmd.amount, uow.day)
    return allocation_id, programme


async def start(cmd: c.StartProgramme, uow: Work[Deps]) -> Done:
    """Start the programme; a start after the planned day raises FUNDS-NOT-STARTED."""
    programme = await _programme(uow, cmd.programme_id, cmd.expected_version)
    programme.start(uow.day)
    (started,) = await uow.flush(programme)
    await raise_flags(uow, rules.assess_start(programme, uow.day), started.event_id)
    return cmd.programme_id, programme


async def disburse(cmd: c.RecordDisbursement, uow: Work[Deps]) -> Done:
    """Record a payment and judge it: eligibility against relief's register, duplicates,
    entitlement, deadline, cadre relations, public notice."""
    village = uow.town.known_village(cmd.village).name
    uow.scope.check(village)
    id_number = cmd.beneficiary_id_number
    disbursement_id = child_id(cmd.programme_id, "disbursement", cmd.voucher_no)
    programme = await _programme(uow, cmd.programme_id, cmd.expected_version)
    person = await uow.load(Beneficiary, beneficiary_stream(id_number))
    relief = await uow.deps.relief.lookup(uow.conn, id_number)
    paid = programme.disburse(
        ev.DisbursementRecorded(
            programme_id=programme.programme_id,
            disbursement_id=disbursement_id,
            voucher_no=cmd.voucher_no.strip(),
            village=village,
            beneficiary_kind=cmd.beneficiary_kind,
            beneficiary_name=cmd.beneficiary_name,
            beneficiary_id_number=id_number,
            household_id=cmd.household_id,
            amount=cmd.amount,
            entitled_amount=cmd.entitled_amount,
            paid_on=uow.day,
        )
    )
    (recorded,) = await uow.flush(programme)
    event_id = str(recorded.event_id)
    findings = rules.assess_disbursement(programme, paid, event_id, person, relief)
    person.record_payment(
        programme_id=programme.programme_id,
        disbursement_id=disbursement_id,
        event_id=event_id,
        village=village,
        amount=cmd.amount,
        paid_on=uow.day,
    )
    await raise_flags(uow, findings, recorded.event_id)
    return disbursement_id, programme


async def spend(cmd: c.RecordExpenditure, uow: Work[Deps]) -> Done:
    """Record spending; a purpose other than the programme's raises FUNDS-DIVERTED."""
    village = uow.town.known_village(cmd.village).name if cmd.village else None
    expenditure_id = child_id(cmd.programme_id, "expenditure", cmd.reference)
    programme = await _programme(uow, cmd.programme_id, cmd.expected_version)
    spent = ev.ExpenditureRecorded(
        programme_id=programme.programme_id,
        expenditure_id=expenditure_id,
        village=village or programme.village,
        amount=cmd.amount,
        purpose_code=cmd.purpose_code,
        payee=cmd.payee,
        description=cmd.description,
        spent_on=uow.day,
    )
    uow.scope.check(spent.village)
    programme.spend(spent)
    (recorded,) = await uow.flush(programme)
    findings = rules.assess_expenditure(programme, spent, str(recorded.event_id))
    await raise_flags(uow, findings, recorded.event_id)
    return expenditure_id, programme


async def change(cmd: c.RecordProgrammeChange, uow: Work[Deps]) -> Done:
    """Record a change; without a timely approval it raises FUNDS-UNAPPROVED-CHANGE."""
    change_id = child_id(cmd.programme_id, "change", cmd.reference)
    approval = cmd.approval
    programme = await _programme(uow, cmd.programme_id, cmd.expected_version)
    recorded_change = programme.record_change(
        change_id=change_id,
        aspect=cmd.aspect,
        description=cmd.description,
        new_purpose_code=cmd.new_purpose_code,
        approval_document=approval.document if approval else None,
        approved_by=approval.approved_by if approval else None,
        approved_on=approval.approved_on if approval else None,
        changed_on=uow.day,
    )
    (recorded,) = await uow.flush(programme)
    findings = rules.assess_change(programme, recorded_change, str(recorded.event_id))
    await raise_flags(uow, findings, recorded.event_id)
    return change_id, programme


async def open_notice(cmd: c.OpenNotice, uow: Work[Deps]) -> Done:
    village = uow.town.known_village(cmd.village).name if cmd.village else None
    uow.scope.check(village)
    notice_id = child_id(cmd.programme_id, "notice", cmd.reference)
    programme = await _programme(uow, cmd.programme_id, None)
    programme.open_notice(notice_id, village, cmd.title, uow.day, cmd.ends_on)
    return notice_id, programme


async def record_objection(cmd: c.RecordObjection, uow: Work[Deps]) -> Done:
    objection_id = child_id(cmd.notice_id, "objection", cmd.reference)
    programme = await _programme(uow, cmd.programme_id, None)
    programme.record_objection(cmd.notice_id, objection_id, cmd.summary, uow.day)
    return objection_id, programme


async def close_notice(cmd: c.CloseNotice, uow: Work[Deps]) -> Done:
    programme = await _programme(uow, cmd.programme_id, None)
    programme.close_notice(cmd.notice_id, uow.day, cmd.outcome)
    return cmd.notice_id, programme
