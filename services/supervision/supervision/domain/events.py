"""Every event of the supervision service (督查问责), published on `supervision.events`.

Enumerated fields carry the plan's words (see `vocabulary`); dates are business dates
(the day the work happened), ISO `YYYY-MM-DD` on the wire.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shared.kernel import Event, event_type

# --- the plan's 14 measures ---------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Target:
    """One concrete target of a measure, quoted from the plan; `quantity`/`unit` when it
    names a number (e.g. 50 个公益性岗位)."""

    key: str
    text: str
    quantity: int | None = None
    unit: str | None = None


@event_type("supervision.MeasureRegistered")
@dataclass(frozen=True, kw_only=True, slots=True)
class MeasureRegistered(Event):
    """One of the plan's 14 measures (主要措施) was registered for supervision, with its group,
    lead leader (牵头领导, by post), lead units (牵头单位), deadline (时限要求) and targets.
    `deadline` is `YYYY-MM` or `长期`; `due_on` is the month's last day (null when 长期)."""

    plan_id: str
    plan_version: int
    number: int
    title: str
    group: int
    group_title: str
    lead_post: str
    lead_units: tuple[str, ...]
    deadline: str
    due_on: dt.date | None
    tasks: tuple[str, ...]
    targets: tuple[Target, ...]
    problems: tuple[str, ...] = ()
    registered_on: dt.date


# --- the three lists and the ledger (问题清单、责任清单、整改清单, 台帐) -----------------------


@event_type("supervision.ItemListed")
@dataclass(frozen=True, kw_only=True, slots=True)
class ItemListed(Event):
    """An item was entered on one of the plan's lists (列入清单, 建立台帐): from 上级点, 自己找 or
    群众提, under a measure, with its lead leader (by post), lead unit and deadline.
    `branch_id`/`period` name the weak branch whose rectification opened it, if any."""

    item_id: str
    list_name: str
    title: str
    detail: str
    source: str
    measure: int
    lead_post: str
    lead_unit: str
    deadline: dt.date
    village: str | None
    listed_on: dt.date
    branch_id: str | None = None
    period: str | None = None


@event_type("supervision.ItemWorkStarted")
@dataclass(frozen=True, kw_only=True, slots=True)
class ItemWorkStarted(Event):
    """Work on a listed item started (整改中)."""

    item_id: str
    started_on: dt.date
    note: str


@event_type("supervision.ItemRectified")
@dataclass(frozen=True, kw_only=True, slots=True)
class ItemRectified(Event):
    """The lead unit reports the item rectified (整改到位), with what was done and evidence."""

    item_id: str
    rectified_on: dt.date
    summary: str
    evidence: tuple[str, ...]


@event_type("supervision.ItemClosed")
@dataclass(frozen=True, kw_only=True, slots=True)
class ItemClosed(Event):
    """The item was struck off the ledger (销号) on the evidence named."""

    item_id: str
    closed_on: dt.date
    evidence: tuple[str, ...]
    note: str


@event_type("supervision.ItemReopened")
@dataclass(frozen=True, kw_only=True, slots=True)
class ItemReopened(Event):
    """A rectified or closed item was reopened (重新整改) for the reason given, possibly with a
    new deadline."""

    item_id: str
    reopened_on: dt.date
    reason: str
    new_deadline: dt.date | None


@event_type("supervision.ItemNoted")
@dataclass(frozen=True, kw_only=True, slots=True)
class ItemNoted(Event):
    """A progress note was recorded on an item's ledger entry (台帐记录)."""

    item_id: str
    noted_on: dt.date
    note: str


@event_type("supervision.BranchDesignationLiftNoted")
@dataclass(frozen=True, kw_only=True, slots=True)
class BranchDesignationLiftNoted(Event):
    """The weak-branch designation (软弱涣散) behind this rectification item was lifted by the
    party organisation (摘帽); the item's own status is not changed by it."""

    item_id: str
    branch_id: str
    period: str
    lifted_on: dt.date


# --- petitions (信访, measure 7) -------------------------------------------------------------


@event_type("supervision.PetitionReceived")
@dataclass(frozen=True, kw_only=True, slots=True)
class PetitionReceived(Event):
    """A petition (信访件) was received; `repeat_of` names the earlier case of a repeat
    petition (重复信访)."""

    petition_id: str
    channel: str
    petitioner_name: str
    petitioner_count: int
    village: str | None
    subject: str
    received_on: dt.date
    repeat_of: str | None


@event_type("supervision.RepeatPetitionLinked")
@dataclass(frozen=True, kw_only=True, slots=True)
class RepeatPetitionLinked(Event):
    """A later petition on the same matter was linked to this case (重复信访)."""

    petition_id: str
    repeat_petition_id: str
    linked_on: dt.date


@event_type("supervision.PetitionClassified")
@dataclass(frozen=True, kw_only=True, slots=True)
class PetitionClassified(Event):
    """The case was classified (梳理归类) into a focus area; a key case (重点案件) needs a leader
    in charge (领导包案)."""

    petition_id: str
    focus_area: str
    key_case: bool
    classified_on: dt.date


@event_type("supervision.PetitionTeamFormed")
@dataclass(frozen=True, kw_only=True, slots=True)
class PetitionTeamFormed(Event):
    """A special team (工作专班) was formed for the case."""

    petition_id: str
    team_name: str
    members: tuple[str, ...]
    formed_on: dt.date


@event_type("supervision.PetitionLeaderAssigned")
@dataclass(frozen=True, kw_only=True, slots=True)
class PetitionLeaderAssigned(Event):
    """A leader took charge of the case (领导包案)."""

    petition_id: str
    leader: str
    assigned_on: dt.date


@event_type("supervision.PetitionProgressNoted")
@dataclass(frozen=True, kw_only=True, slots=True)
class PetitionProgressNoted(Event):
    """Progress on the case was recorded (跟踪督办)."""

    petition_id: str
    noted_on: dt.date
    note: str


@event_type("supervision.PetitionResolved")
@dataclass(frozen=True, kw_only=True, slots=True)
class PetitionResolved(Event):
    """The case was resolved (化解、办结)."""

    petition_id: str
    resolved_on: dt.date
    resolution: str


@event_type("supervision.PetitionClosed")
@dataclass(frozen=True, kw_only=True, slots=True)
class PetitionClosed(Event):
    """The resolved case was struck off (销号)."""

    petition_id: str
    closed_on: dt.date
    note: str


@event_type("supervision.PetitionReopened")
@dataclass(frozen=True, kw_only=True, slots=True)
class PetitionReopened(Event):
    """A resolved or closed case was reopened for the reason given."""

    petition_id: str
    reopened_on: dt.date
    reason: str


# --- directives and assigned matters (批示件、交办事项, measure 12) -------------------------------


@event_type("supervision.DirectiveReceived")
@dataclass(frozen=True, kw_only=True, slots=True)
class DirectiveReceived(Event):
    """A leader's written instruction (批示件) or an assigned matter (交办事项) was received
    from the province, city, county or town."""

    directive_id: str
    kind: str
    level: str
    issued_by: str
    reference: str | None
    subject: str
    received_on: dt.date
    due_on: dt.date | None


@event_type("supervision.DirectiveAssigned")
@dataclass(frozen=True, kw_only=True, slots=True)
class DirectiveAssigned(Event):
    """The directive was assigned (交办) to a lead leader (by post) and unit."""

    directive_id: str
    lead_post: str
    lead_unit: str
    assigned_on: dt.date
    due_on: dt.date | None


@event_type("supervision.DirectiveProgressReported")
@dataclass(frozen=True, kw_only=True, slots=True)
class DirectiveProgressReported(Event):
    """A periodic progress report (定期报告办理进展) on the directive."""

    directive_id: str
    reported_on: dt.date
    report: str


@event_type("supervision.DirectiveReportedBack")
@dataclass(frozen=True, kw_only=True, slots=True)
class DirectiveReportedBack(Event):
    """The handling result was reported back to the issuer (办理情况反馈)."""

    directive_id: str
    reported_on: dt.date
    result: str


@event_type("supervision.DirectiveCompleted")
@dataclass(frozen=True, kw_only=True, slots=True)
class DirectiveCompleted(Event):
    """The supervision office confirmed the directive done (办结, 件件落实)."""

    directive_id: str
    completed_on: dt.date
    note: str


# --- inaction reports and corruption clues (为官不为、雁过拔毛, measures 11 and 13) -----------


@event_type("supervision.ClueReceived")
@dataclass(frozen=True, kw_only=True, slots=True)
class ClueReceived(Event):
    """A report of inaction (为官不为) or a micro-corruption clue (雁过拔毛) was received;
    `red_flag_id` and the three fields after it are set when a confirmed fund red flag opened
    it; `appraisal_year` when the year's appraisal (年度绩效考核) referred the subject to the
    为官不为 process."""

    clue_id: str
    category: str
    measure: int
    channel: str
    summary: str
    village: str | None
    subject_name: str | None
    subject_post: str | None
    subject_member_id: str | None
    received_on: dt.date
    red_flag_id: str | None = None
    red_flag_code: str | None = None
    programme_id: str | None = None
    severity: str | None = None
    appraisal_year: int | None = None


@event_type("supervision.ClueVerified")
@dataclass(frozen=True, kw_only=True, slots=True)
class ClueVerified(Event):
    """The clue was checked (初步核实) and found to have substance."""

    clue_id: str
    verified_on: dt.date
    findings: str


@event_type("supervision.AccountabilityDecided")
@dataclass(frozen=True, kw_only=True, slots=True)
class AccountabilityDecided(Event):
    """Accountability was decided (问责、党纪处分) for one person; `case_id` is this decision's
    own id, `subject_member_id` the party member's id when the person is one."""

    case_id: str
    clue_id: str
    subject_member_id: str | None
    subject_name: str
    subject_post: str | None
    kind: str
    reason: str
    decided_on: dt.date
    red_flag_id: str | None


@event_type("supervision.ClueConcluded")
@dataclass(frozen=True, kw_only=True, slots=True)
class ClueConcluded(Event):
    """The clue was concluded (办结): `outcome` is `accountability` (with the kinds decided) or
    `dismissed` (了结, with the reasons)."""

    clue_id: str
    red_flag_id: str | None
    outcome: str
    concluded_on: dt.date
    reason: str
    kinds: tuple[str, ...]


# --- 小微权力清单 (measure 6 (2)) -------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class PowerStep:
    """One step of a power's flow (权力运行流程): what is done (a step of the shared
    vocabulary, e.g. `resolved`), who acts (zh) and whether it is disclosed (公开)."""

    name: str
    actor: str
    disclosed: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class PowerItem:
    """One small power of a village (小微权力事项, e.g. `finance` 财务收支) with its flow."""

    code: str
    name: str
    steps: tuple[PowerStep, ...]


@event_type("supervision.PowerListPublished")
@dataclass(frozen=True, kw_only=True, slots=True)
class PowerListPublished(Event):
    """A village's list of small powers (村级小微权力清单) for a year was published with each
    power's flow; `version` counts the lists published for that village and year (the latest
    is in force)."""

    village: str
    village_code: str
    year: int
    version: int
    items: tuple[PowerItem, ...]
    published_on: dt.date


@event_type("supervision.PowerFlowBreached")
@dataclass(frozen=True, kw_only=True, slots=True)
class PowerFlowBreached(Event):
    """An act recorded by funds (a project started, an asset disposed of, an expense booked)
    exercised a small power without steps its flow requires (小微权力运行缺少步骤); the problem
    was put on the problem list as item `item_id`."""

    act_event_id: str
    act_type: str
    village: str
    power_item: str
    missing_steps: tuple[str, ...]
    item_id: str
    found_on: dt.date


# --- 村务监督委员会 (measure 6 (3)) ----------------------------------------------------------


@event_type("supervision.CommitteeMemberAppointed")
@dataclass(frozen=True, kw_only=True, slots=True)
class CommitteeMemberAppointed(Event):
    """A member of the village affairs supervision committee (村务监督委员会) took office, as
    its chair (主任) or a member (委员)."""

    village: str
    village_code: str
    member_id: str
    name: str
    position: str
    appointed_on: dt.date


@event_type("supervision.CommitteeMemberLeft")
@dataclass(frozen=True, kw_only=True, slots=True)
class CommitteeMemberLeft(Event):
    """A member left the village affairs supervision committee (离任)."""

    village: str
    member_id: str
    left_on: dt.date


@event_type("supervision.CommitteeReportMade")
@dataclass(frozen=True, kw_only=True, slots=True)
class CommitteeReportMade(Event):
    """The committee made its yearly report (年度工作报告) to the village party organisation
    and to the villagers' representatives' meeting (向村党组织和村民代表会议报告)."""

    village: str
    year: int
    to_party_organisation: bool
    to_representatives: bool
    summary: str
    reported_on: dt.date


@event_type("supervision.CommitteeReportOverdue")
@dataclass(frozen=True, kw_only=True, slots=True)
class CommitteeReportOverdue(Event):
    """The committee made no yearly report for `year` by `due_on` (31 January of the next
    year): its report is overdue (年度报告逾期), found by the leading group's check."""

    village: str
    year: int
    due_on: dt.date
    found_on: dt.date


@event_type("supervision.CommitteeFindingRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class CommitteeFindingRecorded(Event):
    """The committee found a problem in village affairs (监督发现的问题); it was put on the
    problem list as item `item_id`."""

    village: str
    finding_id: str
    title: str
    detail: str
    item_id: str
    found_on: dt.date


# --- the facts of the yearly appraisal (年度绩效考核的事实依据, 保障措施 3) -------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class UnitFacts:
    """What supervision counts for one appraised unit: a lead unit (`kind` unit) or a village
    whose branch secretary is appraised (`kind` village)."""

    unit: str
    kind: str
    measures_total: int
    measures_done: int
    items_total: int
    items_overdue: int
    directives_total: int
    directives_on_time: int
    petitions_total: int
    petitions_resolved: int


@event_type("supervision.AppraisalFactsRecorded")
@dataclass(frozen=True, kw_only=True, slots=True)
class AppraisalFactsRecorded(Event):
    """The leading group recorded the facts of a year's appraisal (年度绩效考核事实) as the
    system counts them on `as_of`: per lead unit and per village, measures done, items
    overdue, directives done on time, petitions resolved. A later record supersedes."""

    year: int
    as_of: dt.date
    units: tuple[UnitFacts, ...]
