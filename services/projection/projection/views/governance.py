"""乡村治理 views (issue 15; measure 6, measure 4 (4), 保障措施 3): 四议两公开 decisions and the
collective projects started under them, 村账乡代理 books against the quarterly disclosures, the
小微权力清单 in force and the breaches of its flows, and the 村务监督委员会.

Every figure is counted from what the events say (a decision's step, a mismatch red flag, a
breach, an overdue report); no rule of funds or supervision is decided again here. The one
judgement made here is the contract's: a decision is overdue when its resolution is disclosed,
no result is, and its `result_due_on` is before the day asked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from projection.adapters.reader import Entity, LoggedEvent, Snapshot
from projection.domain import funds as f
from projection.domain import supervision as s
from projection.domain.catalogue import status_label
from projection.domain.funds import money
from projection.views.basis import of_entities, of_events
from projection.views.common import Ask, day_of, entity_row, in_window
from projection.views.funds import yuan
from projection.views.model import Card, Chart, Column, Series, Table, View, pct, tone_for

#: A decision's statuses once resolved (决议 passed), once its resolution is disclosed.
RESOLVED = ("resolved", "resolution_disclosed", "result_disclosed")
DISCLOSED = ("resolution_disclosed", "result_disclosed")
IN_HAND = ("proposed", "consulted", "reviewed", "resolved")
MISMATCH = "FUNDS-DISCLOSURE-MISMATCH"
#: The acts that exercise a small power, as the breach names them.
ACTS = {
    "funds.CollectiveProjectStarted": "集体经济项目开工",
    "funds.CollectiveAssetDisposed": "集体资产处置",
    "funds.VillageBookEntryRecorded": "村账支出记账",
}
#: A quarter as funds writes it (`2016Q3`, `str(Quarter)`) or as a period is asked (`2016-Q3`).
_QUARTER = re.compile(r"(\d{4})-?Q([1-4])")


def quarter_key(text: object) -> str | None:
    """The view's key of a quarter named in `text` (`2016Q3`, `2016-Q3` → `2016-Q3`)."""
    m = _QUARTER.search(str(text or "").upper())
    return f"{m[1]}-Q{m[2]}" if m else None


def governance_year(ask: Ask, years: Iterable[Any]) -> int:
    """The year a yearly fact (a power list, a committee's report, an appraisal) is shown for:
    the asked period's; else the newest year with data up to the asked day's (a report or an
    appraisal of a year is made early in the next); else the asked day's year."""
    if ask.window.start is not None:
        return ask.window.start.year
    day = ask.window.state_day or ask.today
    known = sorted(int(y) for y in years if str(y).isdigit() and int(y) <= day.year)
    return known[-1] if known else day.year


def steps_text(steps: Iterable[Any]) -> str:
    return "、".join(s.STEP_LABELS.get(str(x), str(x)) for x in steps or ())


# -- 四议两公开 ------------------------------------------------------------------------------


def decision_overdue(d: Entity, day: dt.date) -> bool:
    """Resolution disclosed, no result disclosed, and the result's due day before `day`."""
    due = day_of(d.get("result_due_on"))
    return d.status == "resolution_disclosed" and due is not None and due < day


def _vote(d: Entity) -> str:
    meeting = (d.get("meetings") or {}).get("resolved") or {}
    if not meeting:
        return ""
    return "/".join(str(meeting.get(k, "")) for k in ("votes_for", "present", "members"))


async def decisions(snap: Snapshot, ask: Ask) -> View:
    """四议两公开: each village decision's step and dates, the overdue results, the collective
    projects started under them."""
    view = View("governance/decisions", "四议两公开", ask.window, ask.village)
    found = await ask.entities(snap, f.DECISION)
    if ask.window.start is not None:  # a period: the decisions proposed in it
        found = [d for d in found if in_window(d.get("proposed_on"), ask)]
    day = ask.reference_day
    overdue = [d for d in found if decision_overdue(d, day)]
    resolved = [d for d in found if d.status in RESOLVED]
    disclosed = [d for d in found if d.status in DISCLOSED]
    results = [d for d in found if d.status == "result_disclosed"]
    rejected = [d for d in found if d.status == "rejected"]
    view.cards += [
        Card("决策事项", str(len(found)), "件", basis=of_entities(found)),
        Card(
            "已决议", str(len(resolved)), "件（村民（代表）会议通过）", basis=of_entities(resolved)
        ),
        Card(
            "决议已公开",
            str(len(disclosed)),
            f"{pct(len(disclosed), len(resolved))}% of 已决议",
            basis=of_entities(disclosed),
        ),
        Card(
            "结果已公开",
            str(len(results)),
            f"{pct(len(results), len(disclosed))}% of 决议已公开",
            basis=of_entities(results),
        ),
        Card(
            "逾期未公开结果",
            str(len(overdue)),
            f"截至 {day}",
            "bad" if overdue else "ok",
            of_entities(overdue),
        ),
        Card("未通过", str(len(rejected)), "件", basis=of_entities(rejected)),
    ]
    groups = {
        "办理中": [d for d in found if d.status in IN_HAND],
        "决议已公开": [d for d in found if d.status == "resolution_disclosed" and d not in overdue],
        "逾期未公开结果": overdue,
        "结果已公开": results,
        "未通过": rejected,
    }
    villages = [v for v in ask.town.names if any(d.village == v for d in found)]
    view.charts.append(
        Chart(
            "by_village",
            "分村决策事项",
            "bar",
            villages,
            [
                Series(
                    name,
                    [sum(1 for d in members if d.village == v) for v in villages],
                    "s",
                    [of_entities(d for d in members if d.village == v) for v in villages],
                )
                for name, members in groups.items()
                if members
            ],
            "件",
        )
    )
    view.tables.append(
        Table(
            "decisions",
            "决策事项",
            [
                Column("village", "村/社区"),
                Column("decision_kind", "类别"),
                Column("subject", "事项"),
                Column("status", "进行到", "status"),
                Column("proposed_on", "提议", "date"),
                Column("consulted_on", "商议", "date"),
                Column("reviewed_on", "审议", "date"),
                Column("resolved_on", "决议", "date"),
                Column("resolved_vote", "决议赞成/到会/应到"),
                Column("resolution_disclosed_on", "决议公开", "date"),
                Column("result_due_on", "结果应公开", "date"),
                Column("result_disclosed_on", "结果公开", "date"),
                Column("overdue", "逾期", "bool"),
            ],
            [
                entity_row(
                    d,
                    decision_kind=f.DECISION_KINDS.get(d.get("kind", ""), d.get("kind", "")),
                    subject=d.get("subject", ""),
                    proposed_on=d.get("proposed_on", ""),
                    consulted_on=d.get("consulted_on", ""),
                    reviewed_on=d.get("reviewed_on", ""),
                    resolved_on=d.get("resolved_on", ""),
                    resolved_vote=_vote(d),
                    resolution_disclosed_on=d.get("resolution_disclosed_on", ""),
                    result_due_on=d.get("result_due_on", ""),
                    result_disclosed_on=d.get("result_disclosed_on", ""),
                    overdue=d in overdue,
                )
                for d in found
            ],
        )
    )
    projects = await ask.entities(snap, f.COLLECTIVE_PROJECT)
    if ask.window.start is not None:
        projects = [p for p in projects if in_window(p.get("started_on"), ask)]
    by_id = {d.entity_id: d for d in await snap.entities(f.DECISION, cutoff=ask.window.cutoff)}
    view.cards.append(
        Card("集体经济项目开工", str(len(projects)), "个", basis=of_entities(projects))
    )
    rows = []
    for p in projects:
        decision = by_id.get(str(p.get("decision_id")))
        rows.append(
            entity_row(
                p,
                project_name=p.get("name", ""),
                investment=str(p.get("investment", "")),
                started_on=p.get("started_on", ""),
                decision_subject=decision.get("subject", "") if decision else "",
                decision_status=status_label(f.DECISION, decision.status) if decision else "",
                steps=steps_text(p.get("steps") or []),
            )
        )
    view.tables.append(
        Table(
            "projects",
            "集体经济项目开工（及其决策）",
            [
                Column("village", "村/社区"),
                Column("project_name", "项目"),
                Column("investment", "投资(元)", "money"),
                Column("started_on", "开工日期", "date"),
                Column("decision_subject", "决策事项"),
                Column("decision_status", "决策进行到", "status"),
                Column("steps", "经过的步骤", "note"),
                Column("status", "状态", "status"),
            ],
            rows,
        )
    )
    return view


# -- 村账乡代理 ------------------------------------------------------------------------------


def quarter_of(month: str) -> str:
    """`2016-08` → `2016-Q3`."""
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _quarter_days(quarter: str) -> tuple[dt.date, dt.date]:
    year, q = int(quarter[:4]), int(quarter[-1])
    first = dt.date(year, 3 * q - 2, 1)
    last = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return first, last


def _quarter_shown(quarter: str, ask: Ask) -> bool:
    """Whether a quarter overlaps the asked period (and began by the day asked)."""
    first, last = _quarter_days(quarter)
    w = ask.window
    if w.start is not None and last < w.start:
        return False
    return not (w.state_day is not None and first > w.state_day)


def flag_quarter(flag: Entity, disclosed: dict[tuple[str, str], LoggedEvent]) -> str:
    """The quarter a mismatch red flag is about: named in its subject, summary or evidence
    (`2016-Q3`), else the village's disclosure made on the day it was raised (funds raises it
    in the disclosure's transaction)."""
    texts = [flag.get("subject_id", ""), flag.get("summary", "")]
    texts += [str(e.get("ref", "")) for e in flag.get("evidence") or [] if isinstance(e, dict)]
    for text in texts:
        if found := quarter_key(text):
            return found
    raised = str(flag.get("raised_on", ""))[:10]
    for (village, period), event in disclosed.items():
        if village == flag.village and str(event.payload.get("disclosed_on"))[:10] == raised:
            return period
    return ""


async def books(snap: Snapshot, ask: Ask) -> View:
    """村账乡代理: per village and quarter the books' totals, the disclosure made from them and
    the red flags raised where the disclosed totals differed from the books. A period chooses
    the quarters shown; what is known of them is taken at its end (or the day asked)."""
    view = View("governance/books", "村账乡代理与财务公开", ask.window, ask.village)
    # as everywhere, what is known is taken at the earlier of the day asked and the period's end
    # (a quarter is disclosed after it ends: ask for the half year or the year to see it)
    cut = ask.window.cutoff
    ledgers = await snap.entities(f.BOOKS, cutoff=cut, village=ask.village)
    disclosed: dict[tuple[str, str], LoggedEvent] = {}
    for fact in await snap.facts(
        ["funds.FinanceDisclosed"], start=None, cutoff=cut, village=ask.village
    ):
        period = quarter_key(fact.payload.get("period"))
        if period is not None:
            disclosed[(fact.village or "", period)] = fact  # the last
    flags = [
        x
        for x in await snap.entities(f.RED_FLAG, cutoff=cut, village=ask.village)
        if x.get("code") == MISMATCH
    ]
    totals: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(
        lambda: {"income": Decimal(0), "expense": Decimal(0)}
    )
    stream_of: dict[tuple[str, str], str] = {}
    for ledger in ledgers:
        for month, sums in (ledger.get("months") or {}).items():
            key = (ledger.village or "", quarter_of(month))
            totals[key]["income"] += money(sums.get("income"))
            totals[key]["expense"] += money(sums.get("expense"))
            stream_of[key] = ledger.stream_id
    flagged: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for x in flags:
        flagged[(x.village or "", flag_quarter(x, disclosed))].append(x)
    keys = sorted(
        {k for k in [*totals, *disclosed, *flagged] if quarter_key(k[1]) == k[1]},
        key=lambda k: (ask.town.names.index(k[0]) if k[0] in ask.town.names else 999, k[1]),
    )
    keys = [k for k in keys if _quarter_shown(k[1], ask)]
    table = Table(
        "quarters",
        "分村分季度账簿与公开",
        [
            Column("book_period", "村 · 季度"),
            Column("village", "村/社区"),
            Column("income", "账簿收入(元)", "money"),
            Column("expense", "账簿支出(元)", "money"),
            Column("disclosed", "已公开", "bool"),
            Column("disclosed_on", "公开日期", "date"),
            Column("income_total", "公开收入(元)", "money"),
            Column("expenditure_total", "公开支出(元)", "money"),
            Column("mismatch", "公开数与账簿不符", "flag"),
        ],
        note="账簿数为代理会计记账的合计；不符预警为资金监管系统公开时发出的预警（FUNDS-DISCLOSURE-MISMATCH）。",
    )
    shown_flags: list[Entity] = []
    shown_disclosures: list[LoggedEvent] = []
    for key in keys:
        village, quarter = key
        event = disclosed.get(key)
        sums = totals.get(key)
        mine = flagged.get(key, [])
        shown_flags += mine
        if event is not None:
            shown_disclosures.append(event)
        row = {
            "stream_id": stream_of.get(key) or (event.stream_id if event else ""),
            "book_period": f"{village} {quarter}",
            "village": village,
            "income": str(sums["income"]) if sums else "",
            "expense": str(sums["expense"]) if sums else "",
            "disclosed": event is not None,
            "disclosed_on": event.payload.get("disclosed_on", "") if event else "",
            "income_total": event.payload.get("income_total", "") if event else "",
            "expenditure_total": event.payload.get("expenditure_total", "") if event else "",
            "mismatch": len(mine),
        }
        table.rows.append(row)
        table.based(row, "mismatch", of_entities(mine))
    villages = {  # one ledger per village keeping books in the quarters shown
        led.village: led
        for led in sorted(ledgers, key=lambda e: e.stream_id)
        if any(_quarter_shown(quarter_of(m), ask) for m in led.get("months") or {})
    }
    income = sum((money(r["income"]) for r in table.rows), Decimal(0))
    expense = sum((money(r["expense"]) for r in table.rows), Decimal(0))
    view.cards += [
        Card("代理记账村", str(len(villages)), "个", basis=of_entities(villages.values())),
        Card("账簿收入", yuan(income), "元"),
        Card("账簿支出", yuan(expense), "元"),
        Card(
            "已公开季度",
            str(len(shown_disclosures)),
            f"共 {len(keys)} 个村季度",
            basis=of_events(shown_disclosures),
        ),
        Card(
            "公开数与账簿不符",
            str(len(shown_flags)),
            "条预警",
            "bad" if shown_flags else "ok",
            of_entities(shown_flags),
        ),
    ]
    view.tables.append(table)
    return view


# -- 小微权力清单 ----------------------------------------------------------------------------


async def _items_of(snap: Snapshot, ask: Ask, ids: Iterable[Any]) -> dict[str, Entity]:
    streams = sorted({f"item-{i}" for i in ids if i})
    found = await snap.entities_by_stream(streams, cutoff=ask.window.cutoff)
    return {e.entity_id: e for e in found.values()}


def _item_done(item: Entity | None) -> bool:
    return item is not None and (item.status or "") in s.DONE[s.ITEM]


async def powers(snap: Snapshot, ask: Ask) -> View:
    """小微权力清单: per village the list in force for the year, and the acts that missed a step
    of their item's flow (found in the period; all to the day without one), with the
    problem-list item each opened."""
    every = await ask.entities(snap, s.POWERS)
    year = governance_year(ask, {e.get("year") for e in every})
    view = View("governance/powers", f"小微权力清单（{year}年）", ask.window, ask.village)
    lists = {e.village: e for e in every if str(e.get("year")) == str(year)}
    breaches = await ask.entities(snap, s.BREACH)
    if ask.window.start is not None:  # a period: the breaches found in it
        breaches = [b for b in breaches if in_window(b.get("found_on"), ask)]
    items = await _items_of(snap, ask, (b.get("item_id") for b in breaches))
    open_ = [b for b in breaches if not _item_done(items.get(str(b.get("item_id"))))]
    villages = ask.villages()
    published = [lists[v] for v in villages if v in lists]
    view.cards += [
        Card(
            "已公布清单村",
            f"{len(published)} / {len(villages)}",
            f"{year}年",
            tone_for(pct(len(published), len(villages))),
            of_entities(published),
        ),
        Card(
            "运行缺少步骤",
            str(len(breaches)),
            "次",
            "bad" if breaches else "ok",
            of_entities(breaches),
        ),
        Card("问题未整改销号", str(len(open_)), "项", "bad" if open_ else "ok", of_entities(open_)),
    ]
    table = Table(
        "lists",
        "分村小微权力清单",
        [
            Column("village", "村/社区"),
            Column("in_force", "执行的清单"),
            Column("version", "版本", "int"),
            Column("items_count", "事项数", "int"),
            Column("published_on", "公布日期", "date"),
            Column("breaches", "运行缺少步骤", "flag"),
        ],
        note="未公布本年度清单的村，按默认清单（重大事项决策、财务收支、工程项目、资产资源处置、"
        "低保和救助对象评定、宅基地）检查运行流程。",
    )
    for v in villages:
        mine = [b for b in breaches if b.village == v]
        listed = lists.get(v)
        row = {
            "stream_id": listed.stream_id if listed else "",
            "village": v,
            "in_force": f"{year}年第{listed.get('version', 1)}版"
            if listed
            else "默认清单（未公布）",
            "version": listed.get("version", "") if listed else "",
            "items_count": listed.get("items_count", "") if listed else "",
            "published_on": listed.get("published_on", "") if listed else "",
            "breaches": len(mine),
        }
        table.rows.append(row)
        table.based(row, "breaches", of_entities(mine))
    view.tables.append(table)
    rows = []
    for b in breaches:
        item = items.get(str(b.get("item_id")))
        rows.append(
            entity_row(
                b,
                act_type=ACTS.get(b.get("act_type", ""), b.get("act_type", "")),
                power_item=s.POWER_ITEMS.get(b.get("power_item", ""), b.get("power_item", "")),
                missing_steps=steps_text(b.get("missing_steps") or []),
                found_on=b.get("found_on", ""),
                item_status=status_label(s.ITEM, item.status) if item else "",
                deadline=item.get("deadline", "") if item else "",
            )
        )
    view.tables.append(
        Table(
            "breaches",
            "小微权力运行缺少步骤（问题清单）",
            [
                Column("village", "村/社区"),
                Column("act_type", "行为"),
                Column("power_item", "权力事项"),
                Column("missing_steps", "缺少的步骤", "note"),
                Column("found_on", "发现日期", "date"),
                Column("item_status", "问题清单事项", "status"),
                Column("deadline", "整改期限", "date"),
            ],
            rows,
        )
    )
    return view


# -- 村务监督委员会 --------------------------------------------------------------------------


def committee_years(committees: Iterable[Entity]) -> set[str]:
    years: set[str] = set()
    for c in committees:
        years.update(c.get("reports_by_year") or {})
        years.update(c.get("overdue_reports") or {})
    return years


def reported(c: Entity | None, year: int) -> dict[str, Any] | None:
    """The committee's report for the year, if made."""
    if c is None:
        return None
    found = (c.get("reports_by_year") or {}).get(str(year))
    return found if isinstance(found, dict) else None


def report_overdue(c: Entity | None, year: int) -> bool:
    """Found overdue (`CommitteeReportOverdue`) and no report for the year made since."""
    return (
        c is not None
        and str(year) in (c.get("overdue_reports") or {})
        and reported(c, year) is None
    )


def _current(c: Entity) -> list[dict[str, Any]]:
    return [m for m in (c.get("committee_members") or {}).values() if not m.get("left_on")]


async def committees(snap: Snapshot, ask: Ask) -> View:
    """村务监督委员会: members, the year's report to the party organisation and the
    representatives, the reports found overdue, and the committee's findings."""
    found = {c.village: c for c in await ask.entities(snap, s.COMMITTEE)}
    year = governance_year(ask, committee_years(found.values()))
    view = View("governance/committees", f"村务监督委员会（{year}年度）", ask.window, ask.village)
    villages = ask.villages()
    findings = await ask.facts(snap, ["supervision.CommitteeFindingRecorded"])
    staffed = [found[v] for v in villages if v in found and _current(found[v])]
    made = [found[v] for v in villages if reported(found.get(v), year)]
    late = [found[v] for v in villages if report_overdue(found.get(v), year)]
    view.cards += [
        Card(
            "已配备监委会村",
            f"{len(staffed)} / {len(villages)}",
            "有在任成员",
            tone_for(pct(len(staffed), len(villages))),
            of_entities(staffed),
        ),
        Card(
            "年度报告已报告",
            f"{len(made)} / {len(villages)}",
            f"{year}年度，向村党组织和村民代表会议",
            tone_for(pct(len(made), len(villages))),
            of_entities(made),
        ),
        Card(
            "逾期未报告", str(len(late)), f"{year}年度", "bad" if late else "ok", of_entities(late)
        ),
        Card("发现问题", str(len(findings)), "项（列入问题清单）", basis=of_events(findings)),
    ]
    table = Table(
        "villages",
        "分村监委会",
        [
            Column("village", "村/社区"),
            Column("members", "在任成员", "int"),
            Column("chair", "主任"),
            Column("reported_on", "年度报告日期", "date"),
            Column("to_party_organisation", "向村党组织报告", "bool"),
            Column("to_representatives", "向村民代表会议报告", "bool"),
            Column("overdue", "逾期未报告", "bool"),
            Column("findings", "发现问题", "int"),
        ],
    )
    for v in villages:
        c = found.get(v)
        report = reported(c, year) or {}
        current = _current(c) if c else []
        mine = [e for e in findings if e.village == v]
        row = {
            "stream_id": c.stream_id if c else "",
            "village": v,
            "members": len(current),
            "chair": next((m.get("name", "") for m in current if m.get("position") == "主任"), ""),
            "reported_on": report.get("reported_on", ""),
            "to_party_organisation": bool(report.get("to_party_organisation")),
            "to_representatives": bool(report.get("to_representatives")),
            "overdue": report_overdue(c, year),
            "findings": len(mine),
        }
        table.rows.append(row)
        table.based(row, "findings", of_events(mine))
    view.tables.append(table)
    overdue_rows = []
    for v in villages:
        c = found.get(v)
        for y, late_one in sorted(((c.get("overdue_reports") or {}) if c else {}).items()):
            later = reported(c, int(y)) if c else None
            overdue_rows.append(
                {
                    "stream_id": c.stream_id if c else "",
                    "village": v,
                    "year": int(y),
                    "due_on": late_one.get("due_on", ""),
                    "found_on": late_one.get("found_on", ""),
                    "reported_on": later.get("reported_on", "") if later else "",
                    "overdue": later is None,
                }
            )
    view.tables.append(
        Table(
            "overdue",
            "年度报告逾期",
            [
                Column("village", "村/社区"),
                Column("year", "年度"),
                Column("due_on", "应报告日期", "date"),
                Column("found_on", "发现逾期", "date"),
                Column("reported_on", "后补报告", "date"),
                Column("overdue", "仍未报告", "bool"),
            ],
            overdue_rows,
        )
    )
    items = await _items_of(snap, ask, (e.payload.get("item_id") for e in findings))
    rows = []
    for e in findings:
        item = items.get(str(e.payload.get("item_id")))
        rows.append(
            {
                "stream_id": e.stream_id,
                "village": e.village or "",
                "title": e.payload.get("title", ""),
                "detail": e.payload.get("detail", ""),
                "found_on": e.payload.get("found_on", ""),
                "item_status": status_label(s.ITEM, item.status) if item else "",
                "deadline": item.get("deadline", "") if item else "",
            }
        )
    view.tables.append(
        Table(
            "findings",
            "监委会发现的问题",
            [
                Column("village", "村/社区"),
                Column("title", "问题"),
                Column("detail", "情况", "note"),
                Column("found_on", "发现日期", "date"),
                Column("item_status", "问题清单事项", "status"),
                Column("deadline", "整改期限", "date"),
            ],
            rows,
        )
    )
    return view
