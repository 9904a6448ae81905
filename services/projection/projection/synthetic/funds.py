"""Envelopes shaped like funds' events (measures 4, 6, 13, 14), payloads as in
`contracts/events/funds`.

Streams as the funds service names them: `programme-<id>`, `beneficiary-<key>`, `redflag-<id>`,
`assets-<village code>`, `collective-<village code>`, `disclosure-<village code>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from projection.synthetic.factory import CLERK, DISCIPLINE, ECONOMIC, SYSTEM, EnvelopeFactory
from shared.envelope import Actor, Envelope


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _prog(
    f: EnvelopeFactory, programme_id: str, event: str, payload: dict[str, object], on: dt.date
) -> Envelope:
    return f.event(
        f"programme-{programme_id}",
        f"funds.{event}",
        {"programme_id": programme_id, **payload},
        on=on,
        actor=ECONOMIC,
    )


def programme_created(
    f: EnvelopeFactory,
    programme_id: str,
    code: str,
    name: str,
    amount: str,
    on: dt.date,
    *,
    deadline: dt.date,
    planned_start: dt.date,
    purpose: str = "产业发展",
    purpose_code: str = "industry",
    source_level: str = "county",
    beneficiary_rule: str = "registered_poor",
    standard_amount: str | None = None,
    village: str | None = None,
    exclusive_with: Sequence[str] = (),
) -> Envelope:
    """惠农涉农资金: a programme with its source, purpose, rule and deadline."""
    return _prog(
        f,
        programme_id,
        "ProgrammeCreated",
        {
            "code": code,
            "name": name,
            "source_level": source_level,
            "amount": amount,
            "purpose": purpose,
            "purpose_code": purpose_code,
            "beneficiary_rule": beneficiary_rule,
            "standard_amount": standard_amount,
            "min_age": None,
            "max_age": None,
            "planned_start": planned_start.isoformat(),
            "disbursement_deadline": deadline.isoformat(),
            "village": village,
            "exclusive_with": list(exclusive_with),
            "created_on": on.isoformat(),
        },
        on,
    )


def programme_started(f: EnvelopeFactory, programme_id: str, on: dt.date) -> Envelope:
    return _prog(f, programme_id, "ProgrammeStarted", {"started_on": on.isoformat()}, on)


def funds_allocated(
    f: EnvelopeFactory,
    programme_id: str,
    village: str,
    amount: str,
    on: dt.date,
    *,
    allocation_id: str | None = None,
) -> Envelope:
    return _prog(
        f,
        programme_id,
        "FundsAllocated",
        {
            "allocation_id": allocation_id or f.new_id(),
            "village": village,
            "amount": amount,
            "allocated_on": on.isoformat(),
        },
        on,
    )


def notice_opened(
    f: EnvelopeFactory,
    programme_id: str,
    notice_id: str,
    village: str | None,
    title: str,
    on: dt.date,
    ends_on: dt.date,
) -> Envelope:
    """公示 of the beneficiaries opened for a window."""
    return _prog(
        f,
        programme_id,
        "PublicNoticeOpened",
        {
            "notice_id": notice_id,
            "village": village,
            "title": title,
            "opened_on": on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
        on,
    )


def notice_objection(
    f: EnvelopeFactory, programme_id: str, notice_id: str, summary: str, on: dt.date
) -> Envelope:
    return _prog(
        f,
        programme_id,
        "PublicNoticeObjectionRecorded",
        {
            "notice_id": notice_id,
            "objection_id": f.new_id(),
            "summary": summary,
            "received_on": on.isoformat(),
        },
        on,
    )


def notice_closed(
    f: EnvelopeFactory,
    programme_id: str,
    notice_id: str,
    on: dt.date,
    *,
    objections: int = 0,
    outcome: str = "无异议",
) -> Envelope:
    return _prog(
        f,
        programme_id,
        "PublicNoticeClosed",
        {
            "notice_id": notice_id,
            "closed_on": on.isoformat(),
            "objections": objections,
            "outcome": outcome,
        },
        on,
    )


def disbursement(
    f: EnvelopeFactory,
    programme_id: str,
    village: str,
    name: str,
    id_number: str,
    amount: str,
    on: dt.date,
    *,
    voucher_no: str,
    entitled: str | None = None,
    household_id: str | None = None,
    kind: str = "household",
    disbursement_id: str | None = None,
) -> Envelope:
    """A payment to a beneficiary (资金发放)."""
    return _prog(
        f,
        programme_id,
        "DisbursementRecorded",
        {
            "disbursement_id": disbursement_id or f.new_id(),
            "voucher_no": voucher_no,
            "village": village,
            "beneficiary_kind": kind,
            "beneficiary_name": name,
            "beneficiary_id_number": id_number,
            "household_id": household_id,
            "amount": amount,
            "entitled_amount": entitled,
            "paid_on": on.isoformat(),
        },
        on,
    )


def beneficiary_paid(f: EnvelopeFactory, person_key: str, paid: Envelope) -> Envelope:
    """The beneficiary's side of a disbursement (`beneficiary-<key>`), caused by it."""
    p = paid.payload
    day = dt.date.fromisoformat(str(p["paid_on"]))
    return f.event(
        f"beneficiary-{person_key}",
        "funds.BeneficiaryPaid",
        {
            "programme_id": p["programme_id"],
            "disbursement_id": p["disbursement_id"],
            "disbursement_event_id": str(paid.event_id),
            "village": p["village"],
            "amount": p["amount"],
            "paid_on": p["paid_on"],
        },
        on=day,
        actor=SYSTEM,
        causation_id=paid.event_id,
    )


def expenditure(
    f: EnvelopeFactory,
    programme_id: str,
    village: str | None,
    amount: str,
    payee: str,
    on: dt.date,
    *,
    purpose_code: str = "industry",
    description: str = "项目支出",
) -> Envelope:
    return _prog(
        f,
        programme_id,
        "ExpenditureRecorded",
        {
            "expenditure_id": f.new_id(),
            "village": village,
            "amount": amount,
            "payee": payee,
            "purpose_code": purpose_code,
            "description": description,
            "spent_on": on.isoformat(),
        },
        on,
    )


def programme_changed(
    f: EnvelopeFactory,
    programme_id: str,
    on: dt.date,
    *,
    approved: bool,
    aspect: str = "purpose",
    description: str = "调整资金用途",
    new_purpose_code: str | None = None,
) -> Envelope:
    return _prog(
        f,
        programme_id,
        "ProgrammeChangeRecorded",
        {
            "change_id": f.new_id(),
            "aspect": aspect,
            "description": description,
            "new_purpose_code": new_purpose_code,
            "approved": approved,
            "approved_by": "镇党委会" if approved else None,
            "approval_document": "易政发〔2016〕12号" if approved else None,
            "approved_on": on.isoformat() if approved else None,
            "changed_on": on.isoformat(),
        },
        on,
    )


def _flag(
    f: EnvelopeFactory,
    flag_id: str,
    event: str,
    payload: dict[str, object],
    on: dt.date,
    actor: Actor = DISCIPLINE,
) -> Envelope:
    return f.event(
        f"redflag-{flag_id}", f"funds.{event}", {"flag_id": flag_id, **payload}, on=on, actor=actor
    )


def red_flag_raised(
    f: EnvelopeFactory,
    flag_id: str,
    code: str,
    label: str,
    village: str | None,
    programme_id: str | None,
    subject_id: str,
    summary: str,
    on: dt.date,
    *,
    severity: str = "high",
    evidence: Sequence[tuple[str, str]] = (),
) -> Envelope:
    """A rule's red flag (问题预警), evidence as (kind, ref)."""
    return _flag(
        f,
        flag_id,
        "RedFlagRaised",
        {
            "code": code,
            "label": label,
            "severity": severity,
            "village": village,
            "programme_id": programme_id,
            "subject_id": subject_id,
            "summary": summary,
            "evidence": [{"kind": k, "ref": r, "note": ""} for k, r in evidence],
            "raised_on": on.isoformat(),
        },
        on,
        SYSTEM,
    )


def red_flag_acknowledged(f: EnvelopeFactory, flag_id: str, on: dt.date) -> Envelope:
    return _flag(
        f,
        flag_id,
        "RedFlagAcknowledged",
        {"note": "已签收", "acknowledged_on": on.isoformat()},
        on,
        ECONOMIC,
    )


def red_flag_explained(f: EnvelopeFactory, flag_id: str, explanation: str, on: dt.date) -> Envelope:
    return _flag(
        f,
        flag_id,
        "RedFlagExplained",
        {"explanation": explanation, "explained_on": on.isoformat()},
        on,
        ECONOMIC,
    )


def red_flag_confirmed(
    f: EnvelopeFactory,
    flag_id: str,
    code: str,
    village: str | None,
    programme_id: str | None,
    summary: str,
    on: dt.date,
    *,
    severity: str = "high",
    note: str = "经核实属实",
) -> Envelope:
    return _flag(
        f,
        flag_id,
        "RedFlagConfirmed",
        {
            "code": code,
            "village": village,
            "programme_id": programme_id,
            "summary": summary,
            "severity": severity,
            "note": note,
            "confirmed_on": on.isoformat(),
        },
        on,
    )


def red_flag_outcome(
    f: EnvelopeFactory, flag_id: str, clue_id: str, outcome: str, on: dt.date
) -> Envelope:
    """Supervision's outcome of the clue the flag opened, flowed back."""
    return _flag(
        f,
        flag_id,
        "RedFlagOutcomeRecorded",
        {"clue_id": clue_id, "outcome": outcome, "concluded_on": on.isoformat()},
        on,
        SYSTEM,
    )


def asset_registered(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    asset_id: str,
    asset_code: str,
    name: str,
    value: str,
    on: dt.date,
    *,
    category: str = "asset",
    description: str = "",
    government_funded: bool = False,
) -> Envelope:
    """An asset, resource or fund on the village's 三资 ledger."""
    return f.event(
        f"assets-{village_code}",
        "funds.CollectiveAssetRegistered",
        {
            "village": village,
            "asset_id": asset_id,
            "asset_code": asset_code,
            "category": category,
            "name": name,
            "description": description,
            "value": value,
            "government_funded": government_funded,
            "registered_on": on.isoformat(),
        },
        on=on,
        actor=CLERK,
    )


def asset_disposed(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    asset_id: str,
    asset_code: str,
    proceeds: str,
    on: dt.date,
    *,
    method: str = "sale",
    counterparty: str = "",
    vote_on: dt.date,
    filed_on: dt.date,
    votes: tuple[int, int, int, int] = (35, 30, 26, 4),
    reference: str = "易财备〔2016〕3号",
) -> Envelope:
    """A disposal after the representatives' vote (representatives, present, for, against)
    and the filing with the finance office."""
    representatives, present, votes_for, votes_against = votes
    return f.event(
        f"assets-{village_code}",
        "funds.CollectiveAssetDisposed",
        {
            "village": village,
            "asset_id": asset_id,
            "asset_code": asset_code,
            "method": method,
            "counterparty": counterparty,
            "proceeds": proceeds,
            "vote": {
                "held_on": vote_on.isoformat(),
                "representatives": representatives,
                "present": present,
                "votes_for": votes_for,
                "votes_against": votes_against,
            },
            "filing": {"filed_on": filed_on.isoformat(), "reference": reference},
            "disposed_on": on.isoformat(),
        },
        on=on,
        actor=CLERK,
    )


def proceeds_booked(
    f: EnvelopeFactory, village: str, village_code: str, asset_id: str, amount: str, on: dt.date
) -> Envelope:
    return f.event(
        f"assets-{village_code}",
        "funds.DisposalProceedsBooked",
        {
            "village": village,
            "asset_id": asset_id,
            "amount": amount,
            "booked_on": on.isoformat(),
        },
        on=on,
        actor=CLERK,
    )


def _collective(
    f: EnvelopeFactory, village_code: str, event: str, payload: dict[str, object], on: dt.date
) -> Envelope:
    return f.event(f"collective-{village_code}", f"funds.{event}", payload, on=on, actor=ECONOMIC)


def income_recorded(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    year: int,
    amount: str,
    on: dt.date,
    *,
    source: str = "资产租赁",
    note: str = "",
) -> Envelope:
    """Village collective income of a year (集体经济收入)."""
    return _collective(
        f,
        village_code,
        "CollectiveIncomeRecorded",
        {
            "village": village,
            "income_id": f.new_id(),
            "year": year,
            "amount": amount,
            "source": source,
            "note": note,
            "recorded_on": on.isoformat(),
        },
        on,
    )


def zero_listed(
    f: EnvelopeFactory, village: str, village_code: str, year: int, on: dt.date
) -> Envelope:
    """A village with no collective income listed for 清零."""
    return _collective(
        f,
        village_code,
        "ZeroIncomeVillageListed",
        {"village": village, "year": year, "listed_on": on.isoformat()},
        on,
    )


def zero_leader_assigned(
    f: EnvelopeFactory, village: str, village_code: str, leader: str, post: str, on: dt.date
) -> Envelope:
    return _collective(
        f,
        village_code,
        "ZeroIncomeLeaderAssigned",
        {
            "village": village,
            "leader_name": leader,
            "leader_post": post,
            "assigned_on": on.isoformat(),
        },
        on,
    )


def village_plan(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    title: str,
    on: dt.date,
    *,
    target_income: str | None = None,
    measures: Sequence[str] = (),
) -> Envelope:
    """一村一策."""
    return _collective(
        f,
        village_code,
        "VillagePlanRecorded",
        {
            "village": village,
            "plan_id": f.new_id(),
            "title": title,
            "target_income": target_income,
            "measures": list(measures),
            "recorded_on": on.isoformat(),
        },
        on,
    )


def zero_cleared(
    f: EnvelopeFactory, village: str, village_code: str, year: int, income: str, on: dt.date
) -> Envelope:
    return _collective(
        f,
        village_code,
        "ZeroIncomeVillageCleared",
        {"village": village, "year": year, "income": income, "cleared_on": on.isoformat()},
        on,
    )


def finance_disclosed(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    period: str,
    income: str,
    spent: str,
    on: dt.date,
    *,
    channel: str = "村务公开栏",
) -> Envelope:
    """阳光村务: a period's village finances disclosed."""
    return f.event(
        f"disclosure-{village_code}",
        "funds.FinanceDisclosed",
        {
            "village": village,
            "period": period,
            "income_total": income,
            "expenditure_total": spent,
            "channel": channel,
            "disclosed_on": on.isoformat(),
        },
        on=on,
        actor=CLERK,
    )


# -- village governance (issue 15) ---------------------------------------------------------

#: The body that holds each step's meeting, as funds records it.
MEETING_BODIES = {"consulted": "两委会议", "reviewed": "党员大会", "resolved": "村民代表会议"}


def _decision(
    f: EnvelopeFactory, decision_id: str, event: str, payload: dict[str, object], on: dt.date
) -> Envelope:
    return f.event(
        f"decision-{decision_id}",
        f"funds.{event}",
        {"decision_id": decision_id, **payload},
        on=on,
        actor=ECONOMIC,
    )


def decision_proposed(
    f: EnvelopeFactory,
    decision_id: str,
    village: str,
    village_code: str,
    kind: str,
    subject: str,
    on: dt.date,
    *,
    description: str = "村党组织提议",
) -> Envelope:
    """四议两公开 ①: the village party organisation proposes (kind collective_project or
    asset_disposal; the subject is the project's name or the asset's code)."""
    return _decision(
        f,
        decision_id,
        "DecisionProposed",
        {
            "village": village,
            "village_code": village_code,
            "kind": kind,
            "subject": subject,
            "description": description,
            "proposed_on": on.isoformat(),
        },
        on,
    )


def decision_meeting(
    f: EnvelopeFactory,
    decision_id: str,
    village: str,
    step: str,
    on: dt.date,
    *,
    members: int = 30,
    present: int = 25,
    votes_for: int = 22,
    votes_against: int = 3,
    body: str | None = None,
) -> Envelope:
    """商议 / 审议 / 决议: one meeting (passed when more than half of those present vote for)."""
    return _decision(
        f,
        decision_id,
        "DecisionMeetingHeld",
        {
            "village": village,
            "step": step,
            "body": body or MEETING_BODIES.get(step, "两委会议"),
            "members": members,
            "present": present,
            "votes_for": votes_for,
            "votes_against": votes_against,
            "passed": votes_for * 2 > present,
            "held_on": on.isoformat(),
        },
        on,
    )


def resolution_disclosed(
    f: EnvelopeFactory,
    decision_id: str,
    village: str,
    on: dt.date,
    *,
    result_due_on: dt.date | None = None,
    channel: str = "村务公开栏",
) -> Envelope:
    """决议公开; the result is due 90 days later unless said (funds' rule)."""
    due = result_due_on or on + dt.timedelta(days=90)
    return _decision(
        f,
        decision_id,
        "DecisionResolutionDisclosed",
        {
            "village": village,
            "channel": channel,
            "disclosed_on": on.isoformat(),
            "result_due_on": due.isoformat(),
        },
        on,
    )


def result_disclosed(
    f: EnvelopeFactory, decision_id: str, village: str, result: str, on: dt.date
) -> Envelope:
    """实施结果公开."""
    return _decision(
        f,
        decision_id,
        "DecisionResultDisclosed",
        {"village": village, "result": result, "disclosed_on": on.isoformat()},
        on,
    )


DECISION_STEPS = ("proposed", "consulted", "reviewed", "resolved", "resolution_disclosed")


def collective_project_started(
    f: EnvelopeFactory,
    project_id: str,
    village: str,
    village_code: str,
    name: str,
    decision_id: str,
    investment: str,
    on: dt.date,
    *,
    steps: Sequence[str] = DECISION_STEPS,
) -> Envelope:
    """A collective economy project (集体经济项目) started under its decision."""
    return f.event(
        f"cproject-{project_id}",
        "funds.CollectiveProjectStarted",
        {
            "project_id": project_id,
            "village": village,
            "village_code": village_code,
            "name": name,
            "decision_id": decision_id,
            "investment": investment,
            "started_on": on.isoformat(),
            "power_item": "works",
            "steps": list(steps),
        },
        on=on,
        actor=ECONOMIC,
    )


def asset_disposed_v2(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    asset_id: str,
    asset_code: str,
    proceeds: str,
    on: dt.date,
    *,
    decision_id: str,
    vote_on: dt.date,
    filed_on: dt.date,
    steps: Sequence[str] = (*DECISION_STEPS, "filed"),
    counterparty: str = "湘潭某公司",
    votes: tuple[int, int, int, int] = (35, 30, 26, 4),
) -> Envelope:
    """A disposal (version 2) under an asset_disposal decision, its vote the decision's
    resolving meeting."""
    representatives, present, votes_for, votes_against = votes
    return f.event(
        f"assets-{village_code}",
        "funds.CollectiveAssetDisposed",
        {
            "village": village,
            "asset_id": asset_id,
            "asset_code": asset_code,
            "method": "sale",
            "counterparty": counterparty,
            "proceeds": proceeds,
            "vote": {
                "held_on": vote_on.isoformat(),
                "representatives": representatives,
                "present": present,
                "votes_for": votes_for,
                "votes_against": votes_against,
            },
            "filing": {"filed_on": filed_on.isoformat(), "reference": "易财备〔2017〕1号"},
            "disposed_on": on.isoformat(),
            "decision_id": decision_id,
            "power_item": "asset_disposal",
            "steps": list(steps),
        },
        on=on,
        actor=CLERK,
        schema_version=2,
    )


#: An expense's steps through the finance flow (财务收支), as the request gives them.
EXPENSE_STEPS = ("handled", "reviewed_by_committee", "approved", "booked")


def book_entry(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    month: str,
    kind: str,
    amount: str,
    on: dt.date,
    *,
    subject: str = "",
    steps: Sequence[str] = EXPENSE_STEPS,
    entry_id: str | None = None,
) -> Envelope:
    """村账乡代理: the town agency's entry in a village's books (stream per village and year)."""
    expense = kind == "expense"
    return f.event(
        f"books-{village_code}-{month[:4]}",
        "funds.VillageBookEntryRecorded",
        {
            "entry_id": entry_id or f.new_id(),
            "village": village,
            "village_code": village_code,
            "month": month,
            "kind": kind,
            "amount": amount,
            "subject": subject or ("办公支出" if expense else "租金收入"),
            "power_item": "finance" if expense else None,
            "steps": list(steps) if expense else [],
            "recorded_on": on.isoformat(),
        },
        on=on,
        actor=ECONOMIC,
    )
