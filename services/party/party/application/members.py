"""Commands on party members (党员) and their handlers: load, decide, append."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from party.application.dependencies import EVERYTHING, Deps, Scope, Written
from party.domain.accountability import (
    AccountabilityCase,
    accountability_stream,
    deduction_record_id,
)
from party.domain.branches import Branch
from party.domain.claims import ID_NUMBER, Claim, id_number_claim
from party.domain.events import AccountabilityUnmatched
from party.domain.members import BranchRef, Member
from shared.eventstore import CommandContext
from shared.ids import uuid7
from shared.kernel import DomainError, ResidentId, check_version
from shared.unit_of_work import UnitOfWork


def new_id(kind: str) -> str:
    return f"{kind}-{uuid7().hex}"


@dataclass(frozen=True, slots=True)
class JoinMember:
    member_id: str
    branch_id: str
    name: str
    id_number: str
    membership: str
    joined_party_on: dt.date
    on: dt.date


@dataclass(frozen=True, slots=True)
class ConvertMember:
    member_id: str
    on: dt.date
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class TransferMember:
    member_id: str
    to_branch_id: str
    on: dt.date
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class RecordPoints:
    member_id: str
    rule_code: str
    quantity: int
    evidence: str
    record_id: str
    on: dt.date
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class GradeMember:
    member_id: str
    year: int
    on: dt.date
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class UnqualifiedStep:
    """A step of the 不合格党员 procedure: `talk` (value: who talked), `decision` (value: the
    decision) or `outcome` (value: the outcome)."""

    member_id: str
    year: int
    step: str
    value: str
    summary: str
    on: dt.date
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class EnrolInDegreeEducation:
    member_id: str
    institution: str
    level: str
    on: dt.date
    expected_version: int | None = None


async def join_member(deps: Deps, ctx: CommandContext, cmd: JoinMember) -> Written:
    resident = ResidentId(cmd.id_number)
    book = deps.books.for_year(cmd.on.year)
    async with UnitOfWork(deps.store, ctx) as uow:
        branch = await uow.get(Branch, cmd.branch_id, "党支部")
        member = await uow.load(Member, cmd.member_id)
        member.join(
            branch=BranchRef(branch.branch_id, branch.village),
            name=cmd.name,
            id_number=resident,
            membership=cmd.membership,
            joined_party_on=cmd.joined_party_on,
            on=cmd.on,
            book=book,
        )
        claim = await uow.load(Claim, id_number_claim(resident))
        claim.claim(ID_NUMBER, cmd.member_id, f"身份证号 {resident.masked} ")
        for case_id in await deps.views.awaiting(cmd.member_id):
            case = await uow.load(AccountabilityCase, accountability_stream(case_id))
            apply_late_deduction(deps, case, member)
        await uow.commit()
    return Written(cmd.member_id, member.version)


def apply_late_deduction(deps: Deps, case: AccountabilityCase, member: Member) -> None:
    """A decision that named this member before it was registered: deduct now, if the
    member's record allows it (else it stays unmatched, as it was)."""
    outcome = case.outcome
    if not isinstance(outcome, AccountabilityUnmatched) or case.awaiting_member != member.member_id:
        return
    try:
        book = deps.books.for_year(outcome.decided_on.year)
        rule = book.for_accountability(outcome.kind)
        member.record_points(
            record_id=deduction_record_id(outcome.case_id),
            rule=rule,
            quantity=1,
            evidence=f"问责 ({outcome.kind})，案件 {outcome.case_id}（党员登记后扣分）",
            on=outcome.decided_on,
            book=book,
            case_id=outcome.case_id,
        )
    except DomainError:
        return
    case.matched(
        case_id=outcome.case_id,
        member_id=member.member_id,
        kind=outcome.kind,
        rule=rule,
        decided_on=outcome.decided_on,
    )


async def change_member(
    deps: Deps,
    ctx: CommandContext,
    member_id: str,
    expected_version: int | None,
    decide: Callable[[Member], None],
    scope: Scope = EVERYTHING,
) -> Written:
    """Load the member, check the caller's scope and version, decide, commit."""
    async with UnitOfWork(deps.store, ctx) as uow:
        member = await uow.get(Member, member_id, "党员")
        if scope.limited:
            scope.check(await deps.views.branch(member.branch_id))
        check_version(member, expected_version)
        decide(member)
        await uow.commit()
    return Written(member_id, member.version)


async def convert_member(deps: Deps, ctx: CommandContext, cmd: ConvertMember) -> Written:
    book = deps.books.for_year(cmd.on.year)
    return await change_member(
        deps, ctx, cmd.member_id, cmd.expected_version, lambda m: m.convert(on=cmd.on, book=book)
    )


async def transfer_member(deps: Deps, ctx: CommandContext, cmd: TransferMember) -> Written:
    book = deps.books.for_year(cmd.on.year)
    async with UnitOfWork(deps.store, ctx) as uow:
        member = await uow.get(Member, cmd.member_id, "党员")
        check_version(member, cmd.expected_version)
        source = await uow.get(Branch, member.branch_id, "党支部")
        target = await uow.get(Branch, cmd.to_branch_id, "党支部")
        member.transfer(
            to=BranchRef(target.branch_id, target.village),
            on=cmd.on,
            book=book,
            is_secretary=source.secretary is not None and source.secretary[0] == member.member_id,
        )
        await uow.commit()
    return Written(cmd.member_id, member.version)


async def record_points(
    deps: Deps, ctx: CommandContext, cmd: RecordPoints, scope: Scope = EVERYTHING
) -> Written:
    book = deps.books.for_year(cmd.on.year)
    rule = book.rule(cmd.rule_code)

    def decide(member: Member) -> None:
        member.record_points(
            record_id=cmd.record_id,
            rule=rule,
            quantity=cmd.quantity,
            evidence=cmd.evidence,
            on=cmd.on,
            book=book,
        )

    return await change_member(deps, ctx, cmd.member_id, cmd.expected_version, decide, scope)


async def grade_member(deps: Deps, ctx: CommandContext, cmd: GradeMember) -> Written:
    book = deps.books.for_year(cmd.year)
    return await change_member(
        deps,
        ctx,
        cmd.member_id,
        cmd.expected_version,
        lambda m: m.grade(year=cmd.year, on=cmd.on, book=book),
    )


async def unqualified_step(deps: Deps, ctx: CommandContext, cmd: UnqualifiedStep) -> Written:
    def decide(member: Member) -> None:
        if cmd.step == "talk":
            member.talk(year=cmd.year, talked_by=cmd.value, summary=cmd.summary, on=cmd.on)
        elif cmd.step == "decision":
            member.decide(year=cmd.year, decision=cmd.value, summary=cmd.summary, on=cmd.on)
        else:
            member.record_outcome(year=cmd.year, outcome=cmd.value, summary=cmd.summary, on=cmd.on)

    return await change_member(deps, ctx, cmd.member_id, cmd.expected_version, decide)


async def enrol_in_degree_education(
    deps: Deps, ctx: CommandContext, cmd: EnrolInDegreeEducation
) -> Written:
    return await change_member(
        deps,
        ctx,
        cmd.member_id,
        cmd.expected_version,
        lambda m: m.enrol_in_degree_education(
            institution=cmd.institution, level=cmd.level, on=cmd.on
        ),
    )
