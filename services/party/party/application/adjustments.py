"""Adjusting incompetent village cadres (measure 10, 调整不胜任现职村干部): one command per step
of the case."""

from __future__ import annotations

from party.application import commands as c
from party.application.dependencies import Deps, new_id, village_ref
from party.domain.adjustments import CadreAdjustment
from party.domain.members import Member
from shared.kernel import check_version
from shared.pipeline import Done, Work


async def gather_information(cmd: c.GatherInformation, uow: Work[Deps]) -> Done:
    """① 信息搜集: the case opens."""
    village = village_ref(uow.town, cmd.village)
    if cmd.member_id is not None:
        await uow.get(Member, cmd.member_id, "党员")
    adjustment_id = cmd.adjustment_id or new_id("adjustment")
    case = await uow.load(CadreAdjustment, adjustment_id)
    case.gather(
        cadre_name=cmd.cadre_name,
        post=cmd.post,
        village=village.name,
        member_id=cmd.member_id,
        grounds=tuple(cmd.grounds),
        summary=cmd.summary,
        on=uow.day,
    )
    return adjustment_id, case


async def _case(
    uow: Work[Deps], adjustment_id: str, expected_version: int | None
) -> CadreAdjustment:
    case = await uow.get(CadreAdjustment, adjustment_id, "调整案")
    check_version(case, expected_version)
    return case


async def investigate(cmd: c.InvestigateCadre, uow: Work[Deps]) -> Done:
    """② 调查核实，支村两委会和村民代表大会表决."""
    case = await _case(uow, cmd.adjustment_id, cmd.expected_version)
    case.investigate(
        committee=cmd.committee.vote(),
        representatives=cmd.representatives.vote(),
        summary=cmd.summary,
        on=uow.day,
    )
    return cmd.adjustment_id, case


async def decide(cmd: c.DecideAdjustment, uow: Work[Deps]) -> Done:
    """③ 党委会议作出调整决定."""
    case = await _case(uow, cmd.adjustment_id, cmd.expected_version)
    case.decide(decision=cmd.decision, summary=cmd.summary, on=uow.day)
    return cmd.adjustment_id, case


async def notify(cmd: c.NotifyCadre, uow: Work[Deps]) -> Done:
    """④ 向有关村通报情况并与被调整村干部谈话."""
    case = await _case(uow, cmd.adjustment_id, cmd.expected_version)
    case.notify(talked_by=cmd.talked_by, summary=cmd.summary, on=uow.day)
    return cmd.adjustment_id, case


async def appeal(cmd: c.LodgeAppeal, uow: Work[Deps]) -> Done:
    """复核申诉."""
    case = await _case(uow, cmd.adjustment_id, cmd.expected_version)
    case.lodge_appeal(grounds=cmd.grounds, on=uow.day)
    return cmd.adjustment_id, case


async def review(cmd: c.ReviewAppeal, uow: Work[Deps]) -> Done:
    """复核结果: upheld or overturned."""
    case = await _case(uow, cmd.adjustment_id, cmd.expected_version)
    case.review_appeal(result=cmd.result, summary=cmd.summary, on=uow.day)
    return cmd.adjustment_id, case


async def reappoint(cmd: c.ReappointCadre, uow: Work[Deps]) -> Done:
    """重新任用."""
    case = await _case(uow, cmd.adjustment_id, cmd.expected_version)
    case.reappoint(post=cmd.post, on=uow.day)
    return cmd.adjustment_id, case
