"""The read side: entities and facts "as of" a time, from the live data schema.

A `Snapshot` is one REPEATABLE READ transaction on the live schema (named by
`projection_meta` at its start), so every query of one view sees the same data even while the
consumer writes or a replay swaps schemas.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from projection.adapters.generations import Generations
from shared.envelope import Actor, Envelope


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity's state as of the asked time."""

    stream_id: str
    kind: str
    entity_id: str
    village: str | None
    status: str | None
    version: int
    valid_from: dt.datetime
    state: dict[str, Any] = field(repr=False)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.state.get(key)
        return default if value is None else value


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """A fact from the event log (for counting flows)."""

    event_type: str
    stream_id: str
    kind: str
    village: str | None
    occurred_at: dt.datetime
    payload: dict[str, Any] = field(repr=False)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


class Snapshot:
    """Queries on one data schema inside one transaction."""

    def __init__(self, conn: AsyncConnection, schema: str) -> None:
        self.conn = conn
        self.schema = schema
        self._s = f'"{schema}"'

    async def entities(
        self,
        kinds: str | Sequence[str],
        *,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[Entity]:
        """Every entity of these kinds as it was before `cutoff` (None: as it is now)."""
        kind_list = [kinds] if isinstance(kinds, str) else list(kinds)
        where = "kind = ANY(:kinds)"
        params: dict[str, Any] = {"kinds": kind_list}
        if cutoff is not None:
            where += " AND valid_from < :cutoff"
            params["cutoff"] = cutoff
        # The newest version per stream from the index alone, then only those rows' states.
        sql = (
            "SELECT h.stream_id, h.kind, h.entity_id, h.village, h.status, h.stream_version,"
            " h.valid_from, h.state FROM (SELECT DISTINCT ON (stream_id) stream_id,"
            f" stream_version, village FROM {self._s}.entity_history WHERE {where}"
            " ORDER BY stream_id, stream_version DESC) AS latest"
            f" JOIN {self._s}.entity_history h USING (stream_id, stream_version)"
        )
        if village is not None:
            sql += " WHERE latest.village = :village"
            params["village"] = village
        rows = await self.conn.execute(text(sql + " ORDER BY h.valid_from, h.stream_id"), params)
        return [
            Entity(
                stream_id=r.stream_id,
                kind=r.kind,
                entity_id=r.entity_id,
                village=r.village,
                status=r.status,
                version=int(r.stream_version),
                valid_from=r.valid_from,
                state=_json(r.state),
            )
            for r in rows
        ]

    async def facts(
        self,
        event_types: Sequence[str],
        *,
        start: dt.datetime | None,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[LoggedEvent]:
        """Events of these types that occurred in [start, cutoff), oldest first."""
        where = ["event_type = ANY(:types)"]
        params: dict[str, Any] = {"types": list(event_types)}
        if start is not None:
            where.append("occurred_at >= :start")
            params["start"] = start
        if cutoff is not None:
            where.append("occurred_at < :cutoff")
            params["cutoff"] = cutoff
        if village is not None:
            where.append("village = :village")
            params["village"] = village
        rows = await self.conn.execute(
            text(
                "SELECT event_type, stream_id, kind, village, occurred_at, payload"
                f" FROM {self._s}.event_log WHERE {' AND '.join(where)}"
                " ORDER BY occurred_at, stream_id, stream_version"
            ),
            params,
        )
        return [
            LoggedEvent(
                r.event_type, r.stream_id, r.kind, r.village, r.occurred_at, _json(r.payload)
            )
            for r in rows
        ]

    async def fact_streams(
        self,
        event_types: Sequence[str],
        *,
        start: dt.datetime | None,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[tuple[str, str, str | None, int]]:
        """(event type, stream, village, count) of events of these types in [start, cutoff):
        for counting flows without reading their payloads."""
        where = ["event_type = ANY(:types)"]
        params: dict[str, Any] = {"types": list(event_types)}
        if start is not None:
            where.append("occurred_at >= :start")
            params["start"] = start
        if cutoff is not None:
            where.append("occurred_at < :cutoff")
            params["cutoff"] = cutoff
        if village is not None:
            where.append("village = :village")
            params["village"] = village
        rows = await self.conn.execute(
            text(
                f"SELECT event_type, stream_id, village, count(*) AS n FROM {self._s}.event_log"
                f" WHERE {' AND '.join(where)} GROUP BY event_type, stream_id, village"
            ),
            params,
        )
        return [(r.event_type, r.stream_id, r.village, int(r.n)) for r in rows]

    async def stream(self, stream_id: str) -> list[tuple[Envelope, str, str | None]]:
        """A stream's logged events in version order, as envelopes (with kind and village)."""
        rows = await self.conn.execute(
            text(
                "SELECT event_id, event_type, schema_version, stream_id, stream_version,"
                " occurred_at, recorded_at, actor_id, actor_role, correlation_id, causation_id,"
                f" town, payload, prev_hash, hash, kind, village FROM {self._s}.event_log"
                " WHERE stream_id = :s ORDER BY stream_version, recorded_at"
            ),
            {"s": stream_id},
        )
        out: list[tuple[Envelope, str, str | None]] = []
        for r in rows:
            env = Envelope(
                event_id=uuid.UUID(str(r.event_id)),
                event_type=r.event_type,
                schema_version=int(r.schema_version),
                stream_id=r.stream_id,
                stream_version=int(r.stream_version),
                occurred_at=r.occurred_at,
                recorded_at=r.recorded_at,
                actor=Actor(r.actor_id, r.actor_role),
                correlation_id=uuid.UUID(str(r.correlation_id)),
                causation_id=uuid.UUID(str(r.causation_id)) if r.causation_id else None,
                town=r.town,
                payload=_json(r.payload),
                prev_hash=r.prev_hash,
                hash=r.hash,
            )
            out.append((env, r.kind, r.village))
        return out

    async def find_stream(self, kind: str, entity_id: str) -> str | None:
        """The stream of an entity named by kind and id (for drill-down links by id)."""
        row = (
            await self.conn.execute(
                text(
                    f"SELECT stream_id FROM {self._s}.entity_history"
                    " WHERE kind = :k AND entity_id = :e LIMIT 1"
                ),
                {"k": kind, "e": entity_id},
            )
        ).first()
        return str(row[0]) if row else None

    async def related_streams(self, stream_id: str, entity_id: str) -> list[tuple[str, str]]:
        """Other streams whose events name this entity's id in their payload (e.g. the visits
        of a household's pairing), as (stream id, kind)."""
        rows = await self.conn.execute(
            text(
                f"SELECT DISTINCT stream_id, kind FROM {self._s}.event_log"
                " WHERE stream_id <> :s AND payload @? CAST(:path AS jsonpath) LIMIT 50"
            ),
            {"s": stream_id, "path": f'$.* ? (@ == "{_jsonpath_string(entity_id)}")'},
        )
        return sorted((str(r[0]), str(r[1])) for r in rows)

    async def stats(self) -> dict[str, Any]:
        """Counts of the log (for the dashboard footer and readiness)."""
        row = (
            await self.conn.execute(
                text(
                    "SELECT count(*) AS n, max(recorded_at) AS last_recorded,"
                    f" min(occurred_at) AS first_occurred FROM {self._s}.event_log"
                )
            )
        ).one()
        return {
            "events": int(row.n),
            "last_recorded": row.last_recorded,
            "first_occurred": row.first_occurred,
            "schema": self.schema,
        }


def _jsonpath_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


class ReadModels:
    """Opens snapshots of the live data schema."""

    def __init__(self, engine: AsyncEngine, generations: Generations) -> None:
        self.engine = engine
        self.generations = generations

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Snapshot]:
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
            async with conn.begin():
                schema = await self.generations.current(conn)
                yield Snapshot(conn, schema)
