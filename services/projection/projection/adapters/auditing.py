"""The auditor's queries of the event log: a cause chain, the broken chains, and the entries
recorded after the fact (`projection.domain.auditing` says what each means)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from projection.domain.auditing import (
    ASSESSED_KINDS,
    CLOSINGS,
    EXPECTED,
    Closing,
    Policy,
    Step,
    by_scope,
    newest_first,
    reasons_for,
)
from shared.db import checked_schema

#: The most events one chain shows (a bulk import shares one correlation id), the most commands
#: it joins, and how many times it is widened through bridging entities.
CHAIN_LIMIT = 500
MAX_STORIES = 50
ROUNDS = 6
_COLUMNS = (
    "event_id, event_type, stream_id, kind, village, occurred_at, recorded_at, actor_id,"
    " actor_role, causation_id"
)


def step(row: Any, fields: frozenset[str] = frozenset()) -> Step:
    return Step(
        event_id=str(row.event_id),
        event_type=row.event_type,
        stream_id=row.stream_id,
        kind=row.kind,
        village=row.village,
        occurred_at=row.occurred_at,
        recorded_at=row.recorded_at,
        actor_id=row.actor_id,
        actor_role=row.actor_role,
        causation_id=str(row.causation_id) if row.causation_id else None,
        fields=fields,
    )


async def chain(conn: AsyncConnection, schema: str, event_id: str) -> list[Step] | None:
    """The events of `event_id`'s story (None when the event is unknown).

    A story is every event sharing a correlation id with it, widened through the entities that
    bridge two commands: a stream made by a reaction (its first event has a cause, e.g. the clue
    a confirmed red flag opened) or made within the story lends the story its later events and
    their correlations (the accountability decided on that clue, and party's deduction). A
    stream that merely took part (a member whose points changed) is not followed."""
    s = f'"{checked_schema(schema)}"'
    start = (
        await conn.execute(
            text(f"SELECT correlation_id FROM {s}.event_log WHERE event_id = CAST(:e AS uuid)"),
            {"e": event_id},
        )
    ).first()
    if start is None:
        return None
    groups = {start[0]}
    seen: set[str] = set()
    for _ in range(ROUNDS):
        streams = {
            r[0]
            for r in await conn.execute(
                text(
                    f"SELECT DISTINCT stream_id FROM {s}.event_log WHERE correlation_id = ANY(:g)"
                ),
                {"g": list(groups)},
            )
        }
        fresh = streams - seen
        seen |= fresh
        if not fresh:
            break
        firsts = await conn.execute(
            text(
                f"SELECT DISTINCT ON (stream_id) stream_id, correlation_id, causation_id"
                f" FROM {s}.event_log WHERE stream_id = ANY(:s) ORDER BY stream_id, stream_version"
            ),
            {"s": list(fresh)},
        )
        bridges = [r.stream_id for r in firsts if r.causation_id or r.correlation_id in groups]
        if not bridges:
            break
        more = {
            r[0]
            for r in await conn.execute(
                text(
                    f"SELECT DISTINCT correlation_id FROM {s}.event_log WHERE stream_id = ANY(:b)"
                ),
                {"b": bridges},
            )
        }
        if more <= groups or len(groups | more) > MAX_STORIES:
            break
        groups |= more
    rows = await conn.execute(
        text(
            f"SELECT {_COLUMNS}, (SELECT array_agg(k) FROM jsonb_each(payload) AS f(k, v)"
            " WHERE v <> 'null'::jsonb) AS fields"
            f" FROM {s}.event_log WHERE correlation_id = ANY(:g)"
            " ORDER BY recorded_at, event_id LIMIT :n"
        ),
        {"g": list(groups), "n": CHAIN_LIMIT},
    )
    return [step(r, frozenset(r.fields or ())) for r in rows] or None


async def broken(
    conn: AsyncConnection, schema: str, *, until: dt.datetime, grace: dt.timedelta
) -> list[tuple[Step, str]]:
    """Causes recorded by `until - grace` whose expected effect was not logged by `until`."""
    s = f'"{checked_schema(schema)}"'
    found: list[tuple[Step, str]] = []
    for expected in EXPECTED:
        needs = f" AND c.payload->>'{expected.needs}' IS NOT NULL" if expected.needs else ""
        rows = await conn.execute(
            text(
                f"SELECT {', '.join('c.' + c.strip() for c in _COLUMNS.split(','))}"
                f" FROM {s}.event_log c WHERE c.event_type = :cause AND c.recorded_at <= :before"
                f"{needs} AND NOT EXISTS (SELECT 1 FROM {s}.event_log e"
                " WHERE e.causation_id = c.event_id AND e.event_type = ANY(:effects)"
                " AND e.recorded_at <= :until) ORDER BY c.recorded_at, c.event_id"
            ),
            {
                "cause": expected.cause,
                "effects": list(expected.effects),
                "before": until - grace,
                "until": until,
            },
        )
        found += [(step(r), expected.what) for r in rows]
    return found


#: The log's entries not recorded on the day they happened (`domain.auditing.off_the_day`),
#: written as the partial index `event_log_off_the_day` is, so that the planner uses it.
OFF_THE_DAY_SQL = (
    "(e.recorded_at - e.occurred_at > interval '1 day'"
    " OR e.occurred_at - e.recorded_at > interval '1 day')"
)
#: A closing's period as dates (the forms `domain.auditing.period_days` reads).
_PERIODS = """
    SELECT event_type, village, payload->>'period' AS period, recorded_at,
           make_date(y, CASE WHEN k = 'Q' THEN 3 * n - 2 WHEN k = 'H' THEN 6 * n - 5 ELSE 1 END, 1)
             AS first_day,
           make_date(y, CASE WHEN k = 'Q' THEN 3 * n - 2 WHEN k = 'H' THEN 6 * n - 5 ELSE 1 END, 1)
             + CASE WHEN k = 'Q' THEN interval '3 months' WHEN k = 'H' THEN interval '6 months'
                    ELSE interval '1 year' END - interval '1 day' AS last_day
    FROM (SELECT *, left(p, 4)::int AS y, substr(p, 5, 1) AS k,
                 CASE WHEN length(p) = 6 THEN right(p, 1)::int ELSE 0 END AS n
          FROM (SELECT *, upper(replace(trim(payload->>'period'), '-', '')) AS p
                FROM {s}.event_log WHERE event_type = ANY(:closing)) AS c
          WHERE p ~ '^[0-9]{{4}}(Q[1-4]|H[12])?$') AS c
    WHERE y BETWEEN 1900 AND 2200"""


async def backdated(
    conn: AsyncConnection, schema: str, rules: Policy, *, until: dt.datetime | None
) -> list[tuple[Step, list[str]]]:
    """Entries recorded (by `until`) long after their date, dated ahead of their recording, or
    dated into a period already closed (`reasons_for`): the SQL finds the candidates (entries
    off their day, through their partial index; entries dated into a closed period, joined on
    the village or the assessed kinds), the domain's rule decides."""
    s = f'"{checked_schema(schema)}"'
    by_until = " AND e.recorded_at <= :until" if until is not None else ""
    params: dict[str, Any] = {
        "late": rules.late_after,
        "ahead": rules.future_after,
        "closing": list(CLOSINGS),
        "kinds": sorted(ASSESSED_KINDS),
    }
    if until is not None:
        params["until"] = until
    cols = ", ".join("e." + c.strip() for c in _COLUMNS.split(","))
    periods = _PERIODS.format(s=s)
    closings = [
        Closing(r.event_type, r.village, str(r.period), r.recorded_at)
        for r in await conn.execute(text(periods), params)
    ]
    local_day = "(e.occurred_at AT TIME ZONE 'Asia/Shanghai')::date"
    into = f" AND e.recorded_at > d.recorded_at AND {local_day} BETWEEN d.first_day AND d.last_day"
    # the closings' periods are worked out once (a materialised CTE), not for every pair
    candidates = await conn.execute(
        text(
            f"WITH d AS MATERIALIZED ({periods})"
            f" SELECT {cols} FROM {s}.event_log e WHERE {OFF_THE_DAY_SQL}"
            " AND (e.recorded_at - e.occurred_at > :late OR e.occurred_at - e.recorded_at > :ahead)"
            f"{by_until}"
            f" UNION SELECT {cols} FROM d JOIN {s}.event_log e"
            " ON d.event_type = 'funds.FinanceDisclosed' AND e.village = d.village"
            f" AND e.event_type LIKE 'funds.%' AND e.event_type <> d.event_type{into}{by_until}"
            f" UNION SELECT {cols} FROM d JOIN {s}.event_log e"
            " ON d.event_type = 'party.AssessmentConcluded' AND e.event_type LIKE 'party.%'"
            f" AND e.kind = ANY(:kinds){into}{by_until}"
        ),
        params,
    )
    scoped = by_scope(closings)
    flagged = []
    for row in candidates:
        entry = step(row)
        reasons = reasons_for(entry, scoped, rules)
        if reasons:
            flagged.append((entry, reasons))
    return newest_first(flagged)


async def changed_after(
    conn: AsyncConnection,
    schema: str,
    *,
    day_end: dt.datetime,
    services: list[str],
    village: str | None,
) -> tuple[int, dt.datetime | None]:
    """How many entries of `services` dated by `day_end` were recorded after it, and more than a
    day after they happened (they changed every figure "as of" that day after it was first
    shown), and the last recording time."""
    s = f'"{checked_schema(schema)}"'
    by_village = " AND e.village = :v" if village else ""
    row = (
        await conn.execute(
            text(
                f"SELECT count(*), max(e.recorded_at) FROM {s}.event_log e"
                f" WHERE {OFF_THE_DAY_SQL} AND e.occurred_at <= :d AND e.recorded_at > :d"
                f" AND split_part(e.event_type, '.', 1) = ANY(:services){by_village}"
            ),
            {"d": day_end, "services": services, "v": village},
        )
    ).one()
    return int(row[0]), row[1]


class AuditQueries:
    """The auditor's questions as `Snapshot` methods (the reference answers the same ones by
    brute force: `reference_auditing.ReferenceAudit`)."""

    conn: AsyncConnection
    schema: str

    async def chain(self, event_id: str) -> list[Step] | None:
        return await chain(self.conn, self.schema, event_id)

    async def broken_chains(
        self, *, until: dt.datetime, grace: dt.timedelta
    ) -> list[tuple[Step, str]]:
        return await broken(self.conn, self.schema, until=until, grace=grace)

    async def backdated(
        self, rules: Policy, *, until: dt.datetime | None
    ) -> list[tuple[Step, list[str]]]:
        return await backdated(self.conn, self.schema, rules, until=until)

    async def changed_after(
        self, *, day_end: dt.datetime, services: list[str], village: str | None
    ) -> tuple[int, dt.datetime | None]:
        return await changed_after(
            self.conn, self.schema, day_end=day_end, services=services, village=village
        )
