"""A dependency that cannot be reached is a 503, not a 500: while PostgreSQL or Kafka is down a
command or a read answers `503 Service Unavailable` with `Retry-After` and a problem+json that
names the dependency, and `/health/ready` says which one failed.

A command appends its events and outbox rows in one transaction, so a command that met a dead
connection stored nothing and may simply be sent again once the dependency is back.
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import structlog
from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa

log = structlog.get_logger(__name__)

#: Seconds a client is asked to wait before it sends the request again.
RETRY_AFTER_SECONDS = 5
#: How long one readiness check may take before its dependency counts as unreachable.
READY_CHECK_TIMEOUT = 3.0


@dataclass(frozen=True, slots=True)
class Dependency:
    """A backing service a request may find unreachable."""

    name: str
    title: str
    detail: str


DATABASE = Dependency(
    "database",
    "数据库暂不可用 (database unavailable)",
    "数据库暂时无法连接，本次请求未写入任何数据，请稍后重试 "
    "(the database cannot be reached; nothing was stored, retry later)",
)
KAFKA = Dependency(
    "kafka",
    "消息总线暂不可用 (message bus unavailable)",
    "消息总线暂时无法连接，请稍后重试 (the message bus cannot be reached; retry later)",
)
_BY_NAME = {d.name: d for d in (DATABASE, KAFKA)}
# Where a raw socket error came from, by the module that was running when it was raised.
_LAYERS = {"asyncpg": DATABASE, "sqlalchemy": DATABASE, "aiokafka": KAFKA, "faststream": KAFKA}
# PostgreSQL refusing connections while it starts, stops or is full (not a query's fault).
_PG_UNAVAILABLE = (
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.TooManyConnectionsError,
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what it was raised from (drivers wrap socket errors, SQLAlchemy wraps those)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )


def _raised_in(tb: types.TracebackType | None) -> Dependency | None:
    """The dependency whose client library the traceback passes through, if any."""
    found: Dependency | None = None
    while tb is not None:
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        layer = _LAYERS.get(module.partition(".")[0])
        found = layer or found
        tb = tb.tb_next
    return found


def _classify(exc: BaseException) -> Dependency | None:
    if isinstance(exc, sa.TimeoutError):  # no pooled connection came free in time
        return DATABASE
    if isinstance(exc, sa.DBAPIError):
        if exc.connection_invalidated:
            return DATABASE
        if isinstance(exc.orig, BaseException) and exc.orig is not exc:
            return unavailable_dependency(exc.orig)  # the driver's error it wraps
        return None
    if isinstance(exc, _PG_UNAVAILABLE):
        return DATABASE
    if isinstance(exc, KafkaConnectionError | KafkaTimeoutError) or (
        isinstance(exc, KafkaError) and exc.retriable
    ):
        return KAFKA
    if isinstance(exc, OSError):  # refused, reset, timed out, name not resolved
        return _raised_in(exc.__traceback__)
    return None


def unavailable_dependency(exc: BaseException) -> Dependency | None:
    """The dependency `exc` says is unreachable, or None when it is some other failure (a
    constraint violated, a bug, an OSError that is not about a connection)."""
    for link in _chain(exc):
        if (dependency := _classify(link)) is not None:
            return dependency
    return None


Problem = Callable[..., JSONResponse]


def install_outage_handler(app: FastAPI, problem: Problem) -> None:
    """Answer 503 (see the module docstring) for the errors an unreachable dependency raises;
    `problem` builds the app's problem+json documents."""

    async def outage(request: Request, exc: Exception) -> JSONResponse:
        dependency = unavailable_dependency(exc)
        if dependency is None:
            raise exc  # not an outage: the app's catch-all answers 500 as for any other crash
        log.warning(
            "http.dependency_unavailable",
            dependency=dependency.name,
            path=str(request.url.path),
            error=f"{type(exc).__name__}: {exc}",
        )
        response = problem(
            503, dependency.title, dependency.detail, request=request, dependency=dependency.name
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    for kind in (OSError, sa.SQLAlchemyError, asyncpg.PostgresError, KafkaError):
        app.add_exception_handler(kind, outage)


async def readiness(
    checks: Mapping[str, Callable[[], Awaitable[bool]]], *, timeout: float = READY_CHECK_TIMEOUT
) -> dict[str, Any] | JSONResponse:
    """`/health/ready`: every check passed (200), or 503 naming what is unreachable; a check
    that takes longer than `timeout` seconds (a host that drops packets) counts as failed."""
    results: dict[str, bool] = {}
    for name, check in checks.items():
        try:
            results[name] = bool(await asyncio.wait_for(check(), timeout))
        except Exception:
            results[name] = False
    down = [name for name, ok in results.items() if not ok]
    if not down:
        return {"status": "ok", "checks": results}
    detail = "; ".join(
        d.title if (d := _BY_NAME.get(name)) else f"{name} 未就绪 (not ready)" for name in down
    )
    return JSONResponse(
        {"status": "unavailable", "checks": results, "unavailable": down, "detail": detail},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
