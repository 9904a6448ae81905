"""The scale-out benchmark of `make bench` (issue 14, "Bench"): the county scenario's consume path
with 1, 2 and 3 projection workers, on one broker and on a 3-broker cluster, side by side.

For each broker count (1: the broker `make bench` gives, `KAFKA_BOOTSTRAP_SERVERS`; 3: a KRaft
cluster of its own, started with `deploy/local/kafka.sh up` on a scratch state dir and free
loopback ports, always removed at the end) and each worker count W:
1. four fresh scratch topics of 6 partitions each (on the cluster: 3 replicas, min.insync 2) get
   `county_events(n)` first, from an idempotent `acks=all` producer as the services' relay uses
   (the producer's rate is recorded);
2. then W processes start at once on a fresh scratch home schema, all in the live schema's
   consumer group: `python -m projection.main` (HTTP: readiness, `/api/v1/status`) and W - 1
   `python -m projection.worker_main`; the consume rate is n over the time from their start
   until `/api/v1/status` counts all n events (the processes' start-up included:
   `startup_seconds` says how long the HTTP process took to be ready; `after_ready_per_second`
   is the rate of what was left then, when every process is in the group: the W workers'
   steady rate, without the start-up);
3. every process's peak RSS (VmHWM, from /proc) and their total.
Once per broker count, the raw aiokafka consume rate of the same topics (one consumer, no
group) shows what the broker alone gives. Every wait is bounded, only 127.0.0.1 is contacted,
scratch schemas, topics, keys, logs and the cluster are dropped at the end, also on failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from projection.bench_county import County, RssPeak, send_county, until
from shared.topics import ensure_topics

#: Events per run at scale 1.
EVENTS = 150_000
#: Partitions of each scratch topic: enough for 3 workers to share every topic.
PARTITIONS = 6
REPO = Path(__file__).resolve().parents[3]
KAFKA_SH = REPO / "deploy" / "local" / "kafka.sh"
#: The cluster's first client port (node N: + 2*(N-1); controllers: + 1); the next free block
#: of 100 up is taken when these are busy.
CLUSTER_PORT = int(os.environ.get("LIANXIN_BENCH_CLUSTER_PORT", "47092"))


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def cluster_ports(nodes: int, first: int = CLUSTER_PORT, tries: int = 10) -> int:
    """A client port P such that P + 2*(i-1) and P + 1 + 2*(i-1) are free for every node i."""
    for base in range(first, first + 100 * tries, 100):
        if all(_port_free(base + k) for k in range(2 * nodes)):
            return base
    raise RuntimeError(f"no free ports for a {nodes}-node cluster from {first} up")


@contextlib.asynccontextmanager
async def kafka_cluster(nodes: int = 3) -> AsyncIterator[str]:
    """A KRaft cluster of `nodes` on loopback (`deploy/local/kafka.sh`, a scratch state dir);
    yields its bootstrap servers; stopped and deleted on the way out."""
    if not KAFKA_SH.exists():
        raise RuntimeError(f"{KAFKA_SH} not found")
    state = Path(tempfile.mkdtemp(prefix="lianxin-bench-cluster-"))
    port = cluster_ports(nodes)
    env = {
        **os.environ,
        "LIANXIN_STATE_DIR": str(state),
        "LIANXIN_KAFKA_BROKERS": str(nodes),
        "LIANXIN_KAFKA_PORT": str(port),
        "LIANXIN_KAFKA_CONTROLLER_PORT": str(port + 1),
    }
    # The broker's jars: those of the deployment in use when they are there (else Maven
    # fetches them, as for any new state dir); kafka.sh checks they match its pom.
    for home in (os.environ.get("LIANXIN_STATE_DIR"), str(REPO / ".local")):
        libs = Path(home or "/nonexistent") / "kafka" / "libs"
        if (libs / ".pom.sha256").exists():
            shutil.copytree(libs, state / "kafka" / "libs")
            break
    log = state / "bench-kafka.log"

    async def script(command: str, timeout: float) -> None:
        with log.open("ab") as out:
            proc = await asyncio.create_subprocess_exec(
                "bash", str(KAFKA_SH), command, env=env, stdout=out, stderr=out
            )
            try:
                code = await asyncio.wait_for(proc.wait(), timeout)
            except TimeoutError:
                proc.kill()
                await proc.wait()
                raise TimeoutError(f"kafka.sh {command}: not within {timeout:.0f} s") from None
        if code != 0:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"kafka.sh {command} exited with {code}:\n{tail}")

    try:
        await script("up", 360)
        yield ",".join(f"127.0.0.1:{port + 2 * i}" for i in range(nodes))
    finally:
        try:
            await script("clean", 180)  # down + the data
        finally:
            shutil.rmtree(state, ignore_errors=True)


async def cluster_nodes(bootstrap: str) -> int:
    """How many brokers answer behind `bootstrap`."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_cluster()
        return len(described["brokers"])
    finally:
        await admin.close()


class ScaleRun(County):
    """One (brokers, workers) run: the county's scratch names and HTTP process, plus workers."""

    def __init__(
        self, url: str, bootstrap: str, n: int, workers: int, replication: int, insync: int
    ) -> None:
        super().__init__(url, bootstrap, n)
        self.workers, self.replication, self.insync = workers, replication, insync
        # what the processes create themselves (dead letters, the key topic) is replicated alike
        self.env |= {
            "LIANXIN_TOPIC_REPLICATION": str(replication),
            "LIANXIN_TOPIC_MIN_INSYNC": str(insync),
        }
        self.worker_logs = [
            Path(f"/tmp/lianxin-bench-{self.tag}-w{i}.log") for i in range(2, workers + 1)
        ]
        self.extra: list[asyncio.subprocess.Process] = []

    async def topics_made(self) -> None:
        await ensure_topics(
            self.bootstrap,
            self.topics.values(),
            partitions=PARTITIONS,
            replication=self.replication,
            insync=self.insync,
        )
        # a cluster elects the new partitions' leaders a moment after the topics are made
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:

            async def elected() -> bool:
                described = await admin.describe_topics(list(self.topics.values()))
                return len(described) == len(self.topics) and all(
                    t["error_code"] == 0
                    and len(t["partitions"]) == PARTITIONS
                    and all(
                        p["leader"] >= 0 and len(p["isr"]) >= self.insync for p in t["partitions"]
                    )
                    for t in described
                )

            await until(elected, 60, "the scratch topics' partition leaders", 0.2)
        finally:
            await admin.close()

    async def produce(self) -> float:
        """`county_events(n)` into the topics before any worker runs; seconds taken."""
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            acks="all",
            enable_idempotence=True,
            linger_ms=20,
            max_batch_size=256 * 1024,
        )
        await producer.start()
        started = time.perf_counter()
        try:
            await send_county(producer, self.topics, self.n)
        finally:
            await producer.stop()
        return time.perf_counter() - started

    async def consume(self) -> dict[str, Any]:
        """Start every worker at once; time until the HTTP process's status counts all n."""
        started = time.perf_counter()
        for path in self.worker_logs:
            with path.open("wb") as log:
                self.extra.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-m",
                        "projection.worker_main",
                        env=self.env,
                        stdout=log,
                        stderr=log,
                    )
                )
        main_rss = await self.start(
            partitions=PARTITIONS, replication=self.replication, insync=self.insync
        )
        ready = time.perf_counter() - started
        # every process is in the group by now (the HTTP one starts last: it has the most to
        # start), so what is left is consumed by all W
        at_ready = int((await self.status())["events"])
        peaks = {"projection.main": main_rss} | {
            f"worker_main_{i}": RssPeak(p.pid) for i, p in enumerate(self.extra, start=2)
        }
        async with contextlib.AsyncExitStack() as stack:
            for peak in peaks.values():
                await stack.enter_async_context(peak.watching(hwm=True))

            async def caught_up() -> bool:
                for proc, log in zip(self.extra, self.worker_logs, strict=True):
                    if proc.returncode is not None:
                        raise RuntimeError(f"a projection worker exited; see {log}")
                return int((await self.status())["events"]) >= self.n

            await until(caught_up, max(600.0, self.n / 300), "the workers caught up", 0.5)
            seconds = time.perf_counter() - started
        rss = {name: peak.mb for name, peak in peaks.items()}
        rss["total"] = round(sum(rss.values()), 1)
        return {
            "seconds": round(seconds, 1),
            "consume_per_second": round(self.n / seconds, 1),
            "startup_seconds": round(ready, 1),
            "events_at_ready": at_ready,
            "after_ready_per_second": (
                round((self.n - at_ready) / (seconds - ready), 1)
                if at_ready < self.n and seconds > ready
                else None
            ),
            "rss_peak_mb": rss,
        }

    async def stop(self) -> None:
        try:
            for proc in self.extra:
                if proc.returncode is None:
                    proc.terminate()
            for proc in self.extra:
                try:
                    await asyncio.wait_for(proc.wait(), 30)
                except TimeoutError:
                    proc.kill()
                    await proc.wait()
        finally:
            await super().stop()

    async def clean(self) -> None:
        try:
            await super().clean()
        finally:
            for path in self.worker_logs:
                path.unlink(missing_ok=True)


async def one_run(
    url: str, bootstrap: str, n: int, brokers: int, workers: int, *, raw: bool
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """One (brokers, workers) run; with `raw`, also the raw consume rate of its topics."""
    replication = min(brokers, 3)
    run = ScaleRun(url, bootstrap, n, workers, replication, 2 if replication > 1 else 1)
    raw_figure = None
    try:
        await run.topics_made()
        produced = await run.produce()
        figure = {
            "brokers": brokers,
            "workers": workers,
            "events": n,
            **await run.consume(),
            "producer_per_second": round(n / produced, 1),
        }
        await run.stop()  # the workers off the CPU before the raw client reads
        if raw:
            raw_figure = await run.raw_consume()
    finally:
        await run.stop()
        await run.clean()
    return figure, raw_figure


async def scale_out(
    scale: float = 1.0,
    *,
    url: str | None = None,
    bootstrap: str | None = None,
    brokers: Sequence[int] = (1, 3),
    workers: Sequence[int] = (1, 2, 3),
) -> dict[str, Any]:
    """Consume rate of `EVENTS × scale` county events for every broker and worker count (see
    the module's docstring): figures["scale"] of `make bench`."""
    url = url or os.environ["DATABASE_URL"]
    bootstrap = bootstrap or os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    n = max(500, int(EVENTS * scale))
    runs: list[dict[str, Any]] = []
    raw: dict[str, Any] = {}
    nodes: dict[str, int] = {}
    for count in brokers:
        async with contextlib.AsyncExitStack() as stack:
            if count == 1:
                servers = bootstrap
            else:
                servers = await stack.enter_async_context(kafka_cluster(count))
            nodes[str(count)] = await cluster_nodes(servers)
            first: dict[str, Any] | None = None
            for w in workers:
                figure, raw_figure = await one_run(url, servers, n, count, w, raw=first is None)
                if raw_figure is not None:
                    raw[str(count)] = raw_figure
                first = first or figure
                figure["speedup_vs_1_worker"] = (
                    round(figure["consume_per_second"] / first["consume_per_second"], 2)
                    if first["workers"] == 1
                    else None
                )
                figure["ratio_to_raw"] = round(
                    figure["consume_per_second"] / raw[str(count)]["per_second"], 3
                )
                runs.append(figure)
    return {
        "events": n,
        "partitions_per_topic": PARTITIONS,
        "topics": 4,
        "runs": runs,
        "raw_consume": raw,
        "brokers_answering": nodes,
        "machine_cores": os.cpu_count(),
        "note": "county_events(n) produced first (idempotent, acks=all) to 4 scratch topics of"
        f" {PARTITIONS} partitions (on the cluster: 3 replicas, min.insync 2), then W projection"
        " processes started at once in one consumer group (python -m projection.main + W-1"
        " python -m projection.worker_main, a fresh scratch schema each run); consume rate = n"
        " over the time from their start (start-up included) until /api/v1/status counts n;"
        " after_ready_per_second = the events left once the HTTP process was ready (it starts"
        " last) over the time they took;"
        " RSS = each process's VmHWM; raw_consume = one aiokafka consumer (no group) reading the"
        " same topics, once per broker count. The 3-broker cluster runs on the same machine"
        " (machine_cores), so its brokers compete with the workers and PostgreSQL for the CPU."
        " At small scales the start-up (seconds to tens of seconds beside a local cluster)"
        " outweighs the consuming, and the worker_main processes, quicker to start, may consume"
        " all before the HTTP process is ready (after_ready_per_second None)",
    }
