"""The red-flag rules on a payment: given a programme, a person and relief's register, when the
payment is recorded, then these flags (or none)."""

from funds.domain import codes
from funds.domain.identity import flag_id_for

from .scenario import (
    LI,
    VILLAGE,
    WANG,
    ZHANG,
    D,
    allocated,
    codes_of,
    finding,
    given_person,
    given_programme,
    notice_closed,
    notice_opened,
    paid_before,
    registered,
    relation,
    when_paid,
)


def test_a_correct_payment_raises_no_flag() -> None:
    programme = given_programme()
    assert when_paid(programme) == []


# --- 发放对象不精准: not registered, not eligible ---------------------------------------------


def test_a_person_not_in_the_register_is_flagged_unregistered() -> None:
    found = when_paid(given_programme(), relief=())
    assert codes_of(found) == [codes.UNREGISTERED]
    flag = finding(found, codes.UNREGISTERED)
    assert flag.village == VILLAGE and flag.programme_id == "p-1"
    kinds = {(e.kind, e.ref) for e in flag.evidence}
    assert ("event", "event-new") in kinds
    assert flag.subject_id in {ref for kind, ref in kinds if kind == "disbursement"}


def test_a_programme_open_to_all_residents_does_not_check_the_register() -> None:
    programme = given_programme(beneficiary_rule="any_resident")
    assert when_paid(programme, relief=()) == []


def test_a_household_that_left_poverty_before_the_payment_is_ineligible() -> None:
    exited = registered(D(2015, 10, 1), (D(2016, 3, 31), "exited"))
    found = when_paid(given_programme(), relief=(exited,))
    assert codes_of(found) == [codes.INELIGIBLE]
    assert any(e.kind == "household" and e.ref == "h-1" for e in found[0].evidence)


def test_a_household_that_returned_to_poverty_is_eligible_again() -> None:
    back = registered(D(2015, 10, 1), (D(2016, 1, 31), "exited"), (D(2016, 4, 30), "returned"))
    assert when_paid(given_programme(), relief=(back,)) == []


def test_a_household_registered_only_after_the_payment_is_ineligible() -> None:
    late = registered(D(2016, 9, 1))
    assert codes_of(when_paid(given_programme(), relief=(late,), on=D(2016, 6, 1))) == [
        codes.INELIGIBLE
    ]


def test_a_household_that_exits_after_the_payment_was_eligible_when_paid() -> None:
    exits_later = registered(D(2015, 10, 1), (D(2016, 12, 1), "exited"))
    assert when_paid(given_programme(), relief=(exits_later,)) == []


def test_a_person_outside_the_programmes_age_range_is_ineligible() -> None:
    elders = given_programme(beneficiary_rule="any_resident", min_age=80, standard_amount=None)
    found = when_paid(elders, id_number=ZHANG, relief=())  # born 1960: 56 in 2016
    assert codes_of(found) == [codes.INELIGIBLE]
    assert "56 岁" in found[0].summary


def test_an_elder_within_the_age_range_is_eligible() -> None:
    elders = given_programme(beneficiary_rule="any_resident", min_age=80, standard_amount=None)
    assert when_paid(elders, id_number=LI, name="李四", relief=()) == []  # born 1930: 86


# --- 冒领: the same person paid twice -------------------------------------------------------


def test_a_second_payment_in_the_same_programme_is_a_duplicate() -> None:
    person = given_person(ZHANG, paid_before("p-1", "V-000", D(2016, 5, 20)))
    found = when_paid(given_programme(), person=person)
    assert codes_of(found) == [codes.DUPLICATE]
    refs = {e.ref for e in finding(found, codes.DUPLICATE).evidence}
    assert "event-V-000" in refs  # the earlier payment's event is evidence too


def test_a_payment_in_another_programme_is_no_duplicate() -> None:
    person = given_person(ZHANG, paid_before("p-other"))
    assert when_paid(given_programme(), person=person) == []


def test_a_payment_after_one_from_an_exclusive_programme_is_flagged() -> None:
    person = given_person(ZHANG, paid_before("p-dibao"))
    programme = given_programme(exclusive_with=("p-dibao",))
    found = when_paid(programme, person=person)
    assert codes_of(found) == [codes.DUPLICATE_EXCLUSIVE]
    assert any(e.kind == "programme" and e.ref == "p-dibao" for e in found[0].evidence)


# --- 克扣, 拨付不及时 -------------------------------------------------------------------------


def test_a_payment_below_the_standard_is_short_paid() -> None:
    found = when_paid(given_programme(), amount="1500")
    assert codes_of(found) == [codes.SHORT_PAID]
    assert "少发 500" in found[0].summary


def test_a_payment_below_its_own_lower_entitlement_is_not_short() -> None:
    assert when_paid(given_programme(), amount="1500", entitled="1500") == []


def test_a_payment_below_its_own_entitlement_is_short_paid() -> None:
    programme = given_programme(standard_amount=None)
    assert codes_of(when_paid(programme, amount="800", entitled="1000")) == [codes.SHORT_PAID]


def test_a_payment_after_the_deadline_is_late() -> None:
    found = when_paid(given_programme(), on=D(2016, 11, 2))
    assert codes_of(found) == [codes.LATE]


def test_a_payment_on_the_deadline_is_in_time() -> None:
    assert when_paid(given_programme(), on=D(2016, 10, 31)) == []


# --- 优亲厚友 ---------------------------------------------------------------------------------


def test_a_relative_of_a_village_cadre_is_flagged() -> None:
    person = given_person(ZHANG, relation("黄军", "配偶"))
    found = when_paid(given_programme(), person=person)
    assert codes_of(found) == [codes.CADRE_RELATIVE]
    assert "黄*的配偶" in found[0].summary
    assert any(e.kind == "relation" for e in found[0].evidence)


def test_someone_elses_relation_does_not_flag_this_person() -> None:
    other = given_person(WANG, relation(id_number=WANG))
    assert other.relations
    assert when_paid(given_programme()) == []


# --- 公示: paid before the notice closed --------------------------------------------------------


def test_a_payment_while_the_notice_is_still_open_is_flagged() -> None:
    programme = given_programme(allocated(), notice_opened(opened=D(2016, 5, 28)))
    found = when_paid(programme, on=D(2016, 6, 1))
    assert codes_of(found) == [codes.PAID_BEFORE_NOTICE]
    assert any(e.kind == "notice" and e.ref == "n-1" for e in found[0].evidence)


def test_a_payment_without_any_notice_is_flagged() -> None:
    found = when_paid(given_programme(allocated()))
    assert codes_of(found) == [codes.PAID_BEFORE_NOTICE]
    assert "未经公示" in found[0].summary


def test_a_notice_in_another_village_does_not_count() -> None:
    programme = given_programme(allocated(), notice_opened(village="金霞村"), notice_closed())
    assert codes_of(when_paid(programme)) == [codes.PAID_BEFORE_NOTICE]


def test_a_closed_town_wide_notice_covers_every_village() -> None:
    programme = given_programme(allocated(), notice_opened(village=None), notice_closed())
    assert when_paid(programme) == []


def test_a_payment_on_the_day_the_notice_closed_is_in_order() -> None:
    programme = given_programme(allocated(), notice_opened(), notice_closed(D(2016, 6, 1)))
    assert when_paid(programme, on=D(2016, 6, 1)) == []


# --- what a flag says -------------------------------------------------------------------------


def test_several_problems_give_one_finding_each() -> None:
    person = given_person(ZHANG, paid_before("p-1"), relation())
    found = when_paid(given_programme(), person=person, relief=(), amount="1000", on=D(2016, 11, 5))
    assert codes_of(found) == sorted(
        [
            codes.UNREGISTERED,
            codes.DUPLICATE,
            codes.SHORT_PAID,
            codes.LATE,
            codes.CADRE_RELATIVE,
        ]
    )


def test_summaries_carry_names_and_id_numbers_masked() -> None:
    found = when_paid(given_programme(), relief=(), name="张三丰")
    summary = found[0].summary
    assert "张**" in summary and ZHANG not in summary and "430321********" in summary


def test_a_flag_id_is_stable_for_its_code_and_subject() -> None:
    found = when_paid(given_programme(), relief=())
    assert found[0].flag_id == flag_id_for(codes.UNREGISTERED, found[0].subject_id)
    assert flag_id_for(codes.LATE, found[0].subject_id) != found[0].flag_id


def test_money_is_decimal_in_findings() -> None:
    found = when_paid(given_programme(), amount="1999.99")
    assert "少发 0.01 元" in finding(found, codes.SHORT_PAID).summary
