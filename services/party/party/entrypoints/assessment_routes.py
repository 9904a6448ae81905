"""HTTP routes for the branch assessment and the weak-and-lax designation (measure 5)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from party.application import assessments as handlers
from party.domain.assessment import Assessment, ScoringSheet
from party.domain.periods import period_year
from party.entrypoints.access import PartyDeps, Reader, TownReader, Writer, context, written
from party.entrypoints.presenters import assessment_state
from party.entrypoints.schemas import AssessmentIn, ScoreIn, VersionedIn

router = APIRouter(tags=["assessment 支部考核"])

PeriodPath = Annotated[str, Path(pattern=r"^\d{4}(-H[12])?$")]


@router.post("/assessments", status_code=201, summary="开始考核 (open an assessment)")
async def open_assessment(
    body: AssessmentIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.OpenAssessment(body.period, body.weak_share_percent, on)
    return written(await handlers.open_assessment(deps, ctx, cmd))


@router.post("/assessments/{period}/scores", summary="支部评分 (score a branch)")
async def score(
    period: PeriodPath, body: ScoreIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.ScoreBranch(period, body.branch_id, body.items, on, body.expected_version)
    return written(await handlers.score_branch(deps, ctx, cmd))


@router.post(
    "/assessments/{period}/conclude",
    summary="考核结束：排名、认定软弱涣散 (conclude: rank, designate weak and lax branches)",
)
async def conclude(
    period: PeriodPath, body: VersionedIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    """Rank, designate the bottom band weak and lax, lift designations no longer deserved."""
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.ConcludeAssessment(period, on, body.expected_version)
    return written(await handlers.conclude_assessment(deps, ctx, cmd))


@router.get("/assessments/{period}", summary="一次考核 (one assessment)")
async def get_assessment(period: PeriodPath, who: TownReader, deps: PartyDeps) -> dict[str, Any]:
    assessment = await deps.reader.get(Assessment, handlers.assessment_stream(period), "考核")
    return assessment_state(assessment)


def sheet_state(sheet: ScoringSheet) -> dict[str, Any]:
    return {
        "version": sheet.version,
        "effective_year": sheet.effective_year,
        "items": [
            {"code": i.code, "name": i.name, "max_score": i.max_score, "weight": i.weight}
            for i in sheet.items
        ],
    }


@router.get(
    "/assessment-sheet", tags=["rules 规则"], summary="考核评分表 (the branch scoring sheet)"
)
async def get_sheet(
    who: Reader,
    deps: PartyDeps,
    period: Annotated[str | None, Query(pattern=r"^\d{4}(-H[12])?$")] = None,
) -> dict[str, Any]:
    year = period_year(period) if period else deps.today().year
    return sheet_state(deps.sheets.for_year(year))
