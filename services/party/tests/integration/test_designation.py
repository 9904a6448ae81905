"""An assessment's conclusion designates the bottom branch weak and lax: the event is on
`party.events` with a valid schema and the contract fields supervision reads; a later
assessment lifts it."""

import pytest
from party.bootstrap import build_app

from shared.contracts import check_envelope
from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    assert_problem,
    bearer,
    find_on_topic,
    service_settings,
)

from .support import ORG, SHIBI_SECRETARY, branch, ok

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

VILLAGES = {"branch-shibi": "石壁村", "branch-jinxia": "金霞村", "branch-meilin": "梅林村"}
ITEMS = (
    "leadership",
    "members",
    "organisational_life",
    "service",
    "governance",
    "collective_economy",
)


def marks(value: int) -> dict[str, int]:
    return dict.fromkeys(ITEMS, value)


async def assess(client, period: str, scores: dict[str, int], on: str) -> dict:  # type: ignore[no-untyped-def]
    body = {"period": period, "weak_share_percent": "10", "occurred_on": on}
    await ok(await client.post("/api/v1/assessments", json=body, headers=ORG), 201)
    for branch_id, value in scores.items():
        body = {"branch_id": branch_id, "items": marks(value), "occurred_on": on}
        await ok(await client.post(f"/api/v1/assessments/{period}/scores", json=body, headers=ORG))
    return await ok(
        await client.post(
            f"/api/v1/assessments/{period}/conclude", json={"occurred_on": on}, headers=ORG
        )
    )


async def test_the_designation_reaches_kafka_and_a_later_assessment_lifts_it(infra: Infra) -> None:
    app = build_app(service_settings(infra))
    async with app_client(app) as client:
        for branch_id, village in VILLAGES.items():
            await branch(client, branch_id, village)
        concluded = await assess(
            client,
            "2016",
            {"branch-shibi": 4, "branch-jinxia": 8, "branch-meilin": 7},
            "2016-12-28",
        )

        store = app.state.runtime.store
        [designation] = [
            e
            for e in await store.read_stream("branch-shibi")
            if e.event_type == "party.BranchDesignatedWeak"
        ]
        # the conclusion answers with every event it appended, the designation included
        assert (concluded["id"], concluded["stream_id"]) == ("2016", "assessment-2016")
        assert [
            (e["type"], e["stream_id"], e["event_id"])
            for e in concluded["events"]
            if e["type"] == "party.BranchDesignatedWeak"
        ] == [("party.BranchDesignatedWeak", "branch-shibi", str(designation.event_id))]
        assert designation.actor.user_id == "organisation"
        published = await find_on_topic(
            infra.kafka_bootstrap_servers, "party.events", {designation.event_id}
        )
        env = published[str(designation.event_id)]
        check_envelope(env)  # the published schema accepts it
        payload = env.payload
        assert {
            k: payload[k] for k in ("branch_id", "branch_name", "village", "period", "rank")
        } == {
            "branch_id": "branch-shibi",
            "branch_name": "石壁村党支部",
            "village": "石壁村",
            "period": "2016",
            "rank": 3,
        }
        assert (payload["score"], payload["designated_on"]) == ("40.00", "2016-12-28")

        weak = await ok(
            await client.get("/api/v1/weak-branches", headers=bearer(Role.TOWN_SECRETARY))
        )
        assert [w["branch_id"] for w in weak] == ["branch-shibi"]
        own = await ok(await client.get("/api/v1/branches/branch-shibi", headers=SHIBI_SECRETARY))
        assert own["designated_weak"] and own["designation"]["rank"] == 3

        # rectification, then the next year's assessment puts 梅林村 at the bottom
        for path, body in (
            ("first-secretary", {"name": "刘洋", "detail": "县财政局"}),
            ("linked-leader", {"name": "陈芳", "detail": "组织委员"}),
        ):
            await ok(
                await client.post(
                    f"/api/v1/branches/branch-shibi/{path}",
                    json={**body, "occurred_on": "2017-01-05"},
                    headers=ORG,
                )
            )
        for month in ("02", "05", "08", "11"):
            body = {"name": "陈芳", "detail": "到点指导", "occurred_on": f"2017-{month}-10"}
            await ok(
                await client.post(
                    "/api/v1/branches/branch-shibi/leader-visits", json=body, headers=ORG
                ),
                201,
            )
        body = {"households_total": 50, "households_visited": 50, "occurred_on": "2017-11-20"}
        await ok(
            await client.post(
                "/api/v1/branches/branch-shibi/household-visits", json=body, headers=ORG
            )
        )
        state = await ok(await client.get("/api/v1/branches/branch-shibi", headers=ORG))
        assert state["designation"]["complete"] is True

        await assess(
            client,
            "2017",
            {"branch-shibi": 9, "branch-jinxia": 8, "branch-meilin": 5},
            "2017-12-28",
        )
        [lifted] = [
            e
            for e in await store.read_stream("branch-shibi")
            if e.event_type == "party.BranchDesignationLifted"
        ]
        published = await find_on_topic(
            infra.kafka_bootstrap_servers, "party.events", {lifted.event_id}
        )
        check_envelope(published[str(lifted.event_id)])
        assert {
            k: lifted.payload[k]
            for k in ("branch_id", "period", "lifted_on", "rectification_complete")
        } == {
            "branch_id": "branch-shibi",
            "period": "2016",
            "lifted_on": "2017-12-28",
            "rectification_complete": True,
        }
        weak = await ok(await client.get("/api/v1/weak-branches", headers=ORG))
        assert [w["branch_id"] for w in weak] == ["branch-meilin"]
        # as of the end of 2017-06, 石壁村 was still designated
        then = await ok(
            await client.get("/api/v1/branches/branch-shibi?as_of=2017-06-30", headers=ORG)
        )
        assert then["designated_weak"] is True


async def test_a_tie_at_the_cut_off_refuses_the_conclusion_and_stores_nothing(infra: Infra) -> None:
    app = build_app(service_settings(infra))
    async with app_client(app) as client:
        for branch_id, village in VILLAGES.items():
            await branch(client, branch_id, village)
        body = {"period": "2016", "weak_share_percent": "5", "occurred_on": "2016-12-20"}
        await ok(await client.post("/api/v1/assessments", json=body, headers=ORG), 201)
        for branch_id, value in {"branch-shibi": 6, "branch-jinxia": 6, "branch-meilin": 9}.items():
            body = {"branch_id": branch_id, "items": marks(value), "occurred_on": "2016-12-20"}
            await ok(await client.post("/api/v1/assessments/2016/scores", json=body, headers=ORG))
        refused = await client.post(
            "/api/v1/assessments/2016/conclude", json={"occurred_on": "2016-12-28"}, headers=ORG
        )
        assert "并列" in assert_problem(refused, 422)["detail"]
        store = app.state.runtime.store
        assert len(await store.read_stream("assessment-2016")) == 4  # opened + 3 scores
        assert not [
            e for e in await store.read_stream("branch-shibi") if "Designated" in e.event_type
        ]
        outside = await client.post(
            "/api/v1/assessments", json={"period": "2017", "weak_share_percent": "12"}, headers=ORG
        )
        assert "5%–10%" in assert_problem(outside, 422)["detail"]
