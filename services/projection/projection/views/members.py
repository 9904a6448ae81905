"""Party views of members (measures 8 and 9): points by level for a year, and training
against the plan's targets."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from projection.adapters.queries import Not, Sort, StatusIn
from projection.adapters.reader import Entity, Snapshot
from projection.domain import party as pt
from projection.domain.catalogue import status_label
from projection.views.basis import of_entities
from projection.views.common import Ask, entity_row, entity_table, page_info, page_of
from projection.views.model import (
    Card,
    Chart,
    Column,
    Series,
    Table,
    View,
    pct,
    ratio_text,
    tone_for,
)
from projection.views.party import branches_of
from shared.kernel import degree_enrolment_counts, training_months_required

#: The points rule book 2016.1 (party/rules/points-2016.yaml): base points and level minimums.
BASE_POINTS = 60
LEVELS = (
    ("excellent", "优秀", 90),
    ("qualified", "合格", 70),
    ("basically_qualified", "基本合格", 60),
)
UNQUALIFIED = ("unqualified", "不合格")
#: Measure 8's targets.
SECRETARY_COUNTY, SECRETARY_TOWN, DEGREE_TARGET, ENTREPRENEUR_TARGET = 1, 2, 16, 50


def year_of(ask: Ask, years_with_data: set[str]) -> int:
    """The year a yearly target is judged for: the asked day's or period's, else the newest
    year with data (the plan's years, when the demo is looked at years later), else this year."""
    day = ask.window.state_day or ask.window.start
    if day is not None:
        return day.year
    known = sorted(y for y in years_with_data if y.isdigit() and int(y) <= ask.today.year)
    return int(known[-1]) if known else ask.today.year


def _level_of(points: int) -> tuple[str, str]:
    for code, name, minimum in LEVELS:
        if points >= minimum:
            return code, name
    return UNQUALIFIED


#: The member list's sortable columns.
MEMBER_SORTS = {
    "name": Sort("name"),
    "village": Sort("village"),
    "membership": Sort("status"),
    "deductions": Sort("deductions", numeric=True),
}
STAYING = Not(StatusIn(("left",)))


def _member_points(year: str, net: Any, graded: Any) -> tuple[int, str]:
    """A member's year total and level: as graded, else estimated from the points so far."""
    net_points = int(net or 0)
    if isinstance(graded, dict) and graded:
        return int(graded.get("points") or BASE_POINTS + net_points), str(graded.get("level_name"))
    total = BASE_POINTS + net_points
    return total, _level_of(total)[1] + "（预估）"


async def points(snap: Snapshot, ask: Ask) -> View:
    """党员积分 (measure 9): members by level for the year, the unqualified procedure."""
    cut, village = ask.window.cutoff, ask.village
    years = await snap.object_keys(
        pt.MEMBER, ["points", "grades"], cutoff=cut, village=village, where=STAYING
    )
    year = str(year_of(ask, years))
    view = View("party/points", f"党员积分制管理（{year}年度）", ask.window, ask.village)
    branches = {b.entity_id: b for b in await snap.entities(pt.BRANCH, cutoff=cut)}
    # every member's year in a few fields; the list itself comes a page at a time
    members = [
        m
        for m in await snap.slim_entities(
            pt.MEMBER,
            {"net": ("points", year), "grade": ("grades", year)},
            cutoff=cut,
            village=village,
        )
        if m.status != "left"
    ]

    def level_of(m: Entity) -> str:
        _, level = _member_points(year, m.get("net"), m.get("grade"))
        return level.removesuffix("（预估）")

    levels = Counter(level_of(m) for m in members)

    def row(m: Entity) -> dict[str, Any]:
        total, level = _member_points(
            year, (m.get("points") or {}).get(year), (m.get("grades") or {}).get(year)
        )
        branch = branches.get(str(m.get("branch_id")))
        return entity_row(
            m,
            name=m.get("name", ""),
            branch_name=branch.get("branch_name", "") if branch else "",
            membership=status_label(pt.MEMBER, m.status),
            total=total,
            level=level,
            deductions=m.get("deductions", 0),
        )

    graded_count = sum(1 for m in members if m.get("grade"))
    unqualified = [m for m in members if m.status == "unqualified"]
    names = [name for _, name, _ in LEVELS] + [UNQUALIFIED[1]]
    view.cards += [
        Card("党员", str(len(members)), "名", basis=of_entities(members)),
        Card(
            "已评定等次",
            ratio_text(graded_count, len(members)),
            "名",
            tone_for(pct(graded_count, len(members))),
            of_entities(m for m in members if m.get("grade")),
        ),
        Card(
            "不合格党员处置中",
            str(len(unqualified)),
            "名",
            "bad" if unqualified else "ok",
            of_entities(unqualified),
        ),
    ]
    view.charts.append(
        Chart(
            "by_level",
            "积分等次分布",
            "pie",
            names,
            [
                Series(
                    "党员",
                    [levels[n] for n in names],
                    bases=[of_entities(m for m in members if level_of(m) == n) for n in names],
                )
            ],
            "名",
        )
    )
    by_level = Table(
        "by_level",
        "按等次",
        [
            Column("level", "等次"),
            Column("members", "人数", "int"),
            Column("share", "占比", "pct"),
        ],
    )
    for n in names:
        level_row = {"level": n, "members": levels[n], "share": pct(levels[n], len(members))}
        by_level.rows.append(level_row)
        by_level.based(level_row, "members", of_entities(m for m in members if level_of(m) == n))
    view.tables.append(by_level)
    members_table = Table(
        "members",
        "党员积分",
        [
            Column("name", "姓名"),
            Column("branch_name", "党支部"),
            Column("village", "村/社区"),
            Column("membership", "身份"),
            Column("total", "年度积分", "int"),
            Column("level", "等次"),
            Column("deductions", "扣分次数", "int"),
        ],
    )
    view.tables.append(
        await entity_table(snap, ask, members_table, pt.MEMBER, MEMBER_SORTS, row, where=STAYING)
    )
    view.notes.append(
        f"年度积分 = 基础分 {BASE_POINTS} + 加分 − 扣分（积分规则 2016.1）；"
        "未评定的按规则预估等次。"
    )
    return view


async def training(snap: Snapshot, ask: Ask) -> View:
    """党员教育培训 (measure 8) against the plan's targets."""
    # Sessions are the town's (a county or town session has no village); with a village
    # asked, attendance counts for that village's members and branches only.
    # only the judged year's sessions are read (the log holds every year's)
    held = ["party.TrainingSessionHeld"]
    w = ask.window
    asked = w.state_day or w.start  # a day asked names the year; else the newest with data
    year = year_of(
        ask,
        set()
        if asked
        else await snap.fact_prefixes(held, "held_on", 4, start=w.flow_start, cutoff=w.cutoff),
    )
    view = View("party/training", f"党员教育培训（{year}年度）", ask.window, ask.village)
    sessions = await snap.facts(
        held, start=w.flow_start, cutoff=w.cutoff, prefix=("held_on", str(year))
    )
    registered = await snap.slim_entities(
        pt.MEMBER,
        {
            "degree_enrolled_on": ("degree_enrolled_on",),
            "joined_on": ("joined_on",),
            "name": ("name",),
            "branch_id": ("branch_id",),
        },
        cutoff=ask.window.cutoff,
        village=ask.village,
    )
    members = {m.entity_id: m for m in registered if m.status != "left"}
    branches = await branches_of(snap, ask)
    if ask.village:
        sessions = [
            s
            for s in sessions
            if set(map(str, s.payload.get("attendee_ids") or [])) & set(members)
            or str(s.payload.get("branch_id")) in branches
        ]
    attended: dict[str, Counter[str]] = defaultdict(Counter)
    months: dict[str, set[int]] = defaultdict(set)
    entrepreneurs: set[str] = set()
    for s in sessions:
        level = str(s.payload.get("level"))
        for mid in map(str, s.payload.get("attendee_ids") or []):
            if mid not in members:
                continue
            attended[mid][level] += 1
            if level == "branch":
                months[mid].add(int(str(s.payload.get("held_on", ""))[5:7]))
            if s.payload.get("programme") == "entrepreneurship":
                entrepreneurs.add(mid)
    secretaries = [
        str(b.get("secretary_member_id")) for b in branches.values() if b.get("secretary_member_id")
    ]
    county_ok = [members[sid] for sid in secretaries if attended[sid]["county"] >= SECRETARY_COUNTY]
    town_ok = [members[sid] for sid in secretaries if attended[sid]["town"] >= SECRETARY_TOWN]
    # party's rules (shared kernel): each month over in which one was a member, attended;
    # degree education enrolled in the year by the day (a member since left counts too)
    day = ask.window.state_day or ask.today
    degree = [
        m
        for m in registered
        if degree_enrolment_counts(_date(m.get("degree_enrolled_on")), year, day)
    ]
    months_due = len(training_months_required(year, dt.date(year, 1, 1), day))
    monthly_ok = [
        m
        for mid, m in members.items()
        if set(training_months_required(year, _date(m.get("joined_on")) or day, day)) <= months[mid]
    ]
    met = [
        ("支部书记参加县级培训≥1次", county_ok, len(secretaries), "名"),
        ("支部书记参加党委培训≥2次", town_ok, len(secretaries), "名"),
        (f"党员每月参加支部培训（已过{months_due}个月）", monthly_ok, len(members), "名"),
        ("选派参加大专以上学历教育", degree, DEGREE_TARGET, "名"),
        ("培育农村创业就业党员", [members[m] for m in entrepreneurs], ENTREPRENEUR_TARGET, "名"),
    ]
    rows = [(label, len(who), target, unit) for label, who, target, unit in met]
    for label, who, target, unit in met:
        done = len(who)
        view.cards.append(
            Card(
                label,
                ratio_text(done, target),
                unit,
                tone_for(pct(done, target)),
                of_entities(who),
            )
        )
    view.charts.append(
        Chart(
            "against_targets",
            "完成进度（占方案目标）",
            "hbar",
            [r[0] for r in rows],
            [Series("完成率", [min(pct(d, t), 100.0) for _, d, t, _ in rows])],
            "%",
        )
    )
    by_level = Counter(str(s.payload.get("level")) for s in sessions)
    view.tables.append(
        Table(
            "sessions",
            "培训场次",
            [
                Column("held_on", "日期", "date"),
                Column("level", "层级"),
                Column("programme", "计划"),
                Column("topic", "主题"),
                Column("branch_name", "党支部"),
                Column("attendees", "参训人数", "int"),
            ],
            [
                {
                    "stream_id": s.stream_id,
                    "held_on": s.payload.get("held_on", ""),
                    "level": {"county": "县级", "town": "镇党委", "branch": "党支部"}.get(
                        str(s.payload.get("level")), str(s.payload.get("level"))
                    ),
                    "programme": _PROGRAMMES.get(str(s.payload.get("programme")), ""),
                    "topic": s.payload.get("topic", ""),
                    "branch_name": branches[str(s.payload.get("branch_id"))].get("branch_name", "")
                    if str(s.payload.get("branch_id")) in branches
                    else "",
                    "attendees": len(s.payload.get("attendee_ids") or []),
                }
                for s in page_of(ask, sessions)
            ],
            page=page_info(ask, len(sessions)),
            note=(
                f"县级 {by_level['county']} 场，镇党委 {by_level['town']} 场，"
                f"党支部 {by_level['branch']} 场"
            ),
        )
    )
    view.tables.append(_member_training(ask, members, branches, attended, months, year, day))
    return view


def _member_training(
    ask: Ask,
    members: dict[str, Entity],
    branches: dict[str, Entity],
    attended: dict[str, Counter[str]],
    months: dict[str, set[int]],
    year: int,
    day: dt.date,
) -> Table:
    """Each member's sessions of the year by the day (party's `/members/{id}/training`)."""
    rows = []
    for mid in page_of(ask, sorted(members)):  # only the asked page's rows are worked out
        m = members[mid]
        due = set(training_months_required(year, _date(m.get("joined_on")) or day, day))
        branch = branches.get(str(m.get("branch_id")))
        rows.append(
            entity_row(
                m,
                name=m.get("name", ""),
                branch_name=branch.get("branch_name", "") if branch else "",
                county_sessions=attended[mid]["county"],
                town_sessions=attended[mid]["town"],
                branch_months=len(months[mid]),
                months_missed=len(due - months[mid]),
                monthly_met=due <= months[mid],
            )
        )
    return Table(
        "members",
        "党员参训情况",
        [
            Column("name", "姓名"),
            Column("branch_name", "党支部"),
            Column("county_sessions", "县级培训", "int"),
            Column("town_sessions", "镇党委培训", "int"),
            Column("branch_months", "参加支部培训月数", "int"),
            Column("months_missed", "缺训月数", "int"),
            Column("monthly_met", "每月参训达标", "bool"),
        ],
        rows,
        page=page_info(ask, len(members)),
    )


_PROGRAMMES = {
    "capability": "能力提升",
    "backbone": "骨干培养",
    "all_members": "全员培训",
    "farmer_students": "农民大学生培养",
    "entrepreneurship": "创业就业培训",
}


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None
