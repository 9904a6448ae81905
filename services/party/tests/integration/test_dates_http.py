"""Issue 11 through HTTP: "as of" a day before a branch or member existed it is not found (not
a server error); dates outside their window are refused naming the field, in Chinese."""

import datetime as dt
from typing import Any

import pytest
from party.bootstrap import build_app

from shared.testing import Infra, app_client, assert_problem, service_settings

from .support import AUDITOR, ORG, RUN, id_number, ok

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

MEMBER, BRANCH = f"member-{RUN}-as-of", "branch-as-of"
#: The branch and member are registered on REGISTERED; a later record is dated BACKDATED.
#: (A member's later records cannot be dated before its registration: the domain refuses it.)
BACKDATED, BETWEEN, REGISTERED = "2016-03-01", "2016-03-05", "2016-03-10"


def member_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "member_id": MEMBER,
        "branch_id": BRANCH,
        "name": "测试党员",
        "id_number": id_number(),
        "membership": "full",
        "joined_party_on": "2005-07-01",
        "occurred_on": REGISTERED,
    }
    return {**body, **overrides}


async def test_as_of_a_day_before_a_branch_or_member_existed_they_are_not_found(
    infra: Infra,
) -> None:
    async with app_client(build_app(service_settings(infra))) as client:
        # given a branch and a member registered on REGISTERED; the branch's secretary was
        # appointed (so its record says) on BACKDATED, before the branch's record began
        branch = {"branch_id": BRANCH, "name": "测试党支部", "kind": "organ"}
        await ok(
            await client.post(
                "/api/v1/branches", json={**branch, "occurred_on": REGISTERED}, headers=ORG
            ),
            201,
        )
        await ok(await client.post("/api/v1/members", json=member_body(), headers=ORG), 201)
        appointed = {"member_id": MEMBER, "occurred_on": BACKDATED}
        await ok(
            await client.post(f"/api/v1/branches/{BRANCH}/secretary", json=appointed, headers=ORG)
        )
        for day in (BETWEEN, "2000-01-01"):
            # when read as of a day before they were registered; then: not found, in Chinese
            for path, what in ((f"branches/{BRANCH}", "党支部"), (f"members/{MEMBER}", "党员")):
                read = await client.get(f"/api/v1/{path}", params={"as_of": day}, headers=AUDITOR)
                assert what in assert_problem(read, 404)["detail"], (path, day)
            targets = await client.get(
                "/api/v1/training/targets", params={"as_of": day}, headers=AUDITOR
            )
            assert targets.status_code == 200, targets.text
        since = await client.get(
            f"/api/v1/members/{MEMBER}", params={"as_of": REGISTERED}, headers=AUDITOR
        )
        assert since.status_code == 200, since.text


async def test_dates_outside_their_window_are_refused_naming_the_field(infra: Infra) -> None:
    async with app_client(build_app(service_settings(infra))) as client:
        too_early = member_body(member_id=f"member-{RUN}-early", occurred_on="0001-01-01")
        refused = assert_problem(
            await client.post("/api/v1/members", json=too_early, headers=ORG), 422
        )
        assert refused["detail"].startswith("业务日期：日期 0001-01-01 早于本项目开始")
        before_the_party = member_body(member_id=f"member-{RUN}-1920", joined_party_on="1920-01-01")
        refused = assert_problem(
            await client.post("/api/v1/members", json=before_the_party, headers=ORG), 422
        )
        assert refused["detail"].startswith("入党日期：日期 1920-01-01 早于中国共产党成立")


async def test_bad_input_reads_in_chinese_naming_the_field(infra: Infra) -> None:
    async with app_client(build_app(service_settings(infra))) as client:
        body = member_body(member_id="x", membership="honorary", joined_party_on="1990-13-01")
        problem = assert_problem(await client.post("/api/v1/members", json=body, headers=ORG), 422)
        messages = {e["field"]: e["message"] for e in problem["errors"]}
        assert messages["membership"].startswith("预备党员或正式党员：应为以下之一")
        assert messages["joined_party_on"].startswith("入党日期：应为日期，格式 YYYY-MM-DD")
        assert problem["title"] == "输入无效 (invalid input)"


async def test_a_business_date_after_today_by_the_services_clock_is_refused(infra: Infra) -> None:
    # the service's clock says 2017-06-30 (China): a record dated the next day is refused by the
    # pipeline's one rule, 422 problem+json, and nothing is stored
    clock = lambda: dt.datetime(2017, 6, 30, 4, tzinfo=dt.UTC)  # noqa: E731
    app = build_app(service_settings(infra), clock=clock)
    async with app_client(app) as client:
        branch = {"branch_id": "branch-future", "name": "未来党支部", "kind": "organ"}
        refused = await client.post(
            "/api/v1/branches", json={**branch, "occurred_on": "2017-07-01"}, headers=ORG
        )
        assert "晚于今天 2017-06-30" in assert_problem(refused, 422)["detail"]
        assert await app.state.runtime.store.read_stream("branch-future") == []
        written = await ok(
            await client.post(
                "/api/v1/branches", json={**branch, "occurred_on": "2017-06-30"}, headers=ORG
            ),
            201,
        )
        assert (written["id"], written["version"]) == ("branch-future", 1)
        assert [e["type"] for e in written["events"]] == ["party.BranchEstablished"]
        [stored] = await app.state.runtime.store.read_stream("branch-future")
        assert str(stored.event_id) == written["events"][0]["event_id"]
        assert stored.occurred_at.date() == dt.date(2017, 6, 30)
