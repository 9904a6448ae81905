"""Commands on party branches (党支部): establishment, the secretary, and the rectification of
a weak and lax branch (软弱涣散整顿)."""

from __future__ import annotations

from party.application import commands as c
from party.application.dependencies import Deps, new_id, village_ref
from party.domain.branches import TERRITORIAL, Branch
from party.domain.claims import VILLAGE_BRANCH, Claim, village_branch_claim
from party.domain.members import Member
from shared.kernel import AlreadyExists, check_version
from shared.pipeline import Done, Work


async def establish_branch(cmd: c.EstablishBranch, uow: Work[Deps]) -> Done:
    village = village_ref(uow.town, cmd.village) if cmd.village else None
    branch_id = cmd.branch_id or new_id("branch")
    branch = await uow.load(Branch, branch_id)
    if branch.exists:
        raise AlreadyExists(f"党支部 {branch_id} 已存在 (already established)")
    branch.establish(name=cmd.name, kind=cmd.kind, village=village, on=uow.day)
    if village is not None and cmd.kind in TERRITORIAL:
        claim = await uow.load(Claim, village_branch_claim(village.code))
        claim.claim(VILLAGE_BRANCH, branch_id, f"{village.name}的党支部")
    return branch_id, branch


async def _branch(uow: Work[Deps], branch_id: str, expected_version: int | None) -> Branch:
    branch = await uow.get(Branch, branch_id, "党支部")
    check_version(branch, expected_version)
    return branch


async def appoint_secretary(cmd: c.AppointSecretary, uow: Work[Deps]) -> Done:
    branch = await _branch(uow, cmd.branch_id, cmd.expected_version)
    member = await uow.get(Member, cmd.member_id, "党员")
    branch.appoint_secretary(member.ref(), uow.day)
    return cmd.branch_id, branch


async def assign_first_secretary(cmd: c.AssignFirstSecretary, uow: Work[Deps]) -> Done:
    branch = await _branch(uow, cmd.branch_id, cmd.expected_version)
    branch.assign_first_secretary(name=cmd.name, unit=cmd.detail, on=uow.day)
    return cmd.branch_id, branch


async def assign_linked_leader(cmd: c.AssignLinkedLeader, uow: Work[Deps]) -> Done:
    branch = await _branch(uow, cmd.branch_id, cmd.expected_version)
    branch.assign_linked_leader(leader_name=cmd.name, post=cmd.detail, on=uow.day)
    return cmd.branch_id, branch


async def record_leader_visit(cmd: c.RecordLeaderVisit, uow: Work[Deps]) -> Done:
    branch = await _branch(uow, cmd.branch_id, cmd.expected_version)
    branch.record_leader_visit(leader_name=cmd.name, summary=cmd.detail, on=uow.day)
    return cmd.branch_id, branch


async def record_household_visits(cmd: c.RecordHouseholdVisits, uow: Work[Deps]) -> Done:
    branch = await _branch(uow, cmd.branch_id, cmd.expected_version)
    branch.record_household_visits(
        total=cmd.households_total, visited=cmd.households_visited, on=uow.day
    )
    return cmd.branch_id, branch
