"""Envelopes shaped like party's events (measures 5, 8, 9, 10), payloads as in
`contracts/events/party`.

Streams: `branch-<code>` and `member-<…>` (the ids carry the prefix), `training-<…>`,
`assessment-<period>`, `adjustment-<…>`, `accountability-<case id>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from projection.synthetic.factory import ORGANISATION, SYSTEM, EnvelopeFactory
from shared.envelope import Actor, Envelope


def _ev(
    f: EnvelopeFactory,
    stream_id: str,
    event: str,
    payload: dict[str, object],
    on: dt.date,
    actor: Actor = ORGANISATION,
) -> Envelope:
    return f.event(stream_id, f"party.{event}", payload, on=on, actor=actor)


def branch_established(
    f: EnvelopeFactory,
    branch_id: str,
    name: str,
    village: str | None,
    on: dt.date,
    *,
    kind: str = "village",
    village_code: str | None = None,
) -> Envelope:
    """A party branch (党支部); `branch_id` is its stream id."""
    return _ev(
        f,
        branch_id,
        "BranchEstablished",
        {
            "branch_id": branch_id,
            "name": name,
            "kind": kind,
            "village": village,
            "village_code": village_code,
            "established_on": on.isoformat(),
        },
        on,
    )


def secretary_appointed(
    f: EnvelopeFactory, branch_id: str, member_id: str, name: str, on: dt.date
) -> Envelope:
    return _ev(
        f,
        branch_id,
        "BranchSecretaryAppointed",
        {
            "branch_id": branch_id,
            "member_id": member_id,
            "name": name,
            "appointed_on": on.isoformat(),
        },
        on,
    )


def designated_weak(
    f: EnvelopeFactory,
    branch_id: str,
    name: str,
    village: str | None,
    period: str,
    score: str,
    rank: int,
    assessed: int,
    on: dt.date,
    *,
    share: str = "10",
) -> Envelope:
    """软弱涣散: the branch at the bottom of a period's ranking."""
    return _ev(
        f,
        branch_id,
        "BranchDesignatedWeak",
        {
            "branch_id": branch_id,
            "branch_name": name,
            "village": village,
            "period": period,
            "score": score,
            "rank": rank,
            "branches_assessed": assessed,
            "weak_share_percent": share,
            "designated_on": on.isoformat(),
        },
        on,
    )


def first_secretary(
    f: EnvelopeFactory, branch_id: str, period: str, name: str, unit: str, on: dt.date
) -> Envelope:
    return _ev(
        f,
        branch_id,
        "FirstSecretaryAssigned",
        {
            "branch_id": branch_id,
            "period": period,
            "name": name,
            "unit": unit,
            "assigned_on": on.isoformat(),
        },
        on,
    )


def linked_leader(
    f: EnvelopeFactory, branch_id: str, period: str, leader: str, post: str, on: dt.date
) -> Envelope:
    return _ev(
        f,
        branch_id,
        "LinkedLeaderAssigned",
        {
            "branch_id": branch_id,
            "period": period,
            "leader_name": leader,
            "post": post,
            "assigned_on": on.isoformat(),
        },
        on,
    )


def leader_visit(
    f: EnvelopeFactory, branch_id: str, period: str, leader: str, on: dt.date
) -> Envelope:
    return _ev(
        f,
        branch_id,
        "LeaderVisitRecorded",
        {
            "branch_id": branch_id,
            "period": period,
            "leader_name": leader,
            "summary": "到点指导整顿",
            "visited_on": on.isoformat(),
        },
        on,
    )


def household_visits(
    f: EnvelopeFactory, branch_id: str, period: str, total: int, visited: int, on: dt.date
) -> Envelope:
    return _ev(
        f,
        branch_id,
        "HouseholdVisitsRecorded",
        {
            "branch_id": branch_id,
            "period": period,
            "households_total": total,
            "households_visited": visited,
            "recorded_on": on.isoformat(),
        },
        on,
    )


def designation_lifted(
    f: EnvelopeFactory,
    branch_id: str,
    period: str,
    by_period: str,
    score: str,
    rank: int,
    on: dt.date,
) -> Envelope:
    return _ev(
        f,
        branch_id,
        "BranchDesignationLifted",
        {
            "branch_id": branch_id,
            "period": period,
            "lifted_by_period": by_period,
            "score": score,
            "rank": rank,
            "rectification_complete": True,
            "lifted_on": on.isoformat(),
        },
        on,
    )


def member_joined(
    f: EnvelopeFactory,
    member_id: str,
    branch_id: str,
    name: str,
    village: str | None,
    id_number: str,
    on: dt.date,
    *,
    membership: str = "full",
    joined_party_on: dt.date = dt.date(2005, 7, 1),
) -> Envelope:
    """A party member (党员) entered in the branch's register."""
    return _ev(
        f,
        member_id,
        "MemberJoined",
        {
            "member_id": member_id,
            "branch_id": branch_id,
            "name": name,
            "village": village,
            "id_number": id_number,
            "membership": membership,
            "joined_party_on": joined_party_on.isoformat(),
            "joined_on": on.isoformat(),
        },
        on,
    )


def _points(
    f: EnvelopeFactory,
    event: str,
    member_id: str,
    rule: str,
    points: int,
    quantity: int,
    evidence: str,
    on: dt.date,
    record_id: str | None,
    extra: dict[str, object],
) -> Envelope:
    return _ev(
        f,
        member_id,
        event,
        {
            "member_id": member_id,
            "record_id": record_id or f.new_id(),
            "rule_code": rule,
            "rule_book": "2016.1",
            "points": points,
            "quantity": quantity,
            "year": on.year,
            "evidence": evidence,
            "recorded_on": on.isoformat(),
            **extra,
        },
        on,
    )


def points_awarded(
    f: EnvelopeFactory,
    member_id: str,
    rule: str,
    points: int,
    evidence: str,
    on: dt.date,
    *,
    quantity: int = 1,
    record_id: str | None = None,
) -> Envelope:
    """积分制: `points` already points × quantity."""
    return _points(
        f, "PointsAwarded", member_id, rule, points, quantity, evidence, on, record_id, {}
    )


def points_deducted(
    f: EnvelopeFactory,
    member_id: str,
    rule: str,
    points: int,
    evidence: str,
    on: dt.date,
    *,
    quantity: int = 1,
    record_id: str | None = None,
    case_id: str | None = None,
) -> Envelope:
    return _points(
        f,
        "PointsDeducted",
        member_id,
        rule,
        points,
        quantity,
        evidence,
        on,
        record_id,
        {"case_id": case_id},
    )


def member_graded(
    f: EnvelopeFactory,
    member_id: str,
    year: int,
    points: int,
    level: str,
    level_name: str,
    on: dt.date,
) -> Envelope:
    return _ev(
        f,
        member_id,
        "MemberGraded",
        {
            "member_id": member_id,
            "year": year,
            "points": points,
            "level": level,
            "level_name": level_name,
            "rule_book": "2016.1",
            "graded_on": on.isoformat(),
        },
        on,
    )


def member_converted(
    f: EnvelopeFactory, member_id: str, branch_id: str, points: int, on: dt.date
) -> Envelope:
    """A probationary member converted to full membership (转正)."""
    return _ev(
        f,
        member_id,
        "MemberConverted",
        {
            "member_id": member_id,
            "branch_id": branch_id,
            "points": points,
            "year": on.year,
            "converted_on": on.isoformat(),
        },
        on,
    )


def degree_enrolled(
    f: EnvelopeFactory,
    member_id: str,
    on: dt.date,
    *,
    institution: str = "湖南广播电视大学",
    level: str = "大专",
) -> Envelope:
    return _ev(
        f,
        member_id,
        "DegreeEducationEnrolled",
        {
            "member_id": member_id,
            "institution": institution,
            "level": level,
            "enrolled_on": on.isoformat(),
        },
        on,
    )


def unqualified_identified(
    f: EnvelopeFactory, member_id: str, year: int, points: int, on: dt.date
) -> Envelope:
    """不合格党员: below the threshold, the handling procedure opens."""
    return _ev(
        f,
        member_id,
        "UnqualifiedMemberIdentified",
        {"member_id": member_id, "year": year, "points": points, "identified_on": on.isoformat()},
        on,
    )


def unqualified_talked_to(
    f: EnvelopeFactory, member_id: str, year: int, by: str, on: dt.date
) -> Envelope:
    return _ev(
        f,
        member_id,
        "UnqualifiedMemberTalkedTo",
        {
            "member_id": member_id,
            "year": year,
            "talked_by": by,
            "summary": "谈话提醒",
            "talked_on": on.isoformat(),
        },
        on,
    )


def unqualified_outcome(
    f: EnvelopeFactory, member_id: str, year: int, outcome: str, on: dt.date
) -> Envelope:
    return _ev(
        f,
        member_id,
        "UnqualifiedMemberOutcomeRecorded",
        {
            "member_id": member_id,
            "year": year,
            "outcome": outcome,
            "summary": "处置完毕",
            "recorded_on": on.isoformat(),
        },
        on,
    )


def training_held(
    f: EnvelopeFactory,
    session_id: str,
    level: str,
    programme: str,
    topic: str,
    on: dt.date,
    attendees: Sequence[str],
    *,
    branch_id: str | None = None,
    stream_id: str | None = None,
) -> Envelope:
    """A training session (measure 8) and who attended."""
    return _ev(
        f,
        stream_id or session_id,
        "TrainingSessionHeld",
        {
            "session_id": session_id,
            "level": level,
            "programme": programme,
            "topic": topic,
            "held_on": on.isoformat(),
            "branch_id": branch_id,
            "attendee_ids": list(attendees),
        },
        on,
    )


def assessment_opened(f: EnvelopeFactory, period: str, on: dt.date) -> Envelope:
    """量化评分 of the branches for a period."""
    return _ev(
        f,
        f"assessment-{period}",
        "AssessmentOpened",
        {
            "period": period,
            "sheet_version": "2016.1",
            "weak_share_percent": "10",
            "opened_on": on.isoformat(),
        },
        on,
    )


def branch_scored(
    f: EnvelopeFactory, period: str, branch_id: str, total: str, on: dt.date
) -> Envelope:
    return _ev(
        f,
        f"assessment-{period}",
        "BranchScored",
        {
            "period": period,
            "branch_id": branch_id,
            "total": total,
            "items": [{"code": "leadership", "score": total}],
            "scored_on": on.isoformat(),
        },
        on,
    )


def assessment_concluded(
    f: EnvelopeFactory,
    period: str,
    ranking: Sequence[tuple[str, str]],
    designated: Sequence[str],
    on: dt.date,
    *,
    quota: int | None = None,
) -> Envelope:
    """The ranking as (branch id, score), best first, and the branches designated weak."""
    return _ev(
        f,
        f"assessment-{period}",
        "AssessmentConcluded",
        {
            "period": period,
            "ranking": [
                {"branch_id": b, "score": s, "rank": n} for n, (b, s) in enumerate(ranking, start=1)
            ],
            "quota": len(designated) if quota is None else quota,
            "designated": list(designated),
            "concluded_on": on.isoformat(),
        },
        on,
    )


def cadre_information_gathered(
    f: EnvelopeFactory,
    adjustment_id: str,
    cadre: str,
    post: str,
    village: str,
    grounds: Sequence[str],
    on: dt.date,
    *,
    summary: str = "群众反映",
    member_id: str | None = None,
) -> Envelope:
    """Step ① of adjusting an incompetent village cadre (measure 10)."""
    return _ev(
        f,
        adjustment_id,
        "CadreInformationGathered",
        {
            "adjustment_id": adjustment_id,
            "cadre_name": cadre,
            "post": post,
            "village": village,
            "member_id": member_id,
            "grounds": list(grounds),
            "summary": summary,
            "gathered_on": on.isoformat(),
        },
        on,
    )


def cadre_investigation_voted(f: EnvelopeFactory, adjustment_id: str, on: dt.date) -> Envelope:
    return _ev(
        f,
        adjustment_id,
        "CadreInvestigationVoted",
        {
            "adjustment_id": adjustment_id,
            "summary": "调查属实",
            "committee": {"in_favour": 5, "against": 1, "abstaining": 1},
            "representatives": {"in_favour": 28, "against": 3, "abstaining": 2},
            "investigated_on": on.isoformat(),
        },
        on,
    )


def cadre_adjustment_decided(
    f: EnvelopeFactory, adjustment_id: str, decision: str, on: dt.date
) -> Envelope:
    return _ev(
        f,
        adjustment_id,
        "CadreAdjustmentDecided",
        {
            "adjustment_id": adjustment_id,
            "decision": decision,
            "summary": "党委会议决定",
            "decided_on": on.isoformat(),
        },
        on,
    )


def cadre_adjustment_notified(
    f: EnvelopeFactory, adjustment_id: str, by: str, on: dt.date
) -> Envelope:
    return _ev(
        f,
        adjustment_id,
        "CadreAdjustmentNotified",
        {
            "adjustment_id": adjustment_id,
            "talked_by": by,
            "summary": "通报并谈话",
            "notified_on": on.isoformat(),
        },
        on,
    )


def accountability_matched(
    f: EnvelopeFactory,
    case_id: str,
    member_id: str,
    kind: str,
    points: int,
    on: dt.date,
    *,
    rule: str = "ZR02",
    record_id: str | None = None,
) -> Envelope:
    """Supervision's accountability decision matched to a member (points deducted)."""
    return _ev(
        f,
        f"accountability-{case_id}",
        "AccountabilityMatched",
        {
            "case_id": case_id,
            "member_id": member_id,
            "kind": kind,
            "points": points,
            "record_id": record_id or f.new_id(),
            "rule_code": rule,
            "decided_on": on.isoformat(),
        },
        on,
        SYSTEM,
    )


# -- 年度绩效考核 and 述职评议 (issue 15) -----------------------------------------------------


def review_score_recorded(
    f: EnvelopeFactory,
    year: int,
    subject_kind: str,
    subject: str,
    subject_name: str,
    score: str,
    on: dt.date,
) -> Envelope:
    """述职评议: the committee's score of a unit or a branch secretary (subject: the branch id)."""
    return _ev(
        f,
        f"appraisal-{year}",
        "ReviewScoreRecorded",
        {
            "year": year,
            "subject_kind": subject_kind,
            "subject": subject,
            "subject_name": subject_name,
            "score": score,
            "recorded_on": on.isoformat(),
        },
        on,
    )


def appraisal_result(
    subject_kind: str,
    subject: str,
    subject_name: str,
    facts: str,
    review: str,
    total: str,
    grade: str,
    rank: int,
    *,
    referred: bool = False,
    overdue_items: int = 0,
) -> dict[str, object]:
    """One subject's result, as party concluded it."""
    return {
        "subject_kind": subject_kind,
        "subject": subject,
        "subject_name": subject_name,
        "facts_score": facts,
        "review_score": review,
        "total": total,
        "grade": grade,
        "rank": rank,
        "referred": referred,
        "overdue_items": overdue_items,
    }


def appraisal_concluded(
    f: EnvelopeFactory, year: int, results: Sequence[dict[str, object]], on: dt.date
) -> Envelope:
    """年度绩效考核: the year's results."""
    return _ev(
        f,
        f"appraisal-{year}",
        "AppraisalConcluded",
        {"year": year, "results": list(results), "concluded_on": on.isoformat()},
        on,
    )


def inaction_referred(
    f: EnvelopeFactory,
    year: int,
    subject_kind: str,
    subject: str,
    subject_name: str,
    on: dt.date,
    *,
    reason: str = "年度考核不称职",
) -> Envelope:
    """A subject referred to the 为官不为 process by the appraisal."""
    return _ev(
        f,
        f"appraisal-{year}",
        "InactionReferred",
        {
            "year": year,
            "subject_kind": subject_kind,
            "subject": subject,
            "subject_name": subject_name,
            "reason": reason,
            "referred_on": on.isoformat(),
        },
        on,
    )
