"""Running a service process: logging configured, then uvicorn on the service's port."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from shared.logs import configure_logging
from shared.settings import Settings


def serve(app: FastAPI, settings: Settings, *, service: str, default_port: int) -> None:
    """Serve `app` until SIGTERM/SIGINT (uvicorn runs the lifespan: runtime start and stop)."""
    configure_logging(service, settings.log_level)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port or default_port,
        log_config=None,
        access_log=False,
    )
