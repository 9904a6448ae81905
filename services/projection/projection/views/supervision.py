"""Supervision views (measure 7 and the plan's lists): items by status and overdue by leader,
and the petition backlog by focus area."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from projection.adapters.queries import Sort
from projection.adapters.reader import Entity, Snapshot
from projection.domain import supervision as s
from projection.domain.catalogue import status_label
from projection.views.basis import of_entities
from projection.views.common import (
    Ask,
    by_status,
    day_of,
    entity_row,
    entity_table,
    overdue_days,
)
from projection.views.model import Card, Chart, Column, Series, Table, View, pct, tone_for
from shared.kernel import petition_in_backlog

LISTS = ("问题清单", "责任清单", "整改清单")
#: The long lists' sortable columns (column key → order in SQL).
ITEM_SORTS = {
    "list_name": Sort("list_name"),
    "measure": Sort("measure", numeric=True),
    "lead_post": Sort("lead_post"),
    "village": Sort("village"),
    "deadline": Sort("deadline"),
    "status": Sort("status"),
}
PETITION_SORTS = {
    "petitioner_name": Sort("petitioner_name"),
    "village": Sort("village"),
    "focus_area": Sort("focus_area"),
    "received_on": Sort("received_on"),
    "status": Sort("status"),
}
FOCUS_AREAS = ("涉众型经济纠纷", "征地拆迁", "企业改制", "其他")


def is_done(kind: str, status: str | None) -> bool:
    return (status or "") in s.DONE[kind]


async def items(snap: Snapshot, ask: Ask) -> View:
    """问题清单、责任清单、整改清单: status per list, overdue items by lead leader."""
    view = View("supervision/items", "三张清单 · 整改销号", ask.window, ask.village)
    # a few fields of every item for the figures; the list itself a page at a time
    found = await snap.slim_entities(
        s.ITEM,
        {k: (k,) for k in ("list_name", "lead_post", "deadline")},
        cutoff=ask.window.cutoff,
        village=ask.village,
    )
    ref = ask.reference_day
    late = {
        e.stream_id: overdue_days(e.get("deadline"), ref, done=is_done(s.ITEM, e.status))
        for e in found
    }
    overdue = [e for e in found if late[e.stream_id]]
    statuses = by_status(found)
    view.cards += [
        Card("清单事项", str(len(found)), "项", basis=of_entities(found)),
        Card(
            "已销号",
            str(statuses["closed"]),
            f"{pct(statuses['closed'], len(found))}%",
            basis=of_entities(e for e in found if e.status == "closed"),
        ),
        Card(
            "整改中",
            str(statuses["open"] + statuses["in_progress"]),
            "项",
            basis=of_entities(e for e in found if e.status in ("open", "in_progress")),
        ),
        Card(
            "逾期未整改", str(len(overdue)), "项", "bad" if overdue else "ok", of_entities(overdue)
        ),
    ]
    order = ["open", "in_progress", "rectified", "closed"]
    matrix = Counter((str(e.get("list_name", "")), e.status or "") for e in found)
    view.charts.append(
        Chart(
            "by_list",
            "三张清单状态",
            "bar",
            list(LISTS),
            [
                Series(
                    status_label(s.ITEM, st),
                    [matrix[(lst, st)] for lst in LISTS],
                    "s",
                    [
                        of_entities(
                            e for e in found if e.get("list_name") == lst and e.status == st
                        )
                        for lst in LISTS
                    ],
                )
                for st in order
            ],
            "项",
        )
    )
    leaders = Counter(str(e.get("lead_post", "")) for e in overdue)
    view.charts.append(
        Chart(
            "overdue_by_leader",
            "逾期事项 · 按牵头领导",
            "hbar",
            list(leaders),
            [
                Series(
                    "逾期",
                    list(leaders.values()),
                    bases=[
                        of_entities(e for e in overdue if str(e.get("lead_post", "")) == leader)
                        for leader in leaders
                    ],
                )
            ],
            "项",
        )
    )
    by_leader = Table(
        "overdue_by_leader",
        "逾期事项按牵头领导",
        [
            Column("lead_post", "牵头领导"),
            Column("overdue", "逾期事项", "int"),
            Column("open", "未销号事项", "int"),
        ],
    )
    for leader in sorted({str(e.get("lead_post", "")) for e in found}):
        mine = [e for e in found if str(e.get("lead_post", "")) == leader]
        row = {
            "lead_post": leader,
            "overdue": leaders[leader],
            "open": sum(1 for e in mine if e.status != "closed"),
        }
        by_leader.rows.append(row)
        by_leader.based(row, "overdue", of_entities(e for e in mine if late[e.stream_id]))
        by_leader.based(row, "open", of_entities(e for e in mine if e.status != "closed"))
    view.tables.append(by_leader)

    def item_row(e: Entity) -> dict[str, Any]:
        return entity_row(
            e,
            list_name=e.get("list_name", ""),
            title=e.get("title", ""),
            measure=e.get("measure", ""),
            source=e.get("source", ""),
            lead_post=e.get("lead_post", ""),
            lead_unit=e.get("lead_unit", ""),
            deadline=e.get("deadline", ""),
            overdue_days=overdue_days(e.get("deadline"), ref, done=is_done(s.ITEM, e.status)),
        )

    items_table = Table(
        "items",
        "清单事项",
        [
            Column("list_name", "清单"),
            Column("title", "事项", "note"),
            Column("measure", "措施", "int"),
            Column("source", "来源"),
            Column("lead_post", "牵头领导"),
            Column("lead_unit", "牵头单位"),
            Column("village", "村/社区"),
            Column("deadline", "时限", "date"),
            Column("status", "状态", "status"),
            Column("overdue_days", "逾期天数", "flag"),
        ],
    )
    view.tables.append(await entity_table(snap, ask, items_table, s.ITEM, ITEM_SORTS, item_row))
    return view


async def petitions(snap: Snapshot, ask: Ask) -> View:
    """信访 (measure 7): the backlog by focus area, key cases and their leaders."""
    view = View("supervision/petitions", "信访积案化解", ask.window, ask.village)
    found = await snap.slim_entities(
        s.PETITION,
        {k: (k,) for k in ("key_case", "leader", "focus_area")},
        cutoff=ask.window.cutoff,
        village=ask.village,
    )
    # 积案 is supervision's rule (until struck off, 销号), not "not yet resolved"
    backlog = [e for e in found if petition_in_backlog(e.status)]
    settled = sum(1 for e in found if is_done(s.PETITION, e.status))
    key_cases = [e for e in found if e.get("key_case")]
    unled = [e for e in key_cases if not e.get("leader") and not is_done(s.PETITION, e.status)]
    ref = ask.reference_day
    view.cards += [
        Card("信访件", str(len(found)), "件", basis=of_entities(found)),
        Card(
            "积案（未销号）",
            str(len(backlog)),
            "清零目标",
            "ok" if not backlog else "bad",
            of_entities(backlog),
        ),
        Card(
            "化解率",
            f"{pct(settled, len(found))}%",
            "",
            tone_for(pct(settled, len(found))),
        ),
        Card(
            "重点案件未包案",
            str(len(unled)),
            f"重点案件 {len(key_cases)} 件",
            "bad" if unled else "ok",
            of_entities(unled),
        ),
    ]
    areas = Counter(str(e.get("focus_area") or "未分类") for e in backlog)
    cats = [*FOCUS_AREAS, "未分类"]
    view.charts.append(
        Chart(
            "backlog_by_area",
            "积案 · 按领域",
            "bar",
            cats,
            [
                Series(
                    "积案",
                    [areas[c] for c in cats],
                    bases=[
                        of_entities(e for e in backlog if str(e.get("focus_area") or "未分类") == c)
                        for c in cats
                    ],
                )
            ],
            "件",
        )
    )
    statuses = by_status(found)
    order = ["received", "classified", "handling", "resolved", "closed"]
    view.charts.append(
        Chart(
            "by_status",
            "办理状态",
            "pie",
            [status_label(s.PETITION, x) for x in order],
            [
                Series(
                    "信访件",
                    [statuses[x] for x in order],
                    bases=[of_entities(e for e in found if e.status == x) for x in order],
                )
            ],
            "件",
        )
    )

    def petition_row(e: Entity) -> dict[str, Any]:
        return entity_row(
            e,
            subject=e.get("subject", ""),
            petitioner_name=e.get("petitioner_name", ""),
            focus_area=e.get("focus_area", ""),
            key_case=bool(e.get("key_case")),
            leader=e.get("leader", ""),
            team_name=e.get("team_name", ""),
            received_on=e.get("received_on", ""),
            days_open=_days_open(e.get("received_on"), ref) if petition_in_backlog(e.status) else 0,
        )

    petitions_table = Table(
        "petitions",
        "信访件",
        [
            Column("subject", "事由", "note"),
            Column("petitioner_name", "信访人"),
            Column("village", "村/社区"),
            Column("focus_area", "领域"),
            Column("key_case", "重点案件", "bool"),
            Column("leader", "包案领导"),
            Column("team_name", "工作专班"),
            Column("received_on", "受理日期", "date"),
            Column("days_open", "在办天数", "int"),
            Column("status", "状态", "status"),
        ],
    )
    view.tables.append(
        await entity_table(snap, ask, petitions_table, s.PETITION, PETITION_SORTS, petition_row)
    )
    return view


def _days_open(received: Any, ref: dt.date) -> int:
    day = day_of(received)
    return max(0, (ref - day).days) if day is not None else 0
