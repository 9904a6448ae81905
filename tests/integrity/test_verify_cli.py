"""`make verify` (`python -m projection.verify`) as an auditor runs it, on the real PostgreSQL
and Kafka, on a store in a test schema with a topic of its own: untouched, it reports clean
and exits 0; after five kinds of tampering it names each exactly once and exits 1."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from shared.envelope import Actor
from shared.eventstore import CommandContext, EventStore
from shared.integrity import checkpoint
from shared.kernel import Event, event_type
from shared.testing import Infra, drain_outbox, insert_envelope

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]

CTX = CommandContext(
    actor=Actor("clerk-1", "village_clerk"), town="430321100", correlation_id=uuid.uuid4()
)
VERIFIER = Path(__file__).resolve().parents[2] / "contracts" / "verifier" / "lianxin_verify.py"
STREAMS = {"household-a": 4, "household-b": 3, "household-c": 3, "household-d": 2, "visit-e": 2}


@event_type("clitest.Noted")
@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class Noted(Event):
    """Something was noted (a stand-in for any service's event)."""

    n: int
    note: str = "走访记录"


def verify(
    infra: Infra, store: EventStore, *extra: str, grace: str = "0"
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": infra.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap_servers,
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "projection.verify",
            "--service",
            "relief",
            "--one-database",
            "--schema",
            f"relief={store.schema}",
            "--topic",
            f"relief={store.topic}",
            "--no-projection",
            "--grace",
            grace,
            *extra,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_make_verify_reports_clean_then_names_each_tampering_once(
    store: EventStore, infra: Infra, tmp_path: Path
) -> None:
    await checkpoint.migrate_checkpoints(store)
    for stream, n in STREAMS.items():
        await store.append(stream, 0, [Noted(n=i) for i in range(1, n + 1)], CTX)
    await drain_outbox(store, infra.kafka_bootstrap_servers)

    # the checkpoint is in flight until a relay publishes it: the default grace allows for that
    recorded = verify(infra, store, "--checkpoint", grace="30")
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    await drain_outbox(store, infra.kafka_bootstrap_servers)  # as the relay would

    clean = verify(infra, store, "--bundle", str(tmp_path))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "结论：完好" in clean.stdout
    assert "检查点 #1" in clean.stdout and f"已证明 {len(STREAMS)} 个" in clean.stdout
    assert (tmp_path / "relief" / "events.jsonl").read_text().count("\n") == sum(
        STREAMS.values()
    ) + 1
    assert (tmp_path / "relief" / "checkpoint.json").exists()
    # the bundle proves every stream against the checkpoint with the standard library alone
    outside = subprocess.run(
        [sys.executable, "-I", str(VERIFIER), str(tmp_path / "relief")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert outside.returncode == 0, outside.stdout + outside.stderr

    e2 = (await store.read_stream("visit-e"))[-1]
    async with store.engine.begin() as conn:
        s = f'"{store.schema}".events'
        await conn.execute(
            text(
                f"UPDATE {s} SET payload = jsonb_set(payload, '{{note}}', '\"改过\"')"
                " WHERE stream_id = 'household-a' AND stream_version = 3"
            )
        )
        await conn.execute(
            text(f"DELETE FROM {s} WHERE stream_id = 'household-b' AND stream_version = 2")
        )
        await conn.execute(
            text(f"DELETE FROM {s} WHERE stream_id = 'household-c' AND stream_version = 3")
        )
        await conn.execute(text(f"DELETE FROM {s} WHERE stream_id = 'household-d'"))
    forged = dataclasses.replace(
        e2, event_id=uuid.uuid4(), stream_version=3, payload={"n": 3, "note": "伪造"}
    )
    await insert_envelope(store, forged.sealed(e2.hash))

    tampered = verify(infra, store)

    assert tampered.returncode == 1, tampered.stdout + tampered.stderr
    lines = [line.strip() for line in tampered.stdout.splitlines() if line.startswith("  - ")]
    assert len(lines) == 5, tampered.stdout
    expected = {
        "household-a：版本 3 内容被篡改",
        "household-b：版本 2 缺失",
        "household-c：版本 3 缺失",
        "household-d：整个流被删除",
        "visit-e：版本 3 伪造插入",
    }
    for part in expected:
        assert sum(part in line for line in lines) == 1, (part, lines)
    assert "结论：共 5 处问题" in tampered.stdout


async def test_a_store_that_cannot_be_reached_is_a_message_not_a_traceback() -> None:
    env = {**os.environ, "DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:9/none"}
    done = subprocess.run(
        [sys.executable, "-m", "projection.verify", "--no-projection", "--service", "relief"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "无法" in done.stderr or "未能" in done.stderr
