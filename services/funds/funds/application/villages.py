"""Handlers of the village collective: the 三资 ledger, the collective economy and 清零, and
the quarterly finance disclosure (阳光村务). Each acts on one village, within the caller's
scope."""

from __future__ import annotations

from funds.application import commands as c
from funds.application.decisions import load_decision
from funds.application.flags import raise_flags
from funds.application.ports import Deps
from funds.domain import events as ev
from funds.domain import rules
from funds.domain.books import FINANCE_ITEM, VillageBooks, entry_steps, month_start
from funds.domain.collective import CollectiveEconomy, CollectiveLedger
from funds.domain.disclosure import FinanceDisclosures
from funds.domain.identity import (
    books_stream,
    child_id,
    disclosure_stream,
    economy_stream,
    ledger_stream,
    name_id,
)
from funds.domain.values import BookEntryKind, DecisionKind, Quarter
from shared.kernel import Refused
from shared.pipeline import Done, Work


async def register_asset(cmd: c.RegisterAsset, uow: Work[Deps]) -> Done:
    village = uow.village(cmd.village)
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
    """Dispose of an asset under its decision (四议两公开: the resolution disclosed by the day)
    after the filing, and book the proceeds, in full, to the collective economy — both in one
    transaction."""
    village = uow.village(cmd.village)
    ledger = await uow.get(CollectiveLedger, ledger_stream(village.code), "三资台账")
    asset_code = cmd.asset_code.strip()
    ledger.holding(asset_code)  # 404 for an asset not in the ledger, before its decision
    decision = await load_decision(uow, village, cmd.decision_id)
    disposed = ledger.dispose(
        asset_code=asset_code,
        method=cmd.method,
        counterparty=cmd.counterparty,
        proceeds=cmd.proceeds,
        authority=decision.authorize(
            DecisionKind.ASSET_DISPOSAL, village.name, uow.day, asset_code
        ),
        filing=cmd.filing.filing() if cmd.filing else None,
        disposed_on=uow.day,
    )
    economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
    if disposed.proceeds > 0:
        economy.book_proceeds(village.name, disposed.asset_id, disposed.proceeds, uow.day)
    return disposed.asset_id, ledger


async def record_income(cmd: c.RecordCollectiveIncome, uow: Work[Deps]) -> Done:
    village = uow.village(cmd.village)
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
    village = uow.village(cmd.village)
    economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
    economy.list_zero(village.name, cmd.year, uow.day)
    return village.code, economy


async def assign_leader(cmd: c.AssignZeroIncomeLeader, uow: Work[Deps]) -> Done:
    village = uow.village(cmd.village)
    economy = await uow.load(CollectiveEconomy, economy_stream(village.code))
    economy.assign_leader(cmd.leader_name, cmd.leader_post, uow.day)
    return village.code, economy


async def record_plan(cmd: c.RecordVillagePlan, uow: Work[Deps]) -> Done:
    village = uow.village(cmd.village)
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
    """Disclose a quarter's finances (a village clerk their own village only), produced from
    the agency's books of that year when the village has them: totals left out are the books';
    totals given that differ from them raise FUNDS-DISCLOSURE-MISMATCH in the same transaction
    (once per village and quarter: the flag's subject). A village without books for the year
    discloses the totals it gives."""
    village = uow.village(cmd.village)
    period = Quarter.parse(cmd.period)
    books = await uow.load(VillageBooks, books_stream(village.code, period.year))
    booked = books.quarter_totals(period, uow.day) if books.exists else None
    if booked is not None:
        income = booked[0] if cmd.income_total is None else cmd.income_total
        spent = booked[1] if cmd.expenditure_total is None else cmd.expenditure_total
    elif cmd.income_total is None or cmd.expenditure_total is None:
        raise Refused(
            f"{village.name}{period.year}年没有代理记账账簿，须填写收入和支出合计"
            " (no books for the year: give both totals)"
        )
    else:
        income, spent = cmd.income_total, cmd.expenditure_total
    disclosures = await uow.load(FinanceDisclosures, disclosure_stream(village.code))
    disclosures.disclose(
        village=village.name,
        period=period,
        income_total=income,
        expenditure_total=spent,
        channel=cmd.channel,
        on=uow.day,
    )
    if booked is not None:
        (disclosed,) = await uow.flush(disclosures)
        findings = rules.assess_disclosure(
            village=village.name,
            village_code=village.code,
            period=period,
            disclosed=(income, spent),
            books=booked,
            books_stream=books.stream_id,
            event_id=str(disclosed.event_id),
        )
        await raise_flags(uow, findings, disclosed.event_id)
    return str(period), disclosures


async def record_book_entry(cmd: c.RecordBookEntry, uow: Work[Deps]) -> Done:
    """代理会计记账: an income or expense in the village's books of the month's year."""
    village = uow.village(cmd.village)
    since = uow.town.programme_since
    if month_start(cmd.month) < since.replace(day=1):
        raise Refused(
            f"{cmd.month} 早于工程开始（{since:%Y-%m}），不能记账 (before the programme began)"
        )
    year = int(cmd.month[:4])
    entry_id = child_id(f"{village.code}:{year}", "book-entry", cmd.reference)
    books = await uow.load(VillageBooks, books_stream(village.code, year))
    expense = cmd.kind == BookEntryKind.EXPENSE
    books.record(
        ev.VillageBookEntryRecorded(
            entry_id=entry_id,
            village=village.name,
            village_code=village.code,
            month=cmd.month,
            kind=cmd.kind,
            amount=cmd.amount,
            subject=cmd.subject,
            power_item=FINANCE_ITEM if expense else None,
            steps=entry_steps(cmd.kind, tuple(cmd.steps)),
            recorded_on=uow.day,
        )
    )
    return entry_id, books
