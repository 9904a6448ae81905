"""Reactions to other services' events: relief keeps its own view of the party members from
`party.MemberJoined` (the fields contracts/README.md names: member_id, branch_id, name, village).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from relief.adapters.party_members import PartyMembersView
from relief.domain.values import KnownMember
from shared.consumer import Handler
from shared.envelope import Envelope

PARTY_TOPIC = "party.events"
MEMBER_JOINED = "party.MemberJoined"


def party_member_joined(view: PartyMembersView) -> Handler:
    """The consumer's handler: runs in the transaction that also stores the Kafka offsets, so
    a redelivered event is applied once; other event types are ignored."""

    async def handle(conn: AsyncConnection, env: Envelope) -> None:
        if env.event_type != MEMBER_JOINED:
            return
        payload = env.payload
        village = payload.get("village")
        member = KnownMember(
            member_id=str(payload["member_id"]),
            branch_id=str(payload["branch_id"]),
            name=str(payload["name"]),
            village=str(village) if village else None,
        )
        await view.add(conn, member, env)

    return handle
