"""Running a service process: logging configured, the app built inside the event loop (aiokafka
clients must be made on a running loop), then uvicorn on the service's port until SIGTERM."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from shared.auth import MissingKey
from shared.logs import configure_logging
from shared.settings import Settings


def serve(
    build_app: Callable[[Settings], FastAPI],
    settings: Settings | None = None,
    *,
    service: str,
    default_port: int,
) -> None:
    """`python -m <ctx>.main`: serve `build_app(settings)`; uvicorn runs the app's lifespan.
    A missing token key stops the start with its message and exit status 2 (fail closed)."""
    settings = settings or Settings()
    configure_logging(service, settings.log_level)

    async def run() -> None:
        config = uvicorn.Config(
            build_app(settings),
            host=settings.host,
            port=settings.port or default_port,
            log_config=None,
            access_log=False,
        )
        await uvicorn.Server(config).serve()

    try:
        asyncio.run(run())
    except MissingKey as exc:
        print(f"{service}: {exc}", file=sys.stderr)
        sys.exit(2)
