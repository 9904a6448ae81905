"""Funds views of the villages' collectives (measures 4 and 6): the 三资 ledgers and disposals,
the 清零 villages with their linked leader and plan, and finance disclosure (阳光村务)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from projection.adapters.reader import Entity, LoggedEvent, Snapshot
from projection.domain import funds as f
from projection.domain.funds import money
from projection.views.basis import of_entities, of_events
from projection.views.common import Ask, entity_row
from projection.views.funds import yuan
from projection.views.model import Card, Column, Table, View, pct, tone_for
from shared.kernel import disclosure_quarters_overdue


async def assets(snap: Snapshot, ask: Ask) -> View:
    """村级集体"三资" (measure 4): ledgers and disposals (with the assembly's vote)."""
    view = View("funds/assets", "村级集体“三资”", ask.window, ask.village)
    found = await ask.entities(snap, [f.ASSETS, f.COLLECTIVE])
    # One row per village: its ledger (`assets-…`); the proceeds booked from its disposals are
    # on its collective economy (`collective-…`), where funds books them.
    ledgers = [e for e in found if e.kind == f.ASSETS]
    economies = {e.village: e for e in found if e.kind == f.COLLECTIVE}
    disposals = await ask.facts(snap, ["funds.CollectiveAssetDisposed"])
    booked = {
        (village, aid): amount
        for village, eco in economies.items()
        for aid, amount in (eco.get("booked_assets") or {}).items()
    }
    asset_count = sum(len(led.get("assets") or {}) for led in ledgers)
    # a ledger's entry is the first event naming its asset: its registration, or a disposal
    # of an asset never registered (which funds' ledger shows as an entry too)
    on_ledgers = {led.stream_id for led in ledgers}
    registered: dict[tuple[str, str], LoggedEvent] = {}
    for e in await snap.facts(
        ["funds.CollectiveAssetRegistered", "funds.CollectiveAssetDisposed"],
        start=None,
        cutoff=ask.window.cutoff,
        village=ask.village,
    ):
        if e.stream_id in on_ledgers:
            registered.setdefault((e.stream_id, str(e.payload.get("asset_id"))), e)
    value = sum((money(led.get("ledger_value")) for led in ledgers), Decimal(0))
    view.cards += [
        Card("建账村", str(len(ledgers)), "个", basis=of_entities(ledgers)),
        Card(
            "登记资产资源资金",
            str(asset_count),
            f"{yuan(value)} 元",
            basis=of_events(registered.values()),
        ),
        Card(
            "处置",
            str(len(disposals)),
            "宗（均经村民代表大会表决并备案）",
            basis=of_events(disposals),
        ),
    ]
    view.tables.append(
        Table(
            "ledgers",
            "分村台账",
            [
                Column("village", "村/社区"),
                Column("assets", "登记项", "int"),
                Column("value", "登记价值(元)", "money"),
                Column("disposals", "处置", "int"),
                Column("proceeds", "处置收入(元)", "money"),
                Column("booked", "收益入账(元)", "money"),
            ],
            [
                entity_row(
                    led,
                    assets=len(led.get("assets") or {}),
                    value=led.get("ledger_value", "0"),
                    disposals=led.get("disposals", 0),
                    proceeds=led.get("disposal_proceeds", "0"),
                    booked=_booked(economies.get(led.village)),
                )
                for led in ledgers
            ],
        )
    )
    rows = []
    for d in disposals:
        p, vote = d.payload, d.payload.get("vote") or {}
        rows.append(
            {
                "stream_id": d.stream_id,
                "village": d.village or "",
                "asset_code": p.get("asset_code", ""),
                "method": {"sale": "变卖", "transfer": "转让"}.get(
                    p.get("method", ""), p.get("method", "")
                ),
                "counterparty": p.get("counterparty", ""),
                "proceeds": p.get("proceeds", ""),
                "vote": "/".join(
                    str(vote.get(k, "")) for k in ("votes_for", "present", "representatives")
                ),
                "filing": (p.get("filing") or {}).get("reference", ""),
                "disposed_on": p.get("disposed_on", ""),
                "booked": "是" if booked.get((d.village, p.get("asset_id"))) else "否",
            }
        )
    view.tables.append(
        Table(
            "disposals",
            "处置明细",
            [
                Column("village", "村/社区"),
                Column("asset_code", "资产编号"),
                Column("method", "方式"),
                Column("counterparty", "受让方"),
                Column("proceeds", "所得(元)", "money"),
                Column("vote", "赞成/到会/代表"),
                Column("filing", "备案文号"),
                Column("disposed_on", "处置日期", "date"),
                Column("booked", "全额入集体经济"),
            ],
            rows,
        )
    )
    return view


def _booked(economy: Entity | None) -> str:
    return str(economy.get("proceeds_booked", "0")) if economy is not None else "0"


async def zero_villages(snap: Snapshot, ask: Ask) -> View:
    """村级集体经济"清零" (measure 4): zero-income villages, their linked leader and plan."""
    view = View("funds/zero-villages", "集体经济“清零”", ask.window, ask.village)
    # A village whose collective economy has only booked disposal proceeds (no income record,
    # no 清零 listing) has nothing to show here.
    economies = [e for e in await ask.entities(snap, f.COLLECTIVE) if e.status is not None]
    listed = [e for e in economies if e.get("zero_year") is not None]
    zero = [e for e in listed if e.status == "zero"]
    no_leader = [e for e in zero if not e.get("leader_name")]
    no_plan = [e for e in zero if not e.get("plan_title")]
    view.cards += [
        Card(
            "清零村（仍无收入）", str(len(zero)), "个", "bad" if zero else "ok", of_entities(zero)
        ),
        Card(
            "已销号",
            str(len(listed) - len(zero)),
            f"共列入 {len(listed)} 个",
            basis=of_entities(e for e in listed if e.status != "zero"),
        ),
        Card(
            "未安排联点负责人",
            str(len(no_leader)),
            "个",
            "bad" if no_leader else "ok",
            of_entities(no_leader),
        ),
        Card(
            "未制定一村一策",
            str(len(no_plan)),
            "个",
            "bad" if no_plan else "ok",
            of_entities(no_plan),
        ),
    ]
    years = sorted({y for e in economies for y in (e.get("income_by_year") or {})})
    view.tables.append(
        Table(
            "villages",
            "村级集体经济",
            [
                Column("village", "村/社区"),
                Column("status", "状态", "status"),
                Column("leader_name", "联点负责人"),
                Column("leader_post", "职务"),
                Column("plan_title", "一村一策"),
                Column("cleared_on", "销号日期", "date"),
            ]
            + [Column(f"income_{y}", f"{y}年收入(元)", "money") for y in years],
            [
                entity_row(
                    e,
                    leader_name=e.get("leader_name", ""),
                    leader_post=e.get("leader_post", ""),
                    plan_title=e.get("plan_title", ""),
                    cleared_on=e.get("cleared_on", ""),
                )
                | {f"income_{y}": (e.get("income_by_year") or {}).get(y, "") for y in years}
                for e in economies
            ],
        )
    )
    return view


async def disclosures(snap: Snapshot, ask: Ask) -> View:
    """阳光村务 (measure 6): which villages disclosed their finances in the period, and which
    are overdue on the state day (a due quarter not disclosed: funds' rule, shared kernel)."""
    view = View("funds/disclosures", "村级财务公开（阳光村务）", ask.window, ask.village)
    facts = await ask.facts(snap, ["funds.FinanceDisclosed"])
    done = defaultdict(list)
    for d in facts:
        done[d.village or ""].append(d)
    disclosed = {e.village: e.get("periods") or [] for e in await ask.entities(snap, f.DISCLOSURE)}
    day = ask.reference_day
    overdue = {v: disclosure_quarters_overdue(disclosed.get(v, []), day) for v in ask.villages()}
    villages = ask.villages()
    count = sum(1 for v in villages if done.get(v))
    late = sum(1 for v in villages if overdue[v])
    view.cards += [
        Card(
            "期内已公开村",
            f"{count} / {len(villages)}",
            "个",
            tone_for(pct(count, len(villages))),
            of_events(done[v][0] for v in villages if done.get(v)),  # a village's first
        ),
        Card("逾期未公开村", str(late), f"截至 {day}", "bad" if late else "ok"),
    ]
    table = Table(
        "villages",
        "分村公开情况",
        [
            Column("village", "村/社区"),
            Column("disclosures", "公开次数", "int"),
            Column("periods", "公开期间"),
            Column("last_on", "最近公开", "date"),
            Column("income_total", "收入合计(元)", "money"),
            Column("expenditure_total", "支出合计(元)", "money"),
            Column("overdue", "逾期未公开季度"),
        ],
        [
            {
                "stream_id": done[v][-1].stream_id if done.get(v) else "",
                "village": v,
                "disclosures": len(done.get(v, [])),
                "periods": "、".join(str(d.payload.get("period")) for d in done.get(v, [])),
                "last_on": done[v][-1].payload.get("disclosed_on", "") if done.get(v) else "",
                "income_total": done[v][-1].payload.get("income_total", "") if done.get(v) else "",
                "expenditure_total": done[v][-1].payload.get("expenditure_total", "")
                if done.get(v)
                else "",
                "overdue": "、".join(overdue[v]),
            }
            for v in villages
        ],
    )
    for row in table.rows:
        table.based(row, "disclosures", of_events(done.get(row["village"], [])))
    view.tables.append(table)
    return view
