"""Who may call what (roles), the caller's scope, and the plumbing every route shares."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from party.application.dependencies import CHINA, EVERYTHING, Deps, Scope, Written
from shared.auth import Principal, Role
from shared.codec import decode
from shared.eventstore import CommandContext, EventStore
from shared.kernel import Aggregate, NotFound
from shared.web import command_context, require

A = TypeVar("A", bound=Aggregate)

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
    if principal.role == Role.BRANCH_SECRETARY:
        return Scope(village=principal.village, limited=True)
    return EVERYTHING


def sees_id_numbers(principal: Principal) -> bool:
    """Only the organisation committee member sees full ID numbers; others see them masked."""
    return principal.role == Role.ORGANISATION_MEMBER


def context(
    request: Request, principal: Principal, deps: Deps, day: dt.date | None
) -> tuple[CommandContext, dt.date]:
    """The command's context (actor, correlation) dated to its business day."""
    return deps.dated(command_context(request, principal, deps.town_code), day)


def written(result: Written) -> dict[str, Any]:
    return {"id": result.id, "version": result.version}


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of a Chinese calendar day, for "as of" reads."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=CHINA) - dt.timedelta(
        microseconds=1
    )


async def load(
    store: EventStore, cls: type[A], stream_id: str, what: str, as_of: dt.date | None = None
) -> A:
    """An aggregate as stored (or as it was at the end of `as_of`); NotFound if absent."""
    envelopes = await store.read_stream(
        stream_id, as_of=end_of_day(as_of) if as_of is not None else None
    )
    if not envelopes:
        raise NotFound(f"{what} {stream_id} 不存在 (does not exist)")
    aggregate = cls(stream_id)
    aggregate.replay([decode(e.event_type, e.schema_version, e.payload) for e in envelopes])
    aggregate.version = len(envelopes)
    return aggregate
