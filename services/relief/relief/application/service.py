"""The relief service's command side: one entry point that runs a command's handler in a unit
of work (load, decide, append in one transaction), with the business day and the caller's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog

from relief.application import activities, households, sites
from relief.application.commands import Change, Command, RegisterHousehold
from relief.application.imports import ImportRejected, RowError
from relief.application.ports import (
    Env,
    MemberDirectory,
    Scope,
    UnitOfWorkFactory,
    UnitOfWorkPort,
)
from relief.domain.values import Policy
from shared.clock import Clock, business_day, china_today, utc_now
from shared.eventstore import CommandContext
from shared.kernel import Aggregate, ConcurrencyConflict, DomainError, Refused
from shared.town import Town

log = structlog.get_logger(__name__)

Handler = Callable[[Any, UnitOfWorkPort, Env], Awaitable[tuple[str, Aggregate]]]

HANDLERS: dict[type[Command], Handler] = {
    **households.HANDLERS,
    **activities.HANDLERS,
    **sites.HANDLERS,
}


@dataclass(frozen=True, slots=True)
class Written:
    """What a command wrote: the id it created or changed, its stream and new version."""

    id: str
    stream_id: str
    version: int


class ReliefService:
    """Runs commands; wired once in `bootstrap` (fakes injected in unit tests)."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        members: MemberDirectory,
        policy: Policy,
        town: Town,
        clock: Clock = utc_now,
        attempts: int = 3,
    ) -> None:
        self._uow = uow
        self.members = members
        self.policy = policy
        self.town = town
        self.clock = clock
        self.attempts = attempts

    def today(self) -> dt.date:
        """Today in China, by the injected clock."""
        return china_today(self.clock)

    def env(self, occurred_on: dt.date | None, scope: Scope) -> Env:
        """The handler's environment; a business day in the future is refused."""
        return Env(
            day=business_day(occurred_on, self.today()),
            scope=scope,
            town=self.town,
            policy=self.policy,
            members=self.members,
        )

    async def execute(self, cmd: Command, ctx: CommandContext, scope: Scope) -> Written:
        """Run `cmd`. Without an expected version a lost race is retried on fresh state."""
        handler = HANDLERS[type(cmd)]
        env = self.env(cmd.occurred_on, scope)
        checked = isinstance(cmd, Change) and cmd.expected_version is not None
        attempts = 1 if checked else self.attempts
        for attempt in range(1, attempts + 1):
            try:
                async with self._uow(ctx) as uow:
                    ident, aggregate = await handler(cmd, uow, env)
                    await uow.commit()
            except ConcurrencyConflict:
                if attempt == attempts:
                    raise
                log.info("relief.command_retried", command=type(cmd).__name__, attempt=attempt)
                continue
            log.info(
                "relief.command_executed",
                command=type(cmd).__name__,
                stream_id=aggregate.stream_id,
                version=aggregate.version,
            )
            return Written(ident, aggregate.stream_id, aggregate.version)
        raise AssertionError("unreachable")  # pragma: no cover

    async def import_households(
        self,
        rows: list[tuple[int, RegisterHousehold]],
        bad: list[RowError],
        ctx: CommandContext,
        scope: Scope,
        occurred_on: dt.date | None,
    ) -> list[tuple[int, str]]:
        """Register every row in ONE unit of work; any bad row rejects the whole file."""
        env = self.env(occurred_on, scope)
        errors = list(bad)
        registered: list[tuple[int, str]] = []
        async with self._uow(ctx) as uow:
            for line, cmd in rows:
                try:
                    household_id, _ = await households.register(cmd, uow, env)
                except DomainError as exc:
                    errors.append(RowError(line, None, str(exc)))
                else:
                    registered.append((line, household_id))
            if errors:
                raise ImportRejected(sorted(errors, key=lambda e: e.line))
            if not registered:
                raise Refused("文件中没有数据行 (the file has no rows)")
            await uow.commit()
        log.info("relief.households_imported", rows=len(registered))
        return registered
