"""The commands of the supervision service (督查问责的命令): what a user asks it to do. Each
command is also the request body of its route (constraints and zh-CN descriptions here);
fields marked `FromPath` come from the route's URL.

Every command carries `occurred_on`, the business day the work happened (officials record
after the fact; default today, never in the future); a state change (`Change`) may carry
`expected_version` for optimistic concurrency (409). A creation takes an optional `id` (a
UUID) so that a retry or the demo is idempotent; the handler makes one when it is absent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.business_dates import Deadline
from shared.pipeline import Change, Command, FromPath
from supervision.domain.vocabulary import (
    AccountabilityKind,
    ClueCategory,
    CommitteePosition,
    DirectiveKind,
    FocusArea,
    Level,
    ListName,
    PetitionChannel,
    ReportedClueChannel,
    Source,
)

Text = Annotated[str, Field(min_length=1, max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Evidence = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=500)]], Field(max_length=50)
]
MemberId = Annotated[
    str, Field(pattern=r"^member-[a-z0-9][a-z0-9-]{0,47}$", description="党员编号 member-…")
]
NEW_ID = "编号 (UUID; default: a new one)"
VILLAGE = "所在村/社区 (可空)"

ItemId = Annotated[uuid.UUID, FromPath(), Field(description="清单事项编号")]
PetitionId = Annotated[uuid.UUID, FromPath(), Field(description="信访件编号")]
DirectiveId = Annotated[uuid.UUID, FromPath(), Field(description="批示交办件编号")]
VillagePath = Annotated[
    str,
    FromPath(),
    Field(min_length=1, max_length=50, description="村/社区 (名称或12位代码)"),
]
Year = Annotated[int, Field(ge=2000, le=2100, description="年度")]
YearPath = Annotated[int, FromPath(), Field(ge=2000, le=2100, description="年度")]
CommitteeMemberId = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$", description="成员编号"),
]
ClueId = Annotated[
    str,
    FromPath(),
    Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$", description="线索编号"),
]


# --- the plan ---------------------------------------------------------------------------------


class RegisterPlanMeasures(Command):
    """Register the plan's measures (登记方案措施): each one not registered yet."""


# --- lists and ledger -------------------------------------------------------------------------


class OpenItem(Command):
    """Enter an item on one of the plan's lists (列入清单)."""

    id: uuid.UUID | None = Field(default=None, description=NEW_ID)
    list_name: ListName = Field(description="清单：问题清单、责任清单或整改清单")
    title: Name = Field(description="事项名称")
    detail: str = Field(default="", max_length=2000, description="具体情况")
    source: Source = Field(description="问题来源：上级点、自己找、群众提")
    measure: int = Field(ge=1, le=14, description="所属措施 (1–14)")
    lead_post: Name = Field(description="牵头领导 (职务，如 分管农业的负责人)")
    lead_unit: Name = Field(description="牵头单位")
    deadline: Deadline = Field(description="整改时限")
    village: str | None = Field(default=None, max_length=50, description=VILLAGE)


class StartItemWork(Change):
    """Start work on an item (开始整改)."""

    item_id: ItemId
    note: str = Field(default="", max_length=2000, description="说明")


class RectifyItem(Change):
    """Report an item rectified (整改到位)."""

    item_id: ItemId
    summary: Text = Field(description="整改情况")
    evidence: Evidence = Field(default_factory=list, description="佐证材料")


class CloseItem(Change):
    """Strike an item off on evidence (销号)."""

    item_id: ItemId
    evidence: Evidence = Field(
        default_factory=list, description="销号佐证材料 (整改时未提供则必填)"
    )
    note: str = Field(default="", max_length=2000, description="销号意见")


class ReopenItem(Change):
    """Reopen an item with a reason (重新整改)."""

    item_id: ItemId
    reason: Text = Field(description="重新打开的理由")
    new_deadline: Deadline | None = Field(default=None, description="新的整改时限 (可空)")


class NoteItem(Change):
    """A progress note on the ledger (台帐记录)."""

    item_id: ItemId
    note: Text = Field(description="记录内容")


# --- petitions --------------------------------------------------------------------------------


class ReceivePetition(Command):
    """Register a petition (受理信访件); `repeat_of` links a repeat petition to the earlier
    case."""

    id: uuid.UUID | None = Field(default=None, description=NEW_ID)
    channel: PetitionChannel = Field(description="信访渠道")
    petitioner_name: Name = Field(description="信访人姓名 (集体访填代表姓名)")
    petitioner_count: int = Field(default=1, ge=1, le=10000, description="信访人数")
    village: str | None = Field(default=None, max_length=50, description=VILLAGE)
    subject: Text = Field(description="信访事项")
    repeat_of: uuid.UUID | None = Field(default=None, description="重复信访：原信访件编号")


class ClassifyPetition(Change):
    """Classify a petition into a focus area (分类)."""

    petition_id: PetitionId
    focus_area: FocusArea = Field(description="领域：涉众型经济纠纷、征地拆迁、企业改制或其他")
    key_case: bool = Field(default=False, description="是否重点案件 (须领导包案)")


class FormPetitionTeam(Change):
    """Form the special team of a petition (成立工作专班)."""

    petition_id: PetitionId
    team_name: Name = Field(description="工作专班名称")
    members: list[Name] = Field(min_length=1, max_length=30, description="专班成员")


class AssignPetitionLeader(Change):
    """Put a leader in charge of a petition (领导包案)."""

    petition_id: PetitionId
    leader: Name = Field(description="包案领导")


class NotePetitionProgress(Change):
    """A progress note on a petition (办理进展)."""

    petition_id: PetitionId
    note: Text = Field(description="记录内容")


class ResolvePetition(Change):
    """Resolve a petition (化解办结)."""

    petition_id: PetitionId
    resolution: Text = Field(description="化解情况")


class ClosePetition(Change):
    """Strike a petition off (销号)."""

    petition_id: PetitionId
    note: str = Field(default="", max_length=2000, description="说明")


class ReopenPetition(Change):
    """Reopen a petition with a reason (重新打开)."""

    petition_id: PetitionId
    reason: Text = Field(description="重新打开的理由")


# --- directives -------------------------------------------------------------------------------


class ReceiveDirective(Command):
    """Register a directive or assigned matter (收件登记)."""

    id: uuid.UUID | None = Field(default=None, description=NEW_ID)
    kind: DirectiveKind = Field(description="类别：批示件或交办事项")
    level: Level = Field(description="来文层级：省、市、县、镇")
    issued_by: Name = Field(description="批示/交办领导")
    reference: str | None = Field(default=None, max_length=100, description="文号 (可空)")
    subject: Text = Field(description="事项")
    due_on: Deadline | None = Field(default=None, description="办理时限 (可空)")


class AssignDirective(Change):
    """Assign a directive to a leader and unit (交办)."""

    directive_id: DirectiveId
    lead_post: Name = Field(description="牵头领导 (职务)")
    lead_unit: Name = Field(description="承办单位")
    due_on: Deadline | None = Field(default=None, description="办理时限 (可空：沿用收件时限)")


class ReportDirectiveProgress(Change):
    """A periodic progress report on a directive (报告办理进展)."""

    directive_id: DirectiveId
    report: Text = Field(description="办理进展")


class ReportDirectiveBack(Change):
    """Report a directive's result back (办理情况反馈)."""

    directive_id: DirectiveId
    result: Text = Field(description="办理结果")


class CompleteDirective(Change):
    """Confirm a directive done (办结)."""

    directive_id: DirectiveId
    note: str = Field(default="", max_length=2000, description="说明")


# --- clues and accountability -----------------------------------------------------------------


class ReceiveClue(Command):
    """Receive a report or clue (受理问题线索)."""

    id: uuid.UUID | None = Field(default=None, description=NEW_ID)
    category: ClueCategory = Field(description="类别：为官不为或雁过拔毛")
    channel: ReportedClueChannel = Field(description="来源：举报、实地抽查、重点检查、媒体曝光")
    summary: Text = Field(description="反映问题")
    village: str | None = Field(default=None, max_length=50, description=VILLAGE)
    subject_name: str | None = Field(default=None, max_length=100, description="被反映人")
    subject_post: str | None = Field(default=None, max_length=100, description="被反映人职务")
    subject_member_id: MemberId | None = Field(default=None, description="被反映人党员编号")


class VerifyClue(Change):
    """Verify a clue: it has substance (初步核实)."""

    clue_id: ClueId
    findings: Text = Field(description="核实情况")


class DecideAccountability(Change):
    """Decide accountability for one person (问责决定)."""

    clue_id: ClueId
    subject_name: Name = Field(description="问责对象姓名")
    subject_member_id: MemberId | None = Field(default=None, description="问责对象党员编号")
    subject_post: str | None = Field(default=None, max_length=100, description="问责对象职务")
    kind: AccountabilityKind = Field(description="问责方式")
    reason: Text = Field(description="问责事由")


class ConcludeClue(Change):
    """Conclude a clue with the accountability decided (办结)."""

    clue_id: ClueId
    summary: str = Field(default="", max_length=2000, description="办结说明")


class DismissClue(Change):
    """Dismiss a clue, with reasons (予以了结)."""

    clue_id: ClueId
    reason: Text = Field(description="了结理由")


# --- 小微权力清单 ---------------------------------------------------------------------------------


class PowerStepIn(BaseModel):
    """One step of a power's flow."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    name: Annotated[str, Field(min_length=1, max_length=40)] = Field(
        description="步骤 (proposed、consulted、reviewed、resolved、resolution_disclosed、"
        "result_disclosed、filed、handled、reviewed_by_committee、approved、booked)"
    )
    actor: Name = Field(description="实施主体")
    disclosed: bool = Field(default=False, description="是否公开")


class PowerItemIn(BaseModel):
    """One small power with its flow."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")] = Field(
        description="事项编码 (如 finance)"
    )
    name: Name = Field(description="事项名称 (如 财务收支)")
    steps: list[PowerStepIn] = Field(min_length=1, max_length=20, description="运行流程")


class PublishPowerList(Command):
    """Publish (or republish, changed) a village's list of small powers for a year
    (公布小微权力清单); without `items`, the town's reference list."""

    village: VillagePath
    year: YearPath
    items: list[PowerItemIn] | None = Field(
        default=None, max_length=30, description="权力事项及流程 (可空：采用镇参考清单)"
    )


# --- 村务监督委员会 -------------------------------------------------------------------------------


class AppointCommitteeMember(Change):
    """A member of the village affairs supervision committee takes office (成员任职)."""

    village: VillagePath
    member_id: CommitteeMemberId | None = Field(default=None, description="成员编号 (默认新建)")
    name: Name = Field(description="姓名")
    position: CommitteePosition = Field(description="职务：主任或委员")


class CommitteeMemberLeaves(Change):
    """A member leaves the committee (成员离任)."""

    village: VillagePath
    member_id: Annotated[CommitteeMemberId, FromPath()]


class MakeCommitteeReport(Change):
    """The committee's yearly report to the village party organisation and the villagers'
    representatives' meeting (年度工作报告)."""

    village: VillagePath
    year: Year
    to_party_organisation: bool = Field(description="已向村党组织报告")
    to_representatives: bool = Field(description="已向村民代表会议报告")
    summary: Text = Field(description="报告内容摘要")


class CheckCommitteeReports(Command):
    """Check the committees' yearly reports (年度报告检查): each report not made by 31 January
    of the next year is overdue, raised once."""

    year: Year | None = Field(default=None, description="检查的年度 (默认：已到期的各年度)")


class RecordCommitteeFinding(Change):
    """A problem the committee found (监督发现问题): it goes on the problem list."""

    village: VillagePath
    id: uuid.UUID | None = Field(default=None, description=NEW_ID)
    title: Name = Field(description="问题")
    detail: str = Field(default="", max_length=2000, description="具体情况")
    deadline: Deadline | None = Field(default=None, description="整改时限 (默认：发现之日起30天)")


# --- the appraisal's facts --------------------------------------------------------------------


class RecordAppraisalFacts(Command):
    """Record the year's appraisal facts as the system counts them (记录年度考核事实)."""

    year: YearPath


# --- reactions to other services' events (the system's commands) -----------------------------


class CheckPowerFlow(Command):
    """An act funds recorded, checked against its power item's flow (小微权力运行检查), once
    per act."""

    act_event_id: str
    act_type: str
    village: str
    power_item: str
    steps: tuple[str, ...]
    acted_on: dt.date


class OpenInactionClue(Command):
    """The year's appraisal referred a subject to the 为官不为 process: one clue."""

    year: int
    subject_kind: str
    subject: str
    subject_name: str
    reason: str
    referred_on: dt.date


class OpenRedFlagClue(Command):
    """A red flag funds confirmed opens a 雁过拔毛 clue (资金预警), once per flag."""

    flag_id: str
    code: str
    village: str | None = None
    programme_id: str | None = None
    summary: str = ""
    severity: str | None = None
    confirmed_on: dt.date


class OpenWeakBranchItem(Command):
    """A branch designated weak (软弱涣散) gets one rectification item per task, once per
    branch, period and task."""

    branch_id: str
    branch_name: str
    period: str
    task: str = Field(description="整改任务 (WEAK_BRANCH_TASKS key)")
    village: str | None = None
    assessed: str = ""
    designated_on: dt.date


class NoteDesignationLifted(Command):
    """The lifting of a branch's designation is noted on its rectification item, once."""

    branch_id: str
    period: str
    task: str
    lifted_on: dt.date
