"""Measure 1: pairing (结对帮扶, 支部连村、党员联户) one helper per household with visits (走访),
and the measures of the five projects (五大工程) per household."""

import datetime as dt

from relief.application.commands import (
    CompleteMeasure,
    PairHousehold,
    PlanMeasure,
    RecordVisit,
    RepairHousehold,
)
from relief.domain.events import (
    Helper,
    HouseholdPaired,
    HouseholdRepaired,
    HouseholdVisited,
    ReliefMeasureCompleted,
    ReliefMeasurePlanned,
)
from relief.domain.values import KnownMember

from shared.kernel import AlreadyExists, NotFound, Refused

from .scenario import CADRE, HOUSEHOLD, STREAM, Scenario, paired, registered, unchecked

MEMBER = KnownMember(member_id="m-1001", branch_id="b-shibi", name="黄德明", village="石壁村")
MEMBER_HELPER = Helper(kind="party_member", name="黄德明", member_id="m-1001", branch_id="b-shibi")
DAY = dt.date(2016, 4, 1)


def pair_cadre(name: str = "王志刚", post: str = "镇农业综合服务中心主任") -> PairHousehold:
    return PairHousehold(occurred_on=DAY, household_id=HOUSEHOLD, cadre_name=name, cadre_post=post)


def pair_member(member_id: str = "m-1001") -> PairHousehold:
    return PairHousehold(occurred_on=DAY, household_id=HOUSEHOLD, member_id=member_id)


# --- pairing -------------------------------------------------------------------------------------


def test_a_household_is_paired_with_a_cadre_by_name_and_post() -> None:
    Scenario().given(STREAM, registered()).when(pair_cadre()).then(paired())


def test_a_cadre_needs_a_name_and_a_post() -> None:
    Scenario().given(STREAM, registered()).refused(pair_cadre(post=""), "须填写姓名和职务")


def test_a_household_is_paired_with_a_party_member_relief_knows() -> None:
    s = Scenario(MEMBER).given(STREAM, registered()).when(pair_member())
    s.then(HouseholdPaired(household_id=HOUSEHOLD, helper=MEMBER_HELPER, paired_on=DAY))


def test_an_unknown_party_member_is_refused_with_a_clear_message() -> None:
    s = Scenario(MEMBER).given(STREAM, registered())
    s.refused(pair_member("m-9999"), "党员 m-9999 不在党员名册中", kind=Refused)


def test_one_helper_per_household_at_a_time() -> None:
    s = Scenario(MEMBER).given(STREAM, registered(), paired())
    s.refused(pair_member(), "一户只能有一位帮扶责任人", kind=Refused)


def test_pairing_again_with_the_same_helper_is_already_done() -> None:
    s = Scenario().given(STREAM, registered(), paired())
    s.refused(pair_cadre(), "已与 王志刚 结对", kind=AlreadyExists)


def test_pairing_before_registration_is_refused() -> None:
    cmd = PairHousehold(
        occurred_on=dt.date(2016, 1, 1), household_id=HOUSEHOLD, cadre_name="王", cadre_post="干部"
    )
    Scenario().given(STREAM, registered()).refused(cmd, "早于建档日期")


def repair(reason: str = "原帮扶人调离", member_id: str = "m-1001") -> RepairHousehold:
    return unchecked(
        RepairHousehold,
        occurred_on=dt.date(2016, 9, 1),
        household_id=HOUSEHOLD,
        member_id=member_id,
        reason=reason,
    )


def test_a_household_is_repaired_with_a_reason() -> None:
    s = Scenario(MEMBER).given(STREAM, registered(), paired()).when(repair())
    s.then(
        HouseholdRepaired(
            household_id=HOUSEHOLD,
            previous=CADRE,
            helper=MEMBER_HELPER,
            reason="原帮扶人调离",
            repaired_on=dt.date(2016, 9, 1),
        )
    )


def test_repairing_needs_a_pairing_a_new_helper_and_a_reason() -> None:
    Scenario(MEMBER).given(STREAM, registered()).refused(repair(), "尚未结对")
    s = Scenario(MEMBER).given(STREAM, registered(), paired(MEMBER_HELPER))
    s.refused(repair(), "已是该户的帮扶责任人")
    s = Scenario(MEMBER).given(STREAM, registered(), paired())
    s.refused(repair(reason=" "), "须说明原因")
    s.refused(repair(member_id="m-404"), "不在党员名册中")


# --- visits ------------------------------------------------------------------------------------

VISIT_ID = "0190b5a8-0000-7000-8000-0000000000aa"


def visit(on: dt.date = dt.date(2016, 5, 3), notes: str = "了解病情，送去慰问金") -> RecordVisit:
    return unchecked(
        RecordVisit, occurred_on=on, household_id=HOUSEHOLD, notes=notes, visit_id=VISIT_ID
    )


def test_the_helper_visits_the_household() -> None:
    s = Scenario().given(STREAM, registered(), paired()).when(visit())
    s.then(
        HouseholdVisited(
            household_id=HOUSEHOLD,
            visit_id=VISIT_ID,
            visitor="王志刚",
            notes="了解病情，送去慰问金",
            visited_on=dt.date(2016, 5, 3),
        )
    )


def test_a_visit_needs_a_pairing_notes_and_a_date_after_pairing() -> None:
    Scenario().given(STREAM, registered()).refused(visit(), "尚未结对，不能记录走访")
    s = Scenario().given(STREAM, registered(), paired())
    s.refused(visit(notes=""), "须记录情况")
    s.refused(visit(on=dt.date(2016, 3, 20)), "早于结对日期")


def test_the_same_visit_is_recorded_once() -> None:
    s = Scenario().given(STREAM, registered(), paired()).when(visit())
    s.refused(visit(), "已存在", kind=AlreadyExists)


# --- the five projects ---------------------------------------------------------------------------

MEASURE = "0190b5a8-0000-7000-8000-0000000000bb"


def plan(project: str = "skills") -> PlanMeasure:
    return PlanMeasure(
        occurred_on=dt.date(2016, 4, 10),
        household_id=HOUSEHOLD,
        project=project,
        description="参加镇里的种养殖技术培训",
        measure_id=MEASURE,
    )


def planned() -> ReliefMeasurePlanned:
    return ReliefMeasurePlanned(
        household_id=HOUSEHOLD,
        measure_id=MEASURE,
        project="skills",
        description="参加镇里的种养殖技术培训",
        planned_on=dt.date(2016, 4, 10),
    )


def complete(on: dt.date = dt.date(2016, 8, 1)) -> CompleteMeasure:
    return CompleteMeasure(
        occurred_on=on, household_id=HOUSEHOLD, measure_id=MEASURE, outcome="结业"
    )


def test_a_measure_is_planned_then_done() -> None:
    s = Scenario().given(STREAM, registered()).when(plan())
    s.then(planned())
    s.when(complete()).then(
        ReliefMeasureCompleted(
            household_id=HOUSEHOLD,
            measure_id=MEASURE,
            outcome="结业",
            completed_on=dt.date(2016, 8, 1),
        )
    )


def test_a_measure_belongs_to_one_of_the_five_projects() -> None:
    Scenario().given(STREAM, registered()).refused(plan("tourism"), "五大工程类别“tourism”无效")


def test_a_measure_is_done_once_after_it_was_planned() -> None:
    Scenario().given(STREAM, registered()).refused(complete(), "没有措施", kind=NotFound)
    s = Scenario().given(STREAM, registered(), planned())
    s.refused(complete(on=dt.date(2016, 4, 1)), "早于计划日期")
    s.when(complete())
    s.refused(complete(), "已于 2016-08-01 完成")
