"""Points (积分制, 两考四评): awards and deductions by rule and cap, yearly grading, and the
不合格党员 procedure (identified → talk → decision → outcome), strictly in order."""

import dataclasses

import pytest
from party.domain.events import (
    MemberGraded,
    PointsAwarded,
    PointsDeducted,
    UnqualifiedMemberDecisionTaken,
    UnqualifiedMemberIdentified,
    UnqualifiedMemberOutcomeRecorded,
    UnqualifiedMemberTalkedTo,
)
from party.domain.members import Member

from shared.kernel import AlreadyExists, Refused

from .given import (
    BOOK,
    awarded,
    day,
    deducted,
    given,
    graded,
    identified,
    joined,
    then,
    then_refused,
)


def record(
    member: Member, code: str, on: str = "2016-05-01", quantity: int = 1, rid: str = "r-1"
) -> None:
    member.record_points(
        record_id=rid,
        rule=BOOK.rule(code),
        quantity=quantity,
        evidence="支部会议记录",
        on=day(on),
        book=BOOK,
    )


# --- recording ------------------------------------------------------------------------------


def test_an_award_is_recorded_under_its_rule_with_the_book_version() -> None:
    member = given(Member, joined())
    record(member, "KJ01", quantity=2)
    [event] = then(member)
    assert isinstance(event, PointsAwarded)
    assert (event.rule_code, event.points, event.year, event.rule_book) == (
        "KJ01",
        4,
        2016,
        "2016.1",
    )
    assert member.points(2016, BOOK) == 64


def test_a_deduction_lowers_the_years_total() -> None:
    member = given(Member, joined())
    record(member, "KF02")
    assert isinstance(then(member)[0], PointsDeducted)
    assert member.points(2016, BOOK) == 55


def test_an_award_beyond_the_yearly_cap_is_refused_saying_what_is_left() -> None:
    member = given(Member, joined(), awarded("KJ01", 8, "2016-03-01"))  # cap 10
    then_refused(lambda: record(member, "KJ01", quantity=2), r"上限 10.*2 left")
    record(member, "KJ01", quantity=1)
    assert member.points(2016, BOOK) == 70


def test_the_cap_starts_again_each_year() -> None:
    member = given(Member, joined(), awarded("KJ01", 10, "2016-03-01"))
    record(member, "KJ01", on="2017-01-10")
    assert then(member)


def test_a_record_id_is_recorded_once() -> None:
    member = given(Member, joined(), awarded("KJ01", 2, "2016-03-01", record_id="r-1"))
    then_refused(lambda: record(member, "KJ01", rid="r-1"), "已登记", AlreadyExists)


def test_an_unknown_rule_is_refused() -> None:
    then_refused(lambda: BOOK.rule("XX99"), "不在规则手册")


def test_points_need_evidence() -> None:
    member = given(Member, joined())
    then_refused(
        lambda: member.record_points(
            record_id="r",
            rule=BOOK.rule("KJ01"),
            quantity=1,
            evidence=" ",
            on=day("2016-05-01"),
            book=BOOK,
        ),
        "依据",
    )


def test_points_before_the_member_was_registered_are_refused() -> None:
    member = given(Member, joined(on="2016-06-01"))
    then_refused(lambda: record(member, "KJ01", on="2016-05-01"), "早于登记日期")


def test_no_points_for_a_year_already_graded() -> None:
    member = given(Member, joined(), graded(2016, 70))
    then_refused(lambda: record(member, "KJ01", on="2016-12-28"), "已评定")


# --- grading --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("awards", "deductions", "level"),
    [
        (30, 0, "excellent"),  # 90: the lower bound of 优秀
        (29, 0, "qualified"),  # 89
        (10, 0, "qualified"),  # 70
        (9, 0, "basically_qualified"),  # 69
        (0, 0, "basically_qualified"),  # 60: the base alone
        (0, 3, "unqualified"),  # 57
    ],
)
def test_the_year_is_graded_by_the_books_thresholds(
    awards: int, deductions: int, level: str
) -> None:
    events = [joined()]
    if awards:
        events.append(awarded("KJ01", awards, "2016-03-01"))
    if deductions:
        events.append(deducted("KF01", deductions, "2016-04-01"))
    member = given(Member, *events)
    member.grade(year=2016, on=day("2016-12-20"), book=BOOK)
    grading = then(member)[0]
    assert isinstance(grading, MemberGraded)
    assert (grading.points, grading.level) == (60 + awards - deductions, level)


def test_an_unqualified_grade_opens_the_handling_procedure() -> None:
    member = given(Member, joined(), deducted("KF04", 10, "2016-04-01"))
    member.grade(year=2016, on=day("2016-12-20"), book=BOOK)
    grading, opened = then(member)
    assert isinstance(grading, MemberGraded) and grading.level_name == "不合格"
    assert isinstance(opened, UnqualifiedMemberIdentified) and opened.points == 50
    assert member.open_procedure is not None


def test_grading_before_december_is_refused() -> None:
    member = given(Member, joined())
    then_refused(lambda: member.grade(year=2016, on=day("2016-11-30"), book=BOOK), "12 月以后")


def test_a_year_is_graded_once() -> None:
    member = given(Member, joined(), graded(2016, 70))
    then_refused(
        lambda: member.grade(year=2016, on=day("2016-12-28"), book=BOOK), "已评定", AlreadyExists
    )


def test_a_year_before_registration_cannot_be_graded() -> None:
    member = given(Member, joined(on="2017-01-05"))
    then_refused(lambda: member.grade(year=2016, on=day("2017-01-06"), book=BOOK), "尚未登记")


# --- 不合格党员处置 --------------------------------------------------------------------------


def unqualified() -> Member:
    return given(Member, joined(), graded(2016, 55, "unqualified", "不合格"), identified(2016))


def talk(member: Member, on: str = "2016-12-25") -> None:
    member.talk(year=2016, talked_by="支部书记 黄军", summary="谈话提醒", on=day(on))


def decide(member: Member, decision: str = "rectify", on: str = "2016-12-28") -> None:
    member.decide(year=2016, decision=decision, summary="支部大会决定", on=day(on))


def outcome(member: Member, result: str = "corrected", on: str = "2017-03-01") -> None:
    member.record_outcome(year=2016, outcome=result, summary="整改到位", on=day(on))


def test_the_procedure_runs_identified_talk_decision_outcome() -> None:
    member = unqualified()
    talk(member)
    decide(member)
    outcome(member)
    assert [type(e) for e in then(member)] == [
        UnqualifiedMemberTalkedTo,
        UnqualifiedMemberDecisionTaken,
        UnqualifiedMemberOutcomeRecorded,
    ]
    assert member.open_procedure is None and member.status == "full"


def test_a_step_without_an_identification_is_refused() -> None:
    member = given(Member, joined())
    then_refused(lambda: talk(member), "未被认定")


def test_a_decision_before_the_talk_is_refused() -> None:
    then_refused(lambda: decide(unqualified()), "out of order")


def test_an_outcome_before_the_decision_is_refused() -> None:
    member = unqualified()
    talk(member)
    then_refused(lambda: outcome(member), "out of order")


def test_a_second_talk_is_refused() -> None:
    member = unqualified()
    talk(member)
    then_refused(lambda: talk(member), "out of order")


def test_a_step_dated_before_the_previous_one_is_refused() -> None:
    member = unqualified()
    talk(member, on="2016-12-25")
    then_refused(lambda: decide(member, on="2016-12-24"), "早于上一步骤")


def test_the_outcome_must_follow_from_the_decision() -> None:
    member = unqualified()
    talk(member)
    decide(member, "remove")
    then_refused(lambda: outcome(member, "corrected"), "结果只能是")


def test_an_unknown_decision_is_refused() -> None:
    member = unqualified()
    talk(member)
    then_refused(lambda: decide(member, "expel"), "处置决定")


def test_a_member_removed_has_left_and_takes_no_more_points() -> None:
    member = unqualified()
    talk(member)
    decide(member, "persuade_to_withdraw")
    outcome(member, "withdrew")
    then(member)
    assert member.status == "left"
    then_refused(lambda: record(member, "KJ01", on="2017-04-01"), "已出党", Refused)


# --- the rule book --------------------------------------------------------------------------


def test_accountability_kinds_map_to_their_rules_and_others_to_the_default() -> None:
    assert BOOK.for_accountability("党内警告").code == "ZR03"
    assert BOOK.for_accountability("开除党籍").code == "ZR06"
    assert BOOK.for_accountability("某种新的问责方式").code == BOOK.accountability_default


def test_the_unqualified_threshold_is_the_lowest_passing_level() -> None:
    assert BOOK.unqualified_below == 60
    assert dataclasses.replace(BOOK).grade(59).unqualified
