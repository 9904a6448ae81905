"""Reading aggregates back from relief's own event store for the GET endpoints: one stream, or
every stream that began with a given event (optionally filtered by a payload field), rebuilt
from their events in one query."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TypeVar

from sqlalchemy import text

from shared.codec import decode
from shared.eventstore import EventStore
from shared.kernel import Aggregate, Event

A = TypeVar("A", bound=Aggregate)


class StoreReader:
    """Aggregates as their events say, optionally "as of" a business time."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._events = f'"{store.schema}".events'

    async def one(self, cls: type[A], stream_id: str, as_of: dt.datetime | None = None) -> A:
        """The aggregate (not `exists` if the stream has no events by then)."""
        envelopes = await self.store.read_stream(stream_id, as_of=as_of)
        aggregate = cls(stream_id)
        aggregate.replay([decode(e.event_type, e.schema_version, e.payload) for e in envelopes])
        return aggregate

    async def all(
        self,
        cls: type[A],
        first_event: str,
        *,
        where: dict[str, str | None] | None = None,
        as_of: dt.datetime | None = None,
        limit: int = 5000,
    ) -> list[A]:
        """Every stream whose events include `first_event` whose payload matches `where`
        (a None value matches a JSON null), in the order they were created; with `as_of`,
        only what had happened by then."""
        filters = ""
        params: dict[str, Any] = {"t": first_event, "limit": limit}
        if as_of is not None:
            filters += " AND occurred_at <= :as_of"
            params["as_of"] = as_of
        for n, (key, value) in enumerate((where or {}).items()):
            if value is None:
                filters += f" AND payload->>'{_field(key)}' IS NULL"
            else:
                filters += f" AND payload->>'{_field(key)}' = :w{n}"
                params[f"w{n}"] = value
        sql = (
            f"WITH chosen AS (SELECT stream_id, min(global_position) AS first FROM {self._events}"
            f" WHERE event_type = :t{filters} GROUP BY stream_id ORDER BY first LIMIT :limit)"
            f" SELECT e.stream_id, e.event_type, e.schema_version, e.payload FROM {self._events} e"
            " JOIN chosen c ON c.stream_id = e.stream_id"
            + (" WHERE e.occurred_at <= :as_of" if as_of is not None else "")
            + " ORDER BY c.first, e.stream_version"
        )
        async with self.store.engine.connect() as conn:
            rows = (await conn.execute(text(sql), params)).all()
        grouped: dict[str, list[Event]] = {}
        for row in rows:
            grouped.setdefault(row.stream_id, []).append(
                decode(row.event_type, row.schema_version, _json(row.payload))
            )
        result = []
        for stream_id, events in grouped.items():
            aggregate = cls(stream_id)
            aggregate.replay(events)
            result.append(aggregate)
        return result


def _field(key: str) -> str:
    if not key.isidentifier():
        raise ValueError(f"not a payload field name: {key!r}")
    return key


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value
