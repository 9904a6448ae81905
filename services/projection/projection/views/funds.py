"""Funds views (measures 4, 6, 13, 14): programmes' money flows, red flags by code and status,
三资 disposals, 清零 villages, and village finance disclosure (阳光村务)."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from projection.adapters.reader import Snapshot
from projection.domain import funds as f
from projection.domain.catalogue import status_label
from projection.domain.funds import money
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
}
SEVERITY = {"high": "高", "medium": "中", "low": "低"}


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


async def programme_figures(snap: Snapshot, ask: Ask) -> dict[str, Any]:
    """Money per programme from the facts in the window (the overview uses it too)."""
    programmes = {
        p.entity_id: p for p in await snap.entities(f.PROGRAMME, cutoff=ask.window.cutoff)
    }
    w = ask.window
    sums = await snap.flow_sums(
        FLOW_TYPES, start=w.flow_start, cutoff=w.cutoff, village=ask.village
    )
    per: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "allocated": Decimal(0),
            "disbursed": Decimal(0),
            "spent": Decimal(0),
            "payments": 0,
            "on_time": 0,
            "late": 0,
            "short": 0,
            "short_amount": Decimal(0),
        }
    )
    for event_type, key, figure, value in sums:
        if event_type == "funds.FundsAllocated":
            per[key]["allocated"] += value
        elif event_type == "funds.ExpenditureRecorded":
            per[key]["spent"] += value
        else:
            # payments are summed per programme and pay date: late is judged here, against
            # the programme's deadline as of the asked day
            pid, _, paid_on = key.partition("|")
            row = per[pid]
            if figure == "amount":
                row["disbursed"] += value
            elif figure == "payments":
                programme = programmes.get(pid)
                deadline = programme.get("disbursement_deadline") if programme else None
                late = bool(deadline) and paid_on > str(deadline)
                row["payments"] += int(value)
                row["late" if late else "on_time"] += int(value)
            elif figure == "short":
                row["short"] += int(value)
            else:
                row["short_amount"] += value
    return {"programmes": programmes, "per": per}


async def programmes(snap: Snapshot, ask: Ask) -> View:
    """惠农涉农资金 · 分项目: allocated, disbursed, on time, short."""
    view = View("funds/programmes", "惠农涉农资金 · 分项目", ask.window, ask.village)
    fig = await programme_figures(snap, ask)
    per, progs = fig["per"], fig["programmes"]
    shown = [p for pid, p in progs.items() if pid in per or not ask.village]
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
        row = per.get(p.entity_id) or per.default_factory()
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
        Card("资金项目", str(len(shown)), "个"),
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


async def red_flags(snap: Snapshot, ask: Ask) -> View:
    """问题预警 by code and status (measures 13 and 14)."""
    view = View("funds/red-flags", "资金问题预警", ask.window, ask.village)
    flags = [x for x in await ask.entities(snap, f.RED_FLAG) if in_window(x.get("raised_on"), ask)]
    statuses = by_status(flags)
    open_count = statuses["raised"] + statuses["acknowledged"]
    view.cards += [
        Card("预警总数", str(len(flags)), "条"),
        Card("待处理", str(open_count), "已预警、已签收", "bad" if open_count else "ok"),
        Card("问题属实", str(statuses["confirmed"] + statuses["accountability"]), "条"),
        Card("已说明/了结", str(statuses["explained"] + statuses["dismissed"]), "条"),
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
                Series(status_label(f.RED_FLAG, s), [matrix[(c, s)] for c in codes], "s")
                for s in order
                if any(matrix[(c, s)] for c in codes)
            ],
            "条",
        )
    )
    view.tables.append(
        Table(
            "by_code",
            "按预警代码",
            [Column("code", "代码"), Column("label", "问题"), Column("total", "合计", "int")]
            + [Column(s, status_label(f.RED_FLAG, s), "int") for s in order],
            [
                {
                    "code": c,
                    "label": CODE_LABELS.get(c, c),
                    "total": sum(matrix[(c, s)] for s in order),
                }
                | {s: matrix[(c, s)] for s in order}
                for c in codes
            ],
        )
    )
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
