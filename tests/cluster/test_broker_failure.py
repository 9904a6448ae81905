"""Kafka as a 3-node cluster (issue 14): a broker SIGKILLed under a bounded load of commands
loses and doubles nothing, and comes back into every partition's ISR once restarted.

The cluster and PostgreSQL are this module's own (`deploy/local/infra.sh` with
`LIANXIN_KAFKA_BROKERS=3`, state in `.local/cluster-test`, Kafka on 41092–41097, PostgreSQL on
45432), made fresh at every run and stopped afterwards; never `make run`'s nor the test
infrastructure's. Topics are made with 3 replicas and `min.insync.replicas=2`, as the
cluster's `infra.sh env` says. Relief (over HTTP) and the projection run in-process."""

from __future__ import annotations

import asyncio
import json
import os
import random
import shlex
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from projection.bootstrap import build_app as build_projection
from relief.bootstrap import build_app as build_relief
from sqlalchemy import text

from shared.db import make_engine
from shared.kernel import make_resident_id
from shared.roles import Role
from shared.testing import Infra, bearer, eventually, served, service_settings

pytestmark = [
    pytest.mark.integration,
    pytest.mark.asyncio(loop_scope="session"),
    pytest.mark.timeout(300),
]

REPO = Path(__file__).resolve().parents[2]
INFRA_SH = REPO / "deploy" / "local" / "infra.sh"
KAFKA_SH = REPO / "deploy" / "local" / "kafka.sh"
ENV = {
    "LIANXIN_STATE_DIR": str(REPO / ".local" / "cluster-test"),
    "LIANXIN_KAFKA_BROKERS": "3",
    "LIANXIN_KAFKA_PORT": "41092",
    "LIANXIN_KAFKA_CONTROLLER_PORT": "41093",
    "LIANXIN_PG_PORT": "45432",
    "LIANXIN_PG_FAST": "1",
}
#: What `infra.sh up` says when it cannot have Java or the Kafka jars (no root to install them,
#: no network for Maven): the only reasons to skip.
CANNOT_OBTAIN = ("Java 17+ is required", "Maven is required", "Maven could not fetch")

TOPIC = "relief.events"
EVENT = "relief.HouseholdRegistered"
COMMANDS = 150
SECONDS = 20.0
KILL_AT, RESTART_AT = 4.0, 10.0

AGRICULTURE = bearer(Role.AGRICULTURE_LEADER, user_id="agriculture")
SECRETARY = bearer(Role.TOWN_SECRETARY, user_id="secretary")


@dataclass(frozen=True)
class Cluster:
    infra: Infra
    env: dict[str, str]  # what infra.sh env printed

    def kafka(self, *args: str) -> str:
        done = subprocess.run(
            [str(KAFKA_SH), *args],
            env=os.environ | ENV,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, f"kafka.sh {' '.join(args)}: {done.stderr[-3000:]}"
        return done.stdout


def _infra(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(INFRA_SH), command],
        env=os.environ | ENV,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A fresh 3-node cluster and PostgreSQL, stopped (data kept for a look) on leaving."""
    _infra("clean")
    try:
        up = _infra("up")
        if up.returncode != 0:
            reason = next((r for r in CANNOT_OBTAIN if r in up.stderr), None)
            if reason:
                pytest.skip(f"no Kafka cluster here: {reason} ({up.stderr.strip()[-300:]})")
            pytest.fail(f"infra.sh up (3 brokers) failed: {up.stderr[-3000:]}", pytrace=False)
        env = {}
        for line in _infra("env").stdout.splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = shlex.split(value)[0]
        assert env["LIANXIN_TOPIC_REPLICATION"] == "3", env
        assert env["KAFKA_BOOTSTRAP_SERVERS"].count(",") == 2, env
        # the topics the services make follow the env, as under `make run BROKERS=3`
        with pytest.MonkeyPatch.context() as patch:
            for name in ("LIANXIN_TOPIC_REPLICATION", "LIANXIN_TOPIC_MIN_INSYNC"):
                patch.setenv(name, env[name])
            yield Cluster(Infra(env["KAFKA_BOOTSTRAP_SERVERS"], env["DATABASE_URL"]), env)
    finally:
        _infra("down")


@dataclass
class Town:
    relief: httpx.AsyncClient
    views: httpx.AsyncClient
    relief_schema: str


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def town(cluster: Cluster) -> AsyncIterator[Town]:
    relief_settings = service_settings(cluster.infra)
    relief_app = build_relief(relief_settings)
    projection_app = build_projection(service_settings(cluster.infra))
    async with (
        served(relief_app, timeout=120) as relief_url,
        served(projection_app, timeout=120) as views_url,
        httpx.AsyncClient(base_url=relief_url, timeout=30) as relief,
        httpx.AsyncClient(base_url=views_url, timeout=30) as views,
    ):
        yield Town(relief, views, relief_settings.db_schema)


def _household(household_id: str) -> dict[str, Any]:
    born = f"19{random.randrange(60, 86)}{random.randrange(1, 13):02d}{random.randrange(1, 29):02d}"
    return {
        "household_id": household_id,
        "occurred_on": "2016-01-15",
        "village": "石壁村",
        "head_name": f"户主{household_id[:4]}",
        "head_id_number": make_resident_id(f"430321{born}{random.randrange(1000):03d}").value,
        "causes": ["因病"],
        "income_per_head": "1800.00",
    }


async def _partitions(bootstrap: str, topics: list[str]) -> list[dict[str, Any]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    return [p | {"topic": t["topic"]} for t in described for p in t["partitions"]]


async def _topic_config(bootstrap: str, topic: str, name: str) -> str:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic, configs=None)]
        )
    finally:
        await admin.close()
    (value,) = [
        str(v) for r in described for res in r.resources for n, v, *_ in res[4] if n == name
    ]
    return value


async def _event_ids_on_topic(bootstrap: str, topic: str) -> Counter[str]:
    """Every committed event of the topic to its end now: event id → copies."""
    partitions = [
        TopicPartition(topic, p["partition"]) for p in await _partitions(bootstrap, [topic])
    ]
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        isolation_level="read_committed",
        group_id=None,
    )
    await consumer.start()
    copies: Counter[str] = Counter()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        deadline = time.monotonic() + 60
        while any([await consumer.position(tp) < ends[tp] for tp in partitions]):
            assert time.monotonic() < deadline, f"could not read {topic} to its end"
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            for records in batch.values():
                for record in records:
                    body = json.loads(record.value)
                    copies[body["event_id"]] += 1
    finally:
        await consumer.stop()
    return copies


async def _load(town: Town, cluster: Cluster, victim: int) -> tuple[list[str], list[str]]:
    """COMMANDS registrations at an even pace over SECONDS; node `victim` SIGKILLed at KILL_AT
    and started again at RESTART_AT (in a thread: the load goes on meanwhile). The ids
    acknowledged (201) and those that were not."""
    acked: list[str] = []
    refused: list[str] = []
    started = time.monotonic()

    async def chaos() -> None:
        await asyncio.sleep(KILL_AT)
        await asyncio.to_thread(cluster.kafka, "kill-node", str(victim))
        await asyncio.sleep(RESTART_AT - KILL_AT)
        await asyncio.to_thread(cluster.kafka, "start-node", str(victim))

    async def one(household_id: str) -> None:
        try:
            response = await town.relief.post(
                "/api/v1/households", json=_household(household_id), headers=AGRICULTURE
            )
        except httpx.HTTPError:
            refused.append(household_id)
            return
        (acked if response.status_code == 201 else refused).append(household_id)

    killer = asyncio.create_task(chaos())
    sent: list[asyncio.Task[None]] = []
    for n in range(COMMANDS):
        await asyncio.sleep(max(0.0, started + n * SECONDS / COMMANDS - time.monotonic()))
        sent.append(asyncio.create_task(one(str(uuid.uuid4()))))
    await asyncio.gather(*sent)
    await killer
    return acked, refused


async def test_a_killed_broker_loses_and_doubles_nothing_and_rejoins(
    cluster: Cluster, town: Town
) -> None:
    bootstrap = cluster.infra.kafka_bootstrap_servers
    assert await _topic_config(bootstrap, TOPIC, "min.insync.replicas") == "2"
    before = await _partitions(bootstrap, [TOPIC])
    assert all(len(p["replicas"]) == 3 for p in before), before
    # the leader of partition 0: its death forces a leader election under the load
    (victim,) = [p["leader"] for p in before if p["partition"] == 0]

    t0 = time.monotonic()
    acked, refused = await _load(town, cluster, victim)
    load_seconds = time.monotonic() - t0
    assert len(acked) >= COMMANDS * 0.9, f"only {len(acked)} acknowledged, {len(refused)} not"

    engine = make_engine(cluster.infra.database_url, pool_size=2)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        f"SELECT event_id::text, event_type, payload->>'household_id'"
                        f' FROM "{town.relief_schema}".events'
                    )
                )
            ).all()
        # every acknowledged command stored once, and nothing else (a registration also
        # records the head's ID number claim: two events a command)
        stored = [event_id for event_id, _, _ in rows]
        registered = Counter(household for _, kind, household in rows if kind == EVENT)
        assert sorted(registered) == sorted(acked)
        assert set(registered.values()) == {1}

        async def projected() -> bool:
            status = (await town.views.get("/api/v1/status", headers=SECRETARY)).json()
            return bool(status["events"] >= len(stored))

        await eventually(projected, timeout=120, interval=0.5, what="every event in the views")
        status = (await town.views.get("/api/v1/status", headers=SECRETARY)).json()
        live = status["schema"]
        async with engine.connect() as conn:
            logged = Counter(
                row[0]
                for row in await conn.execute(
                    text(f'SELECT event_id::text FROM "{live}".event_log')
                )
            )
            households = (
                await conn.execute(
                    text(
                        f'SELECT count(*) FROM "{live}".event_log l'
                        f' JOIN "{live}".entity_state s ON s.stream_id = l.stream_id'
                        " AND s.valid_to = 'infinity' WHERE l.event_type = :type"
                    ),
                    {"type": EVENT},
                )
            ).scalar_one()
    finally:
        await engine.dispose()
    # in the views exactly once: each stored event, and no other; one household a command
    assert status["events"] == len(stored), status
    assert sorted(logged) == sorted(stored)
    assert set(logged.values()) == {1}
    assert households == len(acked)

    on_topic = await _event_ids_on_topic(bootstrap, TOPIC)
    assert sorted(on_topic) == sorted(stored)  # the store and the topic agree one to one

    # the restarted broker is back in the ISR of every partition of the project's topics
    topics = ["relief.events", "funds.events", "supervision.events", "party.events"]

    async def rejoined() -> list[dict[str, Any]] | None:
        now = await _partitions(bootstrap, topics)
        return now if all(victim in p["isr"] and len(p["isr"]) == 3 for p in now) else None

    after = await eventually(rejoined, timeout=90, interval=1, what=f"node {victim} in every ISR")
    print(
        f"\nnode {victim} killed at {KILL_AT:.0f} s, restarted at {RESTART_AT:.0f} s;"
        f" {len(acked)} acknowledged of {COMMANDS} in {load_seconds:.1f} s; events: {len(stored)}"
        f" stored, {len(on_topic)} on Kafka ({sum(on_topic.values()) - len(on_topic)} copies"
        f" more), {len(logged)} in the views; {households} households shown;"
        f" {len(after)} partitions with 3 in sync"
    )
