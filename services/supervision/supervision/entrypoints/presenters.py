"""Presenters (展示): how casework is shown — plain dictionaries for the JSON API, with the
derived facts (overdue, days open) worked out for the day asked about, and names masked by
role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shared.kernel import mask_name
from supervision.domain.clues import Clue
from supervision.domain.directives import Directive
from supervision.domain.items import ListItem
from supervision.domain.measures import Measure
from supervision.domain.petitions import Petition
from supervision.domain.vocabulary import STATUS_LABELS

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
        "petitioner_name": name if reveal_names else mask_name(name),
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
        return name if reveal_names or name is None else mask_name(name)

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
