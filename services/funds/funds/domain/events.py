"""Every event of the funds service (wire names `funds.<EventName>`, topic `funds.events`).

Money is `Decimal`, dates are business dates. Names and ID numbers of beneficiaries appear
only in the events that record the payment or the relation itself; summaries carry them masked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from shared.codec import Payload, upcaster
from shared.kernel import Event, event_type
from shared.personal.declared import Person, personal

# --- value parts of payloads -------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Evidence:
    """One piece of evidence behind a red flag: an event id, a disbursement id, a programme ..."""

    kind: str
    ref: str
    note: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class AssemblyVote:
    """A villagers' representative assembly vote (村民代表会议表决)."""

    held_on: dt.date
    representatives: int
    present: int
    votes_for: int
    votes_against: int


@dataclass(frozen=True, kw_only=True, slots=True)
class FinanceFiling:
    """A filing with the town finance office (报财政所备案)."""

    filed_on: dt.date
    reference: str


# --- fund programmes (惠农涉农资金) ------------------------------------------------------


@event_type("funds.ProgrammeCreated")
@dataclass(frozen=True, kw_only=True, slots=True)
class ProgrammeCreated(Event):
    """A fund programme (惠农涉农资金项目) was set up with its money, purpose and rules."""

    programme_id: str
    code: str
    name: str
    source_level: str
    amount: Decimal
    purpose: str
    purpose_code: str
    beneficiary_rule: str
    standard_amount: Decimal | None
    min_age: int | None
    max_age: int | None
    planned_start: dt.date
    disbursement_deadline: dt.date
    village: str | None
    exclusive_with: tuple[str, ...]
    created_on: dt.date


@event_type("funds.ProgrammeExclusivityDeclared")
@dataclass(frozen=True, kw_only=True, slots=True)
class ProgrammeExclusivityDeclared(Event):
    """No one may receive money from both this programme and the other (不得重复享受)."""

    programme_id: str
    other_programme_id: str
    declared_on: dt.date


@event_type("funds.FundsAllocated")
@dataclass(frozen=True, kw_only=True, slots=True)
class FundsAllocated(Event):
    """Part of a programme's money was allocated to a village (资金分配到村)."""

    programme_id: str
    allocation_id: str
    village: str
    amount: Decimal
    allocated_on: dt.date


@event_type("funds.ProgrammeStarted")
@dataclass(frozen=True, kw_only=True, slots=True)
class ProgrammeStarted(Event):
    """The programme was started (项目启动)."""

    programme_id: str
    started_on: dt.date


@event_type("funds.DisbursementRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class DisbursementRecorded(Event):
    """Money was paid to a beneficiary (资金发放到户到人)."""

    programme_id: str
    disbursement_id: str
    voucher_no: str
    village: str
    beneficiary_kind: str
    beneficiary_name: str
    beneficiary_id_number: str
    household_id: str | None
    amount: Decimal
    entitled_amount: Decimal | None
    paid_on: dt.date


@event_type("funds.ExpenditureRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class ExpenditureRecorded(Event):
    """Programme money was spent other than to a beneficiary (项目支出), on a stated purpose."""

    programme_id: str
    expenditure_id: str
    village: str | None
    amount: Decimal
    purpose_code: str
    payee: str
    description: str
    spent_on: dt.date


@event_type("funds.ProgrammeChangeRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class ProgrammeChangeRecorded(Event):
    """The programme's content, place, purpose or schedule was changed (项目变更), with or
    without approval (批准)."""

    programme_id: str
    change_id: str
    aspect: str
    description: str
    new_purpose_code: str | None
    approved: bool
    approval_document: str | None
    approved_by: str | None
    approved_on: dt.date | None
    changed_on: dt.date


@event_type("funds.PublicNoticeOpened")
@dataclass(frozen=True, kw_only=True, slots=True)
class PublicNoticeOpened(Event):
    """A public notice (公示) of the programme's beneficiaries was posted."""

    programme_id: str
    notice_id: str
    village: str | None
    title: str
    opened_on: dt.date
    ends_on: dt.date


@event_type("funds.PublicNoticeObjectionRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class PublicNoticeObjectionRecorded(Event):
    """An objection (异议) to a public notice was received."""

    programme_id: str
    notice_id: str
    objection_id: str
    summary: str
    received_on: dt.date


@event_type("funds.PublicNoticeClosed")
@dataclass(frozen=True, kw_only=True, slots=True)
class PublicNoticeClosed(Event):
    """The public notice period ended (公示结束), with the objections it drew."""

    programme_id: str
    notice_id: str
    closed_on: dt.date
    objections: int
    outcome: str


# --- beneficiaries (one stream per person) ------------------------------------------------


@event_type("funds.BeneficiaryPaid")
@dataclass(frozen=True, kw_only=True, slots=True)
class BeneficiaryPaid(Event):
    """A person received a disbursement (the person's own record of payments)."""

    programme_id: str
    disbursement_id: str
    disbursement_event_id: str
    village: str
    amount: Decimal
    paid_on: dt.date


@event_type("funds.CadreRelationRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class CadreRelationRecorded(Event):
    """A person is a relative of a village cadre (村干部亲属关系登记)."""

    relation_id: str
    relative_name: str
    relative_id_number: str
    relation: str
    cadre_name: str
    cadre_post: str
    cadre_village: str
    recorded_on: dt.date


# --- red flags (预警) ----------------------------------------------------------------------


@event_type("funds.RedFlagRaised")
@dataclass(frozen=True, kw_only=True, slots=True)
class RedFlagRaised(Event):
    """A rule found a problem (问题预警): its code, the evidence and its severity."""

    flag_id: str
    code: str
    label: str
    severity: str
    village: str | None
    programme_id: str | None
    subject_id: str
    summary: str
    evidence: tuple[Evidence, ...]
    raised_on: dt.date


@event_type("funds.RedFlagAcknowledged")
@dataclass(frozen=True, kw_only=True, slots=True)
class RedFlagAcknowledged(Event):
    """The red flag was received for review (签收)."""

    flag_id: str
    note: str
    acknowledged_on: dt.date


@event_type("funds.RedFlagExplained")
@dataclass(frozen=True, kw_only=True, slots=True)
class RedFlagExplained(Event):
    """The red flag was explained as no problem, with the reason (情况说明)."""

    flag_id: str
    explanation: str
    explained_on: dt.date


@event_type("funds.RedFlagConfirmed")
@dataclass(frozen=True, kw_only=True, slots=True)
class RedFlagConfirmed(Event):
    """The discipline committee confirmed the problem (问题属实), for supervision to take up."""

    flag_id: str
    code: str
    village: str | None
    programme_id: str | None
    summary: str
    severity: str
    note: str
    confirmed_on: dt.date


@event_type("funds.RedFlagOutcomeRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class RedFlagOutcomeRecorded(Event):
    """Supervision concluded the clue opened from the red flag (线索办结): its outcome."""

    flag_id: str
    clue_id: str
    outcome: str
    concluded_on: dt.date


# --- village collective 三资 ledger (村账乡代理) ---------------------------------------------


@event_type("funds.CollectiveAssetRegistered")
@dataclass(frozen=True, kw_only=True, slots=True)
class CollectiveAssetRegistered(Event):
    """An asset, resource or fund of the village collective was entered in the 三资 ledger."""

    village: str
    asset_id: str
    asset_code: str
    category: str
    name: str
    description: str
    value: Decimal
    government_funded: bool
    registered_on: dt.date


@event_type("funds.CollectiveAssetDisposed")
@dataclass(frozen=True, kw_only=True, slots=True)
class CollectiveAssetDisposedV1(Event):
    """A collective asset was sold or transferred (处置), after the representatives' vote and
    the filing with the finance office."""

    village: str
    asset_id: str
    asset_code: str
    method: str
    counterparty: str
    proceeds: Decimal
    vote: AssemblyVote
    filing: FinanceFiling
    disposed_on: dt.date


#: v1, the shape first published (and read through the upcaster below), under the name it was
#: published with: its contract (`CollectiveAssetDisposed.v1.json`) is history, never edited.
CollectiveAssetDisposedV1.__name__ = CollectiveAssetDisposedV1.__qualname__ = (
    "CollectiveAssetDisposed"
)


@event_type("funds.CollectiveAssetDisposed", version=2)
@dataclass(frozen=True, kw_only=True, slots=True)
class CollectiveAssetDisposed(Event):
    """A collective asset was sold or transferred (处置) under a village decision (四议两公开)
    whose resolution was disclosed, and filed with the finance office (报财政所备案). `vote` is
    the decision's resolving meeting; `decision_id`, `power_item` and `steps` are None, None, ()
    for a disposal recorded before decisions were (v1)."""

    village: str
    asset_id: str
    asset_code: str
    method: str
    counterparty: str
    proceeds: Decimal
    vote: AssemblyVote
    filing: FinanceFiling
    disposed_on: dt.date
    decision_id: str | None
    power_item: str | None
    steps: tuple[str, ...]


@upcaster("funds.CollectiveAssetDisposed", from_version=1)
def _disposed_v1_to_v2(payload: Payload) -> Payload:
    """A v1 disposal had its vote inline and no decision: none, no power item, no steps."""
    return {**payload, "decision_id": None, "power_item": None, "steps": []}


# --- village collective decisions (四议两公开) -------------------------------------------------


@event_type("funds.DecisionProposed")
@dataclass(frozen=True, kw_only=True, slots=True)
class DecisionProposed(Event):
    """The village party organisation proposed a collective decision (村党组织提议): a
    collective economy project or an asset disposal."""

    decision_id: str
    village: str
    village_code: str
    kind: str
    subject: str
    description: str
    proposed_on: dt.date


@event_type("funds.DecisionMeetingHeld")
@dataclass(frozen=True, kw_only=True, slots=True)
class DecisionMeetingHeld(Event):
    """A meeting on the decision was held with a quorum: 两委会议商议, 党员大会审议 or 村民代表会议
    （村民会议）决议 — its attendance, votes and whether it passed."""

    decision_id: str
    village: str
    step: str
    body: str
    members: int
    present: int
    votes_for: int
    votes_against: int
    passed: bool
    held_on: dt.date


@event_type("funds.DecisionResolutionDisclosed")
@dataclass(frozen=True, kw_only=True, slots=True)
class DecisionResolutionDisclosed(Event):
    """The resolution was disclosed to the villagers (决议公开); its result is due by
    `result_due_on`."""

    decision_id: str
    village: str
    channel: str
    disclosed_on: dt.date
    result_due_on: dt.date


@event_type("funds.DecisionResultDisclosed")
@dataclass(frozen=True, kw_only=True, slots=True)
class DecisionResultDisclosed(Event):
    """The result of carrying out the decision was disclosed (实施结果公开)."""

    decision_id: str
    village: str
    result: str
    disclosed_on: dt.date


@event_type("funds.CollectiveProjectStarted")
@dataclass(frozen=True, kw_only=True, slots=True)
class CollectiveProjectStarted(Event):
    """A village collective economy project (集体经济项目) started, under its decision whose
    resolution was disclosed; `steps` are the steps that decision went through."""

    project_id: str
    village: str
    village_code: str
    name: str
    decision_id: str
    investment: Decimal
    started_on: dt.date
    power_item: str
    steps: tuple[str, ...]


# --- collective economy and 清零 -----------------------------------------------------------


@event_type("funds.CollectiveIncomeRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class CollectiveIncomeRecorded(Event):
    """Village collective income (村级集体经济收入) for a year was recorded (zero allowed)."""

    village: str
    income_id: str
    year: int
    amount: Decimal
    source: str
    note: str
    recorded_on: dt.date


@event_type("funds.DisposalProceedsBooked")
@dataclass(frozen=True, kw_only=True, slots=True)
class DisposalProceedsBooked(Event):
    """The proceeds of a disposal were booked, in full, to the collective economy's
    development fund (所得资金全额用于发展村级集体经济)."""

    village: str
    asset_id: str
    amount: Decimal
    booked_on: dt.date


@event_type("funds.ZeroIncomeVillageListed")
@dataclass(frozen=True, kw_only=True, slots=True)
class ZeroIncomeVillageListed(Event):
    """The village has no collective income: it is on the 清零 list."""

    village: str
    year: int
    listed_on: dt.date


@event_type("funds.ZeroIncomeLeaderAssigned")
@dataclass(frozen=True, kw_only=True, slots=True)
class ZeroIncomeLeaderAssigned(Event):
    """A town leader was linked to the zero-income village (联点负责人)."""

    village: str
    leader_name: str
    leader_post: str
    assigned_on: dt.date


@event_type("funds.VillagePlanRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class VillagePlanRecorded(Event):
    """A "一村一策" plan for raising the village's collective income was recorded."""

    village: str
    plan_id: str
    title: str
    measures: tuple[str, ...]
    target_income: Decimal | None
    recorded_on: dt.date


@event_type("funds.ZeroIncomeVillageCleared")
@dataclass(frozen=True, kw_only=True, slots=True)
class ZeroIncomeVillageCleared(Event):
    """Collective income above zero was recorded: the village left the 清零 list."""

    village: str
    year: int
    income: Decimal
    cleared_on: dt.date


# --- finance disclosure (阳光村务) -----------------------------------------------------------


@event_type("funds.FinanceDisclosed")
@dataclass(frozen=True, kw_only=True, slots=True)
class FinanceDisclosed(Event):
    """The village disclosed its finances for a quarter (村级财务公开)."""

    village: str
    period: str
    income_total: Decimal
    expenditure_total: Decimal
    channel: str
    disclosed_on: dt.date


# --- village books kept by the town agency (村账乡代理) ----------------------------------------


@event_type("funds.VillageBookEntryRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class VillageBookEntryRecorded(Event):
    """The town agency's accountant (代理会计) booked an income or expense of the village for a
    month (村账乡代理); an expense names the power item it exercises (财务收支) and its steps."""

    entry_id: str
    village: str
    village_code: str
    month: str
    kind: str
    amount: Decimal
    subject: str
    power_item: str | None
    steps: tuple[str, ...]
    recorded_on: dt.date


# --- personal fields (个人信息), encrypted per person by the event store (shared.personal) -----

personal(
    "funds.DisbursementRecorded",
    Person("beneficiary_id_number", ("beneficiary_name", "beneficiary_id_number")),
)
personal(
    "funds.CadreRelationRecorded",
    Person("relative_id_number", ("relative_name", "relative_id_number")),
)
