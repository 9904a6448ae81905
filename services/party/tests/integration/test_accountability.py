"""Accountability decided in supervision deducts points here exactly once — through Kafka,
with the decision delivered twice, republished with a new event id, and the app restarted."""

import uuid

import pytest
from party.bootstrap import build_app

from shared.eventstore import EventStore
from shared.testing import (
    Infra,
    app_client,
    caught_up,
    eventually,
    named,
    publish,
    service_settings,
    unique,
)

from .support import ORG, accountability_envelope, branch, member, ok

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

TOPIC = "supervision.events"


async def deductions(store: EventStore, member_id: str) -> list[dict[str, object]]:
    return [
        e.payload
        for e in await store.read_stream(member_id)
        if e.event_type == "party.PointsDeducted" and e.payload.get("case_id")
    ]


async def handled(store: EventStore, case_id: str) -> bool:
    return bool(await store.read_stream(f"accountability-{case_id}"))


async def test_a_decision_deducts_once_across_redelivery_and_restart(infra: Infra) -> None:
    settings = service_settings(infra)
    case, unknown, sentinel = unique("case"), unique("case"), unique("case")
    member_id = f"member-{uuid.uuid4().hex[:12]}"  # named by no other run
    warning = accountability_envelope(case, member_id, kind="党内警告")

    app = build_app(settings)
    async with app_client(app) as client:
        await branch(client, "branch-shibi", "石壁村")
        await member(client, member_id, "branch-shibi")
        store = app.state.runtime.store
        await publish(
            infra.kafka_bootstrap_servers,
            TOPIC,
            warning,
            warning,
            accountability_envelope(unknown, f"member-{uuid.uuid4().hex[:12]}"),
        )
        # the two cases' streams sit on different partitions: neither waits for the other
        await eventually(lambda: handled(store, unknown), timeout=45, what="the unknown case")
        await eventually(lambda: handled(store, case), timeout=45, what="the warning case")
        [deduction] = await deductions(store, member_id)
        assert (deduction["rule_code"], deduction["points"], deduction["year"]) == (
            "ZR03",
            20,
            2016,
        )
        [marker] = await store.read_stream(f"accountability-{case}")
        assert marker.event_type == "party.AccountabilityMatched"
        assert marker.causation_id == warning.event_id
        assert marker.correlation_id == warning.correlation_id
        assert marker.actor.role == "system"
        [miss] = await store.read_stream(f"accountability-{unknown}")
        assert miss.event_type == "party.AccountabilityUnmatched"
        assert miss.payload["reason"] == "unknown_member"
        points = await ok(
            await client.get(f"/api/v1/members/{member_id}/points?year=2016", headers=ORG)
        )
        assert points["total"] == 40

    # restart: the same decision again, and once more under a new event id (a re-publication)
    again = build_app(settings)
    async with app_client(again) as client:
        store = again.state.runtime.store
        republished = accountability_envelope(case, member_id, kind="党内警告")
        await publish(
            infra.kafka_bootstrap_servers,
            TOPIC,
            warning,
            republished,
            accountability_envelope(sentinel, None),
        )
        await eventually(lambda: handled(store, sentinel), timeout=45, what="the sentinel case")
        consumer = named(again.state.runtime.consumers, "accountability")
        await caught_up(consumer, infra.kafka_bootstrap_servers)  # the redeliveries too
        assert len(await deductions(store, member_id)) == 1
        assert len(await store.read_stream(f"accountability-{case}")) == 1
        [none] = await store.read_stream(f"accountability-{sentinel}")
        assert none.payload["reason"] == "no_member_named"
        listed = (await client.get("/api/v1/accountability?matched=true", headers=ORG)).json()
        assert [row["case_id"] for row in listed] == [case]


async def test_a_decision_naming_a_member_registered_later_is_deducted_on_registration(
    infra: Infra,
) -> None:
    member_id = f"member-{uuid.uuid4().hex[:12]}"
    case = unique("case")
    app = build_app(service_settings(infra))
    async with app_client(app) as client:
        store = app.state.runtime.store
        await branch(client, "branch-shibi", "石壁村")
        await publish(
            infra.kafka_bootstrap_servers,
            TOPIC,
            accountability_envelope(case, member_id, kind="诫勉谈话", decided_on="2016-08-20"),
        )
        await eventually(lambda: handled(store, case), timeout=45, what="the case")
        [waiting] = await store.read_stream(f"accountability-{case}")
        assert waiting.payload["reason"] == "unknown_member"

        await member(client, member_id, "branch-shibi", on="2016-03-01")
        [deduction] = await deductions(store, member_id)
        assert (deduction["rule_code"], deduction["points"], deduction["recorded_on"]) == (
            "ZR02",
            10,
            "2016-08-20",
        )
        matched = (await store.read_stream(f"accountability-{case}"))[-1]
        assert matched.event_type == "party.AccountabilityMatched"
        listed = (await client.get("/api/v1/accountability?matched=true", headers=ORG)).json()
        assert [row["case_id"] for row in listed] == [case]
