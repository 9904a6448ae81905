"""One way to run a command (命令), for every service.

- A **command** is a pydantic model and is also the request body (`Command`, or `Change` for a
  command on an existing entity, with `expected_version`); fields the route's path carries are
  marked `FromPath`.
- A **handler** is `async (cmd, uow) -> (id, aggregate)`: it loads through the unit of work,
  lets the aggregate decide, and hands back the entity it wrote. The unit of work (`Work`)
  carries the command's business day, the caller's village scope, the town and whatever the
  service's `bootstrap` injects (`uow.deps`).
- The **pipeline** (`Pipeline`, wired once per service in `bootstrap`) decides the business day
  by one rule (`shared.clock.business_day`: the given day or today, never in the future),
  dates the events to it, opens the unit of work, runs the handler, commits, and retries a
  lost race by one policy: a command without `expected_version` is retried on fresh state up
  to `attempts` times; one with it is not (the caller read a version and it changed: 409).
- A written command answers with **one shape** (`Written`): the entity's id, its stream and
  version, its status if it has one, and every event the command appended.

The HTTP side (a route per command in one line) is `shared.command_routes`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

import structlog
from pydantic import BaseModel, ConfigDict, Field

from shared.business_dates import BusinessDate
from shared.clock import Clock, business_day, china_today, noon, utc_now
from shared.envelope import Envelope
from shared.eventstore import CommandContext, EventStore
from shared.kernel import Aggregate, ConcurrencyConflict, DomainError
from shared.roles import VILLAGE_SCOPED, Principal
from shared.town import Town, Village
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger(__name__)

D = TypeVar("D")
T = TypeVar("T")
C = TypeVar("C", bound="Command")


class Command(BaseModel):
    """Any command; its fields are the request body (unknown fields are refused).

    `occurred_on` is the business day the work happened (业务日期; default today)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    occurred_on: BusinessDate | None = Field(
        default=None, description="业务日期：工作实际发生的日期（默认今天）"
    )


class Change(Command):
    """A command on an existing entity: `expected_version` is the version the caller read
    (None: no check; changed since → 409)."""

    expected_version: int | None = Field(
        default=None, ge=0, description="读取时的版本号；记录已被修改则返回 409"
    )


class FromPath:
    """Marks a command field the route's path carries (`Annotated[str, FromPath()]`): it is
    not part of the request body, and the route fills it from the URL."""

    def __repr__(self) -> str:
        return "FromPath()"


def path_fields(cmd: type[Command]) -> list[str]:
    """The names of the command's fields marked `FromPath`, in declaration order."""
    return [
        name
        for name, info in cmd.model_fields.items()
        if any(isinstance(m, FromPath) for m in info.metadata)
    ]


class OutOfScope(DomainError):
    """The caller's role may act, but not on this village (a clerk of another village)."""

    status: ClassVar[int] = 403
    title: ClassVar[str] = "无权限 (forbidden)"


@dataclass(frozen=True, slots=True)
class Scope:
    """Where the caller may read and write (范围): the whole town (`village` None) or the
    village a village-scoped account is bound to."""

    village: str | None = None

    @classmethod
    def of(cls, principal: Principal) -> Scope:
        """A village-scoped role (村级账号) acts on its own village; one bound to none, on
        nothing (403)."""
        if principal.role not in VILLAGE_SCOPED:
            return WHOLE_TOWN
        if not principal.village:
            raise OutOfScope("村级账号未绑定村/社区 (a village account without a village)")
        return cls(principal.village)

    @property
    def limited(self) -> bool:
        return self.village is not None

    def allows(self, village: str | None) -> bool:
        """True if the caller may see or act on `village` (None: a town-level entity)."""
        return self.village is None or village == self.village

    def check(self, village: str | None) -> None:
        """`OutOfScope` (403) unless the caller may act on `village`."""
        if self.allows(village):
            return
        where = village or "全镇 (town level)"
        raise OutOfScope(
            f"村级账号只能操作本村（{self.village}）的数据，不能操作 {where} "
            "(a village account may act on its own village only)"
        )

    def checked_village(self, town: Town, name_or_code: str) -> Village:
        """The town's village of this name or code (`Refused`, 422, if the town has none), if
        the caller may act on it (`OutOfScope`, 403, otherwise)."""
        village = town.known_village(name_or_code)
        self.check(village.name)
        return village

    def narrow(self, village: str | None) -> str | None:
        """The village a list is limited to: the asked one, or the caller's own (403 for
        another)."""
        if self.village is None:
            return village
        self.check(village or self.village)
        return self.village


WHOLE_TOWN = Scope()


class Work(UnitOfWork, Generic[D]):
    """A command's unit of work (one transaction), with what the handler may consult: the
    business day, the caller's scope, the town and the service's injected dependencies."""

    def __init__(
        self,
        store: EventStore,
        ctx: CommandContext,
        *,
        day: dt.date,
        scope: Scope,
        town: Town,
        deps: D,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(store, ctx, clock)
        self.day = day
        self.scope = scope
        self.town = town
        self.deps = deps

    def village(self, name_or_code: str) -> Village:
        """The town's village the command names (422 if unknown), within the caller's scope
        (403 otherwise)."""
        return self.scope.checked_village(self.town, name_or_code)


#: What a handler hands back: the id of the entity it wrote, and that entity.
Done = tuple[str, Aggregate]
Handler = Callable[[C, Work[Any]], Awaitable[Done]]


@dataclass(frozen=True, slots=True)
class Appended:
    """One event a command appended."""

    type: str
    event_id: str
    stream_id: str
    version: int


@dataclass(frozen=True, slots=True)
class Written:
    """The one answer to a written command: the entity's id, its stream and version after the
    command, its status (if the entity has one) and every event the command appended (a red
    flag or an index claim raised with it included)."""

    id: str
    stream_id: str
    version: int
    status: str | None = None
    events: tuple[Appended, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, ident: str, aggregate: Aggregate, committed: list[Envelope]) -> Written:
        """The answer for a command on one entity."""
        return cls(
            id=ident,
            stream_id=aggregate.stream_id,
            version=aggregate.version,
            status=status_of(aggregate),
            events=appended(committed),
        )

    @classmethod
    def of_events(cls, ident: str, committed: list[Envelope]) -> Written:
        """The answer for a command that is not one entity's (a check across programmes):
        its id, no stream, and the events it appended."""
        return cls(id=ident, stream_id="", version=0, events=appended(committed))

    def raised(self, event_type: str) -> list[Appended]:
        """The appended events of one type (e.g. the red flags a payment raised)."""
        return [e for e in self.events if e.type == event_type]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "stream_id": self.stream_id,
            "version": self.version,
            "status": self.status,
            "events": [
                {
                    "type": e.type,
                    "event_id": e.event_id,
                    "stream_id": e.stream_id,
                    "version": e.version,
                }
                for e in self.events
            ],
        }


def appended(committed: list[Envelope]) -> tuple[Appended, ...]:
    return tuple(
        Appended(e.event_type, str(e.event_id), e.stream_id, e.stream_version) for e in committed
    )


class AppendedOut(BaseModel):
    type: str = Field(description="事件类型")
    event_id: str = Field(description="事件编号")
    stream_id: str
    version: int


class WrittenOut(BaseModel):
    """The answer to every written command (写入结果)."""

    id: str = Field(description="实体编号")
    stream_id: str = Field(description="事件流")
    version: int = Field(description="写入后的版本号")
    status: str | None = Field(default=None, description="写入后的状态（如有）")
    events: list[AppendedOut] = Field(description="本命令写入的全部事件（含同时产生的红旗等）")


def status_of(aggregate: Aggregate) -> str | None:
    """The entity's status as text, if it keeps one."""
    status = getattr(aggregate, "status", None)
    if isinstance(status, enum.Enum):
        return str(status.value)
    return status if isinstance(status, str) else None


class Pipeline(Generic[D]):
    """Runs a service's commands; wired once in its `bootstrap` (a fake store in unit tests)."""

    def __init__(
        self,
        store: EventStore,
        *,
        town: Town,
        deps: D,
        clock: Clock = utc_now,
        attempts: int = 3,
        name: str = "command",
    ) -> None:
        self.store = store
        self.town = town
        self.deps = deps
        self.clock = clock
        self.attempts = attempts
        self.name = name

    def today(self) -> dt.date:
        """Today in China, by the injected clock."""
        return china_today(self.clock)

    def day(self, occurred_on: dt.date | None) -> dt.date:
        """The business day: as given, or today; never in the future (`Refused`, 422)."""
        return business_day(occurred_on, self.today())

    @asynccontextmanager
    async def work(
        self, ctx: CommandContext, scope: Scope, occurred_on: dt.date | None = None
    ) -> AsyncIterator[Work[D]]:
        """A unit of work for one command: its events dated to the business day (noon of a
        given day, now otherwise). For a command that is not one entity's (a bulk import)."""
        day = self.day(occurred_on)
        dated = ctx.at(noon(day)) if occurred_on is not None else ctx
        async with Work(
            self.store,
            dated,
            day=day,
            scope=scope,
            town=self.town,
            deps=self.deps,
            clock=self.clock,
        ) as uow:
            yield uow

    async def attempt(
        self,
        act: Callable[[Work[D]], Awaitable[T]],
        ctx: CommandContext,
        scope: Scope = WHOLE_TOWN,
        occurred_on: dt.date | None = None,
        *,
        retry: bool = True,
        command: str = "command",
    ) -> tuple[T, list[Envelope]]:
        """Run `act` in a unit of work and commit: what it returned and every envelope it
        appended. A lost race is retried on fresh state (`retry`) up to `attempts` times. For
        a command that is not one entity's (a file of rows, a check across programmes)."""
        attempts = self.attempts if retry else 1
        for attempt in range(1, attempts + 1):
            try:
                async with self.work(ctx, scope, occurred_on) as uow:
                    result = await act(uow)
                    committed = await uow.commit()
            except ConcurrencyConflict:
                if attempt == attempts:
                    raise
                log.info(f"{self.name}.command_retried", command=command, attempt=attempt)
                continue
            return result, committed
        raise AssertionError("unreachable")  # pragma: no cover

    async def run(
        self, handler: Handler[C], cmd: C, ctx: CommandContext, scope: Scope = WHOLE_TOWN
    ) -> Written:
        """Run `cmd` by `handler` in one transaction; a lost race is retried on fresh state
        unless the caller gave the version it read."""
        checked = isinstance(cmd, Change) and cmd.expected_version is not None

        async def act(uow: Work[D]) -> Done:
            return await handler(cmd, uow)

        (ident, aggregate), committed = await self.attempt(
            act, ctx, scope, cmd.occurred_on, retry=not checked, command=type(cmd).__name__
        )
        log.info(
            f"{self.name}.command_executed",
            command=type(cmd).__name__,
            stream_id=aggregate.stream_id,
            version=aggregate.version,
        )
        return Written.of(ident, aggregate, committed)
