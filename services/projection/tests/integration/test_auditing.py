"""The auditor's questions of the history through the projection's HTTP API, on the real
PostgreSQL and Kafka (issue 12): a red flag confirmed in funds → the clue supervision opened →
the accountability decided on it → party's points deduction, shown as one chain in order with
each step's service, actor and time; the same story with party's reaction lost is a broken
chain; an entry recorded long after its date, and one dated into a quarter already disclosed,
are flagged with their delay."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import pytest_asyncio
from projection.synthetic import EnvelopeFactory
from projection.synthetic import funds as fu
from projection.synthetic import party as pa
from projection.synthetic import supervision as su

from shared.envelope import Envelope
from shared.roles import Role
from shared.testing import Infra, bearer, unique

from .support import Story, serving

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

D = dt.date
AUDITOR = bearer(Role.AUDITOR)
CLERK_OTHER = bearer(Role.VILLAGE_CLERK, village="金霞村")


@dataclass
class History:
    client: httpx.AsyncClient
    confirmed: Envelope  # the story that went round every service
    lost: Envelope  # the decision whose deduction never came
    late: Envelope  # recorded 75 days after its date
    into_disclosed: Envelope  # dated in a quarter already disclosed


def story_of(
    f: EnvelopeFactory, story: Story, tag: str, *, deducted: bool
) -> tuple[Envelope, Envelope]:
    """A red flag confirmed (economic leader), the clue it opened (supervision's reaction), the
    accountability decided on the clue (discipline secretary) and, if `deducted`, party's
    reaction: the case matched and the member's points deducted."""
    flag, clue, case, member = (f"{tag}-{unique('x')}" for _ in range(4))
    f.correlation = f._uuid4()
    raised = fu.red_flag_raised(
        f,
        flag,
        "FUNDS-SHORT-PAID",
        "发放不足额（克扣）",
        "石壁村",
        None,
        "V1",
        "克扣500元",
        D(2016, 7, 21),
    )
    f.correlation = f._uuid4()
    confirmed = fu.red_flag_confirmed(
        f, flag, "FUNDS-SHORT-PAID", "石壁村", None, "克扣500元", D(2016, 8, 1)
    )
    f.causing = confirmed.event_id
    received = su.clue_received(
        f,
        clue,
        "雁过拔毛",
        13,
        "村干部克扣补贴",
        "石壁村",
        D(2016, 8, 2),
        subject_name="孙某某",
        red_flag=(flag, "FUNDS-SHORT-PAID", None),
    )
    f.causing, f.correlation = None, f._uuid4()
    verified = su.clue_verified(f, clue, D(2016, 8, 10))
    f.correlation = f._uuid4()
    decided = su.accountability_decided(
        f, clue, case, "孙某某", D(2016, 8, 20), subject_member_id=member, red_flag_id=flag
    )
    story.add(raised, confirmed, received, verified, decided)
    if deducted:
        f.causing = decided.event_id
        story.add(
            pa.accountability_matched(f, case, member, "诫勉谈话", 10, D(2016, 8, 20)),
            pa.points_deducted(f, member, "ZR02", 10, "诫勉谈话", D(2016, 8, 20), case_id=case),
        )
        f.causing = None
    return confirmed, decided


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def history(infra: Infra) -> AsyncIterator[History]:
    f = EnvelopeFactory(rng=random.Random(12))  # recorded a few hours after each business day
    story = Story()
    confirmed, _ = story_of(f, story, "full", deducted=True)
    _, lost = story_of(f, story, "lost", deducted=False)
    f.correlation = f._uuid4()
    disclosed = fu.finance_disclosed(
        f, "金霞村", "430321100202", "2016Q3", "12000.00", "8000.00", D(2016, 10, 20)
    )
    late = f.event(
        f"redflag-{unique('late')}",
        "funds.RedFlagAcknowledged",
        {"flag_id": "late", "note": "已签收", "acknowledged_on": "2016-07-01"},
        on=D(2016, 7, 1),
        recorded_at=dt.datetime(2016, 9, 14, 2, tzinfo=dt.UTC),
    )
    f.recording = disclosed.recorded_at + dt.timedelta(days=5)
    into = fu.income_recorded(f, "金霞村", "430321100202", 2016, "3000.00", D(2016, 9, 1))
    f.recording = None
    story.add(disclosed, late, into)
    async with serving(infra, story, "au") as (_, client):
        yield History(client, confirmed, lost, late, into)


async def test_a_confirmed_red_flag_shows_its_whole_chain_across_the_services(
    history: History,
) -> None:
    response = await history.client.get(
        f"/api/v1/chains/{history.confirmed.event_id}", headers=AUDITOR
    )
    assert response.status_code == 200, response.text
    chain = response.json()
    types = [s["event_type"] for s in chain["steps"]]
    key = [
        "funds.RedFlagConfirmed",
        "supervision.ClueReceived",
        "supervision.AccountabilityDecided",
        "party.PointsDeducted",
    ]
    assert [t for t in types if t in key] == key  # the four steps, in order
    assert "party.AccountabilityMatched" in types and "supervision.ClueVerified" in types
    steps = {s["event_type"]: s for s in chain["steps"]}
    assert {steps[t]["service"] for t in key} == {"资金监管", "督查问责", "党建"}
    assert steps["supervision.AccountabilityDecided"]["actor"]["role"] == "discipline_secretary"
    assert steps["supervision.ClueReceived"]["caused_by"] == str(history.confirmed.event_id)
    assert chain["complete"] and chain["missing"] == []
    # the same story, asked from its last step, is the same chain
    last = steps["party.PointsDeducted"]["event_id"]
    again = (await history.client.get(f"/api/v1/chains/{last}", headers=AUDITOR)).json()
    assert [s["event_id"] for s in again["steps"]] == [s["event_id"] for s in chain["steps"]]


async def test_a_decision_whose_deduction_never_came_is_a_broken_chain(history: History) -> None:
    chain = (
        await history.client.get(f"/api/v1/chains/{history.lost.event_id}", headers=AUDITOR)
    ).json()
    assert not chain["complete"]
    assert [m["cause"] for m in chain["missing"]] == [str(history.lost.event_id)]

    view = (await history.client.get("/api/v1/views/audit/broken-chains", headers=AUDITOR)).json()
    rows = view["tables"][0]["rows"]
    assert [r["chain_url"] for r in rows] == [f"/chain/{history.lost.event_id}"]
    assert "党员积分扣减" in rows[0]["missing"]
    page = await history.client.get(f"/chain/{history.lost.event_id}", headers=AUDITOR)
    assert page.status_code == 200 and "缺失的后续" in page.text


async def test_entries_recorded_after_the_fact_are_flagged_with_their_delay(
    history: History,
) -> None:
    view = (await history.client.get("/api/v1/views/audit/backdated", headers=AUDITOR)).json()
    rows = {r["chain_url"].rsplit("/", 1)[1]: r for r in view["tables"][0]["rows"]}
    late = rows[str(history.late.event_id)]
    assert late["delay_days"] == 75 and late["reasons"] == "补录"
    into = rows[str(history.into_disclosed.event_id)]
    assert "计入已公开季度 2016Q3" in into["reasons"]
    assert len(rows) == 2  # every other entry was recorded within hours of its day

    before = await history.client.get(
        "/api/v1/views/audit/backdated", params={"as_of": "2016-09-01"}, headers=AUDITOR
    )
    assert before.json()["tables"][0]["rows"] == []  # neither was recorded yet


async def test_a_village_clerk_sees_neither_other_villages_entries_nor_their_actors(
    history: History,
) -> None:
    view = (
        await history.client.get("/api/v1/views/audit/broken-chains", headers=CLERK_OTHER)
    ).json()
    assert view["tables"][0]["rows"] == []  # the lost deduction concerns 石壁村
    chain = (
        await history.client.get(
            f"/api/v1/chains/{history.confirmed.event_id}", headers=CLERK_OTHER
        )
    ).json()
    assert all("withheld" in s and "actor" not in s for s in chain["steps"])


async def test_a_figure_as_of_a_day_is_marked_when_entries_recorded_later_changed_it(
    history: History,
) -> None:
    marked = await history.client.get(
        "/api/v1/views/funds/red-flags", params={"as_of": "2016-08-01"}, headers=AUDITOR
    )
    assert marked.json()["notes"][0].startswith("本页 2016-08-01 的数字在当日之后因 1 条补录")
    # as of a day after the late entry was recorded, nothing changed those figures since
    unmarked = await history.client.get(
        "/api/v1/views/funds/red-flags", params={"as_of": "2016-12-31"}, headers=AUDITOR
    )
    assert not any("补录" in note for note in unmarked.json()["notes"])
