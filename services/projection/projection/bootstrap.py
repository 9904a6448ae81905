"""The one place that wires the projection service: settings, engine, consumer, API, pages."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.middleware.gzip import GZipMiddleware

from projection.adapters.area import County, is_town, town_home, towns_of
from projection.adapters.generations import Generations
from projection.adapters.reader import ReadModels
from projection.adapters.whatif import WhatIfs
from projection.domain.catalogue import RULES
from projection.entrypoints import access_log_page, api, basis, chains, integrity, web, whatif
from projection.entrypoints.area_wide import AreaWide
from projection.entrypoints.auth import CookieBearer, Sessions
from projection.settings import ProjectionSettings
from projection.worker import ProjectionWorker
from shared.auth import MissingKey, TokenIssuer, token_verifier
from shared.db import make_engine
from shared.personal import routes as personal_routes
from shared.personal.access_log import AccessLog
from shared.personal.keys import KeyTable
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from shared.web import create_app

STATIC = Path(__file__).resolve().parent / "static"
SERVICE = "projection"
#: Relief's events topic (as the projection names it: tests add a suffix) carries erasures.
RELIEF_TOPIC = "relief.events"


def relief_topic(topics: list[str]) -> str | None:
    """The topic of `topics` that carries relief's events (and so `person.ErasureRequested`)."""
    return next((t for t in topics if t.startswith(RELIEF_TOPIC)), None) or next(
        (t for t in topics if RELIEF_TOPIC in t), None
    )


def personal_runtime(cfg: ProjectionSettings) -> ServiceRuntime:
    """The consumers of the projection's keys, in its home schema (a replay swaps the data
    schemas, never this one): copies of the write services' keys from the key topic, and
    erasures from relief's topic (a person erased: their keys deleted here)."""
    runtime = ServiceRuntime(
        cfg.model_copy(update={"db_schema": cfg.home_schema}), service=SERVICE, publishes=False
    )
    runtime.follow_key_copies()
    if (topic := relief_topic(cfg.topic_list)) is not None:
        runtime.follow_erasures(topic=topic)
    return runtime


def build_app(settings: Settings | None = None, *, consume: bool = True) -> FastAPI:
    """The projection's FastAPI app; with `consume`, its lifespan also runs the consumer."""
    cfg = ProjectionSettings.from_settings(settings) if settings else ProjectionSettings()
    if is_town(cfg.area_code) and cfg.area_code != cfg.town_code:  # an area that is a town
        cfg = cfg.model_copy(update={"town_code": cfg.area_code})
    # no public key: no start, unless in a development mode (the demo login is one)
    # a county projection takes the county's tokens and its towns' (each shown its own town)
    verifier = token_verifier(
        cfg.model_copy(update={"town_code": cfg.area_code}),
        SERVICE,
        dev=cfg.dev_mode or cfg.demo_login,
    )
    sessions = None
    if cfg.demo_login:  # development mode: the projection is an issuer and reads the private key
        issuer = TokenIssuer.from_file(cfg.token_private_key_file)
        if not verifier.trusts(issuer):
            raise MissingKey(
                f"演示登录的私钥与公钥不配对 (the private key {cfg.token_private_key_file} does not"
                f" match the public key {cfg.token_public_key_file})"
            )
        ttl = dt.timedelta(minutes=cfg.token_minutes)
        sessions = Sessions.of(issuer, verifier, ttl, secure=cfg.cookie_secure)
    engine = make_engine(cfg.database_url)
    generations = Generations(engine, cfg.home_schema)
    personal = personal_runtime(cfg) if consume else None
    keys = personal.keys if personal else KeyTable(cfg.home_schema, SERVICE)
    access = AccessLog(cfg.home_schema)
    county = None
    if is_town(cfg.area_code):
        workers = [ProjectionWorker(cfg, generations, RULES)]
    else:  # a county: one town projection per town, read together (projection.adapters.area)
        county = County(engine, cfg.home_schema, towns_of(cfg.area_code))
        workers = [
            ProjectionWorker(
                cfg.model_copy(update={"db_schema": town_home(cfg.home_schema, t), "town_code": t}),
                county.generations[t],
                RULES,
            )
            for t in county.towns
        ]
    worker = workers[0]
    whatifs = WhatIfs(
        engine,
        generations,
        cfg.town_code,
        seconds=cfg.whatif_seconds,
        keep=dt.timedelta(hours=cfg.whatif_keep_hours),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await generations.migrate()
        await keys.migrate(engine)
        await access.migrate(engine)
        if personal is not None:
            await personal.start()
        if consume:
            for each in workers:
                await each.start()
        expiry = asyncio.create_task(whatifs.expire_every())
        try:
            yield
        finally:
            expiry.cancel()
            await whatifs.stop()
            for each in workers:
                await each.stop()
            if personal is not None:
                await personal.stop()
            await engine.dispose()

    async def database_ready() -> bool:
        async with engine.connect() as conn:
            return bool((await conn.execute(text("SELECT 1"))).scalar_one() == 1)

    async def consumer_ready() -> bool:
        return all(each.running for each in workers) or not consume

    app = create_app(
        title="连心惠民 · 领导驾驶舱 (projection)",
        verifier=verifier,
        routers=[
            api.router,
            personal_routes.router,
            basis.router,
            chains.router,
            integrity.router,
            whatif.router,
            basis.pages,
            chains.pages,
            integrity.pages,
            access_log_page.pages,
            whatif.pages,
            web.router,
        ],
        ready_checks={"database": database_ready, "consumer": consumer_ready},
        lifespan=lifespan,
    )
    app.state.settings = cfg
    app.state.engine = engine
    app.state.generations = generations
    app.state.reader = ReadModels(engine, generations, county)
    app.state.worker = worker
    app.state.workers = workers
    app.state.whatifs = whatifs
    app.state.keys = keys
    app.state.access_log = access
    app.state.sessions = sessions
    # /metrics reports on the consumer's runtime of the moment (a replay swaps it)
    app.state.metrics.follow(lambda: [w.runtime for w in workers if w.runtime])
    if county is not None:  # inside the cookie-to-bearer middleware: it sees the bearer
        app.add_middleware(AreaWide, area=cfg.area_code, verifier=verifier)
    app.add_middleware(CookieBearer, sessions=sessions)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app
