"""The event store (事件存储) on PostgreSQL, with the transactional outbox.

`append` writes a stream's new events and their outbox rows in one transaction; a unique
`(stream_id, stream_version)` turns a concurrent writer into `ConcurrencyConflict`. Reads
return envelopes in stream order or in global order, optionally "as of" a business time.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from sqlalchemy import TextualSelect, Uuid, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.codec import decode, encode
from shared.db import Migration, checked_schema, migrate
from shared.envelope import (
    GENESIS_HASH,
    SYSTEM_ACTOR,
    Actor,
    ChainBreak,
    Envelope,
    verify_chain,
)
from shared.ids import uuid7
from shared.kernel import ConcurrencyConflict, Event
from shared.personal.declared import any_token
from shared.personal.keys import KeyTable

#: `expected_version` that accepts any current version (no optimistic check).
ANY_VERSION: Final = -1
#: `expected_version` for a stream that must not exist yet.
NO_STREAM: Final = 0

MIGRATIONS = [
    Migration(
        1,
        "events and outbox",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.events (
            global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id uuid NOT NULL UNIQUE,
            stream_id text NOT NULL,
            stream_version int NOT NULL CHECK (stream_version > 0),
            event_type text NOT NULL,
            schema_version int NOT NULL,
            occurred_at timestamptz NOT NULL,
            recorded_at timestamptz NOT NULL,
            actor jsonb NOT NULL,
            correlation_id uuid NOT NULL,
            causation_id uuid,
            town text NOT NULL,
            payload jsonb NOT NULL,
            prev_hash char(64) NOT NULL,
            hash char(64) NOT NULL,
            UNIQUE (stream_id, stream_version))""",
            "CREATE INDEX IF NOT EXISTS events_occurred_at ON {schema}.events (occurred_at)",
            "CREATE INDEX IF NOT EXISTS events_event_type ON {schema}.events (event_type)",
            """CREATE TABLE IF NOT EXISTS {schema}.outbox (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id uuid NOT NULL,
            topic text NOT NULL,
            key text NOT NULL,
            value bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            published_at timestamptz)""",
            "CREATE INDEX IF NOT EXISTS outbox_unpublished ON {schema}.outbox (id)"
            " WHERE published_at IS NULL",
        ],
    ),
    Migration(
        2,
        "outbox tombstones (the key topic's erasures carry no value)",
        ["ALTER TABLE {schema}.outbox ALTER COLUMN value DROP NOT NULL"],
    ),
]


@dataclass(frozen=True, slots=True)
class CommandContext:
    """Who issues a command, why, and when it happened (business time)."""

    actor: Actor
    town: str
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None = None
    occurred_at: dt.datetime | None = None

    @classmethod
    def caused_by(cls, env: Envelope, actor: Actor | None = None) -> CommandContext:
        """The context of a reaction to `env` (a process manager): same correlation, caused by
        that event, acting as the system unless told otherwise."""
        return cls(
            actor=actor or SYSTEM_ACTOR,
            town=env.town,
            correlation_id=env.correlation_id,
            causation_id=env.event_id,
            occurred_at=env.occurred_at,
        )

    def at(self, occurred_at: dt.datetime | None) -> CommandContext:
        """The same context for a fact that happened at `occurred_at` (business time)."""
        return replace(self, occurred_at=occurred_at) if occurred_at else self


def seal(
    stream_id: str,
    current: int,
    prev_hash: str,
    events: Sequence[Event],
    ctx: CommandContext,
    recorded: dt.datetime,
    payloads: Sequence[dict[str, Any]] | None = None,
) -> list[Envelope]:
    """The envelopes of `events` appended to a stream at version `current` whose head hash
    is `prev_hash`: numbered, dated (business time from `ctx`, else `recorded`) and chained.
    `payloads` are the events' wire payloads when already made (personal fields encrypted)."""
    envelopes: list[Envelope] = []
    for offset, event in enumerate(events, start=1):
        env = Envelope(
            event_id=uuid7(),
            event_type=event.event_type,
            schema_version=event.schema_version,
            stream_id=stream_id,
            stream_version=current + offset,
            occurred_at=ctx.occurred_at or recorded,
            recorded_at=recorded,
            actor=ctx.actor,
            correlation_id=ctx.correlation_id,
            causation_id=ctx.causation_id,
            town=ctx.town,
            payload=payloads[offset - 1] if payloads is not None else encode(event),
        ).sealed(prev_hash)
        prev_hash = env.hash
        envelopes.append(env)
    return envelopes


class EventStore:
    """One service's event store: a schema with `events` and `outbox`, and its Kafka topic."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        schema: str,
        topic: str,
        check: Callable[[Envelope], None] | None = None,
        keys: KeyTable | None = None,
    ) -> None:
        self.engine = engine
        self.check = check
        #: The service's key table: personal fields are encrypted on append, opened on load.
        self.keys = keys
        #: Told of the envelopes each successful `write` put in its transaction (metrics).
        self.on_written: Callable[[AsyncConnection, Sequence[Envelope]], None] | None = None
        self.schema = checked_schema(schema)
        self.topic = topic
        self._s = f'"{self.schema}"'
        # Parsed once: text() scans its string for bind parameters on every construction.
        self._head_sql = text(
            f"SELECT stream_version, hash FROM {self._s}.events WHERE stream_id = :s"
            " ORDER BY stream_version DESC LIMIT 1"
        )
        self._write_sql = self._statement_for_write()

    async def begin(self) -> AsyncConnection:
        """A connection in a new transaction, for a unit of work (the caller commits/closes)."""
        conn = await self.engine.connect()
        try:
            await conn.begin()
        except BaseException:
            await conn.close()
            raise
        return conn

    async def migrate(self) -> None:
        """Create or upgrade the store's tables."""
        await migrate(self.engine, self.schema, "eventstore", MIGRATIONS)
        if self.keys is not None:
            await self.keys.migrate(self.engine)

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        ctx: CommandContext,
        *,
        conn: AsyncConnection | None = None,
        now: dt.datetime | None = None,
    ) -> list[Envelope]:
        """Append events to a stream if it is at `expected_version`; return the envelopes.

        Runs in `conn`'s transaction when given (the caller commits), else in its own.
        """
        if conn is None:
            async with self.engine.begin() as own:
                return await self.append(
                    stream_id, expected_version, events, ctx, conn=own, now=now
                )
        if not events:
            return []
        head = (
            await conn.execute(
                self._head_sql,
                {"s": stream_id},
            )
        ).first()
        current, prev_hash = (int(head[0]), str(head[1])) if head else (0, GENESIS_HASH)
        if expected_version != ANY_VERSION and current != expected_version:
            raise ConcurrencyConflict(
                f"stream {stream_id} is at version {current}, not {expected_version}"
            )
        payloads = [encode(event) for event in events]
        if self.keys is not None:
            payloads = await self.keys.protect(
                conn, [(e.event_type, p) for e, p in zip(events, payloads, strict=True)]
            )
        envelopes = seal(
            stream_id, current, prev_hash, events, ctx, now or dt.datetime.now(dt.UTC), payloads
        )
        await self.write(conn, envelopes)
        return envelopes

    async def write(self, conn: AsyncConnection, envelopes: Sequence[Envelope]) -> None:
        """Insert sealed envelopes and their outbox rows (no version check: see `append`).

        One statement: the events are inserted with `ON CONFLICT DO NOTHING` on
        `(stream_id, stream_version)`, and only the inserted ones get outbox rows; if another
        writer got there first, what this call inserted is removed again and
        `ConcurrencyConflict` raised, with the transaction still usable."""
        if self.check is not None:
            for env in envelopes:
                self.check(env)
        columns: dict[str, list[Any]] = {name: [] for name in _ARRAYS}
        for env in envelopes:
            for name, value in _row(env).items():
                columns[name].append(value)
        columns["value"] = [env.to_json() for env in envelopes]
        inserted = (
            (await conn.execute(self._write_sql, {**columns, "topic": self.topic})).scalars().all()
        )
        if len(inserted) == len(envelopes):
            if self.on_written is not None:
                self.on_written(conn, envelopes)
            return
        if inserted:
            await conn.execute(
                text(f"DELETE FROM {self._s}.outbox WHERE event_id = ANY(:ids)"), {"ids": inserted}
            )
            await conn.execute(
                text(f"DELETE FROM {self._s}.events WHERE event_id = ANY(:ids)"), {"ids": inserted}
            )
        raise ConcurrencyConflict(
            f"stream {envelopes[0].stream_id} was changed by another writer; reload and retry"
        )

    def _statement_for_write(self) -> TextualSelect:
        arrays = ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in _ARRAYS.items())
        names = ", ".join(_ARRAYS)
        event_columns = ", ".join(n for n in _ARRAYS if n != "value")
        selected = ", ".join(
            f"r.{n}::jsonb" if n in ("actor", "payload") else f"r.{n}"
            for n in _ARRAYS
            if n != "value"
        )
        return text(
            f"WITH r AS (SELECT * FROM unnest({arrays}) AS r({names})),"
            f" ins AS (INSERT INTO {self._s}.events ({event_columns})"
            f" SELECT {selected} FROM r ORDER BY r.stream_id, r.stream_version"
            " ON CONFLICT (stream_id, stream_version) DO NOTHING RETURNING event_id),"
            f" outbox AS (INSERT INTO {self._s}.outbox (event_id, topic, key, value)"
            " SELECT r.event_id, :topic, r.stream_id, r.value FROM r JOIN ins USING (event_id)"
            " ORDER BY r.stream_id, r.stream_version RETURNING event_id),"
            f" woken AS (SELECT pg_notify('{self.schema}_outbox', '') WHERE EXISTS"
            " (SELECT 1 FROM outbox))"
            " SELECT event_id FROM outbox, (SELECT count(*) FROM woken) AS w"
        ).columns(event_id=Uuid())

    async def read_stream(
        self,
        stream_id: str,
        *,
        as_of: dt.datetime | None = None,
        conn: AsyncConnection | None = None,
    ) -> list[Envelope]:
        """A stream's events in version order; with `as_of`, those that occurred by then."""
        sql = f"SELECT {_COLUMNS} FROM {self._s}.events WHERE stream_id = :s"
        params: dict[str, Any] = {"s": stream_id}
        if as_of is not None:
            sql += " AND occurred_at <= :as_of"
            params["as_of"] = as_of
        sql += " ORDER BY stream_version"
        return await self._select(sql, params, conn)

    async def read_all(
        self, *, after: int = 0, limit: int = 1000, as_of: dt.datetime | None = None
    ) -> list[Envelope]:
        """Events in global order after position `after` (for replay and audit)."""
        sql = f"SELECT {_COLUMNS} FROM {self._s}.events WHERE global_position > :after"
        params: dict[str, Any] = {"after": after, "limit": limit}
        if as_of is not None:
            sql += " AND occurred_at <= :as_of"
            params["as_of"] = as_of
        sql += " ORDER BY global_position LIMIT :limit"
        return await self._select(sql, params, None)

    async def load_events(
        self, stream_id: str, *, conn: AsyncConnection | None = None
    ) -> tuple[list[Event], int]:
        """A stream's domain events (upcast to the newest versions) and its version."""
        envelopes = await self.read_stream(stream_id, conn=conn)
        payloads = await self.opened([e.payload for e in envelopes], conn=conn)
        events = [
            decode(e.event_type, e.schema_version, p)
            for e, p in zip(envelopes, payloads, strict=True)
        ]
        return events, len(envelopes)

    async def opened(
        self, payloads: list[dict[str, Any]], *, conn: AsyncConnection | None = None
    ) -> list[dict[str, Any]]:
        """Payloads with their personal fields opened with this store's keys (`ERASED` where
        a person's key was deleted); as they are when the store keeps no keys."""
        if self.keys is None or not any_token(payloads):
            return payloads
        if conn is None:
            async with self.engine.connect() as own:
                return list(await self.keys.reveal(own, payloads))
        return list(await self.keys.reveal(conn, payloads))

    async def streams(self, *, chunk: int = 2000) -> AsyncIterator[list[Envelope]]:
        """Every stream's events in version order, one stream at a time (a server-side cursor
        in stream order: the whole store is read once, holding one stream in memory)."""
        sql = text(f"SELECT {_COLUMNS} FROM {self._s}.events ORDER BY stream_id, stream_version")
        current: list[Envelope] = []
        async with self.engine.connect() as conn:
            result = await conn.stream(sql.execution_options(yield_per=chunk))
            async for row in result:
                env = envelope_of(row._mapping)
                if current and current[0].stream_id != env.stream_id:
                    yield current
                    current = []
                current.append(env)
        if current:
            yield current

    async def verify(self, stream_id: str) -> list[ChainBreak]:
        """Check a stream's hash chain as stored; an empty list means it is intact."""
        return verify_chain(await self.read_stream(stream_id))

    async def _select(
        self, sql: str, params: dict[str, Any], conn: AsyncConnection | None
    ) -> list[Envelope]:
        if conn is None:
            async with self.engine.connect() as own:
                result = await own.execute(text(sql), params)
        else:
            result = await conn.execute(text(sql), params)
        return [envelope_of(row._mapping) for row in result]


#: The envelope columns as written, with their PostgreSQL types (arrays are unnested).
_ARRAYS = {
    "event_id": "uuid",
    "stream_id": "text",
    "stream_version": "int",
    "event_type": "text",
    "schema_version": "int",
    "occurred_at": "timestamptz",
    "recorded_at": "timestamptz",
    "actor": "text",
    "correlation_id": "uuid",
    "causation_id": "uuid",
    "town": "text",
    "payload": "text",
    "prev_hash": "text",
    "hash": "text",
    "value": "bytea",
}

_COLUMNS = (
    "global_position, event_id, stream_id, stream_version, event_type, schema_version,"
    " occurred_at, recorded_at, actor, correlation_id, causation_id, town, payload,"
    " prev_hash, hash"
)


def _row(env: Envelope) -> dict[str, Any]:
    return {
        "event_id": env.event_id,
        "stream_id": env.stream_id,
        "stream_version": env.stream_version,
        "event_type": env.event_type,
        "schema_version": env.schema_version,
        "occurred_at": env.occurred_at,
        "recorded_at": env.recorded_at,
        "actor": json.dumps(env.actor.as_dict()),
        "correlation_id": env.correlation_id,
        "causation_id": env.causation_id,
        "town": env.town,
        "payload": json.dumps(env.payload, ensure_ascii=False),
        "prev_hash": env.prev_hash,
        "hash": env.hash,
    }


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def envelope_of(row: Any) -> Envelope:
    """An envelope from a row of the events table (its columns by name)."""
    actor = _json(row["actor"])
    return Envelope(
        event_id=row["event_id"],
        event_type=row["event_type"],
        schema_version=row["schema_version"],
        stream_id=row["stream_id"],
        stream_version=row["stream_version"],
        occurred_at=row["occurred_at"],
        recorded_at=row["recorded_at"],
        actor=Actor(actor["user_id"], actor["role"]),
        correlation_id=row["correlation_id"],
        causation_id=row["causation_id"],
        town=row["town"],
        payload=_json(row["payload"]),
        prev_hash=row["prev_hash"],
        hash=row["hash"],
        global_position=row["global_position"],
    )
