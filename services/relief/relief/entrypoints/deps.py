"""What every relief route uses: who may write and read, the caller's village scope for lists,
and the store's reader. Commands run through the shared pipeline (`shared.command_routes`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from relief.application.ports import Deps
from shared.command_routes import pipeline_of
from shared.pipeline import Pipeline, Scope
from shared.readers import AggregateReader
from shared.roles import Principal, Role
from shared.web import require

#: Relief is the agriculture leader's (分管农业); village clerks record their own village's work.
WRITE_ROLES = (Role.AGRICULTURE_LEADER, Role.VILLAGE_CLERK)
#: Every official may read; village-scoped roles their own village only. Not the public.
READ_ROLES = tuple(r for r in Role if r not in (Role.PUBLIC,))
#: The roles that work with households' full ID numbers; others see them masked.
REVEAL_ROLES = frozenset({Role.AGRICULTURE_LEADER, Role.VILLAGE_CLERK})

Writer = Annotated[Principal, Depends(require(*WRITE_ROLES))]
Reader = Annotated[Principal, Depends(require(*READ_ROLES))]


def village_filter(principal: Principal, village: str | None) -> str | None:
    """The village a list is limited to: the asked one, or the caller's own."""
    return Scope.of(principal).narrow(village)


def reveal(principal: Principal) -> bool:
    return principal.role in REVEAL_ROLES


def reader(request: Request) -> AggregateReader:
    store_reader: AggregateReader = request.app.state.reader
    return store_reader


def relief(request: Request) -> Pipeline[Deps]:
    """The service's command pipeline (its town, clock and policy serve the reads too)."""
    return pipeline_of(request)
