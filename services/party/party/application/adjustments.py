"""Adjusting incompetent village cadres (measure 10): one command per step of the case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from party.application.dependencies import Deps, Written
from party.domain.adjustments import CadreAdjustment
from party.domain.events import Vote
from party.domain.members import Member
from shared.eventstore import CommandContext
from shared.kernel import check_version
from shared.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class GatherInformation:
    adjustment_id: str
    cadre_name: str
    post: str
    village: str
    member_id: str | None
    grounds: tuple[str, ...]
    summary: str
    on: dt.date


@dataclass(frozen=True, slots=True)
class AdjustmentStep:
    """A later step: `investigation` (votes, summary), `decision` (value: adjust/keep),
    `notice` (value: who talked), `appeal` (value: grounds), `review` (value: upheld or
    overturned) or `reappointment` (value: the post)."""

    adjustment_id: str
    step: str
    value: str = ""
    summary: str = ""
    committee: Vote | None = None
    representatives: Vote | None = None
    on: dt.date = dt.date.min
    expected_version: int | None = None


async def gather_information(deps: Deps, ctx: CommandContext, cmd: GatherInformation) -> Written:
    village = deps.village(cmd.village)
    async with UnitOfWork(deps.store, ctx) as uow:
        if cmd.member_id is not None:
            await uow.get(Member, cmd.member_id, "党员")
        case = await uow.load(CadreAdjustment, cmd.adjustment_id)
        case.gather(
            cadre_name=cmd.cadre_name,
            post=cmd.post,
            village=village.name,
            member_id=cmd.member_id,
            grounds=cmd.grounds,
            summary=cmd.summary,
            on=cmd.on,
        )
        await uow.commit()
    return Written(cmd.adjustment_id, case.version)


async def adjustment_step(deps: Deps, ctx: CommandContext, cmd: AdjustmentStep) -> Written:
    async with UnitOfWork(deps.store, ctx) as uow:
        case = await uow.get(CadreAdjustment, cmd.adjustment_id, "调整案")
        check_version(case, cmd.expected_version)
        on = cmd.on
        match cmd.step:
            case "investigation":
                assert cmd.committee is not None and cmd.representatives is not None
                case.investigate(
                    committee=cmd.committee,
                    representatives=cmd.representatives,
                    summary=cmd.summary,
                    on=on,
                )
            case "decision":
                case.decide(decision=cmd.value, summary=cmd.summary, on=on)
            case "notice":
                case.notify(talked_by=cmd.value, summary=cmd.summary, on=on)
            case "appeal":
                case.lodge_appeal(grounds=cmd.value, on=on)
            case "review":
                case.review_appeal(result=cmd.value, summary=cmd.summary, on=on)
            case "reappointment":
                case.reappoint(post=cmd.value, on=on)
            case _:
                raise ValueError(f"unknown step {cmd.step}")
        await uow.commit()
    return Written(cmd.adjustment_id, case.version)
