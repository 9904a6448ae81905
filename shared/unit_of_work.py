"""The unit of work: load aggregates, let them decide, append what they recorded — one
transaction, events and outbox rows together, never a publish inside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from shared.envelope import Envelope
from shared.eventstore import CommandContext, EventStore
from shared.kernel import Aggregate, NotFound

A = TypeVar("A", bound=Aggregate)


class UnitOfWork:
    """One command's transaction on an event store.

    ``async with uow: h = await uow.get(Household, id); h.exit_poverty(...); await uow.commit()``
    """

    def __init__(
        self, store: EventStore, ctx: CommandContext, clock: Callable[[], dt.datetime] | None = None
    ) -> None:
        self.store = store
        self.ctx = ctx
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._conn: AsyncConnection | None = None
        self._seen: dict[str, Aggregate] = {}
        self.committed: list[Envelope] = []

    async def __aenter__(self) -> UnitOfWork:
        self._conn = await self.store.engine.connect()
        await self._conn.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                await conn.rollback()
        finally:
            await conn.close()

    @property
    def conn(self) -> AsyncConnection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    async def load(self, cls: type[A], stream_id: str) -> A:
        """The aggregate as stored (possibly new and empty), tracked for commit."""
        if stream_id in self._seen:
            seen = self._seen[stream_id]
            if not isinstance(seen, cls):
                raise TypeError(f"stream {stream_id} is a {type(seen).__name__}")
            return seen
        events, version = await self.store.load_events(stream_id, conn=self.conn)
        aggregate = cls(stream_id)
        aggregate.replay(events)
        aggregate.version = version
        self._seen[stream_id] = aggregate
        return aggregate

    async def get(self, cls: type[A], stream_id: str, what: str = "") -> A:
        """The aggregate, which must exist; otherwise `NotFound` naming `what`."""
        aggregate = await self.load(cls, stream_id)
        if not aggregate.exists:
            raise NotFound(f"{what or cls.__name__} {stream_id} 不存在 (does not exist)")
        return aggregate

    def add(self, aggregate: Aggregate) -> None:
        """Track a new aggregate created by the command."""
        self._seen[aggregate.stream_id] = aggregate

    async def commit(self) -> list[Envelope]:
        """Append every tracked aggregate's new events, then commit the transaction."""
        written: list[Envelope] = []
        now = self._clock()
        for aggregate in self._seen.values():
            pending = aggregate.take_pending()
            if not pending:
                continue
            written += await self.store.append(
                aggregate.stream_id, aggregate.version, pending, self.ctx, conn=self.conn, now=now
            )
            aggregate.version += len(pending)
        await self.conn.commit()
        self.committed = written
        return written
