"""Erasing one person (个人信息删除, crypto-shredding), end to end on the real PostgreSQL and
Kafka: a head of household registered in relief and paid in funds, seen by the leaders in the
projection, is erased by the town secretary. Afterwards no plain name or ID number of theirs is
in any table of the five services, on any topic, or in any view; the figures that count them
are unchanged; the hash chains still verify; a projection rebuilt from Kafka (a replay) shows
the same rows as the live one.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer
from projection.bootstrap import build_app as build_projection
from sqlalchemy import text

from shared.db import make_engine
from shared.metrics import end_offsets
from shared.personal.secret import person_ref
from shared.personal.tokens import ERASED
from shared.roles import Role
from shared.testing import Infra, app_client, bearer, eventually, service_settings

from .officials import households_known_to_funds, pay, programme_ready_to_pay, register_household
from .support import AGRICULTURE, UNUSED_YEARS, Town, ok, resident_id

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="secretary-erasure")
VILLAGE = "石壁村"
TOPICS = ("relief.events", "funds.events", "supervision.events", "party.events", "person-keys")
#: Rare characters, so that a plain name found anywhere can only be this test's.
RARE = "鑫鏊鬯甑黻龠龢麴爨纛"


def rare_name() -> str:
    return "".join(random.sample(RARE, 4))


class Scene:
    def __init__(self, town: Town, views: httpx.AsyncClient, home: str) -> None:
        self.town, self.views, self.home = town, views, home


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def scene(infra: Infra) -> AsyncIterator[Scene]:
    town = Town(infra)
    projection = build_projection(service_settings(infra))
    await town.start_all()
    try:
        async with app_client(projection) as views:
            yield Scene(town, views, projection.state.settings.home_schema)
    finally:
        await town.stop_all()


async def household_row(views: httpx.AsyncClient, household_id: str) -> dict[str, Any] | None:
    """The household's row of the households table (relief/villages), looked for page by page."""
    page, pages = 1, 1
    while page <= pages:
        response = await views.get(
            "/api/v1/views/relief/villages",
            params={"village": VILLAGE, "size": 500, "page": page},
            headers=SECRETARY,
        )
        assert response.status_code == 200, response.text
        (table,) = [t for t in response.json()["tables"] if t["name"] == "households"]
        for row in table["rows"]:
            if row.get("stream_id") == f"household-{household_id}":
                return dict(row)
        pages = int((table.get("page") or {}).get("pages") or 1)
        page += 1
    return None


async def schemas_of(scene: Scene) -> list[str]:
    services = [s.db_schema for s in scene.town.settings.values()]
    engine = make_engine(scene.town.infra.database_url)
    try:
        async with engine.connect() as conn:
            generations = (
                await conn.execute(
                    text(
                        "SELECT schema_name FROM information_schema.schemata"
                        " WHERE schema_name = :h OR schema_name LIKE :g"
                    ),
                    {"h": scene.home, "g": f"{scene.home}_g%"},
                )
            ).scalars()
            return [*services, *generations]
    finally:
        await engine.dispose()


async def tables_holding(infra: Infra, schemas: list[str], needles: list[str]) -> list[str]:
    """Every `schema.table` whose rows, as text, contain one of `needles`."""
    found: list[str] = []
    engine = make_engine(infra.database_url)
    try:
        async with engine.connect() as conn:
            tables = (
                await conn.execute(
                    text(
                        "SELECT table_schema, table_name FROM information_schema.tables"
                        " WHERE table_schema = ANY(:s) AND table_type = 'BASE TABLE'"
                    ),
                    {"s": schemas},
                )
            ).all()
            for schema, table in tables:
                for needle in needles:
                    hit = await conn.execute(
                        text(
                            f'SELECT 1 FROM "{schema}"."{table}" t'
                            " WHERE position(:n in t::text) > 0 LIMIT 1"
                        ),
                        {"n": needle},
                    )
                    if hit.first() is not None:
                        found.append(f"{schema}.{table} ∋ {needle}")
    finally:
        await engine.dispose()
    return found


async def topics_holding(bootstrap: str, needles: list[str]) -> list[str]:
    """Every topic whose messages (keys or values, as bytes) contain one of `needles`."""
    offsets = await end_offsets(bootstrap, TOPICS)
    partitions = sorted(offsets)
    assert {tp.topic for tp in partitions} == set(TOPICS), "a topic to scan is missing"
    ends = {tp: last for tp, (_, last) in offsets.items()}
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    found: set[str] = set()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        wanted = [n.encode() for n in needles]

        async def behind() -> bool:
            return any([await consumer.position(tp) < ends[tp] for tp in partitions])

        while await behind():
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            for tp, records in batch.items():
                for record in records:
                    raw = (record.key or b"") + b"\x00" + (record.value or b"")
                    found.update(f"{tp.topic} ∋ {n.decode()}" for n in wanted if n in raw)
    finally:
        await consumer.stop()
    return sorted(found)


async def every_view(views: httpx.AsyncClient) -> str:
    """Every view (JSON) as the town secretary reads it for the village, as one text."""
    listed = await ok(views.get("/api/v1/views", headers=SECRETARY))
    texts = []
    for view in listed:
        response = await views.get(view["url"], params={"village": VILLAGE}, headers=SECRETARY)
        assert response.status_code == 200, f"{view['url']}: {response.text}"
        texts.append(response.text)
    return "\n".join(texts)


def figures(row: dict[str, Any]) -> dict[str, Any]:
    """A view row without its personal fields: what counts and sums read."""
    return {k: v for k, v in row.items() if k not in {"head_name", "head_id_number"}}


async def test_an_erased_person_leaves_no_plain_data_and_every_figure_stands(
    scene: Scene, infra: Infra
) -> None:
    town, views = scene.town, scene.views
    name = rare_name()
    head_id = resident_id(*UNUSED_YEARS)
    # given: a household registered in relief (with a member), paid in funds
    household_id = await register_household(town, VILLAGE, name, head_id)

    async def funds_knows() -> list[dict[str, Any]]:
        known = await households_known_to_funds(town, VILLAGE)
        return [h for h in known if h["household_id"] == household_id and h["head_name"] == name]

    await eventually(funds_knows, timeout=60, what="funds opening relief's names")
    programme = await programme_ready_to_pay(town, VILLAGE, code=f"ERASE-{uuid.uuid4().hex[:8]}")
    await pay(town, programme, VILLAGE, f"V-{uuid.uuid4().hex[:8]}", name, head_id)

    before = await eventually(
        lambda: _shown_with(views, household_id, name), timeout=90, what="the household's row"
    )
    assert before["head_id_number"] == head_id  # the town secretary sees it unmasked

    # when: a role other than the town secretary asks → 403, nothing erased
    body = {"id_number": head_id, "reason": "本人申请删除（个人信息保护法第四十七条）"}
    refused = await town.relief.post("/api/v1/persons/erasures", json=body, headers=AGRICULTURE)
    assert refused.status_code == 403, refused.text
    missing_reason = await town.relief.post(
        "/api/v1/persons/erasures", json={"id_number": head_id}, headers=SECRETARY
    )
    assert missing_reason.status_code == 422, missing_reason.text
    # when: the town secretary orders the erasure
    erased = await ok(
        town.relief.post("/api/v1/persons/erasures", json=body, headers=SECRETARY), 201
    )
    assert [e["type"] for e in erased["events"]] == ["person.ErasureRequested"]

    # then: the leaders' view shows 已删除 where the name and number were
    after = await eventually(
        lambda: _shown_with(views, household_id, ERASED), timeout=90, what="the erased row"
    )
    assert after["head_id_number"] == ERASED
    assert figures(after) == figures(before)  # the figures that count them are unchanged

    # ... and so do relief's own record and funds' view of the register
    async def relief_forgot() -> dict[str, Any] | None:
        url = f"/api/v1/households/{household_id}"
        record: dict[str, Any] = await ok(town.relief.get(url, headers=AGRICULTURE))
        return record if name not in str(record) and head_id not in str(record) else None

    # each service erases when its own consumer reaches the event: relief may come after the view
    await eventually(relief_forgot, timeout=60, what="relief's record with the name erased")

    async def funds_forgot() -> list[dict[str, Any]]:
        known = await households_known_to_funds(town, VILLAGE)
        return [h for h in known if h["household_id"] == household_id and h["head_name"] == ERASED]

    await eventually(funds_forgot, timeout=60, what="funds showing the name erased")

    # no key of theirs is left anywhere
    schemas = await schemas_of(scene)
    ref = person_ref(head_id)
    engine = make_engine(infra.database_url)
    try:
        async with engine.connect() as conn:
            for schema in schemas:
                exists = await conn.execute(
                    text("SELECT to_regclass(:t)"), {"t": f'"{schema}".person_keys'}
                )
                if exists.scalar_one_or_none() is None:
                    continue
                left = await conn.execute(
                    text(f'SELECT count(*) FROM "{schema}".person_keys WHERE ref = :r'), {"r": ref}
                )
                assert left.scalar_one() == 0, f"{schema} still holds a key of the erased person"
    finally:
        await engine.dispose()

    # no plain name or ID number in any table, topic or view (the bytes scanned)
    # (the person's keyed reference is there, in tokens: it shows the scans see what is there)
    needles = [name, head_id, ref]
    in_tables = await tables_holding(infra, schemas, needles)
    assert in_tables and all(hit.endswith(f" ∋ {ref}") for hit in in_tables), in_tables
    on_topics = await topics_holding(infra.kafka_bootstrap_servers, needles)
    assert on_topics and all(hit.endswith(f" ∋ {ref}") for hit in on_topics), on_topics
    shown = await every_view(views)
    assert name not in shown and head_id not in shown

    # the chains still verify, with or without the keys
    trail = await ok(views.get(before["audit_url"], headers=SECRETARY))
    assert trail["chain"]["intact"] is True
    assert name not in str(trail) and head_id not in str(trail)
    for service, stream in (
        ("relief", f"household-{household_id}"),
        ("funds", f"programme-{programme}"),
    ):
        store = town.apps[service].state.runtime.store
        assert len(await store.read_stream(stream)) > 0
        assert await store.verify(stream) == [], f"{stream} in {service} does not verify"

    # replay equals live: a projection rebuilt from Kafka shows the same row
    async with app_client(build_projection(service_settings(infra))) as replayed:
        again = await eventually(
            lambda: _shown_with(replayed, household_id, ERASED), timeout=180, what="the replay"
        )
    assert {k: v for k, v in again.items() if k != "audit_url"} == {
        k: v for k, v in after.items() if k != "audit_url"
    }


async def _shown_with(
    views: httpx.AsyncClient, household_id: str, head_name: str
) -> dict[str, Any] | None:
    row = await household_row(views, household_id)
    return row if row is not None and row.get("head_name") == head_name else None
