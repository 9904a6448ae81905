"""Through HTTP against the real PostgreSQL and Kafka: 四议两公开 (a project started before its
resolution is disclosed is refused with nothing stored, after it is 201; who records which
step; a decision's overdue result as of a day) and 村账乡代理 (a disclosure differing from the
books is flagged once: the answer's `events` hold one funds.RedFlagRaised, a repeat none)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from funds.bootstrap import build_app

from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    assert_problem,
    bearer,
    service_settings,
    stored_events,
    unique,
)

from .support import raised_flags

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

ECONOMIC = bearer(Role.ECONOMIC_LEADER, user_id="zhoumin")
SECRETARY = bearer(Role.TOWN_SECRETARY)
CLERK_SHIBI = bearer(Role.VILLAGE_CLERK, user_id="clerk-shibi", village="石壁村")
CLERK_JINXIA = bearer(Role.VILLAGE_CLERK, user_id="clerk-jinxia", village="金霞村")
DECISIONS = "/api/v1/villages/石壁村/decisions"
Json = dict[str, Any]


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def service(infra: Infra) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = build_app(service_settings(infra))
    async with app_client(app) as client:
        yield app, client


async def stored(app: FastAPI) -> int:
    return await stored_events(app.state.runtime.store)


async def post(client: httpx.AsyncClient, url: str, body: Json, status: int, **kw: Any) -> Json:
    response = await client.post(url, json=body, headers=kw.get("headers", ECONOMIC))
    assert response.status_code == status, response.text
    answer: Json = response.json()
    return answer


async def resolved_project(client: httpx.AsyncClient) -> str:
    """A collective project decision of 石壁村 taken to its resolution (2016-03-20)."""
    proposed = await post(
        client,
        DECISIONS,
        {
            "reference": unique("JY"),
            "kind": "collective_project",
            "subject": "村级光伏电站",
            "description": "建设 60 千瓦村级光伏电站，收益归村集体",
            "occurred_on": "2016-03-01",
        },
        201,
    )
    assert proposed["status"] == "proposed"
    for step, body, members, present, on in (
        ("consulted", "两委会议", 7, 6, "2016-03-05"),
        ("reviewed", "党员大会", 40, 30, "2016-03-12"),
        ("resolved", "村民代表会议", 30, 24, "2016-03-20"),
    ):
        held = await post(
            client,
            f"{DECISIONS}/{proposed['id']}/meetings",
            {
                "step": step,
                "body": body,
                "members": members,
                "present": present,
                "votes_for": present - 1,
                "votes_against": 1,
                "occurred_on": on,
            },
            200,
        )
        assert held["status"] == step
    decision_id: str = proposed["id"]
    return decision_id


async def test_a_project_started_before_its_resolution_is_disclosed_is_refused(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = service
    decision_id = await resolved_project(client)
    projects = "/api/v1/villages/石壁村/collective-projects"
    body = {"decision_id": decision_id, "investment": "180000", "occurred_on": "2016-04-01"}
    before = await stored(app)
    refused = await client.post(projects, json=body, headers=ECONOMIC)
    problem = assert_problem(refused, 422)
    assert "决议公开前不得实施" in problem["detail"]
    assert await stored(app) == before
    disclosure = f"{DECISIONS}/{decision_id}/resolution-disclosure"
    other_clerk = await client.post(disclosure, json={}, headers=CLERK_JINXIA)
    assert other_clerk.status_code == 403
    disclosed = await post(
        client, disclosure, {"occurred_on": "2016-03-22"}, 200, headers=CLERK_SHIBI
    )
    assert disclosed["status"] == "resolution_disclosed"
    started = await post(client, projects, body, 201)
    assert started["stream_id"] == f"cproject-{started['id']}"
    assert [e["type"] for e in started["events"]] == ["funds.CollectiveProjectStarted"]
    [event] = await app.state.runtime.store.read_stream(started["stream_id"])
    assert event.actor.user_id == "zhoumin"
    assert event.payload["steps"][-1] == "resolution_disclosed"
    assert event.payload["power_item"] == "works"
    listed = await client.get(projects, headers=CLERK_SHIBI)
    assert started["id"] in [p["project_id"] for p in listed.json()["projects"]]
    again = await client.post(projects, json=body, headers=ECONOMIC)
    assert again.status_code == 409


async def test_only_the_economic_leader_records_the_steps_and_an_overdue_result_shows(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = service
    body = {"kind": "collective_project", "subject": "油茶基地", "description": "流转荒山种油茶"}
    for headers in (CLERK_SHIBI, SECRETARY):
        refused = await client.post(DECISIONS, json=body, headers=headers)
        assert_problem(refused, 403)
    decision_id = await resolved_project(client)
    await post(
        client,
        f"{DECISIONS}/{decision_id}/resolution-disclosure",
        {"occurred_on": "2016-03-22"},
        200,
    )
    await post(
        client,
        "/api/v1/villages/石壁村/collective-projects",
        {"decision_id": decision_id, "investment": "50000", "occurred_on": "2016-04-01"},
        201,
    )
    url = f"{DECISIONS}/{decision_id}"
    due = (await client.get(url, params={"as_of": "2016-06-20"}, headers=SECRETARY)).json()
    assert due["result_due_on"] == "2016-06-20" and not due["overdue"]
    late = (await client.get(url, params={"as_of": "2016-06-21"}, headers=CLERK_SHIBI)).json()
    assert late["overdue"] and late["status"] == "resolution_disclosed"
    earlier = (await client.get(url, params={"as_of": "2016-03-15"}, headers=SECRETARY)).json()
    assert earlier["status"] == "reviewed" and earlier["steps"][-1] == "reviewed"
    listed = await client.get(
        DECISIONS, params={"as_of": "2016-07-01", "overdue": "true"}, headers=SECRETARY
    )
    assert decision_id in [d["decision_id"] for d in listed.json()["decisions"]]
    assert (await client.get(url, headers=CLERK_JINXIA)).status_code == 403
    await post(
        client,
        f"{url}/result-disclosure",
        {"result": "油茶基地已种植 300 亩", "occurred_on": "2016-07-10"},
        200,
        headers=CLERK_SHIBI,
    )
    now = (await client.get(url, headers=SECRETARY)).json()
    assert now["status"] == "result_disclosed" and not now["overdue"] and now["late"]


async def test_a_disclosure_differing_from_the_books_is_flagged_once(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = service
    books = "/api/v1/villages/金霞村/books"
    for month, kind, amount, steps in (
        ("2016-01", "income", "21000", []),
        ("2016-02", "expense", "6400", ["handled", "reviewed_by_committee", "approved"]),
        ("2016-03", "expense", "1600", ["handled", "approved"]),
    ):
        entry = await post(
            client,
            f"{books}/entries",
            {
                "month": month,
                "kind": kind,
                "amount": amount,
                "subject": "集体山塘发包收入" if kind == "income" else "村道维修",
                "steps": steps,
                "occurred_on": f"{month}-28",
            },
            201,
        )
        assert entry["stream_id"].startswith("books-") and entry["stream_id"].endswith("-2016")
    clerk = await client.post(
        f"{books}/entries",
        json={"month": "2016-03", "kind": "income", "amount": "1", "subject": "x"},
        headers=CLERK_JINXIA,
    )
    assert clerk.status_code == 403
    kept = (await client.get(f"{books}/2016", headers=CLERK_JINXIA)).json()
    assert kept["quarters"][0] == {"period": "2016Q1", "income": "21000", "expense": "8000"}
    url = "/api/v1/villages/金霞村/finance-disclosures"
    body = {"period": "2016Q1", "income_total": "21000", "expenditure_total": "6400"}
    flagged = await post(
        client, url, {**body, "occurred_on": "2016-04-10"}, 201, headers=CLERK_JINXIA
    )
    raised = [e for e in flagged["events"] if e["type"] == "funds.RedFlagRaised"]
    assert len(raised) == 1
    [flag] = await raised_flags(client, flagged, SECRETARY)
    assert flag["code"] == "FUNDS-DISCLOSURE-MISMATCH" and flag["village"] == "金霞村"
    assert "支出 6400 元" in flag["summary"] and "支出 8000 元" in flag["summary"]
    before = await stored(app)
    again = await client.post(url, json={**body, "occurred_on": "2016-04-11"}, headers=CLERK_JINXIA)
    assert again.status_code == 409 and await stored(app) == before
    flags = await client.get(
        "/api/v1/red-flags", params={"code": "FUNDS-DISCLOSURE-MISMATCH"}, headers=SECRETARY
    )
    assert [f["flag_id"] for f in flags.json()] == [flag["flag_id"]]
    from_books = await post(
        client, url, {"period": "2016Q2", "occurred_on": "2016-07-10"}, 201, headers=CLERK_JINXIA
    )
    assert [e["type"] for e in from_books["events"]] == ["funds.FinanceDisclosed"]
    shown = (await client.get(url, headers=SECRETARY)).json()["disclosures"]
    assert [(d["period"], d["income_total"]) for d in shown] == [
        ("2016Q1", "21000"),
        ("2016Q2", "0"),
    ]
