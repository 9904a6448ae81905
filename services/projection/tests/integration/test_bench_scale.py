"""The scale-out benchmark (`projection.bench_scale`) at a tiny scale on the test broker: one and
two workers each consume every event, the figures are whole and nothing scratch is left."""

from __future__ import annotations

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from projection.bench_scale import scale_out
from sqlalchemy import text

from shared.db import make_engine
from shared.testing import Infra, eventually

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@pytest.mark.timeout(120)
async def test_scale_out_runs_one_and_two_workers_to_the_last_event(infra: Infra) -> None:
    engine = make_engine(infra.database_url)
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap_servers)
    await admin.start()
    try:
        schemas = "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench\\_%'"
        async with engine.connect() as conn:
            schemas_before = set((await conn.execute(text(schemas))).scalars())
        topics_before = {t for t in await admin.list_topics() if t.startswith("bench-")}

        figures = await scale_out(
            0.02,
            url=infra.database_url,
            bootstrap=infra.kafka_bootstrap_servers,
            brokers=(1,),
            workers=(1, 2),
        )

        n = figures["events"]
        assert n == 3_000
        assert figures["partitions_per_topic"] == 6
        assert [(r["brokers"], r["workers"]) for r in figures["runs"]] == [(1, 1), (1, 2)]
        for run in figures["runs"]:
            # the run ends only once /api/v1/status counted every event
            assert run["events"] == n
            assert run["consume_per_second"] > 0 and run["producer_per_second"] > 0
            assert run["seconds"] >= run["startup_seconds"] > 0
            assert run["consume_per_second"] == pytest.approx(n / run["seconds"], rel=0.05)
            assert 0 <= run["events_at_ready"] <= n
            if run["after_ready_per_second"] is not None:
                assert run["after_ready_per_second"] > 0
            rss = run["rss_peak_mb"]
            assert set(rss) == {"projection.main", "total"} | {
                f"worker_main_{i}" for i in range(2, run["workers"] + 1)
            }
            assert all(mb > 20 for name, mb in rss.items())  # each a real Python process
            assert rss["total"] == pytest.approx(sum(v for k, v in rss.items() if k != "total"))
        assert figures["runs"][0]["speedup_vs_1_worker"] == 1.0
        assert figures["runs"][1]["speedup_vs_1_worker"] > 0
        assert figures["raw_consume"]["1"]["count"] >= n
        assert figures["raw_consume"]["1"]["per_second"] > 0
        assert figures["brokers_answering"]["1"] >= 1

        # scratch schemas and topics dropped
        async with engine.connect() as conn:
            assert set((await conn.execute(text(schemas))).scalars()) <= schemas_before

        async def topics_gone() -> bool:  # a deletion reaches the metadata shortly after
            return {t for t in await admin.list_topics() if t.startswith("bench-")} <= topics_before

        await eventually(topics_gone, timeout=15, interval=0.2, what="scratch topics deleted")
    finally:
        await admin.close()
        await engine.dispose()
