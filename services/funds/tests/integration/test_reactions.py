"""Through Kafka: relief registers a household → funds' view knows it → a payment to a person
not registered raises FUNDS-UNREGISTERED, to the registered ones (head or member) it does not;
a restart raises nothing twice; supervision's conclusion of a clue lands on the red flag once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from funds.bootstrap import build_app

from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    bearer,
    eventually,
    find_on_topic,
    foreign_envelope,
    publish,
    service_settings,
    unique,
)

from .support import (
    household_registered,
    payment,
    programme_body,
    raised_flags,
    random_id_number,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

ECONOMIC = bearer(Role.ECONOMIC_LEADER, user_id="zhoumin")
DISCIPLINE = bearer(Role.DISCIPLINE_SECRETARY, user_id="zhaogang")
DAY = "2016-09-01"


async def knows(client: httpx.AsyncClient, id_number: str) -> bool:
    response = await client.get("/api/v1/relief-households", headers=DISCIPLINE)
    people = [p["id_number"] for h in response.json()["households"] for p in h["members"]]
    return id_number in people


async def prepared_programme(client: httpx.AsyncClient) -> str:
    created = await client.post(
        "/api/v1/programmes", json=programme_body(unique("CY")), headers=ECONOMIC
    )
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    for path, body in (
        ("allocations", {"village": "石壁村", "amount": "20000", "occurred_on": "2016-04-10"}),
        ("notices", {"title": "公示", "ends_on": "2016-05-08", "occurred_on": "2016-05-01"}),
    ):
        response = await client.post(
            f"/api/v1/programmes/{pid}/{path}", json=body, headers=ECONOMIC
        )
        assert response.status_code == 201, response.text
        if path == "notices":
            closed = await client.post(
                f"/api/v1/programmes/{pid}/notices/{response.json()['id']}/close",
                json={"occurred_on": "2016-05-08"},
                headers=ECONOMIC,
            )
            assert closed.status_code == 200, closed.text
    return pid


async def flags(client: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/red-flags", params=params, headers=ECONOMIC)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


async def test_a_household_registered_in_relief_decides_who_is_flagged(infra: Infra) -> None:
    settings = service_settings(infra)
    head, member, stranger = random_id_number(), random_id_number(), random_id_number()
    registration = household_registered(head, member)

    app = build_app(settings)
    async with app_client(app) as client:
        await publish(infra.kafka_bootstrap_servers, "relief.events", registration)
        await eventually(lambda: knows(client, member), timeout=60, what="funds sees the household")
        pid = await prepared_programme(client)

        to_head = await client.post(
            f"/api/v1/programmes/{pid}/disbursements", json=payment("V-1", head), headers=ECONOMIC
        )
        to_member = await client.post(
            f"/api/v1/programmes/{pid}/disbursements",
            json=payment("V-2", member, beneficiary_name="李小四"),
            headers=ECONOMIC,
        )
        to_stranger = await client.post(
            f"/api/v1/programmes/{pid}/disbursements",
            json=payment("V-3", stranger, beneficiary_name="王五"),
            headers=ECONOMIC,
        )
        assert [r.status_code for r in (to_head, to_member, to_stranger)] == [201, 201, 201]
        assert await raised_flags(client, to_head.json(), ECONOMIC) == []
        assert await raised_flags(client, to_member.json(), ECONOMIC) == []
        (raised,) = await raised_flags(client, to_stranger.json(), ECONOMIC)
        assert raised["code"] == "FUNDS-UNREGISTERED"

        flag = await client.get(f"/api/v1/red-flags/{raised['flag_id']}", headers=DISCIPLINE)
        body = flag.json()
        assert body["disbursement"]["beneficiary_id_number"] == stranger  # full detail
        evidence = {(e["kind"], e["ref"]) for e in body["evidence"]}
        assert ("disbursement", to_stranger.json()["id"]) in evidence
        assert body["trail"][0]["actor"] == {"user_id": "system", "role": "system"}

        checked = await client.post(
            "/api/v1/checks/deadlines", json={"occurred_on": "2016-11-30"}, headers=ECONOMIC
        )
        assert [f["code"] for f in await raised_flags(client, checked.json(), ECONOMIC)] == [
            "FUNDS-NOT-STARTED",
            "FUNDS-HELD-BACK",
        ]
        before = await flags(client, programme_id=pid)
        store = app.state.runtime.store
        raised_ids = {
            str(e.event_id)
            for f in before
            for e in await store.read_stream(f"redflag-{f['flag_id']}")
            if e.event_type == "funds.RedFlagRaised"
        }

    # the same schema, a new process: stored offsets, stored flags
    async with app_client(build_app(settings)) as client:
        await publish(infra.kafka_bootstrap_servers, "relief.events", registration)  # redelivered
        again = await client.post(
            "/api/v1/checks/deadlines", json={"occurred_on": "2016-12-31"}, headers=ECONOMIC
        )
        assert again.status_code == 200 and await raised_flags(client, again.json(), ECONOMIC) == []
        repeat = await client.post(
            f"/api/v1/programmes/{pid}/disbursements",
            json=payment("V-3", stranger, beneficiary_name="王五"),
            headers=ECONOMIC,
        )
        assert repeat.status_code == 409
        after = await flags(client, programme_id=pid)
        assert [f["flag_id"] for f in after] == [f["flag_id"] for f in before]
        assert await knows(client, head)

    on_kafka = await find_on_topic(infra.kafka_bootstrap_servers, "funds.events", raised_ids)
    assert set(on_kafka) == raised_ids
    assert all(e.event_type == "funds.RedFlagRaised" for e in on_kafka.values())


async def test_a_concluded_clue_is_recorded_on_its_red_flag_once(infra: Infra) -> None:
    settings = service_settings(infra)
    async with app_client(build_app(settings)) as client:
        pid = await prepared_programme(client)
        paid = await client.post(
            f"/api/v1/programmes/{pid}/disbursements",
            json=payment("V-9", random_id_number()),
            headers=ECONOMIC,
        )
        flag_id = (await raised_flags(client, paid.json(), ECONOMIC))[0]["flag_id"]
        confirmed = await client.post(
            f"/api/v1/red-flags/{flag_id}/confirm",
            json={"note": "属实", "occurred_on": "2016-07-01"},
            headers=DISCIPLINE,
        )
        assert confirmed.status_code == 200, confirmed.text

        def concluded(clue: str) -> Any:
            return foreign_envelope(
                "supervision.ClueConcluded",
                f"clue-{clue}",
                {
                    "clue_id": clue,
                    "red_flag_id": flag_id,
                    "outcome": "accountability",
                    "concluded_on": "2016-09-01",
                },
            )

        unrelated = foreign_envelope(
            "supervision.ClueConcluded",
            "clue-x",
            {
                "clue_id": "x",
                "red_flag_id": None,
                "outcome": "dismissed",
                "concluded_on": "2016-09-01",
            },
        )
        first = concluded("clue-1")
        await publish(infra.kafka_bootstrap_servers, "supervision.events", unrelated, first, first)
        await publish(infra.kafka_bootstrap_servers, "supervision.events", concluded("clue-1"))

        async def outcome() -> list[dict[str, Any]]:
            got = await client.get(f"/api/v1/red-flags/{flag_id}", headers=ECONOMIC)
            result: list[dict[str, Any]] = got.json()["outcomes"]
            return result

        recorded = await eventually(outcome, timeout=60, what="the outcome on the flag")
        marker = foreign_envelope(
            "supervision.ClueConcluded",
            "clue-2",
            {
                "clue_id": "clue-2",
                "red_flag_id": flag_id,
                "outcome": "dismissed",
                "concluded_on": "2016-10-01",
            },
        )
        await publish(infra.kafka_bootstrap_servers, "supervision.events", marker)
        await eventually(
            lambda: _has(outcome, "clue-2"), timeout=60, what="every earlier message applied"
        )
        outcomes = await outcome()
        assert [o["clue_id"] for o in outcomes] == ["clue-1", "clue-2"]
        assert recorded[0]["outcome"] == "accountability"
        view = (await client.get(f"/api/v1/red-flags/{flag_id}", headers=ECONOMIC)).json()
        assert view["status"] == "confirmed"
        assert view["trail"][-1]["causation_id"] == str(marker.event_id)


async def _has(read: Any, clue: str) -> bool:
    return any(o["clue_id"] == clue for o in await read())


async def test_a_member_added_by_a_corrected_record_is_not_flagged(infra: Infra) -> None:
    head, member, newborn = random_id_number(), random_id_number(), random_id_number()
    registration = household_registered(head, member)
    household_id = registration.payload["household_id"]
    corrected = foreign_envelope(
        "relief.HouseholdRecordCorrected",
        registration.stream_id,
        {
            "household_id": household_id,
            "head_name": "李四",
            "members": [
                {"name": "李四", "id_number": head, "relation": "户主"},
                {"name": "李小五", "id_number": newborn, "relation": "子女"},
            ],
            "causes": ["因病"],
            "reason": "新增家庭成员",
            "corrected_on": "2016-03-01",
        },
        stream_version=2,
        prev_hash=registration.hash,
    )
    async with app_client(build_app(service_settings(infra))) as client:
        await publish(infra.kafka_bootstrap_servers, "relief.events", registration, corrected)
        await eventually(lambda: knows(client, newborn), timeout=60, what="the corrected record")
        assert not await knows(client, member)  # no longer in the household's record
        pid = await prepared_programme(client)
        paid = await client.post(
            f"/api/v1/programmes/{pid}/disbursements",
            json=payment("V-9", newborn, beneficiary_name="李小五"),
            headers=ECONOMIC,
        )
        assert paid.status_code == 201, paid.text
        assert await raised_flags(client, paid.json(), ECONOMIC) == []
