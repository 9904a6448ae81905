"""HTTP routes for party branches (党支部), their secretaries and their rectification."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from party.application import branches as h
from party.application import commands as c
from party.application.dependencies import branch_village, check_branch
from party.application.training import branch_training
from party.domain.branches import Branch
from party.entrypoints.access import PartyDeps, Reader, Today, Writer
from party.entrypoints.presenters import branch_state
from shared.business_dates import AsOf
from shared.command_routes import command
from shared.pipeline import Scope

router = APIRouter(tags=["branches 党支部"])

BranchPath = Annotated[str, Path(pattern=c.BRANCH_ID)]

command(
    router,
    "/branches",
    c.EstablishBranch,
    h.establish_branch,
    Writer,
    summary="建立党支部 (establish a branch)",
    status_code=201,
)
command(
    router,
    "/branches/{branch_id}/secretary",
    c.AppointSecretary,
    h.appoint_secretary,
    Writer,
    summary="任命支部书记 (appoint the branch secretary)",
)
command(
    router,
    "/branches/{branch_id}/first-secretary",
    c.AssignFirstSecretary,
    h.assign_first_secretary,
    Writer,
    summary="选派第一书记 (send a first secretary)",
)
command(
    router,
    "/branches/{branch_id}/linked-leader",
    c.AssignLinkedLeader,
    h.assign_linked_leader,
    Writer,
    summary="确定联点领导 (assign a linked leader)",
)
command(
    router,
    "/branches/{branch_id}/leader-visits",
    c.RecordLeaderVisit,
    h.record_leader_visit,
    Writer,
    summary="联点领导到点指导 (record the linked leader's visit)",
    status_code=201,
)
command(
    router,
    "/branches/{branch_id}/household-visits",
    c.RecordHouseholdVisits,
    h.record_household_visits,
    Writer,
    summary="走访农户进度 (record the households visited)",
)


@router.get("/branches", summary="党支部列表 (branches)")
async def list_branches(
    who: Reader,
    deps: PartyDeps,
    kind: Literal["village", "community", "organ", "enterprise"] | None = None,
    designated: bool = False,
) -> list[dict[str, Any]]:
    scope = Scope.of(who)
    rows = await deps.queries.branches(kind=kind, designated=designated)
    return [r for r in rows if scope.allows(branch_village(r["kind"], r["village"]))]


@router.get("/weak-branches", summary="软弱涣散党支部 (weak and lax branches)")
async def weak_branches(who: Reader, deps: PartyDeps) -> list[dict[str, Any]]:
    """Branches designated weak and lax now (软弱涣散), with the assessment behind it."""
    scope = Scope.of(who)
    rows = await deps.queries.branches(designated=True)
    return [r for r in rows if scope.allows(branch_village(r["kind"], r["village"]))]


@router.get("/branches/{branch_id}", summary="一个党支部 (one branch)")
async def get_branch(
    branch_id: BranchPath, who: Reader, deps: PartyDeps, as_of: AsOf = None
) -> dict[str, Any]:
    check_branch(Scope.of(who), await deps.queries.branch(branch_id))
    return branch_state(await deps.reader.get(Branch, branch_id, "党支部", as_of=as_of))


@router.get("/branches/{branch_id}/members", summary="支部党员 (the branch's members)")
async def branch_members(
    branch_id: BranchPath, who: Reader, deps: PartyDeps
) -> list[dict[str, Any]]:
    check_branch(Scope.of(who), await deps.queries.branch(branch_id))
    return await deps.queries.members(branch_id=branch_id)


@router.get("/branches/{branch_id}/training", summary="支部培训情况 (the branch's training)")
async def get_branch_training(
    branch_id: BranchPath,
    who: Reader,
    deps: PartyDeps,
    today: Today,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    day = as_of or today
    return await branch_training(deps, branch_id, year or day.year, day, Scope.of(who))
