"""The plan's measures registered once each; a weak branch's rectification items, their ids
and deadline; the lifting of the designation noted once."""

from __future__ import annotations

import datetime as dt

import pytest
from supervision.domain.events import BranchDesignationLiftNoted, ItemListed, MeasureRegistered
from supervision.domain.items import (
    WEAK_BRANCH_TASKS,
    ListItem,
    weak_branch_deadline,
    weak_branch_item_id,
)
from supervision.domain.measures import Measure, measure_stream
from supervision.plan import load_plan

from shared.kernel import AlreadyExists, Event

PLAN = load_plan()
D = dt.date


def test_a_measure_is_registered_with_its_lead_deadline_and_targets() -> None:
    measure = Measure(measure_stream("2016", 1))
    measure.register(PLAN, 1, D(2016, 3, 1))
    (event,) = measure.take_pending()
    assert isinstance(event, MeasureRegistered)
    assert measure.stream_id == "measure-2016-01"
    assert (event.number, event.group, event.lead_post) == (1, 1, "分管农业的负责人")
    assert event.group_title == "抓民生实事，不断夯实服务群众基础"
    assert (event.deadline, event.due_on) == ("2016-12", D(2016, 12, 31))
    assert "posts" in {t.key for t in event.targets}


def test_a_standing_measure_has_no_due_date() -> None:
    measure = Measure(measure_stream("2016", 12))
    measure.register(PLAN, 12, D(2016, 3, 1))
    (event,) = measure.take_pending()
    assert isinstance(event, MeasureRegistered)
    assert (event.deadline, event.due_on) == ("长期", None)


def test_a_measure_is_registered_once() -> None:
    measure = Measure(measure_stream("2016", 1))
    measure.register(PLAN, 1, D(2016, 3, 1))
    with pytest.raises(AlreadyExists):
        measure.register(PLAN, 1, D(2016, 3, 2))


def test_weak_branch_item_ids_are_the_same_for_the_same_branch_and_period() -> None:
    assert weak_branch_item_id("branch-1", "2016", "first-secretary") == weak_branch_item_id(
        "branch-1", "2016", "first-secretary"
    )
    ids = {weak_branch_item_id("branch-1", "2016", t.key) for t in WEAK_BRANCH_TASKS}
    ids |= {weak_branch_item_id("branch-1", "2017", t.key) for t in WEAK_BRANCH_TASKS}
    assert len(ids) == 6


def test_a_weak_branch_has_a_year_to_rectify() -> None:
    assert weak_branch_deadline(D(2016, 11, 20)) == D(2017, 11, 20)
    assert weak_branch_deadline(D(2016, 2, 29)) == D(2017, 2, 28)


def weak_item(branch_id: str = "branch-1") -> ListItem:
    item = ListItem("item-w")
    events: list[Event] = [
        ItemListed(
            item_id="w",
            list_name="整改清单",
            title="石壁村党支部：选派第一书记",
            detail="",
            source="自己找",
            measure=5,
            lead_post="组织委员",
            lead_unit="党建工作站",
            deadline=D(2017, 11, 20),
            village="石壁村",
            listed_on=D(2016, 11, 20),
            branch_id=branch_id,
            period="2016",
        )
    ]
    item.replay(events)
    return item


def test_the_lifting_of_the_designation_is_noted_once() -> None:
    item = weak_item()
    assert item.note_designation_lifted("branch-1", "2016", D(2017, 6, 1))
    (event,) = item.take_pending()
    assert isinstance(event, BranchDesignationLiftNoted)
    assert not item.note_designation_lifted("branch-1", "2016", D(2017, 6, 1))
    assert item.take_pending() == []
    assert item.status == "open"  # noting it does not rectify anything


def test_the_lifting_of_another_branch_is_not_noted() -> None:
    item = weak_item("branch-2")
    assert not item.note_designation_lifted("branch-1", "2016", D(2017, 6, 1))
