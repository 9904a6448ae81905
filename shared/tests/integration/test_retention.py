"""Retention on the real PostgreSQL: published outbox rows and processed event ids older than the
horizon are pruned; unpublished rows, recent ones and ids that carry no time are kept."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import text

from shared.consumer import EventConsumer
from shared.envelope import Actor
from shared.eventstore import CommandContext, EventStore
from shared.ids import uuid7
from shared.retention import prune, uuid7_floor

from .sample import Counted

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

CTX = CommandContext(
    actor=Actor("u-1", "village_clerk"), town="430321100", correlation_id=uuid.uuid4()
)
NOW = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


async def count(store: EventStore, sql: str) -> int:
    async with store.engine.connect() as conn:
        return int((await conn.execute(text(sql.replace("{s}", f'"{store.schema}"')))).scalar_one())


async def test_old_published_outbox_rows_go_unpublished_and_recent_ones_stay(
    store: EventStore,
) -> None:
    await store.append("old", 0, [Counted(n=1), Counted(n=2)], CTX)
    await store.append("recent", 0, [Counted(n=1)], CTX)
    await store.append("waiting", 0, [Counted(n=1)], CTX)
    async with store.engine.begin() as conn:
        s = f'"{store.schema}"'
        await conn.execute(
            text(f"UPDATE {s}.outbox SET published_at = :t WHERE key = 'old'"),
            {"t": NOW - WEEK - dt.timedelta(hours=1)},
        )
        await conn.execute(
            text(f"UPDATE {s}.outbox SET published_at = :t WHERE key = 'recent'"),
            {"t": NOW - dt.timedelta(days=1)},
        )

    outbox, processed = await prune(store.engine, store.schema, horizon=WEEK, now=NOW)

    assert (outbox, processed) == (2, 0)  # no consumer here: no processed_events table
    assert await count(store, "SELECT count(*) FROM {s}.outbox") == 2
    assert await count(store, "SELECT count(*) FROM {s}.outbox WHERE published_at IS NULL") == 1
    assert await count(store, "SELECT count(*) FROM {s}.events") == 4  # the events stay


async def test_processed_ids_older_than_the_horizon_go_and_untimed_ids_stay(
    store: EventStore,
) -> None:
    consumer = EventConsumer(
        store.engine, schema=store.schema, name="c", topics=["t"], handler=_ignore
    )
    await consumer.migrate()
    old = uuid7_floor(NOW - WEEK - dt.timedelta(days=1))
    recent = uuid7()
    untimed = uuid.uuid4()
    async with store.engine.begin() as conn:
        await conn.execute(
            text(
                f'INSERT INTO "{store.schema}".processed_events (consumer, event_id)'
                " SELECT 'c', unnest(CAST(:ids AS uuid[]))"
            ),
            {"ids": [old, recent, untimed]},
        )

    _, processed = await prune(store.engine, store.schema, horizon=WEEK, now=NOW)

    assert processed == 1
    kept = await count(store, "SELECT count(*) FROM {s}.processed_events")
    assert kept == 2


async def test_a_uuid7_floor_is_below_every_id_made_after_it() -> None:
    floor = uuid7_floor(NOW)
    assert floor < uuid7()
    assert uuid7_floor(NOW - dt.timedelta(milliseconds=1)) < floor


async def _ignore(*_: object) -> None:
    return None
