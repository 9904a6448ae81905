"""The objects routes reach through the app (set by `bootstrap`), and the helpers every route
uses to turn a request into a command context and a result into a response."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from funds.adapters.relief_view import ReliefHouseholdView
from funds.application.base import Recorded
from funds.application.oversight import OversightHandlers
from funds.application.ports import Clock
from funds.application.programmes import ProgrammeHandlers
from funds.application.villages import VillageHandlers
from shared.auth import Principal
from shared.clock import noon
from shared.eventstore import CommandContext
from shared.readers import AggregateReader
from shared.town import Town
from shared.web import command_context


@dataclass(frozen=True, slots=True)
class Services:
    """Everything the routes call."""

    programmes: ProgrammeHandlers
    oversight: OversightHandlers
    villages: VillageHandlers
    streams: AggregateReader
    relief: ReliefHouseholdView
    town: Town
    clock: Clock


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


Svc = Annotated[Services, Depends(_services)]


def context(request: Request, principal: Principal, occurred_on: dt.date | None) -> CommandContext:
    """The command's metadata: the caller, the town, the request's correlation id, and the
    business time when the body gave one."""
    services = _services(request)
    ctx = command_context(request, principal, services.town.code)
    return ctx.at(noon(occurred_on)) if occurred_on else ctx


def written(result: Recorded) -> dict[str, Any]:
    """The response of a command: the id, the stream's version, and any red flags raised."""
    return {
        "id": result.id,
        "stream_id": result.stream_id,
        "version": result.version,
        "red_flags": [
            {"flag_id": f.flag_id, "code": f.code, "label": f.label, "severity": f.severity}
            for f in result.flags
        ],
    }
