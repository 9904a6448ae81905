"""The controlled vocabularies and small value objects of fund oversight."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from shared.kernel import Refused, disclosure_due_on
from shared.village_affairs import STEP_LABELS as VOCABULARY


class SourceLevel(StrEnum):
    """Where a programme's money comes from (资金来源层级)."""

    CENTRAL = "central"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    COUNTY = "county"
    TOWN = "town"


SOURCE_LEVEL_LABELS = {
    SourceLevel.CENTRAL: "中央",
    SourceLevel.PROVINCIAL: "省级",
    SourceLevel.MUNICIPAL: "市级",
    SourceLevel.COUNTY: "县级",
    SourceLevel.TOWN: "镇级",
}


class Purpose(StrEnum):
    """What a programme's money is for (资金用途); spending on another purpose is diversion."""

    INDUSTRY = "industry"
    HOUSING = "housing"
    RELOCATION = "relocation"
    EDUCATION = "education"
    MEDICAL = "medical"
    SUBSISTENCE = "subsistence"
    AGRICULTURE = "agriculture"
    EMPLOYMENT = "employment"
    INFRASTRUCTURE = "infrastructure"
    ADMINISTRATION = "administration"
    OTHER = "other"


PURPOSE_LABELS = {
    Purpose.INDUSTRY: "产业扶持",
    Purpose.HOUSING: "危房改造",
    Purpose.RELOCATION: "易地搬迁",
    Purpose.EDUCATION: "教育资助",
    Purpose.MEDICAL: "医疗救助",
    Purpose.SUBSISTENCE: "生活救助",
    Purpose.AGRICULTURE: "农业生产补贴",
    Purpose.EMPLOYMENT: "就业扶持",
    Purpose.INFRASTRUCTURE: "基础设施建设",
    Purpose.ADMINISTRATION: "行政办公",
    Purpose.OTHER: "其他",
}


class BeneficiaryRule(StrEnum):
    """Who may receive a programme's money (发放对象条件)."""

    REGISTERED_POOR = "registered_poor"  # 仅限建档立卡贫困户 (checked against relief's register)
    ANY_RESIDENT = "any_resident"  # 不限于建档立卡 (the programme's own conditions, e.g. age)


BENEFICIARY_RULE_LABELS = {
    BeneficiaryRule.REGISTERED_POOR: "仅限建档立卡贫困户",
    BeneficiaryRule.ANY_RESIDENT: "符合项目条件的居民",
}


class BeneficiaryKind(StrEnum):
    """A disbursement goes to a person or to a household (its head's ID number)."""

    PERSON = "person"
    HOUSEHOLD = "household"


class Severity(StrEnum):
    """How serious a red flag is (严重程度)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class FlagStatus(StrEnum):
    """A red flag's state: raised → acknowledged → explained or confirmed. Never deleted."""

    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    EXPLAINED = "explained"
    CONFIRMED = "confirmed"


FLAG_STATUS_LABELS = {
    FlagStatus.RAISED: "已预警",
    FlagStatus.ACKNOWLEDGED: "已签收",
    FlagStatus.EXPLAINED: "已说明",
    FlagStatus.CONFIRMED: "已确认",
}


class ChangeAspect(StrEnum):
    """What a change to a programme touches (变更事项)."""

    CONTENT = "content"
    LOCATION = "location"
    PURPOSE = "purpose"
    SCHEDULE = "schedule"


class AssetCategory(StrEnum):
    """The three kinds of village collective property (三资)."""

    ASSET = "asset"  # 资产
    RESOURCE = "resource"  # 资源
    FUND = "fund"  # 资金


ASSET_CATEGORY_LABELS = {
    AssetCategory.ASSET: "资产",
    AssetCategory.RESOURCE: "资源",
    AssetCategory.FUND: "资金",
}


class DisposalMethod(StrEnum):
    """How a collective asset leaves the ledger (处置方式)."""

    SALE = "sale"  # 变卖
    TRANSFER = "transfer"  # 转让


class IncomeSource(StrEnum):
    """Where village collective income comes from (集体经济收入来源)."""

    OPERATIONS = "operations"  # 经营收入
    LEASE = "lease"  # 发包及上交、租赁收入
    INVESTMENT = "investment"  # 投资收益
    SUBSIDY = "subsidy"  # 补助收入
    OTHER = "other"  # 其他收入
    NONE = "none"  # 无收入 (a reported zero)


class DecisionKind(StrEnum):
    """What a village collective decision (四议两公开) is about."""

    COLLECTIVE_PROJECT = "collective_project"  # 集体经济项目
    ASSET_DISPOSAL = "asset_disposal"  # 资产资源处置


DECISION_KIND_LABELS = {
    DecisionKind.COLLECTIVE_PROJECT: "集体经济项目",
    DecisionKind.ASSET_DISPOSAL: "资产资源处置",
}


class Step(StrEnum):
    """The names of what was done in a procedure (shared with supervision's 小微权力清单)."""

    PROPOSED = "proposed"  # 村党组织提议
    CONSULTED = "consulted"  # 村“两委”会议商议
    REVIEWED = "reviewed"  # 党员大会审议
    RESOLVED = "resolved"  # 村民代表会议（村民会议）决议
    RESOLUTION_DISCLOSED = "resolution_disclosed"  # 决议公开
    RESULT_DISCLOSED = "result_disclosed"  # 实施结果公开
    FILED = "filed"  # 报财政所备案
    HANDLED = "handled"  # 经办
    REVIEWED_BY_COMMITTEE = "reviewed_by_committee"  # 村务监督委员会审核
    APPROVED = "approved"  # 审批
    BOOKED = "booked"  # 代理会计记账


#: Each step's label (the shared vocabulary, `shared.village_affairs`).
STEP_LABELS: dict[Step, str] = {step: VOCABULARY[step.value] for step in Step}


class MeetingBody(StrEnum):
    """The bodies that meet on a village decision."""

    COMMITTEES = "两委会议"
    PARTY_MEMBERS = "党员大会"
    REPRESENTATIVES = "村民代表会议"
    VILLAGERS = "村民会议"


class DecisionStatus(StrEnum):
    """Where a village decision stands."""

    PROPOSED = "proposed"
    CONSULTED = "consulted"
    REVIEWED = "reviewed"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    RESOLUTION_DISCLOSED = "resolution_disclosed"
    RESULT_DISCLOSED = "result_disclosed"


DECISION_STATUS_LABELS = {
    DecisionStatus.PROPOSED: "已提议",
    DecisionStatus.CONSULTED: "已商议",
    DecisionStatus.REVIEWED: "已审议",
    DecisionStatus.RESOLVED: "已决议",
    DecisionStatus.REJECTED: "未通过",
    DecisionStatus.RESOLUTION_DISCLOSED: "决议已公开",
    DecisionStatus.RESULT_DISCLOSED: "实施结果已公开",
}


class BookEntryKind(StrEnum):
    """An entry of the village's books (村账乡代理): income or expense."""

    INCOME = "income"  # 收入
    EXPENSE = "expense"  # 支出


def age_on(id_number: str, day: dt.date) -> int:
    """Whole years of age on `day` of the holder of a valid resident ID number."""
    born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    """A calendar quarter (季度), the period of a village finance disclosure (阳光村务)."""

    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text.strip().upper())
        if not match:
            raise Refused(f"季度格式应为 2016Q3 (quarter must look like 2016Q3): {text}")
        year = int(match.group(1))
        if not 1900 <= year <= 2200:  # a date library's range ends at year 1 and 9999
            raise Refused(f"季度的年份不在 1900–2200 之间 (no such year for a quarter): {text}")
        return cls(year, int(match.group(2)))

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> dt.date:
        month = 3 * self.quarter
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def due_on(self) -> dt.date:
        """Disclosed by the end of the month after the quarter (季度结束后次月底前公开)."""
        return disclosure_due_on(self.year, self.quarter)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)
        )


@dataclass(frozen=True, slots=True)
class ReliefRecord:
    """What funds knows of one household of relief's register (建档立卡) that a person belongs
    to: built from `relief.events`, used to judge whether a beneficiary is eligible."""

    household_id: str
    village: str
    registered_on: dt.date
    #: (date, "exited" | "returned") in the order relief reported them
    changes: tuple[tuple[dt.date, str], ...] = ()

    def in_poverty_on(self, day: dt.date) -> bool:
        """Registered by `day` and not exited (脱贫) by then, unless returned (返贫) since."""
        if self.registered_on > day:
            return False
        poor = True
        for on, kind in self.changes:
            if on <= day:
                poor = kind == "returned"
        return poor
