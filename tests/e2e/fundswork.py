"""Funds' work for the figures cross-check (test_figures_agree): the villages' 三资 ledgers, a
sale after the vote and the filing, and the collective economy's income records, sent over
HTTP as the economic leader records them."""

from __future__ import annotations

import httpx

from .support import ECONOMIC, ok, on


async def funds_work(funds: httpx.AsyncClient) -> None:
    """Three villages' 三资 ledgers; 石壁村 sells an asset after the vote and the filing (its
    proceeds booked to its collective economy, which has no income record); 金霞村 records
    income; 梅林村 reports none (on the 清零 list)."""
    for village, code, value in (
        ("石壁村", "ZC-001", "80000"),
        ("石壁村", "ZY-001", "50000"),
        ("金霞村", "ZC-001", "60000"),
        ("梅林村", "ZC-001", "10000"),
    ):
        body = on(
            "2016-03-01",
            asset_code=code,
            category="resource" if code.startswith("ZY") else "asset",
            name="村部旧仓库" if code.startswith("ZC") else "山林",
            value=value,
        )
        await ok(funds.post(f"/api/v1/villages/{village}/assets", json=body, headers=ECONOMIC), 201)
    sale = on(
        "2016-08-01",
        method="sale",
        counterparty="湘潭某公司",
        proceeds="120000",
        vote={
            "held_on": "2016-07-10",
            "representatives": 30,
            "present": 25,
            "votes_for": 20,
            "votes_against": 3,
        },
        filing={"filed_on": "2016-07-15", "reference": "易财备〔2016〕8号"},
    )
    await ok(
        funds.post("/api/v1/villages/石壁村/assets/ZC-001/dispose", json=sale, headers=ECONOMIC)
    )
    for village, amount, source, day in (
        ("金霞村", "30000", "lease", "2016-06-01"),
        ("梅林村", "0", "none", "2016-04-01"),
    ):
        body = on(day, year=2016, amount=amount, source=source)
        await ok(
            funds.post(
                f"/api/v1/villages/{village}/collective-income", json=body, headers=ECONOMIC
            ),
            201,
        )
