"""Directives and assigned matters (批示件、交办事项): received, assigned, reported on,
reported back, completed; overdue derived from the due date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from supervision.domain.directives import Directive
from supervision.domain.events import (
    DirectiveAssigned,
    DirectiveCompleted,
    DirectiveProgressReported,
    DirectiveReceived,
    DirectiveReportedBack,
)
from supervision.plan import load_plan

from shared.kernel import Event, Refused

PLAN = load_plan()
D = dt.date
RECEIVED = DirectiveReceived(
    directive_id="d-1",
    kind="批示件",
    level="县",
    issued_by="县委书记",
    reference="潭县督〔2016〕12号",
    subject="石壁村饮水工程进度缓慢",
    received_on=D(2016, 4, 1),
    due_on=D(2016, 6, 30),
)
ASSIGNED = DirectiveAssigned(
    directive_id="d-1",
    lead_post="分管实事工作的负责人",
    lead_unit="水利站",
    assigned_on=D(2016, 4, 2),
    due_on=None,
)
REPORTED_BACK = DirectiveReportedBack(directive_id="d-1", reported_on=D(2016, 6, 20), result="通水")


def given(*events: Event) -> Directive:
    directive = Directive("directive-d-1")
    directive.replay(list(events))
    return directive


def then(directive: Directive, *expected: type[Event]) -> None:
    assert [type(e) for e in directive.take_pending()] == list(expected)


def then_refused(action: Callable[[], object], *fragments: str) -> None:
    with pytest.raises(Refused) as err:
        action()
    for fragment in fragments:
        assert fragment in str(err.value), str(err.value)


def receive(directive: Directive, **over: object) -> None:
    fields: dict[str, object] = {
        "directive_id": "d-1",
        "kind": "交办事项",
        "level": "市",
        "issued_by": "市长",
        "reference": None,
        "subject": "集中整治农村环境卫生",
        "on": D(2016, 4, 1),
        "due_on": D(2016, 5, 31),
    }
    fields.update(over)
    directive.receive(**fields)  # type: ignore[arg-type]


def test_a_directive_is_received_from_a_level() -> None:
    directive = given()
    receive(directive)
    then(directive, DirectiveReceived)
    assert directive.status == "received"


def test_an_unknown_level_or_kind_is_refused() -> None:
    then_refused(lambda: receive(given(), level="中央"), "来文层级")
    then_refused(lambda: receive(given(), kind="通知"), "类别")


def test_a_due_date_before_receipt_is_refused() -> None:
    then_refused(lambda: receive(given(), due_on=D(2016, 3, 1)), "早于")


def test_a_directive_is_assigned_to_a_plan_post() -> None:
    directive = given(RECEIVED)
    directive.assign("分管实事工作的负责人", "水利站", D(2016, 4, 2), PLAN, None)
    then(directive, DirectiveAssigned)
    assert directive.status == "assigned"


def test_assigning_to_an_unknown_post_is_refused() -> None:
    then_refused(
        lambda: given(RECEIVED).assign("水利站站长", "水利站", D(2016, 4, 2), PLAN, None),
        "牵头领导",
    )


def test_progress_is_reported_while_assigned() -> None:
    directive = given(RECEIVED, ASSIGNED)
    directive.report_progress("管网铺设完成60%", D(2016, 5, 1))
    then(directive, DirectiveProgressReported)


def test_progress_before_assignment_is_refused() -> None:
    then_refused(lambda: given(RECEIVED).report_progress("x", D(2016, 5, 1)), "received")


def test_the_result_is_reported_back_then_completed() -> None:
    directive = given(RECEIVED, ASSIGNED)
    directive.report_back("已全面通水", D(2016, 6, 20))
    then(directive, DirectiveReportedBack)
    directive.complete(D(2016, 6, 25))
    then(directive, DirectiveCompleted)
    assert directive.status == "completed"


def test_completion_needs_the_result_reported_back() -> None:
    then_refused(lambda: given(RECEIVED, ASSIGNED).complete(D(2016, 6, 25)), "办结")


def test_a_completed_directive_takes_no_more_reports() -> None:
    done = given(
        RECEIVED,
        ASSIGNED,
        REPORTED_BACK,
        DirectiveCompleted(directive_id="d-1", completed_on=D(2016, 6, 25), note=""),
    )
    then_refused(lambda: done.report_progress("x", D(2016, 7, 1)), "completed")
    then_refused(lambda: done.assign("纪委书记", "督查室", D(2016, 7, 1), PLAN, None), "completed")


def test_an_assigned_directive_past_its_due_date_is_overdue() -> None:
    directive = given(RECEIVED, ASSIGNED)
    assert not directive.overdue(D(2016, 6, 30))
    assert directive.overdue(D(2016, 7, 1))
    assert directive.days_overdue(D(2016, 7, 10)) == 10


def test_a_directive_reported_back_is_not_overdue() -> None:
    assert not given(RECEIVED, ASSIGNED, REPORTED_BACK).overdue(D(2016, 12, 31))


def test_assignment_may_set_a_new_due_date() -> None:
    later = DirectiveAssigned(
        directive_id="d-1",
        lead_post="分管实事工作的负责人",
        lead_unit="水利站",
        assigned_on=D(2016, 4, 2),
        due_on=D(2016, 9, 30),
    )
    assert not given(RECEIVED, later).overdue(D(2016, 9, 1))
