"""Relief's figures of measures 1–3 that the leaders' view also shows are the same figures in
both (issue 10), for the same village filter. Relief's lists have no "as of" day, so both are
compared as things stand now (the activities' progress, which has one, is compared day by day
in test_figures_agree):

- the households by village and status (relief `GET /api/v1/households`, filters village and
  status) against `relief/villages`: each household's village, status, visits and pairing, the
  village rows (建档立卡户, 在档贫困户, 已脱贫, 返贫) and the pairing and visit cards;
- the community service sites (relief `GET /api/v1/service-sites`, filter community) against
  `relief/sites`: each site's area, 五统一 done and 达标, and the 达标 card;
- the agency ledger (代办, relief `GET /api/v1/agency-items`, filters village and status) and
  the village service stations (`GET /api/v1/service-stations/{village}`) against
  `relief/sites`: the ledger by village and status, the cards and the stations' rows;
- the livelihood projects (民生实事, relief `GET /api/v1/livelihood-projects`, filters village,
  level, category and status) against `relief/projects`: each project's level, village,
  category and status, the status and category charts and the cards.

How the two sides are built: figures.py; relief's work: reliefwork.py and sitework.py."""

from __future__ import annotations

import pytest

from . import reliefwork, sitework
from .figures import Sides

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.parametrize("village", reliefwork.HOUSEHOLD_VILLAGES, ids=str)
async def test_households_by_village_and_status_are_relief_s_own(
    sides: Sides, village: str | None
) -> None:
    own, projected = await reliefwork.household_figures(sides, village)
    assert projected == own
    if village is None:  # the story's households are there, one exited and one back in poverty
        assert own["by_status"] == {"registered": 5, "exited": 1, "returned": 1}


@pytest.mark.parametrize("community", sitework.SITE_COMMUNITIES, ids=str)
async def test_service_sites_compliance_is_relief_s_own(
    sides: Sides, community: str | None
) -> None:
    own, projected = await sitework.site_figures(sides, community)
    assert projected == own
    if community is None:  # one site certified; one short of the 五统一, one too small
        assert own["compliant"] == "1 / 4"


@pytest.mark.parametrize("village", sitework.AGENCY_VILLAGES, ids=str)
async def test_agency_items_by_village_and_status_are_relief_s_own(
    sides: Sides, village: str | None
) -> None:
    own, projected = await sitework.agency_figures(sides, village)
    assert projected == own
    if village is None:  # every status in the ledger, two stations
        assert own["by_status"] == {"received": 2, "handled": 1, "signed_off": 3}
        assert len(own["stations"]) == 2


@pytest.mark.parametrize("village", sitework.PROJECT_VILLAGES, ids=str)
async def test_livelihood_projects_by_level_category_and_status_are_relief_s_own(
    sides: Sides, village: str | None
) -> None:
    own, projected = await sitework.project_figures(sides, village)
    assert projected == own
    if village is None:  # town and village projects, in every status
        assert own["levels"] == {"town": 3, "village": 3}
        assert len(own["by_status"]) == 4 and own["accepted"] == 2
