"""The plan's own words, as the values the supervision service records and publishes.

Terms the plan names (the three lists, "上级点、自己找、群众提", the three focus areas of
measure 7, the kinds of accountability ...) travel in Chinese, exactly as the plan and the
discipline rules write them; machine states (`open`, `closed` ...) are ASCII codes with a
Chinese label for screens.
"""

from __future__ import annotations

from typing import Literal, get_args

from shared import village_affairs
from shared.kernel import Refused

#: The plan's three lists (问题清单、责任清单、整改清单).
ListName = Literal["问题清单", "责任清单", "整改清单"]
LISTS: tuple[str, ...] = get_args(ListName)

#: Where a problem came from: "上级点、自己找、群众提".
Source = Literal["上级点", "自己找", "群众提"]
SOURCES: tuple[str, ...] = get_args(Source)

#: Measure 7's three focus areas (三大领域), or anything else.
FocusArea = Literal["涉众型经济纠纷", "征地拆迁", "企业改制", "其他"]
FOCUS_AREAS: tuple[str, ...] = get_args(FocusArea)

#: How a petition (信访件) arrived.
PetitionChannel = Literal["来信", "来访", "网上信访", "电话", "集体访", "上级交办"]
PETITION_CHANNELS: tuple[str, ...] = get_args(PetitionChannel)

#: Measure 12: leaders' written instructions and assigned matters.
DirectiveKind = Literal["批示件", "交办事项"]
DIRECTIVE_KINDS: tuple[str, ...] = get_args(DirectiveKind)

#: The level a directive came from (省、市、县、镇).
Level = Literal["省", "市", "县", "镇"]
LEVELS: tuple[str, ...] = get_args(Level)

#: Inaction (为官不为, measure 11) or micro-corruption (雁过拔毛, measure 13).
ClueCategory = Literal["为官不为", "雁过拔毛"]
CLUE_CATEGORIES: tuple[str, ...] = get_args(ClueCategory)
CLUE_MEASURE: dict[str, int] = {"为官不为": 11, "雁过拔毛": 13}

#: How a clue was found: measure 11's "受理举报、实地抽查、重点检查、媒体曝光", and the
#: funds service's confirmed red flags (资金预警).
ReportedClueChannel = Literal["举报", "实地抽查", "重点检查", "媒体曝光"]
RED_FLAG_CHANNEL = "资金预警"
#: The year's appraisal named the subject for the 为官不为 process (保障措施 3).
APPRAISAL_CHANNEL = "年度绩效考核"
CLUE_CHANNELS: tuple[str, ...] = (
    *get_args(ReportedClueChannel),
    RED_FLAG_CHANNEL,
    APPRAISAL_CHANNEL,
)

#: The kinds of accountability decided (问责方式 and 党纪处分).
AccountabilityKind = Literal[
    "提醒谈话",
    "诫勉谈话",
    "通报批评",
    "组织处理",
    "党内警告",
    "党内严重警告",
    "撤销党内职务",
    "留党察看",
    "开除党籍",
]
ACCOUNTABILITY_KINDS: tuple[str, ...] = get_args(AccountabilityKind)

#: `supervision.ClueConcluded.outcome` (the contract between services).
OUTCOME_ACCOUNTABILITY = "accountability"
OUTCOME_DISMISSED = "dismissed"

#: The steps of a village power's flow (小微权力运行步骤): the vocabulary funds' acts share
#: (`shared.village_affairs`).
STEP_LABELS = village_affairs.STEP_LABELS
STEPS = village_affairs.STEPS
#: Steps that follow the act itself (the result is disclosed after the work is done): a flow
#: may name them, but an act cannot have gone through them yet, so they are not required of
#: it (funds' own deadline watches the result's disclosure).
AFTER_THE_ACT: frozenset[str] = frozenset({"result_disclosed"})

#: The positions on a village affairs supervision committee (村务监督委员会).
CommitteePosition = Literal["主任", "委员"]
COMMITTEE_POSITIONS: tuple[str, ...] = get_args(CommitteePosition)

#: Labels of the machine states, for screens.
STATUS_LABELS: dict[str, str] = {
    "open": "待整改",
    "in_progress": "整改中",
    "rectified": "已整改",
    "closed": "已销号",
    "received": "已受理",
    "classified": "已分类",
    "handling": "化解中",
    "resolved": "已化解",
    "assigned": "已交办",
    "reported_back": "已反馈",
    "completed": "已办结",
    "verified": "已核实",
    "deciding": "问责中",
    "concluded": "已办结",
    "dismissed": "已了结",
}


def one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    """`value` if it is one of `allowed`; otherwise `Refused` naming both."""
    if value not in allowed:
        raise Refused(f"{what} “{value}” 无效，应为：{'、'.join(allowed)}")
    return value
