"""四议两公开, collective projects, the disposal under a decision and 村账乡代理 through the
handlers and the shared pipeline, on a memory store: given events, when a command, then the
events appended — or the refusal, with nothing stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from funds.application import commands as c
from funds.application import decisions, villages
from funds.domain import codes
from funds.domain import events as ev
from funds.domain.identity import (
    books_stream,
    decision_stream,
    disclosure_stream,
    economy_stream,
    ledger_stream,
    project_id_for,
    project_stream,
)

from shared.codec import decode, encode
from shared.envelope import SYSTEM_ACTOR, Actor
from shared.kernel import AlreadyExists, NotFound, Refused
from shared.pipeline import OutOfScope, Scope
from shared.roles import Role

from .funds_world import Funds

D = dt.date
VILLAGE, CODE = "石壁村", "430321100201"
CLERK = Actor("clerk-shibi", Role.VILLAGE_CLERK.value)
MEETINGS = (
    ("consulted", "两委会议", 7, 6, D(2016, 3, 5)),
    ("reviewed", "党员大会", 40, 30, D(2016, 3, 12)),
    ("resolved", "村民代表会议", 30, 24, D(2016, 3, 20)),
)


async def a_decision(
    funds: Funds,
    reference: str,
    kind: str = "collective_project",
    subject: str = "村级光伏电站",
    *,
    upto: str = "resolved",
    disclosed_on: dt.date | None = None,
) -> str:
    """A decision proposed on 2016-03-01 and taken to `upto`; its resolution disclosed on
    `disclosed_on` if given."""
    written = await funds.when(
        decisions.propose,
        c.ProposeDecision(
            village=VILLAGE,
            reference=reference,
            kind=kind,
            subject=subject,
            description="提议内容",
            occurred_on=D(2016, 3, 1),
        ),
    )
    for step, body, members, present, held_on in MEETINGS:
        await funds.when(
            decisions.hold_meeting, meeting(written.id, step, body, members, present, held_on)
        )
        if step == upto:
            break
    if disclosed_on is not None:
        await funds.when(
            decisions.disclose_resolution,
            c.DiscloseResolution(village=VILLAGE, decision_id=written.id, occurred_on=disclosed_on),
        )
    return written.id


def meeting(
    decision_id: str, step: str, body: str, members: int, present: int, held_on: dt.date
) -> c.HoldDecisionMeeting:
    return c.HoldDecisionMeeting(
        village=VILLAGE,
        decision_id=decision_id,
        step=step,  # type: ignore[arg-type]
        body=body,  # type: ignore[arg-type]
        members=members,
        present=present,
        votes_for=present - 2,
        votes_against=1,
        occurred_on=held_on,
    )


def start(decision_id: str, on: dt.date) -> c.StartCollectiveProject:
    return c.StartCollectiveProject(
        village=VILLAGE, decision_id=decision_id, investment=Decimal("180000"), occurred_on=on
    )


# --- 四议两公开 -------------------------------------------------------------------------------


async def test_a_decision_goes_through_its_four_steps_and_two_disclosures() -> None:
    funds = Funds()
    decision_id = await a_decision(funds, "JY-2016-01", disclosed_on=D(2016, 3, 22))
    events = funds.then(decision_stream(decision_id))
    assert [type(e).__name__ for e in events] == [
        "DecisionProposed",
        "DecisionMeetingHeld",
        "DecisionMeetingHeld",
        "DecisionMeetingHeld",
        "DecisionResolutionDisclosed",
    ]
    proposed, *_, disclosed = events
    assert isinstance(proposed, ev.DecisionProposed) and proposed.village_code == CODE
    assert isinstance(disclosed, ev.DecisionResolutionDisclosed)
    assert disclosed.result_due_on == D(2016, 6, 20)
    await funds.when(decisions.start_project, start(decision_id, D(2016, 4, 1)))
    done = await funds.when(
        decisions.disclose_result,
        c.DiscloseResult(
            village=VILLAGE, decision_id=decision_id, result="已建成并网", occurred_on=D(2016, 6, 1)
        ),
    )
    assert done.status == "result_disclosed"
    assert [e.type for e in done.events] == ["funds.DecisionResultDisclosed"]


async def test_a_repeated_reference_names_the_same_decision() -> None:
    funds = Funds()
    await a_decision(funds, "JY-2016-01", upto="proposed")
    with pytest.raises(AlreadyExists):
        await a_decision(funds, "JY-2016-01", upto="proposed")


async def test_a_meeting_without_quorum_is_refused_and_nothing_stored() -> None:
    funds = Funds()
    decision_id = await a_decision(funds, "JY-2016-01", upto="reviewed")
    before = len(funds.store.log)
    with pytest.raises(Refused, match="不足法定人数"):
        await funds.when(
            decisions.hold_meeting,
            meeting(decision_id, "resolved", "村民代表会议", 30, 19, D(2016, 3, 20)),
        )
    assert len(funds.store.log) == before


async def test_a_decision_is_reached_through_its_own_village_only() -> None:
    funds = Funds()
    decision_id = await a_decision(funds, "JY-2016-01", upto="proposed")
    with pytest.raises(NotFound, match="金霞村没有决策事项"):
        await funds.when(
            decisions.hold_meeting,
            meeting(decision_id, "consulted", "两委会议", 7, 6, D(2016, 3, 5)).model_copy(
                update={"village": "金霞村"}
            ),
        )


async def test_a_clerk_discloses_their_own_villages_resolution_only() -> None:
    funds = Funds()
    decision_id = await a_decision(funds, "JY-2016-01")
    cmd = c.DiscloseResolution(village=VILLAGE, decision_id=decision_id, occurred_on=D(2016, 3, 22))
    with pytest.raises(OutOfScope):
        await funds.when(decisions.disclose_resolution, cmd, Scope("金霞村"), CLERK)
    written = await funds.when(decisions.disclose_resolution, cmd, Scope(VILLAGE), CLERK)
    assert written.status == "resolution_disclosed"


# --- collective projects ------------------------------------------------------------------------


async def test_a_project_started_before_its_resolution_is_disclosed_is_refused() -> None:
    funds = Funds()
    decision_id = await a_decision(funds, "JY-2016-01")  # resolved, not disclosed
    before = len(funds.store.log)
    with pytest.raises(Refused, match="决议公开前不得实施"):
        await funds.when(decisions.start_project, start(decision_id, D(2016, 4, 1)))
    assert len(funds.store.log) == before and funds.streams("cproject-") == []


async def test_a_project_starts_on_or_after_the_disclosure_once() -> None:
    funds = Funds()
    decision_id = await a_decision(funds, "JY-2016-01", disclosed_on=D(2016, 3, 22))
    with pytest.raises(Refused, match="决议公开前不得实施"):
        await funds.when(decisions.start_project, start(decision_id, D(2016, 3, 21)))
    written = await funds.when(decisions.start_project, start(decision_id, D(2016, 3, 22)))
    assert written.stream_id == project_stream(project_id_for(decision_id))
    [started] = funds.then(written.stream_id)
    assert isinstance(started, ev.CollectiveProjectStarted)
    assert (started.name, started.power_item, started.steps[-1]) == (
        "村级光伏电站",
        "works",
        "resolution_disclosed",
    )
    with pytest.raises(AlreadyExists):
        await funds.when(decisions.start_project, start(decision_id, D(2016, 4, 1)))


async def test_the_result_of_a_project_is_not_disclosed_before_it_starts() -> None:
    funds = Funds()
    decision_id = await a_decision(funds, "JY-2016-01", disclosed_on=D(2016, 3, 22))
    with pytest.raises(Refused, match="项目尚未启动"):
        await funds.when(
            decisions.disclose_result,
            c.DiscloseResult(
                village=VILLAGE, decision_id=decision_id, result="已建成", occurred_on=D(2016, 5, 1)
            ),
        )


# --- the 三资 disposal under a decision -------------------------------------------------------


async def given_asset(funds: Funds) -> None:
    await funds.when(
        villages.register_asset,
        c.RegisterAsset(
            village=VILLAGE,
            asset_code="SB-ZC-001",
            category="asset",  # type: ignore[arg-type]
            name="老村部",
            value=Decimal("150000"),
            occurred_on=D(2016, 2, 1),
        ),
    )


def disposal(decision_id: str, **overrides: Any) -> c.DisposeAsset:
    fields: dict[str, Any] = {
        "village": VILLAGE,
        "asset_code": "SB-ZC-001",
        "decision_id": decision_id,
        "method": "sale",
        "counterparty": "湘潭某合作社",
        "proceeds": Decimal("160000"),
        "filing": {"filed_on": D(2016, 3, 25), "reference": "易财备〔2016〕3号"},
        "occurred_on": D(2016, 4, 1),
    } | overrides
    return c.DisposeAsset(**fields)


async def test_an_asset_is_disposed_of_under_its_disclosed_decision_and_the_result_follows() -> (
    None
):
    funds = Funds()
    await given_asset(funds)
    decision_id = await a_decision(
        funds, "JY-2016-02", "asset_disposal", "SB-ZC-001", disclosed_on=D(2016, 3, 22)
    )
    written = await funds.when(villages.dispose_asset, disposal(decision_id))
    assert [e.type for e in written.events] == [
        "funds.CollectiveAssetDisposed",
        "funds.DisposalProceedsBooked",
    ]
    disposed = funds.then(ledger_stream(CODE))[-1]
    assert isinstance(disposed, ev.CollectiveAssetDisposed)
    assert disposed.decision_id == decision_id and disposed.vote.present == 24
    assert disposed.steps[-2:] == ("resolution_disclosed", "filed")
    assert len(funds.then(economy_stream(CODE))) == 1
    result = await funds.when(
        decisions.disclose_result,
        c.DiscloseResult(
            village=VILLAGE, decision_id=decision_id, result="售出", occurred_on=D(2016, 4, 5)
        ),
    )
    assert result.status == "result_disclosed"


async def test_a_disposal_before_its_resolution_is_disclosed_or_without_a_decision_is_refused() -> (
    None
):
    funds = Funds()
    await given_asset(funds)
    decision_id = await a_decision(funds, "JY-2016-02", "asset_disposal", "SB-ZC-001")
    before = len(funds.store.log)
    with pytest.raises(Refused, match="决议公开前不得实施"):
        await funds.when(villages.dispose_asset, disposal(decision_id))
    with pytest.raises(NotFound, match="决策事项"):
        await funds.when(villages.dispose_asset, disposal("nope"))
    project = await a_decision(funds, "JY-2016-03", disclosed_on=D(2016, 3, 22))
    before = len(funds.store.log)
    with pytest.raises(Refused, match="不能用于"):
        await funds.when(villages.dispose_asset, disposal(project))
    assert len(funds.store.log) == before


async def test_a_disposal_stored_in_its_first_shape_reads_as_the_second() -> None:
    v1 = ev.CollectiveAssetDisposedV1(
        village=VILLAGE,
        asset_id="asset-1",
        asset_code="SB-ZC-001",
        method="sale",
        counterparty="湘潭某合作社",
        proceeds=Decimal("160000"),
        vote=ev.AssemblyVote(
            held_on=D(2016, 3, 20), representatives=30, present=24, votes_for=20, votes_against=2
        ),
        filing=ev.FinanceFiling(filed_on=D(2016, 3, 25), reference="易财备〔2016〕3号"),
        disposed_on=D(2016, 4, 1),
    )
    assert v1.schema_version == 1 and ev.CollectiveAssetDisposed.schema_version == 2
    read = decode("funds.CollectiveAssetDisposed", 1, encode(v1))
    assert isinstance(read, ev.CollectiveAssetDisposed)
    assert (read.decision_id, read.power_item, read.steps) == (None, None, ())
    assert read.vote == v1.vote and read.proceeds == v1.proceeds
    funds = Funds()
    await given_asset(funds)
    [stored] = funds.store.given(ledger_stream(CODE), v1, ctx=funds.context())
    assert stored.schema_version == 1
    [_, disposed] = funds.then(ledger_stream(CODE))
    assert isinstance(disposed, ev.CollectiveAssetDisposed) and disposed.decision_id is None


# --- 村账乡代理 ----------------------------------------------------------------------------------


def entry(month: str, kind: str, amount: str, **overrides: Any) -> c.RecordBookEntry:
    fields: dict[str, Any] = {
        "village": VILLAGE,
        "reference": f"{month}-{kind}-{amount}",
        "month": month,
        "kind": kind,
        "amount": Decimal(amount),
        "subject": "山塘发包收入" if kind == "income" else "村部水电费",
        "occurred_on": D(int(month[:4]), int(month[5:]), 28),
    } | overrides
    return c.RecordBookEntry(**fields)


async def given_books(funds: Funds) -> None:
    """2016 Q1: income 12000 + 3000, expense 4000 (Q2's entry does not count)."""
    await funds.when(villages.record_book_entry, entry("2016-01", "income", "12000"))
    await funds.when(villages.record_book_entry, entry("2016-03", "income", "3000"))
    await funds.when(
        villages.record_book_entry,
        entry("2016-02", "expense", "4000", steps=["handled", "reviewed_by_committee", "approved"]),
    )
    await funds.when(villages.record_book_entry, entry("2016-04", "expense", "900"))


def disclose(**totals: str) -> c.DiscloseFinances:
    return c.DiscloseFinances(
        village=VILLAGE,
        period="2016Q1",
        occurred_on=D(2016, 4, 10),
        **{k: Decimal(v) for k, v in totals.items()},
    )


async def test_the_agency_books_entries_with_their_steps() -> None:
    funds = Funds()
    await given_books(funds)
    entries = funds.then(books_stream(CODE, 2016))
    assert all(isinstance(e, ev.VillageBookEntryRecorded) for e in entries)
    income, _, expense, _ = entries
    assert isinstance(income, ev.VillageBookEntryRecorded)
    assert isinstance(expense, ev.VillageBookEntryRecorded)
    assert (income.power_item, income.steps) == (None, ("booked",))
    assert expense.power_item == "finance"
    assert expense.steps == ("handled", "reviewed_by_committee", "approved", "booked")


async def test_a_book_entry_before_its_month_or_booked_twice_is_refused() -> None:
    funds = Funds()
    with pytest.raises(Refused, match="尚未开始"):
        await funds.when(
            villages.record_book_entry, entry("2016-05", "income", "10", occurred_on=D(2016, 4, 30))
        )
    await funds.when(villages.record_book_entry, entry("2016-01", "income", "10"))
    with pytest.raises(AlreadyExists):
        await funds.when(villages.record_book_entry, entry("2016-01", "income", "10"))


async def test_a_disclosure_without_totals_is_produced_from_the_books() -> None:
    funds = Funds()
    await given_books(funds)
    written = await funds.when(villages.disclose, disclose())
    [disclosed] = funds.then(disclosure_stream(CODE))
    assert isinstance(disclosed, ev.FinanceDisclosed)
    assert (disclosed.income_total, disclosed.expenditure_total) == (
        Decimal("15000"),
        Decimal("4000"),
    )
    assert [e.type for e in written.events] == ["funds.FinanceDisclosed"]


async def test_a_disclosure_equal_to_the_books_raises_nothing() -> None:
    funds = Funds()
    await given_books(funds)
    written = await funds.when(
        villages.disclose, disclose(income_total="15000", expenditure_total="4000")
    )
    assert written.raised(ev.RedFlagRaised.event_type) == []


async def test_a_disclosure_differing_from_the_books_is_flagged_once_per_village_and_quarter() -> (
    None
):
    funds = Funds()
    await given_books(funds)
    written = await funds.when(villages.disclose, disclose(income_total="9000"))
    [raised] = written.raised(ev.RedFlagRaised.event_type)
    [flag] = funds.then(raised.stream_id)
    assert isinstance(flag, ev.RedFlagRaised) and flag.code == codes.DISCLOSURE_MISMATCH
    assert flag.village == VILLAGE and flag.programme_id is None
    assert "公开收入 9000 元、支出 4000 元" in flag.summary
    assert "账簿收入 15000 元、支出 4000 元" in flag.summary
    [flag_env] = funds.stored(raised.stream_id)
    [disclosed_env] = funds.stored(disclosure_stream(CODE))
    assert flag_env.actor == SYSTEM_ACTOR and flag_env.causation_id == disclosed_env.event_id
    before = len(funds.store.log)
    with pytest.raises(AlreadyExists):
        await funds.when(villages.disclose, disclose(income_total="9500"))
    assert len(funds.store.log) == before and len(funds.streams("redflag-")) == 1


async def test_a_village_without_books_for_the_year_gives_its_totals() -> None:
    funds = Funds()
    with pytest.raises(Refused, match="没有代理记账账簿"):
        await funds.when(villages.disclose, disclose())
    written = await funds.when(
        villages.disclose, disclose(income_total="1000", expenditure_total="800")
    )
    assert [e.type for e in written.events] == ["funds.FinanceDisclosed"]
