"""A brute-force reference reader: what `Snapshot` answers, computed in Python from the envelopes.

The oracle of the equality test (`tests/integration/test_oracle.py`): every question folds every
stream from scratch, at the time it is asked, from the list of envelopes (or from all rows of a
schema's `event_log`), with the projection's own fold (`domain.folds.fold` and the rules). Simple,
obviously right, slow; never used to serve a view.

What it reproduces of the projection's semantics, on purpose and nothing else:
- one town: envelopes of another town are skipped; an event id counts once (the first copy);
- a stream's state as of a day is the fold, in version order, of its events dated by that day
  (an event dated before the stream's first counts from the first one's day); one version per
  business day an event is dated;
- an event's `kind` is its entity's, its `village` the payload's `village` when given (non-empty),
  else the entity's after the event; an entity version carries that same village;
- "as of" `cutoff`: the newest version with `valid_from < cutoff`; flows: `start <= occurred_at
  < cutoff`;
- states and payloads as they come back from a jsonb column (`stored`);
- order as PostgreSQL gives it (the project's databases collate by code point, `C.UTF-8`);
  where the SQL leaves the order open (`flow_counts`), rows are sorted.

To add a `Snapshot` method: write it here over `_tables()` (the log rows and every stream's
versions) as the plainest loop that says what the SQL means, with the same signature and return
type; the oracle test checks that both readers offer the same methods.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from projection.adapters.projector import business_day_start
from projection.adapters.queries import (
    Condition,
    Page,
    Sort,
    Tally,
    at_path,
    json_text,
    ordered,
)
from projection.adapters.reader import Entity, LoggedEvent, logged_envelope
from projection.adapters.reference_auditing import ReferenceAudit
from projection.domain.catalogue import RULES, SUMS
from projection.domain.folds import Fact, Rule, State, fold, referenced_ids
from shared.codec import upcast
from shared.db import checked_schema
from shared.envelope import Envelope
from shared.settings import YISUHE_TOWN_CODE

#: `related_streams` answers at most this many streams (as the SQL's LIMIT).
RELATED_LIMIT = 50


@dataclass(frozen=True, slots=True)
class LogRow:
    """An event as the event log holds it: the envelope (its payload as stored), its entity's
    kind and its village."""

    env: Envelope
    kind: str
    village: str | None
    payload: dict[str, Any]
    before: State  # the entity's state before the event (what a flow's sums may read)


@dataclass(frozen=True, slots=True)
class Tables:
    """What the projection's read models hold, recomputed: the log in arrival order and every
    stream's versions (`Entity` per event, in version order)."""

    log: list[LogRow]
    versions: dict[str, list[Entity]]


def stored(value: Any) -> Any:
    """A value as it comes back from a jsonb column: Decimal and other types as text, and the
    keys of every object in jsonb's order (shorter keys first, then by their UTF-8 bytes), which
    shows wherever a view turns a nested object into text."""
    return _jsonb_order(json.loads(json.dumps(value, ensure_ascii=False, default=str)))


def _jsonb_order(value: Any) -> Any:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return {k: _jsonb_order(value[k]) for k in keys}
    if isinstance(value, list):
        return [_jsonb_order(item) for item in value]
    return value


class ReferenceSnapshot(ReferenceAudit):
    """`Snapshot`'s questions answered by folding every stream from scratch, each time."""

    async def whatif(self) -> None:
        """The reference reads no what-if generation (a 推演 is compared with the live one)."""
        return None

    def __init__(
        self,
        envelopes: Iterable[Envelope],
        *,
        town: str | None = YISUHE_TOWN_CODE,
        rules: Mapping[str, Rule] = RULES,
        schema: str = "reference",
    ) -> None:
        self.envelopes = list(envelopes)
        self.town = town
        self.rules = rules
        self.schema = schema
        #: A county's towns (the reference folds one town: none).
        self.towns: dict[str, str] = {}
        self._folded: Tables | None = None

    @classmethod
    async def from_event_log(
        cls,
        conn: AsyncConnection,
        schema: str,
        *,
        town: str | None = YISUHE_TOWN_CODE,
        rules: Mapping[str, Rule] = RULES,
    ) -> ReferenceSnapshot:
        """The reference over every envelope of a schema's `event_log` (its `kind`, `village`
        and history are ignored: they are recomputed)."""
        rows = await conn.execute(
            text(
                "SELECT event_id, event_type, schema_version, stream_id, stream_version,"
                " occurred_at, recorded_at, actor_id, actor_role, correlation_id, causation_id,"
                f' town, payload, prev_hash, hash FROM "{checked_schema(schema)}".event_log'
                " ORDER BY stream_id, stream_version"
            )
        )
        envelopes = [logged_envelope(r) for r in rows]
        return cls(envelopes, town=town, rules=rules, schema=schema)

    # -- the read models, recomputed ------------------------------------------------------

    def _accepted(self) -> list[Envelope]:
        """The envelopes the projection logs: this town's, each event id once."""
        seen: set[uuid.UUID] = set()
        out = []
        for env in self.envelopes:
            if self.town and env.town != self.town:
                continue
            if env.event_id in seen:
                continue
            seen.add(env.event_id)
            out.append(env)
        return out

    def _tables(self) -> Tables:
        """Every stream folded from its first event, once per reference (its envelopes are
        fixed when it is made)."""
        if self._folded is None:
            self._folded = self._fold_all()
        return self._folded

    def _fold_all(self) -> Tables:
        accepted = self._accepted()
        streams: dict[str, list[Envelope]] = {}
        for env in accepted:
            streams.setdefault(env.stream_id, []).append(env)
        versions: dict[str, list[Entity]] = {}
        logged: dict[uuid.UUID, tuple[str, str | None]] = {}
        before: dict[uuid.UUID, State] = {}
        for stream_id, envs in streams.items():
            ordered = sorted(envs, key=lambda e: e.stream_version)
            numbers = [e.stream_version for e in ordered]
            if len(set(numbers)) != len(numbers):
                raise ValueError(f"stream {stream_id} has two events of one version: {numbers}")
            state: State | None = None
            for env in ordered:  # the log's kind and village, and sums' state before: in order
                before[env.event_id] = state or {}
                folded = fold(state, Fact.of(env), self.rules)
                state = folded.state
                logged[env.event_id] = (folded.kind, _village(env, folded.village))
            history = _by_business_day(stream_id, ordered, self.rules)
            versions[stream_id] = history
        log = []
        for env in accepted:
            payload = stored(env.payload)
            log.append(
                LogRow(
                    replace(env, payload=payload),
                    *logged[env.event_id],
                    payload,
                    before[env.event_id],
                )
            )
        return Tables(log=log, versions=versions)

    # -- Snapshot's questions ---------------------------------------------------------------

    async def entities(
        self,
        kinds: str | Sequence[str],
        *,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[Entity]:
        """Every entity of these kinds as it was before `cutoff` (None: as it is now)."""
        wanted = {kinds} if isinstance(kinds, str) else set(kinds)
        found = []
        for history in self._tables().versions.values():
            known = [
                v for v in history if v.kind in wanted and (cutoff is None or v.valid_from < cutoff)
            ]
            if not known:
                continue
            latest = max(known, key=lambda v: v.valid_from)
            if village is not None and latest.village != village:
                continue
            found.append(latest)
        return sorted(found, key=lambda e: (e.valid_from, e.stream_id))

    async def status_events(
        self, stream_ids: Sequence[str], *, cutoff: dt.datetime | None
    ) -> dict[str, uuid.UUID]:
        """For each stream, the event that brought it into its status as of `cutoff`: the
        newest event of the first day of its last run of days in that status."""
        ids = {(r.env.stream_id, r.env.stream_version): r.env.event_id for r in self._tables().log}
        found: dict[str, uuid.UUID] = {}
        for stream_id in stream_ids:
            days: dict[dt.datetime, Entity] = {}
            for v in self._tables().versions.get(stream_id, []):
                if cutoff is None or v.valid_from < cutoff:
                    days[v.valid_from] = v  # a day's row holds its newest version
            run: tuple[str | None, uuid.UUID] | None = None
            for day in sorted(days):
                v = days[day]
                event = ids.get((stream_id, v.version))
                if event is not None and (run is None or run[0] != v.status):
                    run = (v.status, event)
            if run is not None:
                found[stream_id] = run[1]
        return found

    async def logged(self, event_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Envelope]:
        """Logged events by id (those in the log)."""
        wanted = set(event_ids)
        return {
            r.env.event_id: replace(r.env, payload=r.payload)
            for r in self._tables().log
            if r.env.event_id in wanted
        }

    async def entities_by_stream(
        self, stream_ids: Sequence[str], *, cutoff: dt.datetime | None
    ) -> dict[str, Entity]:
        """These entities as they were before `cutoff`, by stream (those that existed then)."""
        found = {sid: await self.entity(sid, cutoff=cutoff) for sid in stream_ids}
        return {sid: e for sid, e in found.items() if e is not None}

    async def entity(self, stream_id: str, *, cutoff: dt.datetime | None) -> Entity | None:
        """One entity as it was before `cutoff` (None: now), or None if it did not exist."""
        history = self._tables().versions.get(stream_id, [])
        known = [v for v in history if cutoff is None or v.valid_from < cutoff]
        return max(known, key=lambda v: v.valid_from) if known else None

    async def entity_page(
        self,
        kinds: str | Sequence[str],
        *,
        cutoff: dt.datetime | None,
        village: str | None = None,
        page: Page,
        where: Condition | None = None,
    ) -> tuple[int, list[Entity]]:
        """How many entities there were (meeting `where`), and the page of them asked for."""
        found = await self.entities(kinds, cutoff=cutoff, village=village)
        if where is not None:
            found = [e for e in found if where.test(e.status, e.state)]
        if page.sort is None:
            found = sorted(found, key=lambda e: e.stream_id)
        else:
            found = ordered(
                found,
                page.sort,
                column=lambda e: {
                    "village": e.village,
                    "status": e.status,
                    "entity_id": e.entity_id,
                    "kind": e.kind,
                },
                state=lambda e: e.state,
                stream=lambda e: e.stream_id,
            )
        end = None if page.limit is None else page.offset + page.limit
        return len(found), found[page.offset : end]

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
        """Every entity `entity_page` would list, in its order, `chunk` at a time."""
        _, found = await self.entity_page(
            kinds, cutoff=cutoff, village=village, page=Page(limit=None, sort=sort), where=where
        )
        for start in range(0, len(found), chunk):
            yield found[start : start + chunk]

    async def slim_entities(
        self,
        kind: str,
        paths: Mapping[str, Sequence[str]],
        *,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[Entity]:
        """Every entity of a kind, its state cut down to the named values."""
        return [
            replace(e, state={name: at_path(e.state, path) for name, path in paths.items()})
            for e in await self.entities(kind, cutoff=cutoff, village=village)
        ]

    async def object_keys(
        self,
        kind: str,
        keys: Sequence[str],
        *,
        cutoff: dt.datetime | None,
        village: str | None = None,
        where: Condition | None = None,
    ) -> set[str]:
        """Every key found in these object fields of one kind's entities."""
        found: set[str] = set()
        for e in await self.entities(kind, cutoff=cutoff, village=village):
            if where is not None and not where.test(e.status, e.state):
                continue
            for key in keys:
                field = e.state.get(key)
                if isinstance(field, dict):
                    found.update(field)
        return found

    async def tally(
        self,
        tally: Tally,
        *,
        cutoff: dt.datetime | None,
        start: dt.datetime | None = None,
        village: str | None = None,
    ) -> list[dict[str, Any]]:
        """Entities of one kind counted by `tally.by`, with each condition and fact count."""
        with_fact: dict[str, set[str]] = {
            name: {
                row.env.stream_id
                for row in self._tables().log
                if _flow(row, types, start=start, cutoff=cutoff, village=None)
            }
            for name, types in tally.facts.items()
        }
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        for e in await self.entities(tally.kind, cutoff=cutoff, village=village):
            column = {
                "village": e.village,
                "status": e.status,
                "entity_id": e.entity_id,
                "kind": e.kind,
            }
            key = tally.group_key(column, e.state)
            row = groups.setdefault(
                key,
                {**dict(zip(tally.by, key, strict=True)), "n": 0}
                | {name: 0 for name in [*tally.facts, *tally.conditions]},
            )
            row["n"] += 1
            for name, streams in with_fact.items():
                row[name] += e.stream_id in streams
            for name, condition in tally.conditions.items():
                row[name] += condition.test(e.status, e.state)
        return list(groups.values())

    async def flow_counts(
        self,
        event_types: Sequence[str],
        *,
        start: dt.datetime | None,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[tuple[str, str | None, int]]:
        """(event type, village, count) of events of these types in [start, cutoff)."""
        counts = Counter(
            (row.env.event_type, row.village)
            for row in self._tables().log
            if _flow(row, event_types, start=start, cutoff=cutoff, village=village)
        )
        return sorted(((t, v, n) for (t, v), n in counts.items()), key=lambda x: (x[0], x[1] or ""))

    async def flow_sums(
        self,
        event_types: Sequence[str],
        *,
        start: dt.datetime | None,
        cutoff: dt.datetime | None,
        village: str | None = None,
    ) -> list[tuple[str, str, str, Decimal]]:
        """(event type, key, figure, sum) of these types' numbers in [start, cutoff)."""
        totals: dict[tuple[str, str, str], Decimal] = {}
        for row in self._tables().log:
            add = SUMS.get(row.env.event_type)
            if add is None or not _flow(
                row, event_types, start=start, cutoff=cutoff, village=village
            ):
                continue
            key, numbers = add(
                row.before, upcast(row.env.event_type, row.env.schema_version, row.payload)[1]
            )
            for figure, value in numbers.items():
                at = (row.env.event_type, key, figure)
                totals[at] = totals.get(at, Decimal(0)) + value
        return sorted((*k, v) for k, v in totals.items())

    async def facts(
        self,
        event_types: Sequence[str],
        *,
        start: dt.datetime | None,
        cutoff: dt.datetime | None,
        village: str | None = None,
        prefix: tuple[str, str] | None = None,
    ) -> list[LoggedEvent]:
        """Events of these types that occurred in [start, cutoff), oldest first (whose payload's
        `key` starts with `text`, with `prefix`)."""
        rows = [
            row
            for row in self._tables().log
            if _flow(row, event_types, start=start, cutoff=cutoff, village=village)
            and (prefix is None or _starts(row.payload.get(prefix[0]), prefix[1]))
        ]
        rows.sort(key=lambda r: (r.env.occurred_at, r.env.stream_id, r.env.stream_version))
        return [
            LoggedEvent(
                r.env.event_type,
                r.env.stream_id,
                r.kind,
                r.village,
                r.env.occurred_at,
                upcast(r.env.event_type, r.env.schema_version, r.payload)[1],
                r.env.event_id,
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
        """The distinct first `length` characters of `key` in these events' payloads."""
        return {
            text_[:length]
            for row in self._tables().log
            if _flow(row, event_types, start=start, cutoff=cutoff, village=village)
            and key in row.payload
            and (text_ := json_text(row.payload[key])) is not None
        }

    async def stream(self, stream_id: str) -> list[tuple[Envelope, str, str | None]]:
        """A stream's logged events in version order, as envelopes (with kind and village)."""
        rows = [row for row in self._tables().log if row.env.stream_id == stream_id]
        rows.sort(key=lambda r: (r.env.stream_version, r.env.recorded_at))
        return [(row.env, row.kind, row.village) for row in rows]

    async def find_stream(self, kind: str, entity_id: str) -> str | None:
        """The stream of an entity named by kind and id (the first by stream id when several
        streams match: the SQL's `LIMIT 1` does not say which)."""
        matches = sorted(
            stream_id
            for stream_id, history in self._tables().versions.items()
            if any(v.kind == kind and v.entity_id == entity_id for v in history)
        )
        return matches[0] if matches else None

    async def related_streams(self, stream_id: str, entity_id: str) -> list[tuple[str, str]]:
        """Other streams whose events name this entity's id (`folds.referenced_ids`)."""
        tables = self._tables()
        own = {sid: h[-1].entity_id for sid, h in tables.versions.items() if h}
        found = {
            (row.env.stream_id, row.kind)
            for row in tables.log
            if row.env.stream_id != stream_id
            and entity_id in referenced_ids(row.payload, own.get(row.env.stream_id, ""))
        }
        return sorted(found)[:RELATED_LIMIT]

    async def stats(self) -> dict[str, Any]:
        """Counts of the log (for the dashboard footer and readiness)."""
        log = self._tables().log
        return {
            "events": len(log),
            "last_recorded": max((r.env.recorded_at for r in log), default=None),
            "first_occurred": min((r.env.occurred_at for r in log), default=None),
            "schema": self.schema,
        }


def _village(env: Envelope, entity_village: str | None) -> str | None:
    """An event's village in the log: the payload's when it names one (an allocation to a
    village, a payment in it), else the entity's (an entity's own village is its state's)."""
    given = env.payload.get("village")
    return str(given) if given else entity_village


def _flow(
    row: LogRow,
    event_types: Sequence[str],
    *,
    start: dt.datetime | None,
    cutoff: dt.datetime | None,
    village: str | None,
) -> bool:
    at = row.env.occurred_at
    return (
        row.env.event_type in event_types
        and (start is None or at >= start)
        and (cutoff is None or at < cutoff)
        and (village is None or row.village == village)
    )


def _starts(value: Any, text_: str) -> bool:
    """What `starts_with(payload->>key, text)` says (an absent key never starts with anything)."""
    shown = json_text(value)
    return shown is not None and shown.startswith(text_)


def _by_business_day(
    stream_id: str, ordered: list[Envelope], rules: Mapping[str, Rule]
) -> list[Entity]:
    """A stream's states by business day, as its owning service reads "as of" a day: on each
    day an event is dated, the fold (in version order) of every event dated by that day; an
    event dated before the stream's first event counts from the first event's day (an entity
    does not exist before it is created)."""
    first = business_day_start(ordered[0].occurred_at)
    days = {env.event_id: max(business_day_start(env.occurred_at), first) for env in ordered}
    history = []
    for day in sorted(set(days.values())):
        state: State | None = None
        for env in ordered:
            if days[env.event_id] <= day:
                folded = fold(state, Fact.of(env), rules)
                state, last = folded.state, env
        history.append(
            Entity(
                stream_id=stream_id,
                kind=folded.kind,
                entity_id=folded.entity_id,
                village=folded.village,
                status=folded.status,
                version=last.stream_version,
                valid_from=day,
                state=stored(folded.state),
            )
        )
    return history
