"""Request bodies of the party API (pydantic): constraints here, rules in the domain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from shared.business_dates import BusinessDate, past_date
from shared.web import resident_id_number

BranchId = Annotated[
    str, Field(pattern=r"^branch-[a-z0-9][a-z0-9-]{0,47}$", description="党支部编号 branch-…")
]
MemberId = Annotated[
    str, Field(pattern=r"^member-[a-z0-9][a-z0-9-]{0,47}$", description="党员编号 member-…")
]
IdNumber = Annotated[
    str,
    Field(pattern=r"^[0-9]{17}[0-9Xx]$", description="居民身份证号（18位，GB 11643）"),
    AfterValidator(resident_id_number),
]
Text = Annotated[str, Field(min_length=1, max_length=500)]
Name = Annotated[str, Field(min_length=1, max_length=60)]
OccurredOn = Annotated[
    BusinessDate | None, Field(default=None, description="业务日期（工作发生的日期），默认今天")
]
#: The day the party was founded (1921-07-01): no one joined it before.
PARTY_FOUNDED = dt.date(1921, 7, 1)
JoinedPartyOn = Annotated[dt.date, past_date(PARTY_FOUNDED, "中国共产党成立")]
ExpectedVersion = Annotated[
    int | None, Field(default=None, ge=0, description="预期版本号（乐观并发控制）")
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BranchIn(Body):
    """登记党支部"""

    branch_id: BranchId | None = Field(default=None, description="党支部编号，缺省时自动生成")
    name: Name = Field(description="党支部名称")
    kind: Literal["village", "community", "organ", "enterprise"] = Field(
        description="类别：村、社区、机关、企业"
    )
    village: Name | None = Field(default=None, description="所属村/社区（村、社区党支部必填）")
    occurred_on: OccurredOn = None


class SecretaryIn(Body):
    """任命支部书记"""

    member_id: MemberId
    occurred_on: OccurredOn = None
    expected_version: ExpectedVersion = None


class MemberIn(Body):
    """登记党员"""

    member_id: MemberId | None = Field(default=None, description="党员编号，缺省时自动生成")
    branch_id: BranchId
    name: Name = Field(description="姓名")
    id_number: IdNumber
    membership: Literal["probationary", "full"] = Field(
        default="probationary", description="预备党员或正式党员"
    )
    joined_party_on: JoinedPartyOn = Field(description="入党日期")
    occurred_on: OccurredOn = None


class VersionedIn(Body):
    """只带业务日期和预期版本的命令"""

    occurred_on: OccurredOn = None
    expected_version: ExpectedVersion = None


class TransferIn(VersionedIn):
    """组织关系转接"""

    to_branch_id: BranchId


class PointsIn(VersionedIn):
    """按积分规则记分"""

    rule_code: str = Field(pattern=r"^[A-Z]{2}[0-9]{2}$", description="积分规则编号")
    quantity: int = Field(default=1, ge=1, le=100, description="次数")
    evidence: Text = Field(description="记分依据")
    record_id: str | None = Field(
        default=None, pattern=r"^[a-z0-9][a-z0-9-]{2,63}$", description="记分编号（幂等）"
    )


class GradeIn(VersionedIn):
    """年度评定等次"""

    year: int = Field(ge=2000, le=2100, description="评定年度")


class TalkIn(VersionedIn):
    """不合格党员：谈话"""

    talked_by: Name = Field(description="谈话人")
    summary: Text = Field(description="谈话情况")


class UnqualifiedDecisionIn(VersionedIn):
    """不合格党员：处置决定"""

    decision: Literal["rectify", "persuade_to_withdraw", "remove"] = Field(
        description="限期改正、劝其退党、除名"
    )
    summary: Text


class UnqualifiedOutcomeIn(VersionedIn):
    """不合格党员：处置结果"""

    outcome: Literal["corrected", "withdrew", "removed"] = Field(
        description="已改正、已退党、已除名"
    )
    summary: Text


class DegreeIn(VersionedIn):
    """选派参加学历教育"""

    institution: Name = Field(description="院校")
    level: Literal["associate", "bachelor", "postgraduate"] = Field(
        description="大专、本科、研究生"
    )


class SessionIn(Body):
    """登记集中培训"""

    session_id: str | None = Field(
        default=None, pattern=r"^training-[a-z0-9][a-z0-9-]{0,47}$", description="培训编号"
    )
    level: Literal["county", "town", "branch"] = Field(description="县级、镇党委、党支部")
    programme: Literal[
        "capability", "backbone", "all_members", "farmer_students", "entrepreneurship"
    ] = Field(default="all_members", description="五项计划之一")
    topic: Name = Field(description="培训主题")
    branch_id: BranchId | None = Field(default=None, description="党支部培训的支部")
    held_on: BusinessDate = Field(description="培训日期")
    attendee_ids: list[MemberId] = Field(min_length=1, max_length=2000, description="参训党员")


class AssessmentIn(Body):
    """开始一期支部考核"""

    period: str = Field(pattern=r"^\d{4}(-H[12])?$", description="考核期：2016 或 2016-H1")
    weak_share_percent: Decimal = Field(
        default=Decimal(10),
        gt=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="软弱涣散倒排比例（5–10%）",
    )
    occurred_on: OccurredOn = None


class ScoreIn(VersionedIn):
    """支部评分"""

    branch_id: BranchId
    items: dict[str, Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=2)]] = Field(
        min_length=1, description="评分表各项目得分"
    )


class NamedIn(VersionedIn):
    """整顿：第一书记（name，detail=派出单位）、联点领导（name，detail=职务）、
    到点指导（name=联点领导，detail=情况）"""

    name: Name
    detail: Text


class HouseholdVisitsIn(VersionedIn):
    """整顿：联系点农户走访"""

    households_total: int = Field(gt=0, le=100000, description="联系点总户数")
    households_visited: int = Field(ge=0, le=100000, description="已走访户数")


class AdjustmentIn(Body):
    """调整不胜任现职村干部：① 信息搜集"""

    adjustment_id: str | None = Field(
        default=None, pattern=r"^adjustment-[a-z0-9][a-z0-9-]{0,47}$", description="案件编号"
    )
    cadre_name: Name = Field(description="村干部姓名")
    post: Name = Field(description="现任职务")
    village: Name = Field(description="所在村/社区")
    member_id: MemberId | None = Field(default=None, description="是党员时的党员编号")
    grounds: list[Text] = Field(min_length=1, max_length=20, description="不胜任现职的情形")
    summary: Text = Field(description="情况概述")
    occurred_on: OccurredOn = None


class VoteIn(Body):
    """表决票数"""

    in_favour: int = Field(ge=0, le=10000)
    against: int = Field(ge=0, le=10000)
    abstaining: int = Field(ge=0, le=10000)


class InvestigationIn(VersionedIn):
    """② 调查核实、两会表决"""

    committee: VoteIn = Field(description="支村两委会表决")
    representatives: VoteIn = Field(description="村民代表大会表决")
    summary: Text


class AdjustmentDecisionIn(VersionedIn):
    """③ 党委会议决定"""

    decision: Literal["adjust", "keep"]
    summary: Text


class NoticeIn(VersionedIn):
    """④ 通报情况并谈话"""

    talked_by: Name
    summary: Text


class AppealIn(VersionedIn):
    """复核申诉"""

    grounds: Text


class ReviewIn(VersionedIn):
    """复核结果"""

    result: Literal["upheld", "overturned"]
    summary: Text


class ReappointIn(VersionedIn):
    """重新任用"""

    post: Name
