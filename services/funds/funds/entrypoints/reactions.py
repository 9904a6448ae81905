"""Reactions to other services' events, run by the consumer (which stores its Kafka offsets in
the transaction it hands over): relief's households feed the funds view in that transaction;
supervision's conclusion of a clue opened from a red flag is a command through the pipeline,
recorded on the flag once per clue (a redelivery records nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from funds.adapters.relief_view import ReliefHouseholdView
from funds.application import commands as c
from funds.application.oversight import record_clue_outcome
from funds.application.ports import Deps
from shared.clock import china_date
from shared.envelope import Envelope
from shared.eventstore import CommandContext
from shared.pipeline import WHOLE_TOWN, Pipeline


class Reactions:
    """The funds service's handler for `relief.events` and `supervision.events`."""

    def __init__(
        self, pipeline: Pipeline[Deps], relief: ReliefHouseholdView, town_code: str
    ) -> None:
        self.pipeline = pipeline
        self.relief = relief
        self.town_code = town_code

    async def __call__(self, conn: AsyncConnection, env: Envelope) -> None:
        if env.event_type.startswith("relief."):
            await self.relief.apply(conn, env)
        elif env.event_type == "supervision.ClueConcluded" and env.town == self.town_code:
            await self.clue_concluded(env)

    async def clue_concluded(self, env: Envelope) -> None:
        """Record the clue's outcome on the red flag it came from (idempotent), as the system,
        caused by supervision's event."""
        payload: dict[str, Any] = env.payload
        flag_id = payload.get("red_flag_id")
        if not flag_id:
            return
        value = payload.get("concluded_on")
        concluded_on = dt.date.fromisoformat(str(value)) if value else china_date(env.occurred_at)
        cmd = c.RecordClueOutcome(
            flag_id=str(flag_id),
            clue_id=str(payload["clue_id"]),
            outcome=str(payload["outcome"]),
            concluded_on=concluded_on,
        )
        await self.pipeline.run(record_clue_outcome, cmd, CommandContext.caused_by(env), WHOLE_TOWN)
