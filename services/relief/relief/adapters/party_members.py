"""Relief's own view of the party members (党员名册), built from `party.MemberJoined` on
`party.events` (see `entrypoints/reactions.py`): pairings naming a member are checked against it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from relief.domain.values import KnownMember
from shared.db import Migration, checked_schema
from shared.envelope import Envelope

MIGRATIONS = [
    Migration(
        1,
        "party members view",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.party_members (
            member_id text PRIMARY KEY,
            branch_id text NOT NULL,
            name text NOT NULL,
            village text,
            joined_event uuid,
            joined_at timestamptz)""",
            "CREATE INDEX IF NOT EXISTS party_members_village ON {schema}.party_members (village)",
        ],
    ),
]


class PartyMembersView:
    """The view table: written by the reaction to party's events, read by the handlers."""

    def __init__(self, engine: AsyncEngine, schema: str) -> None:
        self.engine = engine
        self._table = f'"{checked_schema(schema)}".party_members'

    async def add(
        self, conn: AsyncConnection, member: KnownMember, env: Envelope | None = None
    ) -> None:
        """Insert or refresh a member (a replayed event changes nothing)."""
        await conn.execute(
            text(
                f"INSERT INTO {self._table} (member_id, branch_id, name, village, joined_event,"
                " joined_at) VALUES (:m, :b, :n, :v, :e, :t) ON CONFLICT (member_id) DO UPDATE"
                " SET branch_id = EXCLUDED.branch_id, name = EXCLUDED.name,"
                " village = EXCLUDED.village"
            ),
            {
                "m": member.member_id,
                "b": member.branch_id,
                "n": member.name,
                "v": member.village,
                "e": env.event_id if env else None,
                "t": env.occurred_at if env else None,
            },
        )

    async def member(self, member_id: str) -> KnownMember | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        f"SELECT member_id, branch_id, name, village FROM {self._table}"
                        " WHERE member_id = :m"
                    ),
                    {"m": member_id},
                )
            ).first()
        return _member(row._mapping) if row else None

    async def members(self, village: str | None = None, limit: int = 1000) -> list[KnownMember]:
        sql = f"SELECT member_id, branch_id, name, village FROM {self._table}"
        params: dict[str, Any] = {"limit": limit}
        if village:
            sql += " WHERE village = :v"
            params["v"] = village
        async with self.engine.connect() as conn:
            rows = await conn.execute(text(sql + " ORDER BY member_id LIMIT :limit"), params)
        return [_member(r._mapping) for r in rows]


def _member(row: Any) -> KnownMember:
    return KnownMember(
        member_id=row["member_id"],
        branch_id=row["branch_id"],
        name=row["name"],
        village=row["village"],
    )
