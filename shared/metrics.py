"""Prometheus metrics (运行指标) of a service process, served at `GET /metrics`.

Every app built by `shared.web.create_app` has its own `ServiceMetrics` (its own
`CollectorRegistry`, so several apps in one test process do not clash) and serves it without a
token: the figures are counts, ages and offsets, never personal data.

- HTTP: `lianxin_http_requests_total{method,route,status}` and
  `lianxin_http_request_duration_seconds{method,route}`, by route template (`/api/v1/x/{id}`,
  never the raw path; an unmatched path is `(unmatched)`), counted by `MetricsMiddleware`.
- The runtime's counters are read from the runtime at scrape time (`_RuntimeCollector`): events
  appended by event type (`AppendCounts`, counted when their transaction commits), events the
  outbox relay published, events applied and dead letters sent by each consumer.
- Figures that need a query are refreshed by the `/metrics` endpoint just before rendering
  (`ServiceMetrics.refresh`, at most once a second, each source bounded by a timeout): outbox
  backlog and the age of the oldest unpublished row (PostgreSQL); consumer lag per topic and
  partition (Kafka end offset − the next offset stored with the consumer's effects) and the
  messages held on each dead-letter topic (Kafka). A source that cannot be read is reported by
  `lianxin_metrics_source_up{source}` = 0 and its figures are left out (unknown, not stale).
- Replay progress (`ReplayProgress`): records applied and records to apply by the projection's
  rebuild, in the process that runs it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.envelope import Envelope

if TYPE_CHECKING:
    from shared.consumer import EventConsumer
    from shared.runtime import ServiceRuntime

log = structlog.get_logger(__name__)

PATH = "/metrics"
UNMATCHED = "(unmatched)"
#: Seconds: a command is a few milliseconds, an export or a long list up to seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
#: Seconds one source (the database, the broker) may take before it counts as unreachable.
SOURCE_TIMEOUT = 3.0


class AppendCounts:
    """Events appended to one event store, by event type, counted when the transaction that
    wrote them commits (a rolled-back append is not an appended event)."""

    def __init__(self) -> None:
        self.by_type: dict[str, int] = {}
        self._pending: weakref.WeakKeyDictionary[Connection, list[str]] = (
            weakref.WeakKeyDictionary()
        )
        self._engine: AsyncEngine | None = None

    def track(self, engine: AsyncEngine) -> None:
        """Count on `engine`'s commits (the store's `on_written` stages what each writes)."""
        event.listen(engine.sync_engine, "commit", self._committed)
        event.listen(engine.sync_engine, "rollback", self._rolled_back)
        self._engine = engine

    def untrack(self) -> None:
        if self._engine is not None:
            event.remove(self._engine.sync_engine, "commit", self._committed)
            event.remove(self._engine.sync_engine, "rollback", self._rolled_back)
            self._engine = None

    def written(self, conn: AsyncConnection, envelopes: Sequence[Envelope]) -> None:
        """`EventStore.on_written`: these envelopes are in `conn`'s open transaction."""
        sync = conn.sync_connection
        if sync is not None:
            self._pending.setdefault(sync, []).extend(env.event_type for env in envelopes)

    def _committed(self, conn: Connection) -> None:
        for event_type in self._pending.pop(conn, ()):
            self.by_type[event_type] = self.by_type.get(event_type, 0) + 1

    def _rolled_back(self, conn: Connection) -> None:
        self._pending.pop(conn, None)


@dataclass
class Figures:
    """What the last refresh read from PostgreSQL and Kafka."""

    #: service → (unpublished outbox rows, age in seconds of the oldest one; 0 when none)
    outbox: dict[str, tuple[int, float]] = field(default_factory=dict)
    #: (consumer, topic, partition) → end offset − next offset to read
    lag: dict[tuple[str, str, int], int] = field(default_factory=dict)
    #: (consumer, dead-letter topic) → messages held on it
    dead_letter_messages: dict[tuple[str, str], int] = field(default_factory=dict)
    #: "database", "kafka" → whether the last refresh could read it
    up: dict[str, bool] = field(default_factory=dict)


class ServiceMetrics:
    """The metrics of one app: its registry, the HTTP metrics, and the runtimes it reports on."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "lianxin_http_requests",
            "HTTP requests by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "lianxin_http_request_duration_seconds",
            "HTTP request latency by method and route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        #: The runtimes whose stores, relays and consumers are reported (set by the bootstrap
        #: or, for a write service, found as `app.state.runtime`).
        self.runtimes: Callable[[], Sequence[ServiceRuntime]] = lambda: ()
        self.figures = Figures()
        self.min_interval = 1.0
        self._refreshed = float("-inf")
        self._lock = asyncio.Lock()
        self.registry.register(_RuntimeCollector(self))

    def follow(self, runtimes: Callable[[], Sequence[ServiceRuntime]]) -> None:
        """Report on the runtimes `runtimes()` returns at each scrape."""
        self.runtimes = runtimes

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    async def refresh(self) -> Figures:
        """Read the queried figures again (at most once per `min_interval`)."""
        async with self._lock:
            if time.monotonic() - self._refreshed < self.min_interval:
                return self.figures
            figures = Figures()
            for runtime in self.runtimes():
                await _read_runtime(runtime, figures)
            self.figures = figures
            self._refreshed = time.monotonic()
            return figures

    def render(self) -> bytes:
        return generate_latest(self.registry)


class ReplayProgress:
    """The projection's rebuild: records applied out of the records to apply."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.applied = Gauge(
            "lianxin_replay_records_applied",
            "records the running rebuild has applied (read up to its finish line)",
            registry=self.registry,
        )
        self.to_apply = Gauge(
            "lianxin_replay_records_to_apply",
            "records the running rebuild has to apply (the end offsets when it started)",
            registry=self.registry,
        )

    def update(self, applied: int, to_apply: int) -> None:
        self.applied.set(applied)
        self.to_apply.set(to_apply)


class _RuntimeCollector(Collector):
    """The runtimes' counters, read at scrape time, and the last refreshed figures."""

    def __init__(self, metrics: ServiceMetrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        appended = CounterMetricFamily(
            "lianxin_events_appended",
            "events appended to the event store (committed), by service and event type",
            labels=["service", "event_type"],
        )
        published = CounterMetricFamily(
            "lianxin_outbox_published", "events the outbox relay published", labels=["service"]
        )
        applied = CounterMetricFamily(
            "lianxin_consumer_applied", "events a consumer applied", labels=["consumer"]
        )
        dead = CounterMetricFamily(
            "lianxin_dead_letters",
            "messages a consumer sent to its dead-letter topic (this process)",
            labels=["consumer", "topic"],
        )
        for runtime in self.metrics.runtimes():
            for event_type, n in sorted(runtime.appended.by_type.items()):
                appended.add_metric([runtime.service, event_type], n)
            if runtime.relay is not None:
                published.add_metric([runtime.service], runtime.relay.published)
            for consumer in runtime.consumers:
                applied.add_metric([consumer.name], consumer.applied)
                dead.add_metric([consumer.name, consumer.dead_letter_topic], consumer.dead_letters)
        yield from (appended, published, applied, dead)
        yield from _figure_families(self.metrics.figures)


def _figure_families(figures: Figures) -> Iterator[Metric]:
    backlog = GaugeMetricFamily(
        "lianxin_outbox_backlog", "outbox rows not yet published", labels=["service"]
    )
    oldest = GaugeMetricFamily(
        "lianxin_outbox_oldest_age_seconds",
        "age of the oldest unpublished outbox row (0 when there is none)",
        labels=["service"],
    )
    for service, (rows, age) in sorted(figures.outbox.items()):
        backlog.add_metric([service], rows)
        oldest.add_metric([service], age)
    lag = GaugeMetricFamily(
        "lianxin_consumer_lag",
        "records on the topic not yet applied: end offset − next offset to read",
        labels=["consumer", "topic", "partition"],
    )
    for (consumer, topic, partition), n in sorted(figures.lag.items()):
        lag.add_metric([consumer, topic, str(partition)], n)
    held = GaugeMetricFamily(
        "lianxin_dead_letter_topic_messages",
        "messages held on a consumer's dead-letter topic",
        labels=["consumer", "topic"],
    )
    for (consumer, topic), n in sorted(figures.dead_letter_messages.items()):
        held.add_metric([consumer, topic], n)
    up = GaugeMetricFamily(
        "lianxin_metrics_source_up",
        "1 when the last refresh could read the source (database, kafka)",
        labels=["source"],
    )
    for source, ok in sorted(figures.up.items()):
        up.add_metric([source], 1.0 if ok else 0.0)
    yield from (backlog, oldest, lag, held, up)


async def _read_runtime(runtime: ServiceRuntime, figures: Figures) -> None:
    if runtime.publishes:
        try:
            async with asyncio.timeout(SOURCE_TIMEOUT):
                figures.outbox[runtime.service] = await _outbox(runtime.engine, runtime.schema)
            figures.up.setdefault("database", True)
        except Exception as exc:  # the scrape must answer while the database is down
            log.warning("metrics.database_unreadable", service=runtime.service, error=repr(exc))
            figures.up["database"] = False
    if not runtime.consumers:
        return
    topics = {t for c in runtime.consumers for t in (*c.topics, c.dead_letter_topic)}
    try:
        async with asyncio.timeout(SOURCE_TIMEOUT):
            ends = await end_offsets(runtime.settings.kafka_bootstrap_servers, sorted(topics))
        figures.up.setdefault("kafka", True)
    except Exception as exc:  # ... and while the broker is
        log.warning("metrics.kafka_unreadable", service=runtime.service, error=repr(exc))
        figures.up["kafka"] = False
        return
    for consumer in runtime.consumers:
        stored: dict[TopicPartition, int] | None = None
        try:
            async with asyncio.timeout(SOURCE_TIMEOUT):
                stored = await consumer.stored_offsets(sorted(ends))
            figures.up.setdefault("database", True)
        except Exception as exc:
            log.warning("metrics.database_unreadable", consumer=consumer.name, error=repr(exc))
            figures.up["database"] = False
        _consumer_figures(consumer, stored, ends, figures)


def _consumer_figures(
    consumer: EventConsumer,
    stored: dict[TopicPartition, int] | None,
    ends: dict[TopicPartition, tuple[int, int]],
    figures: Figures,
) -> None:
    topics = set(consumer.topics)
    if stored is not None:  # without the stored offsets the lag is unknown, not zero
        for tp, (_, end) in ends.items():
            if tp.topic in topics:
                lag = max(end - stored.get(tp, 0), 0)
                figures.lag[(consumer.name, tp.topic, tp.partition)] = lag
    held = sum(
        end - first for tp, (first, end) in ends.items() if tp.topic == consumer.dead_letter_topic
    )
    figures.dead_letter_messages[(consumer.name, consumer.dead_letter_topic)] = held


async def _outbox(engine: AsyncEngine, schema: str) -> tuple[int, float]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT count(*) AS n,"
                    " coalesce(extract(epoch FROM now() - min(created_at)), 0) AS age"
                    f' FROM "{schema}".outbox WHERE published_at IS NULL'
                )
            )
        ).one()
    return int(row.n), max(float(row.age), 0.0)


async def end_offsets(
    bootstrap: str, topics: Sequence[str]
) -> dict[TopicPartition, tuple[int, int]]:
    """(first, next) offset of every partition of `topics` that exists, now."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await admin.start()
        described = await admin.describe_topics(list(topics))
    finally:
        with contextlib.suppress(Exception):
            await admin.close()
    partitions = sorted(
        TopicPartition(t["topic"], p["partition"])
        for t in described
        if not t.get("error_code")
        for p in t["partitions"]
    )
    if not partitions:
        return {}
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        await probe.start()
        first: dict[TopicPartition, int] = await probe.beginning_offsets(partitions)
        last: dict[TopicPartition, int] = await probe.end_offsets(partitions)
    finally:
        with contextlib.suppress(Exception):
            await probe.stop()
    return {tp: (first[tp], last[tp]) for tp in partitions}


class MetricsMiddleware:
    """ASGI middleware: counts and times every HTTP request by its route template."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            self.metrics.observe(
                scope.get("method", ""), route, status, time.perf_counter() - started
            )


def install_metrics(app: FastAPI) -> ServiceMetrics:
    """`GET /metrics` (no token, not in the OpenAPI document) and the HTTP middleware; a write
    service's `app.state.runtime` is reported unless the bootstrap `follow`s other runtimes."""
    metrics = ServiceMetrics()
    metrics.follow(lambda: _state_runtimes(app))
    app.state.metrics = metrics
    app.add_middleware(MetricsMiddleware, metrics=metrics)

    @app.get(PATH, include_in_schema=False)
    async def prometheus(request: Request) -> Response:
        await metrics.refresh()
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return metrics


def _state_runtimes(app: FastAPI) -> Sequence[ServiceRuntime]:
    runtime: Any = getattr(app.state, "runtime", None)
    return [runtime] if runtime is not None else []


def parse_figures(exposition: str) -> Figures:
    """The queried figures back from a service's `/metrics` text (the dashboard reads the
    other services this way)."""
    figures = Figures()
    backlog: dict[str, int] = {}
    ages: dict[str, float] = {}
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            labels, value = sample.labels, sample.value
            if sample.name == "lianxin_outbox_backlog":
                backlog[labels["service"]] = int(value)
            elif sample.name == "lianxin_outbox_oldest_age_seconds":
                ages[labels["service"]] = float(value)
            elif sample.name == "lianxin_consumer_lag":
                key = (labels["consumer"], labels["topic"], int(labels["partition"]))
                figures.lag[key] = int(value)
            elif sample.name == "lianxin_dead_letter_topic_messages":
                figures.dead_letter_messages[(labels["consumer"], labels["topic"])] = int(value)
            elif sample.name == "lianxin_metrics_source_up":
                figures.up[labels["source"]] = value >= 1
    for service, rows in backlog.items():
        figures.outbox[service] = (rows, ages.get(service, 0.0))
    return figures
