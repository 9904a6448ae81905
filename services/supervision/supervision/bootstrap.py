"""The one place that wires the supervision service: event store, plan, the reference list
of small powers, clock, the command pipeline, routes and the reactions to funds' and party's
events."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from shared.auth import token_verifier
from shared.clock import Clock, utc_now
from shared.pipeline import Pipeline
from shared.readers import AggregateReader
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from shared.topics import events_topic
from shared.town import load_town
from shared.web import create_app
from supervision.application.handlers import Deps
from supervision.entrypoints.reactions import Reactions
from supervision.entrypoints.routes import ROUTERS
from supervision.entrypoints.routes.common import Supervision
from supervision.plan import DEFAULT_PLAN, load_plan
from supervision.powers import load_default_powers

SERVICE = "supervision"
PORT = 8103
#: The topics whose events supervision reacts to.
SOURCES = (events_topic("funds"), events_topic("party"))


def build_app(
    settings: Settings, *, clock: Clock = utc_now, plan_path: Path | str = DEFAULT_PLAN
) -> FastAPI:
    """The supervision app; a malformed plan file stops it here with `PlanError`."""
    verifier = token_verifier(settings, SERVICE)  # no public key: no start
    plan = load_plan(plan_path)
    default_powers = load_default_powers()
    runtime = ServiceRuntime(settings, service=SERVICE)
    ledger = AggregateReader(runtime.store)
    town = load_town(settings.town_code)
    pipeline = Pipeline(
        runtime.store,
        town=town,
        deps=Deps(plan=plan, default_powers=default_powers, ledger=ledger),
        clock=clock,
        name=SERVICE,
    )
    runtime.subscribe("reactions", SOURCES, Reactions(pipeline))
    runtime.follow_erasures()
    app = create_app(
        title="连心惠民 · 督查问责 (supervision)",
        verifier=verifier,
        routers=[*ROUTERS, *runtime.routers],
        ready_checks=runtime.ready_checks,
        lifespan=runtime.lifespan,
    )
    app.state.runtime = runtime
    app.state.pipeline = pipeline
    app.state.supervision = Supervision(
        ledger=ledger, plan=plan, clock=clock, town=town, default_powers=default_powers
    )
    return app
