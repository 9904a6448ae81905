"""As-of days in China time, periods, deadlines; masking by role; village scope."""

import datetime as dt

import pytest
from projection.domain.access import OutOfScope, village_scope
from projection.domain.masking import redact
from projection.domain.timeframe import BadPeriod, Window, after_day, parse_deadline, parse_period
from projection.views.overview import progress

from shared.clock import end_of_day
from shared.roles import Principal, Role


def test_as_of_is_the_end_of_the_day_in_china() -> None:
    day = dt.date(2016, 11, 20)
    assert after_day(day) == dt.datetime(2016, 11, 20, 16, tzinfo=dt.UTC)
    assert after_day(day) - end_of_day(day) == dt.timedelta(microseconds=1)  # just after it
    window = Window.build(as_of=dt.date(2016, 12, 31), period="2016-Q3")
    assert window.state_day == dt.date(2016, 9, 30)  # the earlier of as_of and the period's end
    assert window.flow_start == dt.datetime(2016, 6, 30, 16, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2016", dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
        ("2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
        ("2016-Q4", dt.date(2016, 10, 1), dt.date(2016, 12, 31)),
        ("2017-h1", dt.date(2017, 1, 1), dt.date(2017, 6, 30)),
    ],
)
def test_periods(text: str, start: dt.date, end: dt.date) -> None:
    assert parse_period(text) == (start, end)


def test_bad_periods_are_refused() -> None:
    for text in ("2016-13", "last year", "2016-Q5"):
        with pytest.raises(BadPeriod):
            parse_period(text)
    with pytest.raises(BadPeriod):
        Window.build(start=dt.date(2016, 5, 1), end=dt.date(2016, 4, 1))


def test_the_plans_deadlines() -> None:
    assert parse_deadline("2016年12月") == dt.date(2016, 12, 31)
    assert parse_deadline("2017-12") == dt.date(2017, 12, 31)
    assert parse_deadline("2016-06-30") == dt.date(2016, 6, 30)
    assert parse_deadline("长期") is None


def test_personal_data_is_masked_unless_the_role_may_see_it() -> None:
    row = {
        "head_name": "欧阳娜娜",
        "head_id_number": "430321196001010004",
        "branch_name": "石壁村党支部",
        "summary": "发给 430321196001010004 的补贴少了",
        "members": [{"name": "张大山", "id_number": "430321196001010004", "relation": "户主"}],
        "leader_name": "周敏",
    }
    masked = redact(row, full=False)
    assert masked["head_name"] == "欧阳**"
    assert masked["head_id_number"] == "430321********0004"
    assert masked["branch_name"] == "石壁村党支部"
    assert "430321196001010004" not in masked["summary"]
    assert masked["members"][0]["name"] == "张**"
    assert masked["leader_name"] == "周敏"  # an official in an official role
    assert redact(row, full=True) == row
    assert (
        redact({"name": "产业扶贫到户补助"}, full=False, kind="programme")["name"]
        == "产业扶贫到户补助"
    )
    assert redact({"name": "黄军"}, full=False, kind="member")["name"] == "黄*"


def test_village_clerks_are_held_to_their_village() -> None:
    clerk = Principal("c", "文书", Role.VILLAGE_CLERK, "石壁村")
    assert village_scope(clerk, None) == "石壁村"
    with pytest.raises(OutOfScope):
        village_scope(clerk, "金霞村")
    leader = Principal("s", "书记", Role.TOWN_SECRETARY)
    assert village_scope(leader, "金霞村") == "金霞村"


def test_progress_is_the_mean_of_capped_indicators() -> None:
    assert progress([("岗位", 75, 50), ("贫困生", 5, 10)]) == 75.0
    assert progress([("无目标", 3, 0)]) is None
