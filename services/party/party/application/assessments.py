"""Branch assessment (measure 5): open a period, score branches on the sheet, conclude — the
conclusion designates the bottom band weak and lax (软弱涣散) and lifts earlier designations
of branches now above it, in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from party.application.dependencies import Deps, Written
from party.domain.assessment import Assessment
from party.domain.branches import Branch
from party.domain.periods import period_key, period_year
from shared.eventstore import CommandContext
from shared.kernel import check_version
from shared.unit_of_work import UnitOfWork


def assessment_stream(period: str) -> str:
    return f"assessment-{period}"


@dataclass(frozen=True, slots=True)
class OpenAssessment:
    period: str
    weak_share_percent: Decimal
    on: dt.date


@dataclass(frozen=True, slots=True)
class ScoreBranch:
    period: str
    branch_id: str
    items: Mapping[str, Decimal]
    on: dt.date
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class ConcludeAssessment:
    period: str
    on: dt.date
    expected_version: int | None = None


async def open_assessment(deps: Deps, ctx: CommandContext, cmd: OpenAssessment) -> Written:
    sheet = deps.sheets.for_year(period_year(cmd.period))
    async with UnitOfWork(deps.store, ctx) as uow:
        assessment = await uow.load(Assessment, assessment_stream(cmd.period))
        assessment.open(period=cmd.period, sheet=sheet, share=cmd.weak_share_percent, on=cmd.on)
        await uow.commit()
    return Written(cmd.period, assessment.version)


async def score_branch(deps: Deps, ctx: CommandContext, cmd: ScoreBranch) -> Written:
    async with UnitOfWork(deps.store, ctx) as uow:
        assessment = await uow.get(Assessment, assessment_stream(cmd.period), "考核")
        check_version(assessment, cmd.expected_version)
        await uow.get(Branch, cmd.branch_id, "党支部")
        sheet = deps.sheets.version(assessment.sheet_version)
        assessment.score(branch_id=cmd.branch_id, scores=cmd.items, sheet=sheet, on=cmd.on)
        await uow.commit()
    return Written(cmd.period, assessment.version)


async def conclude_assessment(deps: Deps, ctx: CommandContext, cmd: ConcludeAssessment) -> Written:
    async with UnitOfWork(deps.store, ctx) as uow:
        assessment = await uow.get(Assessment, assessment_stream(cmd.period), "考核")
        check_version(assessment, cmd.expected_version)
        cut = assessment.conclude(on=cmd.on)
        designated = set(cut.designated)
        for ranked in cut.ranking:
            branch = await uow.get(Branch, ranked.branch_id, "党支部")
            if ranked.branch_id in designated:
                branch.designate_weak(
                    period=cmd.period,
                    score=ranked.score,
                    rank=ranked.rank,
                    assessed=len(cut.ranking),
                    share=assessment.share,
                    on=cmd.on,
                )
            elif branch.current is not None and period_key(branch.current.period) < period_key(
                cmd.period
            ):
                branch.lift_designation(
                    by_period=cmd.period, score=ranked.score, rank=ranked.rank, on=cmd.on
                )
        await uow.commit()
    return Written(cmd.period, assessment.version)
