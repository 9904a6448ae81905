"""Funds views (measures 4, 6, 13, 14): programmes' money flows, red flags by code and status,
三资 disposals, 清零 villages, and village finance disclosure (阳光村务)."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from projection.adapters.reader import Entity, Snapshot
from projection.domain import funds as f
from projection.domain.catalogue import status_label
from projection.domain.funds import money
from projection.views.basis import Basis, of_entities
from projection.views.common import Ask, by_status, entity_row, in_window
from projection.views.model import Card, Chart, Column, Series, Table, View, pct, tone_for

FLOW_TYPES = ["funds.FundsAllocated", "funds.DisbursementRecorded", "funds.ExpenditureRecorded"]

CODE_LABELS = {
    "FUNDS-UNREGISTERED": "发放对象未建档立卡",
    "FUNDS-INELIGIBLE": "发放对象不符合条件",
    "FUNDS-DUPLICATE": "同一项目重复发放",
    "FUNDS-DUPLICATE-EXCLUSIVE": "互斥项目重复享受",
    "FUNDS-SHORT-PAID": "发放不足额（克扣）",
    "FUNDS-LATE": "超期发放",
    "FUNDS-HELD-BACK": "逾期未拨付到位",
    "FUNDS-CADRE-RELATIVE": "村干部亲属（优亲厚友）",
    "FUNDS-NOT-STARTED": "项目未按期启动",
    "FUNDS-UNAPPROVED-CHANGE": "未经批准变更项目",
    "FUNDS-DIVERTED": "资金挪作他用",
    "FUNDS-PAID-BEFORE-NOTICE": "公示未结束即发放",
    "FUNDS-DISCLOSURE-MISMATCH": "公开数与账簿不符",
}
SEVERITY = {"high": "高", "medium": "中", "low": "低"}


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


#: Where a programme's state keeps a figure of the same name otherwise (`domain/funds.py`).
_STATE_KEYS = {"payments": "disbursements"}


def _blank() -> dict[str, Any]:
    row: dict[str, Any] = {k: Decimal(0) for k in ("allocated", "disbursed", "spent")}
    return row | {"payments": 0, "on_time": 0, "late": 0, "short": 0, "short_amount": Decimal(0)}


def _counted(p: Entity | None) -> dict[str, Any]:
    """A programme's running totals as of its state's day."""
    row = _blank()
    if p is not None:
        for key in row:
            value = p.get(_STATE_KEYS.get(key, key))
            row[key] = money(value) if isinstance(row[key], Decimal) else int(value or 0)
    return row


async def programme_figures(snap: Snapshot, ask: Ask) -> dict[str, Any]:
    """Money per programme in the window (the overview uses it too). For the town: each
    programme's running totals as of the asked day, less those at the period's start; for a
    village: the per-day sums of the flows to that village (`flow_sums`). Lateness is judged
    as the programme's fold judges it: against its deadline when the payment was made."""
    w = ask.window
    programmes = {p.entity_id: p for p in await snap.entities(f.PROGRAMME, cutoff=w.cutoff)}
    per: dict[str, dict[str, Any]] = defaultdict(_blank)
    if ask.village is None:
        before = (
            {p.entity_id: p for p in await snap.entities(f.PROGRAMME, cutoff=w.flow_start)}
            if w.flow_start
            else {}
        )
        for pid, p in programmes.items():
            now, then = _counted(p), _counted(before.get(pid))
            per[pid] = {key: now[key] - then[key] for key in now}
        return {"programmes": programmes, "per": per}
    sums = await snap.flow_sums(
        FLOW_TYPES, start=w.flow_start, cutoff=w.cutoff, village=ask.village
    )
    for event_type, pid, figure, value in sums:
        row = per[pid]
        if event_type == "funds.FundsAllocated":
            row["allocated"] += value
        elif event_type == "funds.ExpenditureRecorded":
            row["spent"] += value
        elif figure == "amount":
            row["disbursed"] += value
        elif figure == "short_amount":
            row["short_amount"] += value
        else:
            row[figure] += int(value)
    for row in per.values():
        row["on_time"] = row["payments"] - row["late"]
    return {"programmes": programmes, "per": per}


async def programmes(snap: Snapshot, ask: Ask) -> View:
    """惠农涉农资金 · 分项目: allocated, disbursed, on time, short."""
    view = View("funds/programmes", "惠农涉农资金 · 分项目", ask.window, ask.village)
    fig = await programme_figures(snap, ask)
    per, progs = fig["per"], fig["programmes"]
    # a village sees the programmes with money to it, and its own (as funds shows its clerk)
    shown = [
        p for pid, p in progs.items() if not ask.village or pid in per or p.village == ask.village
    ]
    table = Table(
        "programmes",
        "资金项目",
        [
            Column("programme_name", "项目"),
            Column("code", "编号"),
            Column("purpose", "用途"),
            Column("amount", "资金总额(元)", "money"),
            Column("allocated", "已分配(元)", "money"),
            Column("disbursed", "已发放(元)", "money"),
            Column("disbursed_pct", "发放进度", "pct"),
            Column("payments", "发放笔数", "int"),
            Column("on_time", "按期", "int"),
            Column("late", "超期", "flag"),
            Column("short", "不足额", "flag"),
            Column("deadline", "发放期限", "date"),
            Column("status", "状态", "status"),
        ],
    )
    totals: Counter[str] = Counter()
    money_totals = {"allocated": Decimal(0), "disbursed": Decimal(0)}
    for p in shown:
        row = per.get(p.entity_id) or _blank()
        base = row["allocated"] or money(p.get("amount"))
        table.rows.append(
            entity_row(
                p,
                village=p.village or "全镇",
                programme_name=p.get("name", ""),
                code=p.get("code", ""),
                purpose=f.PURPOSES.get(p.get("purpose_code", ""), p.get("purpose", "")),
                amount=str(p.get("amount", "")),
                allocated=str(row["allocated"]),
                disbursed=str(row["disbursed"]),
                disbursed_pct=pct(float(row["disbursed"]), float(base)),
                payments=row["payments"],
                on_time=row["on_time"],
                late=row["late"],
                short=row["short"],
                deadline=p.get("disbursement_deadline", ""),
            )
        )
        for key in ("payments", "on_time", "late", "short"):
            totals[key] += row[key]
        money_totals["allocated"] += row["allocated"]
        money_totals["disbursed"] += row["disbursed"]
    view.cards += [
        Card("资金项目", str(len(shown)), "个", basis=of_entities(shown)),
        Card("已分配", yuan(money_totals["allocated"]), "元"),
        Card(
            "已发放",
            yuan(money_totals["disbursed"]),
            f"{pct(float(money_totals['disbursed']), float(money_totals['allocated']))}% of 已分配",
        ),
        Card(
            "按期发放率",
            f"{pct(totals['on_time'], totals['payments'])}%",
            f"超期 {totals['late']} 笔",
            tone_for(pct(totals["on_time"], totals["payments"]) if totals["payments"] else 100),
        ),
        Card("不足额发放", str(totals["short"]), "笔", "bad" if totals["short"] else "ok"),
    ]
    view.charts.append(
        Chart(
            "money",
            "分配与发放（元）",
            "bar",
            [row["programme_name"] for row in table.rows],
            [
                Series("已分配", [float(row["allocated"]) for row in table.rows]),
                Series("已发放", [float(row["disbursed"]) for row in table.rows]),
            ],
            "元",
        )
    )
    view.tables.append(table)
    if ask.village:
        view.notes.append(f"金额为分配、发放到{ask.village}的部分。")
    return view


def _flags_in(flags: list[Entity], *statuses: str) -> Basis:
    return of_entities(x for x in flags if x.status in statuses)


async def red_flags(snap: Snapshot, ask: Ask) -> View:
    """问题预警 by code and status (measures 13 and 14)."""
    view = View("funds/red-flags", "资金问题预警", ask.window, ask.village)
    flags = [x for x in await ask.entities(snap, f.RED_FLAG) if in_window(x.get("raised_on"), ask)]
    statuses = by_status(flags)
    open_count = statuses["raised"] + statuses["acknowledged"]
    view.cards += [
        Card("预警总数", str(len(flags)), "条", basis=of_entities(flags)),
        Card(
            "待处理",
            str(open_count),
            "已预警、已签收",
            "bad" if open_count else "ok",
            _flags_in(flags, "raised", "acknowledged"),
        ),
        Card(
            "问题属实",
            str(statuses["confirmed"] + statuses["accountability"]),
            "条",
            basis=_flags_in(flags, "confirmed", "accountability"),
        ),
        Card(
            "已说明/了结",
            str(statuses["explained"] + statuses["dismissed"]),
            "条",
            basis=_flags_in(flags, "explained", "dismissed"),
        ),
    ]
    order = ["raised", "acknowledged", "explained", "confirmed", "accountability", "dismissed"]
    codes = sorted({str(x.get("code", "")) for x in flags})
    matrix = Counter((str(x.get("code", "")), x.status or "") for x in flags)
    view.charts.append(
        Chart(
            "by_code",
            "按问题类别与处理状态",
            "hbar",
            [CODE_LABELS.get(c, c) for c in codes],
            [
                Series(
                    status_label(f.RED_FLAG, s),
                    [matrix[(c, s)] for c in codes],
                    "s",
                    [
                        _flags_in([x for x in flags if str(x.get("code", "")) == c], s)
                        for c in codes
                    ],
                )
                for s in order
                if any(matrix[(c, s)] for c in codes)
            ],
            "条",
        )
    )
    by_code = Table(
        "by_code",
        "按预警代码",
        [Column("code", "代码"), Column("label", "问题"), Column("total", "合计", "int")]
        + [Column(s, status_label(f.RED_FLAG, s), "int") for s in order],
    )
    for c in codes:
        row = {
            "code": c,
            "label": CODE_LABELS.get(c, c),
            "total": sum(matrix[(c, s)] for s in order),
        } | {s: matrix[(c, s)] for s in order}
        by_code.rows.append(row)
        mine = [x for x in flags if str(x.get("code", "")) == c]
        by_code.based(row, "total", _flags_in(mine, *order))
        for s in order:
            by_code.based(row, s, _flags_in(mine, s))
    view.tables.append(by_code)
    view.tables.append(
        Table(
            "flags",
            "预警明细",
            [
                Column("label", "问题"),
                Column("severity", "严重程度"),
                Column("village", "村/社区"),
                Column("summary", "摘要", "note"),
                Column("raised_on", "预警日期", "date"),
                Column("status", "状态", "status"),
            ],
            [
                entity_row(
                    x,
                    label=CODE_LABELS.get(x.get("code", ""), x.get("label", "")),
                    severity=SEVERITY.get(x.get("severity", ""), x.get("severity", "")),
                    summary=x.get("summary", ""),
                    raised_on=x.get("raised_on", ""),
                )
                for x in flags
            ],
        )
    )
    return view
