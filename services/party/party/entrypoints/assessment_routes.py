"""HTTP routes for the branch assessment and the weak-and-lax designation (measure 5)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from party.application import assessments as h
from party.application import commands as c
from party.domain.assessment import Assessment
from party.domain.periods import period_year
from party.entrypoints.access import PartyDeps, Reader, Today, TownReader, Writer
from party.entrypoints.presenters import assessment_state, sheet_state
from shared.command_routes import command

router = APIRouter(tags=["assessment 支部考核"])

PeriodPath = Annotated[str, Path(pattern=c.PERIOD)]

command(
    router,
    "/assessments",
    c.OpenAssessment,
    h.open_assessment,
    Writer,
    summary="开始考核 (open an assessment)",
    status_code=201,
)
command(
    router,
    "/assessments/{period}/scores",
    c.ScoreBranch,
    h.score_branch,
    Writer,
    summary="支部评分 (score a branch)",
)
command(
    router,
    "/assessments/{period}/conclude",
    c.ConcludeAssessment,
    h.conclude_assessment,
    Writer,
    summary="考核结束：排名、认定软弱涣散 (conclude: rank, designate weak and lax branches)",
)


@router.get("/assessments/{period}", summary="一次考核 (one assessment)")
async def get_assessment(period: PeriodPath, who: TownReader, deps: PartyDeps) -> dict[str, Any]:
    assessment = await deps.reader.get(Assessment, h.assessment_stream(period), "考核")
    return assessment_state(assessment)


@router.get(
    "/assessment-sheet", tags=["rules 规则"], summary="考核评分表 (the branch scoring sheet)"
)
async def get_sheet(
    who: Reader,
    deps: PartyDeps,
    today: Today,
    period: Annotated[str | None, Query(pattern=c.PERIOD)] = None,
) -> dict[str, Any]:
    year = period_year(period) if period else today.year
    return sheet_state(deps.sheets.for_year(year))
