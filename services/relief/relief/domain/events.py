"""Every event of the relief service (the contracts tool imports this module).

Ids are strings (UUIDs), dates ISO days (the business day the work happened), money and income
`Decimal` (a decimal string on the wire). Names of households' members appear where the plan's
ledgers need them; nothing else personal (no phone numbers, no addresses of people).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from shared.kernel import Event, event_type
from shared.personal.declared import Person, Record, personal

# --- households (建档立卡贫困户) -----------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class MemberRecord:
    """A member of a household (家庭成员); the head is the first, with relation 户主."""

    name: str
    id_number: str
    relation: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Helper:
    """Who helps a household (帮扶责任人): a party member (党员) or a cadre (干部)."""

    kind: str  # "party_member" or "cadre"
    name: str
    post: str | None = None
    member_id: str | None = None
    branch_id: str | None = None


@event_type("relief.HouseholdRegistered")
@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdRegistered(Event):
    """A poor household was registered (建档立卡), with its members and causes of poverty."""

    household_id: str
    village: str
    village_code: str
    head_name: str
    head_id_number: str
    members: list[MemberRecord]
    causes: list[str]
    income_per_head: Decimal
    registered_on: dt.date


@event_type("relief.HeadIdNumberClaimed")
@dataclass(frozen=True, kw_only=True, slots=True)
class HeadIdNumberClaimed(Event):
    """A head's ID number is now taken by a registered household (户主身份证号唯一性索引)."""

    household_id: str


@event_type("relief.HouseholdRecordCorrected")
@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdRecordCorrected(Event):
    """A household's record was corrected (建档信息更正): head name, members, causes."""

    household_id: str
    head_name: str
    members: list[MemberRecord]
    causes: list[str]
    reason: str
    corrected_on: dt.date


@event_type("relief.HouseholdIncomeAssessed")
@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdIncomeAssessed(Event):
    """A household's income per head for a year was assessed (人均纯收入核定)."""

    household_id: str
    year: int
    income_per_head: Decimal
    assessed_on: dt.date


@event_type("relief.GuaranteesChecked")
@dataclass(frozen=True, kw_only=True, slots=True)
class GuaranteesChecked(Event):
    """The "两不愁三保障" were checked for a household: food, clothing, compulsory education,
    basic medical care and safe housing, each met or not."""

    household_id: str
    food: bool
    clothing: bool
    education: bool
    medical: bool
    housing: bool
    notes: str
    checked_on: dt.date


@event_type("relief.HouseholdExitedPoverty")
@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdExitedPoverty(Event):
    """The household left poverty (脱贫): income above the year's line, 两不愁三保障 met."""

    household_id: str
    exited_on: dt.date
    income_per_head: Decimal
    poverty_line: Decimal
    line_year: int
    policy_revision: str


@event_type("relief.HouseholdReturnedToPoverty")
@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdReturnedToPoverty(Event):
    """A household that had exited fell back into poverty (返贫)."""

    household_id: str
    returned_on: dt.date
    reason: str
    income_per_head: Decimal | None = None


@event_type("relief.HouseholdPaired")
@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdPaired(Event):
    """A household was paired with its helper (结对帮扶: 支部连村、党员联户, one to one)."""

    household_id: str
    helper: Helper
    paired_on: dt.date


@event_type("relief.HouseholdRepaired")
@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdRepaired(Event):
    """A household's helper was changed, with the reason (调整帮扶责任人)."""

    household_id: str
    previous: Helper
    helper: Helper
    reason: str
    repaired_on: dt.date


@event_type("relief.HouseholdVisited")
@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdVisited(Event):
    """The helper visited the household (走访), with what was found and done."""

    household_id: str
    visit_id: str
    visitor: str
    notes: str
    visited_on: dt.date


@event_type("relief.ReliefMeasurePlanned")
@dataclass(frozen=True, kw_only=True, slots=True)
class ReliefMeasurePlanned(Event):
    """A measure of one of the five projects (五大工程) was planned for a household."""

    household_id: str
    measure_id: str
    project: str
    description: str
    planned_on: dt.date


@event_type("relief.ReliefMeasureCompleted")
@dataclass(frozen=True, kw_only=True, slots=True)
class ReliefMeasureCompleted(Event):
    """A household's measure of the five projects was carried out (落实)."""

    household_id: str
    measure_id: str
    outcome: str
    completed_on: dt.date


# --- the five activities (五大活动) ---------------------------------------------------------


@event_type("relief.EnterprisePairedWithVillage")
@dataclass(frozen=True, kw_only=True, slots=True)
class EnterprisePairedWithVillage(Event):
    """A private enterprise paired with a poor village (企业联农村、脱贫奔小康)."""

    record_id: str
    enterprise: str
    village: str
    people: list[str]
    content: str
    paired_on: dt.date


@event_type("relief.PostsProvided")
@dataclass(frozen=True, kw_only=True, slots=True)
class PostsProvided(Event):
    """Public-welfare or employment posts were provided (岗位技能送上门、就业服务下基层)."""

    record_id: str
    village: str
    kind: str  # "public_welfare" (公益性岗位) or "employment" (就业岗位)
    employer: str
    posts: int
    people: list[str]
    provided_on: dt.date


@event_type("relief.StudentHelped")
@dataclass(frozen=True, kw_only=True, slots=True)
class StudentHelped(Event):
    """A poor student was helped (大手拉小手、爱心促成长)."""

    record_id: str
    village: str
    student_name: str
    school: str
    support: str
    amount: Decimal | None
    people: list[str]
    helped_on: dt.date


@event_type("relief.FreeClinicHeld")
@dataclass(frozen=True, kw_only=True, slots=True)
class FreeClinicHeld(Event):
    """Medical staff held a free clinic in a village (送医送药送健康、百场义诊进乡村)."""

    record_id: str
    village: str
    medical_staff: list[str]
    patients: int
    services: str
    held_on: dt.date


# --- livelihood projects (重点民生实事项目, measure 2) ---------------------------------------


@event_type("relief.LivelihoodProjectListed")
@dataclass(frozen=True, kw_only=True, slots=True)
class LivelihoodProjectListed(Event):
    """A livelihood project was put on the town's or a village's list (惠民项目清单)."""

    project_id: str
    name: str
    category: str
    village: str | None
    description: str
    lead_unit: str
    budget: Decimal | None
    due_on: dt.date | None
    listed_on: dt.date


@event_type("relief.LivelihoodProjectStarted")
@dataclass(frozen=True, kw_only=True, slots=True)
class LivelihoodProjectStarted(Event):
    """Work on a livelihood project started (开工/实施)."""

    project_id: str
    started_on: dt.date


@event_type("relief.LivelihoodProjectAccepted")
@dataclass(frozen=True, kw_only=True, slots=True)
class LivelihoodProjectAccepted(Event):
    """A livelihood project passed its acceptance (验收)."""

    project_id: str
    accepted_by: str
    result: str
    accepted_on: dt.date


@event_type("relief.AfterCareRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class AfterCareRecorded(Event):
    """After-care of an accepted project was recorded (后续管理: who, what)."""

    project_id: str
    responsible: str
    note: str
    recorded_on: dt.date


# --- service sites (基层服务阵地, measure 3) --------------------------------------------------


@event_type("relief.CommunityServiceSiteRegistered")
@dataclass(frozen=True, kw_only=True, slots=True)
class CommunityServiceSiteRegistered(Event):
    """A community service site (社区服务场所) was registered with its floor areas."""

    site_id: str
    community: str
    name: str
    area_m2: Decimal
    office_area_m2: Decimal | None
    registered_on: dt.date


@event_type("relief.CommunityServiceSiteExpanded")
@dataclass(frozen=True, kw_only=True, slots=True)
class CommunityServiceSiteExpanded(Event):
    """A community service site gained floor area (调剂、划拨或新建改扩建)."""

    site_id: str
    area_m2: Decimal
    method: str
    expanded_on: dt.date


@event_type("relief.FiveUnifiedItemsCompleted")
@dataclass(frozen=True, kw_only=True, slots=True)
class FiveUnifiedItemsCompleted(Event):
    """Items of the "五统一" were completed at a site (标识、外墙、门牌、窗口、宣传栏)."""

    site_id: str
    items: list[str]
    completed_on: dt.date


@event_type("relief.CommunityServiceSiteCertifiedCompliant")
@dataclass(frozen=True, kw_only=True, slots=True)
class CommunityServiceSiteCertifiedCompliant(Event):
    """A community service site was found compliant (达标): ≥ 600 m² and the 五统一 done."""

    site_id: str
    area_m2: Decimal
    certified_on: dt.date


@event_type("relief.ServiceStationDesignated")
@dataclass(frozen=True, kw_only=True, slots=True)
class ServiceStationDesignated(Event):
    """A village's main service station (村级便民服务站) was designated."""

    village: str
    village_code: str
    name: str
    address: str
    designated_on: dt.date


@dataclass(frozen=True, kw_only=True, slots=True)
class DutyShift:
    """One weekday's duty of a village cadre at the station (村干部轮流值班)."""

    weekday: int  # 1 = Monday … 7 = Sunday
    cadre: str
    post: str


@event_type("relief.DutyRotaPublished")
@dataclass(frozen=True, kw_only=True, slots=True)
class DutyRotaPublished(Event):
    """A station's duty rota (值班表) was published, effective from a day."""

    village: str
    shifts: list[DutyShift]
    effective_from: dt.date


@event_type("relief.AgencyRequestReceived")
@dataclass(frozen=True, kw_only=True, slots=True)
class AgencyRequestReceived(Event):
    """A villager's matter was received for agency service (代办: 受理)."""

    item_id: str
    village: str
    applicant: str
    matter: str
    agent: str
    received_on: dt.date


@event_type("relief.AgencyRequestHandled")
@dataclass(frozen=True, kw_only=True, slots=True)
class AgencyRequestHandled(Event):
    """An agency matter was handled (办结), with the result."""

    item_id: str
    result: str
    handled_on: dt.date


@event_type("relief.AgencyRequestSignedOff")
@dataclass(frozen=True, kw_only=True, slots=True)
class AgencyRequestSignedOff(Event):
    """The applicant signed for the handled matter (签收)."""

    item_id: str
    signed_by: str
    signed_off_on: dt.date


# --- personal data (个人信息, crypto-shredding: shared.personal) -----------------------------


@event_type("person.ErasureRequested")
@dataclass(frozen=True, kw_only=True, slots=True)
class ErasureRequested(Event):
    """A person's data was ordered erased (个人信息删除, 个人信息保护法第四十七条): every service
    deletes its keys of that person. Names the person by their keyed reference only."""

    erasure_id: str
    person_ref: str
    reason: str
    requested_on: dt.date


def _head_of_members(record: Record) -> str | None:
    """The head's ID number in a corrected record: the member whose relation is 户主."""
    for member in record.get("members") or []:
        if isinstance(member, dict) and member.get("relation") == "户主":
            number = member.get("id_number")
            return number if isinstance(number, str) else None
    return None


personal(
    "relief.HouseholdRegistered",
    Person("head_id_number", ("head_name", "head_id_number")),
    Person("id_number", ("name", "id_number"), within="members"),
)
personal(
    "relief.HouseholdRecordCorrected",
    Person(_head_of_members, ("head_name",)),
    Person("id_number", ("name", "id_number"), within="members"),
)
