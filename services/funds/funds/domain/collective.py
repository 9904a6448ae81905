"""The village collective: its 三资 ledger (村账乡代理) and its economy (集体经济, 清零).

Measure 4 (3): property financed by government may not be disposed of at will; a sale or
transfer needs the villagers' representative assembly's approval and a filing with the finance
office, and its proceeds go, in full, to the collective economy. The approval is a village
decision (四议两公开, `funds.domain.decision`) whose resolution was disclosed; the meeting checks
(quorum, votes adding up, majority) are here, used by that procedure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from funds.domain import events as ev
from funds.domain.values import AssetCategory, DisposalMethod, IncomeSource, Step
from shared.kernel import Aggregate, AlreadyExists, Event, NotFound, Refused

if TYPE_CHECKING:
    from funds.domain.decision import Authority


def quorum(representatives: int) -> int:
    """At least two thirds of the representatives present (村民代表会议须有三分之二以上组成人员
    参加方可召开, Organic Law of Villagers' Committees, art. 26)."""
    return -(-2 * representatives // 3)


def more_than_half(members: int) -> int:
    """The least number that is more than half of `members` (过半数)."""
    return members // 2 + 1


def count_refusal(members: int, present: int, votes_for: int, votes_against: int) -> str | None:
    """Why a meeting's attendance and votes cannot be true, or None."""
    if members <= 0:
        return "应到人数须大于零 (a meeting has members)"
    if present > members or votes_for + votes_against > present:
        return "表决票数与到会人数不符 (votes do not add up)"
    return None


def quorum_refusal(present: int, needed: int) -> str | None:
    """Why a meeting with `present` attending is no meeting, or None."""
    if present < needed:
        return f"到会 {present} 人，不足法定人数（{needed} 人），会议无效 (no quorum)"
    return None


def passes(present: int, votes_for: int) -> bool:
    """A vote passes with more than half of those present in favour (赞成票超过到会人员半数)."""
    return votes_for >= more_than_half(present)


def filing_refusal(
    filing: ev.FinanceFiling | None, vote: ev.AssemblyVote, disposed_on: dt.date
) -> str | None:
    """Why the filing with the finance office does not allow a disposal, or None."""
    if filing is None or not filing.reference.strip():
        return "未报财政所备案，不得处置集体资产 (not filed with the finance office)"
    if filing.filed_on > disposed_on:
        return "应在处置完成前报财政所备案 (filing must precede completion)"
    if filing.filed_on < vote.held_on:
        return "应先经村民代表会议表决再报备案 (file after the vote)"
    return None


#: The small power (小微权力) a disposal exercises, as supervision's list names it.
ASSET_DISPOSAL_ITEM = "asset_disposal"


@dataclass(slots=True)
class Holding:
    """An entry of the 三资 ledger."""

    registered: ev.CollectiveAssetRegistered
    disposal: ev.CollectiveAssetDisposed | None = None


class CollectiveLedger(Aggregate):
    """A village's 三资 ledger; stream `assets-<village code>`."""

    LEDGER: ClassVar[bool] = True

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.holdings: dict[str, Holding] = {}

    def register(self, event: ev.CollectiveAssetRegistered) -> None:
        """Enter an asset, resource or fund; its code is unique in the village."""
        if event.asset_code in self.holdings:
            raise AlreadyExists(f"资产编号 {event.asset_code} 已登记 (already registered)")
        if event.category not in {c.value for c in AssetCategory}:
            raise Refused(f"三资类别无效 (unknown category): {event.category}")
        if event.value < 0:
            raise Refused("价值不能为负 (value must not be negative)")
        self._record(event)

    def holding(self, asset_code: str) -> Holding:
        try:
            return self.holdings[asset_code]
        except KeyError:
            raise NotFound(f"资产编号 {asset_code} 未登记 (not in the ledger)") from None

    def dispose(
        self,
        *,
        asset_code: str,
        method: str,
        counterparty: str,
        proceeds: Decimal,
        authority: Authority,
        filing: ev.FinanceFiling | None,
        disposed_on: dt.date,
    ) -> ev.CollectiveAssetDisposed:
        """Sell or transfer an asset or resource under a decision that allows it (its resolution
        disclosed by then: `VillageDecision.authorize`), after the filing."""
        holding = self.holding(asset_code)
        if holding.disposal is not None:
            raise AlreadyExists(f"资产 {asset_code} 已于 {holding.disposal.disposed_on} 处置")
        if holding.registered.category == AssetCategory.FUND:
            raise Refused("集体资金按财务制度支出，不作资产处置 (funds are not disposed of)")
        if method not in {m.value for m in DisposalMethod}:
            raise Refused(f"处置方式无效 (unknown method): {method}")
        if proceeds < 0:
            raise Refused("处置所得不能为负 (proceeds must not be negative)")
        if disposed_on < holding.registered.registered_on:
            raise Refused("处置日期早于登记日期 (disposed before it was registered)")
        reason = filing_refusal(filing, authority.vote, disposed_on)
        if reason is not None or filing is None:
            raise Refused(reason or "未报财政所备案 (not filed)")
        event = ev.CollectiveAssetDisposed(
            village=holding.registered.village,
            asset_id=holding.registered.asset_id,
            asset_code=asset_code,
            method=method,
            counterparty=counterparty,
            proceeds=proceeds,
            vote=authority.vote,
            filing=filing,
            disposed_on=disposed_on,
            decision_id=authority.decision_id,
            power_item=ASSET_DISPOSAL_ITEM,
            steps=(*authority.steps, Step.FILED.value),
        )
        self._record(event)
        return event

    def _apply(self, event: Event) -> None:
        match event:
            case ev.CollectiveAssetRegistered():
                self.holdings[event.asset_code] = Holding(event)
            case ev.CollectiveAssetDisposed():
                self.holdings[event.asset_code].disposal = event
            case _:
                super()._apply(event)


@dataclass(slots=True)
class ZeroListing:
    """The village's place on the 清零 list (no collective income)."""

    year: int
    listed_on: dt.date
    leader: ev.ZeroIncomeLeaderAssigned | None = None
    plans: list[ev.VillagePlanRecorded] = field(default_factory=list)
    cleared: ev.ZeroIncomeVillageCleared | None = None


class CollectiveEconomy(Aggregate):
    """A village's collective economy; stream `collective-<village code>`.

    Disposal proceeds go to a development fund, not to income: selling property must not take
    a village off the 清零 list."""

    LEDGER: ClassVar[bool] = True

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.village = ""
        self.income: list[ev.CollectiveIncomeRecorded] = []
        self.proceeds: list[ev.DisposalProceedsBooked] = []
        self.listings: list[ZeroListing] = []

    @property
    def listing(self) -> ZeroListing | None:
        """The village's current (not cleared) place on the 清零 list."""
        if self.listings and self.listings[-1].cleared is None:
            return self.listings[-1]
        return None

    def income_in(self, year: int) -> Decimal:
        return sum((i.amount for i in self.income if i.year == year), Decimal(0))

    @property
    def development_fund(self) -> Decimal:
        return sum((p.amount for p in self.proceeds), Decimal(0))

    def record_income(self, event: ev.CollectiveIncomeRecorded) -> None:
        """Record income for a year. A zero year puts the village on the 清零 list; income
        above zero in or after the listed year takes it off."""
        if any(i.income_id == event.income_id for i in self.income):
            raise AlreadyExists(f"收入记录 {event.income_id} 已登记 (already recorded)")
        if event.amount < 0:
            raise Refused("集体经济收入不能为负 (income must not be negative)")
        if event.source not in {s.value for s in IncomeSource}:
            raise Refused(f"收入来源无效 (unknown source): {event.source}")
        if event.amount > 0 and event.source == IncomeSource.NONE:
            raise Refused("“无收入”记录的金额应为零 (a 'none' record must be zero)")
        self._record(event)
        listing = self.listing
        total = self.income_in(event.year)
        if listing is not None and total > 0 and event.year >= listing.year:
            self._record(
                ev.ZeroIncomeVillageCleared(
                    village=event.village,
                    year=event.year,
                    income=total,
                    cleared_on=event.recorded_on,
                )
            )
        elif listing is None and total == 0:
            self.list_zero(event.village, event.year, event.recorded_on)

    def list_zero(self, village: str, year: int, on: dt.date) -> None:
        """Put the village on the 清零 list for a year without collective income."""
        if self.listing is not None:
            raise AlreadyExists(f"{village}已在清零名单中 (already listed)")
        if self.income_in(year) > 0:
            raise Refused(f"{village}{year}年集体经济收入 {self.income_in(year)} 元，不属空壳村")
        self._record(ev.ZeroIncomeVillageListed(village=village, year=year, listed_on=on))

    def assign_leader(self, name: str, post: str, on: dt.date) -> None:
        """Link a town leader to the listed village (联点负责人)."""
        latest = self.listings[-1] if self.listings else None
        if latest is not None and latest.leader is not None and latest.leader.leader_name == name:
            raise AlreadyExists(f"{name}已是{self.village}的联点负责人 (already assigned)")
        self._listed()
        self._record(
            ev.ZeroIncomeLeaderAssigned(
                village=self.village, leader_name=name, leader_post=post, assigned_on=on
            )
        )

    def record_plan(self, event: ev.VillagePlanRecorded) -> None:
        """Record the village's "一村一策" plan."""
        if any(p.plan_id == event.plan_id for item in self.listings for p in item.plans):
            raise AlreadyExists(f"一村一策 {event.title} 已登记 (already recorded)")
        self._listed()
        if not event.measures:
            raise Refused("一村一策至少包括一项措施 (at least one measure)")
        self._record(event)

    def book_proceeds(self, village: str, asset_id: str, amount: Decimal, on: dt.date) -> None:
        """Book a disposal's proceeds, in full, to the development fund."""
        self._record(
            ev.DisposalProceedsBooked(
                village=village, asset_id=asset_id, amount=amount, booked_on=on
            )
        )

    def _listed(self) -> ZeroListing:
        listing = self.listing
        if listing is None:
            raise Refused(f"{self.village or '该村'}不在清零名单中 (not on the zero-income list)")
        return listing

    def _apply(self, event: Event) -> None:
        match event:
            case ev.CollectiveIncomeRecorded():
                self.village = event.village
                self.income.append(event)
            case ev.DisposalProceedsBooked():
                self.village = event.village
                self.proceeds.append(event)
            case ev.ZeroIncomeVillageListed():
                self.village = event.village
                self.listings.append(ZeroListing(event.year, event.listed_on))
            case ev.ZeroIncomeLeaderAssigned():
                self._listed().leader = event
            case ev.VillagePlanRecorded():
                self._listed().plans.append(event)
            case ev.ZeroIncomeVillageCleared():
                self._listed().cleared = event
            case _:
                super()._apply(event)
