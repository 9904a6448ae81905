"""Issue 15's village governance through the projection's HTTP API, fed the contract's
envelopes (`projection.synthetic.governance`) over Kafka: a decision whose result is overdue, a
disclosure that differs from the books, a breach of a power's flow, an overdue committee
report, an appraisal with a referral — and the overview's measure 4 and 6 rows moving with
them; exports, the basis of a figure, the audit trail and who may read what."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from projection.synthetic.governance import JINXIA, SHIBI, governance_story

from shared.roles import Role
from shared.testing import Infra, bearer

from .support import Story, serving

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SECRETARY = bearer(Role.TOWN_SECRETARY)
AUDITOR = bearer(Role.AUDITOR)
ECONOMIC = bearer(Role.ECONOMIC_LEADER)
JINXIA_SECRETARY = bearer(Role.BRANCH_SECRETARY, village=JINXIA)
SHIBI_CLERK = bearer(Role.VILLAGE_CLERK, village=SHIBI)
PUBLIC = bearer(Role.PUBLIC)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def client(infra: Infra) -> AsyncIterator[httpx.AsyncClient]:
    story = Story()
    story.add(*governance_story().envelopes)  # each checked against its published contract
    async with serving(infra, story, "gov") as (_, client):
        yield client


async def view(
    client: httpx.AsyncClient, name: str, headers: dict[str, str] = SECRETARY, **params: Any
) -> Any:
    response = await client.get(f"/api/v1/views/{name}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def card(v: dict[str, Any], label: str) -> str:
    return str(next(c["value"] for c in v["cards"] if c["label"] == label))


def table(v: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return next(t["rows"] for t in v["tables"] if t["name"] == name)


async def test_a_decision_whose_result_is_not_disclosed_by_its_due_day_is_overdue(
    client: httpx.AsyncClient,
) -> None:
    before = await view(client, "governance/decisions", as_of="2016-06-23")
    assert card(before, "逾期未公开结果") == "0"
    after = await view(client, "governance/decisions", as_of="2016-06-24")
    assert card(after, "逾期未公开结果") == "1"
    overdue = next(r for r in table(after, "decisions") if r["overdue"])
    assert (overdue["village"], overdue["subject"], overdue["status"]) == (
        SHIBI,
        "光伏发电",
        "决议已公开",
    )
    assert (overdue["proposed_on"], overdue["resolved_on"], overdue["result_due_on"]) == (
        "2016-03-01",
        "2016-03-21",
        "2016-06-23",
    )
    assert overdue["audit_url"].startswith("/api/v1/audit/decision-")
    disposal = next(r for r in table(after, "decisions") if r["decision_kind"] == "资产处置")
    assert disposal["status"] == "实施结果已公开" and not disposal["overdue"]
    [project] = table(after, "projects")
    assert (project["project_name"], project["investment"]) == ("光伏发电", "300000.00")
    # the figure's basis lists the one overdue decision
    figure = next(c["figure"] for c in after["cards"] if c["label"] == "逾期未公开结果")
    basis = await client.get(
        "/api/v1/basis/governance/decisions",
        params={"figure": figure, "as_of": "2016-06-24"},
        headers=AUDITOR,
    )
    assert basis.status_code == 200 and basis.json()["count"] == 1
    # the decision's audit trail: every step, in order
    trail = (await client.get(overdue["audit_url"], headers=AUDITOR)).json()
    assert [e["event_type"].rsplit(".", 1)[1] for e in trail["events"]] == [
        "DecisionProposed",
        "DecisionMeetingHeld",
        "DecisionMeetingHeld",
        "DecisionMeetingHeld",
        "DecisionResolutionDisclosed",
    ]


async def test_a_disclosure_that_differs_from_the_books_shows_its_red_flag(
    client: httpx.AsyncClient,
) -> None:
    v = await view(client, "governance/books", period="2016-H2")
    rows = {r["book_period"]: r for r in table(v, "quarters")}
    jinxia = rows[f"{JINXIA} 2016-Q3"]
    assert (jinxia["expense"], jinxia["expenditure_total"], jinxia["mismatch"]) == (
        "30000.00",
        "35000.00",
        1,
    )
    assert rows[f"{SHIBI} 2016-Q3"]["mismatch"] == 0
    assert card(v, "公开数与账簿不符") == "1"
    export = await client.get(
        "/api/v1/views/governance/books",
        params={"format": "csv", "table": "quarters", "period": "2016-H2"},
        headers=ECONOMIC,
    )
    assert export.status_code == 200
    lines = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert lines[0][:2] == ["村 · 季度", "村/社区"] and len(lines) == 3
    xlsx = await client.get(
        "/api/v1/views/governance/books", params={"format": "xlsx"}, headers=ECONOMIC
    )
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


async def test_a_breach_of_a_power_flow_lists_its_problem_item(client: httpx.AsyncClient) -> None:
    v = await view(client, "governance/powers", period="2016")
    [breach] = table(v, "breaches")
    assert (breach["village"], breach["power_item"], breach["missing_steps"]) == (
        JINXIA,
        "财务收支",
        "村务监督委员会审核",
    )
    assert breach["item_status"] == "待整改"
    lists = {r["village"]: r for r in table(v, "lists")}
    assert lists[SHIBI]["in_force"] == "2016年第2版"
    assert card(v, "已公布清单村") == "1 / 30"


async def test_an_overdue_committee_report_and_a_finding(client: httpx.AsyncClient) -> None:
    v = await view(client, "governance/committees", as_of="2017-03-01")
    rows = {r["village"]: r for r in table(v, "villages")}
    assert rows[JINXIA]["overdue"] and rows[JINXIA]["findings"] == 1
    assert rows[SHIBI]["reported_on"] == "2017-01-20" and rows[SHIBI]["members"] == 2
    assert card(v, "逾期未报告") == "1"
    [late] = table(v, "overdue")
    assert (late["village"], late["year"]) == (JINXIA, 2016)
    # a village clerk sees only his village; another village is refused
    own = await view(client, "governance/committees", SHIBI_CLERK, as_of="2017-03-01")
    assert [r["village"] for r in table(own, "villages")] == [SHIBI]
    refused = await client.get(
        "/api/v1/views/governance/committees", params={"village": JINXIA}, headers=SHIBI_CLERK
    )
    assert refused.status_code == 403


async def test_the_appraisal_refers_the_failing_secretary_who_sees_only_his_row(
    client: httpx.AsyncClient,
) -> None:
    v = await view(client, "party/appraisal", AUDITOR, as_of="2017-03-01")
    results = table(v, "results")
    assert [r["rank"] for r in results] == [1, 2, 3, 4]
    last = results[-1]
    assert (last["appraised"], last["grade"], last["referred"], last["subject_name"]) == (
        "金霞村党支部",
        "不称职",
        True,
        "李书记",
    )
    assert card(v, "移交为官不为整治") == "1" and card(v, "优秀") == "2"
    masked = await view(client, "party/appraisal", ECONOMIC, as_of="2017-03-01")
    assert table(masked, "results")[-1]["subject_name"] == "李**"
    own = await view(client, "party/appraisal", JINXIA_SECRETARY, as_of="2017-03-01")
    assert [r["appraised"] for r in table(own, "results")] == ["金霞村党支部"]


async def test_the_overview_counts_them_in_measures_4_and_6(client: httpx.AsyncClient) -> None:
    async def indicators(day: str) -> dict[str, tuple[int, int]]:
        v = await view(client, "overview", as_of=day)
        return {r["indicator"]: (r["done"], r["target"]) for r in table(v, "indicators")}

    early, summer, spring = (
        await indicators("2016-03-22"),
        await indicators("2016-06-30"),
        await indicators("2017-03-01"),
    )
    project = "4. 集体经济项目经“四议两公开”"
    assert (early[project], summer[project]) == ((0, 1), (1, 2))
    assert (early["6. 四议两公开结果公开"], summer["6. 四议两公开结果公开"]) == ((0, 0), (1, 2))
    assert early["6. 小微权力清单"] == (1, 30)
    assert spring["6. 村务监督委员会年度报告"] == (1, 30)
    assert spring["6. 村级财务公开"] == (2, 30)
    measures = {r["number"]: r for r in table(await view(client, "overview"), "measures")}
    assert "小微权力清单 1/30" in measures[6]["indicators"]


async def test_the_public_reads_none_of_it(client: httpx.AsyncClient) -> None:
    for name in ("governance/decisions", "governance/books", "party/appraisal"):
        response = await client.get(f"/api/v1/views/{name}", headers=PUBLIC)
        assert response.status_code == 403
    listed = (await client.get("/api/v1/views", headers=ECONOMIC)).json()
    assert {"governance/decisions", "governance/books", "governance/powers"} <= {
        v["name"] for v in listed
    }
    assert {v["group"] for v in listed if v["name"].startswith("governance/")} == {"乡村治理"}


async def test_the_dashboard_shows_each_governance_view(client: httpx.AsyncClient) -> None:
    for name, title in (
        ("governance/decisions", "四议两公开"),
        ("governance/books", "村账乡代理"),
        ("governance/powers", "小微权力清单"),
        ("governance/committees", "村务监督委员会"),
        ("party/appraisal", "年度绩效考核"),
    ):
        page = await client.get(f"/dashboard/{name}?as_of=2017-03-01", headers=SECRETARY)
        assert page.status_code == 200, (name, page.text[:300])
        assert title in page.text and "乡村治理" in page.text
    basis = await client.get(
        "/basis/governance/powers",
        params={"figure": "card/运行缺少步骤"},
        headers=SECRETARY,
    )
    assert basis.status_code == 200 and "事实依据" in basis.text
