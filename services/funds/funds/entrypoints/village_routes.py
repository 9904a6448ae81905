"""Routes of the village collective: 三资 ledger, collective economy (清零) and the quarterly
finance disclosure (阳光村务)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from funds.application import commands as c
from funds.domain.collective import CollectiveEconomy, CollectiveLedger
from funds.domain.disclosure import FinanceDisclosures
from funds.domain.events import AssemblyVote, FinanceFiling
from funds.domain.identity import disclosure_stream, economy_stream, ledger_stream
from funds.entrypoints import schemas as s
from funds.entrypoints.access import DISCLOSERS, WRITERS, Access, access_for, reader
from funds.entrypoints.deps import Services, Svc, context, written
from funds.entrypoints.presenters import disclosures_view, economy_view, ledger_view
from shared.auth import Principal, Role
from shared.business_dates import AsOf
from shared.town import Village
from shared.web import require

router = APIRouter(prefix="/api/v1", tags=["villages 村集体三资与阳光村务"])

Writer = Annotated[Principal, Depends(require(*WRITERS))]
Reader = Annotated[Access, Depends(reader())]
Json = dict[str, Any]


def _village(svc: Services, name_or_code: str, access: Access | None = None) -> Village:
    village = svc.town.known_village(name_or_code)
    if access is not None:
        access.check(village.name)
    return village


@router.post(
    "/villages/{village}/assets",
    status_code=201,
    summary="登记村集体三资 (register a collective asset, fund or resource)",
)
async def register_asset(
    village: str, body: s.AssetBody, request: Request, who: Writer, svc: Svc
) -> Json:
    cmd = c.RegisterAsset(village=village, **body.model_dump())
    return written(await svc.villages.register_asset(cmd, context(request, who, body.occurred_on)))


@router.get(
    "/villages/{village}/assets", summary="村集体三资台账 (the village's collective assets ledger)"
)
async def get_assets(village: str, access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    found = _village(svc, village, access)
    ledger = await svc.streams.load(CollectiveLedger, ledger_stream(found.code), as_of=as_of)
    return ledger_view(ledger, found.name)


@router.post(
    "/villages/{village}/assets/{asset_code}/dispose",
    summary="处置集体资产 (dispose of a collective asset)",
)
async def dispose_asset(
    village: str, asset_code: str, body: s.DisposalBody, request: Request, who: Writer, svc: Svc
) -> Json:
    vote, filing = body.vote, body.filing
    cmd = c.DisposeAsset(
        village=village,
        asset_code=asset_code,
        method=body.method,
        counterparty=body.counterparty,
        proceeds=body.proceeds,
        vote=AssemblyVote(**vote.model_dump()) if vote else None,
        filing=FinanceFiling(**filing.model_dump()) if filing else None,
        occurred_on=body.occurred_on,
    )
    return written(await svc.villages.dispose_asset(cmd, context(request, who, body.occurred_on)))


@router.post(
    "/villages/{village}/collective-income",
    status_code=201,
    summary="登记集体经济收入 (record collective income)",
)
async def record_income(
    village: str, body: s.IncomeBody, request: Request, who: Writer, svc: Svc
) -> Json:
    cmd = c.RecordCollectiveIncome(village=village, **body.model_dump())
    return written(await svc.villages.record_income(cmd, context(request, who, body.occurred_on)))


@router.post(
    "/villages/{village}/zero-income-listing",
    status_code=201,
    summary="列入清零名单 (list as a village without collective income)",
)
async def list_zero(
    village: str, body: s.ZeroListingBody, request: Request, who: Writer, svc: Svc
) -> Json:
    cmd = c.ListZeroIncomeVillage(village=village, **body.model_dump())
    return written(await svc.villages.list_zero(cmd, context(request, who, body.occurred_on)))


@router.post(
    "/villages/{village}/zero-income-leader",
    summary="指定清零村联点负责人 (name the leader linked to a zero-income village)",
)
async def assign_leader(
    village: str, body: s.LeaderBody, request: Request, who: Writer, svc: Svc
) -> Json:
    cmd = c.AssignZeroIncomeLeader(village=village, **body.model_dump())
    return written(await svc.villages.assign_leader(cmd, context(request, who, body.occurred_on)))


@router.post(
    "/villages/{village}/plans",
    status_code=201,
    summary="登记一村一策 (register the village's own plan)",
)
async def record_plan(
    village: str, body: s.PlanBody, request: Request, who: Writer, svc: Svc
) -> Json:
    fields = body.model_dump(exclude={"measures"})
    cmd = c.RecordVillagePlan(village=village, measures=tuple(body.measures), **fields)
    return written(await svc.villages.record_plan(cmd, context(request, who, body.occurred_on)))


@router.get(
    "/villages/{village}/collective-economy",
    summary="村级集体经济 (the village's collective economy)",
)
async def get_economy(village: str, access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    found = _village(svc, village, access)
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
        if listing is None or not access.sees(economy.village):
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
        if access.sees(e.village)
        for x in e.listings
        if x.cleared is not None
    ]
    return {"as_of": as_of, "count": len(listed), "villages": listed, "cleared": cleared}


@router.post(
    "/villages/{village}/finance-disclosures",
    status_code=201,
    summary="村级财务公开（季度） (disclose the village's finances, quarterly)",
)
async def disclose(
    village: str,
    body: s.DisclosureBody,
    request: Request,
    who: Annotated[Principal, Depends(require(*DISCLOSERS))],
    svc: Svc,
) -> Json:
    if who.role is Role.VILLAGE_CLERK:
        _village(svc, village, access_for(who, svc.town))
    cmd = c.DiscloseFinances(village=village, **body.model_dump())
    return written(await svc.villages.disclose(cmd, context(request, who, body.occurred_on)))


@router.get(
    "/villages/{village}/finance-disclosures",
    summary="村级财务公开记录 (the village's finance disclosures)",
)
async def get_disclosures(village: str, access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    found = _village(svc, village, access)
    day = as_of or svc.clock()
    disclosures = await svc.streams.load(
        FinanceDisclosures, disclosure_stream(found.code), as_of=day
    )
    return disclosures_view(disclosures, found.name, day)


@router.get(
    "/finance-disclosures/overdue",
    summary="逾期未公开财务的村（社区） (villages overdue with their finance disclosure)",
)
async def overdue_disclosures(access: Reader, svc: Svc, as_of: AsOf = None) -> Json:
    day = as_of or svc.clock()
    loaded = {
        d.stream_id: d
        for d in await svc.streams.load_all(FinanceDisclosures, "disclosure-", as_of=day)
    }
    overdue = []
    for village in svc.town.villages:
        if not access.sees(village.name):
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
