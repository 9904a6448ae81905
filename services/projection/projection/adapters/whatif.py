"""推演 runs: history replayed under a changed rule into a scratch generation `<home>_whatif`.

One run at a time (a PostgreSQL advisory lock held while it runs, so two projection processes
cannot run two), bounded in time (`seconds`) and in memory (the live event log is read in
chunks, in stream order, inside one REPEATABLE READ transaction, and folded by the projector
a chunk at a time). The run builds `<home>_whatif_next` and renames it into place only when it
is complete, so a reader sees the previous run or this one, never half of one. The live
generation is only read. A finished run is dropped `keep` after it ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from projection.adapters.generations import Generations
from projection.adapters.projector import Projector
from projection.adapters.reader import Entity, Snapshot, entities_where, logged_envelope
from projection.adapters.schema import MIGRATIONS
from projection.domain.catalogue import RULES
from projection.domain.whatif import Change, ChangedRule, Replayed
from shared.clock import utc_now
from shared.db import checked_schema, lock_key, migrate
from shared.envelope import Envelope

log = structlog.get_logger(__name__)

RUN_TABLES = [
    """CREATE TABLE {schema}.whatif_run (
        rule jsonb NOT NULL,
        label text NOT NULL,
        asked_by text NOT NULL,
        live_schema text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        events_read bigint NOT NULL,
        events_refused bigint NOT NULL,
        seconds double precision NOT NULL)""",
    """CREATE TABLE {schema}.whatif_refusals (
        event_id uuid PRIMARY KEY,
        stream_id text NOT NULL,
        event_type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        reason text NOT NULL)""",
]
_INPUTS = (
    "SELECT event_id, event_type, schema_version, stream_id, stream_version, occurred_at,"
    " recorded_at, actor_id, actor_role, correlation_id, causation_id, town, payload,"
    " prev_hash, hash FROM {live}.event_log WHERE event_type = ANY(:types)"
    " ORDER BY stream_id, stream_version, event_id"
)
_READ = (
    "SELECT event_id, event_type, schema_version, stream_id, stream_version, occurred_at,"
    " recorded_at, actor_id, actor_role, correlation_id, causation_id, town, payload,"
    " prev_hash, hash FROM {live}.event_log"
    " WHERE (stream_id, stream_version, event_id) > (:s, :v, :e)"
    " ORDER BY stream_id, stream_version, event_id LIMIT :n"
)


def scratch_schema(live_schema: str) -> str:
    """The what-if generation beside a data schema `<home>_g<N>` (or beside the home)."""
    home = re.sub(r"_g\d+$", "", live_schema)
    return checked_schema(f"{home}_whatif")


class Busy(Exception):
    """A what-if is running already (here or in another projection process)."""


@dataclass
class Running:
    """The run in progress in this process."""

    rule: ChangedRule
    asked_by: str
    started_at: dt.datetime
    total: int = 0
    read: int = 0
    refused: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "status": "running",
            "rule": self.rule.to_json(),
            "label": self.rule.label,
            "asked_by": self.asked_by,
            "started_at": self.started_at.isoformat(),
            "events_total": self.total,
            "events_read": self.read,
            "events_refused": self.refused,
        }


@dataclass
class WhatIfs:
    """Starts what-if runs and drops them when they expire."""

    engine: AsyncEngine
    generations: Generations
    town: str | None
    seconds: float = 600.0
    keep: dt.timedelta = dt.timedelta(hours=24)
    chunk: int = 5000
    running: Running | None = None
    last_error: str = ""
    _task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def schema(self) -> str:
        return scratch_schema(self.generations.home)

    def start(self, rule: ChangedRule, asked_by: str) -> Running:
        """Start a run in the background; Busy if one is running."""
        if self.running is not None:
            raise Busy
        run = Running(rule, asked_by, utc_now())
        self.running = run
        self.last_error = ""
        self._task = asyncio.create_task(self._run_locked(run))
        return run

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run_locked(self, run: Running) -> None:
        try:
            async with self.engine.connect() as lock_conn:
                key = lock_key("whatif", self.generations.home)
                got = (
                    await lock_conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
                ).scalar_one()
                await lock_conn.commit()
                if not got:
                    raise Busy
                try:
                    await asyncio.wait_for(self._run(run), timeout=self.seconds)
                finally:
                    await lock_conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    await lock_conn.commit()
        except Busy:
            self.last_error = "另一推演正在运行 (another what-if is running)"
        except TimeoutError:
            self.last_error = (
                f"推演超过 {int(self.seconds)} 秒未完成，已中止 (the what-if exceeded its time)"
            )
        except Exception as exc:  # a failed run is reported on the page, never half-kept
            log.exception("whatif.failed")
            self.last_error = f"推演失败 (failed)：{type(exc).__name__}: {exc}"
        finally:
            if self.last_error:
                await self._drop(f"{self.schema}_next")
            self.running = None

    async def _run(self, run: Running) -> None:
        started = time.perf_counter()
        next_schema = checked_schema(f"{self.schema}_next")
        await self._drop(next_schema)
        await migrate(self.engine, next_schema, "projection", MIGRATIONS)
        async with self.engine.begin() as conn:
            for ddl in RUN_TABLES:
                await conn.execute(text(ddl.format(schema=f'"{next_schema}"')))
        # the replay comes stream by stream: a few heads cached are enough (memory stays flat)
        projector = Projector(next_schema, RULES, town=self.town, cache_size=2_000)
        replay = run.rule.replay()
        async with self.engine.connect() as source:
            source = await source.execution_options(isolation_level="REPEATABLE READ")
            async with source.begin():
                live = await self.generations.current(source)
                run.total = await _count(source, live)
                if run.rule.inputs:  # what the rule reads first (the assessments' rankings)
                    for row in await source.execute(
                        text(_INPUTS.format(live=f'"{live}"')), {"types": list(run.rule.inputs)}
                    ):
                        replay.learn(logged_envelope(row))
                after: dict[str, Any] = {"s": "", "v": 0, "e": uuid.UUID(int=0)}
                stream: str | None = None
                while True:
                    rows = list(
                        await source.execute(
                            text(_READ.format(live=f'"{live}"')), {**after, "n": self.chunk}
                        )
                    )
                    folded: list[Envelope] = []
                    changes: list[Change] = []
                    for row in rows:
                        env = logged_envelope(row)
                        if stream is not None and env.stream_id != stream:
                            _take(replay.ended(stream), folded, changes)
                        stream = env.stream_id
                        _take(replay.replayed(env), folded, changes)
                    if not rows and stream is not None:
                        _take(replay.ended(stream), folded, changes)
                    async with self.engine.begin() as sink:
                        await sink.execute(text("SELECT 1"))  # BEGIN is sent lazily
                        await projector.apply(sink, folded)
                        await _record_changes(sink, next_schema, changes)
                    run.read += len(rows)
                    run.refused += len(changes)
                    if not rows:
                        break
                    last = rows[-1]
                    after = {"s": last.stream_id, "v": last.stream_version, "e": last.event_id}
        seconds = time.perf_counter() - started
        async with self.engine.begin() as conn:
            await conn.execute(
                text(
                    f'INSERT INTO "{next_schema}".whatif_run (rule, label, asked_by, live_schema,'
                    " started_at, finished_at, events_read, events_refused, seconds) VALUES"
                    " (CAST(:rule AS jsonb), :label, :by, :live, :started, :finished, :read,"
                    " :refused, :seconds)"
                ),
                {
                    "rule": json.dumps(run.rule.to_json()),
                    "label": run.rule.label,
                    "by": run.asked_by,
                    "live": live,
                    "started": run.started_at,
                    "finished": utc_now(),
                    "read": run.read,
                    "refused": run.refused,
                    "seconds": round(seconds, 3),
                },
            )
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            await conn.execute(text(f'ALTER SCHEMA "{next_schema}" RENAME TO "{self.schema}"'))
        log.info(
            "whatif.done", rule=run.rule.to_json(), read=run.read, refused=run.refused, s=seconds
        )

    async def expire(self, now: dt.datetime | None = None) -> bool:
        """Drop the last run if it ended more than `keep` ago; whether one was dropped."""
        now = now or utc_now()
        async with self.engine.begin() as conn:
            ended = await finished_at(conn, self.schema)
            if ended is None or now - ended <= self.keep or self.running is not None:
                return False
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
        log.info("whatif.expired", schema=self.schema)
        return True

    async def expire_every(self, interval: float = 60.0) -> None:
        """The background task that drops expired runs."""
        while True:
            try:
                await self.expire()
            except Exception:  # the database away for a while: try again next time
                log.warning("whatif.expire_failed", exc_info=True)
            await asyncio.sleep(interval)

    async def _drop(self, schema: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{checked_schema(schema)}" CASCADE'))


async def finished_at(conn: AsyncConnection, schema: str) -> dt.datetime | None:
    """When the run in `schema` ended (None: no run there)."""
    exists = (
        await conn.execute(text("SELECT to_regclass(:t)"), {"t": f'"{schema}".whatif_run'})
    ).scalar_one()
    if exists is None:
        return None
    value = (
        await conn.execute(text(f'SELECT finished_at FROM "{schema}".whatif_run LIMIT 1'))
    ).scalar_one_or_none()
    return value if isinstance(value, dt.datetime) else None


async def _count(conn: AsyncConnection, live: str) -> int:
    return int((await conn.execute(text(f'SELECT count(*) FROM "{live}".event_log'))).scalar_one())


def _take(replayed: Replayed, folded: list[Envelope], changes: list[Change]) -> None:
    folded += replayed.envelopes
    changes += replayed.changes


async def _record_changes(conn: AsyncConnection, schema: str, changes: list[Change]) -> None:
    if not changes:
        return
    await conn.execute(
        text(
            f'INSERT INTO "{schema}".whatif_refusals (event_id, stream_id, event_type,'
            " occurred_at, reason) VALUES (CAST(:e AS uuid), :s, :t, :o, :r)"
        ),
        [
            {
                "e": f.event_id,
                "s": f.stream_id,
                "t": f.event_type,
                "o": f.occurred_at,
                "r": f.reason,
            }
            for f in changes
        ],
    )


@dataclass(frozen=True, slots=True)
class WhatIfResult:
    """The last finished run: what was asked, its changes by stream, and a snapshot of its
    generation read in the caller's transaction."""

    run: dict[str, Any]
    refusals: dict[str, list[dict[str, Any]]]
    snapshot: Snapshot

    async def differing(
        self,
        live: Snapshot,
        kinds: Sequence[str],
        *,
        cutoff: dt.datetime | None,
        village: str | None,
    ) -> list[tuple[str, Entity | None, Entity | None]]:
        """Every entity of these kinds whose status differs between the live generation and
        this one as of `cutoff` (or that is in one only): found by one join in SQL, then read
        from each side."""
        clause, params = entities_where(list(kinds), cutoff, village)
        sql = (
            "SELECT coalesce(a.stream_id, b.stream_id) AS stream_id"
            f" FROM (SELECT stream_id, status FROM {_q(live.schema)}.entity_state WHERE {clause}) a"
            f" FULL JOIN (SELECT stream_id, status FROM {_q(self.snapshot.schema)}.entity_state"
            f" WHERE {clause}) b ON a.stream_id = b.stream_id"
            " WHERE a.status IS DISTINCT FROM b.status"
            " OR a.stream_id IS NULL OR b.stream_id IS NULL"
            " ORDER BY 1"
        )
        streams = [str(r[0]) for r in await live.conn.execute(text(sql), params)]
        return [
            (
                sid,
                await live.entity(sid, cutoff=cutoff),
                await self.snapshot.entity(sid, cutoff=cutoff),
            )
            for sid in streams
        ]


def _q(schema: str) -> str:
    return f'"{checked_schema(schema)}"'


async def last_result(conn: AsyncConnection, live_schema: str) -> WhatIfResult | None:
    """The last finished run beside `live_schema` (None when there is none, or it expired)."""
    schema = scratch_schema(live_schema)
    if await finished_at(conn, schema) is None:
        return None
    row = (
        await conn.execute(
            text(
                "SELECT rule, label, asked_by, finished_at, events_read, events_refused, seconds"
                f' FROM "{schema}".whatif_run LIMIT 1'
            )
        )
    ).first()
    if row is None:
        return None
    rows = await conn.execute(
        text(
            "SELECT event_id, stream_id, event_type, occurred_at, reason"
            f' FROM "{schema}".whatif_refusals ORDER BY stream_id, occurred_at'
        )
    )
    refusals: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        refusals.setdefault(r.stream_id, []).append(dict(r._mapping))
    return WhatIfResult(dict(row._mapping), refusals, Snapshot(conn, schema))
