"""relief's `/metrics` against the real PostgreSQL and Kafka: it parses as Prometheus text
without a token; a command moves the request counter (by route template) and the events
appended; the relay publishes them (outbox backlog back to 0); the consumer of party's events
falls behind while it is paused and catches up (lag 0) when it resumes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from relief.bootstrap import build_app

from shared.consumer import EventConsumer
from shared.roles import Role
from shared.testing import Infra, app_client, bearer, eventually, named, service_settings, unique

from .support import fresh_resident, publish_member_joined

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

AGRI = bearer(Role.AGRICULTURE_LEADER, user_id="agri-metrics")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def running(infra: Infra) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = build_app(service_settings(infra))
    app.state.metrics.min_interval = 0.0  # every scrape reads afresh
    async with app_client(app) as client:
        yield app, client


async def scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")  # no token: the figures carry no personal data
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def value(text: str, name: str, **labels: Any) -> float:
    """The sum of the samples called `name` whose labels include `labels`."""
    wanted = {k: str(v) for k, v in labels.items()}
    return sum(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name and wanted.items() <= s.labels.items()
    )


def household() -> dict[str, Any]:
    return {
        "village": "石壁村",
        "head_name": "王指标",
        "head_id_number": fresh_resident(),
        "members": [],
        "causes": ["因病"],
        "income_per_head": "1500",
        "occurred_on": "2016-03-01",
    }


async def test_metrics_parse_and_name_every_family(
    running: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = running
    text = await scrape(client)
    names = {family.name for family in text_string_to_metric_families(text)}
    assert {
        "lianxin_http_requests",
        "lianxin_http_request_duration_seconds",
        "lianxin_events_appended",
        "lianxin_outbox_published",
        "lianxin_outbox_backlog",
        "lianxin_outbox_oldest_age_seconds",
        "lianxin_consumer_lag",
        "lianxin_dead_letters",
        "lianxin_dead_letter_topic_messages",
        "lianxin_metrics_source_up",
    } <= names
    assert value(text, "lianxin_metrics_source_up", source="database") == 1
    assert value(text, "lianxin_metrics_source_up", source="kafka") == 1
    assert "/metrics" not in (await client.get("/openapi.json")).json()["paths"]


async def test_a_command_moves_requests_appends_and_publishes(
    running: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    _, client = running
    before = await scrape(client)
    route = {"method": "POST", "route": "/api/v1/households"}
    registered = {"service": "relief", "event_type": "relief.HouseholdRegistered"}
    for _ in range(2):
        response = await client.post("/api/v1/households", json=household(), headers=AGRI)
        assert response.status_code == 201, response.text
    refused = await client.post("/api/v1/households", json={}, headers=AGRI)
    assert refused.status_code == 422
    after = await scrape(client)

    def moved(name: str, **labels: Any) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("lianxin_http_requests_total", **route, status=201) == 2
    assert moved("lianxin_http_requests_total", **route, status=422) == 1
    assert moved("lianxin_http_request_duration_seconds_count", **route) == 3
    assert moved("lianxin_events_appended_total", **registered) == 2  # the refusal appended none
    # a raw path never becomes a label (a fuzzer's paths would grow the series without bound)
    await client.get(f"/api/v1/households/{unique('h')}", headers=AGRI)
    text = await scrape(client)
    routes = {
        s.labels.get("route") for f in text_string_to_metric_families(text) for s in f.samples
    }
    assert "/api/v1/households/{household_id}" in routes
    assert not any(r and "h_" in r for r in routes)

    async def published() -> bool:
        text = await scrape(client)
        return value(text, "lianxin_outbox_backlog", service="relief") == 0 and value(
            text, "lianxin_outbox_published_total", service="relief"
        ) >= value(text, "lianxin_events_appended_total", service="relief")

    await eventually(published, what="the relay published every appended event")


async def test_consumer_lag_grows_while_paused_and_returns_to_zero(
    running: tuple[FastAPI, httpx.AsyncClient], infra: Infra
) -> None:
    app, client = running
    consumer = named(app.state.runtime.consumers, "party-members")
    assert isinstance(consumer, EventConsumer)

    async def lag() -> float:
        return value(await scrape(client), "lianxin_consumer_lag", consumer=consumer.name)

    await eventually(lambda: _is_zero(lag), timeout=60, what="the consumer caught up")
    kafka = consumer.consumer
    assert kafka is not None
    paused = kafka.assignment()
    kafka.pause(*paused)
    try:
        for n in range(3):
            await publish_member_joined(
                infra.kafka_bootstrap_servers,
                member_id=unique("m"),
                name=f"党员{n}",
                village="石壁村",
            )

        async def behind() -> bool:
            return await lag() >= 3

        await eventually(behind, what="lag to show the three unread events")
    finally:
        kafka.resume(*paused)
    await eventually(lambda: _is_zero(lag), timeout=60, what="lag back to 0 after resuming")


async def _is_zero(lag: Any) -> bool:
    return bool(await lag() == 0)
