"""Relief views (measures 1–3): households by village, the five activities against the plan's
targets, livelihood projects, service sites and stations."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from projection.adapters.queries import Condition, IsSet, Not, Sort, StatusIn, Tally
from projection.adapters.reader import Entity, Snapshot
from projection.domain import relief as r
from projection.views.basis import EntityQuery, EventQuery, of_events, of_query
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
from shared.clock import china_date
from shared.kernel import medical_staff_key, student_key

#: The plan's targets for the five activities (measure 1), used when supervision's measure
#: record does not state them.
TARGETS = {"posts": 50, "students": 10, "free-clinics": 4, "medical-staff": 10}
ACTIVITY_TYPES = [
    "relief.EnterprisePairedWithVillage",
    "relief.PostsProvided",
    "relief.StudentHelped",
    "relief.FreeClinicHeld",
]


#: The household list's sortable columns (column key → order in SQL). Not the head's name:
#: it is stored encrypted (a token, `shared.personal`), whose order means nothing.
HOUSEHOLD_SORTS = {
    "village": Sort("village"),
    "status": Sort("status"),
    "member_count": Sort("member_count", numeric=True),
    "registered_on": Sort("registered_on"),
    "visits": Sort("visits", numeric=True),
    "last_visited_on": Sort("last_visited_on"),
}
#: Households by village and status, paired, and visited: as of the state (a visit recorded)
#: when no period is asked, else with a visit that occurred in the period.
HOUSEHOLD_TALLY = Tally(
    r.HOUSEHOLD,
    by=("village", "status"),
    conditions={"paired": IsSet("paired"), "visited": IsSet("visits")},
)
HOUSEHOLD_PERIOD_TALLY = Tally(
    r.HOUSEHOLD,
    by=("village", "status"),
    conditions={"paired": IsSet("paired")},
    facts={"visited": ("relief.HouseholdVisited",)},
)
FLOW_TYPES = ["relief.HouseholdRegistered", "relief.HouseholdExitedPoverty"]
HOMES = (r.HOUSEHOLD,)
#: What each count of the village table counts (事实依据): households as of the ask …
HOUSEHOLD_BASES: dict[str, Condition | None] = {
    "registered": None,
    "poor": Not(StatusIn(("exited", "returned"))),
    "exited": StatusIn(("exited",)),
    "returned": StatusIn(("returned",)),
}
#: … and events in the asked period.
PERIOD_BASES = {
    "new_in_period": "relief.HouseholdRegistered",
    "exits_in_period": "relief.HouseholdExitedPoverty",
}


async def households(snap: Snapshot, ask: Ask) -> View:
    """扶贫攻坚 · 分村: households registered / exited / returned, paired and visited."""
    view = View("relief/villages", "精准扶贫 · 分村情况", ask.window, ask.village)
    w = ask.window
    counted = await snap.tally(
        HOUSEHOLD_PERIOD_TALLY if w.start else HOUSEHOLD_TALLY,
        cutoff=w.cutoff,
        start=w.flow_start,
        village=ask.village,
    )
    period_counts: Counter[tuple[str, str]] = Counter()
    for kind, village, n in await snap.flow_counts(
        FLOW_TYPES, start=w.flow_start, cutoff=w.cutoff, village=ask.village
    ):
        period_counts[(village or "", kind.rsplit(".", 1)[-1])] += n
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for group in counted:
        row = per[group["village"] or ""]
        row["registered"] += group["n"]
        row["exited"] += group["n"] if group["status"] == "exited" else 0
        row["returned"] += group["n"] if group["status"] == "returned" else 0
        row["paired"] += group["paired"]
        row["visited"] += group["visited"]
    table = Table(
        "villages",
        "分村统计",
        [
            Column("village", "村/社区"),
            Column("registered", "建档立卡户", "int"),
            Column("poor", "在档贫困户", "int"),
            Column("exited", "已脱贫", "int"),
            Column("returned", "返贫", "int"),
            Column("exit_pct", "脱贫率", "pct"),
            Column("paired_pct", "结对率", "pct"),
            Column("visited_pct", "走访率", "pct"),
            Column("new_in_period", "期内新建档", "int"),
            Column("exits_in_period", "期内脱贫", "int"),
        ],
    )
    for village in ask.villages():
        c = per.get(village, Counter())
        if not c["registered"] and not ask.village:
            continue
        cells: dict[str, Any] = {
            "village": village,
            "registered": c["registered"],
            # relief's 在档贫困户 is a status of its own: not exited, not back in poverty
            "poor": c["registered"] - c["exited"] - c["returned"],
            "exited": c["exited"],
            "returned": c["returned"],
            "exit_pct": pct(c["exited"], c["registered"]),
            "paired_pct": pct(c["paired"], c["registered"]),
            "visited_pct": pct(c["visited"], c["registered"]),
            "new_in_period": period_counts.get((village, "HouseholdRegistered"), 0),
            "exits_in_period": period_counts.get((village, "HouseholdExitedPoverty"), 0),
        }
        table.rows.append(cells)
        for column, where in HOUSEHOLD_BASES.items():
            table.based(cells, column, of_query(cells[column], EntityQuery(HOMES, where, village)))
        for column, event in PERIOD_BASES.items():
            table.based(cells, column, of_query(cells[column], EventQuery((event,), village)))
    total = sum(c["registered"] for c in per.values())
    exited = sum(c["exited"] for c in per.values())
    paired = sum(c["paired"] for c in per.values())
    visited = sum(c["visited"] for c in per.values())
    returned = sum(c["returned"] for c in per.values())
    view.cards += [
        Card("建档立卡户", str(total), "户", basis=of_query(total, EntityQuery(HOMES))),
        Card(
            "已脱贫",
            str(exited),
            f"脱贫率 {pct(exited, total)}%",
            tone_for(pct(exited, total)),
            of_query(exited, EntityQuery(HOMES, HOUSEHOLD_BASES["exited"])),
        ),
        Card(
            "返贫",
            str(returned),
            "户",
            "bad" if returned else "ok",
            of_query(returned, EntityQuery(HOMES, HOUSEHOLD_BASES["returned"])),
        ),
        Card(
            "结对帮扶",
            f"{pct(paired, total)}%",
            ratio_text(paired, total),
            tone_for(pct(paired, total)),
            of_query(paired, EntityQuery(HOMES, IsSet("paired"))),
        ),
        Card(
            "走访覆盖",
            f"{pct(visited, total)}%",
            ratio_text(visited, total),
            tone_for(pct(visited, total)),
            # in a period: households with a visit in it, counted from the visits (no list)
            None if w.start else of_query(visited, EntityQuery(HOMES, IsSet("visits"))),
        ),
    ]
    shown = [row for row in table.rows if row["registered"]]
    view.charts.append(
        Chart(
            "by_village",
            "分村贫困户状态",
            "bar",
            [row["village"] for row in shown],
            [
                Series(
                    name,
                    [row[column] for row in shown],
                    "s",
                    [table.basis_of(column, row["village"]) for row in shown],
                )
                for name, column in (
                    ("在档贫困户", "poor"),
                    ("返贫", "returned"),
                    ("已脱贫", "exited"),
                )
            ],
            "户",
        )
    )
    view.charts.append(
        Chart(
            "coverage",
            "结对与走访覆盖率",
            "bar",
            [row["village"] for row in shown],
            [
                Series("结对率", [row["paired_pct"] for row in shown]),
                Series("走访率", [row["visited_pct"] for row in shown]),
            ],
            "%",
        )
    )
    view.tables.append(table)
    households_table = Table(
        "households",
        "贫困户明细",
        [
            Column("head_name", "户主"),
            Column("head_id_number", "户主身份证号"),
            Column("village", "村/社区"),
            Column("status", "状态", "status"),
            Column("member_count", "人口", "int"),
            Column("registered_on", "建档日期", "date"),
            Column("exited_on", "脱贫日期", "date"),
            Column("helper_name", "帮扶责任人"),
            Column("visits", "走访次数", "int"),
            Column("last_visited_on", "最近走访", "date"),
        ],
    )
    view.tables.append(
        await entity_table(snap, ask, households_table, r.HOUSEHOLD, HOUSEHOLD_SORTS, _home)
    )
    view.notes.append(
        "走访率按所选期间内有走访记录的户计算；未选期间时为截至查询日已有走访记录的户。"
    )
    return view


def _home(h: Entity) -> dict[str, Any]:
    return entity_row(
        h,
        head_name=h.get("head_name", ""),
        head_id_number=h.get("head_id_number", ""),
        member_count=h.get("member_count", 0),
        registered_on=h.get("registered_on", ""),
        exited_on=h.get("exited_on", "") if h.status == "exited" else "",
        helper_name=h.get("helper_name", ""),
        visits=h.get("visits", 0),
        last_visited_on=h.get("last_visited_on", ""),
    )


async def activity_figures(snap: Snapshot, ask: Ask) -> dict[str, Any]:
    """The five activities' counts in the asked window (used by the overview too)."""
    facts = await ask.facts(snap, ACTIVITY_TYPES)
    kinds = Counter(f.event_type.rsplit(".", 1)[-1] for f in facts)
    staff = {
        medical_staff_key(str(name))
        for f in facts
        if f.event_type == "relief.FreeClinicHeld"
        for name in f.payload.get("medical_staff") or []
    }
    students = {_student(f) for f in facts if f.event_type == "relief.StudentHelped"}
    posts = sum(
        int(f.payload.get("posts") or 0) for f in facts if f.event_type == "relief.PostsProvided"
    )
    poor = {v.name for v in ask.town.villages if v.poor_village}
    pairing = {
        str(f.payload.get("village"))
        for f in facts
        if f.event_type == "relief.EnterprisePairedWithVillage"
    }
    first_help: dict[tuple[str, str], Any] = {}
    for f in facts:
        if f.event_type == "relief.StudentHelped":
            first_help.setdefault(_student(f), f)
    first_pairing: dict[str, Any] = {}
    for f in facts:
        village = str(f.payload.get("village"))
        if f.event_type == "relief.EnterprisePairedWithVillage" and village in poor:
            first_pairing.setdefault(village, f)
    bases = {
        "posts": of_events(
            (f for f in facts if f.event_type == "relief.PostsProvided"), sums="posts"
        ),
        "students": of_events(first_help.values()),  # a student once: the first help
        "free-clinics": of_events(f for f in facts if f.event_type == "relief.FreeClinicHeld"),
        "enterprise-village": of_events(first_pairing.values()),  # a poor village once
    }
    return {
        "facts": facts,
        "bases": bases,
        "posts": posts,
        "students": len(students),
        "free-clinics": kinds["FreeClinicHeld"],
        "medical-staff": len(staff),
        "enterprise-village": len(pairing & poor),
        "poor_villages": len(poor),
    }


async def activities(snap: Snapshot, ask: Ask) -> View:
    """五大活动 · 对照目标: 50 posts, 10 students, 4 clinics by 10 medical staff, 石壁村."""
    view = View("relief/activities", "五大活动 · 对照方案目标", ask.window, ask.village)
    fig = await activity_figures(snap, ask)
    rows = [
        ("企业联农村（省定贫困村）", fig["enterprise-village"], fig["poor_villages"] or 1, "个"),
        ("公益性岗位、就业岗位", fig["posts"], TARGETS["posts"], "个"),
        ("帮助贫困生", fig["students"], TARGETS["students"], "名"),
        ("义诊场次", fig["free-clinics"], TARGETS["free-clinics"], "场"),
        ("参与义诊医务人员", fig["medical-staff"], TARGETS["medical-staff"], "名"),
    ]
    keys = ["enterprise-village", "posts", "students", "free-clinics", "medical-staff"]
    for (label, done, target, unit), key in zip(rows, keys, strict=True):
        view.cards.append(
            Card(
                label,
                ratio_text(done, target),
                unit,
                tone_for(pct(done, target)),
                # 医务人员 are people named across clinics: the clinics list them (义诊场次)
                fig["bases"].get(key),
            )
        )
    view.charts.append(
        Chart(
            "against_targets",
            "完成进度（占方案目标）",
            "hbar",
            [label for label, *_ in rows],
            [Series("完成率", [min(pct(done, target), 100.0) for _, done, target, _ in rows])],
            "%",
        )
    )
    per: dict[str, Counter[str]] = defaultdict(Counter)
    students: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for f in fig["facts"]:
        kind = f.event_type.rsplit(".", 1)[-1]
        if kind == "StudentHelped":
            students[f.village or ""].add(_student(f))
            per[f.village or ""][kind] = len(students[f.village or ""])
        else:
            per[f.village or ""][kind] += int(f.payload.get("posts") or 1)
    by_village = Table(
        "by_village",
        "分村完成情况",
        [
            Column("village", "村/社区"),
            Column("posts", "岗位", "int"),
            Column("students", "贫困生", "int"),
            Column("clinics", "义诊", "int"),
            Column("enterprises", "企业结对", "int"),
        ],
    )
    for v, c in sorted(per.items()):
        row = {
            "village": v,
            "posts": c["PostsProvided"],
            "students": c["StudentHelped"],
            "clinics": c["FreeClinicHeld"],
            "enterprises": c["EnterprisePairedWithVillage"],
        }
        by_village.rows.append(row)
        here = [f for f in fig["facts"] if (f.village or "") == v]
        first: dict[tuple[str, str], Any] = {}
        for f in here:
            if f.event_type == "relief.StudentHelped":
                first.setdefault(_student(f), f)
        by_village.based(
            row,
            "posts",
            of_events((f for f in here if f.event_type == "relief.PostsProvided"), sums="posts"),
        )
        by_village.based(row, "students", of_events(first.values()))
        for column, kind in (
            ("clinics", "FreeClinicHeld"),
            ("enterprises", "EnterprisePairedWithVillage"),
        ):
            by_village.based(
                row, column, of_events(f for f in here if f.event_type == f"relief.{kind}")
            )
    view.tables.append(by_village)
    labels = {t: rule.label for t, rule in r.RULES.items()}
    view.tables.append(
        Table(
            "records",
            "活动记录",
            [
                Column("activity", "活动"),
                Column("village", "村/社区"),
                Column("on", "日期", "date"),
                Column("detail", "内容", "note"),
                Column("student_name", "贫困生"),
            ],
            [
                {
                    "stream_id": f.stream_id,
                    "activity": labels.get(f.event_type, f.event_type),
                    "village": f.village or "",
                    "on": china_date(f.occurred_at).isoformat(),
                    "detail": _activity_detail(f.payload),
                    "student_name": f.payload.get("student_name", ""),
                }
                for f in page_of(ask, fig["facts"])
            ],
            page=page_info(ask, len(fig["facts"])),
        )
    )
    return view


def _student(fact: Any) -> tuple[str, str]:
    """The student a help record is for, as relief counts students (one definition)."""
    p = fact.payload
    return student_key(str(p.get("village") or fact.village or ""), str(p.get("student_name")))


def _activity_detail(p: dict[str, Any]) -> str:
    if "posts" in p:
        kind = "公益性岗位" if p.get("kind") == "public_welfare" else "就业岗位"
        return f"{p.get('employer', '')} 提供{kind} {p.get('posts')} 个"
    if "school" in p:
        return f"{p.get('school', '')}：{p.get('support', '')}"
    if "medical_staff" in p:
        return f"医务人员 {len(p.get('medical_staff') or [])} 名，服务 {p.get('patients', 0)} 人次"
    return f"{p.get('enterprise', '')}：{p.get('content', '')}"
