"""Retention (保留期): rows that only serve delivery are pruned once they cannot matter.

- A published outbox row has done its work: the event is in the store and on Kafka (whose topics
  keep every message). Rows published longer ago than the horizon are deleted.
- A processed event id guards a consumer against the relay's at-least-once redelivery, which
  happens within seconds; the consumer's offsets, stored with its effects, already keep it from
  reading older messages again. Ids older than the horizon are deleted — by the time a UUIDv7
  carries (an id of another version, which carries none, is kept).

The store verifier knows the horizon: an old event missing from Kafka with no outbox row left
is reported as missing on Kafka, not as forged.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import checked_schema

#: How long delivery rows are kept (`LIANXIN_RETENTION_DAYS`).
DEFAULT_HORIZON = dt.timedelta(days=7)


def uuid7_floor(instant: dt.datetime) -> uuid.UUID:
    """The smallest UUIDv7 of `instant`'s millisecond: every v7 id made before it is smaller."""
    ms = int(instant.timestamp() * 1000) & ((1 << 48) - 1)
    return uuid.UUID(int=(ms << 80) | (0x7 << 76) | (0b10 << 62))


async def prune(
    engine: AsyncEngine, schema: str, *, horizon: dt.timedelta, now: dt.datetime | None = None
) -> tuple[int, int]:
    """Delete published outbox rows and processed event ids older than `horizon` in `schema`
    (either table may be absent); how many of each."""
    s = f'"{checked_schema(schema)}"'
    before = (now or dt.datetime.now(dt.UTC)) - horizon
    counts = []
    async with engine.begin() as conn:
        for table, sql, params in (
            (
                "outbox",
                f"DELETE FROM {s}.outbox WHERE published_at < :before",
                {"before": before},
            ),
            (
                "processed_events",
                f"DELETE FROM {s}.processed_events WHERE event_id < :floor"
                " AND substr(event_id::text, 15, 1) = '7'",
                {"floor": uuid7_floor(before)},
            ),
        ):
            exists = (
                await conn.execute(text("SELECT to_regclass(:t)"), {"t": f"{s}.{table}"})
            ).scalar_one()
            counts.append((await conn.execute(text(sql), params)).rowcount if exists else 0)
    return counts[0], counts[1]
