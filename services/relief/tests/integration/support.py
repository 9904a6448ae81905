"""Helpers of relief's integration tests: the topic's tail, what arrived on it since, a party
event published with the shared envelope, and counting what a schema stores."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.envelope import GENESIS_HASH, Actor, Envelope
from shared.ids import uuid7
from shared.kernel import make_resident_id

TOWN = "430321100"
Offsets = dict[TopicPartition, int]


def resident(seed: int, born: str = "19680214") -> str:
    """A valid ID number; `seed` (0–999) makes it distinct."""
    return make_resident_id(f"430321{born}{seed % 1000:03d}").value


_SEQUENCE = itertools.count(uuid.uuid4().int % 1000)


def fresh_resident(born: str = "19680214") -> str:
    """A valid ID number not handed out before in this test session (up to 1000 per date)."""
    return resident(next(_SEQUENCE), born)


async def tail(bootstrap: str, topic: str) -> Offsets:
    """The end offsets of every partition of `topic` now."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    tps = sorted(TopicPartition(topic, p["partition"]) for p in described["partitions"])
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        ends: Offsets = await consumer.end_offsets(tps)
        return ends
    finally:
        await consumer.stop()


async def arrived(
    bootstrap: str, since: Offsets, event_ids: set[str], *, timeout: float = 30.0
) -> dict[str, Envelope]:
    """The envelopes with `event_ids` published after `since` (bounded wait)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    found: dict[str, Envelope] = {}
    try:
        consumer.assign(list(since))
        for tp, offset in since.items():
            consumer.seek(tp, offset)
        deadline = asyncio.get_running_loop().time() + timeout
        while set(found) < event_ids and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    env = Envelope.from_json(record.value)
                    if str(env.event_id) in event_ids:
                        assert record.key == env.stream_id.encode()
                        found[str(env.event_id)] = env
    finally:
        await consumer.stop()
    return found


async def publish_member_joined(
    bootstrap: str, *, member_id: str, name: str, village: str | None, branch_id: str = "b-test"
) -> Envelope:
    """A `party.MemberJoined` on `party.events`, as party would publish it."""
    env = Envelope(
        event_id=uuid7(),
        event_type="party.MemberJoined",
        schema_version=1,
        stream_id=f"member-{member_id}",
        stream_version=1,
        occurred_at=dt.datetime(2016, 2, 1, 12, tzinfo=dt.UTC),
        recorded_at=dt.datetime.now(dt.UTC),
        actor=Actor("organisation", "organisation_member"),
        correlation_id=uuid.uuid4(),
        causation_id=None,
        town=TOWN,
        payload={
            "member_id": member_id,
            "branch_id": branch_id,
            "name": name,
            "village": village,
            "id_number": resident(77, "19750101"),
            "membership": "full",
            "joined_party_on": "1998-07-01",
            "joined_on": "2016-02-01",
        },
    ).sealed(GENESIS_HASH)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait("party.events", env.to_json(), key=env.stream_id.encode())
    finally:
        await producer.stop()
    return env


async def stored(engine: AsyncEngine, schema: str) -> int:
    """How many events the schema's store holds."""
    async with engine.connect() as conn:
        count = (await conn.execute(text(f'SELECT count(*) FROM "{schema}".events'))).scalar_one()
    return int(count)


def problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with `status`; its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = json.loads(response.text)
    assert body["status"] == status and body["detail"]
    return body
