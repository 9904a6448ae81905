"""The leadership views through HTTP, fed by envelopes published to (scratch) Kafka topics:
counts, "as of", masking by role, village scope, exports, the audit trail and the public page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from openpyxl import load_workbook
from projection.bootstrap import build_app
from projection.domain.field_classes import UNDECLARED
from projection.synthetic import EnvelopeFactory

from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    assert_problem,
    bearer,
    eventually,
    read_topic,
    unique,
)

from .support import Story, publish, settings_for, town_story

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SECRETARY = bearer(Role.TOWN_SECRETARY)
AGRICULTURE = bearer(Role.AGRICULTURE_LEADER)
DISCIPLINE = bearer(Role.DISCIPLINE_SECRETARY)
CLERK = bearer(Role.VILLAGE_CLERK, village="石壁村")


class Town:
    def __init__(self, client: httpx.AsyncClient, story: Story, suffix: str) -> None:
        self.client = client
        self.story = story
        self.suffix = suffix

    async def view(self, name: str, headers: dict[str, str] = SECRETARY, **params: Any) -> Any:
        response = await self.client.get(f"/api/v1/views/{name}", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()


def table(view: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return next(t["rows"] for t in view["tables"] if t["name"] == name)


def row(rows: list[dict[str, Any]], **match: Any) -> dict[str, Any]:
    return next(r for r in rows if all(r.get(k) == v for k, v in match.items()))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def town(infra: Infra) -> AsyncIterator[Town]:
    suffix = "." + unique("v")
    story = town_story()
    await publish(infra.kafka_bootstrap_servers, story.envelopes, suffix)
    app = build_app(settings_for(infra, suffix))
    async with app_client(app) as client:

        async def all_logged() -> bool:
            status = (await client.get("/api/v1/status", headers=SECRETARY)).json()
            return bool(status["events"] == len(story.envelopes))

        await eventually(all_logged, timeout=60, what="every published event in the log")
        yield Town(client, story, suffix)


async def test_relief_by_village_counts_households_pairing_and_visits(town: Town) -> None:
    view = await town.view("relief/villages")
    shibi = row(table(view, "villages"), village="石壁村")
    assert (shibi["registered"], shibi["exited"], shibi["returned"]) == (3, 1, 0)
    assert shibi["paired_pct"] == 66.7
    assert shibi["visited_pct"] == 66.7
    jinxia = row(table(view, "villages"), village="金霞村")
    assert (jinxia["registered"], jinxia["returned"]) == (1, 1)


async def test_as_of_before_an_event_does_not_show_it(town: Town) -> None:
    before_exit = await town.view("relief/villages", as_of="2016-11-01")
    assert row(table(before_exit, "villages"), village="石壁村")["exited"] == 0
    jinxia = row(table(before_exit, "villages"), village="金霞村")
    assert (jinxia["exited"], jinxia["returned"]) == (1, 0)
    before_all = await town.view("relief/villages", as_of="2016-02-28")
    assert table(before_all, "households") == []
    # the end of the day in Shanghai: an exit on 2016-11-20 shows as of that day
    on_the_day = await town.view("relief/villages", as_of="2016-11-20")
    assert row(table(on_the_day, "villages"), village="石壁村")["exited"] == 1


async def test_period_bounds_the_counted_flows(town: Town) -> None:
    view = await town.view("relief/activities", period="2016-Q2")
    posts = next(c for c in view["cards"] if "岗位" in c["label"])
    assert posts["value"] == "20 / 50"
    whole_year = await town.view("relief/activities", period="2016")
    assert next(c for c in whole_year["cards"] if "岗位" in c["label"])["value"] == "32 / 50"


async def test_overview_lists_the_14_measures_and_flags_the_overdue(town: Town) -> None:
    view = await town.view("overview", as_of="2017-01-31")
    measures = table(view, "measures")
    assert [m["number"] for m in measures] == list(range(1, 15))
    first = measures[0]
    assert first["lead_post"] == "分管农业的负责人"
    assert first["stream_id"] == "measure-2016-01"
    assert first["overdue"] is True and first["state"] == "逾期"
    assert 0 < first["progress"] < 100
    assert measures[1]["state"] == "未登记督办"
    early = table(await town.view("overview", as_of="2016-06-01"), "measures")
    assert early[0]["overdue"] is False


async def test_funds_programme_flows_late_and_short_payments(town: Town) -> None:
    view = await town.view("funds/programmes")
    prog = row(table(view, "programmes"), code="HN-2016-01")
    assert (prog["allocated"], prog["disbursed"]) == ("6000.00", "3500.00")
    assert (prog["payments"], prog["on_time"], prog["late"], prog["short"]) == (2, 1, 1, 1)
    flags = await town.view("funds/red-flags")
    by_code = row(table(flags, "by_code"), code="FUNDS-SHORT-PAID")
    assert (by_code["total"], by_code["confirmed"]) == (1, 1)
    zero = await town.view("funds/zero-villages")
    assert (
        row(table(zero, "villages"), village="金霞村")["leader_name"] == "周敏"
    )  # an official: not masked


async def test_supervision_party_views_answer(town: Town) -> None:
    items = await town.view("supervision/items", as_of="2016-12-31")
    assert row(table(items, "items"), list_name="问题清单")["overdue_days"] == 184
    petitions = await town.view("supervision/petitions")
    assert row(table(petitions, "petitions"), focus_area="征地拆迁")["key_case"] is True
    branches = await town.view("party/branches")
    ranking = table(branches, "ranking")
    assert [(r["rank"], r["weak"]) for r in ranking] == [(1, False), (2, True)]
    assert table(branches, "weak")[0]["first_secretary"] == "何书记"
    points = await town.view("party/points", period="2016")
    assert row(table(points, "members"), total=95)["level"] == "优秀（预估）"
    adjustments = await town.view("party/adjustments")
    assert table(adjustments, "cases")[0]["in_progress"] is True


async def test_names_and_id_numbers_are_masked_unless_the_role_may_see_them(town: Town) -> None:
    masked = table(await town.view("relief/villages", AGRICULTURE), "households")
    full = table(await town.view("relief/villages", SECRETARY), "households")
    assert {r["head_name"] for r in full} >= {"张大山", "李小梅"}
    assert {r["head_name"] for r in masked} >= {"张**", "李**"}
    assert all("*" in r["head_id_number"] and len(r["head_id_number"]) == 18 for r in masked)


async def test_village_clerks_see_their_village_only(town: Town) -> None:
    own = await town.view("relief/villages", CLERK)
    assert {r["village"] for r in table(own, "villages")} == {"石壁村"}
    other = await town.client.get(
        "/api/v1/views/relief/villages", params={"village": "金霞村"}, headers=CLERK
    )
    assert_problem(other, 403)
    audit = await town.client.get(
        f"/api/v1/audit/petition-{town.story.ids['petition']}", headers=CLERK
    )
    assert audit.status_code == 403


async def test_clue_detail_is_for_the_discipline_secretary(town: Town) -> None:
    leader = await town.view("supervision/clues", AGRICULTURE)
    assert "clues" not in {t["name"] for t in leader["tables"]}
    discipline = await town.view("supervision/clues", DISCIPLINE)
    assert table(discipline, "clues")[0]["subject_name"] == "孙某某"


async def test_bad_input_and_roles_answer_problem_json(town: Town) -> None:
    client = town.client
    assert_problem(await client.get("/api/v1/views/overview"), 401)
    public = bearer(Role.PUBLIC)
    assert_problem(await client.get("/api/v1/views/overview", headers=public), 403)
    bad = await client.get(
        "/api/v1/views/overview", params={"period": "2016-13"}, headers=SECRETARY
    )
    assert_problem(bad, 422)
    unknown = await client.get(
        "/api/v1/views/overview", params={"village": "火星村"}, headers=SECRETARY
    )
    assert "未知村/社区" in assert_problem(unknown, 422)["detail"]
    assert_problem(await client.get("/api/v1/views/nothing", headers=SECRETARY), 404)


async def test_exports_open_as_csv_and_xlsx(town: Town) -> None:
    client = town.client
    response = await client.get(
        "/api/v1/views/relief/villages",
        params={"format": "csv", "table": "households"},
        headers=AGRICULTURE,
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "户主" and len(rows) == 5
    assert {r[0] for r in rows[1:]} >= {"张**"}
    response = await client.get(
        "/api/v1/views/funds/programmes", params={"format": "xlsx"}, headers=SECRETARY
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "说明"
    sheet = book["资金项目"]
    assert sheet.cell(row=1, column=1).value == "项目"
    assert sheet.cell(row=2, column=1).value == "产业扶贫到户补助"


async def test_every_view_answers_as_of_and_by_village(town: Town) -> None:
    listed = (await town.client.get("/api/v1/views", headers=SECRETARY)).json()
    assert len(listed) >= 18
    for spec in listed:
        for params in ({}, {"as_of": "2016-06-30", "village": "石壁村"}, {"period": "2016-H2"}):
            view = await town.view(spec["name"], **params)
            assert view["view"] == spec["name"]


async def test_audit_trail_shows_every_event_with_actor_reason_and_chain(town: Town) -> None:
    hid = town.story.ids["household"]
    response = await town.client.get(f"/api/v1/audit/household-{hid}", headers=AGRICULTURE)
    assert response.status_code == 200
    trail = response.json()
    assert trail["chain"] == {"intact": True, "checked": 5, "breaks": []}
    assert [e["version"] for e in trail["events"]] == [1, 2, 3, 4, 5]
    first = trail["events"][0]
    assert first["actor"]["user_id"] == "clerk-shibi" and first["label"] == "建档立卡登记"
    assert first["payload"]["head_name"] == "张**"
    assert trail["events"][2]["reason"] == "查看住房安全"
    row_link = table(await town.view("relief/villages"), "households")[0]["audit_url"]
    assert (await town.client.get(row_link, headers=SECRETARY)).status_code == 200
    as_of = await town.client.get(
        f"/api/v1/audit/household-{hid}", params={"as_of": "2016-04-30"}, headers=SECRETARY
    )
    assert [e["version"] for e in as_of.json()["events"]] == [1, 2, 3]


async def test_a_broken_hash_chain_is_flagged(town: Town, infra: Infra) -> None:
    f = EnvelopeFactory()
    stream = f"project-{unique('p')}"
    for day in (1, 2):
        last = f.event(
            stream,
            "relief.LivelihoodProjectStarted",
            {"project_id": stream, "started_on": f"2016-05-0{day}"},
            on=dt.date(2016, 5, day),
        )
    await publish(infra.kafka_bootstrap_servers, [last], town.suffix)  # version 1 never arrives

    async def flagged() -> Any:
        response = await town.client.get(f"/api/v1/audit/{stream}", headers=SECRETARY)
        return response.json() if response.status_code == 200 else None

    trail = await eventually(flagged, timeout=30, what="the stream in the audit trail")
    assert trail["chain"]["intact"] is False
    [only] = trail["chain"]["breaks"]  # named once, not as a cascade
    assert "版本 1 缺失 (version 1 missing)" in only["reason"]


async def test_an_undeclared_field_is_masked_even_for_the_roles_that_see_names(
    town: Town, infra: Infra
) -> None:
    """A new service's event with a field nobody declared (`field_classes.py`): the town
    secretary and the auditor see it masked in the audit trail, as every other role does."""
    stream = f"festival-{unique('f')}"
    env = EnvelopeFactory().event(
        stream,
        "relief.VillageFestivalHeld",
        {"village": "石壁村", "organiser_name": "张大山"},
        on=dt.date(2016, 5, 1),
    )
    await publish(infra.kafka_bootstrap_servers, [env], town.suffix)

    async def logged() -> bool:
        response = await town.client.get(f"/api/v1/audit/{stream}", headers=SECRETARY)
        return response.status_code == 200

    await eventually(logged, timeout=30, what="the new event in the audit trail")
    for headers in (SECRETARY, bearer(Role.AUDITOR), AGRICULTURE):
        trail = (await town.client.get(f"/api/v1/audit/{stream}", headers=headers)).json()
        payload = trail["events"][0]["payload"]
        assert payload == {"village": "石壁村", "organiser_name": UNDECLARED}
        assert "张大山" not in str(trail)


async def test_the_public_page_shows_published_notices_without_personal_data(town: Town) -> None:
    response = await town.client.get("/api/v1/public/notices")
    assert response.status_code == 200
    body = response.json()
    assert body["notices"][0]["title"] == "2016年产业扶贫到户补助对象公示"
    assert body["disclosures"][0]["village"] == "石壁村"
    text = response.text
    assert "张大山" not in text and "李小梅" not in text and "4303211960" not in text
    page = await town.client.get("/public")
    assert page.status_code == 200 and "公示" in page.text


async def test_the_demo_login_sets_an_httponly_cookie_the_api_accepts(town: Town) -> None:
    client = town.client
    anonymous = await client.get("/dashboard/relief/villages", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login?next=")
    login = await client.post(
        "/login",
        content="user_id=clerk-shibi&next=/dashboard/relief/villages",
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert login.status_code == 303 and login.headers["location"] == "/dashboard/relief/villages"
    cookie = login.headers["set-cookie"]
    assert "lianxin_token=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    token = cookie.split("lianxin_token=", 1)[1].split(";", 1)[0]
    jar = {"cookie": f"lianxin_token={token}"}
    api = await client.get("/api/v1/views/relief/villages", headers=jar)
    assert api.status_code == 200
    assert {r["village"] for r in api.json()["tables"][0]["rows"]} == {"石壁村"}
    page = await client.get("/dashboard/relief/villages", headers=jar)
    assert page.status_code == 200 and "精准扶贫" in page.text
    other = await client.get("/dashboard/relief/villages?village=金霞村", headers=jar)
    assert other.status_code == 403 and "只能查看本村数据" in other.text
    unsafe = await client.post(
        "/login",
        content="user_id=secretary&next=//evil.example/",
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert unsafe.headers["location"] == "/dashboard"


async def test_an_event_that_cannot_be_folded_goes_to_the_dead_letter_topic(
    town: Town, infra: Infra
) -> None:
    f = EnvelopeFactory()
    prog = f"programme-{unique('g')}"
    bad = f.event(
        prog,
        "funds.FundsAllocated",
        {"programme_id": prog, "allocation_id": "a", "village": "石壁村", "amount": "lots"},
        on=dt.date(2016, 5, 1),
    )
    good = f.event(
        f"household-{unique('h')}",
        "relief.HouseholdVisited",
        {
            "household_id": "x",
            "visit_id": "v",
            "visitor": "刘干部",
            "notes": "",
            "visited_on": "2016-05-02",
        },
        on=dt.date(2016, 5, 2),
    )
    await publish(infra.kafka_bootstrap_servers, [bad, good], town.suffix)

    async def good_one_logged() -> Any:
        response = await town.client.get(f"/api/v1/audit/{good.stream_id}", headers=SECRETARY)
        return response.status_code == 200

    await eventually(good_one_logged, timeout=30, what="the good event after the poison one")
    assert (await town.client.get(f"/api/v1/audit/{prog}", headers=SECRETARY)).status_code == 404
    schema = (await town.client.get("/api/v1/status", headers=SECRETARY)).json()["schema"]
    letters = await read_topic(
        infra.kafka_bootstrap_servers, f"{schema}.projection.dlq", expect=1, timeout=30
    )
    reasons = {dict(r.headers)["reason"].decode() for r in letters}
    assert any("handler failed" in reason for reason in reasons), reasons


async def test_long_lists_come_a_page_at_a_time_sorted_in_sql(town: Town) -> None:
    whole = await town.view("relief/villages", size=500)
    households = next(t for t in whole["tables"] if t["name"] == "households")
    total = households["page"]["total"]
    assert total == len(households["rows"]) >= 3
    by_day = table(
        await town.view("relief/villages", size=500, sort="registered_on", desc="true"),
        "households",
    )
    days = [r["registered_on"] for r in by_day]
    assert days == sorted(days, reverse=True)
    first = next(
        t
        for t in (await town.view("relief/villages", size=2, sort="registered_on", desc="true"))[
            "tables"
        ]
        if t["name"] == "households"
    )
    assert first["page"] | {"sortable": []} == {
        "number": 1,
        "size": 2,
        "total": total,
        "pages": -(-total // 2),
        "sort": "registered_on",
        "desc": True,
        "sortable": [],
    }
    assert [r["stream_id"] for r in first["rows"]] == [r["stream_id"] for r in by_day[:2]]
    second = await town.view("relief/villages", size=2, page=2, sort="registered_on", desc="true")
    assert [r["stream_id"] for r in table(second, "households")] == [
        r["stream_id"] for r in by_day[2:4]
    ]
    # the summary tables are whole on every page
    assert table(second, "villages") == table(whole, "villages")


async def test_a_page_or_sort_the_view_does_not_have_is_refused(town: Town) -> None:
    # a name is stored encrypted (a token): the list cannot be sorted by it
    for params in (
        {"sort": "nonsense"},
        {"sort": "head_name"},
        {"size": "0"},
        {"page": "0"},
        {"size": "100000"},
    ):
        response = await town.client.get(
            "/api/v1/views/relief/villages", params=params, headers=SECRETARY
        )
        assert_problem(response, 422)


async def test_an_export_holds_every_row_of_a_long_list(town: Town) -> None:
    whole = await town.view("relief/villages", size=500)
    total = next(t for t in whole["tables"] if t["name"] == "households")["page"]["total"]
    response = await town.client.get(
        "/api/v1/views/relief/villages",
        params={"format": "csv", "table": "households", "size": "1", "sort": "last_visited_on"},
        headers=SECRETARY,
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + total
    days = [r[rows[0].index("最近走访")] for r in rows[1:]]
    visited = [d for d in days if d]
    assert days == sorted(visited) + [""] * (len(days) - len(visited))  # never visited: last
