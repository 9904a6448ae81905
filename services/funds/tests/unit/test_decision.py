"""四议两公开: 村党组织提议 → 两委会议商议 → 党员大会审议 → 村民代表会议决议 → 决议公开 → 实施结果
公开 — every step, and every refusal: out of order, without quorum, a second resolution, a
disclosure before the resolution, a result before the act; a failed vote ends the decision;
a result not disclosed within 90 days of the resolution's disclosure is overdue."""

import datetime as dt
from decimal import Decimal

import pytest
from funds.domain import events as ev
from funds.domain.decision import (
    RESULT_DISCLOSURE_DAYS,
    CollectiveProject,
    VillageDecision,
    attendance_needed,
)
from funds.domain.values import DecisionKind, DecisionStatus, Step

from shared.kernel import AlreadyExists, Refused

from .decisions import RESOLUTION_DISCLOSED_ON, VILLAGE, given_decision, meeting, proposed
from .scenario import settle

D = dt.date


def test_the_party_organisation_proposes_once() -> None:
    decision = given_decision("proposed")
    assert decision.status is DecisionStatus.PROPOSED and decision.steps == ("proposed",)
    with pytest.raises(AlreadyExists):
        decision.propose(proposed())


def test_a_proposal_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(Refused, match="类别无效"):
        VillageDecision("decision-d-1").propose(proposed(kind="banquet"))


@pytest.mark.parametrize(
    ("reached", "step", "status"),
    [
        ("proposed", "consulted", DecisionStatus.CONSULTED),
        ("consulted", "reviewed", DecisionStatus.REVIEWED),
        ("reviewed", "resolved", DecisionStatus.RESOLVED),
    ],
)
def test_each_meeting_in_turn_moves_the_decision_on(
    reached: str, step: str, status: DecisionStatus
) -> None:
    decision = given_decision(reached)
    held = decision.hold_meeting(**meeting(step))
    assert held.passed and held.step == step and decision.status is status
    assert decision.steps[-1] == step


@pytest.mark.parametrize(
    ("reached", "step"),
    [("proposed", "reviewed"), ("proposed", "resolved"), ("consulted", "resolved")],
)
def test_a_meeting_out_of_order_is_refused(reached: str, step: str) -> None:
    decision = given_decision(reached)
    with pytest.raises(Refused, match="须先完成"):
        decision.hold_meeting(**meeting(step))
    assert decision.take_pending() == []


def test_a_meeting_of_the_wrong_body_is_refused() -> None:
    with pytest.raises(Refused, match="应由两委会议进行"):
        given_decision("proposed").hold_meeting(**meeting("consulted", body="党员大会"))


def test_the_resolution_may_be_taken_by_the_villagers_meeting() -> None:
    decision = given_decision("reviewed")
    decision.hold_meeting(**meeting("resolved", body="村民会议", members=600, present=420))
    assert decision.status is DecisionStatus.RESOLVED


def test_quorum_is_two_thirds_for_the_resolution_and_more_than_half_before() -> None:
    assert attendance_needed(Step.RESOLVED, 30) == 20
    assert attendance_needed(Step.CONSULTED, 7) == 4
    assert attendance_needed(Step.REVIEWED, 40) == 21


def test_a_resolving_meeting_without_two_thirds_present_is_refused_not_recorded() -> None:
    decision = given_decision("reviewed")
    with pytest.raises(Refused, match="不足法定人数（20 人）"):
        decision.hold_meeting(**meeting("resolved", present=19, votes_for=19, votes_against=0))
    assert decision.take_pending() == [] and decision.status is DecisionStatus.REVIEWED


def test_a_consultation_without_more_than_half_present_is_refused() -> None:
    decision = given_decision("proposed")
    with pytest.raises(Refused, match="不足法定人数（4 人）"):
        decision.hold_meeting(**meeting("consulted", present=3, votes_for=3, votes_against=0))


def test_votes_must_add_up() -> None:
    with pytest.raises(Refused, match="不符"):
        given_decision("proposed").hold_meeting(
            **meeting("consulted", votes_for=5, votes_against=2)
        )


def test_a_meeting_before_the_step_before_is_refused() -> None:
    with pytest.raises(Refused, match="早于上一步骤"):
        given_decision("consulted").hold_meeting(**meeting("reviewed", held_on=D(2016, 7, 4)))


def test_a_vote_that_fails_is_recorded_and_ends_the_decision() -> None:
    decision = given_decision("reviewed")
    held = decision.hold_meeting(**meeting("resolved", votes_for=12, votes_against=10))
    assert not held.passed and decision.status is DecisionStatus.REJECTED
    assert "resolved" not in decision.steps
    settle(decision)
    with pytest.raises(AlreadyExists):  # the meeting was held: not held again
        decision.hold_meeting(**meeting("resolved"))
    with pytest.raises(Refused, match="尚未形成决议"):
        decision.disclose_resolution("村务公开栏", D(2016, 7, 25))
    consulted = given_decision("consulted")
    consulted.hold_meeting(**meeting("reviewed", votes_for=10, votes_against=20))
    with pytest.raises(Refused, match="已被会议否决"):
        consulted.hold_meeting(**meeting("resolved"))


def test_a_second_resolution_is_refused() -> None:
    decision = given_decision("resolved")
    with pytest.raises(AlreadyExists, match="不能再次决议"):
        decision.hold_meeting(**meeting("resolved"))
    decision = given_decision("resolution_disclosed")
    with pytest.raises(AlreadyExists, match="不能再次决议"):
        decision.hold_meeting(**meeting("resolved"))


def test_the_resolution_is_disclosed_after_it_is_taken_and_the_result_is_due_in_90_days() -> None:
    decision = given_decision("resolved")
    decision.disclose_resolution("村务公开栏", RESOLUTION_DISCLOSED_ON)
    [disclosed] = decision.take_pending()
    assert isinstance(disclosed, ev.DecisionResolutionDisclosed)
    assert RESULT_DISCLOSURE_DAYS == 90
    assert disclosed.result_due_on == D(2016, 10, 20)
    assert decision.status is DecisionStatus.RESOLUTION_DISCLOSED
    assert decision.steps[-2:] == ("resolved", "resolution_disclosed")
    with pytest.raises(AlreadyExists):
        decision.disclose_resolution("村务公开栏", D(2016, 7, 23))


@pytest.mark.parametrize("reached", ["proposed", "consulted", "reviewed"])
def test_a_disclosure_before_the_resolution_is_refused(reached: str) -> None:
    with pytest.raises(Refused, match="尚未形成决议"):
        given_decision(reached).disclose_resolution("村务公开栏", D(2016, 7, 25))


def test_the_resolution_is_not_disclosed_before_the_day_it_was_taken() -> None:
    with pytest.raises(Refused, match="早于决议"):
        given_decision("resolved").disclose_resolution("村务公开栏", D(2016, 7, 19))


def test_the_result_is_disclosed_after_the_act_and_once() -> None:
    decision = given_decision("resolution_disclosed")
    decision.disclose_result("校舍以 23 万元售出，款项已入账", D(2016, 9, 1), D(2016, 8, 10))
    assert decision.status is DecisionStatus.RESULT_DISCLOSED
    assert decision.steps == (
        "proposed",
        "consulted",
        "reviewed",
        "resolved",
        "resolution_disclosed",
        "result_disclosed",
    )
    settle(decision)
    with pytest.raises(AlreadyExists):
        decision.disclose_result("再次公开", D(2016, 9, 2), D(2016, 8, 10))


def test_a_result_disclosure_before_the_act_is_refused() -> None:
    decision = given_decision("resolution_disclosed")
    with pytest.raises(Refused, match="资产尚未处置"):
        decision.disclose_result("已处置", D(2016, 8, 1), None)
    with pytest.raises(Refused, match="资产尚未处置"):
        decision.disclose_result("已处置", D(2016, 8, 1), D(2016, 8, 10))
    project = given_decision("resolution_disclosed", "collective_project", "光伏电站")
    with pytest.raises(Refused, match="项目尚未启动"):
        project.disclose_result("已建成", D(2016, 8, 1), None)


def test_a_result_disclosure_before_the_resolution_is_disclosed_is_refused() -> None:
    with pytest.raises(Refused, match="决议尚未公开"):
        given_decision("resolved").disclose_result("已处置", D(2016, 9, 1), D(2016, 8, 10))


def test_a_result_not_disclosed_within_90_days_is_overdue_until_it_is() -> None:
    decision = given_decision("resolution_disclosed")  # due 2016-10-20
    assert not decision.overdue(D(2016, 10, 20))
    assert decision.overdue(D(2016, 10, 21))
    decision.disclose_result("已处置", D(2016, 11, 5), D(2016, 8, 10))
    assert decision.overdue(D(2016, 11, 4)) and not decision.overdue(D(2016, 11, 5))
    assert decision.late
    assert not given_decision("resolved").overdue(D(2017, 12, 31))  # nothing due yet


# --- what a decision allows -----------------------------------------------------------------


def test_an_act_is_authorised_once_the_resolution_is_disclosed() -> None:
    decision = given_decision("resolution_disclosed")
    authority = decision.authorize(DecisionKind.ASSET_DISPOSAL, VILLAGE, D(2016, 7, 22), "ZC-001")
    assert authority.vote == ev.AssemblyVote(
        held_on=D(2016, 7, 20), representatives=30, present=24, votes_for=22, votes_against=1
    )
    assert authority.steps[-1] == "resolution_disclosed"


@pytest.mark.parametrize("reached", ["proposed", "reviewed", "resolved"])
def test_nothing_is_authorised_before_the_resolution_is_disclosed(reached: str) -> None:
    with pytest.raises(Refused, match="决议公开前不得实施"):
        given_decision(reached).authorize(DecisionKind.ASSET_DISPOSAL, VILLAGE, D(2016, 9, 1))


def test_an_act_dated_before_the_disclosure_is_not_authorised() -> None:
    with pytest.raises(Refused, match="决议公开前不得实施"):
        given_decision("resolution_disclosed").authorize(
            DecisionKind.ASSET_DISPOSAL, VILLAGE, D(2016, 7, 21)
        )


def test_a_decision_allows_only_its_kind_village_and_subject() -> None:
    decision = given_decision("resolution_disclosed")
    with pytest.raises(Refused, match="不能用于"):
        decision.authorize(DecisionKind.COLLECTIVE_PROJECT, VILLAGE, D(2016, 9, 1))
    with pytest.raises(Refused, match="不能用于"):
        decision.authorize(DecisionKind.ASSET_DISPOSAL, "金霞村", D(2016, 9, 1))
    with pytest.raises(Refused, match="不是 ZC-002"):
        decision.authorize(DecisionKind.ASSET_DISPOSAL, VILLAGE, D(2016, 9, 1), "ZC-002")


# --- collective projects ---------------------------------------------------------------------


def start(decision: VillageDecision, on: dt.date) -> CollectiveProject:
    project = CollectiveProject("cproject-p-1")
    project.start(
        project_id="p-1",
        village=VILLAGE,
        village_code="430321100201",
        investment=Decimal("180000"),
        decision=decision,
        on=on,
    )
    return project


def test_a_project_starts_after_its_resolution_is_disclosed_with_the_steps_done() -> None:
    decision = given_decision("resolution_disclosed", "collective_project", "村级光伏电站")
    [started] = start(decision, D(2016, 8, 1)).take_pending()
    assert isinstance(started, ev.CollectiveProjectStarted)
    assert (started.name, started.decision_id, started.power_item) == (
        "村级光伏电站",
        "d-1",
        "works",
    )
    assert started.steps == (
        "proposed",
        "consulted",
        "reviewed",
        "resolved",
        "resolution_disclosed",
    )


def test_a_project_is_not_started_before_its_resolution_is_disclosed() -> None:
    decision = given_decision("resolved", "collective_project", "村级光伏电站")
    with pytest.raises(Refused, match="决议公开前不得实施"):
        start(decision, D(2016, 8, 1))


def test_a_project_starts_once_and_not_under_a_disposal_decision() -> None:
    decision = given_decision("resolution_disclosed", "collective_project", "村级光伏电站")
    project = start(decision, D(2016, 8, 1))
    settle(project)
    with pytest.raises(AlreadyExists):
        project.start(
            project_id="p-1",
            village=VILLAGE,
            village_code="430321100201",
            investment=Decimal("1"),
            decision=decision,
            on=D(2016, 8, 2),
        )
    with pytest.raises(Refused, match="不能用于"):
        start(given_decision("resolution_disclosed"), D(2016, 8, 1))
