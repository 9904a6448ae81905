"""HTTP routes for adjusting incompetent village cadres (measure 10) and for the
accountability deductions received from supervision."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from party.application import adjustments as handlers
from party.application.members import new_id
from party.domain.accountability import AccountabilityCase, accountability_stream
from party.domain.adjustments import CadreAdjustment
from party.domain.events import AccountabilityMatched, Vote
from party.entrypoints.access import (
    AccountabilityReader,
    PartyDeps,
    TownReader,
    Writer,
    context,
    written,
)
from party.entrypoints.presenters import adjustment_state
from party.entrypoints.schemas import (
    AdjustmentDecisionIn,
    AdjustmentIn,
    AppealIn,
    InvestigationIn,
    NoticeIn,
    ReappointIn,
    ReviewIn,
    VersionedIn,
)

router = APIRouter(tags=["cadre adjustment 调整不胜任村干部"])

AdjustmentPath = Annotated[str, Path(pattern=r"^adjustment-[a-z0-9][a-z0-9-]{0,47}$")]


@router.post(
    "/cadre-adjustments", status_code=201, summary="① 信息搜集 (gather information: the case opens)"
)
async def gather(
    body: AdjustmentIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    """① 信息搜集: the case opens."""
    ctx, on = context(request, who, deps, body.occurred_on)
    cmd = handlers.GatherInformation(
        adjustment_id=body.adjustment_id or new_id("adjustment"),
        cadre_name=body.cadre_name,
        post=body.post,
        village=body.village,
        member_id=body.member_id,
        grounds=tuple(body.grounds),
        summary=body.summary,
        on=on,
    )
    return written(await handlers.gather_information(deps, ctx, cmd))


async def _step(
    adjustment_id: str,
    step: str,
    body: VersionedIn,
    request: Request,
    who: Any,
    deps: Any,
    value: str = "",
    summary: str = "",
) -> dict[str, Any]:
    ctx, on = context(request, who, deps, body.occurred_on)
    committee = representatives = None
    if isinstance(body, InvestigationIn):
        committee = Vote(**body.committee.model_dump())
        representatives = Vote(**body.representatives.model_dump())
        summary = body.summary
    cmd = handlers.AdjustmentStep(
        adjustment_id=adjustment_id,
        step=step,
        value=value,
        summary=summary,
        committee=committee,
        representatives=representatives,
        on=on,
        expected_version=body.expected_version,
    )
    return written(await handlers.adjustment_step(deps, ctx, cmd))


@router.post(
    "/cadre-adjustments/{adjustment_id}/investigation",
    summary="② 调查核实、表决 (investigate and vote)",
)
async def investigate(
    adjustment_id: AdjustmentPath,
    body: InvestigationIn,
    request: Request,
    who: Writer,
    deps: PartyDeps,
) -> dict[str, Any]:
    """② 调查核实，支村两委会和村民代表大会表决."""
    return await _step(adjustment_id, "investigation", body, request, who, deps)


@router.post(
    "/cadre-adjustments/{adjustment_id}/decision",
    summary="③ 党委会议作出调整决定 (the party committee decides)",
)
async def decide(
    adjustment_id: AdjustmentPath,
    body: AdjustmentDecisionIn,
    request: Request,
    who: Writer,
    deps: PartyDeps,
) -> dict[str, Any]:
    """③ 党委会议作出调整决定."""
    return await _step(
        adjustment_id, "decision", body, request, who, deps, body.decision, body.summary
    )


@router.post(
    "/cadre-adjustments/{adjustment_id}/notice",
    summary="④ 通报情况并谈话 (notify the village, talk to the cadre)",
)
async def notify(
    adjustment_id: AdjustmentPath, body: NoticeIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    """④ 向有关村通报情况并与被调整村干部谈话."""
    return await _step(
        adjustment_id, "notice", body, request, who, deps, body.talked_by, body.summary
    )


@router.post("/cadre-adjustments/{adjustment_id}/appeal", summary="复核申诉 (lodge an appeal)")
async def appeal(
    adjustment_id: AdjustmentPath, body: AppealIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    """复核申诉."""
    return await _step(adjustment_id, "appeal", body, request, who, deps, body.grounds)


@router.post("/cadre-adjustments/{adjustment_id}/review", summary="复核结果 (review the appeal)")
async def review(
    adjustment_id: AdjustmentPath, body: ReviewIn, request: Request, who: Writer, deps: PartyDeps
) -> dict[str, Any]:
    """复核结果: upheld or overturned."""
    return await _step(adjustment_id, "review", body, request, who, deps, body.result, body.summary)


@router.post("/cadre-adjustments/{adjustment_id}/reappointment", summary="重新任用 (reappoint)")
async def reappoint(
    adjustment_id: AdjustmentPath,
    body: ReappointIn,
    request: Request,
    who: Writer,
    deps: PartyDeps,
) -> dict[str, Any]:
    """重新任用."""
    return await _step(adjustment_id, "reappointment", body, request, who, deps, body.post)


@router.get("/cadre-adjustments", summary="调整不胜任村干部台账 (cadre adjustment cases)")
async def list_adjustments(who: TownReader, deps: PartyDeps) -> list[dict[str, Any]]:
    return await deps.views.adjustments()


@router.get("/cadre-adjustments/{adjustment_id}", summary="一件调整案 (one adjustment case)")
async def get_adjustment(
    adjustment_id: AdjustmentPath, who: TownReader, deps: PartyDeps
) -> dict[str, Any]:
    return adjustment_state(await deps.reader.get(CadreAdjustment, adjustment_id, "调整案"))


@router.get(
    "/accountability",
    tags=["accountability 问责扣分"],
    summary="问责扣分 (accountability deductions from supervision)",
)
async def list_accountability(
    who: AccountabilityReader, deps: PartyDeps, matched: bool | None = None
) -> list[dict[str, Any]]:
    """Accountability decisions received from supervision: deducted, or why not."""
    return await deps.views.accountability(matched=matched)


@router.get(
    "/accountability/{case_id}",
    tags=["accountability 问责扣分"],
    summary="一件问责扣分 (one accountability case)",
)
async def get_accountability(
    case_id: Annotated[str, Path(min_length=1, max_length=100)],
    who: AccountabilityReader,
    deps: PartyDeps,
) -> dict[str, Any]:
    case = await deps.reader.get(AccountabilityCase, accountability_stream(case_id), "问责")
    assert case.outcome is not None
    return {
        "case_id": case_id,
        "matched": isinstance(case.outcome, AccountabilityMatched),
        "outcome": asdict(case.outcome),
        "version": case.version,
    }
