"""relief's read-access log (个人信息访问记录), through HTTP on the real PostgreSQL: a
read that shows a household's ID numbers unmasked leaves exactly one row naming the people by
their keyed references; the same read by a role that sees them masked leaves none; the chain
verifies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from relief.bootstrap import build_app

from shared.kernel import make_resident_id
from shared.personal.secret import person_ref
from shared.roles import Role
from shared.testing import Infra, app_client, bearer, service_settings

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

AGRI = bearer(Role.AGRICULTURE_LEADER, user_id="agri-log")  # sees ID numbers unmasked
SECRETARY = bearer(Role.DISCIPLINE_SECRETARY, user_id="discipline-log")  # sees them masked
HEAD = make_resident_id("43032119700101001").value
SPOUSE = make_resident_id("43032119720303002").value


@pytest_asyncio.fixture(loop_scope="session")
async def relief(infra: Infra) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = build_app(service_settings(infra))
    async with app_client(app) as client:
        yield app, client


async def rows(app: FastAPI) -> list[dict[str, object]]:
    runtime = app.state.runtime
    async with runtime.engine.connect() as conn:
        return [
            {"user": e.user_id, "persons": set(e.persons), "shown": e.shown, "at": e.endpoint}
            for e in await runtime.access_log.entries(conn)
        ]


async def test_one_unmasked_read_is_one_row_and_a_masked_read_none(
    relief: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = relief
    body = {
        "village": "石壁村",
        "head_name": "甄鑫",
        "head_id_number": HEAD,
        "members": [{"name": "龠龢", "id_number": SPOUSE, "relation": "配偶"}],
        "causes": ["因病"],
        "income_per_head": "1800",
        "occurred_on": "2016-03-01",
    }
    created = await client.post("/api/v1/households", json=body, headers=AGRI)
    assert created.status_code == 201, created.text
    assert await rows(app) == []  # a write shows nothing

    url = f"/api/v1/households/{created.json()['id']}"
    masked = await client.get(url, headers=SECRETARY)
    assert masked.status_code == 200 and HEAD not in masked.text
    shown_names = await rows(app)
    # the discipline secretary sees names (every official does) but not the numbers
    assert [r["user"] for r in shown_names] == ["discipline-log"]
    assert shown_names[0]["persons"] == {person_ref(HEAD), person_ref(SPOUSE)}

    unmasked = await client.get(url, headers=AGRI)
    assert unmasked.status_code == 200 and HEAD in unmasked.text and SPOUSE in unmasked.text
    after = await rows(app)
    assert len(after) == 2  # exactly one more row for the one read
    newest = after[0]
    assert newest["user"] == "agri-log" and newest["at"] == f"GET {url}"
    assert newest["persons"] == {person_ref(HEAD), person_ref(SPOUSE)}
    # the auditor lists who looked at the head's data, and the chain verifies; reading the
    # log records nothing
    auditor = bearer(Role.AUDITOR, user_id="auditor-log")
    listed = await client.get("/api/v1/access-log", params={"id_number": HEAD}, headers=auditor)
    assert listed.status_code == 200, listed.text
    assert [e["user_id"] for e in listed.json()["entries"]] == ["agri-log", "discipline-log"]
    checked = await client.get("/api/v1/access-log/verify", headers=auditor)
    assert checked.json() == {"intact": True, "breaks": []}
    assert len(await rows(app)) == 2
    refused = await client.get("/api/v1/access-log", headers=AGRI)
    assert refused.status_code == 403
    huge = await client.get("/api/v1/access-log", params={"before": 10**35}, headers=auditor)
    assert huge.status_code == 422  # past a bigint: refused, not a server error
    bad = await client.get("/api/v1/access-log", params={"id_number": "123"}, headers=auditor)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(
        "application/problem+json"
    )


async def test_an_unmasked_read_that_cannot_be_logged_is_not_shown(
    relief: tuple[FastAPI, httpx.AsyncClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, client = relief
    head = make_resident_id("43032119800101003").value
    body = {
        "village": "石壁村",
        "head_name": "甄鑫鬯",
        "head_id_number": head,
        "causes": ["因病"],
        "income_per_head": "1800",
        "occurred_on": "2016-03-01",
    }
    created = await client.post("/api/v1/households", json=body, headers=AGRI)
    assert created.status_code == 201, created.text

    async def broken(*_: object, **__: object) -> None:
        raise ConnectionError("the log's database is gone")

    monkeypatch.setattr(app.state.runtime.access_log, "record", broken)
    answer = await client.get(f"/api/v1/households/{created.json()['id']}", headers=AGRI)
    assert answer.status_code == 503 and head not in answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
