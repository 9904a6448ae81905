"""PostgreSQL goes away under a running relief service and comes back: meanwhile commands and
reads answer 503 with Retry-After and a problem naming the database, `/health/ready` says the
database is down, and the command sent again afterwards is stored once (the failed attempt left
nothing behind).

The shared test PostgreSQL is not stopped (other tests use it): the service reaches it through a
loopback proxy of this test's own, and the proxy is what goes down."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from relief.bootstrap import build_app
from sqlalchemy.engine import make_url

from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    assert_problem,
    bearer,
    eventually,
    service_settings,
    stored_events,
)

from .support import fresh_resident

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

AGRI = bearer(Role.AGRICULTURE_LEADER, user_id="agri-outage")
DATABASE_DOWN = "数据库暂不可用 (database unavailable)"


class Outage:
    """A loopback TCP proxy to a server that can be cut (open connections dropped, new ones
    refused) and restored on the same port, as if the server were killed and restarted."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _pipe(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.transport.abort()
            return
        self._open |= {client_w, server_w}

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while chunk := await src.read(65536):
                    dst.write(chunk)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(copy(client_r, server_w), copy(server_r, client_w))
        self._open -= {client_w, server_w}


@contextlib.asynccontextmanager
async def proxied(infra: Infra) -> AsyncIterator[tuple[Outage, str]]:
    url = make_url(infra.database_url)
    outage = Outage(url.host or "127.0.0.1", url.port or 5432)
    await outage.restore()
    try:
        yield outage, url.set(host="127.0.0.1", port=outage.port).render_as_string(False)
    finally:
        await outage.cut()


def household() -> dict[str, Any]:
    return {
        "village": "石壁村",
        "head_name": "王停电",
        "head_id_number": fresh_resident("19580707"),
        "members": [],
        "causes": ["因病"],
        "income_per_head": "1500.00",
        "occurred_on": "2016-03-01",
    }


async def test_while_the_database_is_down_commands_and_reads_are_503_and_nothing_is_stored(
    infra: Infra,
) -> None:
    async with proxied(infra) as (outage, database_url):
        app = build_app(service_settings(infra, database_url=database_url))
        async with app_client(app) as client:
            store = app.state.runtime.store
            assert (await client.get("/health/ready")).status_code == 200
            before = await stored_events(store)
            body = household()

            await outage.cut()
            for response in (
                await client.post("/api/v1/households", json=body, headers=AGRI),
                await client.get("/api/v1/households", headers=AGRI),
            ):
                problem = assert_problem(response, 503)
                assert response.headers["retry-after"].isdigit()
                assert problem["title"] == DATABASE_DOWN
                assert problem["detail"].startswith("数据库暂时无法连接"), problem
                assert problem["dependency"] == "database"
            ready = await client.get("/health/ready")
            assert ready.status_code == 503 and "retry-after" in ready.headers
            assert ready.json()["unavailable"] == ["database"]
            assert ready.json()["detail"] == DATABASE_DOWN

            await outage.restore()

            async def sent_again() -> httpx.Response | None:
                # the pool finds its dead connections one request late: that one is a 503 too
                response = await client.post("/api/v1/households", json=body, headers=AGRI)
                return None if response.status_code == 503 else response

            again = await eventually(sent_again, timeout=30, what="the database back")
            # the same head of household again is not "已建档" (409): the attempt made during
            # the outage stored nothing
            assert again.status_code == 201, again.text
            after = await stored_events(store)
            stored = [e for e in await store.read_all(limit=10_000) if e.actor.role != "system"]
            assert len(stored) == after - before
            assert {e.correlation_id for e in stored} == {
                uuid.UUID(again.headers["x-correlation-id"])
            }
            registered = [e for e in stored if e.event_type == "relief.HouseholdRegistered"]
            opened = await store.opened([e.payload for e in registered])
            assert [p["head_id_number"] for p in opened] == [body["head_id_number"]]
            assert (await client.get("/health/ready")).status_code == 200
