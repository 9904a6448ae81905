"""The one place that wires the funds service: runtime, handlers, view, reactions, routes."""

from __future__ import annotations

from fastapi import FastAPI

from funds.adapters import relief_view
from funds.adapters.relief_view import ReliefHouseholdView
from funds.application.base import Deps
from funds.application.oversight import OversightHandlers
from funds.application.ports import Clock
from funds.application.programmes import ProgrammeHandlers
from funds.application.villages import VillageHandlers
from funds.entrypoints.deps import Services
from funds.entrypoints.reactions import Reactions
from funds.entrypoints.routes import routers
from shared.auth import token_verifier
from shared.clock import china_today
from shared.readers import AggregateReader
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from shared.topics import events_topic
from shared.town import load_town
from shared.web import create_app

SERVICE = "funds"
PORT = 8102


def build_app(settings: Settings, *, clock: Clock | None = None) -> FastAPI:
    """The funds service's app; `clock` gives today's business date (tests fix it)."""
    verifier = token_verifier(settings, SERVICE)  # no public key: no start
    runtime = ServiceRuntime(settings, service=SERVICE)
    town = load_town(settings.town_code)
    view = ReliefHouseholdView(runtime.schema, town.code)
    runtime.add_migrations("relief_view", relief_view.MIGRATIONS)
    runtime.subscribe(
        "reactions",
        [events_topic("relief"), events_topic("supervision")],
        Reactions(runtime.store, view, town.code),
    )
    streams = AggregateReader(runtime.store)
    deps = Deps(
        store=runtime.store, relief=view, streams=streams, clock=clock or china_today, town=town
    )
    app = create_app(
        title="funds 资金监管（惠农资金、预警、三资、阳光村务）",
        verifier=verifier,
        routers=[*routers(), *runtime.routers],
        ready_checks=runtime.ready_checks,
        lifespan=runtime.lifespan,
    )
    app.state.runtime = runtime
    app.state.town = town
    app.state.services = Services(
        programmes=ProgrammeHandlers(deps),
        oversight=OversightHandlers(deps),
        villages=VillageHandlers(deps),
        streams=streams,
        relief=view,
        town=town,
        clock=deps.clock,
    )
    return app
