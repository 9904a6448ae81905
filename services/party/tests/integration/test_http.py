"""Through HTTP on the real PostgreSQL (a fresh schema per test): roles and the branch
secretary's scope, problem+json with nothing stored on bad input, and the member, training
and cadre-adjustment flows."""

from typing import Any

import httpx
import pytest
from party.bootstrap import build_app

from shared.testing import Infra, app_client, assert_problem, service_settings

from .support import (
    AUDITOR,
    CLERK,
    ORG,
    RUN,
    SECRETARY,
    SHIBI_SECRETARY,
    branch,
    id_number,
    member,
    ok,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

# Member ids of this run: decisions of earlier runs stay on supervision.events and are replayed
# into every fresh schema; they must not name this run's members.
M1, M2, M3, M4 = (f"member-{RUN}-{n}" for n in range(1, 5))


async def stored(app: Any) -> int:
    """Events stored by commands (not the replayed accountability decisions of other runs)."""
    events = await app.state.runtime.store.read_all(limit=100_000)
    return sum(1 for e in events if not e.stream_id.startswith("accountability-"))


def problem(response: httpx.Response, status: int, text: str = "") -> dict[str, Any]:
    """A problem+json answer with `status` whose detail says `text`; its body."""
    body = assert_problem(response, status)
    assert text in body["detail"], body
    return body


@pytest.fixture
def settings(infra: Infra) -> Any:
    return service_settings(infra)


async def setup(client: httpx.AsyncClient) -> None:
    await branch(client, "branch-shibi", "石壁村")
    await branch(client, "branch-jinxia", "金霞村")
    await branch(client, "branch-organ", None, kind="organ")
    await member(client, M1, "branch-shibi")
    await member(client, M2, "branch-jinxia")
    await member(
        client,
        M3,
        "branch-shibi",
        membership="probationary",
        joined_party_on="2015-11-01",
    )


async def test_roles_scope_and_bad_input(settings: Any) -> None:
    app = build_app(settings)
    async with app_client(app) as client:
        await setup(client)
        before = await stored(app)
        body = {"branch_id": "branch-x", "name": "x", "kind": "organ"}
        problem(await client.post("/api/v1/branches", json=body), 401)
        problem(await client.post("/api/v1/branches", json=body, headers=CLERK), 403)
        problem(await client.post("/api/v1/branches", json=body, headers=SECRETARY), 403)
        problem(await client.post("/api/v1/branches", json=body, headers=SHIBI_SECRETARY), 403)

        # the town secretary and the auditor read everything; ID numbers masked for them
        assert len(await ok(await client.get("/api/v1/branches", headers=SECRETARY))) == 3
        masked = await ok(await client.get(f"/api/v1/members/{M2}", headers=AUDITOR))
        assert "********" in masked["id_number"]
        full = await ok(await client.get(f"/api/v1/members/{M2}", headers=ORG))
        assert "*" not in full["id_number"]

        # a branch secretary: their own branch only
        own = await ok(await client.get("/api/v1/branches", headers=SHIBI_SECRETARY))
        assert [b["branch_id"] for b in own] == ["branch-shibi"]
        await ok(await client.get(f"/api/v1/members/{M1}", headers=SHIBI_SECRETARY))
        problem(await client.get(f"/api/v1/members/{M2}", headers=SHIBI_SECRETARY), 403)
        problem(await client.get("/api/v1/branches/branch-jinxia", headers=SHIBI_SECRETARY), 403)
        problem(await client.get("/api/v1/training/targets", headers=SHIBI_SECRETARY), 403)
        points = {"rule_code": "KJ01", "evidence": "完成交办任务", "occurred_on": "2016-03-01"}
        own_points = await client.post(
            f"/api/v1/members/{M1}/points", json=points, headers=SHIBI_SECRETARY
        )
        assert own_points.status_code == 201, own_points.text
        problem(
            await client.post(f"/api/v1/members/{M2}/points", json=points, headers=SHIBI_SECRETARY),
            403,
        )
        session = {
            "level": "branch",
            "branch_id": "branch-jinxia",
            "topic": "x",
            "held_on": "2016-03-08",
            "attendee_ids": [M2],
        }
        problem(
            await client.post("/api/v1/training-sessions", json=session, headers=SHIBI_SECRETARY),
            403,
        )
        county = {
            "level": "county",
            "topic": "x",
            "held_on": "2016-03-08",
            "attendee_ids": [M1],
        }
        problem(
            await client.post("/api/v1/training-sessions", json=county, headers=SHIBI_SECRETARY),
            403,
        )
        assert await stored(app) == before + 1  # only the secretary's own points

        # invalid input: problem+json naming the field, nothing stored
        before = await stored(app)
        valid = id_number()
        wrong = valid[:17] + ("1" if valid[17] != "1" else "2")
        new = {
            "member_id": f"member-{RUN}-9",
            "branch_id": "branch-shibi",
            "name": "王五",
            "id_number": valid,
            "joined_party_on": "2016-01-01",
            "occurred_on": "2016-06-01",
        }
        checksum = problem(
            await client.post("/api/v1/members", json={**new, "id_number": wrong}, headers=ORG),
            422,
            "校验位",
        )
        assert checksum["errors"][0]["field"] == "id_number"
        missing = await client.post(
            "/api/v1/members", json={"branch_id": "branch-shibi"}, headers=ORG
        )
        fields = {e["field"] for e in problem(missing, 422)["errors"]}
        assert {"name", "id_number", "joined_party_on"} <= fields
        problem(await client.post("/api/v1/members", json={**new, "extra": 1}, headers=ORG), 422)
        problem(
            await client.post(
                "/api/v1/branches",
                json={"name": "x", "kind": "village", "village": "火星村"},
                headers=ORG,
            ),
            422,
            "未知村/社区",
        )
        problem(
            await client.post(
                f"/api/v1/members/{M1}/points",
                json={**points, "rule_code": "ZZ99"},
                headers=ORG,
            ),
            422,
            "不在规则手册",
        )
        problem(
            await client.post(
                f"/api/v1/members/{M1}/points",
                json={**points, "occurred_on": "2999-01-01"},
                headers=ORG,
            ),
            422,
            "晚于今天",
        )
        problem(await client.get("/api/v1/members/member-4242", headers=ORG), 404)
        problem(await client.get("/api/v1/members/branch-shibi", headers=ORG), 422)
        same_person = {**new, "member_id": "member-0010", "id_number": full["id_number"]}
        problem(await client.post("/api/v1/members", json=same_person, headers=ORG), 409, "已登记")
        problem(
            await client.post(
                f"/api/v1/members/{M1}/convert", json={"expected_version": 99}, headers=ORG
            ),
            409,
        )
        assert await stored(app) == before


async def test_points_grading_and_the_unqualified_procedure(settings: Any) -> None:
    app = build_app(settings)
    async with app_client(app) as client:
        await setup(client)
        base = f"/api/v1/members/{M1}"
        for code, on in (("KF04", "2016-04-01"), ("KF02", "2016-05-01")):
            body = {"rule_code": code, "evidence": "支部会议记录", "occurred_on": on}
            await ok(await client.post(f"{base}/points", json=body, headers=ORG), 201)
        problem(
            await client.post(
                f"{base}/grade", json={"year": 2016, "occurred_on": "2016-11-30"}, headers=ORG
            ),
            422,
            "12 月以后",
        )
        await ok(
            await client.post(
                f"{base}/grade", json={"year": 2016, "occurred_on": "2016-12-20"}, headers=ORG
            )
        )
        state = await ok(await client.get(base, headers=ORG))
        assert state["points"]["2016"]["total"] == 45  # 60 - 10 - 5
        assert state["points"]["2016"]["level_name"] == "不合格"
        [procedure] = state["unqualified_procedures"]
        assert procedure["step"] == "identified" and procedure["open"]

        step = f"{base}/unqualified/2016"
        decision = {"decision": "rectify", "summary": "限期改正", "occurred_on": "2016-12-28"}
        problem(
            await client.post(f"{step}/decision", json=decision, headers=ORG), 422, "out of order"
        )
        talk = {"talked_by": "黄军", "summary": "谈话", "occurred_on": "2016-12-22"}
        await ok(await client.post(f"{step}/talk", json=talk, headers=ORG))
        await ok(await client.post(f"{step}/decision", json=decision, headers=ORG))
        outcome = {"outcome": "withdrew", "summary": "x", "occurred_on": "2017-03-01"}
        problem(await client.post(f"{step}/outcome", json=outcome, headers=ORG), 422, "结果只能是")
        problem(
            await client.post(
                f"{base}/transfer",
                json={"to_branch_id": "branch-jinxia", "occurred_on": "2017-01-10"},
                headers=ORG,
            ),
            422,
            "处置程序",
        )
        await ok(
            await client.post(
                f"{step}/outcome", json={**outcome, "outcome": "corrected"}, headers=ORG
            )
        )
        moved = await ok(
            await client.post(
                f"{base}/transfer",
                json={"to_branch_id": "branch-jinxia", "occurred_on": "2017-03-10"},
                headers=ORG,
            )
        )
        assert moved["version"] == state["version"] + 4
        # as of 2016-12-21 the member was still in 石壁村, identified but not yet talked to
        then = await ok(await client.get(f"{base}?as_of=2016-12-21", headers=ORG))
        assert (
            then["branch_id"] == "branch-shibi"
            and then["unqualified_procedures"][0]["step"] == "identified"
        )

        # conversion: the probationary member, a year after admission
        convert = f"/api/v1/members/{M3}/convert"
        problem(
            await client.post(convert, json={"occurred_on": "2016-10-31"}, headers=ORG),
            422,
            "预备期",
        )
        converted = await ok(
            await client.post(convert, json={"occurred_on": "2016-11-01"}, headers=ORG)
        )
        assert converted["version"] == 2


async def test_training_targets_and_a_cadre_adjustment(settings: Any) -> None:
    app = build_app(settings)
    async with app_client(app) as client:
        await setup(client)
        await member(client, M4, "branch-jinxia")
        await ok(
            await client.post(
                "/api/v1/branches/branch-jinxia/secretary",
                json={"member_id": M2, "occurred_on": "2016-02-01"},
                headers=ORG,
            )
        )
        sessions = [
            {
                "session_id": f"training-b-{m:02d}",
                "level": "branch",
                "branch_id": "branch-jinxia",
                "topic": "支部学习",
                "held_on": f"2016-{m:02d}-10",
                "attendee_ids": [M2],
            }
            for m in range(1, 13)
        ] + [
            {
                "session_id": "training-c-1",
                "level": "county",
                "programme": "capability",
                "topic": "县委党校",
                "held_on": "2016-04-12",
                "attendee_ids": [M2],
            },
            {
                "session_id": "training-t-1",
                "level": "town",
                "programme": "entrepreneurship",
                "topic": "创业",
                "held_on": "2016-05-12",
                "attendee_ids": [M2, M3],
            },
        ]
        for session in sessions:
            await ok(await client.post("/api/v1/training-sessions", json=session, headers=ORG), 201)
        problem(await client.post("/api/v1/training-sessions", json=sessions[0], headers=ORG), 409)
        person = await ok(
            await client.get(
                f"/api/v1/members/{M2}/training?year=2016&as_of=2016-12-31", headers=ORG
            )
        )
        assert person["monthly_target_met"] and person["secretary_target"]["met"] is False
        assert person["secretary_target"]["town_sessions"] == {"attended": 1, "required": 2}
        jinxia = await ok(
            await client.get(
                "/api/v1/branches/branch-jinxia/training?year=2016&as_of=2016-06-30", headers=ORG
            )
        )
        assert jinxia["members"] == 2 and jinxia["members_meeting_monthly"] == 1
        assert jinxia["members_missing"] == [
            {"member_id": M4, "name": "测试党员", "months_missed": [2, 3, 4, 5, 6]}
        ]
        town = await ok(
            await client.get(
                "/api/v1/training/targets?year=2016&as_of=2016-12-31", headers=SECRETARY
            )
        )
        assert town["entrepreneurship"] == {"trained": 2, "target": 50, "met": False}
        assert (
            town["secretaries"]["with_secretary"] == 1
            and town["secretaries"]["meeting_target"] == 0
        )

        case = "/api/v1/cadre-adjustments/adjustment-shibi-1"
        opened = {
            "adjustment_id": "adjustment-shibi-1",
            "cadre_name": "赵某",
            "post": "村委会主任",
            "village": "石壁村",
            "grounds": ["长期不在岗"],
            "summary": "群众反映",
            "occurred_on": "2016-10-10",
        }
        await ok(await client.post("/api/v1/cadre-adjustments", json=opened, headers=ORG), 201)
        problem(
            await client.post(
                f"{case}/decision",
                json={"decision": "adjust", "summary": "x", "occurred_on": "2016-11-01"},
                headers=ORG,
            ),
            422,
            "out of order",
        )
        votes = {
            "committee": {"in_favour": 6, "against": 1, "abstaining": 0},
            "representatives": {"in_favour": 30, "against": 5, "abstaining": 2},
            "summary": "调查属实",
            "occurred_on": "2016-10-20",
        }
        await ok(await client.post(f"{case}/investigation", json=votes, headers=ORG))
        await ok(
            await client.post(
                f"{case}/decision",
                json={"decision": "adjust", "summary": "党委会议", "occurred_on": "2016-11-01"},
                headers=ORG,
            )
        )
        problem(
            await client.post(
                f"{case}/review",
                json={"result": "upheld", "summary": "x", "occurred_on": "2016-11-02"},
                headers=ORG,
            ),
            422,
            "out of order",
        )
        await ok(
            await client.post(
                f"{case}/notice",
                json={"talked_by": "陈芳", "summary": "通报", "occurred_on": "2016-11-05"},
                headers=ORG,
            )
        )
        state = await ok(await client.get(case, headers=SECRETARY))
        assert state["step"] == "notified" and state["investigation"]["committee"]["in_favour"] == 6
        problem(await client.get(case, headers=SHIBI_SECRETARY), 403)
        listed = await ok(await client.get("/api/v1/cadre-adjustments", headers=ORG))
        assert [(c["adjustment_id"], c["step"]) for c in listed] == [
            ("adjustment-shibi-1", "notified")
        ]


async def test_the_lookup_tables_rebuilt_from_the_store_equal_the_live_ones(settings: Any) -> None:
    app = build_app(settings)
    async with app_client(app) as client:
        await setup(client)
        await ok(
            await client.post(
                f"/api/v1/members/{M1}/transfer",
                json={"to_branch_id": "branch-organ", "occurred_on": "2016-05-01"},
                headers=ORG,
            )
        )
        session = {
            "level": "town",
            "topic": "培训",
            "held_on": "2016-06-01",
            "attendee_ids": [M1, M2, M3],
        }
        await ok(await client.post("/api/v1/training-sessions", json=session, headers=ORG), 201)
        store = app.state.runtime.store
        lookups = store.lookups

        async def tables() -> dict[str, list[dict[str, Any]]]:
            return {
                name: sorted(
                    await lookups._rows(f"SELECT * FROM {{s}}.{name}"),
                    key=lambda r: str(sorted(r.items())),
                )
                for name in ("branch_view", "member_view", "attendance_view", "adjustment_view")
            }

        live = await tables()
        assert await lookups.rebuild(store) >= 7
        assert await tables() == live
        assert [m["branch_id"] for m in live["member_view"] if m["member_id"] == M1] == [
            "branch-organ"
        ]
