"""The red-flag rules (预警规则): pure functions from what was recorded to findings.

Each finding names its code, its subject (the disbursement, programme, change ... it is about)
and its evidence; the flag's id is derived from code and subject, so a finding made twice
raises one flag. Summaries carry names and ID numbers masked: they travel to other services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from funds.domain import codes
from funds.domain.beneficiary import Beneficiary, Payment
from funds.domain.events import Evidence, ExpenditureRecorded, ProgrammeChangeRecorded
from funds.domain.identity import flag_id_for
from funds.domain.programme import Disbursement, Programme
from funds.domain.values import (
    PURPOSE_LABELS,
    BeneficiaryRule,
    Purpose,
    Quarter,
    ReliefRecord,
    age_on,
)
from shared.kernel import mask_id, mask_name, payment_shortfall


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's finding: what a red flag will say."""

    code: str
    subject_id: str
    village: str | None
    programme_id: str | None
    summary: str
    evidence: tuple[Evidence, ...]

    @property
    def flag_id(self) -> str:
        return flag_id_for(self.code, self.subject_id)


def _who(name: str, id_number: str) -> str:
    return f"{mask_name(name)}（{mask_id(id_number)}）"


def _paid(payment: Payment) -> tuple[Evidence, ...]:
    return (
        Evidence(kind="disbursement", ref=payment.disbursement_id, note=f"{payment.paid_on}"),
        Evidence(kind="event", ref=payment.event_id, note="funds.DisbursementRecorded"),
    )


def assess_disbursement(
    programme: Programme,
    paid: Disbursement,
    event_id: str,
    history: Beneficiary,
    relief: Sequence[ReliefRecord],
) -> list[Finding]:
    """Judge one payment. `history` is the person's record *before* this payment; `relief` the
    households of relief's register the person belongs to (as head or member)."""
    who = _who(paid.name, paid.id_number)
    head = f"{programme.name}：{paid.village} {who} {paid.paid_on} 领取 {paid.amount} 元"
    own = (
        Evidence(kind="event", ref=event_id, note="funds.DisbursementRecorded"),
        Evidence(kind="disbursement", ref=paid.disbursement_id, note=f"凭证 {paid.voucher_no}"),
    )
    found: list[Finding] = []

    def add(code: str, detail: str, *extra: Evidence) -> None:
        found.append(
            Finding(
                code,
                paid.disbursement_id,
                paid.village,
                programme.programme_id,
                f"{head}，{detail}",
                own + extra,
            )
        )

    reasons: list[str] = []
    households = tuple(Evidence(kind="household", ref=r.household_id) for r in relief)
    if programme.beneficiary_rule == BeneficiaryRule.REGISTERED_POOR:
        if not relief:
            add(codes.UNREGISTERED, "不在建档立卡贫困户名单中（按户主及家庭成员身份证号核对）")
        elif not any(r.in_poverty_on(paid.paid_on) for r in relief):
            reasons.append("发放日不属建档立卡贫困户（已脱贫或尚未建档）")
    if programme.min_age is not None or programme.max_age is not None:
        age = age_on(paid.id_number, paid.paid_on)
        low, high = programme.min_age, programme.max_age
        if (low is not None and age < low) or (high is not None and age > high):
            span = f"{low if low is not None else ''}–{high if high is not None else ''}"
            reasons.append(f"年龄 {age} 岁，不在项目规定的 {span} 岁范围内")
    if reasons:
        add(codes.INELIGIBLE, "；".join(reasons), *households)

    earlier = [p for p in history.payments_in({programme.programme_id}) if p.event_id != event_id]
    if earlier:
        dates = "、".join(str(p.paid_on) for p in earlier)
        add(codes.DUPLICATE, f"此前已在本项目领取（{dates}）", *_flat(earlier))
    exclusive = history.payments_in(programme.exclusive_with)
    if exclusive:
        add(
            codes.DUPLICATE_EXCLUSIVE,
            "已领取不得重复享受的其他项目资金",
            *_flat(exclusive),
            *(Evidence(kind="programme", ref=p.programme_id) for p in exclusive),
        )

    short = payment_shortfall(paid.amount, paid.entitled_amount, programme.standard_amount)
    if short:
        add(codes.SHORT_PAID, f"应发 {paid.amount + short} 元，少发 {short} 元")
    if paid.paid_on > programme.deadline:
        add(codes.LATE, f"超过发放期限 {programme.deadline}")
    if history.relations:
        kin = "；".join(
            f"系{r.cadre_village}{r.cadre_post}{mask_name(r.cadre_name)}的{r.relation}"
            for r in history.relations
        )
        add(
            codes.CADRE_RELATIVE,
            kin,
            *(Evidence(kind="relation", ref=r.relation_id) for r in history.relations),
        )

    covering = [n for n in programme.notices.values() if n.covers(paid.village)]
    if not any(n.closed_on is not None and n.closed_on <= paid.paid_on for n in covering):
        state = "；".join(
            f"公示 {n.opened_on}–{n.ends_on}" + (f"，{n.closed_on} 结束" if n.closed_on else "")
            for n in covering
        )
        add(
            codes.PAID_BEFORE_NOTICE,
            f"发放时公示尚未结束（{state}）" if covering else "发放前未经公示",
            *(Evidence(kind="notice", ref=n.notice_id) for n in covering),
        )
    return found


def _flat(payments: Sequence[Payment]) -> tuple[Evidence, ...]:
    return tuple(e for p in payments for e in _paid(p))


def assess_expenditure(
    programme: Programme, spent: ExpenditureRecorded, event_id: str
) -> list[Finding]:
    """Spending on another purpose than the programme's is diversion (挪用)."""
    if spent.purpose_code == programme.purpose_code:
        return []
    used = PURPOSE_LABELS.get(Purpose(spent.purpose_code), spent.purpose_code)
    meant = PURPOSE_LABELS.get(Purpose(programme.purpose_code), programme.purpose_code)
    return [
        Finding(
            codes.DIVERTED,
            spent.expenditure_id,
            spent.village or programme.village,
            programme.programme_id,
            f"{programme.name}：{spent.spent_on} 支出 {spent.amount} 元用于“{used}”"
            f"（{spent.description}，收款方 {spent.payee}），项目用途为“{meant}”",
            (
                Evidence(kind="event", ref=event_id, note="funds.ExpenditureRecorded"),
                Evidence(kind="expenditure", ref=spent.expenditure_id),
            ),
        )
    ]


def assess_change(
    programme: Programme, change: ProgrammeChangeRecorded, event_id: str
) -> list[Finding]:
    """A change without an approval dated by the change is unapproved (擅自变更)."""
    if change.approved:
        return []
    why = (
        f"批准文件 {change.approval_document} 日期 {change.approved_on} 晚于变更"
        if change.approval_document
        else "无批准文件"
    )
    return [
        Finding(
            codes.UNAPPROVED_CHANGE,
            change.change_id,
            programme.village,
            programme.programme_id,
            f"{programme.name}：{change.changed_on} 变更{change.description}，{why}",
            (
                Evidence(kind="event", ref=event_id, note="funds.ProgrammeChangeRecorded"),
                Evidence(kind="change", ref=change.change_id),
            ),
        )
    ]


def assess_start(programme: Programme, today: dt.date) -> list[Finding]:
    """Not started by the planned start (未按期启动): checked with the clock's `today`."""
    if today <= programme.planned_start:
        return []
    began = programme.start_date
    if began is not None and began <= programme.planned_start:
        return []
    what = f"实际 {began} 启动" if began is not None else f"截至 {today} 仍未启动"
    return [
        Finding(
            codes.NOT_STARTED,
            programme.programme_id,
            programme.village,
            programme.programme_id,
            f"{programme.name}：计划 {programme.planned_start} 启动，{what}",
            (Evidence(kind="programme", ref=programme.programme_id, note=programme.code),),
        )
    ]


def assess_deadlines(programme: Programme, today: dt.date) -> list[Finding]:
    """The clock-driven rules: not started in time, money still held after the deadline."""
    found = assess_start(programme, today)
    if today > programme.deadline:
        for village, left in programme.unspent_by_village().items():
            found.append(
                Finding(
                    codes.HELD_BACK,
                    f"{programme.programme_id}:{village}",
                    village,
                    programme.programme_id,
                    f"{programme.name}：发放期限 {programme.deadline} 已过，"
                    f"分配{village}的资金尚有 {left} 元未发放",
                    (Evidence(kind="programme", ref=programme.programme_id, note=village),),
                )
            )
    return found


def assess_relation(
    history: Beneficiary, relation_id: str, summary: str, names: Mapping[str, str]
) -> list[Finding]:
    """A relation recorded after payments: each earlier payment is flagged (优亲厚友)."""
    return [
        Finding(
            codes.CADRE_RELATIVE,
            p.disbursement_id,
            p.village,
            p.programme_id,
            f"{names.get(p.programme_id, p.programme_id)}：{p.village} {p.paid_on} 发放 "
            f"{p.amount} 元，领款人{summary}",
            (*_paid(p), Evidence(kind="relation", ref=relation_id)),
        )
        for p in history.payments
    ]


def assess_disclosure(
    *,
    village: str,
    village_code: str,
    period: Quarter,
    disclosed: tuple[Decimal, Decimal],
    books: tuple[Decimal, Decimal],
    books_stream: str,
    event_id: str,
) -> list[Finding]:
    """A quarterly disclosure (阳光村务) against the agency's books (村账乡代理): totals that
    differ are a finding, one per village and quarter (its subject)."""
    if disclosed == books:
        return []
    (income, expense), (booked_in, booked_out) = disclosed, books
    return [
        Finding(
            codes.DISCLOSURE_MISMATCH,
            f"disclosure:{village_code}:{period}",
            village,
            None,
            f"{village}{period}财务公开数与代理记账账簿不符："
            f"公开收入 {income} 元、支出 {expense} 元，"
            f"账簿收入 {booked_in} 元、支出 {booked_out} 元",
            (
                Evidence(kind="event", ref=event_id, note="funds.FinanceDisclosed"),
                Evidence(kind="books", ref=books_stream, note=f"{period} 账簿合计"),
            ),
        )
    ]
