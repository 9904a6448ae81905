"""The outbox relay on the real PostgreSQL and Kafka: nothing lost, nothing skipped, each
stream in order — also across a crash and with writers that abort."""

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import uuid
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text

from shared.envelope import Actor, Envelope
from shared.eventstore import CommandContext, EventStore
from shared.relay import OutboxRelay, idempotent_producer
from shared.testing import Infra, eventually, read_topic

from .sample import Counted

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

CTX = CommandContext(actor=Actor("u-1", "system"), town="430321100", correlation_id=uuid.uuid4())


async def unpublished(store: EventStore) -> int:
    async with store.engine.connect() as conn:
        return int(
            (
                await conn.execute(
                    text(f'SELECT count(*) FROM "{store.schema}".outbox WHERE published_at IS NULL')
                )
            ).scalar_one()
        )


async def stored_ids(store: EventStore) -> set[uuid.UUID]:
    async with store.engine.connect() as conn:
        rows = await conn.execute(text(f'SELECT event_id FROM "{store.schema}".events'))
        return {uuid.UUID(str(r[0])) for r in rows}


def assert_streams_in_order(records: list) -> None:
    """Per stream, the first delivery of each version comes in version order."""
    seen: dict[str, list[int]] = defaultdict(list)
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        env = Envelope.from_json(record.value)
        assert record.key.decode() == env.stream_id
        versions = seen[env.stream_id]
        if env.stream_version not in versions:
            versions.append(env.stream_version)
    for stream, versions in seen.items():
        assert versions == sorted(versions), f"{stream} out of order: {versions}"
        assert versions == list(range(1, len(versions) + 1)), f"{stream} has gaps"


async def test_concurrent_writers_with_aborts_nothing_skipped_order_kept(
    store: EventStore, infra: Infra
) -> None:
    producer = idempotent_producer(infra.kafka_bootstrap_servers)
    await producer.start()
    relay = OutboxRelay(store.engine, producer, schema=store.schema, batch_size=25, idle_wait=0.05)
    stop = asyncio.Event()
    relay_task = asyncio.create_task(relay.run(stop))
    rng = random.Random(7)

    async def writer(w: int) -> None:
        for i in range(40):
            stream = f"w{w}-s{i % 4}"
            events = await store.read_stream(stream)
            async with store.engine.connect() as conn, conn.begin() as tx:
                await store.append(
                    stream, len(events), [Counted(n=len(events) + 1)], CTX, conn=conn
                )
                await asyncio.sleep(rng.random() / 200)  # hold the transaction open a while
                if rng.random() < 0.2:
                    await tx.rollback()  # an aborted writer: its outbox row never commits

    try:
        await asyncio.gather(*(writer(w) for w in range(8)))
        await eventually(lambda: _zero(unpublished(store)), what="outbox drained")
    finally:
        stop.set()
        await relay_task
        await producer.stop()
    expected = await stored_ids(store)
    assert 150 < len(expected) < 320  # some of the 320 writes were aborted
    records = await read_topic(infra.kafka_bootstrap_servers, store.topic, expect=len(expected))
    delivered = {Envelope.from_json(r.value).event_id for r in records}
    assert delivered == expected
    assert_streams_in_order(records)


async def _zero(count: "asyncio.Future[int] | object") -> bool:
    return await count == 0  # type: ignore[misc]


async def test_a_relay_killed_mid_publish_loses_nothing_after_restart(
    store: EventStore, infra: Infra
) -> None:
    total = 3000
    for start in range(0, total, 500):
        await store.append(f"bulk-{start}", 0, [Counted(n=i) for i in range(1, 501)], CTX)
    script = Path(__file__).with_name("processes.py")
    args = [
        sys.executable,
        str(script),
        "relay",
        infra.database_url,
        infra.kafka_bootstrap_servers,
        store.schema,
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    child = subprocess.Popen(args, env=env)
    try:
        await eventually(
            lambda: _between(unpublished(store), 1, total - 1),
            timeout=60,
            interval=0.02,
            what="relay part-way through",
        )
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    left = await unpublished(store)
    assert 0 < left < total, "the kill must land mid-publish"
    child = subprocess.Popen(args, env=env)
    try:
        await eventually(lambda: _zero(unpublished(store)), timeout=60, what="outbox drained")
    finally:
        child.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(10)
        child.kill()
    records = await read_topic(infra.kafka_bootstrap_servers, store.topic, expect=total)
    delivered = {Envelope.from_json(r.value).event_id for r in records}
    assert delivered == await stored_ids(store)
    assert_streams_in_order(records)


async def _between(count: object, low: int, high: int) -> bool:
    value = await count  # type: ignore[misc]
    return bool(low <= value <= high)


async def test_a_second_relay_waits_for_the_lock(store: EventStore, infra: Infra) -> None:
    producer = idempotent_producer(infra.kafka_bootstrap_servers)
    await producer.start()
    first = OutboxRelay(store.engine, producer, schema=store.schema)
    second = OutboxRelay(store.engine, producer, schema=store.schema)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(first.run(stop))]
    try:
        await eventually(lambda: _true(first.has_lock), what="first relay holds the lock")
        tasks.append(asyncio.create_task(second.run(stop)))
        await store.append("locked", 0, [Counted(n=1)], CTX)
        await eventually(lambda: _zero(unpublished(store)), what="published")
        assert (first.has_lock, second.has_lock) == (True, False)
        assert (first.published, second.published) == (1, 0)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        await producer.stop()


async def _true(value: bool) -> bool:
    return value
