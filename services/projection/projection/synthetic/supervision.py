"""Envelopes shaped like supervision's events (the 14 measures, measures 7, 11, 12, 13),
payloads as in `contracts/events/supervision`.

Streams: `measure-<plan>-<nn>`, `item-<id>`, `petition-<id>`, `directive-<id>`, `clue-<id>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from projection.synthetic.factory import DEPUTY, DISCIPLINE, EnvelopeFactory
from shared.envelope import Actor, Envelope


def _ev(
    f: EnvelopeFactory,
    kind: str,
    entity_id: str,
    event: str,
    payload: dict[str, object],
    on: dt.date,
    actor: Actor = DISCIPLINE,
) -> Envelope:
    return f.event(
        f"{kind}-{entity_id}",
        f"supervision.{event}",
        {f"{kind}_id": entity_id, **payload},
        on=on,
        actor=actor,
    )


def measure_registered(
    f: EnvelopeFactory,
    number: int,
    title: str,
    lead_post: str,
    due_on: dt.date | None,
    on: dt.date,
    *,
    plan_id: str = "2016",
    group: int = 1,
    group_title: str = "抓民生实事",
    lead_units: Sequence[str] = ("扶贫办",),
    deadline: str | None = None,
) -> Envelope:
    """One of the plan's 14 measures registered for supervision (督办)."""
    return f.event(
        f"measure-{plan_id}-{number:02d}",
        "supervision.MeasureRegistered",
        {
            "plan_id": plan_id,
            "plan_version": 1,
            "number": number,
            "title": title,
            "group": group,
            "group_title": group_title,
            "lead_post": lead_post,
            "lead_units": list(lead_units),
            "deadline": deadline or (due_on.isoformat()[:7] if due_on else "长期"),
            "due_on": due_on.isoformat() if due_on else None,
            "tasks": [],
            "targets": [],
            "problems": [],
            "registered_on": on.isoformat(),
        },
        on=on,
        actor=DISCIPLINE,
    )


def item_listed(
    f: EnvelopeFactory,
    item_id: str,
    title: str,
    measure: int,
    deadline: dt.date,
    village: str | None,
    on: dt.date,
    *,
    list_name: str = "问题清单",
    detail: str = "",
    source: str = "上级点",
    lead_post: str = "分管农业的负责人",
    lead_unit: str = "扶贫办",
    branch_id: str | None = None,
    period: str | None = None,
) -> Envelope:
    """An item on one of the three lists (问题清单、责任清单、整改清单)."""
    return _ev(
        f,
        "item",
        item_id,
        "ItemListed",
        {
            "list_name": list_name,
            "title": title,
            "detail": detail,
            "source": source,
            "measure": measure,
            "lead_post": lead_post,
            "lead_unit": lead_unit,
            "deadline": deadline.isoformat(),
            "village": village,
            "listed_on": on.isoformat(),
            "branch_id": branch_id,
            "period": period,
        },
        on,
    )


def item_started(
    f: EnvelopeFactory, item_id: str, on: dt.date, note: str = "已启动整改"
) -> Envelope:
    return _ev(
        f, "item", item_id, "ItemWorkStarted", {"note": note, "started_on": on.isoformat()}, on
    )


def item_noted(f: EnvelopeFactory, item_id: str, on: dt.date, note: str = "推进中") -> Envelope:
    return _ev(f, "item", item_id, "ItemNoted", {"note": note, "noted_on": on.isoformat()}, on)


def item_rectified(
    f: EnvelopeFactory, item_id: str, on: dt.date, summary: str = "整改到位"
) -> Envelope:
    return _ev(
        f,
        "item",
        item_id,
        "ItemRectified",
        {"summary": summary, "evidence": ["整改报告"], "rectified_on": on.isoformat()},
        on,
    )


def item_closed(f: EnvelopeFactory, item_id: str, on: dt.date, note: str = "销号") -> Envelope:
    return _ev(
        f,
        "item",
        item_id,
        "ItemClosed",
        {"note": note, "evidence": ["验收意见"], "closed_on": on.isoformat()},
        on,
    )


def item_reopened(
    f: EnvelopeFactory,
    item_id: str,
    on: dt.date,
    new_deadline: dt.date | None,
    reason: str = "群众反映整改不实",
) -> Envelope:
    return _ev(
        f,
        "item",
        item_id,
        "ItemReopened",
        {
            "reason": reason,
            "new_deadline": new_deadline.isoformat() if new_deadline else None,
            "reopened_on": on.isoformat(),
        },
        on,
    )


def petition_received(
    f: EnvelopeFactory,
    petition_id: str,
    village: str | None,
    petitioner: str,
    subject: str,
    on: dt.date,
    *,
    channel: str = "来访",
    count: int = 1,
    repeat_of: str | None = None,
) -> Envelope:
    """信访 received."""
    return _ev(
        f,
        "petition",
        petition_id,
        "PetitionReceived",
        {
            "channel": channel,
            "petitioner_name": petitioner,
            "petitioner_count": count,
            "village": village,
            "subject": subject,
            "received_on": on.isoformat(),
            "repeat_of": repeat_of,
        },
        on,
        DEPUTY,
    )


def petition_classified(
    f: EnvelopeFactory, petition_id: str, focus_area: str, on: dt.date, *, key_case: bool = False
) -> Envelope:
    return _ev(
        f,
        "petition",
        petition_id,
        "PetitionClassified",
        {
            "focus_area": focus_area,
            "key_case": key_case,
            "classified_on": on.isoformat(),
        },
        on,
        DEPUTY,
    )


def petition_team_formed(
    f: EnvelopeFactory, petition_id: str, team: str, members: Sequence[str], on: dt.date
) -> Envelope:
    return _ev(
        f,
        "petition",
        petition_id,
        "PetitionTeamFormed",
        {"team_name": team, "members": list(members), "formed_on": on.isoformat()},
        on,
        DEPUTY,
    )


def petition_leader_assigned(
    f: EnvelopeFactory, petition_id: str, leader: str, on: dt.date
) -> Envelope:
    return _ev(
        f,
        "petition",
        petition_id,
        "PetitionLeaderAssigned",
        {"leader": leader, "assigned_on": on.isoformat()},
        on,
        DEPUTY,
    )


def petition_progress(
    f: EnvelopeFactory, petition_id: str, on: dt.date, note: str = "跟踪督办"
) -> Envelope:
    return _ev(
        f,
        "petition",
        petition_id,
        "PetitionProgressNoted",
        {"note": note, "noted_on": on.isoformat()},
        on,
        DEPUTY,
    )


def petition_resolved(
    f: EnvelopeFactory, petition_id: str, on: dt.date, resolution: str = "已化解"
) -> Envelope:
    return _ev(
        f,
        "petition",
        petition_id,
        "PetitionResolved",
        {"resolution": resolution, "resolved_on": on.isoformat()},
        on,
        DEPUTY,
    )


def petition_closed(
    f: EnvelopeFactory, petition_id: str, on: dt.date, note: str = "息访"
) -> Envelope:
    return _ev(
        f,
        "petition",
        petition_id,
        "PetitionClosed",
        {"note": note, "closed_on": on.isoformat()},
        on,
        DEPUTY,
    )


def petition_reopened(
    f: EnvelopeFactory, petition_id: str, on: dt.date, reason: str = "重复来访"
) -> Envelope:
    return _ev(
        f,
        "petition",
        petition_id,
        "PetitionReopened",
        {"reason": reason, "reopened_on": on.isoformat()},
        on,
        DEPUTY,
    )


def directive_received(
    f: EnvelopeFactory,
    directive_id: str,
    subject: str,
    on: dt.date,
    due_on: dt.date | None,
    *,
    kind: str = "批示件",
    level: str = "县",
    issued_by: str = "县委书记",
    reference: str | None = None,
) -> Envelope:
    """批示件 or 交办事项 received."""
    return _ev(
        f,
        "directive",
        directive_id,
        "DirectiveReceived",
        {
            "kind": kind,
            "level": level,
            "issued_by": issued_by,
            "reference": reference,
            "subject": subject,
            "received_on": on.isoformat(),
            "due_on": due_on.isoformat() if due_on else None,
        },
        on,
    )


def directive_assigned(
    f: EnvelopeFactory,
    directive_id: str,
    lead_post: str,
    lead_unit: str,
    on: dt.date,
    due_on: dt.date | None,
) -> Envelope:
    return _ev(
        f,
        "directive",
        directive_id,
        "DirectiveAssigned",
        {
            "lead_post": lead_post,
            "lead_unit": lead_unit,
            "assigned_on": on.isoformat(),
            "due_on": due_on.isoformat() if due_on else None,
        },
        on,
    )


def directive_progress(
    f: EnvelopeFactory, directive_id: str, on: dt.date, report: str = "正在办理"
) -> Envelope:
    return _ev(
        f,
        "directive",
        directive_id,
        "DirectiveProgressReported",
        {"report": report, "reported_on": on.isoformat()},
        on,
    )


def directive_reported_back(
    f: EnvelopeFactory, directive_id: str, on: dt.date, result: str = "已按要求办理"
) -> Envelope:
    return _ev(
        f,
        "directive",
        directive_id,
        "DirectiveReportedBack",
        {"result": result, "reported_on": on.isoformat()},
        on,
    )


def directive_completed(
    f: EnvelopeFactory, directive_id: str, on: dt.date, note: str = "办结"
) -> Envelope:
    return _ev(
        f,
        "directive",
        directive_id,
        "DirectiveCompleted",
        {"note": note, "completed_on": on.isoformat()},
        on,
    )


def clue_received(
    f: EnvelopeFactory,
    clue_id: str,
    category: str,
    measure: int,
    summary: str,
    village: str | None,
    on: dt.date,
    *,
    channel: str = "举报",
    subject_name: str | None = None,
    subject_post: str | None = None,
    subject_member_id: str | None = None,
    red_flag: tuple[str, str, str | None] | None = None,
) -> Envelope:
    """A clue of inaction (为官不为) or micro-corruption (雁过拔毛); `red_flag` as
    (flag id, code, programme id) when a red flag in funds opened it."""
    payload: dict[str, object] = {
        "category": category,
        "measure": measure,
        "channel": channel,
        "summary": summary,
        "village": village,
        "subject_name": subject_name,
        "subject_post": subject_post,
        "subject_member_id": subject_member_id,
        "received_on": on.isoformat(),
    }
    if red_flag:
        payload.update(
            red_flag_id=red_flag[0],
            red_flag_code=red_flag[1],
            programme_id=red_flag[2],
            severity="high",
        )
    return _ev(f, "clue", clue_id, "ClueReceived", payload, on)


def clue_verified(
    f: EnvelopeFactory, clue_id: str, on: dt.date, findings: str = "初核属实"
) -> Envelope:
    return _ev(
        f,
        "clue",
        clue_id,
        "ClueVerified",
        {"findings": findings, "verified_on": on.isoformat()},
        on,
    )


def accountability_decided(
    f: EnvelopeFactory,
    clue_id: str,
    case_id: str,
    subject_name: str,
    on: dt.date,
    *,
    kind: str = "诫勉谈话",
    subject_post: str | None = None,
    subject_member_id: str | None = None,
    red_flag_id: str | None = None,
    reason: str = "经查属实",
) -> Envelope:
    return _ev(
        f,
        "clue",
        clue_id,
        "AccountabilityDecided",
        {
            "case_id": case_id,
            "kind": kind,
            "reason": reason,
            "subject_name": subject_name,
            "subject_post": subject_post,
            "subject_member_id": subject_member_id,
            "red_flag_id": red_flag_id,
            "decided_on": on.isoformat(),
        },
        on,
    )


def clue_concluded(
    f: EnvelopeFactory,
    clue_id: str,
    outcome: str,
    on: dt.date,
    *,
    kinds: Sequence[str] = (),
    red_flag_id: str | None = None,
    reason: str = "办结",
) -> Envelope:
    return _ev(
        f,
        "clue",
        clue_id,
        "ClueConcluded",
        {
            "outcome": outcome,
            "kinds": list(kinds),
            "reason": reason,
            "red_flag_id": red_flag_id,
            "concluded_on": on.isoformat(),
        },
        on,
    )


# -- village governance (issue 15) ---------------------------------------------------------

#: Supervision's default small powers (小微权力) and their flows: (code, name, steps).
DEFAULT_POWERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "major_decision",
        "重大事项决策",
        ("proposed", "consulted", "reviewed", "resolved", "resolution_disclosed"),
    ),
    ("finance", "财务收支", ("handled", "reviewed_by_committee", "approved", "booked")),
    (
        "works",
        "工程项目",
        ("proposed", "consulted", "reviewed", "resolved", "resolution_disclosed"),
    ),
    (
        "asset_disposal",
        "资产资源处置",
        ("proposed", "consulted", "reviewed", "resolved", "resolution_disclosed", "filed"),
    ),
    ("assistance", "低保和救助对象评定", ("proposed", "reviewed", "resolution_disclosed")),
    ("homestead", "宅基地", ("handled", "reviewed", "approved")),
)


def power_list_published(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    year: int,
    version: int,
    on: dt.date,
    *,
    items: Sequence[tuple[str, str, Sequence[str]]] = DEFAULT_POWERS,
) -> Envelope:
    """小微权力清单: a village's list for a year (a later version supersedes)."""
    return f.event(
        f"powers-{village_code}-{year}",
        "supervision.PowerListPublished",
        {
            "village": village,
            "village_code": village_code,
            "year": year,
            "version": version,
            "items": [
                {
                    "code": code,
                    "name": name,
                    "steps": [
                        {"name": step, "actor": "村两委", "disclosed": step.endswith("disclosed")}
                        for step in steps
                    ],
                }
                for code, name, steps in items
            ],
            "published_on": on.isoformat(),
        },
        on=on,
        actor=DISCIPLINE,
    )


def power_flow_breached(
    f: EnvelopeFactory,
    act_event_id: str,
    act_type: str,
    village: str,
    power_item: str,
    missing_steps: Sequence[str],
    item_id: str,
    on: dt.date,
) -> Envelope:
    """An act of a small power missed steps of its flow (its problem-list item: `item_id`)."""
    return f.event(
        f"breach-{act_event_id}",
        "supervision.PowerFlowBreached",
        {
            "act_event_id": act_event_id,
            "act_type": act_type,
            "village": village,
            "power_item": power_item,
            "missing_steps": list(missing_steps),
            "item_id": item_id,
            "found_on": on.isoformat(),
        },
        on=on,
        actor=Actor("system", "system"),
    )


def _committee(
    f: EnvelopeFactory, village_code: str, event: str, payload: dict[str, object], on: dt.date
) -> Envelope:
    return f.event(
        f"committee-{village_code}", f"supervision.{event}", payload, on=on, actor=DISCIPLINE
    )


def committee_member_appointed(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    member_id: str,
    name: str,
    position: str,
    on: dt.date,
) -> Envelope:
    """村务监督委员会: a member (主任 or 委员) takes office."""
    return _committee(
        f,
        village_code,
        "CommitteeMemberAppointed",
        {
            "village": village,
            "village_code": village_code,
            "member_id": member_id,
            "name": name,
            "position": position,
            "appointed_on": on.isoformat(),
        },
        on,
    )


def committee_member_left(
    f: EnvelopeFactory, village: str, village_code: str, member_id: str, on: dt.date
) -> Envelope:
    return _committee(
        f,
        village_code,
        "CommitteeMemberLeft",
        {"village": village, "member_id": member_id, "left_on": on.isoformat()},
        on,
    )


def committee_report_made(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    year: int,
    on: dt.date,
    *,
    summary: str = "全年监督村务公开、财务收支情况",
) -> Envelope:
    """The committee's yearly report to the party organisation and the representatives."""
    return _committee(
        f,
        village_code,
        "CommitteeReportMade",
        {
            "village": village,
            "year": year,
            "to_party_organisation": True,
            "to_representatives": True,
            "summary": summary,
            "reported_on": on.isoformat(),
        },
        on,
    )


def committee_report_overdue(
    f: EnvelopeFactory, village: str, village_code: str, year: int, on: dt.date
) -> Envelope:
    """No report for `year` by 31 January of the next year (the leading group's check)."""
    return _committee(
        f,
        village_code,
        "CommitteeReportOverdue",
        {
            "village": village,
            "year": year,
            "due_on": dt.date(year + 1, 1, 31).isoformat(),
            "found_on": on.isoformat(),
        },
        on,
    )


def committee_finding(
    f: EnvelopeFactory,
    village: str,
    village_code: str,
    finding_id: str,
    title: str,
    item_id: str,
    on: dt.date,
    *,
    detail: str = "监委会监督发现",
) -> Envelope:
    """A finding of the committee (it opens a problem-list item `item_id`)."""
    return _committee(
        f,
        village_code,
        "CommitteeFindingRecorded",
        {
            "village": village,
            "finding_id": finding_id,
            "title": title,
            "detail": detail,
            "item_id": item_id,
            "found_on": on.isoformat(),
        },
        on,
    )


def unit_facts(
    unit: str,
    kind: str = "unit",
    *,
    measures: tuple[int, int] = (2, 2),
    items: tuple[int, int] = (5, 0),
    directives: tuple[int, int] = (3, 3),
    petitions: tuple[int, int] = (2, 2),
) -> dict[str, object]:
    """One unit's (or village's) facts: (total, done/overdue/on time/resolved) pairs."""
    return {
        "unit": unit,
        "kind": kind,
        "measures_total": measures[0],
        "measures_done": measures[1],
        "items_total": items[0],
        "items_overdue": items[1],
        "directives_total": directives[0],
        "directives_on_time": directives[1],
        "petitions_total": petitions[0],
        "petitions_resolved": petitions[1],
    }


def appraisal_facts_recorded(
    f: EnvelopeFactory, year: int, as_of: dt.date, units: Sequence[dict[str, object]], on: dt.date
) -> Envelope:
    """The leading group records the facts of the year's appraisal."""
    return f.event(
        f"unitfacts-{year}",
        "supervision.AppraisalFactsRecorded",
        {"year": year, "as_of": as_of.isoformat(), "units": list(units)},
        on=on,
        actor=DISCIPLINE,
    )
