"""Handlers of the household commands: load, let the household decide, hand back for commit."""

from __future__ import annotations

from relief.application.commands import (
    AssessIncome,
    CheckGuarantees,
    CompleteMeasure,
    CorrectHouseholdRecord,
    ExitPoverty,
    PairHousehold,
    PlanMeasure,
    RecordVisit,
    RegisterHousehold,
    RepairHousehold,
    ReturnToPoverty,
)
from relief.application.ports import Work
from relief.domain.events import Helper
from relief.domain.helpers import cadre_helper, party_member_helper
from relief.domain.household import Household, household_stream
from relief.domain.household_record import HeadIndex, Person, head_index_stream
from relief.domain.values import HEAD_RELATION
from shared.ids import uuid7
from shared.kernel import AlreadyExists, check_version, mask_id
from shared.pipeline import Done


async def load_household(uow: Work, household_id: str, expected: int | None) -> Household:
    household = await uow.get(Household, household_stream(household_id), "农户 (household)")
    uow.scope.check(household.village)
    check_version(household, expected)
    return household


async def register(cmd: RegisterHousehold, uow: Work) -> Done:
    """建档立卡: every check before anything is tracked, so a bulk import can go on."""
    village = uow.town.known_village(cmd.village)
    uow.scope.check(village.name)
    household_id = cmd.household_id or str(uuid7())
    household = Household.register(
        household_id=household_id,
        village=village.name,
        village_code=village.code,
        head=Person(cmd.head_name, cmd.head_id_number, HEAD_RELATION),
        members=cmd.people(),
        causes=list(cmd.causes),
        income_per_head=cmd.income_per_head,
        on=uow.day,
    )
    if (await uow.load(Household, household.stream_id)).exists:
        raise AlreadyExists(f"农户编号 {household_id} 已被使用 (household id already in use)")
    index = await uow.load(HeadIndex, head_index_stream(household.head_id_number))
    index.claim(household_id, mask_id(household.head_id_number))
    uow.add(household)
    return household_id, household


async def correct(cmd: CorrectHouseholdRecord, uow: Work) -> Done:
    household = await load_household(uow, cmd.household_id, cmd.expected_version)
    household.correct(
        head_name=cmd.head_name,
        members=cmd.people(),
        causes=list(cmd.causes),
        reason=cmd.reason,
        on=uow.day,
    )
    return cmd.household_id, household


async def assess_income(cmd: AssessIncome, uow: Work) -> Done:
    household = await load_household(uow, cmd.household_id, cmd.expected_version)
    year = cmd.year or uow.day.year
    household.assess_income(year=year, income_per_head=cmd.income_per_head, on=uow.day)
    return cmd.household_id, household


async def check_guarantees(cmd: CheckGuarantees, uow: Work) -> Done:
    household = await load_household(uow, cmd.household_id, cmd.expected_version)
    household.check_guarantees(cmd.checks(), notes=cmd.notes, on=uow.day)
    return cmd.household_id, household


async def exit_poverty(cmd: ExitPoverty, uow: Work) -> Done:
    household = await load_household(uow, cmd.household_id, cmd.expected_version)
    lines = uow.deps.policy.lines
    household.exit_poverty(line=lines.line_for(uow.day.year), revision=lines.revision, on=uow.day)
    return cmd.household_id, household


async def return_to_poverty(cmd: ReturnToPoverty, uow: Work) -> Done:
    household = await load_household(uow, cmd.household_id, cmd.expected_version)
    household.return_to_poverty(reason=cmd.reason, income_per_head=cmd.income_per_head, on=uow.day)
    return cmd.household_id, household


async def _helper(cmd: PairHousehold, uow: Work) -> Helper:
    if cmd.member_id:
        return party_member_helper(cmd.member_id, await uow.deps.members.member(cmd.member_id))
    return cadre_helper(cmd.cadre_name, cmd.cadre_post)


async def pair(cmd: PairHousehold, uow: Work) -> Done:
    household = await load_household(uow, cmd.household_id, cmd.expected_version)
    household.pair(await _helper(cmd, uow), on=uow.day)
    return cmd.household_id, household


async def repair(cmd: RepairHousehold, uow: Work) -> Done:
    household = await load_household(uow, cmd.household_id, cmd.expected_version)
    household.repair(await _helper(cmd, uow), reason=cmd.reason, on=uow.day)
    return cmd.household_id, household


async def visit(cmd: RecordVisit, uow: Work) -> Done:
    household = await load_household(uow, cmd.household_id, cmd.expected_version)
    visit_id = cmd.visit_id or str(uuid7())
    household.visit(visit_id=visit_id, notes=cmd.notes, on=uow.day, visitor=cmd.visitor)
    return visit_id, household


async def plan_measure(cmd: PlanMeasure, uow: Work) -> Done:
    household = await load_household(uow, cmd.household_id, cmd.expected_version)
    measure_id = cmd.measure_id or str(uuid7())
    household.plan_measure(
        measure_id=measure_id, project=cmd.project, description=cmd.description, on=uow.day
    )
    return measure_id, household


async def complete_measure(cmd: CompleteMeasure, uow: Work) -> Done:
    household = await load_household(uow, cmd.household_id, cmd.expected_version)
    household.complete_measure(measure_id=cmd.measure_id, outcome=cmd.outcome, on=uow.day)
    return cmd.measure_id, household
