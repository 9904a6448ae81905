"""JSON forms of the aggregates for the GET endpoints. Money as decimal strings (never floats);
ID numbers masked unless the caller's role works with them."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from relief.domain.activities import ACTIVITIES, LABELS, ActivityLedger, Progress
from relief.domain.events import Helper
from relief.domain.household import Household
from relief.domain.projects import LivelihoodProject
from relief.domain.sites import WEEKDAYS, AgencyItem, CommunityServiceSite, ServiceStation
from relief.domain.values import (
    FIVE_PROJECTS,
    FIVE_UNIFIED,
    PROJECT_CATEGORIES,
    HouseholdStatus,
)
from shared.codec import encode
from shared.personal import disclosed

STATUS_LABELS = {
    HouseholdStatus.REGISTERED: "在档贫困户",
    HouseholdStatus.EXITED: "已脱贫",
    HouseholdStatus.RETURNED: "返贫",
}


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _id(value: str, reveal: bool) -> str:
    return disclosed.id_number(value, reveal)


def helper(value: Helper | None) -> dict[str, Any] | None:
    return None if value is None else asdict(value)


def household_summary(h: Household, reveal: bool) -> dict[str, Any]:
    return {
        "household_id": h.household_id,
        "village": h.village,
        "head_name": disclosed.name(h.head_name, True, of=h.head_id_number),
        "head_id_number": _id(h.head_id_number, reveal),
        "size": len(h.members),
        "status": h.status.value,
        "status_label": STATUS_LABELS[h.status],
        "income_per_head": money(h.income_per_head),
        "paired": h.helper is not None,
        "visits": len(h.visits),
        "version": h.version,
    }


def household(h: Household, reveal: bool) -> dict[str, Any]:
    checks = h.guarantees
    return household_summary(h, reveal) | {
        "village_code": h.village_code,
        "members": [
            {
                "name": disclosed.name(m.name, True, of=m.id_number),
                "id_number": _id(m.id_number, reveal),
                "relation": m.relation,
            }
            for m in h.members
        ],
        "causes": h.causes,
        "registered_on": day(h.registered_on),
        "incomes": {str(year): money(value) for year, value in sorted(h.incomes.items())},
        "guarantees": None
        if checks is None
        else asdict(checks) | {"checked_on": day(h.guarantees_checked_on), "unmet": checks.unmet()},
        "exited_on": day(h.exited_on),
        "history": [{"status": s.status.value, "on": day(s.on), "note": s.note} for s in h.history],
        "helper": helper(h.helper),
        "paired_on": day(h.paired_on),
        "former_helpers": [
            {"helper": helper(old), "reason": reason, "until": day(until)}
            for old, reason, until in h.former_helpers
        ],
        "visit_log": [
            {
                "visit_id": v.visit_id,
                "visitor": v.visitor,
                "notes": v.notes,
                "on": day(v.visited_on),
            }
            for v in sorted(h.visits.values(), key=lambda v: v.visited_on)
        ],
        "measures": [
            {
                "measure_id": m.measure_id,
                "project": m.project,
                "project_label": FIVE_PROJECTS.get(m.project, m.project),
                "description": m.description,
                "planned_on": day(m.planned_on),
                "completed_on": day(m.completed_on),
                "outcome": m.outcome,
                "status": "done" if m.completed_on else "planned",
            }
            for m in h.measures.values()
        ],
    }


def progress(p: Progress) -> dict[str, Any]:
    return {
        "activity": p.activity,
        "activity_label": LABELS.get(p.activity, p.activity),
        "measure": p.measure,
        "done": p.done,
        "target": p.target,
        "percent": p.percent,
        "achieved": p.achieved,
        "deadline": day(p.deadline),
    }


def _people_shown(record: dict[str, Any]) -> dict[str, Any]:
    """An activity record with the people it names (a student, the people a post or a pairing
    went to) shown through the access log: every official reads them, each read is recorded."""
    if isinstance(record.get("student_name"), str):
        record["student_name"] = disclosed.name(record["student_name"], True)
    if isinstance(record.get("people"), list):
        record["people"] = [
            disclosed.name(p, True) if isinstance(p, str) else p for p in record["people"]
        ]
    return record


def ledger(found: ActivityLedger, as_of: dt.date | None, village: str | None) -> dict[str, Any]:
    """An activity's records by `as_of`, only `village`'s for a village-scoped reader."""
    records = [_people_shown(encode(e)) for e in found.as_of(as_of)]
    return {
        "activity": found.activity,
        "activity_label": ACTIVITIES[found.activity],
        "records": [r for r in records if village in (None, r["village"])],
        "version": found.version,
    }


def project(p: LivelihoodProject) -> dict[str, Any]:
    return {
        "project_id": p.project_id,
        "name": p.name,
        "category": p.category,
        "category_label": PROJECT_CATEGORIES.get(p.category, p.category),
        "level": "village" if p.village else "town",
        "village": p.village,
        "description": p.description,
        "lead_unit": p.lead_unit,
        "budget": money(p.budget),
        "due_on": day(p.due_on),
        "status": p.status.value,
        "listed_on": day(p.listed_on),
        "started_on": day(p.started_on),
        "accepted_on": day(p.accepted_on),
        "accepted_by": p.accepted_by,
        "result": p.result,
        "after_care": [
            {"responsible": a.responsible, "note": a.note, "on": day(a.recorded_on)}
            for a in p.after_care
        ],
        "version": p.version,
    }


def site(s: CommunityServiceSite, min_area: Decimal) -> dict[str, Any]:
    return {
        "site_id": s.site_id,
        "community": s.community,
        "name": s.name,
        "area_m2": money(s.area_m2),
        "office_area_m2": money(s.office_area_m2),
        "area_ok": s.area_m2 >= min_area,
        "min_area_m2": money(min_area),
        "five_unified": {
            item: {"label": label, "done_on": day(s.unified.get(item))}
            for item, label in FIVE_UNIFIED.items()
        },
        "missing": s.missing_items(),
        "compliant": s.certified_on is not None,
        "certified_on": day(s.certified_on),
        "registered_on": day(s.registered_on),
        "version": s.version,
    }


def station(s: ServiceStation) -> dict[str, Any]:
    return {
        "village": s.village,
        "village_code": s.village_code,
        "name": s.name,
        "address": s.address,
        "designated_on": day(s.designated_on),
        "rota_effective_from": day(s.rota_from),
        "rota": [
            {
                "weekday": r.weekday,
                "weekday_label": WEEKDAYS[r.weekday],
                "cadre": r.cadre,
                "post": r.post,
            }
            for r in s.rota
        ],
        "version": s.version,
    }


def agency_item(i: AgencyItem) -> dict[str, Any]:
    return {
        "item_id": i.item_id,
        "village": i.village,
        "applicant": disclosed.name(i.applicant, True),
        "matter": i.matter,
        "agent": i.agent,
        "status": i.status,
        "received_on": day(i.received_on),
        "handled_on": day(i.handled_on),
        "result": i.result,
        "signed_off_on": day(i.signed_off_on),
        "signed_by": disclosed.name(i.signed_by, True) if i.signed_by else i.signed_by,
        "version": i.version,
    }
