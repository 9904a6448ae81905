"""Party's figures of members, branches and cadre adjustments are the same in party's own API
and in the leaders' views, for the same filters and "as of" day (issue 10):

- members' points (党员积分): party `GET /api/v1/members/{id}?as_of=` (each year's total, the
  graded level, an open 不合格 procedure), `/rule-book` and `/members/{id}/points` (the
  deduction records) ↔ view `party/points` (the member list: total, level, membership,
  deductions; the cards 党员, 已评定等次, 不合格党员处置中; members by level), every member of
  the register, on partywork's days;
- members' training (党员参训): party `GET /api/v1/members/{id}/training?year=&as_of=` ↔ the
  member rows of view `party/training` (county and town sessions, months of branch sessions
  attended and missed, the monthly target), every member of the register, on the same days;
- branches (党支部): party `GET /api/v1/branches`, `/branches/{id}?as_of=` (its designation
  and rectification) and `/branches/{id}/members` ↔ view `party/branches` (the count, the
  weak and lifted branches' rectification) and the members of `party/points` by branch, on
  the same days (the members today: party lists them as they are now), town-wide and by
  village;
- cadre adjustments and accountability (村干部调整、问责扣分): party
  `GET /api/v1/cadre-adjustments` (each case's step) and `/accountability?matched=true`
  (deductions by kind) ↔ view `party/adjustments`, town-wide and by village.

How the two sides are built: figures.py; the work and the comparisons: partywork.py,
memberwork.py."""

from __future__ import annotations

import datetime as dt

import pytest

from . import memberwork, partywork
from .figures import Sides

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SAMPLE = tuple(dict.fromkeys((*memberwork.SAMPLE, partywork.LATE_JOINER, partywork.REMOVED)))
BRANCH_VILLAGES = (None, "石壁村", "响塘村")
ADJUSTMENT_VILLAGES = (None, "金霞村", "响塘村")


async def _register(sides: Sides) -> list[str]:
    return await memberwork.register(sides, partywork.REMOVED)


@pytest.mark.parametrize("day", partywork.DAYS, ids=str)
async def test_members_points_are_party_s_own(sides: Sides, day: dt.date | None) -> None:
    register = await _register(sides)
    own, projected = await memberwork.points_figures(sides, day, register, SAMPLE)
    assert projected == own, memberwork.differences(own, projected)
    # not a vacuous {} == {}: the demo's members, the late joiner once joined, the removed
    # one until removed, and the year's deductions
    assert own["members"] >= 290
    assert (partywork.LATE_JOINER in own["rows"]) == (day is None or day >= dt.date(2016, 9, 10))
    assert (partywork.REMOVED in own["rows"]) == (day is not None and day < dt.date(2017, 2, 10))
    if day == dt.date(2016, 8, 31):  # the conversion dated 07-08, recorded after an event
        assert own["rows"]["member-0090"]["status"] == "full"  # dated 09-01: full by then
    if day == dt.date(2016, 12, 31):
        assert own["graded"] >= 290 and own["unqualified"] == 3 and len(own["by_level"]) >= 3
    if day is None:
        assert sum(own["deductions"].values()) >= 2


@pytest.mark.parametrize("day", partywork.DAYS, ids=str)
async def test_members_training_is_party_s_own(sides: Sides, day: dt.date | None) -> None:
    register = await _register(sides)
    own, projected = await memberwork.training_figures(sides, day, register)
    assert projected == own, memberwork.differences(own, projected)
    assert len(own) >= 290
    if day == dt.date(2016, 12, 31):  # a year of branch sessions, the secretaries' courses
        assert sum(r["branch_months"] for r in own.values()) >= 290 * 6
        assert sum(r["county"] for r in own.values()) >= 30


@pytest.mark.parametrize("village", BRANCH_VILLAGES, ids=str)
@pytest.mark.parametrize("day", partywork.DAYS, ids=str)
async def test_branches_are_party_s_own(
    sides: Sides, day: dt.date | None, village: str | None
) -> None:
    own, projected = await memberwork.branch_figures(sides, day, village)
    assert projected == own, memberwork.differences(own, projected)
    assert own["branches"] >= 1
    if village is None and day is None:  # the town's branches, three in rectification
        assert own["branches"] >= 34 and len(own["rectifying"]) == 3
        assert sum(own["members"].values()) >= 290


@pytest.mark.parametrize("village", ADJUSTMENT_VILLAGES, ids=str)
async def test_cadre_adjustments_and_accountability_are_party_s_own(
    sides: Sides, village: str | None
) -> None:
    own, projected = await memberwork.adjustment_figures(sides, village)
    assert projected == own, memberwork.differences(own, projected)
    assert own["cases"] >= 1
    if village is None:  # every step the added cases reached, the demo's at ②
        assert set(own["steps"].values()) >= {
            "gathered",
            "voted",
            "decided",
            "notified",
            "reviewed",
            "reappointed",
        }
        assert own["kept"] == ["adjustment-xc-kept"] and own["deducted"] >= 1
