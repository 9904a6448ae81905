"""Adjusting incompetent village cadres (measure 10): the four steps in order, the votes,
then review and re-appointment; every step out of order is refused."""

from collections.abc import Callable

import pytest
from party.domain.adjustments import CadreAdjustment
from party.domain.events import (
    CadreAdjustmentDecided,
    CadreAdjustmentNotified,
    CadreAppealLodged,
    CadreAppealReviewed,
    CadreInformationGathered,
    CadreInvestigationVoted,
    CadreReappointed,
    Vote,
)

from shared.kernel import AlreadyExists

from .given import day, then, then_refused

FOR = Vote(in_favour=7, against=2, abstaining=0)
SPLIT = Vote(in_favour=4, against=3, abstaining=1)  # 4 of 8: not more than half


def gather(case: CadreAdjustment) -> None:
    case.gather(
        cadre_name="赵某",
        post="村委会主任",
        village="石壁村",
        member_id=None,
        grounds=("长期不在岗",),
        summary="群众反映",
        on=day("2016-10-10"),
    )


def investigate(
    case: CadreAdjustment, committee: Vote = FOR, reps: Vote = FOR, on: str = "2016-10-20"
) -> None:
    case.investigate(committee=committee, representatives=reps, summary="调查属实", on=day(on))


def decide(case: CadreAdjustment, decision: str = "adjust", on: str = "2016-11-01") -> None:
    case.decide(decision=decision, summary="党委会议", on=day(on))


def notify(case: CadreAdjustment, on: str = "2016-11-05") -> None:
    case.notify(talked_by="组织委员 陈芳", summary="通报并谈话", on=day(on))


def appeal(case: CadreAdjustment, on: str = "2016-11-20") -> None:
    case.lodge_appeal(grounds="认为情况不实", on=day(on))


def review(case: CadreAdjustment, result: str = "upheld", on: str = "2016-12-10") -> None:
    case.review_appeal(result=result, summary="复核", on=day(on))


def reappoint(case: CadreAdjustment, on: str = "2017-06-01") -> None:
    case.reappoint(post="村委委员", on=day(on))


def case_at(*steps: Callable[[CadreAdjustment], None]) -> CadreAdjustment:
    case = CadreAdjustment("adjustment-1")
    for step in steps:
        step(case)
    then(case)
    return case


def test_the_four_steps_then_review_and_reappointment_in_order() -> None:
    case = CadreAdjustment("adjustment-1")
    for step in (gather, investigate, decide, notify, appeal, review, reappoint):
        step(case)
    assert [type(e) for e in then(case)] == [
        CadreInformationGathered,
        CadreInvestigationVoted,
        CadreAdjustmentDecided,
        CadreAdjustmentNotified,
        CadreAppealLodged,
        CadreAppealReviewed,
        CadreReappointed,
    ]
    assert case.step == "reappointed"


@pytest.mark.parametrize(
    ("done", "step"),
    [
        ((), investigate),
        ((gather,), decide),
        ((gather,), notify),
        ((gather, investigate), notify),
        ((gather, investigate), appeal),
        ((gather, investigate, decide), appeal),
        ((gather, investigate, decide, notify), review),
        ((gather, investigate, decide), reappoint),
        ((gather, investigate, decide, notify, appeal), reappoint),
        ((gather, investigate, decide, notify, appeal, review), appeal),
    ],
)
def test_a_step_out_of_order_is_refused(
    done: tuple[Callable[[CadreAdjustment], None], ...], step: Callable[[CadreAdjustment], None]
) -> None:
    case = case_at(*done)
    then_refused(lambda: step(case), "out of order|不存在|one review only")


def test_a_case_opens_once_and_needs_grounds() -> None:
    case = case_at(gather)
    then_refused(lambda: gather(case), "已存在", AlreadyExists)
    then_refused(
        lambda: CadreAdjustment("adjustment-2").gather(
            cadre_name="x",
            post="x",
            village="石壁村",
            member_id=None,
            grounds=(" ",),
            summary="x",
            on=day("2016-10-10"),
        ),
        "情形",
    )


def test_adjusting_needs_a_majority_in_both_meetings() -> None:
    then_refused(
        lambda: decide(case_at(gather, lambda c: investigate(c, committee=SPLIT))), "过半数"
    )
    then_refused(lambda: decide(case_at(gather, lambda c: investigate(c, reps=SPLIT))), "过半数")


def test_keeping_the_cadre_ends_the_case() -> None:
    case = case_at(gather, lambda c: investigate(c, committee=SPLIT))
    decide(case, "keep")
    then(case)
    assert case.step == "kept"
    then_refused(lambda: notify(case), "out of order")


def test_a_vote_without_ballots_is_refused() -> None:
    then_refused(
        lambda: investigate(case_at(gather), committee=Vote(in_favour=0, against=0, abstaining=0)),
        "表决票数",
    )


def test_a_step_dated_before_the_previous_one_is_refused() -> None:
    then_refused(lambda: investigate(case_at(gather), on="2016-10-09"), "早于上一步骤")


def test_after_an_overturned_review_there_is_no_reappointment() -> None:
    case = case_at(gather, investigate, decide, notify, appeal, lambda c: review(c, "overturned"))
    assert case.step == "overturned"
    then_refused(lambda: reappoint(case), "out of order")


def test_reappointment_without_an_appeal_follows_the_notice() -> None:
    case = case_at(gather, investigate, decide, notify)
    reappoint(case)
    assert isinstance(then(case)[0], CadreReappointed)
