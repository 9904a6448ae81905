"""Through HTTP against the real PostgreSQL and Kafka: who may write and see what, invalid input
as problem+json with nothing stored, the red flag's life up to `funds.RedFlagConfirmed` on
Kafka, 三资 disposals, 清零 and the finance disclosure."""

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
    find_on_topic,
    service_settings,
    stored_events,
    unique,
)

from .support import payment, programme_body, raised_flags, random_id_number

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

ECONOMIC = bearer(Role.ECONOMIC_LEADER, user_id="zhoumin")
DISCIPLINE = bearer(Role.DISCIPLINE_SECRETARY, user_id="zhaogang")
SECRETARY = bearer(Role.TOWN_SECRETARY)
CLERK_SHIBI = bearer(Role.VILLAGE_CLERK, user_id="clerk-shibi", village="石壁村")
CLERK_JINXIA = bearer(Role.VILLAGE_CLERK, user_id="clerk-jinxia", village="金霞村")
PUBLIC = bearer(Role.PUBLIC)


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def service(infra: Infra) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = build_app(service_settings(infra))
    async with app_client(app) as client:
        yield app, client


async def stored(app: FastAPI) -> int:
    return await stored_events(app.state.runtime.store)


async def a_programme(client: httpx.AsyncClient, **overrides: Any) -> str:
    created = await client.post(
        "/api/v1/programmes", json=programme_body(unique("P"), **overrides), headers=ECONOMIC
    )
    assert created.status_code == 201, created.text
    pid: str = created.json()["id"]
    allocated = await client.post(
        f"/api/v1/programmes/{pid}/allocations",
        json={"village": "石壁村", "amount": "20000", "occurred_on": "2016-04-10"},
        headers=ECONOMIC,
    )
    assert allocated.status_code == 201, allocated.text
    return pid


# --- roles ------------------------------------------------------------------------------------


async def test_only_the_economic_leader_records_programmes(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = service
    before = await stored(app)
    body = programme_body(unique("P"))
    assert (await client.post("/api/v1/programmes", json=body)).status_code == 401
    for headers in (CLERK_SHIBI, PUBLIC, DISCIPLINE, SECRETARY):
        refused = await client.post("/api/v1/programmes", json=body, headers=headers)
        assert_problem(refused, 403)
    assert await stored(app) == before
    assert (await client.post("/api/v1/programmes", json=body, headers=ECONOMIC)).status_code == 201
    assert (await client.get("/api/v1/red-flags", headers=PUBLIC)).status_code == 403


async def test_names_and_id_numbers_are_masked_except_for_the_discipline_secretary(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = service
    pid = await a_programme(client, beneficiary_rule="any_resident")
    person = random_id_number()
    paid = await client.post(
        f"/api/v1/programmes/{pid}/disbursements",
        json=payment("V-1", person, beneficiary_name="欧阳小明"),
        headers=ECONOMIC,
    )
    assert paid.status_code == 201, paid.text

    async def seen(headers: dict[str, str]) -> dict[str, Any]:
        got = await client.get(f"/api/v1/programmes/{pid}", headers=headers)
        assert got.status_code == 200, got.text
        (row,) = got.json()["disbursements"]
        return dict(row)

    full = await seen(DISCIPLINE)
    assert (full["beneficiary_name"], full["beneficiary_id_number"]) == ("欧阳小明", person)
    for headers in (ECONOMIC, SECRETARY, CLERK_SHIBI):
        masked = await seen(headers)
        assert masked["beneficiary_name"] == "欧阳**"
        assert masked["beneficiary_id_number"] == person[:6] + "********" + person[-4:]
    other_village = await client.get(f"/api/v1/programmes/{pid}", headers=CLERK_JINXIA)
    assert other_village.status_code == 403
    listed = await client.get("/api/v1/programmes", headers=CLERK_JINXIA)
    assert pid not in [p["programme_id"] for p in listed.json()]
    flags = await client.get("/api/v1/red-flags", headers=CLERK_JINXIA)
    assert flags.status_code == 200 and flags.json() == []


# --- invalid input: problem+json, nothing stored ------------------------------------------------


async def test_invalid_input_is_a_problem_naming_the_field_and_nothing_is_stored(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = service
    pid = await a_programme(client)
    before = await stored(app)
    valid = random_id_number()
    bad_id = valid[:17] + ("0" if valid[17] != "0" else "1")  # wrong check character
    cases = [
        ("/api/v1/programmes", programme_body(unique("P"), amount="-5"), "amount"),
        ("/api/v1/programmes", programme_body(unique("P"), purpose_code="banquet"), "purpose_code"),
        (f"/api/v1/programmes/{pid}/disbursements", payment("V-x", "43032119600501001"), "id"),
        (f"/api/v1/programmes/{pid}/disbursements", payment("V-y", bad_id), "beneficiary_id"),
        (f"/api/v1/programmes/{pid}/disbursements", {"voucher_no": "V-z"}, "village"),
    ]
    for url, body, field in cases:
        response = await client.post(url, json=body, headers=ECONOMIC)
        problem = assert_problem(response, 422)
        assert any(field in e["field"] for e in problem["errors"]), problem
    unknown = await client.post(
        f"/api/v1/programmes/{pid}/disbursements",
        json=payment("V-w", random_id_number(), village="不存在村"),
        headers=ECONOMIC,
    )
    assert unknown.status_code == 422 and "未知村/社区" in unknown.json()["detail"]
    too_much = await client.post(
        f"/api/v1/programmes/{pid}/disbursements",
        json=payment("V-v", random_id_number(), amount="20001"),
        headers=ECONOMIC,
    )
    assert too_much.status_code == 422 and "分配额度" in too_much.json()["detail"]
    missing = await client.get("/api/v1/programmes/nope", headers=ECONOMIC)
    assert_problem(missing, 404)
    assert await stored(app) == before


async def test_a_stale_expected_version_is_a_conflict(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = service
    pid = await a_programme(client)
    version = (await client.get(f"/api/v1/programmes/{pid}", headers=ECONOMIC)).json()["version"]
    before = await stored(app)
    stale = await client.post(
        f"/api/v1/programmes/{pid}/start",
        json={"expected_version": version - 1, "occurred_on": "2016-05-01"},
        headers=ECONOMIC,
    )
    assert stale.status_code == 409 and await stored(app) == before
    fresh = await client.post(
        f"/api/v1/programmes/{pid}/start",
        json={"expected_version": version, "occurred_on": "2016-05-01"},
        headers=ECONOMIC,
    )
    assert fresh.status_code == 200 and fresh.json()["version"] == version + 1


# --- a red flag's life ---------------------------------------------------------------------------


async def test_a_confirmed_red_flag_goes_to_kafka_with_the_contract_fields(
    service: tuple[FastAPI, httpx.AsyncClient], infra: Infra
) -> None:
    app, client = service
    pid = await a_programme(client)
    paid = await client.post(
        f"/api/v1/programmes/{pid}/disbursements",
        json=payment("V-1", random_id_number(), amount="1500"),
        headers=ECONOMIC,
    )
    assert paid.status_code == 201, paid.text
    raised = await raised_flags(client, paid.json(), ECONOMIC)
    codes = sorted(f["code"] for f in raised)
    assert codes == ["FUNDS-PAID-BEFORE-NOTICE", "FUNDS-SHORT-PAID", "FUNDS-UNREGISTERED"]
    flag_id = next(f["flag_id"] for f in raised if f["code"] == "FUNDS-SHORT-PAID")
    url = f"/api/v1/red-flags/{flag_id}"

    ack = await client.post(f"{url}/acknowledge", json={"note": "核查中"}, headers=ECONOMIC)
    assert ack.status_code == 200, ack.text
    not_theirs = await client.post(f"{url}/confirm", json={}, headers=ECONOMIC)
    assert not_theirs.status_code == 403
    explained = await client.post(
        f"{url}/explain", json={"explanation": "余款已于次月补发"}, headers=ECONOMIC
    )
    assert explained.status_code == 200
    confirmed = await client.post(
        f"{url}/confirm",
        json={"note": "补发凭证不实", "occurred_on": "2016-07-01"},
        headers=DISCIPLINE,
    )
    assert confirmed.status_code == 200, confirmed.text
    again = await client.post(f"{url}/confirm", json={}, headers=DISCIPLINE)
    assert again.status_code == 409
    assert (await client.delete(url, headers=DISCIPLINE)).status_code == 405

    view = (await client.get(url, headers=ECONOMIC)).json()
    assert view["status"] == "confirmed" and len(view["handling"]) == 3
    trail = await app.state.runtime.store.read_stream(f"redflag-{flag_id}")
    assert [e.actor.user_id for e in trail] == ["system", "zhoumin", "zhoumin", "zhaogang"]
    event = trail[-1]
    assert event.event_type == "funds.RedFlagConfirmed"
    on_kafka = await find_on_topic(
        infra.kafka_bootstrap_servers, "funds.events", {str(event.event_id)}
    )
    payload = on_kafka[str(event.event_id)].payload
    contract = {"flag_id", "code", "village", "programme_id", "summary", "severity", "confirmed_on"}
    assert contract <= set(payload)
    assert payload["flag_id"] == flag_id and payload["code"] == "FUNDS-SHORT-PAID"
    assert payload["village"] == "石壁村" and payload["programme_id"] == pid
    assert payload["confirmed_on"] == "2016-07-01" and payload["severity"] == "high"


async def test_the_deadline_check_raises_a_flag_once(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = service
    pid = await a_programme(client, village="石壁村", planned_start="2016-06-01")
    first = await client.post(
        "/api/v1/checks/deadlines", json={"occurred_on": "2016-07-01"}, headers=ECONOMIC
    )
    assert first.status_code == 200, first.text
    assert first.json()["id"] == "2016-07-01"  # the day checked
    raised = await raised_flags(client, first.json(), ECONOMIC)
    mine = [f for f in raised if f["code"] == "FUNDS-NOT-STARTED"]
    flags = await client.get("/api/v1/red-flags", params={"programme_id": pid}, headers=SECRETARY)
    assert [f["code"] for f in flags.json()] == ["FUNDS-NOT-STARTED"]
    assert flags.json()[0]["flag_id"] in [f["flag_id"] for f in mine]
    store = service[0].state.runtime.store
    [raised] = await store.read_stream(f"redflag-{flags.json()[0]['flag_id']}")
    assert raised.actor.user_id == "zhoumin"  # the person who ran the check, not "system"
    second = await client.post(
        "/api/v1/checks/deadlines", json={"today": "2016-07-02"}, headers=ECONOMIC
    )  # the body's former name of the day checked is still understood
    assert second.status_code == 200 and second.json()["id"] == "2016-07-02"
    again_raised = await raised_flags(client, second.json(), ECONOMIC)
    assert pid not in {f["programme_id"] for f in again_raised}
    again = await client.get("/api/v1/red-flags", params={"programme_id": pid}, headers=SECRETARY)
    assert len(again.json()) == 1
    clerk = await client.post("/api/v1/checks/deadlines", json={}, headers=CLERK_SHIBI)
    assert clerk.status_code == 403


# --- 三资, 清零, 阳光村务 ---------------------------------------------------------------


async def test_a_disposal_needs_its_disclosed_decision_and_the_filing_and_books_the_proceeds(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = service
    village, code = "桃花村", unique("ZC")
    registered = await client.post(
        f"/api/v1/villages/{village}/assets",
        json={
            "asset_code": code,
            "category": "asset",
            "name": "村部旧址",
            "value": "260000",
            "government_funded": True,
            "occurred_on": "2016-03-01",
        },
        headers=ECONOMIC,
    )
    assert registered.status_code == 201, registered.text
    decisions = f"/api/v1/villages/{village}/decisions"
    proposed = await client.post(
        decisions,
        json={
            "kind": "asset_disposal",
            "subject": code,
            "description": "村部旧址闲置，拟公开变卖",
            "occurred_on": "2016-07-01",
        },
        headers=ECONOMIC,
    )
    assert proposed.status_code == 201, proposed.text
    decision = f"{decisions}/{proposed.json()['id']}"
    for step, body, members, present, on in (
        ("consulted", "两委会议", 7, 7, "2016-07-05"),
        ("reviewed", "党员大会", 42, 35, "2016-07-15"),
        ("resolved", "村民代表会议", 30, 25, "2016-08-01"),
    ):
        held = await client.post(
            f"{decision}/meetings",
            json={
                "step": step,
                "body": body,
                "members": members,
                "present": present,
                "votes_for": present - 3,
                "votes_against": 2,
                "occurred_on": on,
            },
            headers=ECONOMIC,
        )
        assert held.status_code == 200, held.text
    before = await stored(app)
    url = f"/api/v1/villages/{village}/assets/{code}/dispose"
    filing = {"filed_on": "2016-08-20", "reference": "易财备〔2016〕7号"}
    sale: dict[str, Any] = {
        "decision_id": proposed.json()["id"],
        "method": "sale",
        "counterparty": "湘潭某公司",
        "proceeds": "300000",
        "filing": filing,
        "occurred_on": "2016-09-01",
    }
    undisclosed = await client.post(url, json=sale, headers=ECONOMIC)
    assert undisclosed.status_code == 422 and "决议公开前" in undisclosed.json()["detail"]
    inline = await client.post(url, json={**sale, "vote": {"present": 25}}, headers=ECONOMIC)
    assert_problem(inline, 422)  # the inline vote is gone: one way, not two
    assert await stored(app) == before
    disclosed = await client.post(
        f"{decision}/resolution-disclosure", json={"occurred_on": "2016-08-03"}, headers=ECONOMIC
    )
    assert disclosed.status_code == 200, disclosed.text
    unfiled = await client.post(url, json={**sale, "filing": None}, headers=ECONOMIC)
    assert unfiled.status_code == 422 and "备案" in unfiled.json()["detail"]
    done = await client.post(url, json=sale, headers=ECONOMIC)
    assert done.status_code == 200, done.text
    economy = await client.get(f"/api/v1/villages/{village}/collective-economy", headers=ECONOMIC)
    assert economy.json()["development_fund"] == "300000"
    ledger = await client.get(f"/api/v1/villages/{village}/assets", headers=ECONOMIC)
    (holding,) = [h for h in ledger.json()["holdings"] if h["asset_code"] == code]
    assert holding["disposed"] and holding["disposal"]["vote"]["votes_for"] == 22
    assert holding["disposal"]["decision_id"] == proposed.json()["id"]
    assert holding["disposal"]["steps"][-2:] == ["resolution_disclosed", "filed"]


async def test_a_zero_income_village_leaves_the_list_with_income(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = service
    base = "/api/v1/villages/响塘村"
    zero = {"year": 2016, "amount": "0", "source": "none", "occurred_on": "2017-01-10"}
    assert (
        await client.post(f"{base}/collective-income", json=zero, headers=ECONOMIC)
    ).status_code == 201
    leader = {
        "leader_name": "周敏",
        "leader_post": "分管经济发展负责人",
        "occurred_on": "2017-01-20",
    }
    assert (
        await client.post(f"{base}/zero-income-leader", json=leader, headers=ECONOMIC)
    ).status_code == 200
    plan = {
        "title": "响塘村一村一策",
        "measures": ["流转土地发展蔬菜基地"],
        "occurred_on": "2017-02-01",
    }
    assert (await client.post(f"{base}/plans", json=plan, headers=ECONOMIC)).status_code == 201
    listed = await client.get("/api/v1/collective-economy/zero-income-villages", headers=SECRETARY)
    (row,) = [v for v in listed.json()["villages"] if v["village"] == "响塘村"]
    assert row["leader"] == "周敏" and row["plans"] == ["响塘村一村一策"] and row["missing"] == []
    income = {"year": 2017, "amount": "42000", "source": "lease", "occurred_on": "2017-12-20"}
    assert (
        await client.post(f"{base}/collective-income", json=income, headers=ECONOMIC)
    ).status_code == 201
    after = await client.get("/api/v1/collective-economy/zero-income-villages", headers=SECRETARY)
    assert "响塘村" not in [v["village"] for v in after.json()["villages"]]
    assert "响塘村" in [v["village"] for v in after.json()["cleared"]]
    as_of = await client.get(
        "/api/v1/collective-economy/zero-income-villages",
        params={"as_of": "2017-06-30"},
        headers=SECRETARY,
    )
    assert "响塘村" in [v["village"] for v in as_of.json()["villages"]]


async def test_clerks_disclose_their_own_village_and_overdue_villages_are_listed(
    service: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = service

    def quarter(period: str, on: str) -> dict[str, str]:
        return {
            "period": period,
            "income_total": "1000",
            "expenditure_total": "800",
            "occurred_on": on,
        }

    own = await client.post(
        "/api/v1/villages/石壁村/finance-disclosures",
        json=quarter("2016Q1", "2016-04-10"),
        headers=CLERK_SHIBI,
    )
    assert own.status_code == 201, own.text
    other = await client.post(
        "/api/v1/villages/金霞村/finance-disclosures",
        json=quarter("2016Q1", "2016-04-10"),
        headers=CLERK_SHIBI,
    )
    assert other.status_code == 403
    bad = await client.post(
        "/api/v1/villages/石壁村/finance-disclosures",
        json=quarter("2016Q5", "2016-04-10"),
        headers=CLERK_SHIBI,
    )
    assert bad.status_code == 422
    overdue = await client.get(
        "/api/v1/finance-disclosures/overdue", params={"as_of": "2016-05-15"}, headers=SECRETARY
    )
    villages = {v["village"]: v for v in overdue.json()["villages"]}
    assert "石壁村" not in villages and villages["金霞村"]["overdue_periods"] == ["2016Q1"]
    later = await client.get(
        "/api/v1/finance-disclosures/overdue", params={"as_of": "2016-08-01"}, headers=CLERK_SHIBI
    )
    assert [v["village"] for v in later.json()["villages"]] == ["石壁村"]
    assert later.json()["villages"][0]["overdue_periods"] == ["2016Q2"]
