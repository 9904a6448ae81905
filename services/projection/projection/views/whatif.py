"""推演: the last what-if run beside the live views — the rule changed, the figures side by side,
and every entity whose state differs, with the event the changed rule would have refused.

The what-if generation is read in the same transaction as the live one, with the same ask
(`as_of`, period, village), so the two columns answer the same question.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from projection.adapters.reader import Entity, Snapshot
from projection.adapters.whatif import WhatIfResult
from projection.domain.catalogue import event_label, status_label
from projection.domain.whatif import BadRule, changed_rule
from projection.views.auditing import chain_url
from projection.views.common import Ask, PageAsk, page_info, page_of
from projection.views.model import Card, Column, Table, View
from shared.clock import china_date

#: Kinds of table cell compared side by side (the figures).
FIGURE_KINDS = ("int", "pct", "money", "flag")


async def whatif(snap: Snapshot, ask: Ask) -> View:
    """推演 · 规则变更对照."""
    view = View("audit/whatif", "推演 · 规则变更对照", ask.window, ask.village)
    result = await snap.whatif()
    if result is None:
        view.notes.append(
            "尚无推演结果。审计或党委书记可在本页选择规则、修改取值后开始推演；"
            "推演在独立的临时数据代中重放全部历史，不影响实时视图，结果保留一段时间后自动删除。"
        )
        return view
    run = result.run
    try:
        rule = changed_rule(run["rule"])
    except BadRule:
        view.notes.append("推演记录的规则已无法识别 (the recorded rule is no longer known)")
        return view
    differences = await _differences(snap, result, ask, rule.kinds)
    figures = await _figures(snap, result.snapshot, ask, rule.compared_views)
    view.cards += [
        Card("推演规则", rule.label, f"由 {run['asked_by']} 发起"),
        Card(
            "重放事件",
            str(run["events_read"]),
            f"推演中不同的事件 {run['events_refused']} 条（不成立、改变或新增）",
            "warn" if run["events_refused"] else "ok",
        ),
        Card("结果不同的对象", str(len(differences)), "户/个", "warn" if differences else "ok"),
        Card(
            "变化的数字",
            str(sum(1 for f in figures if f["changed"])),
            f"共对照 {len(figures)} 项",
        ),
    ]
    view.tables.append(
        Table(
            "differences",
            "结果不同的对象",
            [
                Column("head_name", "对象"),
                Column("village", "村/社区"),
                Column("live_status", "实际状态", "status"),
                Column("whatif_status", "推演状态", "status"),
                Column("refused_event", "推演中的变化"),
                Column("refused_on", "事件日期", "date"),
                Column("reason", "原因", "note"),
            ],
            page_of(ask, differences),
            note="点“审计”查看该对象的全部事件；事件链接到其因果链。",
            page=page_info(ask, len(differences)),
        )
    )
    view.tables.append(
        Table(
            "figures",
            "数字对照（实际 / 推演）",
            [
                Column("view_title", "视图"),
                Column("figure", "数字"),
                Column("live_value", "实际"),
                Column("whatif_value", "推演"),
                Column("changed", "有变化", "bool"),
            ],
            figures,
        )
    )
    ran = run["finished_at"].astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    view.notes.append(
        f"推演于 {ran}（UTC）完成，重放 {run['events_read']} 条事件，用时 {run['seconds']} 秒；"
        "历史上未提出的申请（如较低贫困线下本可脱贫的户）没有事件，无法重放。"
    )
    return view


async def _differences(
    live: Snapshot,
    result: WhatIfResult,
    ask: Ask,
    kinds: tuple[str, ...],
) -> list[dict[str, Any]]:
    """Every entity of the rule's kinds whose status differs, as of the ask (or that exists on
    one side only), with the first event the rule refused, changed or added in its stream."""
    rows = []
    for stream_id, a, b in await result.differing(
        live, kinds, cutoff=ask.window.cutoff, village=ask.village
    ):
        either = a or b
        assert either is not None
        changes = result.refusals.get(stream_id, [])
        first = changes[0] if changes else None
        rows.append(
            {
                "stream_id": stream_id,
                "head_name": _name(either),
                "village": either.village or "",
                "live_status": _status(a),
                "whatif_status": _status(b),
                "refused_event": event_label(first["event_type"]) if first else "",
                "refused_on": _day(first["occurred_at"]) if first else "",
                "reason": first["reason"] if first else "",
                "chain_url": chain_url(str(first["event_id"])) if first else "",
            }
        )
    return rows


def _name(entity: Entity) -> str:
    return str(entity.get("head_name") or entity.get("name") or entity.entity_id)


def _status(entity: Entity | None) -> str:
    return status_label(entity.kind, entity.status) if entity is not None else "（无）"


def _day(instant: dt.datetime) -> str:
    return china_date(instant).isoformat()


async def _figures(
    live: Snapshot, other: Snapshot, ask: Ask, names: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The compared views' cards, and the figures of their short tables (a row per village,
    per measure …), live and what-if side by side."""
    from projection.views.registry import VIEWS  # the registry lists this view too

    brief = dataclasses.replace(ask, page=PageAsk(number=1, size=1))
    out: list[dict[str, Any]] = []
    for name in names:
        spec = VIEWS[name]
        a, b = await spec.build(live, brief), await spec.build(other, brief)
        replayed = {c.label: c.value for c in b.cards}
        out += [_pair(spec.title, c.label, c.value, replayed.get(c.label)) for c in a.cards]
        for ta, tb in zip(a.tables, b.tables, strict=False):
            if ta.page is not None:  # a long list: its figures are the cards' and the counts'
                continue
            figures = [c for c in ta.columns if c.kind in FIGURE_KINDS]
            key = ta.columns[0].key
            theirs = {str(row.get(key)): row for row in tb.rows}
            for row in ta.rows:
                mine = theirs.get(str(row.get(key)), {})
                for column in figures:
                    if row.get(column.key) != mine.get(column.key):
                        label = f"{ta.title} · {row.get(key)} · {column.title}"
                        theirs_value = mine.get(column.key)
                        out.append(_pair(spec.title, label, row.get(column.key), theirs_value))
    return out


def _pair(view_title: str, figure: str, live: Any, whatif: Any) -> dict[str, Any]:
    return {
        "view_title": view_title,
        "figure": figure,
        "live_value": "" if live is None else str(live),
        "whatif_value": "（无）" if whatif is None else str(whatif),
        "changed": live != whatif,
    }
