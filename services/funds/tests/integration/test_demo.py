"""The demo loader against a real funds process (uvicorn on a free port, fresh schema): every
red-flag code appears, and a second run changes nothing."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
from funds import demo
from funds.bootstrap import build_app
from funds.domain.codes import CODES

from shared.roles import Role
from shared.testing import (
    Infra,
    bearer,
    eventually,
    key_settings,
    served,
    service_settings,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@contextlib.asynccontextmanager
async def running(infra: Infra) -> AsyncIterator[str]:
    async with served(build_app(service_settings(infra))) as base:
        yield base


async def test_the_demo_plants_every_code_and_is_idempotent(
    infra: Infra, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in key_settings().items():  # the loader signs as the test issuer
        monkeypatch.setenv(name, value)
    headers = bearer(Role.TOWN_SECRETARY)
    async with running(infra) as base, httpx.AsyncClient(base_url=base, headers=headers) as http:
        settled: list[int] = []

        async def view_settled() -> bool:  # let the view catch up on relief.events first
            count = (await http.get("/api/v1/relief-households")).json()["count"]
            settled.append(count)
            return len(settled) > 3 and len(set(settled[-3:])) == 1

        await eventually(view_settled, timeout=30, interval=0.5, what="relief view settled")
        assert await asyncio.to_thread(demo.main, ["--base-url", base, "--wait-relief", "1"]) == 0
        first = (await http.get("/api/v1/red-flags")).json()
        assert {f["code"] for f in first} == set(CODES)
        assert await asyncio.to_thread(demo.main, ["--base-url", base, "--wait-relief", "1"]) == 0
        second = (await http.get("/api/v1/red-flags")).json()
        assert sorted(f["flag_id"] for f in second) == sorted(f["flag_id"] for f in first)
        statuses = {f["code"]: f["status"] for f in second}
        assert statuses["FUNDS-DUPLICATE"] == "confirmed"
        assert statuses["FUNDS-CADRE-RELATIVE"] == "explained"
        zero = (await http.get("/api/v1/collective-economy/zero-income-villages")).json()
        assert {v["village"] for v in zero["villages"]} == {"石壁村", "响塘村"}
        overdue = await http.get(
            "/api/v1/finance-disclosures/overdue", params={"as_of": "2017-08-15"}
        )
        assert [v["village"] for v in overdue.json()["villages"]] == ["响塘村"]
        late = await http.get(
            "/api/v1/villages/石壁村/decisions", params={"as_of": "2017-08-15", "overdue": "true"}
        )
        assert [d["subject"] for d in late.json()["decisions"]] == ["石壁村 60 千瓦光伏电站"]
        done = (await http.get("/api/v1/villages/金霞村/decisions")).json()["decisions"]
        assert [d["status"] for d in done] == ["result_disclosed"]
        projects = (await http.get("/api/v1/villages/响塘村/collective-projects")).json()
        assert [p["name"] for p in projects["projects"]] == ["响塘村蔬菜基地"]
        books = (await http.get("/api/v1/villages/梅林村/books/2016")).json()
        assert len(books["months"]) == 12
