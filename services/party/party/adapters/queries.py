"""The service's own lookup tables (查询表): branches, members, training attendance, cadre
adjustment cases and accountability outcomes, for the lists and the training targets.

`Queries` reads them (handlers and GET routes); `LookupTables` writes them from the envelopes
in the same transaction that appends them (see `store.py`), so a read after a command sees it,
and `rebuild` replays them from the event store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.db import Migration, checked_schema
from shared.envelope import Envelope
from shared.eventstore import EventStore

Row = dict[str, Any]

TABLES = ("branch_view", "member_view", "attendance_view", "adjustment_view", "accountability_view")

MIGRATIONS = [
    Migration(
        1,
        "party lookup tables",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.branch_view (
            branch_id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, village text,
            village_code text, established_on date NOT NULL, secretary_member_id text,
            secretary_name text, designated_period text, designated_on date,
            designated_score numeric, designated_rank int)""",
            """CREATE TABLE IF NOT EXISTS {schema}.member_view (
            member_id text PRIMARY KEY, branch_id text NOT NULL, name text NOT NULL,
            status text NOT NULL, joined_on date NOT NULL, joined_party_on date NOT NULL,
            converted_on date, left_on date, degree_level text, degree_enrolled_on date)""",
            "CREATE INDEX IF NOT EXISTS member_view_branch ON {schema}.member_view (branch_id)",
            """CREATE TABLE IF NOT EXISTS {schema}.attendance_view (
            session_id text NOT NULL, member_id text NOT NULL, level text NOT NULL,
            programme text NOT NULL, held_on date NOT NULL, branch_id text,
            PRIMARY KEY (session_id, member_id))""",
            "CREATE INDEX IF NOT EXISTS attendance_view_member"
            " ON {schema}.attendance_view (member_id, held_on)",
            """CREATE TABLE IF NOT EXISTS {schema}.adjustment_view (
            adjustment_id text PRIMARY KEY, cadre_name text NOT NULL, post text NOT NULL,
            village text NOT NULL, step text NOT NULL, opened_on date NOT NULL,
            updated_on date NOT NULL)""",
            """CREATE TABLE IF NOT EXISTS {schema}.accountability_view (
            case_id text PRIMARY KEY, member_id text, subject_name text, kind text NOT NULL,
            matched boolean NOT NULL, reason text, rule_code text, points int,
            decided_on date NOT NULL)""",
        ],
    ),
]

_ADJUSTMENT_STEPS = {
    "party.CadreInvestigationVoted": ("investigated", "investigated_on"),
    "party.CadreAdjustmentNotified": ("notified", "notified_on"),
    "party.CadreAppealLodged": ("appealed", "lodged_on"),
    "party.CadreReappointed": ("reappointed", "reappointed_on"),
}


def _day(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


class Queries:
    """Reads of the lookup tables of one schema (`s` is its quoted name): for the handlers
    (who is a member, which decisions await a member) and the GET routes."""

    def __init__(self, engine: AsyncEngine, schema: str) -> None:
        self.engine = engine
        self.s = f'"{checked_schema(schema)}"'

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


class LookupTables(Queries):
    """The lookup tables in the service's schema: written here, read through `Queries`."""

    def __init__(self, engine: AsyncEngine, schema: str) -> None:
        super().__init__(engine, schema)
        self.migrations = MIGRATIONS
        self._handlers: dict[str, Callable[[AsyncConnection, Row], Awaitable[None]]] = {
            "party.BranchEstablished": self._branch,
            "party.BranchSecretaryAppointed": self._secretary,
            "party.BranchDesignatedWeak": self._designated,
            "party.BranchDesignationLifted": self._lifted,
            "party.MemberJoined": self._member,
            "party.MemberConverted": self._converted,
            "party.MemberTransferred": self._transferred,
            "party.UnqualifiedMemberOutcomeRecorded": self._outcome,
            "party.DegreeEducationEnrolled": self._degree,
            "party.TrainingSessionHeld": self._session,
            "party.CadreInformationGathered": self._adjustment,
            "party.CadreAdjustmentDecided": self._adjustment_decided,
            "party.CadreAppealReviewed": self._adjustment_reviewed,
            "party.AccountabilityMatched": self._accountability,
            "party.AccountabilityUnmatched": self._accountability,
        }
        for event_type in _ADJUSTMENT_STEPS:
            self._handlers[event_type] = self._adjustment_step

    # --- writing ----------------------------------------------------------------------------

    async def apply(self, conn: AsyncConnection, envelopes: Sequence[Envelope]) -> None:
        """Bring the tables up to date with newly appended envelopes (same transaction)."""
        for env in envelopes:
            handler = self._handlers.get(env.event_type)
            if handler is not None:
                payload = dict(env.payload)
                payload["_type"] = env.event_type
                await handler(conn, payload)

    async def rebuild(self, store: EventStore, batch: int = 1000) -> int:
        """Empty the tables and replay every stored event into them; returns the count."""
        count, after = 0, 0
        async with self.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {', '.join(f'{self.s}.{t}' for t in TABLES)}"))
            while envelopes := await store.read_all(after=after, limit=batch):
                await self.apply(conn, envelopes)
                count += len(envelopes)
                after = envelopes[-1].global_position or after
        return count

    async def _x(self, conn: AsyncConnection, sql: str, params: Row | list[Row]) -> None:
        await conn.execute(text(sql.replace("{s}", self.s)), params)

    async def _branch(self, conn: AsyncConnection, p: Row) -> None:
        await self._x(
            conn,
            "INSERT INTO {s}.branch_view (branch_id, name, kind, village, village_code,"
            " established_on) VALUES (:b, :n, :k, :v, :vc, :on) ON CONFLICT DO NOTHING",
            {
                "b": p["branch_id"],
                "n": p["name"],
                "k": p["kind"],
                "v": p["village"],
                "vc": p["village_code"],
                "on": _day(p["established_on"]),
            },
        )

    async def _secretary(self, conn: AsyncConnection, p: Row) -> None:
        await self._x(
            conn,
            "UPDATE {s}.branch_view SET secretary_member_id = :m, secretary_name = :n"
            " WHERE branch_id = :b",
            {"m": p["member_id"], "n": p["name"], "b": p["branch_id"]},
        )

    async def _designated(self, conn: AsyncConnection, p: Row) -> None:
        await self._x(
            conn,
            "UPDATE {s}.branch_view SET designated_period = :p, designated_on = :on,"
            " designated_score = CAST(:score AS numeric), designated_rank = :r"
            " WHERE branch_id = :b",
            {
                "p": p["period"],
                "on": _day(p["designated_on"]),
                "score": str(p["score"]),
                "r": p["rank"],
                "b": p["branch_id"],
            },
        )

    async def _lifted(self, conn: AsyncConnection, p: Row) -> None:
        await self._x(
            conn,
            "UPDATE {s}.branch_view SET designated_period = NULL, designated_on = NULL,"
            " designated_score = NULL, designated_rank = NULL WHERE branch_id = :b",
            {"b": p["branch_id"]},
        )

    async def _member(self, conn: AsyncConnection, p: Row) -> None:
        await self._x(
            conn,
            "INSERT INTO {s}.member_view (member_id, branch_id, name, status, joined_on,"
            " joined_party_on) VALUES (:m, :b, :n, :st, :on, :jp) ON CONFLICT DO NOTHING",
            {
                "m": p["member_id"],
                "b": p["branch_id"],
                "n": p["name"],
                "st": p["membership"],
                "on": _day(p["joined_on"]),
                "jp": _day(p["joined_party_on"]),
            },
        )

    async def _converted(self, conn: AsyncConnection, p: Row) -> None:
        await self._x(
            conn,
            "UPDATE {s}.member_view SET status = 'full', converted_on = :on WHERE member_id = :m",
            {"on": _day(p["converted_on"]), "m": p["member_id"]},
        )

    async def _transferred(self, conn: AsyncConnection, p: Row) -> None:
        await self._x(
            conn,
            "UPDATE {s}.member_view SET branch_id = :b WHERE member_id = :m",
            {"b": p["to_branch_id"], "m": p["member_id"]},
        )

    async def _outcome(self, conn: AsyncConnection, p: Row) -> None:
        if p["outcome"] in ("withdrew", "removed"):
            await self._x(
                conn,
                "UPDATE {s}.member_view SET status = 'left', left_on = :on WHERE member_id = :m",
                {"on": _day(p["recorded_on"]), "m": p["member_id"]},
            )

    async def _degree(self, conn: AsyncConnection, p: Row) -> None:
        await self._x(
            conn,
            "UPDATE {s}.member_view SET degree_level = :l, degree_enrolled_on = :on"
            " WHERE member_id = :m",
            {"l": p["level"], "on": _day(p["enrolled_on"]), "m": p["member_id"]},
        )

    async def _session(self, conn: AsyncConnection, p: Row) -> None:
        await self._x(
            conn,
            "INSERT INTO {s}.attendance_view (session_id, member_id, level, programme, held_on,"
            " branch_id) VALUES (:sid, :m, :l, :pr, :on, :b) ON CONFLICT DO NOTHING",
            [
                {
                    "sid": p["session_id"],
                    "m": member_id,
                    "l": p["level"],
                    "pr": p["programme"],
                    "on": _day(p["held_on"]),
                    "b": p["branch_id"],
                }
                for member_id in p["attendee_ids"]
            ],
        )

    async def _adjustment(self, conn: AsyncConnection, p: Row) -> None:
        on = _day(p["gathered_on"])
        await self._x(
            conn,
            "INSERT INTO {s}.adjustment_view (adjustment_id, cadre_name, post, village, step,"
            " opened_on, updated_on) VALUES (:a, :n, :p, :v, 'gathered', :on, :on)"
            " ON CONFLICT DO NOTHING",
            {
                "a": p["adjustment_id"],
                "n": p["cadre_name"],
                "p": p["post"],
                "v": p["village"],
                "on": on,
            },
        )

    async def _set_step(
        self, conn: AsyncConnection, adjustment_id: str, step: str, on: Any
    ) -> None:
        await self._x(
            conn,
            "UPDATE {s}.adjustment_view SET step = :st, updated_on = :on WHERE adjustment_id = :a",
            {"st": step, "on": _day(on), "a": adjustment_id},
        )

    async def _adjustment_step(self, conn: AsyncConnection, p: Row) -> None:
        step, day_field = _ADJUSTMENT_STEPS[p["_type"]]
        await self._set_step(conn, p["adjustment_id"], step, p[day_field])

    async def _adjustment_decided(self, conn: AsyncConnection, p: Row) -> None:
        step = "decided" if p["decision"] == "adjust" else "kept"
        await self._set_step(conn, p["adjustment_id"], step, p["decided_on"])

    async def _adjustment_reviewed(self, conn: AsyncConnection, p: Row) -> None:
        await self._set_step(conn, p["adjustment_id"], p["result"], p["reviewed_on"])

    async def _accountability(self, conn: AsyncConnection, p: Row) -> None:
        matched = p["_type"] == "party.AccountabilityMatched"
        await self._x(
            conn,
            "INSERT INTO {s}.accountability_view (case_id, member_id, subject_name, kind,"
            " matched, reason, rule_code, points, decided_on) VALUES (:c, :m, :n, :k, :mt, :r,"
            " :rc, :pts, :on) ON CONFLICT (case_id) DO UPDATE SET member_id = EXCLUDED.member_id,"
            " matched = EXCLUDED.matched, reason = EXCLUDED.reason,"
            " rule_code = EXCLUDED.rule_code, points = EXCLUDED.points",
            {
                "c": p["case_id"],
                "m": p["member_id"] if matched else p.get("subject_member_id"),
                "n": p.get("subject_name"),
                "k": p["kind"],
                "mt": matched,
                "r": None if matched else p["reason"],
                "rc": p.get("rule_code"),
                "pts": p.get("points"),
                "on": _day(p["decided_on"]),
            },
        )
