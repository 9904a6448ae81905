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
from shared.tenants import tenant_app


def serve(
    build_app: Callable[[Settings], FastAPI],
    settings: Settings | None = None,
    *,
    service: str,
    default_port: int,
    tenants: bool = False,
) -> None:
    """`python -m <ctx>.main`: serve `build_app(settings)`; uvicorn runs the app's lifespan.
    A write service passes `tenants`: its app is built once per town it serves, behind the
    dispatcher that routes by the token's town (`shared.tenants`).
    A missing token key stops the start with its message and exit status 2 (fail closed)."""
    settings = settings or Settings()
    configure_logging(service, settings.log_level)

    async def run() -> None:
        app = tenant_app(build_app, settings, service=service) if tenants else build_app(settings)
        config = uvicorn.Config(
            app,
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
