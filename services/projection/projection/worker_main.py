"""`python -m projection.worker_main`: one more projection worker, without HTTP.

Every worker (this one, and the consumer inside `projection.main`) joins the same consumer group
of the live data schema, so the topics' partitions are shared between them; each stores its
offsets with its effects (`shared.consumer`), and a worker's death or arrival moves partitions
(a rebalance) without losing or doubling an effect. `deploy/local/services.sh` starts
`LIANXIN_PROJECTION_WORKERS - 1` of these beside the projection service. Stops on SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import signal

import structlog

from projection.adapters.generations import Generations
from projection.domain.catalogue import RULES
from projection.settings import ProjectionSettings
from projection.worker import ProjectionWorker
from shared.db import make_engine
from shared.logs import configure_logging

log = structlog.get_logger(__name__)


async def run(settings: ProjectionSettings) -> None:
    """Consume into the live schema (following replays) until a stop signal."""
    engine = make_engine(settings.database_url)
    worker = ProjectionWorker(settings, Generations(engine, settings.home_schema), RULES)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await worker.start()
    log.info("projection.worker_started", schema=worker.schema)
    try:
        await stop.wait()
    finally:
        await worker.stop()
        await engine.dispose()
        log.info("projection.worker_stopped")


def main() -> None:
    settings = ProjectionSettings()
    configure_logging("projection-worker", settings.log_level)
    asyncio.run(run(settings))


if __name__ == "__main__":
    main()
