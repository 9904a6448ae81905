"""`python -m shared.audit_export OUT`: the bundle for an outside auditor (审计导出包).

For each write service (`--service`, default all four), `OUT/<service>/` gets the store's events
as JSON Lines in their wire form (`events.jsonl`), its latest checkpoint with every stream's
inclusion proof (`checkpoint.json`), the exact hash specification (`hash-spec.md`) and the
standalone verifier (`lianxin_verify.py`, standard library only):
`python3 OUT/relief/lianxin_verify.py OUT/relief` checks it without this codebase. The stores are
found as `make run` lays them out: `DATABASE_URL`'s server, one database per service (or, with
`--one-database`, one schema per service in `DATABASE_URL`'s database).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from shared.db import make_engine
from shared.eventstore import EventStore
from shared.integrity.bundle import Bundle, write_bundle
from shared.settings import Settings
from shared.topics import events_topic

SERVICES = ("relief", "funds", "supervision", "party")


async def export(
    out: Path, services: list[str], database_url: str, *, one_database: bool = False
) -> list[Bundle]:
    written = []
    for service in services:
        url = database_url if one_database else f"{database_url.rsplit('/', 1)[0]}/{service}"
        engine = make_engine(url, pool_size=1)
        try:
            store = EventStore(engine, schema=service, topic=events_topic(service))
            written.append(await write_bundle(store, service, out / service))
        finally:
            await engine.dispose()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.audit_export",
        description="写出外部审计导出包 (write the bundle for an outside auditor).",
    )
    parser.add_argument("out", type=Path, help="the directory to write into")
    parser.add_argument("--service", action="append", choices=SERVICES, help="only these")
    parser.add_argument("--one-database", action="store_true", help="one schema per service")
    args = parser.parse_args(argv)
    try:
        bundles = asyncio.run(
            export(
                args.out,
                args.service or list(SERVICES),
                Settings().database_url,
                one_database=args.one_database,
            )
        )
    except (OSError, TimeoutError) as exc:
        print(f"无法连接数据库 (cannot reach the database): {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a missing database or schema: a message, not a traceback
        print(f"导出未能完成 (the export could not run): {exc}", file=sys.stderr)
        return 2
    for bundle in bundles:
        print(
            f"{bundle.path}: {bundle.events} 个事件, {bundle.streams} 个流, 检查点"
            f" {bundle.checkpoint or '无 (none)'}; python3 {bundle.path}/lianxin_verify.py"
            f" {bundle.path}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
