"""`/metrics` of the app factory: Prometheus text without a token, out of the OpenAPI document,
requests counted by route template (an unknown path is one series), a crash counted as 500,
each app its own registry; the queried figures read back from the text."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter
from prometheus_client.parser import text_string_to_metric_families

from shared.metrics import Figures, ServiceMetrics, parse_figures
from shared.testing import router_client, trusting_verifier
from shared.web import create_app

router = APIRouter()


@router.get("/api/v1/things/{thing_id}")
async def get_thing(thing_id: str) -> dict[str, str]:
    if thing_id == "boom":
        raise RuntimeError("secret internals")
    return {"id": thing_id}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with router_client(router) as c:
        yield c


def requests(text: str) -> dict[tuple[str, str, str], float]:
    return {
        (s.labels["method"], s.labels["route"], s.labels["status"]): s.value
        for f in text_string_to_metric_families(text)
        for s in f.samples
        if s.name == "lianxin_http_requests_total"
    }


async def test_requests_are_counted_by_route_template_and_status(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/api/v1/things/a", "/api/v1/things/b", "/api/v1/things/boom", "/x/1", "/x/2"):
        await client.get(path)
    response = await client.get("/metrics")
    assert response.status_code == 200  # no token needed
    assert requests(response.text) == {
        ("GET", "/api/v1/things/{thing_id}", "200"): 2,
        ("GET", "/api/v1/things/{thing_id}", "500"): 1,
        ("GET", "(unmatched)", "404"): 2,
    }
    durations = [
        s
        for f in text_string_to_metric_families(response.text)
        for s in f.samples
        if s.name == "lianxin_http_request_duration_seconds_count"
    ]
    assert sum(s.value for s in durations) == 5


async def test_metrics_is_not_in_the_openapi_document(client: httpx.AsyncClient) -> None:
    assert "/metrics" not in (await client.get("/openapi.json")).json()["paths"]


async def test_two_apps_in_one_process_keep_their_own_counts() -> None:
    apps = [create_app(title=n, verifier=trusting_verifier(), routers=[router]) for n in "ab"]
    texts = []
    for n, app in enumerate(apps, start=1):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            for _ in range(n):
                await c.get("/api/v1/things/x")
            texts.append((await c.get("/metrics")).text)
    counts = [requests(t)[("GET", "/api/v1/things/{thing_id}", "200")] for t in texts]
    assert counts == [1, 2]


def test_the_queried_figures_read_back_from_the_text() -> None:
    figures = Figures(
        outbox={"relief": (7, 12.5)},
        lag={("relief.party-members", "party.events", 2): 40},
        dead_letter_messages={("relief.party-members", "relief.party-members.dlq"): 3},
        up={"database": True, "kafka": False},
    )
    metrics = ServiceMetrics()
    metrics.figures = figures
    assert parse_figures(metrics.render().decode()) == figures
