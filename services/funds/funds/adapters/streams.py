"""Reading aggregates straight from the service's event store: one stream (optionally "as of" a
business date), every stream of a kind (for lists and the deadline check), and a stream's
envelopes (who did what, when) for the trail shown beside an entity."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from funds.application.ports import CHINA
from shared.codec import decode
from shared.envelope import Envelope
from shared.eventstore import EventStore
from shared.kernel import Aggregate, NotFound

A = TypeVar("A", bound=Aggregate)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of a business date in China: "as of D" includes all of D."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=CHINA)


def _like(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class EventStreams:
    """Aggregates rebuilt from the store, for reads (no unit of work, nothing written)."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._s = f'"{store.schema}"'

    async def stream_ids(self, prefix: str, conn: AsyncConnection | None = None) -> list[str]:
        sql = text(
            f"SELECT stream_id FROM {self._s}.events WHERE stream_version = 1"
            " AND stream_id LIKE :p ORDER BY stream_id"
        )
        if conn is not None:
            return [str(r[0]) for r in await conn.execute(sql, {"p": _like(prefix)})]
        async with self.store.engine.connect() as own:
            return [str(r[0]) for r in await own.execute(sql, {"p": _like(prefix)})]

    async def load(
        self,
        cls: type[A],
        stream_id: str,
        *,
        as_of: dt.date | None = None,
        what: str = "",
        missing_ok: bool = False,
    ) -> A:
        """One aggregate as of the end of a business date (default: now); `NotFound` if it
        has no events (unless `missing_ok`: then new and empty)."""
        envelopes = await self.store.read_stream(
            stream_id, as_of=end_of_day(as_of) if as_of else None
        )
        aggregate = cls(stream_id)
        aggregate.replay([decode(e.event_type, e.schema_version, e.payload) for e in envelopes])
        if not aggregate.exists and not missing_ok:
            raise NotFound(f"{what or cls.__name__} {stream_id} 不存在 (does not exist)")
        return aggregate

    async def load_all(self, cls: type[A], prefix: str, *, as_of: dt.date | None = None) -> list[A]:
        """Every aggregate whose stream id starts with `prefix`, in one query."""
        sql = (
            f"SELECT stream_id, event_type, schema_version, payload FROM {self._s}.events"
            " WHERE stream_id LIKE :p"
        )
        params: dict[str, Any] = {"p": _like(prefix)}
        if as_of is not None:
            sql += " AND occurred_at <= :as_of"
            params["as_of"] = end_of_day(as_of)
        async with self.store.engine.connect() as conn:
            rows = (
                await conn.execute(text(sql + " ORDER BY stream_id, stream_version"), params)
            ).all()
        found: dict[str, A] = {}
        for row in rows:
            aggregate = found.get(row.stream_id)
            if aggregate is None:
                aggregate = found[row.stream_id] = cls(row.stream_id)
            payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
            aggregate.replay([decode(row.event_type, row.schema_version, payload)])
        return list(found.values())

    async def trail(self, stream_id: str) -> list[Envelope]:
        """The stream's envelopes: who recorded each fact, when, and why."""
        return await self.store.read_stream(stream_id)
