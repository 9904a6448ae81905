"""The one place that wires the relief service: runtime (event store, relay, Kafka), its own
tables, the reaction to party's events, the command pipeline and the HTTP app."""

from __future__ import annotations

from fastapi import FastAPI

from relief.adapters.party_members import MIGRATIONS, PartyMembersView
from relief.adapters.policy_file import load_policy
from relief.application.ports import Deps
from relief.domain.values import Policy
from relief.entrypoints.reactions import PARTY_TOPIC, party_member_joined
from relief.entrypoints.routes import ROUTERS
from shared.auth import token_verifier
from shared.clock import Clock, utc_now
from shared.pipeline import Pipeline
from shared.readers import AggregateReader
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from shared.town import load_town
from shared.web import create_app

SERVICE = "relief"
PORT = 8101
#: The most aggregates one list endpoint rebuilds (the first registered).
LIST_LIMIT = 5000


def build_app(
    settings: Settings, *, policy: Policy | None = None, clock: Clock = utc_now
) -> FastAPI:
    """The relief app; its lifespan starts and stops the runtime."""
    verifier = token_verifier(settings, SERVICE)  # no public key: no start
    runtime = ServiceRuntime(settings, service=SERVICE)
    members = PartyMembersView(runtime.engine, runtime.schema)
    runtime.add_migrations("party_members", MIGRATIONS)
    runtime.subscribe("party-members", [PARTY_TOPIC], party_member_joined(members))
    runtime.follow_erasures()
    app = create_app(
        title="relief 扶贫与民生实事 (measures 1–3)",
        verifier=verifier,
        routers=[*ROUTERS, *runtime.routers],
        ready_checks=runtime.ready_checks,
        lifespan=runtime.lifespan,
    )
    app.state.runtime = runtime
    app.state.pipeline = Pipeline(
        runtime.store,
        town=load_town(settings.town_code),
        deps=Deps(policy=policy or load_policy(), members=members),
        clock=clock,
        name=SERVICE,
    )
    app.state.reader = AggregateReader(runtime.store, max_streams=LIST_LIMIT)
    app.state.party_members = members
    return app
