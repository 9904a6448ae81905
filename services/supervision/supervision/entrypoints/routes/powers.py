"""The villages' lists of small powers (小微权力清单, measure 6 (2)) and the breaches found in
funds' acts against them (小微权力运行问题)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from shared.business_dates import AsOf
from shared.command_routes import command
from shared.pipeline import Scope
from shared.roles import Principal
from shared.web import require
from supervision.application import commands as c
from supervision.application import governance as g
from supervision.domain.powers import PowerBreach, PowerList, power_list_stream
from supervision.entrypoints.access import (
    ITEM_READERS,
    POWER_LIST_PUBLISHERS,
    POWER_LIST_READERS,
)
from supervision.entrypoints.presenters import breach_view, power_items_view, power_list_view

from .common import Wiring

router = APIRouter(prefix="/api/v1", tags=["powers 小微权力清单"])
Publisher = Annotated[Principal, Depends(require(*POWER_LIST_PUBLISHERS))]
Reader = Annotated[Principal, Depends(require(*POWER_LIST_READERS))]
BreachReader = Annotated[Principal, Depends(require(*ITEM_READERS))]
VillageParam = Annotated[str, Path(max_length=50, description="村/社区 (名称或12位代码)")]
YearParam = Annotated[int, Path(ge=2000, le=2100, description="年度")]

command(
    router,
    "/power-lists/{village}/{year}",
    c.PublishPowerList,
    g.publish_power_list,
    Publisher,
    summary="公布小微权力清单 (publish a village's list of small powers for a year)",
    status_code=201,
)


@router.get("/power-lists/default", summary="镇参考清单 (the town's reference list)")
async def default_list(svc: Wiring, _: Reader) -> dict[str, Any]:
    return {"items": power_items_view(svc.default_powers)}


@router.get(
    "/power-lists/{village}/{year}",
    summary="现行小微权力清单 (the list in force for a village and year)",
)
async def get_power_list(
    village: VillageParam, year: YearParam, svc: Wiring, _: Reader, as_of: AsOf = None
) -> dict[str, Any]:
    known = svc.town.known_village(village)
    powers = await svc.ledger.load(PowerList, power_list_stream(known.code, year), as_of=as_of)
    view = power_list_view(known.name, known.code, year, powers, svc.default_powers)
    view["as_of"] = svc.as_of_day(as_of)
    return view


@router.get("/power-lists", summary="各村小微权力清单 (every village's list for a year)")
async def list_power_lists(
    svc: Wiring,
    _: Reader,
    year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
    as_of: AsOf = None,
) -> dict[str, Any]:
    published = {
        p.in_force.village_code: p
        for p in await svc.ledger.load_all(PowerList, "powers-", as_of=as_of)
        if p.in_force is not None and p.in_force.year == year
    }
    views: list[dict[str, Any]] = []
    for village in svc.town.villages:
        powers = published.get(village.code) or PowerList(power_list_stream(village.code, year))
        view = power_list_view(village.name, village.code, year, powers, svc.default_powers)
        del view["items"]
        views.append(view)
    return {
        "as_of": svc.as_of_day(as_of),
        "year": year,
        "published": sum(v["published"] for v in views),
        "villages": views,
    }


@router.get("/power-breaches", summary="小微权力运行问题 (acts that skipped their flow's steps)")
async def list_breaches(
    svc: Wiring,
    principal: BreachReader,
    as_of: AsOf = None,
    village: str | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    power_item: str | None = None,
) -> dict[str, Any]:
    scope = Scope.of(principal)
    views = [
        breach_view(b)
        for b in await svc.ledger.load_all(PowerBreach, "breach-", as_of=as_of)
        if b.breached is not None and scope.allows(b.breached.village)
    ]
    if village is not None:
        views = [v for v in views if v["village"] == village]
    if year is not None:
        views = [v for v in views if v["found_on"].year == year]
    if power_item is not None:
        views = [v for v in views if v["power_item"] == power_item]
    return {"as_of": svc.as_of_day(as_of), "count": len(views), "breaches": views}
