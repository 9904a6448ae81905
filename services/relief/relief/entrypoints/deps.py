"""What every relief route uses: who may write and read, the caller's village scope, the
command context, and running a command."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Depends, Request

from relief.application.commands import Command
from relief.application.ports import Forbidden, Scope
from relief.application.service import ReliefService
from shared.auth import VILLAGE_SCOPED, Principal, Role
from shared.clock import noon
from shared.eventstore import CommandContext
from shared.readers import AggregateReader
from shared.web import command_context, require

#: Relief is the agriculture leader's (分管农业); village clerks record their own village's work.
WRITE_ROLES = (Role.AGRICULTURE_LEADER, Role.VILLAGE_CLERK)
#: Every official may read; village-scoped roles their own village only. Not the public.
READ_ROLES = tuple(r for r in Role if r not in (Role.PUBLIC,))
#: The roles that work with households' full ID numbers; others see them masked.
REVEAL_ROLES = frozenset({Role.AGRICULTURE_LEADER, Role.VILLAGE_CLERK})

Writer = Annotated[Principal, Depends(require(*WRITE_ROLES))]
Reader = Annotated[Principal, Depends(require(*READ_ROLES))]


def scope_of(principal: Principal) -> Scope:
    """A village-scoped role acts on its own village; a token without one acts on none."""
    if principal.role not in VILLAGE_SCOPED:
        return Scope()
    if not principal.village:
        raise Forbidden("村级账号未绑定村/社区 (a village account without a village)")
    return Scope(principal.village)


def village_filter(principal: Principal, village: str | None) -> str | None:
    """The village a list is limited to: the asked one, or the caller's own."""
    scope = scope_of(principal)
    if scope.village is None:
        return village
    scope.check(village or scope.village)
    return scope.village


def reveal(principal: Principal) -> bool:
    return principal.role in REVEAL_ROLES


def service(request: Request) -> ReliefService:
    relief: ReliefService = request.app.state.relief
    return relief


def reader(request: Request) -> AggregateReader:
    store_reader: AggregateReader = request.app.state.reader
    return store_reader


def context(request: Request, principal: Principal, occurred_on: dt.date | None) -> CommandContext:
    town = service(request).town.code
    return command_context(request, principal, town).at(noon(occurred_on) if occurred_on else None)


async def run(request: Request, principal: Principal, cmd: Command) -> dict[str, Any]:
    """Execute a command as `principal`; the body of the 200/201 answer."""
    written = await service(request).execute(
        cmd, context(request, principal, cmd.occurred_on), scope_of(principal)
    )
    return {"id": written.id, "stream_id": written.stream_id, "version": written.version}
