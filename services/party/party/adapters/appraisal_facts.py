"""Party's own table of the appraisal facts supervision counts (`supervision.AppraisalFactsRecorded`
on `supervision.events`): the latest record of each year, the basis of the yearly appraisal.

Written by the reaction in the consumer's transaction (with its Kafka offsets): a redelivered
record changes nothing, and an earlier version of the year's stream (`unitfacts-<year>`) never
replaces a later one, whatever order they arrive in. Only the payload fields of the contract are
read; other towns' records are ignored."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from party.domain.appraisal import AppraisalFacts, UnitFacts
from shared.db import Migration, checked_schema
from shared.envelope import Envelope

log = structlog.get_logger(__name__)

FACTS_RECORDED = "supervision.AppraisalFactsRecorded"
COUNTS = (
    "measures_total",
    "measures_done",
    "items_total",
    "items_overdue",
    "directives_total",
    "directives_on_time",
    "petitions_total",
    "petitions_resolved",
)

MIGRATIONS = [
    Migration(
        1,
        "the appraisal facts supervision counted, latest per year",
        [
            """CREATE TABLE IF NOT EXISTS {schema}.appraisal_facts (
            year int PRIMARY KEY,
            as_of date NOT NULL,
            units jsonb NOT NULL,
            stream_version int NOT NULL,
            event_id uuid NOT NULL,
            recorded_at timestamptz NOT NULL)""",
        ],
    ),
]


def _unit(row: dict[str, Any]) -> UnitFacts:
    return UnitFacts(
        unit=str(row["unit"]),
        kind=str(row["kind"]),
        **{key: int(row.get(key) or 0) for key in COUNTS},
    )


class AppraisalFactsTable:
    """The table in the party schema: `apply` for the reaction, `facts` for the handlers and
    reads."""

    def __init__(self, engine: AsyncEngine, schema: str, town_code: str) -> None:
        self.engine = engine
        self.town_code = town_code
        self._s = f'"{checked_schema(schema)}"'

    async def apply(self, conn: AsyncConnection, env: Envelope) -> None:
        """Keep a year's record unless a later version of it is kept already."""
        if env.event_type != FACTS_RECORDED or env.town != self.town_code:
            return
        p = env.payload
        units = [_unit(u) for u in p.get("units") or []]
        await conn.execute(
            text(
                f"INSERT INTO {self._s}.appraisal_facts AS f (year, as_of, units, stream_version,"
                " event_id, recorded_at) VALUES (:y, :a, CAST(:u AS jsonb), :v, :e, :r)"
                " ON CONFLICT (year) DO UPDATE SET as_of = EXCLUDED.as_of,"
                " units = EXCLUDED.units, stream_version = EXCLUDED.stream_version,"
                " event_id = EXCLUDED.event_id, recorded_at = EXCLUDED.recorded_at"
                " WHERE f.stream_version < EXCLUDED.stream_version"
            ),
            {
                "y": int(p["year"]),
                "a": dt.date.fromisoformat(str(p["as_of"])),
                "u": json.dumps(
                    [
                        {"unit": u.unit, "kind": u.kind, **{k: getattr(u, k) for k in COUNTS}}
                        for u in units
                    ],
                    ensure_ascii=False,
                ),
                "v": env.stream_version,
                "e": env.event_id,
                "r": env.occurred_at,
            },
        )
        log.info(
            "party.appraisal_facts_seen",
            year=p["year"],
            version=env.stream_version,
            units=len(units),
        )

    async def facts(self, year: int) -> AppraisalFacts | None:
        """The latest facts of `year`, or None if supervision recorded none (yet)."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    text(f"SELECT as_of, units FROM {self._s}.appraisal_facts WHERE year = :y"),
                    {"y": year},
                )
            ).one_or_none()
        if row is None:
            return None
        units = row.units if isinstance(row.units, list) else json.loads(row.units)
        return AppraisalFacts(year=year, as_of=row.as_of, units=tuple(_unit(u) for u in units))
