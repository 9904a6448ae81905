"""The auditor's views of the history: 断链 (reactions that never came) and 补录预警 (entries
recorded after the fact), as of a day, for the town or a village. Each row links to the entry's
audit trail and to its cause chain (`/chain/<event id>`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from projection.adapters.reader import Snapshot
from projection.domain.auditing import Step, policy, service_of
from projection.domain.catalogue import CONFIDENTIAL_KINDS, event_label
from projection.views.audit import ROLE_LABELS
from projection.views.common import Ask, page_info, page_of
from projection.views.model import Card, Chart, Column, Series, Table, View
from shared.clock import china_date

SERVICE_LABELS = {
    "relief": "扶贫民生",
    "funds": "资金监管",
    "supervision": "督查问责",
    "party": "党建",
}


def chain_url(event_id: str) -> str:
    return f"/chain/{event_id}"


def _until(ask: Ask) -> dt.datetime:
    return ask.window.cutoff or dt.datetime.now(dt.UTC)


def _visible(step: Step, ask: Ask) -> bool:
    if step.kind in CONFIDENTIAL_KINDS and not ask.clues:
        return False
    return ask.village is None or step.village == ask.village


def _row(step: Step, **fields: Any) -> dict[str, Any]:
    return {
        "stream_id": step.stream_id,
        "event": event_label(step.event_type),
        "service": SERVICE_LABELS.get(service_of(step.event_type), service_of(step.event_type)),
        "village": step.village or "",
        "actor": step.actor_id,
        "actor_role": ROLE_LABELS.get(step.actor_role, step.actor_role),
        "occurred_on": china_date(step.occurred_at).isoformat(),
        "recorded_on": china_date(step.recorded_at).isoformat(),
        "chain_url": chain_url(step.event_id),
        **fields,
    }


async def broken_chains(snap: Snapshot, ask: Ask) -> View:
    """断链: a confirmed red flag with no clue, a decision with no deduction, … after the grace."""
    view = View("audit/broken-chains", "断链", ask.window, ask.village)
    rules = policy()
    found = [
        (step, what)
        for step, what in await snap.broken_chains(until=_until(ask), grace=rules.grace)
        if _visible(step, ask)
    ]
    by_what = Counter(what for _, what in found)
    view.cards.append(
        Card("断链", str(len(found)), "件", "bad" if found else "ok"),
    )
    view.cards += [Card(what, str(n), "件", "bad") for what, n in sorted(by_what.items())]
    view.notes.append(
        f"一件事的后续处理由另一个服务自动完成；记录后 {rules.grace.total_seconds() / 60:.0f} 分钟"
        "仍未见到的，列为断链（运维中丢失的处理由此发现）。"
    )
    view.tables.append(
        Table(
            "broken",
            "断链",
            [
                Column("event", "起因事件"),
                Column("service", "服务"),
                Column("village", "村"),
                Column("actor", "经办人"),
                Column("recorded_on", "记录日期", "date"),
                Column("missing", "缺失的后续", "note"),
            ],
            [_row(step, missing=what) for step, what in page_of(ask, found)],
            page=page_info(ask, len(found)),
        )
    )
    return view


async def backdated(snap: Snapshot, ask: Ask) -> View:
    """补录预警: by actor, village and kind, with the delay in days."""
    view = View("audit/backdated", "补录预警", ask.window, ask.village)
    rules = policy()
    found = [
        (step, reasons)
        for step, reasons in await snap.backdated(rules, until=ask.window.cutoff)
        if _visible(step, ask)
    ]
    kinds = Counter(reason.split(" ")[0] for _, reasons in found for reason in reasons)
    actors = Counter(step.actor_id for step, _ in found)
    villages = Counter(step.village or "（镇级）" for step, _ in found)
    view.cards.append(Card("补录预警", str(len(found)), "条", "warn" if found else "ok"))
    view.cards += [Card(kind, str(n), "条", "warn") for kind, n in sorted(kinds.items())]
    view.notes.append(
        f"补录：记录时间晚于发生日期 {rules.late_after.days} 天以上；预填：发生日期晚于记录时间"
        f" {rules.future_after.days} 天以上；"
        "计入已公开季度、已完成的考核期：记在已经公开或考核过的期间内。"
    )
    top = actors.most_common(10)
    view.charts.append(
        Chart(
            "by_actor",
            "按经办人",
            "hbar",
            [a for a, _ in top],
            [Series("条", [n for _, n in top])],
            "条",
        )
    )
    view.charts.append(
        Chart(
            "by_village",
            "按村",
            "bar",
            list(villages),
            [Series("条", list(villages.values()))],
            "条",
        )
    )
    view.tables.append(
        Table(
            "entries",
            "补录的记录",
            [
                Column("event", "事件"),
                Column("service", "服务"),
                Column("village", "村"),
                Column("actor", "经办人"),
                Column("actor_role", "角色"),
                Column("occurred_on", "发生日期", "date"),
                Column("recorded_on", "记录日期", "date"),
                Column("delay_days", "相隔天数", "int"),
                Column("reasons", "预警原因", "note"),
            ],
            [
                _row(
                    step,
                    delay_days=(china_date(step.recorded_at) - china_date(step.occurred_at)).days,
                    reasons="、".join(reasons),
                )
                for step, reasons in page_of(ask, found)
            ],
            page=page_info(ask, len(found)),
        )
    )
    return view


#: Whose entries each group of views counts (the overview counts every service's).
GROUP_SERVICES = {
    "总览": ["relief", "funds", "supervision", "party"],
    "扶贫与民生": ["relief"],
    "资金监管": ["funds"],
    "督查问责": ["supervision"],
    "党建": ["party"],
    "乡村治理": ["funds", "supervision"],
}


async def mark_changed_after(snap: Snapshot, ask: Ask, group: str, view: View) -> None:
    """On a view "as of" a day: a note when entries recorded after that day, dated by it,
    changed its figures after the fact (补录), with how many and when the last came."""
    services = GROUP_SERVICES.get(group)
    if ask.window.as_of is None or ask.window.cutoff is None or not services:
        return
    count, last = await snap.changed_after(
        day_end=ask.window.cutoff, services=services, village=ask.village
    )
    if count:
        view.notes.insert(
            0,
            f"本页 {ask.window.as_of.isoformat()} 的数字在当日之后因 {count} 条补录的记录而改变"
            f"（最近一次录入于 {china_date(last).isoformat() if last else '—'}）；见“补录预警”。",
        )
