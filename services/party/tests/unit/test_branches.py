"""Branches: establishment, the secretary, the weak designation and its rectification
(first secretary, linked leader visiting ≥ 4 times in the year, 100 % household visits)."""

from decimal import Decimal

from party.domain.branches import Branch, MemberRef, VillageRef
from party.domain.events import (
    BranchDesignatedWeak,
    BranchDesignationLifted,
    BranchEstablished,
    FirstSecretaryAssigned,
    HouseholdVisitsRecorded,
    LeaderVisitRecorded,
    LinkedLeaderAssigned,
)

from .given import day, designated, established, given, then, then_refused

SHIBI = VillageRef("430321100201", "石壁村", "village")
TIANYI = VillageRef("430321100001", "天易社区", "community")


def test_a_village_branch_belongs_to_a_village() -> None:
    branch = Branch("branch-a")
    branch.establish(name="石壁村党支部", kind="village", village=SHIBI, on=day("2016-01-04"))
    [event] = then(branch)
    assert isinstance(event, BranchEstablished) and event.village_code == "430321100201"


def test_a_village_branch_without_a_village_is_refused() -> None:
    then_refused(
        lambda: Branch("branch-a").establish(
            name="x", kind="village", village=None, on=day("2016-01-04")
        ),
        "须属于",
    )


def test_a_community_branch_in_a_village_is_refused() -> None:
    then_refused(
        lambda: Branch("branch-a").establish(
            name="x", kind="community", village=SHIBI, on=day("2016-01-04")
        ),
        "不是社区",
    )
    Branch("branch-b").establish(
        name="天易社区党支部", kind="community", village=TIANYI, on=day("2016-01-04")
    )


def test_an_organ_branch_needs_no_village_and_an_unknown_kind_is_refused() -> None:
    organ = Branch("branch-organ")
    organ.establish(name="镇机关党支部", kind="organ", village=None, on=day("2016-01-04"))
    assert then(organ)
    then_refused(
        lambda: Branch("branch-x").establish(
            name="x", kind="school", village=None, on=day("2016-01-04")
        ),
        "类别",
    )


def test_the_secretary_is_a_full_member_of_the_branch() -> None:
    branch = given(Branch, established())
    then_refused(
        lambda: branch.appoint_secretary(
            MemberRef("member-1", "branch-b", "王", "full"), day("2016-02-01")
        ),
        "不属于本支部",
    )
    then_refused(
        lambda: branch.appoint_secretary(
            MemberRef("member-1", "branch-a", "王", "probationary"), day("2016-02-01")
        ),
        "正式党员",
    )
    branch.appoint_secretary(MemberRef("member-1", "branch-a", "王", "full"), day("2016-02-01"))
    assert branch.secretary == ("member-1", "王")


# --- rectification --------------------------------------------------------------------------


def weak() -> Branch:
    return given(Branch, established(), designated(on="2017-01-10"))


def fully_rectified() -> Branch:
    branch = weak()
    branch.assign_first_secretary(name="刘洋", unit="县财政局", on=day("2017-01-20"))
    branch.assign_linked_leader(leader_name="陈芳", post="组织委员", on=day("2017-01-20"))
    for visit in ("2017-02-15", "2017-05-15", "2017-08-15", "2017-11-15"):
        branch.record_leader_visit(leader_name="陈芳", summary="指导整顿", on=day(visit))
    branch.record_household_visits(total=120, visited=120, on=day("2017-12-01"))
    return branch


def test_rectification_steps_need_a_designation() -> None:
    branch = given(Branch, established())
    then_refused(
        lambda: branch.assign_first_secretary(name="刘洋", unit="县财政局", on=day("2017-01-20")),
        "未被认定",
    )


def test_a_rectification_is_complete_with_all_four_conditions() -> None:
    branch = fully_rectified()
    kinds = [type(e) for e in then(branch)]
    assert kinds == [FirstSecretaryAssigned, LinkedLeaderAssigned] + [LeaderVisitRecorded] * 4 + [
        HouseholdVisitsRecorded
    ]
    assert branch.current is not None and branch.current.complete


def test_three_visits_or_partial_coverage_is_not_complete() -> None:
    branch = weak()
    branch.assign_first_secretary(name="刘洋", unit="县财政局", on=day("2017-01-20"))
    branch.assign_linked_leader(leader_name="陈芳", post="组织委员", on=day("2017-01-20"))
    for visit in ("2017-02-15", "2017-05-15", "2017-08-15"):
        branch.record_leader_visit(leader_name="陈芳", summary="指导", on=day(visit))
    branch.record_household_visits(total=120, visited=120, on=day("2017-12-01"))
    assert branch.current is not None and not branch.current.complete
    branch.record_leader_visit(
        leader_name="陈芳", summary="指导", on=day("2018-02-01")
    )  # a year on
    assert not branch.current.complete
    branch.record_leader_visit(leader_name="陈芳", summary="指导", on=day("2017-12-20"))
    branch.record_household_visits(total=120, visited=119, on=day("2017-12-21"))
    assert branch.current.household_coverage_percent == Decimal("99.2")
    assert not branch.current.complete


def test_only_the_linked_leader_visits_and_only_once_assigned() -> None:
    branch = weak()
    then_refused(
        lambda: branch.record_leader_visit(leader_name="陈芳", summary="x", on=day("2017-02-01")),
        "尚未确定",
    )
    branch.assign_linked_leader(leader_name="陈芳", post="组织委员", on=day("2017-01-20"))
    then_refused(
        lambda: branch.record_leader_visit(leader_name="李明", summary="x", on=day("2017-02-01")),
        "不是",
    )


def test_rectification_dated_before_the_designation_is_refused() -> None:
    then_refused(
        lambda: weak().assign_linked_leader(
            leader_name="陈芳", post="组织委员", on=day("2017-01-09")
        ),
        "早于认定日期",
    )


def test_household_visits_cannot_exceed_the_households() -> None:
    then_refused(
        lambda: weak().record_household_visits(total=10, visited=11, on=day("2017-03-01")),
        "走访户数",
    )


# --- designation and lifting ----------------------------------------------------------------


def test_a_later_assessment_lifts_the_designation_with_the_rectification_state() -> None:
    branch = fully_rectified()
    then(branch)
    branch.lift_designation(by_period="2017", score=Decimal("80"), rank=12, on=day("2018-01-10"))
    [event] = then(branch)
    assert isinstance(event, BranchDesignationLifted)
    assert (event.period, event.lifted_by_period, event.rectification_complete) == (
        "2016",
        "2017",
        True,
    )
    assert branch.current is None


def test_the_same_or_an_earlier_period_cannot_lift() -> None:
    branch = weak()
    then_refused(
        lambda: branch.lift_designation(
            by_period="2016", score=Decimal(80), rank=1, on=day("2017-02-01")
        ),
        "以后",
    )
    then_refused(
        lambda: given(Branch, established()).lift_designation(
            by_period="2017", score=Decimal(80), rank=1, on=day("2018-01-01")
        ),
        "未被认定",
    )


def test_a_designation_from_an_older_period_than_the_last_is_refused() -> None:
    branch = weak()
    then_refused(
        lambda: branch.designate_weak(
            period="2016-H1",
            score=Decimal(50),
            rank=38,
            assessed=38,
            share=Decimal(10),
            on=day("2017-02-01"),
        ),
        "更晚",
    )


def test_designated_again_keeps_the_first_secretary_and_the_leader() -> None:
    branch = fully_rectified()
    then(branch)
    branch.designate_weak(
        period="2017",
        score=Decimal(50),
        rank=38,
        assessed=38,
        share=Decimal(10),
        on=day("2018-01-10"),
    )
    [event] = then(branch)
    assert isinstance(event, BranchDesignatedWeak) and event.period == "2017"
    assert branch.current is not None and branch.current.first_secretary == ("刘洋", "县财政局")
    assert branch.current.visits == []
