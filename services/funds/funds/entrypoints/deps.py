"""What the read routes reach through the app (set by `bootstrap`): the aggregates, funds' view
of relief's register, the town and today's date by the service's clock. Write routes reach
the pipeline (`app.state.pipeline`, through `shared.command_routes`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from funds.adapters.relief_view import ReliefHouseholdView
from shared.clock import Clock, china_today
from shared.readers import AggregateReader
from shared.town import Town


@dataclass(frozen=True, slots=True)
class Reads:
    """Everything the read routes call."""

    streams: AggregateReader
    relief: ReliefHouseholdView
    town: Town
    clock: Clock

    def today(self) -> dt.date:
        """Today in China, by the service's clock (the default `as_of` of derived reads)."""
        return china_today(self.clock)


def _reads(request: Request) -> Reads:
    reads: Reads = request.app.state.reads
    return reads


Svc = Annotated[Reads, Depends(_reads)]
