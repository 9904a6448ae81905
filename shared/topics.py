"""Kafka topics are created by the project itself (the broker does not auto-create them)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError

from shared.settings import Settings


def events_topic(service: str) -> str:
    """The topic a write service publishes its events to: `<service>.events`."""
    return f"{service}.events"


#: Every topic keeps its messages for ever: the events topics are what a replay reads from
#: offset zero and what the verifier reconciles the stores with (Kafka's default deletes after
#: seven days), and a dead letter waits for a person.
KEEP_FOREVER = {"retention.ms": "-1"}
#: The key topic (`shared.personal.keys.KEY_TOPIC`) keeps the newest record per key only: a
#: person's wrapped key is dropped once its tombstone follows (the erasure), within an hour of
#: it (the segment rolls hourly, the cleaner takes any dirty share); the tombstone itself is
#: kept a day, for readers that were down (they also get the erasure event).
COMPACTED = {
    "cleanup.policy": "compact",
    "segment.ms": "3600000",
    "max.compaction.lag.ms": "3600000",
    "min.cleanable.dirty.ratio": "0.01",
    "delete.retention.ms": "86400000",
}


def min_insync(replication: int, wanted: int = 0) -> dict[str, str]:
    """The `min.insync.replicas` of a topic with `replication` replicas: `wanted`, or 2 (at
    most the replicas); nothing for a single replica (the broker's default, 1)."""
    if replication <= 1:
        return {}
    return {"min.insync.replicas": str(min(wanted or 2, replication))}


async def ensure_topics(
    bootstrap_servers: str,
    topics: Iterable[str],
    *,
    partitions: int | None = None,
    compacted: Iterable[str] = (),
    replication: int | None = None,
    insync: int | None = None,
) -> None:
    """Create the topics that do not exist yet, kept for ever; a topic made before that rule
    gets it now. The `compacted` ones are made with `COMPACTED` instead (keyed state, not
    history). Partitions, replicas and `min.insync.replicas` not given come from the
    environment's settings (`TOPIC_PARTITIONS`, 3; `LIANXIN_TOPIC_REPLICATION`, 1 on the one
    local broker, 3 on a cluster; `LIANXIN_TOPIC_MIN_INSYNC`, min(2, replicas))."""
    if partitions is None or replication is None or insync is None:
        settings = Settings()
        partitions = settings.topic_partitions if partitions is None else partitions
        replication = settings.topic_replication if replication is None else replication
        insync = settings.topic_min_insync if insync is None else insync
    durable = min_insync(replication, insync)
    compact = set(compacted)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        wanted = list(dict.fromkeys([*topics, *compact]))
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # made meanwhile elsewhere
                await admin.create_topics(
                    [
                        NewTopic(
                            t,
                            partitions,
                            replication_factor=replication,
                            topic_configs={
                                **(COMPACTED if t in compact else KEEP_FOREVER),
                                **durable,
                            },
                        )
                        for t in missing
                    ]
                )
        await _keep_forever(
            admin, [t for t in wanted if t in existing and t not in compact], durable
        )
    finally:
        await admin.close()


async def _keep_forever(
    admin: AIOKafkaAdminClient, topics: list[str], durable: dict[str, str]
) -> None:
    """Set `retention.ms=-1` on those of `topics` that delete old messages (with `durable`:
    AlterConfigs replaces a topic's whole set of overrides)."""
    if not topics:
        return
    described = await admin.describe_configs(
        [ConfigResource(ConfigResourceType.TOPIC, t, configs=None) for t in topics]
    )
    expiring = [
        str(resource[3])
        for response in described
        for resource in response.resources
        for name, value, *_ in resource[4]
        if name == "retention.ms" and value != "-1"
    ]
    if expiring:
        await admin.alter_configs(
            [
                ConfigResource(ConfigResourceType.TOPIC, t, configs={**KEEP_FOREVER, **durable})
                for t in expiring
            ]
        )
