"""Households through HTTP against the real PostgreSQL and Kafka: events in the store and on
`relief.events` with valid schemas and the actor; role checks; bad input as problem+json with
nothing stored; exit and return; pairing with a party member known from `party.events`."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from openpyxl import Workbook
from relief.bootstrap import build_app

from shared.contracts import check_envelope
from shared.envelope import Actor
from shared.eventstore import EventStore
from shared.personal import tokens
from shared.personal.secret import person_ref
from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    assert_problem,
    bearer,
    eventually,
    find_on_topic,
    service_settings,
    stored_events,
)

from .support import fresh_resident, publish_member_joined

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

AGRI = bearer(Role.AGRICULTURE_LEADER, user_id="agri-liu")
CLERK_SHIBI = bearer(Role.VILLAGE_CLERK, user_id="clerk-shibi", village="石壁村")
CLERK_JINXIA = bearer(Role.VILLAGE_CLERK, user_id="clerk-jinxia", village="金霞村")
SECRETARY = bearer(Role.TOWN_SECRETARY)
TOPIC = "relief.events"


@dataclass
class Api:
    app: FastAPI
    client: httpx.AsyncClient
    schema: str
    bootstrap: str

    @property
    def store(self) -> EventStore:
        store: EventStore = self.app.state.runtime.store
        return store

    async def count(self) -> int:
        return await stored_events(self.store)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def api(infra: Infra) -> AsyncIterator[Api]:
    settings = service_settings(infra)
    app = build_app(settings)
    async with app_client(app) as client:
        yield Api(app, client, settings.db_schema, infra.kafka_bootstrap_servers)


def household(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "village": "石壁村",
        "head_name": "张建国",
        "head_id_number": fresh_resident(),
        "members": [
            {"name": "李秀英", "id_number": fresh_resident("19720305"), "relation": "配偶"}
        ],
        "causes": ["因病", "缺技术"],
        "income_per_head": "1800.50",
        "occurred_on": "2016-03-01",
    }
    body.update(changes)
    return body


async def register(api: Api, headers: dict[str, str] = AGRI, **changes: Any) -> str:
    response = await api.client.post(
        "/api/v1/households", json=household(**changes), headers=headers
    )
    assert response.status_code == 201, response.text
    household_id: str = response.json()["id"]
    return household_id


async def test_registration_is_stored_and_published_with_the_contract_fields(api: Api) -> None:
    body = household()
    response = await api.client.post("/api/v1/households", json=body, headers=AGRI)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["version"] == 1 and created["stream_id"] == f"household-{created['id']}"

    (env,) = await api.store.read_stream(created["stream_id"])
    assert env.event_type == "relief.HouseholdRegistered"
    assert env.actor == Actor("agri-liu", "agriculture_leader")
    assert env.occurred_at == dt.datetime(2016, 3, 1, 12, tzinfo=dt.UTC)
    stored = env.payload
    # personal fields are stored encrypted under the person's key (crypto-shredding) ...
    assert tokens.is_token(stored["head_name"]) and tokens.is_token(stored["head_id_number"])
    assert "张建国" not in str(stored) and body["head_id_number"] not in str(stored)
    assert tokens.ref_of(stored["head_id_number"]) == person_ref(body["head_id_number"])
    # ... and open with the store's keys to what was recorded
    (payload,) = await api.store.opened([stored])
    assert payload["household_id"] == created["id"] and payload["village"] == "石壁村"
    assert payload["head_name"] == "张建国" and payload["head_id_number"] == body["head_id_number"]
    assert payload["registered_on"] == "2016-03-01" and payload["income_per_head"] == "1800.50"
    assert [m["relation"] for m in payload["members"]] == ["户主", "配偶"]
    assert set(payload["members"][1]) == {"name", "id_number", "relation"}
    check_envelope(env)

    published = await find_on_topic(api.bootstrap, TOPIC, {str(env.event_id)})
    on_topic = published[str(env.event_id)]
    check_envelope(on_topic)
    assert on_topic == env and on_topic.actor.user_id == "agri-liu"


async def test_the_same_head_twice_is_a_conflict_and_nothing_more_is_stored(api: Api) -> None:
    head = fresh_resident("19600101")
    await register(api, head_id_number=head)
    before = await api.count()
    response = await api.client.post(
        "/api/v1/households", json=household(head_id_number=head, members=[]), headers=AGRI
    )
    assert "已建档" in assert_problem(response, 409)["detail"]
    assert await api.count() == before


async def test_who_may_write_and_read(api: Api) -> None:
    household_id = await register(api, CLERK_SHIBI)
    before = await api.count()
    response = await api.client.post("/api/v1/households", json=household(), headers=CLERK_JINXIA)
    assert "只能操作本村" in assert_problem(response, 403)["detail"]
    for role in (Role.TOWN_SECRETARY, Role.ECONOMIC_LEADER, Role.AUDITOR, Role.PUBLIC):
        response = await api.client.post(
            "/api/v1/households", json=household(), headers=bearer(role)
        )
        assert_problem(response, 403)
    branch = bearer(Role.BRANCH_SECRETARY, village="石壁村")
    assert_problem(
        await api.client.post("/api/v1/households", json=household(), headers=branch), 403
    )
    assert_problem(await api.client.post("/api/v1/households", json=household()), 401)
    assess = {"income_per_head": "2500", "occurred_on": "2016-10-01"}
    url = f"/api/v1/households/{household_id}/assess-income"
    assert_problem(await api.client.post(url, json=assess, headers=CLERK_JINXIA), 403)
    assert await api.count() == before
    assert (await api.client.post(url, json=assess, headers=CLERK_SHIBI)).status_code == 200

    assert_problem(
        await api.client.get(f"/api/v1/households/{household_id}", headers=CLERK_JINXIA), 403
    )
    pub = await api.client.get(f"/api/v1/households/{household_id}", headers=bearer(Role.PUBLIC))
    assert_problem(pub, 403)
    masked = (await api.client.get(f"/api/v1/households/{household_id}", headers=SECRETARY)).json()
    assert "*" in masked["head_id_number"]
    full = (await api.client.get(f"/api/v1/households/{household_id}", headers=AGRI)).json()
    assert "*" not in full["head_id_number"] and full["incomes"]["2016"] == "2500"
    listed = (await api.client.get("/api/v1/households", headers=CLERK_JINXIA)).json()
    assert all(h["village"] == "金霞村" for h in listed["households"])


async def test_invalid_input_is_a_problem_and_stores_nothing(api: Api) -> None:
    before = await api.count()
    missing = await api.client.post("/api/v1/households", json={"village": "石壁村"}, headers=AGRI)
    fields = {e["field"] for e in assert_problem(missing, 422)["errors"]}
    assert {"head_name", "head_id_number", "causes", "income_per_head"} <= fields

    good = fresh_resident()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    checksum = await api.client.post(
        "/api/v1/households", json=household(head_id_number=bad), headers=AGRI
    )
    body = assert_problem(checksum, 422)
    assert body["errors"][0]["field"] == "head_id_number" and "校验位错误" in body["detail"]

    negative = await api.client.post(
        "/api/v1/households", json=household(income_per_head="-1"), headers=AGRI
    )
    assert assert_problem(negative, 422)["errors"][0]["field"] == "income_per_head"

    unknown = await api.client.post(
        "/api/v1/households", json=household(village="桃源村"), headers=AGRI
    )
    assert "未知村/社区" in assert_problem(unknown, 422)["detail"]

    future = await api.client.post(
        "/api/v1/households", json=household(occurred_on="2999-01-01"), headers=AGRI
    )
    assert "晚于今天" in assert_problem(future, 422)["detail"]
    assert await api.count() == before

    household_id = await register(api)
    before = await api.count()
    stale = await api.client.post(
        f"/api/v1/households/{household_id}/assess-income",
        json={"income_per_head": "3000", "expected_version": 0},
        headers=AGRI,
    )
    assert "版本" in assert_problem(stale, 409)["detail"]
    assert await api.count() == before


async def test_exit_is_refused_with_the_reason_then_granted_and_published(api: Api) -> None:
    household_id = await register(api)
    url = f"/api/v1/households/{household_id}"
    ok = await api.client.post(
        f"{url}/assess-income",
        json={"income_per_head": "3200", "occurred_on": "2016-11-20"},
        headers=AGRI,
    )
    assert ok.status_code == 200, ok.text
    checks = {"food": True, "clothing": True, "education": True, "medical": True}
    unsafe = await api.client.post(
        f"{url}/check-guarantees",
        json=checks | {"housing": False, "occurred_on": "2016-11-25"},
        headers=AGRI,
    )
    assert unsafe.status_code == 200
    refused = await api.client.post(f"{url}/exit", json={"occurred_on": "2016-12-20"}, headers=AGRI)
    assert "住房安全保障" in assert_problem(refused, 422)["detail"]

    await api.client.post(
        f"{url}/check-guarantees",
        json=checks | {"housing": True, "occurred_on": "2016-12-01"},
        headers=AGRI,
    )
    granted = await api.client.post(
        f"{url}/exit", json={"occurred_on": "2016-12-20", "expected_version": 4}, headers=AGRI
    )
    assert granted.status_code == 200, granted.text
    back = await api.client.post(
        f"{url}/return", json={"occurred_on": "2017-04-01", "reason": "户主突发重病"}, headers=AGRI
    )
    assert back.status_code == 200, back.text

    envelopes = (await api.store.read_stream(f"household-{household_id}"))[-2:]
    exit_env, return_env = envelopes
    assert exit_env.event_type == "relief.HouseholdExitedPoverty"
    assert exit_env.payload["household_id"] == household_id
    assert exit_env.payload["exited_on"] == "2016-12-20"
    assert exit_env.payload["poverty_line"] == "2952"
    assert return_env.event_type == "relief.HouseholdReturnedToPoverty"
    assert return_env.payload["returned_on"] == "2017-04-01"
    published = await find_on_topic(api.bootstrap, TOPIC, {str(e.event_id) for e in envelopes})
    for env in published.values():
        check_envelope(env)
    assert len(published) == 2
    state = (await api.client.get(url, headers=AGRI)).json()
    assert state["status"] == "returned" and [h["status"] for h in state["history"]] == [
        "registered",
        "exited",
        "returned",
    ]


async def test_pairing_names_a_party_member_relief_learnt_of_from_party_events(api: Api) -> None:
    member_id = f"m-{uuid.uuid4().hex[:10]}"
    await publish_member_joined(api.bootstrap, member_id=member_id, name="黄德明", village="石壁村")

    async def known() -> bool:
        response = await api.client.get("/api/v1/party-members?village=石壁村", headers=AGRI)
        return any(m["member_id"] == member_id for m in response.json()["members"])

    await eventually(known, timeout=30, what="the member in relief's view")
    household_id = await register(api)
    url = f"/api/v1/households/{household_id}"
    unknown = await api.client.post(f"{url}/pair", json={"member_id": "m-nobody"}, headers=AGRI)
    assert "不在党员名册中" in assert_problem(unknown, 422)["detail"]
    paired = await api.client.post(
        f"{url}/pair", json={"member_id": member_id, "occurred_on": "2016-04-01"}, headers=AGRI
    )
    assert paired.status_code == 200, paired.text
    again = await api.client.post(
        f"{url}/pair", json={"cadre_name": "王志刚", "cadre_post": "镇干部"}, headers=AGRI
    )
    assert "重新结对" in assert_problem(again, 422)["detail"]
    visit = await api.client.post(
        f"{url}/visits", json={"notes": "送去慰问金", "occurred_on": "2016-05-03"}, headers=AGRI
    )
    assert visit.status_code == 201, visit.text
    state = (await api.client.get(url, headers=AGRI)).json()
    assert state["helper"]["name"] == "黄德明" and state["helper"]["member_id"] == member_id
    assert state["visit_log"][0]["visitor"] == "黄德明"
    (paired_env,) = [
        e
        for e in await api.store.read_stream(f"household-{household_id}")
        if e.event_type == "relief.HouseholdPaired"
    ]
    assert paired_env.payload["helper"]["kind"] == "party_member"


def csv_body(*rows: str) -> bytes:
    header = "村/社区,户主姓名,户主身份证号,人均纯收入,致贫原因,家庭成员"
    return ("\n".join([header, *rows]) + "\n").encode()


async def test_a_csv_import_is_all_or_nothing(api: Api) -> None:
    heads = [fresh_resident("19550505"), fresh_resident("19580808"), fresh_resident("19610101")]
    spouse = fresh_resident("19600606")
    good = [
        f"石壁村,刘桂兰,{heads[0]},1500,因病、缺劳力,刘大山/{spouse}/配偶",
        f"金霞村,周志强,{heads[1]},2100.5,缺技术,",
    ]
    before = await api.count()
    rejected = await api.client.post(
        "/api/v1/households/import?occurred_on=2016-03-05",
        content=csv_body(
            *good, f"火星村,某某,{heads[2]},100,因病,", f"石壁村,某某,{heads[2]},-5,因病,"
        ),
        headers=AGRI | {"content-type": "text/csv"},
    )
    body = assert_problem(rejected, 422)
    assert sorted({e["line"] for e in body["errors"]}) == [4, 5]
    assert await api.count() == before

    accepted = await api.client.post(
        "/api/v1/households/import?occurred_on=2016-03-05",
        content=csv_body(*good),
        headers=AGRI | {"content-type": "text/csv"},
    )
    assert accepted.status_code == 201, accepted.text
    assert [h["line"] for h in accepted.json()["households"]] == [2, 3]
    assert await api.count() == before + 4


async def test_an_xlsx_import_and_an_unsupported_upload(api: Api) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["village", "head_name", "head_id_number", "income_per_head", "causes"])
    sheet.append(["梅林村", "陈国华", fresh_resident("19490909"), 1750, "因残"])
    data = io.BytesIO()
    book.save(data)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = await api.client.post(
        "/api/v1/households/import", content=data.getvalue(), headers=AGRI | {"content-type": xlsx}
    )
    assert response.status_code == 201, response.text
    assert response.json()["imported"] == 1
    json_upload = await api.client.post(
        "/api/v1/households/import",
        content=b"{}",
        headers=AGRI | {"content-type": "application/json"},
    )
    assert_problem(json_upload, 415)
    clerk = await api.client.post(
        "/api/v1/households/import",
        content=csv_body(f"梅林村,陈某,{fresh_resident()},1000,因病,"),
        headers=CLERK_SHIBI | {"content-type": "text/csv"},
    )
    assert "只能操作本村" in assert_problem(clerk, 422)["errors"][0]["message"]
