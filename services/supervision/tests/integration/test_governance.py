"""Village governance through HTTP and Kafka on the real PostgreSQL: a village's list of small
powers published and read as of a day; an expense funds booked without a step of its flow
puts exactly one item on the problem list, also when the event is delivered again; the
supervision committee's members, report, overdue check and finding; the appraisal's facts;
a referral by party's appraisal opens one 为官不为 clue.

funds' and party's events are built here from the contracts (`foreign_envelope`) and
published on their topics as the relays would; those packages are not imported."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from supervision.bootstrap import build_app
from supervision.domain.clues import appraisal_clue_id
from supervision.domain.powers import breach_item_id

from shared.envelope import Envelope
from shared.eventstore import EventStore
from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    assert_problem,
    bearer,
    eventually,
    foreign_envelope,
    publish,
    service_settings,
)
from shared.town import load_town

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

#: The injected clock: "today" is 10 March 2017 in Yisuhe.
NOW = dt.datetime(2017, 3, 10, 4, 0, tzinfo=dt.UTC)
TOWN = load_town()
SHIBI = TOWN.known_village("石壁村")

SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="secretary")
ORGANISATION = bearer(Role.ORGANISATION_MEMBER, user_id="organisation")
DISCIPLINE = bearer(Role.DISCIPLINE_SECRETARY, user_id="discipline")
ECONOMIC = bearer(Role.ECONOMIC_LEADER, user_id="economic")
AUDITOR = bearer(Role.AUDITOR, user_id="auditor")
PUBLIC = bearer(Role.PUBLIC)
BRANCH_SHIBI = bearer(Role.BRANCH_SECRETARY, user_id="branch-shibi", village="石壁村")
CLERK_SHIBI = bearer(Role.VILLAGE_CLERK, user_id="clerk-shibi", village="石壁村")
CLERK_JINXIA = bearer(Role.VILLAGE_CLERK, user_id="clerk-jinxia", village="金霞村")


class Service:
    def __init__(self, client: httpx.AsyncClient, store: EventStore, infra: Infra) -> None:
        self.client = client
        self.store = store
        self.infra = infra

    async def post(self, path: str, body: dict[str, Any], who: dict[str, str]) -> httpx.Response:
        return await self.client.post(f"/api/v1{path}", json=body, headers=who)

    async def ok(self, path: str, body: dict[str, Any], who: dict[str, str]) -> dict[str, Any]:
        response = await self.post(path, body, who)
        assert response.status_code in (200, 201), response.text
        result: dict[str, Any] = response.json()
        return result

    async def get(self, path: str, who: dict[str, str], **params: Any) -> dict[str, Any]:
        response = await self.client.get(f"/api/v1{path}", headers=who, params=params)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def publish(self, topic: str, *envelopes: Envelope, key: str) -> None:
        await publish(self.infra.kafka_bootstrap_servers, topic, *envelopes, key=key)

    async def applied(self, stream_id: str) -> int:
        """Wait until `stream_id` has events (a reaction applied); how many."""

        async def check() -> int:
            return len(await self.store.read_stream(stream_id))

        found: int = await eventually(check, timeout=30, what=f"{stream_id} to have events")
        return found


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def svc(infra: Infra) -> AsyncIterator[Service]:
    app = build_app(service_settings(infra), clock=lambda: NOW)
    async with app_client(app) as client:
        yield Service(client, app.state.runtime.store, infra)


# --- 小微权力清单 ---------------------------------------------------------------------------------


async def test_a_village_publishes_its_list_and_everyone_reads_the_one_in_force(
    svc: Service,
) -> None:
    path = "/power-lists/石壁村/2017"
    before = await svc.get(path, PUBLIC)
    assert (before["published"], before["source"]) == (False, "镇参考清单")
    assert [i["code"] for i in before["items"]][:2] == ["major_decision", "finance"]

    first = await svc.ok(path, {"occurred_on": "2017-01-05"}, BRANCH_SHIBI)
    assert (first["stream_id"], first["version"]) == (f"powers-{SHIBI.code}-2017", 1)
    assert [e["type"] for e in first["events"]] == ["supervision.PowerListPublished"]
    finance = {
        "code": "finance",
        "name": "财务收支",
        "steps": [
            {"name": "handled", "actor": "经办人"},
            {"name": "reviewed_by_committee", "actor": "村务监督委员会"},
            {"name": "approved", "actor": "村党组织书记"},
            {"name": "booked", "actor": "代理会计", "disclosed": True},
        ],
    }
    second = await svc.ok(
        f"/power-lists/{SHIBI.code}/2017",
        {"items": [finance], "occurred_on": "2017-02-01"},
        ORGANISATION,
    )
    assert second["version"] == 2

    in_january = await svc.get(path, AUDITOR, as_of="2017-01-31")
    now = await svc.get(path, CLERK_JINXIA)
    assert (in_january["version"], len(in_january["items"])) == (1, 6)
    assert (now["version"], [i["code"] for i in now["items"]]) == (2, ["finance"])
    assert now["items"][0]["steps"][1]["label"] == "村务监督委员会审核"
    overview = await svc.get("/power-lists", PUBLIC, year=2017)
    assert overview["published"] >= 1 and len(overview["villages"]) == len(TOWN.villages)

    # refusals: another village's secretary, an unknown step, the same list again
    assert_problem(await svc.post("/power-lists/金霞村/2017", {}, BRANCH_SHIBI), 403)
    assert_problem(await svc.post(path, {}, ECONOMIC), 403)
    bad = {**finance, "steps": [{"name": "signed", "actor": "x"}]}
    assert_problem(await svc.post(path, {"items": [bad]}, ORGANISATION), 422)
    assert_problem(await svc.post(path, {"items": [finance]}, ORGANISATION), 422)
    assert len(await svc.store.read_stream(f"powers-{SHIBI.code}-2017")) == 2


def expense(entry_id: str, steps: list[str], village: str = "金霞村") -> Envelope:
    """`funds.VillageBookEntryRecorded`: an expense booked by the town's agency."""
    code = TOWN.known_village(village).code
    return foreign_envelope(
        "funds.VillageBookEntryRecorded",
        f"books-{code}-2017",
        {
            "entry_id": entry_id,
            "village": village,
            "village_code": code,
            "month": "2017-02",
            "kind": "expense",
            "amount": "3600.00",
            "subject": "村道维修材料费",
            "power_item": "finance",
            "steps": steps,
            "recorded_on": "2017-02-20",
        },
        occurred_at=dt.datetime(2017, 2, 20, 4, tzinfo=dt.UTC),
    )


async def test_an_expense_skipping_a_step_puts_exactly_one_item_on_the_problem_list(
    svc: Service,
) -> None:
    village = "梅林村"
    skipped = expense(f"e-{uuid.uuid4()}", ["handled", "approved", "booked"], village)
    followed = expense(
        f"e-{uuid.uuid4()}", ["handled", "reviewed_by_committee", "approved", "booked"], village
    )
    marker = expense(f"e-{uuid.uuid4()}", ["booked"], village)
    key = f"books-{uuid.uuid4()}"  # one partition: the marker is applied after the others
    await svc.publish("funds.events", skipped, followed, skipped, key=key)
    await svc.publish("funds.events", skipped, marker, key=key)
    await svc.applied(f"breach-{marker.event_id}")

    (breach,) = await svc.store.read_stream(f"breach-{skipped.event_id}")
    assert breach.event_type == "supervision.PowerFlowBreached"
    assert breach.causation_id == skipped.event_id
    assert breach.payload["missing_steps"] == ["reviewed_by_committee"]
    assert await svc.store.read_stream(f"breach-{followed.event_id}") == []

    item_id = breach_item_id(str(skipped.event_id))
    problems = await svc.get("/items", SECRETARY, village=village, measure=6, list_name="问题清单")
    mine = [
        i for i in problems["items"] if i["id"] in {item_id, breach_item_id(str(marker.event_id))}
    ]
    assert len(mine) == 2  # the skipped expense once, the marker (no committee review) once
    item = next(i for i in mine if i["id"] == item_id)
    assert item["title"] == "小微权力运行缺少步骤：财务收支（村务监督委员会审核）"
    assert (item["source"], item["listed_on"], item["deadline"]) == (
        "自己找",
        "2017-02-20",
        "2017-03-22",
    )
    breaches = await svc.get("/power-breaches", SECRETARY, village=village)
    found = [b["act_event_id"] for b in breaches["breaches"]]  # the topic holds earlier runs'
    assert sorted(a for a in found if a in {str(skipped.event_id), str(marker.event_id)}) == sorted(
        [str(skipped.event_id), str(marker.event_id)]
    )


# --- 村务监督委员会 -------------------------------------------------------------------------------


async def test_a_committee_reports_one_is_overdue_once_and_a_finding_opens_an_item(
    svc: Service,
) -> None:
    for village, name in (("石壁村", "周国平"), ("白石村", "陈志")):
        code = TOWN.known_village(village).code
        body = {"member_id": f"{code}-chair", "name": name, "position": "主任"}
        body["occurred_on"] = "2016-03-01"
        await svc.ok(f"/committees/{village}/members", body, ORGANISATION)
    await svc.ok(
        "/committees/石壁村/members",
        {"name": "李秀英", "position": "委员", "occurred_on": "2016-03-01"},
        CLERK_SHIBI,
    )
    report = {
        "year": 2016,
        "to_party_organisation": True,
        "to_representatives": True,
        "summary": "全年监督村务公开4次",
        "occurred_on": "2017-01-20",
    }
    made = await svc.ok("/committees/石壁村/reports", report, CLERK_SHIBI)
    assert made["events"][0]["type"] == "supervision.CommitteeReportMade"
    assert_problem(await svc.post("/committees/石壁村/reports", report, CLERK_SHIBI), 409)
    one_sided = {**report, "year": 2017, "to_representatives": False}
    assert_problem(await svc.post("/committees/石壁村/reports", one_sided, CLERK_SHIBI), 422)
    assert_problem(await svc.post("/committees/白石村/reports", report, CLERK_SHIBI), 403)

    assert_problem(await svc.post("/committee-reports/check", {}, ECONOMIC), 403)
    checked = await svc.ok("/committee-reports/check", {"occurred_on": "2017-02-10"}, SECRETARY)
    overdue = [e for e in checked["events"] if e["type"] == "supervision.CommitteeReportOverdue"]
    baishi = f"committee-{TOWN.known_village('白石村').code}"
    assert [e["stream_id"] for e in overdue] == [baishi]
    again = await svc.ok("/committee-reports/check", {}, SECRETARY)
    assert again["events"] == []

    listing = await svc.get("/committees", SECRETARY, year=2016)
    status = {v["village"]: v.get("report", {}).get("status") for v in listing["committees"]}
    assert (status["石壁村"], status["白石村"], status["金霞村"]) == ("reported", "overdue", None)
    assert listing["overdue"] == 1
    assert_problem(await svc.client.get("/api/v1/committees/白石村", headers=CLERK_SHIBI), 403)

    finding = await svc.ok(
        "/committees/石壁村/findings",
        {"title": "村部维修支出未经监委会审核", "occurred_on": "2017-03-01"},
        CLERK_SHIBI,
    )
    assert [e["type"] for e in finding["events"]] == [
        "supervision.CommitteeFindingRecorded",
        "supervision.ItemListed",
    ]
    item_id = finding["events"][1]["stream_id"].removeprefix("item-")
    item = await svc.get(f"/items/{item_id}", CLERK_SHIBI)
    assert (item["source"], item["measure"], item["village"]) == ("群众提", 6, "石壁村")

    shibi = await svc.get("/committees/石壁村", CLERK_SHIBI)
    assert [m["name"] for m in shibi["serving"]] == ["周国平", "李秀英"]
    assert shibi["findings"][0]["item_id"] == item_id
    as_of_2016 = await svc.get("/committees/石壁村", AUDITOR, as_of="2016-12-31")
    assert as_of_2016["findings"] == [] and as_of_2016["reports"][0]["status"] == "pending"


# --- the appraisal's facts and its referrals -----------------------------------------------------


async def test_the_leading_group_records_the_years_facts(svc: Service) -> None:
    await svc.ok("/plan/register", {"occurred_on": "2016-03-01"}, ORGANISATION)
    assert_problem(await svc.post("/appraisal-facts/2016", {}, ECONOMIC), 403)
    assert_problem(await svc.post("/appraisal-facts/2018", {}, SECRETARY), 422)
    written = await svc.ok("/appraisal-facts/2016", {}, SECRETARY)
    assert (written["stream_id"], written["version"]) == ("unitfacts-2016", 1)
    facts = await svc.get("/appraisal-facts/2016", AUDITOR)
    assert facts["as_of"] == "2016-12-31"
    units = {(u["kind"], u["unit"]): u for u in facts["units"]}
    assert units[("unit", "党建工作站")]["measures_total"] >= 1
    assert ("village", "石壁村") in units
    (env,) = await svc.store.read_stream("unitfacts-2016")
    assert env.actor.user_id == "secretary"


async def test_a_referral_by_the_appraisal_opens_one_inaction_clue(svc: Service) -> None:
    subject = f"branch-{uuid.uuid4()}"
    referred = foreign_envelope(
        "party.InactionReferred",
        "appraisal-2016",
        {
            "year": 2016,
            "subject_kind": "branch_secretary",
            "subject": subject,
            "subject_name": "石壁村党支部书记 黄军",
            "reason": "年度考核不称职",
            "referred_on": "2017-02-20",
        },
    )
    await svc.publish("party.events", referred, referred, key=subject)
    clue_id = appraisal_clue_id(2016, "branch_secretary", subject)
    assert await svc.applied(f"clue-{clue_id}") == 1
    clue = await svc.get(f"/clues/{clue_id}", DISCIPLINE)
    assert (clue["category"], clue["measure"], clue["channel"], clue["appraisal_year"]) == (
        "为官不为",
        11,
        "年度绩效考核",
        2016,
    )
    assert clue["subject_name"] == "石壁村党支部书记 黄军"
