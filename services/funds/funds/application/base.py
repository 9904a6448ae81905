"""What every handler shares: its dependencies, the result it returns, and the steps that make
one command one transaction — flushing an aggregate to learn its event ids, raising red flags
as the system in the same transaction, retrying on a concurrent writer."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from funds.application.ports import Clock, ReliefLookup, Streams
from funds.domain.events import RedFlagRaised
from funds.domain.identity import name_id, red_flag_stream
from funds.domain.red_flag import RedFlag
from funds.domain.rules import Finding
from shared.envelope import SYSTEM_ACTOR, Envelope
from shared.eventstore import CommandContext, EventStore
from shared.ids import uuid7
from shared.kernel import Aggregate, ConcurrencyConflict
from shared.town import Town
from shared.unit_of_work import UnitOfWork

T = TypeVar("T")

#: How often a command without `expected_version` is retried after a concurrent change.
RETRIES = 3


@dataclass(frozen=True, slots=True)
class Deps:
    """The handlers' dependencies, wired by `bootstrap`."""

    store: EventStore
    relief: ReliefLookup
    streams: Streams
    clock: Clock
    town: Town


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a command wrote: the entity's id, its stream's version, and the red flags raised."""

    id: str
    stream_id: str
    version: int
    flags: Sequence[RedFlagRaised] = field(default_factory=tuple)


def child_id(parent: str, kind: str, reference: str | None) -> str:
    """An entity's id: from its reference when given (idempotent), else a new UUIDv7."""
    return name_id(kind, parent, reference.strip()) if reference else str(uuid7())


async def attempt(run: Callable[[], Awaitable[T]], *, retry: bool) -> T:
    """Run a command; without an expected version, retry it after a concurrent change."""
    for left in range(RETRIES, 0, -1):
        try:
            return await run()
        except ConcurrencyConflict:
            if not retry or left == 1:
                raise
    raise AssertionError("unreachable")


async def flush(
    uow: UnitOfWork, aggregate: Aggregate, ctx: CommandContext | None = None
) -> list[Envelope]:
    """Append an aggregate's new events now, in the unit of work's transaction, so that later
    decisions of the same command can cite their event ids."""
    pending = aggregate.take_pending()
    written = await uow.store.append(
        aggregate.stream_id, aggregate.version, pending, ctx or uow.ctx, conn=uow.conn
    )
    aggregate.version += len(pending)
    return written


async def raise_flags(
    uow: UnitOfWork, findings: Sequence[Finding], on: dt.date, cause: uuid.UUID | None
) -> list[RedFlagRaised]:
    """Raise a red flag per new finding; a flag already raised for the same code and subject is
    left alone. A flag caused by an event (`cause`, e.g. a payment) is raised by the system, the
    rule, with the person behind that event one step up the chain; a flag raised by a check no
    event caused (the deadline check) is raised by the person who ran it."""
    rules = CommandContext(
        actor=SYSTEM_ACTOR if cause is not None else uow.ctx.actor,
        town=uow.ctx.town,
        correlation_id=uow.ctx.correlation_id,
        causation_id=cause,
        occurred_at=uow.ctx.occurred_at,
    )
    raised: list[RedFlagRaised] = []
    for finding in findings:
        flag = await uow.load(RedFlag, red_flag_stream(finding.flag_id))
        if flag.exists:
            continue
        flag.raise_flag(finding, on)
        await flush(uow, flag, rules)
        raised.append(flag.facts)
    return raised
