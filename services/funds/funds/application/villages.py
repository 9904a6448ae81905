"""Handlers of the village collective: the 三资 ledger, the collective economy and 清零, and
the quarterly finance disclosure (阳光村务). Each acts on one village, within the caller's
scope."""

from __future__ import annotations

from funds.application import commands as c
from funds.application.ports import Deps
from funds.domain import events as ev
from funds.domain.collective import CollectiveEconomy, CollectiveLedger
from funds.domain.disclosure import FinanceDisclosures
from funds.domain.identity import (
    child_id,
    disclosure_stream,
    economy_stream,
    ledger_stream,
    name_id,
)
from funds.domain.values import Quarter
from shared.pipeline import Done, Work
from shared.town import Village


def _village(uow: Work[Deps], name_or_code: str) -> Village:
    """The town's village (422 if unknown), if the caller may act on it (403 otherwise)."""
    village = uow.town.known_village(name_or_code)
    uow.scope.check(village.name)
    return village


async def register_asset(cmd: c.RegisterAsset, uow: Work[Deps]) -> Done:
    village = _village(uow, cmd.village)
    asset_id = name_id("asset", village.code, cmd.asset_code.strip())
    ledger = await uow.load(CollectiveLedger, ledger_stream(village.code))
    ledger.register(
        ev.CollectiveAssetRegistered(
            village=village.name,
            asset_id=asset_id,
            asset_code=cmd.asset_code.strip(),
            category=cmd.category,
            name=cmd.name,
            description=cmd.description,
            value=cmd.value,
            government_funded=cmd.government_funded,
            registered_on=uow.day,
        )
    )
    return asset_id, ledger


async def dispose_asset(cmd: c.DisposeAsset, uow: Work[Deps]) -> Done:
    """Dispose of an asset (vote and filing required) and book the proceeds, in full, to the
    collective economy — both in one transaction."""
    village = _village(uow, cmd.village)
    ledger = await uow.get(CollectiveLedger, ledger_stream(village.code), "三资台账")
    disposed = ledger.dispose(
        asset_code=cmd.asset_code.strip(),
        method=cmd.method,
        counterparty=cmd.counterparty,
        proceeds=cmd.proceeds,
        vote=cmd.vote.vote() if cmd.vote else None,
        filing=cmd.filing.filing() if cmd.filing else None,
        disposed_on=uow.day,
    )
    economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
    if disposed.proceeds > 0:
        economy.book_proceeds(village.name, disposed.asset_id, disposed.proceeds, uow.day)
    return disposed.asset_id, ledger


async def record_income(cmd: c.RecordCollectiveIncome, uow: Work[Deps]) -> Done:
    village = _village(uow, cmd.village)
    income_id = child_id(f"{village.code}:{cmd.year}", "income", cmd.reference)
    economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
    economy.record_income(
        ev.CollectiveIncomeRecorded(
            village=village.name,
            income_id=income_id,
            year=cmd.year,
            amount=cmd.amount,
            source=cmd.source,
            note=cmd.note,
            recorded_on=uow.day,
        )
    )
    return income_id, economy


async def list_zero(cmd: c.ListZeroIncomeVillage, uow: Work[Deps]) -> Done:
    village = _village(uow, cmd.village)
    economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
    economy.list_zero(village.name, cmd.year, uow.day)
    return village.code, economy


async def assign_leader(cmd: c.AssignZeroIncomeLeader, uow: Work[Deps]) -> Done:
    village = _village(uow, cmd.village)
    economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
    economy.assign_leader(cmd.leader_name, cmd.leader_post, uow.day)
    return village.code, economy


async def record_plan(cmd: c.RecordVillagePlan, uow: Work[Deps]) -> Done:
    village = _village(uow, cmd.village)
    plan_id = child_id(village.code, "plan", cmd.reference)
    economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
    economy.record_plan(
        ev.VillagePlanRecorded(
            village=village.name,
            plan_id=plan_id,
            title=cmd.title,
            measures=cmd.measures,
            target_income=cmd.target_income,
            recorded_on=uow.day,
        )
    )
    return plan_id, economy


async def disclose(cmd: c.DiscloseFinances, uow: Work[Deps]) -> Done:
    """Disclose a quarter's finances; a village clerk discloses their own village only."""
    village = _village(uow, cmd.village)
    period = Quarter.parse(cmd.period)
    disclosures = await uow.load(FinanceDisclosures, disclosure_stream(village.code))
    disclosures.disclose(
        village=village.name,
        period=period,
        income_total=cmd.income_total,
        expenditure_total=cmd.expenditure_total,
        channel=cmd.channel,
        on=uow.day,
    )
    return str(period), disclosures
