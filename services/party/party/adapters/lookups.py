"""Reading the party lookup tables (see `views.py`, which writes them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

Row = dict[str, Any]


class Lookups:
    """Queries on the lookup tables of one schema (`s` is its quoted name)."""

    engine: AsyncEngine
    s: str

    async def _rows(self, sql: str, params: Row | None = None) -> list[Row]:
        async with self.engine.connect() as conn:
            result = await conn.execute(text(sql.replace("{s}", self.s)), params or {})
            return [dict(r._mapping) for r in result]

    async def branches(
        self, *, village: str | None = None, kind: str | None = None, designated: bool = False
    ) -> list[Row]:
        sql = "SELECT * FROM {s}.branch_view WHERE TRUE"
        params: Row = {}
        if village is not None:
            sql += " AND village = :v"
            params["v"] = village
        if kind is not None:
            sql += " AND kind = :k"
            params["k"] = kind
        if designated:
            sql += " AND designated_period IS NOT NULL"
        return await self._rows(sql + " ORDER BY branch_id", params)

    async def branch(self, branch_id: str) -> Row | None:
        rows = await self._rows(
            "SELECT * FROM {s}.branch_view WHERE branch_id = :b", {"b": branch_id}
        )
        return rows[0] if rows else None

    async def members(self, *, branch_id: str | None = None, active: bool = True) -> list[Row]:
        sql = "SELECT * FROM {s}.member_view WHERE TRUE"
        params: Row = {}
        if branch_id is not None:
            sql += " AND branch_id = :b"
            params["b"] = branch_id
        if active:
            sql += " AND status <> 'left'"
        return await self._rows(sql + " ORDER BY member_id", params)

    async def members_by_id(self, member_ids: Sequence[str]) -> dict[str, Row]:
        rows = await self._rows(
            "SELECT * FROM {s}.member_view WHERE member_id = ANY(:ids)", {"ids": list(member_ids)}
        )
        return {str(r["member_id"]): r for r in rows}

    async def attendance(
        self, year: int, as_of: dt.date, member_ids: Sequence[str] | None = None
    ) -> list[Row]:
        sql = (
            "SELECT * FROM {s}.attendance_view WHERE held_on >= :start AND held_on <= :end"
            " AND held_on <= :as_of"
        )
        params: Row = {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31), "as_of": as_of}
        if member_ids is not None:
            sql += " AND member_id = ANY(:ids)"
            params["ids"] = list(member_ids)
        return await self._rows(sql + " ORDER BY held_on, session_id", params)

    async def adjustments(self, *, village: str | None = None) -> list[Row]:
        sql = "SELECT * FROM {s}.adjustment_view"
        params: Row = {}
        if village is not None:
            sql += " WHERE village = :v"
            params["v"] = village
        return await self._rows(sql + " ORDER BY opened_on, adjustment_id", params)

    async def awaiting(self, member_id: str) -> list[str]:
        """Cases decided for this member id before it was registered here."""
        rows = await self._rows(
            "SELECT case_id FROM {s}.accountability_view WHERE member_id = :m"
            " AND NOT matched AND reason = 'unknown_member' ORDER BY decided_on, case_id",
            {"m": member_id},
        )
        return [str(r["case_id"]) for r in rows]

    async def accountability(self, *, matched: bool | None = None) -> list[Row]:
        sql = "SELECT * FROM {s}.accountability_view"
        params: Row = {}
        if matched is not None:
            sql += " WHERE matched = :m"
            params["m"] = matched
        return await self._rows(sql + " ORDER BY decided_on, case_id", params)
