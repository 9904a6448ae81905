"""What the GET endpoints return: aggregates' state as JSON-ready dictionaries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from party.domain.adjustments import STEPS, CadreAdjustment
from party.domain.appraisal import SUBJECT_KINDS, Appraisal, AppraisalFacts
from party.domain.assessment import Assessment, ScoringSheet
from party.domain.branches import LEADER_VISITS_A_YEAR, Branch, Rectification
from party.domain.members import Member
from party.domain.records import DECISIONS, OUTCOMES
from party.domain.rules import RuleBook, RuleBooks
from party.domain.training import TrainingSession
from shared.personal import disclosed


def rectification(r: Rectification) -> dict[str, Any]:
    return {
        "period": r.period,
        "designated_on": r.designated_on,
        "score": r.score,
        "rank": r.rank,
        "first_secretary": (
            {"name": r.first_secretary[0], "unit": r.first_secretary[1]}
            if r.first_secretary
            else None
        ),
        "linked_leader": (
            {"name": r.linked_leader[0], "post": r.linked_leader[1]} if r.linked_leader else None
        ),
        "leader_visits": r.visits,
        "visits_in_first_year": r.visits_in_first_year,
        "visits_required": LEADER_VISITS_A_YEAR,
        "households_total": r.households_total,
        "households_visited": r.households_visited,
        "household_coverage_percent": r.household_coverage_percent,
        "complete": r.complete,
        "lifted_on": r.lifted_on,
        "lifted_by_period": r.lifted_by_period,
    }


def branch_state(branch: Branch) -> dict[str, Any]:
    current = branch.current
    return {
        "branch_id": branch.branch_id,
        "name": branch.name,
        "kind": branch.kind,
        "village": branch.village,
        "village_code": branch.village_code,
        "established_on": branch.established_on,
        "secretary": (
            {"member_id": branch.secretary[0], "name": branch.secretary[1]}
            if branch.secretary
            else None
        ),
        "designated_weak": current is not None,
        "designation": rectification(current) if current else None,
        "designations": [rectification(d) for d in branch.designations],
        "version": branch.version,
    }


def member_state(member: Member, books: RuleBooks, *, show_id: bool) -> dict[str, Any]:
    years = {}
    for year, record in sorted(member.years.items()):
        base = books.for_year(year).base_points
        graded = record.graded
        years[str(year)] = {
            "base": base,
            "awards": record.awards,
            "deductions": record.deductions,
            "total": record.total(base),
            "level": graded.level if graded else None,
            "level_name": graded.level_name if graded else None,
            "graded_on": graded.graded_on if graded else None,
        }
    return {
        "member_id": member.member_id,
        "branch_id": member.branch_id,
        "village": member.village,
        "name": disclosed.name(member.name, True, of=member.id_number),
        "id_number": disclosed.id_number(member.id_number, show_id),
        "status": member.status,
        "joined_party_on": member.joined_party_on,
        "joined_on": member.joined_on,
        "converted_on": member.converted_on,
        "left_on": member.left_on,
        "points": years,
        "transfers": [asdict(t) for t in member.transfers],
        "degree_education": asdict(member.degree) if member.degree else None,
        "unqualified_procedures": [
            {
                "year": p.year,
                "points": p.points,
                "identified_on": p.identified_on,
                "step": p.step,
                "talked_by": p.talked_by,
                "decision": p.decision,
                "decision_name": DECISIONS.get(p.decision or ""),
                "outcome": p.outcome,
                "outcome_name": OUTCOMES.get(p.outcome or ""),
                "open": p.open,
            }
            for p in member.procedures.values()
        ],
        "version": member.version,
    }


def points_detail(member: Member, books: RuleBooks, year: int) -> dict[str, Any]:
    book = books.for_year(year)
    record = member.years.get(year)
    return {
        "member_id": member.member_id,
        "year": year,
        "rule_book": book.version,
        "base": book.base_points,
        "total": member.points(year, book),
        "level": book.grade(member.points(year, book)).name if record else None,
        "graded": asdict(record.graded) if record and record.graded else None,
        "records": [asdict(r) for r in record.records] if record else [],
        "by_rule": dict(record.by_rule) if record else {},
    }


def assessment_state(assessment: Assessment) -> dict[str, Any]:
    concluded = assessment.concluded
    return {
        "period": assessment.period,
        "sheet_version": assessment.sheet_version,
        "weak_share_percent": assessment.share,
        "opened_on": assessment.opened_on,
        "scores": [
            {
                "branch_id": s.branch_id,
                "total": s.total,
                "items": {i.code: i.score for i in s.items},
                "scored_on": s.scored_on,
            }
            for s in sorted(assessment.scores.values(), key=lambda s: (-s.total, s.branch_id))
        ],
        "concluded": asdict(concluded) if concluded else None,
        "version": assessment.version,
    }


def adjustment_state(case: CadreAdjustment) -> dict[str, Any]:
    def part(event: Any) -> dict[str, Any] | None:
        return asdict(event) if event is not None else None

    return {
        "adjustment_id": case.adjustment_id,
        "step": case.step,
        "step_name": STEPS[case.step],
        "information": part(case.opened),
        "investigation": part(case.investigation),
        "decision": part(case.decision),
        "notice": part(case.notice),
        "appeal": part(case.appeal),
        "review": part(case.review),
        "reappointment": part(case.reappointment),
        "version": case.version,
    }


def session_state(session: TrainingSession) -> dict[str, Any]:
    assert session.held is not None
    return {**asdict(session.held), "version": session.version}


def rule_book_state(book: RuleBook) -> dict[str, Any]:
    return {
        "version": book.version,
        "effective_year": book.effective_year,
        "base_points": book.base_points,
        "unqualified_below": book.unqualified_below,
        "levels": [
            {
                "code": x.code,
                "name": x.name,
                "min_points": x.min_points,
                "unqualified": x.unqualified,
            }
            for x in book.levels
        ],
        "membership": {
            "probation_months": book.probation_months,
            "conversion_min_points": book.conversion_min_points,
            "transfer_min_points": book.transfer_min_points,
            "transfer_blocked_while_unqualified": book.transfer_blocked_while_unqualified,
        },
        "rules": [
            {
                "code": r.code,
                "name": r.name,
                "kind": r.kind,
                "category": r.category,
                "points": r.points,
                "cap_per_year": r.cap_per_year,
            }
            for r in book.rules
        ],
        "accountability": {
            "kinds": dict(book.accountability_kinds),
            "default": book.accountability_default,
        },
    }


def sheet_state(sheet: ScoringSheet) -> dict[str, Any]:
    return {
        "version": sheet.version,
        "effective_year": sheet.effective_year,
        "items": [
            {"code": i.code, "name": i.name, "max_score": i.max_score, "weight": i.weight}
            for i in sheet.items
        ],
    }


def appraisal_state(appraisal: Appraisal, shown: Callable[[str, str], bool]) -> dict[str, Any]:
    """The year's appraisal: the review scores and, once concluded, the results and referrals
    — of the subjects `shown(kind, subject)` lets the caller see."""
    concluded = appraisal.concluded
    return {
        "year": appraisal.year,
        "scores": [
            {**asdict(s), "subject_kind_name": SUBJECT_KINDS[s.subject_kind]}
            for s in sorted(
                appraisal.scores.values(), key=lambda s: (s.subject_kind, s.subject_name)
            )
            if shown(s.subject_kind, s.subject)
        ],
        "concluded": concluded is not None,
        "concluded_on": concluded.concluded_on if concluded else None,
        "subjects": len(concluded.results) if concluded else None,
        "results": [
            {**asdict(r), "subject_kind_name": SUBJECT_KINDS[r.subject_kind]}
            for r in (concluded.results if concluded else ())
            if shown(r.subject_kind, r.subject)
        ],
        "referrals": [asdict(r) for r in appraisal.referrals if shown(r.subject_kind, r.subject)],
        "version": appraisal.version,
    }


def facts_state(facts: AppraisalFacts, shown: Callable[[str, str], bool]) -> dict[str, Any]:
    """The facts party keeps for the year (supervision's latest record), as far as shown."""
    return {
        "year": facts.year,
        "as_of": facts.as_of,
        "units": [asdict(u) for u in facts.units if shown(u.kind, u.unit)],
    }
