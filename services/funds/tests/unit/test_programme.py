"""A fund programme: what it refuses, and the rules on its spending, changes and deadlines."""

import datetime as dt
from decimal import Decimal

import pytest
from funds.domain import codes, rules
from funds.domain import events as ev
from funds.domain.programme import Programme

from shared.kernel import AlreadyExists, NotFound, Refused

from .scenario import (
    VILLAGE,
    D,
    allocated,
    codes_of,
    given_programme,
    notice_opened,
    programme_created,
    when_paid,
)


def when_spent(
    programme: Programme, purpose: str, amount: str = "5000", ref: str = "e-1"
) -> list[rules.Finding]:
    spent = ev.ExpenditureRecorded(
        programme_id=programme.programme_id,
        expenditure_id=ref,
        village=VILLAGE,
        amount=Decimal(amount),
        purpose_code=purpose,
        payee="湘潭某建材公司",
        description="购买材料",
        spent_on=D(2016, 7, 1),
    )
    programme.spend(spent)
    return rules.assess_expenditure(programme, spent, "event-e")


def when_changed(
    programme: Programme,
    *,
    document: str | None = None,
    approved_on: dt.date | None = None,
    new_purpose: str | None = None,
    ref: str = "c-1",
) -> list[rules.Finding]:
    change = programme.record_change(
        change_id=ref,
        aspect="purpose" if new_purpose else "location",
        description="实施地点由一组改为三组",
        new_purpose_code=new_purpose,
        approval_document=document,
        approved_by="县农业局" if document else None,
        approved_on=approved_on,
        changed_on=D(2016, 6, 15),
    )
    return rules.assess_change(programme, change, "event-c")


# --- what a programme refuses ------------------------------------------------------------------


def test_a_programme_whose_deadline_precedes_its_start_is_refused() -> None:
    with pytest.raises(Refused, match="发放期限"):
        Programme("programme-x").create(
            programme_created(planned_start=D(2016, 9, 1), disbursement_deadline=D(2016, 8, 1))
        )


def test_a_programme_code_is_created_once() -> None:
    programme = given_programme()
    with pytest.raises(AlreadyExists):
        programme.create(programme_created())


def test_allocations_cannot_exceed_the_programme() -> None:
    programme = given_programme(allocated(amount="90000"))
    with pytest.raises(Refused, match="超过项目资金"):
        programme.allocate("a-2", "金霞村", Decimal("10001"), D(2016, 4, 12))


def test_a_village_programme_allocates_to_its_own_village_only() -> None:
    programme = given_programme(allocated(), village=VILLAGE)
    with pytest.raises(Refused, match="石壁村项目"):
        programme.allocate("a-2", "金霞村", Decimal("100"), D(2016, 4, 12))


def test_a_payment_in_a_village_without_allocation_is_refused() -> None:
    with pytest.raises(Refused, match="未分配"):
        when_paid(given_programme(), village="金霞村")


def test_a_payment_beyond_the_village_allocation_is_refused() -> None:
    programme = given_programme(allocated(amount="3000"))
    when_paid(programme, amount="2000", voucher="V-1")
    with pytest.raises(Refused, match="超出石壁村分配额度"):
        when_paid(programme, amount="2000", voucher="V-2")


def test_a_voucher_is_recorded_once() -> None:
    programme = given_programme()
    when_paid(programme, voucher="V-9")
    with pytest.raises(AlreadyExists, match="V-9"):
        when_paid(programme, voucher="V-9")


def test_a_notice_runs_at_least_seven_days() -> None:
    with pytest.raises(Refused, match="不少于7天"):
        given_programme().open_notice("n-2", VILLAGE, "公示", D(2016, 6, 1), D(2016, 6, 7))


def test_a_notice_cannot_close_before_its_end() -> None:
    programme = given_programme(allocated(), notice_opened(opened=D(2016, 6, 1)))
    with pytest.raises(Refused, match="公示期未满"):
        programme.close_notice("n-1", D(2016, 6, 5), "无异议")


def test_objections_are_recorded_while_the_notice_is_open_and_counted_at_close() -> None:
    programme = given_programme(allocated(), notice_opened(opened=D(2016, 6, 1)))
    programme.record_objection("n-1", "o-1", "张三家有财政供养人员", D(2016, 6, 3))
    programme.close_notice("n-1", D(2016, 6, 8), "异议核实后取消1户")
    closed = programme.take_pending()[-1]
    assert isinstance(closed, ev.PublicNoticeClosed) and closed.objections == 1
    with pytest.raises(Refused, match="公示已于"):
        programme.record_objection("n-1", "o-2", "迟到的异议", D(2016, 6, 9))


def test_an_unknown_notice_is_not_found() -> None:
    with pytest.raises(NotFound):
        given_programme().close_notice("nope", D(2016, 6, 9), "")


def test_a_programme_starts_once() -> None:
    programme = given_programme()
    programme.start(D(2016, 5, 1))
    with pytest.raises(AlreadyExists):
        programme.start(D(2016, 5, 2))


# --- 挪用: spending on another purpose ---------------------------------------------------------


def test_spending_on_the_programmes_purpose_is_in_order() -> None:
    assert when_spent(given_programme(), "industry") == []


def test_spending_on_another_purpose_is_diverted() -> None:
    found = when_spent(given_programme(), "administration")
    assert codes_of(found) == [codes.DIVERTED]
    assert "行政办公" in found[0].summary and "产业扶持" in found[0].summary


def test_after_an_approved_purpose_change_the_new_purpose_is_in_order() -> None:
    programme = given_programme()
    assert (
        when_changed(
            programme,
            document="潭农发〔2016〕8号",
            approved_on=D(2016, 6, 10),
            new_purpose="infrastructure",
        )
        == []
    )
    assert when_spent(programme, "infrastructure") == []


def test_an_unapproved_purpose_change_does_not_make_the_new_purpose_legal() -> None:
    programme = given_programme()
    assert codes_of(when_changed(programme, new_purpose="infrastructure")) == [
        codes.UNAPPROVED_CHANGE
    ]
    assert codes_of(when_spent(programme, "infrastructure")) == [codes.DIVERTED]


# --- 擅自变更 --------------------------------------------------------------------------------


def test_a_change_without_approval_is_flagged() -> None:
    found = when_changed(given_programme())
    assert codes_of(found) == [codes.UNAPPROVED_CHANGE]
    assert "无批准文件" in found[0].summary


def test_a_change_approved_only_afterwards_is_flagged() -> None:
    found = when_changed(given_programme(), document="补批〔2016〕1号", approved_on=D(2016, 7, 1))
    assert codes_of(found) == [codes.UNAPPROVED_CHANGE]


def test_a_change_approved_beforehand_is_in_order() -> None:
    assert (
        when_changed(given_programme(), document="潭农发〔2016〕8号", approved_on=D(2016, 6, 1))
        == []
    )


# --- 未按期启动 and 滞留 (checked with the clock) ------------------------------------------------


def test_a_programme_not_started_after_its_planned_start_is_flagged() -> None:
    found = rules.assess_deadlines(given_programme(), D(2016, 5, 2))
    assert codes_of(found) == [codes.NOT_STARTED]
    assert found[0].subject_id == "p-1" and "仍未启动" in found[0].summary


def test_on_its_planned_start_day_a_programme_is_not_late_yet() -> None:
    assert rules.assess_deadlines(given_programme(), D(2016, 5, 1)) == []


def test_a_programme_started_on_time_is_not_flagged() -> None:
    programme = given_programme()
    programme.start(D(2016, 4, 28))
    assert rules.assess_deadlines(programme, D(2016, 6, 1)) == []


def test_a_first_payment_by_the_planned_start_counts_as_started() -> None:
    programme = given_programme()
    when_paid(programme, on=D(2016, 5, 1))
    assert rules.assess_deadlines(programme, D(2016, 6, 1)) == []


def test_a_late_start_is_flagged_when_it_is_recorded() -> None:
    programme = given_programme()
    programme.start(D(2016, 6, 20))
    found = rules.assess_start(programme, D(2016, 6, 20))
    assert codes_of(found) == [codes.NOT_STARTED]
    assert "实际 2016-06-20 启动" in found[0].summary


def test_money_left_in_a_village_after_the_deadline_is_held_back() -> None:
    programme = given_programme()
    programme.start(D(2016, 5, 1))
    when_paid(programme, amount="2000")
    found = rules.assess_deadlines(programme, D(2016, 11, 1))
    assert codes_of(found) == [codes.HELD_BACK]
    assert found[0].village == VILLAGE and "18000" in found[0].summary


def test_money_fully_paid_out_is_not_held_back() -> None:
    programme = given_programme(allocated(amount="2000"), notice_opened(), *[])
    programme.start(D(2016, 5, 1))
    programme.close_notice("n-1", D(2016, 5, 8), "无异议")
    when_paid(programme, amount="2000")
    assert rules.assess_deadlines(programme, D(2016, 11, 1)) == []


def test_before_the_deadline_unpaid_money_is_not_held_back() -> None:
    programme = given_programme()
    programme.start(D(2016, 5, 1))
    assert rules.assess_deadlines(programme, D(2016, 10, 31)) == []
