"""Helpers for the funds integration tests: request bodies, relief- and supervision-shaped
envelopes published to Kafka (built here: the other services' packages are not imported), and
reading the funds topic for given event ids."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.envelope import GENESIS_HASH, Actor, Envelope
from shared.ids import uuid7
from shared.kernel import make_resident_id
from shared.settings import YISUHE_TOWN_CODE

VILLAGE = "石壁村"


def random_id_number() -> str:
    """A valid resident ID number unlikely to meet any other test's."""
    year = random.randint(1935, 1999)
    first17 = f"430321{year}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
    return make_resident_id(first17 + f"{random.randint(0, 999):03d}").value


def programme_body(code: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code,
        "name": "2016年产业扶贫到户补助",
        "source_level": "county",
        "amount": "100000",
        "purpose": "贫困户发展种养业",
        "purpose_code": "industry",
        "beneficiary_rule": "registered_poor",
        "standard_amount": "2000",
        "planned_start": "2016-05-01",
        "disbursement_deadline": "2016-10-31",
        "occurred_on": "2016-04-01",
    }
    body.update(overrides)
    return body


def payment(voucher: str, id_number: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "voucher_no": voucher,
        "village": VILLAGE,
        "beneficiary_name": "张三",
        "beneficiary_id_number": id_number,
        "amount": "2000",
        "occurred_on": "2016-06-01",
    }
    body.update(overrides)
    return body


def envelope(event_type: str, stream_id: str, payload: dict[str, Any]) -> Envelope:
    """A sealed envelope as another service would publish it."""
    now = dt.datetime.now(dt.UTC)
    service = event_type.partition(".")[0]
    return Envelope(
        event_id=uuid7(),
        event_type=event_type,
        schema_version=1,
        stream_id=stream_id,
        stream_version=1,
        occurred_at=now,
        recorded_at=now,
        actor=Actor(f"test-{service}", "system"),
        correlation_id=uuid.uuid4(),
        causation_id=None,
        town=YISUHE_TOWN_CODE,
        payload=payload,
    ).sealed(GENESIS_HASH)


def household_registered(head_id: str, member_id: str, *, village: str = VILLAGE) -> Envelope:
    household_id = str(uuid.uuid4())
    return envelope(
        "relief.HouseholdRegistered",
        f"household-{household_id}",
        {
            "household_id": household_id,
            "village": village,
            "head_name": "李四",
            "head_id_number": head_id,
            "members": [{"name": "李小四", "id_number": member_id, "relation": "子女"}],
            "registered_on": "2015-10-01",
            "poverty_causes": ["因病"],  # extra fields are tolerated
        },
    )


async def publish(bootstrap: str, topic: str, *envelopes: Envelope) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        for env in envelopes:
            await producer.send_and_wait(topic, env.to_json(), key=env.stream_id.encode())
    finally:
        await producer.stop()


async def events_on_topic(
    bootstrap: str, topic: str, event_ids: set[str], *, timeout: float = 30.0
) -> dict[str, dict[str, Any]]:
    """The envelopes (as JSON) of `event_ids` found on `topic`, read from the beginning."""
    import json

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    found: dict[str, dict[str, Any]] = {}
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while set(found) < event_ids and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            for records in batch.values():
                for record in records:
                    body = json.loads(record.value)
                    if body.get("event_id") in event_ids:
                        found[body["event_id"]] = body
    finally:
        await consumer.stop()
    return found
