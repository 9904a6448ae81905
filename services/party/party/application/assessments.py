"""Branch assessment (measure 5): open a period, score branches on the sheet, conclude — the
conclusion designates the bottom band weak and lax (软弱涣散) and lifts earlier designations
of branches now above it, in the same transaction."""

from __future__ import annotations

from party.application import commands as c
from party.application.dependencies import Deps
from party.domain.assessment import Assessment
from party.domain.branches import Branch
from party.domain.periods import period_key, period_year
from shared.kernel import check_version
from shared.pipeline import Done, Work


def assessment_stream(period: str) -> str:
    return f"assessment-{period}"


async def open_assessment(cmd: c.OpenAssessment, uow: Work[Deps]) -> Done:
    sheet = uow.deps.sheets.for_year(period_year(cmd.period))
    assessment = await uow.load(Assessment, assessment_stream(cmd.period))
    assessment.open(period=cmd.period, sheet=sheet, share=cmd.weak_share_percent, on=uow.day)
    return cmd.period, assessment


async def _assessment(uow: Work[Deps], period: str, expected_version: int | None) -> Assessment:
    assessment = await uow.get(Assessment, assessment_stream(period), "考核")
    check_version(assessment, expected_version)
    return assessment


async def score_branch(cmd: c.ScoreBranch, uow: Work[Deps]) -> Done:
    assessment = await _assessment(uow, cmd.period, cmd.expected_version)
    await uow.get(Branch, cmd.branch_id, "党支部")
    sheet = uow.deps.sheets.version(assessment.sheet_version)
    assessment.score(branch_id=cmd.branch_id, scores=cmd.items, sheet=sheet, on=uow.day)
    return cmd.period, assessment


async def conclude_assessment(cmd: c.ConcludeAssessment, uow: Work[Deps]) -> Done:
    """Rank, designate the bottom band weak and lax, lift designations no longer deserved —
    the branches' events are appended with the assessment's, in one transaction."""
    assessment = await _assessment(uow, cmd.period, cmd.expected_version)
    on = uow.day
    cut = assessment.conclude(on=on)
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
                on=on,
            )
        elif branch.current is not None and period_key(branch.current.period) < period_key(
            cmd.period
        ):
            branch.lift_designation(
                by_period=cmd.period, score=ranked.score, rank=ranked.rank, on=on
            )
    return cmd.period, assessment
