"""Training (measure 8): sessions, and the targets per person — secretaries ≥ 1 county and
≥ 2 town sessions a year, members ≥ 1 branch session each month."""

import datetime as dt

from party.domain.accountability import AccountabilityCase
from party.domain.events import TrainingSessionHeld
from party.domain.training import (
    Attendance,
    Attendee,
    TrainingSession,
    months_required,
    person_training,
)

from shared.kernel import AlreadyExists, degree_enrolment_counts, member_on

from .given import BOOK, day, then, then_refused

A1 = Attendee("member-0001", "branch-a", True)
A2 = Attendee("member-0002", "branch-a", True)


def hold(
    session: TrainingSession,
    level: str = "branch",
    branch: str | None = "branch-a",
    attendees: tuple[Attendee, ...] = (A1, A2),
) -> None:
    session.hold(
        level=level,
        programme="all_members",
        topic="两学一做",
        held_on=day("2016-03-08"),
        branch_id=branch,
        attendees=attendees,
    )


def test_a_branch_session_is_held_with_its_members() -> None:
    session = TrainingSession("training-1")
    hold(session)
    [event] = then(session)
    assert isinstance(event, TrainingSessionHeld) and event.attendee_ids == (
        "member-0001",
        "member-0002",
    )
    then_refused(lambda: hold(session), "已登记", AlreadyExists)


def test_a_branch_session_names_its_branch_and_others_do_not() -> None:
    then_refused(lambda: hold(TrainingSession("t"), level="branch", branch=None), "branch_id")
    then_refused(lambda: hold(TrainingSession("t"), level="county", branch="branch-a"), "branch_id")
    hold(
        TrainingSession("t"),
        level="town",
        branch=None,
        attendees=(A1, Attendee("member-9", "branch-z", True)),
    )


def test_attendees_must_be_active_distinct_and_of_the_branch() -> None:
    then_refused(lambda: hold(TrainingSession("t"), attendees=()), "不能为空")
    then_refused(lambda: hold(TrainingSession("t"), attendees=(A1, A1)), "重复")
    then_refused(
        lambda: hold(TrainingSession("t"), attendees=(Attendee("member-3", "branch-a", False),)),
        "已出党",
    )
    then_refused(
        lambda: hold(TrainingSession("t"), attendees=(Attendee("member-4", "branch-b", True),)),
        "不属于本支部",
    )


def test_an_unknown_level_is_refused() -> None:
    then_refused(lambda: hold(TrainingSession("t"), level="province", branch=None), "培训层级")


# --- targets --------------------------------------------------------------------------------


def test_months_required_are_the_months_over_since_membership() -> None:
    since = dt.date(2010, 1, 1)
    assert months_required(2016, since, dt.date(2017, 1, 5)) == tuple(range(1, 13))
    assert months_required(2016, since, dt.date(2016, 6, 15)) == (1, 2, 3, 4, 5)
    assert months_required(2016, since, dt.date(2016, 6, 30)) == (1, 2, 3, 4, 5, 6)
    assert months_required(2016, dt.date(2016, 3, 10), dt.date(2016, 6, 30)) == (4, 5, 6)
    assert months_required(2016, dt.date(2016, 3, 1), dt.date(2016, 6, 30)) == (3, 4, 5, 6)
    assert months_required(2016, since, dt.date(2015, 12, 31)) == ()


def test_degree_education_counts_in_its_year_by_the_day() -> None:
    enrolled = dt.date(2016, 9, 1)
    assert degree_enrolment_counts(enrolled, 2016, dt.date(2016, 9, 1))
    assert not degree_enrolment_counts(enrolled, 2016, dt.date(2016, 8, 31))
    assert not degree_enrolment_counts(enrolled, 2017, dt.date(2017, 3, 31))  # another year
    assert not degree_enrolment_counts(None, 2016, dt.date(2016, 12, 31))


def test_a_member_on_a_day_is_registered_and_not_yet_left() -> None:
    joined, left = dt.date(2016, 9, 10), dt.date(2017, 2, 10)
    assert not member_on(joined, None, dt.date(2016, 8, 31))
    assert member_on(joined, None, dt.date(2016, 9, 10))
    assert member_on(joined, left, dt.date(2017, 2, 9))
    assert not member_on(joined, left, dt.date(2017, 2, 10))


def sessions(level: str, *days: str) -> list[Attendance]:
    return [Attendance(f"s-{level}-{d}", level, "all_members", day(d)) for d in days]


def test_a_member_with_a_branch_session_every_month_meets_the_target() -> None:
    attended = sessions("branch", *[f"2016-{m:02d}-10" for m in range(1, 13)])
    result = person_training(
        2016,
        attended,
        member_since=dt.date(2010, 1, 1),
        as_of=dt.date(2016, 12, 31),
        secretary=False,
    )
    assert result.monthly_target_met and result.secretary_target_met is None


def test_a_missed_month_is_named() -> None:
    attended = sessions("branch", *[f"2016-{m:02d}-10" for m in range(1, 13) if m != 7])
    result = person_training(
        2016,
        attended,
        member_since=dt.date(2010, 1, 1),
        as_of=dt.date(2016, 12, 31),
        secretary=False,
    )
    assert result.months_missed == (7,) and not result.monthly_target_met


def test_a_secretary_needs_one_county_and_two_town_sessions() -> None:
    one_town = sessions("county", "2016-04-01") + sessions("town", "2016-05-01")
    result = person_training(
        2016,
        one_town,
        member_since=dt.date(2010, 1, 1),
        as_of=dt.date(2016, 12, 31),
        secretary=True,
    )
    assert result.secretary_target_met is False
    two_towns = one_town + sessions("town", "2016-09-01")
    result = person_training(
        2016,
        two_towns,
        member_since=dt.date(2010, 1, 1),
        as_of=dt.date(2016, 12, 31),
        secretary=True,
    )
    assert result.secretary_target_met is True


def test_sessions_after_the_as_of_date_do_not_count() -> None:
    attended = sessions("county", "2016-10-01")
    result = person_training(
        2016, attended, member_since=dt.date(2010, 1, 1), as_of=dt.date(2016, 9, 30), secretary=True
    )
    assert result.county_sessions == 0


# --- accountability -------------------------------------------------------------------------


def test_an_accountability_case_is_handled_once() -> None:
    case = AccountabilityCase("accountability-c1")
    rule = BOOK.for_accountability("党内警告")
    case.matched(
        case_id="c1",
        member_id="member-0001",
        kind="党内警告",
        rule=rule,
        decided_on=day("2016-08-01"),
    )
    [event] = then(case)
    assert (event.record_id, event.points) == ("accountability-c1", 20)  # type: ignore[attr-defined]
    then_refused(
        lambda: case.unmatched(
            case_id="c1",
            subject_member_id=None,
            subject_name="x",
            kind="x",
            reason="x",
            detail="x",
            decided_on=day("2016-08-01"),
        ),
        "已处理",
        AlreadyExists,
    )


def test_a_decision_for_a_member_not_yet_registered_waits_and_matches_once() -> None:
    case = AccountabilityCase("accountability-c2")
    case.unmatched(
        case_id="c2",
        subject_member_id="member-0009",
        subject_name="王五",
        kind="诫勉谈话",
        reason="unknown_member",
        detail="党员 member-0009 不存在",
        decided_on=day("2016-08-01"),
    )
    then(case)
    assert case.awaiting_member == "member-0009"
    rule = BOOK.for_accountability("诫勉谈话")
    then_refused(
        lambda: case.matched(
            case_id="c2", member_id="member-0008", kind="x", rule=rule, decided_on=day("2016-08-01")
        ),
        "已处理",
        AlreadyExists,
    )
    case.matched(
        case_id="c2",
        member_id="member-0009",
        kind="诫勉谈话",
        rule=rule,
        decided_on=day("2016-08-01"),
    )
    then(case)
    assert case.awaiting_member is None
    then_refused(
        lambda: case.matched(
            case_id="c2", member_id="member-0009", kind="x", rule=rule, decided_on=day("2016-08-01")
        ),
        "已处理",
        AlreadyExists,
    )
