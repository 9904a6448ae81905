"""Funds' work for the figures cross-check (test_figures_agree, test_funds_figures_agree): the
villages' 三资 ledgers, a sale after the vote and the filing, the collective economy's income
records, fund programmes with their allocations and payments, and the villages' quarterly
finance disclosures, sent over HTTP as the economic leader records them."""

from __future__ import annotations

import datetime as dt

import httpx

from .support import ECONOMIC, ok, on, resident_id


async def funds_work(funds: httpx.AsyncClient) -> None:
    """Three villages' 三资 ledgers; 石壁村 sells an asset after the vote and the filing (its
    proceeds booked to its collective economy, which has no income record); 金霞村 records
    income; 梅林村 reports none (on the 清零 list). Then the programmes and the disclosures."""
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
    # 四议两公开: the sale is decided by the procedure, its resolution disclosed before the sale
    decisions = "/api/v1/villages/石壁村/decisions"
    proposed = on(
        "2016-06-20", kind="asset_disposal", subject="ZC-001", description="出售村部旧仓库"
    )
    decided = await ok(funds.post(decisions, json=proposed, headers=ECONOMIC), 201)
    for step, body, members, present, votes_for, held_on in (
        ("consulted", "两委会议", 7, 7, 6, "2016-06-25"),
        ("reviewed", "党员大会", 40, 33, 30, "2016-07-02"),
        ("resolved", "村民代表会议", 30, 25, 20, "2016-07-10"),
    ):
        meeting = on(
            held_on,
            step=step,
            body=body,
            members=members,
            present=present,
            votes_for=votes_for,
            votes_against=present - votes_for,
        )
        url = f"{decisions}/{decided['id']}/meetings"
        await ok(funds.post(url, json=meeting, headers=ECONOMIC))
    disclosure = on("2016-07-12", channel="村务公开栏")
    url = f"{decisions}/{decided['id']}/resolution-disclosure"
    await ok(funds.post(url, json=disclosure, headers=ECONOMIC))
    sale = on(
        "2016-08-01",
        decision_id=decided["id"],
        method="sale",
        counterparty="湘潭某公司",
        proceeds="120000",
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
    await programme_work(funds)
    await disclosure_work(funds)


#: (voucher, village, amount, entitled amount, paid on) of each programme's payments.
Payments = tuple[tuple[str, str, str, str | None, str], ...]


async def programme_work(funds: httpx.AsyncClient) -> None:
    """Three programmes beside flagwork's 高龄 subsidy: 危房改造 for the town (石壁村 and 湘江村;
    a payment short of the standard, one of an entitled amount below it — not short —, one
    after the deadline, and spending on materials), 金霞村's own 产业奖补 (set up in May, its
    money only in July; a payment short of its entitled amount, one late), and a town project
    set up in October without money whose purpose is changed with approval."""
    housing = await _programme(
        funds,
        code="LX-2016-WF01",
        name="2016年农村危房改造补助",
        amount="100000",
        purpose="C级、D级危房改造到户补助",
        purpose_code="housing",
        standard_amount="20000",
        planned_start="2016-03-01",
        disbursement_deadline="2016-08-31",
        occurred_on="2016-02-15",
    )
    await _allocate(funds, housing, (("石壁村", "60000", "2016-03-01"),))
    await ok(funds.post(f"{housing}/start", json={"occurred_on": "2016-03-01"}, headers=ECONOMIC))
    await _notice(funds, housing, "石壁村", "2016-03-20")
    await _pay(
        funds,
        housing,
        (
            ("WF-SB-01", "石壁村", "20000", None, "2016-04-10"),
            ("WF-SB-02", "石壁村", "15000", None, "2016-06-15"),  # 5000 short of the standard
        ),
    )
    spent = on(
        "2016-05-01",
        reference="WF-SB-材料-01",
        village="石壁村",
        amount="5000",
        purpose_code="housing",
        payee="易俗河建材店",
        description="危房改造统购建材",
    )
    await ok(funds.post(f"{housing}/expenditures", json=spent, headers=ECONOMIC), 201)
    await _allocate(funds, housing, (("湘江村", "40000", "2016-05-10"),))
    await _notice(funds, housing, "湘江村", "2016-05-15")
    await _pay(
        funds,
        housing,
        (
            ("WF-XJ-01", "湘江村", "18000", "18000", "2016-06-01"),  # its own due: not short
            ("WF-XJ-02", "湘江村", "20000", None, "2016-09-20"),  # after the deadline
        ),
    )
    industry = await _programme(
        funds,
        code="LX-2016-JX01",
        name="金霞村2016年产业奖补",
        amount="30000",
        purpose="村级特色产业奖补",
        purpose_code="industry",
        village="金霞村",
        planned_start="2016-07-01",
        disbursement_deadline="2016-11-30",
        occurred_on="2016-05-20",
    )
    await _allocate(funds, industry, (("金霞村", "30000", "2016-07-05"),))
    await ok(funds.post(f"{industry}/start", json={"occurred_on": "2016-07-05"}, headers=ECONOMIC))
    await _notice(funds, industry, "金霞村", "2016-07-10")
    await _pay(
        funds,
        industry,
        (
            ("JX-CY-01", "金霞村", "10000", "12000", "2016-08-10"),  # 2000 short
            ("JX-CY-02", "金霞村", "12000", None, "2016-12-05"),  # after the deadline
        ),
    )
    roads = await _programme(
        funds,
        code="LX-2016-DL01",
        name="2016年村组道路硬化",
        amount="50000",
        purpose="村组道路硬化",
        purpose_code="infrastructure",
        planned_start="2016-12-01",
        disbursement_deadline="2017-06-30",
        occurred_on="2016-10-01",
    )
    change = on(
        "2016-11-15",
        reference="DL-变更-01",
        aspect="purpose",
        description="改为产业路配套",
        new_purpose_code="industry",
        approval={
            "document": "易财〔2016〕21号",
            "approved_by": "县财政局",
            "approved_on": "2016-11-10",
        },
    )
    await ok(funds.post(f"{roads}/changes", json=change, headers=ECONOMIC), 201)


async def _programme(funds: httpx.AsyncClient, **body: str) -> str:
    """A new programme (county money, any resident may be paid); its path."""
    body = {"source_level": "county", "beneficiary_rule": "any_resident", **body}
    made = await ok(funds.post("/api/v1/programmes", json=body, headers=ECONOMIC), 201)
    return f"/api/v1/programmes/{made['id']}"


async def _allocate(
    funds: httpx.AsyncClient, path: str, allocations: tuple[tuple[str, str, str], ...]
) -> None:
    for village, amount, day in allocations:
        body = on(day, village=village, amount=amount, reference=f"拨-{village}-{day}")
        await ok(funds.post(f"{path}/allocations", json=body, headers=ECONOMIC), 201)


async def _notice(funds: httpx.AsyncClient, path: str, village: str, opened: str) -> None:
    """The village's beneficiaries announced for seven days (公示), closed without objection."""
    ends = (dt.date.fromisoformat(opened) + dt.timedelta(days=7)).isoformat()
    body = on(opened, village=village, title=f"{village}发放对象公示", ends_on=ends)
    made = await ok(funds.post(f"{path}/notices", json=body, headers=ECONOMIC), 201)
    close = on(ends, outcome="无异议")
    await ok(funds.post(f"{path}/notices/{made['id']}/close", json=close, headers=ECONOMIC))


async def _pay(funds: httpx.AsyncClient, path: str, payments: Payments) -> None:
    for n, (voucher, village, amount, entitled, day) in enumerate(payments):
        body = on(
            day,
            voucher_no=voucher,
            village=village,
            beneficiary_name=f"{village[0]}受助人{n}",
            beneficiary_id_number=resident_id(),
            amount=amount,
            entitled_amount=entitled,
        )
        await ok(funds.post(f"{path}/disbursements", json=body, headers=ECONOMIC), 201)


#: (village, quarter, income, expenditure, disclosed on): 石壁村 always on time, 金霞村 late
#: with its second quarter, 湘江村 late with its first and no more since; the rest never.
DISCLOSURES = (
    ("石壁村", "2016Q1", "52000", "31000", "2016-04-15"),
    ("金霞村", "2016Q1", "40000", "22000", "2016-04-28"),
    ("湘江村", "2016Q1", "18000", "9000", "2016-06-05"),
    ("石壁村", "2016Q2", "61000", "45000", "2016-07-20"),
    ("金霞村", "2016Q2", "43000", "30500", "2016-09-10"),
    ("石壁村", "2016Q3", "47000", "38000", "2016-10-25"),
    ("金霞村", "2016Q3", "39000", "27000", "2016-10-30"),
)


async def disclosure_work(funds: httpx.AsyncClient) -> None:
    """The villages' quarterly finance disclosures (阳光村务, `DISCLOSURES`), in time order."""
    for village, quarter, income, spent, day in DISCLOSURES:
        body = on(day, period=quarter, income_total=income, expenditure_total=spent)
        await ok(
            funds.post(
                f"/api/v1/villages/{village}/finance-disclosures", json=body, headers=ECONOMIC
            ),
            201,
        )
