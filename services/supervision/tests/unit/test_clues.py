"""Inaction reports and corruption clues: received → verified → accountability decided →
concluded, or dismissed with reasons; red-flag clues come from funds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from supervision.domain.clues import Clue, red_flag_clue_id
from supervision.domain.events import (
    AccountabilityDecided,
    ClueConcluded,
    ClueReceived,
    ClueVerified,
)

from shared.kernel import Event, Refused

D = dt.date
RECEIVED = ClueReceived(
    clue_id="c-1",
    category="雁过拔毛",
    measure=13,
    channel="举报",
    summary="村干部冒领低保金",
    village="石壁村",
    subject_name="黄某",
    subject_post="村会计",
    subject_member_id="member-shibi-02",
    received_on=D(2016, 7, 1),
)
VERIFIED = ClueVerified(clue_id="c-1", verified_on=D(2016, 7, 20), findings="冒领属实")


def decided(n: int = 1) -> AccountabilityDecided:
    return AccountabilityDecided(
        case_id=f"c-1-a{n}",
        clue_id="c-1",
        subject_member_id="member-shibi-02",
        subject_name="黄某",
        subject_post="村会计",
        kind="党内警告",
        reason="冒领低保金",
        decided_on=D(2016, 8, 1),
        red_flag_id=None,
    )


def given(*events: Event) -> Clue:
    clue = Clue("clue-c-1")
    clue.replay(list(events))
    return clue


def then(clue: Clue, *expected: type[Event]) -> list[Event]:
    pending = clue.take_pending()
    assert [type(e) for e in pending] == list(expected)
    return pending


def then_refused(action: Callable[[], object], *fragments: str) -> None:
    with pytest.raises(Refused) as err:
        action()
    for fragment in fragments:
        assert fragment in str(err.value), str(err.value)


def receive(clue: Clue, **over: object) -> None:
    fields: dict[str, object] = {
        "clue_id": "c-1",
        "category": "为官不为",
        "channel": "媒体曝光",
        "summary": "站所窗口推诿扯皮",
        "village": None,
        "subject_name": None,
        "subject_post": None,
        "subject_member_id": None,
        "on": D(2016, 7, 1),
    }
    fields.update(over)
    clue.receive(**fields)  # type: ignore[arg-type]


def test_an_inaction_report_is_received_under_measure_11() -> None:
    clue = given()
    receive(clue)
    (event,) = then(clue, ClueReceived)
    assert isinstance(event, ClueReceived)
    assert (event.category, event.measure, event.channel) == ("为官不为", 11, "媒体曝光")


def test_a_corruption_clue_is_received_under_measure_13() -> None:
    clue = given()
    receive(clue, category="雁过拔毛", channel="举报")
    (event,) = then(clue, ClueReceived)
    assert isinstance(event, ClueReceived) and event.measure == 13


def test_unknown_categories_and_channels_are_refused() -> None:
    then_refused(lambda: receive(given(), category="其他"), "线索类别")
    then_refused(lambda: receive(given(), channel="小道消息"), "线索来源")


def test_red_flag_clues_are_not_entered_by_hand() -> None:
    then_refused(lambda: receive(given(), channel="资金预警"), "红旗")


def test_a_confirmed_red_flag_opens_a_clue_named_after_it() -> None:
    clue = Clue(Clue.stream_for(red_flag_clue_id("f-9")))
    clue.open_from_red_flag(
        flag_id="f-9",
        code="DUPLICATE_PAYMENT",
        village="石壁村",
        programme_id="prog-1",
        summary="同一人重复领取",
        severity="high",
        confirmed_on=D(2016, 9, 1),
    )
    (event,) = then(clue, ClueReceived)
    assert isinstance(event, ClueReceived)
    assert clue.stream_id == "clue-redflag-f-9"
    assert (event.clue_id, event.red_flag_id, event.channel) == ("redflag-f-9", "f-9", "资金预警")


def test_a_clue_is_verified_with_findings() -> None:
    clue = given(RECEIVED)
    clue.verify("冒领属实", D(2016, 7, 20))
    then(clue, ClueVerified)
    assert clue.status == "verified"


def test_verifying_needs_findings_and_a_fresh_clue() -> None:
    then_refused(lambda: given(RECEIVED).verify(" ", D(2016, 7, 20)), "核实情况")
    then_refused(lambda: given(RECEIVED, VERIFIED).verify("x", D(2016, 7, 21)), "verified")


def test_accountability_is_decided_per_person_after_verification() -> None:
    clue = given(RECEIVED, VERIFIED)
    first = clue.decide(
        subject_name="黄某",
        subject_member_id="member-shibi-02",
        subject_post="村会计",
        kind="党内警告",
        reason="冒领低保金",
        on=D(2016, 8, 1),
    )
    second = clue.decide(
        subject_name="刘某",
        subject_member_id=None,
        subject_post="村主任",
        kind="诫勉谈话",
        reason="监管失职",
        on=D(2016, 8, 1),
    )
    events = then(clue, AccountabilityDecided, AccountabilityDecided)
    assert (first, second) == ("c-1-a1", "c-1-a2")
    assert isinstance(events[0], AccountabilityDecided)
    assert events[0].subject_member_id == "member-shibi-02"
    assert clue.status == "deciding"


def test_accountability_before_verification_is_refused() -> None:
    then_refused(
        lambda: given(RECEIVED).decide(
            subject_name="黄某",
            subject_member_id=None,
            subject_post=None,
            kind="通报批评",
            reason="x",
            on=D(2016, 8, 1),
        ),
        "received",
    )


def test_an_unknown_kind_of_accountability_is_refused() -> None:
    then_refused(
        lambda: given(RECEIVED, VERIFIED).decide(
            subject_name="黄某",
            subject_member_id=None,
            subject_post=None,
            kind="罚款",
            reason="x",
            on=D(2016, 8, 1),
        ),
        "问责方式",
    )


def test_the_clue_is_concluded_with_the_accountability_decided() -> None:
    clue = given(RECEIVED, VERIFIED, decided())
    clue.conclude(D(2016, 8, 10))
    (event,) = then(clue, ClueConcluded)
    assert isinstance(event, ClueConcluded)
    assert (event.outcome, event.kinds, event.red_flag_id) == (
        "accountability",
        ("党内警告",),
        None,
    )
    assert clue.status == "concluded"


def test_concluding_without_a_decision_is_refused() -> None:
    then_refused(lambda: given(RECEIVED, VERIFIED).conclude(D(2016, 8, 10)), "问责决定")


def test_a_clue_is_dismissed_with_reasons() -> None:
    clue = given(RECEIVED)
    clue.dismiss("经核查，反映问题不属实", D(2016, 7, 10))
    (event,) = then(clue, ClueConcluded)
    assert isinstance(event, ClueConcluded)
    assert (event.outcome, event.reason) == ("dismissed", "经核查，反映问题不属实")
    assert clue.status == "dismissed"


def test_dismissing_needs_reasons() -> None:
    then_refused(lambda: given(RECEIVED, VERIFIED).dismiss(" ", D(2016, 7, 25)), "了结理由")


def test_a_clue_with_accountability_decided_cannot_be_dismissed() -> None:
    then_refused(lambda: given(RECEIVED, VERIFIED, decided()).dismiss("x", D(2016, 8, 2)), "了结")


def test_a_concluded_clue_takes_no_more_decisions() -> None:
    concluded = ClueConcluded(
        clue_id="c-1",
        red_flag_id=None,
        outcome="accountability",
        concluded_on=D(2016, 8, 10),
        reason="",
        kinds=("党内警告",),
    )
    clue = given(RECEIVED, VERIFIED, decided(), concluded)
    then_refused(
        lambda: clue.decide(
            subject_name="x",
            subject_member_id=None,
            subject_post=None,
            kind="通报批评",
            reason="x",
            on=D(2016, 8, 11),
        ),
        "concluded",
    )
