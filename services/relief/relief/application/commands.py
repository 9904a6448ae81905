"""The commands of the relief service (imperative: what an official asks to be done).

`occurred_on` is the business day the work happened (None: today); `expected_version` on a
state change is the stream version the caller read (None: no check; a mismatch is a 409).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from relief.domain.events import DutyShift
from relief.domain.household_record import Person
from relief.domain.values import Guarantees


@dataclass(frozen=True, kw_only=True, slots=True)
class Command:
    """Any command."""

    occurred_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Change(Command):
    """A command that changes an existing aggregate."""

    expected_version: int | None = None


# --- households -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class RegisterHousehold(Command):
    village: str
    head_name: str
    head_id_number: str
    members: list[Person] = field(default_factory=list)
    causes: list[str]
    income_per_head: Decimal
    household_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CorrectHouseholdRecord(Change):
    household_id: str
    head_name: str
    members: list[Person]
    causes: list[str]
    reason: str


@dataclass(frozen=True, kw_only=True, slots=True)
class AssessIncome(Change):
    household_id: str
    income_per_head: Decimal
    year: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CheckGuarantees(Change):
    household_id: str
    checks: Guarantees
    notes: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class ExitPoverty(Change):
    household_id: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ReturnToPoverty(Change):
    household_id: str
    reason: str
    income_per_head: Decimal | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class PairHousehold(Change):
    """A party member (`member_id`) or a cadre (`cadre_name` and `cadre_post`)."""

    household_id: str
    member_id: str | None = None
    cadre_name: str = ""
    cadre_post: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class RepairHousehold(PairHousehold):
    reason: str


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordVisit(Change):
    household_id: str
    notes: str
    visitor: str | None = None
    visit_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanMeasure(Change):
    household_id: str
    project: str
    description: str
    measure_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CompleteMeasure(Change):
    household_id: str
    measure_id: str
    outcome: str = ""


# --- the five activities ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordEnterprisePairing(Command):
    enterprise: str
    village: str
    people: list[str] = field(default_factory=list)
    content: str = ""
    record_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordPosts(Command):
    village: str
    kind: str
    employer: str
    posts: int
    people: list[str] = field(default_factory=list)
    record_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordStudentHelped(Command):
    village: str
    student_name: str
    school: str
    support: str
    amount: Decimal | None = None
    people: list[str] = field(default_factory=list)
    record_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordFreeClinic(Command):
    village: str
    medical_staff: list[str]
    patients: int
    services: str = ""
    record_id: str | None = None


# --- livelihood projects --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ListLivelihoodProject(Command):
    """`village` None: a project of the town's list."""

    name: str
    category: str
    village: str | None
    description: str = ""
    lead_unit: str
    budget: Decimal | None = None
    due_on: dt.date | None = None
    project_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class StartProject(Change):
    project_id: str


@dataclass(frozen=True, kw_only=True, slots=True)
class AcceptProject(Change):
    project_id: str
    accepted_by: str
    result: str


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordAfterCare(Change):
    project_id: str
    responsible: str
    note: str


# --- service sites ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class RegisterCommunitySite(Command):
    community: str
    name: str
    area_m2: Decimal
    office_area_m2: Decimal | None = None
    site_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ExpandCommunitySite(Change):
    site_id: str
    area_m2: Decimal
    method: str


@dataclass(frozen=True, kw_only=True, slots=True)
class CompleteFiveUnified(Change):
    site_id: str
    items: list[str]


@dataclass(frozen=True, kw_only=True, slots=True)
class CertifySiteCompliant(Change):
    site_id: str


@dataclass(frozen=True, kw_only=True, slots=True)
class DesignateServiceStation(Command):
    village: str
    name: str
    address: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class PublishDutyRota(Change):
    village: str
    shifts: list[DutyShift]


@dataclass(frozen=True, kw_only=True, slots=True)
class ReceiveAgencyRequest(Command):
    village: str
    applicant: str
    matter: str
    agent: str
    item_id: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class HandleAgencyRequest(Change):
    item_id: str
    result: str


@dataclass(frozen=True, kw_only=True, slots=True)
class SignOffAgencyRequest(Change):
    item_id: str
    signed_by: str
