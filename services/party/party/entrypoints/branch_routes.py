"""HTTP routes for party branches (党支部), their secretaries and their rectification."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from party.application import branches as handlers
from party.application.members import new_id
from party.application.training import branch_training
from party.domain.branches import Branch
from party.entrypoints.access import PartyDeps, Reader, Writer, context, scope_of, written
from party.entrypoints.presenters import branch_state
from party.entrypoints.schemas import BranchIn, HouseholdVisitsIn, NamedIn, SecretaryIn
from shared.business_dates import AsOf

router = APIRouter(tags=["branches 党支部"])

BranchPath = Annotated[str, Path(pattern=r"^branch-[a-z0-9][a-z0-9-]{0,47}$")]


@router.post("/branches", status_code=201, summary="建立党支部 (establish a branch)")
async def establish(
    body: BranchIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.EstablishBranch(
        branch_id=body.branch_id or new_id("branch"),
        name=body.name,
        kind=body.kind,
        village=body.village,
        on=on,
    )
    return written(await handlers.establish_branch(deps, ctx, cmd))


@router.get("/branches", summary="党支部列表 (branches)")
async def list_branches(
    who: Reader,
    deps: PartyDeps,
    kind: Literal["village", "community", "organ", "enterprise"] | None = None,
    designated: bool = False,
) -> list[dict[str, Any]]:
    scope = scope_of(who)
    rows = await deps.views.branches(kind=kind, designated=designated)
    return [r for r in rows if scope.allows(r["kind"], r["village"])]


@router.get("/weak-branches", summary="软弱涣散党支部 (weak and lax branches)")
async def weak_branches(who: Reader, deps: PartyDeps) -> list[dict[str, Any]]:
    """Branches designated weak and lax now (软弱涣散), with the assessment behind it."""
    scope = scope_of(who)
    rows = await deps.views.branches(designated=True)
    return [r for r in rows if scope.allows(r["kind"], r["village"])]


@router.get("/branches/{branch_id}", summary="一个党支部 (one branch)")
async def get_branch(
    branch_id: BranchPath, who: Reader, deps: PartyDeps, as_of: AsOf = None
) -> dict[str, Any]:
    scope_of(who).check(await deps.views.branch(branch_id))
    return branch_state(await deps.reader.get(Branch, branch_id, "党支部", as_of=as_of))


@router.get("/branches/{branch_id}/members", summary="支部党员 (the branch's members)")
async def branch_members(
    branch_id: BranchPath, who: Reader, deps: PartyDeps
) -> list[dict[str, Any]]:
    scope_of(who).check(await deps.views.branch(branch_id))
    return await deps.views.members(branch_id=branch_id)


@router.get("/branches/{branch_id}/training", summary="支部培训情况 (the branch's training)")
async def get_branch_training(
    branch_id: BranchPath,
    who: Reader,
    deps: PartyDeps,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    day = as_of or deps.today()
    return await branch_training(deps, branch_id, year or day.year, day, scope_of(who))


@router.post(
    "/branches/{branch_id}/secretary", summary="任命支部书记 (appoint the branch secretary)"
)
async def appoint_secretary(
    branch_id: BranchPath, body: SecretaryIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.AppointSecretary(branch_id, body.member_id, on, body.expected_version)
    return written(await handlers.appoint_secretary(deps, ctx, cmd))


async def _named_step(
    step: str, branch_id: str, body: NamedIn, request: Request, who: Any, deps: Any
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.Rectify(
        branch_id=branch_id,
        step=step,
        name=body.name,
        detail=body.detail,
        on=on,
        expected_version=body.expected_version,
    )
    return written(await handlers.rectify(deps, ctx, cmd))


@router.post(
    "/branches/{branch_id}/first-secretary", summary="选派第一书记 (send a first secretary)"
)
async def first_secretary(
    branch_id: BranchPath, body: NamedIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    """第一书记: `name` and `detail` = the sending unit (派出单位)."""
    return await _named_step("first_secretary", branch_id, body, request, who, deps)


@router.post("/branches/{branch_id}/linked-leader", summary="确定联点领导 (assign a linked leader)")
async def linked_leader(
    branch_id: BranchPath, body: NamedIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    """联点领导: `name` and `detail` = the leader's post."""
    return await _named_step("linked_leader", branch_id, body, request, who, deps)


@router.post(
    "/branches/{branch_id}/leader-visits",
    status_code=201,
    summary="联点领导到点指导 (record the linked leader's visit)",
)
async def leader_visit(
    branch_id: BranchPath, body: NamedIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    """联点领导到点指导: `name` = the leader, `detail` = what was done."""
    return await _named_step("leader_visit", branch_id, body, request, who, deps)


@router.post(
    "/branches/{branch_id}/household-visits", summary="走访农户进度 (record the households visited)"
)
async def household_visits(
    branch_id: BranchPath,
    body: HouseholdVisitsIn,
    request: Request,
    who: Writer,
    deps: PartyDeps,
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.Rectify(
        branch_id=branch_id,
        step="household_visits",
        households_total=body.households_total,
        households_visited=body.households_visited,
        on=on,
        expected_version=body.expected_version,
    )
    return written(await handlers.rectify(deps, ctx, cmd))
