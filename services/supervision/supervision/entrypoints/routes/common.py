"""What every route shares: the service's wiring, who may do what, the business day of a
command and its unit of work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from shared.auth import Principal, Role
from shared.clock import Clock, business_day, china_today, noon
from shared.eventstore import EventStore
from shared.readers import AggregateReader
from shared.town import Town
from shared.unit_of_work import UnitOfWork
from shared.web import command_context
from supervision.application.handlers import Outcome
from supervision.domain.plan import Plan
from supervision.domain.vocabulary import STATUS_LABELS
from supervision.entrypoints.schemas import Body

R = Role
#: The town's leaders who record supervision work (the leading group and the measures' leads).
LEADERS = (
    R.TOWN_SECRETARY,
    R.DEPUTY_SECRETARY,
    R.ORGANISATION_MEMBER,
    R.DISCIPLINE_SECRETARY,
    R.AGRICULTURE_LEADER,
    R.ECONOMIC_LEADER,
)
#: Strike items off (销号) and reopen them: the leading group's office and supervision, not
#: the units that did the work.
ITEM_CLOSERS = (R.TOWN_SECRETARY, R.DEPUTY_SECRETARY, R.ORGANISATION_MEMBER, R.DISCIPLINE_SECRETARY)
ITEM_READERS = (*LEADERS, R.AUDITOR, R.VILLAGE_CLERK, R.BRANCH_SECRETARY)
PLAN_REGISTRARS = (R.TOWN_SECRETARY, R.ORGANISATION_MEMBER)
PLAN_READERS = tuple(Role)
PETITION_WRITERS = (R.DEPUTY_SECRETARY,)
PETITION_READERS = (R.DEPUTY_SECRETARY, R.TOWN_SECRETARY, R.AUDITOR)
PETITIONER_NAME_READERS = frozenset({R.DEPUTY_SECRETARY, R.TOWN_SECRETARY})
DIRECTIVE_REGISTRARS = (R.DISCIPLINE_SECRETARY, R.TOWN_SECRETARY)
DIRECTIVE_READERS = (*LEADERS, R.AUDITOR)
CLUE_WRITERS = (R.DISCIPLINE_SECRETARY,)
CLUE_READERS = (R.DISCIPLINE_SECRETARY, R.TOWN_SECRETARY, R.AUDITOR)
CLUE_SUBJECT_READERS = frozenset({R.DISCIPLINE_SECRETARY, R.TOWN_SECRETARY})


@dataclass(frozen=True, slots=True)
class Supervision:
    """What the routes need, wired once by `bootstrap`."""

    store: EventStore
    ledger: AggregateReader
    plan: Plan
    town: Town
    town_code: str
    clock: Clock

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        """Today in Asia/Shanghai, by the injected clock."""
        return china_today(self.clock)

    def village(self, name: str | None) -> str | None:
        """The village's name if the town has it; `Refused` for an unknown one."""
        if name is None or not name.strip():
            return None
        return self.town.known_village(name).name


def _wiring(request: Request) -> Supervision:
    wiring: Supervision = request.app.state.supervision
    return wiring


Wiring = Annotated[Supervision, Depends(_wiring)]


@dataclass(slots=True)
class Work:
    """One command over HTTP: its unit of work and its business day."""

    uow: UnitOfWork
    on: dt.date


def work(request: Request, principal: Principal, svc: Supervision, body: Body) -> Work:
    """The business day (`occurred_on`, default today; never in the future) and a unit of
    work whose events carry that day and the caller as actor."""
    day = business_day(body.occurred_on, svc.today())
    ctx = command_context(request, principal, svc.town_code)
    ctx = ctx.at(noon(day) if body.occurred_on is not None else svc.now())
    return Work(UnitOfWork(svc.store, ctx), day)


def outcome(result: Outcome) -> dict[str, Any]:
    """The response to a command: the entity's id, version and status."""
    return {
        "id": result.id,
        "version": result.version,
        "status": result.status,
        "status_label": STATUS_LABELS.get(result.status, result.status),
    }


def as_of_day(svc: Supervision, as_of: dt.date | None) -> dt.date:
    """The day a read is about: `as_of` if given, else today."""
    return as_of or svc.today()
