"""The relief demo's records besides households, generated deterministically: the five
activities, livelihood projects, community service sites, village stations with their duty
rota, and the agency ledger (see `demo_data` for the households)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from relief.demo_data import FEMALE, MALE, SEED, SURNAMES, VILLAGE_SHARE, day, ident
from shared.town import Town

Chain = Iterator[tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]]


def activities() -> Iterator[tuple[str, dict[str, Any]]]:
    """The five activities' records: (path under /api/v1/activities, body)."""
    rng = random.Random(SEED + 1)
    yield (
        "enterprise-pairings",
        {
            "enterprise": "湘潭宏达农业开发有限公司",
            "village": "石壁村",
            "people": ["宏达公司 刘总经理", "村党支部书记 黄军"],
            "content": "油茶订单收购，吸纳 12 名贫困劳动力务工",
            "record_id": ident("enterprise", 1),
            "occurred_on": "2016-05-08",
        },
    )
    yield (
        "enterprise-pairings",
        {
            "enterprise": "湖南易俗河米业有限公司",
            "village": "石壁村",
            "people": ["米业公司 王经理"],
            "content": "优质稻订单种植与保底收购",
            "record_id": ident("enterprise", 2),
            "occurred_on": "2016-07-16",
        },
    )
    plan = [
        ("public_welfare", "石壁村", "镇环卫所", 6),
        ("public_welfare", "金霞村", "村保洁队", 4),
        ("employment", "梅林村", "湘潭电机股份公司", 5),
        ("public_welfare", "湘江村", "河道巡查", 3),
        ("employment", "白石村", "九华工业园企业", 8),
        ("public_welfare", "桃花村", "护林员", 3),
        ("employment", "石壁村", "宏达农业基地", 6),
        ("public_welfare", "天易社区", "社区公益岗", 4),
        ("employment", "金霞村", "县扶贫车间", 5),
        ("public_welfare", "石壁村", "农家书屋管理员", 2),
        ("employment", "湘江村", "物流园区", 4),
        ("public_welfare", "梅林村", "村级光伏电站看护", 2),
    ]
    for k, (kind, village, employer, posts) in enumerate(plan):
        when = dt.date(2016, 3, 10) + dt.timedelta(days=22 * k)
        people = [rng.choice(SURNAMES) + rng.choice(MALE + FEMALE) for _ in range(posts)]
        yield (
            "posts",
            {
                "village": village,
                "kind": kind,
                "employer": employer,
                "posts": posts,
                "people": people,
                "record_id": ident("posts", k),
                "occurred_on": when.isoformat(),
            },
        )
    students = [
        ("石壁村", "刘思远", "易俗河镇中学"),
        ("石壁村", "黄雨欣", "湘潭县一中"),
        ("金霞村", "陈浩然", "易俗河镇中心小学"),
        ("梅林村", "周佳怡", "湘潭县一中"),
        ("湘江村", "谭子涵", "易俗河镇中学"),
        ("白石村", "罗梓轩", "湘潭县职业中专"),
        ("桃花村", "易欣怡", "易俗河镇中学"),
        ("石壁村", "彭宇航", "易俗河镇中心小学"),
        ("金霞村", "唐小燕", "湘潭县一中"),
        ("梅林村", "曾思远", "易俗河镇中学"),
    ]
    for k, (village, name, school) in enumerate(students):
        yield (
            "students",
            {
                "village": village,
                "student_name": name,
                "school": school,
                "support": "学费及生活费资助",
                "amount": "1500.00",
                "people": ["镇中心校 " + rng.choice(SURNAMES) + "老师"],
                "record_id": ident("student", k),
                "occurred_on": f"2016-{3 + k // 2:02d}-{10 + k:02d}",
            },
        )
    yield (
        "students",
        {
            "village": "石壁村",
            "student_name": "刘思远",
            "school": "易俗河镇中学",
            "support": "秋季学期书本费",
            "amount": "600.00",
            "people": [],
            "record_id": ident("student", "again"),
            "occurred_on": "2016-09-05",
        },
    )
    staff = [
        "卫生院 陈医生",
        "卫生院 李医生",
        "卫生院 王护士",
        "卫生院 张医生",
        "卫生院 刘药师",
        "卫生院 周医生",
        "卫生院 谭护士",
        "县人民医院 罗医生",
        "县中医院 胡医生",
        "县妇幼保健院 贺医生",
    ]
    for k, village in enumerate(["石壁村", "金霞村", "梅林村", "湘江村"]):
        team = staff[(k * 3) % 10 : (k * 3) % 10 + 4] or staff[:4]
        yield (
            "clinics",
            {
                "village": village,
                "medical_staff": team,
                "patients": 60 + 17 * k,
                "services": "测血压血糖、慢病随访、免费发放常用药",
                "record_id": ident("clinic", k),
                "occurred_on": f"2016-{5 + 2 * k:02d}-18",
            },
        )


def projects(town: Town) -> Chain:
    """Livelihood projects: (listing body, [(verb, body) …]) — some planned, some started,
    accepted or in after-care."""
    rng = random.Random(SEED + 2)
    plan = [
        (None, "jobs", "镇就业扶贫车间", "经济发展办"),
        (None, "medical", "镇卫生院住院楼改造", "卫生院"),
        (None, "school", "镇中心小学食堂提质", "中心校"),
        (None, "transport", "易俗河至石壁村公交延伸", "交通站"),
        (None, "public_services", "镇便民服务中心窗口改造", "政务中心"),
        (None, "culture_fitness", "镇全民健身广场", "文化站"),
        (None, "environment", "镇区污水管网改造", "城建办"),
        (None, "power", "镇区农网改造", "供电所"),
        ("石壁村", "water", "石壁村安全饮水工程", "民政与社会保障办"),
        ("石壁村", "transport", "石壁村通组公路硬化", "交通站"),
        ("石壁村", "housing", "石壁村危房改造（12 户）", "民政与社会保障办"),
        ("石壁村", "culture_fitness", "石壁村农家书屋", "文化站"),
        ("金霞村", "water", "金霞村山塘清淤", "农业综合服务中心"),
        ("金霞村", "power", "金霞村光伏扶贫电站", "经济发展办"),
        ("梅林村", "transport", "梅林村便民桥", "交通站"),
        ("梅林村", "medical", "梅林村卫生室标准化", "卫生院"),
        ("湘江村", "environment", "湘江村垃圾分类收集点", "城建办"),
        ("湘江村", "jobs", "湘江村来料加工点", "经济发展办"),
        ("白石村", "school", "白石村幼儿园改造", "中心校"),
        ("白石村", "water", "白石村自来水管网延伸", "民政与社会保障办"),
        ("桃花村", "culture_fitness", "桃花村健身广场", "文化站"),
        ("桃花村", "housing", "桃花村易地搬迁安置点配套", "民政与社会保障办"),
        ("天易社区", "public_services", "天易社区居家养老服务站", "民政与社会保障办"),
        ("滨江社区", "culture_fitness", "滨江社区文体活动室", "文化站"),
        ("金桥社区", "environment", "金桥社区绿化提质", "城建办"),
        ("站前社区", "public_services", "站前社区综治中心", "综治维稳办"),
    ]
    for k, (village, category, name, unit) in enumerate(plan):
        listed = day(rng, dt.date(2016, 2, 15), dt.date(2016, 4, 30))
        body = {
            "name": name,
            "category": category,
            "village": village,
            "description": f"{name}，列入{'村' if village else '镇'}级惠民项目清单",
            "lead_unit": unit,
            "budget": f"{rng.randrange(5, 120) * 10000}.00",
            "due_on": "2016-12-31" if k % 3 else "2017-12-31",
            "project_id": ident("project", k),
            "occurred_on": listed.isoformat(),
        }
        stage = rng.choice([0, 1, 2, 2, 3, 3, 3])
        steps: list[tuple[str, dict[str, Any]]] = []
        started = listed + dt.timedelta(days=rng.randint(20, 60))
        if stage >= 1:
            steps.append(("start", {"occurred_on": started.isoformat(), "expected_version": 1}))
        accepted = started + dt.timedelta(days=rng.randint(90, 200))
        if stage >= 2:
            steps.append(
                (
                    "accept",
                    {
                        "accepted_by": "镇民生实事验收组",
                        "result": "按期如质完成，验收合格",
                        "occurred_on": accepted.isoformat(),
                        "expected_version": 2,
                    },
                )
            )
        if stage >= 3:
            care = accepted + dt.timedelta(days=rng.randint(30, 150))
            steps.append(
                (
                    "after-care",
                    {
                        "responsible": f"{village or '镇'}管护责任人",
                        "note": "定期巡查维护，运行正常",
                        "occurred_on": min(care, dt.date(2017, 11, 30)).isoformat(),
                        "expected_version": 3,
                    },
                )
            )
        yield body, steps


def sites(town: Town) -> Chain:
    """Community service sites: (registration body, [(verb, body) …])."""
    rng = random.Random(SEED + 3)
    every = ["signage", "facade", "door_plates", "service_windows", "publicity_boards"]
    for k, community in enumerate(v.name for v in town.villages if v.kind == "community"):
        area = rng.choice([380, 450, 520, 610, 660, 720, 880])
        body = {
            "community": community,
            "name": f"{community}综合服务中心",
            "area_m2": f"{area}.00",
            "office_area_m2": f"{rng.randrange(60, 120)}.00",
            "site_id": ident("site", k),
            "occurred_on": "2016-04-12",
        }
        steps: list[tuple[str, dict[str, Any]]] = [
            (
                "five-unified",
                {
                    "items": every if k % 4 else every[:3],
                    "occurred_on": "2016-08-20",
                    "expected_version": 1,
                },
            )
        ]
        if area < 600 and k % 2 == 0:
            steps.append(
                (
                    "expand",
                    {
                        "area_m2": "650.00",
                        "method": rng.choice(["adjusted", "transferred", "built"]),
                        "occurred_on": "2017-05-10",
                        "expected_version": 2,
                    },
                )
            )
        if k % 4 and (area >= 600 or k % 2 == 0):
            steps.append(
                ("certify", {"occurred_on": "2017-06-30", "expected_version": len(steps) + 1})
            )
        yield body, steps


def stations(town: Town) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Village service stations: (designation body, duty-rota body)."""
    rng = random.Random(SEED + 4)
    for village in (v.name for v in town.villages if v.kind == "village"):
        shifts = [
            {
                "weekday": d,
                "cadre": rng.choice(SURNAMES) + rng.choice(MALE + FEMALE),
                "post": rng.choice(["村支书", "村主任", "村会计", "村妇女主任", "村委委员"]),
            }
            for d in range(1, 7)
        ]
        designated = day(rng, dt.date(2016, 3, 1), dt.date(2016, 6, 30))
        yield (
            {
                "village": village,
                "name": f"{village}便民服务站",
                "address": f"{village}村部",
                "occurred_on": designated.isoformat(),
            },
            {
                "shifts": shifts,
                "occurred_on": (designated + dt.timedelta(days=3)).isoformat(),
                "expected_version": 1,
            },
        )


def agency_items() -> Chain:
    """The agency ledger: (receipt body, [(verb, body) …])."""
    rng = random.Random(SEED + 5)
    matters = [
        "代缴新农合",
        "代办低保年审",
        "代办残疾证",
        "代办养老保险认证",
        "代办危房改造申请",
        "代办计生证明",
        "代领农资补贴存折",
    ]
    for k in range(64):
        village = rng.choice(list(VILLAGE_SHARE))
        received = day(rng, dt.date(2016, 7, 1), dt.date(2017, 10, 31))
        applicant = rng.choice(SURNAMES) + rng.choice(MALE + FEMALE)
        body = {
            "village": village,
            "applicant": applicant,
            "matter": rng.choice(matters),
            "agent": f"{village}代办员",
            "item_id": ident("agency", k),
            "occurred_on": received.isoformat(),
        }
        steps: list[tuple[str, dict[str, Any]]] = []
        if rng.random() < 0.8:
            handled = received + dt.timedelta(days=rng.randint(1, 10))
            steps.append(
                (
                    "handle",
                    {"result": "已办结", "occurred_on": handled.isoformat(), "expected_version": 1},
                )
            )
            if rng.random() < 0.85:
                signed = handled + dt.timedelta(days=rng.randint(0, 5))
                steps.append(
                    (
                        "sign-off",
                        {
                            "signed_by": applicant,
                            "occurred_on": signed.isoformat(),
                            "expected_version": 2,
                        },
                    )
                )
        yield body, steps
