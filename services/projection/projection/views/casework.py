"""Supervision views of measures 11, 12 and 13: directives and assigned matters tracked to
completion, and inaction reports and corruption clues with their accountability."""

from __future__ import annotations

from collections import Counter

from projection.adapters.reader import Snapshot
from projection.domain import supervision as s
from projection.domain.catalogue import status_label
from projection.views.basis import of_entities, of_events
from projection.views.common import Ask, by_status, entity_row, overdue_days
from projection.views.model import Card, Chart, Column, Series, Table, View, pct, tone_for
from projection.views.supervision import is_done

DECIDED = "supervision.AccountabilityDecided"


async def directives(snap: Snapshot, ask: Ask) -> View:
    """批示件、交办事项 (measure 12): tracked to completion, overdue highlighted."""
    view = View("supervision/directives", "批示件、交办事项督办", ask.window, ask.village)
    found = await ask.entities(snap, s.DIRECTIVE)
    ref = ask.reference_day
    late = {
        e.stream_id: overdue_days(e.get("due_on"), ref, done=is_done(s.DIRECTIVE, e.status))
        for e in found
    }
    done = sum(1 for e in found if is_done(s.DIRECTIVE, e.status))
    overdue = sum(1 for v in late.values() if v)
    view.cards += [
        Card("批示交办件", str(len(found)), "件", basis=of_entities(found)),
        Card(
            "已办结/反馈",
            str(done),
            f"{pct(done, len(found))}%",
            tone_for(pct(done, len(found))),
            of_entities(e for e in found if is_done(s.DIRECTIVE, e.status)),
        ),
        Card(
            "逾期未办结",
            str(overdue),
            "件",
            "bad" if overdue else "ok",
            of_entities(e for e in found if late[e.stream_id]),
        ),
    ]
    statuses = by_status(found)
    order = ["received", "assigned", "reported_back", "completed"]
    view.charts.append(
        Chart(
            "by_status",
            "办理状态",
            "pie",
            [status_label(s.DIRECTIVE, x) for x in order],
            [
                Series(
                    "件",
                    [statuses[x] for x in order],
                    bases=[of_entities(e for e in found if e.status == x) for x in order],
                )
            ],
            "件",
        )
    )
    view.tables.append(
        Table(
            "directives",
            "批示交办件",
            [
                Column("kind", "类别"),
                Column("level", "层级"),
                Column("issued_by", "批示/交办人"),
                Column("subject", "事项", "note"),
                Column("lead_post", "牵头领导"),
                Column("lead_unit", "牵头单位"),
                Column("due_on", "办理时限", "date"),
                Column("status", "状态", "status"),
                Column("overdue_days", "逾期天数", "flag"),
            ],
            [
                entity_row(
                    e,
                    kind=e.get("kind", ""),
                    level=e.get("level", ""),
                    issued_by=e.get("issued_by", ""),
                    subject=e.get("subject", ""),
                    lead_post=e.get("lead_post", ""),
                    lead_unit=e.get("lead_unit", ""),
                    due_on=e.get("due_on", ""),
                    overdue_days=late[e.stream_id],
                )
                for e in found
            ],
        )
    )
    return view


async def clues(snap: Snapshot, ask: Ask) -> View:
    """为官不为、雁过拔毛 (measures 11, 13): counts for every leader, detail for the discipline
    secretary, the town secretary and the auditor."""
    view = View("supervision/clues", "问题线索与问责", ask.window, ask.village)
    found = await ask.entities(snap, s.CLUE)
    order = ["received", "verified", "deciding", "concluded", "dismissed"]
    cats = ("为官不为", "雁过拔毛")
    matrix = Counter((str(e.get("category", "")), e.status or "") for e in found)
    open_count = sum(1 for e in found if not is_done(s.CLUE, e.status))
    decisions = Counter(str(d.get("kind", "")) for e in found for d in (e.get("decisions") or []))
    # each decision is one AccountabilityDecided on its clue (the events behind 问责人次)
    clue_streams = {e.stream_id for e in found}
    decided = [
        f
        for f in await snap.facts(
            [DECIDED], start=None, cutoff=ask.window.cutoff, village=ask.village
        )
        if f.stream_id in clue_streams
    ]
    view.cards += [
        Card("线索", str(len(found)), "条", basis=of_entities(found)),
        Card(
            "在办",
            str(open_count),
            "条",
            "warn" if open_count else "ok",
            of_entities(e for e in found if not is_done(s.CLUE, e.status)),
        ),
        Card("问责人次", str(sum(decisions.values())), "人次", basis=of_events(decided)),
        Card(
            "来自资金预警",
            str(sum(1 for e in found if e.get("red_flag_id"))),
            "条",
            basis=of_entities(e for e in found if e.get("red_flag_id")),
        ),
    ]
    view.charts.append(
        Chart(
            "by_category",
            "线索办理状态",
            "bar",
            list(cats),
            [
                Series(
                    status_label(s.CLUE, st),
                    [matrix[(c, st)] for c in cats],
                    "s",
                    [
                        of_entities(e for e in found if e.get("category") == c and e.status == st)
                        for c in cats
                    ],
                )
                for st in order
            ],
            "条",
        )
    )
    summary = Table(
        "summary",
        "按类别与状态",
        [Column("category", "类别")]
        + [Column(st, status_label(s.CLUE, st), "int") for st in order],
    )
    for c in cats:
        row = {"category": c} | {st: matrix[(c, st)] for st in order}
        summary.rows.append(row)
        for st in order:
            summary.based(
                row,
                st,
                of_entities(e for e in found if e.get("category") == c and e.status == st),
            )
    view.tables.append(summary)
    kinds = Table(
        "accountability",
        "问责方式",
        [Column("kind", "问责方式"), Column("count", "人次", "int")],
    )
    for k, n in decisions.most_common():
        row = {"kind": k, "count": n}
        kinds.rows.append(row)
        kinds.based(row, "count", of_events(f for f in decided if f.payload.get("kind") == k))
    view.tables.append(kinds)
    if not ask.clues:
        view.notes.append("线索明细仅纪委书记、党委书记和审计可查看。")
        return view
    view.tables.append(
        Table(
            "clues",
            "线索明细",
            [
                Column("category", "类别"),
                Column("channel", "来源"),
                Column("summary", "摘要", "note"),
                Column("village", "村/社区"),
                Column("subject_name", "被反映人"),
                Column("subject_post", "职务"),
                Column("received_on", "受理日期", "date"),
                Column("status", "状态", "status"),
                Column("kinds", "问责方式"),
            ],
            [
                entity_row(
                    e,
                    category=e.get("category", ""),
                    channel=e.get("channel", ""),
                    summary=e.get("summary", ""),
                    subject_name=e.get("subject_name", ""),
                    subject_post=e.get("subject_post", ""),
                    received_on=e.get("received_on", ""),
                    kinds="、".join(e.get("kinds") or []),
                )
                for e in found
            ],
        )
    )
    return view
