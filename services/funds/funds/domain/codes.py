"""The red-flag codes (预警代码): one stable identifier and zh-CN label per problem the plan
names, with the plan's categories each one serves.

Measure 14 (2) names nine categories of problems with 惠农涉农资金 (`NINE_CATEGORIES`) and
measure 13 eight behaviours of "雁过拔毛" corruption (`EIGHT_BEHAVIOURS`). Every code below maps
to the ones it detects evidence of:

| code                         | 标签                     | 措施14 九类 | 措施13 八种 |
|------------------------------|--------------------------|-------------|-------------|
| FUNDS-UNREGISTERED           | 发放对象未建档立卡       | 2, 3        | 1, 2        |
| FUNDS-INELIGIBLE             | 发放对象不符合条件       | 3           | 1           |
| FUNDS-DUPLICATE              | 同一项目重复发放         | 2           | 2           |
| FUNDS-DUPLICATE-EXCLUSIVE    | 互斥项目重复享受         | 2, 3        | 2           |
| FUNDS-SHORT-PAID             | 发放不足额（克扣）       | 4, 6        | 3           |
| FUNDS-LATE                   | 超期发放（拨付不及时）   | 6           | —           |
| FUNDS-HELD-BACK              | 逾期未拨付到位（滞留）   | 6           | 3           |
| FUNDS-CADRE-RELATIVE         | 发放对象系村干部亲属     | 1           | 7           |
| FUNDS-NOT-STARTED            | 项目未按期启动           | 7           | —           |
| FUNDS-UNAPPROVED-CHANGE      | 未经批准变更项目         | 8           | 5           |
| FUNDS-DIVERTED               | 资金挪作他用             | 4           | 4           |
| FUNDS-PAID-BEFORE-NOTICE     | 公示未结束即发放         | 3           | 5           |
| FUNDS-DISCLOSURE-MISMATCH    | 公开数与账簿不符         | 1           | 2           |

Not detected from fund flows, and why: category 5 (government procurement and tendering: no
procurement records here), category 9 (problems left from earlier campaigns: supervision's
rectification lists), behaviours 6 (巧立名目索取: charges levied on villagers) and 8
(借用民俗敛财): neither passes through a programme's books. PAID-BEFORE-NOTICE also serves the
公示 rule of measure 14 (3) and the 阳光村务 rule of measure 6. DISCLOSURE-MISMATCH serves the
村账乡代理 and 阳光村务 rules of measure 6 (4): a village's quarterly disclosure whose totals differ
from the books the town's agency keeps hides the village's money from its villagers (category 1,
using control of funds for private gain; behaviour 2, 欺上瞒下).
"""

from __future__ import annotations

from dataclasses import dataclass

from funds.domain.values import Severity
from shared.kernel import NotFound

#: 措施14（2）九类问题
NINE_CATEGORIES: tuple[str, ...] = (
    "利用资金、项目管理权，贪污、受贿，谋取私利",
    "基层干部冒领、私分农民补贴资金和补偿款",
    "项目申报弄虚作假，套取和骗取财政资金",
    "截留、挪用财政专项资金",
    "违反政府采购及招投标管理规定",
    "资金拨付不足额、不及时，滞留、延压项目资金",
    "未按规定时间启动项目、按期完成项目建设任务",
    "项目实施过程中，未经批准擅自变更项目实施内容、地点",
    "2015年以来四次惠农涉农资金专项整治期间未整改处理到位的问题",
)

#: 措施13 “雁过拔毛”八种问题
EIGHT_BEHAVIOURS: tuple[str, ...] = (
    "无中生有骗取",
    "欺上瞒下冒领",
    "层层盘剥克扣",
    "内外勾结贪占",
    "独断专行任性",
    "巧立名目索取",
    "优亲厚友偏袒",
    "借用民俗敛财",
)


@dataclass(frozen=True, slots=True)
class RedFlagCode:
    """One kind of red flag: code, label, default severity, and the plan's categories (1-based
    indexes into `NINE_CATEGORIES` and `EIGHT_BEHAVIOURS`)."""

    code: str
    label: str
    severity: Severity
    categories: tuple[int, ...]
    behaviours: tuple[int, ...]
    rule: str


UNREGISTERED = "FUNDS-UNREGISTERED"
INELIGIBLE = "FUNDS-INELIGIBLE"
DUPLICATE = "FUNDS-DUPLICATE"
DUPLICATE_EXCLUSIVE = "FUNDS-DUPLICATE-EXCLUSIVE"
SHORT_PAID = "FUNDS-SHORT-PAID"
LATE = "FUNDS-LATE"
HELD_BACK = "FUNDS-HELD-BACK"
CADRE_RELATIVE = "FUNDS-CADRE-RELATIVE"
NOT_STARTED = "FUNDS-NOT-STARTED"
UNAPPROVED_CHANGE = "FUNDS-UNAPPROVED-CHANGE"
DIVERTED = "FUNDS-DIVERTED"
PAID_BEFORE_NOTICE = "FUNDS-PAID-BEFORE-NOTICE"
DISCLOSURE_MISMATCH = "FUNDS-DISCLOSURE-MISMATCH"

_H, _M = Severity.HIGH, Severity.MEDIUM

CODES: dict[str, RedFlagCode] = {
    c.code: c
    for c in (
        RedFlagCode(
            UNREGISTERED,
            "发放对象未建档立卡",
            _H,
            (2, 3),
            (1, 2),
            "限建档立卡贫困户的项目，领款人（按户主或家庭成员身份证号）不在扶贫建档立卡名单中",
        ),
        RedFlagCode(
            INELIGIBLE,
            "发放对象不符合条件",
            _M,
            (3,),
            (1,),
            "领款人在发放日不符合项目条件：已脱贫或尚未建档，或年龄不在项目规定范围内",
        ),
        RedFlagCode(
            DUPLICATE,
            "同一项目重复发放",
            _H,
            (2,),
            (2,),
            "同一人在同一项目中领取两次及以上",
        ),
        RedFlagCode(
            DUPLICATE_EXCLUSIVE,
            "互斥项目重复享受",
            _H,
            (2, 3),
            (2,),
            "同一人同时领取两个不得重复享受的项目资金",
        ),
        RedFlagCode(
            SHORT_PAID,
            "发放不足额（克扣）",
            _H,
            (4, 6),
            (3,),
            "实发金额低于应发标准",
        ),
        RedFlagCode(
            LATE,
            "超期发放（拨付不及时）",
            _M,
            (6,),
            (),
            "发放日期晚于项目规定的发放期限",
        ),
        RedFlagCode(
            HELD_BACK,
            "逾期未拨付到位（资金滞留）",
            _M,
            (6,),
            (3,),
            "发放期限已过，分配到村的资金仍未全部发放或支出",
        ),
        RedFlagCode(
            CADRE_RELATIVE,
            "发放对象系村干部亲属（优亲厚友）",
            _M,
            (1,),
            (7,),
            "领款人已登记为村干部亲属",
        ),
        RedFlagCode(
            NOT_STARTED,
            "项目未按期启动",
            _M,
            (7,),
            (),
            "计划启动日期已过而项目未启动，或启动晚于计划日期",
        ),
        RedFlagCode(
            UNAPPROVED_CHANGE,
            "未经批准变更项目",
            _H,
            (8,),
            (5,),
            "项目实施内容、地点、用途或进度变更时没有批准文件，或批准晚于变更",
        ),
        RedFlagCode(
            DIVERTED,
            "资金挪作他用",
            _H,
            (4,),
            (4,),
            "项目支出用途与项目批准用途不符",
        ),
        RedFlagCode(
            PAID_BEFORE_NOTICE,
            "公示未结束即发放",
            _M,
            (3,),
            (5,),
            "发放日该村（或全镇）没有已结束的公示",
        ),
        RedFlagCode(
            DISCLOSURE_MISMATCH,
            "公开数与账簿不符",
            _M,
            (1,),
            (2,),
            "村级财务季度公开的收入或支出合计与村账乡代理账簿该季度的合计不符",
        ),
    )
}


def code_info(code: str) -> RedFlagCode:
    """The table row of a code; `NotFound` for an unknown one."""
    try:
        return CODES[code]
    except KeyError:
        raise NotFound(f"未知预警代码 (unknown red-flag code): {code}") from None
