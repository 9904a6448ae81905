"""The party demo's data, generated deterministically (same ids, names and dates every run).
See `party.demo` for what it contains and the ids other services' demos may use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shared.kernel import make_resident_id
from shared.town import Village, load_town

#: Extra branches beside one per village and community: (id, name, kind, village).
OTHER_BRANCHES = (
    ("branch-organ-town", "易俗河镇机关党支部", "organ", None),
    ("branch-organ-stations", "易俗河镇站办所联合党支部", "organ", None),
    ("branch-enterprise-textile", "湘潭天易纺织有限公司党支部", "enterprise", "天易社区"),
    ("branch-enterprise-agri", "易俗河农业开发有限公司党支部", "enterprise", "梅林村"),
)
#: Members that supervision's demo names in its accountability decisions (do not change).
NAMED = {
    "member-demo-shibi-01": ("黄建华", "430321100201"),
    "member-demo-jinxia-01": ("刘志强", "430321100202"),
}
#: The branches the 2016 assessment designates weak and lax (their codes).
WEAK = ("430321100201", "430321100221", "430321100222")  # 石壁村, 龙口村, 响塘村
SECRETARY_NAMES = {"430321100201": "黄军"}  # the demo user branch-shibi
MISSING_COUNTY = ("430321100215", "430321100216")  # secretaries without a county session
MISSING_TOWN = ("430321100217", "430321100218", "430321100219")  # only one town session
UNQUALIFIED = ("member-0037", "member-0112", "member-0203")
PROBATIONARY = tuple(f"member-{n:04d}" for n in range(50, 300, 20))
DEGREE = tuple(f"member-{n:04d}" for n in range(5, 300, 17))[:17]
TRANSFERS = {"member-0044": "branch-430321100001", "member-0188": "branch-organ-town"}
#: 述职评议 of 2016 (held 2017-01-12): the lead units of the plan's measures
#: (services/supervision/supervision/plan/2016.yaml, `lead_units`) and their review scores.
LEAD_UNIT_REVIEWS = {
    "扶贫办": "88",
    "民政与社会保障办": "86",
    "中心校": "90",
    "卫生院": "87",
    "党政综合办": "84",
    "政务中心": "82",
    "经济发展办": "79",
    "党建工作站": "91",
    "综治维稳办": "83",
    "督查室": "89",
    "镇纪委": "92",
    "财政所": "81",
}
#: A lead unit supervision's facts count but not listed above is reviewed with this score.
DEFAULT_REVIEW = "80"
#: ... and a few village branch secretaries (by branch code): the three weak branches' low.
SECRETARY_REVIEWS = {
    "430321100201": "68",  # 石壁村 (weak and lax in 2016)
    "430321100202": "88",  # 金霞村
    "430321100203": "85",  # 梅林村
    "430321100221": "72",  # 龙口村 (weak and lax)
    "430321100222": "58",  # 响塘村 (weak and lax, its 村委会主任 under adjustment)
}

FAMILY = (
    "王李张刘陈杨黄赵周吴徐孙朱马胡郭何高林罗郑梁谢宋唐许"
    "韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文红玉兰辉志新春海云林飞斌波宁"


@dataclass(frozen=True, slots=True)
class DemoBranch:
    branch_id: str
    name: str
    kind: str
    village: str | None
    code: str


@dataclass(slots=True)
class DemoMember:
    member_id: str
    branch_id: str
    name: str
    id_number: str
    membership: str
    joined_party_on: dt.date
    joined_on: dt.date
    index: int
    secretary: bool = False
    points: list[dict[str, object]] = field(default_factory=list)


def branches() -> list[DemoBranch]:
    town = load_town()
    result = [_village_branch(v) for v in town.villages]
    result += [DemoBranch(b, n, k, v, b.removeprefix("branch-")) for b, n, k, v in OTHER_BRANCHES]
    return result


def _village_branch(village: Village) -> DemoBranch:
    return DemoBranch(
        f"branch-{village.code}", f"{village.name}党支部", village.kind, village.name, village.code
    )


def _name(i: int) -> str:
    return (
        FAMILY[(i * 7) % len(FAMILY)]
        + GIVEN[(i * 11) % len(GIVEN)]
        + (GIVEN[(i * 13 + 5) % len(GIVEN)] if i % 3 else "")
    )


def _birth(i: int) -> dt.date:
    return dt.date(1950 + (i * 7) % 45, 1 + i % 12, 1 + i % 28)


def _id_number(i: int) -> str:
    return make_resident_id(f"430321{_birth(i):%Y%m%d}{i % 1000:03d}").value


def members() -> list[DemoMember]:
    """member-0001 … member-0298 spread over the branches (the first of each branch is its
    secretary), and the two members named by supervision's demo: 300 in all."""
    all_branches = branches()
    people: list[DemoMember] = []
    for i in range(1, 299):
        branch = all_branches[(i - 1) % len(all_branches)]
        member_id = f"member-{i:04d}"
        probationary = member_id in PROBATIONARY
        joined_party = (
            dt.date(2015 + i % 2, 1 + (i * 5) % 12, 1)
            if probationary
            else dt.date(min(2014, _birth(i).year + 20 + i % 15), 7, 1)
        )
        first = i <= len(all_branches)
        people.append(
            DemoMember(
                member_id=member_id,
                branch_id=branch.branch_id,
                name=SECRETARY_NAMES.get(branch.code, _name(i)) if first else _name(i),
                id_number=_id_number(i),
                membership="probationary" if probationary else "full",
                joined_party_on=joined_party,
                joined_on=max(dt.date(2016, 1, 5), joined_party),
                index=i,
                secretary=first,
            )
        )
    for n, (member_id, (name, code)) in enumerate(NAMED.items(), start=1):
        people.append(
            DemoMember(
                member_id=member_id,
                branch_id=f"branch-{code}",
                name=name,
                id_number=_id_number(900 + n),
                membership="full",
                joined_party_on=dt.date(1998 + n, 7, 1),
                joined_on=dt.date(2016, 1, 5),
                index=900 + n,
            )
        )
    for person in people:
        person.points = _points(person)
    return people


def _points(person: DemoMember) -> list[dict[str, object]]:
    """2016's awards and deductions: study, tasks, visits, appraisal; the unqualified three
    only lose points."""
    i = person.index
    day = max(person.joined_on, dt.date(2016, 3, 1))
    if person.member_id in UNQUALIFIED:
        plan = [("KF01", 4, "无故不参加组织生活四次"), ("KF02", 1, "未按时交纳党费")]
    else:
        plan = [
            ("KX01", 6 + i % 7, "参加党支部集中学习"),
            ("KJ01", 1 + i % 5, "完成支部交办任务"),
            ("KJ02", i % 9, "结对帮扶走访贫困户"),
            ("PY04", 1 if i % 4 else 0, "群众评议满意"),
            ("KF01", 1 if i % 11 == 0 else 0, "无故缺席组织生活"),
        ]
    records = []
    for n, (code, quantity, evidence) in enumerate(plan, start=1):
        if quantity:
            records.append(
                {
                    "record_id": f"demo-2016-{person.member_id}-{n}",
                    "rule_code": code,
                    "quantity": quantity,
                    "evidence": evidence,
                    "occurred_on": (day + dt.timedelta(days=30 * n)).isoformat(),
                }
            )
    return records


def branch_sessions(people: list[DemoMember]) -> list[dict[str, object]]:
    """A branch session each month of 2016 and in January–March 2017; now and then a member
    misses one (so some branches fall short of the monthly target)."""
    sessions: list[dict[str, object]] = []
    months = [(2016, m) for m in range(1, 13)] + [(2017, m) for m in range(1, 4)]
    for branch in branches():
        own = [p for p in people if p.branch_id == branch.branch_id]
        for year, month in months:
            held = dt.date(year, month, 10)
            attendees = [
                p.member_id
                for p in own
                if p.joined_on <= held
                and (p.secretary or (p.index * month) % 23 != 7)
                and not (p.member_id in TRANSFERS and held > dt.date(2016, 12, 15))
            ]
            if attendees:
                sessions.append(
                    {
                        "session_id": f"training-{year}-{branch.code}-{month:02d}",
                        "level": "branch",
                        "programme": "all_members",
                        "topic": f"{year}年{month}月党支部主题党日 (两学一做)",
                        "branch_id": branch.branch_id,
                        "held_on": held.isoformat(),
                        "attendee_ids": attendees,
                    }
                )
    return sessions


def town_sessions(people: list[DemoMember]) -> list[dict[str, object]]:
    """County and town sessions for the branch secretaries, and the entrepreneurship course."""
    by_id = {b.branch_id: b for b in branches()}
    secretaries = [p for p in people if p.secretary]

    def secretaries_but(codes: tuple[str, ...]) -> list[str]:
        return [p.member_id for p in secretaries if by_id[p.branch_id].code not in codes]

    entrepreneurs = [p.member_id for p in people if p.index % 6 == 1][:56]
    return [
        _session(
            "training-2016-county-01",
            "county",
            "capability",
            "县委党校村支部书记轮训班",
            "2016-04-15",
            secretaries_but(MISSING_COUNTY),
        ),
        _session(
            "training-2016-town-01",
            "town",
            "backbone",
            "镇党委基层党建工作培训",
            "2016-03-20",
            secretaries_but(()),
        ),
        _session(
            "training-2016-town-02",
            "town",
            "backbone",
            "精准扶贫政策专题培训",
            "2016-07-12",
            secretaries_but(MISSING_TOWN),
        ),
        _session(
            "training-2016-entre-01",
            "town",
            "entrepreneurship",
            "农村党员创业就业培训 (一期)",
            "2016-05-18",
            entrepreneurs[:30],
        ),
        _session(
            "training-2016-entre-02",
            "town",
            "entrepreneurship",
            "农村党员创业就业培训 (二期)",
            "2016-10-12",
            entrepreneurs[26:],
        ),
    ]


def _session(
    session_id: str, level: str, programme: str, topic: str, held_on: str, attendees: list[str]
) -> dict[str, object]:
    return {
        "session_id": session_id,
        "level": level,
        "programme": programme,
        "topic": topic,
        "held_on": held_on,
        "attendee_ids": attendees,
    }


SHEET_ITEMS = (
    "leadership",
    "members",
    "organisational_life",
    "service",
    "governance",
    "collective_economy",
)


def assessment_scores() -> dict[str, dict[str, str]]:
    """2016's scores: distinct totals, the three WEAK branches at the bottom."""
    result = {}
    for n, branch in enumerate(branches()):
        if branch.code in WEAK:
            base = 4 + WEAK.index(branch.code)
            items = [base, base + 1, base, base - 1, base + 1, base - 2]
        else:
            base = 7 + (n * 3) % 3
            items = [base, 8 - n % 3, 7 + n % 4, 9 - n % 2, 6 + n % 5, 5 + n % 6]
        marks = [min(10, m) + (n % 7) * 0.1 if k == 0 else min(10, m) for k, m in enumerate(items)]
        result[branch.branch_id] = {
            code: f"{min(10.0, mark):.1f}" for code, mark in zip(SHEET_ITEMS, marks, strict=True)
        }
    return result
