"""`make bench`: one run of the benchmarks on this machine, written to bench/results/<date>.json.

Each figure is a rate (items per second) measured once against the real Kafka broker and
PostgreSQL server, with its ratio to the matching raw client figure, so that the cost of the
project's own layers is visible: the event store against raw asyncpg inserts, the relay against
raw aiokafka produce, the consumer base against raw aiokafka consume.

The county scenario (`projection.bench_county`) runs the projection at 1,000,000 × scale events
through its public entry points: live consume, replay, every view's p50/p99 (with and without
`as_of`, with a village filter), RSS, read models on disk, command → visible at 200 commands/s.
The scale-out group (`projection.bench_scale`) runs its consume path at 150,000 × scale events with
1, 2 and 3 projection workers, on the one broker and on a 3-broker cluster of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench.core import (
    consumer_apply,
    eventstore_append,
    eventstore_personal,
    raw_asyncpg_insert,
    raw_consume,
    raw_produce,
    relay_throughput,
    store_verify,
)
from shared.cli import run_cli

RESULTS = Path(__file__).resolve().parent / "results"


GROUPS = ("core", "projection", "county", "scale")


async def run(scale: float, only: set[str]) -> dict[str, Any]:
    bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    url = os.environ["DATABASE_URL"]
    tag = uuid.uuid4().hex[:8]
    n_kafka, n_single, n_batch = int(50_000 * scale), int(4_000 * scale), int(40_000 * scale)
    figures: dict[str, Any] = {}
    if "core" in only:
        figures.update(await core(bootstrap, url, tag, n_kafka, n_single, n_batch))
    try:
        from projection.bench import county, e2e_latency, replay_rate  # type: ignore[import-not-found]
    except ImportError:
        return figures
    if "projection" in only:
        figures["projection_replay"] = await replay_rate(int(1_000_000 * scale))
        figures["end_to_end_latency"] = await e2e_latency(
            url, bootstrap, int(300 * max(scale, 0.2))
        )
    if "county" in only:
        figures["county"] = await county(scale)
    if "scale" in only:
        from projection.bench_scale import scale_out  # type: ignore[import-not-found]

        figures["scale"] = await scale_out(scale)
    return figures


async def core(
    bootstrap: str, url: str, tag: str, n_kafka: int, n_single: int, n_batch: int
) -> dict[str, Any]:
    """The raw clients beside the project's event store, relay and consumer base."""
    figures: dict[str, Any] = {}
    produce = await raw_produce(bootstrap, f"bench-{tag}.raw", n_kafka)
    figures["raw_aiokafka_produce"] = produce
    figures["raw_aiokafka_consume"] = await raw_consume(bootstrap, f"bench-{tag}.raw", n_kafka)
    figures["raw_asyncpg_insert_single"] = await raw_asyncpg_insert(url, n_single, batch=1)
    figures["raw_asyncpg_insert_batch100"] = await raw_asyncpg_insert(url, n_batch, batch=100)
    figures["eventstore_append_single"] = await eventstore_append(url, n_single, batch=1)
    figures["eventstore_append_batch100"] = await eventstore_append(url, n_batch, batch=100)
    figures["eventstore_append_personal"] = await eventstore_personal(url, n_single)
    figures["relay_outbox_to_kafka"] = await relay_throughput(url, bootstrap, n_batch)
    figures["consumer_apply"] = await consumer_apply(url, bootstrap, n_batch)
    figures["consumer_apply_batch"] = await consumer_apply(url, bootstrap, n_batch, batch=True)
    figures["store_verify"] = await store_verify(url, bootstrap, n_batch * 5)
    ratio = lambda a, b: round(figures[a]["per_second"] / figures[b]["per_second"], 3)  # noqa: E731
    figures["eventstore_append_single"]["ratio_to_raw"] = ratio(
        "eventstore_append_single", "raw_asyncpg_insert_single"
    )
    figures["eventstore_append_batch100"]["ratio_to_raw"] = ratio(
        "eventstore_append_batch100", "raw_asyncpg_insert_batch100"
    )
    figures["eventstore_append_personal"]["ratio_to_append"] = ratio(
        "eventstore_append_personal", "eventstore_append_single"
    )
    figures["relay_outbox_to_kafka"]["ratio_to_raw"] = ratio(
        "relay_outbox_to_kafka", "raw_aiokafka_produce"
    )
    figures["consumer_apply"]["ratio_to_raw"] = ratio("consumer_apply", "raw_aiokafka_consume")
    figures["consumer_apply_batch"]["ratio_to_raw"] = ratio(
        "consumer_apply_batch", "raw_aiokafka_consume"
    )
    return figures


def print_county(county: dict[str, Any]) -> None:
    """A few lines of the county scenario's headline figures."""
    s, live, replay = county["summary"], county["live"], county["replay"]
    lat, disk = county["command_latency"], county["disk"]
    w = s["worst_view_p99_ms"]
    print(f"county scenario, {county['events']:,} events:")
    print(
        f"  live consume   {live['per_second']:>10} /s  (x{live['ratio_to_raw']} of raw"
        f" {county['raw_consume']['per_second']} /s; producer {live['producer_per_second']} /s)"
    )
    print(f"  replay         {replay['per_second']:>10} /s  (x{replay['ratio_to_raw']} of raw)")
    print(
        f"  views p99 worst: plain {w['plain']} ms, as_of {w['as_of']} ms,"
        f" village {w['village']} ms"
    )
    print(
        f"  RSS peak: live {live['rss_peak_mb']} MB, replay {replay['rss_peak_mb']} MB;"
        f" disk {disk['total_mb']} MB ({disk['event_log_bytes_per_event']} B/event log +"
        f" {disk['read_models_bytes_per_event']} B/event read models)"
    )
    print(
        f"  command → visible at {lat['rate_per_second']}/s: p50 {lat['p50_ms']} ms,"
        f" p99 {lat['p99_ms']} ms ({lat['visible']}/{lat['commands']})"
    )
    basis, whatif = county["basis"], county["whatif"]
    print(
        f"  事实依据 p50 {basis['p50_ms']} ms, p99 {basis['p99_ms']} ms"
        f" ({basis['figures']} figures);"
        f" 推演 {whatif['seconds']} s ({whatif['per_second']} events/s,"
        f" RSS {whatif['rss_peak_mb']} MB)"
    )


def print_scale(scale: dict[str, Any]) -> None:
    """The scale-out runs, one line each."""
    raw = scale["raw_consume"]
    print(
        f"scale-out, {scale['events']:,} county events, {scale['partitions_per_topic']} partitions"
        f" per topic, {scale['machine_cores']} cores:"
    )
    for r in scale["runs"]:
        print(
            f"  {r['brokers']} broker(s), {r['workers']} worker(s):"
            f" {r['consume_per_second']:>10} /s, {r['after_ready_per_second']} /s once all"
            f" are up (x{r['speedup_vs_1_worker']} of 1 worker, x{r['ratio_to_raw']} of raw"
            f" {raw[str(r['brokers'])]['per_second']} /s; RSS {r['rss_peak_mb']['total']} MB;"
            f" producer {r['producer_per_second']} /s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the Lianxin benchmarks once.")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--only",
        default=",".join(GROUPS),
        help=f"comma-separated groups to run, of {', '.join(GROUPS)} (default: all)",
    )
    args = parser.parse_args()
    only = {g.strip() for g in args.only.split(",") if g.strip()}
    if unknown := only - set(GROUPS):
        parser.error(f"unknown group(s): {', '.join(sorted(unknown))}")
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or not os.environ.get("DATABASE_URL"):
        print("set KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL (make bench does)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    figures = asyncio.run(run(args.scale, only))
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "scale": args.scale,
        "seconds": round(time.perf_counter() - started, 1),
        "figures": figures,
    }
    RESULTS.mkdir(exist_ok=True)
    out = args.out or RESULTS / f"{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    for name, figure in figures.items():
        if name == "county":
            print_county(figure)
            continue
        if name == "scale":
            print_scale(figure)
            continue
        extra = f"  (x{figure['ratio_to_raw']} of raw)" if "ratio_to_raw" in figure else ""
        print(f"{name:32s} {figure.get('per_second', ''):>12} /s{extra}  {figure.get('note', '')}")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, what="bench"))
