"""What every relief route uses: who may write and read, the caller's village scope, the
command context, and running a command."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Depends, Request

from relief.adapters.reader import StoreReader
from relief.application.commands import Command
from relief.application.ports import Forbidden, Scope
from relief.application.service import ReliefService
from shared.auth import Principal, Role
from shared.eventstore import CommandContext
from shared.web import command_context, require

#: Relief is the agriculture leader's (分管农业); village clerks record their own village's work.
WRITE_ROLES = (Role.AGRICULTURE_LEADER, Role.VILLAGE_CLERK)
#: Every official may read; village-scoped roles their own village only. Not the public.
READ_ROLES = tuple(r for r in Role if r not in (Role.PUBLIC,))
#: The roles that work with households' full ID numbers; others see them masked.
REVEAL_ROLES = frozenset({Role.AGRICULTURE_LEADER, Role.VILLAGE_CLERK})
VILLAGE_ROLES = frozenset({Role.VILLAGE_CLERK, Role.BRANCH_SECRETARY})

Writer = Annotated[Principal, Depends(require(*WRITE_ROLES))]
Reader = Annotated[Principal, Depends(require(*READ_ROLES))]


def scope_of(principal: Principal) -> Scope:
    """A village-scoped role acts on its own village; a token without one acts on none."""
    if principal.role not in VILLAGE_ROLES:
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


def reader(request: Request) -> StoreReader:
    store_reader: StoreReader = request.app.state.reader
    return store_reader


def noon(day: dt.date | None) -> dt.datetime | None:
    """A business day as a time: noon UTC (the same calendar day in China)."""
    return None if day is None else dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def end_of(day: dt.date | None) -> dt.datetime | None:
    """ "As of D" means by the end of D in China (business time)."""
    if day is None:
        return None
    china_end = dt.datetime.combine(day, dt.time(23, 59, 59, 999999))
    return china_end.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))).astimezone(dt.UTC)


def context(request: Request, principal: Principal, occurred_on: dt.date | None) -> CommandContext:
    town = service(request).town.code
    return command_context(request, principal, town).at(noon(occurred_on))


async def run(request: Request, principal: Principal, cmd: Command) -> dict[str, Any]:
    """Execute a command as `principal`; the body of the 200/201 answer."""
    written = await service(request).execute(
        cmd, context(request, principal, cmd.occurred_on), scope_of(principal)
    )
    return {"id": written.id, "stream_id": written.stream_id, "version": written.version}
