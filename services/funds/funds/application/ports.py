"""What the handlers need from the outside, as protocols (the adapters implement them), and
`Deps`, the set of them `bootstrap` injects into the pipeline (a handler's `uow.deps`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from funds.domain.values import ReliefRecord


class ReliefLookup(Protocol):
    """The funds service's view of relief's register (建档立卡), built from `relief.events`."""

    async def lookup(self, conn: Any, id_number: str) -> list[ReliefRecord]:
        """The households a person belongs to, as head or member (read in the command's
        transaction: `uow.conn`)."""
        ...


class Streams(Protocol):
    """Reading many aggregates of one kind at once (lists and checks)."""

    async def stream_ids(self, prefix: str, *, conn: Any = None) -> list[str]:
        """The ids of every stream whose id starts with `prefix`."""
        ...


@dataclass(frozen=True, slots=True)
class Deps:
    """The handlers' dependencies (`uow.deps`), wired by `bootstrap`."""

    relief: ReliefLookup
    streams: Streams
