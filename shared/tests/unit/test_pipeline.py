"""The shared command pipeline over HTTP: one route line per command, the body is the command,
one business-date rule, one retry policy, one scope check, one answer — on the memory store."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends
from pydantic import Field

from shared.command_routes import MARK, command
from shared.pipeline import Change, Command, Done, FromPath, Pipeline, Work
from shared.roles import Principal, Role
from shared.testing import app_client, assert_problem, bearer, trusting_verifier
from shared.testing.contract import Tallied, Tally
from shared.testing.memory import MemoryStore
from shared.town import load_town
from shared.web import create_app, require

TODAY = dt.date(2017, 6, 30)
TOWN = load_town()
VILLAGE = TOWN.villages[0].name
OTHER = TOWN.villages[1].name


class StartTally(Command):
    """开始计数。"""

    tally_id: str = Field(min_length=1, max_length=20)
    village: str


class AddOne(Change):
    tally_id: Annotated[str, FromPath(), Field(pattern=r"^[a-z0-9-]+$")]
    note: str = ""


async def start(cmd: StartTally, uow: Work[str]) -> Done:
    uow.scope.check(cmd.village)
    tally = await uow.load(Tally, f"tally-{cmd.tally_id}")
    tally.add()
    return cmd.tally_id, tally


async def add_one(cmd: AddOne, uow: Work[str]) -> Done:
    tally = await uow.get(Tally, f"tally-{cmd.tally_id}", "计数")
    if cmd.expected_version is not None and tally.version != cmd.expected_version:
        from shared.kernel import ConcurrencyConflict

        raise ConcurrencyConflict("changed since read")
    tally.add()
    return cmd.tally_id, tally


Writer = Annotated[Principal, Depends(require(Role.TOWN_SECRETARY, Role.VILLAGE_CLERK))]
router = APIRouter(prefix="/tallies")
command(router, "", StartTally, start, Writer, summary="开始", status_code=201)
command(router, "/{tally_id}/add", AddOne, add_one, Writer, summary="加一")

SECRETARY = bearer(Role.TOWN_SECRETARY)
CLERK = bearer(Role.VILLAGE_CLERK, village=VILLAGE)


@pytest.fixture
async def served() -> AsyncIterator[tuple[httpx.AsyncClient, MemoryStore]]:
    store = MemoryStore()
    app = create_app(title="t", verifier=trusting_verifier(), routers=[router])
    clock = lambda: dt.datetime.combine(TODAY, dt.time(4), tzinfo=dt.UTC)  # noqa: E731
    app.state.pipeline = Pipeline(store, town=TOWN, deps="injected", clock=clock)
    async with app_client(app) as client:
        yield client, store


async def test_a_command_answers_with_its_entity_and_every_event_it_appended(served) -> None:
    client, store = served
    r = await client.post(
        "/tallies",
        json={"tally_id": "t1", "village": VILLAGE, "occurred_on": "2017-06-01"},
        headers=SECRETARY,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["id"], body["stream_id"], body["version"]) == ("t1", "tally-t1", 1)
    [appended] = body["events"]
    assert appended["type"] == Tallied.event_type and appended["version"] == 1
    [env] = store.streams["tally-t1"]
    assert str(env.event_id) == appended["event_id"]
    assert env.occurred_at.date() == dt.date(2017, 6, 1)  # dated to the business day
    assert env.actor.role == Role.TOWN_SECRETARY.value


async def test_a_future_business_date_is_refused_and_nothing_stored(served) -> None:
    client, store = served
    r = await client.post(
        "/tallies",
        json={"tally_id": "t1", "village": VILLAGE, "occurred_on": "2017-07-01"},
        headers=SECRETARY,
    )
    assert "晚于今天" in assert_problem(r, 422)["detail"]
    assert store.streams == {}


async def test_a_lost_race_is_retried_unless_the_caller_gave_a_version(served) -> None:
    client, store = served
    await client.post("/tallies", json={"tally_id": "t1", "village": VILLAGE}, headers=SECRETARY)
    store.conflicts_to_raise = 2
    r = await client.post("/tallies/t1/add", json={}, headers=SECRETARY)
    assert (r.status_code, r.json()["version"]) == (200, 2)
    store.conflicts_to_raise = 1
    assert_problem(
        await client.post("/tallies/t1/add", json={"expected_version": 2}, headers=SECRETARY), 409
    )
    assert len(store.streams["tally-t1"]) == 2


async def test_path_and_body_fields_are_checked_by_the_command(served) -> None:
    client, _ = served
    bad_path = assert_problem(await client.post("/tallies/T_1/add", headers=SECRETARY), 422)
    assert bad_path["errors"]
    unknown = await client.post(
        "/tallies", json={"tally_id": "t", "village": VILLAGE, "extra": 1}, headers=SECRETARY
    )
    assert_problem(unknown, 422)
    missing = assert_problem(await client.post("/tallies/nope/add", headers=SECRETARY), 404)
    assert "计数" in missing["detail"]


async def test_a_village_account_acts_on_its_own_village_only(served) -> None:
    client, store = served
    own = await client.post("/tallies", json={"tally_id": "a", "village": VILLAGE}, headers=CLERK)
    assert own.status_code == 201, own.text
    other = await client.post("/tallies", json={"tally_id": "b", "village": OTHER}, headers=CLERK)
    assert_problem(other, 403)
    assert "tally-b" not in store.streams
    auditor = await client.post(
        "/tallies", json={"tally_id": "c", "village": VILLAGE}, headers=bearer(Role.AUDITOR)
    )
    assert_problem(auditor, 403)


def test_the_routes_are_marked_as_the_pipelines_and_the_body_leaves_out_path_fields() -> None:
    document = create_app(title="t", verifier=trusting_verifier(), routers=[router]).openapi()
    paths = document["paths"]
    assert paths["/tallies"]["post"][MARK] == "StartTally"
    assert paths["/tallies/{tally_id}/add"]["post"][MARK] == "AddOne"
    schemas = document["components"]["schemas"]
    assert "tally_id" not in schemas["AddOneBody"]["properties"]
    assert "tally_id" in schemas["StartTally"]["properties"]
