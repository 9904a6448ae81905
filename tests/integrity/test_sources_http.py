"""The auditor's check of the sources through HTTP, on the real PostgreSQL and Kafka: relief
served by uvicorn with a store and a topic of its own, the projection asking it over HTTP and
comparing its copy. Untouched: clean. A checkpoint recorded, then the last event of a stream
deleted in relief's store: named once, seen by the checkpoint, Kafka and the projection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from projection.bootstrap import build_app as build_projection
from projection.settings import ProjectionSettings
from relief.bootstrap import build_app as build_relief
from sqlalchemy import text

from shared.kernel import make_resident_id
from shared.roles import Role
from shared.testing import (
    Infra,
    app_client,
    bearer,
    eventually,
    key_settings,
    served,
    service_settings,
    unique,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

AUDITOR = bearer(Role.AUDITOR, user_id="audit-wang")
AGRI = bearer(Role.AGRICULTURE_LEADER, user_id="agri-liu")
CLERK = bearer(Role.VILLAGE_CLERK, user_id="clerk-shibi", village="石壁村")
NOWHERE = "http://127.0.0.1:9"


@dataclass
class Sources:
    relief: httpx.AsyncClient
    projection: httpx.AsyncClient
    schema: str
    engine: Any


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sources(infra: Infra) -> AsyncIterator[Sources]:
    suffix = "." + unique("iv")
    settings = service_settings(infra, LIANXIN_TOPIC_SUFFIX=suffix, LIANXIN_CHECKPOINT_HOURS=0)
    relief_app = build_relief(settings)
    async with served(relief_app) as base:
        # the projection reads `relief.events<suffix>` and asks relief over HTTP
        projection_app = build_projection(
            ProjectionSettings(
                database_url=infra.database_url,
                kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
                **key_settings(),
                LIANXIN_DB_SCHEMA=unique("pj"),
                LIANXIN_PROJECTION_TOPICS=f"relief.events{suffix}",
                LIANXIN_RELIEF_URL=base,
                LIANXIN_FUNDS_URL=NOWHERE,
                LIANXIN_SUPERVISION_URL=NOWHERE,
                LIANXIN_PARTY_URL=NOWHERE,
            )
        )
        async with (
            httpx.AsyncClient(base_url=base) as relief,
            app_client(projection_app) as projection,
        ):
            yield Sources(relief, projection, settings.db_schema, relief_app.state.runtime.engine)


def household(seed: int) -> dict[str, Any]:
    return {
        "village": "石壁村",
        "head_name": "张建国",
        "head_id_number": make_resident_id(f"43032119680214{seed:03d}").value,
        "members": [],
        "causes": ["因病"],
        "income_per_head": "1800.50",
        "occurred_on": "2016-03-01",
    }


async def relief_report(api: Sources) -> dict[str, Any]:
    response = await api.projection.get("/api/v1/integrity", headers=AUDITOR)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return next(s for s in body["services"] if s["service"] == "relief")


async def test_the_sources_verify_clean_then_a_deleted_last_event_is_named_once(
    sources: Sources,
) -> None:
    ids = []
    for seed in (1, 2, 3):
        response = await sources.relief.post(
            "/api/v1/households", json=household(seed), headers=AGRI
        )
        assert response.status_code == 201, response.text
        ids.append(response.json())
    stream = f"household-{ids[0]['id']}"
    paired = await sources.relief.post(
        f"/api/v1/households/{ids[0]['id']}/pair",
        json={"cadre_name": "王志刚", "cadre_post": "镇干部", "occurred_on": "2016-04-01"},
        headers=AGRI,
    )
    assert paired.json()["version"] == 2, paired.text  # the stream has two events

    async def settled() -> dict[str, Any] | None:
        report = await relief_report(sources)
        copied = report["projection_streams"] == report["streams"] and report["in_flight"] == 0
        return report if copied else None

    report = await eventually(settled, timeout=60, what="the projection has relief's streams")
    assert report["clean"], report
    assert report["streams"] >= 3 and report["kafka_messages"] == report["events"]

    made = await sources.projection.post("/api/v1/integrity/checkpoints", headers=AUDITOR)
    assert made.status_code == 201, made.text
    assert made.json()["relief"]["tree_size"] == report["streams"]
    assert "error" in made.json()["funds"]  # a service that does not answer is said so

    async with sources.engine.begin() as conn:
        deleted = await conn.execute(
            text(
                f'DELETE FROM "{sources.schema}".events WHERE stream_id = :s'
                f' AND stream_version = (SELECT max(stream_version) FROM "{sources.schema}".events'
                " WHERE stream_id = :s) RETURNING stream_version"
            ),
            {"s": stream},
        )
        version = deleted.scalar_one()

    report = await relief_report(sources)
    assert [(f["stream_id"], f["kind"], f["version"]) for f in report["findings"]] == [
        (stream, "missing", version)
    ], report["findings"]
    assert set(report["findings"][0]["sources"]) == {"checkpoint", "kafka", "projection"}
    whole = (await sources.projection.get("/api/v1/integrity", headers=AUDITOR)).json()
    assert not whole["clean"]
    assert f"流 {stream}：版本 {version} 缺失" in whole["text"]


async def test_only_the_auditor_and_the_leaders_may_verify(sources: Sources) -> None:
    for client in (sources.projection, sources.relief):
        response = await client.get("/api/v1/integrity", headers=CLERK)
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        response = await client.post("/api/v1/integrity/checkpoints", headers=CLERK)
        assert response.status_code == 403


async def test_the_dashboard_page_shows_the_report_and_records_a_checkpoint(
    sources: Sources,
) -> None:
    page = await sources.projection.get("/dashboard/integrity", headers=AUDITOR)
    assert page.status_code == 200, page.text
    assert "存储核查" in page.text and 'data-service="relief"' in page.text
    assert "无法核查" in page.text  # funds, supervision and party do not answer here

    made = await sources.projection.post("/dashboard/integrity/checkpoints", headers=AUDITOR)
    assert made.status_code == 303
    assert "relief" in made.headers["location"]
    after = await sources.projection.get(made.headers["location"], headers=AUDITOR)
    assert "已记录检查点" in after.text

    refused = await sources.projection.get("/dashboard/integrity", headers=CLERK)
    assert refused.status_code == 403
