"""The plan's vocabularies and small value objects of the relief domain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from shared.kernel import Refused


class HouseholdStatus(StrEnum):
    """Where a registered household stands."""

    REGISTERED = "registered"  # 在档贫困户
    EXITED = "exited"  # 已脱贫
    RETURNED = "returned"  # 返贫


#: 致贫原因, the causes of poverty of the 建档立卡 record.
POVERTY_CAUSES = (
    "因病",
    "因残",
    "因学",
    "因灾",
    "缺土地",
    "缺水",
    "缺技术",
    "缺劳力",
    "缺资金",
    "交通条件落后",
    "自身发展动力不足",
)

#: The five projects (五大工程): wire value → Chinese name.
FIVE_PROJECTS = {
    "income": "群众增收",
    "relocation": "易地搬迁",
    "skills": "素质提升",
    "safety_net": "兜底保障",
    "infrastructure": "基础扶贫",
}

#: Livelihood project categories (民生实事项目类别): wire value → Chinese name.
PROJECT_CATEGORIES = {
    "jobs": "就业",
    "medical": "就医",
    "school": "上学",
    "transport": "出行",
    "housing": "住房",
    "water": "饮水",
    "power": "用电",
    "public_services": "社会公共服务",
    "culture_fitness": "文化健身",
    "environment": "环境保护",
}

#: The "五统一" of community service sites: wire value → Chinese name.
FIVE_UNIFIED = {
    "signage": "社区标识",
    "facade": "外墙装饰",
    "door_plates": "机构门牌",
    "service_windows": "服务窗口",
    "publicity_boards": "宣传栏目",
}

#: How a community site gains floor area (the plan's three ways).
EXPANSION_METHODS = {
    "adjusted": "区划调整、整合调剂",
    "transferred": "移交或闲置用房划拨",
    "built": "新建或改扩建",
}

#: Kinds of posts of the employment activity.
POST_KINDS = {"public_welfare": "公益性岗位", "employment": "就业岗位"}

HEAD_RELATION = "户主"


def check_vocabulary(value: str, allowed: dict[str, str] | tuple[str, ...], what: str) -> str:
    """`value` if it is one of `allowed`, else a refusal naming the allowed values."""
    if value not in allowed:
        names = "、".join(allowed)
        raise Refused(f"{what}“{value}”无效，可选：{names} (unknown {what})")
    return value


@dataclass(frozen=True, slots=True)
class Guarantees:
    """The "两不愁三保障" as checked: food and clothing; compulsory education, basic medical
    care and safe housing."""

    food: bool
    clothing: bool
    education: bool
    medical: bool
    housing: bool

    def unmet(self) -> list[str]:
        """The names of the guarantees not met, in the plan's order."""
        labels = (
            (self.food, "不愁吃 (food)"),
            (self.clothing, "不愁穿 (clothing)"),
            (self.education, "义务教育保障 (compulsory education)"),
            (self.medical, "基本医疗保障 (basic medical care)"),
            (self.housing, "住房安全保障 (safe housing)"),
        )
        return [label for met, label in labels if not met]


@dataclass(frozen=True, slots=True)
class PovertyLines:
    """The poverty line (扶贫标准, income per head per year in CNY) of each year, as configured."""

    revision: str
    lines: dict[int, Decimal]

    def line_for(self, year: int) -> Decimal:
        """The line of `year`, or a refusal: a decision without a configured line is a guess."""
        line = self.lines.get(year)
        if line is None:
            known = "、".join(str(y) for y in sorted(self.lines)) or "无"
            raise Refused(
                f"未配置 {year} 年度贫困线 (no poverty line configured for {year}; "
                f"configured years: {known})"
            )
        return line


@dataclass(frozen=True, slots=True)
class Targets:
    """The plan's targets for the five activities and the service sites (measures 1 and 3)."""

    posts: int = 50
    students: int = 10
    clinics: int = 4
    clinic_staff: int = 10
    deadline: dt.date = dt.date(2016, 12, 31)
    community_site_min_area_m2: Decimal = Decimal(600)


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything the rules read from configuration (`policy.yaml`)."""

    lines: PovertyLines
    targets: Targets


def not_before(day: dt.date, earliest: dt.date | None, what: str, earlier: str) -> None:
    """Refuse a business date earlier than the step it follows."""
    if earliest is not None and day < earliest:
        raise Refused(f"{what}日期 {day} 早于{earlier}日期 {earliest} (date before {earlier})")


@dataclass(frozen=True, slots=True)
class KnownMember:
    """A party member as relief knows them (from `party.MemberJoined`)."""

    member_id: str
    branch_id: str
    name: str
    village: str | None
