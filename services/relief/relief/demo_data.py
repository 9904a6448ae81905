"""The relief demo's households, generated deterministically (seeded random, ids from uuid5):
the same households with their pairings, visits, measures, income, checks, exits and returns
on every run, dated over 2016–2017. Pure: `relief.demo` sends it through the HTTP API."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shared.kernel import make_resident_id
from shared.town import Town

NAMESPACE = uuid.UUID("6d1f3c8e-2b44-5e0a-9f1d-430321100002")
SEED = 20160102

SURNAMES = "刘陈李张王周彭谭罗胡黄易曾邓唐贺文郭赵龙颜肖蒋朱"
MALE = [
    "建国",
    "志强",
    "德明",
    "国华",
    "春生",
    "永福",
    "海军",
    "桂生",
    "正清",
    "新民",
    "长根",
    "伟",
    "军",
    "勇",
    "立新",
]
FEMALE = [
    "秀英",
    "桂兰",
    "玉梅",
    "春花",
    "淑芬",
    "冬梅",
    "丽娟",
    "芳",
    "红",
    "小燕",
    "美华",
    "金莲",
]
CHILD = ["小军", "小明", "思远", "子涵", "雨欣", "浩然", "佳怡", "梓轩", "欣怡", "宇航"]
CAUSES = [
    "因病",
    "因残",
    "因学",
    "缺技术",
    "缺劳力",
    "缺资金",
    "因灾",
    "缺土地",
    "自身发展动力不足",
]
POSTS = [
    "镇扶贫办干部",
    "镇农业综合服务中心干部",
    "镇财政所干部",
    "镇党政综合办干部",
    "镇民政与社会保障办干部",
    "镇卫生院医生",
    "镇中心校教师",
    "驻村工作队队员",
]
#: Most households are in a handful of villages; 石壁村 (the poor village) has several.
VILLAGE_SHARE = {"石壁村": 34, "金霞村": 24, "梅林村": 20, "湘江村": 18, "白石村": 14, "桃花村": 12}
HOUSEHOLDS = 150
VISIT_NOTES = [
    "了解家庭收支，宣讲扶贫政策",
    "协助申请医疗救助，送去慰问金",
    "查看种养殖项目进展，联系技术员上门指导",
    "核对家庭成员和收入情况，更新帮扶台账",
    "帮助子女办理教育资助手续",
    "检查危房改造进度",
]
MEASURES = {
    "income": ["发展油茶种植 5 亩", "养殖生猪 10 头，提供仔猪", "入股村合作社分红"],
    "relocation": ["易地扶贫搬迁至集中安置点"],
    "skills": ["参加镇里的种养殖技术培训", "推荐参加电工技能培训"],
    "safety_net": ["纳入农村低保", "落实残疾人两项补贴"],
    "infrastructure": ["危房改造", "入户道路硬化", "安全饮水入户"],
}


def ident(*parts: object) -> str:
    """A stable UUID for a demo entity (a second run finds the same ids: 409)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


@dataclass
class Step:
    """One HTTP call of a household's story: path under the household, body, status wanted."""

    path: str
    body: dict[str, Any]
    status: int = 200


@dataclass
class DemoHousehold:
    household_id: str
    village: str
    register: dict[str, Any]
    steps: list[Step] = field(default_factory=list)
    member_pairing: bool = False


class People:
    """Names and valid, distinct ID numbers (area code 430321)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def id_number(self, born: dt.date, male: bool) -> str:
        for _ in range(1000):
            seq = self.rng.randrange(1, 999)
            if (seq % 2 == 1) != male:
                seq += 1
            number = make_resident_id(f"430321{born:%Y%m%d}{seq:03d}").value
            if number not in self.used:
                self.used.add(number)
                return number
        raise RuntimeError("no free ID number")

    def person(self, surname: str, male: bool, born_from: int, born_to: int) -> tuple[str, str]:
        born = day(self.rng, dt.date(born_from, 1, 1), dt.date(born_to, 12, 28))
        given = self.rng.choice(MALE if male else FEMALE)
        return surname + given, self.id_number(born, male)


def _villages(town: Town, rng: random.Random) -> list[str]:
    chosen = [name for name, n in VILLAGE_SHARE.items() for _ in range(n)]
    others = [v.name for v in town.villages if v.kind == "village" and v.name not in VILLAGE_SHARE]
    while len(chosen) < HOUSEHOLDS:
        chosen.append(rng.choice(others))
    return chosen


def _register(
    people: People, rng: random.Random, village: str, household_id: str
) -> dict[str, Any]:
    surname = rng.choice(SURNAMES)
    head_name, head_id = people.person(surname, True, 1942, 1980)
    members = []
    if rng.random() < 0.8:
        name, number = people.person(rng.choice(SURNAMES), False, 1945, 1982)
        members.append({"name": name, "id_number": number, "relation": "配偶"})
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        male = rng.random() < 0.5
        born = day(rng, dt.date(1995, 1, 1), dt.date(2012, 12, 28))
        members.append(
            {
                "name": surname + rng.choice(CHILD),
                "id_number": people.id_number(born, male),
                "relation": "子女",
            }
        )
    if rng.random() < 0.25:
        name, number = people.person(surname, rng.random() < 0.5, 1925, 1940)
        members.append({"name": name, "id_number": number, "relation": "父母"})
    income = Decimal(rng.randrange(110000, 290000)) / 100
    return {
        "household_id": household_id,
        "village": village,
        "head_name": head_name,
        "head_id_number": head_id,
        "members": members,
        "causes": rng.sample(CAUSES, rng.choice([1, 1, 2])),
        "income_per_head": str(income),
        "occurred_on": day(rng, dt.date(2016, 1, 5), dt.date(2016, 2, 26)).isoformat(),
    }


def _helper(n: int, cadre: tuple[str, str], members: list[str]) -> dict[str, Any]:
    """A party member relief knows of (when party has announced any), else the cadre. Its own
    random stream: what party has published must not change the rest of the story."""
    own = random.Random(f"{SEED}-helper-{n}")
    if members and own.random() < 0.45:
        return {"member_id": own.choice(sorted(members))}
    return {"cadre_name": cadre[0], "cadre_post": cadre[1]}


def _cadres(rng: random.Random, count: int = 45) -> list[tuple[str, str]]:
    """Town cadres who help households (distinct names)."""
    names: dict[str, str] = {}
    while len(names) < count:
        names.setdefault(rng.choice(SURNAMES) + rng.choice(MALE + FEMALE), rng.choice(POSTS))
    return sorted(names.items())


def households(town: Town, party_members: dict[str, list[str]]) -> list[DemoHousehold]:
    """The demo's households with their whole story (pair, visit, measures, income, checks,
    exit, and for a few a re-pairing or a return to poverty)."""
    rng = random.Random(SEED)
    people = People(rng)
    cadres = _cadres(rng)
    result = []
    for n, village in enumerate(_villages(town, rng)):
        household_id = ident("household", n)
        h = DemoHousehold(household_id, village, _register(people, rng, village, household_id))
        pool = party_members.get(village) or party_members.get("", [])
        cadre = rng.randrange(len(cadres))
        helper = _helper(n, cadres[cadre], pool)
        h.member_pairing = "member_id" in helper
        paired_on = day(rng, dt.date(2016, 3, 1), dt.date(2016, 4, 20))
        h.steps.append(Step("pair", helper | {"occurred_on": paired_on.isoformat()}))
        visits = sorted(
            day(rng, paired_on + dt.timedelta(days=7), dt.date(2016, 11, 10))
            for _ in range(rng.randint(2, 4))
        )
        for k, visited in enumerate(visits):
            body = {
                "notes": rng.choice(VISIT_NOTES),
                "visit_id": ident("visit", n, k),
                "occurred_on": visited.isoformat(),
            }
            h.steps.append(Step("visits", body, 201))
        for k, project in enumerate(rng.sample(sorted(MEASURES), rng.choice([1, 1, 2]))):
            measure_id = ident("measure", n, k)
            planned = day(rng, paired_on, dt.date(2016, 5, 31))
            body = {
                "project": project,
                "description": rng.choice(MEASURES[project]),
                "measure_id": measure_id,
                "occurred_on": planned.isoformat(),
            }
            h.steps.append(Step("measures", body, 201))
            if rng.random() < 0.85:
                done = day(rng, dt.date(2016, 7, 1), dt.date(2016, 10, 31)).isoformat()
                h.steps.append(
                    Step(
                        f"measures/{measure_id}/complete",
                        {"outcome": "已落实", "occurred_on": done},
                    )
                )
        above = rng.random() < 0.88
        income = rng.randrange(296000, 420000) if above else rng.randrange(230000, 295000)
        assessed = day(rng, dt.date(2016, 11, 12), dt.date(2016, 11, 22)).isoformat()
        h.steps.append(
            Step(
                "assess-income",
                {"income_per_head": str(Decimal(income) / 100), "occurred_on": assessed},
            )
        )
        safe = rng.random() < 0.93
        checked = day(rng, dt.date(2016, 11, 23), dt.date(2016, 11, 30)).isoformat()
        checks = {
            "food": True,
            "clothing": True,
            "education": True,
            "medical": True,
            "housing": safe,
        }
        h.steps.append(
            Step("check-guarantees", checks | {"notes": "入户核验", "occurred_on": checked})
        )
        if above and safe:
            exited = day(rng, dt.date(2016, 12, 5), dt.date(2016, 12, 28))
            h.steps.append(Step("exit", {"occurred_on": exited.isoformat()}))
            if rng.random() < 0.04:
                returned = day(rng, dt.date(2017, 3, 1), dt.date(2017, 8, 31)).isoformat()
                reason = rng.choice(["户主突发重病，医疗支出大", "因灾房屋受损", "主要劳动力伤残"])
                h.steps.append(Step("return", {"reason": reason, "occurred_on": returned}))
        if rng.random() < 0.05:
            # Another cadre than the first one (and than any party member).
            name, post = cadres[(cadre + rng.randrange(1, len(cadres))) % len(cadres)]
            body = {
                "cadre_name": name,
                "cadre_post": post,
                "reason": "原帮扶责任人工作调动",
                "occurred_on": "2017-03-15",
            }
            h.steps.append(Step("repair", body))
        for k in range(rng.choice([0, 1, 1, 2])):
            when = day(rng, dt.date(2017, 4, 1), dt.date(2017, 11, 30)).isoformat()
            body = {
                "notes": "脱贫后跟踪回访，巩固帮扶成效",
                "visit_id": ident("visit2017", n, k),
                "occurred_on": when,
            }
            h.steps.append(Step("visits", body, 201))
        h.steps.sort(key=lambda s: s.body["occurred_on"])
        result.append(h)
    return result
