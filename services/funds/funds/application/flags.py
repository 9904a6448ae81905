"""Raising red flags (预警) in the transaction that records their cause."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from funds.domain.identity import red_flag_stream
from funds.domain.red_flag import RedFlag
from funds.domain.rules import Finding
from shared.envelope import SYSTEM_ACTOR
from shared.eventstore import CommandContext
from shared.pipeline import Work


async def raise_flags(uow: Work[Any], findings: Sequence[Finding], cause: uuid.UUID | None) -> int:
    """Raise a red flag per new finding, dated to the command's business day; a flag already
    raised for the same code and subject is left alone. A flag caused by an event (`cause`,
    e.g. a payment) is raised by the system, the rule, with the person behind that event one
    step up the chain; a flag raised by a check no event caused (the deadline check) is raised
    by the person who ran it. How many were raised."""
    rules = CommandContext(
        actor=SYSTEM_ACTOR if cause is not None else uow.ctx.actor,
        town=uow.ctx.town,
        correlation_id=uow.ctx.correlation_id,
        causation_id=cause,
        occurred_at=uow.ctx.occurred_at,
    )
    raised = 0
    for finding in findings:
        flag = await uow.load(RedFlag, red_flag_stream(finding.flag_id))
        if flag.exists:
            continue
        flag.raise_flag(finding, uow.day)
        await uow.flush(flag, rules)
        raised += 1
    return raised
