"""Party's members, branches and cadre adjustments for the figures cross-check
(test_party_figures_agree): a few more cadre adjustment cases sent over HTTP as the
organisation committee member records them (the demo has one, at step ②), and the functions
that read each figure from party's own API and from the projection's view, `(own, projected)`.

Party owns the rules (a year's total and level, the register on a day, the training months
due, a case's step); the projection counts what party's events say."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import Counter
from typing import Any

import httpx
from projection.domain import party as pt

from shared.roles import Role
from shared.testing import bearer

from .support import ORGANISATION, ok

SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="secretary")

#: A sample of the demo's members (with partywork's late joiner and the one removed): a
#: secretary, the unqualified ones, the two transferred, a converted probationer and the one
#: accountable to supervision.
SAMPLE = (
    "member-0001",
    "member-0037",
    "member-0044",
    "member-0050",
    "member-0188",
    "member-0203",
    "member-0112",
    "member-demo-jinxia-01",
)
#: The cadre adjustment cases added to the demo's one: (id, village, steps in order).
_VOTES = {
    "committee": {"in_favour": 6, "against": 1, "abstaining": 0},
    "representatives": {"in_favour": 25, "against": 5, "abstaining": 2},
    "summary": "调查核实，两会表决",
}
CASES: tuple[tuple[str, str, tuple[tuple[str, dict[str, Any]], ...]], ...] = (
    (
        "adjustment-xc-kept",
        "石壁村",
        (
            ("investigation", {**_VOTES, "occurred_on": "2016-09-20"}),
            ("decision", {"decision": "keep", "summary": "批评教育", "occurred_on": "2016-10-08"}),
        ),
    ),
    (
        "adjustment-xc-notified",
        "金霞村",
        (
            ("investigation", {**_VOTES, "occurred_on": "2016-09-25"}),
            ("decision", {"decision": "adjust", "summary": "调整", "occurred_on": "2016-10-10"}),
            ("notice", {"talked_by": "陈芳", "summary": "已谈话", "occurred_on": "2016-10-20"}),
        ),
    ),
    (
        "adjustment-xc-overturned",
        "梅林村",
        (
            ("investigation", {**_VOTES, "occurred_on": "2016-10-15"}),
            ("decision", {"decision": "adjust", "summary": "调整", "occurred_on": "2016-11-01"}),
            ("notice", {"talked_by": "陈芳", "summary": "已谈话", "occurred_on": "2016-11-10"}),
            ("appeal", {"grounds": "不服调整决定", "occurred_on": "2016-11-20"}),
            ("review", {"result": "overturned", "summary": "撤销", "occurred_on": "2017-01-10"}),
        ),
    ),
    (
        "adjustment-xc-reappointed",
        "龙口村",
        (
            ("investigation", {**_VOTES, "occurred_on": "2016-06-20"}),
            ("decision", {"decision": "adjust", "summary": "调整", "occurred_on": "2016-07-05"}),
            ("notice", {"talked_by": "陈芳", "summary": "已谈话", "occurred_on": "2016-07-15"}),
            ("appeal", {"grounds": "不服调整决定", "occurred_on": "2016-07-25"}),
            ("review", {"result": "upheld", "summary": "维持", "occurred_on": "2016-08-20"}),
            ("reappointment", {"post": "村委会委员", "occurred_on": "2017-03-01"}),
        ),
    ),
    ("adjustment-xc-gathered", "金霞村", ()),
)
#: Party's step of a case → the projection's status of it.
STEP_SHOWN = {
    "investigated": "voted",
    "kept": "decided",
    "upheld": "reviewed",
    "overturned": "reviewed",
}
_STATUS = {label: status for status, label in pt.STATUS_LABELS.items()}


async def adjustment_work(party: httpx.AsyncClient) -> None:
    """The cases of `CASES`, each opened a month before its first step, as far as it goes."""
    for case_id, village, steps in CASES:
        first = dt.date.fromisoformat(steps[0][1]["occurred_on"]) if steps else dt.date(2017, 3, 20)
        body = {
            "adjustment_id": case_id,
            "cadre_name": f"{village[:2]}干部",
            "post": "村委会委员",
            "village": village,
            "grounds": ["长期不在岗"],
            "summary": "镇党委走访掌握情况",
            "occurred_on": (first - dt.timedelta(days=30)).isoformat(),
        }
        await ok(party.post("/api/v1/cadre-adjustments", json=body, headers=ORGANISATION), 201)
        for step, step_body in steps:
            path = f"/api/v1/cadre-adjustments/{case_id}/{step}"
            await ok(party.post(path, json=step_body, headers=ORGANISATION))


def _table(view: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return list(next(t for t in view["tables"] if t["name"] == name)["rows"])


def _cards(view: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["label"]: c for c in view["cards"]}


def _year(view: dict[str, Any]) -> int:
    match = re.search(r"（(\d{4})年度）", view["title"])
    assert match, view["title"]
    return int(match.group(1))


def _as_of(day: dt.date | None) -> dict[str, str]:
    return {"as_of": day.isoformat()} if day else {}


async def register(sides: Any, *left: str) -> list[str]:
    """Every member party has registered: today's branches' members and those `left`."""
    ids = set(left)
    for branch in await ok(sides.party.get("/api/v1/branches", headers=SECRETARY)):
        path = f"/api/v1/branches/{branch['branch_id']}/members"
        ids |= {m["member_id"] for m in await ok(sides.party.get(path, headers=SECRETARY))}
    return sorted(ids)


async def _gathered(calls: list[Any], limit: int = 16) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(call: Any) -> Any:
        async with gate:
            return await call

    return list(await asyncio.gather(*(one(c) for c in calls)))


async def _member(sides: Any, member_id: str, day: dt.date | None) -> dict[str, Any] | None:
    """Party's member as of the day; None when not on the register that day."""
    response = await sides.party.get(
        f"/api/v1/members/{member_id}", params=_as_of(day), headers=SECRETARY
    )
    if response.status_code == 404:
        return None
    member: dict[str, Any] = await ok(response)
    return None if member["status"] == "left" else member


def _grade(book: dict[str, Any], total: int) -> str:
    """The rule book's level of a year total (party's `RuleBook.grade`)."""
    return str(
        next(
            x["name"] for x in book["levels"] if x["min_points"] is None or total >= x["min_points"]
        )
    )


async def points_figures(
    sides: Any, day: dt.date | None, member_ids: list[str], sample: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Party's `/members/{id}` as of the day (the year's total, graded level, open 不合格
    procedure), `/rule-book` (base points and levels of a year not yet graded) and, for the
    sample, `/members/{id}/points` (deduction records) — and the projection's `party/points`
    for the same day and year: the member list, the cards and the members by level."""
    view = await sides.view("party/points", as_of=day, size=500)
    year = _year(view)
    book = await ok(sides.party.get("/api/v1/rule-book", params={"year": year}, headers=SECRETARY))
    members = await _gathered([_member(sides, m, day) for m in member_ids])
    own_rows = {}
    for m in filter(None, members):
        points = m["points"].get(str(year))
        total = points["total"] if points else book["base_points"]
        graded = bool(points and points["level_name"])
        procedure = any(p["open"] for p in m["unqualified_procedures"])
        own_rows[m["member_id"]] = {
            "total": total,
            "level": points["level_name"] if graded else _grade(book, total),
            "graded": graded,
            "status": "unqualified" if procedure else m["status"],
        }
    shown = {r["stream_id"]: r for r in _table(view, "members")}
    projected_rows = {
        mid: {
            "total": r["total"],
            "level": r["level"].removesuffix("（预估）"),
            "graded": not r["level"].endswith("（预估）"),
            "status": _STATUS[r["membership"]],
        }
        for mid, r in shown.items()
    }
    cards = _cards(view)
    graded_count = int(cards["已评定等次"]["value"].split("/")[0])
    return (
        {
            "members": len(own_rows),
            "rows": own_rows,
            "graded": sum(r["graded"] for r in own_rows.values()),
            "unqualified": sum(r["status"] == "unqualified" for r in own_rows.values()),
            "by_level": dict(Counter(r["level"] for r in own_rows.values())),
            "deductions": {m: await _deductions(sides, m) for m in sample if m in own_rows}
            if day is None
            else {},
        },
        {
            "members": int(cards["党员"]["value"]),
            "rows": projected_rows,
            "graded": graded_count,
            "unqualified": int(cards["不合格党员处置中"]["value"]),
            "by_level": {
                r["level"]: r["members"] for r in _table(view, "by_level") if r["members"]
            },
            "deductions": {m: shown[m]["deductions"] for m in sample if m in shown}
            if day is None
            else {},
        },
    )


async def _deductions(sides: Any, member_id: str) -> int:
    """How many deductions party recorded on the member, every year (today only: a deduction
    waiting for its member is recorded at the registration, dated by the decision)."""
    member = await ok(sides.party.get(f"/api/v1/members/{member_id}", headers=SECRETARY))
    count = 0
    for year in member["points"]:
        path = f"/api/v1/members/{member_id}/points"
        detail = await ok(sides.party.get(path, params={"year": year}, headers=SECRETARY))
        count += sum(1 for r in detail["records"] if r["points"] < 0)
    return count


async def training_figures(
    sides: Any, day: dt.date | None, member_ids: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Party's `/members/{id}/training` (sessions of the year by the day, the branch months
    attended and missed) for every member on the register that day, and the projection's
    member rows of `party/training` for the same year and day."""
    view = await sides.view("party/training", as_of=day, size=500)
    year = _year(view)
    query = {"year": str(year), **_as_of(day)}
    on_register = [
        m["member_id"] for m in await _gathered([_member(sides, m, day) for m in member_ids]) if m
    ]

    async def trained(member_id: str) -> dict[str, Any]:
        path = f"/api/v1/members/{member_id}/training"
        return dict(await ok(sides.party.get(path, params=query, headers=SECRETARY)))

    own = {
        t["member_id"]: {
            "county": t["county_sessions"],
            "town": t["town_sessions"],
            "branch_months": len(t["branch_session_months"]),
            "missed": len(t["months_missed"]),
            "monthly_met": t["monthly_target_met"],
        }
        for t in await _gathered([trained(m) for m in on_register])
    }
    projected = {
        r["stream_id"]: {
            "county": r["county_sessions"],
            "town": r["town_sessions"],
            "branch_months": r["branch_months"],
            "missed": r["months_missed"],
            "monthly_met": r["monthly_met"],
        }
        for r in _table(view, "members")
    }
    return own, projected


async def branch_figures(
    sides: Any, day: dt.date | None, village: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Party's `/branches` (and `/branches/{id}` as of the day: established, its designation
    and rectification) and, today, `/branches/{id}/members` — and the projection's
    `party/branches` (the branch count, the weak table) and the members of `party/points` by
    branch, for the same day and village."""
    rows = await ok(sides.party.get("/api/v1/branches", headers=SECRETARY))
    rows = [b for b in rows if village is None or b["village"] == village]
    states = []
    for b in rows:
        path = f"/api/v1/branches/{b['branch_id']}"
        response = await sides.party.get(path, params=_as_of(day), headers=SECRETARY)
        if response.status_code != 404:
            states.append(await ok(response))
    rectifying = {}
    for s in states:
        # the current designation, or the last one lifted (the projection lists both)
        d = s["designation"] or (s["designations"][-1] if s["designations"] else None)
        if d:
            rectifying[s["name"]] = {
                "period": d["period"],
                "rank": d["rank"],
                "first_secretary": (d["first_secretary"] or {}).get("name", ""),
                "linked_leader": (d["linked_leader"] or {}).get("name", ""),
                "leader_visits": len(d["leader_visits"]),
                "weak": s["designated_weak"],
            }
    own: dict[str, Any] = {"branches": len(states), "rectifying": rectifying}
    view = await sides.view("party/branches", as_of=day, village=village)
    projected: dict[str, Any] = {
        "branches": int(_cards(view)["党支部"]["value"]),
        "rectifying": {
            r["branch_name"]: {
                "period": r["weak_period"],
                "rank": r["weak_rank"],
                "first_secretary": r["first_secretary"],
                "linked_leader": r["linked_leader"],
                "leader_visits": r["leader_visits"],
                "weak": _STATUS[r["status"]] == "weak",
            }
            for r in _table(view, "weak")
        },
    }
    if day is None:  # party lists a branch's members as they are now
        members = {}
        for b in rows:
            path = f"/api/v1/branches/{b['branch_id']}/members"
            listed = await ok(sides.party.get(path, headers=SECRETARY))
            if listed:
                members[b["name"]] = len(listed)
        own["members"] = members
        points = await sides.view("party/points", village=village, size=500)
        projected["members"] = dict(Counter(r["branch_name"] for r in _table(points, "members")))
    return own, projected


async def adjustment_figures(
    sides: Any, village: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Party's `/cadre-adjustments` (each case's step) and `/accountability` (decisions by
    kind, deducted or not) and the projection's `party/adjustments` (cases, steps, the
    accountability table), for the same village (party's list filtered by its village)."""
    cases = await ok(sides.party.get("/api/v1/cadre-adjustments", headers=SECRETARY))
    cases = [c for c in cases if village is None or c["village"] == village]
    view = await sides.view("party/adjustments", village=village)
    own: dict[str, Any] = {
        "cases": len(cases),
        "steps": {c["adjustment_id"]: STEP_SHOWN.get(c["step"], c["step"]) for c in cases},
        "kept": sorted(c["adjustment_id"] for c in cases if c["step"] == "kept"),
    }
    rows = _table(view, "cases")
    projected: dict[str, Any] = {
        "cases": int(_cards(view)["调整案件"]["value"]),
        "steps": {r["stream_id"]: _STATUS[r["status"]] for r in rows},
        "kept": sorted(r["stream_id"] for r in rows if r["decision"] == "不予调整"),
    }
    if village is None:  # accountability decisions name no village
        # deducted ones only: party keeps reading the shared topics after its events were
        # handed to the projection, and every other run's decisions arrive unmatched here
        decided = await ok(
            sides.party.get("/api/v1/accountability", params={"matched": "true"}, headers=SECRETARY)
        )
        own["accountability"] = dict(Counter(d["kind"] for d in decided))
        own["deducted"] = len(decided)
        projected["accountability"] = {
            r["kind"]: r["matched"] for r in _table(view, "accountability") if r["matched"]
        }
        projected["deducted"] = int(_cards(view)["问责扣分"]["value"])
    return own, projected


def differences(own: Any, projected: Any, path: str = "") -> list[str]:
    """Where two figures differ, key by key (the first few), for a failure's message."""
    if isinstance(own, dict) and isinstance(projected, dict):
        out: list[str] = []
        for key in sorted(set(own) | set(projected), key=str):
            here = f"{path}/{key}"
            if key not in own or key not in projected:
                out.append(f"{here}: party {own.get(key, '—')!r}, view {projected.get(key, '—')!r}")
            else:
                out += differences(own[key], projected[key], here)
        return out[:12]
    return [] if own == projected else [f"{path}: party {own!r}, view {projected!r}"]
