"""Every write service's `/metrics` against the real PostgreSQL and Kafka: Prometheus text without
a token, with the request counter moved by a request (by route template), the outbox figures and
the lag of every consumer of other services' topics. (Relief's and the projection's are tested
further in their own suites: counts on commit, lag that moves and returns to 0.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from funds.bootstrap import build_app as build_funds
from party.bootstrap import build_app as build_party
from prometheus_client.parser import text_string_to_metric_families
from relief.bootstrap import build_app as build_relief
from supervision.bootstrap import build_app as build_supervision

from shared.settings import Settings
from shared.testing import Infra, app_client, service_settings

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SERVICES: dict[str, Callable[[Settings], FastAPI]] = {
    "relief": build_relief,
    "funds": build_funds,
    "supervision": build_supervision,
    "party": build_party,
}


@pytest.mark.parametrize("service", SERVICES)
async def test_metrics_parse_and_count_requests(infra: Infra, service: str) -> None:
    app = SERVICES[service](service_settings(infra))
    async with app_client(app) as client:
        assert (await client.get("/health/live")).status_code == 200
        response = await client.get("/metrics")
        assert response.status_code == 200
        families = {f.name: f for f in text_string_to_metric_families(response.text)}
    live = [
        s
        for s in families["lianxin_http_requests"].samples
        if s.name.endswith("_total") and s.labels["route"] == "/health/live"
    ]
    assert [(s.labels["status"], s.value) for s in live] == [("200", 1.0)]
    assert [s.labels for s in families["lianxin_outbox_backlog"].samples] == [{"service": service}]
    consumers = {s.labels["consumer"] for s in families["lianxin_consumer_lag"].samples}
    assert consumers == {c.name for c in app.state.runtime.consumers} and consumers
    assert "lianxin_events_appended" in families and "lianxin_dead_letters" in families
