"""Supervision's commands through the shared pipeline on the memory store (no database): given
events, when a command, then the events stored and the one answer (`Written`); the reactions
to funds' and party's events write through the same pipeline, once per source event."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from supervision.application import commands as c
from supervision.application import handlers as h
from supervision.application.handlers import Deps
from supervision.domain.events import (
    BranchDesignationLiftNoted,
    ClueReceived,
    ItemClosed,
    ItemListed,
    ItemRectified,
    ItemWorkStarted,
    MeasureRegistered,
    PetitionReceived,
    RepeatPetitionLinked,
)
from supervision.domain.items import WEAK_BRANCH_TASKS, weak_branch_item_id
from supervision.entrypoints.reactions import MalformedEvent, Reactions
from supervision.plan import load_plan

from shared.envelope import Actor
from shared.eventstore import CommandContext
from shared.kernel import AlreadyExists, ConcurrencyConflict, Event, NotFound, Refused
from shared.pipeline import OutOfScope, Pipeline, Scope
from shared.testing import foreign_envelope
from shared.testing.memory import MemoryStore
from shared.town import load_town

D = dt.date
#: "Today" is 10 January 2017 in Yisuhe.
NOW = dt.datetime(2017, 1, 10, 4, 0, tzinfo=dt.UTC)
PLAN = load_plan()
TOWN = load_town()
ITEM_ID = "0190a8f0-0000-7000-8000-000000000001"
ITEM = f"item-{ITEM_ID}"


def ctx(day: D | None = None, role: str = "organisation_member") -> CommandContext:
    return CommandContext(
        actor=Actor("u-test", role),
        town=TOWN.code,
        correlation_id=uuid.uuid4(),
        occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) if day else None,
    )


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def pipeline(store: MemoryStore) -> Pipeline[Deps]:
    return Pipeline(store, town=TOWN, deps=Deps(PLAN), clock=lambda: NOW, name="supervision")


def types(store: MemoryStore, stream_id: str) -> list[type[Event]]:
    return [type(e) for e in store.events(stream_id)]


def listed(**over: Any) -> ItemListed:
    fields: dict[str, Any] = {
        "item_id": ITEM_ID,
        "list_name": "问题清单",
        "title": "石壁村便民服务站无值班制度",
        "detail": "",
        "source": "群众提",
        "measure": 3,
        "lead_post": "分管党政综合办的负责人",
        "lead_unit": "党政综合办",
        "deadline": D(2016, 9, 30),
        "village": "石壁村",
        "listed_on": D(2016, 6, 1),
    }
    fields.update(over)
    return ItemListed(**fields)


def open_item(**over: Any) -> c.OpenItem:
    fields: dict[str, Any] = {
        "id": ITEM_ID,
        "list_name": "问题清单",
        "title": "石壁村便民服务站无值班制度",
        "source": "群众提",
        "measure": 3,
        "lead_post": "分管党政综合办的负责人",
        "lead_unit": "党政综合办",
        "deadline": "2016-09-30",
        "village": " 石壁村 ",
        "occurred_on": "2016-06-01",
    }
    fields.update(over)
    return c.OpenItem(**fields)


# --- the plan ---------------------------------------------------------------------------------


async def test_the_plans_measures_are_registered_once(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    cmd = c.RegisterPlanMeasures(occurred_on=D(2016, 3, 1))
    async with pipeline.work(ctx(), Scope(), cmd.occurred_on) as uow:
        first = await h.register_plan_measures(cmd, uow)
        await uow.commit()
    assert [r.number for r in first if r.registered_now] == list(range(1, 15))
    async with pipeline.work(ctx(), Scope()) as uow:
        again = await h.register_plan_measures(c.RegisterPlanMeasures(), uow)
        assert await uow.commit() == []
    assert not any(r.registered_now for r in again)
    (registered,) = store.events("measure-2016-07")
    assert isinstance(registered, MeasureRegistered)
    assert registered.registered_on == D(2016, 3, 1)
    assert store.streams["measure-2016-07"][0].occurred_at.date() == D(2016, 3, 1)


# --- lists and ledger -------------------------------------------------------------------------


async def test_an_item_is_listed_on_its_business_day_in_a_known_village(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    written = await pipeline.run(h.open_item, open_item(), ctx())
    assert (written.id, written.stream_id, written.version, written.status) == (
        ITEM_ID,
        ITEM,
        1,
        "open",
    )
    assert [e.type for e in written.events] == ["supervision.ItemListed"]
    (event,) = store.events(ITEM)
    assert isinstance(event, ItemListed)
    assert (event.village, event.listed_on) == ("石壁村", D(2016, 6, 1))


async def test_an_item_without_an_id_gets_one(pipeline: Pipeline[Deps], store: MemoryStore) -> None:
    written = await pipeline.run(h.open_item, open_item(id=None, village=None), ctx())
    assert written.stream_id == f"item-{written.id}" and uuid.UUID(written.id)
    (event,) = store.events(written.stream_id)
    assert isinstance(event, ItemListed) and event.village is None


@pytest.mark.parametrize(
    ("over", "error", "words"),
    [
        ({"village": "桃源村"}, Refused, "未知村/社区"),
        ({"occurred_on": "2017-01-11"}, Refused, "晚于今天"),
        ({"lead_post": "村主任"}, Refused, "牵头领导"),
    ],
)
async def test_a_refused_item_stores_nothing(
    pipeline: Pipeline[Deps],
    store: MemoryStore,
    over: dict[str, Any],
    error: type[Exception],
    words: str,
) -> None:
    with pytest.raises(error, match=words):
        await pipeline.run(h.open_item, open_item(**over), ctx())
    assert store.streams == {}


async def test_an_item_listed_twice_is_refused(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    store.given(ITEM, listed(), ctx=ctx(D(2016, 6, 1)))
    with pytest.raises(AlreadyExists, match="已存在"):
        await pipeline.run(h.open_item, open_item(), ctx())
    assert types(store, ITEM) == [ItemListed]


async def test_a_village_account_cannot_list_another_villages_item(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    with pytest.raises(OutOfScope):
        await pipeline.run(h.open_item, open_item(), ctx(), Scope("梅林村"))
    assert store.streams == {}


async def test_an_item_is_rectified_and_struck_off_on_evidence(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    store.given(ITEM, listed(), ctx=ctx(D(2016, 6, 1)))
    await pipeline.run(
        h.start_item_work, c.StartItemWork(item_id=ITEM_ID, occurred_on=D(2016, 6, 10)), ctx()
    )
    await pipeline.run(
        h.rectify_item,
        c.RectifyItem(item_id=ITEM_ID, summary="建立轮流值班制度", occurred_on=D(2016, 10, 20)),
        ctx(),
    )
    with pytest.raises(Refused, match="佐证材料"):
        await pipeline.run(h.close_item, c.CloseItem(item_id=ITEM_ID), ctx())
    closed = await pipeline.run(
        h.close_item,
        c.CloseItem(item_id=ITEM_ID, evidence=["值班表"], expected_version=3),
        ctx(),
    )
    assert (closed.version, closed.status) == (4, "closed")
    assert types(store, ITEM) == [ItemListed, ItemWorkStarted, ItemRectified, ItemClosed]
    *_, event = store.events(ITEM)
    assert isinstance(event, ItemClosed)
    assert (event.closed_on, event.evidence) == (D(2017, 1, 10), ("值班表",))


async def test_a_stale_version_is_a_conflict_and_not_retried(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    store.given(ITEM, listed(), ctx=ctx(D(2016, 6, 1)))
    with pytest.raises(ConcurrencyConflict):
        await pipeline.run(
            h.start_item_work, c.StartItemWork(item_id=ITEM_ID, expected_version=0), ctx()
        )
    assert types(store, ITEM) == [ItemListed]


async def test_a_lost_race_is_retried_on_fresh_state(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    store.given(ITEM, listed(), ctx=ctx(D(2016, 6, 1)))
    store.conflicts_to_raise = 1
    written = await pipeline.run(h.note_item, c.NoteItem(item_id=ITEM_ID, note="已约谈"), ctx())
    assert written.version == 2
    assert len(store.events(ITEM)) == 2


async def test_an_unknown_item_is_not_found(pipeline: Pipeline[Deps]) -> None:
    with pytest.raises(NotFound):
        await pipeline.run(h.start_item_work, c.StartItemWork(item_id=uuid.uuid4()), ctx())


# --- petitions --------------------------------------------------------------------------------


async def test_a_repeat_petition_is_linked_to_the_earlier_case_in_the_same_command(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    earlier, repeat = uuid.uuid4(), uuid.uuid4()
    store.given(
        f"petition-{earlier}",
        PetitionReceived(
            petition_id=str(earlier),
            channel="集体访",
            petitioner_name="刘建国",
            petitioner_count=12,
            village="金霞村",
            subject="征地补偿款未足额发放",
            received_on=D(2016, 5, 4),
            repeat_of=None,
        ),
        ctx=ctx(D(2016, 5, 4)),
    )
    written = await pipeline.run(
        h.receive_petition,
        c.ReceivePetition(
            id=repeat,
            channel="来访",
            petitioner_name="刘建国",
            subject="补偿款仍有差额",
            repeat_of=earlier,
        ),
        ctx(role="deputy_secretary"),
    )
    assert (written.id, written.status) == (str(repeat), "received")
    assert sorted(e.type for e in written.events) == [
        "supervision.PetitionReceived",
        "supervision.RepeatPetitionLinked",
    ]
    *_, link = store.events(f"petition-{earlier}")
    assert isinstance(link, RepeatPetitionLinked)
    unknown = c.ReceivePetition(
        channel="来信", petitioner_name="王某", subject="x", repeat_of=uuid.uuid4()
    )
    with pytest.raises(NotFound, match="原信访件"):
        await pipeline.run(h.receive_petition, unknown, ctx())


# --- reactions ----------------------------------------------------------------------------------


def red_flag(flag: str, **payload: Any) -> Any:
    return foreign_envelope(
        "funds.RedFlagConfirmed",
        f"redflag-{flag}",
        {
            "flag_id": flag,
            "code": "DUPLICATE_PAYMENT",
            "village": "石壁村",
            "summary": "同一人重复领取低保金",
            "confirmed_on": "2016-09-01",
            **payload,
        },
    )


async def test_a_confirmed_red_flag_opens_one_clue_caused_by_it(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    react = Reactions(pipeline)
    confirmed = red_flag("f-1")
    await react(None, confirmed)  # type: ignore[arg-type]
    await react(None, confirmed)  # type: ignore[arg-type]
    await react(None, red_flag("f-1"))  # type: ignore[arg-type]
    (env,) = store.streams["clue-redflag-f-1"]
    assert (env.causation_id, env.correlation_id) == (confirmed.event_id, confirmed.correlation_id)
    assert env.actor.role == "system" and env.occurred_at == confirmed.occurred_at
    (event,) = store.events("clue-redflag-f-1")
    assert isinstance(event, ClueReceived)
    assert (event.red_flag_id, event.channel, event.received_on) == (
        "f-1",
        "资金预警",
        D(2016, 9, 1),
    )


async def test_another_towns_flag_is_left_alone_and_a_malformed_one_refused(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    react = Reactions(pipeline)
    other = foreign_envelope(
        "funds.RedFlagConfirmed", "redflag-f-2", {"flag_id": "f-2", "code": "X"}, town="430321101"
    )
    await react(None, other)  # type: ignore[arg-type]
    assert store.streams == {}
    with pytest.raises(MalformedEvent, match="flag_id"):
        await react(None, red_flag("f-3", flag_id=None))  # type: ignore[arg-type]
    assert store.streams == {}


async def test_a_weak_branch_gets_its_items_once_and_the_lifting_noted_once(
    pipeline: Pipeline[Deps], store: MemoryStore
) -> None:
    react = Reactions(pipeline)
    weak = foreign_envelope(
        "party.BranchDesignatedWeak",
        "branch-b1",
        {
            "branch_id": "branch-b1",
            "branch_name": "石壁村党支部",
            "village": "石壁村",
            "period": "2016",
            "score": "61.5",
            "rank": 30,
            "designated_on": "2016-11-20",
        },
    )
    lifted = foreign_envelope(
        "party.BranchDesignationLifted",
        "branch-b1",
        {"branch_id": "branch-b1", "period": "2016", "lifted_on": "2017-12-15"},
    )
    for env in (weak, weak, lifted, lifted):
        await react(None, env)  # type: ignore[arg-type]
    streams = [f"item-{weak_branch_item_id('branch-b1', '2016', t.key)}" for t in WEAK_BRANCH_TASKS]
    for stream_id in streams:
        assert types(store, stream_id) == [ItemListed, BranchDesignationLiftNoted]
    first, *_ = store.events(streams[0])
    assert isinstance(first, ItemListed)
    assert (first.list_name, first.source, first.measure, first.deadline) == (
        "整改清单",
        "自己找",
        5,
        D(2017, 11, 20),
    )
    assert "得分 61.5，排名 30" in first.detail

    never = foreign_envelope(
        "party.BranchDesignationLifted",
        "branch-b2",
        {"branch_id": "branch-b2", "period": "2016", "lifted_on": "2017-12-15"},
    )
    before = dict(store.streams)
    await react(None, never)  # type: ignore[arg-type]
    assert store.streams == before
