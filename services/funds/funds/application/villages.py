"""Handlers of the village collective: the 三资 ledger, the collective economy and 清零, and
the quarterly finance disclosure (阳光村务)."""

from __future__ import annotations

from funds.application import commands as c
from funds.application.base import Deps, Recorded, attempt, child_id
from funds.domain import events as ev
from funds.domain.collective import CollectiveEconomy, CollectiveLedger
from funds.domain.disclosure import FinanceDisclosures
from funds.domain.identity import disclosure_stream, economy_stream, ledger_stream, name_id
from funds.domain.values import Quarter
from shared.clock import business_day
from shared.eventstore import CommandContext
from shared.unit_of_work import UnitOfWork


class VillageHandlers:
    """The commands on a village's collective property, income and disclosures."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def register_asset(self, cmd: c.RegisterAsset, ctx: CommandContext) -> Recorded:
        village = self.deps.town.known_village(cmd.village)
        on = business_day(cmd.occurred_on, self.deps.clock())
        asset_id = name_id("asset", village.code, cmd.asset_code.strip())

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
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
                        registered_on=on,
                    )
                )
                await uow.commit()
            return Recorded(asset_id, ledger.stream_id, ledger.version)

        return await attempt(run, retry=True)

    async def dispose_asset(self, cmd: c.DisposeAsset, ctx: CommandContext) -> Recorded:
        """Dispose of an asset (vote and filing required) and book the proceeds, in full, to
        the collective economy — both in one transaction."""
        village = self.deps.town.known_village(cmd.village)
        on = business_day(cmd.occurred_on, self.deps.clock())

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                ledger = await uow.get(CollectiveLedger, ledger_stream(village.code), "三资台账")
                disposed = ledger.dispose(
                    asset_code=cmd.asset_code.strip(),
                    method=cmd.method,
                    counterparty=cmd.counterparty,
                    proceeds=cmd.proceeds,
                    vote=cmd.vote,
                    filing=cmd.filing,
                    disposed_on=on,
                )
                economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
                if disposed.proceeds > 0:
                    economy.book_proceeds(village.name, disposed.asset_id, disposed.proceeds, on)
                await uow.commit()
            return Recorded(disposed.asset_id, ledger.stream_id, ledger.version)

        return await attempt(run, retry=True)

    async def record_income(self, cmd: c.RecordCollectiveIncome, ctx: CommandContext) -> Recorded:
        village = self.deps.town.known_village(cmd.village)
        on = business_day(cmd.occurred_on, self.deps.clock())
        income_id = child_id(f"{village.code}:{cmd.year}", "income", cmd.reference)

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
                economy.record_income(
                    ev.CollectiveIncomeRecorded(
                        village=village.name,
                        income_id=income_id,
                        year=cmd.year,
                        amount=cmd.amount,
                        source=cmd.source,
                        note=cmd.note,
                        recorded_on=on,
                    )
                )
                await uow.commit()
            return Recorded(income_id, economy.stream_id, economy.version)

        return await attempt(run, retry=True)

    async def list_zero(self, cmd: c.ListZeroIncomeVillage, ctx: CommandContext) -> Recorded:
        village = self.deps.town.known_village(cmd.village)
        on = business_day(cmd.occurred_on, self.deps.clock())

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
                economy.list_zero(village.name, cmd.year, on)
                await uow.commit()
            return Recorded(village.code, economy.stream_id, economy.version)

        return await attempt(run, retry=True)

    async def assign_leader(self, cmd: c.AssignZeroIncomeLeader, ctx: CommandContext) -> Recorded:
        village = self.deps.town.known_village(cmd.village)
        on = business_day(cmd.occurred_on, self.deps.clock())

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
                economy.assign_leader(cmd.leader_name, cmd.leader_post, on)
                await uow.commit()
            return Recorded(village.code, economy.stream_id, economy.version)

        return await attempt(run, retry=True)

    async def record_plan(self, cmd: c.RecordVillagePlan, ctx: CommandContext) -> Recorded:
        village = self.deps.town.known_village(cmd.village)
        on = business_day(cmd.occurred_on, self.deps.clock())
        plan_id = child_id(village.code, "plan", cmd.reference)

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
                economy.record_plan(
                    ev.VillagePlanRecorded(
                        village=village.name,
                        plan_id=plan_id,
                        title=cmd.title,
                        measures=cmd.measures,
                        target_income=cmd.target_income,
                        recorded_on=on,
                    )
                )
                await uow.commit()
            return Recorded(plan_id, economy.stream_id, economy.version)

        return await attempt(run, retry=True)

    async def disclose(self, cmd: c.DiscloseFinances, ctx: CommandContext) -> Recorded:
        village = self.deps.town.known_village(cmd.village)
        on = business_day(cmd.occurred_on, self.deps.clock())
        period = Quarter.parse(cmd.period)

        async def run() -> Recorded:
            async with UnitOfWork(self.deps.store, ctx) as uow:
                disclosures = await uow.load(FinanceDisclosures, disclosure_stream(village.code))
                disclosures.disclose(
                    village=village.name,
                    period=period,
                    income_total=cmd.income_total,
                    expenditure_total=cmd.expenditure_total,
                    channel=cmd.channel,
                    on=on,
                )
                await uow.commit()
            return Recorded(str(period), disclosures.stream_id, disclosures.version)

        return await attempt(run, retry=True)
