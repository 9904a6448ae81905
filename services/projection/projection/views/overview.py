"""领导驾驶舱 · 总览: the plan's 14 measures with lead, deadline, status and progress.

Lead, units and deadline come from supervision's `MeasureRegistered` events (the plan's text
below fills in a measure not registered yet). Progress is computed from the facts, as the mean
of the measure's indicators, each capped at 100 %:

 1 精准扶贫: households exited / registered; paired; posts 50; students 10; clinics 4; staff 10;
   enterprise pairing with the poor village
 2 民生实事: projects accepted / listed
 3 阵地建设: community sites compliant / registered; village stations / villages
 4 集体经济: zero-income villages cleared / listed; with a linked leader; with a 一村一策 plan;
   集体经济项目经“四议两公开”: collective-project decisions whose resolution was disclosed /
   collective-project decisions
 5 软弱涣散: weak branches with a first secretary; leader visits ≥ 4; household visits 100 %
 6 乡村治理: villages that disclosed their finances in the period / villages; 小微权力清单:
   villages with a list published for the year / villages; 村务监督委员会年度报告: villages whose
   committee reported for the year / villages (the year: the period's, else the newest with a
   report or an overdue report up to the day); 四议两公开结果公开: decisions whose result was
   disclosed / decisions whose resolution was (issue 15)
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

from projection.adapters.queries import (
    Both,
    Condition,
    Equals,
    HasEntry,
    IsSet,
    Not,
    StatusIn,
    Tally,
)
from projection.adapters.reader import Entity, LoggedEvent, Snapshot
from projection.domain import funds as f
from projection.domain import party as pt
from projection.domain import relief as r
from projection.domain import supervision as s
from projection.views.basis import Basis, EntityQuery, of_entities, of_events, of_query
from projection.views.common import Ask, day_of
from projection.views.funds import programme_figures
from projection.views.governance import (
    DISCLOSED,
    committee_years,
    governance_year,
    reported,
)
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


async def indicators(
    snap: Snapshot, ask: Ask, bases: dict[tuple[int, str], Basis] | None = None
) -> dict[int, list[Indicator]]:
    """Every measure's indicators (label, done, target) from the facts: counts of the many
    (households, cases, members …) from the counts or one aggregate query each; the few
    (sites, stations, villages' economies, branches) as entities. With `bases`, what each
    indicator's done count counts (事实依据) goes there, by (measure, label)."""
    cut, village = ask.window.cutoff, ask.village
    found: dict[tuple[int, str], Basis] = {} if bases is None else bases

    def entities_in(kind: str, where: Condition) -> EntityQuery:
        return EntityQuery((kind,), where)

    async def by_status(kind: str) -> list[dict[str, Any]]:
        return await snap.tally(Tally(kind), cutoff=cut, village=village)

    ents = {
        kind: await ask.entities(snap, kind)
        for kind in (r.SITE, r.STATION, f.COLLECTIVE, pt.BRANCH, f.DECISION, s.POWERS, s.COMMITTEE)
    }
    out: dict[int, list[Indicator]] = {}
    homes = await snap.tally(HOUSEHOLD_TALLY, cutoff=cut, village=village)
    registered = sum(g["n"] for g in homes)
    act = await activity_figures(snap, ask)
    exited = sum(g["n"] for g in homes if g["status"] == "exited")
    paired = sum(g["paired"] for g in homes)
    found[(1, "脱贫户")] = of_query(exited, entities_in(r.HOUSEHOLD, StatusIn(("exited",))))
    found[(1, "结对帮扶户")] = of_query(paired, entities_in(r.HOUSEHOLD, IsSet("paired")))
    for label, key in (
        ("公益性岗位、就业岗位", "posts"),
        ("帮助贫困生", "students"),
        ("义诊", "free-clinics"),
        ("企业联省定贫困村", "enterprise-village"),
    ):
        found[(1, label)] = act["bases"][key]
    out[1] = [
        ("脱贫户", exited, registered),
        ("结对帮扶户", paired, registered),
        ("公益性岗位、就业岗位", act["posts"], TARGETS["posts"]),
        ("帮助贫困生", act["students"], TARGETS["students"]),
        ("义诊", act["free-clinics"], TARGETS["free-clinics"]),
        ("义诊医务人员", act["medical-staff"], TARGETS["medical-staff"]),
        ("企业联省定贫困村", act["enterprise-village"], act["poor_villages"]),
    ]
    out[2] = [_done("项目验收", await by_status(r.PROJECT), {"accepted", "after_care"})]
    found[(2, "项目验收")] = of_query(
        out[2][0][1], entities_in(r.PROJECT, StatusIn(("accepted", "after_care")))
    )
    villages = [v for v in ask.town.villages if v.kind == "village"]
    out[3] = [
        _share("社区服务场所达标", ents[r.SITE], {"compliant"}),
        ("村级便民服务站", len(ents[r.STATION]), 1 if ask.village else len(villages)),
    ]
    found[(3, "社区服务场所达标")] = of_entities(
        e for e in ents[r.SITE] if (e.status or "") == "compliant"
    )
    found[(3, "村级便民服务站")] = of_entities(ents[r.STATION])
    listed = [e for e in ents[f.COLLECTIVE] if e.get("zero_year") is not None]
    zero = [e for e in listed if e.status == "zero"]
    found[(4, "清零村销号")] = of_entities(e for e in listed if e.status != "zero")
    found[(4, "清零村有联点负责人")] = of_entities(e for e in zero if e.get("leader_name"))
    found[(4, "清零村有一村一策")] = of_entities(e for e in zero if e.get("plan_title"))
    out[4] = [
        ("清零村销号", len(listed) - len(zero), len(listed)),
        ("清零村有联点负责人", sum(1 for e in zero if e.get("leader_name")), len(zero)),
        ("清零村有一村一策", sum(1 for e in zero if e.get("plan_title")), len(zero)),
    ]
    projects = [d for d in ents[f.DECISION] if d.get("kind") == "collective_project"]
    four = [d for d in projects if d.status in DISCLOSED]
    found[(4, "集体经济项目经“四议两公开”")] = of_entities(four)
    out[4].append(("集体经济项目经“四议两公开”", len(four), len(projects)))
    weak = [b for b in ents[pt.BRANCH] if b.status == "weak"]
    found[(5, "软弱涣散支部选派第一书记")] = of_entities(
        b for b in weak if b.get("first_secretary")
    )
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
    first_disclosure: dict[str, LoggedEvent] = {}
    for d in await ask.facts(snap, ["funds.FinanceDisclosed"]):
        first_disclosure.setdefault(d.village or "", d)
    found[(6, "村级财务公开")] = of_events(first_disclosure.values())
    n_villages = 1 if ask.village else len(ask.town.villages)
    out[6] = [("村级财务公开", len(first_disclosure), n_villages)]
    power_year = governance_year(ask, {e.get("year") for e in ents[s.POWERS]})
    lists = {e.village: e for e in ents[s.POWERS] if str(e.get("year")) == str(power_year)}
    found[(6, "小微权力清单")] = of_entities(lists.values())
    report_year = governance_year(ask, committee_years(ents[s.COMMITTEE]))
    made = [c for c in ents[s.COMMITTEE] if reported(c, report_year)]
    found[(6, "村务监督委员会年度报告")] = of_entities(made)
    disclosed = [d for d in ents[f.DECISION] if d.status in DISCLOSED]
    results = [d for d in disclosed if d.status == "result_disclosed"]
    found[(6, "四议两公开结果公开")] = of_entities(results)
    out[6] += [
        ("小微权力清单", len(lists), n_villages),
        ("村务监督委员会年度报告", len(made), n_villages),
        ("四议两公开结果公开", len(results), len(disclosed)),
    ]
    out[7] = [_done("信访件化解", await by_status(s.PETITION), set(s.DONE[s.PETITION]))]
    found[(7, "信访件化解")] = of_query(
        out[7][0][1], entities_in(s.PETITION, StatusIn(tuple(s.DONE[s.PETITION])))
    )
    trained = await training(snap, ask)
    out[8] = [(c.label, *_ratio(c.value)) for c in trained.cards]
    found.update({(8, c.label): c.basis for c in trained.cards if c.basis is not None})
    graded, graded_where = await _graded(snap, ask)
    out[9] = [graded]
    found[(9, graded[0])] = of_query(graded[1], entities_in(pt.MEMBER, graded_where))
    adjusted = ("notified", "reviewed", "reappointed")
    out[10] = [_done("调整案件办结", await by_status(pt.ADJUSTMENT), set(adjusted))]
    found[(10, "调整案件办结")] = of_query(
        out[10][0][1], entities_in(pt.ADJUSTMENT, StatusIn(adjusted))
    )
    clues = await snap.tally(Tally(s.CLUE, by=("category", "status")), cutoff=cut, village=village)
    for number, category in ((11, "为官不为"), (13, "雁过拔毛")):
        mine = [g for g in clues if g["category"] == category]
        out[number] = [_done("线索办结", mine, set(s.DONE[s.CLUE]))]
        where = Both(Equals("category", category), StatusIn(tuple(s.DONE[s.CLUE])))
        found[(number, "线索办结")] = of_query(out[number][0][1], entities_in(s.CLUE, where))
    out[12] = [_done("批示交办件办结", await by_status(s.DIRECTIVE), set(s.DONE[s.DIRECTIVE]))]
    found[(12, "批示交办件办结")] = of_query(
        out[12][0][1], entities_in(s.DIRECTIVE, StatusIn(tuple(s.DONE[s.DIRECTIVE])))
    )
    flags = await by_status(f.RED_FLAG)
    handled = ("explained", "confirmed", "accountability", "dismissed")
    out[13].append(_done("资金预警处理", flags, set(handled)))
    for number in (13, 14):
        found[(number, "资金预警处理")] = of_query(
            out[13][-1][1], entities_in(f.RED_FLAG, StatusIn(handled))
        )
    money = await programme_figures(snap, ask)
    payments = sum(row["payments"] for row in money["per"].values())
    on_time = sum(row["on_time"] for row in money["per"].values())
    out[14] = [_done("资金预警处理", flags, set(handled)), ("按期发放", on_time, payments)]
    items = await snap.tally(Tally(s.ITEM, by=("measure", "status")), cutoff=cut, village=village)
    by_measure: Counter[int] = Counter()
    closed: Counter[int] = Counter()
    texts: dict[int, set[str]] = {}
    for group in items:
        number = _measure_number(group["measure"])
        by_measure[number] += group["n"]
        closed[number] += group["n"] if group["status"] == "closed" else 0
        texts.setdefault(number, set()).add(str(group["measure"]))
    for number in PLAN:
        if by_measure[number]:
            out.setdefault(number, []).append(("清单事项销号", closed[number], by_measure[number]))
            if len(texts[number]) == 1:  # one way of writing the measure's number
                where = Both(Equals("measure", texts[number].pop()), StatusIn(("closed",)))
                found[(number, "清单事项销号")] = of_query(
                    closed[number], entities_in(s.ITEM, where)
                )
    return out


#: Indicators whose done figure is not a count of entities or events, and what it is.
DERIVED = {
    "义诊医务人员": "按姓名去重的人数，所在义诊见措施 1“义诊”",
    "联点领导到点指导": "每个软弱涣散支部最多计 4 次的合计",
    "联系点走访面": "各软弱涣散支部走访率之和",
    "按期发放": "各资金项目按期发放笔数之和，明细见“资金项目”",
    "清单事项销号": "按清单事项的措施编号汇总，明细见“三张清单”",
}


def indicator_table(
    found: dict[int, list[Indicator]], bases: dict[tuple[int, str], Basis]
) -> Table:
    """Every indicator behind the measures' progress, its done figure linked to its basis."""
    table = Table(
        "indicators",
        "进度依据的指标",
        [
            Column("indicator", "指标"),
            Column("done", "完成", "int"),
            Column("target", "目标", "int"),
            Column("derived", "说明", "note"),
        ],
        note="点击“完成”的数字查看构成它的对象与事件（事实依据）。",
    )
    for number in PLAN:
        for label, done, target in found.get(number, []):
            basis = bases.get((number, label))
            row = {
                "indicator": f"{number}. {label}",
                "done": int(done) if float(done).is_integer() else round(done, 1),
                "target": int(target) if float(target).is_integer() else round(target, 1),
                "derived": "" if basis is not None else DERIVED.get(label, "由多项数字计算"),
            }
            table.rows.append(row)
            if basis is not None:
                table.based(row, "done", basis)
    return table


def _measure_number(text: str | None) -> int:
    try:
        return int(float(text or 0))
    except ValueError:
        return 0


async def _graded(snap: Snapshot, ask: Ask) -> tuple[Indicator, Condition]:
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
    found = (
        "党员年度评定",
        sum(g["graded"] for g in staying_groups),
        sum(g["n"] for g in staying_groups),
    )
    return found, Both(HasEntry("grades", year), staying)


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
    bases: dict[tuple[int, str], Basis] = {}
    found = await indicators(snap, ask, bases)
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
    view.tables.append(indicator_table(found, bases))
    return view


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
