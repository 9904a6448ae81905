"""`python -m projection.verify` (`make verify`): verify every write service's event store and
reconcile it with its Kafka topic and with the projection, printing one report in Chinese.

It reads the stores directly (each service's database, named like the service, beside the
`DATABASE_URL` the local scripts export), so it needs the infrastructure but no running service.
Exit status 0 when clean, 1 with findings, 2 when a store or the broker cannot be read.
`--checkpoint` first records a checkpoint in every store (as the auditor `--user`).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from projection.adapters.copies import stream_heads
from projection.adapters.generations import Generations
from shared.db import make_engine
from shared.envelope import Actor
from shared.eventstore import EventStore
from shared.integrity import checkpoint
from shared.integrity.bundle import write_bundle
from shared.integrity.report import render
from shared.integrity.verify import GRACE, ServiceReport, verify_store, with_projection
from shared.retention import DEFAULT_HORIZON
from shared.settings import Settings
from shared.topics import events_topic

SERVICES = ("relief", "funds", "supervision", "party")


@dataclass(frozen=True, slots=True)
class Source:
    """Where one service's store is: its database, schema and Kafka topic."""

    service: str
    database_url: str
    schema: str
    topic: str


def database_url(base: str, database: str) -> str:
    """`base` with its database name replaced (as deploy/local/services.sh does)."""
    return f"{base.rsplit('/', 1)[0]}/{database}"


async def verify_all(
    sources: list[Source],
    *,
    kafka: str,
    projection_url: str | None,
    projection_home: str = "projection",
    town: str | None = None,
    grace: dt.timedelta = GRACE,
    record_as: Actor | None = None,
    bundles: Path | None = None,
    outbox_kept: dt.timedelta = DEFAULT_HORIZON,
) -> list[ServiceReport]:
    """Each service's report, reconciled with the projection's copy when `projection_url`."""
    copies: dict[str, dict[str, tuple[int, str]]] | None = None
    if projection_url is not None:
        engine = make_engine(projection_url, pool_size=1)
        try:
            schema = await Generations(engine, projection_home).current()
            async with engine.connect() as conn:
                copies = await stream_heads(conn, schema)
        finally:
            await engine.dispose()
    reports = []
    for source in sources:
        engine = make_engine(source.database_url, pool_size=2)
        try:
            store = EventStore(engine, schema=source.schema, topic=source.topic)
            if record_as is not None:
                await checkpoint.migrate_checkpoints(store)
                await checkpoint.record(store, source.service, record_as, town=town or "")
            report = await verify_store(
                store, source.service, kafka=kafka, grace=grace, outbox_kept=outbox_kept
            )
            if bundles is not None:
                await write_bundle(store, source.service, bundles / source.service)
        finally:
            await engine.dispose()
        if copies is not None:
            with_projection(report, copies.get(source.service, {}), town=town, grace=grace)
        reports.append(report)
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m projection.verify",
        description="核查各服务的事件存储 (verify every write service's event store).",
    )
    parser.add_argument("--service", action="append", choices=SERVICES, help="only these")
    parser.add_argument(
        "--schema", action="append", default=[], metavar="NAME=SCHEMA", help="another schema"
    )
    parser.add_argument(
        "--topic", action="append", default=[], metavar="SERVICE=TOPIC", help="another topic"
    )
    parser.add_argument(
        "--one-database",
        action="store_true",
        help="every store in DATABASE_URL's database (by schema) instead of one per service",
    )
    parser.add_argument("--no-projection", action="store_true", help="do not compare the views")
    parser.add_argument("--grace", type=float, default=GRACE.total_seconds(), help="seconds")
    parser.add_argument("--checkpoint", action="store_true", help="record checkpoints first")
    parser.add_argument("--user", default="auditor", help="who records the checkpoints")
    parser.add_argument("--json", type=Path, help="also write the reports as JSON here")
    parser.add_argument(
        "--bundle", type=Path, help="also write each store's bundle for the standalone verifier"
    )
    args = parser.parse_args(argv)
    settings = Settings()
    schemas = _pairs(args.schema)
    topics = _pairs(args.topic)
    base = settings.database_url

    def url(name: str) -> str:
        return base if args.one_database else database_url(base, name)

    sources = [
        Source(name, url(name), schemas.get(name, name), topics.get(name, events_topic(name)))
        for name in (args.service or SERVICES)
    ]
    try:
        reports = asyncio.run(
            verify_all(
                sources,
                kafka=settings.kafka_bootstrap_servers,
                projection_url=None if args.no_projection else url("projection"),
                projection_home=schemas.get("projection", "projection"),
                town=settings.town_code,
                grace=dt.timedelta(seconds=args.grace),
                record_as=Actor(args.user, "auditor") if args.checkpoint else None,
                bundles=args.bundle,
                outbox_kept=dt.timedelta(days=settings.retention_days),
            )
        )
    except (OSError, TimeoutError) as exc:
        print(
            f"无法连接数据库或 Kafka (cannot reach the database or Kafka): {exc}", file=sys.stderr
        )
        return 2
    except Exception as exc:  # e.g. a missing database or schema: a message, not a traceback
        print(f"核查未能完成 (the check could not run): {exc}", file=sys.stderr)
        return 2
    bodies: list[dict[str, Any]] = [r.as_dict() for r in reports]
    print(render(bodies), end="")
    if args.json:
        args.json.write_text(json.dumps(bodies, ensure_ascii=False, indent=2) + "\n")
    if args.bundle:
        print(f"审计导出包 (bundles): {args.bundle}/<service>/")
    if any(r.problems for r in reports):
        return 2
    return 0 if all(r.clean for r in reports) else 1


def _pairs(items: list[str]) -> dict[str, str]:
    return dict(item.split("=", 1) for item in items if "=" in item)


if __name__ == "__main__":
    sys.exit(main())
