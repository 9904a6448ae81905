"""Every figure a write service shows through its own API and the leaders' view also shows is
the same figure in both, for the same filters and "as of" day (issue 10): the five activities'
progress (relief `GET /api/v1/activities/progress`: the poor village's enterprise pairing,
households paired and visited, posts, students, clinics, medical staff) and each village's
三资 ledger, development fund and the 清零 list (funds `GET /api/v1/villages/{v}/assets`,
`/collective-economy`, `/collective-economy/zero-income-villages`) and the red flags by code
and status (`/red-flags`); supervision's ledger of the three lists (count and overdue, by
village), the petition backlog (积案), the directives' report and the clues by status
(`/items`, `/petitions`, `/directives/report`, `/clues`); party's training against the plan's
targets, the weak branches and the assessment's ranking (`/training/targets`,
`/branches/{b}/training`, `/weak-branches`, `/assessments/{period}`).

How the two sides are built: figures.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from . import casework, flagwork, partywork
from .figures import Sides, cards, done, money
from .support import AGRICULTURE, ECONOMIC, ok

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

#: Days the figures are compared on; None: as things stand now.
DAYS = (dt.date(2016, 2, 29), dt.date(2016, 5, 31), dt.date(2016, 8, 31), None)
LEDGER_VILLAGES = ("石壁村", "金霞村", "梅林村")


@pytest.mark.parametrize("day", DAYS, ids=str)
async def test_activity_progress_is_relief_s_own(sides: Sides, day: dt.date | None) -> None:
    query = {"as_of": day.isoformat()} if day else {}
    own = await ok(
        sides.relief.get("/api/v1/activities/progress", params=query, headers=AGRICULTURE)
    )
    relief = {(p["activity"], p["measure"]): p["done"] for p in own["progress"]}
    activities = cards(await sides.view("relief/activities", as_of=day))
    villages = cards(await sides.view("relief/villages", as_of=day))
    projected = {
        ("enterprise-pairings", "对接企业的省定贫困村"): done(
            activities["企业联农村（省定贫困村）"]["value"]
        ),
        ("pairing", "已结对贫困户"): done(villages["结对帮扶"]["hint"]),
        ("pairing", "已走访贫困户"): done(villages["走访覆盖"]["hint"]),
        ("posts", "公益性岗位、就业岗位"): done(activities["公益性岗位、就业岗位"]["value"]),
        ("students", "帮助贫困生"): done(activities["帮助贫困生"]["value"]),
        ("clinics", "义诊场次"): done(activities["义诊场次"]["value"]),
        ("clinics", "医务人员"): done(activities["参与义诊医务人员"]["value"]),
    }
    assert projected == relief  # every line of relief's progress, figure by figure
    if day is None:  # the story's figures are there (not a vacuous 0 == 0)
        assert relief[("students", "帮助贫困生")] == 3
        assert relief[("clinics", "医务人员")] == 3


@pytest.mark.parametrize("day", DAYS, ids=str)
async def test_village_ledgers_and_the_zero_list_are_funds_own(
    sides: Sides, day: dt.date | None
) -> None:
    query = {"as_of": day.isoformat()} if day else {}
    town_view = await sides.view("funds/assets", as_of=day)
    town_rows = {
        r["village"]: r
        for r in next(t["rows"] for t in town_view["tables"] if t["name"] == "ledgers")
    }
    with_ledger = 0
    for village in LEDGER_VILLAGES:
        ledger = await ok(
            sides.funds.get(f"/api/v1/villages/{village}/assets", params=query, headers=ECONOMIC)
        )
        economy = await ok(
            sides.funds.get(
                f"/api/v1/villages/{village}/collective-economy", params=query, headers=ECONOMIC
            )
        )
        holdings = ledger["holdings"]
        disposed = [h["disposal"] for h in holdings if h["disposed"]]
        funds = {
            "assets": len(holdings),
            "value": sum((money(h["value"]) for h in holdings), Decimal(0)),
            "disposals": len(disposed),
            "proceeds": sum((money(d["proceeds"]) for d in disposed), Decimal(0)),
            "booked": money(economy["development_fund"]),
        }
        with_ledger += bool(holdings)
        filtered = await sides.view("funds/assets", as_of=day, village=village)
        for rows in (
            [r for r in next(t["rows"] for t in filtered["tables"] if t["name"] == "ledgers")],
            [town_rows[village]] if village in town_rows else [],
        ):
            assert len(rows) == (1 if holdings else 0), f"{village}: one ledger row per village"
            for row in rows:
                projected = {
                    "assets": row["assets"],
                    "value": money(row["value"]),
                    "disposals": row["disposals"],
                    "proceeds": money(row["proceeds"]),
                    "booked": money(row["booked"]),
                }
                assert projected == funds, village
    assert int(cards(town_view)["建账村"]["value"]) == with_ledger
    assert len(town_rows) == with_ledger

    zero = await ok(
        sides.funds.get(
            "/api/v1/collective-economy/zero-income-villages", params=query, headers=ECONOMIC
        )
    )
    zero_view = cards(await sides.view("funds/zero-villages", as_of=day))
    assert int(zero_view["清零村（仍无收入）"]["value"]) == zero["count"]
    if day is None:
        assert (with_ledger, zero["count"]) == (3, 1)


@pytest.mark.parametrize("day", flagwork.DAYS, ids=str)
async def test_red_flags_by_code_and_status_are_funds_own(
    sides: Sides, day: dt.date | None
) -> None:
    own, projected = await flagwork.red_flag_figures(sides, day)
    assert projected == own
    if day is None:  # the planted problems are there, some handled
        assert own["count"] >= 5 and own["confirmed"] == 1 and own["settled"] == 1


# -- supervision: the lists, the petition backlog, directives, clues --------------------------


@pytest.mark.parametrize("village", casework.ITEM_VILLAGES, ids=str)
@pytest.mark.parametrize("day", casework.DAYS, ids=str)
async def test_list_items_and_overdue_are_supervision_s_own(
    sides: Sides, day: dt.date | None, village: str | None
) -> None:
    own, projected = await casework.items_figures(sides, day, village)
    assert projected == own
    if day is None and village is None:
        assert own["count"] >= 8 and own["overdue"] >= 1  # the demo's ledger is there


@pytest.mark.parametrize("day", casework.DAYS, ids=str)
async def test_the_petition_backlog_is_supervision_s_own(sides: Sides, day: dt.date | None) -> None:
    own, projected = await casework.petition_figures(sides, day)
    assert projected == own
    if day == dt.date(2016, 10, 10):  # 金霞村's case resolved, not yet struck off: still 积案
        assert own["backlog"] >= 1


@pytest.mark.parametrize("day", casework.DAYS, ids=str)
async def test_the_directives_report_is_supervision_s_own(
    sides: Sides, day: dt.date | None
) -> None:
    own, projected = await casework.directive_figures(sides, day)
    assert projected == own


@pytest.mark.parametrize("day", casework.DAYS, ids=str)
async def test_clues_by_category_and_status_are_supervision_s_own(
    sides: Sides, day: dt.date | None
) -> None:
    own, projected = await casework.clue_figures(sides, day)
    assert projected == own


# -- party: training against the targets, the weak branches, the assessment -----------------


@pytest.mark.parametrize("day", partywork.DAYS, ids=str)
async def test_training_against_the_targets_is_party_s_own(
    sides: Sides, day: dt.date | None
) -> None:
    own, projected = await partywork.training_figures(sides, day)
    assert projected == own
    if day == dt.date(2016, 12, 31):  # the demo's year is there (not a vacuous 0 == 0)
        assert own["degree"] == 17 and own["entrepreneurs"] >= 50 and own["county"] >= 1


async def test_the_weak_branches_are_party_s_own(sides: Sides) -> None:
    own, projected = await partywork.weak_branch_figures(sides)
    assert projected == own
    assert own["count"] == 3


async def test_the_assessment_ranking_is_party_s_own(sides: Sides) -> None:
    own, projected = await partywork.assessment_figures(sides, "2016")
    assert projected == own
    assert len(own["designated"]) == 3
