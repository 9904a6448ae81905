"""The county scenario of `make bench`: the projection at a county's size, through its public
entry points only (a `python -m projection.main` process, its HTTP API, `python -m
projection.replay`), so that it keeps measuring whatever the storage underneath becomes.

1. `county_events(n)` (all four services, every village, 2016–2020) produced to four scratch
   topics while a projection process on a scratch home schema consumes them: the live consume
   rate, beside the producer's rate and the raw aiokafka consume rate of the same topics.
2. Every view over HTTP (town secretary): p50/p99 without `as_of`, with `as_of` at three days,
   with a village filter.
3. The read models' size on disk (`event_log` apart), bytes per event.
4. Command → visible: relief commands appended through `EventStore` + `OutboxRelay` at 200/s
   for 60 s (× scale below 1), each timed until the projection has it (every command, read from
   the live schema; a sample also until its audit trail answers over HTTP).
5. `python -m projection.replay --no-swap` as a subprocess: rebuild rate, beside raw consume.
Beside 2, 事实依据: listing the basis of the overview's and relief/villages' figures; before 5,
推演: the 2016 poverty line raised, replayed by the projection process into its scratch
generation, timed until done.
The projection processes' RSS (VmRSS peak, from /proc) is sampled during 1, 4, 推演 and 5.
Every wait is bounded; scratch schemas and topics are dropped at the end; only 127.0.0.1 is
contacted.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import text

from projection.synthetic import EnvelopeFactory, county_events, household_registered
from projection.views.registry import SPECS
from shared.auth import TokenIssuer
from shared.db import make_engine
from shared.eventstore import EventStore
from shared.progress import Progressing
from shared.relay import OutboxRelay, idempotent_producer
from shared.roles import Principal, Role
from shared.topics import ensure_topics

SERVICES = ("relief", "funds", "supervision", "party")
AS_OF = ("2016-12-31", "2018-06-30", "2020-06-30")
VILLAGE = "石壁村"


def pct(values: Iterable[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


class RssPeak:
    """Samples a process's VmRSS (and reads VmHWM) from /proc until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb, self.hwm = pid, 0, False

    def read(self, field: str = "VmRSS") -> int:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            pass
        return 0

    async def _run(self) -> None:
        while True:
            hwm = self.read("VmHWM") if self.hwm else 0
            self.peak_kb = max(self.peak_kb, self.read(), hwm)
            await asyncio.sleep(0.2)

    @contextlib.asynccontextmanager
    async def watching(self, *, hwm: bool = False) -> AsyncIterator[RssPeak]:
        """Peak RSS while inside; `hwm` also counts the process's lifetime peak (VmHWM), right
        for a phase that began with the process."""
        self.peak_kb, self.hwm = 0, hwm
        task = asyncio.create_task(self._run())
        try:
            yield self
        finally:
            task.cancel()
            self.peak_kb = max(self.peak_kb, self.read())

    @property
    def mb(self) -> float:
        return round(self.peak_kb / 1024, 1)


async def send_county(
    producer: AIOKafkaProducer, topics: Mapping[str, str], n: int
) -> dict[str, int]:
    """`county_events(n)` sent to each service's topic of `topics`, keyed by stream (at most
    5,000 in flight); how many went to each service."""
    by_service: dict[str, int] = dict.fromkeys(SERVICES, 0)
    with Progressing("基准：写入 Kafka (county: produced)", n) as sent:
        pending = []
        for env in county_events(n):
            service = env.event_type.partition(".")[0]
            by_service[service] += 1
            pending.append(
                await producer.send(topics[service], env.to_json(), key=env.stream_id.encode())
            )
            if len(pending) >= 5_000:
                await asyncio.gather(*pending)
                sent.advance(len(pending))
                pending.clear()
        await asyncio.gather(*pending)
        sent.advance(len(pending))
    return by_service


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def until(check: Any, timeout: float, what: str, every: float = 0.5) -> float:
    """Await `check()` until true; the time it took; TimeoutError naming `what`."""
    started = time.perf_counter()
    while not await check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(every)
    return time.perf_counter() - started


class County:
    """One run of the scenario: its scratch names, the projection process and its client."""

    def __init__(self, url: str, bootstrap: str, n: int) -> None:
        self.url, self.bootstrap, self.n = url, bootstrap, n
        self.tag = uuid.uuid4().hex[:10]
        self.home = f"bench_{self.tag}"
        self.topics = {s: f"bench-{self.tag}.{s}.events" for s in SERVICES}
        # an issuer of its own: the projection under test trusts only this run's public key
        issuer = TokenIssuer.generate()
        self.keys = Path(f"/tmp/lianxin-bench-{self.tag}-keys")
        public_key = issuer.write_public_key(self.keys / "token_verify.pem")
        self.port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "LIANXIN_TOKEN_PUBLIC_KEY_FILE": str(public_key),
            "LIANXIN_DB_SCHEMA": self.home,
            "LIANXIN_PROJECTION_TOPICS": ",".join(self.topics.values()),
            "LIANXIN_PROJECTION_POLL_SECONDS": "1",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "LOG_LEVEL": "WARNING",
        }
        token = issuer.issue(
            Principal("bench", "基准测试", Role.TOWN_SECRETARY),
            audience=["projection"],
            ttl=dt.timedelta(hours=6),  # a benchmark's client, not a person's session
        )
        self.http = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{self.port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(120.0),
        )
        self.log = Path(f"/tmp/lianxin-bench-{self.tag}.log")
        self.proc: asyncio.subprocess.Process | None = None

    async def start(
        self, *, partitions: int = 3, replication: int | None = None, insync: int | None = None
    ) -> RssPeak:
        """Create the scratch topics (replicas and min.insync from the environment's settings
        unless given), start the projection process, wait until it is ready."""
        await ensure_topics(
            self.bootstrap,
            self.topics.values(),
            partitions=partitions,
            replication=replication,
            insync=insync,
        )
        with self.log.open("wb") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "projection.main", env=self.env, stdout=log, stderr=log
            )

        async def ready() -> bool:
            if self.proc is not None and self.proc.returncode is not None:
                raise RuntimeError(f"the projection process exited; see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                return (await self.http.get("/health/ready")).status_code == 200
            return False

        await until(ready, 90, "projection process ready")
        assert self.proc is not None
        return RssPeak(self.proc.pid)

    async def status(self) -> dict[str, Any]:
        response = await self.http.get("/api/v1/status")
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    async def stop(self) -> None:
        await self.http.aclose()
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 30)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()

    async def clean(self) -> None:
        """Drop every scratch schema and topic of this run (and its key)."""
        shutil.rmtree(self.keys, ignore_errors=True)
        engine = make_engine(self.url)
        try:
            async with engine.begin() as conn:
                names = (
                    await conn.execute(
                        text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"),
                        {"p": f"bench%{self.tag}%"},
                    )
                ).scalars()
                for schema in list(names):
                    await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            await engine.dispose()
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            ours = [t for t in await admin.list_topics() if self.tag in t]
            if ours:
                await admin.delete_topics(ours)
        except Exception:  # scratch topics left behind are harmless
            pass
        finally:
            await admin.close()
        self.log.unlink(missing_ok=True)

    # 1. live consume ---------------------------------------------------------------------
    async def produce_live(self, rss: RssPeak) -> dict[str, Any]:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap, linger_ms=20, max_batch_size=256 * 1024, acks=1
        )
        await producer.start()
        async with rss.watching(hwm=True):
            started = time.perf_counter()
            try:
                by_service = await send_county(producer, self.topics, self.n)
            finally:
                await producer.stop()
            produced = time.perf_counter() - started

            with Progressing("基准：投影消费 (county: consumed)", self.n) as consumed:

                async def caught_up() -> bool:
                    events = int((await self.status())["events"])
                    consumed.update(events)
                    return events >= self.n

                await until(caught_up, max(600.0, self.n / 300), "live consume caught up", 1.0)
            seconds = time.perf_counter() - started
        return {
            "count": self.n,
            "seconds": round(seconds, 1),
            "per_second": round(self.n / seconds, 1),
            "producer_per_second": round(self.n / produced, 1),
            "events_by_service": by_service,
            "rss_peak_mb": rss.mb,
            "note": "county_events produced to 4 scratch topics while a projection process"
            " consumes them; time from the first send until /api/v1/status counts them all"
            " (bounded by the producer's rate when the two are close)",
        }

    async def raw_consume(self) -> dict[str, Any]:
        consumer = AIOKafkaConsumer(
            *self.topics.values(),
            bootstrap_servers=self.bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        got, started = 0, time.perf_counter()
        try:
            while got < self.n:
                if time.perf_counter() - started > 900:
                    raise TimeoutError(f"raw consume read {got}/{self.n} records in 900 s")
                batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
                got += sum(len(records) for records in batch.values())
        finally:
            await consumer.stop()
        seconds = time.perf_counter() - started
        return {"count": got, "seconds": round(seconds, 2), "per_second": round(got / seconds, 1)}

    # 2. views ----------------------------------------------------------------------------
    async def views(self, reps: int, budget: float) -> dict[str, Any]:
        """p50/p99 of every view and variant: `reps` requests each, fewer past `budget` s."""
        variants = {"plain": {}, "village": {"village": VILLAGE}}
        variants.update({f"as_of_{d}": {"as_of": d} for d in AS_OF})
        out: dict[str, Any] = {}
        for spec in SPECS:
            figures: dict[str, Any] = {}
            for label, params in variants.items():
                times, codes, started = [], set(), time.perf_counter()
                for _ in range(reps):
                    t0 = time.perf_counter()
                    try:
                        response = await self.http.get(f"/api/v1/views/{spec.name}", params=params)
                        codes.add(response.status_code)
                    except httpx.TimeoutException:
                        codes.add(0)  # timed out (120 s)
                    times.append((time.perf_counter() - t0) * 1000)
                    if time.perf_counter() - started > budget:
                        break
                figures[label] = {
                    "p50_ms": pct(times, 0.5),
                    "p99_ms": pct(times, 0.99),
                    "samples": len(times),
                    "status": sorted(codes),
                }
            out[spec.name] = figures
        return out

    async def bases(self, views: Iterable[str], most: int) -> dict[str, Any]:
        """事实依据: p50/p99 of listing the basis of the views' figures (the first page), at
        most `most` figures, each checked to list as many as it shows."""
        times: list[float] = []
        unequal = 0
        for name in views:
            view = (await self.http.get(f"/api/v1/views/{name}")).json()
            figures = [c["figure"] for c in view["cards"] if "figure" in c]
            figures += [
                f
                for t in view["tables"]
                for r in t["rows"]
                for f in (r.get("figures") or {}).values()
            ]
            for figure in figures[:most]:
                t0 = time.perf_counter()
                body = (
                    await self.http.get(f"/api/v1/basis/{name}", params={"figure": figure})
                ).json()
                times.append((time.perf_counter() - t0) * 1000)
                unequal += body["listed"] != body["count"] and not body["sums"]
        return {
            "figures": len(times),
            "p50_ms": pct(times, 0.5),
            "p99_ms": pct(times, 0.99),
            "listed_unlike_figure": unequal,
            "note": "GET /api/v1/basis/<view>?figure= for the overview's and relief/villages'"
            " figures: the view rebuilt under the same ask, the basis counted and its first page"
            " listed",
        }

    async def whatif(self, rss: RssPeak, events: int) -> dict[str, Any]:
        """推演 of the 2016 poverty line at 4,000 yuan: the whole log replayed into a scratch
        generation by the projection process, timed until it reports done, with its RSS."""
        async with rss.watching():
            started = time.perf_counter()
            answer = await self.http.post(
                "/api/v1/whatif", json={"rule": "poverty_line", "year": 2016, "line": "4000"}
            )
            answer.raise_for_status()

            async def done() -> bool:
                state = (await self.http.get("/api/v1/whatif")).json()
                return bool(state["running"] is None)

            await until(done, max(900.0, events / 500), "the what-if finished", every=1.0)
            seconds = time.perf_counter() - started
        state = (await self.http.get("/api/v1/whatif")).json()
        t0 = time.perf_counter()
        view = (await self.http.get("/api/v1/views/audit/whatif")).json()
        view_ms = (time.perf_counter() - t0) * 1000
        differing = view["tables"][0]["page"]["total"] if view["tables"] else None
        return {
            "count": events,
            "seconds": round(seconds, 1),
            "per_second": round(events / seconds, 1),
            "error": state["error"],
            "households_differing": differing,
            "view_ms": round(view_ms, 1),
            "rss_peak_mb": rss.mb,
            "note": "POST /api/v1/whatif (2016 line 4,000) until GET /api/v1/whatif reports it"
            " done: the live event log replayed in stream order through the projector into"
            " <home>_whatif, beside live consuming; then the audit/whatif view once",
        }

    # 3. disk -----------------------------------------------------------------------------
    async def disk(self, schema: str, events: int) -> dict[str, Any]:
        engine = make_engine(self.url)
        try:
            async with engine.connect() as conn:
                rows = (
                    await conn.execute(
                        text(
                            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c"
                            " JOIN pg_namespace n ON n.oid = c.relnamespace"
                            " WHERE n.nspname = :s AND c.relkind IN ('r', 'p', 'm')"
                        ),
                        {"s": schema},
                    )
                ).all()
        finally:
            await engine.dispose()
        tables = {str(name): int(size) for name, size in rows}
        log = tables.get("event_log", 0)
        others = sum(tables.values()) - log
        return {
            "schema": schema,
            "tables_bytes": dict(sorted(tables.items(), key=lambda kv: -kv[1])),
            "total_mb": round(sum(tables.values()) / 2**20, 1),
            "event_log_mb": round(log / 2**20, 1),
            "read_models_mb": round(others / 2**20, 1),
            "event_log_bytes_per_event": round(log / max(events, 1)),
            "read_models_bytes_per_event": round(others / max(events, 1)),
            "note": "pg_total_relation_size (heap + indexes + TOAST) of the live data schema",
        }

    # 4. command → visible ----------------------------------------------------------------
    async def command_latency(self, rate: float, seconds: float, rss: RssPeak) -> dict[str, Any]:
        engine = make_engine(self.url)
        store = EventStore(engine, schema=f"bench_es_{self.tag}", topic=self.topics["relief"])
        await store.migrate()
        producer = idempotent_producer(self.bootstrap)
        await producer.start()
        stop, relay_stop = asyncio.Event(), asyncio.Event()
        relay = asyncio.create_task(
            OutboxRelay(engine, producer, schema=store.schema).run(relay_stop)
        )
        live = str((await self.status())["schema"])
        f, today = EnvelopeFactory(), dt.date.today()
        sent: dict[uuid.UUID, float] = {}
        seen: dict[uuid.UUID, float] = {}
        unseen: set[uuid.UUID] = set()
        via_http: list[float] = []
        tasks: list[asyncio.Task[None]] = []

        polling: set[str] = set()

        async def audited(stream_id: str, t0: float) -> None:
            # One command a second, at most 3 at a time: the polls must not load the process
            # whose latency they measure.
            if len(polling) >= 3:
                return
            polling.add(stream_id)
            try:
                while time.perf_counter() < t0 + 30:
                    response = await self.http.get(f"/api/v1/audit/{stream_id}")
                    if response.status_code == 200:
                        via_http.append((time.perf_counter() - t0) * 1000)
                        return
                    await asyncio.sleep(0.05)
            finally:
                polling.discard(stream_id)

        async def command(i: int) -> None:
            t0 = time.perf_counter()
            hid = str(uuid.uuid4())
            first17 = f"4303211980{i // 28 % 12 + 1:02d}{i % 28 + 1:02d}{i % 1000:03d}"
            env = household_registered(f, hid, VILLAGE, f"基准户{i}", first17, today)
            async with engine.begin() as conn:
                await store.write(conn, [env])
            sent[env.event_id] = t0
            unseen.add(env.event_id)
            if i % int(rate) == 0:
                await audited(env.stream_id, t0)

        async def watch() -> None:
            query = text(f'SELECT event_id FROM "{live}".event_log WHERE event_id = ANY(:ids)')
            give_up = float("inf")
            while time.perf_counter() < give_up:
                if stop.is_set():
                    if len(seen) >= len(sent):
                        return
                    give_up = min(give_up, time.perf_counter() + 60)
                if unseen:
                    async with engine.connect() as conn:
                        found = (await conn.execute(query, {"ids": list(unseen)})).scalars().all()
                    now = time.perf_counter()
                    for event_id in found:
                        seen[event_id] = now
                        unseen.discard(event_id)
                await asyncio.sleep(0.005)

        total = max(1, int(rate * seconds))
        watcher = asyncio.create_task(watch())
        try:
            async with rss.watching():
                started = time.perf_counter()
                for i in range(total):
                    await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
                    tasks.append(asyncio.create_task(command(i)))
                offered = time.perf_counter() - started
                done, late = await asyncio.wait(tasks, timeout=120)
                for task in late:
                    task.cancel()
                stop.set()
                await watcher  # bounded: gives up 60 s after the last command
        finally:
            stop.set()
            watcher.cancel()
            relay_stop.set()
            await relay
            await producer.stop()
            await engine.dispose()
        latencies = [(seen[e] - t0) * 1000 for e, t0 in sent.items() if e in seen]
        return {
            "commands": total,
            "rate_per_second": rate,
            "offered_per_second": round(total / offered, 1),
            "rate_held": total / offered >= 0.95 * rate,
            "seconds": round(seconds, 1),
            "p50_ms": pct(latencies, 0.5),
            "p95_ms": pct(latencies, 0.95),
            "p99_ms": pct(latencies, 0.99),
            "max_ms": pct(latencies, 1.0),
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
            "visible": len(latencies),
            "failed_or_late_commands": len(late)
            + sum(1 for t in done if t.exception() is not None),
            "audit_over_http": {
                "samples": len(via_http),
                "p50_ms": pct(via_http, 0.5),
                "p99_ms": pct(via_http, 0.99),
            },
            "rss_peak_mb": rss.mb,
            "note": "relief.HouseholdRegistered commands written through EventStore (events +"
            " outbox) and published by OutboxRelay while the projection process consumes; from"
            " before the append until the event is in the live read model (one a second also until"
            " its audit trail answers over HTTP)",
        }

    # 5. replay ---------------------------------------------------------------------------
    async def replay(self, live_rss: RssPeak, events: int) -> dict[str, Any]:
        timeout = max(600.0, events / 500)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "projection.replay", "--json", "--no-swap",
            "--timeout", str(int(timeout)),
            env=self.env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        rss = RssPeak(proc.pid)
        started = time.perf_counter()
        async with rss.watching(hwm=True), live_rss.watching():
            try:
                out, err = await asyncio.wait_for(proc.communicate(), timeout + 900)
            except TimeoutError:
                proc.kill()
                await proc.wait()
                raise
        wall = time.perf_counter() - started
        if not out.strip():
            raise RuntimeError(f"projection.replay printed nothing: {err.decode()[-2000:]}")
        report = json.loads(out)
        rebuild, comparison = report["rebuild"], report["comparison"]
        return {
            "count": rebuild["applied"],
            "records": rebuild["records"],
            "seconds": rebuild["seconds"],
            "per_second": rebuild["per_second"],
            "steady_per_second": rebuild["steady_per_second"],
            "dead_letters": rebuild["dead_letters"],
            "wall_seconds_with_compare": round(wall, 1),
            "equal_to_live": comparison["equal"],
            "rss_peak_mb": rss.mb,
            "live_process_rss_peak_mb": live_rss.mb,
            "note": "python -m projection.replay --no-swap: rebuild from offset zero into a new"
            " generation, then compared with the live one (wall time includes the comparison)",
        }


TARGETS = {
    "view_p99_ms": 150,
    "view_as_of_p99_ms": 300,
    "replay_per_second": 30_000,
    "rss_mb": 500,
    "bytes_per_event": 500,
    "command_p99_ms": 250,
}


def summarise(figures: dict[str, Any]) -> dict[str, Any]:
    """The headline figures beside the targets of issue 10."""
    views: dict[str, dict[str, dict[str, Any]]] = figures.get("views", {})

    def worst_of(prefix: str) -> float | None:
        found = [
            v["p99_ms"] for spec in views.values() for k, v in spec.items() if k.startswith(prefix)
        ]
        return max(found, default=None)

    worst = {kind: worst_of(kind) for kind in ("plain", "as_of", "village")}
    disk = figures.get("disk", {})
    return {
        "worst_view_p99_ms": worst,
        "live_per_second": figures.get("live", {}).get("per_second"),
        "replay_per_second": figures.get("replay", {}).get("per_second"),
        "raw_consume_per_second": figures.get("raw_consume", {}).get("per_second"),
        "rss_peak_mb": {
            "live": figures.get("live", {}).get("rss_peak_mb"),
            "replay": figures.get("replay", {}).get("rss_peak_mb"),
        },
        "bytes_per_event": (disk.get("event_log_bytes_per_event") or 0)
        + (disk.get("read_models_bytes_per_event") or 0),
        "command_p99_ms": figures.get("command_latency", {}).get("p99_ms"),
        "basis_p99_ms": figures.get("basis", {}).get("p99_ms"),
        "whatif_seconds": figures.get("whatif", {}).get("seconds"),
        "targets": TARGETS,
    }


async def county(
    scale: float = 1.0,
    *,
    url: str | None = None,
    bootstrap: str | None = None,
    reps: int = 7,
    view_budget: float = 10.0,
) -> dict[str, Any]:
    """The county scenario at `1,000,000 × scale` events (see the module's docstring)."""
    url = url or os.environ["DATABASE_URL"]
    bootstrap = bootstrap or os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    n = max(1_000, int(1_000_000 * scale))
    run = County(url, bootstrap, n)
    figures: dict[str, Any] = {"events": n}
    try:
        rss = await run.start()
        figures["live"] = await run.produce_live(rss)
        figures["raw_consume"] = raw = await run.raw_consume()
        figures["live"]["ratio_to_raw"] = round(
            figures["live"]["per_second"] / raw["per_second"], 3
        )
        status = await run.status()
        figures["views"] = await run.views(reps, view_budget)
        figures["basis"] = await run.bases(("overview", "relief/villages"), 60)
        figures["disk"] = await run.disk(str(status["schema"]), n)
        figures["command_latency"] = await run.command_latency(
            200, max(3.0, 60 * min(scale, 1.0)), rss
        )
        figures["whatif"] = await run.whatif(rss, n)
        figures["replay"] = replay = await run.replay(rss, n)
        replay["ratio_to_raw"] = round(replay["per_second"] / raw["per_second"], 3)
        figures["projection_rss_lifetime_peak_mb"] = round(rss.read("VmHWM") / 1024, 1)
    finally:
        await run.stop()
        await run.clean()
    figures["summary"] = summarise(figures)
    return figures
