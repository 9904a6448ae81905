"""Every stored hash rebuilt from the store's columns by a second, independent implementation
of `contracts/hash-spec.md` (standard library `json` and `hashlib` only; no `Envelope`,
`canonical_json` or `_iso`): one event of every registered event type of every service,
with adversarial text, times, ids and numbers, appended through the real `EventStore`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import types
import typing
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from contracts.generate import load
from shared.contracts import SHARED_CONTEXTS
from shared.envelope import Actor
from shared.eventstore import CommandContext, EventStore
from shared.kernel import EVENT_CLASSES, Event

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

GENESIS = "0" * 64

# --- the second implementation, written from the spec --------------------------------------


def spec_time(value: dt.datetime) -> str:
    """§4: UTC, four-digit year, exactly six fractional digits, `+00:00`. A naive value is
    UTC already: asyncpg reads `-infinity` / `infinity` back as naive min / max (§5.1)."""
    utc = dt.timezone.utc  # noqa: UP017 - spelled out on purpose
    u = value.replace(tzinfo=utc) if value.tzinfo is None else value.astimezone(utc)
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}"
        f".{u.microsecond:06d}+00:00"
    )


def spec_hash(fields: dict[str, Any]) -> str:
    """§3: sorted keys, no spaces, non-ASCII raw, UTF-8; then lowercase hex SHA-256."""
    data = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def fields_from_row(row: Any) -> dict[str, Any]:
    """§5.1: the 13 hashed fields from the columns as PostgreSQL returns them."""
    return {
        "event_id": row.event_id,
        "event_type": row.event_type,
        "schema_version": row.schema_version,
        "stream_id": row.stream_id,
        "stream_version": row.stream_version,
        "occurred_at": spec_time(row.occurred_at),
        "recorded_at": spec_time(row.recorded_at),
        "actor": json.loads(row.actor),
        "correlation_id": row.correlation_id,
        "causation_id": row.causation_id,  # None stays, written as null
        "town": row.town,
        "payload": json.loads(row.payload),
        "prev_hash": row.prev_hash,
    }


ROWS = """SELECT event_id::text AS event_id, event_type, schema_version, stream_id,
    stream_version, occurred_at, recorded_at, actor::text AS actor,
    correlation_id::text AS correlation_id, causation_id::text AS causation_id, town,
    payload::text AS payload, prev_hash, hash,
    {sql_time} AS occurred_sql, {sql_time_rec} AS recorded_sql
    FROM "{schema}".events ORDER BY global_position"""

#: §5.1's SQL spelling of §4 (NULL for the infinite values asyncpg writes for min / max).
SQL_TIME = """to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""

# --- sample events of every registered type, with adversarial values -----------------------

TEXTS = [
    "连心惠民 湘潭县易俗河镇",
    "group\x1dseparator",
    "tab\tnew\nline\rcr\x08bs\x0cff",
    'quote" back\\slash /slash',
    "\x01\x1f\x7f",
    "emoji 😀 and 𠀀 (outside the BMP)",
    "\u2028line\u2029para\ufeffbom",
    "",
    "plain ascii",
]
INTS = [0, -1, 7, 2**63, 2**70 + 1, 10**30]
DECIMALS = [Decimal("1800.00"), Decimal("-0.00"), Decimal("12345678901234567890.123456789")]
DATES = [dt.date(2024, 2, 29), dt.date(1, 1, 1), dt.date(9999, 12, 31)]


class Samples:
    """Values by type, cycling through the adversarial lists."""

    def __init__(self) -> None:
        self.texts = itertools.cycle(TEXTS)
        self.ints = itertools.cycle(INTS)
        self.decimals = itertools.cycle(DECIMALS)
        self.dates = itertools.cycle(DATES)
        self.flip = itertools.cycle([True, False])

    def value(self, hint: Any) -> Any:
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if hasattr(hint, "__supertype__"):  # NewType
            return self.value(hint.__supertype__)
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            return None if next(self.flip) else self.value(inner[0])
        if origin in (list, tuple):
            return origin(self.value(args[0]) for _ in range(2))  # nested lists on the wire
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            return self.instance(hint)
        simple: dict[Any, Iterator[Any]] = {
            str: self.texts,
            int: self.ints,
            Decimal: self.decimals,
            dt.date: self.dates,
            bool: self.flip,
        }
        if hint in simple:
            return next(simple[hint])
        raise AssertionError(f"no sample for {hint!r}: extend Samples")

    def instance(self, cls: type[Any]) -> Any:
        hints = typing.get_type_hints(cls)
        values = {f.name: self.value(hints[f.name]) for f in dataclasses.fields(cls) if f.init}
        return cls(**values)


def registered() -> dict[tuple[str, int], type[Event]]:
    """Every event class the services (and the shared contexts) register; test stand-ins
    registered by other test modules are left out."""
    contexts = {*load(), *SHARED_CONTEXTS}
    return {k: c for k, c in EVENT_CLASSES.items() if k[0].partition(".")[0] in contexts}


def contexts() -> Iterator[CommandContext]:
    """Command contexts with odd actors, causes and times (microsecond 0, other offsets)."""
    cause = uuid.uuid4()
    yield CommandContext(Actor("张三\x1d", "village_clerk"), "430321100", uuid.uuid4())
    yield CommandContext(
        Actor("system", "system"),
        "430321100",
        uuid.uuid4(),
        causation_id=cause,
        occurred_at=dt.datetime(2024, 5, 1, 8, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )
    yield CommandContext(
        Actor('"quoted"\\', "town_leader"),
        "430321",
        uuid.uuid4(),
        occurred_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC),  # stored as -infinity
    )
    yield CommandContext(
        Actor("u", "r"),
        "430321100",
        uuid.uuid4(),
        occurred_at=dt.datetime.max.replace(tzinfo=dt.UTC),  # stored as infinity
    )
    yield CommandContext(
        Actor("u", "r"),
        "430321100001",
        uuid.uuid4(),
        causation_id=cause,
        occurred_at=dt.datetime(2000, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC),
    )


STREAMS = ["household-430321100-0001", "流\x1d组", "emoji😀stream", 'a/b\\c"d', "\u2028"]


async def test_every_stored_hash_is_rebuilt_from_the_columns(store: EventStore) -> None:
    classes = registered()
    assert len(classes) > 100, "the services' event modules did not load"
    samples, ctxs = Samples(), itertools.cycle(list(contexts()))
    nows = itertools.cycle(
        [
            dt.datetime(2024, 6, 1, 12, 0, 0, 0, tzinfo=dt.UTC),  # microsecond 0
            dt.datetime(2024, 6, 1, 12, 0, 0, 999999, tzinfo=dt.UTC),
            None,  # the store's own clock
        ]
    )
    for number, cls in enumerate(classes[key] for key in sorted(classes)):
        stream = STREAMS[number % len(STREAMS)]
        event = samples.instance(cls)
        await store.append(stream, -1, [event], next(ctxs), now=next(nows))

    async with store.engine.connect() as conn:
        sql = ROWS.format(
            schema=store.schema,
            sql_time=SQL_TIME.format(column="occurred_at"),
            sql_time_rec=SQL_TIME.format(column="recorded_at"),
        )
        rows = (await conn.execute(text(sql))).all()

    covered: set[tuple[str, int]] = set()
    heads: dict[str, tuple[int, str]] = {}
    for row in rows:
        fields = fields_from_row(row)
        assert spec_hash(fields) == row.hash, (row.event_type, fields)
        for spelled, in_sql in (
            (fields["occurred_at"], row.occurred_sql),
            (fields["recorded_at"], row.recorded_sql),
        ):
            assert in_sql in (spelled, None)
        version, prev = heads.get(row.stream_id, (0, GENESIS))
        assert (row.stream_version, row.prev_hash) == (version + 1, prev)
        heads[row.stream_id] = (row.stream_version, row.hash)
        covered.add((row.event_type, row.schema_version))
    assert covered == set(classes)
    assert len(rows) == len(classes)
    times = [r.occurred_at for r in rows] + [r.recorded_at for r in rows]
    assert any(t.microsecond == 0 for t in times) and any(t.microsecond for t in times)
    assert {r.occurred_sql is None for r in rows} == {True, False}  # infinite and finite
    assert any(r.causation_id is None for r in rows) and any(r.causation_id for r in rows)
    payloads = "".join(r.payload for r in rows)
    assert str(2**70 + 1) in payloads and "\\u001d" in payloads


async def test_every_wire_form_in_the_outbox_is_rebuilt(store: EventStore) -> None:
    """§5.2: the outbox `value` (what Kafka carries) parsed, `hash` dropped, re-serialised."""
    samples, ctxs = Samples(), itertools.cycle(list(contexts()))
    classes = registered()
    for number, cls in enumerate(classes[key] for key in sorted(classes)):
        await store.append(STREAMS[number % 2], -1, [samples.instance(cls)], next(ctxs))
    async with store.engine.connect() as conn:
        values = (
            await conn.execute(text(f'SELECT value FROM "{store.schema}".outbox ORDER BY id'))
        ).scalars()
        bodies = [json.loads(bytes(v)) for v in values]
    assert len(bodies) == len(classes)
    for body in bodies:
        sealed = body.pop("hash")
        assert len(body) == 13
        assert spec_hash(body) == sealed, body
