"""What one response shows of people's data (个人信息展示): the keys of the tokens in what it
shows, read from the projection's key table (in its home schema, which replays leave alone),
and what it showed unmasked, recorded once in the read-access log when it is done.

An entrypoint makes one `Disclosure` per HTTP response, passes every value it shows through
`shown` (or `rows`) and calls `record` once at the end: one access-log row per response that
showed a personal value unmasked, none for a masked read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from projection.domain.masking import Seen, redact
from shared.personal.access_log import AccessLog, Entry
from shared.personal.declared import Keys, tokens_in
from shared.personal.keys import KeyTable
from shared.roles import Principal

_NONE = Keys({})


@dataclass(slots=True)
class Disclosure:
    """One response's showing of people's data to `principal` (`full`: unmasked)."""

    keys: KeyTable
    log: AccessLog
    engine: AsyncEngine
    principal: Principal
    endpoint: str
    full: bool
    seen: Seen = field(default_factory=Seen)

    async def keys_for(self, conn: AsyncConnection, value: Any) -> Keys:
        """The keys of every token in `value` (one query for all of them)."""
        kids = tokens_in(value)
        return await self.keys.lookup(conn, kids) if kids else _NONE

    async def shown(self, conn: AsyncConnection, value: Any, *, kind: str | None = None) -> Any:
        """`value` as the caller sees it (`masking.redact` with the keys of its tokens)."""
        found = await self.keys_for(conn, value)
        return redact(value, full=self.full, kind=kind, keys=found, seen=self.seen)

    async def rows(
        self,
        conn: AsyncConnection,
        rows: list[dict[str, Any]],
        *,
        kind: Callable[[dict[str, Any]], str | None] = lambda _: None,
    ) -> list[dict[str, Any]]:
        """Rows as the caller sees them (`kind`: a row's entity kind; None for a view row),
        their keys read once for all."""
        found = await self.keys_for(conn, rows)
        return [redact(r, full=self.full, kind=kind(r), keys=found, seen=self.seen) for r in rows]

    async def record(self) -> Entry | None:
        """Record the response in the access log if it showed personal data unmasked (once:
        what it shows after this is not recorded)."""
        if not self.full or self.seen.shown == 0:
            return None
        persons, shown = self.seen.persons, self.seen.shown
        self.seen = Seen()
        async with self.engine.begin() as conn:
            return await self.log.record(conn, self.principal, self.endpoint, persons, shown)
