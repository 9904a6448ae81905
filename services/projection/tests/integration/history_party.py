"""The events of the oracle's random histories for supervision's casework and for party (see
`history_relief.py`), and every kind together (`KINDS`)."""

from __future__ import annotations

from typing import Any

from projection.synthetic import DEPUTY, DISCIPLINE, ORGANISATION

from shared.town import Village

from .histories import HistoryMaker, Kind, Sim
from .history_governance import GOVERNANCE
from .history_others import FUNDS, _measure_named, item, measure
from .history_relief import RELIEF, Made, choose, uid_named

# -- supervision's casework --------------------------------------------------------------


def petition(m: HistoryMaker, s: Sim) -> Made:
    pid, on = s.entity_id, s.day.isoformat()
    p: dict[str, Any] = {"petition_id": pid}
    if s.steps == 0:
        return (
            "supervision.PetitionReceived",
            p
            | {
                "channel": "来访",
                "petitioner_name": "钱多多",
                "petitioner_count": 1,
                "village": m.rng.choice([s.village.name, None]),
                "subject": "补偿款",
                "received_on": on,
                "repeat_of": None,
            },
            DEPUTY,
        )
    step = choose(
        m,
        {"classified": 2, "team": 1, "leader": 1, "noted": 1, "resolved": 1, "closed": 1},
    )
    if step == "classified":
        area = m.rng.choice(["征地拆迁", "企业改制", "其他", "新领域"])
        p |= {"focus_area": area, "key_case": m.rng.random() < 0.5, "classified_on": on}
        return "supervision.PetitionClassified", p, DEPUTY
    if step == "team":
        p |= {"team_name": "专班", "members": ["甲", "乙"], "formed_on": on}
        return "supervision.PetitionTeamFormed", p, DEPUTY
    if step == "leader":
        p |= {"leader": m.rng.choice(["王书记", "李镇长"]), "assigned_on": on}
        return "supervision.PetitionLeaderAssigned", p, DEPUTY
    if step == "noted":
        return "supervision.PetitionProgressNoted", p | {"note": "跟踪", "noted_on": on}, DEPUTY
    if step == "resolved":
        return "supervision.PetitionResolved", p | {"resolution": "化解", "resolved_on": on}, DEPUTY
    if m.rng.random() < 0.3:
        return "supervision.PetitionReopened", p | {"reason": "反复", "reopened_on": on}, DEPUTY
    return "supervision.PetitionClosed", p | {"note": "销号", "closed_on": on}, DEPUTY


def directive(m: HistoryMaker, s: Sim) -> Made:
    did, on = s.entity_id, s.day.isoformat()
    p: dict[str, Any] = {"directive_id": did}
    due = m.rng.choice([None, m.day_after(s.day).isoformat()])
    if s.steps == 0:
        return (
            "supervision.DirectiveReceived",
            p
            | {
                "kind": m.rng.choice(["批示件", "交办事项"]),
                "level": "县",
                "issued_by": "县委书记",
                "reference": None,
                "subject": "督办",
                "received_on": on,
                "due_on": due,
            },
            DISCIPLINE,
        )
    step = choose(m, {"assigned": 2, "progress": 1, "reported": 1, "completed": 1})
    if step == "assigned":
        p |= {"lead_post": "纪委书记", "lead_unit": "纪委", "due_on": due, "assigned_on": on}
        return "supervision.DirectiveAssigned", p, DISCIPLINE
    if step == "progress":
        p |= {"report": "进展", "reported_on": on}
        return "supervision.DirectiveProgressReported", p, DISCIPLINE
    if step == "reported":
        p |= {"result": "已反馈", "reported_on": on}
        return "supervision.DirectiveReportedBack", p, DISCIPLINE
    return "supervision.DirectiveCompleted", p | {"note": "办结", "completed_on": on}, DISCIPLINE


def clue(m: HistoryMaker, s: Sim) -> Made:
    cid, on = s.entity_id, s.day.isoformat()
    p: dict[str, Any] = {"clue_id": cid}
    if s.steps == 0:
        return (
            "supervision.ClueReceived",
            p
            | {
                "category": m.rng.choice(["为官不为", "雁过拔毛"]),
                "measure": m.rng.choice([11, 13]),
                "channel": "举报",
                "summary": "反映问题",
                "village": m.rng.choice([s.village.name, None]),
                "subject_name": "孙某某",
                "subject_post": "村会计",
                "subject_member_id": None,
                "red_flag_id": m.pick_id("redflag"),
                "received_on": on,
            },
            DISCIPLINE,
        )
    step = choose(m, {"verified": 1, "decided": 1, "concluded": 1})
    if step == "verified":
        return "supervision.ClueVerified", p | {"findings": "属实", "verified_on": on}, DISCIPLINE
    if step == "decided":
        return (
            "supervision.AccountabilityDecided",
            p
            | {
                "case_id": m.uid(),
                "subject_name": "孙某某",
                "subject_post": "村会计",
                "subject_member_id": m.pick_id("member"),
                "kind": m.rng.choice(["诫勉谈话", "党内警告"]),
                "reason": "违纪",
                "red_flag_id": None,
                "decided_on": on,
            },
            DISCIPLINE,
        )
    outcome = m.rng.choice(["accountability", "dismissed"])
    p |= {"outcome": outcome, "kinds": ["诫勉谈话"], "reason": "办结", "red_flag_id": None}
    return "supervision.ClueConcluded", p | {"concluded_on": on}, DISCIPLINE


SUPERVISION = {
    "measure": Kind(_measure_named, measure, 1, most=14),
    "item": Kind(uid_named("item"), item, 2),
    "petition": Kind(uid_named("petition"), petition, 2),
    "directive": Kind(uid_named("directive"), directive, 1.5),
    "clue": Kind(uid_named("clue"), clue, 1.5),
}

# -- party -------------------------------------------------------------------------------


def _branch_named(m: HistoryMaker, village: Village) -> tuple[str, str]:
    return f"branch-{village.code}", f"branch-{village.code}"


def branch(m: HistoryMaker, s: Sim) -> Made:
    bid, on, period = s.entity_id, s.day.isoformat(), f"{s.day.year}-H{m.rng.randrange(1, 3)}"
    p: dict[str, Any] = {"branch_id": bid}
    if s.steps == 0:
        return (
            "party.BranchEstablished",
            p
            | {
                "name": f"{s.village.name}党支部",
                "kind": "village",
                "village": s.village.name,
                "village_code": s.village.code,
                "established_on": on,
            },
            ORGANISATION,
        )
    step = choose(
        m, {"secretary": 1, "weak": 1, "lifted": 0.5, "first": 1, "linked": 1, "visit": 1}
    )
    if step == "secretary":
        member = m.pick_id("member") or "member-none"
        p |= {"member_id": member, "name": "黄军", "appointed_on": on}
        return "party.BranchSecretaryAppointed", p, ORGANISATION
    if step == "weak":
        return (
            "party.BranchDesignatedWeak",
            p
            | {
                "branch_name": f"{s.village.name}党支部",
                "village": s.village.name,
                "period": period,
                "score": "61.0",
                "rank": m.rng.randrange(1, 9),
                "branches_assessed": 8,
                "weak_share_percent": "10",
                "designated_on": on,
            },
            ORGANISATION,
        )
    if step == "lifted":
        p |= {"period": period, "lifted_by_period": period, "score": "80", "rank": 3}
        p |= {"rectification_complete": True, "lifted_on": on}
        return "party.BranchDesignationLifted", p, ORGANISATION
    if step == "first":
        p |= {"period": period, "name": "何书记", "unit": "县农业局", "assigned_on": on}
        return "party.FirstSecretaryAssigned", p, ORGANISATION
    if step == "linked":
        p |= {"period": period, "leader_name": "王书记", "post": "党委书记", "assigned_on": on}
        return "party.LinkedLeaderAssigned", p, ORGANISATION
    if m.rng.random() < 0.5:
        p |= {"period": period, "leader_name": "王书记", "summary": "指导", "visited_on": on}
        return "party.LeaderVisitRecorded", p, ORGANISATION
    total = m.rng.randrange(0, 40)
    p |= {"period": period, "households_total": total, "households_visited": total // 2}
    return "party.HouseholdVisitsRecorded", p | {"recorded_on": on}, ORGANISATION


def member(m: HistoryMaker, s: Sim) -> Made:
    mid, on, year = s.entity_id, s.day.isoformat(), s.day.year
    p: dict[str, Any] = {"member_id": mid}
    if s.steps == 0:
        s.notes["branch_id"] = f"branch-{s.village.code}"
        return (
            "party.MemberJoined",
            p
            | {
                "branch_id": s.notes["branch_id"],
                "name": "党员" + mid[-4:],
                "village": s.village.name,
                "id_number": "430321198001010012",
                "membership": m.rng.choice(["full", "probationary"]),
                "joined_party_on": "2005-07-01",
                "joined_on": on,
            },
            ORGANISATION,
        )
    step = choose(m, {"awarded": 3, "deducted": 2, "graded": 1, "unqualified": 1, "other": 1})
    record = {"record_id": m.uid(), "rule_code": "A01", "rule_book": "2016.1", "quantity": 1}
    record |= {"points": m.rng.randrange(1, 30), "year": year, "evidence": "记录"}
    if step == "awarded":
        return "party.PointsAwarded", p | record | {"recorded_on": on}, ORGANISATION
    if step == "deducted":
        p |= record | {"recorded_on": on, "case_id": None}
        return "party.PointsDeducted", p, ORGANISATION
    if step == "graded":
        level, name = m.rng.choice([("excellent", "优秀"), ("qualified", "合格")])
        p |= {"year": year, "level": level, "level_name": name, "points": 85}
        return "party.MemberGraded", p | {"rule_book": "2016.1", "graded_on": on}, ORGANISATION
    if step == "unqualified":
        which = m.rng.choice(["Identified", "OutcomeRecorded", "TalkedTo"])
        p |= {"year": year}
        if which == "Identified":
            p |= {"points": 50, "identified_on": on}
        elif which == "TalkedTo":
            p |= {"summary": "谈话", "talked_by": "书记", "talked_on": on}
        else:
            outcome = m.rng.choice(["improved", "removed"])
            p |= {"outcome": outcome, "summary": "结果", "recorded_on": on}
        return f"party.UnqualifiedMember{which}", p, ORGANISATION
    which = m.rng.choice(["converted", "transferred", "degree"])
    if which == "converted":
        p |= {"branch_id": s.notes["branch_id"], "points": 0, "year": year}
        return "party.MemberConverted", p | {"converted_on": on}, ORGANISATION
    if which == "transferred":
        to = m.village()
        p |= {"from_branch_id": s.notes["branch_id"], "to_branch_id": f"branch-{to.code}"}
        p |= {"to_village": to.name, "points": 0, "year": year, "transferred_on": on}
        s.notes["branch_id"] = f"branch-{to.code}"
        return "party.MemberTransferred", p, ORGANISATION
    p |= {"institution": "湘潭大学", "level": "大专", "enrolled_on": on}
    return "party.DegreeEducationEnrolled", p, ORGANISATION


def training(m: HistoryMaker, s: Sim) -> Made:
    members = [x.entity_id for x in m.of("member")]
    attendees = m.rng.sample(members, m.rng.randrange(0, len(members) + 1)) if members else []
    return (
        "party.TrainingSessionHeld",
        {
            "session_id": s.entity_id,
            "level": m.rng.choice(["county", "town", "branch"]),
            "programme": m.rng.choice(["capability", "entrepreneurship", "all_members"]),
            "topic": "培训",
            "held_on": s.day.isoformat(),
            "branch_id": m.rng.choice([None, m.pick_id("branch")]),
            "attendee_ids": attendees,
        },
        ORGANISATION,
    )


def _assessment_named(m: HistoryMaker, _: Village) -> tuple[str, str]:
    period = f"{m.rng.choice([2016, 2017])}-H{m.rng.randrange(1, 3)}"
    return f"assessment-{period}", period


def assessment(m: HistoryMaker, s: Sim) -> Made:
    period, on = s.entity_id, s.day.isoformat()
    branches = [x.entity_id for x in m.of("branch")] + ["branch-unknown"]
    if s.steps == 0:
        p = {"period": period, "sheet_version": "1", "weak_share_percent": "10", "opened_on": on}
        return "party.AssessmentOpened", p, ORGANISATION
    if m.rng.random() < 0.5:
        p = {"period": period, "branch_id": m.rng.choice(branches), "total": "77.5"}
        p |= {"items": [{"code": "A", "score": "77.5"}], "scored_on": on}
        return "party.BranchScored", p, ORGANISATION
    ranked = m.rng.sample(branches, len(branches))
    ranking = [
        {"branch_id": b, "score": f"{90 - 3 * i}.5", "rank": i + 1} for i, b in enumerate(ranked)
    ]
    return (
        "party.AssessmentConcluded",
        {
            "period": period,
            "ranking": ranking,
            "quota": 1,
            "designated": ranked[-1:],
            "concluded_on": on,
        },
        ORGANISATION,
    )


ADJUSTMENT_STEPS = {
    "party.CadreInvestigationVoted": ("investigated_on", {"summary": "表决"}),
    "party.CadreAdjustmentDecided": ("decided_on", {"summary": "决定"}),
    "party.CadreAdjustmentNotified": ("notified_on", {"summary": "谈话", "talked_by": "书记"}),
    "party.CadreAppealLodged": ("lodged_on", {"grounds": "不服"}),
    "party.CadreAppealReviewed": ("reviewed_on", {"result": "维持", "summary": "复核"}),
    "party.CadreReappointed": ("reappointed_on", {"post": "村主任"}),
}


def adjustment(m: HistoryMaker, s: Sim) -> Made:
    aid, on = s.entity_id, s.day.isoformat()
    if s.steps == 0:
        return (
            "party.CadreInformationGathered",
            {
                "adjustment_id": aid,
                "cadre_name": "冯某",
                "post": "村主任",
                "village": s.village.name,
                "member_id": None,
                "grounds": ["长期不在岗"],
                "summary": "群众反映",
                "gathered_on": on,
            },
            ORGANISATION,
        )
    event_type = m.rng.choice(list(ADJUSTMENT_STEPS))
    field, extra = ADJUSTMENT_STEPS[event_type]
    p: dict[str, Any] = {"adjustment_id": aid, field: on, **extra}
    if event_type.endswith("Voted"):
        vote = {"in_favour": 5, "against": 1, "abstaining": 0}
        p |= {"committee": vote, "representatives": vote}
    if event_type.endswith("Decided"):
        p |= {"decision": m.rng.choice(["adjust", "keep"])}
    return event_type, p, ORGANISATION


PARTY = {
    "branch": Kind(_branch_named, branch, 2),
    "member": Kind(uid_named("member", prefixed=True), member, 4, most=10),
    "training": Kind(uid_named("training"), training, 1),
    "assessment": Kind(_assessment_named, assessment, 1, most=4),
    "adjustment": Kind(uid_named("adjustment", prefixed=True), adjustment, 1),
}

KINDS = {**RELIEF, **FUNDS, **SUPERVISION, **PARTY, **GOVERNANCE}
