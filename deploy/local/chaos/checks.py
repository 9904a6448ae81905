"""What the chaos run checks afterwards: every acknowledged command exactly once in its
service's event store, on its Kafka topic and in the projection's views; the dead-letter topics
empty; a replay of the projection equal to the live one."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import asyncpg
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from load import Command, Kind
from projection.adapters.generations import CURRENT
from system import REPO, System, say


@dataclass
class Tally:
    """Per kind: how many of the acknowledged ids were found where, and how often."""

    acknowledged: int = 0
    stored: int = 0
    on_kafka: int = 0
    in_views: int = 0
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    redelivered: int = 0  # the same event on Kafka more than once (at-least-once: allowed)


async def store_events(system: System, kind: Kind, ids: list[str]) -> dict[str, list[str]]:
    """id → the event ids of its creation event in the service's own store."""
    conn = await asyncpg.connect(system.dsn(kind.service), timeout=10)
    try:
        rows = await conn.fetch(
            f"SELECT payload->>$1 AS id, event_id::text AS event_id FROM {kind.service}.events"
            " WHERE event_type = $2 AND payload->>$1 = ANY($3::text[])",
            kind.key,
            kind.event_type,
            ids,
        )
    finally:
        await conn.close()
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        found[row["id"]].append(row["event_id"])
    return found


async def outbox_backlog(system: System, service: str) -> int:
    conn = await asyncpg.connect(system.dsn(service), timeout=10)
    try:
        return int(
            await conn.fetchval(f"SELECT count(*) FROM {service}.outbox WHERE published_at IS NULL")
        )
    finally:
        await conn.close()


async def topic_messages(system: System, topic: str) -> list[bytes]:
    """Every committed message of a topic, from offset zero to its end now."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=system.bootstrap,
        enable_auto_commit=False,
        isolation_level="read_committed",
        auto_offset_reset="earliest",
        group_id=None,
    )
    await consumer.start()
    try:
        deadline = time.monotonic() + 120
        while not (partitions := list(consumer.assignment())):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no partitions of {topic} assigned in 120 s")
            await asyncio.sleep(0.2)
        ends = await consumer.end_offsets(partitions)
        values: list[bytes] = []
        while any([await consumer.position(tp) < ends[tp] for tp in partitions]):
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end in 120 s")
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            values += [m.value for records in batch.values() for m in records if m.value]
        return values
    finally:
        await consumer.stop()


async def kafka_events(system: System, kind: Kind) -> tuple[dict[str, set[str]], int]:
    """id → the distinct event ids of its creation on the topic; and how many messages of
    those were delivered more than once."""
    found: dict[str, set[str]] = defaultdict(set)
    copies: Counter[str] = Counter()
    for value in await topic_messages(system, f"{kind.service}.events"):
        body = json.loads(value)
        if body.get("event_type") != kind.event_type:
            continue
        key = str(body.get("payload", {}).get(kind.key))
        found[key].add(body["event_id"])
        copies[body["event_id"]] += 1
    return found, sum(n - 1 for n in copies.values())


async def view_events(system: System, event_ids: list[str]) -> Counter[str]:
    """event id → rows in the live views' event log (0 or 1: it is the table's key) plus
    whether its entity has a current state row."""
    conn = await asyncpg.connect(system.dsn("projection"), timeout=10)
    try:
        live = await conn.fetchval(
            "SELECT value FROM projection.projection_meta WHERE key = $1", CURRENT
        )
        rows = await conn.fetch(
            f"SELECT l.event_id::text AS event_id FROM {live}.event_log l"
            f" JOIN {live}.entity_state s ON s.stream_id = l.stream_id"
            " AND s.valid_to = 'infinity' WHERE l.event_id = ANY($1::uuid[])",
            event_ids,
        )
    finally:
        await conn.close()
    return Counter(row["event_id"] for row in rows)


async def dead_letters(system: System) -> dict[str, int]:
    """Messages on every dead-letter topic (`*.dlq`)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=system.bootstrap)
    await admin.start()
    try:
        topics = [t for t in await admin.list_topics() if t.endswith(".dlq")]
    finally:
        await admin.close()
    return {topic: len(await topic_messages(system, topic)) for topic in sorted(topics)}


async def settle(
    system: System, kinds: list[Kind], acked: dict[str, list[str]], timeout: float
) -> float:
    """Wait until every outbox is drained and the views hold every stored creation."""
    started = time.monotonic()
    while True:
        backlog = sum([await outbox_backlog(system, s) for s in {k.service for k in kinds}])
        stored = [
            e
            for k in kinds
            for ids in (await store_events(system, k, acked[k.name])).values()
            for e in ids
        ]
        shown = await view_events(system, stored)
        if backlog == 0 and len(shown) >= len(set(stored)):
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            say(
                f"not settled after {timeout:.0f} s: outbox backlog {backlog},"
                f" in views {len(shown)} of {len(stored)}"
            )
            return time.monotonic() - started
        await asyncio.sleep(1)


async def tally(system: System, kinds: list[Kind], commands: list[Command]) -> dict[str, Tally]:
    out: dict[str, Tally] = {}
    for kind in kinds:
        ids = [c.id for c in commands if c.kind.name == kind.name and c.acked]
        t = out[kind.name] = Tally(acknowledged=len(ids))
        stored = await store_events(system, kind, ids)
        on_kafka, t.redelivered = await kafka_events(system, kind)
        views = await view_events(system, [e for events in stored.values() for e in events])
        for i in ids:
            s, k = stored.get(i, []), on_kafka.get(i, set())
            v = sum(views[e] for e in s)
            t.stored += len(s) == 1
            t.on_kafka += len(k) == 1
            t.in_views += v == 1
            if not s or not k or v == 0:
                t.lost.append(i)
            if len(s) > 1 or len(k) > 1 or v > 1:
                t.doubled.append(i)
    return out


def replay(system: System) -> dict[str, object]:
    """`python -m projection.replay --no-swap --json` on the chaos system: its comparison."""
    env = system.env | {
        "DATABASE_URL": f"postgresql+asyncpg://lianxin@127.0.0.1:{system.pg_port}/projection"
    }
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "python"), "-m", "projection.replay", "--no-swap", "--json"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        report: dict[str, object] = json.loads(done.stdout[done.stdout.index("{") :])
    except ValueError:
        return {"equal": False, "error": (done.stderr or done.stdout)[-2000:]}
    comparison = report.get("comparison")
    return comparison if isinstance(comparison, dict) else {"equal": False, "report": report}
