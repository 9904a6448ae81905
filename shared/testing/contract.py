"""The unit of work's contract (工作单元契约): one suite run against every store a unit of work
can sit on — PostgreSQL (`shared/tests/integration/test_unit_of_work_contract.py`) and memory
(`shared/tests/unit/test_unit_of_work_contract.py`) — so that a handler tested on the memory
store behaves as it will on the real one. A subclass provides the `store` fixture."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from shared.envelope import Actor, verify_chain
from shared.eventstore import CommandContext
from shared.kernel import Aggregate, ConcurrencyConflict, Event, NotFound, event_type
from shared.unit_of_work import Store, UnitOfWork


@event_type("contracttest.Tallied")
@dataclass(frozen=True, kw_only=True, slots=True)
class Tallied(Event):
    """A tally moved on by one."""

    n: int


class Tally(Aggregate):
    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.value = 0

    def add(self) -> None:
        self._record(Tallied(n=self.value + 1))

    def _apply(self, event: Event) -> None:
        assert isinstance(event, Tallied)
        self.value = event.n


def context(day: dt.date = dt.date(2017, 3, 1)) -> CommandContext:
    return CommandContext(
        actor=Actor("u-contract", "town_secretary"),
        town="430321105",
        correlation_id=uuid.uuid4(),
        occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
    )


def stream() -> str:
    return f"tally-{uuid.uuid4().hex[:12]}"


async def tally(store: Store, stream_id: str) -> int:
    async with UnitOfWork(store, context()) as uow:
        return (await uow.load(Tally, stream_id)).value


class UnitOfWorkContract:
    """Behaviour every store owes a unit of work."""

    store: Any

    async def test_a_new_stream_is_empty_and_get_refuses_it(self, store: Store) -> None:
        async with UnitOfWork(store, context()) as uow:
            tally_ = await uow.load(Tally, stream())
            assert (tally_.exists, tally_.version, tally_.value) == (False, 0, 0)
            with pytest.raises(NotFound):
                await uow.get(Tally, stream(), "计数")

    async def test_commit_appends_numbered_chained_dated_envelopes(self, store: Store) -> None:
        sid = stream()
        async with UnitOfWork(store, context(dt.date(2017, 5, 4))) as uow:
            t = await uow.load(Tally, sid)
            t.add()
            t.add()
            written = await uow.commit()
        assert [(e.stream_id, e.stream_version, e.payload) for e in written] == [
            (sid, 1, {"n": 1}),
            (sid, 2, {"n": 2}),
        ]
        assert verify_chain(written) == []
        assert {e.occurred_at.date() for e in written} == {dt.date(2017, 5, 4)}
        assert t.version == 2
        assert await tally(store, sid) == 2

    async def test_without_commit_nothing_is_stored(self, store: Store) -> None:
        sid = stream()
        async with UnitOfWork(store, context()) as uow:
            (await uow.load(Tally, sid)).add()
            await uow.flush(await uow.load(Tally, sid))
        assert await tally(store, sid) == 0

    async def test_an_error_inside_rolls_everything_back(self, store: Store) -> None:
        sid = stream()
        with pytest.raises(RuntimeError):
            async with UnitOfWork(store, context()) as uow:
                t = await uow.load(Tally, sid)
                t.add()
                await uow.flush(t)
                raise RuntimeError("the command failed after a flush")
        assert await tally(store, sid) == 0

    async def test_flushed_events_are_read_back_in_the_same_transaction(self, store: Store) -> None:
        sid = stream()
        async with UnitOfWork(store, context()) as uow:
            t = await uow.load(Tally, sid)
            t.add()
            flushed = await uow.flush(t)
            assert [e.stream_version for e in flushed] == [1]
            events, version = await store.load_events(sid, conn=uow.conn)
            assert (version, [e.n for e in events if isinstance(e, Tallied)]) == (1, [1])
            t.add()
            written = await uow.commit()
        assert [e.stream_version for e in written] == [1, 2]
        assert await tally(store, sid) == 2

    async def test_a_writer_that_committed_first_wins_the_race(self, store: Store) -> None:
        sid = stream()
        async with UnitOfWork(store, context()) as first:
            (await first.load(Tally, sid)).add()
            async with UnitOfWork(store, context()) as second:
                (await second.load(Tally, sid)).add()
                await second.commit()
            with pytest.raises(ConcurrencyConflict):
                await first.commit()
        assert await tally(store, sid) == 1

    async def test_several_streams_commit_together(self, store: Store) -> None:
        a, b = stream(), stream()
        async with UnitOfWork(store, context()) as uow:
            (await uow.load(Tally, a)).add()
            fresh = Tally(b)
            fresh.add()
            uow.add(fresh)
            written = await uow.commit()
        assert sorted(e.stream_id for e in written) == sorted([a, b])
        assert (await tally(store, a), await tally(store, b)) == (1, 1)
