"""The consumer's batch handler: envelopes in; the event log and the entities' states by day out.

Runs inside the shared consumer's transaction, which also stores the Kafka offsets (exactly-once
effect). For each batch:
1. envelopes of another town are skipped (counted: a county's views are roll-ups of town views),
   and so are events already in the event log (a redelivery: the log's event id is the dedupe
   key, so the consumer does not keep a second list of processed ids);
2. each event is folded onto its entity's newest state, in memory: states come from a bounded
   in-process cache, and the streams the cache lacks are read in one query;
3. the batch's log rows go in with one COPY, and every entity-day row the batch touched with one
   upsert (arrays + `unnest`), through asyncpg directly.

`entity_state` keeps one row per entity per China business day on which it changed, not one per
event: `valid_from` is the first instant of that day, `valid_to` the first instant of the day of
the entity's next row ('infinity' for the newest). Every "as of" is the end of a day, so the
state as of D is the row with `valid_from < after_day(D) <= valid_to`: an index lookup per entity.
Business time may be entered out of order. "As of" D means what the owning service means by it
(shared/readers.py): the fold, in version order, of the stream's events dated by D; an event dated
before the stream's first counts from the first one's day (nothing exists before it is created).
An event entered after a later-dated one therefore changes every row from its own day on: such a
stream is rewritten whole in the batch (`_rows_for`, `_fold_into`), its counts corrected by what
each changed row counted before and after. The event is always the stream's newest, so each row
from its day on is simply that row's state folded with it.

Folds are deterministic and read only their own stream, so a cached state equals the stored one;
a rolled-back batch clears the cache (`discard`), and the next batch reloads from the table.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncConnection

from projection.domain.catalogue import FACETS, SUMS
from projection.domain.folds import Fact, Rule, State, SumFn, fold, referenced_ids
from projection.domain.timeframe import local_day, start_of_day
from shared.codec import upcast
from shared.db import checked_schema
from shared.envelope import Envelope

INFINITY = dt.datetime.max.replace(tzinfo=dt.UTC)
#: The session's temporary table a batch's entity rows are copied into before the upsert.
STAGING = "projection_state_rows"

#: event_log's columns, in the order of the COPY records.
LOG_COLUMNS = (
    "event_id",
    "event_type",
    "schema_version",
    "stream_id",
    "stream_version",
    "kind",
    "village",
    "occurred_at",
    "recorded_at",
    "actor_id",
    "actor_role",
    "correlation_id",
    "causation_id",
    "town",
    "payload",
    "prev_hash",
    "hash",
)

#: entity_state's columns and their PostgreSQL types (for `unnest` of arrays).
STATE_COLUMNS = (
    ("stream_id", "text"),
    ("valid_from", "timestamptz"),
    ("valid_to", "timestamptz"),
    ("version", "int"),
    ("event_id", "uuid"),
    ("kind", "text"),
    ("entity_id", "text"),
    ("village", "text"),
    ("status", "text"),
    ("state", "jsonb"),
)


@dataclass(slots=True)
class Head:
    """An entity's newest row: the day it starts, the newest version folded, and the state."""

    stream_id: str
    valid_from: dt.datetime
    valid_to: dt.datetime
    version: int
    event_id: uuid.UUID
    kind: str
    entity_id: str
    village: str | None
    status: str | None
    state: State
    counted: list[tuple[str, str, str, str]] | None = None  # what it counts towards, once known

    def closed(self, valid_to: dt.datetime) -> Head:
        """This row, superseded from `valid_to` on (a copy: cached heads are never changed)."""
        return Head(
            self.stream_id,
            self.valid_from,
            valid_to,
            self.version,
            self.event_id,
            self.kind,
            self.entity_id,
            self.village,
            self.status,
            self.state,
        )

    def record(self) -> tuple[Any, ...]:
        return (
            self.stream_id,
            self.valid_from,
            self.valid_to,
            self.version,
            self.event_id,
            self.kind,
            self.entity_id,
            self.village,
            self.status,
            json_text(self.state),
        )


def json_text(value: Any) -> str:
    """JSON text for a jsonb column (orjson; the standard library for what orjson refuses,
    such as integers beyond 64 bits)."""
    try:
        return orjson.dumps(value, default=str).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False, default=str)


_DAY_STARTS: dict[dt.date, dt.datetime] = {}


_INSTANT_DAYS: dict[dt.datetime, dt.datetime] = {}


def business_day_start(instant: dt.datetime) -> dt.datetime:
    """The first instant of the China day an instant falls on (a row's `valid_from`).
    Business times repeat (a day's facts are stamped at its noon), so answers are memoised."""
    start = _INSTANT_DAYS.get(instant)
    if start is not None:
        return start
    day = local_day(instant)
    start = _DAY_STARTS.get(day)
    if start is None:
        start = _DAY_STARTS[day] = start_of_day(day)
    if len(_INSTANT_DAYS) > 100_000:
        _INSTANT_DAYS.clear()
    _INSTANT_DAYS[instant] = start
    return start


CountKey = tuple[str, str, str, str, dt.datetime]


def count_keys(
    head: Head, facets: Mapping[str, tuple[str, ...]]
) -> list[tuple[str, str, str, str]]:
    """What an entity's row counts towards: (kind, village, status, facet), with facet "" for
    the entity itself and each of its kind's facets that its state has set."""
    village, status = head.village or "", head.status or ""
    keys = [(head.kind, village, status, "")]
    keys += [
        (head.kind, village, status, facet)
        for facet in facets.get(head.kind, ())
        if head.state.get(facet)
    ]
    return keys


class Projector:
    """Applies batches of envelopes to one data schema's read models."""

    def __init__(
        self,
        schema: str,
        rules: Mapping[str, Rule],
        *,
        town: str | None = None,
        cache_size: int = 50_000,
        facets: Mapping[str, tuple[str, ...]] | None = None,
        sums: Mapping[str, SumFn] | None = None,
    ) -> None:
        self.schema = checked_schema(schema)
        self.town = town
        self.other_towns = 0
        self.rules = rules
        self.facets = facets if facets is not None else FACETS
        self.sums = sums if sums is not None else SUMS
        self.cache_size = cache_size
        self._heads: dict[str, Head] = {}
        s = f'"{self.schema}"'
        self._logged = f"SELECT event_id FROM {s}.event_log WHERE event_id = ANY($1::uuid[])"
        self._load = (
            "SELECT stream_id, valid_from, valid_to, version, event_id, kind, entity_id,"
            f" village, status, state::text AS state FROM {s}.entity_state"
            " WHERE stream_id = ANY($1::text[]) AND valid_to = 'infinity'"
        )
        self._all_rows = (
            "SELECT stream_id, valid_from, valid_to, version, event_id, kind, entity_id,"
            f" village, status, state::text AS state FROM {s}.entity_state"
            " WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, valid_from"
        )
        self._drop_rows = f"DELETE FROM {s}.entity_state WHERE stream_id = ANY($1::text[])"
        names = ", ".join(name for name, _ in STATE_COLUMNS)
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name, _ in STATE_COLUMNS[2:])
        # States go through a temporary table filled by COPY (binary, no per-element checks
        # as array parameters have), then one upsert.
        self._staging = (
            "SET LOCAL client_min_messages = warning;"  # no notice when it exists already
            f" CREATE TEMP TABLE IF NOT EXISTS {STAGING} (LIKE {s}.entity_state)"
            " ON COMMIT DELETE ROWS"
        )
        self._upsert = (
            f"INSERT INTO {s}.entity_state ({names}) SELECT {names} FROM {STAGING}"
            f" ON CONFLICT (stream_id, valid_from) DO UPDATE SET {updates};"
            f" TRUNCATE {STAGING}"
        )

        self._add_counts = (
            f"INSERT INTO {s}.entity_counts AS c (kind, village, status, facet, day, delta)"
            " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"
            " $5::timestamptz[], $6::bigint[]) ON CONFLICT (kind, facet, day, village, status)"
            " DO UPDATE SET delta = c.delta + EXCLUDED.delta"
        )
        self._add_sums = (
            f"INSERT INTO {s}.flow_sums AS c (event_type, village, day, key, figure, value)"
            " SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[],"
            " $5::text[], $6::numeric[]) ON CONFLICT (event_type, day, village, key, figure)"
            " DO UPDATE SET value = c.value + EXCLUDED.value"
        )
        self._add_refs = (
            f"INSERT INTO {s}.entity_refs (value, stream_id, kind)"
            " SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING"
        )
        self._count_events = (
            f"INSERT INTO {s}.event_counts AS c (event_type, village, day, n)"
            " SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[])"
            " ON CONFLICT (event_type, day, village) DO UPDATE SET n = c.n + EXCLUDED.n"
        )

    def discard(self) -> None:
        """The batch's transaction was rolled back: forget the states it cached."""
        self._heads.clear()

    async def apply(self, conn: AsyncConnection, envelopes: Sequence[Envelope]) -> None:
        """The consumer's batch handler: log the new events and fold them into their entities."""
        mine = [env for env in envelopes if not self.town or env.town == self.town]
        self.other_towns += len(envelopes) - len(mine)
        if not mine:
            return
        raw = (await conn.get_raw_connection()).driver_connection
        assert raw is not None
        if not raw.is_in_transaction():  # the staging table's rows last until a commit
            raise RuntimeError("Projector.apply runs inside a transaction already begun")
        logged = {r[0] for r in await raw.fetch(self._logged, [env.event_id for env in mine])}
        fresh = [env for env in mine if env.event_id not in logged]
        if not fresh:
            return
        heads = await self._heads_for(raw, fresh)
        rewritten = await self._rows_for(raw, fresh, heads)
        touched: dict[tuple[str, dt.datetime], Head] = {}
        log_rows: list[tuple[Any, ...]] = []
        counts: Counter[CountKey] = Counter()
        events: Counter[tuple[str, str, dt.datetime]] = Counter()
        sums: dict[tuple[str, str, dt.datetime, str, str], Decimal] = {}
        refs: set[tuple[str, str, str]] = set()
        for env in fresh:
            payload = upcast(env.event_type, env.schema_version, env.payload)[1]
            head = heads.get(env.stream_id)
            if head is not None and env.stream_version <= head.version:
                # A second event claiming a version already folded (the store forbids it): it
                # enters the log and the audit trail, whose chain check shows it, not the state.
                log_rows.append(self._log_row(env, head.kind, head.village))
                self._flow(events, sums, env, payload, head.village, head.state)
                refs.update(
                    (v, env.stream_id, head.kind) for v in referenced_ids(payload, head.entity_id)
                )
                continue
            if env.stream_id in rewritten:  # entered after a later-dated event: rows from its day
                new = self._fold_into(rewritten[env.stream_id], env, counts)
            else:
                new = self._fold(head, env)
                if head is not None and head.valid_from != new.valid_from:
                    touched[(head.stream_id, head.valid_from)] = head.closed(new.valid_from)
                touched[(new.stream_id, new.valid_from)] = new
                self._count(counts, head, new)
            heads[env.stream_id] = new
            payload_village = payload.get("village")
            village = str(payload_village) if payload_village else new.village
            log_rows.append(self._log_row(env, new.kind, village))
            self._flow(events, sums, env, payload, village, head.state if head else {})
            refs.update(
                (v, env.stream_id, new.kind) for v in referenced_ids(payload, new.entity_id)
            )
        await raw.copy_records_to_table(
            "event_log", schema_name=self.schema, columns=LOG_COLUMNS, records=log_rows
        )
        records = [head.record() for head in touched.values()]
        if rewritten:  # rewritten whole
            await raw.execute(self._drop_rows, list(rewritten))
            records += [row.record() for stream in rewritten.values() for row in stream]
        # every batch: a rolled-back transaction (or savepoint) takes its CREATE with it
        await raw.execute(self._staging)
        await raw.copy_records_to_table(
            STAGING, columns=[name for name, _ in STATE_COLUMNS], records=records
        )
        await raw.execute(self._upsert)
        # Aggregate rows in key order: workers of one group that add to the same rows lock them
        # in the same order (no deadlock).
        changed = [(*key, delta) for key, delta in sorted(counts.items()) if delta]
        if changed:
            await raw.execute(self._add_counts, *(list(c) for c in zip(*changed, strict=True)))
        await raw.execute(
            self._count_events,
            *(list(c) for c in zip(*[(*k, n) for k, n in sorted(events.items())], strict=True)),
        )
        if refs:
            ordered = sorted(refs)
            await raw.execute(self._add_refs, *(list(c) for c in zip(*ordered, strict=True)))
        if sums:
            rows = [(*k, v) for k, v in sorted(sums.items())]
            await raw.execute(self._add_sums, *(list(c) for c in zip(*rows, strict=True)))
        self._remember(heads)

    def _flow(
        self,
        events: Counter[tuple[str, str, dt.datetime]],
        sums: dict[tuple[str, str, dt.datetime, str, str], Decimal],
        env: Envelope,
        payload: Mapping[str, Any],
        village: str | None,
        before: State,
    ) -> None:
        """A logged event counted on its business day, and its numbers summed (they may read
        the entity's state before the event, e.g. a programme's deadline) from its payload as
        upcast."""
        day = business_day_start(env.occurred_at)
        events[(env.event_type, village or "", day)] += 1
        add = self.sums.get(env.event_type)
        if add is not None:
            key, numbers = add(before, payload)
            for figure, value in numbers.items():
                at = (env.event_type, village or "", day, key, figure)
                sums[at] = sums.get(at, Decimal(0)) + value

    def _count(self, counts: Counter[CountKey], old: Head | None, new: Head) -> None:
        """What the entity counted towards before and after, on the new row's day."""
        before: list[tuple[str, str, str, str]] = []
        if old is not None:
            if old.counted is None:
                old.counted = count_keys(old, self.facets)
            before = old.counted
            facets = self.facets.get(new.kind, ())
            if (
                old.kind == new.kind
                and old.village == new.village
                and old.status == new.status
                and all(bool(old.state.get(f)) == bool(new.state.get(f)) for f in facets)
            ):
                new.counted = before  # most events change none of what is counted
                return
        after = new.counted = count_keys(new, self.facets)
        if before == after:
            return
        day = new.valid_from
        for kind, village, status, facet in before:
            counts[(kind, village, status, facet, day)] -= 1
        for kind, village, status, facet in after:
            counts[(kind, village, status, facet, day)] += 1

    async def _rows_for(
        self, raw: Any, envelopes: Sequence[Envelope], heads: Mapping[str, Head]
    ) -> dict[str, list[Head]]:
        """Every row of each stream to which the batch brings an event dated before a day the
        stream already has a row for (entered late): those streams are rewritten whole."""
        latest: dict[str, dt.datetime] = {}
        late: list[str] = []
        for env in envelopes:
            sid = env.stream_id
            head = heads.get(sid)
            if head is not None and env.stream_version <= head.version:
                continue  # a second event of a version already folded: not folded
            day = business_day_start(env.occurred_at)
            seen = latest.get(sid, head.valid_from if head is not None else None)
            if seen is not None and day < seen and sid not in late:
                late.append(sid)
            latest[sid] = day if seen is None else max(seen, day)
        found: dict[str, list[Head]] = {sid: [] for sid in late}
        if late:
            for r in await raw.fetch(self._all_rows, late):
                found[r["stream_id"]].append(_head(r))
        return found

    def _fold_into(self, rows: list[Head], env: Envelope, counts: Counter[CountKey]) -> Head:
        """Fold an event into a stream's rows as its owning service reads "as of" a day: the
        state on each day is the fold (in version order) of the events dated by that day. The
        event is the stream's newest, so each row from its day on is that row's state folded
        with it; a row that covers the day from earlier is split there. An event dated before
        the stream's first row counts from that row's day (nothing exists before it)."""
        day = business_day_start(env.occurred_at)
        if not rows:
            rows.append(self._fold(None, env))
            self._contribute(counts, rows[-1], 1)
            return rows[-1]
        day = max(day, rows[0].valid_from)
        for i, row in enumerate(rows):
            if row.valid_from < day < row.valid_to:  # split: same state on both sides
                rows[i : i + 1] = [row.closed(day), replace_head(row, valid_from=day)]
                break
        for i, row in enumerate(rows):
            if row.valid_from < day:
                continue
            folded = self._fold(row, env)
            new = replace_head(folded, valid_from=row.valid_from, valid_to=row.valid_to)
            self._contribute(counts, row, -1)
            self._contribute(counts, new, 1)
            rows[i] = new
        return rows[-1]

    def _contribute(self, counts: Counter[CountKey], row: Head, sign: int) -> None:
        """What a row counts towards: from its first day, until the day its successor starts."""
        for kind, village, status, facet in count_keys(row, self.facets):
            counts[(kind, village, status, facet, row.valid_from)] += sign
            if row.valid_to != INFINITY:
                counts[(kind, village, status, facet, row.valid_to)] -= sign

    def _fold(self, head: Head | None, env: Envelope) -> Head:
        folded = fold(head.state if head else None, Fact.of(env), self.rules)
        day = business_day_start(env.occurred_at)
        if head is not None and head.valid_from > day:
            day = head.valid_from  # entered late: folded into the entity's current day
        return Head(
            stream_id=env.stream_id,
            valid_from=day,
            valid_to=INFINITY,
            version=env.stream_version,
            event_id=env.event_id,
            kind=folded.kind,
            entity_id=folded.entity_id,
            village=folded.village,
            status=folded.status,
            state=folded.state,
        )

    @staticmethod
    def _log_row(env: Envelope, kind: str, village: str | None) -> tuple[Any, ...]:
        return (
            env.event_id,
            env.event_type,
            env.schema_version,
            env.stream_id,
            env.stream_version,
            kind,
            village,
            env.occurred_at,
            env.recorded_at,
            env.actor.user_id,
            env.actor.role,
            env.correlation_id,
            env.causation_id,
            env.town,
            json_text(env.payload),
            env.prev_hash,
            env.hash,
        )

    async def _heads_for(self, raw: Any, envelopes: Sequence[Envelope]) -> dict[str, Head]:
        """The newest row of every stream in the batch: from the cache, else from the table."""
        heads: dict[str, Head] = {}
        missing: list[str] = []
        for env in envelopes:
            sid = env.stream_id
            if sid in heads or sid in missing:
                continue
            cached = self._heads.get(sid)
            if cached is not None:
                heads[sid] = cached
            elif env.stream_version > 1:
                missing.append(sid)
        if missing:
            for r in await raw.fetch(self._load, missing):
                heads[r["stream_id"]] = _head(r)
        return heads

    def _remember(self, heads: dict[str, Head]) -> None:
        cache = self._heads
        for sid, head in heads.items():
            cache.pop(sid, None)
            cache[sid] = head  # newest last: the oldest are evicted first
        overflow = len(cache) - self.cache_size
        if overflow > 0:
            for sid in list(cache)[: overflow + self.cache_size // 10]:
                del cache[sid]


def _head(r: Any) -> Head:
    """A stored row of `entity_state` ('infinity' comes back from asyncpg as a naive
    `datetime.max`)."""
    valid_to = r["valid_to"]
    return Head(
        stream_id=r["stream_id"],
        valid_from=r["valid_from"],
        valid_to=INFINITY if valid_to.tzinfo is None else valid_to,
        version=int(r["version"]),
        event_id=r["event_id"],
        kind=r["kind"],
        entity_id=r["entity_id"],
        village=r["village"],
        status=r["status"],
        state=orjson.loads(r["state"]),
    )


def replace_head(head: Head, **changes: Any) -> Head:
    """A copy of a row with some fields changed (rows are never changed in place: the cache
    shares them)."""
    fields = {name: getattr(head, name) for name in Head.__slots__ if name != "counted"}
    return Head(**(fields | changes))
