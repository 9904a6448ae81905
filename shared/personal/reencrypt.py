"""`python -m shared.personal.reencrypt --service relief`: the one-off migration of a store made
before crypto-shredding (个人信息加密迁移), whose events carry personal fields in plain text.

Why a re-encryption and not an upcaster: an upcaster changes what readers see, not what is
stored; the plain names and ID numbers would stay in the table, in its backups and on Kafka,
and no erasure could ever reach them. So the store is rewritten once, as a new generation:

1. with the service stopped (the events table is locked against writers for the transaction),
   every stored event's declared personal fields are encrypted with the person's key (made in
   the key table as on any append), and every stream that changed is re-sealed from its first
   changed event: new hashes, the chain intact under the new content. Events without personal
   fields keep their bytes and hashes (a stream with none is untouched).
2. every event is put in the outbox again (its wire form as it now is), so that the topic can be
   rebuilt; then, after the commit, the topic's old records (plain text among them) are deleted
   on the broker (`DeleteRecords` up to the end offsets taken before the relay runs) and the
   relay publishes the re-encrypted ones.
3. a checkpoint is recorded at the end: the previous checkpoints' roots no longer match the
   heads, and the one after the migration is the auditor's new anchor. The old hashes are not
   kept: a hash of plain content would let anyone test guesses of a name and ID number against
   it. Continuity across the migration rests on the operator's record of it (`--user`, the log
   line and the checkpoint event's actor and time).
4. readers rebuild from the rewritten topic: the projection by a replay (`make replay`); a
   service's own views of others' events (funds' view of relief's register, relief's of party's
   members) by `--reset-consumers` on that service, which clears its consumers' offsets and
   processed ids so that they re-read the topics (their handlers are idempotent upserts).

Tested in `shared/tests/integration/test_reencrypt.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass, replace
from typing import Any

import structlog
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, RecordsToDelete
from sqlalchemy import text

from shared.db import make_engine
from shared.envelope import GENESIS_HASH, Actor, Envelope
from shared.eventstore import EventStore, envelope_of
from shared.integrity import checkpoint
from shared.metrics import end_offsets
from shared.personal.keys import KeyTable
from shared.settings import Settings
from shared.topics import ensure_topics, events_topic

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Migrated:
    """What the migration did: events re-encrypted, streams re-sealed, events republished."""

    events: int
    streams: int
    republished: int
    topic_records_deleted: int


async def reencrypt(
    store: EventStore,
    keys: KeyTable,
    *,
    kafka: str | None,
    actor: Actor,
    town: str,
    service: str,
) -> Migrated:
    """Rewrite `store` with its personal fields encrypted (see the module's description)."""
    if kafka:  # the relay will publish the keys made here: their topic must be there
        await ensure_topics(kafka, [], compacted=[keys.topic])
    ends = await _end_offsets(kafka, store.topic) if kafka else {}
    changed_events = changed_streams = republished = 0
    s = f'"{store.schema}"'
    async with store.engine.begin() as conn:
        await conn.execute(text(f"LOCK TABLE {s}.events IN EXCLUSIVE MODE"))
        rows = await conn.execute(
            text(
                "SELECT global_position, event_id, stream_id, stream_version, event_type,"
                " schema_version, occurred_at, recorded_at, actor, correlation_id, causation_id,"
                f" town, payload, prev_hash, hash FROM {s}.events"
                " ORDER BY stream_id, stream_version"
            )
        )
        streams: dict[str, list[Envelope]] = {}
        for row in rows:
            env = envelope_of(row._mapping)
            streams.setdefault(env.stream_id, []).append(env)
        for stream in streams.values():
            resealed = await _resealed(conn, keys, stream)
            if resealed is None:
                continue
            changed_streams += 1
            for old, new in zip(stream, resealed, strict=True):
                if new.hash == old.hash:
                    continue
                changed_events += old.payload != new.payload
                await conn.execute(
                    text(
                        f"UPDATE {s}.events SET payload = CAST(:p AS jsonb), prev_hash = :ph,"
                        " hash = :h WHERE event_id = :e"
                    ),
                    {
                        "p": _json(new.payload),
                        "ph": new.prev_hash,
                        "h": new.hash,
                        "e": new.event_id,
                    },
                )
        if kafka:
            # the topic is rebuilt whole: every event in its current wire form, in store order
            # every old row goes, published or not: published ones still hold plain payloads
            await conn.execute(text(f"DELETE FROM {s}.outbox WHERE topic = :t"), {"t": store.topic})
            every = await conn.execute(
                text(
                    "SELECT global_position, event_id, stream_id, stream_version, event_type,"
                    " schema_version, occurred_at, recorded_at, actor, correlation_id,"
                    f" causation_id, town, payload, prev_hash, hash FROM {s}.events"
                    " ORDER BY global_position"
                )
            )
            batch = [envelope_of(row._mapping) for row in every]
            for start in range(0, len(batch), 1000):
                part = batch[start : start + 1000]
                await conn.execute(
                    text(
                        f"INSERT INTO {s}.outbox (event_id, topic, key, value)"
                        " SELECT e, :t, k, v FROM unnest(CAST(:ids AS uuid[]),"
                        " CAST(:ks AS text[]), CAST(:vs AS bytea[])) AS u(e, k, v)"
                    ),
                    {
                        "t": store.topic,
                        "ids": [e.event_id for e in part],
                        "ks": [e.stream_id for e in part],
                        "vs": [e.to_json() for e in part],
                    },
                )
            republished = len(batch)
    deleted = await _delete_records(kafka, ends) if kafka else 0
    await checkpoint.migrate_checkpoints(store)
    await checkpoint.record(store, service, actor, town=town)
    log.info(
        "personal.reencrypted",
        schema=store.schema,
        events=changed_events,
        streams=changed_streams,
        republished=republished,
        topic_records_deleted=deleted,
        by=actor.user_id,
    )
    return Migrated(changed_events, changed_streams, republished, deleted)


async def _resealed(conn: Any, keys: KeyTable, stream: list[Envelope]) -> list[Envelope] | None:
    """The stream with its personal fields encrypted and re-chained; None if nothing changes."""
    payloads = await keys.protect(conn, [(e.event_type, e.payload) for e in stream])
    if all(new == env.payload for new, env in zip(payloads, stream, strict=True)):
        return None
    out: list[Envelope] = []
    prev = GENESIS_HASH
    for env, payload in zip(stream, payloads, strict=True):
        if payload == env.payload and env.prev_hash == prev:
            out.append(env)  # unchanged content and link: the same bytes, the same hash
        else:
            out.append(replace(env, payload=payload).sealed(prev))
        prev = out[-1].hash
    return out


def _json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False)


async def _end_offsets(kafka: str, topic: str) -> dict[TopicPartition, int]:
    return {tp: last for tp, (_, last) in (await end_offsets(kafka, [topic])).items()}


async def _delete_records(kafka: str, ends: dict[TopicPartition, int]) -> int:
    """Delete the topic's records before `ends` (what was there before the migration)."""
    wanted = {tp: RecordsToDelete(before_offset=end) for tp, end in ends.items() if end > 0}
    if not wanted:
        return 0
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        await admin.delete_records(wanted, timeout_ms=30_000)
    finally:
        await admin.close()
    return sum(ends.values())


async def reset_consumers(store: EventStore) -> int:
    """Clear every consumer's offsets and processed ids in the store's schema, so that they
    re-read their topics from the start (their handlers upsert); returns the consumers reset."""
    s = f'"{store.schema}"'
    async with store.engine.begin() as conn:
        exists = await conn.execute(text("SELECT to_regclass(:t)"), {"t": f"{s}.consumer_offsets"})
        if exists.scalar_one_or_none() is None:
            return 0
        names = (
            (await conn.execute(text(f"SELECT DISTINCT consumer FROM {s}.consumer_offsets")))
            .scalars()
            .all()
        )
        await conn.execute(text(f"DELETE FROM {s}.consumer_offsets"))
        await conn.execute(text(f"DELETE FROM {s}.processed_events"))
    return len(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.personal.reencrypt",
        description="个人信息加密迁移：一次性重写旧存储 (encrypt a store's plain personal fields).",
    )
    parser.add_argument("--service", required=True, choices=("relief", "funds", "party"))
    parser.add_argument("--user", default="operator", help="who runs the migration")
    parser.add_argument("--one-database", action="store_true", help="one schema per service")
    parser.add_argument(
        "--reset-consumers",
        action="store_true",
        help="also make the service's consumers re-read their topics (its views of others')",
    )
    args = parser.parse_args(argv)
    settings = Settings()
    base = settings.database_url
    url = base if args.one_database else f"{base.rsplit('/', 1)[0]}/{args.service}"

    async def run() -> Migrated:
        engine = make_engine(url, pool_size=2)
        try:
            keys = KeyTable(args.service, args.service)
            store = EventStore(
                engine, schema=args.service, topic=events_topic(args.service), keys=keys
            )
            await store.migrate()
            done = await reencrypt(
                store,
                keys,
                kafka=settings.kafka_bootstrap_servers,
                actor=Actor(args.user, "system"),
                town=settings.town_code,
                service=args.service,
            )
            if args.reset_consumers:
                await reset_consumers(store)
            return done
        finally:
            await engine.dispose()

    try:
        done = asyncio.run(run())
    except (OSError, TimeoutError) as exc:
        print(
            f"无法连接数据库或 Kafka (cannot reach the database or Kafka): {exc}", file=sys.stderr
        )
        return 2
    except Exception as exc:  # a missing schema, a missing secret: a message, not a traceback
        print(f"迁移未能完成 (the migration could not run): {exc}", file=sys.stderr)
        return 2
    print(
        f"{args.service}: {done.events} 个事件加密, {done.streams} 个流重新封链,"
        f" {done.republished} 个事件重新发布, Kafka 旧记录 {done.topic_records_deleted} 条已删除;"
        " 投影请重放 (make replay)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
