"""Personal data in the projection, on the real PostgreSQL and Kafka: relief's encrypted names
and ID numbers are opened with the key copy the projection received on the key topic, shown
to the roles that see full detail (one access-log row per such response, naming the person)
and masked for the others (no row); once relief records the person's erasure, the projection
deletes its copy and every view shows them erased, still counted."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaProducer
from projection.bootstrap import build_app
from projection.synthetic import EnvelopeFactory
from projection.synthetic import relief as rl

from shared.envelope import Envelope
from shared.kernel import make_resident_id
from shared.personal import tokens
from shared.personal.keys import KEY_TOPIC, topic_key, wrap
from shared.personal.secret import person_ref
from shared.personal.tokens import ERASED
from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    assert_problem,
    bearer,
    eventually,
    publish,
    unique,
)
from shared.topics import ensure_topics

from .support import settings_for

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="sec-1")
AUDITOR = bearer(Role.AUDITOR)
AGRICULTURE = bearer(Role.AGRICULTURE_LEADER)
D = dt.date
HEAD, SPOUSE = "欧阳大山", "李小梅"


class Town:
    """The projection app, its client, and the erased-to-be person's number and reference."""

    def __init__(self, client: httpx.AsyncClient, suffix: str, id_number: str) -> None:
        self.client = client
        self.suffix = suffix
        self.id_number = id_number
        self.ref = person_ref(id_number)

    async def households(self, headers: dict[str, str]) -> list[dict[str, Any]]:
        response = await self.client.get(
            "/api/v1/views/relief/villages", params={"size": 500}, headers=headers
        )
        assert response.status_code == 200, response.text
        view = response.json()
        return list(next(t for t in view["tables"] if t["name"] == "households")["rows"])

    async def log(self, **params: Any) -> list[dict[str, Any]]:
        response = await self.client.get("/api/v1/access-log", params=params, headers=AUDITOR)
        assert response.status_code == 200, response.text
        return list(response.json()["entries"])


def encrypted_household(
    f: EnvelopeFactory, key: bytes, household_id: str, first17: str
) -> tuple[Envelope, str]:
    """A registration as relief stores it now: the head's and the spouse's name and ID number
    encrypted with the head's key (the spouse with the same key: enough for the projection)."""
    plain = rl.household_registered(
        EnvelopeFactory(), household_id, "石壁村", HEAD, first17, D(2016, 3, 1)
    )
    number = str(plain.payload["head_id_number"])
    ref = person_ref(number)

    def sealed(value: str) -> str:
        return tokens.seal(key, "relief", ref, value)

    payload = dict(plain.payload)
    payload["head_name"], payload["head_id_number"] = sealed(HEAD), sealed(number)
    payload["members"] = [
        {"name": sealed(HEAD), "id_number": sealed(number), "relation": "户主"},
        {"name": sealed(SPOUSE), "id_number": sealed(number[:-4] + "0000"), "relation": "配偶"},
    ]
    env = f.event(plain.stream_id, plain.event_type, payload, on=D(2016, 3, 1))
    return env, number


async def share_key(bootstrap: str, ref: str, key: bytes) -> None:
    """Relief's key of the person, on the key topic as relief's relay publishes it."""
    await ensure_topics(bootstrap, [], compacted=[KEY_TOPIC])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        value = wrap("relief", ref, key, dt.datetime.now(dt.UTC))
        await producer.send_and_wait(KEY_TOPIC, value, key=topic_key("relief", ref).encode())
    finally:
        await producer.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def town(infra: Infra) -> AsyncIterator[Town]:
    suffix = "." + unique("pii")
    f = EnvelopeFactory()
    key = tokens.new_key()
    first17 = f"43032119600101{uuid.uuid4().int % 1000:03d}"
    registered, number = encrypted_household(f, key, str(uuid.uuid4()), first17)
    plain = rl.household_registered(
        f, str(uuid.uuid4()), "石壁村", "王建国", "43032119700101002", D(2016, 3, 2)
    )
    await share_key(infra.kafka_bootstrap_servers, person_ref(number), key)
    await ensure_topics(infra.kafka_bootstrap_servers, [f"relief.events{suffix}"])
    await publish(infra.kafka_bootstrap_servers, f"relief.events{suffix}", registered, plain)
    app = build_app(settings_for(infra, suffix))
    async with app_client(app) as client:
        here = Town(client, suffix, number)

        async def opened() -> bool:
            rows = await here.households(AUDITOR)
            return {r["head_name"] for r in rows} == {HEAD, "王建国"}

        await eventually(opened, timeout=60, what="the projection opened relief's tokens")
        yield here


async def test_a_full_read_leaves_exactly_one_row_naming_the_people_shown(town: Town) -> None:
    before = await town.log(limit=1000)
    rows = await town.households(SECRETARY)
    assert {r["head_name"] for r in rows} == {HEAD, "王建国"}
    assert {r["head_id_number"] for r in rows} >= {town.id_number}
    after = await town.log(limit=1000)
    assert len(after) == len(before) + 1
    newest = after[0]
    assert newest["user_id"] == "sec-1" and newest["role"] == "town_secretary"
    assert newest["persons"] == [town.ref]
    assert newest["shown"] == 4  # two heads' names and ID numbers
    assert newest["endpoint"] == "GET /api/v1/views/relief/villages?size=500"
    assert (await town.log(id_number=town.id_number))[0]["seq"] == newest["seq"]


async def test_a_masked_read_leaves_none(town: Town) -> None:
    before = await town.log(limit=1000)
    rows = await town.households(AGRICULTURE)
    assert {r["head_name"] for r in rows} == {"欧阳**", "王**"}
    assert not any(tokens.PREFIX in str(r) for r in rows)
    assert await town.log(limit=1000) == before


async def test_an_audit_trail_and_an_export_each_leave_one_row(town: Town) -> None:
    rows = await town.households(AUDITOR)
    stream = next(r["stream_id"] for r in rows if r["head_name"] == HEAD)
    before = len(await town.log(limit=1000))
    trail = (await town.client.get(f"/api/v1/audit/{stream}", headers=SECRETARY)).json()
    assert trail["chain"]["intact"]
    assert trail["state"]["head_name"] == HEAD
    assert [m["name"] for m in trail["events"][0]["payload"]["members"]] == [HEAD, SPOUSE]
    export = await town.client.get(
        "/api/v1/views/relief/villages",
        params={"format": "csv", "table": "households", "size": "1"},
        headers=SECRETARY,
    )
    assert export.status_code == 200 and HEAD in export.content.decode("utf-8-sig")
    after = await town.log(limit=1000)
    assert len(after) == before + 2
    assert [e["persons"] for e in after[:2]] == [[town.ref], [town.ref]]
    assert "format=csv" in after[0]["endpoint"]


async def test_reading_the_log_records_nothing_and_its_chain_verifies(town: Town) -> None:
    before = await town.log(limit=1000)
    await town.log(id_number=town.id_number)
    verified = await town.client.get("/api/v1/access-log/verify", headers=AUDITOR)
    assert verified.json() == {"intact": True, "breaks": []}
    assert await town.log(limit=1000) == before


async def test_the_dashboard_page_lists_who_looked_and_records_nothing(town: Town) -> None:
    await town.households(SECRETARY)
    before = await town.log(limit=1000)
    page = await town.client.get(
        "/dashboard/access-log", params={"id_number": town.id_number}, headers=AUDITOR
    )
    assert page.status_code == 200, page.text
    assert "哈希链：完好" in page.text and 'data-seq="' in page.text
    assert town.id_number not in page.text.replace(f'value="{town.id_number}"', "")
    bad = await town.client.get(
        "/dashboard/access-log", params={"id_number": "123"}, headers=AUDITOR
    )
    assert bad.status_code == 200 and 'id="problem"' in bad.text
    refused = await town.client.get("/dashboard/access-log", headers=AGRICULTURE)
    assert refused.status_code == 403
    assert await town.log(limit=1000) == before


async def test_who_may_read_the_log(town: Town) -> None:
    assert (await town.client.get("/api/v1/access-log", headers=SECRETARY)).status_code == 200
    for headers in (AGRICULTURE, bearer(Role.DISCIPLINE_SECRETARY)):
        assert_problem(await town.client.get("/api/v1/access-log", headers=headers), 403)
    assert_problem(await town.client.get("/api/v1/access-log/verify", headers=SECRETARY), 403)
    bad = await town.client.get(
        "/api/v1/access-log", params={"id_number": "4303211960"}, headers=AUDITOR
    )
    assert_problem(bad, 422)


async def test_an_erased_person_shows_erased_and_is_still_counted(town: Town, infra: Infra) -> None:
    good = make_resident_id("43032119700101002").value  # the other household's head: untouched
    erasure = EnvelopeFactory().event(
        f"erasure-{town.ref}",
        "person.ErasureRequested",
        {
            "erasure_id": str(uuid.uuid4()),
            "person_ref": town.ref,
            "reason": "本人申请删除",
            "requested_on": "2026-03-01",
        },
        on=D(2026, 3, 1),
    )
    await publish(infra.kafka_bootstrap_servers, f"relief.events{town.suffix}", erasure)

    async def erased() -> bool:
        rows = await town.households(AUDITOR)
        return {r["head_name"] for r in rows} == {ERASED, "王建国"}

    await eventually(erased, timeout=60, what="the projection deleted the erased person's key")
    rows = await town.households(SECRETARY)
    gone = next(r for r in rows if r["head_name"] == ERASED)
    assert gone["head_id_number"] == ERASED
    assert {r["head_id_number"] for r in rows} == {ERASED, good}
    masked = await town.households(AGRICULTURE)
    assert {r["head_name"] for r in masked} == {ERASED, "王**"}
    assert len(rows) == 2  # still listed and counted
    newest = (await town.log())[0]
    assert newest["persons"] == [] and newest["shown"] == 2  # only the other head, plain
