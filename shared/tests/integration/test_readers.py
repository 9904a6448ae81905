"""The aggregate reader on the real PostgreSQL: one aggregate or a whole kind rebuilt from the
store, "as of" a business date in China, chosen by stream prefix or by an event and its
payload, in order of creation or of stream id."""

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest

from shared.envelope import Actor
from shared.eventstore import NO_STREAM, CommandContext, EventStore
from shared.kernel import Aggregate, Event, NotFound, event_type
from shared.readers import AggregateReader
from shared.unit_of_work import UnitOfWork

from .sample import Counted, Counter

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

CHINA_MIDNIGHT_JUNE_11 = dt.datetime(2016, 6, 10, 16, 0, tzinfo=dt.UTC)


@event_type("coretest.Opened")
@dataclass(frozen=True, kw_only=True, slots=True)
class Opened(Event):
    """A case was opened, in a village or at town level."""

    village: str | None


class Case(Aggregate):
    """Opened once, then counted."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.village: str | None = None
        self.count = 0

    def _apply(self, event: Event) -> None:
        if isinstance(event, Opened):
            self.village = event.village
        elif isinstance(event, Counted):
            self.count = event.n


def at(when: dt.datetime | None = None) -> CommandContext:
    return CommandContext(
        actor=Actor("u-1", "system"),
        town="430321100",
        correlation_id=uuid.uuid4(),
        occurred_at=when,
    )


async def count(store: EventStore, stream_id: str, *days: dt.datetime) -> None:
    for n, when in enumerate(days, start=1):
        await store.append(stream_id, n - 1, [Counted(n=n)], at(when))


async def test_one_aggregate_as_of_a_business_day_ends_at_midnight_in_china(
    store: EventStore,
) -> None:
    last_second = CHINA_MIDNIGHT_JUNE_11 - dt.timedelta(seconds=1)
    await count(store, "counter-1", last_second, CHINA_MIDNIGHT_JUNE_11)
    reader = AggregateReader(store)
    assert (await reader.load(Counter, "counter-1")).value == 2
    june_10 = await reader.load(Counter, "counter-1", as_of=dt.date(2016, 6, 10))
    assert (june_10.value, june_10.version) == (1, 1)
    assert (await reader.load(Counter, "counter-1", as_of=last_second)).value == 1
    before = await reader.load(Counter, "counter-1", as_of=dt.date(2016, 6, 9))
    assert not before.exists and before.value == 0


async def test_get_refuses_an_aggregate_without_events_by_then(store: EventStore) -> None:
    await count(store, "counter-2", CHINA_MIDNIGHT_JUNE_11)
    reader = AggregateReader(store)
    assert (await reader.get(Counter, "counter-2", "计数器")).value == 1
    with pytest.raises(NotFound, match="计数器 counter-2 不存在"):
        await reader.get(Counter, "counter-2", "计数器", as_of=dt.date(2016, 6, 10))
    with pytest.raises(NotFound, match="Counter counter-9 不存在"):
        await reader.get(Counter, "counter-9")


async def test_a_kind_by_prefix_in_order_of_creation_or_of_stream_id(store: EventStore) -> None:
    june = [dt.datetime(2016, 6, d, 12, tzinfo=dt.UTC) for d in (1, 2, 3)]
    await count(store, "counter-b", june[0], june[2])
    await count(store, "counter-a", june[1])
    await count(store, "counterfeit-x", june[0])
    await count(store, "counter_c", june[0])  # `_` is not a wildcard
    reader = AggregateReader(store)
    created = await reader.load_all(Counter, "counter-")
    assert [(c.stream_id, c.value, c.version) for c in created] == [
        ("counter-b", 2, 2),
        ("counter-a", 1, 1),
    ]
    by_id = await reader.load_all(Counter, "counter-", order="stream_id")
    assert [c.stream_id for c in by_id] == ["counter-a", "counter-b"]
    as_of = await reader.load_all(Counter, "counter-", as_of=dt.date(2016, 6, 1))
    assert [(c.stream_id, c.value) for c in as_of] == [("counter-b", 1)]
    assert await reader.stream_ids("counter-") == ["counter-a", "counter-b"]
    assert await reader.stream_ids("counter_") == ["counter_c"]


async def test_a_kind_by_its_first_event_and_payload(store: EventStore) -> None:
    for stream_id, village in (("case-1", "石壁村"), ("case-2", None), ("case-3", "石壁村")):
        await store.append(stream_id, NO_STREAM, [Opened(village=village), Counted(n=5)], at())
    await count(store, "case-index-1", None)  # same prefix, never opened: not a case
    reader = AggregateReader(store)
    every = await reader.load_all(Case, with_event="coretest.Opened")
    assert [(c.stream_id, c.count) for c in every] == [("case-1", 5), ("case-2", 5), ("case-3", 5)]
    shibi = await reader.load_all(Case, with_event="coretest.Opened", where={"village": "石壁村"})
    assert [c.stream_id for c in shibi] == ["case-1", "case-3"]
    town = await reader.load_all(Case, with_event="coretest.Opened", where={"village": None})
    assert [(c.stream_id, c.village) for c in town] == [("case-2", None)]
    with pytest.raises(ValueError, match="payload field"):
        await reader.load_all(Case, where={"village' OR '1": "x"})


async def test_at_most_max_streams_the_first_created(store: EventStore) -> None:
    for n in range(5):
        await count(store, f"counter-{4 - n}", None)
    capped = await AggregateReader(store, max_streams=2).load_all(Counter, "counter-")
    assert [c.stream_id for c in capped] == ["counter-4", "counter-3"]


async def test_reads_in_a_transaction_see_its_own_writes(store: EventStore) -> None:
    reader = AggregateReader(store)
    async with UnitOfWork(store, at()) as uow:
        (await uow.load(Counter, "counter-7")).count()
        await uow.commit()
    async with UnitOfWork(store, at()) as uow:
        counter = await uow.load(Counter, "counter-8")
        counter.count()
        await store.append("counter-8", 0, counter.take_pending(), at(), conn=uow.conn)
        assert await reader.stream_ids("counter-", conn=uow.conn) == ["counter-7", "counter-8"]
        assert [c.stream_id for c in await reader.load_all(Counter, conn=uow.conn)] == [
            "counter-7",
            "counter-8",
        ]
        assert (await reader.load(Counter, "counter-8", conn=uow.conn)).exists
    assert await reader.stream_ids("counter-") == ["counter-7"]


class Tally(Counter):
    """A ledger of counts that stand alone: a count dated before the first one still counts."""

    LEDGER = True


async def test_as_of_a_day_before_its_first_event_an_entity_does_not_exist(
    store: EventStore,
) -> None:
    # given a case opened on 11 June whose next fact was recorded later but dated 1 June
    stream = f"case-{uuid.uuid4()}"
    june_1, june_11 = (dt.datetime(2016, 6, d, 4, tzinfo=dt.UTC) for d in (1, 11))
    await store.append(stream, NO_STREAM, [Opened(village="石壁村")], at(june_11))
    await store.append(stream, 1, [Counted(n=1)], at(june_1))
    reader = AggregateReader(store)
    # then as of 5 June it does not exist: not loaded, not found, not listed
    june_5 = dt.date(2016, 6, 5)
    assert not (await reader.load(Case, stream, as_of=june_5)).exists
    with pytest.raises(NotFound):
        await reader.get(Case, stream, as_of=june_5)
    assert stream not in {c.stream_id for c in await reader.load_all(Case, "case-", as_of=june_5)}
    # and from 11 June it does, with both facts
    listed = await reader.load_all(Case, "case-", as_of=dt.date(2016, 6, 11))
    assert [(c.village, c.count) for c in listed if c.stream_id == stream] == [("石壁村", 1)]


async def test_as_of_a_day_a_ledger_holds_the_records_dated_by_then(store: EventStore) -> None:
    stream = f"tally-{uuid.uuid4()}"
    june_1, june_11 = (dt.datetime(2016, 6, d, 4, tzinfo=dt.UTC) for d in (1, 11))
    await count(store, stream, june_11, june_1)
    reader = AggregateReader(store)
    june_5 = dt.date(2016, 6, 5)
    assert (await reader.load(Tally, stream, as_of=june_5)).value == 2  # the 1 June count
    assert stream in {t.stream_id for t in await reader.load_all(Tally, "tally-", as_of=june_5)}
    assert not (await reader.load(Counter, stream, as_of=june_5)).exists
