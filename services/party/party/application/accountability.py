"""Accountability decided in supervision deducts points here (问责扣分): the handler of
`DeductForAccountability`, which the reaction to `supervision.AccountabilityDecided` runs
through the pipeline, and the late deduction made when a member it named is registered.

Exactly once per case: the case's own stream `accountability-<case_id>` is created by the
first delivery (a new stream: a concurrent second delivery loses the race, is retried by the
pipeline on fresh state and finds it); a redelivered, replayed or republished decision finds
the stream and changes nothing. A member stream changed meanwhile by an HTTP command is a lost
race too: the pipeline retries the whole decision on fresh state, nothing half-done remains."""

from __future__ import annotations

from party.application import commands as c
from party.application.dependencies import Deps
from party.domain.accountability import (
    NO_MEMBER_NAMED,
    REFUSED,
    UNKNOWN_MEMBER,
    AccountabilityCase,
    accountability_stream,
    deduction_record_id,
)
from party.domain.events import AccountabilityUnmatched
from party.domain.members import Member
from party.domain.rules import RuleBooks
from shared.kernel import DomainError
from shared.pipeline import Done, Work


async def deduct_for_accountability(cmd: c.DeductForAccountability, uow: Work[Deps]) -> Done:
    case = await uow.load(AccountabilityCase, accountability_stream(cmd.case_id))
    if case.exists:
        return cmd.case_id, case  # handled before: a redelivery, a replay, a second event
    member = await uow.load(Member, cmd.member_id) if cmd.member_id else None

    def unmatched(reason: str, detail: str) -> None:
        case.unmatched(
            case_id=cmd.case_id,
            subject_member_id=cmd.member_id,
            subject_name=cmd.subject_name,
            kind=cmd.kind,
            reason=reason,
            detail=detail,
            decided_on=cmd.decided_on,
        )

    if member is None:
        unmatched(NO_MEMBER_NAMED, "未指明党员")
    elif not member.exists:
        unmatched(UNKNOWN_MEMBER, f"党员 {cmd.member_id} 不存在")
    else:
        try:
            book = uow.deps.books.for_year(cmd.decided_on.year)
            rule = book.for_accountability(cmd.kind)
            member.record_points(
                record_id=deduction_record_id(cmd.case_id),
                rule=rule,
                quantity=1,
                evidence=f"问责 ({cmd.kind})，案件 {cmd.case_id}",
                on=cmd.decided_on,
                book=book,
                case_id=cmd.case_id,
            )
            case.matched(
                case_id=cmd.case_id,
                member_id=member.member_id,
                kind=cmd.kind,
                rule=rule,
                decided_on=cmd.decided_on,
            )
        except DomainError as exc:
            member.take_pending()
            unmatched(REFUSED, str(exc))
    return cmd.case_id, case


def apply_late_deduction(books: RuleBooks, case: AccountabilityCase, member: Member) -> None:
    """A decision that named this member before it was registered: deduct now, if the
    member's record allows it (else it stays unmatched, as it was)."""
    outcome = case.outcome
    if not isinstance(outcome, AccountabilityUnmatched) or case.awaiting_member != member.member_id:
        return
    try:
        book = books.for_year(outcome.decided_on.year)
        rule = book.for_accountability(outcome.kind)
        member.record_points(
            record_id=deduction_record_id(outcome.case_id),
            rule=rule,
            quantity=1,
            evidence=f"问责 ({outcome.kind})，案件 {outcome.case_id}（党员登记后扣分）",
            on=outcome.decided_on,
            book=book,
            case_id=outcome.case_id,
        )
    except DomainError:
        return
    case.matched(
        case_id=outcome.case_id,
        member_id=member.member_id,
        kind=outcome.kind,
        rule=rule,
        decided_on=outcome.decided_on,
    )
