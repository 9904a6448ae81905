"""Reading casework back from the event store, as of a business day (台帐查询).

One entity is its stream replayed; a whole ledger (all items, all petitions ...) is the
store read in global order and grouped by stream. For one town that is a few thousand events;
the projection service is where large, filtered views live.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TypeVar

from shared.codec import decode
from shared.envelope import Envelope
from shared.eventstore import EventStore
from shared.kernel import Aggregate, NotFound

A = TypeVar("A", bound=Aggregate)

#: China has no daylight saving time: Asia/Shanghai is UTC+8 all year.
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
_PAGE = 1000


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in Asia/Shanghai: "as of D" includes all of D's facts."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI)


def replayed(cls: type[A], stream_id: str, envelopes: list[Envelope]) -> A:
    aggregate = cls(stream_id)
    aggregate.replay([decode(e.event_type, e.schema_version, e.payload) for e in envelopes])
    return aggregate


class Ledger:
    """The aggregates of one event store, read as of a day (None: everything recorded)."""

    def __init__(self, store: EventStore) -> None:
        self.store = store

    async def get(self, cls: type[A], stream_id: str, what: str, as_of: dt.date | None = None) -> A:
        """One aggregate as of the day; `NotFound` naming `what` if it had no facts by then."""
        envelopes = await self.store.read_stream(
            stream_id, as_of=end_of_day(as_of) if as_of else None
        )
        if not envelopes:
            raise NotFound(f"{what} {stream_id} 不存在 (does not exist)")
        return replayed(cls, stream_id, envelopes)

    async def all(self, cls: type[A], prefix: str, as_of: dt.date | None = None) -> list[A]:
        """Every aggregate whose stream id starts with `<prefix>-`, in order of creation."""
        cut = end_of_day(as_of) if as_of else None
        streams: dict[str, list[Envelope]] = defaultdict(list)
        after = 0
        while True:
            page = await self.store.read_all(after=after, limit=_PAGE, as_of=cut)
            for env in page:
                if env.stream_id.startswith(f"{prefix}-"):
                    streams[env.stream_id].append(env)
            if len(page) < _PAGE:
                break
            after = page[-1].global_position or after + len(page)
        return [replayed(cls, stream_id, envs) for stream_id, envs in streams.items()]
