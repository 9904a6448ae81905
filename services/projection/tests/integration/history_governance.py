"""The events of the oracle's random histories for issue 15's village governance (see
`history_relief.py`): 四议两公开 decisions, collective projects, the agency's books, power lists
and breaches, committees, the appraisal's facts and the appraisal itself."""

from __future__ import annotations

from typing import Any

from projection.synthetic import DISCIPLINE, ECONOMIC, ORGANISATION

from shared.town import Village

from .histories import HistoryMaker, Kind, Sim
from .history_others import SYSTEM
from .history_relief import Made, choose, uid_named, village_named

STEPS = ("proposed", "consulted", "reviewed", "resolved", "resolution_disclosed", "filed")


def _year_named(kind: str, *, village: bool) -> Any:
    def naming(m: HistoryMaker, v: Village) -> tuple[str, str]:
        year = m.rng.choice([2016, 2017])
        key = f"{v.code}-{year}" if village else str(year)
        return f"{kind}-{key}", key

    return naming


def _year(s: Sim) -> int:
    return int(s.entity_id.rsplit("-", 1)[-1])


def decision(m: HistoryMaker, s: Sim) -> Made:
    did, on, v = s.entity_id, s.day.isoformat(), s.village.name
    p: dict[str, Any] = {"decision_id": did, "village": v}
    if s.steps == 0:
        kind = m.rng.choice(["collective_project", "asset_disposal"])
        p |= {"village_code": s.village.code, "kind": kind, "subject": "光伏发电"}
        return "funds.DecisionProposed", p | {"description": "提议", "proposed_on": on}, ECONOMIC
    step = choose(m, {"meeting": 3, "resolution": 1, "result": 1})
    if step == "meeting":
        present = m.rng.randrange(5, 30)
        votes_for = m.rng.randrange(0, present + 1)
        p |= {"step": m.rng.choice(["consulted", "reviewed", "resolved"]), "body": "村民代表会议"}
        p |= {"members": 30, "present": present, "votes_for": votes_for}
        p |= {"votes_against": present - votes_for, "passed": votes_for * 2 > present}
        return "funds.DecisionMeetingHeld", p | {"held_on": on}, ECONOMIC
    if step == "resolution":
        due = m.day_after(s.day).isoformat()
        p |= {"channel": "公开栏", "disclosed_on": on, "result_due_on": due}
        return "funds.DecisionResolutionDisclosed", p, ECONOMIC
    return "funds.DecisionResultDisclosed", p | {"result": "已实施", "disclosed_on": on}, ECONOMIC


def cproject(m: HistoryMaker, s: Sim) -> Made:
    return (
        "funds.CollectiveProjectStarted",
        {
            "project_id": s.entity_id,
            "village": s.village.name,
            "village_code": s.village.code,
            "name": "油茶基地",
            "decision_id": m.pick_id("decision") or m.uid(),
            "investment": m.money(10_000, 500_000),
            "started_on": s.day.isoformat(),
            "power_item": "works",
            "steps": m.rng.sample(STEPS, m.rng.randrange(0, 5)),
        },
        ECONOMIC,
    )


def books(m: HistoryMaker, s: Sim) -> Made:
    kind = m.rng.choice(["income", "expense"])
    return (
        "funds.VillageBookEntryRecorded",
        {
            "entry_id": m.uid(),
            "village": s.village.name,
            "village_code": s.village.code,
            "month": f"{_year(s)}-{m.rng.randrange(1, 13):02d}",
            "kind": kind,
            "amount": m.money(100, 60_000),
            "subject": "记账",
            "power_item": "finance" if kind == "expense" else None,
            "steps": ["handled", "booked"] if kind == "expense" else [],
            "recorded_on": s.day.isoformat(),
        },
        ECONOMIC,
    )


def powers(m: HistoryMaker, s: Sim) -> Made:
    step = {"name": "handled", "actor": "村委会", "disclosed": m.rng.random() < 0.5}
    items = [{"code": "finance", "name": "财务收支", "steps": [step]}] * m.rng.randrange(1, 7)
    return (
        "supervision.PowerListPublished",
        {
            "village": s.village.name,
            "village_code": s.village.code,
            "year": _year(s),
            "version": s.steps + 1,
            "items": items,
            "published_on": s.day.isoformat(),
        },
        DISCIPLINE,
    )


def breach(m: HistoryMaker, s: Sim) -> Made:
    return (
        "supervision.PowerFlowBreached",
        {
            "act_event_id": s.entity_id,
            "act_type": m.rng.choice(
                ["funds.VillageBookEntryRecorded", "funds.CollectiveProjectStarted"]
            ),
            "village": s.village.name,
            "power_item": m.rng.choice(["finance", "works"]),
            "missing_steps": ["reviewed_by_committee"],
            "item_id": m.pick_id("item") or m.uid(),
            "found_on": s.day.isoformat(),
        },
        SYSTEM,
    )


def committee(m: HistoryMaker, s: Sim) -> Made:
    on, v = s.day.isoformat(), s.village.name
    step = (
        "appointed"
        if s.steps == 0
        else choose(m, {"appointed": 1, "left": 0.5, "report": 1, "overdue": 0.7, "finding": 1})
    )
    member = f"cm-{m.rng.randrange(3)}"
    if step == "appointed":
        p = {"village": v, "village_code": s.village.code, "member_id": member, "name": "王监督"}
        p |= {"position": m.rng.choice(["主任", "委员"]), "appointed_on": on}
        return "supervision.CommitteeMemberAppointed", p, DISCIPLINE
    if step == "left":
        p = {"village": v, "member_id": member, "left_on": on}
        return "supervision.CommitteeMemberLeft", p, DISCIPLINE
    year = m.rng.choice([2016, 2017])
    if step == "report":
        p = {"village": v, "year": year, "to_party_organisation": True}
        p |= {"to_representatives": True, "summary": "年度报告", "reported_on": on}
        return "supervision.CommitteeReportMade", p, DISCIPLINE
    if step == "overdue":
        p = {"village": v, "year": year, "due_on": f"{year + 1}-01-31", "found_on": on}
        return "supervision.CommitteeReportOverdue", p, DISCIPLINE
    p = {"village": v, "finding_id": m.uid(), "title": "公开栏未更新", "detail": "未更新"}
    p |= {"item_id": m.pick_id("item") or m.uid(), "found_on": on}
    return "supervision.CommitteeFindingRecorded", p, DISCIPLINE


def _subject(m: HistoryMaker) -> dict[str, Any]:
    branch = m.pick_id("branch")
    if branch and m.rng.random() < 0.6:
        return {"subject_kind": "branch_secretary", "subject": branch, "subject_name": "张书记"}
    unit = m.rng.choice(["扶贫办", "经济发展办"])
    return {"subject_kind": "unit", "subject": unit, "subject_name": unit}


def unitfacts(m: HistoryMaker, s: Sim) -> Made:
    units = [
        {"unit": u, "kind": k, "measures_total": 3, "measures_done": m.rng.randrange(4)}
        | {"items_total": 5, "items_overdue": m.rng.randrange(6), "directives_total": 2}
        | {"directives_on_time": 1, "petitions_total": 2, "petitions_resolved": 2}
        for u, k in (("扶贫办", "unit"), (s.village.name, "village"))
    ]
    p = {"year": _year(s), "as_of": s.day.isoformat(), "units": units}
    return "supervision.AppraisalFactsRecorded", p, DISCIPLINE


def appraisal(m: HistoryMaker, s: Sim) -> Made:
    year, on = _year(s), s.day.isoformat()
    step = "review" if s.steps == 0 else choose(m, {"review": 3, "concluded": 1, "referred": 1})
    reviewed: list[dict[str, Any]] = s.notes.setdefault("reviewed", [])
    if step == "review":
        subject = _subject(m)
        reviewed.append(subject)
        p = {"year": year} | subject | {"score": m.money(40, 100), "recorded_on": on}
        return "party.ReviewScoreRecorded", p, ORGANISATION
    if step == "concluded":  # party concludes on the subjects reviewed
        results = []
        subjects = {(r["subject_kind"], r["subject"]): r for r in reviewed}
        for rank, subject in enumerate(subjects.values(), start=1):
            grade = m.rng.choice(["优秀", "称职", "基本称职", "不称职"])
            results.append(
                subject
                | {"facts_score": "80", "review_score": "70", "total": "76", "grade": grade}
                | {"rank": rank, "referred": grade == "不称职", "overdue_items": 1}
            )
        p = {"year": year, "results": results, "concluded_on": on}
        return "party.AppraisalConcluded", p, ORGANISATION
    p = {"year": year} | _subject(m) | {"reason": "不称职", "referred_on": on}
    return "party.InactionReferred", p, ORGANISATION


GOVERNANCE = {
    "decision": Kind(uid_named("decision"), decision, 1.5),
    "cproject": Kind(uid_named("cproject"), cproject, 0.5, most=3),
    "books": Kind(_year_named("books", village=True), books, 1.5),
    "powers": Kind(_year_named("powers", village=True), powers, 0.7),
    "breach": Kind(uid_named("breach"), breach, 0.5, most=4),
    "committee": Kind(village_named("committee"), committee, 1.2),
    "unitfacts": Kind(_year_named("unitfacts", village=False), unitfacts, 0.3, most=2),
    "appraisal": Kind(_year_named("appraisal", village=False), appraisal, 1, most=2),
}
