"""The consumer base: apply events to PostgreSQL with the Kafka offsets in the same transaction.

Exactly-once effect on top of at-least-once delivery:
- offsets live in `<schema>.consumer_offsets`, written in the transaction that applies the
  batch; on partition assignment the consumer seeks to them (the broker's committed offsets
  are only a hint, and a fresh schema starts from the beginning);
- every applied event id is kept in `<schema>.processed_events`, so a republished event
  (the relay is at-least-once) is not applied twice (a consumer whose effect is itself keyed by
  event id, such as the projection's event log, passes `dedupe=False` and skips that table);
- a handler takes one event (`handler`), or a whole batch (`batch_handler`: decode once, fold
  in memory, write with few statements); a batch that fails is redone one event per savepoint
  through the same handler, so a poison event fails alone;
- a message that cannot be decoded, fails its hash, or makes the handler fail with a
  non-transient error goes to the dead-letter topic `<name>.dlq` with the reason, its offset
  is stored, and the consumer goes on;
- a transient failure (database or network) rolls the batch back and rewinds the partitions
  to the batch's first records, so nothing is skipped.
FastStream runs the subscription with `AckPolicy.MANUAL`: we only commit to the broker after
the database commit, and never auto-commit.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import ConsumerRebalanceListener, TopicPartition
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db import Migration, checked_schema, migrate
from shared.envelope import Envelope
from shared.kernel import ConcurrencyConflict

log = structlog.get_logger(__name__)

Handler = Callable[[AsyncConnection, Envelope], Awaitable[None]]
#: Applies a batch's new events (in order, duplicates removed) in the batch's transaction.
BatchHandler = Callable[[AsyncConnection, Sequence[Envelope]], Awaitable[None]]
#: Called once per batch, after the handlers and before the offsets, in the same transaction
#: (a handler that buffers rows writes them here in one statement).
BatchEnd = Callable[[AsyncConnection], Awaitable[None]]
#: Applies raw records (`key`, `value`, offsets) of a topic without envelopes, in the batch's
#: transaction (the key topic: `shared.personal.sharing`).
RecordHandler = Callable[[AsyncConnection, Sequence[Any]], Awaitable[None]]
#: Called when a batch's transaction is rolled back (what a handler buffered or cached is void).
BatchAbort = Callable[[], None]

MIGRATIONS = [
    Migration(
        1,
        "consumer offsets and processed events",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.consumer_offsets (
            consumer text NOT NULL, topic text NOT NULL, partition int NOT NULL,
            next_offset bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, topic, partition))""",
            """CREATE TABLE IF NOT EXISTS {schema}.processed_events (
            consumer text NOT NULL, event_id uuid NOT NULL,
            PRIMARY KEY (consumer, event_id))""",
        ],
    ),
]


#: PostgreSQL's serialization failure and deadlock: two transactions met, either may retry.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


class PoisonMessage(Exception):
    """A message this consumer can never apply; it goes to the dead-letter topic."""


def is_transient(exc: BaseException) -> bool:
    """Failures worth retrying: the database or the network, not the message; and a lost
    optimistic-concurrency race, which a retry re-decides on fresh state."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, DBAPIError):  # a deadlock or serialization failure between workers
        exc = exc.orig if isinstance(exc.orig, BaseException) else exc
    if getattr(exc, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    return isinstance(
        exc, OperationalError | InterfaceError | OSError | TimeoutError | ConcurrencyConflict
    )


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A message set aside, with why."""

    topic: str
    partition: int
    offset: int
    reason: str
    value: bytes


class EventConsumer:
    """Applies events from Kafka topics to a PostgreSQL schema through `handler`."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        schema: str,
        name: str,
        topics: Sequence[str],
        handler: Handler | None = None,
        batch_handler: BatchHandler | None = None,
        dedupe: bool = True,
        max_records: int = 500,
        batch_end: BatchEnd | None = None,
        batch_abort: BatchAbort | None = None,
        record_handler: RecordHandler | None = None,
        town: str | None = None,
    ) -> None:
        if sum(h is not None for h in (handler, batch_handler, record_handler)) != 1:
            raise ValueError(
                "give a consumer exactly one of handler, batch_handler and record_handler"
            )
        self.engine = engine
        self.schema = checked_schema(schema)
        self.name = name
        self.topics = list(topics)
        self.handler = handler
        self.batch_handler = batch_handler
        #: Takes the raw records of a topic that carries no envelopes (the key topic).
        self.record_handler = record_handler
        self.dedupe = dedupe
        self.batch_end = batch_end
        self.batch_abort = batch_abort
        self.max_records = max_records
        #: A tenant's consumer (`shared.tenants`) applies only its own town's envelopes: the
        #: towns share the topics, and another town's events are skipped (their offsets stored).
        self.town = town
        self.dead_letter_topic = f"{name}.dlq"
        self.applied = 0
        self.dead_letters = 0
        self._broker: KafkaBroker | None = None
        self._subscriber: Any = None
        self._s = f'"{self.schema}"'

    async def migrate(self) -> None:
        """Create the offset and dedupe tables."""
        await migrate(self.engine, self.schema, "consumer", MIGRATIONS)

    def attach(self, broker: KafkaBroker) -> Any:
        """Subscribe on `broker` (FastStream): batches, manual acks, offsets from the database."""
        self._broker = broker
        listener = _SeekToStoredOffsets(self)
        subscriber = broker.subscriber(
            *self.topics,
            group_id=self.name,
            batch=True,
            max_records=self.max_records,
            ack_policy=AckPolicy.MANUAL,
            auto_offset_reset="earliest",
            listener=listener,
            # the handler reads the raw records; FastStream's own decoding of every body
            # (JSON, per message) would only be thrown away
            decoder=_undecoded,
        )
        subscriber(self._on_batch)
        self._subscriber = subscriber
        return subscriber

    @property
    def consumer(self) -> Any:
        """The subscriber's aiokafka consumer, once started."""
        return getattr(self._subscriber, "consumer", None)

    async def _on_batch(self, message: KafkaMessage) -> None:
        records: tuple[Any, ...] = message.raw_message
        try:
            await self.handle_batch(records)
        except Exception as exc:
            if not is_transient(exc):
                log.exception("consumer.batch_failed", consumer=self.name)
            else:
                log.warning("consumer.transient_failure", consumer=self.name, error=repr(exc))
            await asyncio.sleep(1.0)  # back off before the rewind redelivers the batch
            await message.nack()
            return
        await message.ack()

    async def stored_offsets(
        self, partitions: Sequence[TopicPartition]
    ) -> dict[TopicPartition, int]:
        """The next offset to read per partition, as stored with the applied effects."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        f"SELECT topic, partition, next_offset FROM {self._s}.consumer_offsets"
                        " WHERE consumer = :c"
                    ),
                    {"c": self.name},
                )
            ).all()
        stored = {TopicPartition(r.topic, r.partition): int(r.next_offset) for r in rows}
        return {tp: stored[tp] for tp in partitions if tp in stored}

    async def handle_batch(self, records: Sequence[Any]) -> None:
        """Apply a batch in one transaction; on a bad message, redo it one by one."""
        try:
            await self._apply_batch(records, careful=False)
        except Exception as exc:
            if is_transient(exc):
                raise
            await self._apply_batch(records, careful=True)

    async def _apply_batch(self, records: Sequence[Any], *, careful: bool) -> None:
        try:
            await self._apply_batch_in_transaction(records, careful=careful)
        except BaseException:
            if self.batch_abort is not None:
                self.batch_abort()
            raise

    async def _apply_batch_in_transaction(self, records: Sequence[Any], *, careful: bool) -> None:
        dead: list[DeadLetter] = []
        async with self.engine.begin() as conn:
            positions = await self._lock_positions(conn, records)
            fresh = [r for r in records if r.offset >= positions.get((r.topic, r.partition), -1)]
            if len(fresh) < len(records) and self.batch_abort is not None:
                # Part of the batch was applied by someone else (another worker of the group
                # held these partitions meanwhile, or a redelivery): what the handler cached of
                # their streams may be behind the stored state.
                self.batch_abort()
            if self.record_handler is not None:
                await self.record_handler(conn, fresh)
                await self._store_positions(conn, fresh)
                self.applied += len(fresh)
                return
            decoded: list[tuple[Any, Envelope | None, str]] = []
            for record in fresh:
                try:
                    decoded.append((record, _decode(record.value), ""))
                except PoisonMessage as exc:
                    decoded.append((record, None, str(exc)))
            if self.town is not None:  # another tenant's events: not ours to apply
                decoded = [d for d in decoded if d[1] is None or d[1].town == self.town]
            seen = await self._already_processed(
                conn, [env.event_id for _, env, _ in decoded if env is not None]
            )
            applied_ids: list[uuid.UUID] = []
            if self.batch_handler is not None and not careful:
                decoded = await self._apply_whole(conn, decoded, seen, applied_ids)
            for record, env, reason in decoded:
                if env is not None and env.event_id in seen:
                    continue
                if env is not None:
                    reason = await self._apply_one(conn, env, careful=careful)
                if reason:
                    dead.append(
                        DeadLetter(
                            record.topic,
                            record.partition,
                            record.offset,
                            reason,
                            record.value or b"",
                        )
                    )
                    continue
                assert env is not None
                seen.add(env.event_id)
                applied_ids.append(env.event_id)
            if self.batch_end is not None:
                await self.batch_end(conn)
            await self._mark_processed(conn, applied_ids)
            await self._store_positions(conn, fresh)
            for letter in dead:  # before the commit: a crash here re-sends, never loses
                await self._send_dead_letter(letter)
        self.applied += len(applied_ids)
        self.dead_letters += len(dead)

    async def _apply_whole(
        self,
        conn: AsyncConnection,
        decoded: list[tuple[Any, Envelope | None, str]],
        seen: set[uuid.UUID],
        applied_ids: list[uuid.UUID],
    ) -> list[tuple[Any, Envelope | None, str]]:
        """The batch handler takes every new event at once; what is left are the records
        that could not be decoded (for the dead-letter topic)."""
        batch: list[Envelope] = []
        for _, env, _ in decoded:
            if env is not None and env.event_id not in seen:
                seen.add(env.event_id)
                batch.append(env)
                applied_ids.append(env.event_id)
        assert self.batch_handler is not None
        await self.batch_handler(conn, batch)
        return [item for item in decoded if item[1] is None]

    async def _apply_one(self, conn: AsyncConnection, env: Envelope, *, careful: bool) -> str:
        with structlog.contextvars.bound_contextvars(
            correlation_id=str(env.correlation_id), causation_id=str(env.event_id)
        ):
            return await self._apply_logged(conn, env, careful=careful)

    async def _handle(self, conn: AsyncConnection, env: Envelope) -> None:
        if self.handler is not None:
            await self.handler(conn, env)
        else:
            assert self.batch_handler is not None
            await self.batch_handler(conn, [env])

    async def _apply_logged(self, conn: AsyncConnection, env: Envelope, *, careful: bool) -> str:
        if not careful:
            await self._handle(conn, env)
            return ""
        try:
            async with conn.begin_nested():
                await self._handle(conn, env)
        except Exception as exc:
            if is_transient(exc):
                raise
            log.warning(
                "consumer.poison",
                consumer=self.name,
                event_id=str(env.event_id),
                event_type=env.event_type,
                error=repr(exc),
            )
            return f"handler failed: {type(exc).__name__}: {exc}"
        return ""

    async def _lock_positions(
        self, conn: AsyncConnection, records: Sequence[Any]
    ) -> dict[tuple[str, int], int]:
        keys = sorted({(r.topic, r.partition) for r in records})
        if not keys:
            return {}
        await conn.execute(
            text(
                f"INSERT INTO {self._s}.consumer_offsets (consumer, topic, partition,"
                " next_offset) VALUES (:c, :t, :p, 0) ON CONFLICT DO NOTHING"
            ),
            [{"c": self.name, "t": t, "p": p} for t, p in keys],
        )
        # Only the batch's partitions are locked (in one order: no deadlock between workers),
        # so workers of one group apply their own partitions' batches side by side; a worker
        # whose partitions were moved while it applied a batch (a rebalance) waits here for
        # the new owner's commit, or the new owner for its, and the later one skips what the
        # stored position says is already applied.
        rows = (
            await conn.execute(
                text(
                    f"SELECT o.topic, o.partition, o.next_offset FROM {self._s}.consumer_offsets o"
                    " JOIN unnest(CAST(:topics AS text[]), CAST(:partitions AS int[]))"
                    " AS b(topic, partition) ON b.topic = o.topic AND b.partition = o.partition"
                    " WHERE o.consumer = :c ORDER BY o.topic, o.partition FOR UPDATE OF o"
                ),
                {
                    "c": self.name,
                    "topics": [t for t, _ in keys],
                    "partitions": [p for _, p in keys],
                },
            )
        ).all()
        return {(r.topic, r.partition): int(r.next_offset) for r in rows}

    async def _store_positions(self, conn: AsyncConnection, records: Sequence[Any]) -> None:
        nexts: dict[tuple[str, int], int] = {}
        for r in records:
            nexts[(r.topic, r.partition)] = max(nexts.get((r.topic, r.partition), 0), r.offset + 1)
        if nexts:
            await conn.execute(
                text(
                    f"UPDATE {self._s}.consumer_offsets SET next_offset = :o, updated_at = now()"
                    " WHERE consumer = :c AND topic = :t AND partition = :p"
                ),
                [{"o": o, "c": self.name, "t": t, "p": p} for (t, p), o in nexts.items()],
            )

    async def _already_processed(
        self, conn: AsyncConnection, ids: list[uuid.UUID]
    ) -> set[uuid.UUID]:
        if not ids or not self.dedupe:
            return set()
        rows = await conn.execute(
            text(
                f"SELECT event_id FROM {self._s}.processed_events"
                " WHERE consumer = :c AND event_id = ANY(:ids)"
            ),
            {"c": self.name, "ids": ids},
        )
        return {uuid.UUID(str(r[0])) for r in rows}

    async def _mark_processed(self, conn: AsyncConnection, ids: list[uuid.UUID]) -> None:
        if ids and self.dedupe:
            await conn.execute(
                text(
                    f"INSERT INTO {self._s}.processed_events (consumer, event_id)"
                    " SELECT :c, unnest(CAST(:ids AS uuid[]))"
                ),
                {"c": self.name, "ids": ids},
            )

    async def _send_dead_letter(self, letter: DeadLetter) -> None:
        if self._broker is None:
            raise RuntimeError("the consumer is not attached to a broker")
        log.warning(
            "consumer.dead_letter",
            consumer=self.name,
            topic=letter.topic,
            partition=letter.partition,
            offset=letter.offset,
            reason=letter.reason,
        )
        await self._broker.publish(
            letter.value,
            topic=self.dead_letter_topic,
            key=f"{letter.topic}:{letter.partition}:{letter.offset}".encode(),
            headers={
                "reason": letter.reason,
                "source_topic": letter.topic,
                "source_partition": str(letter.partition),
                "source_offset": str(letter.offset),
                "consumer": self.name,
            },
        )


class _SeekToStoredOffsets(ConsumerRebalanceListener):  # type: ignore[misc]
    """On assignment, continue from the offsets stored with the effects (or the beginning)."""

    def __init__(self, owner: EventConsumer) -> None:
        self.owner = owner

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self._forget()

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        # Partitions that come back may have moved on under another worker meanwhile: what
        # the handler cached of their streams is void.
        self._forget()
        consumer = self.owner.consumer
        if consumer is None or not assigned:
            return
        stored = await self.owner.stored_offsets(sorted(assigned))
        for tp in assigned:
            if tp in stored:
                consumer.seek(tp, stored[tp])
            else:
                await consumer.seek_to_beginning(tp)
        log.info(
            "consumer.assigned",
            consumer=self.owner.name,
            partitions={f"{tp.topic}:{tp.partition}": stored.get(tp, 0) for tp in assigned},
        )

    def _forget(self) -> None:
        if self.owner.batch_abort is not None:
            self.owner.batch_abort()


async def _undecoded(message: Any) -> None:
    """FastStream's decoder for a batch the handler reads as raw records."""
    return None


def _decode(value: bytes | None) -> Envelope:
    if not value:
        raise PoisonMessage("empty message")
    try:
        env, intact = Envelope.from_json_checked(value)
    except (ValueError, KeyError, TypeError) as exc:
        raise PoisonMessage(f"not a valid event envelope: {exc}") from exc
    if not intact:
        raise PoisonMessage(f"event {env.event_id} does not match its hash")
    return env
