"""Commands on party branches (党支部): establishment, the secretary, and the rectification of
a weak and lax branch (软弱涣散整顿)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from party.application.dependencies import Deps, Written
from party.domain.branches import TERRITORIAL, Branch
from party.domain.claims import VILLAGE_BRANCH, Claim, village_branch_claim
from party.domain.members import Member
from shared.eventstore import CommandContext
from shared.kernel import AlreadyExists, check_version
from shared.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class EstablishBranch:
    branch_id: str
    name: str
    kind: str
    village: str | None
    on: dt.date


@dataclass(frozen=True, slots=True)
class AppointSecretary:
    branch_id: str
    member_id: str
    on: dt.date
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class Rectify:
    """A rectification step: `first_secretary` (name, unit), `linked_leader` (name, post),
    `leader_visit` (leader name, summary) or `household_visits` (total, visited)."""

    branch_id: str
    step: str
    name: str = ""
    detail: str = ""
    households_total: int = 0
    households_visited: int = 0
    on: dt.date = dt.date.min
    expected_version: int | None = None


async def establish_branch(deps: Deps, ctx: CommandContext, cmd: EstablishBranch) -> Written:
    village = deps.village(cmd.village) if cmd.village else None
    async with UnitOfWork(deps.store, ctx) as uow:
        branch = await uow.load(Branch, cmd.branch_id)
        if branch.exists:
            raise AlreadyExists(f"党支部 {cmd.branch_id} 已存在 (already established)")
        branch.establish(name=cmd.name, kind=cmd.kind, village=village, on=cmd.on)
        if village is not None and cmd.kind in TERRITORIAL:
            claim = await uow.load(Claim, village_branch_claim(village.code))
            claim.claim(VILLAGE_BRANCH, cmd.branch_id, f"{village.name}的党支部")
        await uow.commit()
    return Written(cmd.branch_id, branch.version)


async def change_branch(
    deps: Deps,
    ctx: CommandContext,
    branch_id: str,
    expected_version: int | None,
    decide: Callable[[Branch], None],
) -> Written:
    async with UnitOfWork(deps.store, ctx) as uow:
        branch = await uow.get(Branch, branch_id, "党支部")
        check_version(branch, expected_version)
        decide(branch)
        await uow.commit()
    return Written(branch_id, branch.version)


async def appoint_secretary(deps: Deps, ctx: CommandContext, cmd: AppointSecretary) -> Written:
    async with UnitOfWork(deps.store, ctx) as uow:
        branch = await uow.get(Branch, cmd.branch_id, "党支部")
        check_version(branch, cmd.expected_version)
        member = await uow.get(Member, cmd.member_id, "党员")
        branch.appoint_secretary(member.ref(), cmd.on)
        await uow.commit()
    return Written(cmd.branch_id, branch.version)


async def rectify(deps: Deps, ctx: CommandContext, cmd: Rectify) -> Written:
    def decide(branch: Branch) -> None:
        if cmd.step == "first_secretary":
            branch.assign_first_secretary(name=cmd.name, unit=cmd.detail, on=cmd.on)
        elif cmd.step == "linked_leader":
            branch.assign_linked_leader(leader_name=cmd.name, post=cmd.detail, on=cmd.on)
        elif cmd.step == "leader_visit":
            branch.record_leader_visit(leader_name=cmd.name, summary=cmd.detail, on=cmd.on)
        else:
            branch.record_household_visits(
                total=cmd.households_total, visited=cmd.households_visited, on=cmd.on
            )

    return await change_branch(deps, ctx, cmd.branch_id, cmd.expected_version, decide)
