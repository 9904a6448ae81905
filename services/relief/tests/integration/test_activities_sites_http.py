"""The five activities, livelihood projects, service sites, stations and the agency ledger
through HTTP against the real PostgreSQL and Kafka."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from relief.bootstrap import build_app

from shared.contracts import check_envelope
from shared.eventstore import EventStore
from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    assert_problem,
    bearer,
    find_on_topic,
    service_settings,
    stored_events,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

AGRI = bearer(Role.AGRICULTURE_LEADER, user_id="agri-liu")
CLERK_SHIBI = bearer(Role.VILLAGE_CLERK, user_id="clerk-shibi", village="石壁村")
CLERK_JINXIA = bearer(Role.VILLAGE_CLERK, user_id="clerk-jinxia", village="金霞村")


class Api:
    def __init__(
        self, app: FastAPI, client: httpx.AsyncClient, schema: str, bootstrap: str
    ) -> None:
        self.app, self.client, self.schema, self.bootstrap = app, client, schema, bootstrap

    @property
    def store(self) -> EventStore:
        store: EventStore = self.app.state.runtime.store
        return store

    async def count(self) -> int:
        return await stored_events(self.store)

    async def post(self, url: str, body: dict[str, Any], headers: dict[str, str] = AGRI) -> Any:
        return await self.client.post(url, json=body, headers=headers)

    async def ok(self, url: str, body: dict[str, Any], headers: dict[str, str] = AGRI) -> Any:
        response = await self.post(url, body, headers)
        assert response.status_code in (200, 201), response.text
        return response.json()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def api(infra: Infra) -> AsyncIterator[Api]:
    settings = service_settings(infra)
    app = build_app(settings)
    async with app_client(app) as client:
        yield Api(app, client, settings.db_schema, infra.kafka_bootstrap_servers)


async def test_activities_count_towards_the_plans_targets_as_of_a_day(api: Api) -> None:
    first = await api.ok(
        "/api/v1/activities/posts",
        {
            "village": "石壁村",
            "kind": "public_welfare",
            "employer": "镇环卫所",
            "posts": 30,
            "people": ["张三", "李四"],
            "occurred_on": "2016-06-01",
        },
        CLERK_SHIBI,
    )
    await api.ok(
        "/api/v1/activities/posts",
        {
            "village": "金霞村",
            "kind": "employment",
            "employer": "湘潭电机",
            "posts": 25,
            "occurred_on": "2016-10-01",
        },
    )
    await api.ok(
        "/api/v1/activities/enterprise-pairings",
        {
            "enterprise": "湘潭宏达农业开发有限公司",
            "village": "石壁村",
            "occurred_on": "2016-05-08",
        },
    )
    for n in range(4):
        await api.ok(
            "/api/v1/activities/clinics",
            {
                "village": "梅林村",
                "medical_staff": [f"医生{n}", f"医生{n + 10}"],
                "patients": 60,
                "occurred_on": f"2016-0{n + 5}-15",
            },
        )
    await api.ok(
        "/api/v1/activities/students",
        {
            "village": "石壁村",
            "student_name": "李小明",
            "support": "学费",
            "amount": "1500",
            "occurred_on": "2016-09-01",
        },
    )
    june = (
        await api.client.get("/api/v1/activities/progress?as_of=2016-07-01", headers=AGRI)
    ).json()
    lines = {(p["activity"], p["measure"]): p for p in june["progress"]}
    assert lines[("posts", "公益性岗位、就业岗位")]["done"] == 30
    assert lines[("clinics", "义诊场次")]["done"] == 2
    assert lines[("enterprise-pairings", "对接企业的省定贫困村")]["achieved"] is True
    now = (await api.client.get("/api/v1/activities/progress", headers=CLERK_JINXIA)).json()
    lines = {(p["activity"], p["measure"]): p for p in now["progress"]}
    assert (
        lines[("posts", "公益性岗位、就业岗位")]["done"],
        lines[("posts", "公益性岗位、就业岗位")]["achieved"],
    ) == (55, True)
    assert (
        lines[("clinics", "义诊场次")] | {"done": 4, "target": 4} == lines[("clinics", "义诊场次")]
    )
    assert (
        lines[("clinics", "医务人员")]["done"] == 8
        and lines[("students", "帮助贫困生")]["done"] == 1
    )
    records = (await api.client.get("/api/v1/activities/posts", headers=CLERK_JINXIA)).json()
    assert [r["village"] for r in records["records"]] == ["金霞村"]

    (env,) = [
        e
        for e in await api.store.read_stream(first["stream_id"])
        if e.payload["record_id"] == first["id"]
    ]
    assert env.actor.user_id == "clerk-shibi"
    published = await find_on_topic(api.bootstrap, "relief.events", {str(env.event_id)})
    check_envelope(published[str(env.event_id)])


async def test_activity_refusals_and_role_checks(api: Api) -> None:
    before = await api.count()
    not_poor = await api.post(
        "/api/v1/activities/enterprise-pairings", {"enterprise": "某公司", "village": "金霞村"}
    )
    assert "不是省定贫困村" in assert_problem(not_poor, 422)["detail"]
    other = await api.post(
        "/api/v1/activities/clinics",
        {"village": "梅林村", "medical_staff": ["医生"], "patients": 1},
        CLERK_SHIBI,
    )
    assert_problem(other, 403)
    reader = await api.post(
        "/api/v1/activities/posts",
        {"village": "石壁村", "kind": "employment", "posts": 1},
        bearer(Role.TOWN_SECRETARY),
    )
    assert_problem(reader, 403)
    zero = await api.post(
        "/api/v1/activities/posts", {"village": "石壁村", "kind": "employment", "posts": 0}
    )
    assert assert_problem(zero, 422)["errors"][0]["field"] == "posts"
    record_id = str(uuid.uuid4())
    body = {"village": "石壁村", "student_name": "王芳", "support": "书包", "record_id": record_id}
    await api.ok("/api/v1/activities/students", body)
    assert_problem(await api.post("/api/v1/activities/students", body), 409)
    assert await api.count() == before + 1


async def test_a_livelihood_project_from_the_list_to_after_care(api: Api) -> None:
    created = await api.ok(
        "/api/v1/livelihood-projects",
        {
            "name": "石壁村安全饮水工程",
            "category": "water",
            "village": "石壁村",
            "lead_unit": "民政与社会保障办",
            "budget": "350000",
            "due_on": "2016-12-31",
            "occurred_on": "2016-03-01",
        },
        CLERK_SHIBI,
    )
    url = f"/api/v1/livelihood-projects/{created['id']}"
    early = await api.post(f"{url}/accept", {"accepted_by": "验收组", "result": "合格"})
    assert "尚未开工" in assert_problem(early, 422)["detail"]
    assert_problem(await api.post(f"{url}/start", {"occurred_on": "2016-04-01"}, CLERK_JINXIA), 403)
    await api.ok(f"{url}/start", {"occurred_on": "2016-04-01", "expected_version": 1})
    stale = await api.post(
        f"{url}/accept", {"accepted_by": "组", "result": "合格", "expected_version": 1}
    )
    assert_problem(stale, 409)
    await api.ok(
        f"{url}/accept", {"accepted_by": "镇验收组", "result": "合格", "occurred_on": "2016-10-20"}
    )
    await api.ok(
        f"{url}/after-care",
        {"responsible": "村文书", "note": "水质抽检正常", "occurred_on": "2016-12-01"},
    )
    state = (await api.client.get(url, headers=AGRI)).json()
    assert state["status"] == "after_care" and state["budget"] == "350000"
    town = await api.ok(
        "/api/v1/livelihood-projects",
        {"name": "镇便民服务中心窗口改造", "category": "public_services", "lead_unit": "政务中心"},
    )
    assert_problem(
        await api.post(
            "/api/v1/livelihood-projects",
            {"name": "x", "category": "jobs", "lead_unit": "办"},
            CLERK_SHIBI,
        ),
        403,
    )
    town_list = (
        await api.client.get("/api/v1/livelihood-projects?level=town", headers=AGRI)
    ).json()
    assert [p["project_id"] for p in town_list["projects"]] == [town["id"]]
    shibi = (
        await api.client.get(
            "/api/v1/livelihood-projects?village=石壁村&category=water", headers=AGRI
        )
    ).json()
    assert [p["project_id"] for p in shibi["projects"]] == [created["id"]]
    bad = await api.post(
        "/api/v1/livelihood-projects", {"name": "x", "category": "space", "lead_unit": "办"}
    )
    assert "项目类别" in assert_problem(bad, 422)["detail"]


async def test_a_community_site_becomes_compliant_only_at_600_square_metres_with_the_five_unified(
    api: Api,
) -> None:
    created = await api.ok(
        "/api/v1/service-sites",
        {
            "community": "天易社区",
            "name": "天易社区综合服务中心",
            "area_m2": "450",
            "occurred_on": "2016-03-01",
        },
    )
    url = f"/api/v1/service-sites/{created['id']}"
    small = await api.client.post(f"{url}/certify", headers=AGRI)  # no body: today
    detail = assert_problem(small, 422)["detail"]
    assert "低于 600 m²" in detail and "社区标识" in detail
    await api.ok(
        f"{url}/five-unified",
        {
            "items": ["signage", "facade", "door_plates", "service_windows", "publicity_boards"],
            "occurred_on": "2016-05-01",
        },
    )
    await api.ok(
        f"{url}/expand", {"area_m2": "640", "method": "transferred", "occurred_on": "2016-08-01"}
    )
    await api.ok(f"{url}/certify", {"occurred_on": "2016-09-01"})
    state = (await api.client.get(url, headers=AGRI)).json()
    assert state["compliant"] is True and state["area_m2"] == "640" and state["missing"] == []
    village = await api.post(
        "/api/v1/service-sites", {"community": "石壁村", "name": "x", "area_m2": "700"}
    )
    assert "不是社区" in assert_problem(village, 422)["detail"]
    negative = await api.post(
        "/api/v1/service-sites", {"community": "天易社区", "name": "x", "area_m2": "-1"}
    )
    assert assert_problem(negative, 422)["errors"][0]["field"] == "area_m2"


async def test_a_station_with_its_rota_and_the_agency_ledger(api: Api) -> None:
    no_station = await api.post(
        "/api/v1/agency-items",
        {"village": "湘江村", "applicant": "张大爷", "matter": "低保申请", "agent": "李华"},
    )
    assert "尚未设立便民服务站" in assert_problem(no_station, 422)["detail"]
    await api.ok(
        "/api/v1/service-stations",
        {
            "village": "石壁村",
            "name": "石壁村便民服务站",
            "address": "石壁村村部",
            "occurred_on": "2016-03-01",
        },
        CLERK_SHIBI,
    )
    assert_problem(
        await api.post("/api/v1/service-stations", {"village": "石壁村", "name": "重复"}), 409
    )
    gap = [{"weekday": d, "cadre": f"干部{d}"} for d in (1, 2, 3, 4)]
    missing = await api.post("/api/v1/service-stations/石壁村/duty-rota", {"shifts": gap})
    assert "周五" in assert_problem(missing, 422)["detail"]
    full = [*gap, {"weekday": 5, "cadre": "干部5", "post": "村主任"}]
    await api.ok(
        "/api/v1/service-stations/石壁村/duty-rota", {"shifts": full, "occurred_on": "2016-03-02"}
    )
    station = (await api.client.get("/api/v1/service-stations/石壁村", headers=CLERK_SHIBI)).json()
    assert [r["weekday_label"] for r in station["rota"]] == ["周一", "周二", "周三", "周四", "周五"]

    item = await api.ok(
        "/api/v1/agency-items",
        {
            "village": "石壁村",
            "applicant": "张大爷",
            "matter": "代缴新农合",
            "agent": "李华",
            "occurred_on": "2016-04-01",
        },
        CLERK_SHIBI,
    )
    url = f"/api/v1/agency-items/{item['id']}"
    early = await api.post(f"{url}/sign-off", {"signed_by": "张大爷"})
    assert "尚未办结" in assert_problem(early, 422)["detail"]
    assert_problem(await api.post(f"{url}/handle", {"result": "已缴费"}, CLERK_JINXIA), 403)
    await api.ok(f"{url}/handle", {"result": "已缴费", "occurred_on": "2016-04-03"}, CLERK_SHIBI)
    await api.ok(
        f"{url}/sign-off", {"signed_by": "张大爷", "occurred_on": "2016-04-05"}, CLERK_SHIBI
    )
    ledger = (await api.client.get("/api/v1/agency-items?village=石壁村", headers=AGRI)).json()
    assert [(i["item_id"], i["status"]) for i in ledger["items"]] == [(item["id"], "signed_off")]
    assert_problem(
        await api.client.get("/api/v1/agency-items?village=石壁村", headers=CLERK_JINXIA), 403
    )
