"""The store verifier on the real PostgreSQL and Kafka, tried as an outside auditor would: a
payload edited, a middle event deleted, a last event and a whole stream deleted after a
checkpoint, an event forged into the table — each named exactly once; untouched, clean."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
from sqlalchemy import text

from shared.envelope import Actor
from shared.eventstore import CommandContext, EventStore
from shared.integrity import checkpoint, merkle
from shared.integrity.findings import Kind
from shared.integrity.verify import verify_store, with_projection
from shared.testing import Infra, drain_outbox, insert_envelope

from .sample import Counted

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

AUDITOR = Actor("auditor-1", "auditor")
CTX = CommandContext(
    actor=Actor("u-1", "village_clerk"), town="430321100", correlation_id=uuid.uuid4()
)
NOW = dt.timedelta(0)  # no grace: every event is expected everywhere at once
STREAMS = {"a": 5, "b": 3, "c": 4, "d": 2, "e": 3}


async def given_a_published_store(store: EventStore, infra: Infra) -> checkpoint.Checkpoint:
    await checkpoint.migrate_checkpoints(store)
    for stream, n in STREAMS.items():
        await store.append(stream, 0, [Counted(n=i) for i in range(1, n + 1)], CTX)
    made = await checkpoint.record(store, "coretest", AUDITOR, town=CTX.town)
    await drain_outbox(store, infra.kafka_bootstrap_servers)
    return made


async def sql(store: EventStore, statement: str, **params: object) -> None:
    async with store.engine.begin() as conn:
        await conn.execute(text(statement.replace("{s}", f'"{store.schema}"')), params)


async def test_an_untouched_store_is_clean_and_every_stream_proves(
    store: EventStore, infra: Infra
) -> None:
    made = await given_a_published_store(store, infra)
    report = await verify_store(store, "coretest", kafka=infra.kafka_bootstrap_servers, grace=NOW)
    projection = {s: (h.version, h.hash) for s, h in report.heads.items()}
    with_projection(report, projection, grace=NOW)

    assert report.clean, [f.text() for f in report.findings]
    assert report.events == sum(STREAMS.values()) + 1
    assert report.kafka_messages == report.events
    assert report.checkpoint is not None
    assert report.checkpoint.root == made.root
    assert report.checkpoint.proved == len(STREAMS) == report.checkpoint.tree_size
    assert made.leaves == merkle.ordered([(s, STREAMS[s], report.heads[s].hash) for s in STREAMS])


async def test_each_tampering_is_named_exactly_once(store: EventStore, infra: Infra) -> None:
    await given_a_published_store(store, infra)
    before = await verify_store(store, "coretest", kafka=infra.kafka_bootstrap_servers, grace=NOW)
    projection = {s: (h.version, h.hash) for s, h in before.heads.items()}
    e3 = (await store.read_stream("e"))[-1]

    # an edited payload, its hash left as recorded
    await sql(
        store,
        "UPDATE {s}.events SET payload = '{\"n\": 200}'"
        " WHERE stream_id = 'a' AND stream_version = 2",
    )
    # a deleted middle event
    await sql(store, "DELETE FROM {s}.events WHERE stream_id = 'b' AND stream_version = 2")
    # a deleted last event and a whole stream, after the checkpoint
    await sql(store, "DELETE FROM {s}.events WHERE stream_id = 'c' AND stream_version = 4")
    await sql(store, "DELETE FROM {s}.events WHERE stream_id = 'd'")
    # a forged event, chained and hashed correctly, written straight into the table
    forged = dataclasses.replace(
        e3, event_id=uuid.uuid4(), stream_version=4, payload={"n": 4}, hash=""
    ).sealed(e3.hash)
    await insert_envelope(store, forged)

    report = await verify_store(store, "coretest", kafka=infra.kafka_bootstrap_servers, grace=NOW)
    with_projection(report, projection, grace=NOW)

    named = sorted((f.stream_id, f.kind, f.version, f.last) for f in report.findings)
    assert named == [
        ("a", Kind.EDITED, 2, 2),
        ("b", Kind.MISSING, 2, 2),
        ("c", Kind.MISSING, 4, 4),
        ("d", Kind.STREAM_DELETED, 1, 2),
        ("e", Kind.FORGED, 4, 4),
    ], [f.text() for f in report.findings]
    by_stream = {f.stream_id: f for f in report.findings}
    assert by_stream["c"].sources == {"checkpoint", "kafka", "projection"}
    assert "版本 4" in by_stream["c"].text()
    assert "整个流被删除" in by_stream["d"].text()


async def test_an_event_rewritten_with_its_hash_recomputed_is_caught_by_kafka_and_the_checkpoint(
    store: EventStore, infra: Infra
) -> None:
    await given_a_published_store(store, infra)
    events = await store.read_stream("a")
    # the whole tail rewritten so the chain holds: only copies outside the store can tell
    prev = events[2].hash
    await sql(store, "DELETE FROM {s}.events WHERE stream_id = 'a' AND stream_version > 3")
    for env in events[3:]:
        again = dataclasses.replace(env, payload={"n": env.payload["n"] * 10}, hash="").sealed(prev)
        prev = again.hash
        await insert_envelope(store, again)

    report = await verify_store(store, "coretest", kafka=infra.kafka_bootstrap_servers, grace=NOW)

    named = [(f.stream_id, f.kind, f.version, f.last) for f in report.findings]
    assert named == [("a", Kind.EDITED, 4, 5)], [f.text() for f in report.findings]
    assert report.findings[0].sources == {"checkpoint", "kafka"}


async def test_unpublished_outbox_rows_are_named_not_forged(
    store: EventStore, infra: Infra
) -> None:
    await checkpoint.migrate_checkpoints(store)
    await store.append("late", 0, [Counted(n=1)], CTX)

    report = await verify_store(store, "coretest", kafka=infra.kafka_bootstrap_servers, grace=NOW)

    assert [(f.stream_id, f.kind) for f in report.findings] == [("late", Kind.UNPUBLISHED)]
    assert report.checkpoint is None
