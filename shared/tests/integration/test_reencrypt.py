"""The one-off migration of a store made before crypto-shredding (`shared.personal.reencrypt`),
on the real PostgreSQL and Kafka: given a store whose events carry names and ID numbers in plain
text, published on its topic, when it is re-encrypted, then no plain name or number is left in
the table or on the topic, every chain verifies, the streams without personal fields keep their
hashes, every event is on the topic once, the events open to what was recorded, and a
checkpoint anchors the new heads."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.envelope import Actor
from shared.eventstore import CommandContext, EventStore
from shared.integrity.checkpoint import latest
from shared.kernel import Event, event_type
from shared.personal import tokens
from shared.personal.declared import Person, personal
from shared.personal.keys import KeyTable
from shared.personal.reencrypt import reencrypt, reset_consumers
from shared.testing import Infra, drain_outbox, read_topic, unique

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

CTX = CommandContext(
    actor=Actor("clerk-1", "village_clerk"), town="430321100", correlation_id=uuid.uuid4()
)
NAME, NUMBER = "鬯甑黻龠", "430321190101010013"


@event_type("reencrypttest.Registered")
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Registered(Event):
    name: str
    id_number: str
    village: str


@event_type("reencrypttest.Noted")
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Noted(Event):
    note: str


personal("reencrypttest.Registered", Person("id_number", ("name", "id_number")))


async def test_a_plain_store_is_reencrypted_whole_and_its_topic_rebuilt(
    engine: AsyncEngine, infra: Infra
) -> None:
    schema, topic = unique("plain"), f"reencrypt-{uuid.uuid4().hex[:8]}"
    bootstrap = infra.kafka_bootstrap_servers
    from shared.topics import ensure_topics

    await ensure_topics(bootstrap, [topic], partitions=1)
    # given: a store from before crypto-shredding (no key table): plain names on its topic
    legacy = EventStore(engine, schema=schema, topic=topic)
    await legacy.migrate()
    await legacy.append(
        "household-a",
        0,
        [Registered(name=NAME, id_number=NUMBER, village="石壁村"), Noted(note="走访")],
        CTX,
    )
    await legacy.append("visit-b", 0, [Noted(note="一"), Noted(note="二")], CTX)
    untouched = [e.hash for e in await legacy.read_stream("visit-b")]
    await drain_outbox(legacy, bootstrap)
    before = await read_topic(bootstrap, topic, expect=4)
    assert any(NAME.encode() in r.value for r in before)
    # a consumer's state the reset clears
    async with engine.begin() as conn:
        await conn.execute(
            text(
                f'CREATE TABLE "{schema}".consumer_offsets (consumer text, topic text,'
                " partition int, next_offset bigint)"
            )
        )
        await conn.execute(text(f'CREATE TABLE "{schema}".processed_events (consumer text)'))
        await conn.execute(
            text(f"INSERT INTO \"{schema}\".consumer_offsets VALUES ('c', 't', 0, 9)")
        )

    # when: it is re-encrypted
    keys = KeyTable(schema, "relief", topic=f"{topic}-keys")
    store = EventStore(engine, schema=schema, topic=topic, keys=keys)
    await store.migrate()
    done = await reencrypt(
        store,
        keys,
        kafka=bootstrap,
        actor=Actor("operator", "system"),
        town=CTX.town,
        service="relief",
    )
    assert (done.events, done.streams, done.republished) == (1, 1, 4)
    assert await reset_consumers(store) == 1

    # then: nothing plain in the table; chains verify; the untouched stream kept its hashes
    async with engine.connect() as conn:
        rows = (await conn.execute(text(f'SELECT payload::text FROM "{schema}".events'))).all()
    assert all(NAME not in r[0] and NUMBER not in r[0] for r in rows)
    for stream in ("household-a", "visit-b", "checkpoint-relief"):
        assert await store.verify(stream) == [], stream
    assert [e.hash for e in await store.read_stream("visit-b")] == untouched
    (registered, _) = await store.read_stream("household-a")
    assert tokens.is_token(registered.payload["name"])
    events, _ = await store.load_events("household-a")
    assert events[0] == Registered(name=NAME, id_number=NUMBER, village="石壁村")
    # the topic holds each event once, in its new form, and nothing plain
    await drain_outbox(store, bootstrap)
    after = await read_topic(bootstrap, topic, expect=5, timeout=10)
    assert all(NAME.encode() not in r.value and NUMBER.encode() not in r.value for r in after)
    assert len(after) == 5  # the four events, re-published, and the checkpoint
    checkpoint, leaves = await latest(store, "relief")
    assert checkpoint is not None and leaves is not None and len(leaves) == 2
    async with engine.connect() as conn:
        left = await conn.execute(text(f'SELECT count(*) FROM "{schema}".consumer_offsets'))
        assert left.scalar_one() == 0
