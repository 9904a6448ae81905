"""HTTP routes for training sessions and the measure-8 targets (党员教育培训)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from party.application import training as handlers
from party.application.members import new_id
from party.domain.training import TrainingSession
from party.entrypoints.access import (
    BranchWriter,
    PartyDeps,
    Reader,
    TownReader,
    context,
    scope_of,
    written,
)
from party.entrypoints.presenters import session_state
from party.entrypoints.schemas import SessionIn
from shared.business_dates import AsOf

router = APIRouter(tags=["training 教育培训"])

SessionPath = Annotated[str, Path(pattern=r"^training-[a-z0-9][a-z0-9-]{0,47}$")]


@router.post("/training-sessions", status_code=201, summary="记录培训 (record a training session)")
async def hold(
    body: SessionIn, request: Request, who: BranchWriter, deps: PartyDeps
) -> dict[str, Any]:
    """A session and its attendees; a branch secretary records their own branch's sessions."""
    ctx, _ = context(request, who, deps, body.held_on)
    cmd = handlers.HoldSession(
        session_id=body.session_id or new_id("training"),
        level=body.level,
        programme=body.programme,
        topic=body.topic,
        held_on=body.held_on,
        branch_id=body.branch_id,
        attendee_ids=tuple(body.attendee_ids),
    )
    return written(await handlers.hold_session(deps, ctx, cmd, scope_of(who)))


@router.get("/training-sessions/{session_id}", summary="一次培训 (one training session)")
async def get_session(session_id: SessionPath, who: Reader, deps: PartyDeps) -> dict[str, Any]:
    session = await deps.reader.get(TrainingSession, session_id, "培训")
    assert session.held is not None
    if session.held.branch_id is not None:
        scope_of(who).check(await deps.views.branch(session.held.branch_id))
    return session_state(session)


@router.get("/training/targets", summary="培训目标完成情况 (training against the plan's targets)")
async def targets(
    who: TownReader,
    deps: PartyDeps,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """The town against the plan's training targets (secretaries, members, degree
    education ≥ 16, entrepreneurship 50) for a year, as of a date."""
    day = as_of or deps.today()
    return await handlers.town_training(deps, year or day.year, day)
