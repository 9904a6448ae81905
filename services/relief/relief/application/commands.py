"""The commands of the relief service (imperative: what an official asks to be done). Each
command is also its request body: its fields' constraints and zh-CN descriptions are the API's,
and a bad field is a 422 naming it before anything runs.

`occurred_on` is the business day the work happened (None: today); `expected_version` on a
state change is the stream version the caller read (None: no check; a mismatch is a 409).
Fields marked `FromPath` come from the URL.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from relief.domain.events import DutyShift
from relief.domain.household_record import Person
from relief.domain.values import Guarantees
from shared.business_dates import Deadline
from shared.pipeline import Change, Command, FromPath
from shared.web import resident_id_number

IdNumber = Annotated[
    str,
    Field(min_length=18, max_length=18, description="居民身份证号（18位，校验位有效）"),
    AfterValidator(resident_id_number),
]
Name = Annotated[str, Field(min_length=1, max_length=50, description="姓名")]
Text = Annotated[str, Field(max_length=2000)]
Required = Annotated[str, Field(min_length=1, max_length=2000)]
Village = Annotated[str, Field(min_length=1, max_length=50, description="村/社区名称（本镇）")]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Area = Annotated[Decimal, Field(gt=0, max_digits=10, decimal_places=2, description="面积（m²）")]


def _uuid_text(value: str | None) -> str | None:
    return None if value is None else str(uuid.UUID(value))


ClientId = Annotated[
    str | None,
    Field(
        default=None,
        description="可选：客户端生成的 UUID（重复提交返回 409）",
        json_schema_extra={"format": "uuid"},
    ),
    AfterValidator(_uuid_text),
]
HouseholdId = Annotated[str, FromPath(), Field(min_length=1, max_length=64, description="农户编号")]
ProjectId = Annotated[str, FromPath(), Field(min_length=1, max_length=64, description="项目编号")]
SiteId = Annotated[str, FromPath(), Field(min_length=1, max_length=64, description="场所编号")]
ItemId = Annotated[str, FromPath(), Field(min_length=1, max_length=64, description="代办事项编号")]


class Nested(BaseModel):
    """A part of a command body: unknown fields refused; built from a domain value too."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, from_attributes=True)


# --- households -------------------------------------------------------------------------


class MemberIn(Nested):
    """家庭成员（户主以外）."""

    name: Name
    id_number: IdNumber
    relation: str = Field(min_length=1, max_length=10, description="与户主关系，如 配偶、子女")

    def person(self) -> Person:
        return Person(self.name, self.id_number, self.relation)


class RegisterHousehold(Command):
    """建档立卡：登记一户贫困户。"""

    village: Village
    head_name: Name = Field(description="户主姓名")
    head_id_number: IdNumber
    members: list[MemberIn] = Field(default=[], max_length=30, description="户主以外的家庭成员")
    causes: list[str] = Field(min_length=1, max_length=11, description="致贫原因，如 因病、缺技术")
    income_per_head: Money = Field(description="人均纯收入（元/年）")
    household_id: ClientId

    def people(self) -> list[Person]:
        return [m.person() for m in self.members]


class CorrectHouseholdRecord(Change):
    household_id: HouseholdId
    head_name: Name = Field(description="户主姓名")
    members: list[MemberIn] = Field(default=[], max_length=30)
    causes: list[str] = Field(min_length=1, max_length=11)
    reason: Required = Field(description="更正原因")

    def people(self) -> list[Person]:
        return [m.person() for m in self.members]


class AssessIncome(Change):
    household_id: HouseholdId
    income_per_head: Money = Field(description="人均纯收入（元/年）")
    year: int | None = Field(
        default=None, ge=2010, le=2100, description="收入年度（默认业务日期所在年）"
    )


class CheckGuarantees(Change):
    """“两不愁三保障”核验结果."""

    household_id: HouseholdId
    food: bool = Field(description="不愁吃")
    clothing: bool = Field(description="不愁穿")
    education: bool = Field(description="义务教育有保障")
    medical: bool = Field(description="基本医疗有保障")
    housing: bool = Field(description="住房安全有保障")
    notes: Text = ""

    def checks(self) -> Guarantees:
        return Guarantees(self.food, self.clothing, self.education, self.medical, self.housing)


class ExitPoverty(Change):
    household_id: HouseholdId


class ReturnToPoverty(Change):
    household_id: HouseholdId
    reason: Required = Field(description="返贫原因")
    income_per_head: Money | None = None


class PairHousehold(Change):
    """党员（member_id）或干部（cadre_name + cadre_post）."""

    household_id: HouseholdId
    member_id: str | None = Field(default=None, min_length=1, max_length=64, description="党员编号")
    cadre_name: str = Field(default="", max_length=50, description="干部姓名（非党员）")
    cadre_post: str = Field(default="", max_length=100, description="干部职务")


class RepairHousehold(PairHousehold):
    reason: Required = Field(description="更换帮扶人的原因")


class RecordVisit(Change):
    household_id: HouseholdId
    notes: Required = Field(description="走访情况")
    visitor: str | None = Field(default=None, max_length=50, description="走访人（默认帮扶人）")
    visit_id: ClientId


class PlanMeasure(Change):
    household_id: HouseholdId
    project: str = Field(description="五大工程：income/relocation/skills/safety_net/infrastructure")
    description: Required = Field(description="措施内容")
    measure_id: ClientId


class CompleteMeasure(Change):
    household_id: HouseholdId
    measure_id: Annotated[str, FromPath(), Field(min_length=1, max_length=64)]
    outcome: Text = Field(default="", description="落实情况")


# --- the five activities ------------------------------------------------------------------


class RecordEnterprisePairing(Command):
    enterprise: Required = Field(description="民营企业名称")
    village: Village
    people: list[Name] = Field(default=[], max_length=100, description="参与人员")
    content: Text = Field(default="", description="帮扶内容")
    record_id: ClientId


class RecordPosts(Command):
    village: Village
    kind: str = Field(description="public_welfare（公益性岗位）或 employment（就业岗位）")
    employer: Text = Field(default="", description="用工单位")
    posts: int = Field(ge=1, le=1000, description="岗位数")
    people: list[Name] = Field(default=[], max_length=1000, description="上岗人员")
    record_id: ClientId


class RecordStudentHelped(Command):
    village: Village
    student_name: Name = Field(description="学生姓名")
    school: Text = Field(default="", description="学校")
    support: Required = Field(description="帮扶内容")
    amount: Money | None = Field(default=None, description="资助金额（元）")
    people: list[Name] = Field(default=[], max_length=100, description="帮扶人")
    record_id: ClientId


class RecordFreeClinic(Command):
    village: Village
    medical_staff: list[Name] = Field(min_length=1, max_length=100, description="医务人员")
    patients: int = Field(ge=0, le=100000, description="就诊人数")
    services: Text = Field(default="", description="义诊内容")
    record_id: ClientId


# --- livelihood projects --------------------------------------------------------------------


class ListLivelihoodProject(Command):
    """`village` None: a project of the town's list."""

    name: Required = Field(description="项目名称")
    category: str = Field(
        description="类别：jobs、medical、school、transport、housing、water、"
        "power、public_services、culture_fitness、environment"
    )
    village: str | None = Field(default=None, max_length=50, description="村/社区（空为镇级项目）")
    description: Text = ""
    lead_unit: Required = Field(description="牵头单位")
    budget: Money | None = Field(default=None, description="预算（元）")
    due_on: Deadline | None = Field(default=None, description="完成时限")
    project_id: ClientId


class StartProject(Change):
    project_id: ProjectId


class AcceptProject(Change):
    project_id: ProjectId
    accepted_by: Required = Field(description="验收人/验收组")
    result: Required = Field(description="验收结论")


class RecordAfterCare(Change):
    project_id: ProjectId
    responsible: Required = Field(description="后续管理责任人")
    note: Required = Field(description="管理情况")


# --- service sites ----------------------------------------------------------------------------


class RegisterCommunitySite(Command):
    community: Village
    name: Required = Field(description="场所名称")
    area_m2: Area
    office_area_m2: Area | None = Field(default=None, description="办公用房面积（m²）")
    site_id: ClientId


class ExpandCommunitySite(Change):
    site_id: SiteId
    area_m2: Area
    method: str = Field(description="adjusted（调剂）、transferred（划拨）或 built（新建改扩建）")


class CompleteFiveUnified(Change):
    site_id: SiteId
    items: list[str] = Field(
        min_length=1,
        max_length=5,
        description="signage、facade、door_plates、service_windows、publicity_boards",
    )


class CertifySiteCompliant(Change):
    site_id: SiteId


class DesignateServiceStation(Command):
    village: Village
    name: Required = Field(description="便民服务站名称")
    address: Text = ""


class ShiftIn(Nested):
    weekday: int = Field(ge=1, le=7, description="星期（1=周一 … 7=周日）")
    cadre: Name = Field(description="值班干部")
    post: str = Field(default="", max_length=50, description="职务")

    def shift(self) -> DutyShift:
        return DutyShift(weekday=self.weekday, cadre=self.cadre, post=self.post)


class PublishDutyRota(Change):
    village: Annotated[str, FromPath(), Field(min_length=1, max_length=50)]
    shifts: list[ShiftIn] = Field(min_length=1, max_length=50)


class ReceiveAgencyRequest(Command):
    village: Village
    applicant: Name = Field(description="申请人")
    matter: Required = Field(description="代办事项")
    agent: Name = Field(description="代办员")
    item_id: ClientId


class HandleAgencyRequest(Change):
    item_id: ItemId
    result: Required = Field(description="办理结果")


class SignOffAgencyRequest(Change):
    item_id: ItemId
    signed_by: Name = Field(description="签收人")


class RequestErasure(Command):
    """删除个人信息：按身份证号删除一位居民在各服务中的个人信息（加密密钥），须说明理由。"""

    id_number: IdNumber
    reason: Required = Field(description="删除理由（如 本人申请，依据个人信息保护法第四十七条）")
