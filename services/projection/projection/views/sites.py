"""Relief views of measures 2 and 3: livelihood projects (民生实事) by status and category, and
service sites (社区服务场所 ≥ 600 m², 五统一) and village service stations."""

from __future__ import annotations

from collections import Counter, defaultdict

from projection.adapters.queries import StatusIn, Tally
from projection.adapters.reader import Snapshot
from projection.domain import relief as r
from projection.domain.catalogue import status_label
from projection.views.basis import EntityQuery, of_entities, of_query
from projection.views.common import Ask, by_status, entity_row, overdue_days
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

#: The agency ledger's statuses (relief's AgencyItem.status) as the by-village table names them.
AGENCY_COLUMNS = (
    ("received", "已受理未办结"),
    ("handled", "已办结未签收"),
    ("signed_off", "已签收"),
)


async def projects(snap: Snapshot, ask: Ask) -> View:
    """民生实事项目 (measure 2): by status and category, overdue ones highlighted."""
    view = View("relief/projects", "民生实事项目", ask.window, ask.village)
    items = await ask.entities(snap, r.PROJECT)
    ref = ask.reference_day
    statuses = by_status(items)
    done = statuses["accepted"] + statuses["after_care"]
    overdue = [
        p
        for p in items
        if overdue_days(p.get("due_on"), ref, done=p.status in ("accepted", "after_care"))
    ]
    view.cards += [
        Card("项目总数", str(len(items)), "项", basis=of_entities(items)),
        Card(
            "已验收",
            str(done),
            f"{pct(done, len(items))}%",
            tone_for(pct(done, len(items))),
            of_entities(p for p in items if p.status in ("accepted", "after_care")),
        ),
        Card(
            "实施中",
            str(statuses["in_progress"]),
            "项",
            basis=of_entities(p for p in items if p.status == "in_progress"),
        ),
        Card(
            "逾期未验收", str(len(overdue)), "项", "bad" if overdue else "ok", of_entities(overdue)
        ),
    ]
    order = ["listed", "in_progress", "accepted", "after_care"]
    view.charts.append(
        Chart(
            "by_status",
            "项目状态",
            "pie",
            [status_label(r.PROJECT, s) for s in order],
            [
                Series(
                    "项目",
                    [statuses[s] for s in order],
                    bases=[of_entities(p for p in items if p.status == s) for s in order],
                )
            ],
            "项",
        )
    )
    cats = Counter(str(p.get("category", "")) for p in items)
    view.charts.append(
        Chart(
            "by_category",
            "项目类别",
            "bar",
            [r.PROJECT_CATEGORIES.get(c, c) for c in cats],
            [
                Series(
                    "项目",
                    list(cats.values()),
                    bases=[
                        of_entities(p for p in items if str(p.get("category", "")) == c)
                        for c in cats
                    ],
                )
            ],
            "项",
        )
    )
    view.tables.append(
        Table(
            "projects",
            "项目清单",
            [
                Column("project_name", "项目"),
                Column("category", "类别"),
                Column("village", "村/社区"),
                Column("lead_unit", "牵头单位"),
                Column("status", "状态", "status"),
                Column("due_on", "计划完成", "date"),
                Column("accepted_on", "验收日期", "date"),
                Column("overdue_days", "逾期天数", "flag"),
            ],
            [
                entity_row(
                    p,
                    village=p.village or "全镇",
                    project_name=p.get("name", ""),
                    category=r.PROJECT_CATEGORIES.get(p.get("category", ""), p.get("category", "")),
                    lead_unit=p.get("lead_unit", ""),
                    due_on=p.get("due_on", ""),
                    accepted_on=p.get("accepted_on", ""),
                    overdue_days=overdue_days(
                        p.get("due_on"), ref, done=p.status in ("accepted", "after_care")
                    ),
                )
                for p in items
            ],
        )
    )
    return view


async def sites(snap: Snapshot, ask: Ask) -> View:
    """基层服务阵地 (measure 3): community sites ≥ 600 m² with the 五统一, village stations."""
    view = View("relief/sites", "基层服务阵地提质改造", ask.window, ask.village)
    found = await ask.entities(snap, [r.SITE, r.STATION])
    site_list = [e for e in found if e.kind == r.SITE]
    stations = [e for e in found if e.kind == r.STATION]
    # agency requests (代办) are many: counted by village and status, not read
    agency = await snap.tally(
        Tally(r.AGENCY, by=("village", "status")), cutoff=ask.window.cutoff, village=ask.village
    )
    ledger: dict[str, Counter[str]] = defaultdict(Counter)
    for group in agency:
        ledger[group["village"] or ""][group["status"]] += group["n"]
    compliant = sum(1 for s in site_list if s.status == "compliant")
    open_agency = sum(c["received"] for c in ledger.values())
    village_count = sum(1 for v in ask.town.villages if v.kind == "village")
    view.cards += [
        Card(
            "社区服务场所达标",
            ratio_text(compliant, len(site_list)),
            "个",
            tone_for(pct(compliant, len(site_list))),
            of_entities(s for s in site_list if s.status == "compliant"),
        ),
        Card(
            "村级便民服务站",
            ratio_text(len(stations), village_count),
            "个",
            basis=of_entities(stations),
        ),
        Card(
            "代办事项",
            str(sum(c.total() for c in ledger.values())),
            f"未办结 {open_agency}",
            basis=of_query(sum(c.total() for c in ledger.values()), EntityQuery((r.AGENCY,))),
        ),
    ]
    view.tables.append(
        Table(
            "sites",
            "社区服务场所",
            [
                Column("site_name", "场所"),
                Column("village", "社区"),
                Column("area_m2", "面积(m²)", "int"),
                Column("unified", "五统一", "text"),
                Column("status", "状态", "status"),
            ],
            [
                entity_row(
                    s,
                    site_name=s.get("name", ""),
                    area_m2=s.get("area_m2", ""),
                    unified=f"{len(s.get('unified_items', []))}/5",
                )
                for s in site_list
            ],
        )
    )
    view.tables.append(
        Table(
            "stations",
            "村级便民服务站",
            [
                Column("station_name", "服务站"),
                Column("village", "村"),
                Column("rotas", "值班表", "int"),
                Column("agency", "代办件", "int"),
            ],
            [
                entity_row(
                    s,
                    station_name=s.get("name", ""),
                    rotas=s.get("rotas", 0),
                    agency=ledger[s.village or ""].total(),
                )
                for s in stations
            ],
        )
    )
    by_village = Table(
        "agency",
        "代办台账（分村）",
        [
            Column("village", "村/社区"),
            *(Column(s, title, "int") for s, title in AGENCY_COLUMNS),
            Column("total", "合计", "int"),
        ],
    )
    for v in ask.villages():
        if not (c := ledger.get(v)):
            continue
        row = {"village": v, **{s: c[s] for s, _ in AGENCY_COLUMNS}, "total": c.total()}
        by_village.rows.append(row)
        by_village.based(row, "total", of_query(c.total(), EntityQuery((r.AGENCY,), None, v)))
        for status, _ in AGENCY_COLUMNS:
            where = EntityQuery((r.AGENCY,), StatusIn((status,)), v)
            by_village.based(row, status, of_query(c[status], where))
    view.tables.append(by_village)
    return view
