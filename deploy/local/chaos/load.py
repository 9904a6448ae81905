"""The chaos run's load: creations with client-generated ids, one kind per write service, each
sent again until the service acknowledges it (201, or 409 "already exists" for a retry of
one that was stored although its answer was lost), bounded in count and in time."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from system import System

from demo.client import demo_headers, demo_issuer
from shared.kernel import make_resident_id

BRANCH = "branch-chaos"
VILLAGE = "石壁村"


def _resident() -> str:
    born = f"19{random.randrange(60, 86)}{random.randrange(1, 13):02d}{random.randrange(1, 29):02d}"
    return make_resident_id(f"430321{born}{random.randrange(1000):03d}").value


@dataclass(frozen=True)
class Kind:
    """A creation command of one write service, and how its event is recognised."""

    name: str
    service: str
    path: str
    user: str
    event_type: str
    key: str  # the payload field that holds the client's id
    new_id: Callable[[], str]
    body: Callable[[str], dict[str, Any]]


KINDS = (
    Kind(
        "households",
        "relief",
        "/api/v1/households",
        "agriculture",
        "relief.HouseholdRegistered",
        "household_id",
        lambda: str(uuid.uuid4()),
        lambda i: {
            "household_id": i,
            "occurred_on": "2016-01-15",
            "village": VILLAGE,
            "head_name": f"户主{i[:4]}",
            "head_id_number": _resident(),
            "causes": ["因病"],
            "income_per_head": "1800.00",
        },
    ),
    Kind(
        "programmes",
        "funds",
        "/api/v1/programmes",
        "economic",
        "funds.ProgrammeCreated",
        "code",
        lambda: f"CHAOS-{uuid.uuid4().hex[:12].upper()}",
        lambda i: {
            "code": i,
            "name": f"混沌测试资金{i[-4:]}",
            "source_level": "county",
            "beneficiary_rule": "any_resident",
            "amount": "10000",
            "purpose": "危房改造到户补助",
            "purpose_code": "housing",
            "standard_amount": "2000",
            "planned_start": "2016-03-01",
            "disbursement_deadline": "2016-08-31",
            "occurred_on": "2016-02-15",
        },
    ),
    Kind(
        "petitions",
        "supervision",
        "/api/v1/petitions",
        "deputy",
        "supervision.PetitionReceived",
        "petition_id",
        lambda: str(uuid.uuid4()),
        lambda i: {
            "id": i,
            "occurred_on": "2016-04-08",
            "channel": "来访",
            "petitioner_name": f"信访人{i[:4]}",
            "village": VILLAGE,
            "subject": "征地补偿标准争议",
        },
    ),
    Kind(
        "members",
        "party",
        "/api/v1/members",
        "organisation",
        "party.MemberJoined",
        "member_id",
        lambda: f"member-chaos-{uuid.uuid4().hex[:16]}",
        lambda i: {
            "member_id": i,
            "branch_id": BRANCH,
            "name": f"党员{i[-4:]}",
            "id_number": _resident(),
            "membership": "full",
            "joined_party_on": "2005-07-01",
            "occurred_on": "2016-01-05",
        },
    ),
)
SETUP = Kind(
    "branch",
    "party",
    "/api/v1/branches",
    "organisation",
    "party.BranchEstablished",
    "branch_id",
    lambda: BRANCH,
    lambda i: {
        "branch_id": i,
        "name": "混沌测试机关党支部",
        "kind": "organ",
        "occurred_on": "2016-01-02",
    },
)


@dataclass
class Command:
    """One creation and what became of it."""

    kind: Kind
    id: str
    acked: bool = False
    refused: str = ""
    attempts: int = 0
    answers: Counter[str] = field(default_factory=Counter)


class Load:
    """Sends commands at a steady rate while the kills go on; retries each until acknowledged."""

    def __init__(self, system: System, *, rate: float, limit: int, patience: float) -> None:
        self.system = system
        self.rate, self.limit, self.patience = rate, limit, patience
        self.headers = demo_headers(demo_issuer(), {k.user for k in (*KINDS, SETUP)})
        self.commands: list[Command] = []
        self.client = httpx.AsyncClient(timeout=10)
        self.gate = asyncio.Semaphore(16)

    async def send(self, command: Command) -> Command:
        """POST until 201 or 409; a 4xx other than 409 is a refusal (the load's own bug)."""
        kind, deadline, pause = command.kind, time.monotonic() + self.patience, 0.25
        url = f"{self.system.url(kind.service)}{kind.path}"
        body = kind.body(command.id)
        async with self.gate:
            while time.monotonic() < deadline:
                command.attempts += 1
                try:
                    response = await self.client.post(
                        url, json=body, headers=self.headers[kind.user]
                    )
                    status = response.status_code
                except httpx.HTTPError as error:
                    status, response = 0, None
                    command.answers[type(error).__name__] += 1
                else:
                    command.answers[str(status)] += 1
                if status in (201, 409):
                    command.acked = True
                    return command
                if 400 <= status < 500 and status not in (408, 429) and response is not None:
                    command.refused = f"{status} {response.text[:300]}"
                    return command
                await asyncio.sleep(pause)
                pause = min(pause * 2, 2.0)
        return command

    async def setup(self) -> None:
        done = await self.send(Command(SETUP, BRANCH))
        if not done.acked:
            raise RuntimeError(
                f"the chaos branch was not established: {done.refused or done.answers}"
            )

    async def run(self, until: asyncio.Event) -> list[Command]:
        """Issue commands (kinds in turn) until `until` is set or `limit` are issued, then wait
        for every one to be acknowledged or to run out of patience."""
        tasks: list[asyncio.Task[Command]] = []
        n = 0
        while not until.is_set() and n < self.limit:
            kind = KINDS[n % len(KINDS)]
            command = Command(kind, kind.new_id())
            self.commands.append(command)
            tasks.append(asyncio.create_task(self.send(command)))
            n += 1
            with contextlib.suppress(TimeoutError):  # the pace of the load
                await asyncio.wait_for(until.wait(), 1 / self.rate)
        await asyncio.gather(*tasks)
        await self.client.aclose()
        return self.commands
