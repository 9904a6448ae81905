"""The yearly appraisal's handlers through the shared pipeline, on a memory store: review
scores of lead units and branch secretaries, the conclusion on party's table of the facts with
the referrals in the same command, and its refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from party.application import appraisals
from party.application import commands as c
from party.domain.appraisal import AppraisalFacts, UnitFacts
from party.domain.events import (
    AppraisalConcluded,
    BranchSecretaryAppointed,
    InactionReferred,
    ReviewScoreRecorded,
)

from shared.kernel import NotFound, Refused

from .given import Party, established

SCORED_ON = dt.date(2017, 1, 12)
CONCLUDED_ON = dt.date(2017, 1, 20)


def unit(name: str, kind: str = "unit", overdue: int = 0) -> UnitFacts:
    return UnitFacts(
        unit=name,
        kind=kind,
        measures_total=1 if kind == "unit" else 0,
        measures_done=1 if kind == "unit" else 0,
        items_total=4,
        items_overdue=overdue,
    )


FACTS = AppraisalFacts(
    year=2016,
    as_of=dt.date(2016, 12, 31),
    units=(unit("扶贫办", overdue=2), unit("卫生院"), unit("石壁村", "village")),
)


@pytest.fixture
def party() -> Party:
    party = Party()
    party.given(
        "branch-shibi",
        established("branch-shibi", "village", "石壁村"),
        BranchSecretaryAppointed(
            branch_id="branch-shibi",
            member_id="member-0001",
            name="黄军",
            appointed_on=dt.date(2016, 1, 6),
        ),
    )
    party.given("branch-jinxia", established("branch-jinxia", "village", "金霞村"))
    return party


def score(subject: str, value: str, kind: str = "unit") -> c.RecordReviewScore:
    return c.RecordReviewScore(
        year=2016, subject_kind=kind, subject=subject, score=Decimal(value), occurred_on=SCORED_ON
    )


async def test_scores_then_the_conclusion_refers_the_unit_with_overdue_items(party: Party) -> None:
    party.facts.given(FACTS)
    for cmd in (
        score("扶贫办", "85"),
        score("卫生院", "85"),
        score("branch-shibi", "80", "branch_secretary"),
    ):
        await party.when(appraisals.record_review_score, cmd)
    secretary = party.then("appraisal-2016")[2]
    assert isinstance(secretary, ReviewScoreRecorded)
    assert (secretary.subject, secretary.subject_name) == (
        "branch-shibi",
        "黄军（石壁村党支部书记）",
    )

    written = await party.when(
        appraisals.conclude_appraisal, c.ConcludeAppraisal(year=2016, occurred_on=CONCLUDED_ON)
    )
    assert [e.type for e in written.events] == [
        "party.AppraisalConcluded",
        "party.InactionReferred",
    ]
    assert (written.id, written.stream_id) == ("2016", "appraisal-2016")
    concluded, referred = party.then("appraisal-2016")[3:]
    assert isinstance(concluded, AppraisalConcluded) and concluded.concluded_on == CONCLUDED_ON
    assert [r.subject for r in concluded.results] == ["卫生院", "branch-shibi", "扶贫办"]
    assert isinstance(referred, InactionReferred) and referred.subject == "扶贫办"


async def test_a_branch_secretary_needs_a_village_branch_with_a_secretary(party: Party) -> None:
    with pytest.raises(Refused, match="尚未任命书记"):
        await party.when(
            appraisals.record_review_score, score("branch-jinxia", "80", "branch_secretary")
        )
    with pytest.raises(NotFound):
        await party.when(
            appraisals.record_review_score, score("branch-none", "80", "branch_secretary")
        )
    assert party.then("appraisal-2016") == []


async def test_a_unit_unknown_to_the_years_facts_is_refused(party: Party) -> None:
    await party.when(appraisals.record_review_score, score("扶贫办公室", "80"))  # no facts yet
    party.facts.given(FACTS)
    with pytest.raises(Refused, match="没有单位 扶贫办公室"):
        await party.when(appraisals.record_review_score, score("扶贫办公室", "80"))


async def test_a_conclusion_without_facts_or_scores_is_refused(party: Party) -> None:
    conclude = c.ConcludeAppraisal(year=2016, occurred_on=CONCLUDED_ON)
    with pytest.raises(NotFound):
        await party.when(appraisals.conclude_appraisal, conclude)  # nothing reviewed yet
    await party.when(appraisals.record_review_score, score("扶贫办", "85"))
    with pytest.raises(Refused, match="考核事实"):
        await party.when(appraisals.conclude_appraisal, conclude)
    party.facts.given(FACTS)
    with pytest.raises(Refused, match="尚无述职评议得分: 卫生院"):
        await party.when(appraisals.conclude_appraisal, conclude)
    assert len(party.then("appraisal-2016")) == 1


async def test_a_second_conclusion_of_the_year_is_refused(party: Party) -> None:
    party.facts.given(FACTS)
    await party.when(appraisals.record_review_score, score("扶贫办", "85"))
    await party.when(appraisals.record_review_score, score("卫生院", "85"))
    conclude = c.ConcludeAppraisal(year=2016, occurred_on=CONCLUDED_ON)
    await party.when(appraisals.conclude_appraisal, conclude)
    with pytest.raises(Refused, match="已结束"):
        await party.when(appraisals.conclude_appraisal, conclude)
    with pytest.raises(Refused, match="已结束"):
        await party.when(appraisals.record_review_score, score("扶贫办", "95"))
    assert len(party.then("appraisal-2016")) == 4
