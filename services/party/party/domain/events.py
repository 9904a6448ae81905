"""Every event of the party service (党组织和党员管理): branches, members, points, training,
branch assessment and rectification, cadre adjustment, accountability deductions.

Dates are business dates (the day the work happened). Ids are the entities' stream ids
(`branch-…`, `member-…`, `training-…`, `adjustment-…`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from shared.kernel import Event, event_type
from shared.personal.declared import Person, personal

# --- register keys -------------------------------------------------------------------------


@event_type("party.NaturalKeyClaimed")
@dataclass(frozen=True, kw_only=True, slots=True)
class NaturalKeyClaimed(Event):
    """A natural key (a member's ID number, a village's branch) was claimed by one entity, so
    that it is registered once only; the key itself is in the stream id (hashed for IDs)."""

    kind: str
    owner_id: str


# --- branches (党支部) -----------------------------------------------------------------------


@event_type("party.BranchEstablished")
@dataclass(frozen=True, kw_only=True, slots=True)
class BranchEstablished(Event):
    """A party branch (党支部) was entered in the register: village (村), community (社区),
    organ (机关) or enterprise (企业) branch, with the village or community it belongs to."""

    branch_id: str
    name: str
    kind: str
    village: str | None
    village_code: str | None
    established_on: dt.date


@event_type("party.BranchSecretaryAppointed")
@dataclass(frozen=True, kw_only=True, slots=True)
class BranchSecretaryAppointed(Event):
    """A full member of the branch became its secretary (党支部书记)."""

    branch_id: str
    member_id: str
    name: str
    appointed_on: dt.date


# --- members (党员) --------------------------------------------------------------------------


@event_type("party.MemberJoined")
@dataclass(frozen=True, kw_only=True, slots=True)
class MemberJoined(Event):
    """A party member (党员) entered the branch's register, as a probationary (预备党员) or a
    full member (正式党员); `joined_party_on` is the day of admission to the party."""

    member_id: str
    branch_id: str
    name: str
    village: str | None
    id_number: str
    membership: str
    joined_party_on: dt.date
    joined_on: dt.date


@event_type("party.MemberConverted")
@dataclass(frozen=True, kw_only=True, slots=True)
class MemberConverted(Event):
    """A probationary member became a full member (预备党员转正), with the year's points then."""

    member_id: str
    branch_id: str
    converted_on: dt.date
    year: int
    points: int


@event_type("party.MemberTransferred")
@dataclass(frozen=True, kw_only=True, slots=True)
class MemberTransferred(Event):
    """The member's organisational relationship moved to another branch (组织关系转接); the
    points record goes with the member."""

    member_id: str
    from_branch_id: str
    to_branch_id: str
    to_village: str | None
    transferred_on: dt.date
    year: int
    points: int


@event_type("party.PointsAwarded")
@dataclass(frozen=True, kw_only=True, slots=True)
class PointsAwarded(Event):
    """Points were awarded (加分) under a rule of the points rule book (积分制, 两考四评)."""

    member_id: str
    record_id: str
    rule_code: str
    rule_book: str
    points: int
    quantity: int
    year: int
    evidence: str
    recorded_on: dt.date


@event_type("party.PointsDeducted")
@dataclass(frozen=True, kw_only=True, slots=True)
class PointsDeducted(Event):
    """Points were deducted (扣分) under a rule of the points rule book; `case_id` names the
    accountability decision when the deduction follows one (问责扣分)."""

    member_id: str
    record_id: str
    rule_code: str
    rule_book: str
    points: int
    quantity: int
    year: int
    evidence: str
    recorded_on: dt.date
    case_id: str | None = None


@event_type("party.MemberGraded")
@dataclass(frozen=True, kw_only=True, slots=True)
class MemberGraded(Event):
    """The member's year was graded (年度评定等次: 优秀/合格/基本合格/不合格) by the rule book."""

    member_id: str
    year: int
    points: int
    level: str
    level_name: str
    rule_book: str
    graded_on: dt.date


@event_type("party.UnqualifiedMemberIdentified")
@dataclass(frozen=True, kw_only=True, slots=True)
class UnqualifiedMemberIdentified(Event):
    """The member was identified as unqualified (认定为不合格党员): the handling procedure opens."""

    member_id: str
    year: int
    points: int
    identified_on: dt.date


@event_type("party.UnqualifiedMemberTalkedTo")
@dataclass(frozen=True, kw_only=True, slots=True)
class UnqualifiedMemberTalkedTo(Event):
    """The branch held the talk (谈话) with the unqualified member."""

    member_id: str
    year: int
    talked_by: str
    summary: str
    talked_on: dt.date


@event_type("party.UnqualifiedMemberDecisionTaken")
@dataclass(frozen=True, kw_only=True, slots=True)
class UnqualifiedMemberDecisionTaken(Event):
    """The handling decision (处置决定) was taken: rectify within a deadline (限期改正), persuade
    to withdraw (劝其退党) or remove from the party (除名)."""

    member_id: str
    year: int
    decision: str
    summary: str
    decided_on: dt.date


@event_type("party.UnqualifiedMemberOutcomeRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class UnqualifiedMemberOutcomeRecorded(Event):
    """The procedure ended (处置结果): corrected (已改正), withdrew (退党) or removed (除名)."""

    member_id: str
    year: int
    outcome: str
    summary: str
    recorded_on: dt.date


@event_type("party.DegreeEducationEnrolled")
@dataclass(frozen=True, kw_only=True, slots=True)
class DegreeEducationEnrolled(Event):
    """The member was sent to degree education (大专以上学历教育, 农民大学生培养)."""

    member_id: str
    institution: str
    level: str
    enrolled_on: dt.date


# --- training (党员教育培训) ------------------------------------------------------------------


@event_type("party.TrainingSessionHeld")
@dataclass(frozen=True, kw_only=True, slots=True)
class TrainingSessionHeld(Event):
    """A training session (集中培训) was held at county, town or branch level, in one of the
    five programmes (五项计划), with the members who attended."""

    session_id: str
    level: str
    programme: str
    topic: str
    held_on: dt.date
    branch_id: str | None
    attendee_ids: tuple[str, ...]


# --- branch assessment and rectification (软弱涣散整顿) --------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ItemScore:
    """One item of the scoring sheet and the score given."""

    code: str
    score: Decimal


@dataclass(frozen=True, kw_only=True, slots=True)
class RankedBranch:
    """A branch's place in an assessment's ranking (1 = best; equal scores share a rank)."""

    branch_id: str
    score: Decimal
    rank: int


@event_type("party.AssessmentOpened")
@dataclass(frozen=True, kw_only=True, slots=True)
class AssessmentOpened(Event):
    """A branch assessment (量化评分, 分类定级) opened for a period with a scoring sheet and the
    share of branches (5–10 %) to be designated weak and lax."""

    period: str
    sheet_version: str
    weak_share_percent: Decimal
    opened_on: dt.date


@event_type("party.BranchScored")
@dataclass(frozen=True, kw_only=True, slots=True)
class BranchScored(Event):
    """A branch was scored on the sheet's items (a later score replaces an earlier one)."""

    period: str
    branch_id: str
    items: tuple[ItemScore, ...]
    total: Decimal
    scored_on: dt.date


@event_type("party.AssessmentConcluded")
@dataclass(frozen=True, kw_only=True, slots=True)
class AssessmentConcluded(Event):
    """The assessment was concluded: the ranking and the bottom branches (倒排) designated."""

    period: str
    ranking: tuple[RankedBranch, ...]
    quota: int
    designated: tuple[str, ...]
    concluded_on: dt.date


@event_type("party.BranchDesignatedWeak")
@dataclass(frozen=True, kw_only=True, slots=True)
class BranchDesignatedWeak(Event):
    """The branch was designated weak and lax (软弱涣散基层党组织) by the period's assessment,
    with the score and rank behind it; rectification (整顿) begins."""

    branch_id: str
    branch_name: str
    village: str | None
    period: str
    score: Decimal
    rank: int
    branches_assessed: int
    weak_share_percent: Decimal
    designated_on: dt.date


@event_type("party.BranchDesignationLifted")
@dataclass(frozen=True, kw_only=True, slots=True)
class BranchDesignationLifted(Event):
    """A later assessment no longer placed the branch in the bottom band: the designation of
    `period` is lifted (摘帽)."""

    branch_id: str
    period: str
    lifted_by_period: str
    score: Decimal
    rank: int
    rectification_complete: bool
    lifted_on: dt.date


@event_type("party.FirstSecretaryAssigned")
@dataclass(frozen=True, kw_only=True, slots=True)
class FirstSecretaryAssigned(Event):
    """A first secretary (第一书记) was sent to the weak branch."""

    branch_id: str
    period: str
    name: str
    unit: str
    assigned_on: dt.date


@event_type("party.LinkedLeaderAssigned")
@dataclass(frozen=True, kw_only=True, slots=True)
class LinkedLeaderAssigned(Event):
    """A town leader took the weak branch as a linked point (领导联系点)."""

    branch_id: str
    period: str
    leader_name: str
    post: str
    assigned_on: dt.date


@event_type("party.LeaderVisitRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class LeaderVisitRecorded(Event):
    """The linked leader visited the branch to guide its work (到点指导, ≥ 4 a year)."""

    branch_id: str
    period: str
    leader_name: str
    summary: str
    visited_on: dt.date


@event_type("party.HouseholdVisitsRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class HouseholdVisitsRecorded(Event):
    """The households of the linked point visited so far (走访面, target 100 %)."""

    branch_id: str
    period: str
    households_total: int
    households_visited: int
    recorded_on: dt.date


# --- adjusting incompetent village cadres (调整不胜任现职村干部) ------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Vote:
    """A show of hands on the adjustment: for, against, abstaining."""

    in_favour: int
    against: int
    abstaining: int


@event_type("party.CadreInformationGathered")
@dataclass(frozen=True, kw_only=True, slots=True)
class CadreInformationGathered(Event):
    """Step ①: information on a village cadre who may be unfit for the post was gathered
    (信息搜集): the case opens."""

    adjustment_id: str
    cadre_name: str
    post: str
    village: str
    member_id: str | None
    grounds: tuple[str, ...]
    summary: str
    gathered_on: dt.date


@event_type("party.CadreInvestigationVoted")
@dataclass(frozen=True, kw_only=True, slots=True)
class CadreInvestigationVoted(Event):
    """Step ②: the town investigated in the village (调查核实) and the branch-and-village
    committees (支村两委会) and the villagers' representatives (村民代表大会) voted."""

    adjustment_id: str
    committee: Vote
    representatives: Vote
    summary: str
    investigated_on: dt.date


@event_type("party.CadreAdjustmentDecided")
@dataclass(frozen=True, kw_only=True, slots=True)
class CadreAdjustmentDecided(Event):
    """Step ③: the town party committee meeting decided (党委会议作出调整决定): adjust or keep."""

    adjustment_id: str
    decision: str
    summary: str
    decided_on: dt.date


@event_type("party.CadreAdjustmentNotified")
@dataclass(frozen=True, kw_only=True, slots=True)
class CadreAdjustmentNotified(Event):
    """Step ④: the village was notified and the cadre talked to (通报情况并谈话, 办理手续)."""

    adjustment_id: str
    talked_by: str
    summary: str
    notified_on: dt.date


@event_type("party.CadreAppealLodged")
@dataclass(frozen=True, kw_only=True, slots=True)
class CadreAppealLodged(Event):
    """The adjusted cadre asked for a review (复核申诉)."""

    adjustment_id: str
    grounds: str
    lodged_on: dt.date


@event_type("party.CadreAppealReviewed")
@dataclass(frozen=True, kw_only=True, slots=True)
class CadreAppealReviewed(Event):
    """The review ended: the adjustment upheld (维持) or overturned (撤销, cadre restored)."""

    adjustment_id: str
    result: str
    summary: str
    reviewed_on: dt.date


@event_type("party.CadreReappointed")
@dataclass(frozen=True, kw_only=True, slots=True)
class CadreReappointed(Event):
    """The adjusted cadre was appointed again (重新任用)."""

    adjustment_id: str
    post: str
    reappointed_on: dt.date


# --- accountability decided in supervision (问责扣分) ----------------------------------------


@event_type("party.AccountabilityMatched")
@dataclass(frozen=True, kw_only=True, slots=True)
class AccountabilityMatched(Event):
    """An accountability decision of supervision named a known member: points were deducted
    under the rule book's matching rule (record `record_id` on the member)."""

    case_id: str
    member_id: str
    kind: str
    rule_code: str
    points: int
    record_id: str
    decided_on: dt.date


@event_type("party.AccountabilityUnmatched")
@dataclass(frozen=True, kw_only=True, slots=True)
class AccountabilityUnmatched(Event):
    """An accountability decision of supervision led to no deduction: no member named, an
    unknown member, or the member's record refused it (`reason`)."""

    case_id: str
    subject_member_id: str | None
    subject_name: str
    kind: str
    reason: str
    detail: str
    decided_on: dt.date


# --- yearly appraisal and review (年度绩效考核, 述职评议, 保障措施 3) -----------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class AppraisalResult:
    """One appraised subject's result: the facts' score, the review's, the weighted total, the
    grade, the place in the ranking (1 = best) and whether referred for 为官不为整治."""

    subject_kind: str
    subject: str
    subject_name: str
    facts_score: Decimal
    review_score: Decimal
    total: Decimal
    grade: str
    rank: int
    referred: bool
    overdue_items: int


@event_type("party.ReviewScoreRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class ReviewScoreRecorded(Event):
    """The review committee's score (述职评议得分, 0–100) of a lead unit (`subject` its name)
    or of a branch secretary (`subject` the branch id); a later one replaces the earlier."""

    year: int
    subject_kind: str
    subject: str
    subject_name: str
    score: Decimal
    recorded_on: dt.date


@event_type("party.AppraisalConcluded")
@dataclass(frozen=True, kw_only=True, slots=True)
class AppraisalConcluded(Event):
    """The year's performance appraisal (年度绩效考核) was concluded: every subject graded
    (优秀/称职/基本称职/不称职) and ranked from the facts supervision counted and the review."""

    year: int
    results: tuple[AppraisalResult, ...]
    concluded_on: dt.date


@event_type("party.InactionReferred")
@dataclass(frozen=True, kw_only=True, slots=True)
class InactionReferred(Event):
    """The appraisal referred a subject (graded 不称职 or ranked in the bottom 10 %) to the
    campaign against officials' inaction (为官不为整治, measure 11)."""

    year: int
    subject_kind: str
    subject: str
    subject_name: str
    reason: str
    referred_on: dt.date


# --- personal fields (个人信息), encrypted per person by the event store (shared.personal) -----
# A member's ID number is theirs alone; the name stays readable: it is the party organisation's
# record of a member, and members are named in their functions (helpers, secretaries, reviews).

personal("party.MemberJoined", Person("id_number", ("id_number",)))
