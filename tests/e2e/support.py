"""The town's services run in-process for the end-to-end tests: the four write services, each
on its own fresh schema (same token secret), talking to each other only through Kafka; and
the users who call them over HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
from fastapi import FastAPI
from funds.bootstrap import build_app as build_funds
from party.bootstrap import build_app as build_party
from relief.bootstrap import build_app as build_relief
from supervision.bootstrap import build_app as build_supervision

from shared.kernel import make_resident_id
from shared.roles import Role
from shared.settings import Settings
from shared.testing import Infra, app_client, bearer, eventually, service_settings

#: How long a reaction in another service may take: a fresh schema's consumers first read
#: their topics from the beginning (every earlier run's events), which takes a few seconds.
REACTION_TIMEOUT = 60.0

BUILDERS: dict[str, Callable[[Settings], FastAPI]] = {
    "relief": build_relief,
    "funds": build_funds,
    "supervision": build_supervision,
    "party": build_party,
}

# The town's officials, as the demo users name them.
AGRICULTURE = bearer(Role.AGRICULTURE_LEADER, user_id="agriculture")
ECONOMIC = bearer(Role.ECONOMIC_LEADER, user_id="economic")
DISCIPLINE = bearer(Role.DISCIPLINE_SECRETARY, user_id="discipline")
ORGANISATION = bearer(Role.ORGANISATION_MEMBER, user_id="organisation")

#: A token of this run, for the ids that other runs' events (read again by every fresh
#: schema's consumers) must not share.
RUN = uuid.uuid4().hex[:10]

#: Birth years of the heads and payees in the funds flow (the demo's oldest are born 1925).
UNUSED_YEARS = (1900, 1924)

_issued: set[str] = set()


def resident_id(first_year: int = 1960, last_year: int = 1985) -> str:
    """A valid resident ID number (GB 11643), born between the years, new in this run.

    funds judges a payee against its view of every household relief ever announced (every
    earlier run's too), so the people whose registration matters there are drawn from birth
    years no other test or demo uses (`UNUSED_YEARS`)."""
    while True:
        born = dt.date(first_year, 1, 1) + dt.timedelta(
            days=random.randrange((dt.date(last_year, 12, 31) - dt.date(first_year, 1, 1)).days)
        )
        number = make_resident_id(f"430321{born:%Y%m%d}{random.randrange(1000):03d}").value
        if number not in _issued:
            _issued.add(number)
            return number


def on(day: str, **body: Any) -> dict[str, Any]:
    """A command's body, as of the business day it happened."""
    return {"occurred_on": day, **body}


async def ok(response: httpx.Response | Awaitable[httpx.Response], status: int = 200) -> Any:
    """The JSON body of a response that must have `status` (the body explains a failure)."""
    if not isinstance(response, httpx.Response):
        response = await response
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url.path} → {response.status_code}: "
        f"{response.text}"
    )
    return response.json()


class Town:
    """The four services of the town, each its own app on its own schema, all sharing the
    real Kafka and PostgreSQL; a service can be stopped and started again on the same schema
    (a restart of its process)."""

    def __init__(self, infra: Infra) -> None:
        self.infra = infra
        self.settings = {name: service_settings(infra) for name in BUILDERS}
        self.apps: dict[str, FastAPI] = {}
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._stacks: dict[str, AsyncExitStack] = {}
        self._branches: dict[str, str] = {}

    @property
    def relief(self) -> httpx.AsyncClient:
        return self._clients["relief"]

    @property
    def funds(self) -> httpx.AsyncClient:
        return self._clients["funds"]

    @property
    def supervision(self) -> httpx.AsyncClient:
        return self._clients["supervision"]

    @property
    def party(self) -> httpx.AsyncClient:
        return self._clients["party"]

    async def start(self, name: str) -> None:
        """Build the service's app on its schema and run it (relay, consumers, HTTP)."""
        assert name not in self._stacks, f"{name} is already running"
        app = BUILDERS[name](self.settings[name])
        stack = AsyncExitStack()
        self._clients[name] = await stack.enter_async_context(app_client(app))
        self.apps[name], self._stacks[name] = app, stack

    async def stop(self, name: str) -> None:
        """Stop the service as its process would stop (the schema and its offsets stay)."""
        stack = self._stacks.pop(name)
        del self._clients[name], self.apps[name]
        await stack.aclose()

    async def start_all(self) -> None:
        """Start the four services side by side; if one fails, the error is raised once all
        have tried, so that `stop_all` finds every one that did start."""
        started = await asyncio.gather(
            *(self.start(name) for name in BUILDERS), return_exceptions=True
        )
        for outcome in started:
            if isinstance(outcome, BaseException):
                raise outcome

    async def stop_all(self) -> None:
        for name in list(self._stacks):
            await self.stop(name)

    async def branch(self, village: str) -> str:
        """The party branch of `village`, established by the organisation member on first use
        (one branch per village in party)."""
        if village not in self._branches:
            body = {
                "branch_id": f"branch-e2e-{RUN}-{len(self._branches)}",
                "name": f"{village}党支部",
                "kind": "village",
                "village": village,
                "occurred_on": "2016-01-04",
            }
            created = await ok(
                self.party.post("/api/v1/branches", json=body, headers=ORGANISATION), 201
            )
            self._branches[village] = created["id"]
        return self._branches[village]

    async def member(self, village: str, name: str) -> str:
        """A full party member of the village's branch, registered by the organisation member;
        the new member id."""
        body = {
            "branch_id": await self.branch(village),
            "name": name,
            "id_number": resident_id(),
            "membership": "full",
            "joined_party_on": "2005-07-01",
            "occurred_on": "2016-01-05",
        }
        joined = await ok(self.party.post("/api/v1/members", json=body, headers=ORGANISATION), 201)
        member_id: str = joined["id"]
        return member_id


async def reacted(check: Callable[[], Awaitable[Any]], what: str) -> Any:
    """Wait (bounded) until another service has reacted: `check` returns something truthy."""
    return await eventually(check, timeout=REACTION_TIMEOUT, interval=0.25, what=what)
