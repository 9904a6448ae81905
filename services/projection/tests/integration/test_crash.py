"""A projection killed mid-batch (SIGKILL) and restarted shows every event exactly once: the
read models and the Kafka offsets commit in one transaction."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from projection.bootstrap import build_app
from projection.synthetic import synthetic_events
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.roles import Role
from shared.testing import Infra, app_client, bearer, eventually, unique

from .support import publish, settings_env, settings_for

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

N = 6000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _count(engine: AsyncEngine, sql: str) -> int:
    async with engine.connect() as conn:
        try:
            return int((await conn.execute(text(sql))).scalar_one())
        except Exception:  # the schema is not migrated yet
            return 0


async def test_killed_mid_batch_and_restarted_shows_every_event_once(
    infra: Infra, engine: AsyncEngine, tmp_path: Path
) -> None:
    suffix = "." + unique("k")
    envelopes = list(synthetic_events(N, seed=11))
    await publish(infra.kafka_bootstrap_servers, envelopes, suffix)
    settings = settings_for(infra, suffix)
    data = f'"{settings.home_schema}_g1"'
    env = settings_env(settings) | {"PORT": str(_free_port()), "LOG_LEVEL": "WARNING"}
    log = (tmp_path / "projection.log").open("w")

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "projection.main"], env=env, stdout=log, stderr=log
        )

    first = start()
    try:

        async def partly_applied() -> bool:
            n = await _count(engine, f"SELECT count(*) FROM {data}.event_log")
            return 0 < n < N

        await eventually(partly_applied, timeout=60, interval=0.01, what="a partial projection")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    killed_at = await _count(engine, f"SELECT count(*) FROM {data}.event_log")
    assert 0 < killed_at < N

    second = start()
    try:

        async def all_applied() -> bool:
            return await _count(engine, f"SELECT count(*) FROM {data}.event_log") == N

        await eventually(all_applied, timeout=120, interval=0.2, what="every event after restart")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)
    log.close()

    households = len({e.stream_id for e in envelopes})
    # one newest state per entity, at the newest version of its stream
    newest = Counter(e.stream_id for e in envelopes)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    f"SELECT stream_id, version, (state->>'visits')::int AS visits"
                    f" FROM {data}.entity_state WHERE valid_to = 'infinity'"
                )
            )
        ).all()
    assert {r.stream_id: r.version for r in rows} == dict(newest)
    # the state folded from the events shows each once: visits counted per household
    expected = Counter(e.stream_id for e in envelopes if e.event_type == "relief.HouseholdVisited")
    visits = {r.stream_id: r.visits or 0 for r in rows}
    assert {k: v for k, v in visits.items() if v} == dict(expected)
    app = build_app(settings, consume=False)
    async with app_client(app) as client:
        view = (
            await client.get("/api/v1/views/relief/villages", headers=bearer(Role.AUDITOR))
        ).json()
    assert view["cards"][0]["value"] == str(households)
