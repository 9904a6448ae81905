"""A county projection (`LIANXIN_PROJECTION_AREA=430321`): every view for the county is the sum
of its towns' views, figure by figure; a town filter shows one town, a town's token only its own
town (another: 403); the towns are ranked on the 14 measures; a county stream's audit trail is
its town's, its chain intact."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from httpx import AsyncClient
from projection.adapters.area import towns_of
from projection.bootstrap import build_app
from projection.synthetic.county import county_events
from projection.views.registry import SPECS

from shared.roles import Principal, Role
from shared.settings import YISUHE_TOWN_CODE
from shared.testing import Infra, app_client, eventually, signed_token, unique

from .support import publish, settings_for

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

COUNTY = "430321"
#: Views whose figures are not totals over entities or events: the ranking of towns and a
#: what-if's result (a replay's, none here).
NOT_SUMMED = {"county/towns", "audit/whatif"}
#: Figures that are not totals: a constant of the plan (14 measures) and counts of measures
#: judged from many figures (a county completes a measure when its figures do, not its towns').
NOT_TOTALS = {"overview": {"主要措施", "已完成", "逾期"}}
_NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?$")


def token(role: Role, town: str, village: str | None = None) -> dict[str, str]:
    principal = Principal(f"t-{role.value}-{town}", "测试", role, village, town=town)
    return {"Authorization": f"Bearer {signed_token(principal)}"}


def figures(view: dict[str, Any]) -> dict[str, Decimal]:
    """The view's headline figures that are counts or sums (not shares or averages)."""
    found: dict[str, Decimal] = {}
    for card in view["cards"]:
        value = str(card["value"]).strip()
        if _NUMBER.match(value) and "平均" not in card["label"] and "率" not in card["label"]:
            try:
                found[card["label"]] = Decimal(value.replace(",", ""))
            except InvalidOperation:
                continue
    return found


async def view_of(client: AsyncClient, name: str, headers: dict[str, str], **params: str) -> Any:
    response = await client.get(f"/api/v1/views/{name}", headers=headers, params=params)
    assert response.status_code == 200, (name, params, response.text[:500])
    return response.json()


async def test_county_views_are_the_sum_of_their_towns(infra: Infra) -> None:
    towns = towns_of(COUNTY)
    assert YISUHE_TOWN_CODE in towns and len(towns) >= 2, towns
    other = next(t for t in towns if t != YISUHE_TOWN_CODE)
    envelopes = [
        *county_events(2500, seed=3, town=YISUHE_TOWN_CODE),
        *county_events(1500, seed=4, town=other),
    ]
    suffix = "." + unique("c")
    await publish(infra.kafka_bootstrap_servers, envelopes, suffix)
    settings = settings_for(infra, suffix, LIANXIN_PROJECTION_AREA=COUNTY)
    county_head = token(Role.TOWN_SECRETARY, COUNTY)
    app = build_app(settings)
    async with app_client(app) as client:

        async def logged() -> bool:
            status = (await client.get("/api/v1/status", headers=county_head)).json()
            return bool(status["events"] == len(envelopes))

        await eventually(logged, timeout=120, what="the county projection logged both towns")

        compared, differ = 0, []
        for spec in SPECS:
            if spec.name in NOT_SUMMED:
                continue
            whole = figures(await view_of(client, spec.name, county_head))
            parts = [figures(await view_of(client, spec.name, county_head, town=t)) for t in towns]
            for label, value in whole.items():
                if label in NOT_TOTALS.get(spec.name, ()):
                    continue
                summed = sum((p.get(label, Decimal(0)) for p in parts), Decimal(0))
                if value != summed:
                    differ.append((spec.name, label, value, [p.get(label) for p in parts]))
                compared += 1
        assert differ == []
        assert compared > 50  # the views do carry figures

        # a town's token: its own town only, on the county projection
        yisuhe_head = token(Role.TOWN_SECRETARY, YISUHE_TOWN_CODE)
        mine = await view_of(client, "relief/villages", yisuhe_head)
        filtered = await view_of(client, "relief/villages", county_head, town=YISUHE_TOWN_CODE)
        assert mine["cards"] == filtered["cards"]
        refused = await client.get(
            "/api/v1/views/relief/villages", headers=yisuhe_head, params={"town": other}
        )
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
        other_head = token(Role.TOWN_SECRETARY, other)
        refused = await client.get(
            "/api/v1/views/overview", headers=other_head, params={"town": YISUHE_TOWN_CODE}
        )
        assert refused.status_code == 403
        unknown = await client.get(
            "/api/v1/views/overview", headers=county_head, params={"town": "430321999"}
        )
        assert unknown.status_code == 422

        # the towns ranked on the 14 measures
        ranking = await view_of(client, "county/towns", county_head)
        rows = ranking["tables"][0]["rows"]
        assert sorted(r["town"] for r in rows) == sorted(towns)
        assert [r["rank"] for r in rows] == list(range(1, len(towns) + 1))
        assert [r["average"] for r in rows] == sorted((r["average"] for r in rows), reverse=True)
        own = (await view_of(client, "county/towns", yisuhe_head))["tables"][0]["rows"]
        assert [r["town"] for r in own] == [YISUHE_TOWN_CODE]
        # each town's row is its own overview's progress
        overview = await view_of(client, "overview", county_head, town=other)
        row = next(r for r in rows if r["town"] == other)
        for measure in overview["tables"][0]["rows"]:
            assert row[f"m{measure['number']}"] == measure["progress"]

        # a county entity's audit trail is its town's, chain intact; a town's token may not
        # read another town's
        listed = await view_of(client, "relief/villages", county_head, size="500")
        stream = next(
            row["stream_id"]
            for table in listed["tables"]
            for row in table["rows"]
            if str(row.get("stream_id", "")).startswith(f"{other}:household-")
        )
        trail = await client.get(f"/api/v1/audit/{stream}", headers=county_head)
        assert trail.status_code == 200, trail.text[:300]
        body = trail.json()
        assert body["events"] and all(e["town"] == other for e in body["events"])
        assert body["chain"]["intact"] is True
        denied = await client.get(f"/api/v1/audit/{stream}", headers=yisuhe_head)
        assert denied.status_code == 403

        # a token of the county's area that is no town of this projection sees nothing
        stranger = token(Role.TOWN_SECRETARY, "430321101")
        for path in ("/api/v1/views/overview", f"/api/v1/audit/{stream}", "/api/v1/status"):
            assert (await client.get(path, headers=stranger)).status_code == 403, path
        # a town's token: its own town's counts; the county-wide pages are the county's
        own_status = (await client.get("/api/v1/status", headers=other_head)).json()
        assert own_status["events"] == 1500
        auditor = token(Role.AUDITOR, YISUHE_TOWN_CODE)
        for path in ("/api/v1/access-log", "/api/v1/replays", "/api/v1/integrity"):
            refused = await client.get(path, headers=auditor)
            assert refused.status_code == 403, path
        county_auditor = token(Role.AUDITOR, COUNTY)
        assert (await client.get("/api/v1/access-log", headers=county_auditor)).status_code == 200
        # store verification is a town's: the county's projection says where to run it
        assert (await client.get("/api/v1/integrity", headers=county_auditor)).status_code == 409
