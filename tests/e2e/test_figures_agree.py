"""Every figure a write service shows through its own API and the leaders' view also shows is
the same figure in both, for the same filters and "as of" day (issue 10): the five activities'
progress (relief `GET /api/v1/activities/progress`: the poor village's enterprise pairing,
households paired and visited, posts, students, clinics, medical staff) and each village's
三资 ledger, development fund and the 清零 list (funds `GET /api/v1/villages/{v}/assets`,
`/collective-economy`, `/collective-economy/zero-income-villages`) and the red flags by code
and status (`/red-flags`); supervision's ledger of the three lists (count and overdue, by
village), the petition backlog (积案), the directives' report and the clues by status
(`/items`, `/petitions`, `/directives/report`, `/clues`); party's training against the plan's
targets, the weak branches and the assessment's ranking (`/training/targets`,
`/branches/{b}/training`, `/weak-branches`, `/assessments/{period}`).

Officials record the work over HTTP in relief, funds, supervision and party (fresh schemas). The
projection is fed exactly those services' events: each service's own store is published, as
its relay does, to scratch topics of this run. (On the real topics a fresh projection would
also count every earlier run's events, while a fresh service only knows its own; the relay
path itself is covered by test_views_follow_commands.)"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from funds.bootstrap import build_app as build_funds
from party.bootstrap import build_app as build_party
from projection.bootstrap import build_app as build_projection
from projection.settings import ProjectionSettings
from relief.bootstrap import build_app as build_relief
from supervision.bootstrap import build_app as build_supervision

from shared import testing
from shared.auth import Role
from shared.envelope import Envelope
from shared.testing import (
    Infra,
    app_client,
    bearer,
    caught_up,
    eventually,
    service_settings,
    unique,
)
from shared.topics import ensure_topics

from . import casework, flagwork, partywork
from .casework import supervision_work
from .flagwork import flag_work
from .partywork import party_work
from .support import AGRICULTURE, ECONOMIC, ok, resident_id

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="secretary")
#: Days the figures are compared on; None: as things stand now.
DAYS = (dt.date(2016, 2, 29), dt.date(2016, 5, 31), dt.date(2016, 8, 31), None)
LEDGER_VILLAGES = ("石壁村", "金霞村", "梅林村")


@dataclass
class Sides:
    relief: httpx.AsyncClient
    funds: httpx.AsyncClient
    supervision: httpx.AsyncClient
    party: httpx.AsyncClient
    views: httpx.AsyncClient

    async def view(self, name: str, **params: Any) -> Any:
        query = {k: str(v) for k, v in params.items() if v is not None}
        return await ok(self.views.get(f"/api/v1/views/{name}", params=query, headers=SECRETARY))


def _on(day: str, **body: Any) -> dict[str, Any]:
    return {"occurred_on": day, **body}


async def _relief_work(relief: httpx.AsyncClient) -> None:
    """Households registered, paired and visited; the activities, with one student helped
    twice, a student of the same name in another village, and a doctor at two clinics."""
    homes = []
    for village in ("石壁村", "石壁村", "石壁村", "金霞村"):
        body = _on(
            "2016-01-15",
            village=village,
            head_name=f"户主{uuid.uuid4().hex[:4]}",
            head_id_number=resident_id(),
            causes=["因病"],
            income_per_head="1800.00",
        )
        homes.append(
            (await ok(relief.post("/api/v1/households", json=body, headers=AGRICULTURE), 201))["id"]
        )
    for home, day in ((homes[0], "2016-02-01"), (homes[1], "2016-07-01"), (homes[3], "2016-07-02")):
        body = _on(day, cadre_name="刘干部", cadre_post="镇农办")
        await ok(relief.post(f"/api/v1/households/{home}/pair", json=body, headers=AGRICULTURE))
    for home, day in ((homes[0], "2016-03-01"), (homes[0], "2016-06-01"), (homes[3], "2016-08-01")):
        body = _on(day, notes="走访")
        await ok(
            relief.post(f"/api/v1/households/{home}/visits", json=body, headers=AGRICULTURE), 201
        )

    records: list[tuple[str, dict[str, Any]]] = [
        ("enterprise-pairings", _on("2016-04-20", enterprise="湘潭某农业公司", village="石壁村")),
        ("posts", _on("2016-05-10", village="石壁村", kind="public_welfare", posts=20)),
        ("posts", _on("2016-08-01", village="金霞村", kind="employment", posts=12)),
        (
            "clinics",
            _on("2016-06-15", village="石壁村", medical_staff=["医生甲", "医生乙"], patients=80),
        ),
        (
            "clinics",
            _on("2016-08-10", village="金霞村", medical_staff=["医生乙", "护士丙"], patients=60),
        ),
    ]
    for student, village, day in (
        ("张小明", "石壁村", "2016-05-01"),
        ("张小明", "石壁村", "2016-08-20"),  # the same student, helped again
        ("李小红", "石壁村", "2016-08-21"),
        ("张小明", "金霞村", "2016-08-22"),  # another village's student of the same name
    ):
        records.append(
            ("students", _on(day, village=village, student_name=student, support="学费资助"))
        )
    for path, body in records:
        await ok(relief.post(f"/api/v1/activities/{path}", json=body, headers=AGRICULTURE), 201)


async def _funds_work(funds: httpx.AsyncClient) -> None:
    """Three villages' 三资 ledgers; 石壁村 sells an asset after the vote and the filing (its
    proceeds booked to its collective economy, which has no income record); 金霞村 records
    income; 梅林村 reports none (on the 清零 list)."""
    for village, code, value in (
        ("石壁村", "ZC-001", "80000"),
        ("石壁村", "ZY-001", "50000"),
        ("金霞村", "ZC-001", "60000"),
        ("梅林村", "ZC-001", "10000"),
    ):
        body = _on(
            "2016-03-01",
            asset_code=code,
            category="resource" if code.startswith("ZY") else "asset",
            name="村部旧仓库" if code.startswith("ZC") else "山林",
            value=value,
        )
        await ok(funds.post(f"/api/v1/villages/{village}/assets", json=body, headers=ECONOMIC), 201)
    sale = _on(
        "2016-08-01",
        method="sale",
        counterparty="湘潭某公司",
        proceeds="120000",
        vote={
            "held_on": "2016-07-10",
            "representatives": 30,
            "present": 25,
            "votes_for": 20,
            "votes_against": 3,
        },
        filing={"filed_on": "2016-07-15", "reference": "易财备〔2016〕8号"},
    )
    await ok(
        funds.post("/api/v1/villages/石壁村/assets/ZC-001/dispose", json=sale, headers=ECONOMIC)
    )
    for village, amount, source, day in (
        ("金霞村", "30000", "lease", "2016-06-01"),
        ("梅林村", "0", "none", "2016-04-01"),
    ):
        body = _on(day, year=2016, amount=amount, source=source)
        await ok(
            funds.post(
                f"/api/v1/villages/{village}/collective-income", json=body, headers=ECONOMIC
            ),
            201,
        )


async def _stored(app: FastAPI) -> list[Envelope]:
    store = app.state.runtime.store
    out: list[Envelope] = []
    # after the last position read, not a count: a rolled-back append (a reaction's conflict)
    # leaves a gap in the positions
    while batch := await store.read_all(
        after=out[-1].global_position or 0 if out else 0, limit=1000
    ):
        out += batch
    return out


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sides(infra: Infra) -> AsyncIterator[Sides]:
    relief_app = build_relief(service_settings(infra))
    funds_app = build_funds(service_settings(infra))
    supervision_app = build_supervision(service_settings(infra))
    party_app = build_party(service_settings(infra))
    async with (
        app_client(relief_app) as relief,
        app_client(funds_app) as funds,
        app_client(supervision_app) as supervision,
        app_client(party_app) as party,
    ):
        await _relief_work(relief)
        await _funds_work(funds)
        await flag_work(funds)
        await supervision_work(supervision)
        await party_work(party)
        # supervision and party also react to the real topics (every earlier run's red flags,
        # weak branches and accountability decisions): a store is what it is once they are read
        for app in (supervision_app, party_app):
            for consumer in app.state.runtime.consumers:
                await caught_up(consumer, infra.kafka_bootstrap_servers)
        suffix = "." + unique("xc")
        topics = {
            name: f"{name}.events{suffix}" for name in ("relief", "funds", "supervision", "party")
        }
        await ensure_topics(infra.kafka_bootstrap_servers, list(topics.values()), partitions=3)
        published = 0
        for name, app in (
            ("relief", relief_app),
            ("funds", funds_app),
            ("supervision", supervision_app),
            ("party", party_app),
        ):
            envelopes = await _stored(app)
            await testing.publish(infra.kafka_bootstrap_servers, topics[name], *envelopes)
            published += len(envelopes)
        settings = ProjectionSettings.from_settings(
            service_settings(infra),
            LIANXIN_PROJECTION_TOPICS=",".join(topics.values()),
            LIANXIN_PROJECTION_POLL_SECONDS=0.5,
        )
        async with app_client(build_projection(settings)) as views:

            async def all_logged() -> bool:
                status = await ok(views.get("/api/v1/status", headers=SECRETARY))
                return bool(status["events"] == published)

            await eventually(
                all_logged, timeout=60, what="every event of the run in the projection"
            )
            yield Sides(relief, funds, supervision, party, views)


def _done(card_value: str) -> int:
    """`7 / 10` → 7."""
    return int(card_value.split("/")[0])


def _cards(view: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["label"]: c for c in view["cards"]}


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0))


@pytest.mark.parametrize("day", DAYS, ids=str)
async def test_activity_progress_is_relief_s_own(sides: Sides, day: dt.date | None) -> None:
    query = {"as_of": day.isoformat()} if day else {}
    own = await ok(
        sides.relief.get("/api/v1/activities/progress", params=query, headers=AGRICULTURE)
    )
    relief = {(p["activity"], p["measure"]): p["done"] for p in own["progress"]}
    activities = _cards(await sides.view("relief/activities", as_of=day))
    villages = _cards(await sides.view("relief/villages", as_of=day))
    projected = {
        ("enterprise-pairings", "对接企业的省定贫困村"): _done(
            activities["企业联农村（省定贫困村）"]["value"]
        ),
        ("pairing", "已结对贫困户"): _done(villages["结对帮扶"]["hint"]),
        ("pairing", "已走访贫困户"): _done(villages["走访覆盖"]["hint"]),
        ("posts", "公益性岗位、就业岗位"): _done(activities["公益性岗位、就业岗位"]["value"]),
        ("students", "帮助贫困生"): _done(activities["帮助贫困生"]["value"]),
        ("clinics", "义诊场次"): _done(activities["义诊场次"]["value"]),
        ("clinics", "医务人员"): _done(activities["参与义诊医务人员"]["value"]),
    }
    assert projected == relief  # every line of relief's progress, figure by figure
    if day is None:  # the story's figures are there (not a vacuous 0 == 0)
        assert relief[("students", "帮助贫困生")] == 3
        assert relief[("clinics", "医务人员")] == 3


@pytest.mark.parametrize("day", DAYS, ids=str)
async def test_village_ledgers_and_the_zero_list_are_funds_own(
    sides: Sides, day: dt.date | None
) -> None:
    query = {"as_of": day.isoformat()} if day else {}
    town_view = await sides.view("funds/assets", as_of=day)
    town_rows = {
        r["village"]: r
        for r in next(t["rows"] for t in town_view["tables"] if t["name"] == "ledgers")
    }
    with_ledger = 0
    for village in LEDGER_VILLAGES:
        ledger = await ok(
            sides.funds.get(f"/api/v1/villages/{village}/assets", params=query, headers=ECONOMIC)
        )
        economy = await ok(
            sides.funds.get(
                f"/api/v1/villages/{village}/collective-economy", params=query, headers=ECONOMIC
            )
        )
        holdings = ledger["holdings"]
        disposed = [h["disposal"] for h in holdings if h["disposed"]]
        funds = {
            "assets": len(holdings),
            "value": sum((_money(h["value"]) for h in holdings), Decimal(0)),
            "disposals": len(disposed),
            "proceeds": sum((_money(d["proceeds"]) for d in disposed), Decimal(0)),
            "booked": _money(economy["development_fund"]),
        }
        with_ledger += bool(holdings)
        filtered = await sides.view("funds/assets", as_of=day, village=village)
        for rows in (
            [r for r in next(t["rows"] for t in filtered["tables"] if t["name"] == "ledgers")],
            [town_rows[village]] if village in town_rows else [],
        ):
            assert len(rows) == (1 if holdings else 0), f"{village}: one ledger row per village"
            for row in rows:
                projected = {
                    "assets": row["assets"],
                    "value": _money(row["value"]),
                    "disposals": row["disposals"],
                    "proceeds": _money(row["proceeds"]),
                    "booked": _money(row["booked"]),
                }
                assert projected == funds, village
    assert int(_cards(town_view)["建账村"]["value"]) == with_ledger
    assert len(town_rows) == with_ledger

    zero = await ok(
        sides.funds.get(
            "/api/v1/collective-economy/zero-income-villages", params=query, headers=ECONOMIC
        )
    )
    zero_view = _cards(await sides.view("funds/zero-villages", as_of=day))
    assert int(zero_view["清零村（仍无收入）"]["value"]) == zero["count"]
    if day is None:
        assert (with_ledger, zero["count"]) == (3, 1)


@pytest.mark.parametrize("day", flagwork.DAYS, ids=str)
async def test_red_flags_by_code_and_status_are_funds_own(
    sides: Sides, day: dt.date | None
) -> None:
    own, projected = await flagwork.red_flag_figures(sides, day)
    assert projected == own
    if day is None:  # the planted problems are there, some handled
        assert own["count"] >= 5 and own["confirmed"] == 1 and own["settled"] == 1


# -- supervision: the lists, the petition backlog, directives, clues --------------------------


@pytest.mark.parametrize("village", casework.ITEM_VILLAGES, ids=str)
@pytest.mark.parametrize("day", casework.DAYS, ids=str)
async def test_list_items_and_overdue_are_supervision_s_own(
    sides: Sides, day: dt.date | None, village: str | None
) -> None:
    own, projected = await casework.items_figures(sides, day, village)
    assert projected == own
    if day is None and village is None:
        assert own["count"] >= 8 and own["overdue"] >= 1  # the demo's ledger is there


@pytest.mark.parametrize("day", casework.DAYS, ids=str)
async def test_the_petition_backlog_is_supervision_s_own(sides: Sides, day: dt.date | None) -> None:
    own, projected = await casework.petition_figures(sides, day)
    assert projected == own
    if day == dt.date(2016, 10, 10):  # 金霞村's case resolved, not yet struck off: still 积案
        assert own["backlog"] >= 1


@pytest.mark.parametrize("day", casework.DAYS, ids=str)
async def test_the_directives_report_is_supervision_s_own(
    sides: Sides, day: dt.date | None
) -> None:
    own, projected = await casework.directive_figures(sides, day)
    assert projected == own


@pytest.mark.parametrize("day", casework.DAYS, ids=str)
async def test_clues_by_category_and_status_are_supervision_s_own(
    sides: Sides, day: dt.date | None
) -> None:
    own, projected = await casework.clue_figures(sides, day)
    assert projected == own


# -- party: training against the targets, the weak branches, the assessment -----------------


@pytest.mark.parametrize("day", partywork.DAYS, ids=str)
async def test_training_against_the_targets_is_party_s_own(
    sides: Sides, day: dt.date | None
) -> None:
    own, projected = await partywork.training_figures(sides, day)
    assert projected == own
    if day == dt.date(2016, 12, 31):  # the demo's year is there (not a vacuous 0 == 0)
        assert own["degree"] == 17 and own["entrepreneurs"] >= 50 and own["county"] >= 1


async def test_the_weak_branches_are_party_s_own(sides: Sides) -> None:
    own, projected = await partywork.weak_branch_figures(sides)
    assert projected == own
    assert own["count"] == 3


async def test_the_assessment_ranking_is_party_s_own(sides: Sides) -> None:
    own, projected = await partywork.assessment_figures(sides, "2016")
    assert projected == own
    assert len(own["designated"]) == 3
