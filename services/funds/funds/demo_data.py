"""The demo town's fund data (2016–2017): people, programmes and the planted problems, so that
every red-flag code appears. Deterministic: the same ids and references on every run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shared.kernel import make_resident_id

D = dt.date


@dataclass(frozen=True, slots=True)
class Person:
    """A resident the demo pays (made-up name and a valid, generated ID number)."""

    name: str
    id_number: str
    village: str


def person(name: str, village: str, born: dt.date, seq: int) -> Person:
    first17 = f"430321{born:%Y%m%d}{seq:03d}"
    return Person(name, make_resident_id(first17).value, village)


# 高龄老人 (80+ in 2016), by village
ELDERS = {
    "石壁村": [
        person("张桂英", "石壁村", D(1931, 3, 8), 821),
        person("李秀兰", "石壁村", D(1929, 11, 2), 822),
        person("王德明", "石壁村", D(1933, 6, 17), 813),
    ],
    "金霞村": [
        person("刘玉珍", "金霞村", D(1930, 1, 25), 824),
        person("陈福生", "金霞村", D(1934, 9, 9), 815),
    ],
    "梅林村": [
        person("杨淑芬", "梅林村", D(1928, 4, 30), 826),
        person("赵金山", "梅林村", D(1932, 12, 12), 817),
    ],
}
#: paid a 高龄 subsidy at 54: not eligible by age
TOO_YOUNG = person("黄建国", "金霞村", D(1962, 7, 7), 818)
#: 农村低保 and 特困供养 recipients in 湘江村; the last of 低保 also draws 特困 (exclusive)
DIBAO = [
    person("周长青", "湘江村", D(1951, 2, 14), 829),
    person("吴美兰", "湘江村", D(1957, 8, 21), 820),
    person("徐有财", "湘江村", D(1949, 10, 3), 831),
]
TEKUN = [person("孙凤英", "湘江村", D(1940, 5, 5), 832)]
#: paid from the poor-households programme but on no register of relief
GHOST = ("马富贵", "石壁村", D(1958, 1, 1), 990)
#: a village cadre and his relative (the 石壁村 elder 李秀兰 is his mother)
CADRE = {"cadre_name": "石建国", "cadre_post": "村委会主任", "cadre_village": "石壁村"}


def programme(code: str, **fields: Any) -> dict[str, Any]:
    """A programme body with the demo's defaults."""
    return {"code": code, "source_level": "county", **fields}


P_INDUSTRY = programme(
    "YSH-2016-CY01",
    name="2016年产业扶贫到户补助",
    amount="200000",
    purpose="建档立卡贫困户发展种养业到户补助",
    purpose_code="industry",
    beneficiary_rule="registered_poor",
    standard_amount="2000",
    planned_start="2016-05-01",
    disbursement_deadline="2016-10-31",
    occurred_on="2016-04-15",
)
P_ELDERS = programme(
    "YSH-2016-GL01",
    name="2016年上半年高龄老人生活补贴",
    amount="60000",
    purpose="80周岁以上老人生活补贴（每人600元）",
    purpose_code="subsistence",
    beneficiary_rule="any_resident",
    standard_amount="600",
    min_age=80,
    planned_start="2016-03-01",
    disbursement_deadline="2016-06-30",
    occurred_on="2016-02-20",
)
P_DIBAO = programme(
    "YSH-2016-DB01",
    name="2016年上半年农村低保金",
    source_level="central",
    amount="50000",
    purpose="农村最低生活保障金",
    purpose_code="subsistence",
    beneficiary_rule="any_resident",
    standard_amount="1200",
    planned_start="2016-01-10",
    disbursement_deadline="2016-07-31",
    occurred_on="2016-01-05",
)
P_TEKUN = programme(
    "YSH-2016-TK01",
    name="2016年上半年特困人员供养金",
    source_level="provincial",
    amount="30000",
    purpose="特困人员基本生活供养（与低保不得重复享受）",
    purpose_code="subsistence",
    beneficiary_rule="any_resident",
    standard_amount="2400",
    planned_start="2016-01-10",
    disbursement_deadline="2016-07-31",
    occurred_on="2016-01-06",
)
P_ROAD = programme(
    "YSH-2016-JC01",
    name="石壁村通组公路硬化工程",
    source_level="provincial",
    amount="300000",
    purpose="石壁村一组至五组通组公路硬化 2.4 公里",
    purpose_code="infrastructure",
    beneficiary_rule="any_resident",
    village="石壁村",
    planned_start="2016-08-01",
    disbursement_deadline="2016-12-31",
    occurred_on="2016-06-20",
)
P_WATER = programme(
    "YSH-2016-YS01",
    name="金霞村安全饮水巩固提升工程",
    amount="150000",
    purpose="金霞村集中供水管网延伸",
    purpose_code="infrastructure",
    beneficiary_rule="any_resident",
    village="金霞村",
    planned_start="2016-09-01",
    disbursement_deadline="2016-12-31",
    occurred_on="2016-07-15",
)

#: the demo's 三资: (village, body); the first is disposed of properly, the second refused
ASSETS: list[tuple[str, dict[str, Any]]] = [
    (
        "金霞村",
        {
            "asset_code": "JX-ZC-003",
            "category": "asset",
            "name": "原金霞村小学校舍",
            "description": "砖混两层，建筑面积 380 平方米，撤并后闲置",
            "value": "210000",
            "government_funded": True,
            "occurred_on": "2016-03-15",
        },
    ),
    (
        "石壁村",
        {
            "asset_code": "SB-ZC-001",
            "category": "asset",
            "name": "石壁村老村部",
            "description": "砖木结构，建筑面积 260 平方米",
            "value": "150000",
            "government_funded": True,
            "occurred_on": "2016-03-15",
        },
    ),
    (
        "石壁村",
        {
            "asset_code": "SB-ZY-002",
            "category": "resource",
            "name": "石壁村集体山塘",
            "description": "水面 18 亩，发包养殖",
            "value": "60000",
            "occurred_on": "2016-03-15",
        },
    ),
    (
        "石壁村",
        {
            "asset_code": "SB-ZJ-003",
            "category": "fund",
            "name": "石壁村集体资金",
            "description": "村账乡代理专户存款",
            "value": "48000",
            "occurred_on": "2016-03-15",
        },
    ),
    (
        "桃花村",
        {
            "asset_code": "TH-ZY-001",
            "category": "resource",
            "name": "桃花村集体林地",
            "description": "林地 320 亩",
            "value": "96000",
            "occurred_on": "2016-03-16",
        },
    ),
]

#: village collective income in 2016 (元); 0 puts a village on the 清零 list
INCOME_2016 = {
    "金霞村": "86000",
    "梅林村": "52000",
    "湘江村": "120000",
    "白石村": "33000",
    "桃花村": "41000",
    "和平村": "27000",
    "红旗村": "64000",
    "长城村": "38000",
    "石壁村": "0",
    "响塘村": "0",
    "龙口村": "0",
}
ZERO_VILLAGES = {
    "石壁村": (
        "周敏",
        "分管经济发展负责人",
        "光伏电站与油茶基地",
        ["建设 60 千瓦村级光伏电站", "流转荒山 300 亩发展油茶"],
    ),
    "响塘村": (
        "李明",
        "党委书记",
        "响塘村蔬菜基地",
        ["流转土地 120 亩建设蔬菜基地", "成立村级劳务合作社"],
    ),
    "龙口村": (
        "王强",
        "党委副书记",
        "龙口村门面出租",
        ["利用闲置村部改建门面出租", "集体山塘发包"],
    ),
}
#: 龙口村 earned collective income in 2017 and leaves the 清零 list
INCOME_2017 = {"龙口村": "35000", "金霞村": "91000"}

#: quarterly finance disclosures from 2016Q1 to 2017Q2; 响塘村 misses 2017Q2
DISCLOSED_QUARTERS = [(2016, 1), (2016, 2), (2016, 3), (2016, 4), (2017, 1), (2017, 2)]
DISCLOSURE_LAPSE = ("响塘村", (2017, 2))
OVERDUE_AS_OF = D(2017, 8, 15)
DEADLINE_CHECK_ON = D(2017, 3, 31)

#: 四议两公开: (reference, village, kind, subject, description, proposed_on, meetings, resolution
#: disclosed on, act, result); a meeting is (step, body, members, present, for, against, day);
#: the act is a project's start (investment, day) or a disposal (sale body); results on a day.
#: JX: a disposal all the way; XT: a project all the way; SB: a project started after the
#: disclosure whose result is overdue (due 2017-06-10); SB-ZC: stopped after 商议, so the old
#: village office's disposal is refused; TH: the representatives voted it down.
MEETINGS_FULL = (
    ("consulted", "两委会议", 7, 7),
    ("reviewed", "党员大会", 46, 38),
    ("resolved", "村民代表会议", 31, 26),
)
DECISIONS: list[dict[str, Any]] = [
    {
        "reference": "JX-JY-2016-01",
        "village": "金霞村",
        "kind": "asset_disposal",
        "subject": "JX-ZC-003",
        "description": "原金霞村小学校舍撤并后闲置，拟公开变卖，所得全额用于发展村级集体经济",
        "days": (D(2016, 8, 1), D(2016, 8, 5), D(2016, 8, 20), D(2016, 9, 10)),
        "disclosed_on": D(2016, 9, 12),
        "result": (
            "校舍以 23 万元售予湘潭某农业专业合作社，款项已全额计入集体经济发展资金",
            D(2016, 10, 10),
        ),
    },
    {
        "reference": "XT-JY-2017-01",
        "village": "响塘村",
        "kind": "collective_project",
        "subject": "响塘村蔬菜基地",
        "description": "流转土地 120 亩建设蔬菜基地，村集体经营，收益归集体",
        "days": (D(2017, 2, 15), D(2017, 2, 18), D(2017, 2, 25), D(2017, 3, 5)),
        "disclosed_on": D(2017, 3, 7),
        "start": ("260000", D(2017, 3, 20)),
        "result": ("蔬菜基地已建成 120 亩，2017 年上半年实现收入 4.2 万元", D(2017, 6, 1)),
    },
    {
        "reference": "SB-JY-2017-01",
        "village": "石壁村",
        "kind": "collective_project",
        "subject": "石壁村 60 千瓦光伏电站",
        "description": "利用村部屋顶建设 60 千瓦光伏电站，发电收益归村集体",
        "days": (D(2017, 2, 10), D(2017, 2, 14), D(2017, 2, 24), D(2017, 3, 10)),
        "disclosed_on": D(2017, 3, 12),
        "start": ("360000", D(2017, 4, 1)),
    },
    {
        "reference": "SB-JY-2016-01",
        "village": "石壁村",
        "kind": "asset_disposal",
        "subject": "SB-ZC-001",
        "description": "石壁村老村部拟变卖给个人",
        "days": (D(2016, 9, 1), D(2016, 9, 5)),
    },
    {
        "reference": "TH-JY-2016-01",
        "village": "桃花村",
        "kind": "asset_disposal",
        "subject": "TH-ZY-001",
        "description": "桃花村集体林地 320 亩拟整体转让",
        "days": (D(2016, 10, 8), D(2016, 10, 12), D(2016, 10, 20), D(2016, 11, 2)),
        "against": 20,
    },
]

#: 村账乡代理: the town agency keeps these villages' books for 2016 (monthly income and
#: expense); their 2016 disclosures are produced from the books, except 梅林村's 2016Q3, whose
#: disclosed spending is lower than the books (FUNDS-DISCLOSURE-MISMATCH).
BOOK_VILLAGES = ("石壁村", "金霞村", "梅林村")
BOOK_YEAR = 2016
MISMATCH = ("梅林村", 3, {"income_total": "9600", "expenditure_total": "5100"})
