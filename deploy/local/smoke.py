"""End-to-end smoke test of the local infrastructure started by deploy/local/infra.sh.

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python deploy/local/smoke.py

Kafka: creates a throw-away topic (auto-creation is off on the local broker), produces one
message, produces one more inside a transaction (the transaction state log has a single
replica here), consumes both with read_committed, deletes the topic.
PostgreSQL: connects to every database of the project with asyncpg.
Exits non-zero on the first failure.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

DATABASES = ("lianxin", "relief", "funds", "supervision", "party", "projection")


async def check_kafka(bootstrap: str) -> None:
    topic = f"lianxin-smoke-{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        t0 = time.monotonic()
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
        await producer.start()
        try:
            await producer.send_and_wait(topic, b"plain", key=b"k")
        finally:
            await producer.stop()
        tx_producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap, transactional_id=f"{topic}-tx", enable_idempotence=True
        )
        await tx_producer.start()
        try:
            async with tx_producer.transaction():
                await tx_producer.send_and_wait(topic, b"transactional", key=b"k")
        finally:
            await tx_producer.stop()
        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=bootstrap,
            group_id=f"{topic}-group",
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            seen: list[bytes] = []
            while len(seen) < 2:
                batch = await asyncio.wait_for(consumer.getmany(timeout_ms=1000), 30)
                seen += [record.value for records in batch.values() for record in records]
            await consumer.commit()
        finally:
            await consumer.stop()
        assert seen == [b"plain", b"transactional"], seen
        print(f"kafka ok: produced and consumed {seen} in {time.monotonic() - t0:.1f}s")
    finally:
        try:
            await admin.delete_topics([topic])
        finally:
            await admin.close()


async def check_postgres(url: str) -> None:
    # asyncpg takes plain postgresql:// URLs; SQLAlchemy's +asyncpg marks the driver only.
    base = url.replace("postgresql+asyncpg://", "postgresql://").rsplit("/", 1)[0]
    for db in DATABASES:
        conn = await asyncpg.connect(f"{base}/{db}")
        try:
            version = await conn.fetchval("SHOW server_version")
            owner = await conn.fetchval(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", db
            )
            assert owner == "lianxin", (db, owner)
        finally:
            await conn.close()
    print(f"postgres ok: {len(DATABASES)} databases reachable, server {version}")


async def main() -> int:
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    url = os.environ.get("DATABASE_URL", "postgresql+asyncpg://lianxin@127.0.0.1:15432/lianxin")
    await check_postgres(url)
    await check_kafka(bootstrap)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
