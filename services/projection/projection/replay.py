"""`python -m projection.replay`: rebuild every read model from offset zero into a fresh schema,
check it against the live one, and swap it in while the API keeps serving.

1. Take the end offsets of every topic (the rebuild's finish line).
2. Consume every topic from the beginning into a new generation schema `<home>_g<N+1>`, with a
   new consumer group (`<schema>.projection`), until its stored offsets reach those ends.
3. Wait (bounded) for the live consumer to reach the same offsets, then compare the read-model
   tables row by row on the events both have seen (the offset and dedupe tables are not read
   models); events the live one took after the finish line are reported, not compared.
4. If they are equal (or with `--force`, e.g. after a change of the projection's code), record
   the new schema in `projection_meta`: the API reads it from the next request on, and a running
   projection service moves its consumer there within seconds, continuing from the rebuild's
   offsets. Report events per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import start_http_server
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from projection.adapters.generations import Generations
from projection.adapters.schema import READ_MODEL_TABLES, table_columns
from projection.domain.catalogue import RULES
from projection.settings import ProjectionSettings
from projection.worker import CONSUMER, projection_runtime, stop_runtime
from shared.cli import run_cli
from shared.clock import utc_now
from shared.db import checked_schema, make_engine
from shared.logs import configure_logging
from shared.metrics import ReplayProgress
from shared.progress import Progressing
from shared.topics import ensure_topics


@dataclass
class Rebuild:
    """How a rebuild went."""

    schema: str
    records: int
    applied: int
    dead_letters: int
    seconds: float
    per_second: float
    steady_per_second: float
    end_offsets: dict[str, int] = field(default_factory=dict)


@dataclass
class Comparison:
    """Live against rebuilt, table by table, on the events both have seen."""

    equal: bool
    common_events: int
    live_only_events: int
    rebuilt_only_events: int
    differences: dict[str, dict[str, int]] = field(default_factory=dict)


async def end_offsets(bootstrap: str, topics: Sequence[str]) -> dict[TopicPartition, int]:
    """The next offset of every partition of `topics`, now."""
    await ensure_topics(bootstrap, topics)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(list(topics))
    finally:
        await admin.close()
    partitions = sorted(
        TopicPartition(t["topic"], p["partition"]) for t in described for p in t["partitions"]
    )
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
        return ends
    finally:
        await consumer.stop()


async def stored_offsets(engine: AsyncEngine, schema: str) -> dict[TopicPartition, int]:
    """The offsets the projection consumer of `schema` stored with its effects."""
    schema = checked_schema(schema)
    async with engine.connect() as conn:
        exists = (
            await conn.execute(
                text("SELECT to_regclass(:t)"), {"t": f'"{schema}".consumer_offsets'}
            )
        ).scalar_one()
        if exists is None:
            return {}
        rows = await conn.execute(
            text(
                f'SELECT topic, partition, next_offset FROM "{schema}".consumer_offsets'
                " WHERE consumer = :c"
            ),
            {"c": f"{schema}.{CONSUMER}"},
        )
        return {TopicPartition(r.topic, r.partition): int(r.next_offset) for r in rows}


def reached(stored: dict[TopicPartition, int], ends: dict[TopicPartition, int]) -> bool:
    return all(stored.get(tp, 0) >= end for tp, end in ends.items() if end > 0)


async def rebuild(
    settings: ProjectionSettings,
    engine: AsyncEngine,
    schema: str,
    *,
    topics: Sequence[str] | None = None,
    timeout: float = 3600.0,
    max_records: int = 2000,
    progress: Progressing | None = None,
    metrics: ReplayProgress | None = None,
) -> Rebuild:
    """Consume `topics` from offset zero into `schema` until the end offsets taken at start
    (records read so far shown on `progress` and set on `metrics`)."""
    topics = list(topics or settings.topic_list)
    ends = await end_offsets(settings.kafka_bootstrap_servers, topics)
    runtime, consumer = projection_runtime(
        settings, schema, RULES, topics=topics, max_records=max_records
    )
    started = time.perf_counter()
    first: tuple[float, int] | None = None
    await runtime.start()
    try:
        while not reached(stored := await stored_offsets(engine, schema), ends):
            read = sum(min(stored.get(tp, 0), end) for tp, end in ends.items())
            if progress is not None:
                progress.update(read, total=sum(ends.values()))
            if metrics is not None:
                metrics.update(read, sum(ends.values()))
            if first is None and consumer.applied:
                first = (time.perf_counter(), consumer.applied)
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"the rebuild did not reach the end offsets in {timeout}s")
            await asyncio.sleep(0.05)
        seconds = time.perf_counter() - started
        finished = time.perf_counter()
    finally:
        await stop_runtime(runtime)
    records = sum(ends.values())
    if metrics is not None:
        metrics.update(records, records)
    steady = (
        (consumer.applied - first[1]) / (finished - first[0])
        if first and finished > first[0]
        else records / seconds
    )
    return Rebuild(
        schema=schema,
        records=records,
        applied=consumer.applied,
        dead_letters=consumer.dead_letters,
        seconds=round(seconds, 3),
        per_second=round(records / seconds, 1) if seconds else 0.0,
        steady_per_second=round(steady, 1),
        end_offsets={f"{tp.topic}:{tp.partition}": end for tp, end in sorted(ends.items())},
    )


async def compare(engine: AsyncEngine, live: str, rebuilt: str) -> Comparison:
    """Compare the read-model tables of two schemas on the events both have seen."""
    live, rebuilt = checked_schema(live), checked_schema(rebuilt)
    a, b = f'"{live}"', f'"{rebuilt}"'
    differences: dict[str, dict[str, int]] = {}
    async with engine.connect() as conn:
        counts = (
            await conn.execute(
                text(
                    f"SELECT (SELECT count(*) FROM {a}.event_log l JOIN {b}.event_log r"
                    " USING (event_id)) AS common,"
                    f" (SELECT count(*) FROM {a}.event_log l WHERE NOT EXISTS"
                    f" (SELECT 1 FROM {b}.event_log r WHERE r.event_id = l.event_id)) AS live_only,"
                    f" (SELECT count(*) FROM {b}.event_log r WHERE NOT EXISTS"
                    f" (SELECT 1 FROM {a}.event_log l WHERE l.event_id = r.event_id)) AS new_only"
                )
            )
        ).one()
        common = f"SELECT event_id FROM {a}.event_log INTERSECT SELECT event_id FROM {b}.event_log"
        # An entity's rows are compared when every event of its stream is on both sides.
        apart = (
            f"SELECT stream_id FROM {a}.event_log l WHERE NOT EXISTS"
            f" (SELECT 1 FROM {b}.event_log r WHERE r.event_id = l.event_id) UNION"
            f" SELECT stream_id FROM {b}.event_log r WHERE NOT EXISTS"
            f" (SELECT 1 FROM {a}.event_log l WHERE l.event_id = r.event_id)"
        )
        for table in READ_MODEL_TABLES:
            columns = await table_columns(conn, rebuilt, table)
            cols = ", ".join(f'"{c}"' for c in columns)
            if table == "event_log":
                seen = f"event_id IN ({common})"
            elif table in ("entity_state", "entity_refs"):
                seen = f"stream_id NOT IN ({apart})"
            elif counts.live_only or counts.new_only:
                # Counts mix every stream: compared when both saw the same events.
                differences[table] = {"live_only_rows": 0, "rebuilt_only_rows": 0, "skipped": 1}
                continue
            else:
                seen = {"entity_counts": "delta <> 0", "event_counts": "n <> 0"}.get(
                    table, "value <> 0"
                )
            select_a = f"SELECT {cols} FROM {a}.{table} WHERE {seen}"
            select_b = f"SELECT {cols} FROM {b}.{table} WHERE {seen}"
            only_live = (
                await conn.execute(
                    text(f"SELECT count(*) FROM ({select_a} EXCEPT ALL {select_b}) d")
                )
            ).scalar_one()
            only_rebuilt = (
                await conn.execute(
                    text(f"SELECT count(*) FROM ({select_b} EXCEPT ALL {select_a}) d")
                )
            ).scalar_one()
            differences[table] = {
                "live_only_rows": int(only_live),
                "rebuilt_only_rows": int(only_rebuilt),
            }
    equal = all(
        not d["live_only_rows"] and not d["rebuilt_only_rows"] for d in differences.values()
    )
    return Comparison(
        equal=equal,
        common_events=int(counts.common),
        live_only_events=int(counts.live_only),
        rebuilt_only_events=int(counts.new_only),
        differences=differences,
    )


async def replay(
    settings: ProjectionSettings,
    *,
    swap: bool = True,
    force: bool = False,
    drop_old: bool = False,
    timeout: float = 3600.0,
    live_wait: float = 60.0,
    progress: Progressing | None = None,
    metrics: ReplayProgress | None = None,
) -> dict[str, Any]:
    """Rebuild, compare, swap; returns the report (also kept in `projection_replays`)."""
    engine = make_engine(settings.database_url)
    generations = Generations(engine, settings.home_schema)
    started_at = utc_now()
    try:
        await generations.migrate()
        live = await generations.current()
        schema = await generations.next_schema()
        result = await rebuild(
            settings, engine, schema, timeout=timeout, progress=progress, metrics=metrics
        )
        ends = {
            TopicPartition(k.rsplit(":", 1)[0], int(k.rsplit(":", 1)[1])): v
            for k, v in result.end_offsets.items()
        }
        live_exists = await _has_tables(engine, live)
        deadline = time.perf_counter() + live_wait
        while live_exists and not reached(await stored_offsets(engine, live), ends):
            if time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.2)
        comparison = (
            await compare(engine, live, schema)
            if live_exists
            else Comparison(True, 0, 0, result.applied, {})
        )
        swapped = swap and (comparison.equal or force)
        if swapped:
            await generations.swap(schema)
        dropped: list[str] = []
        if swapped and drop_old:
            keep = {schema, live}
            for old in await generations.existing():
                if old not in keep:
                    await generations.drop(old)
                    dropped.append(old)
        finished_at = utc_now()
        report = {
            "schema": schema,
            "previous_schema": live,
            "swapped": swapped,
            "rebuild": asdict(result),
            "comparison": asdict(comparison),
            "dropped": dropped,
            "started_at": started_at.isoformat(timespec="seconds"),
            "finished_at": finished_at.isoformat(timespec="seconds"),
            "started_at_dt": started_at,
            "finished_at_dt": finished_at,
        }
        await generations.record_replay(report)
        return {k: v for k, v in report.items() if not k.endswith("_dt")}
    finally:
        await engine.dispose()


async def _has_tables(engine: AsyncEngine, schema: str) -> bool:
    async with engine.connect() as conn:
        found = (
            await conn.execute(text("SELECT to_regclass(:t)"), {"t": f'"{schema}".event_log'})
        ).scalar_one()
        return found is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m projection.replay",
        description="Rebuild the projection's read models from offset zero and swap them in.",
    )
    parser.add_argument("--no-swap", action="store_true", help="rebuild and compare only")
    parser.add_argument(
        "--force", action="store_true", help="swap even if the rebuilt models differ"
    )
    parser.add_argument(
        "--drop-old", action="store_true", help="drop generations older than the previous one"
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds for the rebuild")
    parser.add_argument("--json", action="store_true", help="print the report as JSON only")
    parser.add_argument(
        "--metrics-port",
        type=int,
        default=0,
        help="serve the replay's progress at http://<host>:PORT/metrics while it runs (0: off)",
    )
    args = parser.parse_args(argv)
    settings = ProjectionSettings()
    configure_logging("projection-replay", "WARNING")
    metrics = ReplayProgress()
    if args.metrics_port:
        start_http_server(args.metrics_port, addr=settings.host, registry=metrics.registry)
    with Progressing("重建读模型 (replay, records read)", None) as progress:
        report = asyncio.run(
            replay(
                settings,
                swap=not args.no_swap,
                force=args.force,
                drop_old=args.drop_old,
                timeout=args.timeout,
                progress=progress,
                metrics=metrics,
            )
        )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        r, c = report["rebuild"], report["comparison"]
        print(
            f"rebuilt {r['applied']} events ({r['records']} records) into {report['schema']}"
            f" in {r['seconds']} s: {r['per_second']} events/s"
            f" ({r['steady_per_second']} /s once consuming)"
        )
        verdict = "equal" if c["equal"] else f"DIFFERENT {c['differences']}"
        print(
            f"compared with {report['previous_schema']} on {c['common_events']} common events:"
            f" {verdict}; live-only {c['live_only_events']},"
            f" rebuilt-only {c['rebuilt_only_events']}"
        )
        print("swapped in" if report["swapped"] else "not swapped")
    ok = report["comparison"]["equal"] or args.force
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(run_cli(main, what="projection replay"))
