"""An unreachable database or message bus is a 503 naming it, with Retry-After; any other
failure stays a 500; `/health/ready` names what is down."""

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from aiokafka.errors import KafkaConnectionError, UnknownTopicOrPartitionError
from asyncpg.exceptions import (  # type: ignore[import-untyped]
    ConnectionDoesNotExistError,
    UndefinedTableError,
)
from fastapi import APIRouter
from sqlalchemy import exc as sa
from sqlalchemy import text

from shared.db import make_engine
from shared.outage import readiness
from shared.testing import assert_problem, trusting_verifier
from shared.web import create_app


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# a PostgreSQL that is not there: nothing listens on the port
ENGINE_URL = f"postgresql+asyncpg://lianxin@127.0.0.1:{_closed_port()}/lianxin"
router = APIRouter()


@router.post("/api/v1/things")
async def store_thing() -> None:
    engine = make_engine(ENGINE_URL, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


@router.get("/api/v1/pool-exhausted")
async def pool_exhausted() -> None:
    raise sa.TimeoutError("QueuePool limit of size 10 overflow 10 reached")


@router.post("/api/v1/dropped")
async def dropped() -> None:
    # what SQLAlchemy raises when the server went away between two statements
    raise sa.OperationalError(
        "INSERT ...", {}, ConnectionDoesNotExistError("connection was closed in the middle")
    )


@router.post("/api/v1/no-table")
async def no_table() -> None:
    raise sa.ProgrammingError("SELECT ...", {}, UndefinedTableError('relation "x" does not exist'))


@router.post("/api/v1/publish")
async def publish() -> None:
    raise KafkaConnectionError("Unable to bootstrap from [('127.0.0.1', 9)]")


@router.post("/api/v1/unknown-topic")
async def unknown_topic() -> None:
    raise UnknownTopicOrPartitionError("no such topic")


@router.get("/api/v1/file")
def read_file() -> None:
    with open("/nonexistent/lianxin/file.txt", encoding="utf-8") as f:
        f.read()


@router.get("/api/v1/elsewhere")
async def elsewhere() -> None:
    # a refused connection that is no database's or broker's (the service's own code)
    raise ConnectionRefusedError(111, "Connect call failed ('10.0.0.9', 443)")


@router.post("/api/v1/duplicate")
async def duplicate() -> None:
    raise sa.IntegrityError("INSERT ...", {}, Exception("duplicate key value"))


async def _refused() -> bool:
    raise ConnectionRefusedError(111, "Connect call failed")


async def _ok() -> bool:
    return True


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        title="t",
        verifier=trusting_verifier(),
        routers=[router],
        ready_checks={"database": _refused, "kafka": _ok},
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


async def test_a_command_while_the_database_is_unreachable_is_503(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post("/api/v1/things")
    body = assert_problem(r, 503)
    assert r.headers["retry-after"] == "5"
    assert body["title"] == "数据库暂不可用 (database unavailable)"
    assert body["detail"].startswith("数据库暂时无法连接，本次请求未写入任何数据")
    assert body["dependency"] == "database"
    assert body["instance"] == "/api/v1/things"


async def test_a_connection_lost_mid_command_is_503_database(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/dropped")
    assert assert_problem(r, 503)["title"] == "数据库暂不可用 (database unavailable)"


async def test_a_pool_that_hands_out_no_connection_is_503_database(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get("/api/v1/pool-exhausted")
    assert assert_problem(r, 503)["dependency"] == "database"
    assert "retry-after" in r.headers


async def test_an_unreachable_message_bus_is_503_naming_it(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/publish", "/api/v1/unknown-topic"):
        r = await client.post(path)
        body = assert_problem(r, 503)
        assert body["title"] == "消息总线暂不可用 (message bus unavailable)", path
        assert body["dependency"] == "kafka"
        assert r.headers["retry-after"] == "5"


async def test_other_failures_stay_500_without_internals(client: httpx.AsyncClient) -> None:
    for method, path in (
        ("GET", "/api/v1/file"),
        ("GET", "/api/v1/elsewhere"),
        ("POST", "/api/v1/duplicate"),
        ("POST", "/api/v1/no-table"),
    ):
        r = await client.request(method, path)
        body = assert_problem(r, 500)
        assert "retry-after" not in r.headers
        assert body["title"] == "服务器内部错误 (internal error)"
        for internal in ("nonexistent", "10.0.0.9", "duplicate key"):
            assert internal not in r.text, body


async def test_ready_is_503_naming_the_unreachable_dependency(client: httpx.AsyncClient) -> None:
    r = await client.get("/health/ready")
    assert r.status_code == 503
    assert r.headers["retry-after"] == "5"
    body = r.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": False, "kafka": True}
    assert body["unavailable"] == ["database"]
    assert body["detail"] == "数据库暂不可用 (database unavailable)"


async def test_a_check_that_hangs_counts_as_down() -> None:
    async def hangs() -> bool:
        await asyncio.sleep(60)
        return True

    response = await readiness({"kafka": hangs, "database": _ok}, timeout=0.05)
    assert not isinstance(response, dict)
    assert response.status_code == 503
    body = json.loads(bytes(response.body))
    assert (body["unavailable"], body["detail"]) == (
        ["kafka"],
        "消息总线暂不可用 (message bus unavailable)",
    )


async def test_ready_is_200_when_every_check_passes() -> None:
    assert await readiness({"database": _ok, "kafka": _ok}) == {
        "status": "ok",
        "checks": {"database": True, "kafka": True},
    }
