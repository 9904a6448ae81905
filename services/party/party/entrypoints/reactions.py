"""Handlers for other services' events: `supervision.AccountabilityDecided` → points deducted
(the consumer runs them in the transaction that stores its Kafka offsets)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from party.application.accountability import react_to_accountability
from party.application.dependencies import Deps
from shared.consumer import Handler
from shared.envelope import Envelope


def supervision_handler(deps: Deps) -> Handler:
    """The handler subscribed to `supervision.events`; other event types are ignored there."""

    async def handle(conn: AsyncConnection, env: Envelope) -> None:
        await react_to_accountability(deps, conn, env)

    return handle
