"""The yearly performance appraisal (年度绩效考核) and review (述职评议, 保障措施 3): record the
review committee's scores, then conclude the year on the facts supervision counted (party's
table of `supervision.AppraisalFactsRecorded`) — the grades, the ranking and one
`InactionReferred` per subject referred to 为官不为整治, in the same transaction."""

from __future__ import annotations

from party.application import commands as c
from party.application.dependencies import Deps
from party.domain.appraisal import (
    BRANCH_SECRETARY,
    Appraisal,
    appraisal_stream,
    secretary_subject,
    unit_subject,
)
from party.domain.branches import Branch
from shared.kernel import check_version
from shared.pipeline import Done, Work


def appraisal_id(year: int) -> str:
    return str(year)


async def record_review_score(cmd: c.RecordReviewScore, uow: Work[Deps]) -> Done:
    if cmd.subject_kind == BRANCH_SECRETARY:
        branch = await uow.get(Branch, cmd.subject, "党支部")
        name, _village = secretary_subject(branch)
        subject = cmd.subject
    else:
        subject = name = unit_subject(cmd.subject, await uow.deps.facts.facts(cmd.year))
    appraisal = await uow.load(Appraisal, appraisal_stream(cmd.year))
    appraisal.record_score(
        year=cmd.year,
        subject_kind=cmd.subject_kind,
        subject=subject,
        subject_name=name,
        score=cmd.score,
        on=uow.day,
    )
    return appraisal_id(cmd.year), appraisal


async def conclude_appraisal(cmd: c.ConcludeAppraisal, uow: Work[Deps]) -> Done:
    """Grade and rank on the latest facts; refer the weakest (为官不为) in the same command."""
    appraisal = await uow.get(Appraisal, appraisal_stream(cmd.year), "年度绩效考核")
    check_version(appraisal, cmd.expected_version)
    villages: dict[str, str | None] = {}
    for kind, subject in appraisal.scores:
        if kind == BRANCH_SECRETARY:
            villages[subject] = (await uow.get(Branch, subject, "党支部")).village
    appraisal.conclude(
        year=cmd.year, facts=await uow.deps.facts.facts(cmd.year), villages=villages, on=uow.day
    )
    return appraisal_id(cmd.year), appraisal
