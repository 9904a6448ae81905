"""The one place that wires the party service: runtime, store with lookup tables, rule
books, the command pipeline, the reaction to supervision's accountability decisions and
appraisal facts, and the HTTP app."""

from __future__ import annotations

from typing import cast

from fastapi import FastAPI

from party.adapters import appraisal_facts
from party.adapters.appraisal_facts import AppraisalFactsTable
from party.adapters.queries import LookupTables
from party.adapters.rulebooks import load_rule_books, load_scoring_sheets
from party.adapters.store import PartyEventStore
from party.application.dependencies import Deps
from party.entrypoints.reactions import supervision_handler
from party.entrypoints.routes import router
from shared.auth import token_verifier
from shared.clock import Clock, utc_now
from shared.pipeline import Pipeline
from shared.readers import AggregateReader
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from shared.topics import events_topic
from shared.town import load_town
from shared.web import ReadyCheck, create_app

SERVICE = "party"
PORT = 8104


def build_app(settings: Settings, *, clock: Clock = utc_now) -> FastAPI:
    """The party service's app; its lifespan runs the runtime (relay, consumer)."""
    verifier = token_verifier(settings, SERVICE)  # no public key: no start
    runtime = ServiceRuntime(settings, service=SERVICE)
    lookups = LookupTables(runtime.engine, runtime.schema)
    # "views": the component name the lookup tables' migrations are recorded under in existing
    # databases (kept, so that none is migrated twice)
    runtime.add_migrations("views", lookups.migrations)
    facts = AppraisalFactsTable(runtime.engine, runtime.schema, settings.town_code)
    runtime.add_migrations("appraisal_facts", appraisal_facts.MIGRATIONS)
    store = PartyEventStore(
        runtime.engine,
        schema=runtime.schema,
        topic=runtime.store.topic,
        lookups=lookups,
        check=runtime.store.check,
    )
    runtime.store = store
    deps = Deps(
        reader=AggregateReader(store),
        queries=lookups,
        books=load_rule_books(),
        sheets=load_scoring_sheets(),
        facts=facts,
    )
    pipeline = Pipeline(
        store, town=load_town(settings.town_code), deps=deps, clock=clock, name=SERVICE
    )
    runtime.subscribe(
        "accountability", [events_topic("supervision")], supervision_handler(pipeline, facts)
    )
    runtime.follow_erasures()
    app = create_app(
        title="party 党组织和党员管理",
        verifier=verifier,
        routers=[router, *runtime.routers],
        ready_checks=cast(dict[str, ReadyCheck], runtime.ready_checks),
        lifespan=runtime.lifespan,
    )
    app.state.runtime = runtime
    app.state.party = deps
    app.state.pipeline = pipeline
    return app
