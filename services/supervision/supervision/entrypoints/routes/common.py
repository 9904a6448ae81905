"""What the read routes share: the service's read side, wired once by `bootstrap`, and the
day a read is about. (Writes go through the shared pipeline, `app.state.pipeline`.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from shared.clock import Clock, china_today
from shared.readers import AggregateReader
from shared.town import Town, load_town
from supervision.domain.events import PowerItem
from supervision.domain.plan import Plan
from supervision.powers import load_default_powers


@dataclass(frozen=True, slots=True)
class Supervision:
    """What the read routes need (读取): the ledger over the event store, the plan, the
    clock that says which day today is, the town and the reference list of small powers."""

    ledger: AggregateReader
    plan: Plan
    clock: Clock
    town: Town = field(default_factory=load_town)
    default_powers: tuple[PowerItem, ...] = field(default_factory=load_default_powers)

    def today(self) -> dt.date:
        """Today in Asia/Shanghai, by the injected clock."""
        return china_today(self.clock)

    def as_of_day(self, as_of: dt.date | None) -> dt.date:
        """The day a read is about: `as_of` if given, else today."""
        return as_of or self.today()


def _wiring(request: Request) -> Supervision:
    wiring: Supervision = request.app.state.supervision
    return wiring


Wiring = Annotated[Supervision, Depends(_wiring)]
