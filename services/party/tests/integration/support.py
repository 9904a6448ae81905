"""Helpers for the party service's integration tests: users, set-up through HTTP, and
supervision-shaped envelopes (built from the contract with `shared.testing.foreign_envelope`;
the supervision package is not imported)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx

from shared.clock import noon
from shared.envelope import Actor, Envelope
from shared.kernel import make_resident_id
from shared.roles import Role
from shared.testing import bearer, foreign_envelope

ORG = bearer(Role.ORGANISATION_MEMBER, user_id="organisation")
SECRETARY = bearer(Role.TOWN_SECRETARY)
AUDITOR = bearer(Role.AUDITOR)
SHIBI_SECRETARY = bearer(Role.BRANCH_SECRETARY, village="石壁村", user_id="branch-shibi")
CLERK = bearer(Role.VILLAGE_CLERK, village="石壁村")

_serial = iter(range(1, 10_000))
#: A token of this test run, for ids that must not meet those of earlier runs.
RUN = uuid.uuid4().hex[:8]


def id_number(birth: str = "19800101") -> str:
    """A valid resident ID number, different on every call."""
    return make_resident_id(f"430321{birth}{next(_serial):03d}").value


async def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def branch(
    client: httpx.AsyncClient, branch_id: str, village: str | None, kind: str = "village"
) -> None:
    body = {"branch_id": branch_id, "name": f"{village or branch_id}党支部", "kind": kind}
    if village:
        body["village"] = village
    body["occurred_on"] = "2016-01-04"
    await ok(await client.post("/api/v1/branches", json=body, headers=ORG), 201)


async def member(
    client: httpx.AsyncClient,
    member_id: str,
    branch_id: str,
    *,
    membership: str = "full",
    joined_party_on: str = "2005-07-01",
    on: str = "2016-01-05",
) -> None:
    body = {
        "member_id": member_id,
        "branch_id": branch_id,
        "name": "测试党员",
        "id_number": id_number(),
        "membership": membership,
        "joined_party_on": joined_party_on,
        "occurred_on": on,
    }
    await ok(await client.post("/api/v1/members", json=body, headers=ORG), 201)


def accountability_envelope(
    case_id: str, member_id: str | None, kind: str = "党内警告", decided_on: str = "2016-08-01"
) -> Envelope:
    """A `supervision.AccountabilityDecided` as supervision would publish it (contract fields
    of contracts/README.md, plus some it may add)."""
    return foreign_envelope(
        "supervision.AccountabilityDecided",
        f"case-{case_id}",
        {
            "case_id": case_id,
            "clue_id": f"clue-{case_id}",
            "subject_member_id": member_id,
            "subject_name": "测试党员",
            "subject_post": None,
            "kind": kind,
            "reason": "测试",
            "decided_on": decided_on,
            "red_flag_id": None,
        },
        occurred_at=noon(dt.date.fromisoformat(decided_on)),
        actor=Actor("discipline", "discipline_secretary"),
    )
