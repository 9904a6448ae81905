"""HTTP routes for the yearly performance appraisal and review (年度绩效考核, 述职评议, 保障措施 3).

The organisation committee member records the review scores and concludes the year; the town's
leaders and the auditor read everything, a branch secretary only his own branch's score and
result (and his village's facts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path

from party.application import appraisals as h
from party.application import commands as c
from party.application.dependencies import branch_village
from party.domain.appraisal import BRANCH_SECRETARY, FACTS_VILLAGE, Appraisal, appraisal_stream
from party.entrypoints.access import AppraisalReader, PartyDeps, Writer
from party.entrypoints.presenters import appraisal_state, facts_state
from shared.business_dates import AsOf
from shared.command_routes import command
from shared.kernel import NotFound
from shared.pipeline import Scope

router = APIRouter(tags=["appraisal 年度绩效考核"])

YearPath = Annotated[int, Path(ge=2000, le=2100, description="考核年度")]

command(
    router,
    "/appraisals/{year}/scores",
    c.RecordReviewScore,
    h.record_review_score,
    Writer,
    summary="述职评议评分 (record a review score)",
)
command(
    router,
    "/appraisals/{year}/conclude",
    c.ConcludeAppraisal,
    h.conclude_appraisal,
    Writer,
    summary="年度绩效考核结束：评定等次、排名、移交为官不为 (conclude the yearly appraisal)",
)

Shown = Callable[[str, str], bool]


def _all(kind: str, subject: str) -> bool:
    return True


async def _own_branches(deps: PartyDeps, scope: Scope) -> set[str]:
    """The branches whose secretary the caller is (his village's own branch)."""
    rows = await deps.queries.branches(village=scope.village)
    return {str(r["branch_id"]) for r in rows if branch_village(str(r["kind"]), r["village"])}


@router.get("/appraisals/{year}", summary="一年的绩效考核 (the year's appraisal)")
async def get_appraisal(
    year: YearPath, who: AppraisalReader, deps: PartyDeps, as_of: AsOf = None
) -> dict[str, Any]:
    appraisal = await deps.reader.get(
        Appraisal, appraisal_stream(year), "年度绩效考核", as_of=as_of
    )
    scope = Scope.of(who)
    shown: Shown = _all
    if scope.limited:
        own = await _own_branches(deps, scope)

        def shown(kind: str, subject: str) -> bool:
            return kind == BRANCH_SECRETARY and subject in own

    return appraisal_state(appraisal, shown)


@router.get(
    "/appraisals/{year}/facts",
    summary="督查方统计的考核事实 (the appraisal facts supervision counted)",
)
async def get_facts(year: YearPath, who: AppraisalReader, deps: PartyDeps) -> dict[str, Any]:
    facts = await deps.facts.facts(year)
    if facts is None:
        raise NotFound(f"尚无 {year} 年度考核事实 (no appraisal facts for the year yet)")
    scope = Scope.of(who)
    shown: Shown = _all
    if scope.limited:

        def shown(kind: str, unit: str) -> bool:
            return kind == FACTS_VILLAGE and unit == scope.village

    return facts_state(facts, shown)
