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
from projection.views.common import Ask
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
