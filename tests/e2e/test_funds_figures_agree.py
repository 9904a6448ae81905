"""Funds' programme and disclosure figures are the same in funds and in the leaders' view, for
the same filters and "as of" day (issue 10):

- fund programmes (资金项目): funds `GET /api/v1/programmes` and `/programmes/{id}` — as the
  economic leader for the town, as the village's clerk for a village — against the view
  `funds/programmes` (as_of, village): per programme its name, purpose, total, deadline,
  whether started, allocated, paid out, payments, on time, late and short (late and short:
  the payments funds flagged FUNDS-LATE and FUNDS-SHORT-PAID, `/red-flags`), and the cards'
  programmes, allocated, paid out, on-time rate, late and short;
- village finance disclosure (阳光村务): funds `GET /api/v1/villages/{v}/finance-disclosures`
  (every village: its disclosures, the latest one's totals, its overdue quarters) and
  `/finance-disclosures/overdue` (the villages overdue on the day) against the view
  `funds/disclosures` (as_of, village): villages that disclosed, villages overdue, and per
  village the disclosures, quarters, latest day and totals and the overdue quarters.

The story: fundswork's `programme_work` and `disclosure_work`, flagwork's 高龄 subsidy. How the
two sides are built: figures.py; the comparisons: programmework.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from . import programmework as pw
from .figures import Sides

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize("village", pw.PROGRAMME_VILLAGES, ids=str)
@pytest.mark.parametrize("day", pw.PROGRAMME_DAYS, ids=str)
async def test_programmes_money_and_payments_are_funds_own(
    sides: Sides, day: dt.date | None, village: str | None
) -> None:
    own, projected = await pw.programme_figures(sides, day, village)
    assert projected == own
    totals = own["totals"]
    if day is None and village is None:  # the story's payments are there, some late or short
        assert totals["programmes"] >= 4 and totals["late"] == 3 and totals["short"] == 3
        assert own["programmes"]["LX-2016-DL01"]["purpose"] == "产业扶持"  # changed, approved
    if day == dt.date(2016, 6, 10) and village == "金霞村":  # its own programme, no money yet
        assert own["programmes"]["LX-2016-JX01"]["allocated"] == 0
    if day == dt.date(2016, 8, 31) and village == "湘江村":
        assert (totals["allocated"], own["programmes"]["LX-2016-WF01"]["payments"]) == (
            Decimal(40000),
            1,
        )


@pytest.mark.parametrize("village", pw.DISCLOSURE_VILLAGES, ids=str)
@pytest.mark.parametrize("day", pw.DISCLOSURE_DAYS, ids=str)
async def test_disclosures_and_the_overdue_villages_are_funds_own(
    sides: Sides, day: dt.date | None, village: str | None
) -> None:
    own, projected = await pw.disclosure_figures(sides, day, village)
    assert projected == own
    for name, row in own["rows"].items():
        assert row["overdue"] == row["listed_overdue"], name  # funds agrees with itself
    if village is None and day == dt.date(2016, 4, 20):  # nothing due yet
        assert (own["disclosed"], own["overdue"]) == (1, 0)
    if village is None and day == dt.date(2016, 8, 31):  # Q2 due: 金霞村 and 湘江村 behind
        rows = own["rows"]
        assert (rows["石壁村"]["overdue"], rows["金霞村"]["overdue"]) == ([], ["2016Q2"])
        assert rows["湘江村"]["overdue"] == ["2016Q2"] and rows["梅林村"]["overdue"]
        assert own["disclosed"] == 3 and own["overdue"] == own["villages"] - 1
    if village == "金霞村" and day == dt.date(2016, 9, 30):  # its Q2 disclosed late, on 09-10
        assert own["rows"]["金霞村"]["overdue"] == [] and own["overdue"] == 0
