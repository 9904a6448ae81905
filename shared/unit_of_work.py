"""The unit of work: load aggregates, let them decide, append what they recorded — one
transaction, events and outbox rows together, never a publish inside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from shared.envelope import Envelope
from shared.eventstore import CommandContext
from shared.kernel import Aggregate, Event, NotFound

A = TypeVar("A", bound=Aggregate)


class Transaction(Protocol):
    """An open transaction on a store (an `AsyncConnection` for PostgreSQL)."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def close(self) -> None: ...

    def in_transaction(self) -> bool: ...


class Store(Protocol):
    """What a unit of work needs of an event store: `shared.eventstore.EventStore` on
    PostgreSQL, `shared.testing.memory.MemoryStore` in unit tests (one contract suite for
    both: `shared/tests/contract`)."""

    async def begin(self) -> Any: ...

    async def load_events(self, stream_id: str, *, conn: Any) -> tuple[list[Event], int]: ...

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        ctx: CommandContext,
        *,
        conn: Any,
        now: dt.datetime | None = None,
    ) -> list[Envelope]: ...


class UnitOfWork:
    """One command's transaction on an event store.

    ``async with uow: h = await uow.get(Household, id); h.exit_poverty(...); await uow.commit()``
    """

    def __init__(
        self, store: Store, ctx: CommandContext, clock: Callable[[], dt.datetime] | None = None
    ) -> None:
        self.store = store
        self.ctx = ctx
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._conn: Any = None
        self._seen: dict[str, Aggregate] = {}
        self._appended: list[Envelope] = []
        self.committed: list[Envelope] = []

    async def __aenter__(self) -> Self:
        self._conn = await self.store.begin()
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
    def conn(self) -> Any:
        """The open transaction (an `AsyncConnection` on PostgreSQL), for adapters that read
        in it."""
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

    async def flush(
        self,
        aggregate: Aggregate,
        ctx: CommandContext | None = None,
        *,
        now: dt.datetime | None = None,
    ) -> list[Envelope]:
        """Append an aggregate's new events now, in this transaction, so that later decisions
        of the same command can cite their event ids; `ctx` for events another actor causes
        (a red flag the rule raises)."""
        self._seen.setdefault(aggregate.stream_id, aggregate)
        pending = aggregate.take_pending()
        if not pending:
            return []
        written = await self.store.append(
            aggregate.stream_id,
            aggregate.version,
            pending,
            ctx or self.ctx,
            conn=self.conn,
            now=now or self._clock(),
        )
        aggregate.version += len(pending)
        self._appended += written
        return written

    async def commit(self) -> list[Envelope]:
        """Append every tracked aggregate's new events, then commit the transaction; the
        envelopes of everything this unit appended (flushed ones first)."""
        now = self._clock()
        for aggregate in list(self._seen.values()):
            await self.flush(aggregate, now=now)
        await self.conn.commit()
        self.committed = self._appended
        return self.committed
