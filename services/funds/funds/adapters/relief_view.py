"""The funds service's own view of relief's register of poor households (建档立卡), built from
`relief.events` (`relief.HouseholdRegistered`, `...HouseholdRecordCorrected`, `...ExitedPoverty`,
`...ReturnedToPoverty`).

Only the payload fields that `contracts/README.md` names are read; other relief events are
ignored, and so are other towns' events. Each person (head or member) is a row, so a beneficiary
is matched by their own ID number whether head or member.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from funds.domain.values import ReliefRecord
from shared.clock import china_date
from shared.db import Migration, checked_schema
from shared.envelope import Envelope
from shared.personal.keys import KeyTable
from shared.personal.secret import person_ref
from shared.personal.tokens import ref_of

log = structlog.get_logger(__name__)

HEAD = "户主"

MIGRATIONS = [
    Migration(
        1,
        "view of relief's registered households",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.relief_households (
            household_id text PRIMARY KEY,
            town text NOT NULL,
            village text NOT NULL,
            head_name text NOT NULL,
            head_id_number text NOT NULL,
            registered_on date NOT NULL,
            source_event_id uuid NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now())""",
            """CREATE TABLE IF NOT EXISTS {schema}.relief_people (
            household_id text NOT NULL,
            id_number text NOT NULL,
            name text NOT NULL,
            relation text NOT NULL,
            PRIMARY KEY (household_id, id_number))""",
            "CREATE INDEX IF NOT EXISTS relief_people_id_number ON {schema}.relief_people"
            " (id_number)",
            """CREATE TABLE IF NOT EXISTS {schema}.relief_status_changes (
            seq bigint GENERATED ALWAYS AS IDENTITY,
            event_id uuid PRIMARY KEY,
            household_id text NOT NULL,
            kind text NOT NULL,
            on_date date NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS relief_status_household ON {schema}.relief_status_changes"
            " (household_id)",
        ],
    ),
    Migration(
        2,
        "people matched by their keyed reference (relief's personal fields are encrypted)",
        [
            "ALTER TABLE {schema}.relief_people ADD COLUMN IF NOT EXISTS person_ref text",
            "CREATE INDEX IF NOT EXISTS relief_people_ref ON {schema}.relief_people (person_ref)",
        ],
    ),
]

_CHANGES = {
    "relief.HouseholdExitedPoverty": ("exited", "exited_on"),
    "relief.HouseholdReturnedToPoverty": ("returned", "returned_on"),
}


def _day(payload: dict[str, Any], key: str, env: Envelope) -> dt.date:
    value = payload.get(key)
    return dt.date.fromisoformat(str(value)) if value else china_date(env.occurred_at)


def _id(value: Any) -> str:
    return str(value or "").strip().upper()


def _ref(value: Any) -> str:
    """The keyed reference of an ID number as relief sent it: named by its token, or (an event
    recorded before encryption) computed from the plain number."""
    text_value = str(value or "").strip()
    return ref_of(text_value) or (person_ref(text_value) if text_value else "")


class ReliefHouseholdView:
    """Tables in the funds schema; `apply` is the consumer's handler, `lookup` the rules' port."""

    def __init__(self, schema: str, town_code: str, keys: KeyTable | None = None) -> None:
        self.schema = checked_schema(schema)
        self.town_code = town_code
        #: Opens relief's tokens (names, ID numbers) with the copies of relief's keys.
        self.keys = keys
        self._s = f'"{self.schema}"'

    async def apply(self, conn: AsyncConnection, env: Envelope) -> None:
        """Apply one relief event (inside the consumer's transaction)."""
        if env.town != self.town_code:
            return
        if env.event_type == "relief.HouseholdRegistered":
            await self._registered(conn, env)
        elif env.event_type == "relief.HouseholdRecordCorrected":
            await self._corrected(conn, env)
        elif env.event_type in _CHANGES:
            kind, key = _CHANGES[env.event_type]
            household_id = str(env.payload["household_id"])
            await conn.execute(
                text(
                    f"INSERT INTO {self._s}.relief_status_changes"
                    " (event_id, household_id, kind, on_date) VALUES (:e, :h, :k, :d)"
                    " ON CONFLICT (event_id) DO NOTHING"
                ),
                {"e": env.event_id, "h": household_id, "k": kind, "d": _day(env.payload, key, env)},
            )
            log.info("funds.relief_status_changed", household_id=household_id, kind=kind)

    async def _registered(self, conn: AsyncConnection, env: Envelope) -> None:
        p = env.payload
        household_id = str(p["household_id"])
        head_id = str(p.get("head_id_number") or "").strip()
        if not head_id:
            raise ValueError(f"relief.HouseholdRegistered {env.event_id} has no head_id_number")
        await conn.execute(
            text(
                f"INSERT INTO {self._s}.relief_households (household_id, town, village,"
                " head_name, head_id_number, registered_on, source_event_id)"
                " VALUES (:h, :t, :v, :n, :i, :d, :e) ON CONFLICT (household_id) DO UPDATE SET"
                " village = EXCLUDED.village, head_name = EXCLUDED.head_name,"
                " head_id_number = EXCLUDED.head_id_number,"
                " registered_on = EXCLUDED.registered_on,"
                " source_event_id = EXCLUDED.source_event_id, updated_at = now()"
            ),
            {
                "h": household_id,
                "t": env.town,
                "v": str(p.get("village", "")),
                "n": str(p.get("head_name", "")),
                "i": head_id,
                "d": _day(p, "registered_on", env),
                "e": env.event_id,
            },
        )
        people = await self._write_people(conn, household_id, head_id, p)
        log.info("funds.relief_household_seen", household_id=household_id, people=people)

    async def _corrected(self, conn: AsyncConnection, env: Envelope) -> None:
        """A corrected record (建档信息更正): the head's name and the members as they are now (the
        head's ID number never changes). Unknown households (another town's) are ignored."""
        p = env.payload
        household_id = str(p["household_id"])
        head_id = (
            await conn.execute(
                text(
                    f"UPDATE {self._s}.relief_households SET head_name = :n, updated_at = now()"
                    " WHERE household_id = :h RETURNING head_id_number"
                ),
                {"h": household_id, "n": str(p.get("head_name", ""))},
            )
        ).scalar_one_or_none()
        if head_id is None:
            return
        people = await self._write_people(conn, household_id, str(head_id), p)
        log.info("funds.relief_household_corrected", household_id=household_id, people=people)

    async def _write_people(
        self, conn: AsyncConnection, household_id: str, head_id: str, p: dict[str, Any]
    ) -> int:
        """Replace the household's people: the head, then every member with an ID number; each
        keyed by their reference (`person_ref`), their fields kept as relief sent them."""
        people = {_ref(head_id): (head_id, str(p.get("head_name", "")), HEAD)}
        for member in p.get("members") or []:
            if isinstance(member, dict) and _id(member.get("id_number")):
                people.setdefault(
                    _ref(member["id_number"]),
                    (
                        str(member["id_number"]),
                        str(member.get("name", "")),
                        str(member.get("relation", "")),
                    ),
                )
        await conn.execute(
            text(f"DELETE FROM {self._s}.relief_people WHERE household_id = :h"),
            {"h": household_id},
        )
        await conn.execute(
            text(
                f"INSERT INTO {self._s}.relief_people"
                " (household_id, person_ref, id_number, name, relation)"
                " VALUES (:h, :p, :i, :n, :r)"
            ),
            [
                {"h": household_id, "p": ref, "i": i, "n": n, "r": r}
                for ref, (i, n, r) in people.items()
            ],
        )
        return len(people)

    async def lookup(self, conn: AsyncConnection, id_number: str) -> list[ReliefRecord]:
        """The households the person belongs to (as head or member), with their history."""
        rows = (
            await conn.execute(
                text(
                    f"SELECT h.household_id, h.village, h.registered_on"
                    f" FROM {self._s}.relief_people p JOIN {self._s}.relief_households h"
                    " USING (household_id) WHERE p.person_ref = :r ORDER BY h.household_id"
                ),
                {"r": person_ref(id_number)},
            )
        ).all()
        changes = await self._changes(conn, [r.household_id for r in rows])
        return [
            ReliefRecord(
                r.household_id, r.village, r.registered_on, tuple(changes.get(r.household_id, []))
            )
            for r in rows
        ]

    async def households(
        self, conn: AsyncConnection, village: str | None = None
    ) -> list[dict[str, Any]]:
        """Every household of the view (optionally of one village), with members and history."""
        sql = (
            f"SELECT household_id, village, head_name, head_id_number, registered_on"
            f" FROM {self._s}.relief_households"
        )
        params: dict[str, Any] = {}
        if village is not None:
            sql += " WHERE village = :v"
            params["v"] = village
        rows = (await conn.execute(text(sql + " ORDER BY village, household_id"), params)).all()
        ids = [r.household_id for r in rows]
        people: dict[str, list[dict[str, str]]] = {}
        for m in (
            await conn.execute(
                text(
                    f"SELECT household_id, id_number, name, relation FROM {self._s}.relief_people"
                    " WHERE household_id = ANY(:ids) ORDER BY household_id, id_number"
                ),
                {"ids": ids},
            )
        ).all():
            people.setdefault(m.household_id, []).append(
                {"name": m.name, "id_number": m.id_number, "relation": m.relation}
            )
        changes = await self._changes(conn, ids)
        if self.keys is not None:  # relief's names and ID numbers, opened (or shown erased)
            opened = await self.keys.reveal(
                conn,
                [
                    {"n": r.head_name, "i": r.head_id_number, "m": people.get(r.household_id, [])}
                    for r in rows
                ],
            )
            heads = {r.household_id: (o["n"], o["i"]) for r, o in zip(rows, opened, strict=True)}
            people = {r.household_id: o["m"] for r, o in zip(rows, opened, strict=True)}
        else:
            heads = {r.household_id: (r.head_name, r.head_id_number) for r in rows}
        return [
            {
                "household_id": r.household_id,
                "village": r.village,
                "head_name": heads[r.household_id][0],
                "head_id_number": heads[r.household_id][1],
                "registered_on": r.registered_on,
                "members": people.get(r.household_id, []),
                "record": ReliefRecord(
                    r.household_id,
                    r.village,
                    r.registered_on,
                    tuple(changes.get(r.household_id, [])),
                ),
            }
            for r in rows
        ]

    async def _changes(
        self, conn: AsyncConnection, household_ids: list[str]
    ) -> dict[str, list[tuple[dt.date, str]]]:
        if not household_ids:
            return {}
        found: dict[str, list[tuple[dt.date, str]]] = {}
        for row in (
            await conn.execute(
                text(
                    f"SELECT household_id, kind, on_date FROM {self._s}.relief_status_changes"
                    " WHERE household_id = ANY(:ids) ORDER BY on_date, seq"
                ),
                {"ids": household_ids},
            )
        ).all():
            found.setdefault(row.household_id, []).append((row.on_date, row.kind))
        return found
