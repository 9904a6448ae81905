"""Erasing one person (删除个人信息): every service that holds a key of theirs deletes it, once.

The town secretary's erasure command is relief's (`relief.domain.erasure`): it records
`person.ErasureRequested` with the person's keyed reference (never the ID number) on relief's
topic. Every service, relief included, and the projection subscribe to that topic with
`erasure_reaction`: in the consumer's transaction (applied once, whatever the redeliveries) the
service deletes its own key and its copies of others' keys for that reference, publishes a
tombstone for its own, and remembers the reference as erased. From then on every token of that
person shows `tokens.ERASED`; the events, their hashes and every count stay as they were.
"""

from __future__ import annotations

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.consumer import Handler
from shared.envelope import Envelope
from shared.personal.keys import KeyTable

log = structlog.get_logger(__name__)

#: The service that records erasures (its events topic carries them).
ERASURE_OWNER = "relief"
ERASURE_REQUESTED = "person.ErasureRequested"


def erasure_reaction(keys: KeyTable) -> Handler:
    """The consumer handler that erases a person's keys on `person.ErasureRequested`."""

    async def handle(conn: AsyncConnection, env: Envelope) -> None:
        if env.event_type != ERASURE_REQUESTED:
            return
        ref = str(env.payload["person_ref"])
        deleted = await keys.erase(conn, ref, event_id=env.event_id, at=env.recorded_at)
        log.info("personal.erased", owner=keys.owner, person_ref=ref, keys=deleted)

    return handle
