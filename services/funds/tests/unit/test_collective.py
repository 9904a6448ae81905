"""The village collective: a disposal of 三资 is one use of 四议两公开 — it needs a decision on
the asset whose resolution was disclosed, and the filing with the finance office; its proceeds
go to the collective economy; the 清零 list."""

import datetime as dt
from decimal import Decimal

import pytest
from funds.domain import events as ev
from funds.domain.collective import CollectiveEconomy, CollectiveLedger, quorum
from funds.domain.decision import Authority, VillageDecision
from funds.domain.values import DecisionKind

from shared.kernel import AlreadyExists, Refused

from .decisions import given_decision
from .scenario import settle

D = dt.date
VILLAGE = "石壁村"
FILED_ON, DISPOSED_ON = D(2016, 8, 5), D(2016, 8, 10)


def given_ledger(category: str = "asset") -> CollectiveLedger:
    ledger = CollectiveLedger("assets-430321100201")
    ledger.register(
        ev.CollectiveAssetRegistered(
            village=VILLAGE,
            asset_id="asset-1",
            asset_code="ZC-001",
            category=category,
            name="原村小学校舍",
            description="砖混两层，建筑面积 420 平方米",
            value=Decimal("380000"),
            government_funded=True,
            registered_on=D(2016, 3, 1),
        )
    )
    settle(ledger)
    return ledger


def authority(decision: VillageDecision | None = None, on: dt.date = DISPOSED_ON) -> Authority:
    """What the decision on ZC-001 (its resolution, 2016-07-20, disclosed 2016-07-22) allows."""
    decision = decision or given_decision("resolution_disclosed")
    return decision.authorize(DecisionKind.ASSET_DISPOSAL, VILLAGE, on, "ZC-001")


def a_filing(on: dt.date = FILED_ON) -> ev.FinanceFiling:
    return ev.FinanceFiling(filed_on=on, reference="易财备〔2016〕12号")


def when_disposed(
    ledger: CollectiveLedger,
    filing: ev.FinanceFiling | None = None,
    on: dt.date = DISPOSED_ON,
) -> ev.CollectiveAssetDisposed:
    return ledger.dispose(
        asset_code="ZC-001",
        method="sale",
        counterparty="湘潭某农业公司",
        proceeds=Decimal("400000"),
        authority=authority(on=on),
        filing=filing,
        disposed_on=on,
    )


def test_quorum_is_two_thirds_of_the_representatives() -> None:
    assert quorum(30) == 20 and quorum(31) == 21 and quorum(3) == 2


def test_a_disposal_under_a_disclosed_resolution_and_filed_is_recorded_with_its_steps() -> None:
    disposed = when_disposed(given_ledger(), a_filing())
    assert disposed.proceeds == Decimal("400000")
    assert disposed.vote == ev.AssemblyVote(  # the decision's resolving meeting
        held_on=D(2016, 7, 20), representatives=30, present=24, votes_for=22, votes_against=1
    )
    assert (disposed.decision_id, disposed.power_item) == ("d-1", "asset_disposal")
    assert disposed.steps == (
        "proposed",
        "consulted",
        "reviewed",
        "resolved",
        "resolution_disclosed",
        "filed",
    )


@pytest.mark.parametrize("reached", ["proposed", "reviewed", "resolved"])
def test_a_disposal_before_the_resolution_is_disclosed_is_refused(reached: str) -> None:
    with pytest.raises(Refused, match="决议公开前不得实施"):
        authority(given_decision(reached))


def test_a_disposal_under_a_decision_on_another_asset_is_refused() -> None:
    with pytest.raises(Refused, match="不是 ZC-001"):
        authority(given_decision("resolution_disclosed", subject="ZC-009"))


def test_a_disposal_not_filed_with_the_finance_office_is_refused() -> None:
    ledger = given_ledger()
    with pytest.raises(Refused, match="未报财政所备案"):
        when_disposed(ledger, None)
    assert ledger.take_pending() == []


def test_the_filing_must_precede_completion() -> None:
    with pytest.raises(Refused, match="处置完成前"):
        when_disposed(given_ledger(), a_filing(D(2016, 8, 12)))


def test_the_filing_comes_after_the_resolution() -> None:
    with pytest.raises(Refused, match="先经村民代表会议表决"):
        when_disposed(given_ledger(), a_filing(D(2016, 7, 19)))


def test_an_asset_is_disposed_of_once() -> None:
    ledger = given_ledger()
    when_disposed(ledger, a_filing())
    settle(ledger)
    with pytest.raises(AlreadyExists):
        when_disposed(ledger, a_filing())


def test_collective_funds_are_not_disposed_of_as_assets() -> None:
    with pytest.raises(Refused, match="不作资产处置"):
        when_disposed(given_ledger("fund"), a_filing())


def test_an_asset_code_is_registered_once() -> None:
    ledger = given_ledger()
    with pytest.raises(AlreadyExists):
        ledger.register(
            ev.CollectiveAssetRegistered(
                village=VILLAGE,
                asset_id="asset-2",
                asset_code="ZC-001",
                category="resource",
                name="山塘",
                description="",
                value=Decimal(0),
                government_funded=False,
                registered_on=D(2016, 3, 2),
            )
        )


# --- collective economy and 清零 ---------------------------------------------------------------


def income(
    year: int, amount: str, ref: str = "i-1", source: str = "lease"
) -> ev.CollectiveIncomeRecorded:
    return ev.CollectiveIncomeRecorded(
        village=VILLAGE,
        income_id=ref,
        year=year,
        amount=Decimal(amount),
        source=source if Decimal(amount) else "none",
        note="",
        recorded_on=D(year + 1, 1, 15),
    )


def given_economy(*events: ev.CollectiveIncomeRecorded) -> CollectiveEconomy:
    economy = CollectiveEconomy("collective-430321100201")
    for event in events:
        economy.record_income(event)
    settle(economy)
    return economy


def test_a_year_without_income_puts_the_village_on_the_zero_list() -> None:
    economy = given_economy(income(2016, "0"))
    assert economy.listing is not None and economy.listing.year == 2016


def test_a_listed_village_gets_a_leader_and_a_plan() -> None:
    economy = given_economy(income(2016, "0"))
    economy.assign_leader("周敏", "分管经济发展负责人", D(2017, 1, 20))
    economy.record_plan(
        ev.VillagePlanRecorded(
            village=VILLAGE,
            plan_id="plan-1",
            title="石壁村光伏发电与油茶基地",
            measures=("建设村级光伏电站", "流转山地发展油茶"),
            target_income=Decimal("50000"),
            recorded_on=D(2017, 2, 1),
        )
    )
    settle(economy)
    assert economy.listing is not None
    assert economy.listing.leader is not None and economy.listing.leader.leader_name == "周敏"
    assert [p.title for p in economy.listing.plans] == ["石壁村光伏发电与油茶基地"]


def test_a_village_not_on_the_list_gets_no_zero_income_leader() -> None:
    with pytest.raises(Refused, match="不在清零名单"):
        given_economy(income(2016, "12000")).assign_leader("周敏", "负责人", D(2017, 1, 20))


def test_income_above_zero_takes_the_village_off_the_list() -> None:
    economy = given_economy(income(2016, "0"))
    economy.record_income(income(2017, "36000", ref="i-2"))
    cleared = economy.take_pending()[-1]
    assert isinstance(cleared, ev.ZeroIncomeVillageCleared) and cleared.income == Decimal("36000")
    assert economy.listing is None or economy.listing.cleared is not None


def test_disposal_proceeds_do_not_take_a_village_off_the_list() -> None:
    economy = given_economy(income(2016, "0"))
    economy.book_proceeds(VILLAGE, "asset-1", Decimal("400000"), D(2017, 3, 1))
    settle(economy)
    assert economy.listing is not None and economy.development_fund == Decimal("400000")


def test_a_village_with_income_is_not_listed_by_hand() -> None:
    with pytest.raises(Refused, match="不属空壳村"):
        given_economy(income(2016, "5000")).list_zero(VILLAGE, 2016, D(2017, 1, 10))


def test_an_income_record_is_kept_once() -> None:
    economy = given_economy(income(2016, "5000"))
    with pytest.raises(AlreadyExists):
        economy.record_income(income(2016, "5000"))


def test_after_clearing_a_repeated_leader_or_plan_is_already_there() -> None:
    economy = given_economy(income(2016, "0"))
    economy.assign_leader("王强", "党委副书记", D(2017, 1, 20))
    economy.record_plan(
        ev.VillagePlanRecorded(
            village=VILLAGE,
            plan_id="plan-1",
            title="门面出租",
            measures=("改建门面",),
            target_income=None,
            recorded_on=D(2017, 2, 1),
        )
    )
    economy.record_income(income(2017, "35000", ref="i-2"))
    settle(economy)
    with pytest.raises(AlreadyExists):
        economy.assign_leader("王强", "党委副书记", D(2017, 1, 20))
    with pytest.raises(Refused, match="不在清零名单"):
        economy.assign_leader("另一人", "党委委员", D(2018, 1, 20))
