"""The reactions between services (design brief, "Reactions between services"), end to end:
the four write services run in-process, each on its own fresh schema, and talk to each other
only through Kafka; the officials work through HTTP, as they would, and every wait for another
service is a bounded poll.

1. relief → funds → supervision → funds: a payment to someone not registered (发放对象未建档立卡)
   becomes a red flag, the flag a clue (雁过拔毛), and the clue's outcome returns to the flag.
2. supervision → party: accountability decided (问责) deducts the member's points once, also
   across a restart of party.
3. party → supervision: a branch designated weak and lax (软弱涣散) gets its rectification items.
4. party → relief: a member who joined party may be paired with a household (党员联户).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from funds.demo_client import red_flags_raised

from shared.testing import Infra, publish

from .officials import (
    accountability_deductions,
    assess_branches,
    clue_step,
    clues_of_red_flag,
    decide,
    households_known_to_funds,
    party_members_known_to_relief,
    pay,
    points_2016,
    programme_ready_to_pay,
    rectification_items,
    red_flag,
    register_household,
    report_inaction,
)
from .support import (
    AGRICULTURE,
    DISCIPLINE,
    ECONOMIC,
    ORGANISATION,
    UNUSED_YEARS,
    Town,
    ok,
    reacted,
    resident_id,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SHIBI = "石壁村"  # the provincially designated poor village


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def town(infra: Infra) -> AsyncIterator[Town]:
    """One set of the four services for the module's flows."""
    services = Town(infra)
    try:
        await services.start_all()
        yield services
    finally:
        await services.stop_all()


async def test_a_payment_to_someone_not_registered_becomes_a_clue_whose_outcome_returns_to_funds(
    town: Town,
) -> None:
    # relief → funds: the household registered in relief reaches funds' view of the register
    head_id, stranger_id = resident_id(*UNUSED_YEARS), resident_id(*UNUSED_YEARS)
    household_id = await register_household(town, SHIBI, "张建国", head_id)

    async def funds_knows_the_household() -> list[dict[str, Any]]:
        return [
            h
            for h in await households_known_to_funds(town, SHIBI)
            if h["household_id"] == household_id
        ]

    [seen] = await reacted(funds_knows_the_household, "funds' view of relief's register")
    assert (seen["head_id_number"], seen["registered_on"], seen["in_poverty"]) == (
        head_id,
        "2016-01-15",
        True,
    )

    # the economic leader pays the registered head, and someone not registered
    pid = await programme_ready_to_pay(town, SHIBI)
    to_head = await pay(town, pid, SHIBI, "SB-001", "张建国", head_id, household_id=household_id)
    assert red_flags_raised(to_head) == []
    to_stranger = await pay(town, pid, SHIBI, "SB-002", "王五", stranger_id)
    [flag_id] = red_flags_raised(to_stranger)
    raised = await ok(town.funds.get(f"/api/v1/red-flags/{flag_id}", headers=ECONOMIC))
    assert raised["code"] == "FUNDS-UNREGISTERED"
    listed = await ok(
        town.funds.get("/api/v1/red-flags", params={"programme_id": pid}, headers=ECONOMIC)
    )
    assert [f["flag_id"] for f in listed] == [flag_id]

    # funds → supervision: the discipline secretary confirms the flag; one clue opens for it
    confirm = f"/api/v1/red-flags/{flag_id}/confirm"
    note = {"note": "经核查，王五非建档立卡贫困户", "occurred_on": "2016-07-01"}
    assert (await town.funds.post(confirm, json=note, headers=ECONOMIC)).status_code == 403
    await ok(town.funds.post(confirm, json=note, headers=DISCIPLINE))

    [clue] = await reacted(lambda: clues_of_red_flag(town, flag_id), "supervision's clue")
    clue_id = clue["id"]
    assert clue_id == f"redflag-{flag_id}"  # derived from the flag: once, whatever the delivery
    assert (clue["channel"], clue["village"], clue["status"], clue["received_on"]) == (
        "资金预警",
        SHIBI,
        "received",
        "2016-07-01",
    )
    assert clue["red_flag"] == {
        "flag_id": flag_id,
        "code": "FUNDS-UNREGISTERED",
        "programme_id": pid,
        "severity": raised["severity"],
    }

    # verified, accountability decided for the village's bookkeeper, concluded
    findings = {"findings": "村报账员将补助发给非建档立卡户王五", "occurred_on": "2016-07-10"}
    decision = {
        "subject_name": "李会计",
        "subject_post": "石壁村报账员",
        "kind": "诫勉谈话",
        "reason": "发放对象不精准，补助发给非建档立卡户",
        "occurred_on": "2016-08-01",
    }
    concluded = {"summary": "已诫勉谈话，资金追回", "occurred_on": "2016-08-15"}
    assert (await clue_step(town, clue_id, "verify", findings))["status"] == "verified"
    assert (await clue_step(town, clue_id, "accountability", decision))["status"] == "deciding"
    assert (await clue_step(town, clue_id, "conclude", concluded))["status"] == "concluded"
    assert len(await clues_of_red_flag(town, flag_id)) == 1

    # supervision → funds: the clue's outcome is recorded on the red flag
    async def outcomes() -> list[dict[str, Any]]:
        recorded: list[dict[str, Any]] = (await red_flag(town, flag_id))["outcomes"]
        return recorded

    assert await reacted(outcomes, "the clue's outcome on the red flag") == [
        {"clue_id": clue_id, "outcome": "accountability", "concluded_on": "2016-08-15"}
    ]
    flag = await red_flag(town, flag_id)
    assert flag["status"] == "confirmed"
    assert flag["disbursement"]["beneficiary_id_number"] == stranger_id


async def test_accountability_decided_in_supervision_deducts_party_points_once(
    town: Town,
) -> None:
    warned = await town.member(SHIBI, "李德明")
    reminded = await town.member(SHIBI, "王建华")
    base = (await points_2016(town, warned))["total"]

    clue_id = await report_inaction(town, SHIBI, "李德明", warned)
    case_id = await decide(town, clue_id, warned, "李德明", "党内警告", "2016-04-01")

    [deducted] = await reacted(lambda: accountability_deductions(town, warned), "the deduction")
    assert {k: deducted[k] for k in ("rule_code", "case_id", "recorded_on")} == {
        "rule_code": "ZR03",  # 受到党内警告处分, 20 points
        "case_id": case_id,
        "recorded_on": "2016-04-01",
    }
    assert (await points_2016(town, warned))["total"] == base - 20

    # party stops; the decision is delivered again (the relay is at-least-once) and another
    # one is taken meanwhile; a new party process on the same schema takes up the work
    store = town.apps["supervision"].state.runtime.store
    decided = [
        e for e in await store.read_stream(f"clue-{clue_id}") if e.event_type.endswith("Decided")
    ]
    assert [e.payload["case_id"] for e in decided] == [case_id]
    await town.stop("party")
    await publish(town.infra.kafka_bootstrap_servers, "supervision.events", *decided)
    second = await decide(town, clue_id, reminded, "王建华", "提醒谈话", "2016-04-05")
    await town.start("party")

    [late] = await reacted(
        lambda: accountability_deductions(town, reminded), "the restarted party's deduction"
    )
    assert (late["rule_code"], late["case_id"]) == ("ZR01", second)  # 受到提醒谈话, 5 points
    assert await accountability_deductions(town, warned) == [deducted]
    assert (await points_2016(town, warned))["total"] == base - 20
    assert (await points_2016(town, reminded))["total"] == base - 5


async def test_a_branch_designated_weak_in_party_gets_rectification_items_in_supervision(
    town: Town,
) -> None:
    weakest = await town.branch("白石村")
    others = {await town.branch("梅林村"), await town.branch("湘江村")}
    marks = dict.fromkeys(others, 8) | {weakest: 4}
    await assess_branches(town, "2016", marks, "2016-12-28")
    weak = await ok(town.party.get("/api/v1/weak-branches", headers=ORGANISATION))
    assert [w["branch_id"] for w in weak] == [weakest]  # 10 % of three: the bottom one

    async def items_of_the_weakest() -> list[dict[str, Any]] | None:
        found = await rectification_items(town, {weakest, *others})
        return found[weakest] if len(found.get(weakest, [])) >= 3 else None

    items = await reacted(items_of_the_weakest, "supervision's rectification items")
    assert len({i["id"] for i in items}) == 3
    assert {(i["village"], i["period"], i["source"], i["status"]) for i in items} == {
        ("白石村", "2016", "自己找", "open")
    }
    assert {i["deadline"] for i in items} == {"2017-12-28"}  # a year after the designation
    titles = " ".join(i["title"] for i in items)
    assert all(task in titles for task in ("第一书记", "联点领导", "走访")), titles
    # once, and nothing for the branches above the cut
    found = await rectification_items(town, {weakest, *others})
    assert {branch: len(items) for branch, items in found.items()} == {weakest: 3}


async def test_a_member_who_joined_party_can_be_paired_with_a_household_in_relief(
    town: Town,
) -> None:
    village = "金霞村"
    member_id = await town.member(village, "陈志强")
    household_id = await register_household(town, village, "赵桂兰", resident_id(1940, 1960))

    async def relief_knows_the_member() -> list[dict[str, Any]]:
        members = await party_members_known_to_relief(town, village)
        return [m for m in members if m["member_id"] == member_id]

    [known] = await reacted(relief_knows_the_member, "relief's view of the party members")
    assert known == {
        "member_id": member_id,
        "branch_id": await town.branch(village),
        "name": "陈志强",
        "village": village,
    }

    pair = f"/api/v1/households/{household_id}/pair"
    unknown = {"member_id": f"member-{uuid.uuid4().hex}", "occurred_on": "2016-03-01"}
    refused = await town.relief.post(pair, json=unknown, headers=AGRICULTURE)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "不在党员名册中" in refused.json()["detail"]

    paired = {"member_id": member_id, "occurred_on": "2016-03-01"}
    await ok(town.relief.post(pair, json=paired, headers=AGRICULTURE))
    household = await ok(town.relief.get(f"/api/v1/households/{household_id}", headers=AGRICULTURE))
    assert (household["helper"]["member_id"], household["helper"]["name"]) == (member_id, "陈志强")
    assert (household["paired_on"], household["version"]) == ("2016-03-01", 2)
