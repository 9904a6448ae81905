"""Supervision's casework for the figures cross-check (test_figures_agree): the supervision
demo's own cases (items, petitions, directives, clues and their steps, dated 2016–2017),
sent over HTTP by the demo users who record them, after the plan's 14 measures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import httpx
from supervision.demo import load_cases
from supervision.domain.vocabulary import STATUS_LABELS as DIRECTIVE_LABELS

from demo.client import demo_headers
from shared.roles import Role
from shared.testing import TEST_ISSUER, bearer

from .support import DISCIPLINE, ok


async def supervision_work(supervision: httpx.AsyncClient) -> None:
    """The demo's cases, each created by its user and taken through its steps; among them
    petitions resolved before they are struck off (销号), items past their deadlines and a
    directive overdue."""
    cases = load_cases()
    users = {"organisation"} | {c.by for c in cases} | {s.by for c in cases for s in c.steps}
    headers = demo_headers(TEST_ISSUER, users)
    await ok(
        supervision.post(
            "/api/v1/plan/register",
            json={"occurred_on": "2016-03-01"},
            headers=headers["organisation"],
        )
    )
    for case in cases:
        base = f"/api/v1/{case.kind}"
        body: dict[str, Any] = {"id": case.id, "occurred_on": case.on, **case.body}
        created = await ok(supervision.post(base, json=body, headers=headers[case.by]), 201)
        version = int(created["version"])
        for step in case.steps:
            body = {**step.body, "occurred_on": step.on, "expected_version": version}
            done = await ok(
                supervision.post(
                    f"{base}/{case.id}/{step.verb}", json=body, headers=headers[step.by]
                )
            )
            version = int(done["version"])


SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="secretary")
#: Days supervision's figures are compared on: a petition resolved but not yet struck off
#: (2016-08-05, 2016-10-10, 2016-11-30), items and a directive overdue; None: today.
DAYS = (
    dt.date(2016, 8, 5),
    dt.date(2016, 10, 10),
    dt.date(2016, 11, 30),
    dt.date(2017, 3, 31),
    None,
)
#: The village filters supervision's ledger offers (None: the town).
ITEM_VILLAGES = (None, "石壁村", "金霞村", "梅林村")


def cards(view: dict[str, Any]) -> dict[str, str]:
    return {c["label"]: c["value"] for c in view["cards"]}


def chart(view: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    """A chart's series by name, each {category: value}."""
    found = next(c for c in view["charts"] if c["name"] == name)
    return {
        s["name"]: dict(zip(found["categories"], s["data"], strict=True)) for s in found["series"]
    }


def nonzero(counts: dict[str, Any]) -> dict[str, int]:
    return {k: int(v) for k, v in counts.items() if v}


def labelled(counts: Counter[str], labels: dict[str, str]) -> dict[str, int]:
    """Counts by status code → by the status's zh-CN label, as the view names them."""
    return nonzero({labels.get(k, k): n for k, n in counts.items()})


async def items_figures(
    sides: Any, day: dt.date | None, village: str | None
) -> tuple[dict[str, int], dict[str, int]]:
    """Supervision's `/items` (count, overdue, closed, in hand) and the projection's
    `supervision/items` cards, for the same village and day."""
    query = {k: str(v) for k, v in {"as_of": day, "village": village}.items() if v is not None}
    own = await ok(sides.supervision.get("/api/v1/items", params=query, headers=SECRETARY))
    statuses = Counter(i["status"] for i in own["items"])
    view = cards(await sides.view("supervision/items", as_of=day, village=village))
    return (
        {
            "count": own["count"],
            "overdue": own["overdue"],
            "closed": statuses["closed"],
            "in_hand": statuses["open"] + statuses["in_progress"],
        },
        {
            "count": int(view["清单事项"]),
            "overdue": int(view["逾期未整改"]),
            "closed": int(view["已销号"]),
            "in_hand": int(view["整改中"]),
        },
    )


async def petition_figures(sides: Any, day: dt.date | None) -> tuple[Any, Any]:
    """Supervision's `/petitions` (count, backlog 积案 by focus area) and the projection's."""
    query = {"as_of": day.isoformat()} if day else {}
    own = await ok(sides.supervision.get("/api/v1/petitions", params=query, headers=SECRETARY))
    view = await sides.view("supervision/petitions", as_of=day)
    shown = cards(view)
    return (
        {
            "count": own["count"],
            "backlog": own["backlog"],
            "by_area": nonzero(own["backlog_by_focus_area"]),
        },
        {
            "count": int(shown["信访件"]),
            "backlog": int(shown["积案（未销号）"]),
            "by_area": nonzero(chart(view, "backlog_by_area")["积案"]),
        },
    )


async def directive_figures(sides: Any, day: dt.date | None) -> tuple[Any, Any]:
    """Supervision's `/directives/report` (total, by status, overdue, done) and the
    projection's `supervision/directives`."""
    query = {"as_of": day.isoformat()} if day else {}
    own = await ok(
        sides.supervision.get("/api/v1/directives/report", params=query, headers=SECRETARY)
    )
    view = await sides.view("supervision/directives", as_of=day)
    shown = cards(view)
    by_status = Counter(own["by_status"])
    return (
        {
            "total": own["total"],
            "by_status": labelled(by_status, DIRECTIVE_LABELS),
            "overdue": len(own["overdue"]),
            "done": by_status["reported_back"] + by_status["completed"],
        },
        {
            "total": int(shown["批示交办件"]),
            "by_status": nonzero(chart(view, "by_status")["件"]),
            "overdue": int(shown["逾期未办结"]),
            "done": int(shown["已办结/反馈"]),
        },
    )


async def clue_figures(sides: Any, day: dt.date | None) -> tuple[Any, Any]:
    """Supervision's `/clues` (count, by category and status, accountability decided) and
    the projection's `supervision/clues`."""
    query = {"as_of": day.isoformat()} if day else {}
    own = await ok(sides.supervision.get("/api/v1/clues", params=query, headers=DISCIPLINE))
    view = await sides.view("supervision/clues", as_of=day)
    shown = cards(view)
    summary = next(t["rows"] for t in view["tables"] if t["name"] == "summary")
    statuses = [
        c["key"] for c in next(t for t in view["tables"] if t["name"] == "summary")["columns"]
    ]
    return (
        {
            "count": own["count"],
            "by_category": Counter((c["category"], c["status"]) for c in own["clues"]),
            "decisions": sum(len(c["decisions"]) for c in own["clues"]),
            "from_red_flags": sum(1 for c in own["clues"] if c["red_flag"]),
        },
        {
            "count": int(shown["线索"]),
            "by_category": Counter(
                {(r["category"], st): r[st] for r in summary for st in statuses[1:] if r[st]}
            ),
            "decisions": int(shown["问责人次"]),
            "from_red_flags": int(shown["来自资金预警"]),
        },
    )
