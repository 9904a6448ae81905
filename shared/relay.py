"""The outbox relay (发件箱中继): publishes a service's stored events to Kafka, in order.

One relay per service holds a PostgreSQL advisory lock, so a second instance waits instead of
publishing twice. It reads unpublished outbox rows in id order, sends them with an idempotent
producer keyed by stream id, waits for every acknowledgement, then marks the rows published.
A crash between send and mark republishes those rows (at-least-once); consumers dedupe by
event id. Reading "unpublished" rather than "after the last id" means a transaction that
commits late, with a lower id, is still published: nothing is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db import checked_schema, lock_key

log = structlog.get_logger(__name__)


def idempotent_producer(bootstrap_servers: str, **extra: Any) -> AIOKafkaProducer:
    """The producer every publisher uses: idempotent, acks from all replicas, small linger."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        **extra,
    )


class OutboxRelay:
    """Moves outbox rows of one event-store schema to Kafka."""

    def __init__(
        self,
        engine: AsyncEngine,
        producer: AIOKafkaProducer,
        *,
        schema: str,
        batch_size: int = 500,
        idle_wait: float = 0.5,
    ) -> None:
        self.engine = engine
        self.producer = producer
        self.schema = checked_schema(schema)
        self.batch_size = batch_size
        self.idle_wait = idle_wait
        self.published = 0
        self.has_lock = False
        self._wake = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until `stop` is set; waits for the lock while another relay holds it."""
        while not stop.is_set():
            try:
                await self._run_locked(stop)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the loop must survive a broker or database outage
                log.warning("relay.error", schema=self.schema, error=repr(exc))
                await _wait(stop, 1.0)

    async def _run_locked(self, stop: asyncio.Event) -> None:
        async with self.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            key = lock_key("outbox-relay", self.schema)
            while not stop.is_set():
                got = (
                    await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
                ).scalar_one()
                if got:
                    break
                await _wait(stop, 1.0)
            if stop.is_set():
                return
            self.has_lock = True
            log.info("relay.started", schema=self.schema)
            raw = await conn.get_raw_connection()
            driver: Any = raw.driver_connection
            channel = f"{self.schema}_outbox"
            await driver.add_listener(channel, self._on_notify)
            try:
                while not stop.is_set():
                    sent = await self.publish_batch(conn)
                    if sent < self.batch_size:
                        self._wake.clear()
                        await _wait_any(stop, self._wake, self.idle_wait)
            finally:
                self.has_lock = False
                with contextlib.suppress(Exception):
                    await driver.remove_listener(channel, self._on_notify)
                with contextlib.suppress(Exception):
                    await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def publish_batch(self, conn: AsyncConnection) -> int:
        """Send one batch of unpublished rows, in id order; return how many were sent."""
        rows = (
            await conn.execute(
                text(
                    f'SELECT id, topic, key, value, event_id FROM "{self.schema}".outbox'
                    " WHERE published_at IS NULL ORDER BY id LIMIT :n"
                ),
                {"n": self.batch_size},
            )
        ).all()
        if not rows:
            return 0
        acks = [
            await self.producer.send(
                row.topic,
                value=bytes(row.value) if row.value is not None else None,
                key=row.key.encode(),
                headers=[("event_id", str(row.event_id).encode())],
            )
            for row in rows
        ]
        await asyncio.gather(*acks)
        await conn.execute(
            text(f'UPDATE "{self.schema}".outbox SET published_at = now() WHERE id = ANY(:ids)'),
            {"ids": [row.id for row in rows]},
        )
        self.published += len(rows)
        return len(rows)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
