"""Reactions on the real Kafka and PostgreSQL: a confirmed red flag in funds opens exactly one
clue here, also after redelivery and a restart; a weak-branch designation in party opens the
rectification items once, and its lifting is noted on them once.

The source events are built here from the contracts as funds and party would publish them
(`shared.testing.foreign_envelope` and `publish`); the funds and party packages are not
imported."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from supervision.bootstrap import build_app
from supervision.domain.items import WEAK_BRANCH_TASKS, weak_branch_item_id

from shared.envelope import GENESIS_HASH, Actor, Envelope
from shared.eventstore import EventStore
from shared.roles import Role
from shared.settings import YISUHE_TOWN_CODE, Settings
from shared.testing import (
    Infra,
    app_client,
    bearer,
    eventually,
    foreign_envelope,
    named,
    publish,
    read_topic,
    service_settings,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

DISCIPLINE = bearer(Role.DISCIPLINE_SECRETARY, user_id="discipline")
TOWN = bearer(Role.TOWN_SECRETARY, user_id="secretary")


def red_flag(flag_id: str, town: str = YISUHE_TOWN_CODE) -> Envelope:
    """`funds.RedFlagConfirmed`, confirmed by the discipline secretary."""
    return foreign_envelope(
        "funds.RedFlagConfirmed",
        f"redflag-{flag_id}",
        {
            "flag_id": flag_id,
            "code": "DUPLICATE_PAYMENT",
            "village": "石壁村",
            "programme_id": "programme-test",
            "summary": "同一人重复领取低保金",
            "severity": "high",
            "note": "属实",
            "confirmed_on": "2016-09-01",
            "extra_field_funds_may_add": 1,
        },
        town=town,
        actor=Actor("tester", "discipline_secretary"),
    )


async def stream_length(store: EventStore, stream_id: str, at_least: int = 1) -> int:
    async def check() -> int:
        n = len(await store.read_stream(stream_id))
        return n if n >= at_least else 0

    result: int = await eventually(check, timeout=30, what=f"{stream_id} to have events")
    return result


async def test_a_confirmed_red_flag_opens_exactly_one_clue_across_redelivery_and_restart(
    infra: Infra,
) -> None:
    settings = service_settings(infra)
    flag_id = str(uuid.uuid4())
    stream = f"clue-redflag-{flag_id}"
    confirmed = red_flag(flag_id)
    app = build_app(settings)
    async with app_client(app) as client:
        store: EventStore = app.state.runtime.store
        await publish(infra.kafka_bootstrap_servers, "funds.events", confirmed, confirmed)
        assert await stream_length(store, stream) == 1
        view = (await client.get(f"/api/v1/clues/redflag-{flag_id}", headers=DISCIPLINE)).json()
        assert (view["channel"], view["red_flag"]["flag_id"], view["status"]) == (
            "资金预警",
            flag_id,
            "received",
        )

    # a restart, then the same event again and a re-sent copy under a new event id
    republished = red_flag(flag_id)
    marker_id = str(uuid.uuid4())
    restarted = build_app(settings)
    async with app_client(restarted) as client:
        store = restarted.state.runtime.store
        # the marker goes to the same partition (same key), so once it is applied, the copies
        # before it have been seen too
        await publish(
            infra.kafka_bootstrap_servers,
            "funds.events",
            confirmed,
            republished,
            red_flag(marker_id),
            key=confirmed.stream_id,
        )
        await stream_length(store, f"clue-redflag-{marker_id}")
        (env,) = await store.read_stream(stream)
        assert env.causation_id == confirmed.event_id
        assert (env.actor.user_id, env.actor.role) == ("system", "system")
        assert env.correlation_id == confirmed.correlation_id
        assert env.payload["red_flag_id"] == flag_id

        # the clue's outcome flows back to funds with the flag's id
        for verb, body in (
            ("verify", {"findings": "重复领取属实"}),
            ("dismiss", {"reason": "已追回，系系统重复导入，不予问责"}),
        ):
            response = await client.post(
                f"/api/v1/clues/redflag-{flag_id}/{verb}", json=body, headers=DISCIPLINE
            )
            assert response.status_code == 200, response.text
        *_, concluded = await store.read_stream(stream)
        assert concluded.event_type == "supervision.ClueConcluded"
        assert (concluded.payload["red_flag_id"], concluded.payload["outcome"]) == (
            flag_id,
            "dismissed",
        )


async def test_another_towns_flag_is_ignored_and_a_malformed_one_dead_lettered(
    infra: Infra,
) -> None:
    settings: Settings = service_settings(infra)
    app = build_app(settings)
    other, ours = str(uuid.uuid4()), str(uuid.uuid4())
    malformed = red_flag(str(uuid.uuid4()))
    malformed = Envelope.from_dict(
        {**malformed.hashed_fields(), "payload": {"code": "DUPLICATE_PAYMENT"}}
    ).sealed(GENESIS_HASH)
    async with app_client(app):
        store: EventStore = app.state.runtime.store
        await publish(
            infra.kafka_bootstrap_servers,
            "funds.events",
            red_flag(other, town="430321101"),
            malformed,
            red_flag(ours),
            key=f"test-{ours}",
        )
        await stream_length(store, f"clue-redflag-{ours}")
        assert await store.read_stream(f"clue-redflag-{other}") == []
        consumer = named(app.state.runtime.consumers, "reactions")
        letters = await read_topic(
            infra.kafka_bootstrap_servers, consumer.dead_letter_topic, expect=1, timeout=20
        )
        reasons = [dict(r.headers)["reason"].decode() for r in letters]
        assert any("flag_id" in reason for reason in reasons), reasons


def weak(branch_id: str, period: str) -> Envelope:
    return foreign_envelope(
        "party.BranchDesignatedWeak",
        branch_id,
        {
            "branch_id": branch_id,
            "branch_name": "石壁村党支部",
            "village": "石壁村",
            "period": period,
            "score": "61.5",
            "rank": 30,
            "branches_assessed": 30,
            "weak_share_percent": "6.67",
            "designated_on": "2016-11-20",
        },
    )


def lifted(branch_id: str, period: str) -> Envelope:
    return foreign_envelope(
        "party.BranchDesignationLifted",
        branch_id,
        {
            "branch_id": branch_id,
            "period": period,
            "lifted_by_period": "2017",
            "score": "88",
            "rank": 5,
            "rectification_complete": True,
            "lifted_on": "2017-12-15",
        },
    )


async def test_a_weak_branch_gets_its_rectification_items_once_and_the_lifting_noted_once(
    infra: Infra,
) -> None:
    app = build_app(service_settings(infra))
    branch_id = f"branch-{uuid.uuid4()}"
    ids = [weak_branch_item_id(branch_id, "2016", t.key) for t in WEAK_BRANCH_TASKS]
    async with app_client(app) as client:
        store: EventStore = app.state.runtime.store
        designated = weak(branch_id, "2016")
        await publish(infra.kafka_bootstrap_servers, "party.events", designated, designated)
        await publish(infra.kafka_bootstrap_servers, "party.events", weak(branch_id, "2016"))
        for item_id in ids:
            await stream_length(store, f"item-{item_id}")
        end = lifted(branch_id, "2016")
        await publish(
            infra.kafka_bootstrap_servers, "party.events", end, end, lifted(branch_id, "2016")
        )
        for item_id in ids:
            await stream_length(store, f"item-{item_id}", at_least=2)
        await publish(infra.kafka_bootstrap_servers, "party.events", weak(branch_id, "2017"))
        await stream_length(
            store, f"item-{weak_branch_item_id(branch_id, '2017', 'first-secretary')}"
        )

        for item_id in ids:
            types = [e.event_type for e in await store.read_stream(f"item-{item_id}")]
            assert types == ["supervision.ItemListed", "supervision.BranchDesignationLiftNoted"]
        item = await _item(client, ids[1])
        assert (item["list_name"], item["source"], item["measure"], item["lead_post"]) == (
            "整改清单",
            "自己找",
            5,
            "组织委员",
        )
        assert (item["deadline"], item["designation_lifted_on"]) == ("2017-11-20", "2017-12-15")
        assert "不少于4次" in item["title"]


async def _item(client: httpx.AsyncClient, item_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/items/{item_id}", headers=TOWN)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
