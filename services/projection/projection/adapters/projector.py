"""The consumer's handler: one event in, its log row and its entity's new state out.

Runs inside the shared consumer's transaction (with the Kafka offsets). The log row and the
history row go in one statement, the history row only when the log row is new
(`ON CONFLICT (event_id) DO NOTHING`), so a redelivered event changes nothing.

Rows are buffered per batch and written in one statement (arrays, `unnest`) by the shared
consumer's `batch_end` hook, inside the transaction that also stores the offsets: a batch of
2 000 events is then one round trip instead of 2 000. `batch_abort` drops the buffer (and the
cached states) when the batch's transaction is rolled back. When the shared consumer redoes a
failed batch one event per savepoint (to set a poison message aside), rows are written at once
instead, so that a bad row fails inside its own savepoint.

The state before the event comes from a small in-process cache of each stream's newest state,
or from the table when the cache does not hold the previous version. Folds are deterministic,
so a cached state is the one the table holds, even after a rolled-back batch (which is redone
from the table's state because its versions no longer follow the cache's).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from projection.domain.folds import Fact, Rule, State, fold
from shared.consumer import BatchAbort, BatchEnd
from shared.db import checked_schema
from shared.envelope import Envelope

#: The columns of a buffered row and their PostgreSQL types (for `unnest` of arrays).
_COLUMNS = (
    ("event_id", "uuid"),
    ("event_type", "text"),
    ("schema_version", "int"),
    ("stream_id", "text"),
    ("stream_version", "int"),
    ("kind", "text"),
    ("village", "text"),
    ("occurred_at", "timestamptz"),
    ("recorded_at", "timestamptz"),
    ("actor_id", "text"),
    ("actor_role", "text"),
    ("correlation_id", "uuid"),
    ("causation_id", "uuid"),
    ("town", "text"),
    ("payload", "text"),
    ("prev_hash", "text"),
    ("hash", "text"),
    ("entity_id", "text"),
    ("status", "text"),
    ("valid_from", "timestamptz"),
    ("state", "text"),
)


def _columnar(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows as one array per column, in arrival order (one statement writes them all)."""
    return {name: [row[name] for row in rows] for name, _ in _COLUMNS}


@dataclass(frozen=True, slots=True)
class _Head:
    version: int
    state: State
    valid_from: dt.datetime


class Projector:
    """Applies envelopes to one data schema's read models."""

    def __init__(
        self,
        schema: str,
        rules: Mapping[str, Rule],
        *,
        town: str | None = None,
        cache_size: int = 50_000,
    ) -> None:
        self.schema = checked_schema(schema)
        self.town = town
        self.other_towns = 0
        self.rules = rules
        self.cache_size = cache_size
        self._heads: dict[str, _Head] = {}
        self._pending: list[dict[str, Any]] = []
        self._buffering = False
        s = f'"{self.schema}"'
        self._previous = text(
            f"SELECT stream_version, valid_from, state FROM {s}.entity_history"
            " WHERE stream_id = :s AND stream_version < :v"
            " ORDER BY stream_version DESC LIMIT 1"
        )
        self._insert = text(
            f"WITH logged AS (INSERT INTO {s}.event_log (event_id, event_type, schema_version,"
            " stream_id, stream_version, kind, village, occurred_at, recorded_at, actor_id,"
            " actor_role, correlation_id, causation_id, town, payload, prev_hash, hash)"
            " VALUES (:event_id, :event_type, :schema_version, :stream_id, :stream_version,"
            " :kind, :village, :occurred_at, :recorded_at, :actor_id, :actor_role,"
            " :correlation_id, :causation_id, :town, CAST(:payload AS jsonb), :prev_hash, :hash)"
            " ON CONFLICT (event_id) DO NOTHING RETURNING event_id)"
            f" INSERT INTO {s}.entity_history (stream_id, stream_version, event_id, kind,"
            " entity_id, village, status, valid_from, state)"
            " SELECT :stream_id, :stream_version, logged.event_id, :kind, :entity_id,"
            " :village, :status, :valid_from, CAST(:state AS jsonb) FROM logged"
            " ON CONFLICT (stream_id, stream_version) DO NOTHING"
        )
        self._insert_one = text(self._insert.text + " RETURNING stream_version")
        arrays = ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in _COLUMNS)
        names = ", ".join(name for name, _ in _COLUMNS)
        self._insert_rows = text(
            f"WITH r AS (SELECT * FROM unnest({arrays}) AS r({names})),"
            f" logged AS (INSERT INTO {s}.event_log (event_id, event_type, schema_version,"
            " stream_id, stream_version, kind, village, occurred_at, recorded_at, actor_id,"
            " actor_role, correlation_id, causation_id, town, payload, prev_hash, hash)"
            " SELECT event_id, event_type, schema_version, stream_id, stream_version, kind,"
            " village, occurred_at, recorded_at, actor_id, actor_role, correlation_id,"
            " causation_id, town, CAST(payload AS jsonb), prev_hash, hash FROM r"
            " ON CONFLICT (event_id) DO NOTHING RETURNING event_id)"
            f" INSERT INTO {s}.entity_history (stream_id, stream_version, event_id, kind,"
            " entity_id, village, status, valid_from, state)"
            " SELECT r.stream_id, r.stream_version, r.event_id, r.kind, r.entity_id, r.village,"
            " r.status, r.valid_from, CAST(r.state AS jsonb) FROM r JOIN logged USING (event_id)"
            " ON CONFLICT (stream_id, stream_version) DO NOTHING"
        )

    def buffered(self) -> tuple[BatchEnd, BatchAbort]:
        """Buffer rows per batch: the consumer's `batch_end` and `batch_abort` hooks."""
        self._buffering = True
        return self.flush, self.discard

    async def flush(self, conn: AsyncConnection) -> None:
        """Write the buffered rows in one statement (the batch's end, same transaction)."""
        rows, self._pending = self._pending, []
        if rows:
            await conn.execute(self._insert_rows, _columnar(rows))

    def discard(self) -> None:
        """The batch was rolled back: its rows were never stored, nor the states cached."""
        self._pending = []
        self._heads.clear()

    async def apply(self, conn: AsyncConnection, env: Envelope) -> None:
        """The consumer handler: log the event and fold it into its entity."""
        if self.town and env.town != self.town:
            # One projection serves one town; a county's views are roll-ups of town views.
            self.other_towns += 1
            return
        head = self._heads.get(env.stream_id)
        if head is not None and head.version != env.stream_version - 1:
            head = None
        if head is None and env.stream_version > 1:
            await self.flush(conn)  # the previous version may be among the buffered rows
            head = await self._load_previous(conn, env.stream_id, env.stream_version)
        fact = Fact(
            event_type=env.event_type,
            stream_id=env.stream_id,
            stream_version=env.stream_version,
            occurred_at=env.occurred_at,
            actor_id=env.actor.user_id,
            actor_role=env.actor.role,
            payload=env.payload,
        )
        folded = fold(head.state if head else None, fact, self.rules)
        # Business time may be entered out of order; the history keeps it non-decreasing so
        # that "as of" never shows a later version without the earlier one.
        valid_from = max(head.valid_from, env.occurred_at) if head else env.occurred_at
        payload_village = env.payload.get("village")
        params: dict[str, Any] = {
            "event_id": env.event_id,
            "event_type": env.event_type,
            "schema_version": env.schema_version,
            "stream_id": env.stream_id,
            "stream_version": env.stream_version,
            "kind": folded.kind,
            "village": str(payload_village) if payload_village else folded.village,
            "occurred_at": env.occurred_at,
            "recorded_at": env.recorded_at,
            "actor_id": env.actor.user_id,
            "actor_role": env.actor.role,
            "correlation_id": env.correlation_id,
            "causation_id": env.causation_id,
            "town": env.town,
            "payload": json.dumps(env.payload, ensure_ascii=False),
            "prev_hash": env.prev_hash,
            "hash": env.hash,
            "entity_id": folded.entity_id,
            "status": folded.status,
            "valid_from": valid_from,
            "state": json.dumps(folded.state, ensure_ascii=False, default=str),
        }
        if self._buffering and not conn.in_nested_transaction():
            self._pending.append(params)
        else:
            await self.flush(conn)
            if (await conn.execute(self._insert_one, params)).first() is None:
                return
        if len(self._heads) >= self.cache_size:
            self._heads.clear()
        self._heads[env.stream_id] = _Head(env.stream_version, folded.state, valid_from)

    async def _load_previous(
        self, conn: AsyncConnection, stream_id: str, version: int
    ) -> _Head | None:
        row = (await conn.execute(self._previous, {"s": stream_id, "v": version})).first()
        if row is None:
            return None
        state = row.state if isinstance(row.state, dict) else json.loads(row.state)
        return _Head(int(row.stream_version), state, row.valid_from)
