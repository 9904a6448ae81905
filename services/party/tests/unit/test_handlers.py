"""The party's command handlers through the shared pipeline, on a memory store: the branch
secretary's scope, one territorial branch per village, the conclusion designating branches in
the same command, and accountability deducted once — also when the member is registered
later."""

import datetime as dt
from decimal import Decimal

import pytest
from party.application import accountability, assessments, branches, members, training
from party.application import commands as c
from party.domain.events import (
    AccountabilityMatched,
    AccountabilityUnmatched,
    AssessmentConcluded,
    BranchDesignatedWeak,
    PointsAwarded,
    PointsDeducted,
)

from shared.kernel import AlreadyExists, ConcurrencyConflict, NotFound
from shared.pipeline import OutOfScope, Scope

from .given import ADULT_ID, Party, established, joined

SHIBI = Scope("石壁村")  # the branch secretary of 石壁村
POINTS = {"rule_code": "KJ01", "evidence": "完成交办任务", "occurred_on": dt.date(2016, 3, 1)}


@pytest.fixture
def party() -> Party:
    party = Party()
    party.given("branch-shibi", established("branch-shibi", "village", "石壁村"))
    party.given("branch-jinxia", established("branch-jinxia", "village", "金霞村"))
    # an enterprise's branch in 石壁村: town level, not the village's own branch
    party.given("branch-firm", established("branch-firm", "enterprise", "石壁村"))
    for member_id, branch_id in (
        ("member-shibi", "branch-shibi"),
        ("member-jinxia", "branch-jinxia"),
        ("member-firm", "branch-firm"),
    ):
        party.given(member_id, joined(member_id=member_id, branch_id=branch_id))
    return party


async def test_a_branch_secretary_records_points_in_their_own_villages_branch_only(
    party: Party,
) -> None:
    written = await party.when(
        members.record_points, c.RecordPoints(member_id="member-shibi", **POINTS), SHIBI
    )
    [event] = party.then("member-shibi")[1:]
    assert isinstance(event, PointsAwarded) and event.recorded_on == dt.date(2016, 3, 1)
    assert (written.id, written.version, [e.type for e in written.events]) == (
        "member-shibi",
        2,
        ["party.PointsAwarded"],
    )
    for other in ("member-jinxia", "member-firm"):
        with pytest.raises(OutOfScope):
            await party.when(
                members.record_points, c.RecordPoints(member_id=other, **POINTS), SHIBI
            )
        assert len(party.then(other)) == 1  # joined only
    with pytest.raises(NotFound):
        await party.when(
            members.record_points, c.RecordPoints(member_id="member-none", **POINTS), SHIBI
        )


async def test_a_branch_secretary_records_neither_town_sessions_nor_another_branchs(
    party: Party,
) -> None:
    session = {"topic": "学习", "held_on": dt.date(2016, 3, 8), "attendee_ids": ["member-shibi"]}
    with pytest.raises(OutOfScope):
        await party.when(training.hold_session, c.HoldSession(level="town", **session), SHIBI)
    with pytest.raises(OutOfScope):
        await party.when(
            training.hold_session,
            c.HoldSession(level="branch", branch_id="branch-jinxia", **session),
            SHIBI,
        )
    own = await party.when(
        training.hold_session,
        c.HoldSession(session_id="training-1", level="branch", branch_id="branch-shibi", **session),
        SHIBI,
    )
    assert [e.type for e in own.events] == ["party.TrainingSessionHeld"]
    [env] = party.store.streams["training-1"]
    assert env.occurred_at.date() == dt.date(2016, 3, 8)  # dated to the day it was held


async def test_a_village_has_one_territorial_branch(party: Party) -> None:
    body = {"name": "天易社区党支部", "kind": "community", "village": "天易社区"}
    first = await party.when(
        branches.establish_branch, c.EstablishBranch(branch_id="branch-1", **body)
    )
    assert [e.type for e in first.events] == ["party.BranchEstablished", "party.NaturalKeyClaimed"]
    with pytest.raises(AlreadyExists, match="已登记"):
        await party.when(branches.establish_branch, c.EstablishBranch(branch_id="branch-2", **body))
    assert "branch-2" not in party.store.streams
    firm = await party.when(
        branches.establish_branch,
        c.EstablishBranch(name="天易纺织党支部", kind="enterprise", village="天易社区"),
    )
    assert firm.id.startswith("branch-") and firm.stream_id == firm.id


async def test_a_lost_race_is_decided_again_unless_the_caller_read_a_version(party: Party) -> None:
    party.store.conflicts_to_raise = 1
    again = await party.when(
        members.record_points, c.RecordPoints(member_id="member-shibi", **POINTS)
    )
    assert again.version == 2
    party.store.conflicts_to_raise = 1
    with pytest.raises(ConcurrencyConflict):
        await party.when(
            members.record_points,
            c.RecordPoints(member_id="member-shibi", expected_version=2, **POINTS),
        )
    assert len(party.then("member-shibi")) == 2


async def test_the_conclusion_designates_the_bottom_branch_in_the_same_command(
    party: Party,
) -> None:
    on = {"occurred_on": dt.date(2016, 12, 28)}
    await party.when(assessments.open_assessment, c.OpenAssessment(period="2016", **on))
    items = ("leadership", "members", "organisational_life", "service", "governance")
    for branch_id, mark in (("branch-shibi", 4), ("branch-jinxia", 8), ("branch-firm", 7)):
        scores = dict.fromkeys((*items, "collective_economy"), Decimal(mark))
        await party.when(
            assessments.score_branch,
            c.ScoreBranch(period="2016", branch_id=branch_id, items=scores, **on),
        )
    written = await party.when(
        assessments.conclude_assessment, c.ConcludeAssessment(period="2016", **on)
    )
    assert (written.id, written.stream_id) == ("2016", "assessment-2016")
    assert [(e.type, e.stream_id) for e in written.events] == [
        ("party.AssessmentConcluded", "assessment-2016"),
        ("party.BranchDesignatedWeak", "branch-shibi"),
    ]
    assert isinstance(party.then("assessment-2016")[-1], AssessmentConcluded)
    designation = party.then("branch-shibi")[-1]
    assert isinstance(designation, BranchDesignatedWeak) and designation.rank == 3


def decided(
    case_id: str, member_id: str | None, kind: str = "党内警告"
) -> c.DeductForAccountability:
    return c.DeductForAccountability(
        case_id=case_id,
        member_id=member_id,
        subject_name="测试党员",
        kind=kind,
        decided_on=dt.date(2016, 8, 1),
    )


async def test_a_decision_deducts_once(party: Party) -> None:
    first = await party.when(
        accountability.deduct_for_accountability, decided("c1", "member-shibi")
    )
    assert sorted(e.type for e in first.events) == [
        "party.AccountabilityMatched",
        "party.PointsDeducted",
    ]
    again = await party.when(
        accountability.deduct_for_accountability, decided("c1", "member-shibi")
    )
    assert again.events == () and again.version == 1
    deductions = [e for e in party.then("member-shibi") if isinstance(e, PointsDeducted)]
    assert [(d.rule_code, d.points, d.case_id) for d in deductions] == [("ZR03", 20, "c1")]
    await party.when(accountability.deduct_for_accountability, decided("c2", None))
    [none] = party.then("accountability-c2")
    assert isinstance(none, AccountabilityUnmatched) and none.reason == "no_member_named"


async def test_a_decision_naming_a_member_registered_later_is_deducted_on_registration(
    party: Party,
) -> None:
    await party.when(
        accountability.deduct_for_accountability, decided("c3", "member-late", kind="诫勉谈话")
    )
    [waiting] = party.then("accountability-c3")
    assert isinstance(waiting, AccountabilityUnmatched) and waiting.reason == "unknown_member"
    joined_ = await party.when(
        members.join_member,
        c.JoinMember(
            member_id="member-late",
            branch_id="branch-shibi",
            name="李红",
            id_number=ADULT_ID.value,
            membership="full",
            joined_party_on=dt.date(2005, 7, 1),
            occurred_on=dt.date(2016, 3, 1),
        ),
    )
    assert [e.type for e in joined_.events] == [
        "party.MemberJoined",
        "party.PointsDeducted",
        "party.NaturalKeyClaimed",
        "party.AccountabilityMatched",
    ]
    deduction = party.then("member-late")[-1]
    assert isinstance(deduction, PointsDeducted)
    assert (deduction.rule_code, deduction.points, deduction.recorded_on) == (
        "ZR02",
        10,
        dt.date(2016, 8, 1),
    )
    assert isinstance(party.then("accountability-c3")[-1], AccountabilityMatched)
