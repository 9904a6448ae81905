"""HTTP routes for adjusting incompetent village cadres (measure 10) and for the
accountability deductions received from supervision."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path

from party.application import adjustments as h
from party.application import commands as c
from party.domain.accountability import AccountabilityCase, accountability_stream
from party.domain.adjustments import CadreAdjustment
from party.domain.events import AccountabilityMatched
from party.entrypoints.access import AccountabilityReader, PartyDeps, TownReader, Writer
from party.entrypoints.presenters import adjustment_state
from shared.command_routes import command

router = APIRouter(tags=["cadre adjustment 调整不胜任村干部"])

AdjustmentPath = Annotated[str, Path(pattern=c.ADJUSTMENT_ID)]

command(
    router,
    "/cadre-adjustments",
    c.GatherInformation,
    h.gather_information,
    Writer,
    summary="① 信息搜集 (gather information: the case opens)",
    status_code=201,
)
command(
    router,
    "/cadre-adjustments/{adjustment_id}/investigation",
    c.InvestigateCadre,
    h.investigate,
    Writer,
    summary="② 调查核实、表决 (investigate and vote)",
)
command(
    router,
    "/cadre-adjustments/{adjustment_id}/decision",
    c.DecideAdjustment,
    h.decide,
    Writer,
    summary="③ 党委会议作出调整决定 (the party committee decides)",
)
command(
    router,
    "/cadre-adjustments/{adjustment_id}/notice",
    c.NotifyCadre,
    h.notify,
    Writer,
    summary="④ 通报情况并谈话 (notify the village, talk to the cadre)",
)
command(
    router,
    "/cadre-adjustments/{adjustment_id}/appeal",
    c.LodgeAppeal,
    h.appeal,
    Writer,
    summary="复核申诉 (lodge an appeal)",
)
command(
    router,
    "/cadre-adjustments/{adjustment_id}/review",
    c.ReviewAppeal,
    h.review,
    Writer,
    summary="复核结果 (review the appeal)",
)
command(
    router,
    "/cadre-adjustments/{adjustment_id}/reappointment",
    c.ReappointCadre,
    h.reappoint,
    Writer,
    summary="重新任用 (reappoint)",
)


@router.get("/cadre-adjustments", summary="调整不胜任村干部台账 (cadre adjustment cases)")
async def list_adjustments(who: TownReader, deps: PartyDeps) -> list[dict[str, Any]]:
    return await deps.queries.adjustments()


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
    return await deps.queries.accountability(matched=matched)


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
