"""The pinned Kafka broker with aiokafka 0.14: produce, consume, commit, transactions."""

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

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


async def retention(bootstrap: str, topic: str) -> str:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [response] = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    finally:
        await admin.close()
    [resource] = response.resources
    return next(str(value) for name, value, *_ in resource[4] if name == "retention.ms")


async def test_topics_keep_their_messages_for_ever_also_those_made_before(infra: Infra) -> None:
    bootstrap = infra.kafka_bootstrap_servers
    new, old = f"{unique('keep')}.events", f"{unique('old')}.events"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:  # a topic made with the broker's default (seven days), as before this rule
        await admin.create_topics([NewTopic(old, 1, replication_factor=1)])
    finally:
        await admin.close()
    assert await retention(bootstrap, old) != "-1"

    await ensure_topics(bootstrap, [new, old])

    assert await retention(bootstrap, new) == "-1"
    assert await retention(bootstrap, old) == "-1"
