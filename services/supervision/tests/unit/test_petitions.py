"""Petition cases (信访): received, classified, a special team (专班) and a leader (包案),
resolved, struck off (销号), reopened; a repeat petition linked to the earlier case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from supervision.domain.events import (
    PetitionClassified,
    PetitionClosed,
    PetitionLeaderAssigned,
    PetitionProgressNoted,
    PetitionReceived,
    PetitionReopened,
    PetitionResolved,
    PetitionTeamFormed,
    RepeatPetitionLinked,
)
from supervision.domain.petitions import Petition

from shared.kernel import Event, Refused

D = dt.date
RECEIVED = PetitionReceived(
    petition_id="p-1",
    channel="集体访",
    petitioner_name="刘建国",
    petitioner_count=12,
    village="金霞村",
    subject="征地补偿款未足额发放",
    received_on=D(2016, 5, 4),
    repeat_of=None,
)


def classified(key_case: bool = False) -> PetitionClassified:
    return PetitionClassified(
        petition_id="p-1", focus_area="征地拆迁", key_case=key_case, classified_on=D(2016, 5, 6)
    )


TEAM = PetitionTeamFormed(
    petition_id="p-1",
    team_name="金霞村征地专班",
    members=("综治维稳办 李", "国土所 王"),
    formed_on=D(2016, 5, 8),
)
LEADER = PetitionLeaderAssigned(petition_id="p-1", leader="党委副书记", assigned_on=D(2016, 5, 8))
RESOLVED = PetitionResolved(petition_id="p-1", resolved_on=D(2016, 7, 1), resolution="补足差额")
CLOSED = PetitionClosed(petition_id="p-1", closed_on=D(2016, 7, 15), note="")


def given(*events: Event) -> Petition:
    petition = Petition("petition-p-1")
    petition.replay(list(events))
    return petition


def then(petition: Petition, *expected: type[Event]) -> list[Event]:
    pending = petition.take_pending()
    assert [type(e) for e in pending] == list(expected)
    return pending


def then_refused(action: Callable[[], object], *fragments: str) -> None:
    with pytest.raises(Refused) as err:
        action()
    for fragment in fragments:
        assert fragment in str(err.value), str(err.value)


def receive(petition: Petition, **over: object) -> None:
    fields: dict[str, object] = {
        "petition_id": "p-1",
        "channel": "来访",
        "petitioner_name": "刘建国",
        "petitioner_count": 1,
        "village": "金霞村",
        "subject": "征地补偿款未足额发放",
        "on": D(2016, 5, 4),
    }
    fields.update(over)
    petition.receive(**fields)  # type: ignore[arg-type]


def test_a_petition_is_received() -> None:
    petition = given()
    receive(petition)
    then(petition, PetitionReceived)
    assert petition.status == "received" and petition.backlog


def test_an_unknown_channel_is_refused() -> None:
    then_refused(lambda: receive(given(), channel="微博"), "信访渠道")


def test_a_petition_needs_a_petitioner() -> None:
    then_refused(lambda: receive(given(), petitioner_count=0), "信访人数")
    then_refused(lambda: receive(given(), petitioner_name=" "), "信访人姓名")


def test_a_case_cannot_repeat_itself() -> None:
    then_refused(lambda: receive(given(), repeat_of="p-1"), "重复件")


def test_a_repeat_petition_is_linked_on_the_earlier_case() -> None:
    earlier = given(RECEIVED, classified(), TEAM, RESOLVED, CLOSED)
    earlier.link_repeat("p-2", D(2016, 9, 1))
    then(earlier, RepeatPetitionLinked)
    assert earlier.repeats == ["p-2"]
    assert earlier.status == "closed"  # a repeat does not reopen by itself


def test_a_repeat_cannot_predate_the_earlier_case() -> None:
    then_refused(lambda: given(RECEIVED).link_repeat("p-2", D(2016, 1, 1)), "早于")


def test_a_case_is_classified_into_a_focus_area() -> None:
    petition = given(RECEIVED)
    petition.classify("涉众型经济纠纷", True, D(2016, 5, 6))
    then(petition, PetitionClassified)
    assert (petition.status, petition.focus_area, petition.key_case) == (
        "classified",
        "涉众型经济纠纷",
        True,
    )


def test_an_unknown_focus_area_is_refused() -> None:
    then_refused(lambda: given(RECEIVED).classify("邻里纠纷", False, D(2016, 5, 6)), "领域")


def test_a_special_team_is_formed_after_classification() -> None:
    petition = given(RECEIVED, classified())
    petition.form_team("金霞村征地专班", ("李", "王"), D(2016, 5, 8))
    then(petition, PetitionTeamFormed)
    assert petition.status == "handling"


def test_a_team_before_classification_is_refused() -> None:
    then_refused(lambda: given(RECEIVED).form_team("专班", ("李",), D(2016, 5, 8)), "received")


def test_a_team_needs_members() -> None:
    then_refused(
        lambda: given(RECEIVED, classified()).form_team("专班", (" ",), D(2016, 5, 8)), "成员"
    )


def test_a_leader_takes_charge_of_a_classified_case() -> None:
    petition = given(RECEIVED, classified(True), TEAM)
    petition.assign_leader("党委副书记", D(2016, 5, 9))
    then(petition, PetitionLeaderAssigned)
    assert petition.leader == "党委副书记"


def test_a_leader_for_an_unclassified_case_is_refused() -> None:
    then_refused(lambda: given(RECEIVED).assign_leader("党委副书记", D(2016, 5, 9)), "包案")


def test_progress_is_noted() -> None:
    petition = given(RECEIVED, classified(), TEAM)
    petition.note_progress("已召开协调会", D(2016, 6, 1))
    then(petition, PetitionProgressNoted)


def test_the_case_is_resolved_by_its_team() -> None:
    petition = given(RECEIVED, classified(), TEAM)
    petition.resolve("补足差额", D(2016, 7, 1))
    then(petition, PetitionResolved)
    assert petition.status == "resolved"


def test_a_case_without_a_team_cannot_be_resolved() -> None:
    then_refused(lambda: given(RECEIVED, classified()).resolve("x", D(2016, 7, 1)), "化解")


def test_a_key_case_needs_its_leader_before_it_is_resolved() -> None:
    then_refused(
        lambda: given(RECEIVED, classified(True), TEAM).resolve("x", D(2016, 7, 1)), "领导包案"
    )
    petition = given(RECEIVED, classified(True), TEAM, LEADER)
    petition.resolve("补足差额", D(2016, 7, 1))
    then(petition, PetitionResolved)


def test_a_resolved_case_is_struck_off() -> None:
    petition = given(RECEIVED, classified(), TEAM, RESOLVED)
    petition.close(D(2016, 7, 15))
    then(petition, PetitionClosed)
    assert petition.status == "closed" and not petition.backlog


def test_an_unresolved_case_cannot_be_struck_off() -> None:
    then_refused(lambda: given(RECEIVED, classified(), TEAM).close(D(2016, 7, 15)), "销号")


def test_a_closed_case_is_reopened_with_a_reason() -> None:
    petition = given(RECEIVED, classified(), TEAM, RESOLVED, CLOSED)
    petition.reopen("补偿款仍未到账", D(2016, 9, 1))
    then(petition, PetitionReopened)
    assert petition.status == "handling" and petition.backlog


def test_reopening_needs_a_reason_and_a_finished_case() -> None:
    then_refused(
        lambda: given(RECEIVED, classified(), TEAM, RESOLVED, CLOSED).reopen(" ", D(2016, 9, 1)),
        "理由",
    )
    then_refused(lambda: given(RECEIVED, classified(), TEAM).reopen("x", D(2016, 9, 1)), "重新打开")


def test_a_closed_case_takes_no_more_progress_or_classification() -> None:
    closed = given(RECEIVED, classified(), TEAM, RESOLVED, CLOSED)
    then_refused(lambda: closed.note_progress("x", D(2016, 8, 1)), "closed")
    then_refused(lambda: closed.classify("其他", False, D(2016, 8, 1)), "closed")
