"""The commands of the funds service (命令). Each is also its route's request body: its fields'
constraints and zh-CN descriptions are the API's, and a bad field is a 422 naming it before
anything is stored. Fields the URL carries are marked `FromPath`; villages are names or codes;
`occurred_on` is the business date (业务日期, default today; never in the future)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field

from funds.domain.events import FinanceFiling
from funds.domain.values import (
    AssetCategory,
    BeneficiaryKind,
    BeneficiaryRule,
    BookEntryKind,
    ChangeAspect,
    DecisionKind,
    DisposalMethod,
    IncomeSource,
    MeetingBody,
    Purpose,
    SourceLevel,
    Step,
)
from shared.business_dates import BusinessDate, Deadline
from shared.pipeline import Change, Command, FromPath
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

ProgrammeId = Annotated[str, FromPath(), Field(description="资金项目编号")]
NoticeId = Annotated[str, FromPath(), Field(description="公示编号")]
FlagId = Annotated[str, FromPath(), Field(description="预警编号")]
VillageInPath = Annotated[str, FromPath(), Field(description="村/社区名称或代码")]
DecisionInPath = Annotated[str, FromPath(), Field(description="决策事项编号")]
Headcount = Annotated[int, Field(ge=0, le=5000)]

#: Vocabularies (enums) reach the handlers as their plain values.
_VALUES = ConfigDict(use_enum_values=True)


class _Command(Command):
    model_config = _VALUES


class _Change(Change):
    model_config = _VALUES


class _Part(BaseModel):
    """A nested part of a command's body."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, use_enum_values=True, frozen=True
    )


# --- fund programmes (惠农涉农资金) ------------------------------------------------------------


class CreateProgramme(_Command):
    """设立资金项目：项目编号镇内唯一（重复则 409）。"""

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
    exclusive_with: tuple[str, ...] = Field(
        default=(), max_length=20, description="不得重复享受的其他项目id"
    )


class AllocateFunds(_Change):
    """资金分配到村。"""

    programme_id: ProgrammeId
    village: Village
    amount: Money
    reference: Reference | None = Field(None, description="拨款文号")


class StartProgramme(_Change):
    """项目启动；晚于计划启动日期则预警（FUNDS-NOT-STARTED）。"""

    programme_id: ProgrammeId


class RecordDisbursement(_Change):
    """资金发放：核对建档立卡、重复领取、发放标准、期限、干部亲属、公示。"""

    programme_id: ProgrammeId
    voucher_no: str = Field(min_length=1, max_length=60, description="发放凭证号（项目内唯一）")
    village: Village
    beneficiary_kind: BeneficiaryKind = Field(BeneficiaryKind.PERSON, description="按人或按户")
    beneficiary_name: Name
    beneficiary_id_number: IdNumber
    household_id: str | None = Field(None, max_length=80, description="扶贫建档户编号（如有）")
    amount: Money
    entitled_amount: Money | None = Field(None, description="应发金额（默认项目发放标准）")


class RecordExpenditure(_Change):
    """项目支出；用途与项目不符则预警（FUNDS-DIVERTED）。"""

    programme_id: ProgrammeId
    reference: Reference | None = Field(None, description="支出凭证号")
    village: Village | None = None
    amount: Money
    purpose_code: Purpose = Field(description="实际支出用途类别")
    payee: str = Field(min_length=1, max_length=100, description="收款单位或个人")
    description: str = Field(min_length=1, max_length=200, description="支出事由")


class Approval(_Part):
    """批准文件。"""

    document: str = Field(min_length=1, max_length=60, description="批准文号")
    approved_by: str = Field(min_length=1, max_length=60, description="批准机关")
    approved_on: BusinessDate = Field(description="批准日期")


class RecordProgrammeChange(_Change):
    """项目变更；未经及时批准则预警（FUNDS-UNAPPROVED-CHANGE）。"""

    programme_id: ProgrammeId
    reference: Reference | None = Field(None, description="变更编号")
    aspect: ChangeAspect = Field(description="变更事项")
    description: str = Field(min_length=1, max_length=500, description="变更内容")
    new_purpose_code: Purpose | None = Field(None, description="变更后的资金用途（用途变更时）")
    approval: Approval | None = Field(None, description="批准文件（未经批准则不填）")


class OpenNotice(_Command):
    """发布公示（不少于7天）。"""

    programme_id: ProgrammeId
    reference: Reference | None = Field(None, description="公示编号")
    village: Village | None = Field(None, description="公示范围（不填为全镇）")
    title: str = Field(min_length=1, max_length=100, description="公示标题")
    ends_on: Deadline = Field(description="公示截止日期（不少于7天）")


class RecordObjection(_Command):
    """登记公示异议。"""

    programme_id: ProgrammeId
    notice_id: NoticeId
    reference: Reference | None = Field(None, description="异议编号")
    summary: str = Field(min_length=1, max_length=500, description="异议内容摘要")


class CloseNotice(_Command):
    """公示结束。"""

    programme_id: ProgrammeId
    notice_id: NoticeId
    outcome: str = Field("无异议", max_length=500, description="公示结果（异议处理情况）")


# --- oversight (预警与监督) ------------------------------------------------------------------


class RecordCadreRelation(_Command):
    """登记村干部亲属关系；此前发给该亲属的款项予以预警。"""

    relative_name: Name
    relative_id_number: IdNumber
    relation: str = Field(min_length=1, max_length=20, description="亲属关系（配偶、子女……）")
    cadre_name: Name
    cadre_post: str = Field(min_length=1, max_length=40, description="干部职务")
    cadre_village: Village


class AcknowledgeRedFlag(_Change):
    """签收预警。"""

    flag_id: FlagId
    note: str = Field("", max_length=1000, description="备注")


class ExplainRedFlag(_Change):
    """预警情况说明。"""

    flag_id: FlagId
    explanation: str = Field(min_length=1, max_length=2000, description="情况说明")


class ConfirmRedFlag(_Change):
    """确认问题（纪委书记）。"""

    flag_id: FlagId
    note: str = Field("", max_length=1000, description="备注")


class CheckDeadlines(_Command):
    """期限检查：对每个项目适用与日期有关的规则（未按期启动、资金滞留）；已有的预警不重复。
    检查日期即业务日期（`occurred_on`，旧名 `today`），默认今天。"""

    occurred_on: BusinessDate | None = Field(
        default=None,
        validation_alias=AliasChoices("occurred_on", "today"),
        description="检查日期（默认今天）",
    )


# --- the village collective (村集体三资、集体经济、阳光村务) --------------------------------------


class RegisterAsset(_Command):
    """登记村集体三资。"""

    village: VillageInPath
    asset_code: str = Field(min_length=1, max_length=40, description="资产编号（村内唯一）")
    category: AssetCategory = Field(description="类别：资产、资源、资金")
    name: str = Field(min_length=1, max_length=100, description="名称")
    description: str = Field("", max_length=500, description="说明（位置、面积、数量）")
    value: Amount
    government_funded: bool = Field(False, description="是否财政扶持建设")


class Filing(_Part):
    """财政所备案。"""

    filed_on: BusinessDate = Field(description="报财政所备案日期")
    reference: str = Field(min_length=1, max_length=60, description="备案编号")

    def filing(self) -> FinanceFiling:
        return FinanceFiling(**self.model_dump())


class DisposeAsset(_Command):
    """处置集体资产：须经四议两公开（决策事项的决议已公开）并报财政所备案；收益全部计入集体经济
    发展资金。"""

    village: VillageInPath
    asset_code: Annotated[str, FromPath(), Field(description="资产编号")]
    decision_id: str = Field(
        min_length=1, max_length=60, description="决策事项编号（资产处置，决议已公开）"
    )
    method: DisposalMethod = Field(description="处置方式：变卖、转让")
    counterparty: str = Field(min_length=1, max_length=100, description="受让方")
    proceeds: Amount
    filing: Filing | None = Field(None, description="财政所备案")


class RecordCollectiveIncome(_Command):
    """登记集体经济收入。"""

    village: VillageInPath
    year: int = Field(ge=2000, le=2100, description="年度")
    amount: Amount
    source: IncomeSource = Field(description="收入来源")
    note: str = Field("", max_length=500, description="说明")
    reference: Reference | None = Field(None, description="收入记录编号")


class ListZeroIncomeVillage(_Command):
    """列入清零名单。"""

    village: VillageInPath
    year: int = Field(ge=2000, le=2100, description="无集体经济收入的年度")


class AssignZeroIncomeLeader(_Command):
    """指定清零村联点负责人。"""

    village: VillageInPath
    leader_name: Name
    leader_post: str = Field(min_length=1, max_length=60, description="联点负责人职务")


class RecordVillagePlan(_Command):
    """登记一村一策。"""

    village: VillageInPath
    reference: Reference | None = Field(None, description="方案编号")
    title: str = Field(min_length=1, max_length=100, description="一村一策方案名称")
    measures: tuple[Annotated[str, Field(min_length=1, max_length=200)], ...] = Field(
        min_length=1, max_length=20, description="措施"
    )
    target_income: Amount | None = Field(None, description="目标年收入（元）")


class DiscloseFinances(_Command):
    """村级财务公开（季度）：村级账号只能公开本村。收支合计不填则取村账乡代理账簿该季度的合计；
    填写且与账簿不符则预警（FUNDS-DISCLOSURE-MISMATCH）。"""

    village: VillageInPath
    period: str = Field(pattern=r"^\d{4}-?Q[1-4]$", description="公开季度，如 2016Q3")
    income_total: Amount | None = Field(None, description="收入合计（元；不填取账簿数）")
    expenditure_total: Amount | None = Field(None, description="支出合计（元；不填取账簿数）")
    channel: str = Field("村务公开栏", min_length=1, max_length=60, description="公开方式")


# --- village collective decisions (四议两公开) and collective projects ---------------------------


class ProposeDecision(_Command):
    """村党组织提议：村集体经济项目或资产资源处置的决策事项。"""

    village: VillageInPath
    reference: Reference | None = Field(None, description="决策事项编号（村内唯一）")
    kind: DecisionKind = Field(description="事项类别：集体经济项目、资产资源处置")
    subject: str = Field(
        min_length=1, max_length=100, description="事项：项目名称，或拟处置资产的资产编号"
    )
    description: str = Field(min_length=1, max_length=1000, description="提议内容")


class HoldDecisionMeeting(_Change):
    """商议、审议、决议：依次召开两委会议、党员大会、村民代表会议（村民会议）；会议日期即业务日期。"""

    village: VillageInPath
    decision_id: DecisionInPath
    step: Literal["consulted", "reviewed", "resolved"] = Field(
        description="步骤：consulted 两委商议、reviewed 党员大会审议、resolved 村民代表会议决议"
    )
    body: MeetingBody = Field(description="会议：两委会议、党员大会、村民代表会议、村民会议")
    members: Headcount = Field(description="组成人员（应到人数）")
    present: Headcount = Field(description="到会人数")
    votes_for: Headcount = Field(description="赞成票")
    votes_against: Headcount = Field(description="反对票")


class DiscloseResolution(_Change):
    """决议公开。"""

    village: VillageInPath
    decision_id: DecisionInPath
    channel: str = Field("村务公开栏", min_length=1, max_length=60, description="公开方式")


class DiscloseResult(_Change):
    """实施结果公开：项目启动或资产处置之后。"""

    village: VillageInPath
    decision_id: DecisionInPath
    result: str = Field(min_length=1, max_length=1000, description="实施结果")


class StartCollectiveProject(_Command):
    """启动村集体经济项目：其决策事项的决议须已公开；项目即决策事项所定（每个决策一个项目）。"""

    village: VillageInPath
    decision_id: str = Field(
        min_length=1, max_length=60, description="决策事项编号（集体经济项目，决议已公开）"
    )
    investment: Money


# --- village books kept by the town agency (村账乡代理) ------------------------------------------


class RecordBookEntry(_Command):
    """代理会计记账：村级收入或支出（按月）。"""

    village: VillageInPath
    reference: Reference | None = Field(None, description="记账凭证号（村内、年度内唯一）")
    month: str = Field(pattern=r"^[1-9]\d{3}-(0[1-9]|1[0-2])$", description="所属月份，如 2016-03")
    kind: BookEntryKind = Field(description="收支：income 收入、expense 支出")
    amount: Money
    subject: str = Field(min_length=1, max_length=100, description="科目或事由")
    steps: tuple[Step, ...] = Field(
        default=(),
        max_length=11,
        description="支出经过的步骤（如 handled 经办、reviewed_by_committee 村务监督委员会审核、"
        "approved 审批；记账 booked 自动加上）",
    )


# --- reactions (跨服务反应) --------------------------------------------------------------------


class RecordClueOutcome(_Command):
    """记录监督服务对线索的办理结果（每条线索一次）。"""

    flag_id: str
    clue_id: str
    outcome: str
    concluded_on: dt.date
