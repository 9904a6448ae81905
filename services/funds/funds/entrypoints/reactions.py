"""Reactions to other services' events, run by the consumer inside the transaction that also
stores its Kafka offsets: relief's households feed the funds view; supervision's conclusion of
a clue opened from a red flag is recorded on the flag (once per clue)."""

from __future__ import annotations

import datetime as dt

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from funds.adapters.relief_view import ReliefHouseholdView
from funds.domain.identity import red_flag_stream
from funds.domain.red_flag import RedFlag
from shared.clock import china_date
from shared.envelope import Envelope
from shared.eventstore import CommandContext, EventStore
from shared.kernel import ConcurrencyConflict

log = structlog.get_logger(__name__)

#: Attempts to append an outcome when a command changes the same flag at the same moment.
ATTEMPTS = 5


class Reactions:
    """The funds service's handler for `relief.events` and `supervision.events`."""

    def __init__(self, store: EventStore, relief: ReliefHouseholdView, town_code: str) -> None:
        self.store = store
        self.relief = relief
        self.town_code = town_code

    async def __call__(self, conn: AsyncConnection, env: Envelope) -> None:
        if env.event_type.startswith("relief."):
            await self.relief.apply(conn, env)
        elif env.event_type == "supervision.ClueConcluded" and env.town == self.town_code:
            await self.clue_concluded(conn, env)

    async def clue_concluded(self, conn: AsyncConnection, env: Envelope) -> None:
        """Record the clue's outcome on the red flag it came from (idempotent)."""
        payload = env.payload
        flag_id = payload.get("red_flag_id")
        if not flag_id:
            return
        stream_id = red_flag_stream(str(flag_id))
        value = payload.get("concluded_on")
        concluded_on = dt.date.fromisoformat(str(value)) if value else china_date(env.occurred_at)
        for _ in range(ATTEMPTS):
            events, version = await self.store.load_events(stream_id, conn=conn)
            if version == 0:
                log.warning("funds.clue_for_unknown_flag", flag_id=flag_id, event_id=env.event_id)
                return
            flag = RedFlag(stream_id)
            flag.replay(events)
            flag.version = version
            if not flag.record_outcome(
                str(payload["clue_id"]), str(payload["outcome"]), concluded_on
            ):
                return
            try:
                await self.store.append(
                    stream_id,
                    version,
                    flag.take_pending(),
                    CommandContext.caused_by(env),
                    conn=conn,
                )
            except ConcurrencyConflict:
                continue
            log.info("funds.red_flag_outcome_recorded", flag_id=flag_id, outcome=payload["outcome"])
            return
        raise ConcurrencyConflict(f"{stream_id} kept changing; the outcome will be retried")
