"""Kafka's copy of a store: every message of its topic read once, from offset zero to the end
offsets taken at the start (messages arriving meanwhile are left for the next run)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.envelope import Envelope


@dataclass(frozen=True, slots=True)
class Copy:
    """One message's event as Kafka holds it: id, hash, and whether its content matches it."""

    event_id: uuid.UUID
    hash: str
    intact: bool


class UnreadableMessage(ValueError):
    """A message on the topic that is not an envelope at all."""


async def read_copies(
    bootstrap: str, topic: str, *, timeout: float = 120.0
) -> tuple[dict[tuple[str, int], Copy], int]:
    """`(stream_id, version) → Copy` for every event on `topic`, and the messages read.

    A message that is not an envelope is counted but has no key; the same event published twice
    (at-least-once relay) is one copy."""
    partitions = await _partitions(bootstrap, topic)
    copies: dict[tuple[str, int], Copy] = {}
    read = 0
    if not partitions:
        return copies, read
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        group_id=None,
        auto_offset_reset="earliest",  # no stored offsets: every partition from its start
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if ends[tp] > 0}
        deadline = asyncio.get_running_loop().time() + timeout
        while remaining:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"reading {topic} took longer than {timeout:.0f}s")
            batch = await consumer.getmany(*remaining, timeout_ms=500, max_records=5000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= ends[tp]:
                        continue
                    read += 1
                    _keep(copies, record.value)
                if records and records[-1].offset + 1 >= ends[tp]:
                    remaining.discard(tp)
            for tp in list(remaining):
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()
    return copies, read


async def _partitions(bootstrap: str, topic: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await asyncio.wait_for(admin.describe_topics([topic]), 10)
    finally:
        await admin.close()
    return sorted(
        TopicPartition(t["topic"], p["partition"])
        for t in described
        if not t.get("error_code")
        for p in t["partitions"]
    )


def _keep(copies: dict[tuple[str, int], Copy], value: bytes | None) -> None:
    if value is None:
        return
    try:
        env, intact = Envelope.from_json_checked(value)
    except (ValueError, KeyError, TypeError):
        return
    key = (env.stream_id, env.stream_version)
    held = copies.get(key)
    if held is None or (not held.intact and intact):
        copies[key] = Copy(env.event_id, env.hash, intact)
