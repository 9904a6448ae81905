"""Projection workers in one consumer group: two processes share the topics' partitions; one
arrives while the other runs (a rebalance), then one is killed mid-batch (SIGKILL) and the other
takes its partitions. Every event is applied once and the read models and views equal a
single-worker rebuild of the same topics."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from projection.bootstrap import build_app
from projection.replay import compare, end_offsets, stored_offsets
from projection.synthetic.county import county_events
from projection.views.registry import SPECS
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.roles import Role
from shared.testing import Infra, app_client, bearer, eventually, unique

from .support import publish, settings_env, settings_for

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

N = 12_000
SECRETARY = bearer(Role.TOWN_SECRETARY)


async def _applied(engine: AsyncEngine, schema: str) -> int:
    async with engine.connect() as conn:
        try:
            return int(
                (
                    await conn.execute(text(f'SELECT count(*) FROM "{schema}".event_log'))
                ).scalar_one()
            )
        except Exception:  # the schema is not migrated yet
            return 0


def _assignments(log: Path) -> list[set[str]]:
    """The partitions a worker was given, one set per (re)assignment, from its JSON log."""
    found: list[set[str]] = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") == "consumer.assigned":
            found.append(set(entry["partitions"]))
    return found


async def _views(settings: Any) -> dict[str, Any]:
    app = build_app(settings, consume=False)
    async with app_client(app) as client:
        return {
            spec.name: (await client.get(f"/api/v1/views/{spec.name}", headers=SECRETARY)).json()
            for spec in SPECS
        }


async def test_two_workers_share_partitions_survive_a_kill_and_equal_one_worker(
    infra: Infra, engine: AsyncEngine, tmp_path: Path
) -> None:
    suffix = "." + unique("w")
    envelopes = list(county_events(N, seed=5))
    # the first part now, the rest once both workers share the partitions
    first_part = N // 3
    await publish(infra.kafka_bootstrap_servers, envelopes[:first_part], suffix)
    group = settings_for(infra, suffix)
    data = f"{group.home_schema}_g1"
    env = settings_env(group) | {"LOG_LEVEL": "INFO", "LIANXIN_DEV": "1"}
    logs = {name: tmp_path / f"{name}.log" for name in ("a", "b")}

    def start(name: str) -> subprocess.Popen[bytes]:
        out = logs[name].open("w")
        return subprocess.Popen(
            [sys.executable, "-m", "projection.worker_main"], env=env, stdout=out, stderr=out
        )

    a = start("a")
    b: subprocess.Popen[bytes] | None = None
    try:

        async def partly(low: int) -> bool:
            return low < await _applied(engine, data) < N

        await eventually(lambda: partly(0), timeout=60, interval=0.01, what="worker a applying")
        b = start("b")  # arrives: the group rebalances, b gets some of a's partitions

        async def both_assigned() -> bool:
            return len(_assignments(logs["a"])) >= 2 and bool(_assignments(logs["b"]))

        await eventually(both_assigned, timeout=60, interval=0.05, what="the rebalance")
        shared_at = await _applied(engine, data)
        await publish(infra.kafka_bootstrap_servers, envelopes[first_part:], suffix)
        await eventually(lambda: partly(shared_at), timeout=60, interval=0.01, what="both apply")
        os.kill(a.pid, signal.SIGKILL)  # mid-batch: a batch of up to 2,000 is being applied
        a.wait(10)
        killed_at = await _applied(engine, data)
        a_had = _assignments(logs["a"])[-1]
        b_had = _assignments(logs["b"])[-1]
        assert a_had and b_had and not a_had & b_had  # the partitions were shared out

        async def all_applied() -> bool:
            return await _applied(engine, data) == N

        await eventually(all_applied, timeout=180, interval=0.2, what="b taking a's partitions")
        assert killed_at < N
        assert a_had <= _assignments(logs["b"])[-1]  # b took over a's partitions
    finally:
        for p in (a, b):
            if p is not None and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                p.wait(30)

    # every partition's stored offset reached its end: nothing skipped
    ends = await end_offsets(infra.kafka_bootstrap_servers, group.topic_list)
    stored = await stored_offsets(engine, data)
    assert {tp: stored.get(tp, 0) for tp in ends} == ends

    # one worker, from offset zero, into a schema of its own
    single = settings_for(infra, suffix)
    app = build_app(single)
    async with app_client(app) as client:

        async def rebuilt() -> bool:
            status = (await client.get("/api/v1/status", headers=SECRETARY)).json()
            return bool(status["events"] == N)

        await eventually(rebuilt, timeout=180, what="the single-worker rebuild")
    comparison = await compare(engine, data, f"{single.home_schema}_g1")
    assert comparison.equal, comparison
    assert comparison.common_events == N
    assert comparison.live_only_events == comparison.rebuilt_only_events == 0
    assert await _views(group) == await _views(single)
