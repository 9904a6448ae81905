"""Benchmarks of the shared core against the raw clients (see bench/__main__.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.consumer import EventConsumer
from shared.db import make_engine
from shared.envelope import Actor, Envelope
from shared.eventstore import CommandContext, EventStore
from shared.integrity import checkpoint
from shared.integrity.verify import verify_store
from shared.kernel import Event, event_type
from shared.personal.declared import Person, personal
from shared.personal.keys import KeyTable
from shared.relay import OutboxRelay, idempotent_producer
from shared.testing import unique
from shared.tests.integration.sample import Counted
from shared.topics import ensure_topics

CTX = CommandContext(actor=Actor("bench", "system"), town="430321100", correlation_id=uuid.uuid4())
WORKERS = 8


#: No single benchmark step may take longer than this; past it the run fails with the counts.
STEP_LIMIT = 600.0


async def _until(done: Callable[[], bool], what: Callable[[], str]) -> None:
    """Poll `done` every 10 ms; fail after `STEP_LIMIT` seconds naming how far it got."""
    deadline = time.perf_counter() + STEP_LIMIT
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"benchmark step did not finish in {STEP_LIMIT:.0f} s: {what()}")
        await asyncio.sleep(0.01)


def _rate(n: int, seconds: float, **extra: Any) -> dict[str, Any]:
    return {"count": n, "seconds": round(seconds, 3), "per_second": round(n / seconds, 1), **extra}


def _sample_value() -> bytes:
    env = Envelope(
        event_id=uuid.uuid4(),
        event_type="bench.Counted",
        schema_version=1,
        stream_id="s-1",
        stream_version=1,
        occurred_at=dt.datetime.now(dt.UTC),
        recorded_at=dt.datetime.now(dt.UTC),
        actor=Actor("bench", "system"),
        correlation_id=uuid.uuid4(),
        causation_id=None,
        town="430321100",
        payload={"n": 1, "note": "走访记录" * 20},
    ).sealed("0" * 64)
    return env.to_json()


async def raw_produce(bootstrap: str, topic: str, n: int) -> dict[str, Any]:
    await ensure_topics(bootstrap, [topic], partitions=3)
    value = _sample_value()
    producer = idempotent_producer(bootstrap)
    await producer.start()
    try:
        started = time.perf_counter()
        acks = [await producer.send(topic, value, key=f"s-{i % 500}".encode()) for i in range(n)]
        await asyncio.gather(*acks)
        seconds = time.perf_counter() - started
    finally:
        await producer.stop()
    return _rate(n, seconds, message_bytes=len(value), note="idempotent, acks=all")


async def raw_consume(bootstrap: str, topic: str, n: int) -> dict[str, Any]:
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
        deadline = started + STEP_LIMIT
        while got < n:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"raw consume read {got}/{n} in {STEP_LIMIT:.0f} s")
            batch = await consumer.getmany(timeout_ms=1000, max_records=2000)
            got += sum(len(records) for records in batch.values())
        seconds = time.perf_counter() - started
    finally:
        await consumer.stop()
    return _rate(got, seconds)


async def raw_asyncpg_insert(url: str, n: int, *, batch: int) -> dict[str, Any]:
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    schema = unique("bench")
    pool = await asyncpg.create_pool(dsn, min_size=WORKERS, max_size=WORKERS)
    assert pool is not None
    async with pool.acquire() as conn:
        await conn.execute(f"CREATE SCHEMA {schema}")
        await conn.execute(
            f"CREATE TABLE {schema}.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " event_id uuid UNIQUE, stream_id text, stream_version int, payload jsonb,"
            " UNIQUE (stream_id, stream_version))"
        )
    payload = json.dumps({"n": 1, "note": "走访记录" * 20}, ensure_ascii=False)

    async def worker(w: int) -> None:
        async with pool.acquire() as conn:
            for start in range(w * batch, n, WORKERS * batch):
                rows = [
                    (uuid.uuid4(), f"w{w}-{i}", 1, payload) for i in range(start, start + batch)
                ]
                async with conn.transaction():
                    await conn.executemany(
                        f"INSERT INTO {schema}.events"
                        " (event_id, stream_id, stream_version, payload)"
                        " VALUES ($1, $2, $3, $4::jsonb)",
                        rows,
                    )

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(WORKERS)))
    seconds = time.perf_counter() - started
    await pool.close()
    return _rate(n, seconds, batch=batch, workers=WORKERS, note="one transaction per batch")


async def eventstore_append(url: str, n: int, *, batch: int) -> dict[str, Any]:
    engine = make_engine(url, pool_size=WORKERS)
    store = EventStore(engine, schema=unique("bench"), topic="bench.events")
    await store.migrate()

    async def worker(w: int) -> None:
        for start in range(w * batch, n, WORKERS * batch):
            await store.append(f"w{w}-{start}", 0, [Counted(n=i + 1) for i in range(batch)], CTX)

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(WORKERS)))
    seconds = time.perf_counter() - started
    await engine.dispose()
    return _rate(
        n,
        seconds,
        batch=batch,
        workers=WORKERS,
        note="events + outbox + hash chain, one transaction per append",
    )


@event_type("bench.PersonRegistered")
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class PersonRegistered(Event):
    """A stand-in with a person's name and ID number (declared personal below)."""

    name: str
    id_number: str


personal("bench.PersonRegistered", Person("id_number", ("name", "id_number")))


async def eventstore_personal(url: str, n: int) -> dict[str, Any]:
    """Appends that each bring a new person (a key made, two fields encrypted, the key put in
    the outbox for the key topic), then every stream loaded back with its fields opened."""
    engine = make_engine(url, pool_size=WORKERS)
    schema = unique("bench")
    store = EventStore(engine, schema=schema, topic="bench.events", keys=KeyTable(schema, "bench"))
    await store.migrate()

    async def worker(w: int) -> None:
        for i in range(w, n, WORKERS):
            person = PersonRegistered(name="欧阳建国", id_number=f"43032119600101{i:04d}")
            await store.append(f"p-{i}", 0, [person], CTX)

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(WORKERS)))
    appended = time.perf_counter() - started

    async def reader(w: int) -> None:
        for i in range(w, n, WORKERS):
            events, _ = await store.load_events(f"p-{i}")
            assert events[0].name == "欧阳建国"  # type: ignore[attr-defined]

    started = time.perf_counter()
    await asyncio.gather(*(reader(w) for w in range(WORKERS)))
    loaded = time.perf_counter() - started
    await engine.dispose()
    return _rate(
        n,
        appended,
        workers=WORKERS,
        loads_per_second=round(n / loaded, 1),
        note="one new person per append (key made, name and ID number encrypted, key in the"
        " outbox); loads open both fields with the key table",
    )


async def _filled_store(url: str, n: int) -> EventStore:
    engine = make_engine(url, pool_size=WORKERS)
    name = unique("bench")
    store = EventStore(engine, schema=name, topic=f"{name}.events")
    await store.migrate()
    for start in range(0, n, 500):
        await store.append(f"s-{start}", 0, [Counted(n=i + 1) for i in range(500)], CTX)
    return store


async def relay_throughput(url: str, bootstrap: str, n: int) -> dict[str, Any]:
    store = await _filled_store(url, n)
    await ensure_topics(bootstrap, [store.topic], partitions=3)
    producer = idempotent_producer(bootstrap)
    await producer.start()
    relay = OutboxRelay(store.engine, producer, schema=store.schema, batch_size=1000)
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(relay.run(stop))
    await _until(lambda: relay.published >= n, lambda: f"relay published {relay.published}/{n}")
    seconds = time.perf_counter() - started
    stop.set()
    await task
    await producer.stop()
    await store.engine.dispose()
    return _rate(n, seconds, note="outbox rows to acknowledged Kafka records, marked published")


async def consumer_apply(
    url: str, bootstrap: str, n: int, *, batch: bool = False
) -> dict[str, Any]:
    """The consumer base applying `n` events, each an INSERT: one statement per event through a
    per-event `handler`, or one statement per batch through a `batch_handler` (the path the
    projection takes)."""
    topic = f"{unique('bench')}.events"
    await ensure_topics(bootstrap, [topic], partitions=3)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    store_values = []
    for i in range(n):
        env = Envelope.from_json(_sample_value())
        env = Envelope(**{**_fields(env), "event_id": uuid.uuid4(), "stream_id": f"s-{i}"})
        store_values.append(env.sealed("0" * 64).to_json())
    acks = [
        await producer.send(topic, v, key=b"k%d" % (i % 97)) for i, v in enumerate(store_values)
    ]
    await asyncio.gather(*acks)
    await producer.stop()

    engine = make_engine(url)
    schema = unique("bench")
    async with engine.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
        await conn.execute(
            text(f"CREATE TABLE {schema}.counts (stream_id text PRIMARY KEY, n int)")
        )

    async def apply(conn: AsyncConnection, env: Envelope) -> None:
        await conn.execute(
            text(f"INSERT INTO {schema}.counts VALUES (:s, 1)"), {"s": env.stream_id}
        )

    async def apply_all(conn: AsyncConnection, envs: list[Envelope]) -> None:
        await conn.execute(
            text(f"INSERT INTO {schema}.counts SELECT unnest(CAST(:s AS text[])), 1"),
            {"s": [env.stream_id for env in envs]},
        )

    consumer = EventConsumer(
        engine,
        schema=schema,
        name=unique("g"),
        topics=[topic],
        handler=None if batch else apply,
        batch_handler=apply_all if batch else None,
        max_records=1000,
    )
    await consumer.migrate()
    broker = KafkaBroker(bootstrap.split(","), logger=None)
    consumer.attach(broker)
    started = time.perf_counter()
    await broker.start()
    await _until(lambda: consumer.applied >= n, lambda: f"consumer applied {consumer.applied}/{n}")
    seconds = time.perf_counter() - started
    await broker.stop()
    await engine.dispose()
    how = "one INSERT per batch (batch_handler)" if batch else "one INSERT per event (handler)"
    return _rate(n, seconds, note=f"decode + hash check + dedupe + {how} + offsets")


def _fields(env: Envelope) -> dict[str, Any]:
    return {name: getattr(env, name) for name in env.__dataclass_fields__}


async def store_verify(url: str, bootstrap: str, n: int, *, per_stream: int = 10) -> dict[str, Any]:
    """The store verifier (`make verify`) over `n` events in streams of `per_stream`, all
    published: a checkpoint of every stream head recorded, then every chain checked, every
    stream proved against the checkpoint and every event matched with its Kafka copy."""
    engine = make_engine(url, pool_size=WORKERS)
    name = unique("bench")
    store = EventStore(engine, schema=name, topic=f"{name}.events")
    await store.migrate()
    await checkpoint.migrate_checkpoints(store)
    await ensure_topics(bootstrap, [store.topic], partitions=3)

    async def worker(w: int) -> None:
        for start in range(w * per_stream, n, WORKERS * per_stream):
            events = [Counted(n=i + 1) for i in range(per_stream)]
            await store.append(f"household-{start}", 0, events, CTX)

    await asyncio.gather(*(worker(w) for w in range(WORKERS)))
    producer = idempotent_producer(bootstrap)
    await producer.start()
    relay = OutboxRelay(store.engine, producer, schema=store.schema, batch_size=1000)
    async with store.engine.begin() as conn:
        while await relay.publish_batch(conn):
            pass
    started = time.perf_counter()
    made = await checkpoint.record(store, "bench", CTX.actor, town=CTX.town)
    checkpoint_ms = (time.perf_counter() - started) * 1000
    async with store.engine.begin() as conn:
        await relay.publish_batch(conn)
    await producer.stop()
    started = time.perf_counter()
    report = await verify_store(store, "bench", kafka=bootstrap, grace=dt.timedelta(0))
    seconds = time.perf_counter() - started
    await engine.dispose()
    if not report.clean or report.checkpoint is None:
        raise RuntimeError(f"the untouched bench store did not verify clean: {report.as_dict()}")
    return _rate(
        report.events,
        seconds,
        streams=report.streams,
        proved=report.checkpoint.proved,
        checkpoint_ms=round(checkpoint_ms, 1),
        checkpoint_leaves=len(made.leaves),
        note="chains, inclusion proofs against the checkpoint, and every event against Kafka",
    )
