"""The tenant dispatcher sends a request to its token's town's app; a town the service does not
serve, or a request naming another town than its token's, is a 403 problem; requests without a
token go to the default town's app; its lifespan runs every town's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request

from shared.auth import TokenVerifier
from shared.roles import Principal, Role
from shared.settings import YISUHE_TOWN_CODE, Settings
from shared.tenants import Tenants, tenant_settings
from shared.testing import TEST_AUDIENCE, assert_problem, bearer, key_files, trusting_verifier
from shared.web import create_app, current_principal

HUASHI = "430321106"
events: list[str] = []


def town_app(town: str) -> FastAPI:
    router = APIRouter()

    @router.get("/api/v1/whoami")
    async def whoami(
        request: Request, who: Annotated[Principal, Depends(current_principal)]
    ) -> dict[str, Any]:
        return {"served_by": request.app.title, "town": who.town}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        events.append(f"start {town}")
        yield
        events.append(f"stop {town}")

    verifier = TokenVerifier(TEST_AUDIENCE, key_files().public, town=town)
    return create_app(title=town, verifier=verifier, routers=[router], lifespan=lifespan)


@pytest.fixture
def tenants() -> Tenants:
    apps = {YISUHE_TOWN_CODE: town_app(YISUHE_TOWN_CODE), HUASHI: town_app(HUASHI)}
    return Tenants(apps, YISUHE_TOWN_CODE, trusting_verifier())


@pytest.fixture
async def client(tenants: Tenants) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=tenants)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


def of(town: str, role: Role = Role.AUDITOR) -> dict[str, str]:
    return bearer(role, town=town, audience=[TEST_AUDIENCE])


async def test_each_token_reaches_its_towns_app(client: httpx.AsyncClient) -> None:
    for town in (YISUHE_TOWN_CODE, HUASHI):
        found = (await client.get("/api/v1/whoami", headers=of(town))).json()
        assert found == {"served_by": town, "town": town}
    named = {**of(HUASHI), "X-Lianxin-Town": HUASHI}
    assert (await client.get("/api/v1/whoami", headers=named)).json()["served_by"] == HUASHI
    by_query = await client.get("/api/v1/whoami", params={"town": HUASHI}, headers=of(HUASHI))
    assert by_query.status_code == 200


async def test_without_a_token_the_default_town_answers(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).status_code == 200
    assert_problem(await client.get("/api/v1/whoami"), 401)
    bad = {"Authorization": "Bearer not-a-token"}
    assert_problem(await client.get("/api/v1/whoami", headers=bad), 401)


async def test_an_unserved_town_or_another_named_town_is_forbidden(
    client: httpx.AsyncClient,
) -> None:
    for token in (of("430321105"), of("430321")):  # another town; a county is no town
        body = assert_problem(await client.get("/api/v1/whoami", headers=token), 403)
        assert "无权访问该镇的数据" in body["detail"]
    named = {**of(HUASHI), "X-Lianxin-Town": YISUHE_TOWN_CODE}
    body = assert_problem(await client.get("/api/v1/whoami", headers=named), 403)
    assert "不是令牌所属的镇" in body["detail"]
    query = await client.get(
        "/api/v1/whoami", params={"town": YISUHE_TOWN_CODE}, headers=of(HUASHI)
    )
    assert_problem(query, 403)


async def test_a_town_app_alone_refuses_another_towns_token() -> None:
    app = town_app(HUASHI)  # defence in depth: reached without the dispatcher
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        body = assert_problem(await c.get("/api/v1/whoami", headers=of(YISUHE_TOWN_CODE)), 403)
    assert "无权访问该镇的数据" in body["detail"]


async def test_the_lifespan_runs_every_towns(tenants: Tenants) -> None:
    events.clear()
    async with tenants.lifespan():
        assert events == [f"start {YISUHE_TOWN_CODE}", f"start {HUASHI}"]
    assert events[2:] == [f"stop {HUASHI}", f"stop {YISUHE_TOWN_CODE}"]


def test_each_town_has_its_schema_the_default_keeps_the_services() -> None:
    settings = Settings(LIANXIN_TOWNS=f"{HUASHI}, {YISUHE_TOWN_CODE}")
    assert settings.served_towns == (YISUHE_TOWN_CODE, HUASHI)
    assert tenant_settings(settings, "relief", YISUHE_TOWN_CODE).db_schema == "relief"
    huashi = tenant_settings(settings, "relief", HUASHI)
    assert (huashi.db_schema, huashi.town_code) == (f"relief_{HUASHI}", HUASHI)
    assert Settings().served_towns == (YISUHE_TOWN_CODE,)
    test = Settings(LIANXIN_DB_SCHEMA="svc_1", LIANXIN_TOWNS=HUASHI)
    assert test.served_towns == (HUASHI,)
    assert tenant_settings(test, "relief", HUASHI).db_schema == "svc_1"


async def test_two_authorization_headers_are_refused_and_a_town_app_refuses_a_county(
    client: httpx.AsyncClient,
) -> None:
    # the dispatcher would route by one header and the town's app check the other: refused
    county = of("430321", Role.TOWN_SECRETARY)["Authorization"]
    headers = [("Authorization", county), ("Authorization", of(HUASHI)["Authorization"])]
    body = assert_problem(await client.get("/api/v1/whoami", headers=headers), 403)
    assert "Authorization" in body["detail"]
    app = town_app(HUASHI)  # a county's token writes in no town, even past the dispatcher
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        assert_problem(await c.get("/api/v1/whoami", headers={"Authorization": county}), 403)
