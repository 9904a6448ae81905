"""Handlers of fund programmes: create, allocate, start, disburse, spend, change, 公示."""

from __future__ import annotations

from funds.application import commands as c
from funds.application.base import (
    Deps,
    Recorded,
    attempt,
    child_id,
    flush,
    raise_flags,
)
from funds.domain import events as ev
from funds.domain import rules
from funds.domain.beneficiary import Beneficiary
from funds.domain.identity import beneficiary_stream, programme_id_for, programme_stream
from funds.domain.programme import Programme
from shared.clock import business_day
from shared.eventstore import CommandContext
from shared.kernel import ResidentId, check_version
from shared.unit_of_work import UnitOfWork

PROGRAMME = "资金项目"


class ProgrammeHandlers:
    """The commands on fund programmes (惠农涉农资金)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def create(self, cmd: c.CreateProgramme, ctx: CommandContext) -> Recorded:
        """Create a programme; its code makes its id, so a repeat is refused (409)."""
        on = business_day(cmd.occurred_on, self.deps.clock())
        village = self.deps.town.known_village(cmd.village).name if cmd.village else None
        programme_id = programme_id_for(ctx.town, cmd.code)
        async with UnitOfWork(self.deps.store, ctx) as uow:
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
                    created_on=on,
                )
            )
            for other in others:  # exclusivity holds both ways
                other.declare_exclusive(programme_id, on)
            await uow.commit()
        return Recorded(programme_id, programme.stream_id, programme.version)

    async def allocate(self, cmd: c.AllocateFunds, ctx: CommandContext) -> Recorded:
        village = self.deps.town.known_village(cmd.village).name
        on = business_day(cmd.occurred_on, self.deps.clock())
        allocation_id = child_id(cmd.programme_id, "allocation", cmd.reference)

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                programme = await self._get(uow, cmd.programme_id, cmd.expected_version)
                programme.allocate(allocation_id, village, cmd.amount, on)
                await uow.commit()
            return Recorded(allocation_id, programme.stream_id, programme.version)

        return await attempt(run, retry=cmd.expected_version is None)

    async def start(self, cmd: c.StartProgramme, ctx: CommandContext) -> Recorded:
        """Start the programme; a start after the planned day raises FUNDS-NOT-STARTED."""
        on = business_day(cmd.occurred_on, self.deps.clock())

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                programme = await self._get(uow, cmd.programme_id, cmd.expected_version)
                programme.start(on)
                (started,) = await flush(uow, programme)
                flags = await raise_flags(
                    uow, rules.assess_start(programme, on), on, started.event_id
                )
                await uow.commit()
            return Recorded(cmd.programme_id, programme.stream_id, programme.version, flags)

        return await attempt(run, retry=cmd.expected_version is None)

    async def disburse(self, cmd: c.RecordDisbursement, ctx: CommandContext) -> Recorded:
        """Record a payment and judge it: eligibility against relief's register, duplicates,
        entitlement, deadline, cadre relations, public notice."""
        village = self.deps.town.known_village(cmd.village).name
        id_number = ResidentId(cmd.beneficiary_id_number).value
        on = business_day(cmd.occurred_on, self.deps.clock())
        disbursement_id = child_id(cmd.programme_id, "disbursement", cmd.voucher_no)

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                programme = await self._get(uow, cmd.programme_id, cmd.expected_version)
                person = await uow.load(Beneficiary, beneficiary_stream(id_number))
                relief = await self.deps.relief.lookup(uow.conn, id_number)
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
                        paid_on=on,
                    )
                )
                (recorded,) = await flush(uow, programme)
                event_id = str(recorded.event_id)
                findings = rules.assess_disbursement(programme, paid, event_id, person, relief)
                person.record_payment(
                    programme_id=programme.programme_id,
                    disbursement_id=disbursement_id,
                    event_id=event_id,
                    village=village,
                    amount=cmd.amount,
                    paid_on=on,
                )
                flags = await raise_flags(uow, findings, on, recorded.event_id)
                await uow.commit()
            return Recorded(disbursement_id, programme.stream_id, programme.version, flags)

        return await attempt(run, retry=cmd.expected_version is None)

    async def spend(self, cmd: c.RecordExpenditure, ctx: CommandContext) -> Recorded:
        """Record spending; a purpose other than the programme's raises FUNDS-DIVERTED."""
        village = self.deps.town.known_village(cmd.village).name if cmd.village else None
        on = business_day(cmd.occurred_on, self.deps.clock())
        expenditure_id = child_id(cmd.programme_id, "expenditure", cmd.reference)

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                programme = await self._get(uow, cmd.programme_id, cmd.expected_version)
                spent = ev.ExpenditureRecorded(
                    programme_id=programme.programme_id,
                    expenditure_id=expenditure_id,
                    village=village or programme.village,
                    amount=cmd.amount,
                    purpose_code=cmd.purpose_code,
                    payee=cmd.payee,
                    description=cmd.description,
                    spent_on=on,
                )
                programme.spend(spent)
                (recorded,) = await flush(uow, programme)
                findings = rules.assess_expenditure(programme, spent, str(recorded.event_id))
                flags = await raise_flags(uow, findings, on, recorded.event_id)
                await uow.commit()
            return Recorded(expenditure_id, programme.stream_id, programme.version, flags)

        return await attempt(run, retry=cmd.expected_version is None)

    async def change(self, cmd: c.RecordProgrammeChange, ctx: CommandContext) -> Recorded:
        """Record a change; without a timely approval it raises FUNDS-UNAPPROVED-CHANGE."""
        on = business_day(cmd.occurred_on, self.deps.clock())
        change_id = child_id(cmd.programme_id, "change", cmd.reference)

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                programme = await self._get(uow, cmd.programme_id, cmd.expected_version)
                change = programme.record_change(
                    change_id=change_id,
                    aspect=cmd.aspect,
                    description=cmd.description,
                    new_purpose_code=cmd.new_purpose_code,
                    approval_document=cmd.approval_document,
                    approved_by=cmd.approved_by,
                    approved_on=cmd.approved_on,
                    changed_on=on,
                )
                (recorded,) = await flush(uow, programme)
                findings = rules.assess_change(programme, change, str(recorded.event_id))
                flags = await raise_flags(uow, findings, on, recorded.event_id)
                await uow.commit()
            return Recorded(change_id, programme.stream_id, programme.version, flags)

        return await attempt(run, retry=cmd.expected_version is None)

    async def open_notice(self, cmd: c.OpenNotice, ctx: CommandContext) -> Recorded:
        village = self.deps.town.known_village(cmd.village).name if cmd.village else None
        on = business_day(cmd.occurred_on, self.deps.clock())
        notice_id = child_id(cmd.programme_id, "notice", cmd.reference)

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                programme = await self._get(uow, cmd.programme_id, None)
                programme.open_notice(notice_id, village, cmd.title, on, cmd.ends_on)
                await uow.commit()
            return Recorded(notice_id, programme.stream_id, programme.version)

        return await attempt(run, retry=True)

    async def record_objection(self, cmd: c.RecordObjection, ctx: CommandContext) -> Recorded:
        on = business_day(cmd.occurred_on, self.deps.clock())
        objection_id = child_id(cmd.notice_id, "objection", cmd.reference)

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                programme = await self._get(uow, cmd.programme_id, None)
                programme.record_objection(cmd.notice_id, objection_id, cmd.summary, on)
                await uow.commit()
            return Recorded(objection_id, programme.stream_id, programme.version)

        return await attempt(run, retry=True)

    async def close_notice(self, cmd: c.CloseNotice, ctx: CommandContext) -> Recorded:
        on = business_day(cmd.occurred_on, self.deps.clock())

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                programme = await self._get(uow, cmd.programme_id, None)
                programme.close_notice(cmd.notice_id, on, cmd.outcome)
                await uow.commit()
            return Recorded(cmd.notice_id, programme.stream_id, programme.version)

        return await attempt(run, retry=True)

    @staticmethod
    async def _get(uow: UnitOfWork, programme_id: str, expected: int | None) -> Programme:
        programme = await uow.get(Programme, programme_stream(programme_id), PROGRAMME)
        check_version(programme, expected)
        return programme
