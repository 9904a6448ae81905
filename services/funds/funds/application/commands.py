"""The commands of the funds service (imperative, frozen). Villages are names or codes;
`occurred_on` is the business date (default: the clock's today)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from funds.domain.events import AssemblyVote, FinanceFiling


@dataclass(frozen=True, kw_only=True, slots=True)
class CreateProgramme:
    code: str
    name: str
    source_level: str
    amount: Decimal
    purpose: str
    purpose_code: str
    beneficiary_rule: str
    standard_amount: Decimal | None = None
    min_age: int | None = None
    max_age: int | None = None
    planned_start: dt.date
    disbursement_deadline: dt.date
    village: str | None = None
    exclusive_with: tuple[str, ...] = ()
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class AllocateFunds:
    programme_id: str
    village: str
    amount: Decimal
    reference: str | None = None
    occurred_on: dt.date | None = None
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class StartProgramme:
    programme_id: str
    occurred_on: dt.date | None = None
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordDisbursement:
    programme_id: str
    voucher_no: str
    village: str
    beneficiary_kind: str
    beneficiary_name: str
    beneficiary_id_number: str
    household_id: str | None = None
    amount: Decimal
    entitled_amount: Decimal | None = None
    occurred_on: dt.date | None = None
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordExpenditure:
    programme_id: str
    reference: str | None = None
    village: str | None = None
    amount: Decimal
    purpose_code: str
    payee: str
    description: str
    occurred_on: dt.date | None = None
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordProgrammeChange:
    programme_id: str
    reference: str | None = None
    aspect: str
    description: str
    new_purpose_code: str | None = None
    approval_document: str | None = None
    approved_by: str | None = None
    approved_on: dt.date | None = None
    occurred_on: dt.date | None = None
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class OpenNotice:
    programme_id: str
    reference: str | None = None
    village: str | None = None
    title: str
    ends_on: dt.date
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordObjection:
    programme_id: str
    notice_id: str
    reference: str | None = None
    summary: str
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CloseNotice:
    programme_id: str
    notice_id: str
    outcome: str
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordCadreRelation:
    relative_name: str
    relative_id_number: str
    relation: str
    cadre_name: str
    cadre_post: str
    cadre_village: str
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class HandleRedFlag:
    """Acknowledge (`acknowledge`), explain (`explain`) or confirm (`confirm`) a red flag."""

    flag_id: str
    action: str
    text: str = ""
    occurred_on: dt.date | None = None
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CheckDeadlines:
    today: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RegisterAsset:
    village: str
    asset_code: str
    category: str
    name: str
    description: str = ""
    value: Decimal
    government_funded: bool = False
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class DisposeAsset:
    village: str
    asset_code: str
    method: str
    counterparty: str
    proceeds: Decimal
    vote: AssemblyVote | None = None
    filing: FinanceFiling | None = None
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordCollectiveIncome:
    village: str
    year: int
    amount: Decimal
    source: str
    note: str = ""
    reference: str | None = None
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ListZeroIncomeVillage:
    village: str
    year: int
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class AssignZeroIncomeLeader:
    village: str
    leader_name: str
    leader_post: str
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordVillagePlan:
    village: str
    reference: str | None = None
    title: str
    measures: tuple[str, ...]
    target_income: Decimal | None = None
    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class DiscloseFinances:
    village: str
    period: str
    income_total: Decimal
    expenditure_total: Decimal
    channel: str
    occurred_on: dt.date | None = None
