"""The read side: entities and facts "as of" a time, from the live data schema.

A `Snapshot` is one REPEATABLE READ transaction on the live schema (named by
`projection_meta` at its start), so every query of one view sees the same data even while the
consumer writes or a replay swaps schemas.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from projection.adapters.area import County, is_town, split_stream
from projection.adapters.auditing import AuditQueries
from projection.adapters.generations import Generations
from projection.adapters.queries import (
    Condition,
    Page,
    Sort,
    Tally,
    checked_key,
    checked_path,
)
from projection.domain.catalogue import FACETS
from shared.codec import upcast
from shared.envelope import Actor, Envelope

if TYPE_CHECKING:
    from projection.adapters.whatif import WhatIfResult


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity's state as of the asked time."""

    stream_id: str
    kind: str
    entity_id: str
    village: str | None
    status: str | None
    version: int
    valid_from: dt.datetime
    state: dict[str, Any] = field(repr=False)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.state.get(key)
        return default if value is None else value


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """A fact from the event log (for counting flows)."""

    event_type: str
    stream_id: str
    kind: str
    village: str | None
    occurred_at: dt.datetime
    payload: dict[str, Any] = field(repr=False)
    event_id: uuid.UUID | None = None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


class Snapshot(AuditQueries):
    """Queries on one data schema inside one transaction."""

    def __init__(
        self,
        conn: AsyncConnection,
        schema: str,
        *,
        county: bool = False,
        towns: Mapping[str, str] | None = None,
    ) -> None:
        self.conn = conn
        self.schema = schema
        #: A county's towns and their live data schemas (read in this snapshot's transaction).
        self.towns: Mapping[str, str] = towns or {}
        #: A county's union schema (`projection.adapters.area`): entities' stream ids are
        #: `<town>:<stream id>`, found through `town` and `local_stream_id`.
        self.county = county
        self._s = f'"{schema}"'

    def _streams(self, stream_ids: Sequence[str]) -> tuple[str, dict[str, Any]]:
        """The entity rows of these streams (a county's by town and stream, or by the stream
        id alone, which may be any town's)."""
        if not self.county:
            return "stream_id = ANY(:ids)", {"ids": list(stream_ids)}
        split = [split_stream(s) for s in stream_ids]
        return (
            "local_stream_id = ANY(:locals) AND (stream_id = ANY(:ids)"
            " OR local_stream_id = ANY(:bare))",
            {
                "locals": [local for _, local in split],
                "ids": list(stream_ids),
                "bare": [local for town, local in split if town is None],
            },
        )

    def _asked(self, stream_id: str, asked: Sequence[str]) -> str:
        """A row's stream id in the form it was asked for."""
        if not self.county or stream_id in asked:
            return stream_id
        return split_stream(stream_id)[1]

    async def entities(
        self,
        kinds: str | Sequence[str],
        *,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[Entity]:
        """Every entity of these kinds as it was before `cutoff` (None: as it is now): one row
        per entity from `entity_state`, by its temporal validity."""
        kind_list = [kinds] if isinstance(kinds, str) else list(kinds)
        where, params = entities_where(kind_list, cutoff, village)
        rows = await self.conn.execute(
            text(f"{_ENTITY_SELECT} {self._s}.entity_state WHERE {where} {_ENTITY_ORDER}"),
            params,
        )
        return [_entity(r) for r in rows]

    async def status_events(
        self, stream_ids: Sequence[str], *, cutoff: dt.datetime | None
    ) -> dict[str, uuid.UUID]:
        """For each stream, the event that brought it into the status it has as of `cutoff`
        (None: now): the first row of its last run of rows in that status."""
        clause = "valid_from < :cutoff" if cutoff is not None else "true"
        match, params = self._streams(stream_ids)
        rows = await self.conn.execute(
            text(
                f"SELECT stream_id, status, event_id FROM {self._s}.entity_state"
                f" WHERE {match} AND {clause} ORDER BY stream_id, valid_from"
            ),
            {**params, **({"cutoff": cutoff} if cutoff is not None else {})},
        )
        found: dict[str, tuple[str | None, uuid.UUID]] = {}
        for r in rows:
            sid = self._asked(r.stream_id, stream_ids)
            seen = found.get(sid)
            if seen is None or seen[0] != r.status:  # a new run of one status starts here
                found[sid] = (r.status, uuid.UUID(str(r.event_id)))
        return {stream: event for stream, (_, event) in found.items()}

    async def logged(self, event_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Envelope]:
        """Logged events by id (those in the log)."""
        rows = await self.conn.execute(
            text(
                "SELECT event_id, event_type, schema_version, stream_id, stream_version,"
                " occurred_at, recorded_at, actor_id, actor_role, correlation_id, causation_id,"
                f" town, payload, prev_hash, hash FROM {self._s}.event_log"
                " WHERE event_id = ANY(:ids)"
            ),
            {"ids": list(event_ids)},
        )
        return {env.event_id: env for env in map(logged_envelope, rows)}

    async def whatif(self) -> WhatIfResult | None:
        """The last finished what-if (推演) run beside this schema, read in this transaction."""
        from projection.adapters.whatif import last_result  # it reads through a Snapshot

        return await last_result(self.conn, self.schema)

    async def entity(self, stream_id: str, *, cutoff: dt.datetime | None) -> Entity | None:
        """One entity as it was before `cutoff` (None: now), or None if it did not exist."""
        where, params = _valid_at(cutoff)
        match, more = self._streams([stream_id])
        row = (
            await self.conn.execute(
                text(f"{_ENTITY_SELECT} {self._s}.entity_state WHERE {match} AND {where}"),
                params | more,
            )
        ).first()
        return _entity(row) if row is not None else None

    async def entities_by_stream(
        self, stream_ids: Sequence[str], *, cutoff: dt.datetime | None
    ) -> dict[str, Entity]:
        """These entities as they were before `cutoff` (None: now), by stream (those that
        existed then)."""
        where, params = _valid_at(cutoff)
        match, more = self._streams(stream_ids)
        rows = await self.conn.execute(
            text(f"{_ENTITY_SELECT} {self._s}.entity_state WHERE {match} AND {where}"),
            params | more,
        )
        return {self._asked(e.stream_id, stream_ids): e for e in map(_entity, rows)}

    async def entity_page(
        self,
        kinds: str | Sequence[str],
        *,
        cutoff: dt.datetime | None,
        village: str | None = None,
        page: Page,
        where: Condition | None = None,
    ) -> tuple[int, list[Entity]]:
        """How many entities of these kinds there were before `cutoff` (meeting `where`), and
        the page of them `page` asks for, in its order (default: by day, then stream)."""
        kind_list = [kinds] if isinstance(kinds, str) else list(kinds)
        clause, params = entities_where(kind_list, cutoff, village, where)
        table = f"{self._s}.entity_state"
        if where is None:
            total = await self._count_of(kind_list, cutoff=cutoff, village=village)
        else:
            total = (
                await self.conn.execute(
                    text(f"SELECT count(*) FROM {table} WHERE {clause}"), params
                )
            ).scalar_one()
        order = f"ORDER BY {page.sort.sql()}" if page.sort else _PAGE_ORDER
        sql = f"{_ENTITY_SELECT} {table} WHERE {clause} {order}"
        if page.limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = page.limit
        if page.offset:
            sql += " OFFSET :offset"
            params["offset"] = page.offset
        rows = await self.conn.execute(text(sql), params)
        return int(total), [_entity(r) for r in rows]

    async def entity_chunks(
        self,
        kinds: str | Sequence[str],
        *,
        cutoff: dt.datetime | None,
        village: str | None = None,
        sort: Sort | None = None,
        where: Condition | None = None,
        chunk: int = 1000,
    ) -> AsyncIterator[list[Entity]]:
        """Every entity `entity_page` would list, in its order, `chunk` rows at a time through a
        server-side cursor (exports: memory stays flat whatever the list's length)."""
        kind_list = [kinds] if isinstance(kinds, str) else list(kinds)
        clause, params = entities_where(kind_list, cutoff, village, where)
        order = f"ORDER BY {sort.sql()}" if sort else _PAGE_ORDER
        sql = f"{_ENTITY_SELECT} {self._s}.entity_state WHERE {clause} {order}"
        result = await self.conn.stream(text(sql), params)
        async for rows in result.partitions(chunk):
            yield [_entity(r) for r in rows]

    async def _count_of(
        self, kinds: list[str], *, cutoff: dt.datetime | None, village: str | None
    ) -> int:
        """How many entities of these kinds there were before `cutoff`, from the counts."""
        where = ["kind = ANY(:kinds)", "facet = ''"]
        params: dict[str, Any] = {"kinds": kinds}
        if cutoff is not None:
            where.append("day < :cutoff")
            params["cutoff"] = cutoff
        if village is not None:
            where.append("village = :village")
            params["village"] = village
        total = (
            await self.conn.execute(
                text(
                    f"SELECT coalesce(sum(delta), 0) FROM {self._s}.entity_counts"
                    f" WHERE {' AND '.join(where)}"
                ),
                params,
            )
        ).scalar_one()
        return int(total)

    async def slim_entities(
        self,
        kind: str,
        paths: Mapping[str, Sequence[str]],
        *,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[Entity]:
        """Every entity of a kind as it was before `cutoff`, its state cut down to the named
        values (name → path into the state, e.g. `("points", "2016")`; None where absent):
        for figures over many entities that need a few fields of each."""
        clause, params = entities_where([kind], cutoff, village)
        built = ", ".join(
            f"'{checked_key(name)}', state #> '{{{','.join(checked_path(path))}}}'"
            for name, path in paths.items()
        )
        rows = await self.conn.execute(
            text(
                "SELECT stream_id, kind, entity_id, village, status, version, valid_from,"
                f" jsonb_build_object({built}) AS state FROM {self._s}.entity_state"
                f" WHERE {clause} {_ENTITY_ORDER}"
            ),
            params,
        )
        return [_entity(r) for r in rows]

    async def object_keys(
        self,
        kind: str,
        keys: Sequence[str],
        *,
        cutoff: dt.datetime | None,
        village: str | None = None,
        where: Condition | None = None,
    ) -> set[str]:
        """Every key found in these object fields of one kind's entities (e.g. the years of
        members' points and grades) as they were before `cutoff`."""
        clause, params = entities_where([kind], cutoff, village, where)
        found: set[str] = set()
        for key in keys:
            field = f"state->'{checked_key(key)}'"
            rows = await self.conn.execute(
                text(
                    f"SELECT DISTINCT jsonb_object_keys({field}) FROM {self._s}.entity_state"
                    f" WHERE {clause} AND jsonb_typeof({field}) = 'object'"
                ),
                params,
            )
            found.update(str(r[0]) for r in rows)
        return found

    async def tally(
        self,
        tally: Tally,
        *,
        cutoff: dt.datetime | None,
        start: dt.datetime | None = None,
        village: str | None = None,
    ) -> list[dict[str, Any]]:
        """Counts of one kind's entities as they were before `cutoff`, grouped by `tally.by`,
        with how many meet each condition and how many streams have a fact of the named types
        in [start, cutoff): one aggregate query, no entity leaves the database."""
        if tally.counted(FACETS):
            return await self._counted(tally, cutoff=cutoff, village=village)
        # unqualified columns are entity_state's: the joins below bring stream ids only
        clause, params = entities_where([tally.kind], cutoff, village)
        groups = tally.group_sql()
        columns = [f"{g} AS g{i}" for i, g in enumerate(groups)] + ["count(*) AS n"]
        joins = ""
        for i, types in enumerate(tally.facts.values()):
            window = [f"event_type = ANY(:ft{i})"]
            params[f"ft{i}"] = list(types)
            if start is not None:
                window.append("occurred_at >= :start")
                params["start"] = start
            if cutoff is not None:
                window.append("occurred_at < :cutoff")
            joins += (
                f" LEFT JOIN (SELECT DISTINCT stream_id FROM {self._s}.event_log"
                f" WHERE {' AND '.join(window)}) f{i} ON f{i}.stream_id = e.stream_id"
            )
            columns.append(f"count(f{i}.stream_id) AS f{i}")
        for i, condition in enumerate(tally.conditions.values()):
            # unqualified `state` and `status` are entity_state's: the joins bring stream ids only
            columns.append(f"count(*) FILTER (WHERE {condition.sql()}) AS c{i}")
        sql = f"SELECT {', '.join(columns)} FROM {self._s}.entity_state e{joins} WHERE {clause}"
        if groups:
            sql += " GROUP BY " + ", ".join(groups)
        out: list[dict[str, Any]] = []
        for r in (await self.conn.execute(text(sql), params)).mappings():
            row: dict[str, Any] = {key: r[f"g{i}"] for i, key in enumerate(tally.by)}
            row["n"] = int(r["n"])
            for i, name in enumerate(tally.facts):
                row[name] = int(r[f"f{i}"])
            for i, name in enumerate(tally.conditions):
                row[name] = int(r[f"c{i}"])
            out.append(row)
        return out

    async def _counted(
        self, tally: Tally, *, cutoff: dt.datetime | None, village: str | None
    ) -> list[dict[str, Any]]:
        """A tally from `entity_counts`: sums of deltas over days, not a scan of entities."""
        facets = {"": "n"} | {
            condition.key: name  # type: ignore[attr-defined]
            for name, condition in tally.conditions.items()
        }
        where = ["kind = :kind", "facet = ANY(:facets)"]
        params: dict[str, Any] = {"kind": tally.kind, "facets": list(facets)}
        if cutoff is not None:
            where.append("day < :cutoff")
            params["cutoff"] = cutoff
        if village is not None:
            where.append("village = :village")
            params["village"] = village
        rows = await self.conn.execute(
            text(
                "SELECT village, status, facet, sum(delta) AS n"
                f" FROM {self._s}.entity_counts WHERE {' AND '.join(where)}"
                " GROUP BY village, status, facet"
            ),
            params,
        )
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        for r in rows:
            column = {"village": r.village or None, "status": r.status or None}
            key = tuple(column[k] for k in tally.by)
            group = groups.setdefault(
                key,
                dict(zip(tally.by, key, strict=True)) | dict.fromkeys(facets.values(), 0),
            )
            group[facets[r.facet]] += int(r.n)
        return [g for g in groups.values() if g["n"]]

    async def flow_counts(
        self,
        event_types: Sequence[str],
        *,
        start: dt.datetime | None,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[tuple[str, str | None, int]]:
        """(event type, village, count) of events of these types in [start, cutoff) (day
        bounds), from the per-day `event_counts`."""
        where, params = _flows(event_types, start, cutoff, village, time="day")
        rows = await self.conn.execute(
            text(
                f"SELECT event_type, village, sum(n) AS n FROM {self._s}.event_counts"
                f" WHERE {where} GROUP BY event_type, village HAVING sum(n) > 0"
            ),
            params,
        )
        return sorted(
            ((r.event_type, r.village or None, int(r.n)) for r in rows),
            key=lambda t: (t[0], t[1] or ""),
        )

    async def flow_sums(
        self,
        event_types: Sequence[str],
        *,
        start: dt.datetime | None,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[tuple[str, str, str, Decimal]]:
        """(event type, key, figure, sum) of these types' numbers in [start, cutoff) (day
        bounds), from the per-day `flow_sums` (`catalogue.SUMS` says what each type adds)."""
        where, params = _flows(event_types, start, cutoff, village, time="day")
        rows = await self.conn.execute(
            text(
                f"SELECT event_type, key, figure, sum(value) AS value FROM {self._s}.flow_sums"
                f" WHERE {where} GROUP BY event_type, key, figure"
            ),
            params,
        )
        return sorted((r.event_type, r.key, r.figure, Decimal(r.value)) for r in rows)

    async def facts(
        self,
        event_types: Sequence[str],
        *,
        start: dt.datetime | None,
        cutoff: dt.datetime | None,
        village: str | None = None,
        prefix: tuple[str, str] | None = None,
    ) -> list[LoggedEvent]:
        """Events of these types that occurred in [start, cutoff), oldest first; with `prefix`
        (key, text), only those whose payload's `key` starts with `text` (a year of a date)."""
        where, params = _flows(event_types, start, cutoff, village)
        if prefix is not None:
            where += " AND starts_with(payload->>:prefix_key, :prefix)"
            params["prefix_key"], params["prefix"] = checked_key(prefix[0]), prefix[1]
        rows = await self.conn.execute(
            text(
                "SELECT event_type, schema_version, stream_id, kind, village, occurred_at,"
                f" payload, event_id FROM {self._s}.event_log WHERE {where}"
                " ORDER BY occurred_at, stream_id, stream_version"
            ),
            params,
        )
        return [
            LoggedEvent(
                r.event_type,
                r.stream_id,
                r.kind,
                r.village,
                r.occurred_at,
                upcast(r.event_type, r.schema_version, _json(r.payload))[1],
                uuid.UUID(str(r.event_id)),
            )
            for r in rows
        ]

    async def fact_prefixes(
        self,
        event_types: Sequence[str],
        key: str,
        length: int,
        *,
        start: dt.datetime | None,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> set[str]:
        """The distinct first `length` characters of `key` in the payloads of these events in
        [start, cutoff) (the years a date names), without reading the payloads out."""
        where, params = _flows(event_types, start, cutoff, village)
        params["prefix_key"], params["length"] = checked_key(key), length
        rows = await self.conn.execute(
            text(
                f"SELECT DISTINCT left(payload->>:prefix_key, :length) FROM {self._s}.event_log"
                f" WHERE {where} AND payload ? :prefix_key"
            ),
            params,
        )
        return {r[0] for r in rows if r[0] is not None}

    async def stream(self, stream_id: str) -> list[tuple[Envelope, str, str | None]]:
        """A stream's logged events in version order, as envelopes (with kind and village);
        in a county, of the town its id names."""
        town, local = split_stream(stream_id) if self.county else (None, stream_id)
        rows = await self.conn.execute(
            text(
                "SELECT event_id, event_type, schema_version, stream_id, stream_version,"
                " occurred_at, recorded_at, actor_id, actor_role, correlation_id, causation_id,"
                f" town, payload, prev_hash, hash, kind, village FROM {self._s}.event_log"
                f" WHERE stream_id = :s{' AND town = :t' if town else ''}"
                " ORDER BY stream_version, recorded_at"
            ),
            {"s": local, **({"t": town} if town else {})},
        )
        return [(logged_envelope(r), r.kind, r.village) for r in rows]

    async def find_stream(self, kind: str, entity_id: str) -> str | None:
        """The stream of an entity named by kind and id (for drill-down links by id)."""
        row = (
            await self.conn.execute(
                text(
                    f"SELECT stream_id FROM {self._s}.entity_state"
                    " WHERE kind = :k AND entity_id = :e LIMIT 1"
                ),
                {"k": kind, "e": entity_id},
            )
        ).first()
        return str(row[0]) if row else None

    async def related_streams(self, stream_id: str, entity_id: str) -> list[tuple[str, str]]:
        """Other streams whose events name this entity's id (`folds.referenced_ids`: e.g. the
        payments to a household), as (stream id, kind), at most 50, by stream."""
        rows = await self.conn.execute(
            text(
                f"SELECT stream_id, kind FROM {self._s}.entity_refs"
                ' WHERE value = :e AND stream_id <> :s ORDER BY stream_id COLLATE "C" LIMIT 50'
            ),
            {"s": stream_id, "e": entity_id},
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    async def stats(self) -> dict[str, Any]:
        """Counts of the log (for the dashboard footer and readiness)."""
        row = (
            await self.conn.execute(
                text(
                    "SELECT count(*) AS n, max(recorded_at) AS last_recorded,"
                    f" min(occurred_at) AS first_occurred FROM {self._s}.event_log"
                )
            )
        ).one()
        return {
            "events": int(row.n),
            "last_recorded": row.last_recorded,
            "first_occurred": row.first_occurred,
            "schema": self.schema,
        }


_ENTITY_SELECT = (
    "SELECT stream_id, kind, entity_id, village, status, version, valid_from, state FROM"
)
#: Entities in the order their current row began (day), then by stream: stable for exports.
_ENTITY_ORDER = "ORDER BY valid_from, stream_id"
#: A long list's order when none is asked: by stream, which an index gives without a sort.
_PAGE_ORDER = 'ORDER BY stream_id COLLATE "C"'


def logged_envelope(r: Any) -> Envelope:
    """An envelope from an event_log row."""
    return Envelope(
        event_id=uuid.UUID(str(r.event_id)),
        event_type=r.event_type,
        schema_version=int(r.schema_version),
        stream_id=r.stream_id,
        stream_version=int(r.stream_version),
        occurred_at=r.occurred_at,
        recorded_at=r.recorded_at,
        actor=Actor(r.actor_id, r.actor_role),
        correlation_id=uuid.UUID(str(r.correlation_id)),
        causation_id=uuid.UUID(str(r.causation_id)) if r.causation_id else None,
        town=r.town,
        payload=_json(r.payload),
        prev_hash=r.prev_hash,
        hash=r.hash,
    )


def _flows(
    event_types: Sequence[str],
    start: dt.datetime | None,
    cutoff: dt.datetime | None,
    village: str | None,
    *,
    time: str = "occurred_at",
) -> tuple[str, dict[str, Any]]:
    """The event log's rows of these types in [start, cutoff) (in a village)."""
    where = ["event_type = ANY(:types)"]
    params: dict[str, Any] = {"types": list(event_types)}
    if start is not None:
        where.append(f"{time} >= :start")
        params["start"] = start
    if cutoff is not None:
        where.append(f"{time} < :cutoff")
        params["cutoff"] = cutoff
    if village is not None:
        where.append("village = :village")
        params["village"] = village
    return " AND ".join(where), params


def entities_where(
    kinds: list[str],
    cutoff: dt.datetime | None,
    village: str | None,
    where: Condition | None = None,
) -> tuple[str, dict[str, Any]]:
    """The entity rows of these kinds valid before `cutoff` (in a village, meeting `where`)."""
    clause, params = _valid_at(cutoff)
    clause += " AND kind = ANY(:kinds)"
    params["kinds"] = kinds
    if village is not None:
        clause += " AND village = :village"
        params["village"] = village
    if where is not None:
        clause += f" AND {where.sql()}"
    return clause, params


def _valid_at(cutoff: dt.datetime | None) -> tuple[str, dict[str, Any]]:
    """The rows valid just before `cutoff` (a day's end), or the newest rows."""
    if cutoff is None:
        return "valid_to = 'infinity'", {}
    return "valid_from < :cutoff AND valid_to >= :cutoff", {"cutoff": cutoff}


def _entity(r: Any) -> Entity:
    return Entity(
        stream_id=r.stream_id,
        kind=r.kind,
        entity_id=r.entity_id,
        village=r.village,
        status=r.status,
        version=int(r.version),
        valid_from=r.valid_from,
        state=_json(r.state),
    )


class ReadModels:
    """Opens snapshots of the live data schema: a town's, or, for a county projection, the
    union of its towns' (`county`) or one town's of them."""

    def __init__(
        self, engine: AsyncEngine, generations: Generations, county: County | None = None
    ) -> None:
        self.engine = engine
        self.generations = generations
        self.county = county

    @asynccontextmanager
    async def snapshot(self, town: str | None = None) -> AsyncIterator[Snapshot]:
        """A snapshot of the area's live read models; with `town` (one of a county's towns),
        of that town's alone."""
        county = self.county
        if county is not None and town is None:  # the union views are made outside it
            async with self.engine.connect() as first:
                await county.union_schema(first)
                await first.commit()
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
            async with conn.begin():
                if county is None:
                    yield Snapshot(conn, await self.generations.current(conn))
                elif town is not None and town in county.towns:
                    yield Snapshot(conn, await county.town_schema(conn, town))
                elif town is not None and is_town(town):  # never the union for a town's ask
                    raise LookupError(f"no town {town} in this county projection")
                else:
                    schema = await county.union_schema(conn)
                    towns = {t: await county.town_schema(conn, t) for t in county.towns}
                    yield Snapshot(conn, schema, county=True, towns=towns)
