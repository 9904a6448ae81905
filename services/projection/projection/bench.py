"""Benchmarks of the projection (called by `make bench` through `bench/__main__.py`).

- `replay_rate(n)`: n envelopes shaped like relief's events (households registered, paired,
  visited, exiting) into a scratch topic; then the projection's rebuild from offset zero into a
  fresh schema (decode, hash check, dedupe, event log + entity history, offsets; one
  transaction per batch), beside the raw aiokafka consume rate of the same topic.
- `e2e_latency(url, bootstrap, n)`: one event at a time appended to an event store, published
  by the outbox relay, consumed by the projection; the time until it is in the read model.

Both read `DATABASE_URL` / `KAFKA_BOOTSTRAP_SERVERS` (or take them) and clean up their scratch
schemas and topics.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import text

from projection.domain.catalogue import RULES
from projection.replay import rebuild
from projection.settings import ProjectionSettings
from projection.synthetic import synthetic_events
from projection.worker import projection_runtime, stop_runtime
from shared.db import make_engine
from shared.envelope import Actor
from shared.eventstore import CommandContext, EventStore
from shared.ids import uuid7
from shared.kernel import Event, event_type
from shared.relay import OutboxRelay, idempotent_producer
from shared.topics import ensure_topics


def _env(name: str, given: str | None) -> str:
    value = given or os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set")
    return value


def _rate(n: int, seconds: float, **extra: Any) -> dict[str, Any]:
    return {"count": n, "seconds": round(seconds, 3), "per_second": round(n / seconds, 1), **extra}


async def _produce(bootstrap: str, topic: str, n: int) -> float:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, linger_ms=20, max_batch_size=256 * 1024, acks=1
    )
    await producer.start()
    started = time.perf_counter()
    try:
        pending = []
        for env in synthetic_events(n):
            pending.append(await producer.send(topic, env.to_json(), key=env.stream_id.encode()))
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return time.perf_counter() - started


async def _raw_consume(bootstrap: str, topic: str, n: int) -> float:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    got = 0
    try:
        started = time.perf_counter()
        while got < n:
            if time.perf_counter() - started > 600:
                raise TimeoutError(f"raw consume read {got}/{n} records in 600 s")
            batch = await consumer.getmany(timeout_ms=1000, max_records=2000)
            got += sum(len(records) for records in batch.values())
        return time.perf_counter() - started
    finally:
        await consumer.stop()


async def _drop(url: str, bootstrap: str, schemas: list[str], topics: list[str]) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            for schema in schemas:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await engine.dispose()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(topics)
    except Exception:  # scratch topics left behind are harmless
        pass
    finally:
        await admin.close()


async def replay_rate(
    n_events: int, *, url: str | None = None, bootstrap: str | None = None
) -> dict[str, Any]:
    """Replay throughput (events/s) of `n_events` from a scratch topic, with the raw aiokafka
    consume rate of the same topic beside it."""
    url, bootstrap = _env("DATABASE_URL", url), _env("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
    tag = uuid.uuid4().hex[:10]
    topic, home = f"bench-{tag}.relief.events", f"bench_{tag}"
    await ensure_topics(bootstrap, [topic], partitions=3)
    produce_seconds = await _produce(bootstrap, topic, n_events)
    raw_seconds = await _raw_consume(bootstrap, topic, n_events)
    settings = ProjectionSettings(
        database_url=url,
        kafka_bootstrap_servers=bootstrap,
        LIANXIN_DB_SCHEMA=home,
        LIANXIN_PROJECTION_TOPICS=topic,
    )
    engine = make_engine(url)
    schema = f"{home}_g1"
    try:
        result = await rebuild(settings, engine, schema, topics=[topic])
    finally:
        await engine.dispose()
        await _drop(url, bootstrap, [schema], [topic, f"{schema}.projection.dlq"])
    raw = n_events / raw_seconds
    return _rate(
        n_events,
        result.seconds,
        steady_per_second=result.steady_per_second,
        raw_aiokafka_consume_per_second=round(raw, 1),
        ratio_to_raw=round(result.per_second / raw, 3),
        produce_seconds=round(produce_seconds, 3),
        note="rebuild from offset zero: decode + hash check + dedupe + event log + entity state"
        " + offsets, one transaction per batch (incl. consumer start and group join)",
    )


@event_type("bench.Visited")
@dataclass(frozen=True, kw_only=True, slots=True)
class Visited(Event):
    """A benchmark fact: a household was visited (走访)."""

    household_id: str
    village: str
    visited_on: str


async def e2e_latency(url: str, bootstrap: str, n: int) -> dict[str, Any]:
    """Time from an event store append to the event in the projection's read model, one event
    at a time (event store → outbox relay → Kafka → projection consumer)."""
    tag = uuid.uuid4().hex[:10]
    store_schema, home = f"bench_es_{tag}", f"bench_{tag}"
    engine = make_engine(url)
    store = EventStore(engine, schema=store_schema, topic=f"bench-{tag}.events")
    await store.migrate()
    await ensure_topics(bootstrap, [store.topic], partitions=3)
    producer = idempotent_producer(bootstrap)
    await producer.start()
    relay = OutboxRelay(engine, producer, schema=store_schema)
    stop = asyncio.Event()
    relay_task = asyncio.create_task(relay.run(stop))
    settings = ProjectionSettings(
        database_url=url,
        kafka_bootstrap_servers=bootstrap,
        LIANXIN_DB_SCHEMA=home,
        LIANXIN_PROJECTION_TOPICS=store.topic,
    )
    schema = f"{home}_g1"
    runtime, _ = projection_runtime(settings, schema, RULES, topics=[store.topic])
    await runtime.start()
    ctx = CommandContext(
        actor=Actor("bench", "system"),
        town=settings.town_code,
        correlation_id=uuid7(),
    )
    latencies: list[float] = []
    started = time.perf_counter()
    try:
        for i in range(n):
            t0 = time.perf_counter()
            [env] = await store.append(
                f"household-{uuid.uuid4()}",
                0,
                [Visited(household_id=str(i), village="石壁村", visited_on="2016-05-01")],
                ctx,
            )
            while True:
                async with engine.connect() as conn:
                    seen = (
                        await conn.execute(
                            text(f'SELECT 1 FROM "{schema}".event_log WHERE event_id = :e'),
                            {"e": env.event_id},
                        )
                    ).first()
                if seen:
                    break
                if time.perf_counter() - t0 > 30:
                    raise TimeoutError("an event did not reach the projection in 30 s")
                await asyncio.sleep(0.002)
            latencies.append((time.perf_counter() - t0) * 1000)
        total = time.perf_counter() - started
    finally:
        await stop_runtime(runtime)
        stop.set()
        await relay_task
        await producer.stop()
        await engine.dispose()
        await _drop(
            url, bootstrap, [schema, store_schema], [store.topic, f"{schema}.projection.dlq"]
        )
    ordered = sorted(latencies)
    return _rate(
        n,
        total,
        p50_ms=round(statistics.median(ordered), 1),
        p95_ms=round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        p99_ms=round(ordered[int(0.99 * (len(ordered) - 1))], 1),
        max_ms=round(ordered[-1], 1),
        note="append → relay → Kafka → projection read model, one event at a time",
    )


async def county(scale: float = 1.0) -> dict[str, Any]:
    """The county scenario (`projection.bench_county`): 1,000,000 × scale events of all four
    services through a projection process, its HTTP API and `projection.replay`."""
    from projection.bench_county import county as run

    return await run(scale)
