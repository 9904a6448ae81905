"""What every party command handler needs, handed in by `bootstrap`: the event store and its
reader, the lookup tables, the rule books and scoring sheets, the town, a clock — and the
caller's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from party.adapters.views import Views
from party.domain.assessment import ScoringSheets
from party.domain.branches import TERRITORIAL, VillageRef
from party.domain.rules import RuleBooks
from shared.clock import Clock, business_day, china_today, noon
from shared.eventstore import CommandContext, EventStore
from shared.kernel import DomainError, NotFound
from shared.readers import AggregateReader
from shared.town import Town


class OutOfScope(DomainError):
    """The caller's role is limited to one village's branch and this is another one."""

    status = 403
    title = "无权限 (forbidden)"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which branches the caller may read or act on: all of them, or (a branch secretary)
    the branch of their own village or community."""

    village: str | None = None
    limited: bool = False

    def allows(self, kind: str, village: str | None) -> bool:
        if not self.limited:
            return True
        return self.village is not None and kind in TERRITORIAL and village == self.village

    def check(self, row: dict[str, Any] | None, what: str = "党支部") -> None:
        """Refuse a branch (a lookup row) outside the scope; NotFound if there is none."""
        if row is None:
            raise NotFound(f"{what}不存在 (does not exist)")
        if not self.allows(str(row["kind"]), row["village"]):
            raise OutOfScope(f"只能处理本村/社区党支部 ({self.village}) 的事务 (own branch only)")


EVERYTHING = Scope()


@dataclass(frozen=True, slots=True)
class Written:
    """What a command changed: the entity's id and its stream's new version."""

    id: str
    version: int


@dataclass(frozen=True, slots=True)
class Deps:
    """The handlers' dependencies."""

    store: EventStore
    reader: AggregateReader
    views: Views
    books: RuleBooks
    sheets: ScoringSheets
    town: Town
    clock: Clock

    def today(self) -> dt.date:
        """Today's business date (in China, by the injected clock)."""
        return china_today(self.clock)

    def village(self, name: str) -> VillageRef:
        """The town's village or community of this name or code; `Refused` for another."""
        village = self.town.known_village(name)
        return VillageRef(village.code, village.name, village.kind)

    def dated(self, ctx: CommandContext, day: dt.date | None) -> tuple[CommandContext, dt.date]:
        """The command's business day (today if not given; never in the future) and its
        context dated to it."""
        on = business_day(day, self.today())
        return (ctx, on) if day is None else (ctx.at(noon(on)), on)
