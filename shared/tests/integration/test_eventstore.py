"""The event store on the real PostgreSQL: optimistic concurrency, reads, tamper evidence,
upcasting."""

import asyncio
import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from shared.codec import upcaster
from shared.envelope import Actor, Envelope
from shared.eventstore import NO_STREAM, CommandContext, EventStore
from shared.kernel import ConcurrencyConflict, Event, event_type
from shared.unit_of_work import UnitOfWork

from .sample import Counted, Counter

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


def ctx(day: int | None = None) -> CommandContext:
    occurred = dt.datetime(2016, 6, day, tzinfo=dt.UTC) if day else None
    return CommandContext(
        actor=Actor("u-1", "agriculture_leader"),
        town="430321100",
        correlation_id=uuid.uuid4(),
        occurred_at=occurred,
    )


async def test_two_appends_at_the_same_version_exactly_one_wins(store: EventStore) -> None:
    for round_ in range(10):
        stream = f"race-{round_}"
        results = await asyncio.gather(
            store.append(stream, NO_STREAM, [Counted(n=1)], ctx()),
            store.append(stream, NO_STREAM, [Counted(n=1)], ctx()),
            return_exceptions=True,
        )
        wins = [r for r in results if isinstance(r, list)]
        conflicts = [r for r in results if isinstance(r, ConcurrencyConflict)]
        assert (len(wins), len(conflicts)) == (1, 1), results
        assert len(await store.read_stream(stream)) == 1


async def test_a_stale_expected_version_is_a_conflict_and_stores_nothing(store: EventStore) -> None:
    await store.append("c-1", NO_STREAM, [Counted(n=1)], ctx())
    with pytest.raises(ConcurrencyConflict, match="version 1, not 0"):
        await store.append("c-1", NO_STREAM, [Counted(n=1), Counted(n=2)], ctx())
    assert [e.stream_version for e in await store.read_stream("c-1")] == [1]


async def test_the_unit_of_work_loads_decides_and_appends(store: EventStore) -> None:
    for _ in range(3):
        async with UnitOfWork(store, ctx()) as uow:
            counter = await uow.load(Counter, "counter-1")
            counter.count()
            await uow.commit()
    async with UnitOfWork(store, ctx()) as uow:
        counter = await uow.get(Counter, "counter-1")
    assert (counter.value, counter.version) == (3, 3)


async def test_a_failed_unit_of_work_stores_nothing(store: EventStore) -> None:
    with pytest.raises(RuntimeError):
        async with UnitOfWork(store, ctx()) as uow:
            (await uow.load(Counter, "counter-2")).count()
            raise RuntimeError("boom before commit")
    assert await store.read_stream("counter-2") == []


async def test_read_as_of_a_business_date(store: EventStore) -> None:
    for day in (1, 10, 20):
        events = await store.read_stream("dated")
        await store.append("dated", len(events), [Counted(n=day)], ctx(day))
    as_of = dt.datetime(2016, 6, 15, tzinfo=dt.UTC)
    assert [e.payload["n"] for e in await store.read_stream("dated", as_of=as_of)] == [1, 10]
    assert len(await store.read_all(as_of=as_of)) == 2


async def test_read_all_is_in_global_order(store: EventStore) -> None:
    await store.append("a", NO_STREAM, [Counted(n=1)], ctx())
    await store.append("b", NO_STREAM, [Counted(n=1)], ctx())
    await store.append("a", 1, [Counted(n=2)], ctx())
    everything = await store.read_all()
    assert [(e.stream_id, e.stream_version) for e in everything] == [("a", 1), ("b", 1), ("a", 2)]
    assert [
        e.stream_id for e in await store.read_all(after=everything[0].global_position or 0)
    ] == ["b", "a"]


async def test_a_tampered_row_is_named_by_the_chain_check(store: EventStore) -> None:
    await store.append("audit-1", NO_STREAM, [Counted(n=1), Counted(n=2), Counted(n=3)], ctx())
    assert await store.verify("audit-1") == []
    async with store.engine.begin() as conn:
        await conn.execute(
            text(
                f'UPDATE "{store.schema}".events SET payload = CAST(:p AS jsonb)'
                " WHERE stream_id = 'audit-1' AND stream_version = 2"
            ),
            {"p": '{"n": 200}'},
        )
    breaks = await store.verify("audit-1")
    assert [(b.stream_version, "altered" in b.reason) for b in breaks] == [(2, True)]


@event_type("coretest.Renamed", version=1)
@dataclass(frozen=True, kw_only=True, slots=True)
class RenamedV1(Event):
    """Old: one name field."""

    name: str


@event_type("coretest.Renamed", version=2)
@dataclass(frozen=True, kw_only=True, slots=True)
class Renamed(Event):
    """New: the name split in family and given name."""

    family_name: str
    given_name: str


@upcaster("coretest.Renamed", from_version=1)
def _split(payload: dict[str, object]) -> dict[str, object]:
    name = str(payload["name"])
    return {"family_name": name[:1], "given_name": name[1:]}


async def test_an_old_stored_event_is_read_as_the_new_version(store: EventStore) -> None:
    old = Envelope(
        event_id=uuid.uuid4(),
        event_type="coretest.Renamed",
        schema_version=1,
        stream_id="person-1",
        stream_version=1,
        occurred_at=dt.datetime(2016, 1, 1, tzinfo=dt.UTC),
        recorded_at=dt.datetime(2016, 1, 1, tzinfo=dt.UTC),
        actor=Actor("u", "system"),
        correlation_id=uuid.uuid4(),
        causation_id=None,
        town="430321100",
        payload={"name": "张三"},
    ).sealed("0" * 64)
    async with store.engine.begin() as conn:
        await store.write(conn, [old])
    events, version = await store.load_events("person-1")
    assert (events, version) == ([Renamed(family_name="张", given_name="三")], 1)


async def test_a_lost_race_inside_a_transaction_leaves_it_usable_and_clean(
    store: EventStore,
) -> None:
    first = await store.append("raced", NO_STREAM, [Counted(n=1)], ctx())
    rival = Envelope.from_json(first[0].to_json())
    rival = Envelope(
        **{**{f: getattr(rival, f) for f in rival.__dataclass_fields__}, "event_id": uuid.uuid4()}
    ).sealed("0" * 64)
    second = Envelope(
        **{
            **{f: getattr(rival, f) for f in rival.__dataclass_fields__},
            "event_id": uuid.uuid4(),
            "stream_version": 2,
        }
    ).sealed(rival.hash)
    async with store.engine.connect() as conn, conn.begin():
        with pytest.raises(ConcurrencyConflict, match="another writer"):
            await store.write(conn, [rival, second])  # v1 taken: v2 must not stay behind
        assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1
    assert [e.event_id for e in await store.read_stream("raced")] == [first[0].event_id]
