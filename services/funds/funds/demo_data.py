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
