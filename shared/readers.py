"""Reading aggregates back from a service's own event store, for its GET and list endpoints.

Nothing is written and no unit of work is opened: an aggregate is its stream's events
replayed, optionally "as of" a business date (the end of that day in China) or an instant.
A list of aggregates is ONE query on the store's `events` table, whatever its length.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.clock import as_of_instant
from shared.codec import decode
from shared.eventstore import EventStore
from shared.kernel import Aggregate, Event, NotFound

A = TypeVar("A", bound=Aggregate)

#: A business date (its end in China), an instant, or None (everything recorded).
AsOf = dt.date | dt.datetime | None


class AggregateReader:
    """Aggregates rebuilt from one event store, for reads.

    `max_streams` caps how many aggregates one `load_all` returns (the first created)."""

    def __init__(self, store: EventStore, *, max_streams: int | None = None) -> None:
        self.store = store
        self.max_streams = max_streams
        self._events = f'"{store.schema}".events'

    async def load(
        self,
        cls: type[A],
        stream_id: str,
        *,
        as_of: AsOf = None,
        conn: AsyncConnection | None = None,
    ) -> A:
        """The aggregate as its events say (by `as_of`); new and empty (not `exists`) if it
        did not exist by then: no events by then, or (an entity, not a `LEDGER`) its first
        event, which created it, came later."""
        envelopes = await self.store.read_stream(stream_id, as_of=as_of_instant(as_of), conn=conn)
        aggregate = cls(stream_id)
        if envelopes and envelopes[0].stream_version != 1 and not cls.LEDGER:
            return aggregate  # only later facts dated earlier: it was not created yet
        payloads = await self.store.opened([e.payload for e in envelopes], conn=conn)
        aggregate.replay(
            [
                decode(e.event_type, e.schema_version, p)
                for e, p in zip(envelopes, payloads, strict=True)
            ]
        )
        return aggregate

    async def get(
        self,
        cls: type[A],
        stream_id: str,
        what: str = "",
        *,
        as_of: AsOf = None,
        conn: AsyncConnection | None = None,
    ) -> A:
        """The aggregate, which must have events by `as_of`; otherwise `NotFound` naming
        `what` (as `UnitOfWork.get` does)."""
        aggregate = await self.load(cls, stream_id, as_of=as_of, conn=conn)
        if not aggregate.exists:
            raise NotFound(f"{what or cls.__name__} {stream_id} 不存在 (does not exist)")
        return aggregate

    async def load_all(
        self,
        cls: type[A],
        prefix: str = "",
        *,
        with_event: str | None = None,
        where: Mapping[str, str | None] | None = None,
        as_of: AsOf = None,
        order: Literal["created", "stream_id"] = "created",
        conn: AsyncConnection | None = None,
    ) -> list[A]:
        """Every aggregate whose stream id starts with `prefix` and which has an event (by
        `as_of`) of type `with_event` (any type if None) whose payload has the `where` values
        (a None value matches a JSON null or a missing field), replayed by `as_of`. An entity
        (not a `LEDGER`) whose first event came after `as_of` is left out: it did not exist yet.

        In order of creation (the first such event), or of stream id."""
        conditions: list[str] = []
        params: dict[str, Any] = {}
        if prefix:
            conditions.append("stream_id LIKE :prefix")
            params["prefix"] = _like(prefix)
        if with_event is not None:
            conditions.append("event_type = :event_type")
            params["event_type"] = with_event
        for n, (key, value) in enumerate((where or {}).items()):
            if value is None:
                conditions.append(f"payload->>'{_field(key)}' IS NULL")
            else:
                conditions.append(f"payload->>'{_field(key)}' = :w{n}")
                params[f"w{n}"] = value
        cut = as_of_instant(as_of)
        if cut is not None:
            conditions.append("x.occurred_at <= :as_of")
            params["as_of"] = cut
            if not cls.LEDGER:
                conditions.append(
                    f"EXISTS (SELECT 1 FROM {self._events} f WHERE f.stream_id = x.stream_id"
                    " AND f.stream_version = 1 AND f.occurred_at <= :as_of)"
                )
        limit = ""
        if self.max_streams is not None:
            limit = " LIMIT :limit"
            params["limit"] = self.max_streams
        key = "first" if order == "created" else "stream_id"
        sql = (
            "WITH c AS (SELECT x.stream_id, min(x.global_position) AS first"
            f" FROM {self._events} x WHERE {' AND '.join(conditions) or 'TRUE'}"
            f" GROUP BY x.stream_id ORDER BY {key}{limit})"
            " SELECT e.stream_id, e.event_type, e.schema_version, e.payload"
            f" FROM {self._events} e JOIN c ON c.stream_id = e.stream_id"
            + (" WHERE e.occurred_at <= :as_of" if cut is not None else "")
            + f" ORDER BY c.{key}, e.stream_version"
        )
        rows = await self._rows(sql, params, conn)
        payloads = await self.store.opened([_json(row.payload) for row in rows], conn=conn)
        grouped: dict[str, list[Event]] = {}
        for row, payload in zip(rows, payloads, strict=True):
            grouped.setdefault(row.stream_id, []).append(
                decode(row.event_type, row.schema_version, payload)
            )
        found = []
        for stream_id, events in grouped.items():
            aggregate = cls(stream_id)
            aggregate.replay(events)
            found.append(aggregate)
        return found

    async def stream_ids(self, prefix: str, *, conn: AsyncConnection | None = None) -> list[str]:
        """The id of every stream that starts with `prefix`, in order of stream id."""
        sql = (
            f"SELECT stream_id FROM {self._events} WHERE stream_version = 1"
            " AND stream_id LIKE :prefix ORDER BY stream_id"
        )
        return [
            str(row.stream_id) for row in await self._rows(sql, {"prefix": _like(prefix)}, conn)
        ]

    async def _rows(
        self, sql: str, params: dict[str, Any], conn: AsyncConnection | None
    ) -> list[Any]:
        if conn is not None:
            return list((await conn.execute(text(sql), params)).all())
        async with self.store.engine.connect() as own:
            return list((await own.execute(text(sql), params)).all())


def _like(prefix: str) -> str:
    """A LIKE pattern matching `prefix` literally (`_` and `%` are not wildcards)."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _field(key: str) -> str:
    if not key.isidentifier():
        raise ValueError(f"not a payload field name: {key!r}")
    return key


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value
