"""The app factory: problem+json for every error, roles checked, request ids returned."""

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from shared.kernel import Refused
from shared.roles import Principal, Role
from shared.testing import bearer, router_client
from shared.web import PROBLEM, require

router = APIRouter()


class Body(BaseModel):
    income: int = Field(ge=0)


@router.post("/api/v1/things")
async def make_thing(
    body: Body, who: Annotated[Principal, Depends(require(Role.AGRICULTURE_LEADER))]
) -> dict[str, str]:
    if body.income == 7:
        raise Refused("收入不能为 7 (seven is refused)")
    if body.income == 13:
        raise RuntimeError("secret internals")
    return {"by": who.user_id}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with router_client(router) as c:
        yield c


async def test_no_token_is_401_problem(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/things", json={"income": 1})
    assert (r.status_code, r.headers["content-type"]) == (401, PROBLEM)
    assert r.headers["www-authenticate"] == "Bearer"


async def test_a_wrong_role_is_403_naming_the_roles(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/things", json={"income": 1}, headers=bearer(Role.PUBLIC))
    assert r.status_code == 403
    assert "agriculture_leader" in r.json()["detail"]


async def test_invalid_input_names_the_field(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/things", json={"income": -5}, headers=bearer(Role.AGRICULTURE_LEADER)
    )
    assert (r.status_code, r.headers["content-type"]) == (422, PROBLEM)
    assert r.json()["errors"][0]["field"] == "income"


async def test_a_refusal_is_422_with_the_reason(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/things", json={"income": 7}, headers=bearer(Role.AGRICULTURE_LEADER)
    )
    assert r.status_code == 422
    assert "seven is refused" in r.json()["detail"]


async def test_a_crash_shows_no_internals(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/things",
        json={"income": 13},
        headers=bearer(Role.AGRICULTURE_LEADER),
    )
    assert (r.status_code, r.headers["content-type"]) == (500, PROBLEM)
    assert "secret internals" not in r.text and "Traceback" not in r.text


async def test_ids_are_returned_and_the_caller_known(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/v1/things",
        json={"income": 1},
        headers={**bearer(Role.AGRICULTURE_LEADER, user_id="u-9"), "X-Correlation-ID": "corr-1"},
    )
    assert r.json() == {"by": "u-9"}
    assert r.headers["x-correlation-id"] == "corr-1"
    assert r.headers["x-request-id"]


async def test_health_is_open(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    assert (await client.get("/health/ready")).status_code == 200
