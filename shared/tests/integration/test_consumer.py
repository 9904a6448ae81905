"""The consumer base on the real PostgreSQL and Kafka: exactly-once effect, dead letters,
and a crash between apply and offset store."""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.consumer import EventConsumer
from shared.envelope import Actor, Envelope
from shared.eventstore import CommandContext, EventStore
from shared.testing import Infra, eventually, read_topic, unique
from shared.topics import ensure_topics

from .sample import Counted

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

CTX = CommandContext(actor=Actor("u-1", "system"), town="430321100", correlation_id=uuid.uuid4())


async def applied_table(engine: AsyncEngine, schema: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        await conn.execute(
            text(f'CREATE TABLE "{schema}".applied (event_id uuid PRIMARY KEY, times int NOT NULL)')
        )


async def applied(engine: AsyncEngine, schema: str) -> dict[uuid.UUID, int]:
    async with engine.connect() as conn:
        rows = await conn.execute(text(f'SELECT event_id, times FROM "{schema}".applied'))
        return {uuid.UUID(str(r[0])): int(r[1]) for r in rows}


async def publish(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, key=b"k")
    finally:
        await producer.stop()


async def envelopes(store: EventStore, n: int) -> list[Envelope]:
    return await store.append(unique("s"), 0, [Counted(n=i) for i in range(1, n + 1)], CTX)


async def test_poison_goes_to_the_dead_letter_topic_and_the_consumer_goes_on(
    store: EventStore, engine: AsyncEngine, infra: Infra
) -> None:
    schema = unique("proj")
    await applied_table(engine, schema)

    async def apply(conn: AsyncConnection, env: Envelope) -> None:
        if env.payload["n"] == 3:
            raise ValueError("n=3 cannot be applied")
        await conn.execute(
            text(f'INSERT INTO "{schema}".applied VALUES (:e, 1)'), {"e": env.event_id}
        )

    good = await envelopes(store, 5)
    tampered = Envelope.from_json(good[0].to_json()).payload | {"n": 99}
    bad_hash = good[0].to_json().replace(b'"n":1', b'"n":99')
    assert tampered["n"] == 99
    values = [
        b"not json",
        good[0].to_json(),
        bad_hash,
        *[e.to_json() for e in good[1:]],
        good[1].to_json(),
    ]  # the last one is a republished duplicate
    consumer = EventConsumer(
        engine, schema=schema, name=unique("g"), topics=[store.topic], handler=apply
    )
    await consumer.migrate()
    await ensure_topics(infra.kafka_bootstrap_servers, [consumer.dead_letter_topic])
    await publish(infra.kafka_bootstrap_servers, store.topic, values)
    broker = KafkaBroker(infra.kafka_bootstrap_servers.split(","), logger=None)
    consumer.attach(broker)
    await broker.start()
    try:
        await eventually(lambda: _count_at_least(engine, schema, 4), what="4 applied")
        letters = await read_topic(
            infra.kafka_bootstrap_servers, consumer.dead_letter_topic, expect=3, timeout=30
        )
    finally:
        await broker.stop()
    assert set(await applied(engine, schema)) == {e.event_id for e in good if e.payload["n"] != 3}
    reasons = sorted(dict(r.headers)["reason"].decode() for r in letters)
    assert len(reasons) == 3
    assert any("not a valid event envelope" in r for r in reasons)
    assert any("does not match its hash" in r for r in reasons)
    assert any("n=3 cannot be applied" in r for r in reasons)


async def _consumed(engine: AsyncEngine, schema: str, group: str, records: int) -> bool:
    async with engine.connect() as conn:
        stored = (
            await conn.execute(
                text(
                    f'SELECT coalesce(sum(next_offset), 0) FROM "{schema}".consumer_offsets'
                    " WHERE consumer = :c"
                ),
                {"c": group},
            )
        ).scalar_one()
    return int(stored) >= records


async def _count_at_least(engine: AsyncEngine, schema: str, n: int) -> bool:
    return len(await applied(engine, schema)) >= n


async def test_a_consumer_killed_mid_stream_applies_every_event_once(
    store: EventStore, engine: AsyncEngine, infra: Infra
) -> None:
    schema, group = unique("proj"), unique("g")
    await applied_table(engine, schema)
    consumer = EventConsumer(
        engine,
        schema=schema,
        name=group,
        topics=[store.topic],
        handler=lambda c, e: asyncio.sleep(0),
    )
    await consumer.migrate()
    await ensure_topics(infra.kafka_bootstrap_servers, [consumer.dead_letter_topic])
    written: list[Envelope] = []
    for _ in range(10):
        written += await envelopes(store, 100)
    # published twice, as an at-least-once relay may after a crash
    values = [e.to_json() for e in written]
    await publish(infra.kafka_bootstrap_servers, store.topic, values + values[:300])
    script = Path(__file__).with_name("processes.py")
    args = [
        sys.executable,
        str(script),
        "consumer",
        infra.database_url,
        infra.kafka_bootstrap_servers,
        schema,
        store.topic,
        group,
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    for kill_at in (150, 500):
        child = subprocess.Popen(args, env=env)
        try:
            await eventually(
                lambda n=kill_at: _count_at_least(engine, schema, n),
                timeout=90,
                interval=0.01,
                what=f"{kill_at} applied",
            )
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        assert len(await applied(engine, schema)) < len(written), "killed mid-stream"
    child = subprocess.Popen(args, env=env)
    try:
        await eventually(
            lambda: _count_at_least(engine, schema, len(written)), timeout=120, what="all applied"
        )
        # every record, duplicates included, has been consumed: its offset is stored
        await eventually(
            lambda: _consumed(engine, schema, group, len(values) + 300),
            timeout=60,
            what="every record's offset stored",
        )
    finally:
        child.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(10)
        child.kill()
    times = await applied(engine, schema)
    assert set(times) == {e.event_id for e in written}
    assert set(times.values()) == {1}
