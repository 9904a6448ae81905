"""Funds' programmes and the villages' finance disclosures against the projection's views, for
the same filters and day (test_funds_figures_agree). The work itself is fundswork's
(`programme_work`, `disclosure_work`) and flagwork's 高龄 subsidy.

Late and short payments are what funds judged: the payments of the day that carry a
FUNDS-LATE or FUNDS-SHORT-PAID red flag (the flag names the payment as its subject), not a
rule the test derives again."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from projection.views.model import pct

from shared.roles import Role
from shared.testing import bearer
from shared.town import load_town

from .figures import Sides, cards, done, money
from .support import DISCIPLINE, ECONOMIC, ok

#: Days the programmes are compared on: flagwork's allocations only, 危房改造 allocated to
#: 石壁村, 金霞村's own programme without money yet, after the deadlines, after the change;
#: None: today.
PROGRAMME_DAYS = (
    dt.date(2016, 2, 29),
    dt.date(2016, 3, 31),
    dt.date(2016, 6, 10),
    dt.date(2016, 8, 31),
    dt.date(2016, 12, 31),
    None,
)
PROGRAMME_VILLAGES = (None, "石壁村", "金霞村", "湘江村", "梅林村")
#: Days the disclosures are compared on: before the first is due, after each quarter's due
#: day (Q1 04-30, Q2 07-31, Q3 10-31), and today.
DISCLOSURE_DAYS = (
    dt.date(2016, 4, 20),
    dt.date(2016, 5, 31),
    dt.date(2016, 8, 31),
    dt.date(2016, 9, 30),
    dt.date(2016, 11, 30),
    None,
)
DISCLOSURE_VILLAGES = (None, "金霞村")


def _reader(village: str | None) -> dict[str, str]:
    """Funds' reader for the filter: the economic leader for the town, else the village's
    clerk (funds scopes what a clerk sees to the village, as the view's filter does)."""
    if village is None:
        return ECONOMIC
    return bearer(Role.VILLAGE_CLERK, user_id=f"clerk-{village}", village=village)


async def _judged(sides: Sides) -> dict[str, set[str]]:
    """The payments funds flagged late or short (every flag up to now; a payment's flag is
    raised with it)."""
    out: dict[str, set[str]] = {}
    for key, code in (("late", "FUNDS-LATE"), ("short", "FUNDS-SHORT-PAID")):
        flags = await ok(
            sides.funds.get("/api/v1/red-flags", params={"code": code}, headers=DISCIPLINE)
        )
        out[key] = {f["subject_id"] for f in flags}
    return out


async def _funds_programmes(
    sides: Sides, day: dt.date | None, village: str | None
) -> dict[str, dict[str, Any]]:
    query = {"as_of": day.isoformat()} if day else {}
    who = _reader(village)
    listed = await ok(sides.funds.get("/api/v1/programmes", params=query, headers=who))
    judged = await _judged(sides)
    out = {}
    for summary in listed:
        p = await ok(
            sides.funds.get(
                f"/api/v1/programmes/{summary['programme_id']}", params=query, headers=who
            )
        )
        paid = {d["disbursement_id"]: money(d["amount"]) for d in p["disbursements"]}
        late = len(judged["late"] & paid.keys())
        out[p["code"]] = {
            "name": p["name"],
            "purpose": p["purpose_label"],
            "amount": money(p["amount"]),
            "deadline": str(p["disbursement_deadline"]),
            "started": p["started_on"] is not None,
            "allocated": money(p["allocated"]),
            "disbursed": sum(paid.values(), Decimal(0)),
            "payments": len(paid),
            "on_time": len(paid) - late,
            "late": late,
            "short": len(judged["short"] & paid.keys()),
        }
    return out


def _totals(rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    total = Counter[str]()
    for row in rows.values():
        for key in ("payments", "on_time", "late", "short"):
            total[key] += row[key]
    return {
        "programmes": len(rows),
        "allocated": sum((r["allocated"] for r in rows.values()), Decimal(0)),
        "disbursed": sum((r["disbursed"] for r in rows.values()), Decimal(0)),
        "on_time_rate": f"{pct(total['on_time'], total['payments'])}%",
        "late": total["late"],
        "short": total["short"],
    }


def _yuan(text: str) -> Decimal:
    """`12,345.00` → 12345.00."""
    return Decimal(text.replace(",", ""))


async def programme_figures(sides: Sides, day: dt.date | None, village: str | None) -> Any:
    """Funds' `/programmes` and `/programmes/{id}` (for a village: as its clerk sees them) and
    the projection's `funds/programmes`, for the same day and village: per programme its name,
    purpose, total, deadline, whether started, allocated, paid out, the payments, on time,
    late and short; and the cards' totals."""
    rows = await _funds_programmes(sides, day, village)
    view = await sides.view("funds/programmes", as_of=day, village=village)
    table = next(t["rows"] for t in view["tables"] if t["name"] == "programmes")
    projected = {
        r["code"]: {
            "name": r["programme_name"],
            "purpose": r["purpose"],
            "amount": money(r["amount"]),
            "deadline": str(r["deadline"]),
            "started": r["status"] == "已启动",
            "allocated": money(r["allocated"]),
            "disbursed": money(r["disbursed"]),
            "payments": r["payments"],
            "on_time": r["on_time"],
            "late": r["late"],
            "short": r["short"],
        }
        for r in table
    }
    shown = cards(view)
    projected_totals = {
        "programmes": int(shown["资金项目"]["value"]),
        "allocated": _yuan(shown["已分配"]["value"]),
        "disbursed": _yuan(shown["已发放"]["value"]),
        "on_time_rate": shown["按期发放率"]["value"],
        "late": int(shown["按期发放率"]["hint"].removeprefix("超期 ").removesuffix(" 笔")),
        "short": int(shown["不足额发放"]["value"]),
    }
    return (
        {"programmes": rows, "totals": _totals(rows)},
        {"programmes": projected, "totals": projected_totals},
    )


async def _funds_disclosures(
    sides: Sides, day: dt.date | None, village: str | None
) -> dict[str, Any]:
    query = {"as_of": day.isoformat()} if day else {}
    who = _reader(village)
    overdue = await ok(
        sides.funds.get("/api/v1/finance-disclosures/overdue", params=query, headers=who)
    )
    late = {v["village"]: v["overdue_periods"] for v in overdue["villages"]}
    villages = [village] if village else list(load_town().names)  # funds' town
    rows = {}
    for name in villages:
        own = await ok(
            sides.funds.get(
                f"/api/v1/villages/{name}/finance-disclosures", params=query, headers=who
            )
        )
        made = own["disclosures"]
        last = max(made, key=lambda d: str(d["disclosed_on"]), default=None)
        rows[name] = {
            "disclosures": len(made),
            "periods": sorted(d["period"] for d in made),
            "last_on": str(last["disclosed_on"]) if last else "",
            "income": money(last["income_total"]) if last else Decimal(0),
            "expenditure": money(last["expenditure_total"]) if last else Decimal(0),
            # the village's own record and the town's overdue list say the same
            "overdue": own["overdue_periods"],
            "listed_overdue": late.get(name, []),
        }
    return {
        "disclosed": sum(1 for r in rows.values() if r["disclosures"]),
        "villages": len(rows),
        "overdue": overdue["count"],
        "rows": rows,
    }


async def disclosure_figures(sides: Sides, day: dt.date | None, village: str | None) -> Any:
    """Funds' `/villages/{v}/finance-disclosures` (each village's disclosures and overdue
    quarters) and `/finance-disclosures/overdue` (the villages overdue on the day) and the
    projection's `funds/disclosures`, for the same day (and village)."""
    own = await _funds_disclosures(sides, day, village)
    view = await sides.view("funds/disclosures", as_of=day, village=village)
    shown = cards(view)
    table = next(t["rows"] for t in view["tables"] if t["name"] == "villages")
    rows = {}
    for r in table:
        overdue = [q for q in r["overdue"].split("、") if q]
        rows[r["village"]] = {
            "disclosures": r["disclosures"],
            "periods": sorted(q for q in r["periods"].split("、") if q),
            "last_on": str(r["last_on"]),
            "income": money(r["income_total"]),
            "expenditure": money(r["expenditure_total"]),
            "overdue": overdue,
            "listed_overdue": overdue,
        }
    projected = {
        "disclosed": done(shown["期内已公开村"]["value"]),
        "villages": int(shown["期内已公开村"]["value"].split("/")[1]),
        "overdue": int(shown["逾期未公开村"]["value"]),
        "rows": rows,
    }
    return own, projected
