"""The projection's `/metrics` and the 系统运行 page against the real PostgreSQL and Kafka:
consumer lag grows while the consumer is paused and events are produced, and returns to 0 when
it catches up; a poison event shows as a dead letter; the page renders for the auditor with
every write service that does not answer shown as 不可达, and is refused to a village clerk."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from projection.bootstrap import build_app
from projection.replay import replay
from projection.synthetic import EnvelopeFactory
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from shared.envelope import Envelope
from shared.metrics import ReplayProgress
from shared.roles import Role
from shared.testing import Infra, app_client, bearer, eventually, unique

from .support import publish, settings_for

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

AUDITOR = bearer(Role.AUDITOR)
CLERK = bearer(Role.VILLAGE_CLERK, village="石壁村")
#: Nothing listens on the discard port: the write services are "down" for the page.
NOWHERE = "http://127.0.0.1:9"


def visit(f: EnvelopeFactory) -> Envelope:
    stream = f"household-{unique('h')}"
    return f.event(
        stream,
        "relief.HouseholdVisited",
        {
            "household_id": stream,
            "visit_id": unique("v"),
            "visitor": "刘干部",
            "notes": "",
            "visited_on": "2016-05-02",
        },
        on=dt.date(2016, 5, 2),
    )


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def projection(infra: Infra) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, str]]:
    suffix = "." + unique("m")
    await publish(infra.kafka_bootstrap_servers, [visit(EnvelopeFactory())], suffix)
    down = {
        f"LIANXIN_{s.upper()}_URL": NOWHERE for s in ("relief", "funds", "supervision", "party")
    }
    app = build_app(settings_for(infra, suffix, **down))
    app.state.metrics.min_interval = 0.0
    async with app_client(app) as client:
        yield app, client, suffix


async def scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    return response.text


def value(text: str, name: str, **labels: str) -> float | None:
    """The sum of the samples called `name` with these labels; None when there is none."""
    found = [
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name and labels.items() <= s.labels.items()
    ]
    return sum(found) if found else None


async def test_lag_moves_while_the_consumer_is_stopped_and_returns_to_zero(
    projection: tuple[FastAPI, httpx.AsyncClient, str], infra: Infra
) -> None:
    app, client, suffix = projection

    async def lag() -> float | None:
        return value(await scrape(client), "lianxin_consumer_lag")

    async def caught_up() -> bool:
        return await lag() == 0

    await eventually(caught_up, timeout=60, what="the projection caught up")
    consumer = app.state.worker.consumer.consumer
    paused = consumer.assignment()
    consumer.pause(*paused)
    try:
        f = EnvelopeFactory()
        await publish(infra.kafka_bootstrap_servers, [visit(f) for _ in range(5)], suffix)

        async def behind() -> bool:
            return (await lag() or 0) >= 5

        await eventually(behind, what="lag to count the five unread events")
    finally:
        consumer.resume(*paused)
    await eventually(caught_up, timeout=60, what="lag back to 0 after the consumer resumed")
    text = await scrape(client)
    assert (value(text, "lianxin_consumer_applied_total") or 0) >= 6


async def test_the_system_page_shows_lag_dead_letters_and_unreachable_services(
    projection: tuple[FastAPI, httpx.AsyncClient, str], infra: Infra
) -> None:
    _, client, suffix = projection
    f = EnvelopeFactory()
    prog = f"programme-{unique('g')}"
    poison = f.event(
        prog,
        "funds.FundsAllocated",
        {"programme_id": prog, "allocation_id": "a", "village": "石壁村", "amount": "lots"},
        on=dt.date(2016, 5, 1),
    )
    await publish(infra.kafka_bootstrap_servers, [poison], suffix)

    async def dead_lettered() -> bool:
        held = value(await scrape(client), "lianxin_dead_letter_topic_messages")
        return (held or 0) >= 1

    await eventually(dead_lettered, timeout=60, what="the poison event on the dead-letter topic")
    page = await client.get("/dashboard/system", headers=AUDITOR)
    assert page.status_code == 200, page.text
    html = page.text
    assert "系统运行" in html and 'data-service="projection"' in html
    for service in ("relief", "funds", "supervision", "party"):
        assert f'data-service="{service}"' in html
    assert html.count("不可达") >= 4
    assert "死信 1 条" in html and "make replay" in html
    assert 'href="/dashboard/system' in html  # in the auditor's navigation


async def test_the_system_page_is_for_the_auditor_and_the_secretary_only(
    projection: tuple[FastAPI, httpx.AsyncClient, str],
) -> None:
    _, client, _ = projection
    assert (
        await client.get("/dashboard/system", headers=bearer(Role.TOWN_SECRETARY))
    ).status_code == 200
    refused = await client.get("/dashboard/system", headers=CLERK)
    assert refused.status_code == 403
    assert "系统运行" not in (await client.get("/dashboard", headers=CLERK)).text
    anonymous = await client.get("/dashboard/system", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


async def test_replay_progress_reaches_the_records_to_apply(
    projection: tuple[FastAPI, httpx.AsyncClient, str], infra: Infra
) -> None:
    app, _, _ = projection
    progress = ReplayProgress()
    report = await replay(app.state.settings, swap=False, timeout=120, metrics=progress)
    text = generate_latest(progress.registry).decode()
    to_apply = value(text, "lianxin_replay_records_to_apply")
    assert to_apply == report["rebuild"]["records"] and to_apply >= 1
    assert value(text, "lianxin_replay_records_applied") == to_apply
