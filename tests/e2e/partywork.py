"""Party's work for the figures cross-check (test_figures_agree): the party demo (34 branches,
300 members, a year of training, the 2016 assessment and the weak branches' rectification),
sent over HTTP as the organisation committee member records it, and then a member who joins
in September 2016, one sent to degree education in 2017 and removed from the party (除名)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import httpx
from party.demo import Api, load
from projection.domain import party as pt
from projection.domain.catalogue import status_label

from shared.roles import Role
from shared.testing import bearer

from .memberwork import adjustment_work
from .support import ORGANISATION, ok, resident_id

SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="secretary")
#: Days party's figures are compared on: a month's last day (that month is over), after the
#: 2016 degree enrolments, the year's end, a 2017 day after a removal; None: today.
DAYS = (
    dt.date(2016, 8, 31),
    dt.date(2016, 10, 15),
    dt.date(2016, 12, 31),
    dt.date(2017, 3, 31),
    None,
)
LATE_JOINER, REMOVED = "member-xc-late", "member-0112"


async def party_work(party: httpx.AsyncClient) -> None:
    as_organisation = httpx.AsyncClient(
        transport=party._transport, base_url=party.base_url, headers=ORGANISATION, timeout=60
    )
    async with as_organisation:
        await load(Api(as_organisation))
    body = {
        "member_id": LATE_JOINER,
        "branch_id": "branch-430321100201",
        "name": "秋入册",
        "id_number": resident_id(),
        "membership": "full",
        "joined_party_on": "2010-07-01",
        "occurred_on": "2016-09-10",
    }
    await ok(party.post("/api/v1/members", json=body, headers=ORGANISATION), 201)
    base = f"/api/v1/members/{REMOVED}"
    steps: list[tuple[str, dict[str, Any]]] = [
        (
            "degree-education",
            {
                "institution": "湖南广播电视大学湘潭分校",
                "level": "associate",
                "occurred_on": "2017-01-05",
            },
        ),
        (
            "unqualified/2016/decision",
            {"decision": "remove", "summary": "支部大会决定除名", "occurred_on": "2017-01-15"},
        ),
        (
            "unqualified/2016/outcome",
            {"outcome": "removed", "summary": "已除名", "occurred_on": "2017-02-10"},
        ),
    ]
    for path, step in steps:
        await ok(party.post(f"{base}/{path}", json=step, headers=ORGANISATION))
    await adjustment_work(party)


def _cards(view: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["label"]: c for c in view["cards"]}


def _ratio(value: str) -> tuple[int, int]:
    """`7 / 10` → (7, 10)."""
    done, of = value.split("/")
    return int(done), int(of)


async def training_figures(sides: Any, day: dt.date | None) -> tuple[Any, Any]:
    """Party's `/training/targets` (secretaries, members meeting the monthly target, degree
    education, entrepreneurship) and the projection's `party/training`, for the same year and
    day (today: the year the projection shows)."""
    view = await sides.view("party/training", as_of=day)
    match = re.search(r"（(\d{4})年度）", view["title"])
    assert match, view["title"]
    query: dict[str, str] = {"year": match.group(1)}
    if day:
        query["as_of"] = day.isoformat()
    own = await ok(sides.party.get("/api/v1/training/targets", params=query, headers=SECRETARY))
    county = town = 0  # secretaries meeting each of their two targets, branch by branch
    for branch in await ok(sides.party.get("/api/v1/branches", headers=SECRETARY)):
        path = f"/api/v1/branches/{branch['branch_id']}/training"
        secretary = (await ok(sides.party.get(path, params=query, headers=SECRETARY)))["secretary"]
        target = secretary and secretary["secretary_target"]
        if target:
            county += target["county_sessions"]["attended"] >= target["county_sessions"]["required"]
            town += target["town_sessions"]["attended"] >= target["town_sessions"]["required"]
    shown = {label.split("（")[0]: _ratio(c["value"]) for label, c in _cards(view).items()}
    return (
        {
            "year": own["year"],
            "secretaries": own["secretaries"]["with_secretary"],
            "county": county,
            "town": town,
            "members": own["members"]["active"],
            "meeting_monthly": own["members"]["meeting_monthly"],
            "degree": own["degree_education"]["enrolled"],
            "entrepreneurs": own["entrepreneurship"]["trained"],
        },
        {
            "year": int(match.group(1)),
            "secretaries": shown["支部书记参加县级培训≥1次"][1],
            "county": shown["支部书记参加县级培训≥1次"][0],
            "town": shown["支部书记参加党委培训≥2次"][0],
            "members": shown["党员每月参加支部培训"][1],
            "meeting_monthly": shown["党员每月参加支部培训"][0],
            "degree": shown["选派参加大专以上学历教育"][0],
            "entrepreneurs": shown["培育农村创业就业党员"][0],
        },
    )


async def weak_branch_figures(sides: Any) -> tuple[Any, Any]:
    """Party's `/weak-branches` (designated now) and the projection's `party/branches`
    (the weak branches in rectification, by name)."""
    own = await ok(sides.party.get("/api/v1/weak-branches", headers=SECRETARY))
    view = await sides.view("party/branches")
    weak = next(t for t in view["tables"] if t["name"] == "weak")["rows"]
    names = sorted(
        str(r["branch_name"]) for r in weak if r["status"] == status_label(pt.BRANCH, "weak")
    )
    return (
        {"count": len(own), "names": sorted(str(r["name"]) for r in own)},
        {"count": int(_cards(view)["软弱涣散（整顿中）"]["value"]), "names": names},
    )


async def assessment_figures(sides: Any, period: str) -> tuple[Any, Any]:
    """Party's `/assessments/{period}` (the concluded ranking and those designated) and the
    projection's ranking in `party/branches`."""
    own = await ok(sides.party.get(f"/api/v1/assessments/{period}", headers=SECRETARY))
    concluded = own["concluded"]
    names = {
        b["branch_id"]: b["name"]
        for b in await ok(sides.party.get("/api/v1/branches", headers=SECRETARY))
    }
    view = await sides.view("party/branches")
    rows = next(t for t in view["tables"] if t["name"] == "ranking")["rows"]
    return (
        {
            "period": concluded["period"],
            "ranking": [
                (int(p["rank"]), names[p["branch_id"]], Decimal(str(p["score"])))
                for p in concluded["ranking"]
            ],
            "designated": sorted(names[b] for b in concluded["designated"]),
        },
        {
            "period": _cards(view)["评分期间"]["value"],
            "ranking": [(int(r["rank"]), r["branch_name"], Decimal(str(r["score"]))) for r in rows],
            "designated": sorted(r["branch_name"] for r in rows if r["weak"]),
        },
    )
