"""Measure 1, the registered household: registration, correction, income, the 两不愁三保障,
exit from poverty (脱贫) and return (返贫)."""

import datetime as dt
from decimal import Decimal

from relief.application.commands import (
    AssessIncome,
    CheckGuarantees,
    CorrectHouseholdRecord,
    ExitPoverty,
    RegisterHousehold,
    ReturnToPoverty,
)
from relief.domain.events import (
    HeadIdNumberClaimed,
    HouseholdExitedPoverty,
    HouseholdIncomeAssessed,
    HouseholdRecordCorrected,
    HouseholdRegistered,
    HouseholdReturnedToPoverty,
    MemberRecord,
)
from relief.domain.household_record import Person, head_index_stream

from shared.kernel import AlreadyExists, ConcurrencyConflict, NotFound, Refused
from shared.pipeline import OutOfScope as Forbidden
from shared.pipeline import Scope

from .scenario import (
    HEAD_ID,
    HOUSEHOLD,
    POLICY,
    SPOUSE_ID,
    STREAM,
    Scenario,
    assessed,
    checked,
    exited,
    registered,
    resident,
    unchecked,
)

DAY = dt.date(2016, 3, 1)


def register(**changes: object) -> RegisterHousehold:
    values: dict[str, object] = {
        "occurred_on": DAY,
        "village": "石壁村",
        "head_name": "张建国",
        "head_id_number": HEAD_ID,
        "members": [Person("李秀英", SPOUSE_ID, "配偶")],
        "causes": ["因病"],
        "income_per_head": Decimal("1800"),
        "household_id": HOUSEHOLD,
    }
    values.update(changes)
    return unchecked(RegisterHousehold, **values)


# --- registration -------------------------------------------------------------------------


def test_a_household_is_registered_with_its_head_first_among_the_members() -> None:
    s = Scenario().when(register())
    s.then(registered(), HeadIdNumberClaimed(household_id=HOUSEHOLD))
    assert s.written is not None and (s.written.id, s.written.version) == (HOUSEHOLD, 1)
    assert s.events(head_index_stream(HEAD_ID)) == [HeadIdNumberClaimed(household_id=HOUSEHOLD)]


def test_the_same_head_cannot_be_registered_twice() -> None:
    s = Scenario().when(register())
    s.refused(
        register(household_id=None, head_name="张建国", members=[]),
        "已建档",
        kind=AlreadyExists,
    )


def test_a_lower_case_check_character_is_the_same_head() -> None:
    head = make_x_id()
    s = Scenario().when(register(head_id_number=head, members=[]))
    s.refused(register(household_id=None, head_id_number=head.lower(), members=[]), "已建档")


def make_x_id() -> str:
    for n in range(1000):
        number = resident(n, "19650707")
        if number.endswith("X"):
            return number
    raise AssertionError("no X check character found")


def test_an_unknown_village_is_refused() -> None:
    Scenario().refused(register(village="不存在村"), "未知村/社区", kind=Refused)


def test_a_bad_id_number_checksum_is_refused() -> None:
    bad = HEAD_ID[:17] + ("0" if HEAD_ID[17] != "0" else "1")
    Scenario().refused(register(head_id_number=bad), "校验位错误", kind=Refused)


def test_a_member_with_a_bad_id_number_is_refused() -> None:
    members = [Person("李秀英", SPOUSE_ID[:-1] + "Z", "配偶")]
    Scenario().refused(register(members=members), "身份证号格式错误", kind=Refused)


def test_negative_income_is_refused() -> None:
    Scenario().refused(register(income_per_head=Decimal("-1")), "不能为负数", kind=Refused)


def test_causes_are_required_and_from_the_list() -> None:
    Scenario().refused(register(causes=[]), "至少填写一项致贫原因")
    Scenario().refused(register(causes=["懒"]), "致贫原因“懒”无效")


def test_a_person_listed_twice_or_a_second_head_is_refused() -> None:
    Scenario().refused(register(members=[Person("张建国", HEAD_ID, "子女")]), "重复")
    Scenario().refused(register(members=[Person("李秀英", SPOUSE_ID, "户主")]), "只能有一位户主")


def test_a_clerk_registers_in_their_own_village_only() -> None:
    Scenario().when(register(), Scope("石壁村")).then_types(
        HouseholdRegistered, HeadIdNumberClaimed
    )
    Scenario().refused(register(), "只能操作本村", kind=Forbidden, scope=Scope("金霞村"))


def test_a_business_day_in_the_future_is_refused() -> None:
    Scenario().refused(register(occurred_on=dt.date(2030, 1, 1)), "晚于今天")


def test_a_lost_race_is_retried_on_fresh_state() -> None:
    s = Scenario()
    s.store.conflicts_to_raise = 1
    s.when(register()).then_types(HouseholdRegistered, HeadIdNumberClaimed)


# --- correction and income -----------------------------------------------------------------


def test_the_record_is_corrected_with_a_reason() -> None:
    child = resident(13, "20050612")
    cmd = CorrectHouseholdRecord(
        occurred_on=dt.date(2016, 4, 2),
        household_id=HOUSEHOLD,
        head_name="张建国",
        members=[Person("李秀英", SPOUSE_ID, "配偶"), Person("张小军", child, "子女")],
        causes=["因病", "因学"],
        reason="漏登子女",
    )
    s = Scenario().given(STREAM, registered()).when(cmd)
    event = s.new[0][1]
    assert isinstance(event, HouseholdRecordCorrected)
    assert event.members[-1] == MemberRecord(name="张小军", id_number=child, relation="子女")
    assert event.causes == ["因病", "因学"]


def test_a_correction_that_changes_nothing_or_has_no_reason_is_refused() -> None:
    same = unchecked(
        CorrectHouseholdRecord,
        household_id=HOUSEHOLD,
        head_name="张建国",
        members=[Person("李秀英", SPOUSE_ID, "配偶")],
        causes=["因病"],
        reason="核对",
    )
    Scenario().given(STREAM, registered()).refused(same, "更正内容与现有记录相同")
    other = unchecked(
        CorrectHouseholdRecord,
        household_id=HOUSEHOLD,
        head_name="张建国",
        members=[],
        causes=["因病"],
        reason=" ",
    )
    Scenario().given(STREAM, registered()).refused(other, "须说明原因")


def test_income_is_assessed_for_the_year_of_the_business_day() -> None:
    cmd = AssessIncome(
        occurred_on=dt.date(2016, 11, 20), household_id=HOUSEHOLD, income_per_head=Decimal("3100")
    )
    Scenario().given(STREAM, registered()).when(cmd).then(assessed("3100"))


def test_income_of_a_year_not_yet_begun_or_negative_is_refused() -> None:
    future = unchecked(
        AssessIncome,
        occurred_on=dt.date(2016, 11, 20),
        household_id=HOUSEHOLD,
        income_per_head=Decimal("3100"),
        year=2017,
    )
    Scenario().given(STREAM, registered()).refused(future, "年度收入")
    negative = unchecked(AssessIncome, household_id=HOUSEHOLD, income_per_head=Decimal("-5"))
    Scenario().given(STREAM, registered()).refused(negative, "不能为负数")


def test_an_unknown_household_is_not_found() -> None:
    cmd = AssessIncome(household_id="nope", income_per_head=Decimal("1"))
    Scenario().refused(cmd, "不存在", kind=NotFound)


def test_a_stale_expected_version_is_a_conflict() -> None:
    cmd = AssessIncome(household_id=HOUSEHOLD, income_per_head=Decimal("1"), expected_version=0)
    Scenario().given(STREAM, registered()).refused(cmd, "版本", kind=ConcurrencyConflict)


def test_a_clerk_of_another_village_may_not_change_the_household() -> None:
    cmd = AssessIncome(household_id=HOUSEHOLD, income_per_head=Decimal("3000"))
    s = Scenario().given(STREAM, registered())
    s.refused(cmd, "只能操作本村", kind=Forbidden, scope=Scope("梅林村"))
    s.when(cmd, Scope("石壁村")).then_types(HouseholdIncomeAssessed)


# --- exit from poverty (脱贫) -------------------------------------------------------------------

EXIT = ExitPoverty(occurred_on=dt.date(2016, 12, 20), household_id=HOUSEHOLD)


def test_a_household_exits_when_income_is_above_the_line_and_every_guarantee_is_met() -> None:
    s = Scenario().given(STREAM, registered(), assessed("3200"), checked()).when(EXIT)
    s.then(exited())
    event = s.new[0][1]
    assert isinstance(event, HouseholdExitedPoverty)
    assert event.poverty_line == Decimal("2952") == POLICY.lines.line_for(2016)


def test_exit_is_refused_while_income_is_not_above_the_line() -> None:
    s = Scenario().given(STREAM, registered(), assessed("2952"), checked())
    s.refused(EXIT, "未超过贫困线 2952", kind=Refused)


def test_exit_is_refused_without_an_income_assessment_of_that_year() -> None:
    s = Scenario().given(
        STREAM,
        registered(on=dt.date(2015, 6, 1)),
        assessed("3500", year=2015, on=dt.date(2015, 11, 1)),
        checked(),
    )
    s.refused(EXIT, "尚无 2016 年度人均纯收入核定")


def test_exit_is_refused_before_the_guarantees_are_checked() -> None:
    s = Scenario().given(STREAM, registered(), assessed("3200"))
    s.refused(EXIT, "尚未记录“两不愁三保障”核验")


def test_exit_is_refused_while_housing_is_unsafe() -> None:
    s = Scenario().given(STREAM, registered(), assessed("3200"), checked(housing=False))
    s.refused(EXIT, "住房安全保障 (safe housing)")


def test_every_unmet_condition_is_named_at_once() -> None:
    s = Scenario().given(
        STREAM, registered(), assessed("2000"), checked(education=False, medical=False)
    )
    error = s.refused(EXIT, "未超过贫困线")
    assert "义务教育保障" in str(error) and "基本医疗保障" in str(error)


def test_exit_is_refused_in_a_year_without_a_configured_line() -> None:
    cmd = unchecked(ExitPoverty, occurred_on=dt.date(2015, 12, 1), household_id=HOUSEHOLD)
    s = Scenario().given(STREAM, registered(on=dt.date(2015, 1, 5)), checked())
    s.refused(cmd, "未配置 2015 年度贫困线")


def test_a_household_cannot_exit_twice() -> None:
    s = Scenario().given(STREAM, registered(), assessed("3200"), checked(), exited())
    s.refused(EXIT, "已于 2016-12-20 脱贫")


def test_the_guarantee_check_is_recorded_as_given() -> None:
    cmd = CheckGuarantees(
        occurred_on=dt.date(2016, 11, 25),
        household_id=HOUSEHOLD,
        food=True,
        clothing=True,
        education=True,
        medical=True,
        housing=False,
    )
    Scenario().given(STREAM, registered()).when(cmd).then(checked(housing=False))


# --- return to poverty (返贫) -------------------------------------------------------------------

RETURN = ReturnToPoverty(
    occurred_on=dt.date(2017, 5, 3), household_id=HOUSEHOLD, reason="户主重病住院"
)


def test_an_exited_household_returns_to_poverty_with_a_reason() -> None:
    s = Scenario().given(STREAM, registered(), assessed("3200"), checked(), exited())
    s.when(RETURN).then(
        HouseholdReturnedToPoverty(
            household_id=HOUSEHOLD, returned_on=dt.date(2017, 5, 3), reason="户主重病住院"
        )
    )


def test_only_an_exited_household_can_return() -> None:
    Scenario().given(STREAM, registered()).refused(RETURN, "只有已脱贫的户")


def test_a_return_needs_a_reason_and_a_date_after_the_exit() -> None:
    s = Scenario().given(STREAM, registered(), assessed("3200"), checked(), exited())
    no_reason = unchecked(
        ReturnToPoverty, occurred_on=dt.date(2017, 5, 3), household_id=HOUSEHOLD, reason=""
    )
    s.refused(no_reason, "须说明原因")
    early = unchecked(
        ReturnToPoverty, occurred_on=dt.date(2016, 12, 1), household_id=HOUSEHOLD, reason="病"
    )
    s.refused(early, "早于脱贫日期")


def test_a_returned_household_may_exit_again_next_year() -> None:
    s = Scenario().given(
        STREAM,
        registered(),
        assessed("3200"),
        checked(),
        exited(),
        HouseholdReturnedToPoverty(
            household_id=HOUSEHOLD, returned_on=dt.date(2017, 2, 1), reason="因灾"
        ),
        assessed("3400", year=2017, on=dt.date(2017, 6, 1)),
        checked(on=dt.date(2017, 6, 2)),
    )
    s.when(ExitPoverty(occurred_on=dt.date(2017, 6, 20), household_id=HOUSEHOLD))
    event = s.new[0][1]
    assert isinstance(event, HouseholdExitedPoverty)
    assert (event.poverty_line, event.line_year) == (POLICY.lines.line_for(2017), 2017)
