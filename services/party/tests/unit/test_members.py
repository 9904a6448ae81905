"""Members: admission, conversion, transfer — the rules the plan and the rule book set."""

import dataclasses

from party.domain.events import MemberConverted, MemberJoined, MemberTransferred
from party.domain.members import BranchRef, Member
from party.domain.rules import RuleBook

from shared.kernel import AlreadyExists, InvalidResidentId, ResidentId, make_resident_id

from .given import (
    ADULT_ID,
    BOOK,
    awarded,
    day,
    deducted,
    given,
    identified,
    joined,
    then,
    then_refused,
)

BRANCH = BranchRef("branch-a", "石壁村")
OTHER = BranchRef("branch-b", "金霞村")


def join(member: Member, **overrides: object) -> None:
    values: dict[str, object] = {
        "branch": BRANCH,
        "name": "李红",
        "id_number": ADULT_ID,
        "membership": "probationary",
        "joined_party_on": day("2016-06-01"),
        "on": day("2016-06-10"),
        "book": BOOK,
    }
    values.update(overrides)
    member.join(**values)  # type: ignore[arg-type]


# --- admission ---------------------------------------------------------------------------


def test_a_new_member_joins_as_probationary_with_the_branchs_village() -> None:
    member = Member("member-0001")
    join(member)
    [event] = then(member)
    assert isinstance(event, MemberJoined)
    assert (event.branch_id, event.village, event.membership) == (
        "branch-a",
        "石壁村",
        "probationary",
    )
    assert event.id_number == ADULT_ID.value


def test_admission_before_the_eighteenth_birthday_is_refused() -> None:
    teenager = make_resident_id("43032120000101002")  # born 2000-01-01
    then_refused(lambda: join(Member("member-0001"), id_number=teenager), "十八岁")


def test_a_member_admitted_less_than_a_year_ago_cannot_be_registered_as_full() -> None:
    then_refused(lambda: join(Member("member-0001"), membership="full"), "预备党员")


def test_admission_after_the_registration_day_is_refused() -> None:
    then_refused(lambda: join(Member("member-0001"), joined_party_on=day("2016-07-01")), "晚于")


def test_the_same_member_id_cannot_join_twice() -> None:
    member = given(Member, joined())
    then_refused(lambda: join(member), "已登记", AlreadyExists)


def test_a_wrong_check_character_is_refused() -> None:
    then_refused(lambda: ResidentId(ADULT_ID.value[:17] + "0"), "校验位", InvalidResidentId)


# --- conversion (转正) ---------------------------------------------------------------------


def probationary() -> Member:
    return given(
        Member, joined(membership="probationary", joined_party_on="2016-03-01", on="2016-03-05")
    )


def test_conversion_is_refused_before_the_year_of_probation_is_over() -> None:
    member = probationary()
    then_refused(lambda: member.convert(on=day("2017-02-28"), book=BOOK), "预备期")


def test_a_probationary_member_converts_after_a_year_with_the_points_of_the_year() -> None:
    member = probationary()
    member.convert(on=day("2017-03-01"), book=BOOK)
    [event] = then(member)
    assert isinstance(event, MemberConverted)
    assert (event.year, event.points) == (2017, 60)
    assert member.status == "full"


def test_conversion_is_refused_while_the_years_points_are_below_the_threshold() -> None:
    member = probationary()
    member.replay([deducted("KF01", 3, "2017-01-15")])  # 60 - 3 = 57 < 60
    then_refused(lambda: member.convert(on=day("2017-03-01"), book=BOOK), "低于转正要求")


def test_conversion_is_allowed_when_the_book_sets_no_threshold() -> None:
    member = probationary()
    member.replay([deducted("KF01", 3, "2017-01-15")])
    lenient: RuleBook = dataclasses.replace(BOOK, conversion_min_points=None)
    member.convert(on=day("2017-03-01"), book=lenient)
    assert isinstance(then(member)[0], MemberConverted)


def test_a_full_member_cannot_be_converted() -> None:
    member = given(Member, joined())
    then_refused(lambda: member.convert(on=day("2016-05-01"), book=BOOK), "不是预备党员")


def test_conversion_is_refused_while_the_unqualified_procedure_is_open() -> None:
    member = given(
        Member,
        joined(membership="probationary", joined_party_on="2015-10-01", on="2015-10-05"),
        identified(2015),
    )
    then_refused(lambda: member.convert(on=day("2016-10-05"), book=BOOK), "处置程序")


# --- transfer (组织关系转接) ---------------------------------------------------------------


def test_a_transfer_moves_the_member_with_the_points_record() -> None:
    member = given(Member, joined(), awarded("KJ01", 4, "2016-03-01"))
    member.transfer(to=OTHER, on=day("2016-04-01"), book=BOOK, is_secretary=False)
    [event] = then(member)
    assert isinstance(event, MemberTransferred)
    assert (event.from_branch_id, event.to_branch_id, event.points) == ("branch-a", "branch-b", 64)
    assert (member.branch_id, member.village, member.points(2016, BOOK)) == (
        "branch-b",
        "金霞村",
        64,
    )


def test_a_transfer_to_the_same_branch_is_refused() -> None:
    member = given(Member, joined())
    then_refused(
        lambda: member.transfer(to=BRANCH, on=day("2016-04-01"), book=BOOK, is_secretary=False),
        "相同",
    )


def test_the_sitting_branch_secretary_cannot_transfer() -> None:
    member = given(Member, joined())
    then_refused(
        lambda: member.transfer(to=OTHER, on=day("2016-04-01"), book=BOOK, is_secretary=True),
        "书记",
    )


def test_no_transfer_while_the_unqualified_procedure_is_open() -> None:
    member = given(Member, joined(), identified(2016))
    then_refused(
        lambda: member.transfer(to=OTHER, on=day("2017-01-05"), book=BOOK, is_secretary=False),
        "处置程序",
    )


def test_a_book_with_a_transfer_minimum_refuses_low_points() -> None:
    strict = dataclasses.replace(BOOK, transfer_min_points=60)
    member = given(Member, joined(), deducted("KF02", 5, "2016-02-01"))
    then_refused(
        lambda: member.transfer(to=OTHER, on=day("2016-04-01"), book=strict, is_secretary=False),
        "低于转接要求",
    )


# --- degree education ----------------------------------------------------------------------


def test_a_member_is_sent_to_degree_education_once() -> None:
    member = given(Member, joined())
    member.enrol_in_degree_education(
        institution="湘潭大学", level="associate", on=day("2016-09-01")
    )
    assert then(member)
    then_refused(
        lambda: member.enrol_in_degree_education(
            institution="湘潭大学", level="associate", on=day("2016-09-02")
        ),
        "已选派",
        AlreadyExists,
    )


def test_an_unknown_degree_level_is_refused() -> None:
    member = given(Member, joined())
    then_refused(
        lambda: member.enrol_in_degree_education(
            institution="x", level="phd", on=day("2016-09-01")
        ),
        "学历层次",
    )
