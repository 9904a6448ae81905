"""Handlers for other services' events: `supervision.AccountabilityDecided` → points deducted
(问责扣分), run as a command through the pipeline (`DeductForAccountability`), caused by the
decision's event. Exactly once per case: see `application/accountability.py`.
`supervision.AppraisalFactsRecorded` → party's table of the year's appraisal facts, written in
the consumer's transaction (see `adapters/appraisal_facts.py`)."""

from __future__ import annotations

import datetime as dt

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from party.adapters.appraisal_facts import FACTS_RECORDED, AppraisalFactsTable
from party.application.accountability import deduct_for_accountability
from party.application.commands import DeductForAccountability
from party.application.dependencies import Deps
from shared.consumer import Handler
from shared.envelope import Envelope
from shared.eventstore import CommandContext
from shared.pipeline import WHOLE_TOWN, Pipeline

log = structlog.get_logger(__name__)

ACCOUNTABILITY_DECIDED = "supervision.AccountabilityDecided"


def deduction(env: Envelope) -> DeductForAccountability:
    """The command a decision asks for (the business day stays the decision's own time)."""
    payload = env.payload
    member_id = payload.get("subject_member_id")
    return DeductForAccountability(
        case_id=str(payload["case_id"]),
        member_id=str(member_id) if member_id else None,
        subject_name=str(payload.get("subject_name") or ""),
        kind=str(payload.get("kind") or ""),
        decided_on=dt.date.fromisoformat(str(payload["decided_on"])),
    )


def supervision_handler(pipeline: Pipeline[Deps], facts: AppraisalFactsTable) -> Handler:
    """The handler subscribed to `supervision.events`; other event types are ignored there."""

    async def handle(conn: AsyncConnection, env: Envelope) -> None:
        if env.event_type == FACTS_RECORDED:
            await facts.apply(conn, env)
            return
        if env.event_type != ACCOUNTABILITY_DECIDED:
            return
        cmd = deduction(env)
        written = await pipeline.run(
            deduct_for_accountability, cmd, CommandContext.caused_by(env), WHOLE_TOWN
        )
        log.info(
            "party.accountability_handled",
            case_id=cmd.case_id,
            member_id=cmd.member_id,
            appended=len(written.events),
        )

    return handle
