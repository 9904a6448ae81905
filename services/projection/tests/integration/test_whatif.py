"""推演 through the projection's HTTP API on the real PostgreSQL and Kafka (issue 12): the 2016
poverty line raised above some exited households' income lists exactly those households, the
figures side by side, and leaves the live views as they were; one run at a time, for the auditor
and the town secretary; a run out of time keeps nothing of itself; a result expires."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import pytest_asyncio
from projection.synthetic import EnvelopeFactory
from projection.synthetic import party as pa
from projection.synthetic import relief as rl
from sqlalchemy import text

from shared.roles import Role
from shared.testing import Infra, bearer, eventually

from .support import Story, serving

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

D = dt.date
AUDITOR = bearer(Role.AUDITOR)
SECRETARY = bearer(Role.TOWN_SECRETARY)
CLERK = bearer(Role.VILLAGE_CLERK, village="石壁村")
LEADER = bearer(Role.ECONOMIC_LEADER)


@dataclass
class History:
    client: httpx.AsyncClient
    app: object
    below: set[str]  # households whose 2016 exit income is not above 3,500
    branches: list[str]  # best first; the two last designated weak (10 % of 20)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def history(infra: Infra) -> AsyncIterator[History]:
    f = EnvelopeFactory(rng=random.Random(7))
    story = Story()
    homes: dict[str, str] = {}
    people = [
        ("张一", "石壁村", "3100.00", 2016),
        ("李二", "石壁村", "3500.00", 2016),  # exactly on the changed line: not above it
        ("王三", "金霞村", "3900.00", 2016),
        ("赵四", "金霞村", "4200.00", 2016),
        ("钱五", "石壁村", "3300.00", 2016),  # exits, then returns to poverty
        ("孙六", "石壁村", "3000.00", 2017),  # another year's line: unchanged
        ("周七", "金霞村", "", 0),  # never exits
    ]
    for n, (head, village, income, year) in enumerate(people):
        hid = str(uuid.uuid4())
        homes[head] = hid
        story.add(
            rl.household_registered(f, hid, village, head, f"43032119700101{n:03d}", D(2016, 3, 1))
        )
        if income:
            story.add(rl.household_exited(f, hid, D(year, 10, 8), income=income))
    story.add(rl.household_returned(f, homes["钱五"], D(2016, 12, 1)))
    # 20 branches; the 2016-H2 assessment (share 10 %) designated the two last
    branches = [f"branch-wi{n:02d}" for n in range(20)]
    for n, b in enumerate(branches):
        story.add(pa.branch_established(f, b, f"第{n}党支部", "石壁村", D(2016, 1, 5)))
    story.add(pa.assessment_opened(f, "2016-H2", D(2016, 12, 1)))
    ranking = [(b, f"{95 - 2 * n}.00") for n, b in enumerate(branches)]
    story.add(pa.assessment_concluded(f, "2016-H2", ranking, branches[-2:], D(2016, 12, 20)))
    for b in branches[-2:]:
        place = branches.index(b)
        story.add(
            pa.designated_weak(
                f, b, "", "石壁村", "2016-H2", ranking[place][1], place + 1, 20, D(2016, 12, 20)
            ),
            pa.first_secretary(f, b, "2016-H2", "派驻干部", "县农业局", D(2016, 12, 25)),
        )
    async with serving(infra, story, "wi") as (app, client):
        yield History(
            client,
            app,
            below={homes["张一"], homes["李二"], homes["钱五"]},
            branches=branches,
        )


async def _finished(client: httpx.AsyncClient) -> dict[str, object]:
    async def done() -> bool:
        state = (await client.get("/api/v1/whatif", headers=AUDITOR)).json()
        return state["running"] is None

    await eventually(done, timeout=120, what="the what-if finished")
    body: dict[str, object] = (await client.get("/api/v1/whatif", headers=AUDITOR)).json()
    return body


async def test_a_raised_poverty_line_lists_exactly_the_households_that_would_not_have_exited(
    history: History,
) -> None:
    client = history.client
    live_before = (await client.get("/api/v1/views/relief/villages", headers=AUDITOR)).json()
    started = await client.post(
        "/api/v1/whatif",
        json={"rule": "poverty_line", "year": 2016, "line": "3500"},
        headers=AUDITOR,
    )
    assert started.status_code == 202, started.text
    assert started.json()["label"] == "2016 年贫困线改为 3500 元"
    state = await _finished(client)
    assert state["error"] is None and state["last"] is not None

    view = (await client.get("/api/v1/views/audit/whatif", headers=AUDITOR)).json()
    differences = view["tables"][0]["rows"]
    assert {r["stream_id"] for r in differences} == {f"household-{h}" for h in history.below}
    by_name = {r["head_name"]: r for r in differences}
    assert by_name["张一"]["live_status"] == "已脱贫"
    assert by_name["张一"]["whatif_status"] == "在档贫困户"
    assert "3100.00" in by_name["张一"]["reason"] and "3500" in by_name["张一"]["reason"]
    assert by_name["钱五"]["live_status"] == "返贫"  # its return is refused with its exit
    assert all(r["chain_url"].startswith("/chain/") for r in differences)

    figures = {(r["view_title"], r["figure"]): r for r in view["tables"][1]["rows"]}
    exited = figures[("精准扶贫 · 分村", "已脱贫")]
    # live: five exited (钱五 returned); under the changed line: 王三, 赵四, 孙六
    assert (exited["live_value"], exited["whatif_value"], exited["changed"]) == ("5", "3", True)
    assert figures[("精准扶贫 · 分村", "建档立卡户")]["changed"] is False

    live_after = (await client.get("/api/v1/views/relief/villages", headers=AUDITOR)).json()
    assert live_after == live_before  # the live generation was only read

    # as of a day before the exits, nothing differs
    early = await client.get(
        "/api/v1/views/audit/whatif", params={"as_of": "2016-09-30"}, headers=AUDITOR
    )
    assert early.json()["tables"][0]["rows"] == []
    # a village clerk reads the result for their village only, names masked
    clerk = (await client.get("/api/v1/views/audit/whatif", headers=CLERK)).json()
    assert {r["village"] for r in clerk["tables"][0]["rows"]} == {"石壁村"}
    assert all(r["head_name"].endswith("*") for r in clerk["tables"][0]["rows"])
    csv = await client.get(
        "/api/v1/views/audit/whatif",
        params={"format": "csv", "table": "differences"},
        headers=AUDITOR,
    )
    assert csv.status_code == 200 and csv.text.count("\n") == 1 + len(history.below)


async def test_only_the_auditor_and_the_town_secretary_start_one_and_only_one_at_a_time(
    history: History,
) -> None:
    client = history.client
    asked = {"rule": "poverty_line", "year": 2016, "line": "3000"}
    refused = await client.post("/api/v1/whatif", json=asked, headers=LEADER)
    assert refused.status_code == 403
    first = await client.post("/api/v1/whatif", json=asked, headers=SECRETARY)
    second = await client.post("/api/v1/whatif", json=asked, headers=AUDITOR)
    assert first.status_code == 202 and second.status_code == 409
    assert second.headers["content-type"].startswith("application/problem+json")
    await _finished(client)
    for bad in (
        {"rule": "poverty_line", "year": 2016, "line": "-1"},
        {"rule": "poverty_line", "year": 1900, "line": "3000"},
        {"rule": "poverty_line", "year": 2016, "line": "3000.123"},
        {"rule": "points", "year": 2016, "line": "3000"},
        {"rule": "poverty_line", "year": 2016},
    ):
        answer = await client.post("/api/v1/whatif", json=bad, headers=AUDITOR)
        assert answer.status_code == 422, bad
        assert answer.headers["content-type"].startswith("application/problem+json")


async def test_a_run_out_of_time_keeps_nothing_and_a_result_expires(
    history: History, infra: Infra
) -> None:
    client = history.client
    whatifs = history.app.state.whatifs  # type: ignore[attr-defined]
    assert (
        await client.post(
            "/api/v1/whatif",
            json={"rule": "poverty_line", "year": 2016, "line": "3500"},
            headers=AUDITOR,
        )
    ).status_code == 202
    await _finished(client)
    kept = (await client.get("/api/v1/views/audit/whatif", headers=AUDITOR)).json()
    whatifs.seconds = 0.000_001
    try:
        assert (
            await client.post(
                "/api/v1/whatif",
                json={"rule": "poverty_line", "year": 2016, "line": "4000"},
                headers=AUDITOR,
            )
        ).status_code == 202
        state = await _finished(client)
    finally:
        whatifs.seconds = 600.0
    assert "超过" in str(state["error"])
    async with whatifs.engine.connect() as conn:
        half = await conn.execute(
            text("SELECT count(*) FROM information_schema.schemata WHERE schema_name = :s"),
            {"s": f"{whatifs.schema}_next"},
        )
        assert half.scalar_one() == 0
    after = (await client.get("/api/v1/views/audit/whatif", headers=AUDITOR)).json()
    assert after["tables"] == kept["tables"]  # the last complete run is still the one shown

    assert not await whatifs.expire()  # not yet
    assert await whatifs.expire(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    gone = (await client.get("/api/v1/views/audit/whatif", headers=AUDITOR)).json()
    assert gone["tables"] == [] and "尚无推演结果" in gone["notes"][0]


async def test_a_changed_weak_band_designates_other_branches_and_drops_what_followed(
    history: History,
) -> None:
    client, b = history.client, history.branches
    # 5 %: only the last branch; the second last loses its designation and its first secretary
    assert (
        await client.post(
            "/api/v1/whatif", json={"rule": "weak_band", "low": "5", "high": "5"}, headers=AUDITOR
        )
    ).status_code == 202
    state = await _finished(client)
    assert state["error"] is None
    view = (await client.get("/api/v1/views/audit/whatif", headers=AUDITOR)).json()
    rows = view["tables"][0]["rows"]
    assert [r["stream_id"] for r in rows] == [b[-2]]
    assert (rows[0]["live_status"], rows[0]["whatif_status"]) == ("软弱涣散（整顿中）", "正常")
    assert "只认定 1 个" in rows[0]["reason"]
    figures = {(r["view_title"], r["figure"]): r for r in view["tables"][1]["rows"]}
    weak = figures[("支部排名", "软弱涣散（整顿中）")]
    assert (weak["live_value"], weak["whatif_value"]) == ("2", "1")

    # 15–20 %: three branches; the third last is designated when the assessment concluded
    assert (
        await client.post(
            "/api/v1/whatif",
            json={"rule": "weak_band", "low": "15", "high": "20"},
            headers=SECRETARY,
        )
    ).status_code == 202
    assert (await _finished(client))["error"] is None
    view = (await client.get("/api/v1/views/audit/whatif", headers=AUDITOR)).json()
    rows = view["tables"][0]["rows"]
    assert [r["stream_id"] for r in rows] == [b[-3]]
    assert rows[0]["whatif_status"] == "软弱涣散（整顿中）" and "推演新增" in rows[0]["reason"]
    assert rows[0]["refused_on"] == "2016-12-20"
    figures = {(r["view_title"], r["figure"]): r for r in view["tables"][1]["rows"]}
    assert figures[("支部排名", "软弱涣散（整顿中）")]["whatif_value"] == "3"
    bad = await client.post(
        "/api/v1/whatif", json={"rule": "weak_band", "low": "12", "high": "8"}, headers=AUDITOR
    )
    assert bad.status_code == 422


async def test_the_page_form_starts_a_run_for_the_auditor_only(history: History) -> None:
    client = history.client
    form = {"content-type": "application/x-www-form-urlencoded"}
    refused = await client.post(
        "/dashboard/whatif", content="rule=poverty_line&year=2016&line=3500", headers=LEADER | form
    )
    assert refused.status_code == 403 and "仅审计与党委书记可发起推演" in refused.text
    started = await client.post(
        "/dashboard/whatif", content="rule=poverty_line&year=2016&line=3500", headers=AUDITOR | form
    )
    assert started.status_code == 303
    assert started.headers["location"].startswith("/dashboard/audit/whatif?started=")
    assert (await _finished(client))["error"] is None
    page = await client.get("/dashboard/audit/whatif", headers=AUDITOR)
    assert page.status_code == 200 and "2016 年贫困线改为 3500 元" in page.text
