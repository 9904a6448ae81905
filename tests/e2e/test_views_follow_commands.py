"""The leaders' views follow what officials record: a command accepted by a write service over
HTTP shows in the projection's view (through the outbox, Kafka and the projection's consumer),
"as of" a day before it happened does not show it, and its row drills down to an audit trail
with the actor and an intact hash chain."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from projection.bootstrap import build_app as build_projection
from relief.bootstrap import build_app as build_relief

from shared.roles import Role
from shared.testing import Infra, app_client, bearer, eventually, service_settings

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

CLERK = bearer(Role.VILLAGE_CLERK, user_id="clerk-shibi", village="石壁村")
SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="secretary")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def town(infra: Infra) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    relief_app = build_relief(service_settings(infra))
    projection_app = build_projection(service_settings(infra))
    async with app_client(relief_app) as relief, app_client(projection_app) as views:
        yield relief, views


async def _project_row(views: httpx.AsyncClient, name: str, **params: str) -> dict[str, Any] | None:
    response = await views.get("/api/v1/views/relief/projects", params=params, headers=SECRETARY)
    assert response.status_code == 200, response.text
    (table,) = [t for t in response.json()["tables"] if t["name"] == "projects"]
    rows = [r for r in table["rows"] if r.get("project_name") == name]
    return rows[0] if rows else None


async def test_a_recorded_project_shows_in_the_view_as_of_its_day_with_its_trail(
    town: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    relief, views = town
    name = f"石壁村安全饮水工程-{uuid.uuid4().hex[:6]}"
    body = {
        "name": name,
        "category": "water",
        "village": "石壁村",
        "lead_unit": "民政与社会保障办",
        "budget": "350000",
        "due_on": "2016-12-31",
        "occurred_on": "2016-05-10",
    }
    accepted = time.perf_counter()
    created = await relief.post("/api/v1/livelihood-projects", json=body, headers=CLERK)
    assert created.status_code == 201, created.text

    row = await eventually(
        lambda: _project_row(views, name), timeout=90, what="the project in the leaders' view"
    )
    visible_after = time.perf_counter() - accepted
    assert visible_after < 90
    assert await _project_row(views, name, as_of="2016-05-09") is None
    assert await _project_row(views, name, as_of="2016-05-10") is not None

    trail = await views.get(row["audit_url"], headers=SECRETARY)
    assert trail.status_code == 200, trail.text
    audit = trail.json()
    assert audit["chain"]["intact"] is True
    (first,) = audit["events"]
    assert first["event_type"] == "relief.LivelihoodProjectListed"
    assert first["actor"]["user_id"] == "clerk-shibi"
