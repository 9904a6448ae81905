"""The yearly appraisal through HTTP on the real PostgreSQL and Kafka: supervision's facts
arrive on `supervision.events` (an earlier version after a later one changes nothing), the
review scores are recorded, the conclusion ranks the unit with overdue items below the one
without and refers it to 为官不为 in the same answer; who may write and read what."""

import datetime as dt
from typing import Any

import httpx
import pytest
from party.bootstrap import build_app

from shared.clock import noon
from shared.envelope import Actor, Envelope
from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    assert_problem,
    bearer,
    caught_up,
    eventually,
    find_on_topic,
    foreign_envelope,
    named,
    publish,
    service_settings,
)

from .support import AUDITOR, CLERK, ORG, SECRETARY, SHIBI_SECRETARY, branch, member, ok

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

TOPIC = "supervision.events"
#: Earlier runs' (and supervision's tests') records of the year stay on the topic and are read
#: into every fresh schema: this run's facts carry a version above theirs, and the same content
#: every run, so whichever run's record is kept, it is this one.
VERSION = 1_000_000
DISCIPLINE = bearer(Role.DISCIPLINE_SECRETARY)
JINXIA_SECRETARY = bearer(Role.BRANCH_SECRETARY, village="金霞村", user_id="branch-jinxia")


def counts(overdue: int = 0, *, lead: bool = True) -> dict[str, int]:
    return {
        "measures_total": 2 if lead else 0,
        "measures_done": 2 if lead else 0,
        "items_total": 6,
        "items_overdue": overdue,
        "directives_total": 3,
        "directives_on_time": 3,
        "petitions_total": 2,
        "petitions_resolved": 2,
    }


def facts_envelope(version: int, overdue: int) -> Envelope:
    """`supervision.AppraisalFactsRecorded` for 2015 as supervision publishes it."""
    return foreign_envelope(
        "supervision.AppraisalFactsRecorded",
        "unitfacts-2015",
        {
            "year": 2015,
            "as_of": "2015-12-31",
            "units": [
                {"unit": "扶贫办", "kind": "unit", **counts(overdue)},
                {"unit": "卫生院", "kind": "unit", **counts()},
                {"unit": "石壁村", "kind": "village", **counts(lead=False)},
                {"unit": "金霞村", "kind": "village", **counts(1, lead=False)},
            ],
        },
        stream_version=version,
        occurred_at=noon(dt.date(2016, 1, 5)),
        actor=Actor("secretary", "town_secretary"),
    )


async def facts_kept(client: httpx.AsyncClient) -> dict[str, Any] | None:
    response = await client.get("/api/v1/appraisals/2015/facts", headers=ORG)
    return response.json() if response.status_code == 200 else None


def score(subject: str, value: str, kind: str = "unit") -> dict[str, str]:
    return {"subject_kind": kind, "subject": subject, "score": value, "occurred_on": "2016-01-12"}


async def test_the_unit_with_overdue_items_ranks_below_and_is_referred(infra: Infra) -> None:
    app = build_app(service_settings(infra))
    async with app_client(app) as client:
        await branch(client, "branch-shibi", "石壁村")
        await branch(client, "branch-jinxia", "金霞村")
        for member_id, branch_id in (("member-hj", "branch-shibi"), ("member-lq", "branch-jinxia")):
            await member(client, member_id, branch_id)
            await ok(
                await client.post(
                    f"/api/v1/branches/{branch_id}/secretary",
                    json={"member_id": member_id, "occurred_on": "2016-01-06"},
                    headers=ORG,
                )
            )
        latest, earlier = facts_envelope(VERSION, overdue=3), facts_envelope(VERSION - 1, 0)
        await publish(infra.kafka_bootstrap_servers, TOPIC, latest, latest, earlier)
        await eventually(lambda: facts_kept(client), timeout=45, what="party's table of the facts")
        consumer = named(app.state.runtime.consumers, "accountability")
        await caught_up(consumer, infra.kafka_bootstrap_servers)  # the redelivery, the earlier
        kept = await facts_kept(client)
        assert kept is not None and kept["as_of"] == "2015-12-31"
        assert {u["unit"]: u["items_overdue"] for u in kept["units"]}["扶贫办"] == 3
        mine = (await client.get("/api/v1/appraisals/2015/facts", headers=SHIBI_SECRETARY)).json()
        assert [u["unit"] for u in mine["units"]] == ["石壁村"]

        # 述职评议: the organisation member records; nobody else writes
        for body in (
            score("扶贫办", "85"),
            score("卫生院", "85"),
            score("branch-shibi", "80", "branch_secretary"),
            score("branch-jinxia", "90", "branch_secretary"),
        ):
            await ok(await client.post("/api/v1/appraisals/2015/scores", json=body, headers=ORG))
        for who in (SECRETARY, SHIBI_SECRETARY, DISCIPLINE):
            refused = await client.post(
                "/api/v1/appraisals/2015/scores", json=score("扶贫办", "99"), headers=who
            )
            assert_problem(refused, 403)
        bad = await client.post(
            "/api/v1/appraisals/2015/scores",
            json=score("石壁村", "80", "branch_secretary"),
            headers=ORG,
        )
        assert_problem(bad, 422)
        unknown = await client.post(
            "/api/v1/appraisals/2015/scores", json=score("扶贫办公室", "80"), headers=ORG
        )
        assert "没有单位" in assert_problem(unknown, 422)["detail"]

        concluded = await ok(
            await client.post(
                "/api/v1/appraisals/2015/conclude",
                json={"occurred_on": "2016-01-20"},
                headers=ORG,
            )
        )
        [referral] = [e for e in concluded["events"] if e["type"] == "party.InactionReferred"]
        assert [e["type"] for e in concluded["events"]] == [
            "party.AppraisalConcluded",
            "party.InactionReferred",
        ]
        stored = await app.state.runtime.store.read_stream("appraisal-2015")
        [referred] = [e for e in stored if str(e.event_id) == referral["event_id"]]
        assert referred.payload["subject"] == "扶贫办"
        assert referred.payload["subject_kind"] == "unit"
        assert referred.actor.user_id == "organisation"
        published = await find_on_topic(
            infra.kafka_bootstrap_servers, "party.events", [referral["event_id"]]
        )
        assert referral["event_id"] in published

        again = await client.post(
            "/api/v1/appraisals/2015/conclude", json={"occurred_on": "2016-01-21"}, headers=ORG
        )
        assert "已结束" in assert_problem(again, 422)["detail"]

        # the town's leaders and the auditor read it all
        for who in (ORG, SECRETARY, AUDITOR, DISCIPLINE):
            state = await ok(await client.get("/api/v1/appraisals/2015", headers=who))
            ranked = [(r["subject"], r["rank"], r["referred"]) for r in state["results"]]
            assert ranked == [
                ("卫生院", 1, False),  # 0.6 × 100 + 0.4 × 85 = 94
                ("branch-shibi", 2, False),  # 石壁村's facts: 0.6 × 100 + 0.4 × 80 = 92
                ("branch-jinxia", 3, False),  # 金霞村's, one overdue: 0.6 × 90 + 0.4 × 90 = 90
                ("扶贫办", 4, True),  # three overdue: 0.6 × 70 + 0.4 × 85 = 76, the bottom one
            ]
            assert [r["subject"] for r in state["referrals"]] == ["扶贫办"]
        # a branch secretary reads his own branch's result only; a clerk nothing
        own = await ok(await client.get("/api/v1/appraisals/2015", headers=SHIBI_SECRETARY))
        assert [r["subject"] for r in own["results"]] == ["branch-shibi"]
        assert [s["subject"] for s in own["scores"]] == ["branch-shibi"]
        assert own["referrals"] == []
        other = await ok(await client.get("/api/v1/appraisals/2015", headers=JINXIA_SECRETARY))
        assert [r["subject"] for r in other["results"]] == ["branch-jinxia"]
        assert_problem(await client.get("/api/v1/appraisals/2015", headers=CLERK), 403)
        # as it stood before the conclusion
        before = await ok(await client.get("/api/v1/appraisals/2015?as_of=2016-01-15", headers=ORG))
        assert (before["concluded"], before["results"], len(before["scores"])) == (False, [], 4)
