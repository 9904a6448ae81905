"""What every service runs beside its HTTP API: the event store, its outbox relay, the Kafka
broker (FastStream) for subscribers and dead letters, and readiness checks."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import structlog
from fastapi import APIRouter
from faststream.kafka import KafkaBroker
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.consumer import EventConsumer, Handler
from shared.contracts import check_envelope
from shared.db import Migration, make_engine, migrate
from shared.envelope import SYSTEM_ACTOR
from shared.eventstore import EventStore
from shared.integrity import checkpoint
from shared.integrity import routes as integrity_routes
from shared.metrics import AppendCounts
from shared.personal import routes as personal_routes
from shared.personal.access_log import AccessLog
from shared.personal.erasure import ERASURE_OWNER, erasure_reaction
from shared.personal.keys import KeyTable
from shared.personal.secret import deployment_secret
from shared.relay import OutboxRelay, idempotent_producer
from shared.retention import prune
from shared.settings import Settings
from shared.topics import ensure_topics, events_topic

log = structlog.get_logger(__name__)
_HOUR = dt.timedelta(hours=1)


class ServiceRuntime:
    """The wiring of one service process; `bootstrap` modules create exactly one."""

    def __init__(
        self,
        settings: Settings,
        *,
        service: str,
        publishes: bool = True,
        engine: AsyncEngine | None = None,
    ) -> None:
        self.settings = settings
        self.service = service
        self.schema = settings.db_schema or service
        self.engine = engine or make_engine(settings.database_url)
        #: Per-person keys (crypto-shredding): the store encrypts personal fields with them.
        self.keys = KeyTable(self.schema, service)
        #: Who saw people's data unmasked through this service (`shared.web.AccessLogged`).
        self.access_log = AccessLog(self.schema)
        self._holds_keys = False  # a consumer-only runtime keeps keys when it follows them
        self.store = EventStore(
            self.engine,
            schema=self.schema,
            topic=events_topic(service) + settings.topic_suffix,
            check=check_envelope if settings.check_contracts else None,
            keys=self.keys if publishes else None,
        )
        self.publishes = publishes
        #: Events appended by type, counted on commit (`/metrics`).
        self.appended = AppendCounts()
        self.store.on_written = self.appended.written
        # a list: FastStream takes one string for one address, where aiokafka splits "a,b,c"
        self.broker = KafkaBroker(settings.kafka_bootstrap_servers.split(","), logger=None)
        # Only a publishing service has a producer and a relay (a consumer-only one, such as the
        # projection, has no outbox to drain).
        self.producer = idempotent_producer(settings.kafka_bootstrap_servers) if publishes else None
        self.relay = (
            OutboxRelay(self.engine, self.producer, schema=self.schema) if self.producer else None
        )
        self.consumers: list[EventConsumer] = []
        #: A write service reacts to its own town's events only (every town publishes to the
        #: same topics: `shared.tenants`); a consumer-only runtime (the projection) reads all.
        self.town: str | None = settings.town_code if publishes else None
        self.migrations: list[tuple[str, Sequence[Migration]]] = []
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def subscribe(
        self, name: str, topics: Sequence[str], handler: Handler | None = None, **options: Any
    ) -> EventConsumer:
        """Consume `topics` into this service's schema through `handler` (before `start`).

        The consumer group is `<schema>.<name>`: one group per schema, so a test's fresh schema
        (or a rebuild into a new schema) reads from the beginning on its own. A consumer that
        applies whole batches passes `batch_handler=` instead of `handler`. A write service's
        consumer applies only its town's envelopes (`town=None` in `options`: every town's)."""
        group = f"{self.schema}.{name}"
        options.setdefault("town", self.town)
        consumer = EventConsumer(
            self.engine, schema=self.schema, name=group, topics=topics, handler=handler, **options
        )
        consumer.attach(self.broker)
        self.consumers.append(consumer)
        return consumer

    def follow_erasures(self, topic: str | None = None) -> EventConsumer:
        """Erase a person's keys here when relief records `person.ErasureRequested` (every
        service and the projection; `topic`: relief's events topic as this process names it)."""
        if topic is None:
            owner = ERASURE_OWNER
            topic = self.store.topic if self.service == owner else events_topic(owner)
        self._holds_keys = True
        # No processed-id bookkeeping: the reaction is idempotent (deleting keys again, the
        # erasure time kept as the latest), and it ignores every other event of the topic, which
        # a new service reads once from the start.
        return self.subscribe("erasures", [topic], erasure_reaction(self.keys), dedupe=False)

    def follow_key_copies(self) -> EventConsumer:
        """Keep copies of the other services' keys (the key topic), to open their tokens: for a
        service that shows or matches another's personal data (funds, the projection)."""
        self._holds_keys = True
        return self.subscribe("person-keys", [self.keys.topic], record_handler=self.keys.copy)

    def add_migrations(self, component: str, migrations: Sequence[Migration]) -> None:
        """The service's own tables (views of other services' events, lookups), migrated at
        start in the service's schema under `component`."""
        self.migrations.append((component, migrations))

    @property
    def routers(self) -> list[APIRouter]:
        """The endpoints every publishing service has beside its own (the auditor's 核查)."""
        return [integrity_routes.router, personal_routes.router] if self.publishes else []

    async def start(self) -> None:
        """Migrate, create topics, then start the relay and the subscribers."""
        deployment_secret()  # no personal-data secret: no start
        if not self.publishes and self._holds_keys:  # a publishing store migrates its own
            await self.keys.migrate(self.engine)
        if self.publishes:
            await self.access_log.migrate(self.engine)
        if self.publishes:
            await self.store.migrate()
            await checkpoint.migrate_checkpoints(self.store)
        for component, migrations in self.migrations:
            await migrate(self.engine, self.schema, component, migrations)
        for consumer in self.consumers:
            await consumer.migrate()
        topics = [self.store.topic] if self.publishes else []
        for consumer in self.consumers:
            topics += [*consumer.topics, consumer.dead_letter_topic]
        await ensure_topics(
            self.settings.kafka_bootstrap_servers,
            [t for t in topics if t != self.keys.topic],
            partitions=self.settings.topic_partitions,
            compacted=[self.keys.topic],
        )
        self._stop.clear()
        if self.publishes:
            self.appended.track(self.engine)
        if self.producer is not None and self.relay is not None:
            await self.producer.start()
            self._tasks.append(asyncio.create_task(self.relay.run(self._stop)))
        if self.publishes and self.settings.checkpoint_hours > 0:
            self._tasks.append(asyncio.create_task(self._checkpoints()))
        if self.settings.retention_days > 0:
            self._tasks.append(asyncio.create_task(self._retention()))
        if self.consumers:
            await self.broker.start()
        log.info("service.started", service=self.service, schema=self.schema)

    async def _checkpoints(self) -> None:
        """Append a checkpoint whenever the newest is older than `checkpoint_hours` (looked at
        hourly, the first time an hour after start): daily by default."""
        every = dt.timedelta(hours=self.settings.checkpoint_hours)
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), min(every, _HOUR).total_seconds())
                return
            try:
                newest, _ = await checkpoint.latest(self.store, self.service)
                if newest is None or dt.datetime.now(dt.UTC) - newest.recorded_at >= every:
                    await checkpoint.record(
                        self.store, self.service, SYSTEM_ACTOR, town=self.settings.town_code
                    )
            except Exception:  # a database outage: the next look tries again
                log.exception("checkpoint.failed", service=self.service)

    async def _retention(self) -> None:
        """Prune delivery rows past the retention horizon, hourly (the first time an hour after
        start): published outbox rows and processed event ids (`shared.retention`)."""
        horizon = dt.timedelta(days=self.settings.retention_days)
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), _HOUR.total_seconds())
                return
            try:
                outbox, processed = await prune(self.engine, self.schema, horizon=horizon)
                log.info("retention.pruned", outbox=outbox, processed=processed)
            except Exception:  # a database outage: the next hour tries again
                log.exception("retention.failed", service=self.service)

    async def stop(self) -> None:
        """Stop subscribers and the relay, flush the producer, close the pool."""
        self._stop.set()
        if self.consumers:
            await self.broker.stop()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 10)
        self._tasks.clear()
        if self.producer is not None:
            await self.producer.stop()
        self.appended.untrack()
        await self.engine.dispose()

    @contextlib.asynccontextmanager
    async def lifespan(self, _: Any = None) -> AsyncIterator[None]:
        """For FastAPI: run the runtime as long as the app runs."""
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    async def database_ready(self) -> bool:
        async with self.engine.connect() as conn:
            return bool((await conn.execute(text("SELECT 1"))).scalar_one() == 1)

    async def broker_ready(self) -> bool:
        if self.producer is None:
            return True
        partitions = await asyncio.wait_for(self.producer.partitions_for(self.store.topic), 3)
        return bool(partitions)

    @property
    def ready_checks(self) -> dict[str, Callable[[], Any]]:
        return {"database": self.database_ready, "kafka": self.broker_ready}
