"""The demo loader's HTTP side (on `demo.client`: signed demo users, posts that treat
409 as "already there"), and the building blocks of a programme (allocations topped up, 7-day
notices, payments)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import httpx

from demo.client import answer, demo_headers, written
from funds import demo_data as data
from funds.domain.events import RedFlagRaised
from funds.domain.identity import name_id, programme_id_for
from shared.auth import TokenIssuer

Json = dict[str, Any]


class Loader:
    """Posts the demo data; a 409 means "already there" (a repeated run)."""

    def __init__(self, http: httpx.Client, town: str, issuer: TokenIssuer) -> None:
        self.http = http
        self.town = town
        self.tokens = demo_headers(issuer, ("economic", "discipline"))
        self.counts: Counter[str] = Counter()

    def post(self, path: str, body: Json, who: str = "economic") -> Json | None:
        response = self.http.post(path, json=body, headers=self.tokens[who])
        if not written(response):
            self.counts["already there"] += 1
            return None
        self.counts["written"] += 1
        result: Json = response.json()
        return result

    def get(self, path: str, who: str = "economic", **params: str) -> Any:
        return answer(self.http.get(path, params=params, headers=self.tokens[who]), 200)

    # --- programmes ------------------------------------------------------------------------

    def programme(
        self,
        body: Json,
        payments: list[Json],
        *,
        notices: Mapping[str, tuple[dt.date, str | None]] | None = None,
        allocations: dict[str, Decimal] | None = None,
        start: str | None = "planned",
    ) -> str:
        """Create a programme, allocate (by default exactly what it pays per village), post and
        close its notices, start it (on the planned day unless told), and pay."""
        pid = programme_id_for(self.town, body["code"])
        self.post("/api/v1/programmes", body)
        created = dt.date.fromisoformat(body["occurred_on"])
        if allocations is None:
            allocations = {}
            for p in payments:
                allocations[p["village"]] = allocations.get(p["village"], Decimal(0)) + Decimal(
                    p["amount"]
                )
        have = {
            a["village"]: Decimal(a["amount"])
            for a in self.get(f"/api/v1/programmes/{pid}")["allocations"]
        }
        for village, amount in allocations.items():  # top up: a rerun may pay more people
            if amount > have.get(village, Decimal(0)):
                self.allocate(pid, village, amount, have.get(village, Decimal(0)), created)
        for village, (opened, objection) in (notices or {}).items():
            self.notice(pid, village, opened, objection)
        if start is not None:
            day = body["planned_start"] if start == "planned" else start
            self.post(f"/api/v1/programmes/{pid}/start", {"occurred_on": day})
        for p in payments:
            self.post(f"/api/v1/programmes/{pid}/disbursements", p)
        return pid

    def allocate(
        self, pid: str, village: str, amount: Decimal, have: Decimal, created: dt.date
    ) -> None:
        """Allocate up to `amount` in total (the reference names the total: idempotent)."""
        self.post(
            f"/api/v1/programmes/{pid}/allocations",
            {
                "village": village,
                "amount": str(amount - have),
                "reference": f"拨-{village}-{amount}",
                "occurred_on": (created + dt.timedelta(days=3)).isoformat(),
            },
        )

    def notice(self, pid: str, village: str, opened: dt.date, objection: str | None = None) -> None:
        """A 7-day public notice in `village`, closed when it ends."""
        reference = f"公示-{village}"
        ends = opened + dt.timedelta(days=7)
        self.post(
            f"/api/v1/programmes/{pid}/notices",
            {
                "reference": reference,
                "village": village,
                "title": f"{village}发放对象公示",
                "ends_on": ends.isoformat(),
                "occurred_on": opened.isoformat(),
            },
        )
        notice_id = name_id("notice", pid, reference)
        if objection:
            self.post(
                f"/api/v1/programmes/{pid}/notices/{notice_id}/objections",
                {"reference": "异议-1", "summary": objection, "occurred_on": ends.isoformat()},
            )
        self.post(
            f"/api/v1/programmes/{pid}/notices/{notice_id}/close",
            {
                "outcome": "异议已核实处理" if objection else "无异议",
                "occurred_on": ends.isoformat(),
            },
        )

    def flag_ids(self, code: str, programme_id: str | None = None) -> list[str]:
        params = {"code": code} | ({"programme_id": programme_id} if programme_id else {})
        return [f["flag_id"] for f in self.get("/api/v1/red-flags", **params)]


def red_flags_raised(written: Json) -> list[str]:
    """The ids of the red flags a written command raised (its events of type
    `funds.RedFlagRaised`, one per flag stream `redflag-<id>`)."""
    return [
        e["stream_id"].removeprefix("redflag-")
        for e in written["events"]
        if e["type"] == RedFlagRaised.event_type
    ]


def pay(voucher: str, who: data.Person, amount: str, on: dt.date, **extra: Any) -> Json:
    return {
        "voucher_no": voucher,
        "village": who.village,
        "beneficiary_name": who.name,
        "beneficiary_id_number": who.id_number,
        "amount": amount,
        "occurred_on": on.isoformat(),
        **extra,
    }
