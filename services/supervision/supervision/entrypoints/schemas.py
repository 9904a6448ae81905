"""Request bodies of the supervision API (pydantic): constraints and zh-CN descriptions.

Unknown fields are refused (a misspelt field is an error, not silently dropped)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.business_dates import BusinessDate, Deadline
from supervision.domain.vocabulary import (
    AccountabilityKind,
    ClueCategory,
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

OCCURRED_ON = "办理日期 (the day the work happened; default today; not in the future)"
EXPECTED_VERSION = "期望的版本号 (optimistic concurrency: 409 if the entity changed meanwhile)"


class Body(BaseModel):
    """Common to every command body."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    occurred_on: BusinessDate | None = Field(default=None, description=OCCURRED_ON)


class ChangeBody(Body):
    """Common to every state change."""

    expected_version: int | None = Field(default=None, ge=0, description=EXPECTED_VERSION)


class NewId(Body):
    """A creation; the caller may choose the id (a UUID) to make a retry idempotent."""

    id: uuid.UUID | None = Field(default=None, description="编号 (UUID; default: a new one)")


# --- the plan ---------------------------------------------------------------------------------


class RegisterPlanBody(Body):
    """Register the plan's measures (登记方案措施)."""


# --- lists and ledger -------------------------------------------------------------------------


class OpenItemBody(NewId):
    list_name: ListName = Field(description="清单：问题清单、责任清单或整改清单")
    title: Name = Field(description="事项名称")
    detail: str = Field(default="", max_length=2000, description="具体情况")
    source: Source = Field(description="问题来源：上级点、自己找、群众提")
    measure: int = Field(ge=1, le=14, description="所属措施 (1–14)")
    lead_post: Name = Field(description="牵头领导 (职务，如 分管农业的负责人)")
    lead_unit: Name = Field(description="牵头单位")
    deadline: Deadline = Field(description="整改时限")
    village: str | None = Field(default=None, max_length=50, description="所在村/社区 (可空)")


class StartItemBody(ChangeBody):
    note: str = Field(default="", max_length=2000, description="说明")


class RectifyItemBody(ChangeBody):
    summary: Text = Field(description="整改情况")
    evidence: Evidence = Field(default_factory=list, description="佐证材料")


class CloseItemBody(ChangeBody):
    evidence: Evidence = Field(
        default_factory=list, description="销号佐证材料 (整改时未提供则必填)"
    )
    note: str = Field(default="", max_length=2000, description="销号意见")


class ReopenBody(ChangeBody):
    reason: Text = Field(description="重新打开的理由")


class ReopenItemBody(ReopenBody):
    new_deadline: Deadline | None = Field(default=None, description="新的整改时限 (可空)")


class NoteBody(ChangeBody):
    note: Text = Field(description="记录内容")


# --- petitions --------------------------------------------------------------------------------


class ReceivePetitionBody(NewId):
    channel: PetitionChannel = Field(description="信访渠道")
    petitioner_name: Name = Field(description="信访人姓名 (集体访填代表姓名)")
    petitioner_count: int = Field(default=1, ge=1, le=10000, description="信访人数")
    village: str | None = Field(default=None, max_length=50, description="所在村/社区 (可空)")
    subject: Text = Field(description="信访事项")
    repeat_of: uuid.UUID | None = Field(default=None, description="重复信访：原信访件编号")


class ClassifyPetitionBody(ChangeBody):
    focus_area: FocusArea = Field(description="领域：涉众型经济纠纷、征地拆迁、企业改制或其他")
    key_case: bool = Field(default=False, description="是否重点案件 (须领导包案)")


class PetitionTeamBody(ChangeBody):
    team_name: Name = Field(description="工作专班名称")
    members: list[Name] = Field(min_length=1, max_length=30, description="专班成员")


class PetitionLeaderBody(ChangeBody):
    leader: Name = Field(description="包案领导")


class ResolvePetitionBody(ChangeBody):
    resolution: Text = Field(description="化解情况")


class CloseBody(ChangeBody):
    note: str = Field(default="", max_length=2000, description="说明")


# --- directives -------------------------------------------------------------------------------


class ReceiveDirectiveBody(NewId):
    kind: DirectiveKind = Field(description="类别：批示件或交办事项")
    level: Level = Field(description="来文层级：省、市、县、镇")
    issued_by: Name = Field(description="批示/交办领导")
    reference: str | None = Field(default=None, max_length=100, description="文号 (可空)")
    subject: Text = Field(description="事项")
    due_on: Deadline | None = Field(default=None, description="办理时限 (可空)")


class AssignDirectiveBody(ChangeBody):
    lead_post: Name = Field(description="牵头领导 (职务)")
    lead_unit: Name = Field(description="承办单位")
    due_on: Deadline | None = Field(default=None, description="办理时限 (可空：沿用收件时限)")


class DirectiveReportBody(ChangeBody):
    report: Text = Field(description="办理进展")


class DirectiveResultBody(ChangeBody):
    result: Text = Field(description="办理结果")


# --- clues and accountability -----------------------------------------------------------------


class ReceiveClueBody(NewId):
    category: ClueCategory = Field(description="类别：为官不为或雁过拔毛")
    channel: ReportedClueChannel = Field(description="来源：举报、实地抽查、重点检查、媒体曝光")
    summary: Text = Field(description="反映问题")
    village: str | None = Field(default=None, max_length=50, description="所在村/社区 (可空)")
    subject_name: str | None = Field(default=None, max_length=100, description="被反映人")
    subject_post: str | None = Field(default=None, max_length=100, description="被反映人职务")
    subject_member_id: MemberId | None = Field(default=None, description="被反映人党员编号")


class VerifyClueBody(ChangeBody):
    findings: Text = Field(description="核实情况")


class DecideBody(ChangeBody):
    subject_name: Name = Field(description="问责对象姓名")
    subject_member_id: MemberId | None = Field(default=None, description="问责对象党员编号")
    subject_post: str | None = Field(default=None, max_length=100, description="问责对象职务")
    kind: AccountabilityKind = Field(description="问责方式")
    reason: Text = Field(description="问责事由")


class ConcludeClueBody(ChangeBody):
    summary: str = Field(default="", max_length=2000, description="办结说明")


class DismissClueBody(ChangeBody):
    reason: Text = Field(description="了结理由")
