"""What the handlers need from the outside, as protocols (the adapters and the test fakes
implement them), and the caller's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import ClassVar, Protocol, TypeVar

from relief.domain.values import KnownMember, Policy
from shared.envelope import Envelope
from shared.eventstore import CommandContext
from shared.kernel import Aggregate, DomainError
from shared.town import Town

A = TypeVar("A", bound=Aggregate)


class UnitOfWorkPort(Protocol):
    """The shared `UnitOfWork`'s interface (an in-memory fake in unit tests)."""

    async def __aenter__(self) -> UnitOfWorkPort: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def load(self, cls: type[A], stream_id: str) -> A: ...

    async def get(self, cls: type[A], stream_id: str, what: str = "") -> A: ...

    def add(self, aggregate: Aggregate) -> None: ...

    async def commit(self) -> list[Envelope]: ...


UnitOfWorkFactory = Callable[[CommandContext], UnitOfWorkPort]


class MemberDirectory(Protocol):
    """Relief's own view of the party members (built from `party.MemberJoined`)."""

    async def member(self, member_id: str) -> KnownMember | None: ...


class Forbidden(DomainError):
    """The caller's role may act, but not on this village (a clerk of another village)."""

    status: ClassVar[int] = 403
    title: ClassVar[str] = "无权限 (forbidden)"


@dataclass(frozen=True, slots=True)
class Scope:
    """Where the caller may write: the whole town (`village` None) or one village."""

    village: str | None = None

    def check(self, village: str | None) -> None:
        if self.village is None or village == self.village:
            return
        where = village or "全镇 (town level)"
        raise Forbidden(
            f"村级账号只能操作本村（{self.village}）的数据，不能操作 {where} "
            "(a village account may act on its own village only)"
        )


@dataclass(frozen=True, slots=True)
class Env:
    """What a handler may consult besides its unit of work."""

    day: dt.date
    scope: Scope
    town: Town
    policy: Policy
    members: MemberDirectory
