"""Party views of branches and cadres (measures 5 and 10): the assessment's ranking and the weak
branches' rectification, and the cadre adjustments in progress."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from projection.adapters.reader import Entity, Snapshot
from projection.domain import party as pt
from projection.domain.catalogue import status_label
from projection.views.basis import Basis, of_entities, of_events
from projection.views.common import Ask, entity_row
from projection.views.governance import governance_year
from projection.views.model import (
    Card,
    Chart,
    Column,
    Series,
    Table,
    View,
    pct,
    ratio_text,
    tone_for,
)

#: Measure 5's targets for a weak branch's rectification.
LEADER_VISITS_TARGET, HOUSEHOLD_VISITS_TARGET = 4, 100
ADJUSTMENT_STEPS = [
    "gathered",
    "voted",
    "decided",
    "notified",
    "appealed",
    "reviewed",
    "reappointed",
]


async def branches_of(snap: Snapshot, ask: Ask) -> dict[str, Entity]:
    return {b.entity_id: b for b in await ask.entities(snap, pt.BRANCH)}


async def branches(snap: Snapshot, ask: Ask) -> View:
    """支部量化评分排名与软弱涣散整顿 (measure 5)."""
    view = View("party/branches", "党支部排名与软弱涣散整顿", ask.window, ask.village)
    known = await branches_of(snap, ask)
    all_branches = {
        b.entity_id: b for b in await snap.entities(pt.BRANCH, cutoff=ask.window.cutoff)
    }
    concluded = [
        a
        for a in await snap.entities(pt.ASSESSMENT, cutoff=ask.window.cutoff)
        if a.status == "concluded"
    ]
    latest = max(concluded, key=lambda a: str(a.get("period", "")), default=None)
    ranking: list[dict[str, Any]] = list(latest.get("ranking", [])) if latest else []
    rows = []
    for place in ranking:
        branch = all_branches.get(str(place.get("branch_id")))
        if ask.village and (branch is None or branch.village != ask.village):
            continue
        rows.append(
            {
                "stream_id": branch.stream_id if branch else "",
                "rank": place.get("rank"),
                "branch_name": branch.get("branch_name", "") if branch else place.get("branch_id"),
                "village": branch.village if branch else "",
                "score": str(place.get("score")),
                "weak": str(place.get("branch_id"))
                in (latest.get("designated") or [] if latest else []),
            }
        )
    weak = [b for b in known.values() if b.status == "weak"]
    lifted = [b for b in known.values() if b.status == "lifted"]
    with_secretary = sum(1 for b in weak if b.get("first_secretary"))
    view.cards += [
        Card("党支部", str(len(known)), "个", basis=of_entities(known.values())),
        Card(
            "评分期间", str(latest.get("period", "—")) if latest else "—", f"参评 {len(ranking)} 个"
        ),
        Card(
            "软弱涣散（整顿中）",
            str(len(weak)),
            f"已摘帽 {len(lifted)}",
            "bad" if weak else "ok",
            of_entities(weak),
        ),
        Card(
            "第一书记覆盖",
            ratio_text(with_secretary, len(weak)),
            "个",
            tone_for(pct(with_secretary, len(weak)) if weak else 100),
            of_entities(b for b in weak if b.get("first_secretary")),
        ),
    ]
    view.charts.append(
        Chart(
            "ranking",
            "量化评分排名",
            "bar",
            [str(r["branch_name"]) for r in rows],
            [Series("得分", [float(Decimal(str(r["score"]))) for r in rows])],
            "分",
        )
    )
    view.tables.append(
        Table(
            "ranking",
            "量化评分排名",
            [
                Column("rank", "名次", "int"),
                Column("branch_name", "党支部"),
                Column("village", "村/社区"),
                Column("score", "得分"),
                Column("weak", "确定为软弱涣散", "bool"),
            ],
            rows,
        )
    )
    view.tables.append(
        Table(
            "weak",
            "软弱涣散党组织整顿",
            [
                Column("branch_name", "党支部"),
                Column("village", "村/社区"),
                Column("weak_period", "评定期间"),
                Column("weak_rank", "名次", "int"),
                Column("first_secretary", "第一书记"),
                Column("linked_leader", "联点领导"),
                Column("leader_visits", f"到点指导(目标{LEADER_VISITS_TARGET}次)", "int"),
                Column("household_pct", "走访面", "pct"),
                Column("status", "状态", "status"),
            ],
            [
                entity_row(
                    b,
                    branch_name=b.get("branch_name", ""),
                    weak_period=b.get("weak_period", ""),
                    weak_rank=b.get("weak_rank", ""),
                    first_secretary=b.get("first_secretary", ""),
                    linked_leader=b.get("linked_leader", ""),
                    leader_visits=b.get("leader_visits", 0),
                    household_pct=pct(b.get("households_visited", 0), b.get("households_total", 0)),
                )
                for b in [*weak, *lifted]
            ],
        )
    )
    return view


async def adjustments(snap: Snapshot, ask: Ask) -> View:
    """调整不胜任现职村干部 (measure 10): cases by step, those in progress."""
    view = View("party/adjustments", "调整不胜任现职村干部", ask.window, ask.village)
    cases = await ask.entities(snap, pt.ADJUSTMENT)
    in_progress = [
        c
        for c in cases
        if c.status in pt.ADJUSTMENT_OPEN
        and not (c.status == "decided" and c.get("decision") == "keep")
    ]
    steps = Counter(c.status or "" for c in cases)
    # supervision's accountability decisions as party took them: deducted, or why not
    taken = await ask.entities(snap, pt.ACCOUNTABILITY)
    decisions = Counter((str(a.get("kind", "")), a.status or "") for a in taken)
    deducted = sum(n for (_, status), n in decisions.items() if status == "matched")
    view.cards += [
        Card("调整案件", str(len(cases)), "件", basis=of_entities(cases)),
        Card(
            "办理中",
            str(len(in_progress)),
            "件",
            "warn" if in_progress else "ok",
            of_entities(in_progress),
        ),
        Card(
            "已调整到位",
            str(steps["notified"] + steps["reviewed"]),
            "件",
            basis=of_entities(c for c in cases if c.status in ("notified", "reviewed")),
        ),
        Card(
            "问责扣分",
            str(deducted),
            f"未扣分 {decisions.total() - deducted}",
            basis=of_entities(a for a in taken if a.status == "matched"),
        ),
    ]
    view.charts.append(
        Chart(
            "by_step",
            "办理环节",
            "bar",
            [status_label(pt.ADJUSTMENT, s) for s in ADJUSTMENT_STEPS],
            [
                Series(
                    "件",
                    [steps[s] for s in ADJUSTMENT_STEPS],
                    bases=[
                        of_entities(c for c in cases if c.status == s) for s in ADJUSTMENT_STEPS
                    ],
                )
            ],
            "件",
        )
    )
    view.tables.append(
        Table(
            "cases",
            "调整案件",
            [
                Column("cadre_name", "村干部"),
                Column("post", "职务"),
                Column("village", "村"),
                Column("grounds", "情形"),
                Column("opened_on", "启动日期", "date"),
                Column("decision", "决定"),
                Column("status", "当前环节", "status"),
                Column("in_progress", "办理中", "bool"),
            ],
            [
                entity_row(
                    c,
                    cadre_name=c.get("cadre_name", ""),
                    post=c.get("post", ""),
                    grounds="、".join(c.get("grounds") or []),
                    opened_on=c.get("opened_on", ""),
                    decision={"adjust": "调整", "keep": "不予调整"}.get(c.get("decision", ""), ""),
                    in_progress=c in in_progress,
                )
                for c in cases
            ],
        )
    )
    kinds = sorted({kind for kind, _ in decisions})
    by_kind = Table(
        "accountability",
        "问责扣分（按问责方式）",
        [
            Column("kind", "问责方式"),
            Column("matched", "已扣分", "int"),
            Column("unmatched", "未扣分", "int"),
        ],
    )
    for k in kinds:
        row = {
            "kind": k,
            "matched": decisions[(k, "matched")],
            "unmatched": decisions[(k, "unmatched")],
        }
        by_kind.rows.append(row)
        for status in ("matched", "unmatched"):
            by_kind.based(
                row,
                status,
                of_entities(a for a in taken if a.get("kind") == k and a.status == status),
            )
    view.tables.append(by_kind)
    return view


async def appraisal(snap: Snapshot, ask: Ask) -> View:
    """年度绩效考核与述职评议 (保障措施 3): the year's results as party concluded them (facts
    score, review score, total, grade, rank, referral to the 为官不为 process). A village's
    asker sees its branch secretary's row only (the units are the town's)."""
    cutoff = ask.window.cutoff
    every = await snap.entities(pt.APPRAISAL, cutoff=cutoff)
    year = governance_year(ask, {a.get("year") or a.entity_id for a in every})
    view = View("party/appraisal", f"年度绩效考核（{year}年度）", ask.window, ask.village)
    found = next((a for a in every if a.stream_id == f"appraisal-{year}"), None) or next(
        (a for a in every if a.status and str(a.get("year")) == str(year)), None
    )
    branches = {b.entity_id: b for b in await snap.entities(pt.BRANCH, cutoff=cutoff)}

    def village_of(subject_kind: Any, subject: Any) -> str | None:
        branch = branches.get(str(subject)) if subject_kind == "branch_secretary" else None
        return branch.village if branch else None

    def shown(record: dict[str, Any]) -> bool:
        return (
            not ask.village
            or village_of(record.get("subject_kind"), record.get("subject")) == ask.village
        )

    concluded = found is not None and found.status == "concluded"
    results = [r for r in (found.get("results") or [] if concluded and found else []) if shown(r)]
    reviews = [r for r in ((found.get("reviews") or {}).values() if found else []) if shown(r)]
    review_events: dict[str, Any] = {}
    referrals = []
    for e in await snap.facts(
        ["party.ReviewScoreRecorded", "party.InactionReferred"], start=None, cutoff=cutoff
    ):
        p = e.payload
        if str(p.get("year")) != str(year) or not shown(p):
            continue
        if e.event_type == "party.InactionReferred":
            referrals.append(e)
        else:
            review_events[f"{p.get('subject_kind')}:{p.get('subject')}"] = e  # the latest

    def reviewed(records: list[dict[str, Any]]) -> Basis | None:
        """The review scores of these subjects (述职评议: every subject appraised has one);
        no basis if one is missing from the log as of the day (then it lists nothing true)."""
        keys = [f"{r.get('subject_kind')}:{r.get('subject')}" for r in records]
        if any(k not in review_events for k in keys):
            return None
        return of_events(review_events[k] for k in keys)

    shown_records = results if concluded else reviews
    view.cards.append(
        Card(
            "参评对象",
            str(len(shown_records)),
            "个（单位、村党支部书记）" if concluded else "个已述职评议（考核未完成）",
            basis=reviewed(shown_records),
        )
    )
    for grade in pt.GRADES:
        mine = [r for r in results if r.get("grade") == grade]
        tone = "bad" if grade == "不称职" and mine else ""
        view.cards.append(Card(grade, str(len(mine)), "个", tone, reviewed(mine)))
    view.cards.append(
        Card(
            "移交为官不为整治",
            str(len(referrals)),
            "个",
            "warn" if referrals else "ok",
            of_events(referrals),
        )
    )
    stream = found.stream_id if found else ""
    rows = []
    for r in shown_records:
        kind = r.get("subject_kind")
        branch = branches.get(str(r.get("subject"))) if kind == "branch_secretary" else None
        appraised = (
            (branch.get("branch_name", "") if branch else str(r.get("subject", "")))
            if kind == "branch_secretary"
            else str(r.get("subject_name") or r.get("subject", ""))
        )
        rows.append(
            {
                "stream_id": stream,
                "appraised": appraised,
                "village": branch.village if branch else "",
                "subject_kind": pt.SUBJECT_KINDS.get(str(kind), str(kind or "")),
                "subject_name": r.get("subject_name", "") if kind == "branch_secretary" else "",
                "facts_score": str(r.get("facts_score", "")) if concluded else "",
                "review_score": str(r.get("review_score", r.get("score", ""))),
                "total": str(r.get("total", "")) if concluded else "",
                "grade": r.get("grade", "") if concluded else "",
                "rank": r.get("rank", "") if concluded else "",
                "referred": bool(r.get("referred")),
                "overdue_items": r.get("overdue_items", "") if concluded else "",
            }
        )
    rows.sort(key=lambda row: (row["rank"] == "", row["rank"] or 0, row["appraised"]))
    view.charts.append(
        Chart(
            "by_grade",
            "考核等次",
            "bar",
            list(pt.GRADES),
            [
                Series(
                    "个",
                    [sum(1 for r in results if r.get("grade") == g) for g in pt.GRADES],
                    bases=[
                        reviewed([r for r in results if r.get("grade") == g]) for g in pt.GRADES
                    ],
                )
            ],
            "个",
        )
    )
    view.tables.append(
        Table(
            "results",
            "考核结果",
            [
                Column("rank", "名次", "int"),
                Column("appraised", "考核对象"),
                Column("subject_kind", "类别"),
                Column("subject_name", "姓名"),
                Column("village", "村/社区"),
                Column("facts_score", "实绩得分"),
                Column("review_score", "述职评议得分"),
                Column("total", "总分"),
                Column("grade", "等次"),
                Column("referred", "移交为官不为整治", "bool"),
                Column("overdue_items", "逾期事项", "int"),
            ],
            rows,
            note="实绩得分由督查考核办记录的事实（措施完成、清单事项逾期、批示交办、信访化解）按党委规则计算；"
            "总分 = 实绩 × 0.6 + 述职评议 × 0.4。",
        )
    )
    if ask.village:
        view.notes.append(f"只显示{ask.village}党支部书记的考核结果。")
    return view
