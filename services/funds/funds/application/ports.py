"""What the handlers need from the outside, as protocols (the adapters implement them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from funds.domain.values import ReliefRecord

#: Today's business date (in China: `shared.clock.china_today`); injected so tests and the demo
#: can fix it.
Clock = Callable[[], dt.date]


class ReliefLookup(Protocol):
    """The funds service's view of relief's register (建档立卡), built from `relief.events`."""

    async def lookup(self, conn: AsyncConnection, id_number: str) -> list[ReliefRecord]:
        """The households a person belongs to, as head or member."""
        ...


class Streams(Protocol):
    """Reading many aggregates of one kind at once (lists and checks)."""

    async def stream_ids(self, prefix: str, *, conn: AsyncConnection | None = None) -> list[str]:
        """The ids of every stream whose id starts with `prefix`."""
        ...
