"""An event store in memory (内存事件存储) for unit tests of domain and handlers: the same
`begin` / `load_events` / `append` as `shared.eventstore.EventStore`, run through the same
contract suite (`shared/tests/contract`), so a handler test needs no database and runs in
milliseconds.

Like PostgreSQL's, a transaction sees its own appends, publishes nothing until it commits, and
loses a race to a writer that committed the same stream first (`ConcurrencyConflict`). Events
are stored as encoded envelopes and decoded (through the upcasters) when loaded, as the real
store does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from shared.codec import decode
from shared.envelope import GENESIS_HASH, Envelope
from shared.eventstore import ANY_VERSION, CommandContext, seal
from shared.kernel import ConcurrencyConflict, Event


@dataclass
class MemoryTransaction:
    """One open transaction: its own appends, by stream, until it commits."""

    store: MemoryStore
    pending: dict[str, list[Envelope]] = field(default_factory=dict)
    open: bool = True

    def stream(self, stream_id: str) -> list[Envelope]:
        return self.store.streams.get(stream_id, []) + self.pending.get(stream_id, [])

    def in_transaction(self) -> bool:
        return self.open

    async def commit(self) -> None:
        if self.store.conflicts_to_raise:
            self.store.conflicts_to_raise -= 1
            self.open = False
            raise ConcurrencyConflict("another writer won the race (injected)")
        for stream_id, envelopes in self.pending.items():
            stored = self.store.streams.get(stream_id, [])
            if len(stored) + 1 != envelopes[0].stream_version:
                self.open = False
                raise ConcurrencyConflict(
                    f"stream {stream_id} was changed by another writer; reload and retry"
                )
        for stream_id, envelopes in self.pending.items():
            self.store.streams.setdefault(stream_id, []).extend(envelopes)
            self.store.log.extend(envelopes)
        self.pending = {}
        self.open = False

    async def rollback(self) -> None:
        self.pending = {}
        self.open = False

    async def close(self) -> None:
        self.open = False


@dataclass
class MemoryStore:
    """Streams of sealed envelopes in memory; `log` is every committed envelope in order."""

    streams: dict[str, list[Envelope]] = field(default_factory=dict)
    log: list[Envelope] = field(default_factory=list)
    #: How many of the next commits lose a race (to test a retry policy).
    conflicts_to_raise: int = 0

    async def begin(self) -> MemoryTransaction:
        return MemoryTransaction(self)

    async def load_events(
        self, stream_id: str, *, conn: MemoryTransaction | None = None
    ) -> tuple[list[Event], int]:
        envelopes = conn.stream(stream_id) if conn else self.streams.get(stream_id, [])
        events = [decode(e.event_type, e.schema_version, e.payload) for e in envelopes]
        return events, len(envelopes)

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        ctx: CommandContext,
        *,
        conn: MemoryTransaction | None = None,
        now: dt.datetime | None = None,
    ) -> list[Envelope]:
        if conn is None:
            own = await self.begin()
            written = await self.append(stream_id, expected_version, events, ctx, conn=own, now=now)
            await own.commit()
            return written
        if not events:
            return []
        current = conn.stream(stream_id)
        if expected_version != ANY_VERSION and len(current) != expected_version:
            raise ConcurrencyConflict(
                f"stream {stream_id} is at version {len(current)}, not {expected_version}"
            )
        prev_hash = current[-1].hash if current else GENESIS_HASH
        envelopes = seal(
            stream_id, len(current), prev_hash, events, ctx, now or dt.datetime.now(dt.UTC)
        )
        conn.pending.setdefault(stream_id, []).extend(envelopes)
        return envelopes

    def given(self, stream_id: str, *events: Event, ctx: CommandContext) -> list[Envelope]:
        """Store events as history (given …), committed at once."""
        current = self.streams.get(stream_id, [])
        prev_hash = current[-1].hash if current else GENESIS_HASH
        envelopes = seal(
            stream_id,
            len(current),
            prev_hash,
            events,
            ctx,
            ctx.occurred_at or dt.datetime.now(dt.UTC),
        )
        self.streams.setdefault(stream_id, []).extend(envelopes)
        self.log.extend(envelopes)
        return envelopes

    def events(self, stream_id: str) -> list[Event]:
        """A stream's events as stored, decoded."""
        return [
            decode(e.event_type, e.schema_version, e.payload)
            for e in self.streams.get(stream_id, [])
        ]
