"""HTTP routes for training sessions and the measure-8 targets (党员教育培训)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from party.application import commands as c
from party.application import training as h
from party.application.dependencies import check_branch
from party.domain.training import TrainingSession
from party.entrypoints.access import BranchWriter, PartyDeps, Reader, Today, TownReader
from party.entrypoints.presenters import session_state
from shared.business_dates import AsOf
from shared.command_routes import command
from shared.pipeline import Scope

router = APIRouter(tags=["training 教育培训"])

SessionPath = Annotated[str, Path(pattern=c.SESSION_ID)]

command(
    router,
    "/training-sessions",
    c.HoldSession,
    h.hold_session,
    BranchWriter,
    summary="记录培训 (record a training session)",
    status_code=201,
)


@router.get("/training-sessions/{session_id}", summary="一次培训 (one training session)")
async def get_session(session_id: SessionPath, who: Reader, deps: PartyDeps) -> dict[str, Any]:
    session = await deps.reader.get(TrainingSession, session_id, "培训")
    assert session.held is not None
    if session.held.branch_id is not None:
        check_branch(Scope.of(who), await deps.queries.branch(session.held.branch_id))
    return session_state(session)


@router.get("/training/targets", summary="培训目标完成情况 (training against the plan's targets)")
async def targets(
    who: TownReader,
    deps: PartyDeps,
    today: Today,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    as_of: AsOf = None,
) -> dict[str, Any]:
    """The town against the plan's training targets (secretaries, members, degree
    education ≥ 16, entrepreneurship 50) for a year, as of a date."""
    day = as_of or today
    return await h.town_training(deps, year or day.year, day)
