"""The plan's lists and ledger: open → in progress → rectified → closed (销号) with evidence,
reopened with a reason; overdue derived from the deadline and the day asked about."""

from __future__ import annotations

import datetime as dt

import pytest
from supervision.domain.events import (
    ItemClosed,
    ItemListed,
    ItemNoted,
    ItemRectified,
    ItemReopened,
    ItemWorkStarted,
)
from supervision.domain.items import ListItem
from supervision.plan import load_plan

from shared.kernel import Event, Refused

PLAN = load_plan()
D = dt.date
SEPTEMBER_END = D(2016, 9, 30)


def listed(deadline: D = SEPTEMBER_END, **over: object) -> ItemListed:
    fields: dict[str, object] = {
        "item_id": "i-1",
        "list_name": "问题清单",
        "title": "石壁村便民服务站无值班制度",
        "detail": "群众反映办事找不到人",
        "source": "群众提",
        "measure": 3,
        "lead_post": "分管党政综合办的负责人",
        "lead_unit": "党政综合办",
        "deadline": deadline,
        "village": "石壁村",
        "listed_on": D(2016, 6, 1),
    }
    fields.update(over)
    return ItemListed(**fields)  # type: ignore[arg-type]


STARTED = ItemWorkStarted(item_id="i-1", started_on=D(2016, 6, 10), note="")
RECTIFIED = ItemRectified(
    item_id="i-1", rectified_on=D(2016, 8, 1), summary="建立轮流值班制度", evidence=("值班表",)
)
RECTIFIED_NO_EVIDENCE = ItemRectified(
    item_id="i-1", rectified_on=D(2016, 8, 1), summary="建立轮流值班制度", evidence=()
)
CLOSED = ItemClosed(item_id="i-1", closed_on=D(2016, 8, 15), evidence=("值班表",), note="")


def given(*events: Event) -> ListItem:
    item = ListItem("item-i-1")
    item.replay(list(events))
    return item


def then(item: ListItem, *expected: type[Event]) -> list[Event]:
    pending = item.take_pending()
    assert [type(e) for e in pending] == list(expected)
    return pending


def then_refused(action: object, *fragments: str) -> None:
    with pytest.raises(Refused) as err:
        action()  # type: ignore[operator]
    for fragment in fragments:
        assert fragment in str(err.value), str(err.value)


def open_item(item: ListItem, **over: object) -> None:
    fields: dict[str, object] = {
        "item_id": "i-1",
        "list_name": "问题清单",
        "title": "石壁村便民服务站无值班制度",
        "detail": "",
        "source": "群众提",
        "measure": 3,
        "lead_post": "分管党政综合办的负责人",
        "lead_unit": "党政综合办",
        "deadline": D(2016, 9, 30),
        "village": "石壁村",
        "on": D(2016, 6, 1),
        "plan": PLAN,
    }
    fields.update(over)
    item.open(**fields)  # type: ignore[arg-type]


# --- entering an item on a list ----------------------------------------------------------


def test_an_item_from_the_masses_is_listed_under_its_measure() -> None:
    item = given()
    open_item(item)
    (event,) = then(item, ItemListed)
    assert isinstance(event, ItemListed)
    assert (event.source, event.measure, event.lead_post) == ("群众提", 3, "分管党政综合办的负责人")
    assert item.status == "open"


def test_an_unknown_list_is_refused() -> None:
    then_refused(lambda: open_item(given(), list_name="黑名单"), "清单", "问题清单")


def test_an_unknown_source_is_refused() -> None:
    then_refused(lambda: open_item(given(), source="网上看到"), "问题来源", "上级点")


def test_a_measure_the_plan_does_not_have_is_refused() -> None:
    then_refused(lambda: open_item(given(), measure=15), "第 15 项措施")


def test_a_lead_leader_who_is_not_a_plan_post_is_refused() -> None:
    then_refused(lambda: open_item(given(), lead_post="村主任"), "牵头领导", "组织委员")


def test_a_deadline_before_the_listing_is_refused() -> None:
    then_refused(lambda: open_item(given(), deadline=D(2016, 5, 1)), "早于")


def test_a_blank_title_is_refused() -> None:
    then_refused(lambda: open_item(given(), title="   "), "事项名称")


def test_an_item_cannot_be_listed_twice() -> None:
    then_refused(lambda: open_item(given(listed())), "已存在")


# --- the way through the ledger ----------------------------------------------------------


def test_work_starts_on_an_open_item() -> None:
    item = given(listed())
    item.start_work(D(2016, 6, 10), "召开支村两委会")
    then(item, ItemWorkStarted)
    assert item.status == "in_progress"


def test_work_cannot_start_twice() -> None:
    then_refused(lambda: given(listed(), STARTED).start_work(D(2016, 7, 1)), "in_progress")


def test_an_item_in_progress_is_rectified_with_what_was_done() -> None:
    item = given(listed(), STARTED)
    item.rectify(D(2016, 8, 1), "建立轮流值班制度", ("值班表", " "))
    (event,) = then(item, ItemRectified)
    assert isinstance(event, ItemRectified)
    assert event.evidence == ("值班表",)
    assert item.status == "rectified"


def test_an_open_item_cannot_be_rectified_before_work_starts() -> None:
    then_refused(
        lambda: given(listed()).rectify(D(2016, 8, 1), "已整改"), "needs status in_progress"
    )


def test_rectifying_needs_a_summary() -> None:
    then_refused(lambda: given(listed(), STARTED).rectify(D(2016, 8, 1), " "), "整改情况")


def test_a_rectified_item_is_closed_on_its_evidence() -> None:
    item = given(listed(), STARTED, RECTIFIED)
    item.close(D(2016, 8, 15), (), "核查属实")
    (event,) = then(item, ItemClosed)
    assert isinstance(event, ItemClosed)
    assert event.evidence == ("值班表",)
    assert item.status == "closed"


def test_evidence_may_be_given_when_closing() -> None:
    item = given(listed(), STARTED, RECTIFIED_NO_EVIDENCE)
    item.close(D(2016, 8, 15), ("现场核查记录",))
    (event,) = then(item, ItemClosed)
    assert isinstance(event, ItemClosed)
    assert event.evidence == ("现场核查记录",)


def test_closing_without_evidence_is_refused() -> None:
    item = given(listed(), STARTED, RECTIFIED_NO_EVIDENCE)
    then_refused(lambda: item.close(D(2016, 8, 15), ("  ",)), "佐证材料")
    then(item)


def test_an_item_not_yet_rectified_cannot_be_closed() -> None:
    then_refused(lambda: given(listed(), STARTED).close(D(2016, 8, 15), ("值班表",)), "销号")


def test_a_closed_item_is_reopened_with_a_reason_and_a_new_deadline() -> None:
    item = given(listed(), STARTED, RECTIFIED, CLOSED)
    item.reopen(D(2016, 10, 8), "回访发现值班制度未落实", D(2016, 11, 30))
    then(item, ItemReopened)
    assert item.status == "in_progress"
    assert item.deadline == D(2016, 11, 30)


def test_a_rectified_item_can_be_reopened_before_closing() -> None:
    item = given(listed(), STARTED, RECTIFIED)
    item.reopen(D(2016, 8, 10), "核查未通过")
    then(item, ItemReopened)


def test_reopening_needs_a_reason() -> None:
    then_refused(
        lambda: given(listed(), STARTED, RECTIFIED, CLOSED).reopen(D(2016, 10, 8), " "), "理由"
    )


def test_an_item_in_progress_cannot_be_reopened() -> None:
    then_refused(lambda: given(listed(), STARTED).reopen(D(2016, 7, 1), "x"), "重新打开")


def test_a_reopened_item_needs_new_evidence_to_be_closed_again() -> None:
    reopened = ItemReopened(
        item_id="i-1", reopened_on=D(2016, 10, 8), reason="未落实", new_deadline=None
    )
    again = ItemRectified(
        item_id="i-1", rectified_on=D(2016, 10, 20), summary="重新整改", evidence=()
    )
    item = given(listed(), STARTED, RECTIFIED, CLOSED, reopened, again)
    then_refused(lambda: item.close(D(2016, 10, 25)), "佐证材料")


def test_a_fact_dated_before_the_last_one_is_refused() -> None:
    then_refused(lambda: given(listed(), STARTED).rectify(D(2016, 6, 5), "已整改"), "早于")


def test_notes_are_kept_on_the_ledger() -> None:
    item = given(listed())
    item.note(D(2016, 6, 5), "已约谈村支书")
    then(item, ItemNoted)
    assert item.notes == [(D(2016, 6, 5), "已约谈村支书")]


# --- overdue is derived, never stored -----------------------------------------------------


def test_an_open_item_is_overdue_the_day_after_its_deadline() -> None:
    item = given(listed(deadline=D(2016, 9, 30)))
    assert not item.overdue(D(2016, 9, 30))
    assert item.overdue(D(2016, 10, 1))
    assert item.days_overdue(D(2016, 10, 31)) == 31


def test_an_item_in_progress_past_its_deadline_is_overdue() -> None:
    assert given(listed(), STARTED).overdue(D(2017, 1, 1))


def test_a_rectified_or_closed_item_is_not_overdue() -> None:
    assert not given(listed(), STARTED, RECTIFIED).overdue(D(2017, 1, 1))
    assert not given(listed(), STARTED, RECTIFIED, CLOSED).overdue(D(2017, 1, 1))


def test_a_reopened_item_runs_against_its_new_deadline() -> None:
    reopened = ItemReopened(
        item_id="i-1", reopened_on=D(2016, 10, 8), reason="未落实", new_deadline=D(2016, 11, 30)
    )
    item = given(listed(), STARTED, RECTIFIED, CLOSED, reopened)
    assert not item.overdue(D(2016, 11, 30))
    assert item.overdue(D(2016, 12, 1))
