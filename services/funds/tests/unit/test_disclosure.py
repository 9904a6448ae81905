"""Village finance disclosure (阳光村务): quarterly, by the end of the following month; a
village missing a due disclosure is overdue as of a given day."""

import datetime as dt
from decimal import Decimal

import pytest
from funds.domain.disclosure import FinanceDisclosures, due_quarters
from funds.domain.values import Quarter, ReliefRecord

from shared.kernel import AlreadyExists, Refused

from .scenario import settle

D = dt.date


def given_disclosed(*periods: tuple[str, dt.date]) -> FinanceDisclosures:
    disclosures = FinanceDisclosures("disclosure-430321100201")
    for period, on in periods:
        disclosures.disclose(
            village="石壁村",
            period=Quarter.parse(period),
            income_total=Decimal("52000"),
            expenditure_total=Decimal("48000"),
            channel="村务公开栏",
            on=on,
        )
    settle(disclosures)
    return disclosures


def test_a_quarter_is_due_by_the_end_of_the_next_month() -> None:
    assert Quarter.parse("2016Q4").due_on == D(2017, 1, 31)
    assert Quarter.parse("2016-Q1").due_on == D(2016, 4, 30)
    assert str(Quarter(2016, 4).next()) == "2017Q1"


def test_due_quarters_count_from_2016() -> None:
    assert [str(q) for q in due_quarters(D(2016, 8, 1))] == ["2016Q1", "2016Q2"]
    assert due_quarters(D(2016, 4, 30)) == []


def test_a_village_that_disclosed_every_due_quarter_is_not_overdue() -> None:
    disclosures = given_disclosed(("2016Q1", D(2016, 4, 10)), ("2016Q2", D(2016, 7, 8)))
    assert disclosures.overdue(D(2016, 9, 30)) == []


def test_a_missing_due_quarter_makes_the_village_overdue() -> None:
    disclosures = given_disclosed(("2016Q1", D(2016, 4, 10)))
    assert [str(q) for q in disclosures.overdue(D(2016, 8, 1))] == ["2016Q2"]


def test_a_quarter_not_yet_due_is_not_overdue() -> None:
    disclosures = given_disclosed(("2016Q1", D(2016, 4, 10)))
    assert disclosures.overdue(D(2016, 7, 31)) == []


def test_a_late_disclosure_was_overdue_until_it_came() -> None:
    disclosures = given_disclosed(("2016Q1", D(2016, 6, 10)))
    assert [str(q) for q in disclosures.overdue(D(2016, 5, 15))] == ["2016Q1"]
    assert disclosures.overdue(D(2016, 6, 30)) == []
    assert [str(q) for q in disclosures.late()] == ["2016Q1"]


def test_a_quarter_is_disclosed_after_it_ends_and_once() -> None:
    with pytest.raises(Refused, match="尚未结束"):
        given_disclosed(("2016Q2", D(2016, 6, 30)))
    with pytest.raises(AlreadyExists):
        given_disclosed(("2016Q1", D(2016, 4, 10)), ("2016Q1", D(2016, 4, 11)))


def test_a_bad_period_is_refused() -> None:
    with pytest.raises(Refused, match="季度格式"):
        Quarter.parse("2016Q5")


# --- relief's register as funds sees it ----------------------------------------------------------


def test_a_household_is_poor_from_registration_until_it_exits() -> None:
    record = ReliefRecord("h", "石壁村", D(2015, 10, 1), ((D(2016, 11, 30), "exited"),))
    assert not record.in_poverty_on(D(2015, 9, 30))
    assert record.in_poverty_on(D(2016, 11, 29))
    assert not record.in_poverty_on(D(2016, 11, 30))


def test_a_quarter_of_a_year_no_calendar_has_is_refused_not_a_crash() -> None:
    for text in ("0000Q1", "9999Q4"):
        with pytest.raises(Refused, match="年份"):
            Quarter.parse(text)
    assert Quarter.parse("2016Q3") == Quarter(2016, 3)


def test_funds_steps_are_the_shared_vocabulary_of_village_affairs() -> None:
    """The steps funds' acts name are the words supervision's lists ask for (one vocabulary)."""
    from funds.domain.values import STEP_LABELS, Step

    from shared.village_affairs import STEPS

    assert [s.value for s in Step] == list(STEPS)
    assert all(STEP_LABELS[s] for s in Step)
