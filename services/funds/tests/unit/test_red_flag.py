"""A red flag: raised once by a rule, then acknowledged, explained or confirmed — never deleted;
supervision's outcome recorded once per clue. And the table of codes."""

import dataclasses

import pytest
from funds.domain import codes
from funds.domain import events as ev
from funds.domain.red_flag import RedFlag
from funds.domain.rules import Finding
from funds.domain.values import FlagStatus, Severity

from shared.kernel import AlreadyExists, NotFound, Refused

from .scenario import D, given_programme, settle, when_paid


def a_finding(code: str = codes.UNREGISTERED) -> Finding:
    (found,) = [f for f in when_paid(given_programme(), relief=()) if f.code == codes.UNREGISTERED]
    return dataclasses.replace(found, code=code)


def given_raised(code: str = codes.UNREGISTERED) -> RedFlag:
    finding = a_finding(code)
    flag = RedFlag(f"redflag-{finding.flag_id}")
    flag.raise_flag(finding, D(2016, 6, 1))
    settle(flag)
    return flag


def test_a_raised_flag_carries_code_label_severity_and_evidence() -> None:
    finding = a_finding()
    flag = RedFlag(f"redflag-{finding.flag_id}")
    flag.raise_flag(finding, D(2016, 6, 1))
    (raised,) = flag.take_pending()
    assert isinstance(raised, ev.RedFlagRaised)
    assert raised.code == "FUNDS-UNREGISTERED" and raised.label == "发放对象未建档立卡"
    assert raised.severity == "high" and raised.evidence == finding.evidence
    assert raised.flag_id == finding.flag_id == flag.flag_id


def test_raising_a_flag_again_changes_nothing() -> None:
    flag = given_raised()
    flag.raise_flag(a_finding(), D(2016, 7, 1))
    assert flag.take_pending() == []


def test_an_explanation_can_be_overruled_by_confirmation() -> None:
    flag = given_raised()
    flag.acknowledge("已签收，核查中", D(2016, 6, 2))
    flag.explain("经核实，该户于2016年5月补录建档", D(2016, 6, 5))
    flag.confirm("补录材料系伪造", D(2016, 6, 20))
    *_, confirmed = flag.take_pending()
    assert isinstance(confirmed, ev.RedFlagConfirmed)
    assert flag.status is FlagStatus.CONFIRMED
    facts = flag.facts
    assert (confirmed.flag_id, confirmed.code, confirmed.village, confirmed.programme_id) == (
        facts.flag_id,
        facts.code,
        facts.village,
        facts.programme_id,
    )
    assert confirmed.summary == facts.summary and confirmed.severity == "high"
    assert confirmed.confirmed_on == D(2016, 6, 20)
    assert len(flag.history) == 4  # raised, acknowledged, explained, confirmed: nothing removed


def test_a_flag_is_acknowledged_once() -> None:
    flag = given_raised()
    flag.acknowledge("", D(2016, 6, 2))
    with pytest.raises(AlreadyExists):
        flag.acknowledge("", D(2016, 6, 3))


def test_a_confirmed_flag_cannot_be_explained_away() -> None:
    flag = given_raised()
    flag.confirm("属实", D(2016, 6, 2))
    with pytest.raises(Refused, match="已确认"):
        flag.explain("其实没问题", D(2016, 6, 3))
    with pytest.raises(AlreadyExists):
        flag.confirm("again", D(2016, 6, 4))


def test_an_explanation_must_say_something() -> None:
    with pytest.raises(Refused):
        given_raised().explain("  ", D(2016, 6, 3))


def test_a_flag_has_no_way_to_be_deleted() -> None:
    assert not [name for name in dir(RedFlag) if "delete" in name or "remove" in name]


def test_supervisions_outcome_is_recorded_once_per_clue() -> None:
    flag = given_raised()
    flag.confirm("属实", D(2016, 6, 2))
    assert flag.record_outcome("clue-1", "accountability", D(2016, 8, 1))
    assert not flag.record_outcome("clue-1", "accountability", D(2016, 8, 1))
    settle(flag)
    assert not flag.record_outcome("clue-1", "accountability", D(2016, 8, 1))
    assert [o.outcome for o in flag.outcomes] == ["accountability"]


# --- the table of codes -------------------------------------------------------------------------

STABLE = [
    "FUNDS-UNREGISTERED",
    "FUNDS-INELIGIBLE",
    "FUNDS-DUPLICATE",
    "FUNDS-DUPLICATE-EXCLUSIVE",
    "FUNDS-SHORT-PAID",
    "FUNDS-LATE",
    "FUNDS-HELD-BACK",
    "FUNDS-CADRE-RELATIVE",
    "FUNDS-NOT-STARTED",
    "FUNDS-UNAPPROVED-CHANGE",
    "FUNDS-DIVERTED",
    "FUNDS-PAID-BEFORE-NOTICE",
    "FUNDS-DISCLOSURE-MISMATCH",
]


def test_codes_are_stable_identifiers_with_zh_labels() -> None:
    assert list(codes.CODES) == STABLE  # history refers to them: never rename one
    for info in codes.CODES.values():
        assert info.label and all("\u4e00" <= ch <= "\u9fff" for ch in info.label[:2])
        assert isinstance(info.severity, Severity)


def test_every_code_maps_to_the_plans_categories() -> None:
    for info in codes.CODES.values():
        assert info.categories or info.behaviours, info.code
        assert all(1 <= i <= 9 for i in info.categories)
        assert all(1 <= i <= 8 for i in info.behaviours)
    covered = {i for info in codes.CODES.values() for i in info.categories}
    assert covered == {1, 2, 3, 4, 6, 7, 8}  # 5 (procurement) and 9 (old cases): see docstring
    behaved = {i for info in codes.CODES.values() for i in info.behaviours}
    assert behaved == {1, 2, 3, 4, 5, 7}  # 6 and 8 do not pass through a programme's books


def test_every_code_is_documented_in_the_modules_table() -> None:
    for code in codes.CODES:
        assert code in (codes.__doc__ or "")


def test_an_unknown_code_is_not_found() -> None:
    with pytest.raises(NotFound, match="未知预警代码"):
        codes.code_info("FUNDS-NOPE")
