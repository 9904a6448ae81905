"""Who may call what (roles), the caller's scope, and the plumbing every route shares."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Depends, Request

from party.application.dependencies import EVERYTHING, Deps, Scope, Written
from shared.auth import VILLAGE_SCOPED, Principal, Role
from shared.eventstore import CommandContext
from shared.web import command_context, require

#: The organisation committee member (组织委员) records the party's work.
Writer = Annotated[Principal, Depends(require(Role.ORGANISATION_MEMBER))]
#: ... and a branch secretary may record points and branch sessions of their own branch.
BranchWriter = Annotated[
    Principal, Depends(require(Role.ORGANISATION_MEMBER, Role.BRANCH_SECRETARY))
]
#: Readers: the town secretary and the auditor read all, a branch secretary their own branch.
Reader = Annotated[
    Principal,
    Depends(
        require(Role.ORGANISATION_MEMBER, Role.TOWN_SECRETARY, Role.AUDITOR, Role.BRANCH_SECRETARY)
    ),
]
#: Town-wide reads and personnel cases: not for branch secretaries.
TownReader = Annotated[
    Principal, Depends(require(Role.ORGANISATION_MEMBER, Role.TOWN_SECRETARY, Role.AUDITOR))
]
#: Accountability outcomes: also the discipline secretary, whose decisions they follow.
AccountabilityReader = Annotated[
    Principal,
    Depends(
        require(
            Role.ORGANISATION_MEMBER,
            Role.TOWN_SECRETARY,
            Role.AUDITOR,
            Role.DISCIPLINE_SECRETARY,
        )
    ),
]


def _deps(request: Request) -> Deps:
    deps: Deps = request.app.state.party
    return deps


PartyDeps = Annotated[Deps, Depends(_deps)]


def scope_of(principal: Principal) -> Scope:
    """A village-scoped role (here: a branch secretary) acts on its own village's branch."""
    if principal.role in VILLAGE_SCOPED:
        return Scope(village=principal.village, limited=True)
    return EVERYTHING


def sees_id_numbers(principal: Principal) -> bool:
    """Only the organisation committee member sees full ID numbers; others see them masked."""
    return principal.role == Role.ORGANISATION_MEMBER


def context(
    request: Request, principal: Principal, deps: Deps, day: dt.date | None
) -> tuple[CommandContext, dt.date]:
    """The command's context (actor, correlation) dated to its business day."""
    return deps.dated(command_context(request, principal, deps.town.code), day)


def written(result: Written) -> dict[str, Any]:
    return {"id": result.id, "version": result.version}
