"""pytest fixtures for the real PostgreSQL and Kafka (a plugin loaded by the root conftest).

Where they come from, in order: `KAFKA_BOOTSTRAP_SERVERS` / `DATABASE_URL` when set; else
testcontainers when a Docker engine answers; else the project's local infrastructure
(`deploy/local/infra.sh up`). Under CI a broker or database that cannot be had fails the run;
elsewhere the integration tests are skipped with the reason.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
import secrets
import shlex
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth import SERVICES, TokenIssuer, TokenVerifier
from shared.consumer import EventConsumer
from shared.db import make_engine
from shared.envelope import GENESIS_HASH, SYSTEM_ACTOR, Actor, Envelope
from shared.eventstore import EventStore
from shared.ids import uuid7
from shared.personal.secret import SECRET_ENV
from shared.relay import OutboxRelay, idempotent_producer
from shared.roles import Principal, Role
from shared.settings import YISUHE_TOWN_CODE, Settings
from shared.topics import ensure_topics
from shared.web import create_app

# One personal-data secret per test session (generated, never committed): the services started
# in-process and the ones started as processes (they inherit the environment) share it.
os.environ.setdefault(SECRET_ENV, secrets.token_hex(32))

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class Infra:
    """Where the real broker and database are."""

    kafka_bootstrap_servers: str
    database_url: str


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"integration infrastructure unavailable under CI: {reason}", pytrace=False)
    pytest.skip(f"integration infrastructure unavailable: {reason}")


def _docker_reachable() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def _from_local_infra() -> Infra:
    script = REPO / "deploy" / "local" / "infra.sh"
    done = subprocess.run(
        [str(script), "up"], capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{script} up failed: {done.stderr[-2000:] or done.stdout[-2000:]}")
    env: dict[str, str] = {}
    printed = subprocess.run([str(script), "env"], capture_output=True, text=True, check=True)
    for line in printed.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        if value:
            env[name] = shlex.split(value)[0]
    return Infra(env["KAFKA_BOOTSTRAP_SERVERS"], env["DATABASE_URL"])


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    """The real Kafka broker and PostgreSQL server for integration tests."""
    bootstrap, url = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("DATABASE_URL")
    if bootstrap and url:
        yield Infra(bootstrap, url)
        return
    if _docker_reachable():
        from testcontainers.kafka import KafkaContainer
        from testcontainers.postgres import PostgresContainer

        with KafkaContainer() as kafka, PostgresContainer("postgres:15", driver="asyncpg") as pg:
            yield Infra(kafka.get_bootstrap_server(), pg.get_connection_url())
        return
    try:
        yield _from_local_infra()
    except Exception as exc:
        _unavailable(str(exc))


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def engine(infra: Infra) -> AsyncIterator[AsyncEngine]:
    """A pooled engine on the test database."""
    eng = make_engine(infra.database_url, pool_size=10)
    yield eng
    await eng.dispose()


def unique(prefix: str = "t") -> str:
    """A fresh name for a schema, topic or group: tests use new ids instead of clean-up."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@pytest_asyncio.fixture(loop_scope="session")
async def store(engine: AsyncEngine, infra: Infra) -> EventStore:
    """A migrated event store in a fresh schema, publishing to a fresh topic."""
    name = unique("es")
    es = EventStore(engine, schema=name, topic=f"{name}.events")
    await es.migrate()
    await ensure_topics(infra.kafka_bootstrap_servers, [es.topic], partitions=3)
    return es


async def eventually(
    check: Callable[[], Awaitable[Any]],
    *,
    timeout: float = 30.0,
    interval: float = 0.1,
    what: str = "condition",
) -> Any:
    """Poll `check` until it returns a truthy value, for at most `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(interval)


async def read_topic(
    bootstrap: str, topic: str, *, expect: int, timeout: float = 60.0
) -> list[Any]:
    """Read a topic from the beginning until `expect` records arrived (or the time is up)."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(records) < expect and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for part in batch.values():
                records += part
    finally:
        await consumer.stop()
    return records


async def drain_outbox(store: EventStore, bootstrap: str) -> None:
    """Publish every unpublished outbox row of `store`, as its relay would, and return."""
    producer = idempotent_producer(bootstrap)
    await producer.start()
    try:
        relay = OutboxRelay(store.engine, producer, schema=store.schema)
        while True:
            async with store.engine.begin() as conn:
                if await relay.publish_batch(conn) == 0:
                    return
    finally:
        await producer.stop()


async def insert_envelope(store: EventStore, env: Envelope) -> None:
    """Write `env` straight into the store's table, past `append` and the outbox (a forgery,
    for the tamper-evidence tests)."""
    async with store.engine.begin() as conn:
        await conn.execute(
            text(
                f'INSERT INTO "{store.schema}".events (event_id, stream_id, stream_version,'
                " event_type, schema_version, occurred_at, recorded_at, actor, correlation_id,"
                " causation_id, town, payload, prev_hash, hash) VALUES (:id, :stream, :v, :type,"
                " :schema_version, :at, :rec, CAST(:actor AS jsonb), :corr, :cause, :town,"
                " CAST(:payload AS jsonb), :prev, :hash)"
            ),
            {
                "id": env.event_id,
                "stream": env.stream_id,
                "v": env.stream_version,
                "type": env.event_type,
                "schema_version": env.schema_version,
                "at": env.occurred_at,
                "rec": env.recorded_at,
                "actor": json.dumps(env.actor.as_dict()),
                "corr": env.correlation_id,
                "cause": env.causation_id,
                "town": env.town,
                "payload": json.dumps(env.payload, ensure_ascii=False),
                "prev": env.prev_hash,
                "hash": env.hash,
            },
        )


def free_ports(count: int = 1) -> list[int]:
    """Loopback ports nothing listens on now, distinct (all held open until all are known)."""
    with ExitStack() as held:
        socks = [held.enter_context(socket.socket()) for _ in range(count)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in socks]


@asynccontextmanager
async def router_client(router: APIRouter) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app made of `router` alone (the shared app factory, tokens of the test
    issuer trusted), that answers a crash as the app does instead of raising it."""
    app = create_app(title="t", verifier=trusting_verifier(), routers=[router])
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


@asynccontextmanager
async def served(app: FastAPI, *, timeout: float = 60.0) -> AsyncIterator[str]:
    """`app` served by uvicorn on a free loopback port (real HTTP, its lifespan running);
    yields the base URL and stops the server on leaving. A server that dies while starting
    raises what stopped it."""
    [port] = free_ports()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    deadline = asyncio.get_running_loop().time() + timeout
    while not server.started:
        if task.done():
            task.result()  # raises what stopped it
            raise RuntimeError("the service stopped during start")
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"the service did not start in {timeout:.0f} s")
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def app_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on `app` with its lifespan running (runtime started and stopped)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


#: The tests' token issuer: an Ed25519 key from a published seed, trusted only by services
#: under test (their settings name its public key, `key_files`); never by `make run`'s.
TEST_ISSUER = TokenIssuer(
    Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"lianxin-test-signing-key").digest())
)
#: The audience of the bare test apps (`create_app(..., verifier=trusting_verifier())`).
TEST_AUDIENCE = "test"
#: Test tokens live long: modules make theirs at import, and a whole run takes minutes.
TEST_TTL = dt.timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class KeyFiles:
    """Where the test issuer's key files are (written once per machine and user)."""

    private: Path
    public: Path

    @property
    def revoked(self) -> Path:
        return self.public.with_name("revoked_tokens.txt")


def key_files() -> KeyFiles:
    """The test issuer's private and public key files, in a temporary directory of this user
    (the same content every time: written aside and renamed, so concurrent runs agree)."""
    folder = Path(tempfile.gettempdir()) / f"lianxin-test-keys-{os.getuid()}"
    keys = KeyFiles(folder / "token_signing.pem", folder / "public" / "token_verify.pem")
    fresh = keys.private.exists() and keys.public.exists()
    if not fresh or keys.public.read_bytes() != TEST_ISSUER.public_pem:
        TEST_ISSUER.write_private_key(keys.private)
        TEST_ISSUER.write_public_key(keys.public)
    return keys


def trusting_verifier(audience: str = TEST_AUDIENCE) -> TokenVerifier:
    """A verifier trusting the test issuer, for `audience`."""
    return TokenVerifier(audience, key_files().public)


def signed_token(
    principal: Principal,
    *,
    audience: Iterable[str] = (*SERVICES, TEST_AUDIENCE),
    ttl: dt.timedelta = TEST_TTL,
) -> str:
    """A token from the test issuer (any role, `system` included: test helpers may)."""
    return TEST_ISSUER.issue(principal, audience=audience, ttl=ttl, allow_system=True)


def bearer(
    role: Role,
    *,
    user_id: str = "",
    village: str | None = None,
    audience: Iterable[str] = (*SERVICES, TEST_AUDIENCE),
    town: str = YISUHE_TOWN_CODE,
) -> dict[str, str]:
    """An Authorization header for a test user in `role` (scoped to `village` if given) of
    `town`, from the test issuer, for every service (or `audience`)."""
    principal = Principal(
        user_id or f"test-{role.value}", f"测试 {role.value}", role, village, town
    )
    return {"Authorization": f"Bearer {signed_token(principal, audience=audience)}"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem (application/problem+json) with `status` and a
    detail; its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"], body
    return body


async def stored_events(store: EventStore) -> int:
    """How many events people's commands stored (a refused command must not change it).
    Reactions to other services' events (actor `system`) are left out: a service under test
    keeps applying what earlier tests published on the real topics while a test runs."""
    async with store.engine.connect() as conn:
        count = await conn.execute(
            text(f"SELECT count(*) FROM \"{store.schema}\".events WHERE actor->>'role' <> 'system'")
        )
        return int(count.scalar_one())


def key_settings() -> dict[str, str]:
    """The settings (by alias) that make a service trust the test issuer; the private key for
    the projection's demo login (an issuer) and the demo loaders."""
    keys = key_files()
    return {
        "LIANXIN_TOKEN_PUBLIC_KEY_FILE": str(keys.public),
        "LIANXIN_TOKEN_PRIVATE_KEY_FILE": str(keys.private),
    }


def service_settings(infra: Infra, **overrides: Any) -> Settings:
    """Settings for a service under test: the real infrastructure, a fresh schema, contracts
    checked on every append."""
    values: dict[str, Any] = {
        "database_url": infra.database_url,
        "kafka_bootstrap_servers": infra.kafka_bootstrap_servers,
        **key_settings(),
        "LIANXIN_DB_SCHEMA": unique("svc"),
        "LIANXIN_CHECK_CONTRACTS": True,
    }
    values.update(overrides)
    return Settings(**values)


def foreign_envelope(
    event_type: str,
    stream_id: str,
    payload: dict[str, Any],
    *,
    town: str = YISUHE_TOWN_CODE,
    occurred_at: dt.datetime | None = None,
    stream_version: int = 1,
    prev_hash: str = GENESIS_HASH,
    actor: Actor = SYSTEM_ACTOR,
) -> Envelope:
    """A sealed envelope shaped as another service publishes it: a test builds the events it
    reacts to from the contracts, without importing that service."""
    when = occurred_at or dt.datetime.now(dt.UTC)
    return Envelope(
        event_id=uuid7(),
        event_type=event_type,
        schema_version=1,
        stream_id=stream_id,
        stream_version=stream_version,
        occurred_at=when,
        recorded_at=dt.datetime.now(dt.UTC),
        actor=actor,
        correlation_id=uuid.uuid4(),
        causation_id=None,
        town=town,
        payload=payload,
    ).sealed(prev_hash)


async def publish(bootstrap: str, topic: str, *envelopes: Envelope, key: str | None = None) -> None:
    """Send envelopes to a topic as the relay would (key = stream id unless given)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        for env in envelopes:
            await producer.send_and_wait(topic, env.to_json(), key=(key or env.stream_id).encode())
    finally:
        await producer.stop()


async def find_on_topic(
    bootstrap: str, topic: str, event_ids: Iterable[str | uuid.UUID], *, timeout: float = 30.0
) -> dict[str, Envelope]:
    """The envelopes with these event ids found on `topic` (read from the beginning, other
    tests' events skipped), waiting at most `timeout` seconds for all of them."""
    wanted = {str(i) for i in event_ids}
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    found: dict[str, Envelope] = {}
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while set(found) < wanted and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            for records in batch.values():
                for record in records:
                    env = Envelope.from_json(record.value)
                    if str(env.event_id) in wanted:
                        assert record.key == env.stream_id.encode(), "key must be the stream id"
                        found[str(env.event_id)] = env
    finally:
        await consumer.stop()
    return found


def named(consumers: Iterable[EventConsumer], name: str) -> EventConsumer:
    """The consumer subscribed as `name` (its group is `<schema>.<name>`) among a runtime's."""
    (found,) = [c for c in consumers if c.name.rsplit(".", 1)[-1] == name]
    return found


async def caught_up(consumer: EventConsumer, bootstrap: str, *, timeout: float = 60.0) -> None:
    """Wait until `consumer` has applied (stored offsets for) everything on its topics now:
    records on other partitions are no proof of each other, so tests wait on this instead."""
    # the partitions from the admin client: a bare consumer's `topics()` does not fill the
    # metadata `partitions_for_topic` reads, so it found none and this waited for nothing
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(list(consumer.topics))
    finally:
        await admin.close()
    partitions = [
        TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"]
    ]
    assert {tp.topic for tp in partitions} == set(consumer.topics), described
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await probe.start()
    try:
        ends = await probe.end_offsets(partitions)
    finally:
        await probe.stop()

    async def done() -> bool:
        stored = await consumer.stored_offsets(partitions)
        return all(stored.get(tp, 0) >= end for tp, end in ends.items())

    await eventually(done, timeout=timeout, what=f"{consumer.name} caught up with {ends}")
