"""领导驾驶舱 · 总览: the plan's 14 measures with lead, deadline, status and progress.

Lead, units and deadline come from supervision's `MeasureRegistered` events (the plan's text
below fills in a measure not registered yet). Progress is computed from the facts, as the mean
of the measure's indicators, each capped at 100 %:

 1 精准扶贫: households exited / registered; paired; posts 50; students 10; clinics 4; staff 10;
   enterprise pairing with the poor village
 2 民生实事: projects accepted / listed
 3 阵地建设: community sites compliant / registered; village stations / villages
 4 集体经济: zero-income villages cleared / listed; with a linked leader; with a 一村一策 plan
 5 软弱涣散: weak branches with a first secretary; leader visits ≥ 4; household visits 100 %
 6 乡村治理: villages that disclosed their finances in the period / villages
 7 信访: petitions resolved or closed / received
 8 培训: the training targets of `party/training`
 9 积分制: members graded for the year / members
10 调整村干部: cases concluded / opened
11 为官不为, 13 雁过拔毛: clues concluded / received (13 also: red flags handled / raised)
12 政令不畅: directives reported back or completed / received
14 资金整治: red flags handled / raised; disbursements on time / made
plus, for every measure, the plan-list items under it closed / listed. A measure is overdue
when its deadline (end of month) has passed on the reference day and progress is below 100 %.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from projection.adapters.queries import HasEntry, Not, StatusIn, Tally
from projection.adapters.reader import Entity, Snapshot
from projection.domain import funds as f
from projection.domain import party as pt
from projection.domain import relief as r
from projection.domain import supervision as s
from projection.views.common import Ask, day_of
from projection.views.funds import programme_figures
from projection.views.members import training, year_of
from projection.views.model import Card, Chart, Column, Series, Table, View, pct
from projection.views.relief import HOUSEHOLD_TALLY, TARGETS, activity_figures

Indicator = tuple[str, float, float]

#: The plan's measures (number → title, lead post, deadline) for measures not yet registered.
PLAN = {
    1: ("开展精准扶贫", "分管农业的负责人", "2016-12"),
    2: ("落实重点民生实事项目", "分管实事工作的负责人", "2016-12"),
    3: ("推进基层服务阵地提质改造", "分管党政综合办的负责人", "2017-12"),
    4: ("发展壮大村级集体经济", "分管经济发展工作的负责人", "2017-12"),
    5: ("开展软弱涣散基层组织整顿", "组织委员", "2016-12"),
    6: ("完善乡村治理机制", "组织委员", "2016-12"),
    7: ("开展矛盾纠纷集中排查化解", "党委副书记", "2016-12"),
    8: ("实施党员教育培训“五项计划”", "组织委员", "2016-12"),
    9: ("推行党员积分制管理", "组织委员", "2016-12"),
    10: ("调整不胜任现职村干部", "组织委员", "长期"),
    11: ("开展“为官不为”专项整治", "组织委员", "长期"),
    12: ("开展“政令不畅”专项督查", "纪委书记", "长期"),
    13: ("开展基层“雁过拔毛”式腐败治理", "纪委书记", "2016-12"),
    14: ("开展惠农涉农资金专项整治", "分管经济发展工作的负责人", "2016-12"),
}


def _share(label: str, entities: Sequence[Entity], done: set[str]) -> Indicator:
    return (label, sum(1 for e in entities if (e.status or "") in done), len(entities))


def _done(label: str, groups: list[dict[str, Any]], done: set[str]) -> Indicator:
    """(label, how many of the counted entities are in a done status, how many there are)."""
    return (
        label,
        sum(g["n"] for g in groups if (g["status"] or "") in done),
        sum(g["n"] for g in groups),
    )


async def indicators(snap: Snapshot, ask: Ask) -> dict[int, list[Indicator]]:
    """Every measure's indicators (label, done, target) from the facts: counts of the many
    (households, cases, members …) from the counts or one aggregate query each; the few
    (sites, stations, villages' economies, branches) as entities."""
    cut, village = ask.window.cutoff, ask.village

    async def by_status(kind: str) -> list[dict[str, Any]]:
        return await snap.tally(Tally(kind), cutoff=cut, village=village)

    ents = {
        kind: await ask.entities(snap, kind)
        for kind in (r.SITE, r.STATION, f.COLLECTIVE, pt.BRANCH)
    }
    out: dict[int, list[Indicator]] = {}
    homes = await snap.tally(HOUSEHOLD_TALLY, cutoff=cut, village=village)
    registered = sum(g["n"] for g in homes)
    act = await activity_figures(snap, ask)
    out[1] = [
        ("脱贫户", sum(g["n"] for g in homes if g["status"] == "exited"), registered),
        ("结对帮扶户", sum(g["paired"] for g in homes), registered),
        ("公益性岗位、就业岗位", act["posts"], TARGETS["posts"]),
        ("帮助贫困生", act["students"], TARGETS["students"]),
        ("义诊", act["free-clinics"], TARGETS["free-clinics"]),
        ("义诊医务人员", act["medical-staff"], TARGETS["medical-staff"]),
        ("企业联省定贫困村", act["enterprise-village"], act["poor_villages"]),
    ]
    out[2] = [_done("项目验收", await by_status(r.PROJECT), {"accepted", "after_care"})]
    villages = [v for v in ask.town.villages if v.kind == "village"]
    out[3] = [
        _share("社区服务场所达标", ents[r.SITE], {"compliant"}),
        ("村级便民服务站", len(ents[r.STATION]), 1 if ask.village else len(villages)),
    ]
    listed = [e for e in ents[f.COLLECTIVE] if e.get("zero_year") is not None]
    zero = [e for e in listed if e.status == "zero"]
    out[4] = [
        ("清零村销号", len(listed) - len(zero), len(listed)),
        ("清零村有联点负责人", sum(1 for e in zero if e.get("leader_name")), len(zero)),
        ("清零村有一村一策", sum(1 for e in zero if e.get("plan_title")), len(zero)),
    ]
    weak = [b for b in ents[pt.BRANCH] if b.status == "weak"]
    out[5] = [
        ("软弱涣散支部选派第一书记", sum(1 for b in weak if b.get("first_secretary")), len(weak)),
        (
            "联点领导到点指导",
            sum(min(int(b.get("leader_visits") or 0), 4) for b in weak),
            4 * len(weak),
        ),
        (
            "联系点走访面",
            sum(pct(b.get("households_visited", 0), b.get("households_total", 0)) for b in weak),
            100 * len(weak),
        ),
    ]
    disclosed = {
        v
        for _, v, _ in await snap.flow_counts(
            ["funds.FinanceDisclosed"], start=ask.window.flow_start, cutoff=cut, village=village
        )
    }
    out[6] = [("村级财务公开", len(disclosed), 1 if ask.village else len(ask.town.villages))]
    out[7] = [_done("信访件化解", await by_status(s.PETITION), set(s.DONE[s.PETITION]))]
    trained = await training(snap, ask)
    out[8] = [(c.label, *_ratio(c.value)) for c in trained.cards]
    out[9] = [await _graded(snap, ask)]
    out[10] = [
        _done(
            "调整案件办结", await by_status(pt.ADJUSTMENT), {"notified", "reviewed", "reappointed"}
        )
    ]
    clues = await snap.tally(Tally(s.CLUE, by=("category", "status")), cutoff=cut, village=village)
    for number, category in ((11, "为官不为"), (13, "雁过拔毛")):
        mine = [g for g in clues if g["category"] == category]
        out[number] = [_done("线索办结", mine, set(s.DONE[s.CLUE]))]
    out[12] = [_done("批示交办件办结", await by_status(s.DIRECTIVE), set(s.DONE[s.DIRECTIVE]))]
    flags = await by_status(f.RED_FLAG)
    handled = {"explained", "confirmed", "accountability", "dismissed"}
    out[13].append(_done("资金预警处理", flags, handled))
    money = await programme_figures(snap, ask)
    payments = sum(row["payments"] for row in money["per"].values())
    on_time = sum(row["on_time"] for row in money["per"].values())
    out[14] = [_done("资金预警处理", flags, handled), ("按期发放", on_time, payments)]
    items = await snap.tally(Tally(s.ITEM, by=("measure", "status")), cutoff=cut, village=village)
    by_measure: Counter[int] = Counter()
    closed: Counter[int] = Counter()
    for group in items:
        number = _measure_number(group["measure"])
        by_measure[number] += group["n"]
        closed[number] += group["n"] if group["status"] == "closed" else 0
    for number in PLAN:
        if by_measure[number]:
            out.setdefault(number, []).append(("清单事项销号", closed[number], by_measure[number]))
    return out


def _measure_number(text: str | None) -> int:
    try:
        return int(float(text or 0))
    except ValueError:
        return 0


async def _graded(snap: Snapshot, ask: Ask) -> Indicator:
    """Measure 9: members graded for the year graded last (points of a year still running are
    not yet graded, from 1 December), of the members who have not left."""
    cut, village = ask.window.cutoff, ask.village
    staying = Not(StatusIn(("left",)))
    graded_years = await snap.object_keys(
        pt.MEMBER, ["grades"], cutoff=cut, village=village, where=staying
    )
    if graded_years:
        year = max(graded_years)
    else:
        known = await snap.object_keys(
            pt.MEMBER, ["points", "grades"], cutoff=cut, village=village, where=staying
        )
        year = str(year_of(ask, known))
    groups = await snap.tally(
        Tally(pt.MEMBER, conditions={"graded": HasEntry("grades", year)}),
        cutoff=cut,
        village=village,
    )
    staying_groups = [g for g in groups if g["status"] != "left"]
    return (
        "党员年度评定",
        sum(g["graded"] for g in staying_groups),
        sum(g["n"] for g in staying_groups),
    )


def _ratio(text: str) -> tuple[float, float]:
    done, _, target = text.partition("/")
    try:
        return float(done), float(target)
    except ValueError:
        return 0.0, 0.0


def progress(found: list[Indicator]) -> float | None:
    """The mean of the indicators that have a target, each capped at 100 %."""
    parts = [min(done / target, 1.0) for _, done, target in found if target > 0]
    return round(100 * sum(parts) / len(parts), 1) if parts else None


async def overview(snap: Snapshot, ask: Ask) -> View:
    """The 14 measures."""
    view = View("overview", "领导驾驶舱 · 十四项主要措施", ask.window, ask.village)
    registered = {
        int(m.get("number") or 0): m
        for m in await snap.entities(s.MEASURE, cutoff=ask.window.cutoff)
    }
    found = await indicators(snap, ask)
    ref = ask.reference_day
    table = Table(
        "measures",
        "十四项主要措施",
        [
            Column("number", "序号", "int"),
            Column("title", "措施"),
            Column("lead_post", "牵头领导"),
            Column("lead_units", "牵头单位"),
            Column("deadline", "时限"),
            Column("progress", "进度", "pct"),
            Column("state", "状态", "status"),
            Column("overdue", "逾期", "bool"),
            Column("indicators", "依据", "note"),
        ],
    )
    for number, (title, lead, deadline) in PLAN.items():
        m = registered.get(number)
        done = progress(found.get(number, []))
        due = day_of(m.get("due_on") if m else None) or day_of(deadline)
        late = due is not None and ref > due and (done is None or done < 100)
        if m is None:
            state = "未登记督办"
        elif done is not None and done >= 100:
            state = "已完成"
        elif late:
            state = "逾期"
        else:
            state = "推进中"
        table.rows.append(
            {
                "stream_id": m.stream_id if m else "",
                "number": number,
                "title": m.get("title", title) if m else title,
                "lead_post": m.get("lead_post", lead) if m else lead,
                "lead_units": "、".join(m.get("lead_units") or []) if m else "",
                "deadline": m.get("deadline", deadline) if m else deadline,
                "progress": done if done is not None else "",
                "state": state,
                "overdue": late,
                "indicators": "；".join(
                    f"{label} {_num(d)}/{_num(t)}" for label, d, t in found.get(number, []) if t
                ),
            }
        )
    states = Counter(row["state"] for row in table.rows)
    late_count = sum(1 for row in table.rows if row["overdue"])
    values = [float(row["progress"]) for row in table.rows if row["progress"] != ""]
    view.cards += [
        Card("主要措施", "14", f"已登记督办 {len(registered)} 项"),
        Card("平均进度", f"{round(sum(values) / len(values), 1) if values else 0}%", "按事实计算"),
        Card("已完成", str(states["已完成"]), "项", "ok"),
        Card("逾期", str(late_count), "项（过时限且未完成）", "bad" if late_count else "ok"),
    ]
    view.charts.append(
        Chart(
            "progress",
            "各项措施进度",
            "hbar",
            [f"{row['number']}. {row['title']}" for row in table.rows],
            [Series("进度", [float(row["progress"] or 0) for row in table.rows])],
            "%",
        )
    )
    view.tables.append(table)
    return view


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
