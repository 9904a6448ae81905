"""Towns as tenants, end to end on the real PostgreSQL and Kafka: one relief process serves
易俗河镇 and 花石镇. Each town's officials read and write only their own town's data (another
town's village or an explicitly named other town is 403, another town's household is not found
and not listed); each town's commands land in its own store with its town in the envelope, on
the one shared topic; a token of a town the service does not serve is 403; each tenant's
consumer applies only its own town's events (relief's view of party members)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from relief.adapters.party_members import PartyMembersView
from relief.bootstrap import build_app

from shared.envelope import Actor
from shared.eventstore import EventStore
from shared.kernel import make_resident_id
from shared.roles import Role
from shared.settings import YISUHE_TOWN_CODE
from shared.tenants import Tenants, tenant_app
from shared.testing import (
    Infra,
    assert_problem,
    bearer,
    caught_up,
    eventually,
    find_on_topic,
    foreign_envelope,
    publish,
    served,
    service_settings,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

YISUHE, HUASHI = YISUHE_TOWN_CODE, "430321106"
AGRI = {
    YISUHE: bearer(Role.AGRICULTURE_LEADER, user_id="agri-yisuhe", town=YISUHE),
    HUASHI: bearer(Role.AGRICULTURE_LEADER, user_id="agri-huashi", town=HUASHI),
}
CLERK = {
    YISUHE: bearer(Role.VILLAGE_CLERK, user_id="clerk-shibi", village="石壁村", town=YISUHE),
    HUASHI: bearer(Role.VILLAGE_CLERK, user_id="clerk-zhushan", village="竹山村", town=HUASHI),
}
VILLAGE = {YISUHE: "石壁村", HUASHI: "竹山村"}
OTHER = {YISUHE: HUASHI, HUASHI: YISUHE}
_SEQ = itertools.count(uuid.uuid4().int % 900)


@dataclass
class Served:
    tenants: Tenants
    client: httpx.AsyncClient
    bootstrap: str

    def store(self, town: str) -> EventStore:
        store: EventStore = self.tenants.apps[town].state.runtime.store
        return store

    def members(self, town: str) -> PartyMembersView:
        view: PartyMembersView = self.tenants.apps[town].state.party_members
        return view


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def relief(infra: Infra) -> AsyncIterator[Served]:
    settings = service_settings(infra, LIANXIN_TOWNS=f"{YISUHE},{HUASHI}")
    tenants = tenant_app(build_app, settings, service="relief")
    async with (
        served(tenants) as url,  # type: ignore[arg-type]
        httpx.AsyncClient(base_url=url, timeout=30) as client,
    ):
        yield Served(tenants, client, infra.kafka_bootstrap_servers)


def household(village: str) -> dict[str, Any]:
    return {
        "village": village,
        "head_name": "测试户主",
        "head_id_number": make_resident_id(f"43032119700101{next(_SEQ) % 1000:03d}").value,
        "members": [],
        "causes": ["因病"],
        "income_per_head": "1800",
        "occurred_on": "2016-03-01",
    }


async def register(relief: Served, town: str, village: str | None = None) -> httpx.Response:
    body = household(village or VILLAGE[town])
    return await relief.client.post("/api/v1/households", json=body, headers=AGRI[town])


@pytest.mark.parametrize("town", [YISUHE, HUASHI])
async def test_each_towns_command_lands_in_its_own_store_with_its_town(
    relief: Served, town: str
) -> None:
    response = await register(relief, town)
    assert response.status_code == 201, response.text
    written = response.json()
    stream = written["stream_id"]
    [own] = await relief.store(town).read_stream(stream)
    assert own.town == town and own.actor == Actor(f"agri-{_name(town)}", "agriculture_leader")
    assert await relief.store(OTHER[town]).read_stream(stream) == []
    event_id = written["events"][0]["event_id"]
    found = await find_on_topic(relief.bootstrap, relief.store(town).topic, [event_id])
    assert found[event_id].town == town  # one topic for every town; the envelope says whose


@pytest.mark.parametrize("town", [YISUHE, HUASHI])
async def test_a_town_cannot_write_or_read_the_others_data(relief: Served, town: str) -> None:
    other = OTHER[town]
    theirs = await register(relief, other)
    assert theirs.status_code == 201, theirs.text
    their_id = theirs.json()["id"]
    # naming the other town's village: forbidden, not an unknown village; nothing stored
    for headers in (AGRI[town], CLERK[town]):
        body = household(VILLAGE[other])
        refused = await relief.client.post("/api/v1/households", json=body, headers=headers)
        assert "无权访问该镇的数据" in assert_problem(refused, 403)["detail"]
    # naming the other town explicitly, by header or query: forbidden
    named = {**AGRI[town], "X-Lianxin-Town": other}
    assert_problem(await relief.client.get("/api/v1/households", headers=named), 403)
    by_query = await relief.client.get(
        "/api/v1/households", params={"town": other}, headers=AGRI[town]
    )
    assert_problem(by_query, 403)
    # the other town's household: not in this tenant, so not found and not listed
    got = await relief.client.get(f"/api/v1/households/{their_id}", headers=AGRI[town])
    assert_problem(got, 404)
    listed = (await relief.client.get("/api/v1/households", headers=AGRI[town])).json()
    assert their_id not in {h["household_id"] for h in listed["households"]}
    own = (await relief.client.get("/api/v1/households", headers=AGRI[other])).json()
    assert their_id in {h["household_id"] for h in own["households"]}


async def test_a_token_of_a_town_not_served_is_forbidden(relief: Served) -> None:
    for town in ("430321105", "430321"):  # another town of the county; the county itself
        headers = bearer(Role.AGRICULTURE_LEADER, town=town)
        refused = await relief.client.get("/api/v1/households", headers=headers)
        assert "无权访问该镇的数据" in assert_problem(refused, 403)["detail"]
        body = household(VILLAGE[YISUHE])
        posted = await relief.client.post("/api/v1/households", json=body, headers=headers)
        assert_problem(posted, 403)
    assert (await relief.client.get("/health/ready")).status_code == 200


async def test_each_tenants_consumer_applies_only_its_towns_events(relief: Served) -> None:
    joined = {}
    for town in (YISUHE, HUASHI):
        member_id = f"m-{town}-{uuid.uuid4().hex[:8]}"
        joined[town] = member_id
        env = foreign_envelope(
            "party.MemberJoined",
            f"member-{member_id}",
            {
                "member_id": member_id,
                "branch_id": "b-tenants",
                "name": f"党员{town[-3:]}",
                "village": VILLAGE[town],
                "id_number": make_resident_id("43032119750101077").value,
                "membership": "full",
                "joined_party_on": "1998-07-01",
                "joined_on": "2016-02-01",
            },
            town=town,
            occurred_at=dt.datetime(2016, 2, 1, 12, tzinfo=dt.UTC),
            actor=Actor("organisation", "organisation_member"),
        )
        await publish(relief.bootstrap, "party.events", env)
    for town in (YISUHE, HUASHI):
        view = relief.members(town)

        async def known(view: PartyMembersView = view, town: str = town) -> bool:
            return await view.member(joined[town]) is not None

        await eventually(known, timeout=60, what=f"{town}'s member in its tenant")
    # both tenants read both events (one topic); once caught up, each skipped the other's
    for town in (YISUHE, HUASHI):
        consumers = relief.tenants.apps[town].state.runtime.consumers
        consumer = next(c for c in consumers if c.name.endswith(".party-members"))
        assert consumer.town == town
        await caught_up(consumer, relief.bootstrap)
        assert await relief.members(town).member(joined[OTHER[town]]) is None


def _name(town: str) -> str:
    return "yisuhe" if town == YISUHE else "huashi"
