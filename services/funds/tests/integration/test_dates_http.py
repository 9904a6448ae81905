"""Issue 11 through HTTP: "as of" a day before a programme was set up it is absent (not a
server error), business dates outside the programme's window are refused naming the field,
and invalid input reads in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from funds.bootstrap import build_app

from shared.clock import china_today
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

from .support import programme_body

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

ECONOMIC = bearer(Role.ECONOMIC_LEADER, user_id="zhoumin")
SECRETARY = bearer(Role.TOWN_SECRETARY)

#: Every read of funds that takes `as_of`, but the one programme's (it needs an id).
AS_OF_READS = [
    "/api/v1/programmes",
    "/api/v1/red-flags",
    "/api/v1/relief-households",
    "/api/v1/villages/石壁村/assets",
    "/api/v1/villages/石壁村/collective-economy",
    "/api/v1/collective-economy/zero-income-villages",
    "/api/v1/villages/石壁村/finance-disclosures",
    "/api/v1/finance-disclosures/overdue",
]


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def service(infra: Infra) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = build_app(service_settings(infra))
    async with app_client(app) as client:
        yield app, client


async def given_a_programme_set_up_on(
    client: httpx.AsyncClient, day: str, *, allocated_on: str
) -> str:
    """A programme set up on `day`, whose allocation is dated `allocated_on` (may be earlier:
    the finance office records the allocation it was told of before the programme's paper)."""
    created = await client.post(
        "/api/v1/programmes", json=programme_body(unique("P"), occurred_on=day), headers=ECONOMIC
    )
    assert created.status_code == 201, created.text
    pid: str = created.json()["id"]
    allocation = {"village": "石壁村", "amount": "20000", "occurred_on": allocated_on}
    allocated = await client.post(
        f"/api/v1/programmes/{pid}/allocations", json=allocation, headers=ECONOMIC
    )
    assert allocated.status_code == 201, allocated.text
    return pid


async def test_as_of_a_day_before_a_programme_was_set_up_it_is_absent(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = service
    pid = await given_a_programme_set_up_on(client, "2016-04-01", allocated_on="2016-03-20")
    for day in ("2016-03-25", "2000-01-01"):
        listed = await client.get("/api/v1/programmes", params={"as_of": day}, headers=SECRETARY)
        assert listed.status_code == 200, listed.text
        assert pid not in {p["programme_id"] for p in listed.json()}
        one = await client.get(
            f"/api/v1/programmes/{pid}", params={"as_of": day}, headers=SECRETARY
        )
        assert "资金项目" in assert_problem(one, 404)["detail"]
    since = await client.get(
        f"/api/v1/programmes/{pid}", params={"as_of": "2016-04-01"}, headers=SECRETARY
    )
    assert since.status_code == 200 and since.json()["allocations"][0]["amount"] == "20000"


async def test_every_as_of_read_answers_before_any_data(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = service
    await given_a_programme_set_up_on(client, "2016-04-01", allocated_on="2016-04-01")
    for path in AS_OF_READS:
        read = await client.get(path, params={"as_of": "2000-01-01"}, headers=SECRETARY)
        assert read.status_code == 200, (path, read.text)
    listed = await client.get(
        "/api/v1/programmes", params={"as_of": "2000-01-01"}, headers=SECRETARY
    )
    assert listed.json() == []


async def test_a_notice_ending_centuries_ahead_is_refused(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = service
    pid = await given_a_programme_set_up_on(client, "2016-04-01", allocated_on="2016-04-02")
    before = await stored_events(app.state.runtime.store)
    notice = {"title": "2016年产业扶贫到户补助公示", "ends_on": "3581-01-01"}
    refused = await client.post(
        f"/api/v1/programmes/{pid}/notices",
        json={**notice, "occurred_on": "2016-05-01"},
        headers=ECONOMIC,
    )
    problem = assert_problem(refused, 422)
    assert [e["field"] for e in problem["errors"]] == ["ends_on"]
    assert problem["detail"].startswith("公示截止日期：日期 3581-01-01 晚于今后10年")
    assert await stored_events(app.state.runtime.store) == before


async def test_a_fact_dated_tomorrow_is_refused_by_the_shared_rule(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = service
    before = await stored_events(app.state.runtime.store)
    tomorrow = (china_today() + dt.timedelta(days=1)).isoformat()
    refused = await client.post(
        "/api/v1/programmes",
        json=programme_body(unique("P"), occurred_on=tomorrow),
        headers=ECONOMIC,
    )
    assert "晚于今天" in assert_problem(refused, 422)["detail"]
    assert await stored_events(app.state.runtime.store) == before


async def test_a_future_occurred_on_is_refused_by_the_pipeline_with_its_clock(
    infra: Infra,
) -> None:
    # given the service's clock says noon of 1 June 2016 in China (a demo's): 2 June is in the
    # future for it
    noon_in_china = dt.datetime(2016, 6, 1, 4, tzinfo=dt.UTC)
    app = build_app(service_settings(infra), clock=lambda: noon_in_china)
    async with app_client(app) as client:
        refused = await client.post(
            "/api/v1/programmes",
            json=programme_body(unique("P"), occurred_on="2016-06-02"),
            headers=ECONOMIC,
        )
        assert "业务日期 2016-06-02 晚于今天 2016-06-01" in assert_problem(refused, 422)["detail"]
        accepted = await client.post(
            "/api/v1/programmes",
            json=programme_body(unique("P"), occurred_on="2016-06-01"),
            headers=ECONOMIC,
        )
        assert accepted.status_code == 201, accepted.text


async def test_bad_input_reads_in_chinese_naming_the_field(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = service
    body: dict[str, Any] = programme_body(
        unique("P"), amount="-5", planned_start="2016-05-01T08:00:00", source_level="village"
    )
    problem = assert_problem(
        await client.post("/api/v1/programmes", json=body, headers=ECONOMIC), 422
    )
    messages = {e["field"]: e["message"] for e in problem["errors"]}
    assert messages["amount"].startswith("金额：应大于 0")
    assert messages["planned_start"].startswith("计划启动日期：应为日期（YYYY-MM-DD），不能带时间")
    assert messages["source_level"].startswith("资金来源层级：应为以下之一")
    assert problem["title"] == "输入无效 (invalid input)"
