"""Helpers for the party service's integration tests: users, set-up through HTTP, and Kafka
(publishing supervision-shaped envelopes; reading what party published since a point)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.auth import Role
from shared.envelope import GENESIS_HASH, Actor, Envelope
from shared.ids import uuid7
from shared.kernel import make_resident_id
from shared.testing import bearer

ORG = bearer(Role.ORGANISATION_MEMBER, user_id="organisation")
SECRETARY = bearer(Role.TOWN_SECRETARY)
AUDITOR = bearer(Role.AUDITOR)
SHIBI_SECRETARY = bearer(Role.BRANCH_SECRETARY, village="石壁村", user_id="branch-shibi")
CLERK = bearer(Role.VILLAGE_CLERK, village="石壁村")

_serial = iter(range(1, 10_000))
#: A token of this test run, for ids that must not meet those of earlier runs.
RUN = uuid.uuid4().hex[:8]


def id_number(birth: str = "19800101") -> str:
    """A valid resident ID number, different on every call."""
    return make_resident_id(f"430321{birth}{next(_serial):03d}").value


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def branch(
    client: httpx.AsyncClient, branch_id: str, village: str | None, kind: str = "village"
) -> None:
    body = {"branch_id": branch_id, "name": f"{village or branch_id}党支部", "kind": kind}
    if village:
        body["village"] = village
    body["occurred_on"] = "2016-01-04"
    await ok(await client.post("/api/v1/branches", json=body, headers=ORG), 201)


async def member(
    client: httpx.AsyncClient,
    member_id: str,
    branch_id: str,
    *,
    membership: str = "full",
    joined_party_on: str = "2005-07-01",
    on: str = "2016-01-05",
) -> None:
    body = {
        "member_id": member_id,
        "branch_id": branch_id,
        "name": "测试党员",
        "id_number": id_number(),
        "membership": membership,
        "joined_party_on": joined_party_on,
        "occurred_on": on,
    }
    await ok(await client.post("/api/v1/members", json=body, headers=ORG), 201)


def accountability_envelope(
    case_id: str, member_id: str | None, kind: str = "党内警告", decided_on: str = "2016-08-01"
) -> Envelope:
    """A `supervision.AccountabilityDecided` as supervision would publish it (contract fields
    of contracts/README.md, plus some it may add)."""
    now = dt.datetime.now(dt.UTC)
    return Envelope(
        event_id=uuid7(),
        event_type="supervision.AccountabilityDecided",
        schema_version=1,
        stream_id=f"case-{case_id}",
        stream_version=1,
        occurred_at=dt.datetime.combine(dt.date.fromisoformat(decided_on), dt.time(12), dt.UTC),
        recorded_at=now,
        actor=Actor("discipline", "discipline_secretary"),
        correlation_id=uuid.uuid4(),
        causation_id=None,
        town="430321100",
        payload={
            "case_id": case_id,
            "clue_id": f"clue-{case_id}",
            "subject_member_id": member_id,
            "subject_name": "测试党员",
            "subject_post": None,
            "kind": kind,
            "reason": "测试",
            "decided_on": decided_on,
            "red_flag_id": None,
        },
    ).sealed(GENESIS_HASH)


async def publish(bootstrap: str, topic: str, envelopes: list[Envelope]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        for env in envelopes:
            await producer.send_and_wait(topic, env.to_json(), key=env.stream_id.encode())
    finally:
        await producer.stop()


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    """Where each partition of `topic` ends now."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        assert partitions, f"no partitions known for {topic}"
        offsets: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
        return offsets
    finally:
        await consumer.stop()


async def read_since(
    bootstrap: str,
    since: dict[TopicPartition, int],
    wanted: set[uuid.UUID],
    timeout: float = 30.0,
) -> dict[uuid.UUID, Envelope]:
    """The envelopes with the wanted event ids, read from the given offsets on."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    found: dict[uuid.UUID, Envelope] = {}
    try:
        consumer.assign(list(since))
        for tp, offset in since.items():
            consumer.seek(tp, offset)
        deadline = asyncio.get_running_loop().time() + timeout
        while wanted - set(found) and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    env = Envelope.from_json(record.value)
                    if env.event_id in wanted:
                        found[env.event_id] = env
    finally:
        await consumer.stop()
    return found
