"""The events of the oracle's random histories, per kind of entity: the first event when
`sim.steps == 0`, else a random next one (not always one the write service would allow: the
projection must fold whatever it is given the same way on both paths)."""

from __future__ import annotations

from typing import Any

from projection.synthetic import (
    AGRICULTURE,
    CLERK,
    EnvelopeFactory,
    household_exited,
    household_paired,
    household_registered,
    household_visited,
)

from shared.envelope import Actor
from shared.town import Village

from .histories import UNKNOWN_TYPE, HistoryMaker, Kind, Sim

Made = tuple[str, dict[str, Any], Actor]


def choose(m: HistoryMaker, options: dict[str, float]) -> str:
    return m.rng.choices(list(options), weights=list(options.values()))[0]


def uid_named(kind: str, *, prefixed: bool = False) -> Any:
    def naming(m: HistoryMaker, _: Village) -> tuple[str, str]:
        uid = m.uid()
        return f"{kind}-{uid}", f"{kind}-{uid}" if prefixed else uid

    return naming


def village_named(kind: str) -> Any:
    def naming(m: HistoryMaker, village: Village) -> tuple[str, str]:
        return f"{kind}-{village.code}", village.code

    return naming


# -- relief ------------------------------------------------------------------------------


def household(m: HistoryMaker, s: Sim) -> Made:
    f, hid, on = EnvelopeFactory(), s.entity_id, s.day.isoformat()
    if s.steps == 0:
        first17 = f"430321{m.rng.randrange(1940, 2000)}0101{m.rng.randrange(1000):03d}"
        env = household_registered(f, hid, s.village.name, "户主" + hid[:4], first17, s.day)
        return env.event_type, dict(env.payload), CLERK
    step = choose(
        m,
        {
            "paired": 2,
            "visited": 5,
            "exited": 1.5,
            "returned": 0.7,
            "income": 1,
            "guarantees": 1,
            "corrected": 0.5,
            "planned": 1,
            "unknown": 0.3,
        },
    )
    p: dict[str, Any] = {"household_id": hid}
    if step == "paired":
        env = household_paired(f, hid, m.rng.choice(["刘干部", "陈干部"]), s.day)
        if m.rng.random() < 0.3:
            return "relief.HouseholdRepaired", _repaired(env.payload, on), AGRICULTURE
        return env.event_type, dict(env.payload), AGRICULTURE
    if step == "visited":
        env = household_visited(f, hid, "干部" + hid[:2], s.day)
        return env.event_type, dict(env.payload), AGRICULTURE
    if step == "exited":
        env = household_exited(f, hid, s.day)
        return env.event_type, dict(env.payload), AGRICULTURE
    if step == "returned":
        p |= {"returned_on": on, "reason": "因病返贫", "income_per_head": m.money(800, 2500)}
        return "relief.HouseholdReturnedToPoverty", p, AGRICULTURE
    if step == "income":
        p |= {"assessed_on": on, "income_per_head": m.money(800, 6000), "year": s.day.year}
        return "relief.HouseholdIncomeAssessed", p, AGRICULTURE
    if step == "guarantees":
        keys = ("food", "clothing", "education", "medical", "housing")
        p |= {k: m.rng.random() < 0.8 for k in keys} | {"checked_on": on, "notes": "入户核查"}
        return "relief.GuaranteesChecked", p, AGRICULTURE
    if step == "corrected":
        head = {"name": "户主" + hid[:4], "id_number": "43032119600101001X", "relation": "户主"}
        p |= {
            "head_name": head["name"],
            "members": [head] * m.rng.randrange(1, 4),
            "causes": ["因病", "因学"][: m.rng.randrange(1, 3)],
            "reason": "核实更正",
            "corrected_on": on,
        }
        return "relief.HouseholdRecordCorrected", p, CLERK
    if step == "planned":
        if m.rng.random() < 0.5:
            p |= {"measure_id": m.uid(), "outcome": "已落实", "completed_on": on}
            return "relief.ReliefMeasureCompleted", p, AGRICULTURE
        project = m.rng.choice(["income", "skills", "safety_net"])
        p |= {"measure_id": m.uid(), "project": project, "description": "帮扶", "planned_on": on}
        return "relief.ReliefMeasurePlanned", p, AGRICULTURE
    return UNKNOWN_TYPE, p | {"village": m.village().name, "note": "新事件"}, CLERK


def _repaired(paired: dict[str, Any], on: str) -> dict[str, Any]:
    helper = dict(paired["helper"])
    return {
        "household_id": paired["household_id"],
        "helper": helper | {"name": "周干部"},
        "previous": helper,
        "reason": "工作调整",
        "repaired_on": on,
    }


ACTIVITIES = {
    "posts": "relief.PostsProvided",
    "students": "relief.StudentHelped",
    "free-clinics": "relief.FreeClinicHeld",
    "enterprise": "relief.EnterprisePairedWithVillage",
}


def _activity_named(m: HistoryMaker, _: Village) -> tuple[str, str]:
    activity = m.rng.choice(list(ACTIVITIES))
    return f"activity-430321100-{activity}", f"430321100-{activity}"


def activity(m: HistoryMaker, s: Sim) -> Made:
    event_type = ACTIVITIES[s.stream_id.split("430321100-", 1)[1]]
    on, village = s.day.isoformat(), m.village().name
    p: dict[str, Any] = {"record_id": m.uid(), "village": village}
    if event_type == "relief.PostsProvided":
        p |= {
            "kind": m.rng.choice(["public_welfare", "employment"]),
            "employer": "湘潭某厂",
            "posts": m.rng.randrange(1, 15),
            "people": ["周一"],
            "provided_on": on,
        }
    elif event_type == "relief.StudentHelped":
        p |= {
            "student_name": m.rng.choice(["张小明", "李小红", "王小刚"]),
            "school": "易俗河镇中心校",
            "support": "学费资助",
            "amount": m.rng.choice([None, m.money(500, 3000)]),
            "people": ["镇团委"],
            "helped_on": on,
        }
    elif event_type == "relief.FreeClinicHeld":
        staff = m.rng.sample(["医生甲", "医生乙", "护士丙", "医生丁", "护士戊"], 2)
        p |= {"medical_staff": staff, "patients": m.rng.randrange(10, 90)}
        p |= {"services": "义诊", "held_on": on}
    else:
        p |= {"enterprise": "湘潭某公司", "people": ["负责人"], "content": "产业帮扶"}
        p |= {"paired_on": on}
    return event_type, p, AGRICULTURE


def project(m: HistoryMaker, s: Sim) -> Made:
    pid, on = s.entity_id, s.day.isoformat()
    if s.steps == 0:
        due = m.day_after(s.day).isoformat() if m.rng.random() < 0.8 else None
        return (
            "relief.LivelihoodProjectListed",
            {
                "project_id": pid,
                "name": f"民生项目{pid[:4]}",
                "category": m.rng.choice(["water", "transport", "school", "custom"]),
                "village": m.rng.choice([s.village.name, s.village.name, None]),
                "description": "实事",
                "lead_unit": m.rng.choice(["水利站", "交通站"]),
                "budget": m.money(),
                "due_on": due,
                "listed_on": on,
            },
            AGRICULTURE,
        )
    step = choose(m, {"started": 2, "accepted": 1, "after_care": 1})
    if step == "started":
        return "relief.LivelihoodProjectStarted", {"project_id": pid, "started_on": on}, AGRICULTURE
    if step == "accepted":
        p = {"project_id": pid, "accepted_by": "镇政府", "result": "合格", "accepted_on": on}
        return "relief.LivelihoodProjectAccepted", p, AGRICULTURE
    p = {"project_id": pid, "note": "维护", "responsible": "村委", "recorded_on": on}
    return "relief.AfterCareRecorded", p, AGRICULTURE


def site(m: HistoryMaker, s: Sim) -> Made:
    sid, on = s.entity_id, s.day.isoformat()
    if s.steps == 0:
        return (
            "relief.CommunityServiceSiteRegistered",
            {
                "site_id": sid,
                "name": f"服务中心{sid[:3]}",
                "community": s.village.name,
                "area_m2": str(m.rng.randrange(300, 900)),
                "office_area_m2": None,
                "registered_on": on,
            },
            AGRICULTURE,
        )
    step = choose(m, {"expanded": 1, "items": 2, "certified": 1})
    if step == "expanded":
        p = {"site_id": sid, "area_m2": "650", "method": "扩建", "expanded_on": on}
        return "relief.CommunityServiceSiteExpanded", p, AGRICULTURE
    if step == "items":
        items = m.rng.sample(["signage", "facade", "door_plates", "service_windows"], 2)
        p = {"site_id": sid, "items": items, "completed_on": on}
        return "relief.FiveUnifiedItemsCompleted", p, AGRICULTURE
    p = {"site_id": sid, "area_m2": "650", "certified_on": on}
    return "relief.CommunityServiceSiteCertifiedCompliant", p, AGRICULTURE


def station(m: HistoryMaker, s: Sim) -> Made:
    on, v = s.day.isoformat(), s.village
    if s.steps == 0 or m.rng.random() < 0.2:
        p = {"name": f"{v.name}便民服务站", "village": v.name, "village_code": v.code}
        return (
            "relief.ServiceStationDesignated",
            p | {"address": "村部", "designated_on": on},
            CLERK,
        )
    shifts = [{"weekday": 1, "cadre": "值班员", "post": "文书"}]
    p = {"village": v.name, "effective_from": on, "shifts": shifts}
    return "relief.DutyRotaPublished", p, CLERK


def agency(m: HistoryMaker, s: Sim) -> Made:
    iid, on = s.entity_id, s.day.isoformat()
    if s.steps == 0:
        return (
            "relief.AgencyRequestReceived",
            {
                "item_id": iid,
                "village": s.village.name,
                "applicant": "村民甲",
                "matter": "医保报销",
                "agent": "代办员",
                "received_on": on,
            },
            CLERK,
        )
    if m.rng.random() < 0.6:
        p = {"item_id": iid, "result": "已办", "handled_on": on}
        return "relief.AgencyRequestHandled", p, CLERK
    p = {"item_id": iid, "signed_by": "村民甲", "signed_off_on": on}
    return "relief.AgencyRequestSignedOff", p, CLERK


RELIEF = {
    "household": Kind(uid_named("household"), household, 6, most=12),
    "activity": Kind(_activity_named, activity, 2, most=4),
    "project": Kind(uid_named("project"), project, 1),
    "site": Kind(uid_named("site"), site, 0.7, most=4),
    "station": Kind(village_named("station"), station, 0.5),
    "agency": Kind(uid_named("agency"), agency, 0.7),
}
