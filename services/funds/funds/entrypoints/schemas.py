"""Request bodies (pydantic): constraints and zh-CN descriptions; bad input is a 422 naming the
field, before anything is stored."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from funds.domain.values import (
    AssetCategory,
    BeneficiaryKind,
    BeneficiaryRule,
    ChangeAspect,
    DisposalMethod,
    IncomeSource,
    Purpose,
    SourceLevel,
)
from shared.business_dates import BusinessDate, Deadline
from shared.web import resident_id_number

Money = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2, description="金额（元）")]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, description="金额（元）")]
IdNumber = Annotated[
    str,
    Field(min_length=18, max_length=18, description="居民身份证号（18位，GB 11643）"),
    AfterValidator(resident_id_number),
]
Name = Annotated[str, Field(min_length=1, max_length=40, description="姓名")]
Village = Annotated[str, Field(min_length=1, max_length=40, description="村/社区名称或代码")]
#: A client's reference for a new entity; given, it makes the command idempotent (409 on repeat).
Reference = Annotated[str, Field(min_length=1, max_length=60)]


class Body(BaseModel):
    """Every command body: no unknown fields; `occurred_on` is the day the work happened."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)

    occurred_on: BusinessDate | None = Field(None, description="业务发生日期（默认今天）")


class Versioned(Body):
    expected_version: int | None = Field(
        None, ge=0, description="期望的版本号（乐观并发控制，不符时返回409）"
    )


class ProgrammeBody(Body):
    code: str = Field(min_length=1, max_length=40, description="项目编号（镇内唯一）")
    name: str = Field(min_length=1, max_length=100, description="项目名称")
    source_level: SourceLevel = Field(description="资金来源层级")
    amount: Money
    purpose: str = Field(min_length=1, max_length=200, description="资金用途说明")
    purpose_code: Purpose = Field(description="资金用途类别")
    beneficiary_rule: BeneficiaryRule = Field(description="发放对象条件")
    standard_amount: Money | None = Field(None, description="每户（人）发放标准（元）")
    min_age: int | None = Field(None, ge=0, le=150, description="发放对象最低年龄")
    max_age: int | None = Field(None, ge=0, le=150, description="发放对象最高年龄")
    planned_start: Deadline = Field(description="计划启动日期")
    disbursement_deadline: Deadline = Field(description="资金发放期限")
    village: Village | None = Field(None, description="村级项目所在村（镇级项目不填）")
    exclusive_with: list[str] = Field(
        default_factory=list, max_length=20, description="不得重复享受的其他项目id"
    )


class AllocationBody(Versioned):
    village: Village
    amount: Money
    reference: Reference | None = Field(None, description="拨款文号")


class DisbursementBody(Versioned):
    voucher_no: str = Field(min_length=1, max_length=60, description="发放凭证号（项目内唯一）")
    village: Village
    beneficiary_kind: BeneficiaryKind = Field(BeneficiaryKind.PERSON, description="按人或按户")
    beneficiary_name: Name
    beneficiary_id_number: IdNumber
    household_id: str | None = Field(None, max_length=80, description="扶贫建档户编号（如有）")
    amount: Money
    entitled_amount: Money | None = Field(None, description="应发金额（默认项目发放标准）")


class ExpenditureBody(Versioned):
    reference: Reference | None = Field(None, description="支出凭证号")
    village: Village | None = None
    amount: Money
    purpose_code: Purpose = Field(description="实际支出用途类别")
    payee: str = Field(min_length=1, max_length=100, description="收款单位或个人")
    description: str = Field(min_length=1, max_length=200, description="支出事由")


class ApprovalBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)

    document: str = Field(min_length=1, max_length=60, description="批准文号")
    approved_by: str = Field(min_length=1, max_length=60, description="批准机关")
    approved_on: BusinessDate = Field(description="批准日期")


class ChangeBody(Versioned):
    reference: Reference | None = Field(None, description="变更编号")
    aspect: ChangeAspect = Field(description="变更事项")
    description: str = Field(min_length=1, max_length=500, description="变更内容")
    new_purpose_code: Purpose | None = Field(None, description="变更后的资金用途（用途变更时）")
    approval: ApprovalBody | None = Field(None, description="批准文件（未经批准则不填）")


class NoticeBody(Body):
    reference: Reference | None = Field(None, description="公示编号")
    village: Village | None = Field(None, description="公示范围（不填为全镇）")
    title: str = Field(min_length=1, max_length=100, description="公示标题")
    ends_on: Deadline = Field(description="公示截止日期（不少于7天）")


class ObjectionBody(Body):
    reference: Reference | None = Field(None, description="异议编号")
    summary: str = Field(min_length=1, max_length=500, description="异议内容摘要")


class CloseNoticeBody(Body):
    outcome: str = Field("无异议", max_length=500, description="公示结果（异议处理情况）")


class CadreRelationBody(Body):
    relative_name: Name
    relative_id_number: IdNumber
    relation: str = Field(min_length=1, max_length=20, description="亲属关系（配偶、子女……）")
    cadre_name: Name
    cadre_post: str = Field(min_length=1, max_length=40, description="干部职务")
    cadre_village: Village


class FlagNoteBody(Versioned):
    note: str = Field("", max_length=1000, description="备注")


class ExplainBody(Versioned):
    explanation: str = Field(min_length=1, max_length=2000, description="情况说明")


class DeadlineCheckBody(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    today: BusinessDate | None = Field(None, description="检查日期（默认今天）")


class AssetBody(Body):
    asset_code: str = Field(min_length=1, max_length=40, description="资产编号（村内唯一）")
    category: AssetCategory = Field(description="类别：资产、资源、资金")
    name: str = Field(min_length=1, max_length=100, description="名称")
    description: str = Field("", max_length=500, description="说明（位置、面积、数量）")
    value: Amount
    government_funded: bool = Field(False, description="是否财政扶持建设")


class VoteBody(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    held_on: BusinessDate = Field(description="村民代表会议日期")
    representatives: int = Field(gt=0, le=1000, description="村民代表总数")
    present: int = Field(ge=0, le=1000, description="到会人数")
    votes_for: int = Field(ge=0, le=1000, description="赞成票")
    votes_against: int = Field(ge=0, le=1000, description="反对票")


class FilingBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)

    filed_on: BusinessDate = Field(description="报财政所备案日期")
    reference: str = Field(min_length=1, max_length=60, description="备案编号")


class DisposalBody(Body):
    method: DisposalMethod = Field(description="处置方式：变卖、转让")
    counterparty: str = Field(min_length=1, max_length=100, description="受让方")
    proceeds: Amount
    vote: VoteBody | None = Field(None, description="村民代表会议表决")
    filing: FilingBody | None = Field(None, description="财政所备案")


class IncomeBody(Body):
    year: int = Field(ge=2000, le=2100, description="年度")
    amount: Amount
    source: IncomeSource = Field(description="收入来源")
    note: str = Field("", max_length=500, description="说明")
    reference: Reference | None = Field(None, description="收入记录编号")


class ZeroListingBody(Body):
    year: int = Field(ge=2000, le=2100, description="无集体经济收入的年度")


class LeaderBody(Body):
    leader_name: Name
    leader_post: str = Field(min_length=1, max_length=60, description="联点负责人职务")


class PlanBody(Body):
    reference: Reference | None = Field(None, description="方案编号")
    title: str = Field(min_length=1, max_length=100, description="一村一策方案名称")
    measures: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=20, description="措施"
    )
    target_income: Amount | None = Field(None, description="目标年收入（元）")


class DisclosureBody(Body):
    period: str = Field(pattern=r"^\d{4}-?Q[1-4]$", description="公开季度，如 2016Q3")
    income_total: Amount
    expenditure_total: Amount
    channel: str = Field("村务公开栏", min_length=1, max_length=60, description="公开方式")
