"""Issue 11 through HTTP: relief's "as of" reads answer for a day before any record (and a
record dated before the first still counts from its own day); a site registered before the
programme is refused naming the field; invalid input reads in Chinese."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from relief.bootstrap import build_app

from shared.roles import Role
from shared.testing import Infra, app_client, assert_problem, bearer, service_settings

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

AGRI = bearer(Role.AGRICULTURE_LEADER, user_id="agri-liu")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def client(infra: Infra) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(build_app(service_settings(infra))) as c:
        yield c


def posts(village: str, count: int, on: str) -> dict[str, Any]:
    return {
        "village": village,
        "kind": "public_welfare",
        "employer": "镇环卫所",
        "posts": count,
        "occurred_on": on,
    }


async def posts_done(client: httpx.AsyncClient, as_of: str) -> int:
    read = await client.get("/api/v1/activities/progress", params={"as_of": as_of}, headers=AGRI)
    assert read.status_code == 200, read.text
    lines = {(p["activity"], p["measure"]): p for p in read.json()["progress"]}
    done: int = lines[("posts", "公益性岗位、就业岗位")]["done"]
    return done


async def test_as_of_a_day_before_any_record_the_activities_are_empty(
    client: httpx.AsyncClient,
) -> None:
    # given 30 posts recorded for 1 June, then 5 more recorded later but dated 1 May
    for body in (posts("石壁村", 30, "2016-06-01"), posts("金霞村", 5, "2016-05-01")):
        created = await client.post("/api/v1/activities/posts", json=body, headers=AGRI)
        assert created.status_code == 201, created.text
    # then before any record nothing is done; the May record counts from May (a ledger of
    # records, not an entity that began with its first record)
    assert await posts_done(client, "2000-01-01") == 0
    assert await posts_done(client, "2016-05-15") == 5
    assert await posts_done(client, "2016-06-01") == 35
    for activity in ("posts", "enterprise-pairings", "students", "clinics"):
        read = await client.get(
            f"/api/v1/activities/{activity}", params={"as_of": "2000-01-01"}, headers=AGRI
        )
        assert (read.status_code, read.json()["records"]) == (200, []), activity


async def test_a_site_registered_before_the_programme_is_refused(
    client: httpx.AsyncClient,
) -> None:
    site = {"community": "天易社区", "name": "天易社区综合服务中心", "area_m2": "650"}
    refused = await client.post(
        "/api/v1/service-sites", json={**site, "occurred_on": "0001-01-01"}, headers=AGRI
    )
    problem = assert_problem(refused, 422)
    assert [e["field"] for e in problem["errors"]] == ["occurred_on"]
    assert problem["detail"].startswith("业务日期：日期 0001-01-01 早于本项目开始（2016-01-01）")
    imported = await client.post(
        "/api/v1/households/import",
        params={"occurred_on": "0150-01-01"},
        content=b"village,head_name\n",
        headers={**AGRI, "content-type": "text/csv"},
    )
    assert assert_problem(imported, 422)["detail"].startswith("建档日期：日期 0150-01-01")


async def test_bad_input_reads_in_chinese_naming_the_field(client: httpx.AsyncClient) -> None:
    body = {"community": "天易社区", "name": "", "area_m2": "六百", "occurred_on": "2016-3-1"}
    problem = assert_problem(
        await client.post("/api/v1/service-sites", json=body, headers=AGRI), 422
    )
    messages = {e["field"]: e["message"] for e in problem["errors"]}
    assert messages["occurred_on"].startswith("业务日期：应为日期，格式 YYYY-MM-DD")
    assert "应为数字" in messages["area_m2"]
    assert "至少 1 个字符" in messages["name"]
    assert problem["title"] == "输入无效 (invalid input)"
