"""The two sides of the figures cross-check (issue 10): the four write services, fed the
officials' work over HTTP (fresh schemas), and a projection fed exactly those services'
events, each service's own store published, as its relay does, to scratch topics of this run.
(On the real topics a fresh projection would also count every earlier run's events, while a
fresh service only knows its own; the relay path itself is covered by
test_views_follow_commands.) Built once for every test_*figures* module (conftest's `sides`).

Each write service's work lives in its own module (reliefwork, fundswork, flagwork, casework,
partywork); each compares its figures in `*_figures(sides, …) -> (own, projected)`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI
from funds.bootstrap import build_app as build_funds
from party.bootstrap import build_app as build_party
from projection.bootstrap import build_app as build_projection
from projection.settings import ProjectionSettings
from relief.bootstrap import build_app as build_relief
from supervision.bootstrap import build_app as build_supervision

from shared import testing
from shared.envelope import Envelope
from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    bearer,
    caught_up,
    eventually,
    service_settings,
    unique,
)
from shared.topics import ensure_topics

from .casework import supervision_work
from .flagwork import flag_work
from .fundswork import funds_work
from .partywork import party_work
from .reliefwork import relief_work
from .support import ok

SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="secretary")


@dataclass
class Sides:
    relief: httpx.AsyncClient
    funds: httpx.AsyncClient
    supervision: httpx.AsyncClient
    party: httpx.AsyncClient
    views: httpx.AsyncClient

    async def view(self, name: str, **params: Any) -> Any:
        query = {k: str(v) for k, v in params.items() if v is not None}
        return await ok(self.views.get(f"/api/v1/views/{name}", params=query, headers=SECRETARY))


async def _stored(app: FastAPI) -> list[Envelope]:
    store = app.state.runtime.store
    out: list[Envelope] = []
    # after the last position read, not a count: a rolled-back append (a reaction's conflict)
    # leaves a gap in the positions
    while batch := await store.read_all(
        after=out[-1].global_position or 0 if out else 0, limit=1000
    ):
        out += batch
    return out


@asynccontextmanager
async def both_sides(infra: Infra) -> AsyncIterator[Sides]:
    relief_app = build_relief(service_settings(infra))
    funds_app = build_funds(service_settings(infra))
    supervision_app = build_supervision(service_settings(infra))
    party_app = build_party(service_settings(infra))
    async with (
        app_client(relief_app) as relief,
        app_client(funds_app) as funds,
        app_client(supervision_app) as supervision,
        app_client(party_app) as party,
    ):
        await relief_work(relief)
        await funds_work(funds)
        await flag_work(funds)
        await supervision_work(supervision)
        await party_work(party)
        # supervision and party also react to the real topics (every earlier run's red flags,
        # weak branches and accountability decisions): a store is what it is once they are read
        for app in (supervision_app, party_app):
            for consumer in app.state.runtime.consumers:
                await caught_up(consumer, infra.kafka_bootstrap_servers)
        suffix = "." + unique("xc")
        topics = {
            name: f"{name}.events{suffix}" for name in ("relief", "funds", "supervision", "party")
        }
        await ensure_topics(infra.kafka_bootstrap_servers, list(topics.values()), partitions=3)
        published = 0
        for name, app in (
            ("relief", relief_app),
            ("funds", funds_app),
            ("supervision", supervision_app),
            ("party", party_app),
        ):
            envelopes = await _stored(app)
            await testing.publish(infra.kafka_bootstrap_servers, topics[name], *envelopes)
            published += len(envelopes)
        settings = ProjectionSettings.from_settings(
            service_settings(infra),
            LIANXIN_PROJECTION_TOPICS=",".join(topics.values()),
            LIANXIN_PROJECTION_POLL_SECONDS=0.5,
        )
        async with app_client(build_projection(settings)) as views:

            async def all_logged() -> bool:
                status = await ok(views.get("/api/v1/status", headers=SECRETARY))
                return bool(status["events"] == published)

            await eventually(
                all_logged, timeout=60, what="every event of the run in the projection"
            )
            yield Sides(relief, funds, supervision, party, views)


def done(card_value: str) -> int:
    """`7 / 10` → 7."""
    return int(card_value.split("/")[0])


def cards(view: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["label"]: c for c in view["cards"]}


def money(value: Any) -> Decimal:
    return Decimal(str(value or 0))
