"""The projection's consumer: the shared `EventConsumer` (through `ServiceRuntime`) writing into
the live data schema, and following it when a replay swaps in a new one."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence

import structlog

from projection.adapters.generations import Generations
from projection.adapters.projector import Projector
from projection.adapters.schema import MIGRATIONS
from projection.domain.folds import Rule
from projection.published import register_upcasters
from projection.settings import ProjectionSettings
from shared.consumer import EventConsumer
from shared.runtime import ServiceRuntime

log = structlog.get_logger(__name__)

CONSUMER = "projection"


def projection_runtime(
    settings: ProjectionSettings,
    schema: str,
    rules: Mapping[str, Rule],
    *,
    topics: Sequence[str] | None = None,
    max_records: int = 2000,
) -> tuple[ServiceRuntime, EventConsumer]:
    """A runtime consuming `topics` into data schema `schema` (group `<schema>.projection`).

    Whole batches go to the projector; the event log's unique event id is the dedupe key, so
    the consumer keeps no list of processed ids of its own."""
    register_upcasters()
    runtime = ServiceRuntime(
        settings.model_copy(update={"db_schema": schema}), service="projection", publishes=False
    )
    runtime.add_migrations("projection", MIGRATIONS)
    projector = Projector(schema, rules, town=settings.town_code)
    consumer = runtime.subscribe(
        CONSUMER,
        topics or settings.topic_list,
        batch_handler=projector.apply,
        dedupe=False,
        max_records=max_records,
        batch_abort=projector.discard,
    )
    return runtime, consumer


async def stop_runtime(runtime: ServiceRuntime) -> None:
    """Stop a consuming runtime."""
    await runtime.stop()


class ProjectionWorker:
    """Consumes into the live schema; moves to a new one when `projection_meta` says so."""

    def __init__(
        self,
        settings: ProjectionSettings,
        generations: Generations,
        rules: Mapping[str, Rule],
    ) -> None:
        self.settings = settings
        self.generations = generations
        self.rules = rules
        self.schema = ""
        self.runtime: ServiceRuntime | None = None
        self.consumer: EventConsumer | None = None
        self._watch: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        await self.generations.migrate()
        await self._follow(await self.generations.current())
        self._watch = asyncio.create_task(self._watch_generation())

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        async with self._lock:
            if self.runtime is not None:
                await stop_runtime(self.runtime)
                self.runtime = None

    @property
    def running(self) -> bool:
        return self.runtime is not None

    async def _follow(self, schema: str) -> None:
        async with self._lock:
            if schema == self.schema and self.runtime is not None:
                return
            if self.runtime is not None:
                log.info("projection.switch_schema", old=self.schema, new=schema)
                await stop_runtime(self.runtime)
                self.runtime = None
            runtime, consumer = projection_runtime(self.settings, schema, self.rules)
            await runtime.start()
            self.runtime, self.consumer, self.schema = runtime, consumer, schema
            log.info("projection.consuming", schema=schema, topics=consumer.topics)

    async def _watch_generation(self) -> None:
        while True:
            await asyncio.sleep(self.settings.generation_poll_seconds)
            try:
                current = await self.generations.current()
                if current != self.schema:
                    await self._follow(current)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the watch must survive a database outage
                log.warning("projection.watch_failed", error=repr(exc))
