"""The pinned Kafka broker with aiokafka 0.14: produce, consume, commit, transactions."""

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.testing import Infra, unique
from shared.topics import ensure_topics

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


async def test_produce_consume_and_commit_a_group_offset(infra: Infra) -> None:
    topic, group = unique("broker"), unique("g")
    await ensure_topics(infra.kafka_bootstrap_servers, [topic], partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap_servers)
    await producer.start()
    try:
        for i in range(3):
            await producer.send_and_wait(topic, f"m{i}".encode())
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=infra.kafka_bootstrap_servers,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        got = []
        for _ in range(30):  # at most ~60 s
            for records in (await consumer.getmany(timeout_ms=2000)).values():
                got += [r.value for r in records]
            if len(got) >= 3:
                break
        await consumer.commit()
        committed = await consumer.committed(TopicPartition(topic, 0))
    finally:
        await consumer.stop()
    assert got == [b"m0", b"m1", b"m2"]
    assert committed == 3


async def test_a_transaction_is_seen_only_when_committed(infra: Infra) -> None:
    topic = unique("tx")
    await ensure_topics(infra.kafka_bootstrap_servers, [topic], partitions=1)
    producer = AIOKafkaProducer(
        bootstrap_servers=infra.kafka_bootstrap_servers, transactional_id=unique("txid")
    )
    await producer.start()
    try:
        async with producer.transaction():
            await producer.send(topic, b"committed")
        await producer.begin_transaction()
        await producer.send(topic, b"aborted")
        await producer.abort_transaction()
        async with producer.transaction():
            await producer.send(topic, b"after")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=infra.kafka_bootstrap_servers,
        group_id=None,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    await consumer.start()
    try:
        got: list[bytes] = []
        for _ in range(20):
            for records in (await consumer.getmany(timeout_ms=500)).values():
                got += [r.value for r in records]
            if len(got) >= 2:
                break
    finally:
        await consumer.stop()
    assert got == [b"committed", b"after"]
