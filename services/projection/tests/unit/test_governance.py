"""Issue 15's village governance on the read side: given the contract's events, the folded
state (四议两公开 decisions, projects, books, power lists, breaches, committees, unit facts, the
appraisal), and the views and the overview's measure 4 and 6 rows over an in-memory snapshot
of the governance story (`projection.synthetic.governance`)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from projection.adapters.reference import ReferenceSnapshot
from projection.domain.catalogue import KIND_LABELS, status_label
from projection.domain.field_classes import UNDECLARED
from projection.domain.masking import redact, undeclared
from projection.domain.timeframe import Window
from projection.synthetic.governance import (
    JINXIA,
    SHIBI,
    GovernanceStory,
    governance_story,
)
from projection.views.common import Ask
from projection.views.overview import indicators
from projection.views.registry import VIEWS

from .test_folds import given

TODAY = dt.date(2017, 6, 30)


# -- folds: given events, then state ---------------------------------------------------------


def test_a_decision_goes_through_its_four_meetings_and_two_disclosures() -> None:
    meeting = {"village": SHIBI, "body": "两委会议", "members": 7, "present": 7}
    decision = given(
        "decision-d1",
        (
            "funds.DecisionProposed",
            {
                "decision_id": "d1",
                "village": SHIBI,
                "village_code": "430321100201",
                "kind": "collective_project",
                "subject": "光伏发电",
                "description": "提议",
                "proposed_on": "2016-03-01",
            },
        ),
        (
            "funds.DecisionMeetingHeld",
            meeting
            | {"decision_id": "d1", "step": "consulted", "votes_for": 6, "votes_against": 1}
            | {"passed": True, "held_on": "2016-03-05"},
        ),
        (
            "funds.DecisionMeetingHeld",
            meeting
            | {"decision_id": "d1", "step": "reviewed", "votes_for": 6, "votes_against": 1}
            | {"passed": True, "held_on": "2016-03-10"},
        ),
        (
            "funds.DecisionMeetingHeld",
            meeting
            | {"decision_id": "d1", "step": "resolved", "votes_for": 5, "votes_against": 2}
            | {"passed": True, "held_on": "2016-03-20", "members": 30, "present": 25},
        ),
    )
    assert (decision.kind, decision.entity_id, decision.village, decision.status) == (
        "decision",
        "d1",
        SHIBI,
        "resolved",
    )
    state = decision.state
    assert (state["consulted_on"], state["reviewed_on"], state["resolved_on"]) == (
        "2016-03-05",
        "2016-03-10",
        "2016-03-20",
    )
    assert state["meetings"]["resolved"]["present"] == 25
    assert state["kind"] == "collective_project"
    assert status_label("decision", "resolved") == "④ 村民（代表）会议决议"
    disclosed = given(
        "decision-d1",
        ("funds.DecisionProposed", {"decision_id": "d1", "village": SHIBI}),
        (
            "funds.DecisionResolutionDisclosed",
            {"decision_id": "d1", "village": SHIBI, "channel": "公开栏"}
            | {"disclosed_on": "2016-03-25", "result_due_on": "2016-06-23"},
        ),
        (
            "funds.DecisionResultDisclosed",
            {"decision_id": "d1", "village": SHIBI, "result": "已建成"}
            | {"disclosed_on": "2016-06-20"},
        ),
    )
    assert disclosed.status == "result_disclosed"
    assert disclosed.state["result_due_on"] == "2016-06-23"
    assert disclosed.state["result_disclosed_on"] == "2016-06-20"


def test_a_meeting_that_does_not_pass_ends_the_decision() -> None:
    decision = given(
        "decision-d3",
        ("funds.DecisionProposed", {"decision_id": "d3", "village": JINXIA}),
        (
            "funds.DecisionMeetingHeld",
            {"decision_id": "d3", "village": JINXIA, "step": "reviewed", "body": "党员大会"}
            | {"members": 40, "present": 30, "votes_for": 10, "votes_against": 20}
            | {"passed": False, "held_on": "2016-05-12"},
        ),
    )
    assert decision.status == "rejected"
    assert (decision.state["rejected_on"], decision.state["rejected_step"]) == (
        "2016-05-12",
        "reviewed",
    )


def test_book_entries_sum_per_month_on_the_village_year_books() -> None:
    def entry(month: str, kind: str, amount: str) -> tuple[str, dict[str, Any]]:
        return (
            "funds.VillageBookEntryRecorded",
            {"entry_id": month + kind, "village": JINXIA, "village_code": "430321100202"}
            | {"month": month, "kind": kind, "amount": amount, "subject": "x"}
            | {"power_item": None, "steps": [], "recorded_on": f"{month}-20"},
        )

    books = given(
        "books-430321100202-2016",
        entry("2016-07", "income", "50000.00"),
        entry("2016-08", "expense", "20000.00"),
        entry("2016-08", "expense", "10000.50"),
    )
    assert (books.kind, books.village, books.status) == ("books", JINXIA, "keeping")
    assert books.state["months"]["2016-08"] == {
        "income": "0",
        "expense": "30000.50",
        "entries": 2,
    }
    assert (books.state["income_total"], books.state["expense_total"]) == ("50000.00", "30000.50")
    assert books.state["year"] == 2016


def test_a_committee_keeps_members_reports_overdue_reports_and_findings() -> None:
    code = "430321100202"
    committee = given(
        f"committee-{code}",
        (
            "supervision.CommitteeMemberAppointed",
            {"village": JINXIA, "village_code": code, "member_id": "m1", "name": "陈监督"}
            | {"position": "主任", "appointed_on": "2016-01-12"},
        ),
        (
            "supervision.CommitteeReportOverdue",
            {"village": JINXIA, "year": 2016, "due_on": "2017-01-31", "found_on": "2017-02-01"},
        ),
        (
            "supervision.CommitteeFindingRecorded",
            {"village": JINXIA, "finding_id": "f1", "title": "公开栏未更新", "detail": "三个月"}
            | {"item_id": "i1", "found_on": "2016-11-01"},
        ),
        ("supervision.CommitteeMemberLeft", {"village": JINXIA, "member_id": "m1"}),
    )
    assert (committee.kind, committee.entity_id, committee.village) == ("committee", code, JINXIA)
    assert committee.status == "vacant"  # its only member left
    assert committee.state["overdue_reports"]["2016"]["due_on"] == "2017-01-31"
    assert committee.state["findings"][0]["item_id"] == "i1"
    assert committee.state["committee_members"]["m1"]["position"] == "主任"


def test_power_lists_breaches_facts_and_the_appraisal_fold() -> None:
    lists = given(
        "powers-430321100201-2016",
        (
            "supervision.PowerListPublished",
            {"village": SHIBI, "village_code": "430321100201", "year": 2016, "version": 1}
            | {"items": [{"code": "finance", "name": "财务收支", "steps": []}]}
            | {"published_on": "2016-02-01"},
        ),
        (
            "supervision.PowerListPublished",
            {"village": SHIBI, "village_code": "430321100201", "year": 2016, "version": 2}
            | {"items": [], "published_on": "2016-06-01"},
        ),
    )
    assert (lists.kind, lists.status, lists.state["version"]) == ("powers", "published", 2)
    assert (lists.state["versions"], lists.state["items_count"]) == (2, 0)
    breach = given(
        "breach-e1",
        (
            "supervision.PowerFlowBreached",
            {"act_event_id": "e1", "act_type": "funds.VillageBookEntryRecorded"}
            | {"village": JINXIA, "power_item": "finance", "missing_steps": ["approved"]}
            | {"item_id": "i1", "found_on": "2016-08-15"},
        ),
    )
    assert (breach.kind, breach.entity_id, breach.village, breach.status) == (
        "breach",
        "e1",
        JINXIA,
        "found",
    )
    result = {"subject_kind": "unit", "subject": "扶贫办", "subject_name": "扶贫办"}
    appraised = given(
        "appraisal-2016",
        (
            "party.ReviewScoreRecorded",
            result | {"year": 2016, "score": "90", "recorded_on": "2017-01-28"},
        ),
        (
            "party.AppraisalConcluded",
            {"year": 2016, "results": [result | {"grade": "优秀"}], "concluded_on": "2017-02-10"},
        ),
        (
            "party.InactionReferred",
            result | {"year": 2016, "reason": "不称职", "referred_on": "2017-02-10"},
        ),
    )
    assert (appraised.kind, appraised.status) == ("appraisal", "concluded")
    assert appraised.state["reviews"]["unit:扶贫办"]["score"] == "90"
    assert appraised.state["referrals"][0]["reason"] == "不称职"
    assert {"decision", "cproject", "books", "powers", "breach", "committee"} <= set(KIND_LABELS)


# -- the views over the story ----------------------------------------------------------------


@pytest.fixture(scope="module")
def story() -> GovernanceStory:
    return governance_story()


def build(name: str, story: GovernanceStory, **window: Any) -> Any:
    village = window.pop("village", None)
    snap = ReferenceSnapshot(story.envelopes)
    return asyncio.run(VIEWS[name].build(snap, Ask(Window.build(**window), village, TODAY)))


def card(view: Any, label: str) -> str:
    return str(next(c.value for c in view.cards if c.label == label))


def rows(view: Any, table: str) -> list[dict[str, Any]]:
    return next(t.rows for t in view.tables if t.name == table)


def test_decisions_show_steps_and_the_overdue_result(story: GovernanceStory) -> None:
    before = build("governance/decisions", story, as_of=dt.date(2016, 6, 20))
    assert card(before, "逾期未公开结果") == "0"
    view = build("governance/decisions", story, as_of=dt.date(2016, 6, 30))
    assert (card(view, "决策事项"), card(view, "已决议"), card(view, "决议已公开")) == (
        "3",
        "2",
        "2",
    )
    assert (card(view, "结果已公开"), card(view, "逾期未公开结果"), card(view, "未通过")) == (
        "1",
        "1",
        "1",
    )
    overdue = next(r for r in rows(view, "decisions") if r["overdue"])
    assert (overdue["village"], overdue["subject"], overdue["decision_kind"]) == (
        SHIBI,
        "光伏发电",
        "集体经济项目",
    )
    assert overdue["result_due_on"] == "2016-06-23"
    assert overdue["resolved_vote"] == "22/25/30"
    rejected = next(r for r in rows(view, "decisions") if r["village"] == JINXIA)
    assert rejected["status"] == "未通过（终止）"
    [project] = rows(view, "projects")
    assert (project["project_name"], project["decision_subject"]) == ("光伏发电", "光伏发电")
    assert project["decision_status"] == "决议已公开"
    chart = view.charts[0]
    assert chart.categories == [SHIBI, JINXIA]
    assert view.basis("card/逾期未公开结果").count == 1  # type: ignore[union-attr]
    mine = build("governance/decisions", story, as_of=dt.date(2016, 6, 30), village=JINXIA)
    assert card(mine, "决策事项") == "1" and rows(mine, "projects") == []


def test_books_show_quarters_disclosures_and_the_mismatch(story: GovernanceStory) -> None:
    view = build("governance/books", story)
    by_key = {r["book_period"]: r for r in rows(view, "quarters")}
    jinxia = by_key[f"{JINXIA} 2016-Q3"]
    assert (jinxia["income"], jinxia["expense"]) == ("50000.00", "30000.00")
    assert (jinxia["expenditure_total"], jinxia["mismatch"], jinxia["disclosed"]) == (
        "35000.00",
        1,
        True,
    )
    assert by_key[f"{SHIBI} 2016-Q3"]["mismatch"] == 0
    assert (card(view, "代理记账村"), card(view, "已公开季度"), card(view, "公开数与账簿不符")) == (
        "2",
        "2",
        "1",
    )
    early = build("governance/books", story, as_of=dt.date(2016, 8, 31))
    assert card(early, "已公开季度") == "0"
    assert {r["expense"] for r in rows(early, "quarters") if r["village"] == JINXIA} == {"20000.00"}
    q2 = build("governance/books", story, period="2016-Q2")
    assert rows(q2, "quarters") == []


def test_powers_show_lists_in_force_and_breaches(story: GovernanceStory) -> None:
    view = build("governance/powers", story, period="2016")
    assert view.title == "小微权力清单（2016年）"
    assert card(view, "已公布清单村") == "1 / 30"
    lists = {r["village"]: r for r in rows(view, "lists")}
    assert (lists[SHIBI]["version"], lists[SHIBI]["items_count"]) == (2, 6)
    assert lists[JINXIA]["in_force"] == "默认清单（未公布）"
    assert lists[JINXIA]["breaches"] == 1
    [breach] = rows(view, "breaches")
    assert (breach["village"], breach["power_item"], breach["missing_steps"]) == (
        JINXIA,
        "财务收支",
        "村务监督委员会审核",
    )
    assert (breach["act_type"], breach["item_status"]) == ("村账支出记账", "待整改")
    assert card(view, "问题未整改销号") == "1"
    # no period, as of a day: the newest year with a list up to that day
    assert build("governance/powers", story, as_of=dt.date(2017, 3, 1)).title.endswith("（2016年）")


def test_committees_show_reports_overdue_reports_and_findings(story: GovernanceStory) -> None:
    view = build("governance/committees", story, as_of=dt.date(2017, 3, 1))
    assert view.title == "村务监督委员会（2016年度）"
    by_village = {r["village"]: r for r in rows(view, "villages")}
    shibi, jinxia = by_village[SHIBI], by_village[JINXIA]
    assert (shibi["members"], shibi["chair"], shibi["reported_on"]) == (2, "王监督", "2017-01-20")
    assert shibi["to_party_organisation"] and shibi["to_representatives"]
    assert (jinxia["overdue"], jinxia["findings"]) == (True, 1)
    assert (card(view, "年度报告已报告"), card(view, "逾期未报告"), card(view, "发现问题")) == (
        "1 / 30",
        "1",
        "1",
    )
    [late] = rows(view, "overdue")
    assert (late["village"], late["year"], late["overdue"]) == (JINXIA, 2016, True)
    [finding] = rows(view, "findings")
    assert (finding["title"], finding["item_status"]) == ("村务公开栏三个月未更新", "待整改")


def test_the_appraisal_shows_results_grades_and_the_referral(story: GovernanceStory) -> None:
    view = build("party/appraisal", story, as_of=dt.date(2017, 3, 1))
    assert view.title == "年度绩效考核（2016年度）"
    results = rows(view, "results")
    assert [r["appraised"] for r in results] == [
        "扶贫办",
        "石壁村党支部",
        "经济发展办",
        "金霞村党支部",
    ]
    last = results[-1]
    assert (last["grade"], last["total"], last["referred"], last["subject_name"]) == (
        "不称职",
        "48",
        True,
        "李书记",
    )
    assert results[0]["subject_name"] == ""  # a unit is not a person
    assert (card(view, "优秀"), card(view, "称职"), card(view, "不称职")) == ("2", "1", "1")
    assert card(view, "移交为官不为整治") == "1"
    assert view.basis("card/优秀").count == 2  # type: ignore[union-attr]
    # a branch secretary (his village forced) sees his own row only
    own = build("party/appraisal", story, as_of=dt.date(2017, 3, 1), village=JINXIA)
    assert [r["appraised"] for r in rows(own, "results")] == ["金霞村党支部"]
    assert card(own, "移交为官不为整治") == "1" and card(own, "优秀") == "0"
    # before the conclusion: the review scores so far
    reviewing = build("party/appraisal", story, as_of=dt.date(2017, 2, 1))
    assert {r["grade"] for r in rows(reviewing, "results")} == {""}
    assert card(reviewing, "参评对象") == "4"


def test_every_field_of_the_governance_views_is_declared(story: GovernanceStory) -> None:
    for name in VIEWS:
        if not name.startswith(("governance/", "party/appraisal")):
            continue
        view = build(name, story, as_of=dt.date(2017, 3, 1))
        for table in view.tables:
            for row in table.rows:
                assert not undeclared(row), (name, table.name, undeclared(row))
                assert UNDECLARED not in str(redact(row, full=False))


def measure_rows(story: GovernanceStory, day: dt.date) -> dict[int, dict[str, tuple[Any, Any]]]:
    snap = ReferenceSnapshot(story.envelopes)
    found = asyncio.run(indicators(snap, Ask(Window.build(as_of=day), None, TODAY)))
    return {n: {label: (done, target) for label, done, target in found[n]} for n in (4, 6)}


def test_the_overview_counts_the_governance_facts_in_measures_4_and_6(
    story: GovernanceStory,
) -> None:
    resolved = measure_rows(story, dt.date(2016, 3, 22))  # resolved, not yet disclosed
    assert resolved[4]["集体经济项目经“四议两公开”"] == (0, 1)
    assert resolved[6]["小微权力清单"] == (1, 30)
    assert resolved[6]["四议两公开结果公开"] == (0, 0)
    summer = measure_rows(story, dt.date(2016, 6, 30))
    assert summer[4]["集体经济项目经“四议两公开”"] == (1, 2)  # 金霞村's was rejected
    assert summer[6]["四议两公开结果公开"] == (1, 2)
    later = measure_rows(story, dt.date(2017, 3, 1))
    assert later[6]["村务监督委员会年度报告"] == (1, 30)
    assert later[6]["村级财务公开"] == (2, 30)
