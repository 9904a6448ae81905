"""各镇对比: the towns of a county ranked on the plan's 14 measures.

Each town's progress on each measure is computed as the overview computes it, from that town's
own read models (its town projection's live schema), inside the county's snapshot; a town's
token, or a town filter, shows its own row only. On a town projection the view has the one row.
Towns are ranked by their mean progress over the measures that have a target, then by how many
measures they completed, then by code.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from projection.adapters.reader import Snapshot
from projection.views.common import Ask, Builder
from projection.views.model import Card, Chart, Column, Series, Table, View
from projection.views.overview import PLAN, indicators, progress
from shared.town import load_town


async def towns(snap: Snapshot, ask: Ask) -> View:
    """The county's towns side by side on the 14 measures, ranked."""
    view = View("county/towns", "各镇对比 · 十四项主要措施", ask.window, ask.village)
    schemas = dict(snap.towns) or {ask.town_code: snap.schema}
    rows: list[dict[str, Any]] = []
    for town, schema in sorted(schemas.items()):
        own = Snapshot(snap.conn, schema) if snap.towns else snap
        found = await indicators(own, replace(ask, town_code=town), {})
        measures = {number: progress(found.get(number, [])) for number in PLAN}
        known = [value for value in measures.values() if value is not None]
        rows.append(
            {
                "town": town,
                "town_name": load_town(town).name if len(town) == 9 else town,
                "average": round(sum(known) / len(known), 1) if known else 0.0,
                "completed": sum(1 for value in known if value >= 100),
                **{f"m{n}": "" if v is None else v for n, v in measures.items()},
            }
        )
    rows.sort(key=lambda r: (-r["average"], -r["completed"], r["town"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    table = Table(
        "towns",
        "各镇十四项措施进度排名",
        [
            Column("rank", "名次", "int"),
            Column("town_name", "镇"),
            Column("town", "区划代码"),
            Column("average", "平均进度", "pct"),
            Column("completed", "已完成措施", "int"),
            *(Column(f"m{n}", f"{n}. {title}", "pct") for n, (title, _, _) in PLAN.items()),
        ],
        rows=rows,
        note="进度按各镇自己的读模型计算（与各镇驾驶舱总览相同），平均进度取有目标的措施。",
    )
    view.tables.append(table)
    averages = [row["average"] for row in rows]
    view.cards += [
        Card("镇数", str(len(rows)), "参与对比的镇"),
        Card(
            "各镇平均进度",
            f"{round(sum(averages) / len(averages), 1) if averages else 0}%",
            "各镇平均进度的平均",
        ),
        Card("进度最高", rows[0]["town_name"] if rows else "—", f"{averages[0]}%" if rows else ""),
        Card(
            "进度最低", rows[-1]["town_name"] if rows else "—", f"{averages[-1]}%" if rows else ""
        ),
    ]
    view.charts.append(
        Chart(
            "towns",
            "各镇平均进度",
            "hbar",
            [row["town_name"] for row in rows],
            [Series("平均进度", [float(row["average"]) for row in rows])],
            unit="%",
        )
    )
    return view


def by_town(build: Builder) -> Builder:
    """A view each town concludes for itself (the year's 年度绩效考核: each town ranks its own
    units): on a county, built from each town's read models and put together — the counts of
    its cards and charts summed, its rows listed town by town (their stream ids qualified by
    town, as the county's are). Elsewhere, the view as it is."""

    async def built(snap: Snapshot, ask: Ask) -> View:
        if not snap.towns:
            return await build(snap, ask)
        views = [
            (town, await build(Snapshot(snap.conn, schema), replace(ask, town_code=town)))
            for town, schema in sorted(snap.towns.items())
        ]
        first = views[0][1]
        merged = View(first.name, first.title, first.window, first.village, notes=first.notes)
        merged.cards = [
            _summed_card(card, [v.cards[i] for _, v in views if i < len(v.cards)])
            for i, card in enumerate(first.cards)
        ]
        merged.charts = [
            _summed_chart(chart, [v.charts[i] for _, v in views if i < len(v.charts)])
            for i, chart in enumerate(first.charts)
        ]
        for i, table in enumerate(first.tables):
            rows = [
                row | {"stream_id": f"{town}:{row['stream_id']}"} if row.get("stream_id") else row
                for town, v in views
                if i < len(v.tables)
                for row in v.tables[i].rows
            ]
            merged.tables.append(
                Table(table.name, table.title, table.columns, rows=rows, note=table.note)
            )
        return merged

    return built


def _summed_card(card: Card, cards: list[Card]) -> Card:
    """A card of the towns' views with its count summed (no single basis lists it)."""
    values = [c.value for c in cards]
    if all(v.isdigit() for v in values):
        return Card(card.label, str(sum(int(v) for v in values)), card.hint, card.tone)
    return card


def _summed_chart(chart: Chart, charts: list[Chart]) -> Chart:
    """A chart of the towns' views with its series summed where they count the same bars."""
    if any(c.categories != chart.categories or len(c.series) != len(chart.series) for c in charts):
        return chart
    series = [
        Series(s.name, [sum(c.series[i].data[j] for c in charts) for j in range(len(s.data))])
        for i, s in enumerate(chart.series)
    ]
    return Chart(chart.name, chart.title, chart.type, chart.categories, series, chart.unit)
