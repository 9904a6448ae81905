"""Routes of the village collective: 三资 ledger, collective economy (清零) and the quarterly
finance disclosure (阳光村务)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from funds.application import commands as c
from funds.application import villages as h
from funds.domain.collective import CollectiveEconomy, CollectiveLedger
from funds.domain.disclosure import FinanceDisclosures
from funds.domain.identity import disclosure_stream, economy_stream, ledger_stream
from funds.entrypoints.access import DISCLOSERS, WRITERS, Access, reader
from funds.entrypoints.deps import Svc
from funds.entrypoints.presenters import disclosures_view, economy_view, ledger_view
from shared.business_dates import AsOf
from shared.command_routes import command
from shared.roles import Principal
from shared.web import require

router = APIRouter(prefix="/api/v1", tags=["villages 村集体三资与阳光村务"])

Writer = Annotated[Principal, Depends(require(*WRITERS))]
Reader = Annotated[Access, Depends(reader())]
Json = dict[str, Any]


V = "/villages/{village}"

command(
    router,
    f"{V}/assets",
    c.RegisterAsset,
    h.register_asset,
    Writer,
    summary="登记村集体三资 (register a collective asset, fund or resource)",
    status_code=201,
)
command(
    router,
    f"{V}/assets/{{asset_code}}/dispose",
    c.DisposeAsset,
    h.dispose_asset,
    Writer,
    summary="处置集体资产 (dispose of a collective asset)",
)
command(
    router,
    f"{V}/collective-income",
    c.RecordCollectiveIncome,
    h.record_income,
    Writer,
    summary="登记集体经济收入 (record collective income)",
    status_code=201,
)
command(
    router,
    f"{V}/zero-income-listing",
    c.ListZeroIncomeVillage,
    h.list_zero,
    Writer,
    summary="列入清零名单 (list as a village without collective income)",
    status_code=201,
)
command(
    router,
    f"{V}/zero-income-leader",
    c.AssignZeroIncomeLeader,
    h.assign_leader,
    Writer,
    summary="指定清零村联点负责人 (name the leader linked to a zero-income village)",
)
command(
    router,
    f"{V}/plans",
    c.RecordVillagePlan,
    h.record_plan,
    Writer,
    summary="登记一村一策 (register the village's own plan)",
    status_code=201,
)
command(
    router,
    f"{V}/finance-disclosures",
    c.DiscloseFinances,
    h.disclose,
    Annotated[Principal, Depends(require(*DISCLOSERS))],
    summary="村级财务公开（季度） (disclose the village's finances, quarterly)",
    status_code=201,
)


@router.get(
    "/villages/{village}/assets", summary="村集体三资台账 (the village's collective assets ledger)"
)
async def get_assets(village: str, access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    found = access.scope.checked_village(svc.town, village)
    ledger = await svc.streams.load(CollectiveLedger, ledger_stream(found.code), as_of=as_of)
    return ledger_view(ledger, found.name)


@router.get(
    "/villages/{village}/collective-economy",
    summary="村级集体经济 (the village's collective economy)",
)
async def get_economy(village: str, access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    found = access.scope.checked_village(svc.town, village)
    economy = await svc.streams.load(CollectiveEconomy, economy_stream(found.code), as_of=as_of)
    return economy_view(economy, found.name)


@router.get(
    "/collective-economy/zero-income-villages",
    summary="清零名单（无集体经济收入村） (villages without collective income)",
)
async def zero_income_villages(access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    economies = await svc.streams.load_all(
        CollectiveEconomy, "collective-", as_of=as_of, order="stream_id"
    )
    listed = []
    for economy in economies:
        listing = economy.listing
        if listing is None or not access.scope.allows(economy.village):
            continue
        listed.append(
            {
                "village": economy.village,
                "year": listing.year,
                "listed_on": listing.listed_on,
                "leader": listing.leader.leader_name if listing.leader else None,
                "leader_post": listing.leader.leader_post if listing.leader else None,
                "plans": [p.title for p in listing.plans],
                "missing": [
                    what
                    for what, ok in (("联点负责人", listing.leader), ("一村一策", listing.plans))
                    if not ok
                ],
            }
        )
    cleared = [
        {"village": e.village, **{"year": x.cleared.year, "cleared_on": x.cleared.cleared_on}}
        for e in economies
        if access.scope.allows(e.village)
        for x in e.listings
        if x.cleared is not None
    ]
    return {"as_of": as_of, "count": len(listed), "villages": listed, "cleared": cleared}


@router.get(
    "/villages/{village}/finance-disclosures",
    summary="村级财务公开记录 (the village's finance disclosures)",
)
async def get_disclosures(village: str, access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    found = access.scope.checked_village(svc.town, village)
    day = as_of or svc.today()
    disclosures = await svc.streams.load(
        FinanceDisclosures, disclosure_stream(found.code), as_of=day
    )
    return disclosures_view(disclosures, found.name, day)


@router.get(
    "/finance-disclosures/overdue",
    summary="逾期未公开财务的村（社区） (villages overdue with their finance disclosure)",
)
async def overdue_disclosures(access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    day = as_of or svc.today()
    loaded = {
        d.stream_id: d
        for d in await svc.streams.load_all(FinanceDisclosures, "disclosure-", as_of=day)
    }
    overdue = []
    for village in svc.town.villages:
        if not access.scope.allows(village.name):
            continue
        stream_id = disclosure_stream(village.code)
        disclosures = loaded.get(stream_id) or FinanceDisclosures(stream_id)
        missing = disclosures.overdue(day)
        if missing:
            latest = max(disclosures.disclosed, default=None)
            overdue.append(
                {
                    "village": village.name,
                    "overdue_periods": [str(q) for q in missing],
                    "last_disclosed": str(latest) if latest else None,
                }
            )
    return {"as_of": day, "count": len(overdue), "villages": overdue}
