"""Presenters (展示): how casework is shown — plain dictionaries for the JSON API, with the
derived facts (overdue, days open) worked out for the day asked about, and names masked by
role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shared.personal import disclosed
from supervision.domain.appraisal import AppraisalFacts
from supervision.domain.clues import Clue
from supervision.domain.committee import Committee, report_due_on
from supervision.domain.directives import Directive
from supervision.domain.events import PowerItem
from supervision.domain.items import ListItem
from supervision.domain.measures import Measure
from supervision.domain.petitions import Petition
from supervision.domain.powers import PowerBreach, PowerList
from supervision.domain.vocabulary import AFTER_THE_ACT, STATUS_LABELS, STEP_LABELS

View = dict[str, Any]


def _status(status: str) -> View:
    return {"status": status, "status_label": STATUS_LABELS.get(status, status)}


def _notes(notes: list[tuple[dt.date, str]]) -> list[View]:
    return [{"on": on, "note": note} for on, note in notes]


def measure_view(measure: Measure) -> View:
    event = measure.registered
    assert event is not None
    return {
        "stream_id": measure.stream_id,
        "version": measure.version,
        "plan_id": event.plan_id,
        "plan_version": event.plan_version,
        "number": event.number,
        "title": event.title,
        "group": event.group,
        "group_title": event.group_title,
        "lead_post": event.lead_post,
        "lead_units": list(event.lead_units),
        "deadline": event.deadline,
        "due_on": event.due_on,
        "tasks": list(event.tasks),
        "targets": [
            {"key": t.key, "text": t.text, "quantity": t.quantity, "unit": t.unit}
            for t in event.targets
        ],
        "problems": list(event.problems),
        "registered_on": event.registered_on,
    }


def item_view(item: ListItem, today: dt.date) -> View:
    listed = item.listed
    assert listed is not None
    return {
        "id": item.item_id,
        "version": item.version,
        "list_name": listed.list_name,
        "title": listed.title,
        "detail": listed.detail,
        "source": listed.source,
        "measure": listed.measure,
        "lead_post": listed.lead_post,
        "lead_unit": listed.lead_unit,
        "village": listed.village,
        "listed_on": listed.listed_on,
        "deadline": item.deadline,
        **_status(item.status),
        "overdue": item.overdue(today),
        "days_overdue": item.days_overdue(today),
        "as_of": today,
        "evidence": list(item.evidence),
        "rectified_on": item.rectified_on,
        "closed_on": item.closed_on,
        "reopen_reasons": item.reopen_reasons,
        "notes": _notes(item.notes),
        "branch_id": listed.branch_id,
        "period": listed.period,
        "designation_lifted_on": item.designation_lifted_on,
    }


def petition_view(petition: Petition, today: dt.date, *, reveal_names: bool) -> View:
    received = petition.received
    assert received is not None
    name = received.petitioner_name
    return {
        "id": petition.petition_id,
        "version": petition.version,
        "channel": received.channel,
        "petitioner_name": disclosed.name(name, reveal_names),
        "petitioner_count": received.petitioner_count,
        "village": received.village,
        "subject": received.subject,
        "received_on": received.received_on,
        "repeat_of": received.repeat_of,
        "repeats": petition.repeats,
        "focus_area": petition.focus_area,
        "key_case": petition.key_case,
        "team": (
            {"name": petition.team.team_name, "members": list(petition.team.members)}
            if petition.team
            else None
        ),
        "leader": petition.leader,
        **_status(petition.status),
        "backlog": petition.backlog,
        "days_open": (today - received.received_on).days if petition.backlog else None,
        "as_of": today,
        "notes": _notes(petition.notes),
        "resolution": petition.resolution,
        "closed_on": petition.closed_on,
        "reopen_reasons": petition.reopen_reasons,
    }


def directive_view(directive: Directive, today: dt.date) -> View:
    received = directive.received
    assert received is not None
    assigned = directive.assigned
    return {
        "id": directive.directive_id,
        "version": directive.version,
        "kind": received.kind,
        "level": received.level,
        "issued_by": received.issued_by,
        "reference": received.reference,
        "subject": received.subject,
        "received_on": received.received_on,
        "due_on": directive.due_on,
        "lead_post": assigned.lead_post if assigned else None,
        "lead_unit": assigned.lead_unit if assigned else None,
        "assigned_on": assigned.assigned_on if assigned else None,
        **_status(directive.status),
        "overdue": directive.overdue(today),
        "days_overdue": directive.days_overdue(today),
        "as_of": today,
        "progress_reports": [{"on": on, "report": r} for on, r in directive.reports],
        "result": directive.result,
        "completed_on": directive.completed_on,
    }


def clue_view(clue: Clue, *, reveal_names: bool) -> View:
    received = clue.received
    assert received is not None

    def shown(name: str | None) -> str | None:
        return None if name is None else disclosed.name(name, reveal_names)

    conclusion = clue.conclusion
    return {
        "id": clue.clue_id,
        "version": clue.version,
        "category": received.category,
        "measure": received.measure,
        "channel": received.channel,
        "summary": received.summary,
        "village": received.village,
        "subject_name": shown(received.subject_name),
        "subject_post": received.subject_post,
        "subject_member_id": received.subject_member_id,
        "received_on": received.received_on,
        "red_flag": (
            {
                "flag_id": received.red_flag_id,
                "code": received.red_flag_code,
                "programme_id": received.programme_id,
                "severity": received.severity,
            }
            if received.red_flag_id
            else None
        ),
        "appraisal_year": received.appraisal_year,
        **_status(clue.status),
        "findings": clue.findings,
        "decisions": [
            {
                "case_id": d.case_id,
                "subject_name": shown(d.subject_name),
                "subject_member_id": d.subject_member_id,
                "subject_post": d.subject_post,
                "kind": d.kind,
                "reason": d.reason,
                "decided_on": d.decided_on,
            }
            for d in clue.decisions
        ],
        "conclusion": (
            {
                "outcome": conclusion.outcome,
                "concluded_on": conclusion.concluded_on,
                "reason": conclusion.reason,
                "kinds": list(conclusion.kinds),
            }
            if conclusion
            else None
        ),
    }


# --- village governance and the appraisal's facts ---------------------------------------------


def power_items_view(items: tuple[PowerItem, ...]) -> list[View]:
    return [
        {
            "code": item.code,
            "name": item.name,
            "steps": [
                {
                    "name": s.name,
                    "label": STEP_LABELS.get(s.name, s.name),
                    "actor": s.actor,
                    "disclosed": s.disclosed,
                    "required_of_the_act": s.name not in AFTER_THE_ACT,
                }
                for s in item.steps
            ],
        }
        for item in items
    ]


def power_list_view(
    village: str, village_code: str, year: int, powers: PowerList, default: tuple[PowerItem, ...]
) -> View:
    """The list in force for a village and year: the latest version published, else the
    town's reference list (`published` false)."""
    current = powers.in_force
    return {
        "village": village,
        "village_code": village_code,
        "year": year,
        "published": current is not None,
        "version": current.version if current else None,
        "published_on": current.published_on if current else None,
        "source": f"第 {current.version} 版" if current else "镇参考清单",
        "items": power_items_view(current.items if current else default),
        "versions": [
            {"version": v.version, "published_on": v.published_on} for v in powers.versions
        ],
    }


def breach_view(breach: PowerBreach) -> View:
    event = breach.breached
    assert event is not None
    return {
        "act_event_id": event.act_event_id,
        "act_type": event.act_type,
        "village": event.village,
        "power_item": event.power_item,
        "missing_steps": list(event.missing_steps),
        "missing_labels": [STEP_LABELS.get(s, s) for s in event.missing_steps],
        "item_id": event.item_id,
        "found_on": event.found_on,
    }


def committee_report_status(committee: Committee, year: int, today: dt.date) -> View:
    """How the committee's report for `year` stands on `today`."""
    made = committee.reports.get(year)
    raised = committee.overdue_raised.get(year)
    due = report_due_on(year)
    if committee.reported_in_time(year):
        status, label = "reported", "已按期报告"
    elif made is not None and made.reported_on <= today:
        status, label = "late", "逾期后补报"
    elif committee.overdue(year, today):
        status, label = "overdue", "逾期未报告"
    elif today > due:
        status, label = "not_required", "到期时尚未产生委员会"
    else:
        status, label = "pending", "未到期"
    return {
        "year": year,
        "due_on": due,
        "status": status,
        "status_label": label,
        "overdue": status == "overdue",
        "reported_on": made.reported_on if made else None,
        "summary": made.summary if made else None,
        "overdue_recorded_on": raised.found_on if raised else None,
    }


def committee_view(committee: Committee, today: dt.date, since_year: int) -> View:
    members = list(committee.members.values())
    years = sorted({*range(since_year, today.year + 1), *committee.reports})
    return {
        "village": committee.village,
        "village_code": committee.village_code,
        "version": committee.version,
        "as_of": today,
        "serving": [
            {
                "member_id": m.member_id,
                "name": m.name,
                "position": m.position,
                "appointed_on": m.appointed_on,
            }
            for m in committee.serving(today)
        ],
        "members": [
            {
                "member_id": m.member_id,
                "name": m.name,
                "position": m.position,
                "appointed_on": m.appointed_on,
                "left_on": m.left_on,
            }
            for m in sorted(members, key=lambda m: (m.appointed_on, m.member_id))
        ],
        "reports": [committee_report_status(committee, y, today) for y in years],
        "findings": [
            {
                "finding_id": f.finding_id,
                "title": f.title,
                "detail": f.detail,
                "item_id": f.item_id,
                "found_on": f.found_on,
            }
            for f in committee.findings
        ],
    }


def appraisal_view(facts: AppraisalFacts) -> View:
    latest = facts.latest
    assert latest is not None
    return {
        "year": latest.year,
        "as_of": latest.as_of,
        "version": facts.version,
        "records": len(facts.records),
        "units": [
            {
                "unit": u.unit,
                "kind": u.kind,
                "measures_total": u.measures_total,
                "measures_done": u.measures_done,
                "items_total": u.items_total,
                "items_overdue": u.items_overdue,
                "directives_total": u.directives_total,
                "directives_on_time": u.directives_on_time,
                "petitions_total": u.petitions_total,
                "petitions_resolved": u.petitions_resolved,
            }
            for u in latest.units
        ],
    }
