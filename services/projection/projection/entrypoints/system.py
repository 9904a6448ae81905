"""系统运行: the figures of every service for the dashboard page, read from their `/metrics`.

The write services' figures come over HTTP from each one's `/metrics` (the same numbers
Prometheus scrapes), the projection's own from its registry in process. A service that does not
answer within a few seconds is shown as unreachable (不可达); the page never waits on it longer.
"""

from __future__ import annotations

import asyncio

import httpx

from projection.domain.operations import Lag, ServiceState
from shared.metrics import Figures, ServiceMetrics, parse_figures

TIMEOUT = 3.0


def state_of(service: str, figures: Figures, *, publishes: bool = True) -> ServiceState:
    """A service's state from the figures its metrics carry."""
    backlog, age = figures.outbox.get(service, (None, None))
    return ServiceState(
        service=service,
        reachable=True,
        publishes=publishes,
        backlog=backlog,
        oldest_age=age,
        lags=tuple(
            Lag(consumer, topic, partition, n)
            for (consumer, topic, partition), n in sorted(figures.lag.items())
        ),
        dead_letters={topic: n for (_, topic), n in figures.dead_letter_messages.items()},
        database_up=figures.up.get("database"),
        kafka_up=figures.up.get("kafka"),
    )


async def remote_state(client: httpx.AsyncClient, service: str, base_url: str) -> ServiceState:
    """`service`'s state from its `/metrics`, or unreachable with why."""
    try:
        response = await client.get(f"{base_url}/metrics", timeout=TIMEOUT)
        response.raise_for_status()
        return state_of(service, parse_figures(response.text))
    except (httpx.HTTPError, ValueError) as exc:
        return ServiceState(service=service, reachable=False, error=_reason(exc))


async def all_states(own: ServiceMetrics, urls: dict[str, str]) -> list[ServiceState]:
    """The projection's own state and each write service's, read at the same time."""
    async with httpx.AsyncClient() as client:
        remote = await asyncio.gather(
            *(remote_state(client, name, url) for name, url in urls.items())
        )
    mine = state_of("projection", await own.refresh(), publishes=False)
    return [mine, *remote]


def _reason(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"{TIMEOUT:.0f} 秒内无应答 (timeout)"
    if isinstance(exc, httpx.ConnectError):
        return "连接被拒绝或主机不可达 (connection failed)"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__
