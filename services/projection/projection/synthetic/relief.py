"""Envelopes shaped like relief's events (measures 1–3), payloads as in `contracts/events/relief`.

Streams as the relief service names them: `household-<id>`, `activity-<town>-<activity>`,
`project-<id>`, `site-<id>`, `station-<village code>`, `agency-<id>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from projection.synthetic.factory import AGRICULTURE, CLERK, EnvelopeFactory
from shared.envelope import Actor, Envelope
from shared.kernel import make_resident_id
from shared.town import load_town


def _hh(
    f: EnvelopeFactory,
    household_id: str,
    event: str,
    payload: dict[str, object],
    on: dt.date,
    actor: Actor = AGRICULTURE,
) -> Envelope:
    return f.event(
        f"household-{household_id}",
        f"relief.{event}",
        {"household_id": household_id, **payload},
        on=on,
        actor=actor,
    )


def household_registered(
    f: EnvelopeFactory,
    household_id: str,
    village: str,
    head: str,
    first17: str,
    on: dt.date,
    *,
    causes: Sequence[str] = ("因病",),
    income: str = "1800.00",
    others: Sequence[tuple[str, str, str]] = (),
) -> Envelope:
    """建档立卡: the head (an ID number from its 17 first digits) and `others` as
    (name, first17, relation)."""
    known = load_town(f.town).village(village)
    id_number = make_resident_id(first17).value
    members = [{"name": head, "id_number": id_number, "relation": "户主"}]
    members += [
        {"name": name, "id_number": make_resident_id(digits).value, "relation": relation}
        for name, digits, relation in others
    ]
    return _hh(
        f,
        household_id,
        "HouseholdRegistered",
        {
            "village": village,
            "village_code": known.code if known else "",
            "head_name": head,
            "head_id_number": id_number,
            "members": members,
            "causes": list(causes),
            "income_per_head": income,
            "registered_on": on.isoformat(),
        },
        on,
        CLERK,
    )


def household_paired(
    f: EnvelopeFactory,
    household_id: str,
    helper: str,
    on: dt.date,
    *,
    kind: str = "cadre",
    post: str | None = "驻村干部",
    member_id: str | None = None,
    branch_id: str | None = None,
) -> Envelope:
    """结对帮扶: a cadre or party member paired with the household."""
    return _hh(
        f,
        household_id,
        "HouseholdPaired",
        {
            "helper": {
                "kind": kind,
                "name": helper,
                "post": post,
                "member_id": member_id,
                "branch_id": branch_id,
            },
            "paired_on": on.isoformat(),
        },
        on,
    )


def household_visited(
    f: EnvelopeFactory,
    household_id: str,
    visitor: str,
    on: dt.date,
    notes: str = "走访了解情况",
    *,
    visit_id: str | None = None,
) -> Envelope:
    return _hh(
        f,
        household_id,
        "HouseholdVisited",
        {
            "visit_id": visit_id or f.new_id(),
            "visitor": visitor,
            "notes": notes,
            "visited_on": on.isoformat(),
        },
        on,
    )


def household_exited(
    f: EnvelopeFactory,
    household_id: str,
    on: dt.date,
    *,
    income: str = "3500.00",
    line: str = "2952",
) -> Envelope:
    return _hh(
        f,
        household_id,
        "HouseholdExitedPoverty",
        {
            "exited_on": on.isoformat(),
            "income_per_head": income,
            "poverty_line": line,
            "line_year": on.year,
            "policy_revision": "2016.1",
        },
        on,
    )


def household_returned(
    f: EnvelopeFactory,
    household_id: str,
    on: dt.date,
    *,
    reason: str = "因病返贫",
    income: str | None = "2100.00",
) -> Envelope:
    return _hh(
        f,
        household_id,
        "HouseholdReturnedToPoverty",
        {
            "returned_on": on.isoformat(),
            "reason": reason,
            "income_per_head": income,
        },
        on,
    )


def income_assessed(
    f: EnvelopeFactory, household_id: str, year: int, income: str, on: dt.date
) -> Envelope:
    return _hh(
        f,
        household_id,
        "HouseholdIncomeAssessed",
        {
            "year": year,
            "income_per_head": income,
            "assessed_on": on.isoformat(),
        },
        on,
    )


def guarantees_checked(
    f: EnvelopeFactory,
    household_id: str,
    on: dt.date,
    *,
    housing: bool = True,
    notes: str = "两不愁三保障核查",
) -> Envelope:
    return _hh(
        f,
        household_id,
        "GuaranteesChecked",
        {
            "food": True,
            "clothing": True,
            "education": True,
            "medical": True,
            "housing": housing,
            "notes": notes,
            "checked_on": on.isoformat(),
        },
        on,
    )


def measure_planned(
    f: EnvelopeFactory,
    household_id: str,
    measure_id: str,
    project: str,
    description: str,
    on: dt.date,
) -> Envelope:
    """A measure under one of the five projects (五大工程)."""
    return _hh(
        f,
        household_id,
        "ReliefMeasurePlanned",
        {
            "measure_id": measure_id,
            "project": project,
            "description": description,
            "planned_on": on.isoformat(),
        },
        on,
    )


def measure_completed(
    f: EnvelopeFactory, household_id: str, measure_id: str, on: dt.date, outcome: str = "已落实"
) -> Envelope:
    return _hh(
        f,
        household_id,
        "ReliefMeasureCompleted",
        {
            "measure_id": measure_id,
            "outcome": outcome,
            "completed_on": on.isoformat(),
        },
        on,
    )


def _activity(
    f: EnvelopeFactory, activity: str, event: str, payload: dict[str, object], on: dt.date
) -> Envelope:
    return f.event(f"activity-{f.town}-{activity}", f"relief.{event}", payload, on=on)


def posts_provided(
    f: EnvelopeFactory,
    village: str,
    posts: int,
    on: dt.date,
    *,
    kind: str = "public_welfare",
    employer: str = "易俗河镇政府",
    people: Sequence[str] = (),
    record_id: str | None = None,
) -> Envelope:
    """Public-welfare or employment posts (公益性岗位、就业岗位)."""
    return _activity(
        f,
        "posts",
        "PostsProvided",
        {
            "record_id": record_id or f.new_id(),
            "village": village,
            "kind": kind,
            "employer": employer,
            "posts": posts,
            "people": list(people),
            "provided_on": on.isoformat(),
        },
        on,
    )


def student_helped(
    f: EnvelopeFactory,
    village: str,
    student: str,
    on: dt.date,
    *,
    school: str = "易俗河镇中心校",
    support: str = "学费资助",
    amount: str | None = "1500.00",
    people: Sequence[str] = ("镇团委",),
    record_id: str | None = None,
) -> Envelope:
    return _activity(
        f,
        "students",
        "StudentHelped",
        {
            "record_id": record_id or f.new_id(),
            "village": village,
            "student_name": student,
            "school": school,
            "support": support,
            "amount": amount,
            "people": list(people),
            "helped_on": on.isoformat(),
        },
        on,
    )


def free_clinic_held(
    f: EnvelopeFactory,
    village: str,
    staff: Sequence[str],
    patients: int,
    on: dt.date,
    *,
    services: str = "义诊、送药",
    record_id: str | None = None,
) -> Envelope:
    return _activity(
        f,
        "clinics",
        "FreeClinicHeld",
        {
            "record_id": record_id or f.new_id(),
            "village": village,
            "medical_staff": list(staff),
            "patients": patients,
            "services": services,
            "held_on": on.isoformat(),
        },
        on,
    )


def enterprise_paired(
    f: EnvelopeFactory,
    village: str,
    enterprise: str,
    on: dt.date,
    *,
    people: Sequence[str] = ("公司负责人",),
    content: str = "产业帮扶",
    record_id: str | None = None,
) -> Envelope:
    """企业联村 (the plan's pairing of an enterprise with the poor village)."""
    return _activity(
        f,
        "enterprise",
        "EnterprisePairedWithVillage",
        {
            "record_id": record_id or f.new_id(),
            "enterprise": enterprise,
            "village": village,
            "people": list(people),
            "content": content,
            "paired_on": on.isoformat(),
        },
        on,
    )


def _project(
    f: EnvelopeFactory, project_id: str, event: str, payload: dict[str, object], on: dt.date
) -> Envelope:
    return f.event(
        f"project-{project_id}", f"relief.{event}", {"project_id": project_id, **payload}, on=on
    )


def project_listed(
    f: EnvelopeFactory,
    project_id: str,
    name: str,
    category: str,
    village: str | None,
    on: dt.date,
    *,
    description: str = "",
    lead_unit: str = "",
    budget: str | None = None,
    due_on: dt.date | None = None,
) -> Envelope:
    """民生实事 on the town's or a village's list."""
    return _project(
        f,
        project_id,
        "LivelihoodProjectListed",
        {
            "name": name,
            "category": category,
            "village": village,
            "description": description,
            "lead_unit": lead_unit,
            "budget": budget,
            "due_on": due_on.isoformat() if due_on else None,
            "listed_on": on.isoformat(),
        },
        on,
    )


def project_started(f: EnvelopeFactory, project_id: str, on: dt.date) -> Envelope:
    return _project(f, project_id, "LivelihoodProjectStarted", {"started_on": on.isoformat()}, on)


def project_accepted(
    f: EnvelopeFactory, project_id: str, on: dt.date, *, by: str = "镇验收组", result: str = "合格"
) -> Envelope:
    return _project(
        f,
        project_id,
        "LivelihoodProjectAccepted",
        {
            "accepted_by": by,
            "result": result,
            "accepted_on": on.isoformat(),
        },
        on,
    )


def after_care(
    f: EnvelopeFactory,
    project_id: str,
    on: dt.date,
    *,
    note: str = "运行正常",
    responsible: str = "村委会",
) -> Envelope:
    return _project(
        f,
        project_id,
        "AfterCareRecorded",
        {
            "note": note,
            "responsible": responsible,
            "recorded_on": on.isoformat(),
        },
        on,
    )


def _site(
    f: EnvelopeFactory, site_id: str, event: str, payload: dict[str, object], on: dt.date
) -> Envelope:
    return f.event(f"site-{site_id}", f"relief.{event}", {"site_id": site_id, **payload}, on=on)


def site_registered(
    f: EnvelopeFactory,
    site_id: str,
    community: str,
    name: str,
    area_m2: str,
    on: dt.date,
    *,
    office_area_m2: str | None = None,
) -> Envelope:
    """A community service site (社区服务场所, 阵地建设)."""
    return _site(
        f,
        site_id,
        "CommunityServiceSiteRegistered",
        {
            "community": community,
            "name": name,
            "area_m2": area_m2,
            "office_area_m2": office_area_m2,
            "registered_on": on.isoformat(),
        },
        on,
    )


def site_expanded(
    f: EnvelopeFactory, site_id: str, area_m2: str, on: dt.date, *, method: str = "扩建"
) -> Envelope:
    return _site(
        f,
        site_id,
        "CommunityServiceSiteExpanded",
        {
            "area_m2": area_m2,
            "method": method,
            "expanded_on": on.isoformat(),
        },
        on,
    )


def five_unified(f: EnvelopeFactory, site_id: str, items: Sequence[str], on: dt.date) -> Envelope:
    """Items of the 五统一 done (signage, facade, door plates, windows, boards)."""
    return _site(
        f,
        site_id,
        "FiveUnifiedItemsCompleted",
        {
            "items": list(items),
            "completed_on": on.isoformat(),
        },
        on,
    )


def site_certified(f: EnvelopeFactory, site_id: str, area_m2: str, on: dt.date) -> Envelope:
    return _site(
        f,
        site_id,
        "CommunityServiceSiteCertifiedCompliant",
        {
            "area_m2": area_m2,
            "certified_on": on.isoformat(),
        },
        on,
    )


def station_designated(
    f: EnvelopeFactory, village: str, village_code: str, on: dt.date, *, address: str = "村部"
) -> Envelope:
    """A village service station (便民服务站)."""
    return f.event(
        f"station-{village_code}",
        "relief.ServiceStationDesignated",
        {
            "village": village,
            "village_code": village_code,
            "name": f"{village}便民服务站",
            "address": address,
            "designated_on": on.isoformat(),
        },
        on=on,
        actor=CLERK,
    )


def duty_rota(
    f: EnvelopeFactory, village: str, village_code: str, cadres: Sequence[str], on: dt.date
) -> Envelope:
    shifts = [
        {"cadre": cadre, "post": "村干部", "weekday": day % 7 + 1}
        for day, cadre in enumerate(cadres)
    ]
    return f.event(
        f"station-{village_code}",
        "relief.DutyRotaPublished",
        {
            "village": village,
            "shifts": shifts,
            "effective_from": on.isoformat(),
        },
        on=on,
        actor=CLERK,
    )


def agency_received(
    f: EnvelopeFactory,
    item_id: str,
    village: str,
    applicant: str,
    matter: str,
    on: dt.date,
    *,
    agent: str = "代办员",
) -> Envelope:
    """A matter taken on by the station's agency service (代办台账)."""
    return f.event(
        f"agency-{item_id}",
        "relief.AgencyRequestReceived",
        {
            "item_id": item_id,
            "village": village,
            "applicant": applicant,
            "matter": matter,
            "agent": agent,
            "received_on": on.isoformat(),
        },
        on=on,
        actor=CLERK,
    )


def agency_handled(
    f: EnvelopeFactory, item_id: str, on: dt.date, result: str = "已办结"
) -> Envelope:
    return f.event(
        f"agency-{item_id}",
        "relief.AgencyRequestHandled",
        {
            "item_id": item_id,
            "result": result,
            "handled_on": on.isoformat(),
        },
        on=on,
        actor=CLERK,
    )


def agency_signed_off(f: EnvelopeFactory, item_id: str, signed_by: str, on: dt.date) -> Envelope:
    return f.event(
        f"agency-{item_id}",
        "relief.AgencyRequestSignedOff",
        {
            "item_id": item_id,
            "signed_by": signed_by,
            "signed_off_on": on.isoformat(),
        },
        on=on,
        actor=CLERK,
    )
