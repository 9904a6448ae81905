"""Funds' red flags for the figures cross-check (test_figures_agree): the funds demo's 高龄老人
生活补贴 (a programme paying elders, with planted problems: paid during the notice, the same
elder twice, short, late, too young, a cadre's mother), some flags handled, and the counts of
funds' `/red-flags` against the projection's `funds/red-flags`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import httpx
from funds import demo_data as data
from funds.demo_client import pay

from shared.roles import Role
from shared.testing import bearer

from .support import DISCIPLINE, ECONOMIC, ok

SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="secretary")
#: Days the flags are compared on: before, between and after the handling; None: today.
DAYS = (dt.date(2016, 4, 16), dt.date(2016, 4, 20), dt.date(2016, 7, 31), None)
#: (code, action, who, body, day) for the first flag of the code.
HANDLING = (
    ("FUNDS-CADRE-RELATIVE", "acknowledge", ECONOMIC, {"note": "核查中"}, "2016-04-18"),
    (
        "FUNDS-CADRE-RELATIVE",
        "explain",
        ECONOMIC,
        {"explanation": "年满80周岁，符合高龄补贴条件，发放无误"},
        "2016-04-25",
    ),
    ("FUNDS-DUPLICATE", "confirm", DISCIPLINE, {"note": "重复领取属实，责令退回"}, "2016-06-10"),
)


async def flag_work(funds: httpx.AsyncClient) -> None:
    sb, jx, ml = data.ELDERS["石壁村"], data.ELDERS["金霞村"], data.ELDERS["梅林村"]
    relation = {
        "relative_name": sb[1].name,
        "relative_id_number": sb[1].id_number,
        "relation": "母亲",
        **data.CADRE,
        "occurred_on": "2016-01-05",
    }
    await ok(funds.post("/api/v1/cadre-relations", json=relation, headers=ECONOMIC), 201)
    d = dt.date
    payments = [
        pay("GL-SB-01", sb[0], "600", d(2016, 4, 15)),
        pay("GL-SB-02", sb[1], "600", d(2016, 4, 15)),  # a cadre's mother
        pay("GL-SB-03", sb[2], "600", d(2016, 7, 20)),  # after the deadline
        pay("GL-SB-04", sb[0], "600", d(2016, 5, 15)),  # the same elder again
        pay("GL-JX-01", jx[0], "600", d(2016, 4, 15)),
        pay("GL-JX-02", jx[1], "400", d(2016, 4, 15)),  # 200 short
        pay("GL-JX-03", data.TOO_YOUNG, "600", d(2016, 4, 15)),  # 54 years old
        pay("GL-ML-01", ml[0], "600", d(2016, 4, 5)),  # the notice runs until 04-08
        pay("GL-ML-02", ml[1], "600", d(2016, 4, 20)),
    ]
    body = dict(data.P_ELDERS)
    pid = (await ok(funds.post("/api/v1/programmes", json=body, headers=ECONOMIC), 201))["id"]
    base = f"/api/v1/programmes/{pid}"
    by_village = Counter[str]()
    for p in payments:
        by_village[p["village"]] += int(p["amount"])
    for village, amount in by_village.items():
        allocation = {
            "village": village,
            "amount": str(amount),
            "reference": f"拨-{village}",
            "occurred_on": "2016-02-23",
        }
        await ok(funds.post(f"{base}/allocations", json=allocation, headers=ECONOMIC), 201)
    for village, opened in (
        ("石壁村", "2016-03-10"),
        ("金霞村", "2016-03-10"),
        ("梅林村", "2016-04-01"),
    ):
        ends = (d.fromisoformat(opened) + dt.timedelta(days=7)).isoformat()
        notice = {
            "reference": f"公示-{village}",
            "village": village,
            "title": f"{village}发放对象公示",
            "ends_on": ends,
            "occurred_on": opened,
        }
        made = await ok(funds.post(f"{base}/notices", json=notice, headers=ECONOMIC), 201)
        close = {"outcome": "无异议", "occurred_on": ends}
        await ok(funds.post(f"{base}/notices/{made['id']}/close", json=close, headers=ECONOMIC))
    await ok(
        funds.post(f"{base}/start", json={"occurred_on": body["planned_start"]}, headers=ECONOMIC)
    )
    for p in payments:
        await ok(funds.post(f"{base}/disbursements", json=p, headers=ECONOMIC), 201)
    for code, action, who, step, on in HANDLING:
        flags = await ok(funds.get("/api/v1/red-flags", params={"code": code}, headers=ECONOMIC))
        path = f"/api/v1/red-flags/{flags[0]['flag_id']}/{action}"
        await ok(funds.post(path, json={**step, "occurred_on": on}, headers=who))


async def red_flag_figures(sides: Any, day: dt.date | None) -> tuple[Any, Any]:
    """Funds' `/red-flags` (count, by code and status, in hand, confirmed, settled) and the
    projection's `funds/red-flags`, for the same day."""
    query = {"as_of": day.isoformat()} if day else {}
    own = await ok(sides.funds.get("/api/v1/red-flags", params=query, headers=DISCIPLINE))
    statuses = Counter(f["status"] for f in own)
    view = await sides.view("funds/red-flags", as_of=day)
    shown = {c["label"]: int(c["value"]) for c in view["cards"]}
    table = next(t for t in view["tables"] if t["name"] == "by_code")
    columns = [c["key"] for c in table["columns"]][3:]
    return (
        {
            "count": len(own),
            "by_code": Counter((f["code"], f["status"]) for f in own),
            "in_hand": statuses["raised"] + statuses["acknowledged"],
            "confirmed": statuses["confirmed"] + statuses["accountability"],
            "settled": statuses["explained"] + statuses["dismissed"],
        },
        {
            "count": shown["预警总数"],
            "by_code": Counter(
                {(r["code"], s): r[s] for r in table["rows"] for s in columns if r[s]}
            ),
            "in_hand": shown["待处理"],
            "confirmed": shown["问题属实"],
            "settled": shown["已说明/了结"],
        },
    )
