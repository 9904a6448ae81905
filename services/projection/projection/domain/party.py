"""How party's events (measures 5, 8, 9, 10) change the projection's entities.

Streams: `branch-<id>` (党支部: secretary, weak designation and its rectification),
`member-<id>` (党员: points, grades, unqualified-member procedure, degree education),
`training-<id>` (集中培训), `assessment-<period>` (量化评分 and ranking), `adjustment-<id>`
(调整不胜任现职村干部), the accountability deductions that followed supervision's decisions, and
`appraisal-<year>` (年度绩效考核 and 述职评议: review scores, the results, the referrals to the
为官不为 process).
"""

from __future__ import annotations

from decimal import Decimal

from projection.domain.folds import Fact, Rule, State

BRANCH, MEMBER, TRAINING, ASSESSMENT, ADJUSTMENT, ACCOUNTABILITY = (
    "branch",
    "member",
    "training",
    "assessment",
    "adjustment",
    "accountability",
)

STATUS_LABELS = {
    "established": "正常",
    "weak": "软弱涣散（整顿中）",
    "lifted": "已摘帽",
    "probationary": "预备党员",
    "full": "正式党员",
    "unqualified": "不合格党员处置中",
    "left": "已出党",
    "held": "已举办",
    "open": "评分中",
    "concluded": "已完成",
    "gathered": "① 信息搜集",
    "voted": "② 调查表决",
    "decided": "③ 党委决定",
    "notified": "④ 通报谈话",
    "appealed": "复核申诉中",
    "reviewed": "复核完毕",
    "reappointed": "重新任用",
    "matched": "已扣分",
    "unmatched": "未扣分",
}

APPRAISAL = "appraisal"
#: Labels of the appraisal's statuses (party's "concluded" assessment is another thing).
GOVERNANCE_LABELS: dict[str, dict[str, str]] = {
    APPRAISAL: {"reviewing": "述职评议中", "concluded": "考核完成"},
}
SUBJECT_KINDS = {"unit": "单位", "branch_secretary": "村党支部书记"}
GRADES = ("优秀", "称职", "基本称职", "不称职")

#: Cadre adjustments in these statuses are still in progress (measure 10).
ADJUSTMENT_OPEN = {"gathered", "voted", "decided", "appealed"}


def _established(state: State, fact: Fact) -> None:
    state["branch_name"] = fact.payload.get("name")


def _secretary(state: State, fact: Fact) -> None:
    state["secretary_name"] = fact.payload.get("name")
    state["secretary_member_id"] = fact.payload.get("member_id")


def _weak(state: State, fact: Fact) -> None:
    p = fact.payload
    state["status"] = "weak"
    state["weak_period"] = p.get("period")
    state["weak_score"] = p.get("score")
    state["weak_rank"] = p.get("rank")
    state["weak_since"] = fact.date("designated_on")
    state["designations"] = int(state.get("designations") or 0) + 1
    for key in ("first_secretary", "linked_leader", "lifted_on"):
        state.pop(key, None)
    state["leader_visits"] = 0
    state["households_total"] = None
    state["households_visited"] = None


def _lifted(state: State, fact: Fact) -> None:
    state["status"] = "lifted"
    state["lifted_on"] = fact.date("lifted_on")
    state["rectification_complete"] = fact.payload.get("rectification_complete")


def _first_secretary(state: State, fact: Fact) -> None:
    state["first_secretary"] = fact.payload.get("name")
    state["first_secretary_unit"] = fact.payload.get("unit")


def _linked_leader(state: State, fact: Fact) -> None:
    state["linked_leader"] = fact.payload.get("leader_name")
    state["linked_leader_post"] = fact.payload.get("post")


def _leader_visit(state: State, fact: Fact) -> None:
    state["leader_visits"] = int(state.get("leader_visits") or 0) + 1


def _household_visits(state: State, fact: Fact) -> None:
    state["households_total"] = fact.payload.get("households_total")
    state["households_visited"] = fact.payload.get("households_visited")


def _joined(state: State, fact: Fact) -> None:
    state["status"] = str(fact.payload.get("membership") or "full")


def _add_points(state: State, fact: Fact, sign: int) -> None:
    year = str(fact.payload.get("year"))
    points = dict(state.get("points") or {})
    delta = sign * int(fact.payload.get("points") or 0)  # already points × quantity
    points[year] = int(points.get(year, 0)) + delta
    state["points"] = points


def _awarded(state: State, fact: Fact) -> None:
    _add_points(state, fact, 1)


def _deducted(state: State, fact: Fact) -> None:
    _add_points(state, fact, -1)
    state["deductions"] = int(state.get("deductions") or 0) + 1


def _converted(state: State, fact: Fact) -> None:
    state["status"] = "full"
    state["converted_on"] = fact.date("converted_on")


def _transferred(state: State, fact: Fact) -> None:
    state["branch_id"] = fact.payload.get("to_branch_id")
    state["village"] = fact.payload.get("to_village")


def _graded(state: State, fact: Fact) -> None:
    grades = dict(state.get("grades") or {})
    grades[str(fact.payload.get("year"))] = {
        "level": fact.payload.get("level"),
        "level_name": fact.payload.get("level_name"),
        "points": fact.payload.get("points"),
    }
    state["grades"] = grades


def _unqualified(state: State, fact: Fact) -> None:
    state["unqualified_year"] = fact.payload.get("year")
    state["unqualified_step"] = fact.event_type.rsplit(".", 1)[-1]
    if fact.event_type.endswith("Identified"):
        state["status_before_unqualified"] = state.get("status")
        state["status"] = "unqualified"
    if fact.event_type.endswith("OutcomeRecorded"):
        outcome = str(fact.payload.get("outcome") or "")
        state["unqualified_outcome"] = outcome
        state["status"] = state.get("status_before_unqualified") or "full"
        if outcome in ("withdrew", "removed", "退党", "除名"):
            state["status"] = "left"


def _degree(state: State, fact: Fact) -> None:
    state["degree_education"] = True
    state["degree_enrolled_on"] = fact.date("enrolled_on")


def _matched(state: State, fact: Fact) -> None:
    state["accountability_cases"] = int(state.get("accountability_cases") or 0) + 1
    # the payload is not merged (its member is not the case's subject): the kind is
    state["kind"] = fact.payload.get("kind")


def _training(state: State, fact: Fact) -> None:
    state["attendees"] = len(fact.payload.get("attendee_ids") or [])


def _scored(state: State, fact: Fact) -> None:
    scores = dict(state.get("scores") or {})
    scores[str(fact.payload.get("branch_id"))] = str(fact.payload.get("total"))
    state["scores"] = scores


def _concluded(state: State, fact: Fact) -> None:
    p = fact.payload
    state["status"] = "concluded"
    state["ranking"] = list(p.get("ranking") or [])
    state["designated"] = list(p.get("designated") or [])
    state["concluded_on"] = fact.date("concluded_on")


def _adjustment_opened(state: State, fact: Fact) -> None:
    state["opened_on"] = fact.date("gathered_on")


def _decision(state: State, fact: Fact) -> None:
    state["decision"] = fact.payload.get("decision")


def _appeal_reviewed(state: State, fact: Fact) -> None:
    state["appeal_result"] = fact.payload.get("result")


def _review(state: State, fact: Fact) -> None:
    p = fact.payload
    state["year"] = p.get("year")
    reviews = dict(state.get("reviews") or {})
    reviews[f"{p.get('subject_kind')}:{p.get('subject')}"] = {
        key: p.get(key) for key in ("subject_kind", "subject", "subject_name", "score")
    } | {"recorded_on": fact.date("recorded_on")}
    state["reviews"] = reviews
    if state.get("status") != "concluded":
        state["status"] = "reviewing"


def _appraised(state: State, fact: Fact) -> None:
    state["year"] = fact.payload.get("year")
    state["status"] = "concluded"
    state["results"] = list(fact.payload.get("results") or [])
    state["concluded_on"] = fact.date("concluded_on")


def _referred(state: State, fact: Fact) -> None:
    p = fact.payload
    referrals = list(state.get("referrals") or [])
    referrals.append(
        {key: p.get(key) for key in ("subject_kind", "subject", "subject_name", "reason")}
        | {"referred_on": fact.date("referred_on")}
    )
    state["referrals"] = referrals


def decimal(value: object) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


RULES: dict[str, Rule] = {
    "party.NaturalKeyClaimed": Rule("party_key", merge=False, label="登记唯一性索引"),
    "party.BranchEstablished": Rule(BRANCH, "established", _established, label="党支部登记"),
    "party.BranchSecretaryAppointed": Rule(
        BRANCH, fold=_secretary, merge=False, label="任命支部书记"
    ),
    "party.BranchDesignatedWeak": Rule(BRANCH, fold=_weak, merge=False, label="确定为软弱涣散"),
    "party.BranchDesignationLifted": Rule(BRANCH, fold=_lifted, merge=False, label="摘帽"),
    "party.FirstSecretaryAssigned": Rule(
        BRANCH, fold=_first_secretary, merge=False, label="选派第一书记"
    ),
    "party.LinkedLeaderAssigned": Rule(
        BRANCH, fold=_linked_leader, merge=False, label="建立领导联系点"
    ),
    "party.LeaderVisitRecorded": Rule(
        BRANCH, fold=_leader_visit, merge=False, label="联点领导到点指导"
    ),
    "party.HouseholdVisitsRecorded": Rule(
        BRANCH, fold=_household_visits, merge=False, label="联系点农户走访"
    ),
    "party.MemberJoined": Rule(MEMBER, fold=_joined, label="党员入册"),
    "party.MemberConverted": Rule(MEMBER, fold=_converted, merge=False, label="预备党员转正"),
    "party.MemberTransferred": Rule(MEMBER, fold=_transferred, merge=False, label="组织关系转接"),
    "party.PointsAwarded": Rule(MEMBER, fold=_awarded, merge=False, label="积分加分"),
    "party.PointsDeducted": Rule(MEMBER, fold=_deducted, merge=False, label="积分扣分"),
    "party.MemberGraded": Rule(MEMBER, fold=_graded, merge=False, label="年度评定等次"),
    "party.UnqualifiedMemberIdentified": Rule(
        MEMBER, fold=_unqualified, merge=False, label="认定为不合格党员"
    ),
    "party.UnqualifiedMemberTalkedTo": Rule(
        MEMBER, fold=_unqualified, merge=False, label="不合格党员谈话"
    ),
    "party.UnqualifiedMemberDecisionTaken": Rule(
        MEMBER, fold=_unqualified, merge=False, label="不合格党员处置决定"
    ),
    "party.UnqualifiedMemberOutcomeRecorded": Rule(
        MEMBER, fold=_unqualified, merge=False, label="不合格党员处置结果"
    ),
    "party.DegreeEducationEnrolled": Rule(MEMBER, fold=_degree, merge=False, label="参加学历教育"),
    "party.TrainingSessionHeld": Rule(TRAINING, "held", _training, label="集中培训"),
    "party.AssessmentOpened": Rule(ASSESSMENT, "open", label="开展量化评分"),
    "party.BranchScored": Rule(ASSESSMENT, fold=_scored, merge=False, label="支部评分"),
    "party.AssessmentConcluded": Rule(
        ASSESSMENT, fold=_concluded, merge=False, label="评分排名结果"
    ),
    "party.CadreInformationGathered": Rule(
        ADJUSTMENT, "gathered", _adjustment_opened, label="① 信息搜集"
    ),
    "party.CadreInvestigationVoted": Rule(ADJUSTMENT, "voted", label="② 调查核实与表决"),
    "party.CadreAdjustmentDecided": Rule(
        ADJUSTMENT, "decided", _decision, merge=False, label="③ 党委会议决定"
    ),
    "party.CadreAdjustmentNotified": Rule(ADJUSTMENT, "notified", label="④ 通报谈话"),
    "party.CadreAppealLodged": Rule(ADJUSTMENT, "appealed", label="复核申诉"),
    "party.CadreAppealReviewed": Rule(
        ADJUSTMENT, "reviewed", _appeal_reviewed, merge=False, label="复核结果"
    ),
    "party.CadreReappointed": Rule(ADJUSTMENT, "reappointed", label="重新任用"),
    "party.AccountabilityMatched": Rule(
        ACCOUNTABILITY, "matched", _matched, merge=False, label="问责扣分"
    ),
    "party.AccountabilityUnmatched": Rule(ACCOUNTABILITY, "unmatched", label="问责未扣分"),
    # 年度绩效考核 and 述职评议 (issue 15)
    "party.ReviewScoreRecorded": Rule(APPRAISAL, fold=_review, merge=False, label="述职评议评分"),
    "party.AppraisalConcluded": Rule(
        APPRAISAL, fold=_appraised, merge=False, label="年度绩效考核结果"
    ),
    "party.InactionReferred": Rule(
        APPRAISAL, fold=_referred, merge=False, label="移交“为官不为”整治"
    ),
}
