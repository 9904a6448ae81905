"""The one place that wires the funds service: runtime, the command pipeline and what its
handlers need, the read side, reactions, routes."""

from __future__ import annotations

from fastapi import FastAPI

from funds.adapters import relief_view
from funds.adapters.relief_view import ReliefHouseholdView
from funds.application.ports import Deps
from funds.entrypoints.deps import Reads
from funds.entrypoints.reactions import Reactions
from funds.entrypoints.routes import routers
from shared.auth import token_verifier
from shared.clock import Clock, utc_now
from shared.pipeline import Pipeline
from shared.readers import AggregateReader
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from shared.topics import events_topic
from shared.town import load_town
from shared.web import create_app

SERVICE = "funds"
PORT = 8102


def build_app(settings: Settings, *, clock: Clock = utc_now) -> FastAPI:
    """The funds service's app; `clock` is the current instant (tests and demos fix it): today
    in China by it is the latest business date a command may carry."""
    verifier = token_verifier(settings, SERVICE)  # no public key: no start
    runtime = ServiceRuntime(settings, service=SERVICE)
    town = load_town(settings.town_code)
    view = ReliefHouseholdView(runtime.schema, town.code, runtime.keys)
    runtime.add_migrations("relief_view", relief_view.MIGRATIONS)
    streams = AggregateReader(runtime.store)
    pipeline = Pipeline(
        runtime.store,
        town=town,
        deps=Deps(relief=view, streams=streams),
        clock=clock,
        name=SERVICE,
    )
    runtime.subscribe(
        "reactions",
        [events_topic("relief"), events_topic("supervision")],
        Reactions(pipeline, view, town.code),
    )
    runtime.follow_erasures()
    runtime.follow_key_copies()
    app = create_app(
        title="funds 资金监管（惠农资金、预警、三资、阳光村务）",
        verifier=verifier,
        routers=[*routers(), *runtime.routers],
        ready_checks=runtime.ready_checks,
        lifespan=runtime.lifespan,
    )
    app.state.runtime = runtime
    app.state.pipeline = pipeline
    app.state.reads = Reads(streams=streams, relief=view, town=town, clock=clock)
    return app
