"""The party event store: the shared one, and the lookup tables updated in the same
transaction as every append (commands and reactions alike)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from party.adapters.queries import LookupTables
from shared.envelope import Envelope
from shared.eventstore import EventStore


class PartyEventStore(EventStore):
    """`EventStore` whose writes also bring the service's `LookupTables` up to date."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        schema: str,
        topic: str,
        lookups: LookupTables,
        check: Callable[[Envelope], None] | None = None,
    ) -> None:
        super().__init__(engine, schema=schema, topic=topic, check=check)
        self.lookups = lookups

    async def write(self, conn: AsyncConnection, envelopes: Sequence[Envelope]) -> None:
        await super().write(conn, envelopes)
        await self.lookups.apply(conn, envelopes)
