"""The demo loader against a real supervision process (uvicorn on a free port, fresh schema):
the governance cases are there — 白石村's 2016 report overdue, a list republished, findings on
the problem list, the 2016 facts — and a second run stores nothing new."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from supervision import demo
from supervision.bootstrap import build_app

from shared.eventstore import EventStore
from shared.roles import Role
from shared.testing import Infra, bearer, key_settings, served, service_settings, stored_events

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def test_the_demo_loads_the_governance_cases_and_is_idempotent(
    infra: Infra, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in key_settings().items():  # the loader signs as the test issuer
        monkeypatch.setenv(name, value)
    app = build_app(service_settings(infra))
    store: EventStore = app.state.runtime.store
    headers = bearer(Role.TOWN_SECRETARY)
    async with served(app) as base, httpx.AsyncClient(base_url=base, headers=headers) as http:
        assert await asyncio.to_thread(demo.main, ["--base-url", base]) == 0
        first = await stored_events(store)
        assert await asyncio.to_thread(demo.main, ["--base-url", base]) == 0
        assert await stored_events(store) == first

        committees = (await http.get("/api/v1/committees", params={"year": 2016})).json()
        overdue = [
            c["village"] for c in committees["committees"] if c.get("report", {}).get("overdue")
        ]
        assert overdue == ["白石村"]
        assert committees["established"] == 20
        shibi = (await http.get("/api/v1/power-lists/石壁村/2017")).json()
        assert (shibi["version"], [i["code"] for i in shibi["items"]]) == (2, ["finance", "works"])
        jinxia = (await http.get("/api/v1/committees/金霞村")).json()
        assert len(jinxia["serving"]) == 3 and len(jinxia["members"]) == 4
        findings = (
            await http.get("/api/v1/items", params={"measure": 6, "source": "群众提"})
        ).json()
        titles = [i["title"] for i in findings["items"] if "村务监督委员会发现" in i["title"]]
        assert len(titles) == 2
        facts = (await http.get("/api/v1/appraisal-facts/2016")).json()
        assert (facts["as_of"], facts["records"]) == ("2016-12-31", 1)
