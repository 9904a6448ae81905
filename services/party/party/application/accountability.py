"""The reaction to `supervision.AccountabilityDecided` (问责扣分): deduct points from the named
member under the rule book's rule for the kind of accountability, exactly once per case.

Runs inside the consumer's transaction (the Kafka offsets are stored with it). The case's own
stream `accountability-<case_id>` is appended with `NO_STREAM`: a redelivered or replayed
decision finds it and does nothing. A member stream changed meanwhile by an HTTP command is
reloaded and the decision taken again (inside a savepoint, so nothing half-done remains)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from party.application.dependencies import Deps
from party.domain.accountability import (
    NO_MEMBER_NAMED,
    REFUSED,
    UNKNOWN_MEMBER,
    AccountabilityCase,
    accountability_stream,
    deduction_record_id,
)
from party.domain.members import Member
from shared.envelope import Envelope
from shared.eventstore import NO_STREAM, CommandContext
from shared.kernel import ConcurrencyConflict, DomainError

log = structlog.get_logger(__name__)

ACCOUNTABILITY_DECIDED = "supervision.AccountabilityDecided"
ATTEMPTS = 5


async def react_to_accountability(deps: Deps, conn: AsyncConnection, env: Envelope) -> None:
    """Handle one `supervision.AccountabilityDecided` (other event types are ignored)."""
    if env.event_type != ACCOUNTABILITY_DECIDED:
        return
    payload = env.payload
    case_id = str(payload["case_id"])
    decided_on = dt.date.fromisoformat(str(payload["decided_on"]))
    ctx = CommandContext.caused_by(env)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with conn.begin_nested():
                await _deduct_once(deps, conn, ctx, payload, case_id, decided_on)
            return
        except ConcurrencyConflict:
            if attempt == ATTEMPTS:
                raise
            log.info("party.accountability_retry", case_id=case_id, attempt=attempt)


async def _deduct_once(
    deps: Deps,
    conn: AsyncConnection,
    ctx: CommandContext,
    payload: dict[str, Any],
    case_id: str,
    decided_on: dt.date,
) -> None:
    store = deps.store
    case = await deps.reader.load(AccountabilityCase, accountability_stream(case_id), conn=conn)
    if case.exists:
        return  # handled before: a redelivery, a replay, or a second decision event
    kind = str(payload.get("kind") or "")
    name = str(payload.get("subject_name") or "")
    member_id = str(payload["subject_member_id"]) if payload.get("subject_member_id") else None
    member = await deps.reader.load(Member, member_id, conn=conn) if member_id else None

    def unmatched(reason: str, detail: str) -> None:
        case.unmatched(
            case_id=case_id,
            subject_member_id=member_id,
            subject_name=name,
            kind=kind,
            reason=reason,
            detail=detail,
            decided_on=decided_on,
        )

    if member is None:
        unmatched(NO_MEMBER_NAMED, "未指明党员")
    elif not member.exists:
        unmatched(UNKNOWN_MEMBER, f"党员 {member_id} 不存在")
    else:
        try:
            book = deps.books.for_year(decided_on.year)
            rule = book.for_accountability(kind)
            member.record_points(
                record_id=deduction_record_id(case_id),
                rule=rule,
                quantity=1,
                evidence=f"问责 ({kind})，案件 {case_id}",
                on=decided_on,
                book=book,
                case_id=case_id,
            )
            case.matched(
                case_id=case_id,
                member_id=member.member_id,
                kind=kind,
                rule=rule,
                decided_on=decided_on,
            )
        except DomainError as exc:
            member.take_pending()
            unmatched(REFUSED, str(exc))
    await store.append(case.stream_id, NO_STREAM, case.take_pending(), ctx, conn=conn)
    if member is not None and member.exists:
        pending = member.take_pending()
        if pending:
            await store.append(member.stream_id, member.version, pending, ctx, conn=conn)
    log.info("party.accountability_handled", case_id=case_id, member_id=member_id)
